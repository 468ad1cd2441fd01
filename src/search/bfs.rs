//! The breadth-first search itself ([`explore`]): expand the states in
//! index order, store each successor once, record the transitions, the
//! terminal states and the data races it meets, and report progress.

use super::graph::{Edge, Transitions};
use super::limits::{Limit, Progress, SearchLimits};
use super::outcome::{OutcomeKey, outcome_key};
use super::store::StateStore;
use super::witness::witness_bytes;
use super::{Explored, FoundRace, RaceKey, race_key};
use crate::memory::MemoryModel;
use crate::semantics::{Machine, Mode, Succ};
use crate::state::hb::Record;
use crate::state::{End, EndKind, Interner, State};
use rustc_hash::FxHashSet;

/// How a run that can take no step more ends: as it ended, or in deadlock.
pub(super) fn terminal_end<Mm>(s: &State<Mm>, strings: &mut Interner) -> End {
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
        expanded: 0,
        searched: 0,
        finished_parent: Vec::new(),
        finished: None,
        races: Vec::new(),
        sites: FxHashSet::default(),
        renumbered: 0,
        taken_alone: 0,
        expanded_in_full: FxHashSet::default(),
    };
    let proviso = mode == Mode::Full && machine.proviso();
    let labels = proviso && machine.exact.get();
    let mut twins = Twins::default();
    let taken_before = machine.taken_alone.get();
    let mut races = Races::default();
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
    // The cycle proviso's order of the states, when it is on.
    let mut order = Order::new(proviso);
    let track_depth = limits.max_depth.is_some();
    // The outcomes seen so far, counted for the progress line only.
    let mut seen = limits.progress.as_ref().map(|_| FxHashSet::default());
    let report = |ex: &Explored<M::Mem>, i: usize, done: bool, seen: &Seen| {
        if let Some(p) = &limits.progress {
            p.report(&Progress {
                mode,
                states: ex.states.len(),
                transitions: ex.graph.edge_count(),
                frontier: ex.states.len().saturating_sub(i),
                outcomes: seen.as_ref().map_or(0, |s| s.len()),
                done,
            });
        }
    };
    // The most successors of a state so far.
    let mut widest = 1usize;
    let mut i = 0usize;
    while i < ex.states.len() {
        if i.is_multiple_of(4096) {
            report(&ex, i, false, &seen);
        }
        if let Some(l) = stop_before(machine, &ex, i, &limits, widest) {
            ex.stopped = Some(l);
            break;
        }
        let (s, numbers) = &ex.states.get_numbered(i as u32);
        // After a run ends, only the memory system may still move (flushing
        // store buffers); the run's final state is where nothing moves.
        let cuts = machine.cuts();
        if twins.full.contains(&(i as u32)) {
            machine.successors_in_full(s, mode, strings, &mut out);
            ex.expanded_in_full.insert(i as u32);
        } else {
            machine.successors(s, mode, strings, false, &mut out);
        }
        if machine.stop_at_stubborn.get() && machine.stubborn_taken.get() > 0 {
            // (to be searched again: what it found so far is not used)
            break;
        }
        widest = widest.max(out.len());
        if limits.max_depth.is_some_and(|d| depth[i] >= d) {
            // A state reached in the most steps allowed: a run that ends
            // here is seen whole; any step further is cut off.
            if out.is_empty() && machine.cuts() == cuts {
                ex.terminals.push((i as u32, terminal_end(s, strings)));
                count(&mut seen, machine, s, ex.terminals.last());
            } else if !out.is_empty() {
                ex.stopped.get_or_insert(Limit::MaxDepth);
            }
            i += 1;
            continue;
        }
        let before = ex.states.len() as u32;
        let mut reduced = proviso && machine.reduced.get() && !twins.full.contains(&(i as u32));
        let stored = loop {
            perms.clear();
            for succ in &mut out {
                perms.push(machine.canonicalize(&mut succ.state));
            }
            if labels {
                twins.meet(&mut out, &ex.states, i as u32);
            }
            found_states.clear();
            let stored =
                ex.states
                    .insert_row(out.iter().map(|x| &x.state), s, numbers, &mut found_states);
            if labels {
                twins.note(&out, &found_states);
            }
            // The cycle proviso: a cycle of the graph passes a step back to
            // a state found no later than its source; where the reduction
            // would take such a step, every step is taken, so that every
            // cycle passes a state expanded in full.
            if stored && reduced && order.back(i as u32, &found_states) {
                machine.successors_in_full(s, mode, strings, &mut out);
                machine.taken_alone.set(machine.taken_alone.get() - 1);
                ex.expanded_in_full.insert(i as u32);
                reduced = false;
                continue;
            }
            break stored;
        };
        ex.renumbered += perms.iter().filter(|p| p.is_some()).count() as u64;
        // (with no successor because a limit cut every step, the run does
        // not end here: the search only stops, and says where)
        if out.is_empty() && machine.cuts() == cuts {
            ex.terminals.push((i as u32, terminal_end(s, strings)));
            count(&mut seen, machine, s, ex.terminals.last());
        }
        races.of_steps(i as u32, &out, strings, &mut ex.races);
        races.found.clear();
        if mode == Mode::Full && s.end.is_none() {
            races.pending(machine, s, &out, &mut ex.sites);
        }
        targets.clear();
        row.clear();
        order.found(i as u32, &out, &found_states);
        for (k, (succ, &(j, _))) in out.iter().zip(&found_states).enumerate() {
            targets.push(j);
            if j >= before && j as usize == depth.len() && track_depth {
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
        for &(k, h, a, b) in &races.found {
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
    if ex.stopped.is_none() {
        ex.stopped = machine_limit(machine);
    }
    ex.taken_alone = machine.taken_alone.get() - taken_before;
    ex.expanded = i;
    ex.searched = ex.states.len();
    if limits.finish_runs
        && limits.max_depth.is_none()
        && ex.stopped.is_some_and(Limit::finishes_runs)
    {
        let before = ex.terminals.len();
        super::finish::finish_runs(machine, mode, &mut ex, i, &limits.cancel, strings);
        for t in before..ex.terminals.len() {
            let s = ex.states.get(ex.terminals[t].0);
            count(&mut seen, machine, &s, ex.terminals.get(t));
        }
    }
    report(&ex, i, true, &seen);
    ex
}

/// The outcomes seen so far, when counted (for the progress line).
type Seen = Option<FxHashSet<OutcomeKey>>;

/// Count the outcome of a run that ended at `s` (as `end` says).
#[inline(never)]
fn count<M: MemoryModel>(
    seen: &mut Seen,
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    end: Option<&(u32, End)>,
) {
    if let (Some(seen), Some(&(_, end))) = (seen, end) {
        seen.insert(outcome_key(
            machine.prog,
            machine.model,
            s,
            end.kind,
            end.msg,
        ));
    }
}

/// The cycle proviso's order of the stored states. Every cycle of the
/// graph has a step to a state no later than its source in any order in
/// which each new state comes after the state it was found from; where the
/// reduction would take such a step, every step is taken, so that every
/// cycle passes a state expanded in full. The order is by the goroutine
/// steps on the path the state was found by, then the memory system's own
/// steps (flushes) on it, then the index: a flush or a sync step that
/// drains a buffer reaches the same state in one step more or fewer, and
/// by index alone a state found by the shorter path from a later state
/// would look like the end of a cycle.
struct Order {
    on: bool,
    /// Per state: goroutine steps (high half) and flushes (low half).
    key: Vec<u64>,
}

/// A state stored but not keyed (a row the proviso redid in full).
const UNKEYED: u64 = u64::MAX;

impl Order {
    fn new(on: bool) -> Self {
        Order {
            on,
            key: if on { vec![0] } else { Vec::new() },
        }
    }

    /// The order key of a state found from one keyed `from` by `succ`.
    fn after<Mm>(from: u64, succ: &Succ<Mm>) -> u64 {
        from.saturating_add(if succ.internal { 1 } else { 1 << 32 })
            .min(UNKEYED - 1)
    }

    /// Does a step of state `i` go to a state stored no later than `i`?
    /// A state not keyed yet is keyed by this row (after `i`) if found
    /// after `i` (new in this row), else counts by its index.
    fn back(&self, i: u32, found: &[(u32, bool)]) -> bool {
        let k = self.key[i as usize];
        found.iter().any(
            |&(j, _)| match self.key.get(j as usize).filter(|&&kj| kj != UNKEYED) {
                Some(&kj) => (kj, j) <= (k, i),
                None => j <= i,
            },
        )
    }

    /// Key the states first found in state `i`'s row.
    fn found<Mm>(&mut self, i: u32, out: &[Succ<Mm>], found: &[(u32, bool)]) {
        if !self.on {
            return;
        }
        let k = self.key[i as usize];
        for (succ, &(j, _)) in out.iter().zip(found) {
            let j = j as usize;
            if j >= self.key.len() {
                self.key.resize(j + 1, UNKEYED);
            }
            if self.key[j] == UNKEYED {
                self.key[j] = Self::after(k, succ);
            }
        }
    }
}

/// Under stubborn sets a state records which set it is expanded with
/// (`State::current`, see `Machine::last_mover`), so one configuration may
/// be found with several. Twins found before either is expanded meet: a
/// successor whose twin is stored and not yet expanded goes to that twin,
/// which is then expanded in full (a superset of both sets); one whose
/// twin is expanded in full goes to it.
#[derive(Default)]
struct Twins {
    /// Stored states by the hash of their configuration (all but
    /// `current`), with their `current`.
    by_config: rustc_hash::FxHashMap<u64, smallvec::SmallVec<[(u32, u16); 2]>>,
    /// States to expand in full when their turn comes.
    full: FxHashSet<u32>,
    /// The configuration hash of each successor at hand (from `meet` to
    /// `note`).
    hashes: Vec<u64>,
}

impl Twins {
    fn config_hash<Mm: std::hash::Hash>(st: &State<Mm>) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        st.mem.hash(&mut h);
        st.sync.hash(&mut h);
        st.chans.hash(&mut h);
        st.gors.hash(&mut h);
        st.output.hash(&mut h);
        st.end.hash(&mut h);
        st.hb.hash(&mut h);
        h.finish()
    }

    /// Send each successor of state `i` whose configuration is stored with
    /// another set to that twin where it may (see [`Twins`]).
    fn meet<Mm: crate::state::codec::Codec + std::hash::Hash + Eq + Clone>(
        &mut self,
        out: &mut [Succ<Mm>],
        states: &super::store::StateStore<Mm>,
        i: u32,
    ) {
        use crate::reduce::por::LAST_FULL;
        self.hashes.clear();
        for x in out.iter_mut() {
            let h = Self::config_hash(&x.state);
            self.hashes.push(h);
            let Some(list) = self.by_config.get(&h) else {
                continue;
            };
            for &(j, label) in list {
                if label == x.state.current {
                    break;
                }
                let mut twin = states.get(j);
                twin.current = x.state.current;
                if twin != x.state {
                    continue;
                }
                let full = label == LAST_FULL || self.full.contains(&j);
                if full || j > i {
                    if !full {
                        self.full.insert(j);
                    }
                    x.state.current = label;
                    break;
                }
            }
        }
    }

    /// Record the new states among these successors (after `meet`).
    fn note<Mm>(&mut self, out: &[Succ<Mm>], found: &[(u32, bool)]) {
        for ((x, &(j, new)), &h) in out.iter().zip(found).zip(&self.hashes) {
            if new {
                self.by_config
                    .entry(h)
                    .or_default()
                    .push((j, x.state.current));
            }
        }
    }
}

/// Why the search must stop before expanding state `i`, if it must.
#[inline]
fn stop_before<M: MemoryModel>(
    machine: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    i: usize,
    limits: &SearchLimits,
    widest: usize,
) -> Option<Limit> {
    if ex.states.full() || ex.graph.full() {
        return Some(Limit::StoreFull);
    }
    if let Some(max) = limits.max_states
        && ex.states.len() >= max
    {
        // Every state found is kept, but no more are generated.
        return Some(Limit::MaxStates);
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
        return Some(l);
    }
    machine_limit(machine)
}

/// A limit of the semantics that a step met (a `go` beyond the goroutine
/// limit, a `make` whose pool is used up): the runs that needed more were
/// not explored.
pub(super) fn machine_limit<M: MemoryModel>(machine: &Machine<'_, M>) -> Option<Limit> {
    if let Some((line, col)) = machine.goroutine_limit_hit() {
        return Some(Limit::Goroutines { line, col });
    }
    if let Some((line, col)) = machine.map_limit_hit() {
        return Some(Limit::MapEntries { line, col });
    }
    if let Some((line, col)) = machine.struct_limit_hit() {
        return Some(Limit::Structs { line, col });
    }
    machine
        .heap_limit_hit()
        .map(|(line, col)| Limit::Channels { line, col })
}

/// The data races the search finds, one per variable and pair of source
/// locations.
#[derive(Default)]
struct Races {
    /// The variables and pairs of locations found racing so far.
    pairs: FxHashSet<RaceKey>,
    /// The accesses the goroutines of the state at hand are about to make.
    pending: Vec<Record>,
    /// The state's new races of two pending accesses: the successor that
    /// takes the first access, the goroutine that then makes the second,
    /// and the two accesses.
    found: Vec<(usize, u16, Record, Record)>,
}

impl Races {
    /// The races the steps out of state `i` made (happens-before tracked).
    #[inline]
    fn of_steps<Mm>(
        &mut self,
        i: u32,
        out: &[Succ<Mm>],
        strings: &Interner,
        races: &mut Vec<FoundRace>,
    ) {
        for (k, succ) in out.iter().enumerate() {
            for &(a, b) in &succ.races {
                let (ra, rb) = (strings.records[a as usize], strings.records[b as usize]);
                if self.pairs.insert(race_key(&ra, &rb)) {
                    races.push(FoundRace {
                        state: i,
                        k: k as u32,
                        then: None,
                        a: ra,
                        b: rb,
                    });
                }
            }
        }
    }

    /// Two goroutines about to make conflicting accesses race, whatever
    /// happened before (no edge can order two steps not yet taken): the new
    /// pairs go to `found`, every pending access to `sites`.
    #[inline]
    fn pending<M: MemoryModel>(
        &mut self,
        machine: &Machine<'_, M>,
        s: &State<M::Mem>,
        out: &[Succ<M::Mem>],
        sites: &mut FxHashSet<(u32, u32, u32, bool)>,
    ) {
        let pending = &mut self.pending;
        pending.clear();
        for g in 0..s.gors.len() {
            machine.pending_accesses(s, g, pending);
        }
        for (x, a) in pending.iter().enumerate() {
            for b in &pending[x + 1..] {
                if a.slot == b.slot
                    && a.g != b.g
                    && machine.prog.conflicts(a.slot, a.write, b.write)
                {
                    let key = race_key(a, b);
                    if self.pairs.contains(&key) {
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
                        self.pairs.insert(key);
                        self.found.push((k, h, x, y));
                    }
                }
            }
        }
        sites.extend(
            pending
                .iter()
                .map(|r| (r.func as u32, r.pc, r.slot, r.write)),
        );
    }
}
