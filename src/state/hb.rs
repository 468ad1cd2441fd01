//! Happens-before tracking for data-race detection (LANGUAGE.md §6), the
//! same definition as Go's race detector: two conflicting accesses from
//! different goroutines race unless a chain of sync edges orders them.
//!
//! Instead of vector clocks (which grow without bound and would make every
//! loop an infinite state space), the state keeps *which accesses* each
//! goroutine and each sync carrier knows to have happened before it. An
//! access is a [`Record`] (goroutine, variable, read/write, location),
//! interned outside the state; a newer access with the same record replaces
//! the older one, which is sound for reporting pairs of locations (anything
//! that races with the older access races with the newer one too). The sets
//! are bit sets over record ids, so the state stays finite and canonical.

use super::codec::{Codec, Reader};
use crate::ir::FuncId;

/// A bit set with no trailing zero words (so equal sets hash equal); the
/// first 64 records inline, so that copying a state's sets rarely allocates.
#[derive(Debug, PartialEq, Eq, Hash, Default)]
pub struct Bits(smallvec::SmallVec<[u64; 1]>);

/// By copying the slice (the derived clone pushes word by word).
impl Clone for Bits {
    fn clone(&self) -> Self {
        Bits(smallvec::SmallVec::from_slice(&self.0))
    }
}

impl Codec for Bits {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        Some(Bits(Codec::decode(r)?))
    }
}

impl Bits {
    pub fn contains(&self, i: u32) -> bool {
        let (w, b) = (i as usize / 64, i % 64);
        self.0.get(w).is_some_and(|x| x >> b & 1 == 1)
    }

    pub fn set(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << b;
    }

    pub fn clear(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if let Some(x) = self.0.get_mut(w) {
            *x &= !(1 << b);
            self.trim();
        }
    }

    pub fn union_with(&mut self, other: &Bits) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &Bits) {
        self.0.truncate(other.0.len());
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
        self.trim();
    }

    pub fn subtract(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= !b;
        }
        self.trim();
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// The members, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &x)| {
            (0..64)
                .filter(move |b| x >> b & 1 == 1)
                .map(move |b| (w * 64 + b) as u32)
        })
    }
}

/// One access of a shared variable, a map or a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    pub g: u16,
    pub slot: u32,
    pub write: bool,
    pub func: FuncId,
    pub pc: u32,
    /// At a `select`: its case `case - 1` (a send's), whose place the
    /// report names; 0 elsewhere.
    pub case: u8,
}

impl Record {
    /// An access by `g` at its frame `fr`'s instruction (at a `select`'s
    /// case `case - 1` when `case` is not 0).
    pub fn at(g: usize, fr: &crate::state::Frame, slot: u32, write: bool, case: u8) -> Record {
        Record {
            g: g as u16,
            slot,
            write,
            func: fr.func,
            pc: fr.pc,
            case,
        }
    }
}

/// The happens-before knowledge of a state.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Hb {
    /// Records that have happened.
    pub executed: Bits,
    /// Per goroutine: the records that happened before its current point.
    pub gor: Vec<Bits>,
    /// Per sync carrier (mutex, wait group, atomic, channel slot…): the
    /// records that happened before its last release.
    pub obj: Vec<Bits>,
}

crate::codec_fields!(Hb { executed, gor, obj });

/// How [`Hb::default()`] (no records, no goroutines, no carriers) encodes:
/// three empty sequences. Written and recognised as bytes, without building
/// the empty sets, by the search that does not track happens-before.
pub const EMPTY_HB: [u8; 3] = [0, 0, 0];

impl Hb {
    pub fn new(carriers: usize) -> Self {
        Hb {
            executed: Bits::default(),
            gor: vec![Bits::default()],
            obj: vec![Bits::default(); carriers],
        }
    }

    /// Carriers change hands (see `MemoryModel::move_carriers`).
    pub fn move_carriers(&mut self, moves: &[(usize, Option<usize>)]) {
        let taken: Vec<Bits> = moves
            .iter()
            .map(|&(_, from)| from.map(|f| self.obj[f].clone()).unwrap_or_default())
            .collect();
        for (&(to, _), b) in moves.iter().zip(taken) {
            self.obj[to] = b;
        }
    }

    /// `parent` starts a goroutine (the next index): it knows what its parent knows.
    pub fn spawn(&mut self, parent: usize) {
        let k = self.gor[parent].clone();
        self.gor.push(k);
    }

    /// `g` releases into carrier `c` (cumulatively).
    pub fn release(&mut self, g: usize, c: usize) {
        let k = self.gor[g].clone();
        self.obj[c].union_with(&k);
    }

    /// `g` releases into carrier `c`, replacing what it held.
    pub fn release_only(&mut self, g: usize, c: usize) {
        self.obj[c] = self.gor[g].clone();
    }

    /// `g` acquires what carrier `c` holds.
    pub fn acquire(&mut self, g: usize, c: usize) {
        let k = self.obj[c].clone();
        self.gor[g].union_with(&k);
    }

    /// A rendezvous: each side learns what the other knows.
    pub fn exchange(&mut self, a: usize, b: usize) {
        let kb = self.gor[b].clone();
        self.gor[a].union_with(&kb);
        let ka = self.gor[a].clone();
        self.gor[b] = ka;
    }

    /// Carriers `from..from+n` shift down by one (a buffered receive).
    pub fn shift(&mut self, from: usize, n: usize) {
        for i in from..from + n.saturating_sub(1) {
            self.obj[i] = self.obj[i + 1].clone();
        }
        if n > 0 {
            self.obj[from + n - 1] = Bits::default();
        }
    }

    /// Forget the accesses every live goroutine already knows: no future
    /// access can race with them (a goroutine started later inherits its
    /// parent's knowledge). `live[g]` says whether goroutine `g` can still run.
    pub fn forget_known(&mut self, live: &[bool]) {
        let mut common = self.executed.clone();
        for (g, k) in self.gor.iter().enumerate() {
            if live.get(g).copied().unwrap_or(false) {
                common.intersect_with(k);
            }
        }
        if common.0.is_empty() {
            return;
        }
        self.drop_records(&common);
        // A goroutine that has ended knows nothing that matters any more.
        for (g, k) in self.gor.iter_mut().enumerate() {
            if !live.get(g).copied().unwrap_or(false) {
                *k = Bits::default();
            }
        }
    }

    /// Forget the records `gone` picks (the accesses to the fields of a
    /// freed struct, `semantics/pools.rs`): the struct made next in its
    /// place is a new variable, which no earlier access races with.
    pub fn forget(&mut self, gone: impl Fn(u32) -> bool) {
        let mut drop = Bits::default();
        for r in self.executed.iter().filter(|&r| gone(r)) {
            drop.set(r);
        }
        if !drop.0.is_empty() {
            self.drop_records(&drop);
        }
    }

    /// Remove records from every set.
    fn drop_records(&mut self, drop: &Bits) {
        for k in self.gor.iter_mut().chain(self.obj.iter_mut()) {
            k.subtract(drop);
        }
        self.executed.subtract(drop);
    }

    /// `g` makes access `id`. Returns the executed records it races with,
    /// judged by `conflicts(other)`.
    pub fn access(&mut self, g: usize, id: u32, conflicts: impl Fn(u32) -> bool) -> Vec<u32> {
        let races: Vec<u32> = self
            .executed
            .iter()
            .filter(|&r| r != id && !self.gor[g].contains(r) && conflicts(r))
            .collect();
        for (h, k) in self.gor.iter_mut().enumerate() {
            if h != g {
                k.clear(id);
            }
        }
        for k in &mut self.obj {
            k.clear(id);
        }
        self.gor[g].set(id);
        self.executed.set(id);
        races
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_canonical() {
        let mut a = Bits::default();
        a.set(70);
        a.clear(70);
        assert_eq!(a, Bits::default());
        a.set(3);
        // up to 64 records the set lives inline, and so does its copy
        assert!(!a.clone().0.spilled());
        a.set(65);
        assert_eq!(a.iter().collect::<Vec<_>>(), [3, 65]);
        assert_eq!(a.clone(), a);
    }

    #[test]
    fn empty_sets_encode_as_empty_hb() {
        let mut out = Vec::new();
        Hb::default().encode(&mut out);
        assert_eq!(out, EMPTY_HB);
        // a tracked search always has main's entry: never those bytes
        out.clear();
        Hb::new(0).encode(&mut out);
        assert_ne!(out, EMPTY_HB);
    }

    #[test]
    fn release_acquire_orders_accesses() {
        let mut hb = Hb::new(1);
        hb.spawn(0);
        assert!(hb.access(0, 0, |_| true).is_empty());
        // unsynchronised: goroutine 1 does not know record 0
        assert_eq!(hb.access(1, 1, |_| true), vec![0]);
        hb.release(0, 0);
        hb.acquire(1, 0);
        assert!(hb.access(1, 2, |r| r == 0).is_empty());
    }
}
