//! Breadth-first explicit-state search: every state hashed and stored once
//! (in insertion order, which is BFS order), the transitions kept as a
//! compact transition list of state indices, and then, for every state, the clearest
//! witness that reaches it.

mod chunks;

use crate::memory::MemoryModel;
use crate::semantics::{Machine, Mode, Succ};
use crate::state::codec::{Codec, Reader};
use crate::state::hb::{EMPTY_HB, Hb, Record};
use crate::state::{End, EndKind, Gor, Interner, State};
use chunks::Chunks;
use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use smallvec::SmallVec;
use std::hash::BuildHasher;
use std::marker::PhantomData;
use std::rc::Rc;

/// Why a search stopped before exploring everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    MaxStates,
    /// States this deep were not expanded (the others were).
    MaxDepth,
    Timeout,
    MaxMemory,
    /// The store's 32-bit positions are used up (4 GiB of encoded states
    /// or 4 G transitions).
    StoreFull,
    Interrupted,
    /// A `go` statement would have started more goroutines than allowed.
    Goroutines {
        line: u32,
        col: u32,
    },
}

impl Limit {
    /// Stops every search of the check, not only the one that met it: the
    /// time, the memory, an interrupt, the store's capacity.
    pub fn ends_the_check(self) -> bool {
        matches!(
            self,
            Limit::Timeout | Limit::MaxMemory | Limit::Interrupted | Limit::StoreFull
        )
    }
}

/// Set by the Ctrl-C / SIGTERM handler; every search stops at its next check.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What stops a whole check wherever it is — in a search or in an
/// analysis after it: a deadline, an interrupt flag, and the resident
/// memory of the process. Every phase asks it in its long loops (every
/// 1024 states, or a few thousand cheaper iterations), and a phase it stops
/// leaves the check incomplete.
#[derive(Clone, Copy, Debug)]
pub struct Cancel {
    pub deadline: Option<std::time::Instant>,
    /// Set from outside (the Ctrl-C / SIGTERM handler sets `INTERRUPTED`).
    pub interrupted: &'static std::sync::atomic::AtomicBool,
    /// Resident memory of the process, in bytes.
    pub max_memory: Option<u64>,
}

impl Default for Cancel {
    fn default() -> Self {
        Cancel {
            deadline: None,
            interrupted: &INTERRUPTED,
            max_memory: None,
        }
    }
}

impl Cancel {
    /// Why the check must stop now, if it must.
    pub fn stopped(&self) -> Option<Limit> {
        self.stopped_reserving(0)
    }

    /// [`Cancel::stopped`], counting `reserve` more bytes as held (memory
    /// that the phase is about to need).
    pub fn stopped_reserving(&self, reserve: u64) -> Option<Limit> {
        if self.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
            return Some(Limit::Interrupted);
        }
        if self
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            return Some(Limit::Timeout);
        }
        if let Some(max) = self.max_memory
            && resident_bytes().is_some_and(|b| b.saturating_add(reserve) >= max)
        {
            return Some(Limit::MaxMemory);
        }
        None
    }
}

/// [`Cancel`] asked every few thousand calls of a cheap loop's body.
struct Stopper<'c> {
    cancel: &'c Cancel,
    calls: u32,
    stopped: Option<Limit>,
}

impl<'c> Stopper<'c> {
    fn new(cancel: &'c Cancel) -> Self {
        Stopper {
            cancel,
            calls: 0,
            stopped: None,
        }
    }

    /// Must the loop stop (now or before)?
    fn now(&mut self) -> bool {
        if self.stopped.is_none() {
            self.calls += 1;
            if self.calls >= 4096 {
                self.calls = 0;
                self.stopped = self.cancel.stopped();
            }
        }
        self.stopped.is_some()
    }
}

/// Limits on a search.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchLimits {
    pub max_states: Option<usize>,
    pub max_depth: Option<u32>,
    pub cancel: Cancel,
}

/// Memory the machine can still give, in bytes (Linux), if known.
pub fn available_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Peak resident memory of this process in bytes (Linux), if known.
pub fn peak_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resident memory of this process in bytes (Linux), if known.
pub fn resident_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

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

/// The cost of a witness: stale reads, then preemptions, then steps.
pub type Cost = (u32, u32, u32);

/// A node of the witness search: (state, goroutine that moved last).
type WNode = (u32, u16);

/// The best witness per state: its cost and the goroutine that moved last,
/// and parents in the (state, last goroutine) graph.
struct Best {
    last: Vec<Option<(Cost, u16)>>,
    parent: Parents,
}

/// How the witness search remembers its choices.
enum Parents {
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
type Visit<'a, N> = dyn FnMut(N, Cost, &mut Vec<(Cost, N)>) + 'a;

/// A witness search's queue: [`cost_order`] (a test checks it against a heap).
trait QueueOrder<N>: Fn(N, &mut Visit<'_, N>) {}
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
fn cost_order<N: Ord + Copy>(start: N, visit: &mut Visit<'_, N>) {
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

/// One transition as stored: its target, who took it (in the source's and
/// in the target's numbering of goroutines) and its kind. Six bytes: the
/// target in two halves, and the goroutines (fewer than
/// [`MAX_GOROUTINES`](crate::semantics::MAX_GOROUTINES) = 64: six bits each) and
/// two flags in one word.
#[derive(Clone, Copy, Debug)]
pub struct Edge([u16; 3]);

const _: () = assert!(crate::semantics::MAX_GOROUTINES <= 64);

impl Edge {
    fn new(to: u32, gor: u16, after: u16, stale: bool, internal: bool) -> Self {
        assert!(gor < 64 && after < 64, "goroutine numbers fit in six bits");
        let meta = gor | after << 6 | (stale as u16) << 12 | (internal as u16) << 13;
        Edge([to as u16, (to >> 16) as u16, meta])
    }

    /// The state it leads to.
    pub fn to(&self) -> u32 {
        self.0[0] as u32 | (self.0[1] as u32) << 16
    }

    fn gor(&self) -> u16 {
        self.0[2] & 63
    }

    fn after(&self) -> u16 {
        self.0[2] >> 6 & 63
    }

    fn stale(&self) -> bool {
        self.0[2] >> 12 & 1 != 0
    }

    fn internal(&self) -> bool {
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

/// Bytes of a hash table of `u32` (hashbrown) with room for `capacity`
/// entries: a slot and a control byte per bucket, buckets a power of two at
/// most 7/8 full.
fn table_bytes(capacity: usize) -> u64 {
    let buckets = (capacity.max(4) * 8 / 7).next_power_of_two();
    buckets as u64 * (std::mem::size_of::<u32>() as u64 + 1)
}

/// Make room for `extra` more items, growing by a quarter rather than
/// doubling: the big vectors of a search are most of its memory, and
/// doubling leaves a third of them empty on average.
fn reserve_quarter<T>(v: &mut Vec<T>, extra: usize) {
    if v.len() + extra > v.capacity() {
        v.reserve_exact(extra.max(v.capacity() / 4).max(16));
    }
}

impl Transitions {
    /// Append the transitions of state `i` (states before it that were not
    /// expanded get none). False when they do not fit.
    fn push_row(&mut self, i: usize, row: &[Edge]) -> bool {
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
    pub fn full(&self) -> bool {
        self.edges.full()
    }

    /// Bytes taken on at once if `more` states were expanded: the list of
    /// ends grown (copied). (Edges go into chunks, nothing copied.)
    fn growth_bytes(&self, more: usize) -> u64 {
        if self.end.len() + more > self.end.capacity() {
            (self.end.capacity() + self.end.capacity() / 4 + more) as u64 * 4
        } else {
            0
        }
    }

    /// The transitions out of state `i`, in successor order.
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

    fn heap_bytes(&self) -> usize {
        self.end.capacity() * 4 + self.edges.heap_bytes()
    }
}

/// The explored state graph.
pub struct Explored<Mm> {
    pub states: StateStore<Mm>,
    /// Node `i` is state `i`.
    pub graph: Transitions,
    /// BFS parent of each state: (predecessor, successor position);
    /// `u32::MAX` for the initial state. Worked out from the transitions
    /// when first needed (the first transition into a state, in row order,
    /// is the one that found it), so the search does not keep it.
    parent: std::cell::OnceCell<Vec<(u32, u32)>>,
    /// The clearest witness of each state, once [`Explored::clearest_witnesses`] ran.
    best: Option<Best>,
    /// States where a run ends, with how, in BFS order.
    pub terminals: Vec<(u32, End)>,
    /// Set when a limit stopped the search.
    pub stopped: Option<Limit>,
    /// The first data race found for each pair of source locations.
    pub races: Vec<FoundRace>,
    /// Every plain access a goroutine was about to make: (function, pc,
    /// variable slot, write).
    pub sites: FxHashSet<(u32, u32, u32, bool)>,
    /// Successors that symmetry reduction renumbered.
    pub renumbered: u64,
    /// States that partial-order reduction expanded by one `go` step alone.
    pub taken_alone: u64,
}

/// A data race the search found: two conflicting plain accesses from
/// different goroutines that happens-before does not order.
#[derive(Clone, Copy, Debug)]
pub struct FoundRace {
    /// The state the witness reaches and the successor taken from it (the
    /// later access, or for a race of two pending accesses the first one).
    pub state: u32,
    pub k: u32,
    /// For two accesses both pending at `state`: the successor state after
    /// the first one, and the goroutine that then makes the second.
    pub then: Option<(u32, u16)>,
    pub a: Record,
    pub b: Record,
}

/// The key of a race: its two source locations, in order.
pub type RaceKey = ((u32, u32), (u32, u32));

pub fn race_key(a: &Record, b: &Record) -> RaceKey {
    let (la, lb) = ((a.func as u32, a.pc), (b.func as u32, b.pc));
    if la <= lb { (la, lb) } else { (lb, la) }
}

/// Every state found, stored once: encoded compactly (varints, no
/// padding, no pointers: see [`super::codec`]) one after another in chunks of bytes, with a
/// hash table of their indices. A state is decoded again to expand it.
///
/// Goroutines are stored apart, each distinct one once (SPIN's "collapse"
/// compression): a state holds the numbers of its goroutines, so that the
/// few positions and locals each goroutine goes through are not repeated in
/// every combination with the others.
pub struct StateStore<Mm> {
    bytes: Chunks<u8>,
    /// Where each state's encoding ends in `bytes` (32-bit positions: the
    /// search stops, "the state store is full", when they run out).
    ends: Vec<u32>,
    table: HashTable<u32>,
    scratch: Vec<u8>,
    /// A successor's goroutine numbers (reused).
    numbers: Vec<u32>,
    /// [`StateStore::insert_row`]'s successors: hash, and where their
    /// encodings start and end in `scratch` (reused).
    row: Vec<(u64, usize, usize)>,
    /// Every distinct goroutine, by number, and a table of their numbers.
    gors: Vec<Rc<Gor>>,
    gor_table: HashTable<u32>,
    _mem: PhantomData<Mm>,
}

fn encoding<'b>(bytes: &'b Chunks<u8>, ends: &[u32], i: u32) -> &'b [u8] {
    let i = i as usize;
    bytes.group(if i == 0 { 0 } else { ends[i - 1] }, ends[i])
}

impl<Mm> StateStore<Mm> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    // unused since the module is private to the crate (issue 17)
    #[allow(dead_code)]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Too many bytes for 32-bit positions?
    pub fn full(&self) -> bool {
        self.bytes.full()
    }

    /// Bytes the store holds: the encodings, their ends and the tables.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.heap_bytes()
            + self.ends.capacity() * 4
            + self.table.capacity() * 5
            + self.gors.capacity() * std::mem::size_of::<Rc<Gor>>()
            + self.gors.len() * (std::mem::size_of::<Gor>() + 16)
            + self.gor_table.capacity() * 5
    }

    /// Bytes the store would take on at once if `more` states were added:
    /// a table twice the size, built while the old one is still held, and
    /// the list of ends grown (copied).
    pub fn growth_bytes(&self, more: usize) -> u64 {
        let mut b = 0;
        if self.table.len() + more > self.table.capacity() {
            b += table_bytes(self.table.capacity() * 2);
        }
        if self.ends.len() + more > self.ends.capacity() {
            b += (self.ends.capacity() + self.ends.capacity() / 4 + more) as u64 * 4;
        }
        b
    }

    /// The number of goroutine `gor`, stored if it is new.
    fn gor_number(&mut self, gor: &Rc<Gor>) -> u32 {
        let hash = FxBuildHasher.hash_one(&**gor);
        let gors = &self.gors;
        let entry = self.gor_table.entry(
            hash,
            |&j| *gors[j as usize] == **gor,
            |&j| FxBuildHasher.hash_one(&*gors[j as usize]),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => *o.get(),
            hashbrown::hash_table::Entry::Vacant(v) => {
                let j = self.gors.len() as u32;
                v.insert(j);
                self.gors.push(gor.clone());
                j
            }
        }
    }
}

impl<Mm: Codec> StateStore<Mm> {
    fn new() -> Self {
        StateStore {
            // 4 MiB chunks
            bytes: Chunks::new(22),
            ends: Vec::new(),
            table: HashTable::new(),
            scratch: Vec::new(),
            numbers: Vec::new(),
            row: Vec::new(),
            gors: Vec::new(),
            gor_table: HashTable::new(),
            _mem: PhantomData,
        }
    }

    /// State `i`.
    pub fn get(&self, i: u32) -> State<Mm> {
        self.get_numbered(i).0
    }

    /// State `i`, with the numbers of its goroutines (for [`StateStore::insert_row`]).
    pub fn get_numbered(&self, i: u32) -> (State<Mm>, SmallVec<[u32; 8]>) {
        let mut r = Reader::new(encoding(&self.bytes, &self.ends, i));
        let (state, gors) = (|| {
            let mem = Mm::decode(&mut r)?;
            let sync = Codec::decode(&mut r)?;
            let chans = Codec::decode(&mut r)?;
            let output = r.u32()?;
            let end = Codec::decode(&mut r)?;
            let current = Codec::decode(&mut r)?;
            // encoded as an empty set when not tracked (see `encode_numbered`)
            let hb = if r.skip(&EMPTY_HB) {
                None
            } else {
                Some(Box::new(Hb::decode(&mut r)?))
            };
            let gors: SmallVec<[u32; 8]> = Codec::decode(&mut r)?;
            let gor_list = gors
                .iter()
                .map(|&j| self.gors.get(j as usize).cloned())
                .collect::<Option<crate::state::Gors>>()?;
            r.done().then_some(())?;
            Some((
                State {
                    mem,
                    sync,
                    chans,
                    gors: gor_list,
                    output,
                    end,
                    current,
                    hb,
                },
                gors,
            ))
        })()
        .expect("a stored state decodes");
        (state, gors)
    }

    /// Store `s` unless it is stored: its index, and whether it is new;
    /// `None` when the store is full.
    pub fn insert(&mut self, s: &State<Mm>) -> Option<(u32, bool)> {
        let mut numbers = std::mem::take(&mut self.numbers);
        let mut enc = std::mem::take(&mut self.scratch);
        numbers.clear();
        enc.clear();
        for g in &s.gors {
            numbers.push(self.gor_number(g));
        }
        encode_numbered(s, &numbers, &mut enc);
        let out = self.lookup_insert(FxBuildHasher.hash_one(&enc[..]), &enc);
        self.numbers = numbers;
        self.scratch = enc;
        out
    }

    /// [`StateStore::insert`] for every successor of `parent` at once, whose
    /// goroutines have the numbers `numbers`: a goroutine that did not change
    /// keeps its number without being looked up (most of a successor's
    /// goroutines are its parent's). Pushes (index, new) per successor to
    /// `found`; `false` when the store filled up (the successors before stay
    /// stored). All are encoded
    /// and hashed first, then looked up one after another: the lookups'
    /// cache misses, independent of each other, then overlap.
    pub fn insert_row<'s>(
        &mut self,
        succs: impl Iterator<Item = &'s State<Mm>>,
        parent: &State<Mm>,
        numbers: &[u32],
        found: &mut Vec<(u32, bool)>,
    ) -> bool
    where
        Mm: 's,
    {
        let mut own = std::mem::take(&mut self.numbers);
        let mut enc = std::mem::take(&mut self.scratch);
        let mut row = std::mem::take(&mut self.row);
        enc.clear();
        row.clear();
        for s in succs {
            own.clear();
            for (x, g) in s.gors.iter().enumerate() {
                own.push(match parent.gors.get(x) {
                    Some(p) if Rc::ptr_eq(p, g) => numbers[x],
                    _ => self.gor_number(g),
                });
            }
            let start = enc.len();
            encode_numbered(s, &own, &mut enc);
            let hash = FxBuildHasher.hash_one(&enc[start..]);
            row.push((hash, start, enc.len()));
        }
        let mut stored = true;
        for &(hash, start, end) in &row {
            match self.lookup_insert(hash, &enc[start..end]) {
                Some(x) => found.push(x),
                None => {
                    stored = false;
                    break;
                }
            }
        }
        self.numbers = own;
        self.scratch = enc;
        self.row = row;
        stored
    }

    /// Twice the table, filled in state order: each encoding is hashed
    /// again reading the arena front to back (the table's own rehash would
    /// read them in bucket order, a cache miss or two each).
    fn grow_table(&mut self) {
        let mut table = HashTable::with_capacity((self.table.capacity() * 2).max(4));
        let (bytes, ends) = (&self.bytes, &self.ends);
        let rehash = |&j: &u32| FxBuildHasher.hash_one(encoding(bytes, ends, j));
        for j in 0..ends.len() as u32 {
            table.insert_unique(rehash(&j), j, rehash);
        }
        self.table = table;
    }

    /// The index of the state encoded `enc` (hashing to `hash`), stored if
    /// new; `None` when the store is full.
    fn lookup_insert(&mut self, hash: u64, enc: &[u8]) -> Option<(u32, bool)> {
        if self.table.len() == self.table.capacity() {
            self.grow_table();
        }
        let (bytes, ends) = (&self.bytes, &self.ends);
        // One lookup: a vacant entry is filled only once the encoding is
        // stored (dropped unfilled when the store is full), so the table
        // never holds an index without an encoding.
        let entry = self.table.entry(
            hash,
            |&j| encoding(bytes, ends, j) == enc,
            |&j| FxBuildHasher.hash_one(encoding(bytes, ends, j)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => Some((*o.get(), false)),
            hashbrown::hash_table::Entry::Vacant(v) => self.bytes.push_group(enc).map(|end| {
                let j = self.ends.len() as u32;
                reserve_quarter(&mut self.ends, 1);
                self.ends.push(end);
                v.insert(j);
                (j, true)
            }),
        }
    }
}

/// A state's encoding: everything but the goroutines, then their numbers.
fn encode_numbered<Mm: Codec>(s: &State<Mm>, numbers: &[u32], enc: &mut Vec<u8>) {
    s.mem.encode(enc);
    s.sync.encode(enc);
    s.chans.encode(enc);
    s.output.encode(enc);
    s.end.encode(enc);
    s.current.encode(enc);
    match &s.hb {
        Some(hb) => hb.encode(enc),
        None => enc.extend_from_slice(&EMPTY_HB),
    }
    crate::state::codec::encode_seq(numbers, enc);
}

/// How a run that can take no step more ends: as it ended, or in deadlock.
fn terminal_end<Mm>(s: &State<Mm>, strings: &mut Interner) -> End {
    s.end.unwrap_or(End {
        kind: EndKind::Deadlock,
        msg: strings.intern("all goroutines are asleep - deadlock!"),
    })
}

/// Explore every state reachable from the initial one.
pub fn explore<M: MemoryModel>(
    machine: &Machine<'_, M>,
    mode: Mode,
    limits: SearchLimits,
    strings: &mut Interner,
) -> Explored<M::Mem> {
    let mut ex = Explored {
        states: StateStore::new(),
        graph: Transitions::default(),
        parent: std::cell::OnceCell::new(),
        best: None,
        terminals: Vec::new(),
        stopped: None,
        races: Vec::new(),
        sites: FxHashSet::default(),
        renumbered: 0,
        taken_alone: 0,
    };
    let taken_before = machine.taken_alone.get();
    let mut race_pairs: FxHashSet<RaceKey> = FxHashSet::default();
    let mut pending: Vec<Record> = Vec::new();
    let mut found: Vec<(usize, u16, Record, Record)> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    let mut perms: Vec<Option<Vec<u16>>> = Vec::new();
    let mut row: Vec<Edge> = Vec::new();
    let mut found_states: Vec<(u32, bool)> = Vec::new();
    let init = machine.initial(strings);
    if ex.states.insert(&init).is_none() {
        ex.stopped = Some(Limit::StoreFull);
        return ex;
    }
    let mut out: Vec<Succ<M::Mem>> = Vec::new();
    // Depths are only kept when a depth limit needs them.
    let mut depth: Vec<u32> = vec![0];
    let track_depth = limits.max_depth.is_some();
    let progress = Progress::new(mode);
    // The most successors of a state so far.
    let mut widest = 1usize;
    let mut i = 0usize;
    while i < ex.states.len() {
        if i.is_multiple_of(4096) {
            progress.update(ex.states.len(), ex.graph.edge_count(), ex.states.len() - i);
        }
        if ex.states.full() || ex.graph.full() {
            ex.stopped = Some(Limit::StoreFull);
            break;
        }
        if let Some(max) = limits.max_states
            && ex.states.len() >= max
        {
            // Every state found is kept, but no more are generated.
            ex.stopped = Some(Limit::MaxStates);
            break;
        }
        // The memory limit holds for the whole check: the search keeps
        // room for what it may take on at once before the next check (a
        // bigger table) and for the witness search after it, with an
        // eighth and a MiB to spare (the witness search, which checks
        // before it begins, then fits where the search stopped).
        if i.is_multiple_of(1024)
            && let Some(l) = limits.cancel.stopped_reserving(
                ex.states.growth_bytes(1024 * widest)
                    + ex.graph.growth_bytes(1024)
                    + witness_bytes(ex.states.len(), ex.graph.edge_count()) * 9 / 8
                    + (1 << 20),
            )
        {
            ex.stopped = Some(l);
            break;
        }
        if let Some(g) = machine.goroutine_limit_hit() {
            ex.stopped = Some(Limit::Goroutines {
                line: g.0,
                col: g.1,
            });
            break;
        }
        let (s, numbers) = &ex.states.get_numbered(i as u32);
        // After a run ends, only the memory system may still move (flushing
        // store buffers); the run's final state is where nothing moves.
        machine.successors(s, mode, strings, false, &mut out);
        widest = widest.max(out.len());
        if limits.max_depth.is_some_and(|d| depth[i] >= d) {
            // A state reached in the most steps allowed: a run that ends
            // here is seen whole; any step further is cut off.
            if out.is_empty() {
                ex.terminals.push((i as u32, terminal_end(s, strings)));
            } else {
                ex.stopped.get_or_insert(Limit::MaxDepth);
            }
            i += 1;
            continue;
        }
        perms.clear();
        for succ in &mut out {
            perms.push(machine.canonicalize(&mut succ.state));
            ex.renumbered += perms.last().unwrap().is_some() as u64;
        }
        if out.is_empty() {
            ex.terminals.push((i as u32, terminal_end(s, strings)));
        }
        for (k, succ) in out.iter().enumerate() {
            for &(a, b) in &succ.races {
                let (ra, rb) = (strings.records[a as usize], strings.records[b as usize]);
                if race_pairs.insert(race_key(&ra, &rb)) {
                    ex.races.push(FoundRace {
                        state: i as u32,
                        k: k as u32,
                        then: None,
                        a: ra,
                        b: rb,
                    });
                }
            }
        }
        // Two goroutines about to make conflicting accesses race, whatever
        // happened before (no edge can order two steps not yet taken).
        found.clear();
        if mode == Mode::Full && s.end.is_none() {
            pending.clear();
            pending.extend((0..s.gors.len()).filter_map(|g| machine.pending_access(s, g)));
            for (x, a) in pending.iter().enumerate() {
                for b in &pending[x + 1..] {
                    if a.slot == b.slot && (a.write || b.write) {
                        let key = race_key(a, b);
                        if race_pairs.contains(&key) {
                            // found before (the common case: checked first)
                            continue;
                        }
                        // The witness takes one access, then the other: first
                        // one whose step does not end the run (main's return
                        // or a failed assert right after it would hide the
                        // second), main preferably second. Under partial-order
                        // reduction neither may be expanded here; the pair
                        // stays pending into a later state where one is.
                        let orders = if a.g == 0 {
                            [(b, a), (a, b)]
                        } else {
                            [(a, b), (b, a)]
                        };
                        let step = |(x, y): (&Record, &Record)| {
                            let k = out.iter().position(|o| o.gor == x.g && !o.internal)?;
                            Some((out[k].state.end.is_none(), k, y.g, *x, *y))
                        };
                        let (first, second) = (step(orders[0]), step(orders[1]));
                        let pick = match (first, second) {
                            (Some(f), _) if f.0 => Some(f),
                            (_, Some(s)) if s.0 => Some(s),
                            (f, s) => f.or(s),
                        };
                        if let Some((_, k, h, x, y)) = pick {
                            race_pairs.insert(key);
                            found.push((k, h, x, y));
                        }
                    }
                }
            }
            ex.sites.extend(
                pending
                    .iter()
                    .map(|r| (r.func as u32, r.pc, r.slot, r.write)),
            );
        }
        targets.clear();
        row.clear();
        found_states.clear();
        let stored =
            ex.states
                .insert_row(out.iter().map(|x| &x.state), s, numbers, &mut found_states);
        for (k, (succ, &(j, new))) in out.iter().zip(&found_states).enumerate() {
            targets.push(j);
            if new && track_depth {
                depth.push(depth[i] + 1);
            }
            row.push(Edge::new(
                j,
                succ.gor,
                perms[k].as_ref().map_or(succ.gor, |p| p[succ.gor as usize]),
                succ.stale,
                succ.internal,
            ));
        }
        if !stored || !ex.graph.push_row(i, &row) {
            // State `i` counts as not expanded (its successors stored so far
            // stay, unreached: nothing reports a state not expanded).
            ex.stopped = Some(Limit::StoreFull);
            break;
        }
        for &(k, h, a, b) in &found {
            ex.races.push(FoundRace {
                state: i as u32,
                k: k as u32,
                then: Some((targets[k], perms[k].as_ref().map_or(h, |p| p[h as usize]))),
                a,
                b,
            });
        }
        i += 1;
    }
    if ex.stopped.is_none()
        && let Some(g) = machine.goroutine_limit_hit()
    {
        ex.stopped = Some(Limit::Goroutines {
            line: g.0,
            col: g.1,
        });
    }
    progress.finish();
    ex.taken_alone = machine.taken_alone.get() - taken_before;
    ex
}

/// A progress line on stderr for long searches, shown only on a terminal
/// (so piped output and CI logs never see it).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
}

impl Progress {
    fn new(mode: Mode) -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.set_prefix(match mode {
                Mode::Full => "exploring",
                Mode::Serial => "serial runs",
            });
            if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {prefix}: {msg}")
            {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            start: std::time::Instant::now(),
        }
    }

    fn update(&self, states: usize, transitions: usize, frontier: usize) {
        let Some(b) = &self.bar else { return };
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let mem = resident_bytes().map_or(String::new(), |m| format!(", {} MiB", m >> 20));
        b.set_message(format!(
            "{states} states, {transitions} transitions, {:.0} states/s, frontier {frontier}{mem}",
            states as f64 / secs
        ));
        b.tick();
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl<Mm> Explored<Mm> {
    /// Memory held for the stored states and transitions.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.states.heap_bytes()
            + self.graph.heap_bytes()
            + self
                .parent
                .get()
                .map_or(0, |p| p.capacity() * size_of::<(u32, u32)>())
    }

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
    fn clearest_witnesses_exact(
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
    fn clearest_witnesses_per_state(
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
    pub fn path(&self, i: u32) -> Vec<(u32, u32)> {
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

    /// States from which no run can end (only meaningful when complete).
    ///
    /// Sweeps from the last state to the first, marking a state that has a
    /// transition into one marked: the search numbers states breadth first,
    /// so most transitions lead to later states and one sweep marks nearly
    /// everything; a sweep that marks nothing more is the fixpoint. Only
    /// when a few sweeps have not settled it (long chains back to earlier
    /// states) does it build the predecessor lists and walk them backwards.
    ///
    /// `Err` when `cancel` stopped it.
    pub fn never_ending(&self, cancel: &Cancel) -> Result<Vec<bool>, Limit> {
        self.never_ending_sweeping(3, cancel)
    }

    fn never_ending_sweeping(&self, sweeps: usize, cancel: &Cancel) -> Result<Vec<bool>, Limit> {
        let n = self.states.len();
        let mut can_end = vec![false; n];
        for t in &self.terminals {
            can_end[t.0 as usize] = true;
        }
        let mut stop = Stopper::new(cancel);
        let mut settled = false;
        for _ in 0..sweeps {
            let mut changed = false;
            for x in (0..n).rev() {
                if stop.now() {
                    return Err(stop.stopped.unwrap_or(Limit::Interrupted));
                }
                if !can_end[x]
                    && self
                        .graph
                        .out(x as u32)
                        .iter()
                        .any(|e| can_end[e.to() as usize])
                {
                    can_end[x] = true;
                    changed = true;
                }
            }
            if !changed {
                settled = true;
                break;
            }
        }
        if !settled {
            let need = (n as u64 + 1) * 8 + self.graph.edge_count() as u64 * 4 + n as u64 * 4;
            if let Some(l) = cancel.stopped_reserving(need) {
                return Err(l);
            }
            let mut stack: Vec<u32> = (0..n as u32).filter(|&x| can_end[x as usize]).collect();
            let (start, preds) = self.graph.predecessors(n);
            while let Some(x) = stack.pop() {
                if stop.now() {
                    return Err(stop.stopped.unwrap_or(Limit::Interrupted));
                }
                for &p in &preds[start[x as usize] as usize..start[x as usize + 1] as usize] {
                    if !can_end[p as usize] {
                        can_end[p as usize] = true;
                        stack.push(p);
                    }
                }
            }
        }
        Ok(can_end.into_iter().map(|c| !c).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{go::Go, sc::Sc, tso::Tso};
    use crate::semantics::Machine;

    fn explored<M: MemoryModel>(src: &str, model: &M) -> Explored<M::Mem> {
        let prog = crate::compile(&crate::Source::new("t.gr", src)).unwrap();
        let machine = Machine::new(&prog, model, false);
        let mut strings = Interner::default();
        explore(&machine, Mode::Full, SearchLimits::default(), &mut strings)
    }

    /// Per state: the witness's cost and its steps.
    type Witnesses = Vec<(Option<Cost>, Vec<(u32, u32)>)>;

    fn witnesses<Mm>(ex: &Explored<Mm>) -> Witnesses {
        (0..ex.states.len() as u32)
            .map(|i| (ex.cost(i), ex.path(i)))
            .collect()
    }

    /// Dijkstra's queue as a binary heap: (cost, node) in increasing order.
    fn heap_order<N: Ord + Copy>(start: N, visit: &mut Visit<'_, N>) {
        use std::cmp::Reverse;
        let mut heap = std::collections::BinaryHeap::new();
        heap.push(Reverse(((0u32, 0u32, 0u32), start)));
        let mut pushed = Vec::new();
        while let Some(Reverse((cost, node))) = heap.pop() {
            visit(node, cost, &mut pushed);
            heap.extend(pushed.drain(..).map(Reverse));
        }
    }

    /// An edge gives back what it was made of, at the ends of every range.
    #[test]
    fn edges_keep_their_fields_in_six_bytes() {
        assert_eq!(std::mem::size_of::<Edge>(), 6);
        for to in [0, 1, 0xFFFF, 0x1_0000, u32::MAX] {
            for (gor, after) in [(0, 0), (63, 0), (0, 63), (63, 63), (5, 17)] {
                for (stale, internal) in
                    [(false, false), (true, false), (false, true), (true, true)]
                {
                    let e = Edge::new(to, gor, after, stale, internal);
                    assert_eq!(
                        (e.to(), e.gor(), e.after(), e.stale(), e.internal()),
                        (to, gor, after, stale, internal)
                    );
                }
            }
        }
    }

    /// Sweeping gives the states that cannot end that walking the
    /// predecessors backwards gives (zero sweeps: only the walk), on
    /// graphs with loops that can and cannot be left.
    #[test]
    fn never_ending_sweeps_agree_with_the_backward_walk() {
        let srcs = [
            // a spin loop that ends once the other goroutine has written
            "var x int\nfunc w() {\nx = 1\n}\nfunc main() {\ngo w()\nfor x == 0 {\n}\nprint(x)\n}\n",
            // a spin loop never left when `a` looks too early
            "var x int\nvar y int\nfunc a() {\nif y == 1 {\nx = 1\n}\n}\n\
             func main() {\ngo a()\ny = 1\nfor x == 0 {\n}\n}\n",
        ];
        for src in srcs {
            let ex = explored(src, &Sc);
            let c = Cancel::default();
            let walk = ex.never_ending_sweeping(0, &c).unwrap();
            for sweeps in 1..4 {
                assert_eq!(
                    ex.never_ending_sweeping(sweeps, &c).unwrap(),
                    walk,
                    "{sweeps} sweeps"
                );
            }
            let ex = explored(src, &Tso);
            let walk = ex.never_ending_sweeping(0, &c).unwrap();
            assert_eq!(ex.never_ending(&c).unwrap(), walk);
        }
        let stuck = explored(srcs[1], &Sc)
            .never_ending(&Cancel::default())
            .unwrap();
        assert!(stuck.iter().any(|&s| s) && !stuck.iter().all(|&s| s));
    }

    /// The bucket queue picks exactly the witnesses a heap picks, costs
    /// and ties included, on graphs with stale reads and preemptions.
    #[test]
    fn bucket_queue_witnesses_are_the_heaps() {
        let src = "var x int\nvar y int\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n\
                   func a() {\nx = 1\nmu.Lock()\ny = y + 1\nmu.Unlock()\nprint(y)\nwg.Done()\n}\n\
                   func b() {\ny = 2\nif x == 0 {\nx = y\n}\nwg.Done()\n}\n\
                   func main() {\nwg.Add(3)\ngo a()\ngo b()\ngo a()\nwg.Wait()\nprint(x, y)\n}\n";
        fn same<M: MemoryModel>(src: &str, model: &M) -> usize {
            let mut a = explored(src, model);
            let mut b = explored(src, model);
            let c = Cancel::default();
            a.clearest_witnesses_per_state(cost_order, &c);
            b.clearest_witnesses_per_state(heap_order, &c);
            assert_eq!(witnesses(&a), witnesses(&b), "{}", model.name());
            // the exact search, over (state, goroutine that moved last)
            a.clearest_witnesses_exact(cost_order, &c);
            b.clearest_witnesses_exact(heap_order, &c);
            assert_eq!(witnesses(&a), witnesses(&b), "{} exact", model.name());
            a.states.len()
        }
        assert!(same(src, &Sc) > 100);
        assert!(same(src, &Tso) > same(src, &Sc));
        same(src, &Go);
    }
}
