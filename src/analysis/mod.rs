//! Exploration: the step semantics ([`step`]), the states ([`state`]), the
//! breadth-first search ([`search`]), and the analysis of the state graph
//! into the findings of a report ([`CheckResult`]).

use crate::ir::{FuncId, Place, Program};
use crate::memory::MemoryModel;
use crate::search::{Cancel, Explored, Limit, SearchLimits, explore};
use crate::semantics::{Machine, Mode, Succ};
use crate::state::{EndKind, Interner, State, gor_name};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

mod result;
pub use result::*;
pub(crate) use result::{outcome_text, values_text};
use std::time::Instant;

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
}

/// The first phase of a check that a limit stopped, and the limit.
#[derive(Default)]
struct Stops {
    first: Option<(Limit, &'static str)>,
}

impl Stops {
    fn note(&mut self, stopped: Option<Limit>, phase: &'static str) {
        if self.first.is_none()
            && let Some(l) = stopped
        {
            self.first = Some((l, phase));
        }
    }

    fn stopped(&self) -> bool {
        self.first.is_some()
    }
}

/// What a complete sc check found, as outcome texts (see [`outcome_text`]).
struct ScBefore {
    outcomes: FxHashSet<String>,
    /// Those reached without preemption.
    serial: FxHashSet<String>,
    states: usize,
    serial_states: usize,
}

/// Check a lowered program under a memory model.
pub fn check<M: MemoryModel>(prog: &Program, model: &M, opts: CheckOptions) -> CheckResult {
    let sc = crate::memory::sc::Sc;
    // A program without data races behaves under tso and go exactly as
    // under sc (DRF-SC): no read can see anything but the latest write. The
    // sc search decides whether there is a race (a program none of whose sc
    // runs has two conflicting accesses pending at once has none), and is
    // needed for the outcome classes anyway; so check under sc first, and
    // search the weak model only for a program with a race.
    // `--timeout` is for the whole check, the sc check before it included
    let mut cancel = opts.cancel.clone().unwrap_or_default();
    cancel.deadline = cancel.deadline.or_else(|| {
        opts.timeout
            .map(|t| Instant::now() + std::time::Duration::from_secs_f64(t.clamp(0.0, 1e9)))
    });
    // Without --max-memory, stop before the machine would kill us:
    // at 80 % of what was available when the check started.
    cancel.max_memory = cancel.max_memory.or_else(|| {
        opts.max_memory_mib
            .map(|m| m.saturating_mul(1 << 20))
            .or_else(|| {
                let now = crate::search::resident_bytes().unwrap_or(0);
                crate::search::available_bytes().map(|a| now + a / 5 * 4)
            })
    });
    let opts = CheckOptions {
        cancel: Some(cancel.clone()),
        ..opts
    };
    // What a complete sc check found, for the classes: no need to search
    // sc again, with or without preemption.
    let mut sc_before: Option<ScBefore> = None;
    if model.name() != sc.name() && !opts.no_reduction {
        let r = check(
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
        if r.complete && r.races.is_empty() {
            return CheckResult {
                memory: model.name(),
                explored_under: Some(sc.name()),
                ..r
            };
        }
        // Stopped by what stops the whole check (time, memory, an
        // interrupt): the weak search would start with none of it left and
        // find nothing. What sc found holds under the weak model too (every
        // sc run is one of its runs; the classes and races do not depend
        // on the model), so report that, as explored under sc only.
        if r.stopped_by.is_some_and(Limit::ends_the_check) {
            return CheckResult {
                memory: model.name(),
                explored_under: Some(sc.name()),
                ..r
            };
        }
        if r.complete {
            sc_before = Some(ScBefore {
                outcomes: r.outcomes.iter().map(Outcome::text).collect(),
                serial: r
                    .outcomes
                    .iter()
                    .filter(|o| o.class == Some(Class::Serial))
                    .map(Outcome::text)
                    .collect(),
                states: r.stats.states,
                serial_states,
            });
        }
    }
    let t0 = Instant::now();
    let mut machine = Machine::new(prog, model, false);
    machine.symmetry = !opts.no_reduction;
    machine.por = !opts.no_reduction;
    let mut strings = Interner::default();
    let limits = SearchLimits {
        max_states: opts.max_states,
        max_depth: opts.max_depth,
        cancel: cancel.clone(),
        progress: opts.progress.clone(),
    };
    let mut stops = Stops::default();
    // The outcomes reachable without preemption, under sc (known already
    // from a complete sc check). First: it is usually small, and a limit
    // the main search runs into would stop it at once after.
    let mut sc_machine = Machine::new(prog, &sc, false);
    sc_machine.symmetry = !opts.no_reduction;
    sc_machine.por = !opts.no_reduction;
    // With a deadline it gets half the time left: a serial search as big
    // as the whole space (one goroutine looping) must not leave the main
    // search no time at all, and an outcome it could not class is only
    // unclassed.
    let mut serial_limits = limits.clone();
    serial_limits.cancel.deadline = cancel.deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now) / 2
    });
    let serial = sc_before
        .is_none()
        .then(|| explore(&sc_machine, Mode::Serial, serial_limits, &mut strings));
    let t_search = Instant::now();
    let mut full = explore_reduced(&machine, Mode::Full, &limits, &mut strings);
    let serial_stopped = serial.as_ref().and_then(|x| x.stopped);
    stops.note(serial_stopped, "serial search");
    stops.note(full.stopped, "search");
    let search_seconds = t_search.elapsed().as_secs_f64();
    // A witness search cut short leaves the states it did not reach with
    // their breadth-first witness (a shortest run).
    stops.note(full.clearest_witnesses(&cancel), "witness search");
    // Witnesses: the clearest terminal state of each outcome comes first.
    let mut terminals = std::mem::take(&mut full.terminals);
    terminals.sort_by_key(|&(i, _)| (full.cost(i).unwrap_or((u32::MAX, u32::MAX, u32::MAX)), i));
    full.terminals = terminals;
    let keys = |ex: &Explored<crate::state::Words>| -> FxHashSet<OutcomeKey> {
        ex.terminals
            .iter()
            .map(|&(i, end)| outcome_key(prog, &sc, &ex.states.get(i), end.kind, end.msg))
            .collect()
    };
    let serial_keys = serial.as_ref().map(keys).unwrap_or_default();
    // Under a weak model: the outcomes of every interleaving under sc, so
    // that an outcome only the weak model reaches is classed `stale`.
    let sc_full = (model.name() != sc.name() && sc_before.is_none())
        .then(|| explore_reduced(&sc_machine, Mode::Full, &limits, &mut strings));
    let sc_keys = sc_full.as_ref().map(keys);
    stops.note(sc_full.as_ref().and_then(|x| x.stopped), "sc search");

    let w = Witnesser {
        machine: &machine,
        ex: &full,
        mode: Mode::Full,
    };

    // Outcomes: the first (shortest) terminal state of each.
    let mut serial_runs: Option<Explored<M::Mem>> = None;
    let mut by_key: BTreeMap<(EndKind, Vec<i64>, String, String), Outcome> = BTreeMap::new();
    let mut keys_of_terminal = Vec::new();
    // Once stopped, the outcomes are still listed, without a witness.
    let mut witnesses_cut = None;
    for &(i, end) in &full.terminals {
        let s = &full.states.get(i);
        let key = outcome_key(prog, model, s, end.kind, end.msg);
        keys_of_terminal.push((i, key.clone()));
        let sort_key = (
            end.kind,
            key.1.clone(),
            strings.get(key.3).to_string(),
            strings.get(key.2).to_string(),
        );
        if by_key.contains_key(&sort_key) {
            continue;
        }
        let message = (end.kind != EndKind::Ok).then(|| strings.get(end.msg).to_string());
        let globals = globals_of(prog, &key.1);
        let output = strings.get(s.output).to_string();
        let text = outcome_text(end.kind, &globals, message.as_deref(), &output);
        let serial_run = match &sc_before {
            Some(b) => b.serial.contains(&text),
            None => serial_keys.contains(&key),
        };
        // Whether sc reaches it; `None` when the sc search was stopped
        // before finding it (it could still have).
        let under_sc = match (&sc_before, &sc_keys) {
            (Some(b), _) => Some(b.outcomes.contains(&text)),
            (None, Some(k)) if k.contains(&key) => Some(true),
            (None, Some(_)) => sc_full
                .as_ref()
                .is_some_and(|x| x.stopped.is_none())
                .then_some(false),
            (None, None) => Some(true),
        };
        // An outcome the serial search did not reach is not serial only if
        // that search was complete; one sc did not reach is stale only if
        // the sc search was.
        let class = if serial_run {
            Some(Class::Serial)
        } else if serial_stopped.is_some() {
            None
        } else {
            under_sc.map(|u| if u { Class::Preemptive } else { Class::Stale })
        };
        // asked every 16 witnesses (each is a replay of its run)
        if witnesses_cut.is_none() && by_key.len().is_multiple_of(16) {
            witnesses_cut = cancel.stopped();
        }
        let (mut witness, mut end_state) = if witnesses_cut.is_none() {
            let run = w.run(&full.path(i), &mut strings);
            (Some(w.steps_of(&run, &mut strings)), run.end)
        } else {
            (None, full.states.get(i))
        };
        let mut terminal = i;
        let mut serial_witness = false;
        let preempted = |w: &[WitnessStep]| w.iter().filter(|x| x.preemption).count();
        if class == Some(Class::Serial)
            && let Some(shown) = &witness
            && preempted(shown) > 0
        {
            // Reductions may leave no run without preemption to it in the
            // full graph: take the clearest one the serial search found.
            let ex = serial_runs.get_or_insert_with(|| {
                // if stopped, the witness shown stays the full graph's (the
                // next phase meets the same stop and marks the report)
                let mut ex = explore(&machine, Mode::Serial, limits.clone(), &mut strings);
                let _ = ex.clearest_witnesses(&cancel);
                ex
            });
            let found = ex
                .terminals
                .iter()
                .filter(|&&(j, e)| {
                    outcome_key(prog, model, &ex.states.get(j), e.kind, e.msg) == key
                })
                .min_by_key(|&&(j, _)| (ex.cost(j), j));
            if let Some(&(j, _)) = found {
                let sw = Witnesser {
                    machine: &machine,
                    ex,
                    mode: Mode::Serial,
                };
                let path = ex.path(j);
                let r = sw.run(&path, &mut strings);
                let wt = sw.steps_of(&r, &mut strings);
                // a replay that fell short would show a run that ends elsewhere
                if r.steps.len() == path.len() && preempted(&wt) < preempted(shown) {
                    (end_state, witness, terminal, serial_witness) = (r.end, Some(wt), j, true);
                }
            }
        }
        by_key.insert(
            sort_key,
            Outcome {
                kind: end.kind,
                message,
                globals,
                output,
                class,
                preemptions: witness.iter().flatten().filter(|x| x.preemption).count() as u32,
                witness_cut: witness.is_none(),
                witness: witness.unwrap_or_default(),
                blocked: if end.kind == EndKind::Deadlock {
                    positions(&machine, &end_state)
                } else {
                    Vec::new()
                },
                terminal,
                serial_witness,
            },
        );
    }
    stops.note(witnesses_cut, "witnesses of the outcomes");
    let outcomes: Vec<Outcome> = by_key.into_values().collect();

    // Data races. The search reports two conflicting accesses pending at
    // once. A program none of whose runs has that has no data race at all
    // (the first race of any sequentially consistent run can be moved to be
    // adjacent), and neither does its weak-memory behaviour. When there is
    // one, pairs of sites ordered only through plain memory (a flag) are
    // found by a second search that tracks happens-before, for the sites of
    // the pairs the first search did not already show racing.
    // `select` with `default` observes that a channel is empty or full with
    // no happens-before edge, which breaks the argument above (a read can
    // be reachable only after the write it races with): such a program
    // always gets the happens-before search.
    let observes_without_edge = prog.selects.iter().any(|s| s.default.is_some());
    let hb_search = if full.stopped.is_some() || (full.races.is_empty() && !observes_without_edge) {
        None
    } else {
        let shown: FxHashSet<crate::search::RaceKey> = full
            .races
            .iter()
            .map(|r| crate::search::race_key(&r.a, &r.b))
            .collect();
        let mut sites: Vec<_> = full.sites.iter().copied().collect();
        sites.sort_unstable();
        let mut track = FxHashSet::default();
        for (x, a) in sites.iter().enumerate() {
            for b in &sites[x..] {
                let key = if (a.0, a.1) <= (b.0, b.1) {
                    ((a.0, a.1), (b.0, b.1))
                } else {
                    ((b.0, b.1), (a.0, a.1))
                };
                if a.2 == b.2 && (a.3 || b.3) && !shown.contains(&key) {
                    track.insert((a.0 as FuncId, a.1));
                    track.insert((b.0 as FuncId, b.1));
                }
            }
        }
        (!track.is_empty()).then(|| {
            let mut m = Machine::new(prog, model, true);
            m.hb_sites = Some(track);
            m.por = !opts.no_reduction;
            let ex = explore_reduced(&m, Mode::Full, &limits, &mut strings);
            (m, ex, shown)
        })
    };
    stops.note(
        hb_search.as_ref().and_then(|x| x.1.stopped),
        "happens-before search",
    );
    let mut races = Vec::new();
    let mut found: Vec<(bool, crate::search::FoundRace)> =
        full.races.iter().map(|r| (false, *r)).collect();
    if let Some((_, ex, shown)) = &hb_search {
        found.extend(
            ex.races
                .iter()
                .filter(|r| !shown.contains(&crate::search::race_key(&r.a, &r.b)))
                .map(|r| (true, *r)),
        );
    }
    for (by_hb, r) in found {
        let (m, ex) = match (&hb_search, by_hb) {
            (Some((m, ex, _)), true) => (m, ex),
            _ => (&machine, &full),
        };
        let mut steps = ex.path(r.state);
        let first = steps.len();
        steps.push((r.state, r.k));
        if let Some((j, h)) = r.then {
            let mut succ = Vec::new();
            m.successors_unreduced(
                &ex.states.get(j),
                Mode::Full,
                &mut strings,
                false,
                &mut succ,
            );
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
        let run = wr.run(&steps, &mut strings);
        let witness = wr.steps_of(&run, &mut strings);
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
            let (line, col) = prog.funcs[r.func as usize].locs[r.pc as usize];
            RaceAccess {
                goroutine: name(r.g, nth),
                line,
                col,
                op: if r.write { "write" } else { "read" },
            }
        };
        let (mut xa, mut xb) = (access(r.a, 0), access(r.b, 1));
        if (xb.line, xb.col, xb.op) < (xa.line, xa.col, xa.op) {
            std::mem::swap(&mut xa, &mut xb);
        }
        races.push(Race {
            steps,
            by_hb,
            var: prog.plain_names[r.a.slot as usize].clone(),
            a: xa,
            b: xb,
            witness,
        });
    }
    races.sort_by(|x, y| {
        let key = |r: &Race| {
            (
                r.a.line,
                r.a.col,
                r.a.op,
                r.b.line,
                r.b.col,
                r.b.op,
                r.var.clone(),
            )
        };
        key(x).cmp(&key(y))
    });

    // Leaks: goroutines blocked when main returned.
    let mut leaks: Vec<Leak> = Vec::new();
    let mut leak_seen = FxHashSet::default();
    let mut leaks_cut = None;
    for (n, &(i, end)) in full.terminals.iter().enumerate() {
        if n.is_multiple_of(1024) {
            leaks_cut = cancel.stopped();
            if leaks_cut.is_some() {
                break;
            }
        }
        if end.kind != EndKind::Ok {
            continue;
        }
        let s = &full.states.get(i);
        for g in 1..s.gors.len() {
            if s.gors[g].done() {
                continue;
            }
            let mut probe = s.clone();
            probe.end = None;
            if machine.can_step(&probe, g, &mut strings) {
                continue;
            }
            let fr = *s.gors[g].frames.last().unwrap();
            if !leak_seen.insert((s.gors[g].func, fr.func, fr.pc)) {
                continue;
            }
            let (line, col) = machine.loc(s, g);
            let run = w.run(&full.path(i), &mut strings);
            leaks.push(Leak {
                goroutine: gor_name(prog, &run.end, run.to_real[g]),
                line,
                col,
                waiting: machine.waiting_at(s, g),
                witness: w.steps_of(&run, &mut strings),
            });
        }
    }

    stops.note(leaks_cut, "leak analysis");

    // Leaks by place, whichever run showed them first.
    leaks.sort_by(|a, b| {
        (a.line, a.col, &a.waiting, &a.goroutine).cmp(&(b.line, b.col, &b.waiting, &b.goroutine))
    });

    // Runs that can never end: every such run ends up looping in a bottom
    // strongly connected component of the stuck states; report each loop
    // once (by where the goroutines stand, see `loop_shape`).
    let mut never_ending = Vec::new();
    let stuck = if full.stopped.is_none() {
        let stuck = full.never_ending(&cancel);
        stops.note(stuck.as_ref().err().copied(), "never-ending-run analysis");
        stuck.ok()
    } else {
        None
    };
    if let Some(stuck) = stuck {
        // The stuck part of the graph (usually small) as a petgraph graph,
        // for its strongly connected components.
        let members: Vec<u32> = (0..stuck.len() as u32)
            .filter(|&i| stuck[i as usize])
            .collect();
        let mut sub: petgraph::graph::DiGraph<u32, (), u32> = Default::default();
        let mut node_of: FxHashMap<u32, petgraph::graph::NodeIndex> = FxHashMap::default();
        for &i in &members {
            node_of.insert(i, sub.add_node(i));
        }
        for &i in &members {
            for e in full.graph.out(i) {
                if let Some(&to) = node_of.get(&e.to()) {
                    sub.add_edge(node_of[&i], to, ());
                }
            }
        }
        let mut cut = cancel.stopped();
        let sccs = if cut.is_none() {
            petgraph::algo::tarjan_scc(&sub)
        } else {
            Vec::new()
        };
        let mut loops = Vec::new();
        let mut looked_at = 0usize;
        for scc in sccs {
            // a check every few thousand states decoded
            if looked_at >= 4096 {
                looked_at = 0;
                cut = cut.or_else(|| cancel.stopped());
            }
            if cut.is_some() {
                break;
            }
            let inside: FxHashSet<u32> = scc.iter().map(|&n| sub[n]).collect();
            let bottom = inside
                .iter()
                .all(|&x| full.graph.out(x).iter().all(|e| inside.contains(&e.to())));
            if !bottom {
                continue;
            }
            looked_at += scc.len();
            let first = scc
                .iter()
                .map(|&n| {
                    let i = sub[n];
                    let s = full.states.get(i);
                    let shape = loop_shape(&machine, &s);
                    (shape, loop_state_key(&machine, &s, &strings), i)
                })
                .min()
                .unwrap();
            loops.push(first);
        }
        stops.note(cut, "never-ending-run analysis");
        if cut.is_some() {
            loops.clear();
        }
        // One loop per shape, shown from its first state in (shape, rest
        // of the state) order: the numbering of interchangeable goroutines
        // does not change which loops are listed or where they are shown.
        // (A reduction can: a loop's states where a goroutine stands at a
        // step taken alone are not stored.)
        loops.sort_unstable();
        loops.dedup_by(|a, b| a.0 == b.0);
        for (_, _, i) in loops {
            let run = w.run(&full.path(i), &mut strings);
            // by place, whatever the goroutines' numbers
            let mut goroutines = positions(&machine, &run.end);
            goroutines.sort_by(|a, b| {
                (a.goroutine != "main", a.line, a.col, &a.at, &a.goroutine).cmp(&(
                    b.goroutine != "main",
                    b.line,
                    b.col,
                    &b.at,
                    &b.goroutine,
                ))
            });
            never_ending.push(NeverEnding {
                goroutines,
                witness: w.steps_of(&run, &mut strings),
            });
        }
    }

    // Expects, on the final values of every run that ended. A condition
    // that cannot be evaluated at an outcome the expect looks at (a
    // division by zero, an index out of range) breaks the expect there,
    // whatever its kind: it is no more true than false (LANGUAGE.md §6).
    let mut expects = Vec::new();
    for e in &prog.expects {
        let mut holds_any = None;
        let mut violation = None;
        let mut error = None;
        let mut cut = None;
        for (n, (i, key)) in keys_of_terminal.iter().enumerate() {
            if n.is_multiple_of(4096) {
                cut = cancel.stopped();
                if cut.is_some() {
                    break;
                }
            }
            if e.kind == crate::front::ast::ExpectKind::Forall && key.0 != EndKind::Ok {
                continue;
            }
            let (plain, sync) = finals(prog, model, &full.states.get(*i));
            let v = match e.cond.eval(&plain, &sync) {
                Ok(v) => v != 0,
                Err(crate::ir::EvalError(m)) => {
                    error = Some((*i, m, values_text(&globals_of(prog, &key.1))));
                    break;
                }
            };
            match e.kind {
                crate::front::ast::ExpectKind::Exists => {
                    if v && holds_any.is_none() {
                        holds_any = Some(*i);
                    }
                }
                crate::front::ast::ExpectKind::Never | crate::front::ast::ExpectKind::Forall => {
                    if v == (e.kind == crate::front::ast::ExpectKind::Never) && violation.is_none()
                    {
                        violation = Some(*i);
                    }
                }
            }
        }
        // A verdict that needs every run is known only when the search
        // saw every run (to its end) and all were looked at; one shown by
        // a run stands anyway.
        stops.note(cut, "expect checks");
        let searched_all = full.stopped.is_none() && cut.is_none();
        let (verdict, wi) = match (e.kind, holds_any, violation) {
            _ if error.is_some() => (Verdict::Fails, error.as_ref().map(|x| x.0)),
            (crate::front::ast::ExpectKind::Exists, Some(i), _) => (Verdict::Holds, Some(i)),
            (crate::front::ast::ExpectKind::Exists, None, _) if searched_all => {
                (Verdict::Fails, None)
            }
            (crate::front::ast::ExpectKind::Exists, None, _) => (Verdict::Unknown, None),
            (_, _, Some(i)) => (Verdict::Fails, Some(i)),
            (_, _, None) if searched_all => (Verdict::Holds, None),
            (_, _, None) => (Verdict::Unknown, None),
        };
        let (error, error_at) = error.map(|x| (x.1, x.2)).unzip();
        expects.push(ExpectResult {
            line: e.line,
            text: e.text.clone(),
            verdict,
            // once stopped, the verdict without its witness
            witness: wi
                .filter(|_| cancel.stopped().is_none())
                .map(|i| w.witness(i, &mut strings)),
            error,
            error_at,
        });
    }

    let picture = opts.dot.then(|| {
        let mut marks = FxHashMap::default();
        for (i, key) in &keys_of_terminal {
            let o = outcomes.iter().find(|o| {
                o.kind == key.0
                    && o.globals == globals_of(prog, &key.1)
                    && o.output == strings.get(key.3)
            });
            if let Some(o) = o {
                let mut label = o.kind.name().to_string();
                for (n, v) in &o.globals {
                    label.push_str(&format!("\\n{n}={}", v.show()));
                }
                if !o.output.is_empty() {
                    label.push_str(&format!(
                        "\\n{}",
                        format!("{:?}", o.output).replace('\\', "\\\\")
                    ));
                }
                marks.insert(
                    *i,
                    crate::report::dot::TerminalMark {
                        label,
                        race: o.is_race(),
                    },
                );
            }
        }
        let mut witness = FxHashSet::default();
        for o in outcomes.iter().filter(|o| o.is_race()) {
            witness.extend(full.path(o.terminal));
        }
        crate::report::dot::picture(&machine, &full, &marks, &witness, &mut strings)
    });
    let replay = opts.replay.map(|t| {
        let (by_hb, steps, title) = match t {
            ReplayTarget::Outcome(n) => {
                let o = outcomes.get(n.wrapping_sub(1)).ok_or_else(|| {
                    format!(
                        "there is no outcome #{n} (the report has {})",
                        outcomes.len()
                    )
                })?;
                let title = format!(
                    "outcome #{n} ({}, {}): {}",
                    o.kind.name(),
                    o.class_name(),
                    o.values()
                );
                let mode = if o.serial_witness {
                    Mode::Serial
                } else {
                    Mode::Full
                };
                let ex = match &serial_runs {
                    Some(ex) if o.serial_witness => ex,
                    _ => &full,
                };
                return Ok(replay_text(
                    &machine,
                    ex,
                    ex.path(o.terminal),
                    mode,
                    &title,
                    &mut strings,
                ));
            }
            ReplayTarget::Race(n) => {
                let r = races.get(n.wrapping_sub(1)).ok_or_else(|| {
                    format!(
                        "there is no data race #{n} (the report has {})",
                        races.len()
                    )
                })?;
                let title = format!(
                    "data race #{n} on {}: {} at {}:{} and {} at {}:{}",
                    r.var, r.a.op, r.a.line, r.a.col, r.b.op, r.b.line, r.b.col
                );
                (r.by_hb, r.steps.clone(), title)
            }
        };
        let (m, ex) = match (&hb_search, by_hb) {
            (Some((m, ex, _)), true) => (m, ex),
            _ => (&machine, &full),
        };
        Ok(replay_text(m, ex, steps, Mode::Full, &title, &mut strings))
    });
    CheckResult {
        memory: model.name(),
        explored_under: None,
        complete: !stops.stopped(),
        limit: stops.first.map(|(l, phase)| {
            if l.ends_the_check() {
                format!("{} in the {phase}", limit_message(l, &opts))
            } else {
                limit_message(l, &opts)
            }
        }),
        stopped_by: stops.first.map(|x| x.0),
        stopped_in: stops.first.map(|x| x.1),
        stats: Stats {
            states: full.states.len(),
            transitions: full.graph.edge_count(),
            seconds: t0.elapsed().as_secs_f64(),
            detail: opts.stats.then(|| StatsDetail {
                search_seconds,
                states_per_second: full.states.len() as f64 / search_seconds.max(1e-9),
                analysis_seconds: t0.elapsed().as_secs_f64() - search_seconds,
                bytes_per_state: full.heap_bytes() as f64 / full.states.len().max(1) as f64,
                peak_mib: crate::search::peak_bytes().unwrap_or(0) as f64 / (1 << 20) as f64,
                symmetry_renumbered: full.renumbered,
                taken_alone: full.taken_alone,
                serial_states: serial
                    .as_ref()
                    .map_or(sc_before.as_ref().map_or(0, |b| b.serial_states), |x| {
                        x.states.len()
                    }),
                sc_states: sc_full
                    .as_ref()
                    .map(|x| x.states.len())
                    .or(sc_before.as_ref().map(|b| b.states)),
                hb_states: hb_search.as_ref().map(|x| x.1.states.len()),
            }),
        },
        outcomes,
        races,
        leaks,
        never_ending,
        expects,
        picture,
        replay,
    }
}

/// Step through the witness that ends at state `end` (then takes successor
/// `extra`, for a race), printing after each step where every goroutine
/// stands, the shared memory as the model sees it, and the sync objects.
fn replay_text<M: MemoryModel>(
    machine: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    steps: Vec<(u32, u32)>,
    mode: Mode,
    title: &str,
    strings: &mut Interner,
) -> String {
    use std::fmt::Write as _;
    let prog = machine.prog;
    let mut out = format!("replay of {title}, under {}\n", machine.model.name());
    let run = Witnesser { machine, ex, mode }.run(&steps, strings);
    let _ = writeln!(out, "\nstart");
    render_state(machine, &ex.states.get(0), strings, &mut out);
    for (n, r) in run.steps.iter().enumerate() {
        let (s, x) = (&r.before, &r.step);
        let (l, c) = machine.loc(s, x.gor as usize);
        let _ = writeln!(
            out,
            "\nstep {}: {} at {l}:{c}: {}",
            n + 1,
            gor_name(prog, s, x.gor as usize),
            x.desc
        );
        render_state(machine, &x.state, strings, &mut out);
    }
    let state = run.end;
    if let Some(e) = state.end {
        let _ = writeln!(
            out,
            "\nthe run ends: {}{}",
            e.kind.name(),
            if e.msg == 0 {
                String::new()
            } else {
                format!(" ({})", crate::report::text::escape(strings.get(e.msg)))
            }
        );
    }
    out
}

fn render_state<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    strings: &Interner,
    out: &mut String,
) {
    use std::fmt::Write as _;
    let prog = machine.prog;
    for g in 0..s.gors.len() {
        let name = gor_name(prog, s, g);
        if s.gors[g].done() {
            let _ = writeln!(out, "      {name}: done");
        } else {
            let (l, c) = machine.loc(s, g);
            let _ = writeln!(
                out,
                "      {name}: at {l}:{c}, next: {}",
                machine.waiting_at(s, g)
            );
        }
    }
    let var = |slot: u32, v: i64| {
        format!(
            "{}={}",
            prog.plain_names[slot as usize],
            prog.plain_tys[slot as usize].show(v)
        )
    };
    let gname = |g: usize| {
        if s.gors.get(g).is_some_and(|x| !x.done()) {
            gor_name(prog, s, g)
        } else {
            String::new()
        }
    };
    for line in machine.model.show(&s.mem, &var, &gname) {
        let _ = writeln!(out, "      {line}");
    }
    let mut sync = Vec::new();
    for (o, kind) in prog.sync_kinds.iter().enumerate() {
        let v = s.sync[o];
        let name = &prog.sync_names[o];
        match kind {
            crate::ir::SyncKind::Mutex if v != 0 => sync.push(format!("{name} locked")),
            crate::ir::SyncKind::RWMutex if v == -1 => sync.push(format!("{name} write-locked")),
            crate::ir::SyncKind::RWMutex if v != 0 => {
                sync.push(format!("{name} read-locked by {}", v & 0xFFFF_FFFF))
            }
            crate::ir::SyncKind::WaitGroup if v != 0 => sync.push(format!("{name} counter {v}")),
            crate::ir::SyncKind::AtomicInt => sync.push(format!("{name}={v}")),
            crate::ir::SyncKind::AtomicBool => sync.push(format!("{name}={}", v != 0)),
            _ => {}
        }
    }
    for (c, ch) in s.chans.iter().enumerate() {
        if !ch.buf.is_empty() || ch.closed {
            let info = &prog.chans[c];
            let vals: Vec<String> = ch.buf.iter().map(|v| info.elem.show(*v)).collect();
            sync.push(format!(
                "{} [{}]{}",
                info.name,
                vals.join(" "),
                if ch.closed { " closed" } else { "" }
            ));
        }
    }
    if !sync.is_empty() {
        let _ = writeln!(out, "      sync: {}", sync.join(", "));
    }
    if s.output != 0 {
        let _ = writeln!(out, "      output: {:?}", strings.get(s.output));
    }
}

/// What the report says about a limit that stopped the search.
fn limit_message(l: Limit, opts: &CheckOptions) -> String {
    match l {
        Limit::MaxStates => format!("--max-states {} reached", opts.max_states.unwrap_or(0)),
        Limit::MaxDepth => format!(
            "--max-depth {} reached: runs longer than that were not explored",
            opts.max_depth.unwrap_or(0)
        ),
        Limit::Timeout => format!("--timeout {} s reached", opts.timeout.unwrap_or(0.0)),
        Limit::MaxMemory => match opts.max_memory_mib {
            Some(m) => format!("--max-memory {m} MiB reached"),
            None => {
                "memory limit reached (80% of the memory available at the start; set --max-memory)"
                    .into()
            }
        },
        Limit::StoreFull => {
            "the state store is full (4 GiB of encoded states or 4 G transitions)".to_string()
        }
        Limit::Interrupted => "interrupted".to_string(),
        Limit::Goroutines { line, col } => format!(
            "goroutine limit ({}) reached by the go statement at {line}:{col}: the program starts goroutines without bound",
            crate::semantics::MAX_GOROUTINES
        ),
    }
}

fn positions<M: MemoryModel>(machine: &Machine<'_, M>, s: &State<M::Mem>) -> Vec<Position> {
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

/// Where the live goroutines of a state stand, whatever their numbers:
/// (not main, function, line, column, what it is at), sorted.
fn loop_shape<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
) -> Vec<(bool, crate::ir::FuncId, u32, u32, String)> {
    let mut shape: Vec<_> = (0..s.gors.len())
        .filter(|&g| !s.gors[g].done())
        .map(|g| {
            let (line, col) = machine.loc(s, g);
            (g != 0, s.gors[g].func, line, col, machine.waiting_at(s, g))
        })
        .collect();
    shape.sort();
    shape
}

/// The rest of a state, whatever the goroutines' numbers: sync objects,
/// channels, final values, output, and the goroutines' frames and locals
/// in sorted order (to choose among a loop's states of one shape).
#[allow(clippy::type_complexity)]
fn loop_state_key<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    strings: &Interner,
) -> (
    Vec<i64>,
    Vec<(bool, Vec<i64>)>,
    Vec<i64>,
    String,
    Vec<(FuncId, Vec<crate::state::Frame>, Vec<i64>)>,
) {
    let mut gors: Vec<_> = s
        .gors
        .iter()
        .map(|g| (g.func, g.frames.to_vec(), g.data.to_vec()))
        .collect();
    gors.sort();
    (
        s.sync.to_vec(),
        s.chans.iter().map(|c| (c.closed, c.buf.clone())).collect(),
        machine.model.finals(&s.mem),
        strings.get(s.output).to_string(),
        gors,
    )
}

/// (kind, listed globals, message, output)
type OutcomeKey = (EndKind, Vec<i64>, u32, u32);

fn finals<M: MemoryModel>(prog: &Program, model: &M, s: &State<M::Mem>) -> (Vec<i64>, Vec<i64>) {
    let _ = prog;
    (model.finals(&s.mem), s.sync.to_vec())
}

/// In a step of a stored path (predecessor, successor position): the
/// position is among all successors, not those the reduced search took.
/// Only the second of two pending accesses (a race) is marked so; the
/// replay has it made by another goroutine than the first.
const UNREDUCED: u32 = 1 << 31;

/// [`explore`], again without taking `Unlock` steps alone if the search saw
/// a goroutine about to unlock a mutex it does not hold: the reduction
/// assumes that never happens, and a program where it can happen reaches
/// such a state in the reduced search too (the goroutine's next step is
/// the same whatever the owners' unlocks taken alone before).
fn explore_reduced<M: MemoryModel>(
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

fn outcome_key<M: MemoryModel>(
    prog: &Program,
    model: &M,
    s: &State<M::Mem>,
    kind: EndKind,
    msg: u32,
) -> OutcomeKey {
    let (plain, sync) = finals(prog, model, s);
    let mut vals = Vec::new();
    for g in &prog.globals {
        let src = match g.place {
            Place::Plain => &plain,
            Place::Atomic => &sync,
        };
        let n = g.len.unwrap_or(1);
        vals.extend_from_slice(&src[g.base as usize..(g.base + n) as usize]);
    }
    (kind, vals, msg, s.output)
}

fn globals_of(prog: &Program, vals: &[i64]) -> Vec<(String, GValue)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for g in &prog.globals {
        match g.len {
            None => {
                out.push((g.name.clone(), GValue::Scalar(g.ty, vals[pos])));
                pos += 1;
            }
            Some(n) => {
                out.push((
                    g.name.clone(),
                    GValue::Array(g.ty, vals[pos..pos + n as usize].to_vec()),
                ));
                pos += n as usize;
            }
        }
    }
    out
}

/// Turns paths of the state graph into witnesses by replaying each step.
struct Witnesser<'a, 'p, M: MemoryModel> {
    machine: &'a Machine<'p, M>,
    ex: &'a Explored<M::Mem>,
    /// The mode `ex` was explored in (its paths' successor positions).
    mode: Mode,
}

/// One step of a run replayed on the real goroutines: the state before it,
/// the step, and where each goroutine of the stored (canonically numbered)
/// state before it really is.
struct Replayed<Mm> {
    before: State<Mm>,
    step: Succ<Mm>,
    to_real: Vec<usize>,
}

/// A run replayed on the real goroutines: its steps, the state it ends in,
/// and where each goroutine of the stored end state really is.
struct Run<Mm> {
    steps: Vec<Replayed<Mm>>,
    end: State<Mm>,
    to_real: Vec<usize>,
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
    fn run(&self, steps: &[(u32, u32)], strings: &mut Interner) -> Run<M::Mem> {
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
            let pred = &self.ex.states.get(pred);
            if k & UNREDUCED != 0 {
                m.successors_unreduced(pred, Mode::Full, strings, false, &mut stored);
            } else {
                m.successors(pred, self.mode, strings, false, &mut stored);
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

    fn witness(&self, i: u32, strings: &mut Interner) -> Vec<WitnessStep> {
        self.witness_of(&self.ex.path(i), strings)
    }

    /// The witness that takes these steps (predecessor, successor position).
    fn witness_of(&self, steps: &[(u32, u32)], strings: &mut Interner) -> Vec<WitnessStep> {
        let run = self.run(steps, strings);
        self.steps_of(&run, strings)
    }

    /// The witness steps of a replayed run, with preemptions marked.
    fn steps_of(&self, run: &Run<M::Mem>, strings: &mut Interner) -> Vec<WitnessStep> {
        let mut out = Vec::new();
        let mut succ = Vec::new();
        // Who moved last: both sides after a rendezvous, a step of both, so
        // that either may go on (as in the serial search). Switching away
        // is a preemption only if each of them could have gone on.
        let mut last = (0usize, None);
        for r in &run.steps {
            let g = r.step.gor as usize;
            let mut step = self.step(&r.before, g, r.step.desc.clone());
            if !r.step.internal {
                self.machine
                    .successors_unreduced(&r.before, Mode::Full, strings, false, &mut succ);
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
                step.preemption = !was_last(g)
                    && !partner.is_some_and(was_last)
                    && can_go(last.0)
                    && last.1.is_none_or(can_go);
                last = (g, partner);
            }
            out.push(step);
        }
        out
    }

    fn step(&self, s: &State<M::Mem>, g: usize, desc: String) -> WitnessStep {
        let (line, col) = self.machine.loc(s, g);
        WitnessStep {
            goroutine: gor_name(self.machine.prog, s, g),
            line,
            col,
            step: desc,
            preemption: false,
        }
    }
}

#[cfg(test)]
mod tests;
