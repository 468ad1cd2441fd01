//! The searches one check runs: under a weak model the complete sc check
//! first (DRF-SC), then the runs without preemption under sc, all
//! interleavings under the model with their clearest witnesses, and all
//! interleavings under sc (for the `stale` class); and the statistics of
//! them all.

use super::outcomes::ScBefore;
use super::{Check, CheckOptions, CheckResult, Class, Outcome, Stats, StatsDetail, Stops};
use crate::ir::Program;
use crate::memory::MemoryModel;
use crate::memory::sc::Sc;
use crate::search::{Explored, Limit, SearchLimits, explore};
use crate::semantics::{Machine, Mode};
use crate::state::Interner;
use std::time::Instant;

/// How the check goes on after the sc check of a weak-model check.
pub(super) enum ScFirst {
    /// The sc check's report stands for the weak model.
    Done(Box<CheckResult>),
    /// What a complete sc check found (`None` when it was incomplete).
    Then(Option<ScBefore>),
}

/// Check under sc first (see [`super::check`]); the report when it stands
/// for the weak model as well: the program has no race, or a limit that
/// ends the check stopped it.
pub(super) fn sc_first(prog: &Program, opts: &CheckOptions, drf_sc: bool) -> ScFirst {
    let sc = Sc;
    let r = super::check(
        prog,
        &sc,
        CheckOptions {
            stats: true,
            ..opts.clone()
        },
    );
    let serial_states = r.stats.detail.as_ref().map_or(0, |d| d.serial_states);
    let mut r = r;
    if !opts.stats {
        r.stats.detail = None;
    }
    // DRF-SC: a program without a data race on memory has only sc's runs
    // under the model (a send racing with a close races on a channel,
    // whose operations are synchronised whatever the model).
    let on_memory = r.races.iter().any(|x| prog.chan_of_slot(x.slot).is_none());
    if drf_sc && r.complete && !on_memory {
        return ScFirst::Done(Box::new(r));
    }
    // Stopped by what stops the whole check (time, memory, an
    // interrupt): the weak search would start with none of it left and
    // find nothing. What sc found holds under the weak model too (every
    // sc run is one of its runs; the classes and races do not depend
    // on the model), so report that, as explored under sc only.
    if r.stopped_by.is_some_and(Limit::ends_the_check) {
        return ScFirst::Done(Box::new(r));
    }
    ScFirst::Then(r.complete.then(|| {
        ScBefore {
            outcomes: r.outcomes.iter().map(Outcome::text).collect(),
            serial: r
                .outcomes
                .iter()
                .filter(|o| o.class == Some(Class::Serial))
                .map(Outcome::text)
                .collect(),
            states: r.stats.states,
            serial_states,
        }
    }))
}

/// The state graphs of one check, with the machines that made them.
pub(super) struct Searched<'a, M: MemoryModel> {
    pub(super) machine: Machine<'a, M>,
    /// All interleavings under the model, terminals clearest first.
    pub(super) full: Explored<M::Mem>,
    /// The runs without preemption under sc (none when known before).
    pub(super) serial: Option<Explored<<Sc as MemoryModel>::Mem>>,
    /// All interleavings under sc, for a weak model (none when known before).
    pub(super) sc_full: Option<Explored<<Sc as MemoryModel>::Mem>>,
    pub(super) search_seconds: f64,
}

/// Run the searches of a check, noting in `stops` the first a limit stopped.
pub(super) fn run<'a, M: MemoryModel>(
    cx: &Check<'a, M>,
    sc_before: Option<&ScBefore>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> Searched<'a, M> {
    let (prog, model, opts) = (cx.prog, cx.model, cx.opts);
    let limits = &cx.limits;
    let mut machine = Machine::new(prog, model, false);
    machine.symmetry = !opts.no_reduction;
    machine.por = !opts.no_reduction;
    // The outcomes reachable without preemption, under sc (known already
    // from a complete sc check). First: it is usually small, and a limit
    // the main search runs into would stop it at once after.
    let mut sc_machine = Machine::new(prog, &Sc, false);
    sc_machine.symmetry = !opts.no_reduction;
    sc_machine.por = !opts.no_reduction;
    // With a deadline it gets half the time left: a serial search as big
    // as the whole space (one goroutine looping) must not leave the main
    // search no time at all, and an outcome it could not class is only
    // unclassed.
    let mut serial_limits = limits.clone();
    serial_limits.cancel.deadline = cx.cancel.deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now) / 2
    });
    // Its own deadline passed is no stop of the check: finishing runs
    // then, in a grace period, would take the main search's time.
    serial_limits.finish_runs &= serial_limits.cancel.deadline.is_none();
    let serial = sc_before
        .is_none()
        .then(|| explore(&sc_machine, Mode::Serial, serial_limits, strings));
    let t_search = Instant::now();
    // The smallest stubborn sets may leave no run to an outcome with as
    // few preemptions as the full graph has: where a witness may show a
    // preemption (an outcome the serial search did not reach, a race), the
    // search is made again with the stubborn sets that keep them.
    // (Only stubborn sets lose the fewest preemptions: a search that took
    // none keeps them.) With no serial search to compare with (under a
    // weak model after a complete sc check), or an incomplete one, that
    // is sure as soon as the first search takes a stubborn set: it ends
    // there.
    let sure = serial.as_ref().is_none_or(|x| x.stopped.is_some());
    machine.stop_at_stubborn.set(sure);
    let mut full = explore_reduced(&machine, Mode::Full, limits, strings);
    machine.stop_at_stubborn.set(false);
    // (A first search ended at a stubborn set is not stopped, unless a
    // limit of the semantics was met before: then, as for a whole first
    // search a limit stopped, the search again would meet it too.)
    if machine.proviso() && full.stopped.is_none() && machine.stubborn_taken.get() > 0 {
        let serial_keys: rustc_hash::FxHashSet<_> = serial
            .iter()
            .flat_map(|ex| {
                ex.terminals.iter().map(|&(i, e)| {
                    super::outcomes::outcome_key(prog, &Sc, &ex.states.get(i), e.kind, e.msg)
                })
            })
            .collect();
        let preempted = sure
            || !full.races.is_empty()
            || full.terminals.iter().any(|&(i, e)| {
                let key =
                    super::outcomes::outcome_key(prog, model, &full.states.get(i), e.kind, e.msg);
                !serial_keys.contains(&key)
            });
        if preempted {
            machine.exact.set(true);
            full = explore_reduced(&machine, Mode::Full, limits, strings);
        }
    }
    stops.note(serial.as_ref().and_then(|x| x.stopped), "serial search");
    stops.note(full.stopped, "search");
    let search_seconds = t_search.elapsed().as_secs_f64();
    // A witness search cut short leaves the states it did not reach with
    // their breadth-first witness (a shortest run).
    stops.note(full.clearest_witnesses(&cx.cancel), "witness search");
    // Witnesses: the clearest terminal state of each outcome comes first.
    let mut terminals = std::mem::take(&mut full.terminals);
    terminals.sort_by_key(|&(i, _)| (full.cost(i).unwrap_or((u32::MAX, u32::MAX, u32::MAX)), i));
    full.terminals = terminals;
    // Under a weak model: the outcomes of every interleaving under sc, so
    // that an outcome only the weak model reaches is classed `stale`.
    let sc_full = (!model.is_sc() && sc_before.is_none())
        .then(|| explore_reduced(&sc_machine, Mode::Full, limits, strings));
    stops.note(sc_full.as_ref().and_then(|x| x.stopped), "sc search");
    Searched {
        machine,
        full,
        serial,
        sc_full,
        search_seconds,
    }
}

/// [`explore`], again without taking `Unlock` steps alone if the search saw
/// a goroutine about to unlock a mutex it does not hold: the reduction
/// assumes that never happens, and a program where it can happen reaches
/// such a state in the reduced search too (the goroutine's next step is
/// the same whatever the owners' unlocks taken alone before).
pub(super) fn explore_reduced<M: MemoryModel>(
    machine: &Machine<'_, M>,
    mode: Mode,
    limits: &SearchLimits,
    strings: &mut Interner,
) -> Explored<M::Mem> {
    let ex = explore(machine, mode, limits.clone(), strings);
    if machine.foreign_unlock.get() && machine.unlock_alone.get() {
        machine.unlock_alone.set(false);
        return explore(machine, mode, limits.clone(), strings);
    }
    ex
}

/// The report's statistics: `t0` is when the check (after any sc check
/// before it) began, `hb_states` the size of the happens-before search.
pub(super) fn stats<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    sc_before: Option<&ScBefore>,
    hb_states: Option<usize>,
    t0: Instant,
) -> Stats {
    let (full, search_seconds) = (&s.full, s.search_seconds);
    Stats {
        states: full.searched,
        transitions: full.graph.edge_count(),
        seconds: t0.elapsed().as_secs_f64(),
        detail: cx.opts.stats.then(|| StatsDetail {
            search_seconds,
            states_per_second: full.states.len() as f64 / search_seconds.max(1e-9),
            analysis_seconds: t0.elapsed().as_secs_f64() - search_seconds,
            bytes_per_state: full.heap_bytes() as f64 / full.states.len().max(1) as f64,
            peak_mib: crate::search::peak_bytes().unwrap_or(0) as f64 / (1 << 20) as f64,
            symmetry_renumbered: full.renumbered,
            taken_alone: full.taken_alone,
            serial_states: s
                .serial
                .as_ref()
                .map_or(sc_before.map_or(0, |b| b.serial_states), |x| x.states.len()),
            sc_states: s
                .sc_full
                .as_ref()
                .map(|x| x.states.len())
                .or(sc_before.map(|b| b.states)),
            hb_states,
        }),
    }
}
