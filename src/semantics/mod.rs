//! The step semantics: from a state, every successor, one per choice of
//! goroutine (and of value, case or partner). This is the one function of
//! (program, state) → successors that every search uses.
//!
//! This file holds the [`Machine`], the walk over goroutines
//! ([`Machine::successors`]) and the making of successors; each
//! instruction's semantics is in the file of its family: `local.rs`
//! (arithmetic, locals, calls and returns), `shared.rs` (plain reads and
//! writes, the happens-before hooks), `sync.rs` (mutexes, wait groups,
//! atomics), `chan.rs` (send, receive, close, select), `spawn.rs` (`go`,
//! `print`, main's return, runtime errors) and `describe.rs` (what reports
//! say about steps and waiting goroutines). The reductions are in
//! `crate::reduce`, the static analyses and fusion in `crate::ir`.

use crate::ir::flow::{ViewUses, plain_reads, reaching, view_uses};
use crate::ir::fuse::{Fused, fuse};
use crate::ir::*;
use crate::memory::{Future, Internal, MemoryModel};
use crate::state::*;

mod chan;
mod defer;
mod describe;
mod heap;
mod local;
mod maps;
mod pools;
mod shared;
mod spawn;
mod spin;
mod sync;

#[cfg(test)]
pub(crate) use defer::DEFER_LIMIT as DEFER_LIMIT_MESSAGE;
pub(crate) use defer::{dying, pending_at};
pub(crate) use spawn::exits;
pub(crate) use spin::silent;

/// The static analyses other modules reach here (kept at this path).
use crate::ir::flow::wg_lowering;

/// Local instructions one step may run before the goroutine is paused (so
/// that a loop without steps still yields a state, which then repeats).
pub const FUEL: u32 = 100_000;
/// Deepest call stack of a goroutine.
pub const MAX_FRAMES: usize = 64;
/// Most goroutines one run may start (a `go` in an unbounded loop stops the
/// search with a clear message instead of exhausting memory).
pub const MAX_GOROUTINES: usize = 64;

/// Which successors to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every goroutine may step at every state.
    Full,
    /// No preemption: the current goroutine runs until it blocks, ends or
    /// spins (`spin.rs`).
    Serial,
}

/// A successor: the goroutine that stepped, the new state and (when asked
/// for) what the step did.
#[derive(Clone, Debug)]
pub struct Succ<Mm> {
    pub gor: u16,
    pub state: State<Mm>,
    pub desc: String,
    /// Data races this step completes: (earlier access, this access), as
    /// record ids of the [`Interner`].
    pub races: Vec<(u32, u32)>,
    /// Did this step read a value other than the latest write?
    pub stale: bool,
    /// Is this a step of the memory system (a store-buffer flush)?
    pub internal: bool,
}

/// The other side of goroutine `g`'s step from `before` to `after` when it
/// is a rendezvous: the one other goroutine the step moved.
pub fn partner<Mm>(before: &State<Mm>, after: &State<Mm>, g: usize) -> Option<usize> {
    let mut moved = (0..before.gors.len().min(after.gors.len()))
        .filter(|&h| h != g && before.gors[h] != after.gors[h]);
    let h = moved.next()?;
    moved.next().is_none().then_some(h)
}

/// Where one expansion's successors go and how they are made: the list,
/// the interner (for messages, classes and races), whether to write step
/// descriptions, and whether an unbuffered rendezvous is generated from
/// the receiver's side too (otherwise only from the sender's, so that each
/// appears once).
pub(crate) struct Out<'o, Mm> {
    list: &'o mut Vec<Succ<Mm>>,
    strings: &'o mut Interner,
    describe: bool,
    both_sides: bool,
}

/// A successor being made in place, the last of its list (see
/// [`Machine::start`]); holding the list, so that nothing else is added to
/// it until [`Machine::finish`] or [`Machine::push`] completes this one.
struct Making<'o, Mm> {
    out: &'o mut Vec<Succ<Mm>>,
    strings: &'o mut Interner,
    describe: bool,
}

impl<Mm> Making<'_, Mm> {
    #[inline(always)]
    fn succ(&mut self) -> &mut Succ<Mm> {
        self.out.last_mut().expect("started by Machine::start")
    }

    #[inline(always)]
    fn state(&mut self) -> &mut State<Mm> {
        &mut self.succ().state
    }

    /// The state being made and the interner, at once.
    #[inline(always)]
    fn parts(&mut self) -> (&mut State<Mm>, &mut Interner) {
        let succ = self.out.last_mut().expect("started by Machine::start");
        (&mut succ.state, self.strings)
    }
}

/// A goroutine's operand stack as an instruction at a step finds it:
/// operands are counted from the top, where the instruction's values lie
/// above the index of its reference (if the reference is indexed).
#[derive(Clone, Copy)]
pub(crate) struct Operands<'d>(&'d [i64]);

impl<'d> Operands<'d> {
    #[inline(always)]
    pub(crate) fn of<Mm>(s: &'d State<Mm>, g: usize) -> Self {
        Operands(&s.gors[g].data)
    }

    /// The `n`-th operand from the top (0: the top), if there is one.
    #[inline(always)]
    pub(crate) fn nth(self, n: usize) -> Option<i64> {
        self.0.len().checked_sub(n + 1).map(|i| self.0[i])
    }

    /// The element `r` names, when the instruction has `values` operands
    /// above the index (which is only read if `r` is indexed).
    #[inline(always)]
    pub(crate) fn resolve(self, r: Ref, values: usize) -> Result<u32, String> {
        resolve(
            r,
            if is_indexed(r) {
                self.nth(values)
            } else {
                None
            },
        )
    }

    /// The topmost `n` operands, deepest first.
    #[inline(always)]
    pub(crate) fn top(self, n: usize) -> &'d [i64] {
        &self.0[self.0.len() - n..]
    }
}

/// How many operands an instruction with `values` operands above the
/// index of `r` pops.
#[inline(always)]
fn popped(r: Ref, values: usize) -> usize {
    values + is_indexed(r) as usize
}

/// The semantics of one program under one memory model.
pub struct Machine<'a, M: MemoryModel> {
    pub prog: &'a Program,
    pub model: &'a M,
    /// Track happens-before for race detection.
    pub track_hb: bool,
    /// Symmetry reduction: keep the goroutines other than main in a
    /// canonical order (see [`Machine::canonicalize`]).
    pub symmetry: bool,
    /// Partial-order reduction: a `go`, an owner's `Unlock` or a `Done`
    /// that nothing else can observe is taken alone (`Machine::ample`), and
    /// a stubborn set of goroutines (and store buffers) is expanded where
    /// one exists (`Machine::stubborn`; both in `crate::reduce::por`).
    pub por: bool,
    /// Take an owner's `Unlock` alone (off after a search saw a goroutine
    /// about to unlock a mutex it does not hold).
    pub unlock_alone: std::cell::Cell<bool>,
    /// Did a search see a goroutine about to unlock a mutex it does not
    /// hold (which `Machine::ample` assumes never happens)?
    pub foreign_unlock: std::cell::Cell<bool>,
    /// Functions that may start a goroutine (directly or through a call).
    pub(crate) spawners: Vec<bool>,
    /// Functions that may wait on a wait group (or call or start one that does).
    pub(crate) waiters: Vec<bool>,
    /// Per function and pc: the most a goroutine there can still lower
    /// wait-group counters by, with what it calls and starts
    /// ([`UNBOUNDED`](crate::ir::flow::UNBOUNDED) in a loop or with a computed delta).
    pub(crate) wg_lowering: Vec<Vec<u64>>,
    /// The footprints the stubborn sets are computed from (`reduce::por`),
    /// made on first use; `None` inside where they are not used.
    pub(crate) footprints: std::cell::OnceCell<Option<crate::ir::footprint::Footprints>>,
    /// The stubborn sets found so far (`reduce::por::Memo`).
    pub(crate) memo: crate::reduce::por::Memo,
    /// Stubborn sets that keep the fewest preemptions of every outcome's
    /// witness: a state records the goroutine that moved last
    /// (`State::current`), and a stubborn set is that goroutine alone.
    /// Smaller than the full graph, larger than the default stubborn sets
    /// (the smallest closure of any goroutine); the check uses it when a
    /// witness may show a preemption (`analysis::searches`).
    pub exact: std::cell::Cell<bool>,
    /// End the search at the first state expanded with a stubborn set (it
    /// is to be made again with exact sets, `analysis::searches`).
    pub stop_at_stubborn: std::cell::Cell<bool>,
    /// Was the last expansion reduced (for the cycle proviso of the search)?
    pub reduced: std::cell::Cell<bool>,
    /// States expanded by one `go` or `Unlock` step alone, so far.
    pub taken_alone: std::cell::Cell<u64>,
    /// States expanded with a stubborn set (`crate::reduce::por`), so far:
    /// while none was, witnesses keep the fewest preemptions without the
    /// exact sets' second search.
    pub stubborn_taken: std::cell::Cell<u64>,
    /// When tracking: only the accesses at these (function, pc) sites
    /// (`None`: every site).
    pub hb_sites: Option<rustc_hash::FxHashSet<(FuncId, u32)>>,
    /// Per function and pc: the plain slots a goroutine there may still
    /// read ([`plain_reads`]).
    reads: Vec<Vec<Vec<u64>>>,
    /// Where views still matter ([`view_uses`]), for a model that
    /// normalises: computed on first use, under reduction only.
    views: std::cell::OnceCell<ViewUses>,
    /// First carrier of each channel: close, free space, then one per buffer slot.
    chan_carrier: Vec<usize>,
    carriers: usize,
    /// Where a `go` statement hit [`MAX_GOROUTINES`], if one did.
    goroutine_limit: std::cell::Cell<Option<(u32, u32)>>,
    /// Runs of local instructions taken as one ([`fuse`]).
    pub(crate) fused: Vec<Vec<Fused>>,
    /// The operand stacks' types, for the walk over the channels `make`
    /// creates (`heap.rs`); `None` when every `make` runs at most once, or
    /// when shared memory may hold a channel (which the walk does not
    /// look into: nothing is freed then).
    stack_types: Option<crate::ir::refs::StackTypes>,
    /// Where a `make` found its pool used up, if one did.
    heap_limit: std::cell::Cell<Option<(u32, u32)>>,
    /// Where a map write found its map full, if one did (`maps.rs`).
    map_limit: std::cell::Cell<Option<(u32, u32)>>,
    /// Where a `&T{…}` found its pool used up, if one did (`pools.rs`).
    struct_limit: std::cell::Cell<Option<(u32, u32)>>,
    /// How many steps a limit has cut so far: a state whose expansion cut
    /// one is not where its run ends (`Machine::cuts`).
    cuts: std::cell::Cell<u64>,
    /// Free unreachable channels (`heap.rs`) and structs (`pools.rs`);
    /// off only in the self-check that freeing loses nothing.
    pub(crate) free: bool,
    /// Does the walk free the structs of pools? Some pool's structs can be
    /// freed (`StructSite::slots`) and no shared variable or map holds a
    /// struct pointer (the walk does not look into shared memory or maps).
    free_structs: bool,
    /// The struct values the runs of this machine made ([`Ty::Struct`]):
    /// value `v` is the fields `structs[v - 1]`, 0 the zero value.
    pub(crate) structs: std::cell::RefCell<StructValues>,
}

impl<M: MemoryModel> Machine<'_, M> {
    /// Struct value `v` of type `k` as Go's `%v` prints it: `{1 alice
    /// true}` (the lowering lets only integer, bool and string fields, and
    /// struct values of them, be printed).
    pub(crate) fn show_struct(&self, k: u16, v: i64, strings: &Interner) -> String {
        let fields: Vec<String> = self.prog.struct_fields[k as usize]
            .iter()
            .enumerate()
            .map(|(i, (_, t))| {
                let f = self.structs.borrow().field(v, i);
                match t {
                    Ty::Str => strings.get(f as u32).to_string(),
                    Ty::Struct(k) => self.show_struct(*k, f, strings),
                    _ => t.show(f),
                }
            })
            .collect();
        format!("{{{}}}", fields.join(" "))
    }
}

/// The table of struct values: each distinct list of field values once,
/// so that equal struct values are equal numbers (`==` on them is `==`
/// on numbers) and two states holding equal values are one state.
#[derive(Default)]
pub(crate) struct StructValues(indexmap::IndexSet<Box<[i64]>, rustc_hash::FxBuildHasher>);

impl StructValues {
    /// The number of the struct value whose fields are `fields`.
    pub(crate) fn value(&mut self, fields: &[i64]) -> i64 {
        if fields.iter().all(|&f| f == 0) {
            return 0;
        }
        match self.0.get_index_of(fields) {
            Some(i) => i as i64 + 1,
            None => self.0.insert_full(fields.into()).0 as i64 + 1,
        }
    }

    /// Field `i` of struct value `v` (of the zero value: 0).
    pub(crate) fn field(&self, v: i64, i: usize) -> i64 {
        match v {
            0 => 0,
            // (a value is a number this table gave: never out of range)
            _ => self.0[(v - 1) as usize][i],
        }
    }
}

/// The element `r` names in its table, given its index (if indexed; a
/// missing index reads as 0), or Go's message for an index out of range
/// (a runtime error: its text carries Go's prefix, [`runtime_error`]).
#[inline(always)]
pub(crate) fn resolve(r: Ref, idx: Option<i64>) -> Result<u32, String> {
    match r {
        Ref::Fixed(s) => Ok(s),
        Ref::Indexed { base, len } => {
            let i = idx.unwrap_or(0);
            if i < 0 {
                Err(runtime_error(&format!("index out of range [{i}]")))
            } else if i >= len as i64 {
                Err(runtime_error(&format!(
                    "index out of range [{i}] with length {len}"
                )))
            } else {
                Ok(base + i as u32)
            }
        }
        Ref::Dyn => match idx.unwrap_or(0) {
            0 => Err(NIL.into()),
            v => Ok(v as u32 - 1),
        },
    }
}

/// What [`resolve`] says of a nil object: Go's panic for a method of a
/// nil pointer (a nil channel instead blocks a send or receive for ever,
/// and is never ready in a `select`).
pub(crate) const NIL: &str = "runtime error: invalid memory address or nil pointer dereference";

/// The panic message of a runtime error `msg` raised by the runtime itself
/// (a division by zero, an index out of range, a nil dereference): Go's
/// `runtime error: ` before it, as `recover()`'s value prints and as the
/// exit by the panic reads. The prefix is given where the runtime raises
/// the error, never chosen from a panic's text: a program's own
/// `panic("integer divide by zero")` has none, as in Go. (Go's other
/// runtime panics — `send on closed channel`, `close of closed channel`,
/// `assignment to entry in nil map` — have no prefix in Go either.)
pub(crate) fn runtime_error(msg: &str) -> String {
    format!("runtime error: {msg}")
}

/// Is the element chosen at run time (its index or the object is an operand)?
pub(crate) fn is_indexed(r: Ref) -> bool {
    matches!(r, Ref::Indexed { .. } | Ref::Dyn)
}

impl<'a, M: MemoryModel> Machine<'a, M> {
    /// The semantics of `prog` under `model`, with happens-before tracked
    /// for race detection when `track_hb`; reductions off until set.
    pub fn new(prog: &'a Program, model: &'a M, track_hb: bool) -> Self {
        // carriers: each sync object, then a readers' carrier per sync object
        // (used by RWMutexes), then per channel: close, free space, slots.
        let nsync = prog.sync_kinds.len();
        let mut next = 2 * nsync;
        let mut chan_carrier = Vec::new();
        for c in &prog.chans {
            chan_carrier.push(next);
            next += 2 + c.cap as usize;
        }
        Machine {
            prog,
            model,
            track_hb,
            hb_sites: None,
            symmetry: false,
            por: false,
            spawners: reaching(prog, |i| matches!(i, Instr::Go { .. })),
            waiters: reaching(prog, |i| matches!(i, Instr::WgWait(_))),
            wg_lowering: wg_lowering(prog),
            // only a model that forgets writes asks who may still read
            reads: if model.normalizes() {
                plain_reads(prog)
            } else {
                Vec::new()
            },
            views: std::cell::OnceCell::new(),
            taken_alone: std::cell::Cell::new(0),
            stubborn_taken: std::cell::Cell::new(0),
            footprints: std::cell::OnceCell::new(),
            memo: Default::default(),
            reduced: std::cell::Cell::new(false),
            exact: std::cell::Cell::new(false),
            stop_at_stubborn: std::cell::Cell::new(false),
            unlock_alone: std::cell::Cell::new(true),
            foreign_unlock: std::cell::Cell::new(false),
            chan_carrier,
            carriers: next,
            goroutine_limit: std::cell::Cell::new(None),
            fused: fuse(prog),
            // a channel in shared memory (a struct's channel field) is a
            // reference the walk does not see: made channels then stay
            stack_types: ((!prog.heap_sites.is_empty() || frees_structs(prog))
                && !prog.plain_tys.iter().any(|t| matches!(t, Ty::Chan(_))))
            .then(|| crate::ir::refs::stack_types(prog)),
            free_structs: frees_structs(prog),
            heap_limit: std::cell::Cell::new(None),
            structs: Default::default(),
            map_limit: std::cell::Cell::new(None),
            struct_limit: std::cell::Cell::new(None),
            cuts: std::cell::Cell::new(0),
            free: true,
        }
    }

    /// The location of a `go` statement that would have exceeded
    /// [`MAX_GOROUTINES`] (such a step is not generated).
    pub fn goroutine_limit_hit(&self) -> Option<(u32, u32)> {
        self.goroutine_limit.get()
    }

    /// The `make` whose pool of channels was found used up, if one was
    /// (that run is not explored further).
    pub fn heap_limit_hit(&self) -> Option<(u32, u32)> {
        self.heap_limit.get()
    }

    /// The map write that found its map full, if one did (that run is not
    /// explored further).
    pub fn map_limit_hit(&self) -> Option<(u32, u32)> {
        self.map_limit.get()
    }

    /// A limit cut a step here (`first`: where a limit of its kind was
    /// first met, which the search reports).
    fn cut(&self, first: &std::cell::Cell<Option<(u32, u32)>>, loc: (u32, u32)) {
        if first.get().is_none() {
            first.set(Some(loc));
        }
        self.cuts.set(self.cuts.get() + 1);
    }

    /// How many steps a limit has cut so far. A state with no successor
    /// whose expansion cut one is not the end of a run (not a deadlock: a
    /// goroutine could have gone on), only where the search stopped.
    pub fn cuts(&self) -> u64 {
        self.cuts.get()
    }

    /// The `&T{…}` whose pool of structs was found used up, if one was
    /// (that run is not explored further).
    pub fn struct_limit_hit(&self) -> Option<(u32, u32)> {
        self.struct_limit.get()
    }

    /// Forget the limits a step met (runs finished after a search stopped
    /// met one: the searches after them must not take it as theirs).
    pub(crate) fn forget_limits_hit(&self) {
        self.goroutine_limit.set(None);
        self.heap_limit.set(None);
        self.map_limit.set(None);
        self.struct_limit.set(None);
    }

    /// The initial state: main at its first step.
    pub fn initial(&self, strings: &mut Interner) -> State<M::Mem> {
        let mainf = &self.prog.funcs[self.prog.main as usize];
        let mut s = State {
            mem: self.model.init(self.prog, self.carriers),
            sync: self.initial_sync(strings),
            chans: vec![ChanState::default(); self.prog.chans.len()].into_boxed_slice(),
            gors: smallvec::smallvec![std::rc::Rc::new(Gor {
                func: self.prog.main,
                class: 0,
                frames: smallvec::smallvec![Frame {
                    func: self.prog.main,
                    pc: 0,
                    base: 0,
                }],
                data: smallvec::smallvec![0; mainf.nlocals as usize],
                ..Gor::default()
            })],
            output: 0,
            end: None,
            current: 0,
            hb: self
                .track_hb
                .then(|| Box::new(crate::state::hb::Hb::new(self.carriers))),
        };
        self.run_local(&mut s, 0, strings);
        self.collect(&mut s, false, Some(strings));
        s
    }

    /// The sync table at the start: the objects, then each map's block
    /// with the entries of its top-level literal.
    fn initial_sync(&self, strings: &mut Interner) -> Words {
        let mut sync: Words = self.prog.sync_init.iter().copied().collect();
        for m in &self.prog.maps {
            let at = sync.len();
            sync.0.extend(std::iter::repeat_n(0, MAP_WORDS));
            let text = |v: i64, t: Ty, strings: &mut Interner| match t {
                Ty::Str => strings.intern(&self.prog.strings[v as usize]) as i64,
                _ => v,
            };
            for &(k, v) in &m.init {
                let (k, v) = (text(k, m.ty.key(), strings), text(v, m.ty.val(), strings));
                maps::store(&mut sync[at..], m.ty.key(), k, Some(v), strings);
            }
        }
        sync
    }

    /// Goroutine `g`'s running frame and next instruction (`None`: done).
    pub(crate) fn instr(&self, s: &State<M::Mem>, g: usize) -> Option<(Frame, Instr)> {
        let fr = *s.gors[g].frames.last()?;
        Some((fr, self.prog.funcs[fr.func as usize].code[fr.pc as usize]))
    }

    /// Source location (line, col) of goroutine `g`'s next step.
    pub fn loc(&self, s: &State<M::Mem>, g: usize) -> (u32, u32) {
        match s.gors[g].frames.last() {
            Some(fr) => self.prog.funcs[fr.func as usize].locs[fr.pc as usize],
            None => (0, 0),
        }
    }

    /// The successors of `s` the search takes, in a fixed order (goroutine,
    /// then choice): under partial-order reduction perhaps only one step.
    pub fn successors(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        self.expand(s, mode, strings, describe, self.por, out)
    }

    /// Every successor of `s`, whatever the reductions.
    pub fn successors_unreduced(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        self.expand(s, mode, strings, describe, false, out)
    }

    /// Every successor of `s`, as the reduced search stores them when its
    /// cycle proviso expands a state in full (recording the goroutine that
    /// moved, as `Machine::stubborn` needs).
    pub fn successors_in_full(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        self.expand(s, mode, strings, false, false, out);
        if mode == Mode::Full && self.proviso() && self.exact.get() {
            self.note_movers(out);
        }
    }

    /// The successors of `s` (all, or a persistent set under `reduce`),
    /// then the memory system's own steps.
    fn expand(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        describe: bool,
        reduce: bool,
        list: &mut Vec<Succ<M::Mem>>,
    ) {
        list.clear();
        let mut out = Out {
            list,
            strings,
            describe,
            both_sides: mode == Mode::Serial,
        };
        // the buffers whose flushes are taken (bits by goroutine)
        let mut flushes = u64::MAX;
        if s.end.is_none() {
            flushes = self.gor_successors(s, mode, reduce, &mut out);
            if describe {
                self.describe_drains(s, out.list, out.strings);
            }
        }
        // The memory system's own steps (store-buffer flushes), also after the end.
        let mut internal: Vec<Internal<M::Mem>> = Vec::new();
        if s.end.is_none() {
            self.model.internal(&s.mem, &mut internal);
        } else {
            self.model.internal_after_end(&s.mem, &mut internal);
        }
        let first_flush = out.list.len();
        for i in internal {
            if i.g < 64 && flushes >> i.g & 1 == 0 {
                continue;
            }
            let mut mk = Self::start(s, &mut out);
            let text = match mk.describe {
                true => self.describe_flush(i.slot, i.value, mk.strings),
                false => String::new(),
            };
            let st = mk.state();
            st.mem = i.mem;
            mk.succ().internal = true;
            self.push(mk, i.g, || text);
        }
        if mode == Mode::Full && reduce && self.proviso() {
            self.note_movers(&mut out.list[first_flush..]);
        }
    }

    /// The goroutines' steps: every goroutine's (or one taken alone) in
    /// full mode; the current goroutine's while it can go on in serial
    /// mode. Returns the goroutines whose store buffer's flush is to be
    /// taken too (bits by number): all but where a reduction took a set.
    fn gor_successors(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        reduce: bool,
        out: &mut Out<M::Mem>,
    ) -> u64 {
        match mode {
            Mode::Full => {
                self.reduced.set(false);
                if let Some(g) = reduce.then(|| self.ample(s)).flatten() {
                    let from = out.list.len();
                    self.gor_steps(s, g, out);
                    let list = &mut *out.list;
                    if list.len() == from + 1 && list[from].state.end.is_none() {
                        self.taken_alone.set(self.taken_alone.get() + 1);
                        self.reduced.set(true);
                        if self.proviso() {
                            self.note_movers(&mut list[from..]);
                        }
                        // it touches no memory (its buffer is empty): it
                        // commutes with every flush
                        return 0;
                    }
                    list.truncate(from);
                }
                if let Some(set) = reduce.then(|| self.stubborn(s)).flatten() {
                    let from = out.list.len();
                    for g in 0..s.gors.len() {
                        if set.gors >> g & 1 == 1 {
                            self.gor_steps(s, g, out);
                        }
                    }
                    let list = &mut *out.list;
                    if (list.len() > from || set.bufs != 0)
                        && list[from..].iter().all(|x| x.state.end.is_none())
                    {
                        self.taken_alone.set(self.taken_alone.get() + 1);
                        self.stubborn_taken.set(self.stubborn_taken.get() + 1);
                        self.reduced.set(true);
                        self.note_movers(&mut list[from..]);
                        return set.bufs;
                    }
                    list.truncate(from);
                }
                let from = out.list.len();
                for g in 0..s.gors.len() {
                    self.gor_steps(s, g, out);
                }
                if reduce && self.proviso() {
                    self.note_movers(&mut out.list[from..]);
                }
                u64::MAX
            }
            Mode::Serial => {
                let cur = s.current as usize;
                self.gor_steps(s, cur, out);
                // a spinning goroutine waits, as a blocked one (spin.rs)
                if out.list.is_empty() || self.spins_now(s, cur, out) {
                    self.serial_switch(s, cur, out);
                } else {
                    let list = &mut *out.list;
                    for x in list.iter_mut() {
                        x.state.current = cur as u16;
                    }
                    // A rendezvous is a step of both sides: either may go on
                    // (as in Go, where the sender goes on after handing its
                    // value to a receiver that was already waiting).
                    for k in 0..list.len() {
                        if let Some(h) = partner(s, &list[k].state, cur) {
                            let mut x = list[k].clone();
                            x.state.current = h as u16;
                            list.push(x);
                        }
                    }
                }
                u64::MAX
            }
        }
    }

    /// Under stubborn sets, a state records the goroutine that moved last
    /// (`State::current`), which the next stubborn set always includes.
    fn note_movers(&self, list: &mut [Succ<M::Mem>]) {
        if !self.exact.get() {
            return;
        }
        for x in list.iter_mut() {
            // a flush moves no goroutine: the last mover stays, if it is
            // still a stubborn set alone
            let g = match x.internal {
                false => x.gor as usize,
                true if x.state.current == crate::reduce::por::LAST_FULL => continue,
                true => x.state.current as usize,
            };
            x.state.current = self.last_mover(&x.state, g);
        }
    }

    /// Can goroutine `g` take a step (it is neither done nor blocked)?
    pub fn can_step(&self, s: &State<M::Mem>, g: usize, strings: &mut Interner) -> bool {
        let mut list = Vec::new();
        let mut out = Out {
            list: &mut list,
            strings,
            describe: false,
            both_sides: true,
        };
        self.gor_steps(s, g, &mut out);
        !list.is_empty()
    }

    /// Every step goroutine `g` can take, by the family of its next
    /// instruction.
    fn gor_steps(&self, s: &State<M::Mem>, g: usize, out: &mut Out<M::Mem>) {
        let Some((fr, ins)) = self.instr(s, g) else {
            return;
        };
        let from = out.list.len();
        self.gor_steps_of(s, g, ins, out);
        if out.describe && !defer::dying(&s.gors[g]) {
            let deferred = self.prog.funcs[fr.func as usize].deferred;
            for x in &mut out.list[from..] {
                if deferred {
                    x.desc.insert_str(0, "deferred ");
                }
                let p = x.state.gors[g].panicking;
                let recovered = x.state.gors[g].unwind & defer::RECOVERED != 0;
                let now_dying = defer::dying(&x.state.gors[g]);
                let new = p != 0 && p != s.gors[g].panicking && !recovered;
                if x.state.end.is_none() && new {
                    let m = escape(out.strings.get(p - 1));
                    // dying: the exit is its next step, which shows the panic
                    let then = if now_dying {
                        ""
                    } else {
                        " (its deferred calls run first)"
                    };
                    if m.starts_with("fatal error:") {
                        x.desc.push_str(&format!(" → {m}"));
                    } else {
                        x.desc.push_str(&format!(" → panicking: {m}{then}"));
                    }
                }
            }
        }
    }

    /// Every step goroutine `g` can take at `ins`, its next instruction.
    fn gor_steps_of(&self, s: &State<M::Mem>, g: usize, ins: Instr, out: &mut Out<M::Mem>) {
        match ins {
            _ if defer::dying(&s.gors[g]) => self.panic_exit_step(s, g, out),
            i if exits(g, &s.gors[g], i) => self.exit_step(s, g, out),
            i if !i.is_visible() => self.local_step(s, g, out),
            Instr::Read(r) => self.read_step(s, g, r, out),
            Instr::Write(r) => self.write_step(s, g, r, out),
            Instr::Lock(r)
            | Instr::Unlock(r)
            | Instr::RLock(r)
            | Instr::RUnlock(r)
            | Instr::WgWait(r) => self.lock_step(s, g, ins, r, out),
            Instr::WgAdd(r) => self.wg_add_step(s, g, r, out),
            Instr::Atomic(op, r) => self.atomic_step(s, g, op, r, out),
            Instr::OnceDo(r) | Instr::OnceDone(r) => self.once_step(s, g, ins, r, out),
            Instr::CondWait { cond, mu } => self.cond_wait_step(s, g, cond, mu, out),
            Instr::CondLock { cond, mu } => self.cond_lock_step(s, g, cond, mu, out),
            Instr::CondNotify { cond, all } => self.cond_notify_step(s, g, cond, all, out),
            Instr::Send(r) => self.send_step(s, g, r, out),
            Instr::Recv(r, with_ok) => self.recv_step(s, g, r, with_ok, out),
            Instr::Close(r) => self.close_step(s, g, r, out),
            Instr::Select(id) => self.select_step(s, g, id, out),
            Instr::Go { func, argc } => self.go_step(s, g, func, argc, out),
            Instr::Print(id) => self.print_step(s, g, id, out),
            Instr::MapGet { .. }
            | Instr::MapLen
            | Instr::MapWrite { .. }
            | Instr::MapStore { .. }
            | Instr::MapNext
            | Instr::MapShow => self.map_step(s, g, ins, out),
            Instr::New(k) => self.new_step(s, g, k, out),
            other => unreachable!("not a step: {other:?}"),
        }
    }

    /// Move `g` on to `target`, else to its next instruction.
    #[inline(always)]
    fn advance(st: &mut State<M::Mem>, g: usize, target: Option<u32>) {
        let fr = st.gor_mut(g).frames.last_mut().unwrap();
        fr.pc = target.unwrap_or(fr.pc + 1);
    }

    /// Pop `g`'s top `n` operands.
    #[inline(always)]
    fn pop_n(st: &mut State<M::Mem>, g: usize, n: usize) {
        let d = &mut st.gor_mut(g).data;
        d.truncate(d.len() - n);
    }

    /// Finish a step of `g`: advance (to `target`, else the next
    /// instruction), run local code, record.
    #[inline(always)]
    fn finish(
        &self,
        mut mk: Making<'_, M::Mem>,
        g: usize,
        target: Option<u32>,
        desc: impl FnOnce() -> String,
    ) {
        let (st, strings) = mk.parts();
        if st.end.is_none() {
            Self::advance(st, g, target);
            self.run_local(st, g, strings);
        }
        self.push(mk, g, desc);
    }

    /// Start a successor of `s` in `out` (a copy of `s`), to be changed in
    /// place through the returned [`Making`] and completed by
    /// [`Machine::finish`] or [`Machine::push`], which take it: the state is
    /// not moved again once made, and nothing else is added to `out` before
    /// it is complete.
    fn start<'o>(s: &State<M::Mem>, out: &'o mut Out<'_, M::Mem>) -> Making<'o, M::Mem> {
        out.list.push(Succ {
            gor: 0,
            state: s.clone(),
            desc: String::new(),
            races: Vec::new(),
            stale: false,
            internal: false,
        });
        Making {
            out: out.list,
            strings: out.strings,
            describe: out.describe,
        }
    }

    /// Complete a successor made by goroutine `g`: let the memory model and
    /// race detection forget what no one can observe any more, and describe
    /// the step (when asked to).
    #[inline(always)]
    fn push(&self, mk: Making<'_, M::Mem>, g: usize, desc: impl FnOnce() -> String) {
        let (describe, strings) = (mk.describe, &*mk.strings);
        let succ = mk.out.last_mut().expect("started by Machine::start");
        succ.gor = g as u16;
        let st = &mut succ.state;
        self.collect(st, false, Some(strings));
        if self.track_hb || self.model.normalizes() {
            let running = st.end.is_none();
            let live: smallvec::SmallVec<[bool; 16]> =
                st.gors.iter().map(|x| running && !x.done()).collect();
            let gors = &st.gors;
            let may_read = |g: usize, slot: u32| {
                let (w, b) = (slot as usize / 64, slot % 64);
                // the current function from its pc, its callers from where
                // they return to
                gors[g].frames.iter().any(|f| {
                    self.reads[f.func as usize]
                        .get(f.pc as usize)
                        .is_some_and(|set| set[w] >> b & 1 == 1)
                })
            };
            // the reference search (`--no-reduction`) keeps every view
            let views = self
                .por
                .then(|| self.views.get_or_init(|| view_uses(self.prog)));
            let view_used = |g: usize, slot: u32| {
                let (w, b) = (slot as usize / 64, slot % 64);
                views.is_none_or(|v| {
                    gors[g].frames.iter().any(|f| {
                        v.live[f.func as usize]
                            .get(f.pc as usize)
                            .is_some_and(|set| set[w] >> b & 1 == 1)
                    })
                })
            };
            // one frame reads once, and no frame uses the view otherwise
            let read_once = |g: usize, slot: u32| {
                let (w, b) = (slot as usize / 64, slot % 64);
                views.is_some_and(|v| {
                    let bit = |sets: &Vec<Vec<Vec<u64>>>, f: &crate::state::Frame| {
                        sets[f.func as usize]
                            .get(f.pc as usize)
                            .is_some_and(|set| set[w] >> b & 1 == 1)
                    };
                    let frames = &gors[g].frames;
                    !frames.iter().any(|f| bit(&v.multi, f))
                        && frames.iter().filter(|f| bit(&v.live, f)).count() <= 1
                })
            };
            let future = Future {
                live: &live,
                may_read: &may_read,
                view_used: views.map(|_| &view_used as &dyn Fn(usize, u32) -> bool),
                read_once: &read_once,
                carried: views.map_or(&[], |v| &v.carriers[..]),
            };
            self.model.normalize(&mut st.mem, &future);
            if let Some(hb) = st.hb.as_deref_mut() {
                hb.forget_known(&live);
            }
        }
        let desc = if describe {
            let mut d = desc();
            describe::end_note(&mut d, st.end, strings);
            d
        } else {
            String::new()
        };
        succ.desc = desc;
    }
}

/// Can the structs of `prog`'s pools be freed (`Machine::free_structs`)?
fn frees_structs(prog: &Program) -> bool {
    prog.struct_sites.iter().any(|s| s.slots.is_some())
        && !prog.plain_tys.iter().any(|t| matches!(t, Ty::StructPtr(_)))
        && !(prog.maps.iter()).any(|m| matches!(m.ty.val(), Ty::StructPtr(_)))
}
