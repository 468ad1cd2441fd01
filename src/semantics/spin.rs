//! Spinning goroutines, for the search without preemption (the `serial`
//! class, LANGUAGE.md §9).
//!
//! A goroutine *spins* at a state when, left to run alone from there, it
//! would go on for ever taking only *silent* steps — steps that change
//! nothing but its own position and locals (a read of a shared variable, an
//! atomic `Load`, a failing `CompareAndSwap`), with at least one step that
//! is not mere local computation in the loop it comes back to. Such a
//! goroutine cannot get anywhere by itself: it waits, as a blocked one
//! does, for another goroutine to change what it reads. So the search
//! without preemption treats it as blocked: any other goroutine that can
//! go on, and is not spinning itself, may be chosen there.
//!
//! Why this cannot make a real preemption-dependent outcome `serial`:
//! being closed under silent steps backwards (a goroutine one silent step
//! before a spinning state spins too), a goroutine is first found spinning
//! only right after a step of its own that was not silent, or at the state
//! where it was chosen to run: never after having read something in the
//! spin that it could carry on with. The switch away from it is then a
//! switch away from a goroutine about to wait — the run is one where it
//! blocked there, on a blocking wait for the condition its loop reads
//! (GenMC's "spin-assume"). A preemption anywhere else still makes an
//! outcome preemptive. Every step the rule allows is a step of the full
//! search, so outcomes, races and deadlocks do not change; only outcomes
//! of runs that switch away from a spinning goroutine may become `serial`.

use super::{Machine, Out};
use crate::memory::MemoryModel;
use crate::state::{Gor, Interner, State};
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// The most steps of a goroutine looked at to tell whether it spins; a
/// goroutine still taking silent steps after that many is taken as not
/// spinning (the classes are then those without the rule).
const LOOKAHEAD: usize = 4096;

/// Whether `after` differs from `before` only in goroutine `g`'s part (and
/// the running goroutine of the search without preemption): a step of `g`
/// no other goroutine can see.
pub(crate) fn silent<Mm: Eq>(before: &State<Mm>, after: &State<Mm>, g: usize) -> bool {
    after.end.is_none()
        && after.gors.len() == before.gors.len()
        && after.output == before.output
        && after.mem == before.mem
        && after.sync == before.sync
        && after.chans == before.chans
        && after.hb == before.hb
        && (0..before.gors.len()).all(|h| {
            h == g || Rc::ptr_eq(&before.gors[h], &after.gors[h]) || before.gors[h] == after.gors[h]
        })
}

impl<M: MemoryModel> Machine<'_, M> {
    /// Does goroutine `g` spin at `s` (see the module doc)? It is not done
    /// and not blocked.
    pub(crate) fn spins(&self, s: &State<M::Mem>, g: usize, strings: &mut Interner) -> bool {
        // the goroutine at each state of its run alone, and whether the
        // step it takes there is more than local computation
        let mut seen: FxHashMap<Rc<Gor>, usize> = FxHashMap::default();
        let mut visible: Vec<bool> = Vec::new();
        let mut list = Vec::new();
        let mut cur = s.clone();
        for n in 0..LOOKAHEAD {
            if let Some(&first) = seen.get(&cur.gors[g]) {
                return visible[first..].iter().any(|&v| v);
            }
            seen.insert(cur.gors[g].clone(), n);
            let Some((_, ins)) = self.instr(&cur, g) else {
                return false;
            };
            visible.push(ins.is_visible());
            list.clear();
            let mut out = Out {
                list: &mut list,
                strings,
                describe: false,
                both_sides: true,
            };
            self.gor_steps(&cur, g, &mut out);
            // blocked, a choice, or a step others can see: not spinning
            match list.as_mut_slice() {
                [one] if silent(&cur, &one.state, g) => {
                    let mut next = std::mem::replace(&mut one.state, cur.clone());
                    next.current = cur.current;
                    cur = next;
                }
                _ => return false,
            }
        }
        false
    }

    /// Does the running goroutine `cur` spin at `s`, `out` holding its
    /// steps? (Only a single silent step can begin a spin.)
    pub(super) fn spins_now(&self, s: &State<M::Mem>, cur: usize, out: &mut Out<M::Mem>) -> bool {
        matches!(out.list.as_slice(), [one] if silent(s, &one.state, cur))
            && self.spins(s, cur, out.strings)
    }

    /// The successors of the search without preemption when the running
    /// goroutine `cur` blocked (`out` is empty) or spins (`out` holds its
    /// steps): the steps of every other goroutine that can go on and does
    /// not spin, each then running; if there is none, what there was
    /// without the rule — `cur`'s steps if it spins, else every
    /// goroutine's (all spinning, all silent).
    pub(super) fn serial_switch(&self, s: &State<M::Mem>, cur: usize, out: &mut Out<M::Mem>) {
        let own = std::mem::take(&mut *out.list);
        let mut spinning = Vec::new();
        for g in 0..s.gors.len() {
            if g == cur && !own.is_empty() {
                continue;
            }
            let from = out.list.len();
            self.gor_steps(s, g, out);
            if out.list.len() > from && self.spins(s, g, out.strings) {
                spinning.extend(out.list.drain(from..).map(|x| (g, x)));
                continue;
            }
            for x in &mut out.list[from..] {
                x.state.current = g as u16;
            }
        }
        if !out.list.is_empty() {
            return;
        }
        if !own.is_empty() {
            *out.list = own;
            for x in out.list.iter_mut() {
                x.state.current = cur as u16;
            }
            return;
        }
        for (g, mut x) in spinning {
            x.state.current = g as u16;
            out.list.push(x);
        }
    }
}
