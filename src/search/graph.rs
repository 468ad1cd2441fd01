//! The explored state graph's transitions, compactly: [`Edge`] (six bytes
//! per transition), [`Transitions`] (each state's edges in successor order)
//! and the predecessor lists built from them on demand.

use super::chunks::Chunks;
use super::store::reserve_quarter;

/// A transition of the state graph: which successor of its source it is
/// (its position in the deterministic successor list, so the step can be
/// described again by regenerating the successors), who took it, and what
/// kind of step it was (for choosing the clearest witness).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Step {
    pub k: u32,
    pub gor: u16,
    /// The number of that goroutine in the target state (they differ when
    /// symmetry reduction renumbered the goroutines).
    pub after: u16,
    /// A read of a value other than the latest write.
    pub stale: bool,
    /// A step of the memory system (a store-buffer flush), not a goroutine's.
    pub internal: bool,
}

/// One transition as stored: its target, who took it (in the source's and
/// in the target's numbering of goroutines) and its kind. Six bytes: the
/// target in two halves, and the goroutines (fewer than
/// [`MAX_GOROUTINES`](crate::semantics::MAX_GOROUTINES) = 64: six bits each) and
/// two flags in one word.
#[derive(Clone, Copy, Debug)]
pub struct Edge([u16; 3]);

const _: () = assert!(crate::semantics::MAX_GOROUTINES <= 64);

impl Edge {
    #[inline]
    pub(super) fn new(to: u32, gor: u16, after: u16, stale: bool, internal: bool) -> Self {
        assert!(gor < 64 && after < 64, "goroutine numbers fit in six bits");
        let meta = gor | after << 6 | (stale as u16) << 12 | (internal as u16) << 13;
        Edge([to as u16, (to >> 16) as u16, meta])
    }

    /// The state it leads to.
    #[inline]
    pub fn to(&self) -> u32 {
        self.0[0] as u32 | (self.0[1] as u32) << 16
    }

    #[inline]
    pub(super) fn gor(&self) -> u16 {
        self.0[2] & 63
    }

    #[inline]
    pub(super) fn after(&self) -> u16 {
        self.0[2] >> 6 & 63
    }

    #[inline]
    pub(super) fn stale(&self) -> bool {
        self.0[2] >> 12 & 1 != 0
    }

    #[inline]
    pub(super) fn internal(&self) -> bool {
        self.0[2] >> 13 & 1 != 0
    }
}

/// The transitions of the state graph, compactly: the search expands the
/// states in index order and appends each one's transitions together, so
/// state `i`'s are the group ending at `end[i]` (after `end[i - 1]`), in
/// successor order (an edge's position there is its successor position `k`).
pub struct Transitions {
    /// 32-bit positions: the search stops ("the state store is full")
    /// when they run out.
    end: Vec<u32>,
    edges: Chunks<Edge>,
}

impl Default for Transitions {
    fn default() -> Self {
        Transitions {
            end: Vec::new(),
            // 4 MiB chunks
            edges: Chunks::new(19),
        }
    }
}

impl Transitions {
    /// Append the transitions of state `i` (states before it that were not
    /// expanded get none). False when they do not fit.
    #[inline]
    pub(super) fn push_row(&mut self, i: usize, row: &[Edge]) -> bool {
        let more = (i + 1).saturating_sub(self.end.len());
        reserve_quarter(&mut self.end, more);
        while self.end.len() < i {
            self.end.push(self.edges.end());
        }
        match self.edges.push_group(row) {
            Some(e) => {
                self.end.push(e);
                true
            }
            None => false,
        }
    }

    /// Too many edges for 32-bit positions?
    #[inline]
    pub fn full(&self) -> bool {
        self.edges.full()
    }

    /// Bytes taken on at once if `more` states were expanded: the list of
    /// ends grown (copied). (Edges go into chunks, nothing copied.)
    #[inline]
    pub(super) fn growth_bytes(&self, more: usize) -> u64 {
        if self.end.len() + more > self.end.capacity() {
            (self.end.capacity() + self.end.capacity() / 4 + more) as u64 * 4
        } else {
            0
        }
    }

    /// The transitions out of state `i`, in successor order.
    #[inline]
    pub fn out(&self, i: u32) -> &[Edge] {
        let i = i as usize;
        match self.end.get(i) {
            Some(&e) => self
                .edges
                .group(if i == 0 { 0 } else { self.end[i - 1] }, e),
            None => &[],
        }
    }

    /// The transitions out of state `i` as steps, with their targets.
    #[inline]
    pub fn steps(&self, i: u32) -> impl Iterator<Item = (Step, u32)> + '_ {
        self.out(i).iter().enumerate().map(|(k, e)| {
            (
                Step {
                    k: k as u32,
                    gor: e.gor(),
                    after: e.after(),
                    stale: e.stale(),
                    internal: e.internal(),
                },
                e.to(),
            )
        })
    }

    #[inline]
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The number of states whose transitions are stored.
    fn rows(&self) -> usize {
        self.end.len()
    }

    /// For every state, the states with a transition into it (`n` states).
    pub fn predecessors(&self, n: usize) -> (Vec<u64>, Vec<u32>) {
        let mut start = vec![0u64; n + 1];
        for e in self.edges.iter() {
            start[e.to() as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut preds = vec![0u32; self.edges.len()];
        for x in 0..n.min(self.rows()) {
            for e in self.out(x as u32) {
                let slot = &mut fill[e.to() as usize];
                preds[*slot as usize] = x as u32;
                *slot += 1;
            }
        }
        (start, preds)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.end.capacity() * 4 + self.edges.heap_bytes()
    }
}
