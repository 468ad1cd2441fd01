//! Symmetry reduction: goroutines of one class (started by `go` with the
//! same function and arguments) are kept in a canonical order, so states
//! that differ only in which twin is where are stored once.
//!
//! Soundness (docs/DESIGN.md, "Reductions", **Symmetry**) rests on these
//! obligations, each kept where noted:
//!
//! - *Nothing in the semantics depends on a goroutine's number* but the
//!   number a `go` gives the new goroutine (it appends) and main being 0:
//!   the step semantics (`crate::semantics`) reads a goroutine's own frames
//!   and locals (and its deferred calls, which hold function ids and
//!   values, never a goroutine number) and the shared state only. Main
//!   never moves here (the loop
//!   over classes starts at 1).
//! - *Only interchangeable goroutines are swapped*: a goroutine's class is
//!   interned from its function and arguments at the `go`
//!   (`Interner::class`, called by the `go` step in `semantics/spawn.rs`),
//!   and [`Machine::canonicalize`] sorts each class among the places that
//!   class already holds.
//! - *Goroutine numbers kept elsewhere are renumbered with them*: the
//!   memory model's per-goroutine data (`MemoryModel::permute`, and its
//!   `gor_key` is part of the sort key so that the order is a function of
//!   the whole state), the current goroutine, a Mutex's owner, an
//!   RWMutex's announced writer and a Cond's waiters (the end of
//!   [`Machine::canonicalize`]; the waiters are in the sort key too). A
//!   new place that stores a goroutine number must be renumbered here.
//! - *Reports name real goroutines*: the search records the renumbering
//!   of every edge, and witnesses are replayed on the real goroutines by
//!   the analysis (the witness pass), never read off canonical states.

use crate::ir::SyncKind;
use crate::memory::MemoryModel;
use crate::semantics::Machine;
use crate::state::State;

impl<M: MemoryModel> Machine<'_, M> {
    /// Symmetry reduction. Nothing in the semantics depends on a goroutine's
    /// number (a `go` appends, and every goroutine's steps depend only on
    /// its own frames and the shared state), so renumbering the goroutines
    /// other than main maps runs to runs. This puts them in the order of
    /// their local state (then their part of the memory model), so states
    /// that differ only in which of several interchangeable goroutines is
    /// where are stored once. Returns the renumbering (old index → new), or
    /// `None` when the order was already canonical or symmetry is off.
    ///
    /// The channels of each `make`'s pool are then put in the order in
    /// which the goroutines (in their new order) refer to them
    /// (`semantics/heap.rs`), which renumbers no goroutine; under the
    /// partial-order reduction the memory model's data is then put in its
    /// canonical form (`MemoryModel::canonical`).
    pub fn canonicalize(&self, st: &mut State<M::Mem>) -> Option<Vec<u16>> {
        let perm = self.canonical_goroutines(st);
        if self.symmetry {
            self.collect(st, true, None);
        }
        if self.por {
            // (after the renumbering: the form may follow the numbers)
            self.model.canonical(&mut st.mem);
        }
        perm
    }

    /// The goroutines in canonical order (see [`Machine::canonicalize`]).
    #[inline(always)]
    fn canonical_goroutines(&self, st: &mut State<M::Mem>) -> Option<Vec<u16>> {
        let n = st.gors.len();
        if !self.symmetry || n <= 2 {
            return None;
        }
        let (gors, mem, sync) = (&st.gors, &st.mem, &st.sync);
        // the Conds a goroutine waits on: twins at one `Wait`, one
        // signalled and one not, differ only there
        let waits = |g: usize| {
            self.prog
                .sync_kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == SyncKind::Cond)
                .map(move |(o, _)| (sync[o] as u64) >> g & 1)
        };
        let cmp = |a: usize, b: usize| {
            let (x, y) = (&gors[a], &gors[b]);
            x.frames
                .cmp(&y.frames)
                .then_with(|| x.data.cmp(&y.data))
                .then_with(|| x.defers.cmp(&y.defers))
                .then_with(|| (x.panicking, x.unwind).cmp(&(y.panicking, y.unwind)))
                .then_with(|| self.model.gor_key(mem, a).cmp(&self.model.gor_key(mem, b)))
                .then_with(|| waits(a).cmp(waits(b)))
        };
        // Only goroutines of one class are interchangeable: each class's
        // members are sorted among the places the class holds.
        let mut order: smallvec::SmallVec<[usize; 16]> = (0..n).collect();
        let mut changed = false;
        let mut places: smallvec::SmallVec<[usize; 16]> = smallvec::SmallVec::new();
        let mut members: smallvec::SmallVec<[usize; 16]> = smallvec::SmallVec::new();
        for g in 1..n {
            let c = gors[g].class;
            if (1..g).any(|h| gors[h].class == c) {
                continue; // not the first of its class: already placed
            }
            places.clear();
            places.extend((g..n).filter(|&h| gors[h].class == c));
            if places.len() < 2 || places.windows(2).all(|w| cmp(w[0], w[1]).is_le()) {
                continue;
            }
            members.clear();
            members.extend_from_slice(&places);
            members.sort_by(|&a, &b| cmp(a, b));
            for (&p, &m) in places.iter().zip(&members) {
                order[p] = m;
            }
            changed = true;
        }
        if !changed {
            return None;
        }
        let mut perm = vec![0u16; n];
        for (new, &old) in order.iter().enumerate() {
            perm[old] = new as u16;
        }
        let old = std::mem::take(&mut st.gors);
        st.gors = order.iter().map(|&o| old[o].clone()).collect();
        self.model.permute(&mut st.mem, &perm);
        if let Some(&c) = perm.get(st.current as usize) {
            st.current = c;
        }
        // A Mutex remembers its owner (number + 1), an RWMutex which
        // goroutine announced itself as the waiting writer (number + 1 in
        // the high half): renumber them too.
        for (o, kind) in self.prog.sync_kinds.iter().enumerate() {
            let v = st.sync[o];
            if *kind == SyncKind::Mutex && v > 0 {
                st.sync[o] = perm[v as usize - 1] as i64 + 1;
            }
            if *kind == SyncKind::Cond {
                // its waiters, one bit per goroutine number
                let bits = v as u64;
                st.sync[o] = (0..64)
                    .filter(|b| bits >> b & 1 == 1)
                    .fold(0u64, |acc, b| acc | 1 << perm[b as usize])
                    as i64;
            }
            if *kind == SyncKind::RWMutex && v != -1 && v >> 32 > 0 {
                let me = perm[(v >> 32) as usize - 1] as i64 + 1;
                st.sync[o] = (v & 0xFFFF_FFFF) | me << 32;
            }
        }
        Some(perm)
    }
}
