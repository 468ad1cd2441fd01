//! Memory models: what a read of a plain shared variable may return.
//!
//! Every model implements [`MemoryModel`]; its per-state data
//! ([`MemoryModel::Mem`]) lives inside the explored state, so store buffers
//! or write histories are explored like any other part of the state. Sync
//! operations are always sequentially consistent; a model hears about each
//! one as [`SyncEvent`]s (a fence, the spawn of a goroutine, and the
//! happens-before edges: release into / acquire from a *carrier* — a mutex,
//! a wait group, an atomic, a channel's buffer slot…), so a store-buffer
//! model can drain and a happens-before model can pass views along.
//! A new model is one new file here and one arm in [`registry`], the one
//! place that turns the model a caller names into the type the check runs.
//!
//! Which methods must be written: every one whose wrong default would make
//! the check unsound (miss runs or merge states that differ) is required —
//! the steps the memory takes by itself ([`MemoryModel::internal`]), the
//! writes not yet visible ([`MemoryModel::buffered`]), renumbering under
//! symmetry ([`MemoryModel::permute`], [`MemoryModel::gor_key`]) and what
//! the model promises about race-free programs ([`MemoryModel::drf_sc`],
//! [`MemoryModel::is_sc`]). Only those whose default is always safe keep
//! one: [`MemoryModel::normalize`] (forgetting nothing only keeps more
//! states apart) and [`MemoryModel::internal_after_end`].

use crate::ir::Program;
use std::fmt::Debug;
use std::hash::Hash;

pub mod go;
pub mod registry;
pub mod sc;
pub mod tso;

pub use registry::{Memory, WithModel};

/// What a witness says about a read, beyond its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadNote {
    /// An older write than the latest one, which is given.
    Stale { latest: i64 },
    /// The reader's own buffered write.
    OwnBuffer,
}

/// A value a read may return, with a note for the witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadChoice {
    pub value: i64,
    /// Model-specific token passed back to [`MemoryModel::apply_read`].
    pub token: u32,
    pub note: Option<ReadNote>,
    /// Does this read return a value other than the latest write (by any
    /// goroutine)? Such reads make an outcome `stale`.
    pub stale: bool,
}

/// The values a read may return (most reads have one or two: inline).
pub type ReadChoices = smallvec::SmallVec<[ReadChoice; 2]>;

/// A sync operation, as seen by the memory model (and by race detection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncEvent {
    /// Goroutine `g` performs a sync operation (before its effect).
    Fence { g: usize },
    /// Goroutine `child` (the next index) was started by `parent`.
    Spawn { parent: usize, child: usize },
    /// `g` releases into `carrier`, adding to what it holds.
    Release { g: usize, carrier: usize },
    /// `g` releases into `carrier`, replacing what it held.
    ReleaseOnly { g: usize, carrier: usize },
    /// `g` acquires what `carrier` holds.
    Acquire { g: usize, carrier: usize },
    /// An unbuffered rendezvous: each side acquires what the other had.
    Exchange { a: usize, b: usize },
    /// Carriers `from..from + n` move down by one (a buffered receive).
    Shift { from: usize, n: usize },
}

/// A step the memory system takes by itself (a store-buffer flush).
#[derive(Clone, Debug)]
pub struct Internal<Mem> {
    /// The goroutine whose buffer it is.
    pub g: usize,
    pub slot: u32,
    pub value: i64,
    pub mem: Mem,
}

/// What the goroutines may still do with the memory after a step, for
/// [`MemoryModel::normalize`] (static facts about their places:
/// `ir::flow::plain_reads` and `ir::flow::view_uses`).
pub struct Future<'a> {
    /// `live[g]`: can goroutine `g` still run?
    pub live: &'a [bool],
    /// May goroutine `g` (or a goroutine it may start) still read `slot`?
    pub may_read: &'a dyn Fn(usize, u32) -> bool,
    /// May `g`'s view of `slot` still be used — read with, or passed on by
    /// a sync operation or a `go` — before `g` writes `slot` itself (which
    /// moves its view to that write, whatever it was)? `None`: assume so
    /// (the reference search, `--no-reduction`).
    pub view_used: Option<&'a dyn Fn(usize, u32) -> bool>,
    /// Of a goroutine whose view of `slot` may be used: will it only read
    /// `slot` once more before it writes it, raising its view at most by
    /// acquiring a carrier in between, and not pass the view on? Read only
    /// with `view_used`.
    pub read_once: &'a dyn Fn(usize, u32) -> bool,
    /// Per carrier, the slots (bits by number) whose view it holds may
    /// still be used (taken in by a goroutine that may then use it); the
    /// last entry for every carrier past the list. Read only with
    /// `view_used` (empty without it).
    pub carried: &'a [Vec<u64>],
}

impl Future<'_> {
    /// Is goroutine `g` live and may its view of `slot` still be used?
    pub fn view_used(&self, g: usize, slot: u32) -> bool {
        self.live.get(g).copied().unwrap_or(false) && self.view_used.is_none_or(|f| f(g, slot))
    }

    /// May carrier `c`'s view of `slot` still be used?
    pub fn carried(&self, c: usize, slot: u32) -> bool {
        let cs = self.carried;
        self.view_used.is_none()
            || cs
                .get(c.min(cs.len().saturating_sub(1)))
                .and_then(|bits| bits.get(slot as usize / 64))
                .is_none_or(|w| w >> (slot % 64) & 1 == 1)
    }
}

/// A memory model for plain shared variables.
pub trait MemoryModel {
    /// The model's part of the state.
    type Mem: Clone + Eq + Hash + Debug + crate::state::codec::Codec;

    /// The name used on the command line and in reports.
    fn name(&self) -> &'static str;

    /// One line for `--help`: what a read may return under the model.
    fn about(&self) -> &'static str;

    /// Does the model give DRF-SC: is every run of a program without data
    /// races (under sc) one that sc has too, so that such a program has the
    /// same outcomes as under sc? A model that says yes lets the check
    /// explore a race-free program under sc alone (`explored_under`); one
    /// that says no is always searched itself. Both weak models give it;
    /// a model with out-of-thin-air or unsynchronised-publication effects
    /// would not.
    fn drf_sc(&self) -> bool;

    /// Is the model sc itself: does every read return the latest write?
    /// Then its runs are exactly sc's, no outcome can be `stale`, and the
    /// check needs no separate sc search for the classes (nor the DRF-SC
    /// shortcut, which would search the same thing twice).
    fn is_sc(&self) -> bool;

    /// Do the steps interfere only through what their static footprints
    /// name (`ir::footprint`: a read with the writes of its variable, a
    /// write with its reads and writes, a sync operation with the other
    /// uses of its object or channel), and the model's own steps only as
    /// writes of the slots [`MemoryModel::pending`] lists? Then stubborn
    /// sets are persistent under the model (docs/DESIGN.md, "Reductions").
    /// True where a goroutine's part of the memory moves only with its own
    /// steps, its buffer's flushes and through the carriers of the objects
    /// it syncs on (sc, go, tso). Required: a model that said yes wrongly
    /// would lose runs.
    fn footprint_conflicts(&self) -> bool;

    /// Every write waiting in a store buffer, as (goroutine, slot), each
    /// goroutine's oldest first: the model's own steps flush a goroutine's
    /// oldest ([`MemoryModel::internal`]), and a sync operation of the
    /// goroutine all of them. The stubborn sets take each goroutine's
    /// buffer as a process of its own whose steps write these slots.
    /// Required: a model with buffers that listed none would let a stubborn
    /// set leave out a flush that conflicts with the steps it takes.
    fn pending(&self, mem: &Self::Mem, out: &mut dyn FnMut(usize, u32));

    /// Under the reductions, bring the data to one form per class of data
    /// no step, read or final value can tell apart (tso: the order of
    /// pending writes of different goroutines to different variables), so
    /// that steps that commute meet in one state. Called on every state
    /// the reduced search stores, after [`MemoryModel::permute`]. Doing
    /// nothing, the default, only keeps more states apart.
    fn canonical(&self, _mem: &mut Self::Mem) {}

    /// The memory as the program starts: every variable at its initial
    /// value; `carriers` is the number of sync carriers of the program.
    fn init(&self, prog: &Program, carriers: usize) -> Self::Mem;

    /// Push every value goroutine `g` may read from `slot`, in a fixed order.
    fn read(&self, mem: &Self::Mem, g: usize, slot: u32, out: &mut ReadChoices);

    /// Record that `g` read `choice` from `slot`.
    fn apply_read(&self, mem: &mut Self::Mem, g: usize, slot: u32, choice: &ReadChoice);

    /// `g` writes `value` to `slot`. Returns a note for the witness.
    fn write(&self, mem: &mut Self::Mem, g: usize, slot: u32, value: i64) -> Option<&'static str>;

    /// A sync operation happened.
    fn sync(&self, mem: &mut Self::Mem, event: SyncEvent);

    /// Steps the memory system can take now, in a fixed order. Required:
    /// a model with buffered writes that forgot them would never let those
    /// writes reach memory, and miss every run where they do.
    fn internal(&self, mem: &Self::Mem, out: &mut Vec<Internal<Self::Mem>>);

    /// Steps the memory system takes after the run has ended (to reach the
    /// final values); by default the same as [`MemoryModel::internal`].
    fn internal_after_end(&self, mem: &Self::Mem, out: &mut Vec<Internal<Self::Mem>>) {
        self.internal(mem, out)
    }

    /// Bring the data to a canonical form after a step (forget what can no
    /// longer be observed), as [`Future`] says the goroutines may still
    /// use it.
    fn normalize(&self, _mem: &mut Self::Mem, _future: &Future<'_>) {}

    /// Does [`MemoryModel::normalize`] do anything (so that the explorer
    /// need not work out which goroutines are live for it)? Leaving it
    /// `false` only skips `normalize`, which is always sound.
    fn normalizes(&self) -> bool {
        false
    }

    /// The writes of `g` not yet visible to others, oldest first (store
    /// buffers); for witnesses that show what a sync operation drained.
    /// Required: a model with buffers that said "none" would print
    /// witnesses that hide the writes a sync operation made visible.
    fn buffered(&self, mem: &Self::Mem, g: usize) -> Vec<(u32, i64)>;

    /// Lines describing the memory for `grace replay`: the values, and under a
    /// weak model the buffers or views. `var(slot, value)` renders `x=1`;
    /// `gname(g)` names a goroutine.
    fn show(
        &self,
        mem: &Self::Mem,
        var: &dyn Fn(u32, i64) -> String,
        gname: &dyn Fn(usize) -> String,
    ) -> Vec<String>;

    /// Renumber the goroutines: goroutine `g` becomes `perm[g]` (symmetry
    /// reduction puts interchangeable goroutines in a canonical order).
    /// Required: memory that keeps per-goroutine data (a buffer, a view)
    /// and did not follow the renumbering would give one goroutine's
    /// buffer to another, and the check would explore runs that do not
    /// exist and merge states that differ.
    fn permute(&self, mem: &mut Self::Mem, perm: &[u16]);

    /// Carriers change hands (the channels of a `make`'s pool renumbered or
    /// freed, `semantics/heap.rs`): for each `(to, from)`, carrier `to`
    /// takes what carrier `from` held before any of the moves, or nothing
    /// (as at the start) when `from` is `None`. Required: a model that
    /// keeps per-carrier data (a view) and did not follow would pass one
    /// channel's happens-before on to another, or keep a freed channel's.
    fn move_carriers(&self, mem: &mut Self::Mem, moves: &[(usize, Option<usize>)]);

    /// The plain slots of a struct nothing can reach any more start again
    /// as fresh memory, at `init` (`semantics/pools.rs` frees it, to be
    /// made again): the value, and under a weak model every history, view
    /// and carried view of them, as at the start. Returns false, changing
    /// nothing, when the model cannot forget them yet (a buffered write to
    /// one still pending): the struct is freed later. Required: a model
    /// that kept a freed struct's old writes would let its next maker read
    /// them, or tell apart states that differ only in garbage.
    fn reset_slots(&self, mem: &mut Self::Mem, slots: &[u32], init: &[i64]) -> bool;

    /// A digest of goroutine `g`'s own part of the memory (its buffer or
    /// its view), which orders goroutines whose local states are equal.
    /// Required for the same reason as [`MemoryModel::permute`]: two
    /// goroutines equal but for their buffers are not interchangeable, and
    /// a constant key would let symmetry treat them as if they were.
    fn gor_key(&self, mem: &Self::Mem, g: usize) -> u64;

    /// The values of every slot when a run has ended (after every internal step).
    fn finals(&self, mem: &Self::Mem) -> Vec<i64>;
}
