//! Partial-order reduction: at a state where one goroutine's next step
//! commutes with everything the others can do before it, that step alone
//! is expanded (a persistent set of one step, `Machine::ample`).
//!
//! Soundness (docs/DESIGN.md, "Reductions", **Partial-order reduction**)
//! rests on these obligations, each kept where noted:
//!
//! - *Independence*: only a `go` when no other goroutine can ever start one
//!   (`spawners`, from `ir::flow::reaching`), an `Unlock` of a Mutex the
//!   goroutine holds, or a `Done` of the group main waits on that no other
//!   decrement can make fail (`wg_lowering`, from `ir::flow::wg_lowering`,
//!   and no other waiter): the checks in `Machine::ample`. A `sync.Once`'s
//!   steps (`OnceDo`, `OnceDone`) and a `sync.Cond`'s are never taken
//!   alone; none of these touches a Once or a Cond's waiters, and a
//!   `CondLock` is blocked while its mutex is held, as a `Lock` is.
//! - *No foreign unlock*: that an owner's `Unlock` is independent assumes no
//!   goroutine unlocks a mutex it does not hold. `Machine::ample` records
//!   any such pending unlock in `Machine::foreign_unlock`, and the analysis
//!   then redoes the search with `Machine::unlock_alone` off. A
//!   `cond.Wait()` unlocks its mutex too (`CondWait`): checked the same way.
//! - *Main's return*: an `Unlock` or `Done` is dependent on it, so it is
//!   taken alone only while main is blocked at `Wait` on a counter the
//!   others cannot bring to zero without it (`Machine::main_waits_for`).
//! - *A dying goroutine*: its step ends the run (its panic, as main's
//!   return does), which disables every other step: while a goroutine is
//!   dying nothing is taken alone.
//! - *Invisibility*: the memory model must see nothing of the step (an
//!   empty store buffer: `quiet` in `Machine::ample`).
//! - *The run goes on*: a step taken alone must yield exactly one successor
//!   that does not end the run; else every goroutine is expanded. Checked
//!   on the successor by the caller, `gor_successors` in
//!   `semantics/mod.rs`, which also counts `taken_alone`.
//! - *Cycle proviso*: a `go` raises the number of goroutines, an `Unlock`
//!   lowers the number of held mutexes, a `Done` lowers a counter, and no
//!   step taken alone undoes one, so every cycle passes a fully expanded
//!   state. A new kind of step taken alone must keep such a measure.
//! - *Classes*: the serial search is never reduced (`gor_successors` in
//!   `Mode::Serial` ignores the reduction).

use crate::ir::{Instr, SyncKind};
use crate::memory::MemoryModel;
use crate::semantics::{Machine, Operands, dying};
use crate::state::State;

impl<M: MemoryModel> Machine<'_, M> {
    /// A goroutine whose next step may be taken alone: a persistent set of
    /// one step (see docs/DESIGN.md, "Reductions"). Three kinds of step:
    ///
    /// - `Unlock` of a `sync.Mutex` the goroutine holds. While it holds it,
    ///   every other goroutine's `Lock` of it is blocked, and (assumed, and
    ///   checked: see [`Machine::foreign_unlock`]) no other goroutine
    ///   unlocks it; nothing else touches a mutex.
    /// - `go`, when no other goroutine can ever start one (the new
    ///   goroutine's number would depend on the order). Starting a
    ///   goroutine touches nothing another goroutine reads or writes.
    /// - a decrement of the wait group main waits on, when no other
    ///   goroutine can wait and no decrement of the others can fail, before
    ///   or after it.
    ///
    /// Each commutes with every step the others can take and is never
    /// disabled by them, provided the memory model makes it observable to
    /// no one (an empty store buffer: under tso a sync step drains it) and
    /// it does not end the run (checked by the caller on the successor).
    /// An `Unlock` lowers the number of held mutexes, a decrement lowers a
    /// counter and a `go` raises the number of goroutines, so no cycle is made of such steps alone: every
    /// cycle passes a fully expanded state (the cycle proviso).
    pub(crate) fn ample(&self, s: &State<M::Mem>) -> Option<usize> {
        let mut unlock = None;
        let mut spawn = None;
        let mut done = None;
        let mut spawners = 0;
        let mut waiters = 0;
        for (g, gor) in s.gors.iter().enumerate() {
            if dying(gor) {
                // its exit disables every step: dependent on all of them
                return None;
            }
            let Some(fr) = gor.frames.last() else {
                continue;
            };
            let f = &self.prog.funcs[fr.func as usize];
            match f.code[fr.pc as usize] {
                Instr::Unlock(r) => {
                    if let Ok(o) = Operands::of(s, g).resolve(r, 0)
                        && self.prog.sync_kinds[o as usize] == SyncKind::Mutex
                    {
                        if s.sync[o as usize] != g as i64 + 1 {
                            self.foreign_unlock.set(true);
                        } else if unlock.is_none() && self.unlock_alone.get() {
                            unlock = Some(g);
                        }
                    }
                }
                // Wait unlocks the Cond's mutex: held by another goroutine,
                // that is a foreign unlock too
                Instr::CondWait { mu, .. } if s.sync[mu as usize] != g as i64 + 1 => {
                    self.foreign_unlock.set(true);
                }
                Instr::Go { .. } if spawn.is_none() => spawn = Some(g),
                Instr::WgAdd(r) if done.is_none() => {
                    let ops = Operands::of(s, g);
                    let delta = ops.nth(0).expect("Add's delta");
                    if let Ok(o) = ops.resolve(r, 1)
                        && delta < 0
                        && s.sync[o as usize] + delta >= 0
                    {
                        done = Some((g, o, s.sync[o as usize] + delta));
                    }
                }
                _ => {}
            }
            spawners += gor.frames.iter().any(|fr| self.spawners[fr.func as usize]) as usize;
            if g > 0 {
                waiters += gor.frames.iter().any(|fr| self.waiters[fr.func as usize]) as usize;
            }
        }
        let quiet = |g: usize| self.model.buffered(&s.mem, g).is_empty();
        // the goroutine at the `go` is a spawner itself; no other may be
        unlock
            .filter(|&g| quiet(g) && self.main_waits_for(s, g))
            .or(done
                .filter(|&(g, o, new)| {
                    // no decrement of the others can fail, before or after
                    // this one: two that could would not commute
                    waiters == 0
                        && quiet(g)
                        && self.main_waits_for(s, g)
                        && (g == 0 || self.main_waits_on(s) == Some(o))
                        && self.lowering_by_others(s, g) <= new as u64
                })
                .map(|(g, _, _)| g))
            .or(spawn.filter(|&g| spawners == 1 && quiet(g)))
    }

    /// Can main not return before goroutine `g` takes a step? (Else an
    /// `Unlock` of `g` is not independent of main's return, which turns
    /// the goroutines blocked on that mutex into leaks.) True when `g` is
    /// main, or main waits on a wait group whose counter the others cannot
    /// bring to zero without `g`.
    pub(crate) fn main_waits_for(&self, s: &State<M::Mem>, g: usize) -> bool {
        if g == 0 {
            return true;
        }
        let Some(w) = self.main_waits_on(s) else {
            return false;
        };
        self.lowering_by_others(s, g) < s.sync[w as usize].max(0) as u64
    }

    /// The most the goroutines other than main and `g` can still lower
    /// wait-group counters by ([`wg_lowering`]).
    fn lowering_by_others(&self, s: &State<M::Mem>, g: usize) -> u64 {
        let mut others: u64 = 0;
        for (h, gor) in s.gors.iter().enumerate().skip(1) {
            if h != g {
                for fr in &gor.frames {
                    let b = self.wg_lowering[fr.func as usize][fr.pc as usize];
                    others = others.saturating_add(b);
                }
            }
        }
        others
    }

    /// The wait group main is about to wait on, if it is.
    fn main_waits_on(&self, s: &State<M::Mem>) -> Option<u32> {
        let Some((_, Instr::WgWait(r))) = self.instr(s, 0) else {
            return None;
        };
        Operands::of(s, 0).resolve(r, 0).ok()
    }
}
