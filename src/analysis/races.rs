//! Data races. The search reports two conflicting accesses pending at
//! once. A program none of whose runs has that has no data race at all
//! (the first race of any sequentially consistent run can be moved to be
//! adjacent), and neither does its weak-memory behaviour. When there is
//! one, pairs of sites ordered only through plain memory (a flag) are
//! found by a second search that tracks happens-before, for the sites of
//! the pairs the first search did not already show racing. A race is one
//! variable (each array element its own) at one pair of sites: two
//! elements of an array racing at the same line are two races.

use super::searches::{Searched, explore_reduced};
use super::witness::{UNREDUCED, Witnesser};
use super::{Check, Race, RaceAccess, Stops};
use crate::ir::FuncId;
use crate::memory::MemoryModel;
use crate::search::{Explored, FoundRace, RaceKey, SearchLimits, race_key};
use crate::semantics::{Machine, Mode};
use crate::state::{Interner, gor_name};
use rustc_hash::FxHashSet;

/// The search that tracks happens-before, and the races the main search
/// showed already (by their places).
pub(super) struct HbSearch<'a, M: MemoryModel> {
    pub(super) machine: Machine<'a, M>,
    pub(super) ex: Explored<M::Mem>,
    shown: FxHashSet<RaceKey>,
}

/// The machine and graph a race was found in: the happens-before
/// search's when `by_hb`, else the main search's.
pub(super) fn graph_of<'s, 'a, M: MemoryModel>(
    hb: &'s Option<HbSearch<'a, M>>,
    s: &'s Searched<'a, M>,
    by_hb: bool,
) -> (&'s Machine<'a, M>, &'s Explored<M::Mem>) {
    match (hb, by_hb) {
        (Some(h), true) => (&h.machine, &h.ex),
        _ => (&s.machine, &s.full),
    }
}

/// The data races, one per variable (each array element its own) and
/// pair of places, sorted by the places, each with its witness; and the
/// happens-before search if there was one.
pub(super) fn find<'a, M: MemoryModel>(
    cx: &Check<'a, M>,
    s: &Searched<'a, M>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> (Vec<Race>, Option<HbSearch<'a, M>>) {
    let exact = s.machine.stubborn_taken.get() > 0;
    let hb = hb_search(cx, s, exact, strings);
    stops.note(
        hb.as_ref().and_then(|x| x.ex.stopped),
        "happens-before search",
    );
    let mut found: Vec<(bool, FoundRace)> = s.full.races.iter().map(|r| (false, *r)).collect();
    if let Some(h) = &hb {
        found.extend(
            h.ex.races
                .iter()
                .filter(|r| !h.shown.contains(&race_key(&r.a, &r.b)))
                .map(|r| (true, *r)),
        );
    }
    let mut races: Vec<Race> = found
        .into_iter()
        .map(|(by_hb, r)| {
            let (m, ex) = graph_of(&hb, s, by_hb);
            race(cx, m, ex, by_hb, r, strings)
        })
        .collect();
    races.sort_by_key(order);
    // the instances of a pool are one variable for reports: the first
    // race found of each pair of places is kept
    races.dedup_by(|y, x| order(x) == order(y));
    (races, hb)
}

/// The order races are reported in: by their places, then variable.
fn order(r: &Race) -> impl Ord + use<> {
    (r.a.line, r.a.col, r.a.op, r.b.line, r.b.col, r.b.op, r.slot)
}

/// The happens-before search, over the sites of the pairs of accesses the
/// main search did not show racing; `None` when there are none, or when
/// the main search shows there is no race at all.
fn hb_search<'a, M: MemoryModel>(
    cx: &Check<'a, M>,
    s: &Searched<'a, M>,
    exact: bool,
    strings: &mut Interner,
) -> Option<HbSearch<'a, M>> {
    // `select` with `default` observes that a channel is empty or full with
    // no happens-before edge, which breaks the argument above (a read can
    // be reachable only after the write it races with): such a program
    // always gets the happens-before search.
    let full = &s.full;
    let observes_without_edge = cx.prog.selects.iter().any(|s| s.default.is_some());
    if full.stopped.is_some() || (full.races.is_empty() && !observes_without_edge) {
        return None;
    }
    let shown: FxHashSet<RaceKey> = full.races.iter().map(|r| race_key(&r.a, &r.b)).collect();
    let mut sites: Vec<_> = full.sites.iter().copied().collect();
    sites.sort_unstable();
    let mut track = FxHashSet::default();
    for (x, a) in sites.iter().enumerate() {
        for b in &sites[x..] {
            let key = if (a.0, a.1) <= (b.0, b.1) {
                (a.2, (a.0, a.1), (b.0, b.1))
            } else {
                (a.2, (b.0, b.1), (a.0, a.1))
            };
            if a.2 == b.2 && cx.prog.conflicts(a.2, a.3, b.3) && !shown.contains(&key) {
                track.insert((a.0 as FuncId, a.1));
                track.insert((b.0 as FuncId, b.1));
            }
        }
    }
    (!track.is_empty()).then(|| {
        let mut m = Machine::new(cx.prog, cx.model, true);
        m.hb_sites = Some(track);
        m.por = !cx.opts.no_reduction;
        // what it adds is races, which runs finished after a stop do not
        // look for; race witnesses keep the fewest preemptions (with exact
        // sets, where the main search took a stubborn set: the same states
        // make the same choices)
        m.exact.set(exact);
        // it meets the main search's configurations: their sets are known
        m.memo = s.machine.memo.take();
        let limits = SearchLimits {
            finish_runs: false,
            ..cx.limits.clone()
        };
        let ex = explore_reduced(&m, Mode::Full, &limits, strings);
        HbSearch {
            machine: m,
            ex,
            shown,
        }
    })
}

/// A race found in `ex` as the report shows it: its accesses named as its
/// witness (replayed) shows them.
fn race<M: MemoryModel>(
    cx: &Check<'_, M>,
    m: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    by_hb: bool,
    r: FoundRace,
    strings: &mut Interner,
) -> Race {
    let prog = cx.prog;
    let mut steps = ex.path(r.state);
    let first = steps.len();
    steps.push((r.state, r.k));
    if let Some((j, h)) = r.then {
        let mut succ = Vec::new();
        m.successors_unreduced(&ex.states.get(j), Mode::Full, strings, false, &mut succ);
        if let Some(k) = succ.iter().position(|x| x.gor == h && !x.internal) {
            // `j` may have been expanded by another goroutine's step alone
            steps.push((j, k as u32 | UNREDUCED));
        }
    }
    let wr = Witnesser {
        machine: m,
        ex,
        mode: Mode::Full,
    };
    let run = wr.run(&steps, strings);
    let witness = wr.steps_of(&run, strings);
    // the first access is the step taken from the stored state `r.state`
    // Named as the replay shows them (the stored state's numbering if
    // the replay fell short: a found race is never dropped). Two pending
    // accesses are the replay's last two steps: named by who took them,
    // since among equal goroutines the replay may take another than the
    // stored numbering says.
    let stored = ex.states.get(r.state);
    let name = |g: u16, nth: usize| match run.steps.get(first + nth) {
        Some(at) if r.then.is_some() => gor_name(prog, &at.before, at.step.gor as usize),
        _ => match run.steps.get(first) {
            Some(at) => gor_name(prog, &at.before, at.to_real[g as usize]),
            None => gor_name(prog, &stored, g as usize),
        },
    };
    let access = |r: crate::state::hb::Record, nth: usize| {
        let (line, col) = prog.access_loc(r.func, r.pc, r.case);
        RaceAccess {
            goroutine: name(r.g, nth),
            line,
            col,
            op: prog.access_op(r.slot, r.write),
        }
    };
    let (mut xa, mut xb) = (access(r.a, 0), access(r.b, 1));
    if (xb.line, xb.col, xb.op) < (xa.line, xa.col, xa.op) {
        std::mem::swap(&mut xa, &mut xb);
    }
    Race {
        steps,
        by_hb,
        slot: prog.race_slot(r.a.slot).0,
        var: prog.race_slot(r.a.slot).1.to_string(),
        a: xa,
        b: xb,
        witness,
    }
}
