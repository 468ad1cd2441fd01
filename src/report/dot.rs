//! The state graph as Graphviz DOT: states as small circles, states where a
//! run ends as boxes with the outcome's values, race outcomes in red.

use crate::explore::search::Explored;
use crate::explore::state::{Interner, gor_name};
use crate::explore::step::{Machine, Mode};
use crate::memory::MemoryModel;
use petgraph::dot::{Config, Dot};
use rustc_hash::FxHashMap;

/// How a terminal state is drawn: its label and whether it is a race outcome.
pub struct TerminalMark {
    pub label: String,
    pub race: bool,
}

/// Render the graph. `marks` maps terminal states to their outcome.
pub fn render<M: MemoryModel>(
    machine: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    marks: &FxHashMap<u32, TerminalMark>,
    strings: &mut Interner,
) -> String {
    // Edge labels: the goroutine that steps and the line of its step.
    let mut labels: Vec<String> = Vec::with_capacity(ex.graph.edge_count());
    let mut succ = Vec::new();
    let mut by_edge = FxHashMap::default();
    for i in 0..ex.states.len() {
        let s = &ex.states[i];
        if s.end.is_some() {
            continue;
        }
        machine.successors(s, Mode::Full, strings, false, &mut succ);
        for (k, x) in succ.iter().enumerate() {
            let g = x.gor as usize;
            let (line, _) = machine.loc(s, g);
            by_edge.insert(
                (i as u32, k as u32),
                format!("{} L{}", gor_name(machine.prog, s, g), line),
            );
        }
    }
    for e in ex.graph.edge_indices() {
        let (a, _) = ex.graph.edge_endpoints(e).unwrap();
        let k = ex.graph[e].k;
        labels.push(by_edge.remove(&(a.index() as u32, k)).unwrap_or_default());
    }
    let edge_attr =
        |_, e: petgraph::graph::EdgeReference<'_, crate::explore::search::Step, u32>| {
            use petgraph::visit::EdgeRef;
            format!("label=\"{}\"", labels[e.id().index()])
        };
    let node_attr =
        |_, (n, _): (petgraph::graph::NodeIndex<u32>, &())| match marks.get(&(n.index() as u32)) {
            Some(m) => {
                let color = if m.race {
                    ", color=red, fontcolor=red, penwidth=2"
                } else {
                    ""
                };
                format!(
                    "shape=box, label=\"{}\"{}",
                    m.label.replace('"', "\\\""),
                    color
                )
            }
            None if n.index() == 0 => "shape=circle, label=\"start\"".to_string(),
            None => "shape=circle, width=0.15, label=\"\"".to_string(),
        };
    let dot = Dot::with_attr_getters(
        &ex.graph,
        &[Config::EdgeNoLabel, Config::NodeNoLabel],
        &edge_attr,
        &node_attr,
    );
    format!("{dot:?}")
}
