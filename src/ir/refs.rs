//! Which values of a goroutine are channels and struct pointers, for the
//! walk that frees and renumbers the channels `make` creates at run time
//! (`semantics/heap.rs`) and frees the structs of pools
//! (`semantics/pools.rs`). Locals have one type each
//! ([`Function::local_tys`]); the operand stack is typed here, once per
//! program, by following each function's code from its entry: at every
//! pc, the type of each operand on the stack before the instruction runs
//! (a goroutine rests only at such a boundary). Only channels, struct
//! pointers and instance numbers ([`INSTANCE`]) matter: any other value
//! is typed `int`.

use super::{AtomicOp, Function, Instr, Program, Ref, Ty};

/// Per function, per pc: the stack's types before the instruction (`None`
/// where no run reaches it).
pub type StackTypes = Vec<Vec<Option<Vec<Ty>>>>;

/// The stack types of every function of `prog`.
pub fn stack_types(prog: &Program) -> StackTypes {
    prog.funcs.iter().map(|f| function(prog, f)).collect()
}

/// The type of what `Deref` pushes when the pointer's type is not known
/// here: the number of an instance (`p.n` reads `T.n[*p]`). While it is
/// on a stack, a struct is in use though no pointer to it may be left, so
/// the walk frees and renumbers no struct then. `Ty::Nil` is the front
/// end's untyped nil, which no lowered value has, so it cannot be taken
/// for another operand's type.
pub const INSTANCE: Ty = Ty::Nil;

/// `Ty::StructPtr(k | INSTANCE_OF)` types what `Deref` pushes for a
/// pointer to a `k`: the instance's number itself, not a pointer (no
/// `+ 1`); the struct is in use while it is on a stack.
pub const INSTANCE_OF: u16 = 0x8000;

/// Does the walk look at a value of this type?
fn refers(t: Ty) -> bool {
    matches!(t, Ty::Chan(_) | Ty::StructPtr(_)) || t == INSTANCE
}

/// Where two paths meet, a referring type wins: the other path pushed nil
/// (0), which no renumbering changes and which keeps nothing alive.
fn join(into: &mut [Ty], from: &[Ty]) -> bool {
    let mut changed = false;
    for (a, b) in into.iter_mut().zip(from) {
        if !refers(*a) && refers(*b) {
            *a = *b;
            changed = true;
        }
    }
    changed
}

fn function(prog: &Program, f: &Function) -> Vec<Option<Vec<Ty>>> {
    let mut at: Vec<Option<Vec<Ty>>> = vec![None; f.code.len()];
    let mut work = vec![0u32];
    if !f.code.is_empty() {
        at[0] = Some(Vec::new());
    }
    while let Some(pc) = work.pop() {
        let Some(before) = at[pc as usize].clone() else {
            continue;
        };
        for (to, stack) in effect(prog, f, pc, before) {
            let Some(slot) = at.get_mut(to as usize) else {
                continue;
            };
            match slot {
                None => {
                    *slot = Some(stack);
                    work.push(to);
                }
                // the lowering never lets stacks of different depths meet;
                // if it did, the function is left untyped, and the walk
                // over it is conservative (`semantics/heap.rs`)
                Some(old) if old.len() != stack.len() => return vec![None; f.code.len()],
                Some(old) => {
                    if join(old, &stack) {
                        work.push(to);
                    }
                }
            }
        }
    }
    at
}

/// The operand a `Ref` pops (an index, or the object itself).
fn ref_operands(r: Ref) -> usize {
    matches!(r, Ref::Indexed { .. } | Ref::Dyn) as usize
}

/// The top `n` operands (fewer if the stack is shorter, which the
/// lowering never makes: the depth check where paths meet then leaves the
/// function untyped).
fn pop(s: &mut Vec<Ty>, n: usize) -> Vec<Ty> {
    let at = s.len().saturating_sub(n);
    s.split_off(at)
}

/// The element type of a channel operand: from the table for a channel
/// named in the instruction, from the operand's type for a value.
fn elem_of(prog: &Program, r: Ref, operand: Option<Ty>) -> Ty {
    match (r, operand) {
        (Ref::Fixed(c), _) | (Ref::Indexed { base: c, .. }, _) => prog.chans[c as usize].elem,
        (Ref::Dyn, Some(Ty::Chan(c))) => c.elem(),
        (Ref::Dyn, _) => Ty::Int,
    }
}

/// The successors of `pc` with the stack each one starts with.
fn effect(prog: &Program, f: &Function, pc: u32, mut s: Vec<Ty>) -> Vec<(u32, Vec<Ty>)> {
    let next = pc + 1;
    let int = Ty::Int;
    match f.code[pc as usize] {
        Instr::Push(_) | Instr::PushStr(_) | Instr::Recover => s.push(int),
        Instr::Load(l) => s.push(f.local_tys.get(l as usize).copied().unwrap_or(int)),
        Instr::LoadUp(l) => s.push(f.up_tys.get(l as usize).copied().unwrap_or(int)),
        Instr::Store(_) | Instr::StoreUp(_) | Instr::Pop | Instr::Assert { .. } => {
            pop(&mut s, 1);
        }
        Instr::LoadIdx { .. }
        | Instr::Neg
        | Instr::Not
        | Instr::Wrap(_)
        | Instr::StrLen
        | Instr::CheckIndex(_) => {
            pop(&mut s, 1);
            s.push(int);
        }
        Instr::Deref => {
            let t = match pop(&mut s, 1).first() {
                Some(Ty::StructPtr(k)) if k & INSTANCE_OF == 0 => Ty::StructPtr(k | INSTANCE_OF),
                _ => INSTANCE,
            };
            s.push(t);
        }
        Instr::StoreIdx { .. } => {
            pop(&mut s, 2);
        }
        Instr::Bin(_) | Instr::BinU(_) | Instr::Concat => {
            pop(&mut s, 2);
            s.push(int);
        }
        Instr::Dup => s.push(s.last().copied().unwrap_or(int)),
        Instr::MakeStruct(k, n) => {
            pop(&mut s, n as usize);
            s.push(Ty::Struct(k));
        }
        Instr::Field(i) => {
            let t = match pop(&mut s, 1).first() {
                Some(Ty::Struct(k)) => prog.struct_fields[*k as usize][i as usize].1,
                _ => int,
            };
            s.push(t);
        }
        Instr::StructShow(_) => {
            pop(&mut s, 1);
            s.push(int);
        }
        Instr::StoreField { .. } => {
            pop(&mut s, 1);
        }
        Instr::Jump(t) => return vec![(t, s)],
        Instr::JumpIf(_, t) => {
            pop(&mut s, 1);
            return vec![(t, s.clone()), (next, s)];
        }
        Instr::Call { func, argc } => {
            pop(&mut s, argc as usize);
            s.extend(&prog.funcs[func as usize].results);
        }
        Instr::Defer { argc, .. } | Instr::Go { argc, .. } => {
            pop(&mut s, argc as usize);
        }
        Instr::Return { .. } | Instr::ReturnResults { .. } | Instr::Panic { .. } => {
            return vec![];
        }
        Instr::PanicValue(_) => return vec![],
        Instr::Sprint(k) => {
            pop(&mut s, prog.prints[k as usize].nvals());
            s.push(int);
        }
        Instr::Print(k) => {
            pop(&mut s, prog.prints[k as usize].nvals());
        }
        Instr::ObjValue { .. } => {
            // a top-level channel: never freed or renumbered
            pop(&mut s, 1);
            s.push(int);
        }
        Instr::MakeChan(k) => s.push(Ty::Chan(prog.heap_sites[k as usize].ty)),
        Instr::New(k) => s.push(Ty::StructPtr(prog.struct_sites[k as usize].ty)),
        Instr::Read(r) => {
            pop(&mut s, ref_operands(r));
            s.push(int);
        }
        Instr::Write(r) | Instr::WgAdd(r) | Instr::Send(r) => {
            pop(&mut s, 1 + ref_operands(r));
        }
        Instr::Lock(r)
        | Instr::Unlock(r)
        | Instr::RLock(r)
        | Instr::RUnlock(r)
        | Instr::WgWait(r)
        | Instr::OnceDone(r)
        | Instr::Close(r) => {
            pop(&mut s, ref_operands(r));
        }
        Instr::OnceDo(r) => {
            pop(&mut s, ref_operands(r));
            s.push(int);
        }
        Instr::Atomic(op, r) => {
            let args = match op {
                AtomicOp::Load => 0,
                AtomicOp::Cas => 2,
                _ => 1,
            };
            pop(&mut s, args + ref_operands(r));
            if op != AtomicOp::Store {
                s.push(int);
            }
        }
        Instr::CondWait { .. } | Instr::CondLock { .. } | Instr::CondNotify { .. } => {}
        Instr::Recv(r, with_ok) => {
            let operand = pop(&mut s, ref_operands(r)).first().copied();
            s.push(elem_of(prog, r, operand));
            if with_ok {
                s.push(int);
            }
        }
        Instr::Select(id) => return select(prog, id, s),
        // a map's keys and values are never channels
        Instr::MapGet { ok } => {
            pop(&mut s, 2);
            s.push(int);
            if ok {
                s.push(int);
            }
        }
        Instr::MapLen | Instr::MapShow => {
            pop(&mut s, 1);
            s.push(int);
        }
        Instr::MapWrite { .. } => {}
        Instr::MapStore { delete } => {
            pop(&mut s, if delete { 2 } else { 3 });
        }
        Instr::MapNext => {
            pop(&mut s, 3);
            s.extend([int, int, int]);
        }
    }
    vec![(next, s)]
}

/// A `select` pops the operands of all its cases; a receive case's target
/// starts with the value (and `ok`) pushed.
fn select(prog: &Program, id: u32, mut s: Vec<Ty>) -> Vec<(u32, Vec<Ty>)> {
    let spec = &prog.selects[id as usize];
    let mut operands = Vec::new();
    for c in spec.cases.iter().rev() {
        if c.send {
            pop(&mut s, 1);
        }
        operands.push(pop(&mut s, ref_operands(c.chan)).first().copied());
    }
    operands.reverse();
    let mut out = Vec::new();
    for (c, operand) in spec.cases.iter().zip(operands) {
        let mut t = s.clone();
        if !c.send {
            t.push(elem_of(prog, c.chan, operand));
            if c.with_ok {
                t.push(Ty::Int);
            }
        }
        out.push((c.target, t));
    }
    if let Some(d) = spec.default {
        out.push((d, s));
    }
    out
}
