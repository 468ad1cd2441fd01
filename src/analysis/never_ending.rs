//! Never-ending runs: every run that can never end loops in a bottom
//! strongly connected component of the states from which no run ends
//! ([`crate::search::Explored::never_ending`]); each loop is reported once,
//! by where the goroutines stand.

use super::witness::{Witnesser, positions};
use super::{Check, NeverEnding, Stops};
use crate::ir::FuncId;
use crate::memory::MemoryModel;
use crate::semantics::Machine;
use crate::state::{Interner, State};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// The loops of the main graph (`w`'s) that runs can never leave, one per
/// shape; none when the search was stopped.
pub(super) fn find<M: MemoryModel>(
    cx: &Check<'_, M>,
    w: &Witnesser<'_, '_, M>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> Vec<NeverEnding> {
    let (machine, full) = (w.machine, w.ex);
    // Runs that can never end: every such run ends up looping in a bottom
    // strongly connected component of the stuck states; report each loop
    // once (by where the goroutines stand, see `loop_shape`).
    let mut never_ending = Vec::new();
    let stuck = if full.stopped.is_none() {
        let stuck = full.never_ending(&cx.cancel);
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
        let mut cut = cx.cancel.stopped();
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
                cut = cut.or_else(|| cx.cancel.stopped());
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
                    let shape = loop_shape(machine, &s);
                    (shape, loop_state_key(machine, &s, strings), i)
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
            let run = w.run(&full.path(i), strings);
            // by place, whatever the goroutines' numbers
            let mut goroutines = positions(machine, &run.end);
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
                witness: w.steps_of(&run, strings),
            });
        }
    }

    never_ending
}
