//! Local computation: what a goroutine runs between two steps (arithmetic,
//! locals, array elements, jumps, calls and returns, asserts), run eagerly
//! after each step up to the goroutine's next step, and the step that is
//! nothing but such computation (a goroutine paused by running out of fuel).

use super::defer::{STACK_LIMIT, dying, pending_at, unwinds};
use super::{FUEL, MAX_FRAMES, Machine, Out, exits, resolve};
use crate::ir::fuse::{Fused, Then};
use crate::ir::{Instr, Ref, binop, binop_unsigned};
use crate::memory::MemoryModel;
use crate::state::{EndKind, Frame, Interner, State};
use smallvec::SmallVec;

impl<M: MemoryModel> Machine<'_, M> {
    /// A step of local computation only: `g` had run out of fuel.
    pub(super) fn local_step(&self, s: &State<M::Mem>, g: usize, out: &mut Out<M::Mem>) {
        let mut mk = Self::start(s, out);
        let (st, strings) = mk.parts();
        self.run_local(st, g, strings);
        self.push(mk, g, || "local computation".into());
    }

    /// Run `g`'s local computation up to its next step. Ends the run when
    /// the goroutine fails.
    ///
    /// Longer than the rest on purpose: this is the checker's innermost
    /// loop (every step ends in it), and it keeps the running frame, its
    /// code and its fusion table in locals across instructions, written
    /// back only at a call, a return or the end; arms split into methods
    /// would have to pass them all back and forth.
    pub(super) fn run_local(&self, st: &mut State<M::Mem>, g: usize, strings: &mut Interner) {
        if st.end.is_some() || dying(&st.gors[g]) {
            return;
        }
        // Nothing to run (the goroutine is not copied): done, or at a step.
        let frames = &st.gors[g].frames;
        match frames.last() {
            Some(fr) => {
                let ins = self.prog.funcs[fr.func as usize].code[fr.pc as usize];
                if ins.is_visible() || exits(g, &st.gors[g], ins) {
                    return;
                }
            }
            None => return,
        }
        // the goroutine and the channels apart, for `make`
        let gor = std::rc::Rc::make_mut(&mut st.gors[g]);
        let chans = &mut st.chans;
        let mut fuel = FUEL;
        let mut fail: Option<(EndKind, String)> = None;
        // the failure is the program's own `panic(v)`, which unwinds
        // whatever its text says (`defer::unwinds`)
        let mut own = false;
        // The running frame, kept here and written back to the goroutine
        // when it calls, returns or stops.
        let mut fr = *gor.frames.last().expect("checked above");
        let mut code = &self.prog.funcs[fr.func as usize].code;
        let mut fused = &self.fused[fr.func as usize];
        let mut finished = false;
        while fuel > 0 {
            fuel -= 1;
            let ins = code[fr.pc as usize];
            if ins.is_visible() || exits(g, gor, ins) {
                break;
            }
            let base = fr.base as usize;
            // A fused run, when the fuel covers all of it and its operation
            // does not fail (else one instruction, failing where it fails).
            let run = fused[fr.pc as usize];
            if run != Fused::No
                && fuel >= run.len() - 1
                && let Some(next) = fused_run(run, &mut gor.data, base, fr.pc)
            {
                fuel -= run.len() - 1;
                fr.pc = next;
                continue;
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
                    match local_elem(b, len, i) {
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
                    match local_elem(b, len, i) {
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
                        Err(m) => fail = Some((EndKind::Panic, super::runtime_error(&m))),
                    }
                }
                Instr::BinU(op) => {
                    let b = gor.data.pop().unwrap();
                    let a = gor.data.pop().unwrap();
                    match binop_unsigned(op, a, b) {
                        Ok(v) => gor.data.push(v),
                        Err(m) => fail = Some((EndKind::Panic, super::runtime_error(&m))),
                    }
                }
                Instr::Wrap(t) => {
                    let v = gor.data.pop().unwrap();
                    gor.data.push(t.wrap(v));
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
                        fail = Some((EndKind::Panic, STACK_LIMIT.into()));
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
                Instr::Return { .. } | Instr::ReturnResults { .. }
                    if pending_at(gor, gor.frames.len()) =>
                {
                    // the deferred call returns here, to this same return
                    *gor.frames.last_mut().unwrap() = fr;
                    match self.launch_deferred(gor, false) {
                        Ok(callee) => {
                            fr = callee;
                            code = &self.prog.funcs[fr.func as usize].code;
                            fused = &self.fused[fr.func as usize];
                            continue;
                        }
                        Err(m) => fail = Some((EndKind::Panic, m)),
                    }
                }
                Instr::Defer { func: f, argc } => {
                    if let Err(m) = self.record_defer(gor, f, argc) {
                        fail = Some((EndKind::Panic, m));
                    }
                }
                Instr::Return { .. } | Instr::ReturnResults { .. } => {
                    let vals: SmallVec<[i64; 4]> = match ins {
                        Instr::Return { value: true } => gor.data.pop().into_iter().collect(),
                        Instr::ReturnResults { first, count } => {
                            let at = base + first as usize;
                            SmallVec::from_slice(&gor.data[at..at + count as usize])
                        }
                        _ => SmallVec::new(),
                    };
                    gor.data.truncate(base);
                    gor.frames.pop();
                    let Some(&caller) = gor.frames.last() else {
                        // main's own return is a step (`exits`), not run here
                        gor.data.clear();
                        finished = true;
                        break;
                    };
                    if let Some(resumed) = self.end_recovered(gor) {
                        // the results of a deferred call are never used
                        fr = resumed;
                    } else if gor.panicking != 0 && gor.frames.len() == gor.unwind as usize {
                        // a call made by unwinding returned: the next one
                        match self.resume_unwinding(gor, strings) {
                            Ok(callee) => fr = callee,
                            Err(m) => {
                                fr = caller;
                                fail = Some((EndKind::Panic, m));
                                break;
                            }
                        }
                    } else {
                        fr = caller;
                        gor.data.extend(vals);
                    }
                    code = &self.prog.funcs[fr.func as usize].code;
                    fused = &self.fused[fr.func as usize];
                    continue;
                }
                Instr::Recover => {
                    let v = self.recover(gor, strings);
                    gor.data.push(v);
                }
                Instr::LoadUp(l) => {
                    let below = gor.frames[gor.frames.len() - 2].base as usize;
                    let v = gor.data[below + l as usize];
                    gor.data.push(v);
                }
                Instr::StoreUp(l) => {
                    let v = gor.data.pop().unwrap();
                    let below = gor.frames[gor.frames.len() - 2].base as usize;
                    gor.data[below + l as usize] = v;
                }
                Instr::Assert { msg } => {
                    let c = gor.data.pop().unwrap();
                    if c == 0 {
                        fail = Some((EndKind::Assert, self.prog.strings[msg as usize].clone()));
                    }
                }
                Instr::Panic { msg } => {
                    own = true;
                    fail = Some((EndKind::Panic, self.prog.strings[msg as usize].clone()));
                }
                Instr::PanicValue(t) => {
                    let v = gor.data.pop().unwrap();
                    let spec = crate::ir::PrintSpec {
                        args: vec![crate::ir::PrintArg::Value(t)],
                        newline: false,
                        style: crate::ir::PrintStyle::Fmt,
                    };
                    // Go prints a panic's text with each line after the
                    // first indented
                    let text = spec.render(&[v], |i| strings.get(i as u32));
                    own = true;
                    fail = Some((EndKind::Panic, text.replace('\n', "\n\t")));
                }
                Instr::PushStr(k) => {
                    gor.data
                        .push(strings.intern(&self.prog.strings[k as usize]) as i64);
                }
                Instr::CheckIndex(len) => {
                    let i = *gor.data.last().unwrap();
                    if let Err(m) = resolve(Ref::Indexed { base: 0, len }, Some(i)) {
                        fail = Some((EndKind::Panic, m));
                    }
                }
                Instr::Deref => match gor.data.pop().unwrap() {
                    0 => fail = Some((EndKind::Panic, super::NIL.to_string())),
                    p => gor.data.push(p - 1),
                },
                Instr::MakeStruct(_, n) => {
                    let at = gor.data.len() - n as usize;
                    let v = self.structs.borrow_mut().value(&gor.data[at..]);
                    gor.data.truncate(at);
                    gor.data.push(v);
                }
                Instr::Field(i) => {
                    let v = gor.data.pop().unwrap();
                    gor.data.push(self.structs.borrow().field(v, i as usize));
                }
                Instr::StructShow(k) => {
                    let v = gor.data.pop().unwrap();
                    let text = self.show_struct(k, v, strings);
                    gor.data.push(strings.intern(&text) as i64);
                }
                Instr::StoreField { slot, k, i } => {
                    let x = gor.data.pop().unwrap();
                    let at = base + slot as usize;
                    let n = self.prog.struct_fields[k as usize].len();
                    let mut table = self.structs.borrow_mut();
                    let mut fields: SmallVec<[i64; 8]> =
                        (0..n).map(|f| table.field(gor.data[at], f)).collect();
                    fields[i as usize] = x;
                    gor.data[at] = table.value(&fields);
                }
                Instr::StrLen => {
                    let s = gor.data.pop().unwrap();
                    gor.data.push(strings.get(s as u32).len() as i64);
                }
                Instr::Concat => {
                    let b = gor.data.pop().unwrap();
                    let a = gor.data.pop().unwrap();
                    let ab = format!("{}{}", strings.get(a as u32), strings.get(b as u32));
                    gor.data.push(strings.intern(&ab) as i64);
                }
                Instr::ObjValue { base: b, len } => {
                    let i = gor.data.pop().unwrap();
                    match resolve(Ref::Indexed { base: b, len }, Some(i)) {
                        Ok(c) => gor.data.push(c as i64 + 1),
                        Err(m) => fail = Some((EndKind::Panic, m)),
                    }
                }
                Instr::MakeChan(site) => match self.make_chan(chans, site) {
                    Some(c) => gor.data.push(c),
                    None => {
                        // the pool is used up: this run stops here, and
                        // the search says it was cut short
                        let loc = self.prog.funcs[fr.func as usize].locs[fr.pc as usize];
                        self.cut(&self.heap_limit, loc);
                        break;
                    }
                },
                Instr::Sprint(k) => {
                    let spec = &self.prog.prints[k as usize];
                    let n = spec.nvals();
                    let at = gor.data.len() - n;
                    let text = spec.render(&gor.data[at..], |i| strings.get(i as u32));
                    gor.data.truncate(at);
                    gor.data.push(strings.intern(&text) as i64);
                }
                _ => unreachable!("visible instruction in run_local"),
            }
            if let Some((kind, m)) = fail.take() {
                // a panic with calls deferred: they run first (Go)
                if unwinds(kind, &m, own) && !gor.defers.is_empty() {
                    *gor.frames.last_mut().unwrap() = fr;
                    match self.start_panic(gor, &m, strings) {
                        Ok(callee) => {
                            fr = callee;
                            own = false;
                            code = &self.prog.funcs[fr.func as usize].code;
                            fused = &self.fused[fr.func as usize];
                            continue;
                        }
                        Err(m) => {
                            own = false;
                            fail = Some((EndKind::Panic, m));
                        }
                    }
                } else {
                    fail = Some((kind, m));
                }
                break;
            }
            fr.pc = next;
        }
        if !finished {
            *gor.frames.last_mut().unwrap() = fr;
        }
        if let Some((kind, m)) = fail {
            self.fault(st, g, kind, &m, own, strings);
        }
    }
}

/// The slot of element `i` of a local array at `base` of length `len`.
#[inline(always)]
fn local_elem(base: u16, len: u16, i: i64) -> Result<u32, String> {
    let r = Ref::Indexed {
        base: base as u32,
        len: len as u32,
    };
    resolve(r, Some(i))
}

/// Take the fused run `run` at `pc` on the operand stack `data` (locals
/// from `base`): the pc after it, or `None` when its operation fails (the
/// first instruction then runs alone, failing where it fails).
#[inline(always)]
fn fused_run(run: Fused, data: &mut SmallVec<[i64; 6]>, base: usize, pc: u32) -> Option<u32> {
    match run {
        Fused::Local { l, c, op, then } => {
            binop(op, data[base + l as usize], c)
                .ok()
                .map(|v| match then {
                    Then::Push => {
                        data.push(v);
                        pc + 3
                    }
                    Then::Store(d) => {
                        data[base + d as usize] = v;
                        pc + 4
                    }
                    Then::JumpIf(flag, t) => {
                        if (v != 0) == flag {
                            t
                        } else {
                            pc + 4
                        }
                    }
                })
        }
        Fused::Const { c, op } => {
            let top = data.last_mut().expect("an operand");
            binop(op, *top, c).ok().map(|v| {
                *top = v;
                pc + 2
            })
        }
        Fused::No => None,
    }
}
