//! The state graph as Graphviz DOT (`dot -Tsvg`): states as small circles,
//! the states where runs end as boxes with the outcome's values, race
//! outcomes in red, and the witnesses of race outcomes in bold. Runs of
//! states with one way in and one way out are collapsed into one edge
//! ("… 5 steps"), so that the graph of a small program fits on a screen.

use crate::memory::MemoryModel;
use crate::search::Explored;
use crate::semantics::{Machine, Mode};
use crate::state::{Interner, gor_name};
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};

/// How a terminal state is drawn: its label and whether it is a race outcome.
pub struct TerminalMark {
    pub label: String,
    pub race: bool,
}

/// A node of the drawn graph.
#[derive(Debug, Clone)]
pub enum Node {
    Start,
    Plain,
    /// Where runs end: the outcome's label and whether it is a race outcome.
    End {
        label: String,
        race: bool,
    },
}

/// An edge of the drawn graph: label, steps it stands for, on a witness.
#[derive(Debug, Clone)]
pub struct Edge {
    pub label: String,
    pub steps: u32,
    pub bold: bool,
}

/// The state graph as drawn: one-way runs collapsed.
pub type Picture = DiGraph<Node, Edge>;

/// Build the picture. `marks` maps terminal states to their outcome;
/// `witness` holds the (state, successor) pairs on the bold witnesses.
pub fn picture<M: MemoryModel>(
    machine: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    marks: &FxHashMap<u32, TerminalMark>,
    witness: &FxHashSet<(u32, u32)>,
    strings: &mut Interner,
) -> Picture {
    let g = &ex.graph;
    let n = ex.states.len();
    let mut indegree = vec![0usize; n];
    for i in 0..n {
        for e in g.out(i as u32) {
            indegree[e.to() as usize] += 1;
        }
    }
    let indeg = |i: usize| indegree[i];
    let outdeg = |i: usize| g.out(i as u32).len();
    let kept =
        |i: usize| i == 0 || marks.contains_key(&(i as u32)) || indeg(i) != 1 || outdeg(i) != 1;
    // Edge labels: the goroutine that steps and the line of its step.
    let mut succ = Vec::new();
    let mut label_of = |i: usize, k: u32| -> String {
        let s = &ex.states.get(i as u32);
        machine.successors(s, Mode::Full, strings, false, &mut succ);
        match succ.get(k as usize) {
            Some(x) => {
                let gi = x.gor as usize;
                let (line, _) = machine.loc(s, gi);
                let who = gor_name(machine.prog, s, gi);
                if x.internal {
                    format!("{who} flush")
                } else {
                    format!("{who} L{line}")
                }
            }
            None => String::new(),
        }
    };
    let mut drawn: Picture = DiGraph::new();
    let mut index: FxHashMap<usize, NodeIndex> = FxHashMap::default();
    for i in (0..n).filter(|&i| kept(i)) {
        let node = if i == 0 {
            Node::Start
        } else if let Some(m) = marks.get(&(i as u32)) {
            Node::End {
                label: m.label.clone(),
                race: m.race,
            }
        } else {
            Node::Plain
        };
        index.insert(i, drawn.add_node(node));
    }
    for (&i, &from) in index
        .clone()
        .iter()
        .collect::<std::collections::BTreeMap<_, _>>()
    {
        let out: Vec<(u32, usize)> = g
            .out(i as u32)
            .iter()
            .enumerate()
            .map(|(k, e)| (k as u32, e.to() as usize))
            .collect();
        for (k, mut v) in out {
            let label = label_of(i, k);
            let mut steps = 1;
            let mut bold = witness.contains(&(i as u32, k));
            let mut guard = 0;
            while !kept(v) && guard < n {
                let e = g.out(v as u32)[0];
                bold |= witness.contains(&(v as u32, 0));
                steps += 1;
                v = e.to() as usize;
                guard += 1;
            }
            drawn.add_edge(from, index[&v], Edge { label, steps, bold });
        }
    }
    drawn
}

/// The picture as Graphviz DOT.
pub fn to_dot(drawn: &Picture) -> String {
    let edge_attr = |_, e: petgraph::graph::EdgeReference<'_, Edge, u32>| {
        let w = e.weight();
        let label = if w.steps == 1 {
            w.label.clone()
        } else {
            format!("{} … ({} steps)", w.label, w.steps)
        };
        let bold = if w.bold {
            ", penwidth=3, style=bold"
        } else {
            ""
        };
        format!("label=\"{}\", fontsize=9{bold}", label.replace('"', "\\\""))
    };
    let node_attr = |_, (_, node): (NodeIndex<u32>, &Node)| match node {
        Node::Start => "shape=circle, label=\"start\"".to_string(),
        Node::Plain => "shape=circle, width=0.15, label=\"\"".to_string(),
        Node::End { label, race } => {
            let color = if *race {
                ", color=red, fontcolor=red, penwidth=2"
            } else {
                ""
            };
            format!(
                "shape=box, label=\"{}\"{}",
                label.replace('"', "\\\""),
                color
            )
        }
    };
    let dot = Dot::with_attr_getters(
        drawn,
        &[Config::EdgeNoLabel, Config::NodeNoLabel],
        &edge_attr,
        &node_attr,
    );
    format!("{dot:?}")
}
