//! Footprints: per function and pc, what a goroutine there may still touch
//! before it returns (counting what it calls, defers and starts), and under
//! which of its own locks. The partial-order reduction's stubborn sets
//! (`crate::reduce::por`) are computed from them; like the other analyses
//! of [`super::flow`] they look at code only, never at a state.
//!
//! A footprint is a set of *facts* (bits): a read or a write of a plain
//! slot, an operation on a sync object or a channel, a `go` (the numbering
//! of goroutines), a print (the output), a map operation, a step that may
//! end the run (a panic, a fatal error, main's return: [`Footprints::end`])
//! and a wait-group decrement by a constant (which can fail only if the
//! counter would go negative: [`Footprints::done`], judged per state).
//! Each fact carries the mutexes held at *every* place it may happen (the
//! goroutine's own `Lock` with no `Unlock` since, on every path from the
//! function's entry: a must analysis), for the mutexes that only their
//! holder ever unlocks ([`Footprints::lock_bit`]): while another goroutine
//! holds one of those, the fact cannot happen.
//!
//! Everything unknown is over-approximated: an index computed at run time
//! touches the whole array (and may fail), a sync object or channel held
//! in a variable touches every one of its kind (and may fail), a function
//! that defers or recovers has no protecting locks.

use super::flow::next_pcs;
use super::{BinOp, FuncId, Function, Instr, Program, Ref, SyncKind};

/// The facts a goroutine at one place may still make: those that may
/// happen without any protecting lock held (`free`, a bit set), and those
/// each of whose places holds some tracked mutex (`guarded`: the fact and
/// the mutexes, as [`Footprints::lock_bit`] bits, held at all of them).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Fp {
    pub free: Box<[u64]>,
    pub guarded: Vec<(u32, u64)>,
}

impl Fp {
    fn empty(words: usize) -> Self {
        Fp {
            free: vec![0; words].into_boxed_slice(),
            guarded: Vec::new(),
        }
    }

    /// Add fact `b`, made with the mutexes `held` (lock bits).
    fn add(&mut self, b: u32, held: u64) {
        if self.free[b as usize / 64] >> (b % 64) & 1 == 1 {
            return;
        }
        match self.guarded.binary_search_by_key(&b, |x| x.0) {
            Ok(k) => {
                let m = self.guarded[k].1 & held;
                if m == 0 {
                    self.guarded.remove(k);
                    self.free[b as usize / 64] |= 1 << (b % 64);
                } else {
                    self.guarded[k].1 = m;
                }
            }
            Err(k) if held != 0 => self.guarded.insert(k, (b, held)),
            Err(_) => self.free[b as usize / 64] |= 1 << (b % 64),
        }
    }

    /// Add every fact of `o`.
    fn join(&mut self, o: &Fp) {
        for (a, b) in self.free.iter_mut().zip(o.free.iter()) {
            *a |= b;
        }
        let before = std::mem::take(&mut self.guarded);
        for (b, m) in before {
            if self.free[b as usize / 64] >> (b % 64) & 1 == 0 {
                self.guarded.push((b, m));
            }
        }
        for &(b, m) in &o.guarded {
            self.add(b, m);
        }
    }
}

/// The footprints of a program's functions and the layout of their facts.
#[derive(Debug)]
pub struct Footprints {
    /// Words of a fact set.
    pub words: usize,
    /// Plain slots: fact `slot` reads one, `slots + slot` writes it.
    pub slots: u32,
    /// First fact of the sync objects (one per object of `sync_kinds`).
    pub sync_base: u32,
    /// First fact of the channels (one per channel of `chans`).
    pub chan_base: u32,
    /// A `go` (the new goroutine's number depends on the order of `go`s).
    pub spawn: u32,
    /// A print.
    pub output: u32,
    /// Any map operation.
    pub maps: u32,
    /// A step that may end the run (a panic, a fatal error, main's return).
    pub end: u32,
    /// A wait-group decrement by a constant: it fails only if the counter
    /// would go negative.
    pub done: u32,
    /// Per sync object: its bit in the masks of held mutexes, for the
    /// mutexes that only a goroutine holding them ever unlocks (the first
    /// 64 such).
    pub lock_bit: Vec<Option<u8>>,
    /// Per function and pc.
    pub at: Vec<Vec<Fp>>,
    /// Main's function with its paths cut at each `Wait` of a wait group
    /// named statically (what main may do before it passes one), per pc.
    pub main_cut: Vec<Fp>,
    /// Per pc of main: the wait groups (sync objects below 64, as bits) at
    /// whose `Wait` a path of [`Footprints::main_cut`] was cut; `u64::MAX`
    /// when one was beyond 64 (then the cut is never used).
    pub main_waits: Vec<u64>,
    /// The sync objects with a [`Footprints::lock_bit`], with their bit.
    pub locks: Vec<(u32, u8)>,
    /// The wait groups.
    pub wait_groups: Vec<u32>,
    /// The sync objects whose values a stubborn set depends on: the
    /// mutexes (held, or blocking a `Lock`) and the wait groups.
    pub read_sync: Vec<u32>,
}

impl Footprints {
    /// The footprints of `prog`.
    pub fn new(prog: &Program) -> Self {
        let slots = prog.plain_init.len() as u32;
        let nsync = prog.sync_kinds.len() as u32;
        let sync_base = 2 * slots;
        let chan_base = sync_base + nsync;
        let spawn = chan_base + prog.chans.len() as u32;
        let (output, maps, end, done) = (spawn + 1, spawn + 2, spawn + 3, spawn + 4);
        let words = (done as usize + 1).div_ceil(64);
        let mut fp = Footprints {
            words,
            slots,
            sync_base,
            chan_base,
            spawn,
            output,
            maps,
            end,
            done,
            lock_bit: vec![None; nsync as usize],
            at: Vec::new(),
            main_cut: Vec::new(),
            main_waits: Vec::new(),
            locks: Vec::new(),
            wait_groups: Vec::new(),
            read_sync: Vec::new(),
        };
        // candidates: every mutex named statically, until shown unlocked
        // by a goroutine that may not hold it
        let mut next = 0u8;
        for (o, k) in prog.sync_kinds.iter().enumerate() {
            if *k == SyncKind::Mutex && next < 64 {
                fp.lock_bit[o] = Some(next);
                next += 1;
            }
        }
        let unlocks = super::flow::reaching(prog, |i| {
            matches!(i, Instr::Unlock(_) | Instr::CondWait { .. })
        });
        let held = |fp: &Footprints| -> Vec<Vec<u64>> {
            prog.funcs
                .iter()
                .map(|f| must_hold(prog, f, fp, &unlocks))
                .collect()
        };
        let first = held(&fp);
        // a mutex some goroutine may unlock without holding it protects
        // nothing
        for (f, func) in prog.funcs.iter().enumerate() {
            for (pc, i) in func.code.iter().enumerate() {
                let h = first[f][pc];
                let drop = |o: u32, fp: &mut Footprints| {
                    if let Some(b) = fp.lock_bit[o as usize]
                        && h >> b & 1 == 0
                    {
                        fp.lock_bit[o as usize] = None;
                    }
                };
                match *i {
                    Instr::Unlock(Ref::Fixed(o)) => drop(o, &mut fp),
                    Instr::CondWait { mu, .. } => drop(mu, &mut fp),
                    Instr::Unlock(r) => {
                        for o in sync_range(r, nsync) {
                            fp.lock_bit[o as usize] = None;
                        }
                    }
                    _ => {}
                }
            }
        }
        let held = held(&fp);
        let recursive = calls_recurse(prog);
        let closes = prog
            .funcs
            .iter()
            .any(|f| f.code.iter().any(|i| matches!(i, Instr::Close(_))));
        let facts = Facts {
            prog,
            fp: &fp,
            held: &held,
            recursive,
            closes,
        };
        let at = facts.fixpoint(None);
        let (cut, waits) = facts.main_cut(&at);
        fp.at = at;
        fp.main_cut = cut;
        fp.main_waits = waits;
        fp.locks = (fp.lock_bit.iter().enumerate())
            .filter_map(|(o, b)| Some((o as u32, (*b)?)))
            .collect();
        fp.wait_groups = (0..nsync)
            .filter(|&o| prog.sync_kinds[o as usize] == SyncKind::WaitGroup)
            .collect();
        fp.read_sync = (0..nsync)
            .filter(|&o| {
                matches!(
                    prog.sync_kinds[o as usize],
                    SyncKind::Mutex | SyncKind::WaitGroup
                )
            })
            .collect();
        fp
    }

    /// Is fact `b` in the set `bits`?
    pub fn has(bits: &[u64], b: u32) -> bool {
        bits[b as usize / 64] >> (b % 64) & 1 == 1
    }

    /// Put fact `b` in `bits`.
    pub fn set(bits: &mut [u64], b: u32) {
        bits[b as usize / 64] |= 1 << (b % 64);
    }
}

/// The sync objects `r` may name (all of them for a value).
fn sync_range(r: Ref, nsync: u32) -> std::ops::Range<u32> {
    match r {
        Ref::Fixed(o) => o..o + 1,
        Ref::Indexed { base, len } => base..base + len,
        Ref::Dyn => 0..nsync,
    }
}

/// Per pc of `f`: the tracked mutexes (lock bits) its goroutine holds on
/// every path from the entry (none in a function that defers or recovers:
/// a recovered panic resumes at its last instruction).
fn must_hold(prog: &Program, f: &Function, fp: &Footprints, unlocks: &[bool]) -> Vec<u64> {
    let n = f.code.len();
    if f.code
        .iter()
        .any(|i| matches!(i, Instr::Defer { .. } | Instr::Recover))
    {
        return vec![0; n];
    }
    let bit = |o: u32| fp.lock_bit[o as usize].map_or(0, |b| 1u64 << b);
    let mut held = vec![u64::MAX; n];
    if n == 0 {
        return held;
    }
    held[0] = 0;
    let mut changed = true;
    while changed {
        changed = false;
        for pc in 0..n {
            let h = held[pc];
            if h == u64::MAX {
                continue;
            }
            let out = match f.code[pc] {
                Instr::Lock(Ref::Fixed(o)) => h | bit(o),
                Instr::Unlock(Ref::Fixed(o)) => h & !bit(o),
                Instr::Unlock(_) => 0,
                Instr::CondWait { mu, .. } => h & !bit(mu),
                Instr::CondLock { mu, .. } => h | bit(mu),
                Instr::Call { func, .. } if unlocks[func as usize] => 0,
                _ => h,
            };
            for t in next_pcs(prog, f, pc) {
                let v = held[t] & out;
                if v != held[t] {
                    held[t] = v;
                    changed = true;
                }
            }
        }
    }
    // unreachable code holds nothing it could show
    for h in &mut held {
        if *h == u64::MAX {
            *h = 0;
        }
    }
    held
}

/// Is there a cycle of calls (then a call may exceed the frame limit), or
/// a chain of calls as deep as the limit?
fn calls_recurse(prog: &Program) -> bool {
    fn depth(prog: &Program, f: usize, on: &mut [u8], memo: &mut [u32]) -> u32 {
        match on[f] {
            1 => return u32::MAX,
            2 => return memo[f],
            _ => {}
        }
        on[f] = 1;
        let mut d = 1u32;
        for i in &prog.funcs[f].code {
            if let Instr::Call { func, .. } | Instr::Defer { func, .. } = *i {
                d = d.max(depth(prog, func as usize, on, memo).saturating_add(1));
            }
        }
        on[f] = 2;
        memo[f] = d;
        d
    }
    let n = prog.funcs.len();
    let (mut on, mut memo) = (vec![0u8; n], vec![0u32; n]);
    (0..n).any(|f| depth(prog, f, &mut on, &mut memo) >= crate::semantics::MAX_FRAMES as u32 - 1)
}

/// What the fixpoint of footprints needs.
struct Facts<'p> {
    prog: &'p Program,
    fp: &'p Footprints,
    held: &'p [Vec<u64>],
    recursive: bool,
    closes: bool,
}

impl Facts<'_> {
    /// The facts of instruction `pc` of function `fi` itself, with the
    /// footprints of what it calls or starts from `at`.
    fn own(&self, fi: usize, pc: usize, at: &[Vec<Fp>], out: &mut Fp) {
        let (prog, fp) = (self.prog, self.fp);
        let f = &prog.funcs[fi];
        let h = self.held[fi][pc];
        let nsync = prog.sync_kinds.len() as u32;
        let nchan = prog.chans.len() as u32;
        let end = |out: &mut Fp| out.add(fp.end, h);
        let slots = |r: Ref, out: &mut Fp, base: u32| match r {
            Ref::Fixed(s) => out.add(base + s, h),
            Ref::Indexed { base: b, len } => {
                for s in b..b + len {
                    out.add(base + s, h);
                }
                out.add(fp.end, h);
            }
            Ref::Dyn => unreachable!("plain variables are never values"),
        };
        let sync = |r: Ref, out: &mut Fp| {
            for o in sync_range(r, nsync) {
                out.add(fp.sync_base + o, h);
            }
            if !matches!(r, Ref::Fixed(_)) {
                out.add(fp.end, h);
            }
        };
        let chan = |r: Ref, out: &mut Fp| {
            let range = match r {
                Ref::Fixed(c) => c..c + 1,
                Ref::Indexed { base, len } => base..base + len,
                Ref::Dyn => 0..nchan,
            };
            for c in range {
                out.add(fp.chan_base + c, h);
            }
            if !matches!(r, Ref::Fixed(_)) {
                out.add(fp.end, h);
            }
        };
        let entry = |func: FuncId, out: &mut Fp| {
            if let Some(e) = at[func as usize].first() {
                out.join(e);
            }
        };
        match f.code[pc] {
            Instr::Read(r) => slots(r, out, 0),
            Instr::Write(r) => slots(r, out, fp.slots),
            Instr::Lock(r) | Instr::RLock(r) | Instr::WgWait(r) => sync(r, out),
            Instr::Atomic(_, r) | Instr::OnceDo(r) | Instr::OnceDone(r) => sync(r, out),
            Instr::New(k) => sync(Ref::Fixed(prog.struct_sites[k as usize].sync), out),
            Instr::Unlock(r) => {
                sync(r, out);
                let guarded = matches!(r, Ref::Fixed(o) if fp.lock_bit[o as usize].is_some());
                if !guarded {
                    end(out);
                }
            }
            Instr::RUnlock(r) => {
                sync(r, out);
                end(out);
            }
            Instr::WgAdd(r) => {
                sync(r, out);
                match pc.checked_sub(1).map(|p| f.code[p]) {
                    Some(Instr::Push(d)) if d >= 0 => {}
                    Some(Instr::Push(_)) => out.add(fp.done, h),
                    _ => end(out),
                }
            }
            Instr::CondWait { cond, mu } => {
                sync(Ref::Fixed(cond), out);
                sync(Ref::Fixed(mu), out);
                if fp.lock_bit[mu as usize].is_none() {
                    end(out);
                }
            }
            Instr::CondLock { cond, mu } => {
                sync(Ref::Fixed(cond), out);
                sync(Ref::Fixed(mu), out);
            }
            Instr::CondNotify { cond, .. } => sync(Ref::Fixed(cond), out),
            Instr::Send(r) => {
                chan(r, out);
                if self.closes {
                    end(out);
                }
            }
            Instr::Recv(r, _) => chan(r, out),
            Instr::Close(r) => {
                chan(r, out);
                end(out);
            }
            Instr::Select(id) => {
                let spec = &prog.selects[id as usize];
                for c in &spec.cases {
                    chan(c.chan, out);
                    if c.send && self.closes {
                        end(out);
                    }
                }
            }
            Instr::Go { func, .. } => {
                out.add(fp.spawn, h);
                entry(func, out);
            }
            Instr::Print(_) => out.add(fp.output, h),
            Instr::MapGet { .. }
            | Instr::MapLen
            | Instr::MapWrite { .. }
            | Instr::MapStore { .. }
            | Instr::MapNext
            | Instr::MapShow => {
                out.add(fp.maps, h);
                end(out);
            }
            Instr::Call { func, .. } => {
                if self.recursive {
                    end(out);
                }
                entry(func, out);
            }
            Instr::Return { .. } | Instr::ReturnResults { .. } => {
                if fi == prog.main as usize {
                    end(out);
                }
            }
            Instr::Bin(BinOp::Div | BinOp::Rem) | Instr::BinU(BinOp::Div | BinOp::Rem) => end(out),
            Instr::Push(_)
            | Instr::Load(_)
            | Instr::Store(_)
            | Instr::Neg
            | Instr::Not
            | Instr::Bin(_)
            | Instr::BinU(_)
            | Instr::Wrap(_)
            | Instr::Dup
            | Instr::Pop
            | Instr::Jump(_)
            | Instr::JumpIf(..)
            | Instr::Recover
            | Instr::LoadUp(_)
            | Instr::StoreUp(_)
            | Instr::PushStr(_)
            | Instr::StrLen
            | Instr::Concat
            | Instr::Sprint(_)
            // struct values: local, and never failing
            | Instr::MakeStruct(..)
            | Instr::Field(_)
            | Instr::StoreField { .. }
            | Instr::StructShow(_) => {}
            // may fail: bounds, nil, a failed assert, a panic, too many
            // deferred calls, a used-up pool of channels
            Instr::LoadIdx { .. }
            | Instr::StoreIdx { .. }
            | Instr::Defer { .. }
            | Instr::Assert { .. }
            | Instr::Panic { .. }
            | Instr::PanicValue(_)
            | Instr::ObjValue { .. }
            | Instr::Deref
            | Instr::CheckIndex(_)
            | Instr::MakeChan(_) => {
                for c in 0..nchan {
                    out.add(fp.chan_base + c, h);
                }
                end(out);
            }
        }
    }

    /// The footprints of every function, by relaxation over the control
    /// flow (backwards), calls, `go`s and deferred calls; with `cut` the
    /// footprint of main only, whose paths stop at its static `Wait`s.
    fn fixpoint(&self, cut: Option<&[Vec<Fp>]>) -> Vec<Vec<Fp>> {
        let prog = self.prog;
        let words = self.fp.words;
        let funcs: Vec<usize> = match cut {
            Some(_) => vec![prog.main as usize],
            None => (0..prog.funcs.len()).collect(),
        };
        let mut at: Vec<Vec<Fp>> = prog
            .funcs
            .iter()
            .map(|f| vec![Fp::empty(words); f.code.len()])
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for &fi in &funcs {
                let f = &prog.funcs[fi];
                // the entries others are taken from: the whole program's
                // when cutting main (main is never called nor started)
                let entries: &[Vec<Fp>] = cut.unwrap_or(&at);
                let mut deferred = Fp::empty(words);
                for i in &f.code {
                    if let Instr::Defer { func, .. } = *i
                        && let Some(e) = entries[func as usize].first()
                    {
                        deferred.join(e);
                    }
                }
                for pc in (0..f.code.len()).rev() {
                    let mut set = at[fi][pc].clone();
                    set.join(&deferred);
                    let entries: &[Vec<Fp>] = match cut {
                        Some(c) => c,
                        None => &at,
                    };
                    self.own(fi, pc, entries, &mut set);
                    let stop = cut.is_some() && matches!(f.code[pc], Instr::WgWait(Ref::Fixed(_)));
                    if !stop {
                        for t in next_pcs(prog, f, pc) {
                            let next = at[fi][t].clone();
                            set.join(&next);
                        }
                    }
                    if set != at[fi][pc] {
                        at[fi][pc] = set;
                        changed = true;
                    }
                }
            }
        }
        at
    }

    /// Main's footprints cut at its static `Wait`s, and per pc the wait
    /// groups where they were cut.
    fn main_cut(&self, at: &[Vec<Fp>]) -> (Vec<Fp>, Vec<u64>) {
        let prog = self.prog;
        let main = prog.main as usize;
        let f = &prog.funcs[main];
        let mut cut = self.fixpoint(Some(at));
        let mut waits = vec![0u64; f.code.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for pc in (0..f.code.len()).rev() {
                let w = match f.code[pc] {
                    Instr::WgWait(Ref::Fixed(o)) if o < 64 => 1u64 << o,
                    Instr::WgWait(Ref::Fixed(_)) => u64::MAX,
                    _ => next_pcs(prog, f, pc)
                        .into_iter()
                        .fold(0, |a, t| a | waits[t]),
                };
                if w | waits[pc] != waits[pc] {
                    waits[pc] |= w;
                    changed = true;
                }
            }
        }
        (std::mem::take(&mut cut[main]), waits)
    }
}
