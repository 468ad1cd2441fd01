//! Breadth-first explicit-state search: every state hashed and stored once
//! (in insertion order, which is BFS order), the transitions kept as a
//! petgraph graph of state indices, and a BFS parent per state so that every
//! witness is a shortest run.

use super::state::{End, EndKind, Interner, State};
use super::step::{Machine, Mode, Succ};
use crate::memory::MemoryModel;
use indexmap::IndexSet;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxBuildHasher;

/// Why a search stopped before exploring everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    MaxStates,
}

/// Limits on a search.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchLimits {
    pub max_states: Option<usize>,
}

/// Edge weights: the successor's position, with this bit set when the step
/// was a stale read.
pub const STALE_BIT: u32 = 1 << 31;

/// The explored state graph.
pub struct Explored<Mm> {
    pub states: IndexSet<State<Mm>, FxBuildHasher>,
    /// Node `i` is state `i`; an edge's weight is the successor's position
    /// in the ordered successor list of its source (so a step can be
    /// described again by regenerating the successors).
    pub graph: DiGraph<(), u32, u32>,
    /// Parent of each state on its best witness (BFS parent until
    /// [`Explored::prefer_fresh_reads`] runs): (predecessor, successor position).
    pub parent: Vec<Option<(u32, u32)>>,
    /// (stale reads, steps) of each state's best witness (empty until computed).
    pub cost: Vec<(u32, u32)>,
    /// States where a run ends, with how, in BFS order.
    pub terminals: Vec<(u32, End)>,
    /// Set when a limit stopped the search.
    pub stopped: Option<Limit>,
    /// Number of states whose successors were generated.
    pub expanded: usize,
    /// The first data race found for each pair of source locations:
    /// (state, successor position, earlier access record, later access record).
    pub races: Vec<(u32, u32, u32, u32)>,
}

/// Called on every expanded state (used for race detection).
pub trait Visitor<Mm> {
    fn visit(&mut self, index: u32, state: &State<Mm>);
}

impl<Mm> Visitor<Mm> for () {
    fn visit(&mut self, _: u32, _: &State<Mm>) {}
}

/// Explore every state reachable from the initial one.
pub fn explore<M: MemoryModel>(
    machine: &Machine<'_, M>,
    mode: Mode,
    limits: SearchLimits,
    strings: &mut Interner,
    visitor: &mut dyn Visitor<M::Mem>,
) -> Explored<M::Mem> {
    let mut ex = Explored {
        states: IndexSet::with_hasher(FxBuildHasher),
        graph: DiGraph::default(),
        parent: Vec::new(),
        cost: Vec::new(),
        terminals: Vec::new(),
        stopped: None,
        expanded: 0,
        races: Vec::new(),
    };
    let mut race_pairs = rustc_hash::FxHashSet::default();
    let init = machine.initial(strings);
    ex.states.insert(init);
    ex.graph.add_node(());
    ex.parent.push(None);
    let mut out: Vec<Succ<M::Mem>> = Vec::new();
    let mut i = 0usize;
    while i < ex.states.len() {
        if let Some(max) = limits.max_states
            && ex.states.len() >= max
            && i < ex.states.len()
        {
            // Every state found is kept, but no more are generated.
            ex.stopped = Some(Limit::MaxStates);
            break;
        }
        let s = &ex.states[i];
        visitor.visit(i as u32, s);
        // After a run ends, only the memory system may still move (flushing
        // store buffers); the run's final state is where nothing moves.
        machine.successors(s, mode, strings, false, &mut out);
        if out.is_empty() {
            let end = s.end.unwrap_or(End {
                kind: EndKind::Deadlock,
                msg: strings.intern("all goroutines are asleep - deadlock!"),
            });
            ex.terminals.push((i as u32, end));
        }
        for (k, succ) in out.iter().enumerate() {
            for &(a, b) in &succ.races {
                let (ra, rb) = (strings.records[a as usize], strings.records[b as usize]);
                let (la, lb) = ((ra.func, ra.pc), (rb.func, rb.pc));
                let key = if la <= lb { (la, lb) } else { (lb, la) };
                if race_pairs.insert(key) {
                    ex.races.push((i as u32, k as u32, a, b));
                }
            }
        }
        for (k, succ) in out.drain(..).enumerate() {
            let (j, new) = ex.states.insert_full(succ.state);
            if new {
                ex.graph.add_node(());
                ex.parent.push(Some((i as u32, k as u32)));
            }
            let w = k as u32 | if succ.stale { STALE_BIT } else { 0 };
            ex.graph.add_edge(NodeIndex::new(i), NodeIndex::new(j), w);
        }
        ex.expanded += 1;
        i += 1;
    }
    ex
}

impl<Mm> Explored<Mm> {
    /// Re-root every witness on a run with the fewest stale reads, then the
    /// fewest steps (Dijkstra over the graph; ties by state index, so the
    /// result is deterministic). A witness of an outcome that sequential
    /// consistency can reach then shows no stale read.
    pub fn prefer_fresh_reads(&mut self) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let n = self.states.len();
        let mut best: Vec<(u32, u32)> = vec![(u32::MAX, u32::MAX); n];
        let mut parent: Vec<Option<(u32, u32)>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        best[0] = (0, 0);
        heap.push(Reverse(((0u32, 0u32), 0u32)));
        while let Some(Reverse((cost, x))) = heap.pop() {
            if cost > best[x as usize] {
                continue;
            }
            let mut edges: Vec<_> = self
                .graph
                .edges(NodeIndex::new(x as usize))
                .map(|e| {
                    use petgraph::visit::EdgeRef;
                    (*e.weight(), e.target().index() as u32)
                })
                .collect();
            edges.sort_unstable();
            for (w, y) in edges {
                let c = (cost.0 + (w & STALE_BIT != 0) as u32, cost.1 + 1);
                if c < best[y as usize] {
                    best[y as usize] = c;
                    parent[y as usize] = Some((x, w & !STALE_BIT));
                    heap.push(Reverse((c, y)));
                }
            }
        }
        self.cost = best;
        // Unreached states (none, in a complete graph) keep their BFS parent.
        for (i, p) in parent.into_iter().enumerate() {
            if p.is_some() {
                self.parent[i] = p;
            }
        }
    }

    /// The BFS path to state `i`: (predecessor, successor position) per step.
    pub fn path(&self, mut i: u32) -> Vec<(u32, u32)> {
        let mut p = Vec::new();
        while let Some((pred, k)) = self.parent[i as usize] {
            p.push((pred, k));
            i = pred;
        }
        p.reverse();
        p
    }

    /// States from which no run can end (only meaningful when complete).
    pub fn never_ending(&self) -> Vec<bool> {
        let n = self.states.len();
        let mut can_end = vec![false; n];
        let mut stack: Vec<u32> = self.terminals.iter().map(|t| t.0).collect();
        for &t in &stack {
            can_end[t as usize] = true;
        }
        while let Some(x) = stack.pop() {
            for p in self
                .graph
                .neighbors_directed(NodeIndex::new(x as usize), petgraph::Direction::Incoming)
            {
                if !can_end[p.index()] {
                    can_end[p.index()] = true;
                    stack.push(p.index() as u32);
                }
            }
        }
        can_end.into_iter().map(|c| !c).collect()
    }
}
