//! The clearest witness of every state: a Dijkstra search over the
//! explored graph by cost (stale reads, preemptions, steps), its bucket
//! queue, and the paths it leaves ([`Explored::path`], [`Explored::cost`]).

use super::Explored;
use super::graph::Step;
use super::limits::{Cancel, Limit, Stopper};
use rustc_hash::FxHashMap;

/// The cost of a witness: stale reads, then preemptions, then steps.
pub type Cost = (u32, u32, u32);

/// A node of the witness search: (state, goroutine that moved last).
type WNode = (u32, u16);

/// The best witness per state: its cost and the goroutine that moved last,
/// and parents in the (state, last goroutine) graph.
pub(super) struct Best {
    last: Vec<Option<(Cost, u16)>>,
    parent: Parents,
}

/// How the witness search remembers its choices.
pub(super) enum Parents {
    /// Per (state, last): cost, parent (state `u32::MAX` for the root),
    /// successor position.
    Exact(FxHashMap<WNode, (Cost, WNode, u32)>),
    /// Per state: parent and successor position (`u32::MAX` for the root).
    PerState(Vec<(u32, u32)>),
}

/// Up to this many states the witness search is exact over (state, last
/// goroutine); beyond, it keeps one label per state (the goroutine that
/// moved last on its best path so far), which is several times cheaper and
/// may show a preemption more than needed.
pub const EXACT_WITNESS_STATES: usize = 200_000;

/// About the most memory the witness search takes for a graph of `states`
/// states and `edges` transitions: its tables, and its queue (at most a
/// push per transition).
pub fn witness_bytes(states: usize, edges: usize) -> u64 {
    use std::mem::size_of;
    let best = size_of::<Option<(Cost, u16)>>();
    let per_state = if states > EXACT_WITNESS_STATES {
        // best, parent, done
        best + size_of::<(u32, u32)>() + 1
    } else {
        best
    };
    let per_edge = if states > EXACT_WITNESS_STATES {
        size_of::<(u32, u32)>()
    } else {
        // a map entry (a slot and a control byte, 7/8 full) and a push
        (size_of::<(WNode, (Cost, WNode, u32))>() + 1) * 8 / 7 + size_of::<(u32, WNode)>()
    };
    (states * per_state + edges * per_edge) as u64
}

/// What a witness search does with a node taken from the queue at a cost:
/// push (cost, node) for the nodes it improves.
pub(super) type Visit<'a, N> = dyn FnMut(N, Cost, &mut Vec<(Cost, N)>) + 'a;

/// A witness search's queue: [`cost_order`] (a test checks it against a heap).
pub(super) trait QueueOrder<N>: Fn(N, &mut Visit<'_, N>) {}
impl<N, F: Fn(N, &mut Visit<'_, N>)> QueueOrder<N> for F {}

/// Dijkstra's order for witness costs: calls `visit(node, cost, push)` for
/// every node pushed, in increasing (cost, node) order, starting from
/// `start` at cost zero; `visit` pushes (cost, node) for the nodes it
/// improves. Every transition adds exactly one step and adds to the stale
/// reads and preemptions or not, so the queue need not be a heap: nodes
/// wait in buckets by (stale reads, preemptions), and within the current
/// bucket in levels by steps, each level taken in node order. That is a
/// heap's order without its scattered memory accesses (the heap was most of
/// the analysis time).
pub(super) fn cost_order<N: Ord + Copy>(start: N, visit: &mut Visit<'_, N>) {
    // (stale reads, preemptions) -> (steps, node) waiting there
    let mut buckets: std::collections::BTreeMap<(u32, u32), Vec<(u32, N)>> =
        std::collections::BTreeMap::new();
    buckets.insert((0, 0), vec![(0, start)]);
    let mut pushed: Vec<(Cost, N)> = Vec::new();
    while let Some(((stale, preempt), mut seeds)) = buckets.pop_first() {
        seeds.sort_unstable();
        let mut next = 0;
        // Nodes this bucket's current level pushed, one step further.
        let mut same: Vec<N> = Vec::new();
        let mut same_level = 0;
        loop {
            let level = match (seeds.get(next), same.is_empty()) {
                (None, true) => break,
                (Some(&(l, _)), true) => l,
                (None, false) => same_level,
                (Some(&(l, _)), false) => l.min(same_level),
            };
            let mut xs = if !same.is_empty() && same_level == level {
                std::mem::take(&mut same)
            } else {
                Vec::new()
            };
            while let Some(&(l, x)) = seeds.get(next)
                && l == level
            {
                xs.push(x);
                next += 1;
            }
            xs.sort_unstable();
            xs.dedup();
            for x in xs {
                visit(x, (stale, preempt, level), &mut pushed);
                for (c, y) in pushed.drain(..) {
                    debug_assert!(c.2 == level + 1 && (c.0, c.1) >= (stale, preempt));
                    if (c.0, c.1) == (stale, preempt) {
                        same.push(y);
                        same_level = c.2;
                    } else {
                        buckets.entry((c.0, c.1)).or_default().push((c.2, y));
                    }
                }
            }
        }
    }
}
impl<Mm> Explored<Mm> {
    /// Choose for every state its clearest witness: the fewest stale reads,
    /// then the fewest preemptions (a switch away from a goroutine that could
    /// have gone on, as CHESS counts them), then the fewest steps; ties go to
    /// the smaller state index, so the choice is deterministic. A witness of
    /// an outcome that sequential consistency reaches then shows no stale
    /// read, and one of a `serial` outcome no preemption.
    ///
    /// Dijkstra over (state, goroutine that moved last); for graphs above
    /// [`EXACT_WITNESS_STATES`], over states with one such label each.
    ///
    /// Stopped by `cancel` (what stopped it is returned), the states it did
    /// not reach keep their breadth-first witness (see [`Explored::path`]).
    pub fn clearest_witnesses(&mut self, cancel: &Cancel) -> Option<Limit> {
        // not begun when its tables would not fit
        let need = witness_bytes(self.states.len(), self.graph.edge_count());
        if let Some(l) = cancel.stopped_reserving(need) {
            return Some(l);
        }
        if self.states.len() > EXACT_WITNESS_STATES {
            self.clearest_witnesses_per_state(cost_order, cancel)
        } else {
            self.clearest_witnesses_exact(cost_order, cancel)
        }
    }

    /// The exact witness search, over (state, goroutine that moved last),
    /// with the queue `order` (see [`cost_order`]).
    pub(super) fn clearest_witnesses_exact(
        &mut self,
        order: impl QueueOrder<WNode>,
        cancel: &Cancel,
    ) -> Option<Limit> {
        type Node = WNode;
        let n = self.states.len();
        // One map per (state, last): its cost, and the parent and the
        // successor position that reach it at that cost.
        let mut dist: FxHashMap<Node, (Cost, Node, u32)> = FxHashMap::default();
        dist.reserve(n);
        let mut best_last: Vec<Option<(Cost, u16)>> = vec![None; n];
        dist.insert((0, 0), ((0, 0, 0), (u32::MAX, 0), 0));
        let mut edges: Vec<(Step, u32, Cost)> = Vec::new();
        let mut stop = Stopper::new(cancel);
        order((0u32, 0u16), &mut |node, cost, push| {
            // once stopped, what is queued drains without being looked at
            if stop.now() || dist.get(&node).is_some_and(|d| d.0 < cost) {
                return;
            }
            let (x, last) = node;
            match best_last[x as usize] {
                Some((c, _)) if c <= cost => {}
                _ => best_last[x as usize] = Some((cost, last)),
            }
            self.costs_out(x, last, cost, &mut edges);
            for &(st, y, c) in &edges {
                let next = (y, if st.internal { last } else { st.after });
                // one lookup: improve the entry in place, or make it
                let improved = match dist.entry(next) {
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        let better = c < o.get().0;
                        if better {
                            *o.get_mut() = (c, node, st.k);
                        }
                        better
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert((c, node, st.k));
                        true
                    }
                };
                if improved {
                    push.push((c, next));
                }
            }
        });
        self.best = Some(Best {
            last: best_last,
            parent: Parents::Exact(dist),
        });
        stop.stopped
    }

    /// The transitions out of state `x`, each with the cost of the witness
    /// that reaches `x` at `cost` (having last moved goroutine `last`) and
    /// then takes it: a preemption when it switches away from `last` while
    /// `last` could go on (flushes are neutral).
    fn costs_out(&self, x: u32, last: u16, cost: Cost, out: &mut Vec<(Step, u32, Cost)>) {
        out.clear();
        let last_can_go = self
            .graph
            .steps(x)
            .any(|(st, _)| !st.internal && st.gor == last);
        out.extend(self.graph.steps(x).map(|(st, y)| {
            let preempt = !st.internal && st.gor != last && last_can_go;
            let c = (
                cost.0 + st.stale as u32,
                cost.1 + preempt as u32,
                cost.2 + 1,
            );
            (st, y, c)
        }));
    }

    /// The cheaper witness search for big graphs: Dijkstra over states, each
    /// labelled with the goroutine that moved last on its best path.
    pub(super) fn clearest_witnesses_per_state(
        &mut self,
        order: impl QueueOrder<u32>,
        cancel: &Cancel,
    ) -> Option<Limit> {
        let n = self.states.len();
        let mut best: Vec<Option<(Cost, u16)>> = vec![None; n];
        let mut parent: Vec<(u32, u32)> = vec![(u32::MAX, u32::MAX); n];
        let mut done = vec![false; n];
        let mut edges: Vec<(Step, u32, Cost)> = Vec::new();
        best[0] = Some(((0, 0, 0), 0));
        let mut stop = Stopper::new(cancel);
        order(0u32, &mut |x, cost, push| {
            if stop.now() || std::mem::replace(&mut done[x as usize], true) {
                return;
            }
            let last = best[x as usize].map_or(0, |b| b.1);
            self.costs_out(x, last, cost, &mut edges);
            for &(st, y, c) in &edges {
                if best[y as usize].is_none_or(|b| c < b.0) {
                    best[y as usize] = Some((c, if st.internal { last } else { st.after }));
                    parent[y as usize] = (x, st.k);
                    push.push((c, y));
                }
            }
        });
        self.best = Some(Best {
            last: best,
            parent: Parents::PerState(parent),
        });
        stop.stopped
    }

    /// The cost of state `i`'s witness (after [`Explored::clearest_witnesses`]).
    pub fn cost(&self, i: u32) -> Option<Cost> {
        self.best.as_ref()?.last[i as usize].map(|(c, _)| c)
    }

    /// The witness of state `i`: (predecessor, successor position) per step.
    /// The clearest one when computed, else the BFS one (a shortest run).
    /// A state a run finished after a stop stored (see `finish.rs`) is
    /// reached as that run reached it: the witness of the state the search
    /// found where it went past, then the run's steps.
    pub fn path(&self, i: u32) -> Vec<(u32, u32)> {
        let mut tail = Vec::new();
        let mut i = i;
        while i as usize >= self.searched
            && let Some(&step) = self.finished_parent.get(i as usize - self.searched)
        {
            tail.push(step);
            i = step.0;
        }
        let mut p = self.search_path(i);
        p.extend(tail.into_iter().rev());
        p
    }

    /// [`Explored::path`] of a state the search itself found.
    fn search_path(&self, i: u32) -> Vec<(u32, u32)> {
        let mut p = Vec::new();
        if let Some(best) = &self.best
            && let Some((_, last)) = best.last[i as usize]
        {
            match &best.parent {
                Parents::Exact(map) => {
                    let mut node = (i, last);
                    while let Some(&(_, prev, k)) = map.get(&node)
                        && prev.0 != u32::MAX
                    {
                        p.push((prev.0, k));
                        node = prev;
                    }
                }
                Parents::PerState(parent) => {
                    let mut i = i;
                    while parent[i as usize].0 != u32::MAX {
                        let (pred, k) = parent[i as usize];
                        p.push((pred, k));
                        i = pred;
                    }
                }
            }
        } else {
            let parent = self.parent.get_or_init(|| self.bfs_parents());
            let mut i = i;
            while parent[i as usize].0 != u32::MAX {
                let (pred, k) = parent[i as usize];
                p.push((pred, k));
                i = pred;
            }
        }
        p.reverse();
        p
    }

    /// The BFS parent of every state: the first transition into it.
    fn bfs_parents(&self) -> Vec<(u32, u32)> {
        let n = self.states.len();
        let mut parent = vec![(u32::MAX, u32::MAX); n];
        for i in 0..n as u32 {
            for (k, e) in self.graph.out(i).iter().enumerate() {
                let p = &mut parent[e.to() as usize];
                if p.0 == u32::MAX && e.to() != 0 {
                    *p = (i, k as u32);
                }
            }
        }
        parent
    }
}
