//! Maps (`map[K]V`) in the step program: their types and the table of the
//! maps a program makes. A map's contents live in the sync table, after
//! the sync objects: one block of [`MAP_WORDS`] words per map (the number
//! of entries, the "being written" mark of Go's runtime, then [`MAP_CAP`]
//! (key, value) pairs sorted by key, unused pairs zero), so that two states
//! with the same contents are one state (docs/DESIGN.md, *Maps*).

use super::{Program, Ty};

/// Most entries a map holds at once; a run that needs more stops the
/// search with a message (it is never cut short silently).
pub const MAP_CAP: usize = 8;
/// Words of the sync table per map: its length, its write mark, the pairs.
pub const MAP_WORDS: usize = 2 + 2 * MAP_CAP;

/// The key and value types a map may have.
const MAP_BASES: [Ty; 12] = [
    Ty::Int,
    Ty::Int8,
    Ty::Int16,
    Ty::Int32,
    Ty::Int64,
    Ty::Uint,
    Ty::Uint8,
    Ty::Uint16,
    Ty::Uint32,
    Ty::Uint64,
    Ty::Bool,
    Ty::Str,
];

/// Where the values that are struct pointers (`map[string]*entry`) start.
const STRUCT_PTR_VAL: u8 = 64;

/// `map[K]V`, kept as two small numbers so that [`Ty`] stays `Copy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MapTy {
    key: u8,
    val: u8,
}

impl MapTy {
    /// `map[key]val`, if grace has maps of these types (an integer type,
    /// bool or string each).
    pub fn of(key: Ty, val: Ty) -> Option<MapTy> {
        let at = |t: Ty| MAP_BASES.iter().position(|b| *b == t.declared());
        let val = match val {
            // a pointer to a struct: its type's number from
            // `STRUCT_PTR_VAL` up
            Ty::StructPtr(k) => u8::try_from(STRUCT_PTR_VAL as usize + k as usize).ok()?,
            t => at(t)? as u8,
        };
        Some(MapTy {
            key: at(key)? as u8,
            val,
        })
    }

    pub fn key(self) -> Ty {
        MAP_BASES[self.key as usize]
    }

    pub fn val(self) -> Ty {
        match self.val.checked_sub(STRUCT_PTR_VAL) {
            Some(k) => Ty::StructPtr(u16::from(k)),
            None => MAP_BASES[self.val as usize],
        }
    }

    pub fn name(self) -> String {
        format!("map[{}]{}", self.key().name(), self.val().name())
    }
}

/// One map of the program: a top-level one, or one a body that runs once
/// per run makes.
#[derive(Clone, Debug)]
pub struct MapInfo {
    pub name: String,
    pub ty: MapTy,
    /// The entries of a top-level `map[K]V{…}`, in source order (a string
    /// as its number in [`Program::strings`]).
    pub init: Vec<(i64, i64)>,
}

impl Program {
    /// Where map `m`'s block starts in the sync table.
    pub fn map_base(&self, m: usize) -> usize {
        self.sync_kinds.len() + m * MAP_WORDS
    }

    /// The race-detection slot of map `m` (after the plain slots: a map's
    /// accesses race as a variable's do, under its name).
    pub fn map_slot(&self, m: usize) -> u32 {
        (self.plain_init.len() + m) as u32
    }

    /// The race-detection slot of channel `c` (after the maps'). Go's race
    /// detector sees a send as a read of the channel and `close` as a
    /// write, so a send not ordered with the close races with it.
    pub fn chan_slot(&self, c: u32) -> u32 {
        (self.plain_init.len() + self.maps.len()) as u32 + c
    }

    /// The channel whose race-detection slot `slot` is, if it is one.
    pub fn chan_of_slot(&self, slot: u32) -> Option<u32> {
        let first = (self.plain_init.len() + self.maps.len()) as u32;
        slot.checked_sub(first)
    }

    /// The name of a race-detection slot: a plain variable's, a map's or a
    /// channel's.
    pub fn slot_name(&self, slot: u32) -> &str {
        if let Some(c) = self.chan_of_slot(slot) {
            return &self.chans[c as usize].name;
        }
        match self.plain_names.get(slot as usize) {
            Some(n) if (slot as usize) < self.plain_init.len() => n,
            _ => &self.maps[slot as usize - self.plain_init.len()].name,
        }
    }

    /// Do two accesses of `slot` (from two goroutines) conflict, racing
    /// unless ordered? When one is a write; but two closes of a channel
    /// never race: the second panics before Go's race detector sees it.
    pub fn conflicts(&self, slot: u32, a_write: bool, b_write: bool) -> bool {
        (a_write || b_write) && !(a_write && b_write && self.chan_of_slot(slot).is_some())
    }

    /// Where access `(func, pc)` is in the source: at a `select`, its
    /// case `case - 1`'s channel when `case` is not 0.
    pub fn access_loc(&self, func: super::FuncId, pc: u32, case: u8) -> (u32, u32) {
        let f = &self.funcs[func as usize];
        match (case, f.code.get(pc as usize)) {
            (1.., Some(&super::Instr::Select(id))) => {
                self.selects[id as usize].cases[case as usize - 1].loc
            }
            _ => f.locs[pc as usize],
        }
    }

    /// How a report names an access: a channel's as `send` or `close`.
    pub fn access_op(&self, slot: u32, write: bool) -> &'static str {
        match (self.chan_of_slot(slot).is_some(), write) {
            (false, false) => "read",
            (false, true) => "write",
            (true, false) => "send",
            (true, true) => "close",
        }
    }
}
