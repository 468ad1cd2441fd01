//! The step semantics: from a state, every successor, one per choice of
//! goroutine (and of value, case or partner). This is the one function of
//! (program, state) → successors that every search uses.

use crate::front::ast::BinOp;
use crate::ir::*;
use crate::memory::{Internal, MemoryModel, ReadChoices, ReadNote, SyncEvent};
use crate::state::*;

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
    /// No preemption: the current goroutine runs until it blocks or ends.
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

/// A successor being made in place, the last of its list (see
/// [`Machine::start`]); holding the list, so that nothing else is added to
/// it until [`Machine::finish`] or [`Machine::push`] completes this one.
struct Making<'o, Mm> {
    out: &'o mut Vec<Succ<Mm>>,
}

impl<Mm> Making<'_, Mm> {
    fn succ(&mut self) -> &mut Succ<Mm> {
        self.out.last_mut().expect("started by Machine::start")
    }

    fn state(&mut self) -> &mut State<Mm> {
        &mut self.succ().state
    }
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
    /// Partial-order reduction: a `go` or `Unlock` step that nothing else
    /// can observe is taken alone (see [`Machine::ample`]).
    pub por: bool,
    /// Take an owner's `Unlock` alone (off after a search saw a goroutine
    /// about to unlock a mutex it does not hold).
    pub unlock_alone: std::cell::Cell<bool>,
    /// Did a search see a goroutine about to unlock a mutex it does not
    /// hold (which `Machine::ample` assumes never happens)?
    pub foreign_unlock: std::cell::Cell<bool>,
    /// Functions that may start a goroutine (directly or through a call).
    spawners: Vec<bool>,
    /// Functions that may wait on a wait group (or call or start one that does).
    waiters: Vec<bool>,
    /// Per function and pc: the most a goroutine there can still lower
    /// wait-group counters by, with what it calls and starts
    /// ([`UNBOUNDED`] in a loop or with a computed delta).
    wg_lowering: Vec<Vec<u64>>,
    /// States expanded by one `go` or `Unlock` step alone, so far.
    pub taken_alone: std::cell::Cell<u64>,
    /// When tracking: only the accesses at these (function, pc) sites
    /// (`None`: every site).
    pub hb_sites: Option<rustc_hash::FxHashSet<(FuncId, u32)>>,
    /// Per function and pc: the plain slots a goroutine there may still
    /// read ([`plain_reads`]).
    reads: Vec<Vec<Vec<u64>>>,
    /// First carrier of each channel: close, free space, then one per buffer slot.
    chan_carrier: Vec<usize>,
    carriers: usize,
    /// Where a `go` statement hit [`MAX_GOROUTINES`], if one did.
    goroutine_limit: std::cell::Cell<Option<(u32, u32)>>,
    /// Runs of local instructions taken as one ([`fuse`]).
    fused: Vec<Vec<Fused>>,
}

#[derive(Clone, Copy, Debug)]
struct SendPoint {
    value: i64,
    ops: usize,
    target: Option<u32>,
    case: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
struct RecvPoint {
    ops: usize,
    with_ok: bool,
    target: Option<u32>,
    case: Option<usize>,
}

fn resolve(r: Ref, idx: Option<i64>) -> Result<u32, String> {
    match r {
        Ref::Fixed(s) => Ok(s),
        Ref::Indexed { base, len } => {
            let i = idx.unwrap_or(0);
            if i < 0 {
                Err(format!("index out of range [{i}]"))
            } else if i >= len as i64 {
                Err(format!("index out of range [{i}] with length {len}"))
            } else {
                Ok(base + i as u32)
            }
        }
    }
}

fn is_indexed(r: Ref) -> bool {
    matches!(r, Ref::Indexed { .. })
}

/// The operand stack positions of a select's cases: (index, value) per case.
/// Per case of a select: its channel index and its send value, if any.
type CaseOperands = Vec<(Option<i64>, Option<i64>)>;

fn select_operands(spec: &SelectSpec, data: &[i64]) -> (usize, CaseOperands) {
    let n: usize = spec
        .cases
        .iter()
        .map(|c| is_indexed(c.chan) as usize + c.send as usize)
        .sum();
    let mut pos = data.len() - n;
    let mut out = Vec::with_capacity(spec.cases.len());
    for c in &spec.cases {
        let idx = if is_indexed(c.chan) {
            pos += 1;
            Some(data[pos - 1])
        } else {
            None
        };
        let val = if c.send {
            pos += 1;
            Some(data[pos - 1])
        } else {
            None
        };
        out.push((idx, val));
    }
    (n, out)
}

/// No bound (see [`wg_lowering`]).
pub(super) const UNBOUNDED: u64 = u64::MAX;

/// The instructions control may go to after `f.code[pc]`.
fn next_pcs(prog: &Program, f: &Function, pc: usize) -> Vec<usize> {
    let mut out = Vec::new();
    match f.code[pc] {
        Instr::Jump(t) => out.push(t as usize),
        Instr::JumpIf(_, t) => out.extend([pc + 1, t as usize]),
        Instr::Return { .. } | Instr::Panic { .. } => {}
        Instr::Select(i) => {
            let spec = &prog.selects[i as usize];
            out.extend(spec.cases.iter().map(|c| c.target as usize));
            out.extend(spec.default.map(|t| t as usize));
            out.push(pc + 1);
        }
        _ => out.push(pc + 1),
    }
    out.retain(|&t| t < f.code.len());
    out
}

/// For each function and pc: the most that wait-group counters can still
/// be lowered by from there until the function returns, counting what it
/// calls and the goroutines it starts ([`UNBOUNDED`] when a lowering is in
/// a loop, recursive, or by a delta computed at run time). A longest path
/// over the control flow, found by relaxation; what still grows after as
/// many rounds as there are instructions lies on a cycle.
pub(super) fn wg_lowering(prog: &Program) -> Vec<Vec<u64>> {
    let next = |f: &Function, pc: usize| next_pcs(prog, f, pc);
    let mut bound: Vec<Vec<u64>> = prog.funcs.iter().map(|f| vec![0; f.code.len()]).collect();
    let total: usize = prog.funcs.iter().map(|f| f.code.len()).sum();
    let round = |bound: &mut Vec<Vec<u64>>| -> bool {
        let mut changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            for pc in (0..f.code.len()).rev() {
                let own = match f.code[pc] {
                    Instr::WgAdd(_) => match pc.checked_sub(1).map(|p| f.code[p]) {
                        Some(Instr::Push(d)) => d.min(0).unsigned_abs(),
                        _ => UNBOUNDED,
                    },
                    Instr::Call { func, .. } | Instr::Go { func, .. } => {
                        bound[func as usize].first().copied().unwrap_or(0)
                    }
                    _ => 0,
                };
                let rest = next(f, pc)
                    .into_iter()
                    .map(|t| bound[fi][t])
                    .max()
                    .unwrap_or(0);
                let v = own.saturating_add(rest);
                if v > bound[fi][pc] {
                    bound[fi][pc] = v;
                    changed = true;
                }
            }
        }
        changed
    };
    for _ in 0..=total {
        if !round(&mut bound) {
            return bound;
        }
    }
    // Still growing: whatever can grow lies on or before a cycle that
    // lowers a counter. Mark what changes in one more round, then close.
    let before = bound.clone();
    round(&mut bound);
    for (f, b) in bound.iter_mut().enumerate() {
        for (pc, v) in b.iter_mut().enumerate() {
            if *v != before[f][pc] {
                *v = UNBOUNDED;
            }
        }
    }
    while round(&mut bound) {}
    bound
}

/// Per function and pc: the plain slots a goroutine there may still read,
/// counting what it calls and the goroutines it starts (who inherit its
/// view), as a bit set (words of 64 slots). A union over the control flow
/// from the pc, found by relaxation.
pub(super) fn plain_reads(prog: &Program) -> Vec<Vec<Vec<u64>>> {
    let words = prog.plain_init.len().div_ceil(64);
    let mut out: Vec<Vec<Vec<u64>>> = prog
        .funcs
        .iter()
        .map(|f| vec![vec![0u64; words]; f.code.len()])
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            for pc in (0..f.code.len()).rev() {
                let mut set = out[fi][pc].clone();
                match f.code[pc] {
                    Instr::Read(r) => {
                        let (base, len) = match r {
                            Ref::Fixed(s) => (s as usize, 1),
                            Ref::Indexed { base, len } => (base as usize, len as usize),
                        };
                        for s in base..base + len {
                            set[s / 64] |= 1 << (s % 64);
                        }
                    }
                    Instr::Call { func, .. } | Instr::Go { func, .. } => {
                        if let Some(entry) = out[func as usize].first() {
                            for (a, b) in set.iter_mut().zip(entry) {
                                *a |= b;
                            }
                        }
                    }
                    _ => {}
                }
                for t in next_pcs(prog, f, pc) {
                    for (a, b) in set.iter_mut().zip(&out[fi][t]) {
                        *a |= b;
                    }
                }
                if set != out[fi][pc] {
                    out[fi][pc] = set;
                    changed = true;
                }
            }
        }
    }
    out
}

/// For each function: does it, or anything it calls or starts, contain
/// an instruction for which `pred` holds?
fn reaching(prog: &Program, pred: impl Fn(&Instr) -> bool) -> Vec<bool> {
    let mut out: Vec<bool> = prog
        .funcs
        .iter()
        .map(|f| f.code.iter().any(&pred))
        .collect();
    loop {
        let mut changed = false;
        for (f, func) in prog.funcs.iter().enumerate() {
            if !out[f]
                && func.code.iter().any(|i| {
                    matches!(i, Instr::Call { func, .. } | Instr::Go { func, .. } if out[*func as usize])
                })
            {
                out[f] = true;
                changed = true;
            }
        }
        if !changed {
            return out;
        }
    }
}

/// A run of local instructions that [`Machine::run_local`] takes as one:
/// the same result and the same fuel as one by one, with fewer dispatches
/// (a loop's `i++` and `i < n` are one each).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fused {
    No,
    /// `Load(l) Push(c) Bin(op)`, then what `then` says (4 instructions,
    /// or 3 for [`Then::Push`]).
    Local {
        l: u16,
        c: i64,
        op: BinOp,
        then: Then,
    },
    /// `Push(c) Bin(op)`.
    Const {
        c: i64,
        op: BinOp,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Then {
    Push,
    Store(u16),
    JumpIf(bool, u32),
}

impl Fused {
    /// How many instructions it stands for.
    fn len(self) -> u32 {
        match self {
            Fused::No => 1,
            Fused::Const { .. } => 2,
            Fused::Local {
                then: Then::Push, ..
            } => 3,
            Fused::Local { .. } => 4,
        }
    }
}

/// Per function and pc: the run of local instructions starting there that
/// can be taken as one. A run is fused only if control enters it at its
/// first instruction alone (no jump or `select` case lands inside).
fn fuse(prog: &Program) -> Vec<Vec<Fused>> {
    prog.funcs
        .iter()
        .map(|f| {
            let n = f.code.len();
            // entered[q]: some instruction other than q - 1 may go to q
            let mut entered = vec![false; n];
            for p in 0..n {
                for q in next_pcs(prog, f, p) {
                    if q != p + 1 {
                        entered[q] = true;
                    }
                }
            }
            let inner_free =
                |p: usize, k: usize| p + k <= n && !entered[p + 1..p + k].contains(&true);
            (0..n)
                .map(|p| {
                    let at = |i: usize| f.code.get(p + i).copied();
                    match (at(0), at(1), at(2), at(3)) {
                        (
                            Some(Instr::Load(l)),
                            Some(Instr::Push(c)),
                            Some(Instr::Bin(op)),
                            next,
                        ) => {
                            let then = match next {
                                Some(Instr::Store(d)) if inner_free(p, 4) => Then::Store(d),
                                Some(Instr::JumpIf(flag, t)) if inner_free(p, 4) => {
                                    Then::JumpIf(flag, t)
                                }
                                _ => Then::Push,
                            };
                            let fused = Fused::Local { l, c, op, then };
                            if inner_free(p, fused.len() as usize) {
                                fused
                            } else {
                                Fused::No
                            }
                        }
                        (Some(Instr::Push(c)), Some(Instr::Bin(op)), _, _) if inner_free(p, 2) => {
                            Fused::Const { c, op }
                        }
                        _ => Fused::No,
                    }
                })
                .collect()
        })
        .collect()
}

impl<'a, M: MemoryModel> Machine<'a, M> {
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
            taken_alone: std::cell::Cell::new(0),
            unlock_alone: std::cell::Cell::new(true),
            foreign_unlock: std::cell::Cell::new(false),
            chan_carrier,
            carriers: next,
            goroutine_limit: std::cell::Cell::new(None),
            fused: fuse(prog),
        }
    }

    /// The location of a `go` statement that would have exceeded
    /// [`MAX_GOROUTINES`] (such a step is not generated).
    pub fn goroutine_limit_hit(&self) -> Option<(u32, u32)> {
        self.goroutine_limit.get()
    }

    /// A sync event: to race detection (when tracked) and to the memory model.
    fn edge(&self, st: &mut State<M::Mem>, ev: SyncEvent) {
        if let Some(hb) = st.hb.as_deref_mut() {
            match ev {
                SyncEvent::Fence { .. } => {}
                SyncEvent::Spawn { parent, .. } => hb.spawn(parent),
                SyncEvent::Release { g, carrier } => hb.release(g, carrier),
                SyncEvent::ReleaseOnly { g, carrier } => hb.release_only(g, carrier),
                SyncEvent::Acquire { g, carrier } => hb.acquire(g, carrier),
                SyncEvent::Exchange { a, b } => hb.exchange(a, b),
                SyncEvent::Shift { from, n } => hb.shift(from, n),
            }
        }
        self.model.sync(&mut st.mem, ev);
    }

    /// Record an access by `g` at its current instruction; returns the races.
    fn access(
        &self,
        st: &mut State<M::Mem>,
        g: usize,
        slot: u32,
        write: bool,
        interner: &mut Interner,
    ) -> Vec<(u32, u32)> {
        if !self.track_hb {
            return Vec::new();
        }
        let fr = *st.gors[g].frames.last().unwrap();
        if self
            .hb_sites
            .as_ref()
            .is_some_and(|set| !set.contains(&(fr.func, fr.pc)))
        {
            return Vec::new();
        }
        let id = interner.record(crate::state::hb::Record {
            g: g as u16,
            slot,
            write,
            func: fr.func,
            pc: fr.pc,
        });
        let recs = &interner.records;
        let Some(hb) = st.hb.as_deref_mut() else {
            return Vec::new();
        };
        hb.access(g, id, |r| {
            let o = recs[r as usize];
            o.slot == slot && o.g as usize != g && (o.write || write)
        })
        .into_iter()
        .map(|r| (r, id))
        .collect()
    }

    /// Symmetry reduction. Nothing in the semantics depends on a goroutine's
    /// number (a `go` appends, and every goroutine's steps depend only on
    /// its own frames and the shared state), so renumbering the goroutines
    /// other than main maps runs to runs. This puts them in the order of
    /// their local state (then their part of the memory model), so states
    /// that differ only in which of several interchangeable goroutines is
    /// where are stored once. Returns the renumbering (old index → new), or
    /// `None` when the order was already canonical or symmetry is off.
    pub fn canonicalize(&self, st: &mut State<M::Mem>) -> Option<Vec<u16>> {
        let n = st.gors.len();
        if !self.symmetry || n <= 2 {
            return None;
        }
        let (gors, mem) = (&st.gors, &st.mem);
        let cmp = |a: usize, b: usize| {
            let (x, y) = (&gors[a], &gors[b]);
            x.frames
                .cmp(&y.frames)
                .then_with(|| x.data.cmp(&y.data))
                .then_with(|| self.model.gor_key(mem, a).cmp(&self.model.gor_key(mem, b)))
        };
        // Only goroutines of one class are interchangeable: each class's
        // members are sorted among the places the class holds.
        let mut order: smallvec::SmallVec<[usize; 16]> = (0..n).collect();
        let mut changed = false;
        let mut places: smallvec::SmallVec<[usize; 16]> = smallvec::SmallVec::new();
        let mut members: smallvec::SmallVec<[usize; 16]> = smallvec::SmallVec::new();
        for g in 1..n {
            let c = gors[g].class;
            if (1..g).any(|h| gors[h].class == c) {
                continue; // not the first of its class: already placed
            }
            places.clear();
            places.extend((g..n).filter(|&h| gors[h].class == c));
            if places.len() < 2 || places.windows(2).all(|w| cmp(w[0], w[1]).is_le()) {
                continue;
            }
            members.clear();
            members.extend_from_slice(&places);
            members.sort_by(|&a, &b| cmp(a, b));
            for (&p, &m) in places.iter().zip(&members) {
                order[p] = m;
            }
            changed = true;
        }
        if !changed {
            return None;
        }
        let mut perm = vec![0u16; n];
        for (new, &old) in order.iter().enumerate() {
            perm[old] = new as u16;
        }
        let old = std::mem::take(&mut st.gors);
        st.gors = order.iter().map(|&o| old[o].clone()).collect();
        self.model.permute(&mut st.mem, &perm);
        st.current = perm[st.current as usize];
        // A Mutex remembers its owner (number + 1), an RWMutex which
        // goroutine announced itself as the waiting writer (number + 1 in
        // the high half): renumber them too.
        for (o, kind) in self.prog.sync_kinds.iter().enumerate() {
            let v = st.sync[o];
            if *kind == SyncKind::Mutex && v > 0 {
                st.sync[o] = perm[v as usize - 1] as i64 + 1;
            }
            if *kind == SyncKind::RWMutex && v != -1 && v >> 32 > 0 {
                let me = perm[(v >> 32) as usize - 1] as i64 + 1;
                st.sync[o] = (v & 0xFFFF_FFFF) | me << 32;
            }
        }
        Some(perm)
    }

    /// The plain access goroutine `g`'s next step makes, if it makes one
    /// (and its index, if any, is in range).
    pub fn pending_access(&self, s: &State<M::Mem>, g: usize) -> Option<crate::state::hb::Record> {
        let (fr, ins) = self.instr(s, g)?;
        let data = &s.gors[g].data;
        let (r, write, idx) = match ins {
            Instr::Read(r) => (r, false, data.last().copied()),
            Instr::Write(r) => (r, true, data.len().checked_sub(2).map(|i| data[i])),
            _ => return None,
        };
        let slot = resolve(r, if is_indexed(r) { idx } else { None }).ok()?;
        Some(crate::state::hb::Record {
            g: g as u16,
            slot,
            write,
            func: fr.func,
            pc: fr.pc,
        })
    }

    /// The initial state: main at its first step.
    pub fn initial(&self, strings: &mut Interner) -> State<M::Mem> {
        let mainf = &self.prog.funcs[self.prog.main as usize];
        let mut s = State {
            mem: self.model.init(self.prog, self.carriers),
            sync: self.prog.sync_init.iter().copied().collect(),
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
            })],
            output: 0,
            end: None,
            current: 0,
            hb: self
                .track_hb
                .then(|| Box::new(crate::state::hb::Hb::new(self.carriers))),
        };
        self.run_local(&mut s, 0, strings);
        s
    }

    fn instr(&self, s: &State<M::Mem>, g: usize) -> Option<(Frame, Instr)> {
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

    fn expand(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        describe: bool,
        reduce: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        out.clear();
        if s.end.is_none() {
            self.gor_successors(s, mode, strings, describe, reduce, out);
            if describe {
                self.describe_drains(s, out);
            }
        }
        // The memory system's own steps (store-buffer flushes), also after the end.
        let mut internal: Vec<Internal<M::Mem>> = Vec::new();
        if s.end.is_none() {
            self.model.internal(&s.mem, &mut internal);
        } else {
            self.model.internal_after_end(&s.mem, &mut internal);
        }
        for i in internal {
            let mut mk = Self::start(s, out);
            let st = mk.state();
            st.mem = i.mem;
            let name = &self.prog.plain_names[i.slot as usize];
            let ty = self.plain_ty(i.slot);
            mk.succ().internal = true;
            self.push(mk, i.g, strings, describe, || {
                format!("flush {name} = {}", ty.show(i.value))
            });
        }
    }

    /// Add to each step's description the buffered writes it made visible
    /// (a sync operation drains its goroutine's store buffer).
    fn describe_drains(&self, s: &State<M::Mem>, out: &mut [Succ<M::Mem>]) {
        for x in out.iter_mut() {
            for h in 0..s.gors.len() {
                let before = self.model.buffered(&s.mem, h);
                let after = self.model.buffered(&x.state.mem, h).len();
                if before.len() <= after {
                    continue;
                }
                let drained: Vec<String> = before[..before.len() - after]
                    .iter()
                    .map(|&(slot, v)| {
                        format!(
                            "{} = {}",
                            self.prog.plain_names[slot as usize],
                            self.plain_ty(slot).show(v)
                        )
                    })
                    .collect();
                let whose = if h == x.gor as usize {
                    String::new()
                } else {
                    format!(" {}'s", gor_name(self.prog, s, h))
                };
                x.desc
                    .push_str(&format!(" (flushes{whose} {})", drained.join(", ")));
            }
        }
    }

    fn gor_successors(
        &self,
        s: &State<M::Mem>,
        mode: Mode,
        strings: &mut Interner,
        describe: bool,
        reduce: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        match mode {
            Mode::Full => {
                if let Some(g) = reduce.then(|| self.ample(s)).flatten() {
                    let from = out.len();
                    self.gor_steps(s, g, false, strings, describe, out);
                    if out.len() == from + 1 && out[from].state.end.is_none() {
                        self.taken_alone.set(self.taken_alone.get() + 1);
                        return;
                    }
                    out.truncate(from);
                }
                for g in 0..s.gors.len() {
                    self.gor_steps(s, g, false, strings, describe, out);
                }
            }
            Mode::Serial => {
                let cur = s.current as usize;
                self.gor_steps(s, cur, true, strings, describe, out);
                if out.is_empty() {
                    for g in 0..s.gors.len() {
                        let from = out.len();
                        self.gor_steps(s, g, true, strings, describe, out);
                        for x in &mut out[from..] {
                            x.state.current = g as u16;
                        }
                    }
                } else {
                    for x in out.iter_mut() {
                        x.state.current = cur as u16;
                    }
                    // A rendezvous is a step of both sides: either may go on
                    // (as in Go, where the sender goes on after handing its
                    // value to a receiver that was already waiting).
                    for k in 0..out.len() {
                        if let Some(h) = partner(s, &out[k].state, cur) {
                            let mut x = out[k].clone();
                            x.state.current = h as u16;
                            out.push(x);
                        }
                    }
                }
            }
        }
    }

    /// A goroutine whose next step may be taken alone: a persistent set of
    /// one step (see docs/DESIGN.md, "Reductions"). Two kinds of step:
    ///
    /// - `Unlock` of a `sync.Mutex` the goroutine holds. While it holds it,
    ///   every other goroutine's `Lock` of it is blocked, and (assumed, and
    ///   checked: see [`Machine::foreign_unlock`]) no other goroutine
    ///   unlocks it; nothing else touches a mutex.
    /// - `go`, when no other goroutine can ever start one (the new
    ///   goroutine's number would depend on the order). Starting a
    ///   goroutine touches nothing another goroutine reads or writes.
    ///
    /// Either commutes with every step the others can take and is never
    /// disabled by them, provided the memory model makes it observable to
    /// no one (an empty store buffer: under tso a sync step drains it) and
    /// it does not end the run (checked by the caller on the successor).
    /// An `Unlock` lowers the number of held mutexes and a `go` raises the
    /// number of goroutines, so no cycle is made of such steps alone: every
    /// cycle passes a fully expanded state (the cycle proviso).
    fn ample(&self, s: &State<M::Mem>) -> Option<usize> {
        let mut unlock = None;
        let mut spawn = None;
        let mut done = None;
        let mut spawners = 0;
        let mut waiters = 0;
        for (g, gor) in s.gors.iter().enumerate() {
            let Some(fr) = gor.frames.last() else {
                continue;
            };
            let f = &self.prog.funcs[fr.func as usize];
            match f.code[fr.pc as usize] {
                Instr::Unlock(r) => {
                    let idx = is_indexed(r).then(|| gor.data.last().copied()).flatten();
                    if let Ok(o) = resolve(r, idx)
                        && self.prog.sync_kinds[o as usize] == SyncKind::Mutex
                    {
                        if s.sync[o as usize] != g as i64 + 1 {
                            self.foreign_unlock.set(true);
                        } else if unlock.is_none() && self.unlock_alone.get() {
                            unlock = Some(g);
                        }
                    }
                }
                Instr::Go { .. } if spawn.is_none() => spawn = Some(g),
                Instr::WgAdd(r) if done.is_none() => {
                    let n = gor.data.len();
                    let (delta, idx) = (gor.data[n - 1], n.checked_sub(2).map(|i| gor.data[i]));
                    if let Ok(o) = resolve(r, is_indexed(r).then_some(idx).flatten())
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
    fn main_waits_for(&self, s: &State<M::Mem>, g: usize) -> bool {
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
        let idx = is_indexed(r)
            .then(|| s.gors[0].data.last().copied())
            .flatten();
        resolve(r, idx).ok()
    }

    /// Can goroutine `g` take a step (it is neither done nor blocked)?
    pub fn can_step(&self, s: &State<M::Mem>, g: usize, strings: &mut Interner) -> bool {
        let mut out = Vec::new();
        self.gor_steps(s, g, true, strings, false, &mut out);
        !out.is_empty()
    }

    /// What goroutine `g` is waiting at, for reports ("Lock mu", "send ch").
    pub fn waiting_at(&self, s: &State<M::Mem>, g: usize) -> String {
        let Some((_, ins)) = self.instr(s, g) else {
            return "done".into();
        };
        let data = &s.gors[g].data;
        let top = data.last().copied();
        let sync_name = |r: Ref, idx: Option<i64>| match resolve(r, idx) {
            Ok(o) => self.prog.sync_names[o as usize].clone(),
            Err(_) => "?".into(),
        };
        let chan_name = |r: Ref, idx: Option<i64>| match resolve(r, idx) {
            Ok(c) => self.prog.chans[c as usize].name.clone(),
            Err(_) => "?".into(),
        };
        match ins {
            Instr::Lock(r) => format!("Lock {}", sync_name(r, top)),
            Instr::RLock(r) => format!("RLock {}", sync_name(r, top)),
            Instr::WgWait(r) => format!("{}.Wait()", sync_name(r, top)),
            Instr::Send(r) => {
                let idx = data.len().checked_sub(2).map(|i| data[i]);
                format!("send {}", chan_name(r, idx))
            }
            Instr::Recv(r, _) => format!("recv <-{}", chan_name(r, top)),
            Instr::Select(_) => "select".into(),
            Instr::Read(r) => match resolve(r, if is_indexed(r) { top } else { None }) {
                Ok(x) => format!("read {}", self.prog.plain_names[x as usize]),
                Err(_) => "read".into(),
            },
            Instr::Write(r) => {
                let idx = data.len().checked_sub(2).map(|i| data[i]);
                match resolve(r, if is_indexed(r) { idx } else { None }) {
                    Ok(x) => format!("write {}", self.prog.plain_names[x as usize]),
                    Err(_) => "write".into(),
                }
            }
            Instr::Unlock(r) => format!("Unlock {}", sync_name(r, top)),
            Instr::RUnlock(r) => format!("RUnlock {}", sync_name(r, top)),
            Instr::WgAdd(r) => {
                let name = sync_name(r, data.len().checked_sub(2).map(|i| data[i]));
                match top {
                    Some(-1) => format!("{name}.Done()"),
                    Some(d) => format!("{name}.Add({d})"),
                    None => format!("{name}.Add"),
                }
            }
            Instr::Atomic(_, _) => "atomic operation".into(),
            Instr::Close(r) => format!("close {}", chan_name(r, top)),
            Instr::Go { func, .. } => format!("go {}", self.prog.funcs[func as usize].name),
            Instr::Print(_) => "print".into(),
            _ => "local computation".into(),
        }
    }

    fn fault(&self, st: &mut State<M::Mem>, kind: EndKind, msg: &str, strings: &mut Interner) {
        st.end = Some(End {
            kind,
            msg: strings.intern(msg),
        });
    }

    /// Run `g`'s local computation up to its next step. Ends the run when
    /// the goroutine fails.
    fn run_local(&self, st: &mut State<M::Mem>, g: usize, strings: &mut Interner) {
        if st.end.is_some() {
            return;
        }
        // Nothing to run (the goroutine is not copied): done, or at a step.
        let frames = &st.gors[g].frames;
        match frames.last() {
            Some(fr) => {
                let ins = self.prog.funcs[fr.func as usize].code[fr.pc as usize];
                if ins.is_visible() || exits(g, frames.len(), ins) {
                    return;
                }
            }
            None => return,
        }
        let gor = st.gor_mut(g);
        let mut fuel = FUEL;
        let mut fail: Option<(EndKind, String)> = None;
        // The running frame, kept here and written back to the goroutine
        // when it calls, returns or stops.
        let mut fr = *gor.frames.last().expect("checked above");
        let mut code = &self.prog.funcs[fr.func as usize].code;
        let mut fused = &self.fused[fr.func as usize];
        let mut finished = false;
        while fuel > 0 {
            fuel -= 1;
            let ins = code[fr.pc as usize];
            if ins.is_visible() || exits(g, gor.frames.len(), ins) {
                break;
            }
            let base = fr.base as usize;
            // A fused run, when the fuel covers all of it and its operation
            // does not fail (else one instruction, failing where it fails).
            let run = fused[fr.pc as usize];
            if run != Fused::No && fuel >= run.len() - 1 {
                let done = match run {
                    Fused::Local { l, c, op, then } => binop(op, gor.data[base + l as usize], c)
                        .ok()
                        .map(|v| match then {
                            Then::Push => {
                                gor.data.push(v);
                                fr.pc + 3
                            }
                            Then::Store(d) => {
                                gor.data[base + d as usize] = v;
                                fr.pc + 4
                            }
                            Then::JumpIf(flag, t) => {
                                if (v != 0) == flag {
                                    t
                                } else {
                                    fr.pc + 4
                                }
                            }
                        }),
                    Fused::Const { c, op } => {
                        let top = gor.data.last_mut().expect("an operand");
                        binop(op, *top, c).ok().map(|v| {
                            *top = v;
                            fr.pc + 2
                        })
                    }
                    Fused::No => None,
                };
                if let Some(next) = done {
                    fuel -= run.len() - 1;
                    fr.pc = next;
                    continue;
                }
            }
            let mut next = fr.pc + 1;
            match ins {
                Instr::Push(v) => gor.data.push(v),
                Instr::Load(l) => {
                    let v = gor.data[base + l as usize];
                    gor.data.push(v);
                }
                Instr::Store(l) => {
                    let v = gor.data.pop().unwrap();
                    gor.data[base + l as usize] = v;
                }
                Instr::LoadIdx { base: b, len } => {
                    let i = gor.data.pop().unwrap();
                    match resolve(
                        Ref::Indexed {
                            base: b as u32,
                            len: len as u32,
                        },
                        Some(i),
                    ) {
                        Ok(slot) => {
                            let v = gor.data[base + slot as usize];
                            gor.data.push(v);
                        }
                        Err(m) => fail = Some((EndKind::Panic, m)),
                    }
                }
                Instr::StoreIdx { base: b, len } => {
                    let v = gor.data.pop().unwrap();
                    let i = gor.data.pop().unwrap();
                    match resolve(
                        Ref::Indexed {
                            base: b as u32,
                            len: len as u32,
                        },
                        Some(i),
                    ) {
                        Ok(slot) => gor.data[base + slot as usize] = v,
                        Err(m) => fail = Some((EndKind::Panic, m)),
                    }
                }
                Instr::Neg => {
                    let v = gor.data.pop().unwrap();
                    gor.data.push(v.wrapping_neg());
                }
                Instr::Not => {
                    let v = gor.data.pop().unwrap();
                    gor.data.push((v == 0) as i64);
                }
                Instr::Bin(op) => {
                    let b = gor.data.pop().unwrap();
                    let a = gor.data.pop().unwrap();
                    match binop(op, a, b) {
                        Ok(v) => gor.data.push(v),
                        Err(m) => fail = Some((EndKind::Panic, m)),
                    }
                }
                Instr::Dup => {
                    let v = *gor.data.last().unwrap();
                    gor.data.push(v);
                }
                Instr::Pop => {
                    gor.data.pop();
                }
                Instr::Jump(t) => next = t,
                Instr::JumpIf(flag, t) => {
                    let c = gor.data.pop().unwrap();
                    if (c != 0) == flag {
                        next = t;
                    }
                }
                Instr::Call { func: callee, argc } => {
                    if gor.frames.len() >= MAX_FRAMES {
                        fail = Some((EndKind::Panic, "goroutine stack exceeds limit".into()));
                    } else {
                        fr.pc = next;
                        *gor.frames.last_mut().unwrap() = fr;
                        let nb = gor.data.len() - argc as usize;
                        let nl = self.prog.funcs[callee as usize].nlocals as usize;
                        gor.data.resize(nb + nl, 0);
                        fr = Frame {
                            func: callee,
                            pc: 0,
                            base: nb as u32,
                        };
                        gor.frames.push(fr);
                        code = &self.prog.funcs[callee as usize].code;
                        fused = &self.fused[callee as usize];
                        continue;
                    }
                }
                Instr::Return { value } => {
                    let v = if value { gor.data.pop() } else { None };
                    gor.data.truncate(base);
                    gor.frames.pop();
                    let Some(&caller) = gor.frames.last() else {
                        // main's own return is a step (`exits`), not run here
                        gor.data.clear();
                        finished = true;
                        break;
                    };
                    fr = caller;
                    code = &self.prog.funcs[fr.func as usize].code;
                    fused = &self.fused[fr.func as usize];
                    if let Some(v) = v {
                        gor.data.push(v);
                    }
                    continue;
                }
                Instr::Assert { msg } => {
                    let c = gor.data.pop().unwrap();
                    if c == 0 {
                        fail = Some((EndKind::Assert, self.prog.strings[msg as usize].clone()));
                    }
                }
                Instr::Panic { msg } => {
                    fail = Some((EndKind::Panic, self.prog.strings[msg as usize].clone()));
                }
                _ => unreachable!("visible instruction in run_local"),
            }
            if fail.is_some() {
                break;
            }
            fr.pc = next;
        }
        if !finished {
            *gor.frames.last_mut().unwrap() = fr;
        }
        if let Some((kind, m)) = fail {
            self.fault(st, kind, &m, strings);
        }
    }

    fn advance(st: &mut State<M::Mem>, g: usize, target: Option<u32>) {
        let fr = st.gor_mut(g).frames.last_mut().unwrap();
        fr.pc = target.unwrap_or(fr.pc + 1);
    }

    fn pop_n(st: &mut State<M::Mem>, g: usize, n: usize) {
        let d = &mut st.gor_mut(g).data;
        d.truncate(d.len() - n);
    }

    /// Finish a step of `g`: advance, run local code, record.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn finish(
        &self,
        mut mk: Making<'_, M::Mem>,
        g: usize,
        target: Option<u32>,
        strings: &mut Interner,
        describe: bool,
        desc: impl FnOnce() -> String,
    ) {
        let st = mk.state();
        if st.end.is_none() {
            Self::advance(st, g, target);
            self.run_local(st, g, strings);
        }
        self.push(mk, g, strings, describe, desc);
    }

    /// Start a successor of `s` in `out` (a copy of `s`), to be changed in
    /// place through the returned [`Making`] and completed by
    /// [`Machine::finish`] or [`Machine::push`], which take it: the state is
    /// not moved again once made, and nothing else is added to `out` before
    /// it is complete.
    fn start<'o>(s: &State<M::Mem>, out: &'o mut Vec<Succ<M::Mem>>) -> Making<'o, M::Mem> {
        out.push(Succ {
            gor: 0,
            state: s.clone(),
            desc: String::new(),
            races: Vec::new(),
            stale: false,
            internal: false,
        });
        Making { out }
    }

    #[inline(always)]
    fn push(
        &self,
        mut mk: Making<'_, M::Mem>,
        g: usize,
        strings: &Interner,
        describe: bool,
        desc: impl FnOnce() -> String,
    ) {
        let succ = mk.succ();
        succ.gor = g as u16;
        let st = &mut succ.state;
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
            self.model.normalize(&mut st.mem, &live, &may_read);
            if let Some(hb) = st.hb.as_deref_mut() {
                hb.forget_known(&live);
            }
        }
        let desc = if describe {
            let mut d = desc();
            if let Some(e) = st.end
                && e.kind != EndKind::Ok
            {
                // the message is the program's: escaped, like in the report
                d.push_str(&format!(
                    " → {}: {}",
                    e.kind.name(),
                    crate::report::text::escape(strings.get(e.msg))
                ));
            }
            d
        } else {
            String::new()
        };
        succ.desc = desc;
    }

    /// A step that ends the run with a runtime error.
    #[allow(clippy::too_many_arguments)]
    fn fault_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        what: String,
        msg: &str,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.fault(st, EndKind::Panic, msg, strings);
        self.push(mk, g, strings, describe, || what);
    }

    fn recv_points(&self, s: &State<M::Mem>, h: usize, ch: u32) -> Vec<RecvPoint> {
        let mut v = Vec::new();
        let Some((_, ins)) = self.instr(s, h) else {
            return v;
        };
        let data = &s.gors[h].data;
        match ins {
            Instr::Recv(r, with_ok) if resolve(r, data.last().copied()) == Ok(ch) => {
                v.push(RecvPoint {
                    ops: is_indexed(r) as usize,
                    with_ok,
                    target: None,
                    case: None,
                });
            }
            Instr::Select(id) => {
                let spec = &self.prog.selects[id as usize];
                let (n, ops) = select_operands(spec, data);
                for (i, c) in spec.cases.iter().enumerate() {
                    if !c.send && resolve(c.chan, ops[i].0) == Ok(ch) {
                        v.push(RecvPoint {
                            ops: n,
                            with_ok: c.with_ok,
                            target: Some(c.target),
                            case: Some(i),
                        });
                    }
                }
            }
            _ => {}
        }
        v
    }

    fn send_points(&self, s: &State<M::Mem>, h: usize, ch: u32) -> Vec<SendPoint> {
        let mut v = Vec::new();
        let Some((_, ins)) = self.instr(s, h) else {
            return v;
        };
        let data = &s.gors[h].data;
        match ins {
            Instr::Send(r) => {
                let value = *data.last().unwrap();
                let idx = data.len().checked_sub(2).map(|i| data[i]);
                if resolve(r, idx) == Ok(ch) {
                    v.push(SendPoint {
                        value,
                        ops: 1 + is_indexed(r) as usize,
                        target: None,
                        case: None,
                    });
                }
            }
            Instr::Select(id) => {
                let spec = &self.prog.selects[id as usize];
                let (n, ops) = select_operands(spec, data);
                for (i, c) in spec.cases.iter().enumerate() {
                    if c.send && resolve(c.chan, ops[i].0) == Ok(ch) {
                        v.push(SendPoint {
                            value: ops[i].1.unwrap(),
                            ops: n,
                            target: Some(c.target),
                            case: Some(i),
                        });
                    }
                }
            }
            _ => {}
        }
        v
    }

    /// An unbuffered send and its receive, as one step.
    #[allow(clippy::too_many_arguments)]
    fn rendezvous(
        &self,
        s: &State<M::Mem>,
        sender: usize,
        sp: SendPoint,
        receiver: usize,
        rp: RecvPoint,
        ch: u32,
        actor: usize,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g: sender });
        self.edge(st, SyncEvent::Fence { g: receiver });
        self.edge(
            st,
            SyncEvent::Exchange {
                a: sender,
                b: receiver,
            },
        );
        Self::pop_n(st, sender, sp.ops);
        Self::advance(st, sender, sp.target);
        Self::pop_n(st, receiver, rp.ops);
        st.gor_mut(receiver).data.push(sp.value);
        if rp.with_ok {
            st.gor_mut(receiver).data.push(1);
        }
        Self::advance(st, receiver, rp.target);
        self.run_local(st, sender, strings);
        if st.end.is_none() {
            self.run_local(st, receiver, strings);
        }
        let prog = self.prog;
        let desc = || {
            let c = &prog.chans[ch as usize];
            let v = c.elem.show(sp.value);
            let sel = |case: Option<usize>| if case.is_some() { "select: " } else { "" };
            if actor == sender {
                format!(
                    "{}send {} <- {} (received by {})",
                    sel(sp.case),
                    c.name,
                    v,
                    gor_name(prog, s, receiver)
                )
            } else {
                format!(
                    "{}recv <-{} = {} (sent by {})",
                    sel(rp.case),
                    c.name,
                    v,
                    gor_name(prog, s, sender)
                )
            }
        };
        self.push(mk, actor, strings, describe, desc);
    }

    /// Every step goroutine `g` can take. With `both_sides`, an unbuffered
    /// rendezvous is generated from the receiver's side too (otherwise only
    /// from the sender's, so that each appears once).
    fn gor_steps(
        &self,
        s: &State<M::Mem>,
        g: usize,
        both_sides: bool,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        let Some((_, ins)) = self.instr(s, g) else {
            return;
        };
        let prog = self.prog;
        let data = &s.gors[g].data;
        let top = data.last().copied();
        let second = data.len().checked_sub(2).map(|i| data[i]);
        let third = data.len().checked_sub(3).map(|i| data[i]);
        let sname = |o: u32| prog.sync_names[o as usize].clone();
        match ins {
            i if exits(g, s.gors[g].frames.len(), i) => {
                let mut mk = Self::start(s, out);
                let st = mk.state();
                let gor = st.gor_mut(g);
                gor.frames.clear();
                gor.data.clear();
                st.end = Some(End {
                    kind: EndKind::Ok,
                    msg: 0,
                });
                self.push(mk, g, strings, describe, || {
                    "return: the program exits".into()
                });
            }
            i if !i.is_visible() => {
                let mut mk = Self::start(s, out);
                let st = mk.state();
                self.run_local(st, g, strings);
                self.push(mk, g, strings, describe, || "local computation".into());
            }
            Instr::Read(r) => {
                let idx = if is_indexed(r) { top } else { None };
                let slot = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "read".into(), &m, strings, describe, out);
                    }
                };
                let mut choices = ReadChoices::new();
                self.model.read(&s.mem, g, slot, &mut choices);
                let ty = self.plain_ty(slot);
                for c in choices {
                    let mut mk = Self::start(s, out);
                    let st = mk.state();
                    if is_indexed(r) {
                        st.gor_mut(g).data.pop();
                    }
                    self.model.apply_read(&mut st.mem, g, slot, &c);
                    let races = self.access(st, g, slot, false, strings);
                    st.gor_mut(g).data.push(c.value);
                    let succ = mk.succ();
                    succ.races = races;
                    succ.stale = c.stale;
                    self.finish(mk, g, None, strings, describe, || {
                        let mut d = format!(
                            "read {} = {}",
                            prog.plain_names[slot as usize],
                            ty.show(c.value)
                        );
                        match c.note {
                            Some(ReadNote::Stale { latest }) => {
                                d.push_str(&format!(" (stale; latest is {})", ty.show(latest)))
                            }
                            Some(ReadNote::OwnBuffer) => d.push_str(" (from its own store buffer)"),
                            None => {}
                        }
                        d
                    });
                }
            }
            Instr::Write(r) => {
                let value = top.unwrap();
                let idx = if is_indexed(r) { second } else { None };
                let slot = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "write".into(), &m, strings, describe, out);
                    }
                };
                let mut mk = Self::start(s, out);
                let st = mk.state();
                let races = self.access(st, g, slot, true, strings);
                Self::pop_n(st, g, 1 + is_indexed(r) as usize);
                let note = self.model.write(&mut st.mem, g, slot, value);
                let ty = self.plain_ty(slot);
                mk.succ().races = races;
                self.finish(mk, g, None, strings, describe, || {
                    let mut d = format!(
                        "write {} = {}",
                        prog.plain_names[slot as usize],
                        ty.show(value)
                    );
                    if let Some(n) = note {
                        d.push_str(&format!(" ({n})"));
                    }
                    d
                });
            }
            Instr::Lock(r)
            | Instr::Unlock(r)
            | Instr::RLock(r)
            | Instr::RUnlock(r)
            | Instr::WgWait(r) => {
                let idx = if is_indexed(r) { top } else { None };
                let o = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "lock".into(), &m, strings, describe, out);
                    }
                };
                let cur = s.sync[o as usize];
                let rw = prog.sync_kinds[o as usize] == SyncKind::RWMutex;
                // An RWMutex holds -1 (writer) or `readers | (pending writer + 1) << 32`:
                // a writer waiting in Lock keeps new readers out, as in Go.
                let readers = cur & 0xFFFF_FFFF;
                let pending = if cur >= 0 { cur >> 32 } else { 0 };
                let me = g as i64 + 1;
                let mut stay = false;
                let (new, what, err): (Option<i64>, &str, Option<&str>) = match ins {
                    Instr::Lock(_) if rw => {
                        if cur >= 0 && readers == 0 && (pending == 0 || pending == me) {
                            (Some(-1), "Lock", None)
                        } else if cur > 0 && pending == 0 {
                            stay = true;
                            (Some(readers | (me << 32)), "Lock", None)
                        } else {
                            (None, "Lock", None)
                        }
                    }
                    // a Mutex holds its owner's number + 1
                    Instr::Lock(_) => (if cur == 0 { Some(me) } else { None }, "Lock", None),
                    Instr::Unlock(_) => {
                        if (rw && cur == -1) || (!rw && cur > 0) {
                            (Some(0), "Unlock", None)
                        } else if rw {
                            (
                                None,
                                "Unlock",
                                Some("fatal error: sync: Unlock of unlocked RWMutex"),
                            )
                        } else {
                            (
                                None,
                                "Unlock",
                                Some("fatal error: sync: unlock of unlocked mutex"),
                            )
                        }
                    }
                    Instr::RLock(_) => (
                        if cur >= 0 && pending == 0 {
                            Some(cur + 1)
                        } else {
                            None
                        },
                        "RLock",
                        None,
                    ),
                    Instr::RUnlock(_) => {
                        if cur >= 0 && readers > 0 {
                            (Some(cur - 1), "RUnlock", None)
                        } else {
                            (
                                None,
                                "RUnlock",
                                Some("fatal error: sync: RUnlock of unlocked RWMutex"),
                            )
                        }
                    }
                    _ => (if cur == 0 { Some(0) } else { None }, "Wait", None),
                };
                if let Some(e) = err {
                    return self.fault_step(
                        s,
                        g,
                        format!("{what} {}", sname(o)),
                        e,
                        strings,
                        describe,
                        out,
                    );
                }
                if let Some(new) = new {
                    let mut mk = Self::start(s, out);
                    let st = mk.state();
                    self.edge(st, SyncEvent::Fence { g });
                    let (main_c, readers_c) = (o as usize, prog.sync_kinds.len() + o as usize);
                    let rel = |carrier| SyncEvent::Release { g, carrier };
                    let acq = |carrier| SyncEvent::Acquire { g, carrier };
                    match ins {
                        Instr::Lock(_) if !stay => {
                            self.edge(st, acq(main_c));
                            self.edge(st, acq(readers_c));
                        }
                        Instr::Unlock(_) => self.edge(st, rel(main_c)),
                        Instr::RLock(_) | Instr::WgWait(_) => self.edge(st, acq(main_c)),
                        Instr::RUnlock(_) => self.edge(st, rel(readers_c)),
                        _ => {}
                    }
                    st.sync[o as usize] = new;
                    if stay {
                        // announced; the goroutine stays at its Lock
                        let d = || format!("Lock {} (waits for its readers)", sname(o));
                        self.push(mk, g, strings, describe, d);
                    } else {
                        Self::pop_n(st, g, is_indexed(r) as usize);
                        self.finish(mk, g, None, strings, describe, || {
                            if what == "Wait" {
                                format!("{}.Wait()", sname(o))
                            } else {
                                format!("{what} {}", sname(o))
                            }
                        });
                    }
                }
            }
            Instr::WgAdd(r) => {
                let delta = top.unwrap();
                let idx = if is_indexed(r) { second } else { None };
                let o = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "Add".into(), &m, strings, describe, out);
                    }
                };
                let what = move || {
                    if delta == -1 {
                        format!("{}.Done()", sname(o))
                    } else {
                        format!("{}.Add({delta})", sname(o))
                    }
                };
                let new = s.sync[o as usize].wrapping_add(delta);
                if new < 0 {
                    return self.fault_step(
                        s,
                        g,
                        what(),
                        "sync: negative WaitGroup counter",
                        strings,
                        describe,
                        out,
                    );
                }
                let mut mk = Self::start(s, out);
                let st = mk.state();
                self.edge(st, SyncEvent::Fence { g });
                self.edge(
                    st,
                    SyncEvent::Release {
                        g,
                        carrier: o as usize,
                    },
                );
                Self::pop_n(st, g, 1 + is_indexed(r) as usize);
                st.sync[o as usize] = new;
                self.finish(mk, g, None, strings, describe, what);
            }
            Instr::Atomic(op, r) => {
                let nargs = match op {
                    AtomicOp::Load => 0,
                    AtomicOp::Cas => 2,
                    _ => 1,
                };
                let idx = if is_indexed(r) {
                    [top, second, third][nargs]
                } else {
                    None
                };
                let o = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "atomic".into(), &m, strings, describe, out);
                    }
                };
                let ty = if prog.sync_kinds[o as usize] == SyncKind::AtomicBool {
                    Ty::Bool
                } else {
                    Ty::Int
                };
                let cur = s.sync[o as usize];
                let mut mk = Self::start(s, out);
                let st = mk.state();
                self.edge(st, SyncEvent::Fence { g });
                let (new, result, text) = match op {
                    AtomicOp::Load => (
                        cur,
                        Some(cur),
                        format!("{}.Load() = {}", sname(o), ty.show(cur)),
                    ),
                    AtomicOp::Store => {
                        let v = top.unwrap();
                        (v, None, format!("{}.Store({})", sname(o), ty.show(v)))
                    }
                    AtomicOp::Add => {
                        let v = cur.wrapping_add(top.unwrap());
                        (
                            v,
                            Some(v),
                            format!("{}.Add({}) = {}", sname(o), top.unwrap(), v),
                        )
                    }
                    AtomicOp::Swap => {
                        let v = top.unwrap();
                        (
                            v,
                            Some(cur),
                            format!("{}.Swap({}) = {}", sname(o), ty.show(v), ty.show(cur)),
                        )
                    }
                    AtomicOp::Cas => {
                        let (old, new) = (second.unwrap(), top.unwrap());
                        let okk = cur == old;
                        (
                            if okk { new } else { cur },
                            Some(okk as i64),
                            format!(
                                "{}.CompareAndSwap({}, {}) = {}",
                                sname(o),
                                ty.show(old),
                                ty.show(new),
                                okk
                            ),
                        )
                    }
                };
                Self::pop_n(st, g, nargs + is_indexed(r) as usize);
                // Atomics synchronise: a read acquires what the last write released.
                let failed_cas = op == AtomicOp::Cas && result == Some(0);
                let writes = op != AtomicOp::Load && !failed_cas;
                if op != AtomicOp::Store {
                    self.edge(
                        st,
                        SyncEvent::Acquire {
                            g,
                            carrier: o as usize,
                        },
                    );
                }
                if writes {
                    self.edge(
                        st,
                        SyncEvent::Release {
                            g,
                            carrier: o as usize,
                        },
                    );
                }
                st.sync[o as usize] = new;
                if let Some(v) = result {
                    st.gor_mut(g).data.push(v);
                }
                self.finish(mk, g, None, strings, describe, || text);
            }
            Instr::Send(r) => {
                let value = top.unwrap();
                let idx = if is_indexed(r) { second } else { None };
                let c = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "send".into(), &m, strings, describe, out);
                    }
                };
                let sp = SendPoint {
                    value,
                    ops: 1 + is_indexed(r) as usize,
                    target: None,
                    case: None,
                };
                self.send_steps(s, g, c, sp, strings, describe, out);
            }
            Instr::Recv(r, with_ok) => {
                let idx = if is_indexed(r) { top } else { None };
                let c = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "recv".into(), &m, strings, describe, out);
                    }
                };
                let rp = RecvPoint {
                    ops: is_indexed(r) as usize,
                    with_ok,
                    target: None,
                    case: None,
                };
                self.recv_steps(s, g, c, rp, both_sides, strings, describe, out);
            }
            Instr::Close(r) => {
                let idx = if is_indexed(r) { top } else { None };
                let c = match resolve(r, idx) {
                    Ok(x) => x,
                    Err(m) => {
                        return self.fault_step(s, g, "close".into(), &m, strings, describe, out);
                    }
                };
                let name = prog.chans[c as usize].name.clone();
                if s.chans[c as usize].closed {
                    return self.fault_step(
                        s,
                        g,
                        format!("close {name}"),
                        "close of closed channel",
                        strings,
                        describe,
                        out,
                    );
                }
                let mut mk = Self::start(s, out);
                let st = mk.state();
                self.edge(st, SyncEvent::Fence { g });
                Self::pop_n(st, g, is_indexed(r) as usize);
                let cc = self.chan_carrier[c as usize];
                self.edge(st, SyncEvent::Release { g, carrier: cc });
                st.chans[c as usize].closed = true;
                self.finish(mk, g, None, strings, describe, || format!("close {name}"));
            }
            Instr::Select(id) => {
                let spec = &prog.selects[id as usize];
                let (n, ops) = select_operands(spec, data);
                let before = out.len();
                let mut ready = false;
                for (i, case) in spec.cases.iter().enumerate() {
                    let c = match resolve(case.chan, ops[i].0) {
                        Ok(x) => x,
                        Err(m) => {
                            self.fault_step(s, g, "select".into(), &m, strings, describe, out);
                            ready = true;
                            continue;
                        }
                    };
                    if case.send {
                        let sp = SendPoint {
                            value: ops[i].1.unwrap(),
                            ops: n,
                            target: Some(case.target),
                            case: Some(i),
                        };
                        ready |= self.send_ready(s, c);
                        self.send_steps(s, g, c, sp, strings, describe, out);
                    } else {
                        let rp = RecvPoint {
                            ops: n,
                            with_ok: case.with_ok,
                            target: Some(case.target),
                            case: Some(i),
                        };
                        ready |= self.recv_ready(s, c);
                        self.recv_steps(s, g, c, rp, both_sides, strings, describe, out);
                    }
                }
                let _ = before;
                if !ready && spec.default.is_some() {
                    let mut mk = Self::start(s, out);
                    let st = mk.state();
                    self.edge(st, SyncEvent::Fence { g });
                    Self::pop_n(st, g, n);
                    self.finish(mk, g, spec.default, strings, describe, || {
                        "select: default".into()
                    });
                }
            }
            Instr::Go { func, argc } => {
                if s.gors.len() >= MAX_GOROUTINES {
                    if self.goroutine_limit.get().is_none() {
                        self.goroutine_limit.set(Some(self.loc(s, g)));
                    }
                    return;
                }
                let mut mk = Self::start(s, out);
                let st = mk.state();
                let d = &mut st.gor_mut(g).data;
                let args: Vec<i64> = d.drain(d.len() - argc as usize..).collect();
                let callee = &prog.funcs[func as usize];
                let mut cdata: smallvec::SmallVec<[i64; 6]> = args.iter().copied().collect();
                cdata.resize(callee.nlocals as usize, 0);
                let child = st.gors.len();
                st.gors.push(std::rc::Rc::new(Gor {
                    func,
                    class: strings.class(func, &args),
                    frames: smallvec::smallvec![Frame {
                        func,
                        pc: 0,
                        base: 0,
                    }],
                    data: cdata,
                }));
                self.edge(st, SyncEvent::Spawn { parent: g, child });
                self.run_local(st, child, strings);
                let desc = || {
                    let shown: Vec<String> = args
                        .iter()
                        .zip(&callee.param_tys)
                        .map(|(v, t)| t.show(*v))
                        .collect();
                    format!("go {}({})", callee.name, shown.join(", "))
                };
                self.finish(mk, g, None, strings, describe, desc);
            }
            Instr::Print(id) => {
                let spec = &prog.prints[id as usize];
                let nvals = spec
                    .args
                    .iter()
                    .filter(|a| matches!(a, PrintArg::Value(_)))
                    .count();
                let vals = &data[data.len() - nvals..];
                let mut parts = Vec::new();
                let mut vi = 0;
                for a in &spec.args {
                    match a {
                        PrintArg::Str(t) => parts.push(t.clone()),
                        PrintArg::Value(t) => {
                            parts.push(t.show(vals[vi]));
                            vi += 1;
                        }
                    }
                }
                let piece = if spec.newline {
                    format!("{}\n", parts.join(" "))
                } else {
                    parts.concat()
                };
                let mut mk = Self::start(s, out);
                let st = mk.state();
                Self::pop_n(st, g, nvals);
                let new = format!("{}{}", strings.get(s.output), piece);
                st.output = strings.intern(&new);
                self.finish(mk, g, None, strings, describe, || {
                    format!("print {piece:?}")
                });
            }
            other => unreachable!("not a step: {other:?}"),
        }
    }

    fn plain_ty(&self, slot: u32) -> Ty {
        self.prog.plain_tys[slot as usize]
    }

    /// Is a send case ready by the channel's state alone? A partner waiting
    /// at an unbuffered channel does not count: in this model a goroutine
    /// resting at a send may equally not have reached it yet, so `default`
    /// stays possible (as it is in Go, where the partner may still be on its
    /// way).
    fn send_ready(&self, s: &State<M::Mem>, c: u32) -> bool {
        let ch = &s.chans[c as usize];
        let cap = self.prog.chans[c as usize].cap as usize;
        ch.closed || (cap > 0 && ch.buf.len() < cap)
    }

    /// Is a receive case ready by the channel's state alone?
    fn recv_ready(&self, s: &State<M::Mem>, c: u32) -> bool {
        let ch = &s.chans[c as usize];
        !ch.buf.is_empty() || ch.closed
    }

    #[allow(clippy::too_many_arguments)]
    fn send_steps(
        &self,
        s: &State<M::Mem>,
        g: usize,
        c: u32,
        sp: SendPoint,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        let prog = self.prog;
        let info = &prog.chans[c as usize];
        let ch = &s.chans[c as usize];
        let sel = if sp.case.is_some() { "select: " } else { "" };
        if ch.closed {
            return self.fault_step(
                s,
                g,
                format!("{sel}send {} <- {}", info.name, info.elem.show(sp.value)),
                "send on closed channel",
                strings,
                describe,
                out,
            );
        }
        if info.cap > 0 {
            if ch.buf.len() < info.cap as usize {
                let mut mk = Self::start(s, out);
                let st = mk.state();
                self.edge(st, SyncEvent::Fence { g });
                Self::pop_n(st, g, sp.ops);
                let slot_c = self.chan_carrier[c as usize] + 2 + ch.buf.len();
                let space_c = self.chan_carrier[c as usize] + 1;
                self.edge(
                    st,
                    SyncEvent::Acquire {
                        g,
                        carrier: space_c,
                    },
                );
                self.edge(st, SyncEvent::ReleaseOnly { g, carrier: slot_c });
                st.chans[c as usize].buf.push(sp.value);
                self.finish(mk, g, sp.target, strings, describe, || {
                    format!("{sel}send {} <- {}", info.name, info.elem.show(sp.value))
                });
            }
            return;
        }
        for h in 0..s.gors.len() {
            if h == g {
                continue;
            }
            for rp in self.recv_points(s, h, c) {
                self.rendezvous(s, g, sp, h, rp, c, g, strings, describe, out);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn recv_steps(
        &self,
        s: &State<M::Mem>,
        g: usize,
        c: u32,
        rp: RecvPoint,
        both_sides: bool,
        strings: &mut Interner,
        describe: bool,
        out: &mut Vec<Succ<M::Mem>>,
    ) {
        let prog = self.prog;
        let info = &prog.chans[c as usize];
        let ch = &s.chans[c as usize];
        let sel = if rp.case.is_some() { "select: " } else { "" };
        if !ch.buf.is_empty() || ch.closed {
            let mut mk = Self::start(s, out);
            let st = mk.state();
            self.edge(st, SyncEvent::Fence { g });
            Self::pop_n(st, g, rp.ops);
            let (v, ok) = if ch.buf.is_empty() {
                (0, false)
            } else {
                (st.chans[c as usize].buf.remove(0), true)
            };
            let base = self.chan_carrier[c as usize];
            let n = info.cap as usize;
            if ok {
                self.edge(
                    st,
                    SyncEvent::Acquire {
                        g,
                        carrier: base + 2,
                    },
                );
                self.edge(st, SyncEvent::Shift { from: base + 2, n });
                self.edge(
                    st,
                    SyncEvent::Release {
                        g,
                        carrier: base + 1,
                    },
                );
            } else {
                self.edge(st, SyncEvent::Acquire { g, carrier: base });
            }
            st.gor_mut(g).data.push(v);
            if rp.with_ok {
                st.gor_mut(g).data.push(ok as i64);
            }
            self.finish(mk, g, rp.target, strings, describe, || {
                let closed = if ok { "" } else { " (closed)" };
                format!("{sel}recv <-{} = {}{closed}", info.name, info.elem.show(v))
            });
            return;
        }
        if info.cap == 0 && both_sides {
            for h in 0..s.gors.len() {
                if h == g {
                    continue;
                }
                for sp in self.send_points(s, h, c) {
                    self.rendezvous(s, h, sp, g, rp, c, g, strings, describe, out);
                }
            }
        }
    }
}

/// Is `ins`, with `depth` frames on goroutine `g`'s stack, main's own return?
/// That return is a step of its own (LANGUAGE.md §7): the program exits when
/// it is taken, and the other goroutines may run between main's last
/// statement and it, as under Go's scheduler. A `return` of a nested call
/// of `main` is local computation like any other.
fn exits(g: usize, depth: usize, ins: Instr) -> bool {
    g == 0 && depth == 1 && matches!(ins, Instr::Return { .. })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{go::Go, sc::Sc};
    use crate::search::{SearchLimits, explore};

    /// The same search with and without fused runs: the same states in the
    /// same order, with the same transitions.
    fn same_with_and_without_fusion<M: MemoryModel>(prog: &Program, model: &M, what: &str) {
        let fused = Machine::new(prog, model, false);
        let mut plain = Machine::new(prog, model, false);
        plain.fused = plain
            .fused
            .iter()
            .map(|f| vec![Fused::No; f.len()])
            .collect();
        let limits = SearchLimits {
            max_states: Some(3_000),
            max_depth: None,
            cancel: Default::default(),
            progress: None,
        };
        let a = explore(&fused, Mode::Full, limits.clone(), &mut Interner::default());
        let b = explore(&plain, Mode::Full, limits, &mut Interner::default());
        assert_eq!(a.states.len(), b.states.len(), "{what}");
        for i in 0..a.states.len() as u32 {
            assert_eq!(a.states.get(i), b.states.get(i), "{what}: state {i}");
            let steps = |x: &crate::search::Explored<M::Mem>| {
                x.graph
                    .steps(i)
                    .map(|(s, to)| (s.gor, s.after, s.stale, s.internal, to))
                    .collect::<Vec<_>>()
            };
            assert_eq!(steps(&a), steps(&b), "{what}: transitions of {i}");
        }
    }

    /// Fused runs change nothing, on every program of the corpus and on
    /// loops that run out of fuel, end in a failed operation, or jump into
    /// what would otherwise be fused.
    #[test]
    fn fused_runs_change_nothing() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/programs");
        let mut srcs: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("programs/")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "gr"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).expect("a program"),
                )
            })
            .collect();
        srcs.sort();
        let extra = [
            // runs out of fuel twice, partway through fused runs
            "var x int\nfunc main() { for i := 0; i < 250001; i++ { }\nx = 1 }",
            "var x int\nfunc main() { d := 0\nfor i := 0; i < 3; i++ { x = 10 / (2 - i - d) }\nprint(x) }",
            "var x int\nfunc w(n int) { for i := 0; i < n; i++ { x = x + i * 2 } }\n\
             func main() { go w(2)\nw(3)\nprint(x) }",
        ];
        srcs.extend(
            extra
                .iter()
                .enumerate()
                .map(|(k, s)| (format!("extra {k}"), s.to_string())),
        );
        let mut fused_somewhere = 0;
        for (name, src) in &srcs {
            let Ok(prog) = crate::compile(&crate::Source::new(name, src)) else {
                continue;
            };
            fused_somewhere += fuse(&prog)
                .iter()
                .flatten()
                .filter(|f| **f != Fused::No)
                .count();
            same_with_and_without_fusion(&prog, &Sc, name);
            same_with_and_without_fusion(&prog, &Go, name);
        }
        assert!(fused_somewhere > 20, "{fused_somewhere} fused runs");
    }

    /// A jump into the middle of a run keeps it from being fused.
    #[test]
    fn no_run_is_fused_across_a_jump_target() {
        let prog = crate::compile(&crate::Source::new(
            "t.gr",
            "var x int\nfunc main() { i := 0\nfor i < 3 { i = i + 1 }\nx = i }",
        ))
        .expect("compiles");
        for (f, func) in fuse(&prog).iter().zip(&prog.funcs) {
            for (p, run) in f.iter().enumerate() {
                for q in p + 1..p + run.len() as usize {
                    for (r, _) in func.code.iter().enumerate() {
                        if r + 1 != q {
                            assert!(!next_pcs(&prog, func, r).contains(&q), "{p}: {run:?}");
                        }
                    }
                }
            }
        }
    }
}
