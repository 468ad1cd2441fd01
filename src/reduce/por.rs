//! Partial-order reduction: at a state where one goroutine's next step
//! commutes with everything the others can do before it, that step alone
//! is expanded (a persistent set of one step, `Machine::ample`).
//!
//! Soundness (docs/DESIGN.md, "Reductions", **Partial-order reduction**)
//! rests on these obligations, each kept where noted:
//!
//! - *Independence*: only a `go` when no other goroutine can ever start one
//!   (`spawners`, from `ir::flow::reaching`), an `Unlock` of a Mutex the
//!   goroutine holds, or a `Done` of the group main waits on that no other
//!   decrement can make fail (`wg_lowering`, from `ir::flow::wg_lowering`,
//!   and no other waiter): the checks in `Machine::ample`. A `sync.Once`'s
//!   steps (`OnceDo`, `OnceDone`) and a `sync.Cond`'s are never taken
//!   alone; none of these touches a Once or a Cond's waiters, and a
//!   `CondLock` is blocked while its mutex is held, as a `Lock` is.
//! - *No foreign unlock*: that an owner's `Unlock` is independent assumes no
//!   goroutine unlocks a mutex it does not hold. `Machine::ample` records
//!   any such pending unlock in `Machine::foreign_unlock`, and the analysis
//!   then redoes the search with `Machine::unlock_alone` off. A
//!   `cond.Wait()` unlocks its mutex too (`CondWait`): checked the same way.
//! - *Main's return*: an `Unlock` or `Done` is dependent on it, so it is
//!   taken alone only while main is blocked at `Wait` on a counter the
//!   others cannot bring to zero without it (`Machine::main_waits_for`).
//! - *A dying goroutine*: its step ends the run (its panic, as main's
//!   return does), which disables every other step: while a goroutine is
//!   dying nothing is taken alone.
//! - *Invisibility*: the memory model must see nothing of the step (an
//!   empty store buffer: `quiet` in `Machine::ample`).
//! - *The run goes on*: a step taken alone must yield exactly one successor
//!   that does not end the run; else every goroutine is expanded. Checked
//!   on the successor by the caller, `gor_successors` in
//!   `semantics/mod.rs`, which also counts `taken_alone`.
//! - *Cycle proviso*: a `go` raises the number of goroutines, an `Unlock`
//!   lowers the number of held mutexes, a `Done` lowers a counter, and no
//!   step taken alone undoes one, so every cycle passes a fully expanded
//!   state. A new kind of step taken alone must keep such a measure.
//! - *Classes*: the serial search is never reduced (`gor_successors` in
//!   `Mode::Serial` ignores the reduction).
//!
//! Where none of the three kinds applies (under every model that says
//! `MemoryModel::footprint_conflicts`), a stubborn set of goroutines and
//! store buffers is expanded instead (`Machine::stubborn`, docs/DESIGN.md,
//! **Stubborn sets** and **Weak memory: tso**), with these obligations:
//!
//! - *Closure*: no goroutine outside can, from its current places, make a
//!   fact (`ir::footprint`) that conflicts with a member's next step, or
//!   end the run; facts under a mutex a member holds (one only its holder
//!   unlocks) and main's after a `Wait` the members must enable do not
//!   count (`AtState::close`, `AtState::conflicts`). No buffer outside
//!   holds a write of a slot a member's step conflicts with writes of; a
//!   member's step that drains its buffer (`drains`) brings the buffer in,
//!   with a write of each slot in it; a buffer in brings its goroutine in.
//! - *Flushes*: a step taken alone has an empty buffer and touches no
//!   memory, so it is expanded without any flush; a stubborn set with its
//!   buffers' flushes only (`gor_successors`, `expand`).
//! - *The run goes on*: the members' steps exist and none ends the run
//!   (checked on the successors in `gor_successors`).
//! - *Cost*: where no set leaves anything out (the symmetric racy
//!   programs, at nearly every state) computing them must cost little:
//!   each set is found once per configuration (`Memo`: a pure function of
//!   what it reads), from facts gathered once per state (`AtState`).
//! - *Cycle proviso*: the search expands in full a state whose reduced
//!   successors include one found no later than it (`search::bfs`,
//!   `Machine::proviso`), for these sets and, while they are on, for the
//!   three kinds above.
//! - *Witnesses*: where a witness may show a preemption the check uses
//!   exact sets (`Machine::exact`): the goroutine that moved last alone
//!   (`Machine::last_mover`), so no cheapest witness needs a preemption
//!   more.

use crate::ir::footprint::{Footprints, Fp};
use crate::ir::{Instr, Ref, SyncKind};
use crate::memory::MemoryModel;
use crate::semantics::{Machine, Operands, dying, exits};
use crate::state::State;

impl<M: MemoryModel> Machine<'_, M> {
    /// A goroutine whose next step may be taken alone: a persistent set of
    /// one step (see docs/DESIGN.md, "Reductions"). Three kinds of step:
    ///
    /// - `Unlock` of a `sync.Mutex` the goroutine holds. While it holds it,
    ///   every other goroutine's `Lock` of it is blocked, and (assumed, and
    ///   checked: see [`Machine::foreign_unlock`]) no other goroutine
    ///   unlocks it; nothing else touches a mutex.
    /// - `go`, when no other goroutine can ever start one (the new
    ///   goroutine's number would depend on the order). Starting a
    ///   goroutine touches nothing another goroutine reads or writes.
    /// - a decrement of the wait group main waits on, when no other
    ///   goroutine can wait and no decrement of the others can fail, before
    ///   or after it.
    ///
    /// Each commutes with every step the others can take and is never
    /// disabled by them, provided the memory model makes it observable to
    /// no one (an empty store buffer: under tso a sync step drains it) and
    /// it does not end the run (checked by the caller on the successor).
    /// An `Unlock` lowers the number of held mutexes, a decrement lowers a
    /// counter and a `go` raises the number of goroutines, so no cycle is made of such steps alone: every
    /// cycle passes a fully expanded state (the cycle proviso).
    pub(crate) fn ample(&self, s: &State<M::Mem>) -> Option<usize> {
        let mut unlock = None;
        let mut spawn = None;
        let mut done = None;
        let mut spawners = 0;
        let mut waiters = 0;
        for (g, gor) in s.gors.iter().enumerate() {
            if dying(gor) {
                // its exit disables every step: dependent on all of them
                return None;
            }
            let Some(fr) = gor.frames.last() else {
                continue;
            };
            let f = &self.prog.funcs[fr.func as usize];
            match f.code[fr.pc as usize] {
                Instr::Unlock(r) => {
                    if let Ok(o) = Operands::of(s, g).resolve(r, 0)
                        && self.prog.sync_kinds[o as usize] == SyncKind::Mutex
                    {
                        if s.sync[o as usize] != g as i64 + 1 {
                            self.foreign_unlock.set(true);
                        } else if unlock.is_none() && self.unlock_alone.get() {
                            unlock = Some(g);
                        }
                    }
                }
                // Wait unlocks the Cond's mutex: held by another goroutine,
                // that is a foreign unlock too
                Instr::CondWait { mu, .. } if s.sync[mu as usize] != g as i64 + 1 => {
                    self.foreign_unlock.set(true);
                }
                Instr::Go { .. } if spawn.is_none() => spawn = Some(g),
                Instr::WgAdd(r) if done.is_none() => {
                    let ops = Operands::of(s, g);
                    let delta = ops.nth(0).expect("Add's delta");
                    if let Ok(o) = ops.resolve(r, 1)
                        && delta < 0
                        && s.sync[o as usize] + delta >= 0
                    {
                        done = Some((g, o, s.sync[o as usize] + delta));
                    }
                }
                _ => {}
            }
            spawners += gor.frames.iter().any(|fr| self.spawners[fr.func as usize]) as usize;
            if g > 0 {
                waiters += gor.frames.iter().any(|fr| self.waiters[fr.func as usize]) as usize;
            }
        }
        let quiet = |g: usize| self.model.buffered(&s.mem, g).is_empty();
        // the goroutine at the `go` is a spawner itself; no other may be
        unlock
            .filter(|&g| quiet(g) && self.main_waits_for(s, g))
            .or(done
                .filter(|&(g, o, new)| {
                    // no decrement of the others can fail, before or after
                    // this one: two that could would not commute
                    waiters == 0
                        && quiet(g)
                        && self.main_waits_for(s, g)
                        && (g == 0 || self.main_waits_on(s) == Some(o))
                        && self.lowering_by_others(s, g) <= new as u64
                })
                .map(|(g, _, _)| g))
            .or(spawn.filter(|&g| spawners == 1 && quiet(g)))
    }

    /// Can main not return before goroutine `g` takes a step? (Else an
    /// `Unlock` of `g` is not independent of main's return, which turns
    /// the goroutines blocked on that mutex into leaks.) True when `g` is
    /// main, or main waits on a wait group whose counter the others cannot
    /// bring to zero without `g`.
    pub(crate) fn main_waits_for(&self, s: &State<M::Mem>, g: usize) -> bool {
        if g == 0 {
            return true;
        }
        let Some(w) = self.main_waits_on(s) else {
            return false;
        };
        self.lowering_by_others(s, g) < s.sync[w as usize].max(0) as u64
    }

    /// The most the goroutines other than main and `g` can still lower
    /// wait-group counters by ([`wg_lowering`]).
    fn lowering_by_others(&self, s: &State<M::Mem>, g: usize) -> u64 {
        let mut others: u64 = 0;
        for (h, gor) in s.gors.iter().enumerate().skip(1) {
            if h != g {
                for fr in &gor.frames {
                    let b = self.wg_lowering[fr.func as usize][fr.pc as usize];
                    others = others.saturating_add(b);
                }
            }
        }
        others
    }

    /// The wait group main is about to wait on, if it is.
    fn main_waits_on(&self, s: &State<M::Mem>) -> Option<u32> {
        let Some((_, Instr::WgWait(r))) = self.instr(s, 0) else {
            return None;
        };
        Operands::of(s, 0).resolve(r, 0).ok()
    }
}

/// A small bit set of facts.
type Bits = smallvec::SmallVec<[u64; 8]>;

/// `State::current` under stubborn sets when no stubborn set includes the
/// goroutine that moved last: the state is expanded in full.
pub(crate) const LAST_FULL: u16 = u16::MAX;

/// A state as the stubborn sets see it (see [`Machine::stubborn`]). What
/// a closure reads of each goroutine is gathered into bit sets of facts
/// once per state (its next step's facts when first asked for), so that
/// the closure of every seed is bit operations: at a state where every
/// closure is everyone (the symmetric racy programs, at nearly every
/// state) computing them costs little next to the step.
struct AtState<'f, M: MemoryModel> {
    m: &'f Machine<'f, M>,
    s: &'f State<M::Mem>,
    fp: &'f Footprints,
    /// Live goroutines (bits by number).
    live: u64,
    /// Goroutines surely blocked (at a `Wait` on a counter above zero, a
    /// `Lock` of a held Mutex): a set with every other live goroutine
    /// expands as much as all of them.
    blocked: u64,
    /// Can no wait-group decrement fail (every counter at least what all
    /// goroutines can still lower counters by)?
    wg_safe: bool,
    /// Per goroutine: the tracked mutexes it holds (lock bits).
    held: smallvec::SmallVec<[u64; 8]>,
    /// Per goroutine: the most it can still lower wait-group counters by.
    lowering: smallvec::SmallVec<[u64; 8]>,
    /// Goroutines whose store buffer holds a write (bits by number).
    bufs: u64,
    /// Goroutines whose next step's facts are in [`Row::Next`], and those
    /// of them whose step ends the run (or who have none).
    known: u64,
    ends: u64,
    /// Main's facts after the `Wait`s it is cut at (`fp.main_cut`) do not
    /// count when the goroutines outside a set can lower counters by less
    /// than this (the least of those counters; 0 when main is not at such a
    /// place, or one of them is not above zero).
    main_cut: u64,
    /// Goroutines whose next step drains their store buffer (`drains`).
    drains: u64,
    /// Goroutines with a fact made under a mutex in a frame's footprint:
    /// their conflicts look at the frames, with the mutexes a set holds.
    guarded: u64,
    /// Per goroutine, the rows of [`Row`], `fp.words` words each.
    rows: smallvec::SmallVec<[u64; 40]>,
}

/// The fact sets kept per goroutine in [`AtState::rows`].
#[derive(Clone, Copy)]
enum Row {
    /// The facts that conflict with its next step (`Machine::step_facts`).
    Next,
    /// Its future's facts made with no mutex held: every frame's
    /// footprint (`Fp::free`).
    Future,
    /// A write of each slot in its store buffer (`fp.slots + x`): the
    /// facts a mask must have for the buffer to join a set.
    Pending,
    /// Both facts of each slot in its buffer: a drain's.
    Drain,
    /// Both facts of the slot of its oldest pending write: a flush's.
    Oldest,
}

const ROWS: usize = 5;

/// Does `a` share a fact with `b`?
fn meets(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// Add the facts of `b` to `a`.
fn add(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x |= y;
    }
}

/// The most configurations [`Memo`] keeps of each kind: two generations
/// of half as many (see [`Generations`]).
const MEMO_SIZE: usize = 1 << 14;

/// The stubborn sets found so far (`Machine::stubborn`), by all they are
/// computed from ([`Machine::memo_key`]): each goroutine's places, what
/// its next step names, whether it is panicking, dying or done; the
/// mutexes and wait groups; each store buffer's slots. Not the values in
/// memory, in the buffers or in the goroutines' locals, which no footprint
/// looks at. The symmetric racy programs meet the same few configurations
/// at most of their states (incr_n4_k3 under sc: 16 at the 20,734 states
/// where it looks for a set), where every closure is everyone. A key is the configuration's
/// contents, not the goroutines' identity, so a successor not stored yet
/// (whose moved goroutine is a new copy: `Machine::last_mover`) and
/// another search of the same program under the same model (the
/// happens-before search, [`Memo::take`]) find the sets known.
#[derive(Default)]
pub(crate) struct Memo {
    /// The smallest set per configuration.
    smallest: std::cell::RefCell<Generations<Option<Set>>>,
    /// Per configuration, the goroutines whose closure is themselves
    /// alone (bits by number), for the exact sets.
    alone: std::cell::RefCell<Generations<u64>>,
    /// The key being made (its room kept from one to the next).
    key: std::cell::RefCell<Vec<u64>>,
}

impl Memo {
    /// What this memo knows, leaving it empty: for another machine of the
    /// same program and model (the sets do not depend on happens-before).
    pub(crate) fn take(&self) -> Memo {
        Memo {
            smallest: self.smallest.take().into(),
            alone: self.alone.take().into(),
            key: Default::default(),
        }
    }
}

/// A configuration as [`Memo`] keys it: words (see `Machine::memo_key`).
type Key = Box<[u64]>;

/// A map that keeps the configurations met most recently: new ones go to
/// the young generation; when it is full it becomes the old one (the old
/// one is dropped), and a configuration found in the old one moves back
/// to the young. A run that meets more configurations than fit keeps
/// those it meets again, instead of starting from nothing.
struct Generations<V> {
    young: rustc_hash::FxHashMap<Key, V>,
    old: rustc_hash::FxHashMap<Key, V>,
}

impl<V> Default for Generations<V> {
    fn default() -> Self {
        Generations {
            young: Default::default(),
            old: Default::default(),
        }
    }
}

impl<V: Copy> Generations<V> {
    fn get(&mut self, key: &[u64]) -> Option<V> {
        if let Some(&v) = self.young.get(key) {
            return Some(v);
        }
        let (key, v) = self.old.remove_entry(key)?;
        self.insert(key, v);
        Some(v)
    }

    fn insert(&mut self, key: impl Into<Key>, v: V) {
        let key = key.into();
        if self.young.len() >= MEMO_SIZE / 2 {
            // (swapped, not replaced: both keep their tables' room)
            std::mem::swap(&mut self.young, &mut self.old);
            self.young.clear();
        }
        self.young.insert(key, v);
    }
}

/// The reference a step's facts name its object by, with the number of
/// values above its index (`Machine::step_facts`, and the blocked steps in
/// `Machine::at_state`, resolve it so; the other steps name their objects
/// statically or not at all).
fn named(ins: Instr) -> Option<(Ref, usize)> {
    match ins {
        Instr::Read(r)
        | Instr::Lock(r)
        | Instr::Unlock(r)
        | Instr::RLock(r)
        | Instr::RUnlock(r)
        | Instr::WgWait(r)
        | Instr::Recv(r, _)
        | Instr::Close(r) => Some((r, 0)),
        Instr::Write(r) | Instr::WgAdd(r) | Instr::Send(r) => Some((r, 1)),
        _ => None,
    }
}

/// A stubborn set: goroutines whose steps it takes, and goroutines whose
/// store buffer's flush it takes (bits by number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Set {
    pub(crate) gors: u64,
    pub(crate) bufs: u64,
}

/// Does a step at `ins` drain its goroutine's store buffer? Every sync
/// operation does, a `go`, and a print (a fence under tso, as on x86);
/// taken as every step but a plain read or write and local computation
/// (more is only less reduction).
fn drains(ins: Instr) -> bool {
    ins.is_visible() && !matches!(ins, Instr::Read(_) | Instr::Write(_))
}

impl<M: MemoryModel> AtState<'_, M> {
    /// Goroutine `g`'s row `r`.
    fn row(&self, g: usize, r: Row) -> &[u64] {
        let w = self.fp.words;
        let at = (g * ROWS + r as usize) * w;
        &self.rows[at..at + w]
    }

    fn row_mut(&mut self, g: usize, r: Row) -> &mut [u64] {
        let w = self.fp.words;
        let at = (g * ROWS + r as usize) * w;
        &mut self.rows[at..at + w]
    }

    /// The facts that conflict with live goroutine `g`'s next step, or
    /// `None` when it conflicts with every step (main's return).
    fn next(&mut self, g: usize) -> Option<&[u64]> {
        if self.known >> g & 1 == 0 {
            let (m, s, fp) = (self.m, self.s, self.fp);
            let ok = m.step_facts(s, g, fp, self.row_mut(g, Row::Next));
            self.known |= 1 << g;
            self.ends |= (!ok as u64) << g;
        }
        (self.ends >> g & 1 == 0).then(|| self.row(g, Row::Next))
    }

    /// The closure of `{seed}`: the goroutines (and store buffers) that
    /// must be in a stubborn set with it; `None` if that leaves out no
    /// goroutine that may move and no buffer that may flush.
    fn close(&mut self, seed: usize) -> Option<Set> {
        self.closure(seed, false)
    }

    /// Is `{seed}` with some buffers a stubborn set ([`AtState::close`]
    /// is `seed` alone)? Gives up as soon as another goroutine must join.
    fn alone(&mut self, seed: usize) -> bool {
        self.closure(seed, true).is_some()
    }

    /// [`AtState::close`]; `None` too, when `alone`, as soon as a goroutine
    /// other than `seed` must join.
    fn closure(&mut self, seed: usize, alone: bool) -> Option<Set> {
        let (fp, n) = (self.fp, self.s.gors.len());
        if seed >= n || self.live >> seed & 1 == 0 {
            return None;
        }
        let mut mask: Bits = smallvec::smallvec![0u64; fp.words];
        Footprints::set(&mut mask, fp.end);
        if !self.wg_safe {
            Footprints::set(&mut mask, fp.done);
        }
        let (mut set, mut held, mut bufs) = (0u64, 0u64, 0u64);
        let mut todo = 1u64 << seed;
        loop {
            while todo != 0 {
                let g = todo.trailing_zeros() as usize;
                todo &= todo - 1;
                add(&mut mask, self.next(g)?);
                set |= 1 << g;
                held |= self.held[g];
                // a step that drains g's buffer writes what is in it, and
                // disables its flushes: the buffer is in the set
                if (self.bufs & self.drains) >> g & 1 == 1 {
                    bufs |= 1 << g;
                    add(&mut mask, self.row(g, Row::Drain));
                }
            }
            if self.live & !self.blocked & !set == 0 && self.bufs & !bufs == 0 {
                return None;
            }
            // A buffer outside flushes (or its goroutine drains) the slots
            // in it, a write of each. One in the set takes its oldest
            // write's flush, and its goroutine comes too: a sync step of
            // that goroutine would drain the buffer, disabling the flush.
            let mut grew = false;
            let mut out = self.bufs & !bufs;
            while out != 0 {
                let h = out.trailing_zeros() as usize;
                out &= out - 1;
                if meets(self.row(h, Row::Pending), &mask) {
                    bufs |= 1 << h;
                    add(&mut mask, self.row(h, Row::Oldest));
                    todo |= (self.live & !set) & 1 << h;
                    grew = true;
                }
            }
            let lowered = self.lowered_outside(set);
            let mut out = self.live & !set;
            while out != 0 {
                let h = out.trailing_zeros() as usize;
                out &= out - 1;
                if self.conflicts(h, &mask, held, lowered) {
                    todo |= 1 << h;
                }
            }
            if todo == 0 && !grew {
                return Some(Set { gors: set, bufs });
            }
            if alone && todo != 0 {
                return None;
            }
        }
    }

    /// The most the goroutines outside `set` can lower counters by.
    fn lowered_outside(&self, set: u64) -> u64 {
        (0..self.s.gors.len())
            .filter(|&h| set >> h & 1 == 0)
            .fold(0u64, |a, h| a.saturating_add(self.lowering[h]))
    }

    /// Can goroutine `h`, outside the set, make a fact of `mask` before the
    /// set moves, while the set holds the mutexes `held` (lock bits)?
    /// Main's facts after a `Wait` it cannot pass without the set
    /// (`lowered`: the most the goroutines outside can lower counters by)
    /// do not count.
    fn conflicts(&self, h: usize, mask: &[u64], held: u64, lowered: u64) -> bool {
        let fp = self.fp;
        let hits = |at: &Fp| {
            meets(&at.free, mask)
                || at
                    .guarded
                    .iter()
                    .any(|&(b, m)| m & held == 0 && Footprints::has(mask, b))
        };
        let frames = &self.s.gors[h].frames;
        if h == 0
            && lowered < self.main_cut
            && let [fr] = frames[..]
        {
            return hits(&fp.main_cut[fr.pc as usize]);
        }
        meets(self.row(h, Row::Future), mask)
            || self.guarded >> h & 1 == 1
                && frames
                    .iter()
                    .any(|fr| hits(&fp.at[fr.func as usize][fr.pc as usize]))
    }
}

impl<M: MemoryModel> Machine<'_, M> {
    /// Does the search need the cycle proviso (are stubborn sets used)?
    pub(crate) fn proviso(&self) -> bool {
        self.por && self.footprints().is_some()
    }

    /// The footprints, computed on first use; `None` where the stubborn
    /// sets are not used: under a model whose steps interfere beyond their
    /// footprints (tso: a flush is a step no footprint names, see
    /// `MemoryModel::footprint_conflicts`) and in a program that makes
    /// channels from pools (a `make`'s result depends on which channels
    /// the others hold).
    pub(crate) fn footprints(&self) -> Option<&Footprints> {
        self.footprints
            .get_or_init(|| {
                (self.model.footprint_conflicts() && self.prog.heap_sites.is_empty())
                    .then(|| Footprints::new(self.prog))
            })
            .as_ref()
    }

    /// A stubborn set of goroutines and store buffers whose steps alone
    /// are a persistent set at `s`, leaving out some goroutine that may
    /// move or buffer that may flush; `None` if there is none. See
    /// docs/DESIGN.md, "Reductions", **Stubborn sets**: a set is closed
    /// when no goroutine or buffer outside it can, in its future, make a
    /// fact that conflicts with the next step of one inside it, nor end the
    /// run, discounting the facts made under a mutex someone inside holds
    /// and main's after a `Wait` that needs the set. It always holds the
    /// goroutine that moved last (`State::current`, see
    /// [`Machine::last_mover`]) when the sets are exact. Either is found
    /// once per configuration of what the closures read ([`Memo`]).
    pub(crate) fn stubborn(&self, s: &State<M::Mem>) -> Option<Set> {
        if !(2..=64).contains(&s.gors.len()) || s.end.is_some() {
            return None;
        }
        self.footprints()?;
        let key = &mut *self.memo.key.borrow_mut();
        self.memo_key(s, key);
        if self.exact.get() {
            // only the goroutine that moved last, alone (see `exact`)
            let last = s.current as usize;
            if last >= s.gors.len() || self.alone(s, key) >> last & 1 == 0 {
                return None;
            }
            let set = self.at_state(s)?.close(last)?;
            return (set.gors == 1 << last).then_some(set);
        }
        let mut memo = self.memo.smallest.borrow_mut();
        if let Some(set) = memo.get(key) {
            // (under test every set found is computed again: the key must
            // hold everything a closure reads)
            #[cfg(test)]
            assert_eq!(set, self.smallest(s), "a memoised stubborn set differs");
            return set;
        }
        let set = self.smallest(s);
        memo.insert(&key[..], set);
        set
    }

    /// The goroutines `g` at `s` for which `{g}` (with whatever buffers)
    /// is a stubborn set (bits by number), found once per configuration:
    /// `key` is `s`'s ([`Machine::memo_key`]).
    fn alone(&self, s: &State<M::Mem>, key: &[u64]) -> u64 {
        let mut memo = self.memo.alone.borrow_mut();
        let find = || {
            self.at_state(s).map_or(0, |mut at| {
                (0..s.gors.len())
                    .filter(|&g| at.alone(g))
                    .fold(0, |a, g| a | 1 << g)
            })
        };
        if let Some(alone) = memo.get(key) {
            #[cfg(test)]
            assert_eq!(alone, find(), "memoised exact sets differ");
            return alone;
        }
        let alone = find();
        memo.insert(key, alone);
        alone
    }

    /// Everything a stubborn set at `s` is computed from, as words (the
    /// key of [`Memo`]): the number of goroutines; per goroutine its
    /// frames' places, whether it is panicking, its unwinding state,
    /// for main whether a deferred call of its first frame is pending (its
    /// return waits for it: `exits`), and the object its next step names
    /// when an operand names it; the mutexes and wait groups (whether a
    /// `Lock` or `Wait` is blocked, who holds what, what main waits for,
    /// whether a decrement may fail); each buffer's slots, by goroutine,
    /// oldest first. Each goroutine's words are as many as its frames say,
    /// so the words of two configurations are equal only if they are.
    fn memo_key(&self, s: &State<M::Mem>, key: &mut Vec<u64>) {
        key.clear();
        key.push(s.gors.len() as u64);
        for (g, gor) in s.gors.iter().enumerate() {
            let frames = &gor.frames[..];
            // (only main's return waits for its first frame's deferred call)
            let first_deferred = g == 0 && crate::semantics::pending_at(gor, 1);
            key.push(
                frames.len() as u64
                    | (gor.unwind as u64) << 8
                    | ((gor.panicking != 0) as u64) << 24
                    | (first_deferred as u64) << 25,
            );
            key.extend(
                frames
                    .iter()
                    .map(|fr| (fr.func as u64) << 32 | fr.pc as u64),
            );
            if let Some(top) = frames.last()
                && let Some((r, values)) =
                    named(self.prog.funcs[top.func as usize].code[top.pc as usize])
                && crate::semantics::is_indexed(r)
            {
                let o = Operands::of(s, g).resolve(r, values);
                key.push(o.map_or(u64::MAX, u64::from));
            }
        }
        if let Some(fp) = self.footprints() {
            key.extend(fp.read_sync.iter().map(|&o| s.sync[o as usize] as u64));
        }
        let from = key.len();
        self.model
            .pending(&s.mem, &mut |g, x| key.push((g as u64) << 32 | x as u64));
        // (stable: each goroutine's writes stay in their order)
        if !key[from..].is_sorted_by_key(|w| w >> 32) {
            key[from..].sort_by_key(|w| w >> 32);
        }
    }

    /// The smallest closure of a goroutine at `s` ([`Machine::stubborn`]).
    fn smallest(&self, s: &State<M::Mem>) -> Option<Set> {
        let mut at = self.at_state(s)?;
        let size = |x: &Set| (x.gors.count_ones(), x.bufs.count_ones());
        let mut best: Option<Set> = None;
        for seed in 0..s.gors.len() {
            if let Some(set) = at.close(seed)
                && best.is_none_or(|b| size(&set) < size(&b))
            {
                best = Some(set);
                if size(&set) == (1, 0) {
                    break;
                }
            }
        }
        best
    }

    /// What goes into `State::current` of a successor `s` whose step was
    /// taken by goroutine `g`: `g` when `{g}` is a stubborn set there
    /// (with whatever buffers), else [`LAST_FULL`] (the state is expanded
    /// in full). Only a state's expansion depends on it, so states that
    /// differ in nothing else meet.
    pub(crate) fn last_mover(&self, s: &State<M::Mem>, g: usize) -> u16 {
        if !(2..=64).contains(&s.gors.len()) || s.end.is_some() || self.footprints().is_none() {
            return LAST_FULL;
        }
        let key = &mut *self.memo.key.borrow_mut();
        self.memo_key(s, key);
        match self.alone(s, key) >> g & 1 {
            1 => g as u16,
            _ => LAST_FULL,
        }
    }

    /// `s` as the stubborn sets see it (`None` where they are not used, or
    /// where a goroutine is panicking: its panic may end the run).
    fn at_state<'f>(&'f self, s: &'f State<M::Mem>) -> Option<AtState<'f, M>> {
        let fp = self.footprints()?;
        let n = s.gors.len();
        if !(2..=64).contains(&n) || s.end.is_some() {
            return None;
        }
        let w = fp.words;
        let mut at = AtState {
            m: self,
            s,
            fp,
            live: 0,
            blocked: 0,
            wg_safe: true,
            held: smallvec::smallvec![0; n],
            lowering: smallvec::smallvec![0; n],
            bufs: 0,
            known: 0,
            ends: 0,
            guarded: 0,
            main_cut: 0,
            drains: 0,
            rows: smallvec::smallvec![0; n * ROWS * w],
        };
        let mut pending: smallvec::SmallVec<[(usize, u32); 16]> = smallvec::SmallVec::new();
        self.model.pending(&s.mem, &mut |g, x| pending.push((g, x)));
        for (g, x) in pending {
            if g >= n {
                return None;
            }
            let first = at.bufs >> g & 1 == 0;
            at.bufs |= 1 << g;
            Footprints::set(at.row_mut(g, Row::Pending), fp.slots + x);
            Footprints::set(at.row_mut(g, Row::Drain), x);
            Footprints::set(at.row_mut(g, Row::Drain), fp.slots + x);
            if first {
                Footprints::set(at.row_mut(g, Row::Oldest), x);
                Footprints::set(at.row_mut(g, Row::Oldest), fp.slots + x);
            }
        }
        for (h, gor) in s.gors.iter().enumerate() {
            if gor.panicking != 0 || dying(gor) {
                return None;
            }
            if gor.done() {
                continue;
            }
            at.live |= 1 << h;
            let (mut lowering, mut guarded) = (0u64, false);
            let future = at.row_mut(h, Row::Future);
            for fr in &gor.frames {
                let (f, pc) = (fr.func as usize, fr.pc as usize);
                lowering = lowering.saturating_add(self.wg_lowering[f][pc]);
                add(future, &fp.at[f][pc].free);
                guarded |= !fp.at[f][pc].guarded.is_empty();
            }
            at.lowering[h] = lowering;
            at.guarded |= (guarded as u64) << h;
            let ins = self.instr(s, h).map(|(_, i)| i);
            at.drains |= (ins.is_some_and(drains) as u64) << h;
            let blocked = match self.instr(s, h) {
                Some((_, Instr::WgWait(r))) => Operands::of(s, h)
                    .resolve(r, 0)
                    .is_ok_and(|o| s.sync[o as usize] != 0),
                Some((_, Instr::Lock(r))) => Operands::of(s, h).resolve(r, 0).is_ok_and(|o| {
                    self.prog.sync_kinds[o as usize] == SyncKind::Mutex && s.sync[o as usize] != 0
                }),
                _ => false,
            };
            at.blocked |= (blocked as u64) << h;
        }
        for &(o, b) in &fp.locks {
            let owner = s.sync[o as usize];
            if owner > 0 && (owner as usize) <= n {
                at.held[owner as usize - 1] |= 1 << b;
            }
        }
        if let [fr] = s.gors[0].frames[..] {
            let waits = fp.main_waits[fr.pc as usize];
            if waits != 0 && waits != u64::MAX {
                let (mut least, mut rest) = (u64::MAX, waits);
                while rest != 0 {
                    let o = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    least = least.min(s.sync[o].max(0) as u64);
                }
                at.main_cut = least;
            }
        }
        let total = at.lowering.iter().fold(0u64, |a, &l| a.saturating_add(l));
        at.wg_safe = total == 0
            || (fp.wait_groups.iter())
                .all(|&o| s.sync[o as usize] >= 0 && s.sync[o as usize] as u64 >= total);
        Some(at)
    }

    /// The facts that conflict with goroutine `g`'s next step (in the
    /// space of others' futures); `None` when it conflicts with every
    /// step (main's return) or `g` is done.
    fn step_facts(&self, s: &State<M::Mem>, g: usize, fp: &Footprints, bits: &mut [u64]) -> bool {
        let Some((_, ins)) = self.instr(s, g) else {
            return false;
        };
        if exits(g, &s.gors[g], ins) {
            return false;
        }
        let ops = Operands::of(s, g);
        let nsync = self.prog.sync_kinds.len() as u32;
        let nchan = self.prog.chans.len() as u32;
        let all_sync = |bits: &mut [u64]| {
            for o in 0..nsync {
                Footprints::set(bits, fp.sync_base + o);
            }
        };
        let all_chans = |bits: &mut [u64]| {
            for c in 0..nchan {
                Footprints::set(bits, fp.chan_base + c);
            }
        };
        // (what `Machine::memo_key` keys a step by)
        let named = named(ins).map(|(r, values)| ops.resolve(r, values));
        let sync = |bits: &mut [u64]| match named {
            Some(Ok(o)) if o < nsync => Footprints::set(bits, fp.sync_base + o),
            _ => all_sync(bits),
        };
        let chan = |bits: &mut [u64]| match named {
            Some(Ok(c)) if c < nchan => Footprints::set(bits, fp.chan_base + c),
            _ => all_chans(bits),
        };
        match ins {
            Instr::Read(_) => {
                if let Some(Ok(x)) = named {
                    Footprints::set(bits, fp.slots + x);
                }
            }
            Instr::Write(_) => {
                if let Some(Ok(x)) = named {
                    Footprints::set(bits, x);
                    Footprints::set(bits, fp.slots + x);
                }
            }
            Instr::Lock(_)
            | Instr::Unlock(_)
            | Instr::RLock(_)
            | Instr::RUnlock(_)
            | Instr::WgWait(_)
            | Instr::WgAdd(_) => sync(bits),
            Instr::Atomic(_, r) | Instr::OnceDo(r) | Instr::OnceDone(r) => match r {
                Ref::Fixed(o) => Footprints::set(bits, fp.sync_base + o),
                _ => all_sync(bits),
            },
            Instr::CondWait { cond, mu } | Instr::CondLock { cond, mu } => {
                Footprints::set(bits, fp.sync_base + cond);
                Footprints::set(bits, fp.sync_base + mu);
            }
            Instr::CondNotify { cond, .. } => Footprints::set(bits, fp.sync_base + cond),
            Instr::Send(_) | Instr::Recv(..) | Instr::Close(_) => chan(bits),
            Instr::Select(id) => {
                for c in &self.prog.selects[id as usize].cases {
                    match c.chan {
                        Ref::Fixed(x) => Footprints::set(bits, fp.chan_base + x),
                        _ => all_chans(bits),
                    }
                }
            }
            Instr::Go { .. } => Footprints::set(bits, fp.spawn),
            Instr::Print(_) => Footprints::set(bits, fp.output),
            Instr::MapGet { .. }
            | Instr::MapLen
            | Instr::MapWrite { .. }
            | Instr::MapStore { .. }
            | Instr::MapNext
            | Instr::MapShow => Footprints::set(bits, fp.maps),
            Instr::New(k) => {
                Footprints::set(bits, fp.sync_base + self.prog.struct_sites[k as usize].sync)
            }
            // local computation (out of fuel): touches nothing shared
            _ => {}
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{CheckOptions, check};
    use crate::memory::{Memory, MemoryModel, WithModel};

    /// Every set the memo gives is the set computed afresh (checked in
    /// `Machine::stubborn` and `Machine::alone` under test), on every
    /// program of the corpus under every model: the key holds everything
    /// a closure reads.
    #[test]
    fn memoised_sets_are_the_sets_computed_on_the_corpus() {
        struct Check<'p>(&'p crate::ir::Program);
        impl WithModel for Check<'_> {
            type Output = usize;
            fn run<M: MemoryModel>(self, model: &M) -> usize {
                check(self.0, model, CheckOptions::default()).stats.states
            }
        }
        let mut checked = 0;
        for (name, text) in crate::corpus(&["programs", "programs/litmus"], &["gr"]) {
            let s = crate::Source::new(name, &text);
            let Ok(prog) = crate::compile(&s) else {
                continue;
            };
            for m in Memory::ALL {
                checked += (m.with(Check(&prog)) > 0) as usize;
            }
        }
        assert!(checked > 100, "{checked} checks");
    }
}
