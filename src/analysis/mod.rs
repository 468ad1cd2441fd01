//! The analysis of a program's state graphs into the findings of a report
//! ([`CheckResult`]). [`check`] runs the searches (`searches.rs`), then each
//! analysis over what they found, one file each: the outcomes and their
//! classes (`outcomes.rs`), data races (`races.rs`), leaks (`leaks.rs`),
//! never-ending runs (`never_ending.rs`), expects (`expects.rs`), the drawn
//! state graph ([`graph`]) and the step-by-step replay (`replay.rs`). A
//! witness is a path of a graph replayed on the real goroutines
//! (`witness.rs`); `stops.rs` keeps what stopped the check.

mod expects;
pub mod explore;
pub mod graph;
mod leaks;
mod never_ending;
mod outcomes;
mod races;
mod replay;
mod result;
mod searches;
mod stops;
mod witness;

pub use result::*;
pub(crate) use result::{outcome_text, values_text};

use crate::ir::Program;
use crate::memory::MemoryModel;
use crate::search::{Cancel, SearchLimits};
use crate::semantics::Mode;
use crate::state::Interner;
use outcomes::ScBefore;
use searches::ScFirst;
use std::time::Instant;
use stops::Stops;
use witness::Witnesser;

/// Options of one check.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub max_states: Option<usize>,
    /// Do not expand states deeper than this many steps.
    pub max_depth: Option<u32>,
    /// Stop after this many seconds.
    pub timeout: Option<f64>,
    /// Stop when the process holds this many MiB.
    pub max_memory_mib: Option<u64>,
    /// Explore without reductions (no symmetry reduction).
    pub no_reduction: bool,
    /// Fill in [`Stats::detail`].
    pub stats: bool,
    /// Also draw the state graph (for `--dot` and `--html`).
    pub dot: bool,
    /// Also replay one witness step by step (`grace replay`).
    pub replay: Option<ReplayTarget>,
    /// What stops the check: the caller's token (see [`Cancel::interrupt`]),
    /// with a deadline and a memory limit. Those it does not set come from
    /// `timeout` and `max_memory_mib` when the check starts; `None`: a
    /// token of the check's own.
    pub cancel: Option<Cancel>,
    /// Told how the searches go (see [`crate::search::Progress`]).
    pub progress: Option<crate::search::OnProgress>,
    /// Which limits of `cancel` the caller's token set itself, for the
    /// report's wording: filled in when the check merges `timeout` and
    /// `max_memory_mib` into the token (`None` before), and kept by the
    /// checks it runs with the merged token.
    pub token_limits: Option<stops::TokenLimits>,
}

/// What every phase of one check reads: the program, the model, the
/// options, and the limits of its searches (with what stops the check).
struct Check<'a, M: MemoryModel> {
    prog: &'a Program,
    model: &'a M,
    opts: &'a CheckOptions,
    cancel: Cancel,
    limits: SearchLimits,
}

/// Check a lowered program under a memory model.
/// Does the program range over a map (in key order, where Go's is random)?
fn ranges_over_maps(prog: &Program) -> bool {
    prog.funcs
        .iter()
        .any(|f| f.code.contains(&crate::ir::Instr::MapNext))
}

pub fn check<M: MemoryModel>(prog: &Program, model: &M, opts: CheckOptions) -> CheckResult {
    let sc = crate::memory::sc::Sc;
    // A program without data races behaves under tso and go exactly as
    // under sc (DRF-SC): no read can see anything but the latest write. The
    // sc search decides whether there is a race (a program none of whose sc
    // runs has two conflicting accesses pending at once has none), and is
    // needed for the outcome classes anyway; so check under sc first, and
    // search the weak model only for a program with a race.
    let (cancel, token_limits) = stops::cancel_of(&opts);
    let opts = CheckOptions {
        cancel: Some(cancel.clone()),
        token_limits: Some(token_limits),
        ..opts
    };
    // What a complete sc check found, for the classes: no need to search
    // sc again, with or without preemption.
    let mut sc_before: Option<ScBefore> = None;
    if !model.is_sc() && !opts.no_reduction {
        match searches::sc_first(prog, &opts, model.drf_sc()) {
            ScFirst::Done(r) => {
                return CheckResult {
                    memory: model.name(),
                    explored_under: Some(sc.name()),
                    map_range_in_key_order: ranges_over_maps(prog),
                    ..*r
                };
            }
            ScFirst::Then(b) => sc_before = b,
        }
    }
    let t0 = Instant::now();
    let limits = SearchLimits {
        max_states: opts.max_states,
        max_depth: opts.max_depth,
        cancel: cancel.clone(),
        progress: opts.progress.clone(),
        finish_runs: true,
    };
    let cx = Check {
        prog,
        model,
        opts: &opts,
        cancel,
        limits,
    };
    let mut strings = Interner::default();
    let mut stops = Stops::default();
    let sc_before = sc_before.as_ref();
    let s = searches::run(&cx, sc_before, &mut strings, &mut stops);
    let w = Witnesser {
        machine: &s.machine,
        ex: &s.full,
        mode: Mode::Full,
    };
    let listed = outcomes::list(&cx, &s, sc_before, &mut strings, &mut stops);
    let (races, hb) = races::find(&cx, &s, &mut strings, &mut stops);
    let leaks = leaks::find(&cx, &w, &mut strings, &mut stops);
    let never_ending = never_ending::find(&cx, &w, &mut strings, &mut stops);
    let sw = listed.serial_runs.as_ref().map(|ex| Witnesser {
        machine: &s.machine,
        ex,
        mode: Mode::Serial,
    });
    let serial = sw
        .as_ref()
        .map(|sw| (sw, &listed.serial_keys_of_terminal[..]));
    let expects = expects::check(
        &cx,
        &w,
        &listed.keys_of_terminal,
        serial,
        &mut strings,
        &mut stops,
    );
    let picture = opts
        .dot
        .then(|| graph::picture(&cx, &s, &listed, &mut strings));
    let replay = opts
        .replay
        .map(|t| replay::of_target(t, &s, &listed, &races, &hb, &mut strings));
    let finished = s.full.finished.map(|f| FinishedRuns {
        runs: f.runs,
        steps: f.steps,
        states: f.states,
        outcomes: listed
            .outcomes
            .iter()
            .filter(|o| o.past_stop && !o.serial_witness)
            .count(),
        cut: f.cut.is_some(),
    });
    CheckResult {
        map_range_in_key_order: ranges_over_maps(prog),
        memory: model.name(),
        finished,
        explored_under: None,
        complete: !stops.stopped(),
        limit: stops.message(&opts),
        stopped_by: stops.by(),
        stopped_in: stops.phase(),
        stats: searches::stats(
            &cx,
            &s,
            sc_before,
            hb.as_ref().map(|h| h.ex.states.len()),
            t0,
        ),
        outcomes: listed.outcomes,
        races,
        leaks,
        never_ending,
        expects,
        picture,
        replay,
    }
}

#[cfg(test)]
mod tests;
