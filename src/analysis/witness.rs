//! Witnesses: paths of the stored state graph replayed on the real
//! goroutines (symmetry reduction stores states renumbered) and turned into
//! the steps a report shows, with preemptions marked.

use super::{Position, WitnessStep};
use crate::memory::MemoryModel;
use crate::search::Explored;
use crate::semantics::{Machine, Mode, Succ};
use crate::state::{Interner, State, gor_name};

/// In a step of a stored path (predecessor, successor position): the
/// position is among all successors, not those the reduced search took.
/// Only the second of two pending accesses (a race) is marked so; the
/// replay has it made by another goroutine than the first.
pub(super) const UNREDUCED: u32 = 1 << 31;

/// Turns paths of the state graph into witnesses by replaying each step.
pub(super) struct Witnesser<'a, 'p, M: MemoryModel> {
    pub(super) machine: &'a Machine<'p, M>,
    pub(super) ex: &'a Explored<M::Mem>,
    /// The mode `ex` was explored in (its paths' successor positions).
    pub(super) mode: Mode,
}

/// One step of a run replayed on the real goroutines: the state before it,
/// the step, and where each goroutine of the stored (canonically numbered)
/// state before it really is.
pub(super) struct Replayed<Mm> {
    pub(super) before: State<Mm>,
    pub(super) step: Succ<Mm>,
    pub(super) to_real: Vec<usize>,
}

/// A run replayed on the real goroutines: its steps, the state it ends in,
/// and where each goroutine of the stored end state really is.
pub(super) struct Run<Mm> {
    pub(super) steps: Vec<Replayed<Mm>>,
    pub(super) end: State<Mm>,
    pub(super) to_real: Vec<usize>,
}

impl<M: MemoryModel> Witnesser<'_, '_, M> {
    /// Where each goroutine of `canonical(s)` really is in `s`.
    fn to_real(&self, s: &State<M::Mem>) -> Vec<usize> {
        let mut probe = s.clone();
        let mut to_real: Vec<usize> = (0..s.gors.len()).collect();
        if let Some(perm) = self.machine.canonicalize(&mut probe) {
            for (real, &c) in perm.iter().enumerate() {
                to_real[c as usize] = real;
            }
        }
        to_real
    }

    /// Replay these steps of the stored graph (predecessor, successor
    /// position) from the initial state, on the real goroutines: symmetry
    /// reduction stores states with their goroutines renumbered, and a
    /// witness must show the goroutines as the program started them.
    pub(super) fn run(&self, steps: &[(u32, u32)], strings: &mut Interner) -> Run<M::Mem> {
        let m = self.machine;
        let mut real = self.ex.states.get(0);
        let mut to_real = self.to_real(&real);
        let mut last = 0usize;
        // the other side of the last step when it was a rendezvous: it may
        // go on as well as `last` (a step of both)
        let mut last_partner = None;
        let mut out = Vec::new();
        let (mut stored, mut succ) = (Vec::new(), Vec::new());
        for &(pred, k) in steps {
            // the successors as the search took them, or all of them
            if k & UNREDUCED != 0 {
                let pred = &self.ex.states.get(pred);
                m.successors_unreduced(pred, Mode::Full, strings, false, &mut stored);
            } else {
                self.ex
                    .successors_taken(m, pred, self.mode, strings, &mut stored);
            }
            // The second access of a race: after the first, its goroutine
            // may equal the other one (both read, both about to write), and
            // taking it again would show one goroutine making both accesses.
            let not_by = (k & UNREDUCED != 0).then_some(last);
            let allowed = |y: &Succ<M::Mem>| not_by != Some(y.gor as usize);
            let k = k & !UNREDUCED;
            let x = &stored[k as usize];
            let (g, internal) = (x.gor, x.internal);
            let nth = stored[..k as usize]
                .iter()
                .filter(|y| y.gor == g && y.internal == internal)
                .count();
            let mut target = x.state.clone();
            // the real run is replayed by the full semantics, which keep no
            // current goroutine (the serial search's only addition)
            target.current = 0;
            m.canonicalize(&mut target);
            m.successors_unreduced(&real, Mode::Full, strings, true, &mut succ);
            let canon = |y: &Succ<M::Mem>| {
                let mut c = y.state.clone();
                m.canonicalize(&mut c);
                c == target
            };
            // The same step of the same real goroutine; but among equal
            // goroutines the one that moved last (no needless preemption),
            // and failing both any step that reaches the same stored state.
            let same = succ
                .iter()
                .enumerate()
                .filter(|(_, y)| y.gor as usize == to_real[g as usize] && y.internal == internal)
                .nth(nth)
                .filter(|&(_, y)| allowed(y))
                .map(|(i, _)| i);
            // twins: the same class, frames and locals as the stored mover
            let twin = |h: usize| {
                let (a, b) = (&real.gors[h], &real.gors[to_real[g as usize]]);
                a.class == b.class && a.frames == b.frames && a.data == b.data
            };
            let pick = succ
                .iter()
                .position(|y| {
                    let h = y.gor as usize;
                    !internal
                        && !y.internal
                        && (h == last || Some(h) == last_partner)
                        && allowed(y)
                        && twin(h)
                        && canon(y)
                })
                .or(same.filter(|&i| canon(&succ[i])))
                .or_else(|| succ.iter().position(|y| allowed(y) && canon(y)))
                .or(same)
                .unwrap_or(usize::MAX);
            if pick >= succ.len() {
                break;
            }
            let step = succ.swap_remove(pick);
            if !step.internal {
                last = step.gor as usize;
                last_partner = crate::semantics::partner(&real, &step.state, last);
            }
            let next = step.state.clone();
            let before = std::mem::replace(&mut real, next);
            out.push(Replayed {
                before,
                step,
                to_real: std::mem::take(&mut to_real),
            });
            to_real = self.to_real(&real);
        }
        Run {
            steps: out,
            end: real,
            to_real,
        }
    }

    pub(super) fn witness(&self, i: u32, strings: &mut Interner) -> Vec<WitnessStep> {
        self.witness_of(&self.ex.path(i), strings)
    }

    /// The witness that takes these steps (predecessor, successor position).
    pub(super) fn witness_of(
        &self,
        steps: &[(u32, u32)],
        strings: &mut Interner,
    ) -> Vec<WitnessStep> {
        let run = self.run(steps, strings);
        self.steps_of(&run, strings)
    }

    /// The witness steps of a replayed run, with preemptions marked.
    pub(super) fn steps_of(&self, run: &Run<M::Mem>, strings: &mut Interner) -> Vec<WitnessStep> {
        steps_of(self.machine, &run.steps, strings)
    }
}

/// The witness steps of these steps of a run on the real goroutines (each
/// with the state before it), with preemptions marked: the witnesses of
/// the reports, and the path `grace explore` has taken.
pub(super) fn steps_of<M: MemoryModel>(
    machine: &Machine<'_, M>,
    steps: &[Replayed<M::Mem>],
    strings: &mut Interner,
) -> Vec<WitnessStep> {
    let mut out = Vec::new();
    let mut succ = Vec::new();
    // Who moved last: both sides after a rendezvous, a step of both, so
    // that either may go on (as in the serial search). Switching away
    // is a preemption only if each of them could have gone on.
    let mut last = (0usize, None);
    // whether the last step did something another goroutine can see:
    // only then may its goroutine begin to spin (spin.rs)
    let mut last_seen = true;
    for r in steps {
        let g = r.step.gor as usize;
        let mut step = witness_step(machine, &r.before, g, r.step.desc.clone());
        if !r.step.internal {
            machine.successors_unreduced(&r.before, Mode::Full, strings, false, &mut succ);
            // a rendezvous is a step of its receiver too
            let can_go = |h: usize| {
                succ.iter().any(|y| {
                    !y.internal
                        && (y.gor as usize == h
                            || crate::semantics::partner(&r.before, &y.state, y.gor as usize)
                                == Some(h))
                })
            };
            let partner = crate::semantics::partner(&r.before, &r.step.state, g);
            let was_last = |h: usize| h == last.0 || Some(h) == last.1;
            let preempted = !was_last(g)
                && !partner.is_some_and(was_last)
                && can_go(last.0)
                && last.1.is_none_or(can_go);
            // A goroutine that begins to spin waits as a blocked one
            // does: a switch away from it then is none (as in the
            // serial search); from one in the middle of its spin, it is.
            let begins_to_spin = |h: usize, strings: &mut Interner| {
                last_seen && machine.spins(&r.before, h, strings)
            };
            step.preemption = preempted
                && !begins_to_spin(last.0, strings)
                && !last.1.is_some_and(|h| begins_to_spin(h, strings));
            last = (g, partner);
            last_seen = !crate::semantics::silent(&r.before, &r.step.state, g);
        }
        out.push(step);
    }
    out
}

/// Goroutine `g`'s step from `s`, which `desc` describes, as a witness
/// shows it (no preemption marked).
pub(super) fn witness_step<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    g: usize,
    desc: String,
) -> WitnessStep {
    let (line, col) = machine.loc(s, g);
    // main runs the `func init`s first, as calls: name them, since the
    // goroutine's column says only "main"
    let prog = machine.prog;
    let in_init = s.gors[g]
        .frames
        .iter()
        .any(|f| prog.funcs[f.func as usize].name == "init");
    WitnessStep {
        goroutine: gor_name(prog, s, g),
        line,
        col,
        step: if in_init {
            format!("init: {desc}")
        } else {
            desc
        },
        preemption: false,
    }
}

/// Where the live goroutines of a state stand.
pub(super) fn positions<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
) -> Vec<Position> {
    (0..s.gors.len())
        .filter(|&g| !s.gors[g].done())
        .map(|g| {
            let (line, col) = machine.loc(s, g);
            Position {
                goroutine: gor_name(machine.prog, s, g),
                line,
                col,
                at: machine.waiting_at(s, g),
            }
        })
        .collect()
}
