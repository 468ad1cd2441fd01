//! Static analyses of the step program, computed once per program before
//! the search: where control can go ([`next_pcs`]), which functions can
//! reach an instruction ([`reaching`]), how far wait-group counters can
//! still be lowered ([`wg_lowering`]) and which shared variables may still
//! be read ([`plain_reads`]). The partial-order reduction and the memory
//! models' normalisation rely on them; they look at code only, never at a
//! state.

use super::{Function, Instr, Program, Ref};

/// No bound (see [`wg_lowering`]).
pub const UNBOUNDED: u64 = u64::MAX;

/// The instructions control may go to after `f.code[pc]`.
pub fn next_pcs(prog: &Program, f: &Function, pc: usize) -> Vec<usize> {
    let mut out = Vec::new();
    match f.code[pc] {
        Instr::Jump(t) => out.push(t as usize),
        Instr::JumpIf(_, t) => out.extend([pc + 1, t as usize]),
        Instr::Return { .. }
        | Instr::ReturnResults { .. }
        | Instr::Panic { .. }
        | Instr::PanicValue(_) => {}
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
pub fn wg_lowering(prog: &Program) -> Vec<Vec<u64>> {
    let next = |f: &Function, pc: usize| next_pcs(prog, f, pc);
    let mut bound: Vec<Vec<u64>> = prog.funcs.iter().map(|f| vec![0; f.code.len()]).collect();
    let total: usize = prog.funcs.iter().map(|f| f.code.len()).sum();
    let round = |bound: &mut Vec<Vec<u64>>| -> bool {
        let mut changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            let deferred = deferred_lowering(prog, f, bound);
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
                // the deferred calls come once, after whatever path is
                // taken (a return or a panic ends each)
                let v = own.saturating_add(rest.max(deferred));
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
/// from the pc, found by relaxation; the calls a function defers count at
/// every pc of it.
pub fn plain_reads(prog: &Program) -> Vec<Vec<Vec<u64>>> {
    let words = prog.plain_init.len().div_ceil(64);
    let mut out = empty_sets(prog, words);
    let mut changed = true;
    while changed {
        changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            // a call deferred anywhere in f may still be made, at its
            // return or by a panic, from wherever f stands
            let deferred = deferred_entries(f, &out, words);
            for pc in (0..f.code.len()).rev() {
                let mut set = out[fi][pc].clone();
                or_into(&mut set, &deferred);
                match f.code[pc] {
                    Instr::Read(r) => mark_read(&mut set, r),
                    Instr::Call { func, .. } | Instr::Go { func, .. } => {
                        if let Some(entry) = out[func as usize].first() {
                            or_into(&mut set, entry);
                        }
                    }
                    _ => {}
                }
                for t in next_pcs(prog, f, pc) {
                    or_into(&mut set, &out[fi][t]);
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

/// How an instruction moves views (the `go` model's
/// [`crate::memory::SyncEvent`]s), with the sync objects' carriers it
/// touches (numbered as [`ViewUses::carriers`]).
#[derive(Clone, PartialEq, Eq)]
enum Moves {
    /// None (local code, a plain access, a print; a `go` is counted apart).
    Nothing,
    /// It takes these carriers' views in only (`Lock`, `RLock`, `Wait`).
    Acquires(Vec<usize>),
    /// It passes its own view into these carriers only (`Unlock`,
    /// `RUnlock`, `Add`/`Done`).
    Releases(Vec<usize>),
    /// Anything else that syncs (atomics, channels, `Once`, `Cond`, maps):
    /// it may take in any carrier's view, pass its own into any, or hand
    /// it to another goroutine in a rendezvous.
    Both,
}

fn moves(prog: &Program, ins: Instr) -> Moves {
    let nsync = prog.sync_kinds.len();
    let objs = |r: Ref| -> Vec<usize> {
        match r {
            Ref::Fixed(o) => vec![o as usize],
            Ref::Indexed { base, len } => (base as usize..(base + len) as usize).collect(),
            Ref::Dyn => (0..nsync).collect(),
        }
    };
    let readers = |r: Ref| objs(r).into_iter().map(|o| nsync + o).collect();
    match ins {
        Instr::Lock(r) => Moves::Acquires(objs(r).into_iter().chain(readers(r)).collect()),
        Instr::RLock(r) | Instr::WgWait(r) => Moves::Acquires(objs(r)),
        Instr::Unlock(r) | Instr::WgAdd(r) => Moves::Releases(objs(r)),
        Instr::RUnlock(r) => Moves::Releases(readers(r)),
        Instr::Read(_) | Instr::Write(_) | Instr::Print(_) | Instr::Go { .. } => Moves::Nothing,
        i if i.is_visible() => Moves::Both,
        _ => Moves::Nothing,
    }
}

/// Where a goroutine's view of each plain slot still matters, for the `go`
/// model's normalisation ([`view_uses`]).
#[derive(Clone, Debug, Default)]
pub struct ViewUses {
    /// Per function and pc: the slots whose view a goroutine there may
    /// still use — read the slot, or pass its view on (to a carrier whose
    /// view of the slot is used, to a partner in a rendezvous, to a child
    /// at a `go`) — before it writes the slot itself, which moves its view
    /// to that newest write whatever it was. Bits as in [`plain_reads`];
    /// the current frame counts from its pc, callers from where they
    /// return to, and the calls a function defers at every pc of it.
    pub live: Vec<Vec<Vec<u64>>>,
    /// Per carrier: the slots whose view it holds may still matter —
    /// those live after some instruction that may take its view in, in
    /// that instruction's function or in a caller it returns to. Carriers
    /// are numbered as the machine numbers them (each sync object, then
    /// each one's readers' carrier); the last entry stands for every other
    /// carrier (the channels'). A carrier's view of any other slot is
    /// never used.
    pub carriers: Vec<Vec<u64>>,
    /// Per function and pc: the slots whose view a goroutine there may use
    /// more than once before it writes the slot — passed on, or read and
    /// then used again — counting the calls the function defers as such a
    /// use. A slot live ([`ViewUses::live`]) but not here is read at most
    /// once more and then no longer used (an `Acquire` may raise the view
    /// in between). The current frame only: a goroutine with two frames
    /// that both use a slot's view counts as using it more than once.
    pub multi: Vec<Vec<Vec<u64>>>,
}

/// [`ViewUses`] of a program: a backward liveness over the control flow (a
/// `Write` to a fixed slot kills it; a read uses its slot, a release the
/// slots carriers' views are used for, any other sync operation every
/// slot, a call or a `go` what the callee's entry uses), found by
/// relaxation like [`plain_reads`], and the carriers' slots with it until
/// neither grows.
pub fn view_uses(prog: &Program) -> ViewUses {
    let words = prog.plain_init.len().div_ceil(64);
    let all: Vec<u64> = (0..words)
        .map(|w| {
            let left = prog.plain_init.len() - w * 64;
            if left >= 64 {
                u64::MAX
            } else {
                (1u64 << left) - 1
            }
        })
        .collect();
    let mut live = empty_sets(prog, words);
    let nsync = prog.sync_kinds.len();
    let mut carriers = vec![vec![0u64; words]; 2 * nsync + 1];
    let moves: Vec<Vec<Moves>> = prog
        .funcs
        .iter()
        .map(|f| f.code.iter().map(|&i| moves(prog, i)).collect())
        .collect();
    loop {
        let mut changed = true;
        while changed {
            changed = false;
            for (fi, f) in prog.funcs.iter().enumerate() {
                let deferred = deferred_entries(f, &live, words);
                for pc in (0..f.code.len()).rev() {
                    let mut set = vec![0u64; words];
                    for t in next_pcs(prog, f, pc) {
                        or_into(&mut set, &live[fi][t]);
                    }
                    match f.code[pc] {
                        Instr::Write(Ref::Fixed(s)) => {
                            set[s as usize / 64] &= !(1 << (s % 64));
                        }
                        Instr::Read(r) => mark_read(&mut set, r),
                        Instr::Call { func, .. } | Instr::Go { func, .. } => {
                            if let Some(entry) = live[func as usize].first() {
                                or_into(&mut set, entry);
                            }
                        }
                        _ => match &moves[fi][pc] {
                            Moves::Releases(cs) => {
                                for &c in cs {
                                    or_into(&mut set, &carriers[c]);
                                }
                            }
                            Moves::Both => or_into(&mut set, &all),
                            Moves::Nothing | Moves::Acquires(_) => {}
                        },
                    }
                    or_into(&mut set, &deferred);
                    if set != live[fi][pc] {
                        live[fi][pc] = set;
                        changed = true;
                    }
                }
            }
        }
        // What a function's callers may still use once it returns: where
        // each call returns to, and what their own callers may (a deferred
        // call returns into its caller's return or unwinding, and a panic
        // recovered there resumes at that function's return).
        let mut ret: Vec<Vec<u64>> = vec![vec![0u64; words]; prog.funcs.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for (fi, f) in prog.funcs.iter().enumerate() {
                for (pc, ins) in f.code.iter().enumerate() {
                    let mut set = ret[fi].clone();
                    let callee = match *ins {
                        Instr::Call { func, .. } => {
                            for t in next_pcs(prog, f, pc) {
                                or_into(&mut set, &live[fi][t]);
                            }
                            func
                        }
                        Instr::Defer { func, .. } => {
                            for l in &live[fi][pc..] {
                                or_into(&mut set, l);
                            }
                            func
                        }
                        _ => continue,
                    };
                    let before = ret[callee as usize].clone();
                    or_into(&mut ret[callee as usize], &set);
                    changed |= ret[callee as usize] != before;
                }
            }
        }
        let mut taken = vec![vec![0u64; words]; 2 * nsync + 1];
        for (fi, f) in prog.funcs.iter().enumerate() {
            for (pc, m) in moves[fi].iter().enumerate() {
                let cs: Vec<usize> = match m {
                    Moves::Acquires(cs) => cs.clone(),
                    Moves::Both => (0..=2 * nsync).collect(),
                    _ => continue,
                };
                let mut after = ret[fi].clone();
                for t in next_pcs(prog, f, pc) {
                    or_into(&mut after, &live[fi][t]);
                }
                for c in cs {
                    or_into(&mut taken[c], &after);
                }
            }
        }
        if taken == carriers {
            let multi = view_multi(prog, &moves, &live, &carriers, &all);
            return ViewUses {
                live,
                carriers,
                multi,
            };
        }
        carriers = taken;
    }
}

/// [`ViewUses::multi`], from the program's final liveness and carriers:
/// a second backward relaxation in which a read of a slot live after it, a
/// release into a carrier whose view of the slot is used, any other sync
/// operation, and a slot a deferred call uses, make the slot used more than
/// once; a call adds what its callee's entry uses more than once, or once
/// when the slot is live after the call too; a `go` what the new
/// goroutine's entry uses more than once (the child holds a copy of the
/// view: each of the two reading it once is still once each).
fn view_multi(
    prog: &Program,
    moves: &[Vec<Moves>],
    live: &[Vec<Vec<u64>>],
    carriers: &[Vec<u64>],
    all: &[u64],
) -> Vec<Vec<Vec<u64>>> {
    let words = all.len();
    let mut multi = empty_sets(prog, words);
    let mut changed = true;
    while changed {
        changed = false;
        for (fi, f) in prog.funcs.iter().enumerate() {
            let deferred = deferred_entries(f, live, words);
            for pc in (0..f.code.len()).rev() {
                let mut set = vec![0u64; words];
                let mut after = vec![0u64; words];
                for t in next_pcs(prog, f, pc) {
                    or_into(&mut set, &multi[fi][t]);
                    or_into(&mut after, &live[fi][t]);
                }
                match f.code[pc] {
                    Instr::Write(Ref::Fixed(s)) => {
                        set[s as usize / 64] &= !(1 << (s % 64));
                    }
                    Instr::Read(r) => {
                        let mut read = vec![0u64; words];
                        mark_read(&mut read, r);
                        for (a, (r, l)) in set.iter_mut().zip(read.iter().zip(&after)) {
                            *a |= r & l;
                        }
                    }
                    Instr::Call { func, .. } => {
                        let callee = func as usize;
                        if let (Some(m), Some(l)) = (multi[callee].first(), live[callee].first()) {
                            for (a, (m, (l, n))) in
                                set.iter_mut().zip(m.iter().zip(l.iter().zip(&after)))
                            {
                                *a |= m | (l & n);
                            }
                        }
                    }
                    Instr::Go { func, .. } => {
                        if let Some(m) = multi[func as usize].first() {
                            or_into(&mut set, m);
                        }
                    }
                    _ => match &moves[fi][pc] {
                        Moves::Releases(cs) => {
                            for &c in cs {
                                or_into(&mut set, &carriers[c]);
                            }
                        }
                        Moves::Both => or_into(&mut set, all),
                        Moves::Nothing | Moves::Acquires(_) => {}
                    },
                }
                or_into(&mut set, &deferred);
                if set != multi[fi][pc] {
                    multi[fi][pc] = set;
                    changed = true;
                }
            }
        }
    }
    multi
}

/// The functions `f` defers (`Instr::Defer`), anywhere in its code.
fn deferred_callees(f: &Function) -> impl Iterator<Item = super::FuncId> + '_ {
    f.code.iter().filter_map(|i| match i {
        Instr::Defer { func, .. } => Some(*func),
        _ => None,
    })
}

/// The union of `table`'s entry sets of the functions `f` defers: a call
/// deferred anywhere in `f` may still be made, at its return or by a
/// panic, from wherever `f` stands.
fn deferred_entries(f: &Function, table: &[Vec<Vec<u64>>], words: usize) -> Vec<u64> {
    let mut out = vec![0u64; words];
    for d in deferred_callees(f) {
        if let Some(entry) = table[d as usize].first() {
            or_into(&mut out, entry);
        }
    }
    out
}

/// Per function and pc, an empty set of `words` words.
fn empty_sets(prog: &Program, words: usize) -> Vec<Vec<Vec<u64>>> {
    prog.funcs
        .iter()
        .map(|f| vec![vec![0u64; words]; f.code.len()])
        .collect()
}

/// `into |= from`, word by word.
fn or_into(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a |= b;
    }
}

/// The most the calls `f` defers can lower wait-group counters by: each
/// deferred function's bound, once per `defer` — unbounded if a `defer`
/// that lowers one can run again (lies on a cycle of `f`'s control flow),
/// since each run adds a pending call. Counted once at every pc of `f`:
/// the calls already deferred there are still to come, at its return or by
/// a panic.
fn deferred_lowering(prog: &Program, f: &Function, bound: &[Vec<u64>]) -> u64 {
    let mut total: u64 = 0;
    for (pc, i) in f.code.iter().enumerate() {
        let Instr::Defer { func, .. } = *i else {
            continue;
        };
        let b = bound[func as usize].first().copied().unwrap_or(0);
        if b > 0 && on_cycle(prog, f, pc) {
            return UNBOUNDED;
        }
        total = total.saturating_add(b);
    }
    total
}

/// Can control come back to `pc` of `f` after leaving it?
fn on_cycle(prog: &Program, f: &Function, pc: usize) -> bool {
    let mut seen = vec![false; f.code.len()];
    let mut todo = next_pcs(prog, f, pc);
    while let Some(p) = todo.pop() {
        if p == pc {
            return true;
        }
        if !std::mem::replace(&mut seen[p], true) {
            todo.extend(next_pcs(prog, f, p));
        }
    }
    false
}

/// For each function: does it, or anything it calls or starts, contain
/// an instruction for which `pred` holds?
pub fn reaching(prog: &Program, pred: impl Fn(&Instr) -> bool) -> Vec<bool> {
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
                    matches!(i, Instr::Call { func, .. } | Instr::Go { func, .. } | Instr::Defer { func, .. } if out[*func as usize])
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

/// Add the plain slots a `Read` of `r` may read to a bit set.
fn mark_read(set: &mut [u64], r: Ref) {
    let (base, len) = match r {
        Ref::Fixed(s) => (s as usize, 1),
        Ref::Indexed { base, len } => (base as usize, len as usize),
        Ref::Dyn => unreachable!("plain variables are never values"),
    };
    for s in base..base + len {
        set[s / 64] |= 1 << (s % 64);
    }
}
