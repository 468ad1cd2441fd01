//! The state graph as drawn for `--dot` and `--html`, as plain data the
//! reports render ([`Picture`]): states as nodes, the states where runs end
//! marked with their outcome, race outcomes' witnesses in bold, and runs
//! of states with one way in and one way out collapsed into one edge
//! ("… 5 steps"), so that the graph of a small program fits on a screen.

use super::Check;
use super::outcomes::{Listed, globals_of};
use super::searches::Searched;
use crate::memory::MemoryModel;
use crate::search::Explored;
use crate::semantics::{Machine, Mode};
use crate::state::{Interner, gor_name};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// An edge of the drawn graph, between node positions in
/// [`Picture::nodes`]: its label (who steps, at which line), the steps it
/// stands for, and whether it is on a race outcome's witness.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub steps: u32,
    pub bold: bool,
}

/// The state graph as drawn: node 0 is the start; one-way runs collapsed.
#[derive(Debug, Clone, Default)]
pub struct Picture {
    pub nodes: Vec<Node>,
    /// By source node, then successor order.
    pub edges: Vec<Edge>,
}

/// How a terminal state is drawn: its label and whether it is a race outcome.
struct TerminalMark {
    label: String,
    race: bool,
}

/// The picture of the main graph.
pub(super) fn picture<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    listed: &Listed<M::Mem>,
    strings: &mut Interner,
) -> Picture {
    let (prog, full, outcomes) = (cx.prog, &s.full, &listed.outcomes);
    let mut marks = FxHashMap::default();
    for (i, key) in &listed.keys_of_terminal {
        let o = outcomes.iter().find(|o| {
            o.kind == key.0
                && o.globals == globals_of(prog, &key.1, strings)
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
                TerminalMark {
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
    draw(&s.machine, full, &marks, &witness, strings)
}

/// Draw the graph. `marks` maps terminal states to their outcome;
/// `witness` holds the (state, successor) pairs on the bold witnesses.
fn draw<M: MemoryModel>(
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
        ex.successors_taken(machine, i as u32, Mode::Full, strings, &mut succ);
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
    let mut drawn = Picture::default();
    // the node of each kept state, in state order
    let mut index: FxHashMap<usize, usize> = FxHashMap::default();
    let mut kept_states = Vec::new();
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
        index.insert(i, drawn.nodes.len());
        kept_states.push(i);
        drawn.nodes.push(node);
    }
    for (from, &i) in kept_states.iter().enumerate() {
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
            drawn.edges.push(Edge {
                from,
                to: index[&v],
                label,
                steps,
                bold,
            });
        }
    }
    drawn
}
