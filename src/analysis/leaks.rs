//! Leaks: goroutines still blocked when main returned, each reported once
//! by where it waits, with the clearest run that shows it.

use super::witness::Witnesser;
use super::{Check, Leak, Stops};
use crate::memory::MemoryModel;
use crate::state::{EndKind, Interner, gor_name};
use rustc_hash::FxHashSet;

/// The leaks of the main graph (`w`'s), by place.
pub(super) fn find<M: MemoryModel>(
    cx: &Check<'_, M>,
    w: &Witnesser<'_, '_, M>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> Vec<Leak> {
    let (machine, full) = (w.machine, w.ex);
    let mut leaks: Vec<Leak> = Vec::new();
    let mut leak_seen = FxHashSet::default();
    let mut leaks_cut = None;
    for (n, &(i, end)) in full.terminals.iter().enumerate() {
        if n.is_multiple_of(1024) {
            leaks_cut = cx.cancel.stopped();
            if leaks_cut.is_some() {
                break;
            }
        }
        if end.kind != EndKind::Ok {
            continue;
        }
        let s = &full.states.get(i);
        for g in 1..s.gors.len() {
            // a goroutine declared to outlive main is no leak
            if s.gors[g].done() || cx.prog.daemons.contains(&s.gors[g].func) {
                continue;
            }
            let mut probe = s.clone();
            probe.end = None;
            if machine.can_step(&probe, g, strings) {
                continue;
            }
            let fr = *s.gors[g].frames.last().unwrap();
            if !leak_seen.insert((s.gors[g].func, fr.func, fr.pc)) {
                continue;
            }
            let (line, col) = machine.loc(s, g);
            let run = w.run(&full.path(i), strings);
            leaks.push(Leak {
                goroutine: gor_name(cx.prog, &run.end, run.to_real[g]),
                line,
                col,
                waiting: machine.waiting_at(s, g),
                witness: w.steps_of(&run, strings),
            });
        }
    }

    stops.note(leaks_cut, "leak analysis");
    // Leaks by place, whichever run showed them first.
    leaks.sort_by(|a, b| {
        (a.line, a.col, &a.waiting, &a.goroutine).cmp(&(b.line, b.col, &b.waiting, &b.goroutine))
    });

    leaks
}
