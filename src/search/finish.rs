//! Runs finished after a stop ([`finish_runs`]): a breadth-first search cut
//! off by a limit may not have seen a single run to its end. From states it
//! found and did not expand (its frontier), spread over the frontier, runs
//! are followed one schedule each, depth first, to their end; the states
//! they pass are stored (so that their witnesses are paths like any other,
//! see [`Explored::path`]) and the states where they end are terminals of
//! the graph.
//!
//! Everything they reach is reachable: each step is a successor the search
//! itself would have taken (the same semantics, reductions and goroutine
//! renumbering), from a state the search reached. What they cannot tell is
//! what no run reaches, so the report stays incomplete.
//!
//! Deterministic: the frontier states, the order of the runs and each
//! schedule (a fixed pseudo-random choice per run, preferring a successor
//! not stored yet) are functions of the graph the search left, and the
//! budget is counted in steps. Only a time limit or an interrupt, given
//! [`super::limits::GRACE`] more, can cut them short.

use super::limits::{Cancel, Limit};
use super::{Explored, Finished};
use crate::memory::MemoryModel;
use crate::semantics::{Machine, Mode, Succ};
use crate::state::Interner;
use rustc_hash::FxHashSet;

/// Runs finished after a stop, at most; several may start from one state
/// when the frontier is small (each with its own schedule).
pub const FINISH_RUNS: usize = 64;
/// Steps of one finished run, at most (a run that goes on is cut there).
pub const FINISH_RUN_STEPS: usize = 20_000;
/// Steps of all the finished runs together, at most.
pub const FINISH_STEPS: usize = 100_000;

impl Limit {
    /// Does a search this limit stopped finish runs from its frontier?
    /// Not past `--max-depth` (runs longer than it are what the user
    /// excluded), nor in a full store, nor past a limit of the semantics (a
    /// goroutine, channel or map limit: a step it held back could make a
    /// state look like the end of a run).
    pub fn finishes_runs(self) -> bool {
        matches!(
            self,
            Limit::MaxStates | Limit::Timeout | Limit::Interrupted | Limit::MaxMemory
        )
    }
}

/// A small deterministic generator (splitmix64) for the schedules.
struct Schedule(u64);

impl Schedule {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z % below as u64) as usize
    }
}

/// Finish runs from the frontier of a stopped search: the states from
/// `expanded` on were found and not expanded. The states the runs pass
/// are stored (their parents in `ex.finished_parent`), the states where
/// they end are added to `ex.terminals`; `cancel` is asked with
/// [`Cancel::stopped_after_grace`].
pub(super) fn finish_runs<M: MemoryModel>(
    machine: &Machine<'_, M>,
    mode: Mode,
    ex: &mut Explored<M::Mem>,
    expanded: usize,
    cancel: &Cancel,
    strings: &mut Interner,
) {
    let searched = ex.states.len();
    let frontier = searched.saturating_sub(expanded);
    let mut fin = Finished::default();
    // A step the semantics held back (a goroutine, channel or map limit)
    // could make a state look like a run's end: never finish past one.
    if frontier == 0 || super::bfs::machine_limit(machine).is_some() {
        ex.finished = Some(fin);
        return;
    }
    let mut ends: FxHashSet<u32> = ex.terminals.iter().map(|t| t.0).collect();
    let mut out: Vec<Succ<M::Mem>> = Vec::new();
    // this run's states: a successor back into them closes a cycle
    let mut this_run: FxHashSet<u32> = FxHashSet::default();
    // (successor position, its index when stored already, the mover's
    // number after the step)
    let mut choices: Vec<(usize, Option<u32>, u16)> = Vec::new();
    'runs: for r in 0..FINISH_RUNS {
        let mut at = (expanded + r * frontier / FINISH_RUNS) as u32;
        let mut s = ex.states.get(at);
        let mut schedule = Schedule(r as u64);
        // the goroutine that moved last, in the numbering of `s`
        let mut last = u16::MAX;
        this_run.clear();
        this_run.insert(at);
        fin.runs += 1;
        for _ in 0..FINISH_RUN_STEPS {
            if fin.steps >= FINISH_STEPS as u64 {
                break 'runs;
            }
            if fin.steps.is_multiple_of(256) {
                let reserve = ex.states.growth_bytes(256 * 64);
                if let Some(l) = cancel.stopped_after_grace(reserve) {
                    fin.cut = Some(l);
                    break 'runs;
                }
            }
            fin.steps += 1;
            machine.successors(&s, mode, strings, false, &mut out);
            if let Some(l) = super::bfs::machine_limit(machine) {
                // none was met before (see above): this one is the runs'
                machine.forget_limits_hit();
                fin.cut = Some(l);
                break 'runs;
            }
            if out.is_empty() {
                if ends.insert(at) {
                    ex.terminals
                        .push((at, super::bfs::terminal_end(&s, strings)));
                    fin.ends += 1;
                }
                break;
            }
            choices.clear();
            for (k, succ) in out.iter_mut().enumerate() {
                let perm = machine.canonicalize(&mut succ.state);
                let after = perm.map_or(succ.gor, |p| p[succ.gor as usize]);
                let stored = ex.states.find(&succ.state);
                if !stored.is_some_and(|j| this_run.contains(&j)) {
                    choices.push((k, stored, after));
                }
            }
            // Every other run keeps to the goroutine that moved last while
            // it can (few preemptions: the outcomes of runs one goroutine
            // after another); the others switch at random. Among those, a
            // successor no run has been to first, else any that does not
            // close a cycle of this run; none: the run is cut here.
            if r % 2 == 1 && choices.iter().any(|c| out[c.0].gor == last) {
                choices.retain(|c| out[c.0].gor == last);
            }
            let fresh = choices.iter().filter(|c| c.1.is_none()).count();
            let (k, stored, after) = if fresh > 0 {
                let n = schedule.next(fresh);
                *choices.iter().filter(|c| c.1.is_none()).nth(n).unwrap()
            } else if !choices.is_empty() {
                choices[schedule.next(choices.len())]
            } else {
                break;
            };
            if !out[k].internal {
                last = after;
            }
            let next = out.swap_remove(k).state;
            let j = match stored {
                Some(j) => j,
                None => match ex.states.insert(&next) {
                    Some((j, _)) => {
                        ex.finished_parent.push((at, k as u32));
                        fin.states += 1;
                        j
                    }
                    None => break 'runs,
                },
            };
            this_run.insert(j);
            at = j;
            s = next;
        }
    }
    ex.finished = Some(fin);
}
