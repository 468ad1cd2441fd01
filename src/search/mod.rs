//! Breadth-first explicit-state search: every state hashed and stored once
//! (in insertion order, which is BFS order), the transitions kept as a
//! compact transition list of state indices, and then, for every state, the clearest
//! witness that reaches it.
//!
//! One file per job: `bfs.rs` the search itself ([`explore`]), `store.rs`
//! the states ([`StateStore`], over `chunks.rs`), `graph.rs` the transitions
//! ([`Transitions`], [`Edge`]), `limits.rs` what stops a search or a check
//! and how it reports progress ([`SearchLimits`], [`Cancel`],
//! [`Progress`]), `witness.rs` the clearest witness of every state
//! ([`Explored::path`]), `never_ending.rs` the states no run can leave
//! ([`Explored::never_ending`]), `finish.rs` the runs finished from the
//! frontier of a search a limit stopped, `outcome.rs` the key of an
//! outcome ([`outcome_key`]). This file holds what they share: the
//! explored graph ([`Explored`]) and the races found.

mod bfs;
mod chunks;
mod finish;
mod graph;
mod limits;
mod never_ending;
mod outcome;
mod store;
mod witness;

pub use bfs::explore;
pub use graph::Transitions;
pub use limits::{
    Cancel, GRACE, Limit, OnProgress, Progress, SearchLimits, available_bytes, peak_bytes,
    resident_bytes,
};
pub use outcome::{OutcomeKey, finals, outcome_key};
pub use store::StateStore;

use crate::state::End;
use crate::state::hb::Record;
use rustc_hash::FxHashSet;
use witness::Best;

/// The explored state graph.
pub struct Explored<Mm> {
    pub states: StateStore<Mm>,
    /// Node `i` is state `i`.
    pub graph: Transitions,
    /// BFS parent of each state: (predecessor, successor position);
    /// `u32::MAX` for the initial state. Worked out from the transitions
    /// when first needed (the first transition into a state, in row order,
    /// is the one that found it), so the search does not keep it.
    parent: std::cell::OnceCell<Vec<(u32, u32)>>,
    /// The clearest witness of each state, once [`Explored::clearest_witnesses`] ran.
    best: Option<Best>,
    /// States where a run ends, with how, in BFS order.
    pub terminals: Vec<(u32, End)>,
    /// Set when a limit stopped the search.
    pub stopped: Option<Limit>,
    /// The states the search expanded (the first ones: those after them,
    /// up to `searched`, are its frontier).
    pub expanded: usize,
    /// The states the search itself found: those after them were stored by
    /// the runs finished after it stopped (see `finish.rs`).
    pub searched: usize,
    /// For each state a finished run stored (state `searched + n`): its
    /// predecessor and successor position on that run.
    finished_parent: Vec<(u32, u32)>,
    /// What the runs finished after a stop did (`None`: none were tried).
    pub finished: Option<Finished>,
    /// The first data race found for each variable and pair of source
    /// locations.
    pub races: Vec<FoundRace>,
    /// Every plain access a goroutine was about to make: (function, pc,
    /// variable slot, write).
    pub sites: FxHashSet<(u32, u32, u32, bool)>,
    /// Successors that symmetry reduction renumbered.
    pub renumbered: u64,
    /// States that partial-order reduction expanded by one `go` step alone.
    pub taken_alone: u64,
    /// States the partial-order reduction would have expanded only in
    /// part, expanded in full by the cycle proviso (their successor
    /// positions are those of [`crate::semantics::Machine::successors_unreduced`]).
    pub expanded_in_full: FxHashSet<u32>,
}

impl<Mm: crate::state::codec::Codec> Explored<Mm> {
    /// The successors of stored state `i` as the search took them (their
    /// positions are those of the graph's edges).
    pub fn successors_taken<M: crate::memory::MemoryModel<Mem = Mm>>(
        &self,
        machine: &crate::semantics::Machine<'_, M>,
        i: u32,
        mode: crate::semantics::Mode,
        strings: &mut crate::state::Interner,
        out: &mut Vec<crate::semantics::Succ<Mm>>,
    ) {
        let s = &self.states.get(i);
        if self.expanded_in_full.contains(&i) {
            machine.successors_unreduced(s, mode, strings, false, out);
        } else {
            machine.successors(s, mode, strings, false, out);
        }
    }
}

/// What the runs finished from the frontier of a stopped search did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Finished {
    /// Runs begun.
    pub runs: u32,
    /// Steps taken, all runs together.
    pub steps: u64,
    /// States they stored that the search had not found.
    pub states: usize,
    /// Terminal states they reached that the search had not seen end.
    pub ends: usize,
    /// What cut them short: time or an interrupt (after their grace), the
    /// memory, or a limit of the semantics a step met.
    pub cut: Option<Limit>,
}

/// A data race the search found: two conflicting plain accesses from
/// different goroutines that happens-before does not order.
#[derive(Clone, Copy, Debug)]
pub struct FoundRace {
    /// The state the witness reaches and the successor taken from it (the
    /// later access, or for a race of two pending accesses the first one).
    pub state: u32,
    pub k: u32,
    /// For two accesses both pending at `state`: the successor state after
    /// the first one, and the goroutine that then makes the second.
    pub then: Option<(u32, u16)>,
    pub a: Record,
    pub b: Record,
}

/// The key of a race: its variable (a plain slot: each array element is
/// its own) and its two source locations, in order.
pub type RaceKey = (u32, (u32, u32), (u32, u32));

pub fn race_key(a: &Record, b: &Record) -> RaceKey {
    let (la, lb) = ((a.func as u32, a.pc), (b.func as u32, b.pc));
    if la <= lb {
        (a.slot, la, lb)
    } else {
        (a.slot, lb, la)
    }
}
impl<Mm> Explored<Mm> {
    /// Is state `i` one the search did not expand (found on its frontier, or
    /// stored by a run finished after it stopped)? A run that ends there
    /// was seen to its end only by a finished run.
    pub fn past_stop(&self, i: u32) -> bool {
        i as usize >= self.expanded
    }

    /// Memory held for the stored states and transitions.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.states.heap_bytes()
            + self.graph.heap_bytes()
            + self
                .parent
                .get()
                .map_or(0, |p| p.capacity() * size_of::<(u32, u32)>())
    }
}

#[cfg(test)]
mod tests;
