//! What reports say about steps and goroutines: the text of a step (only
//! made when the search asks for descriptions), the writes a step made
//! visible, and what a blocked goroutine waits at. Nothing here changes a
//! state.

use super::{Machine, Operands, Succ};
use crate::ir::{FuncId, Instr, Ref, Ty};
use crate::memory::{MemoryModel, ReadChoice, ReadNote};
use crate::state::{End, EndKind, Interner, State, gor_name};

/// Append to a step's text how the run ended, if the step ended it in a
/// failure.
#[inline(always)]
pub(super) fn end_note(d: &mut String, end: Option<End>, strings: &Interner) {
    if let Some(e) = end
        && e.kind != EndKind::Ok
    {
        // the message is the program's: escaped, like in the report
        d.push_str(&format!(
            " → {}: {}",
            e.kind.name(),
            crate::ir::escape(strings.get(e.msg))
        ));
    }
}

impl<M: MemoryModel> Machine<'_, M> {
    /// A read of plain variable `slot` that returned choice `c`.
    pub(super) fn describe_read(&self, slot: u32, c: &ReadChoice, strings: &Interner) -> String {
        let mut d = format!(
            "read {} = {}",
            self.prog.plain_names[slot as usize],
            self.show_plain(slot, c.value, strings)
        );
        match c.note {
            Some(ReadNote::Stale { latest }) => d.push_str(&format!(
                " (stale; latest is {})",
                self.show_plain(slot, latest, strings)
            )),
            Some(ReadNote::OwnBuffer) => d.push_str(" (from its own store buffer)"),
            None => {}
        }
        d
    }

    /// A `go` of `func` with arguments `args`; `texts` are those of its
    /// string arguments, in order.
    pub(super) fn describe_go(&self, func: FuncId, args: &[i64], texts: &[String]) -> String {
        let callee = &self.prog.funcs[func as usize];
        let mut texts = texts.iter();
        let shown: Vec<String> = args
            .iter()
            .zip(&callee.param_tys)
            .map(|(v, t)| match t {
                Ty::Str => format!("{:?}", texts.next().map_or("", |s| s.as_str())),
                _ => self.prog.show_value(*t, *v),
            })
            .collect();
        format!("go {}({})", callee.name, shown.join(", "))
    }

    /// The memory system's flush of `value` to plain variable `slot`.
    pub(super) fn describe_flush(&self, slot: u32, value: i64, strings: &Interner) -> String {
        let name = &self.prog.plain_names[slot as usize];
        format!("flush {name} = {}", self.show_plain(slot, value, strings))
    }

    /// A value of plain variable `slot` as a step's text shows it (a
    /// string quoted, as outcomes show it).
    pub(super) fn show_plain(&self, slot: u32, v: i64, strings: &Interner) -> String {
        match self.plain_ty(slot) {
            Ty::Str => format!("{:?}", strings.get(v as u32)),
            // a struct's channel field: the channel by its name
            t => self.prog.show_value(t, v),
        }
    }

    /// Add to each step's description the buffered writes it made visible
    /// (a sync operation drains its goroutine's store buffer).
    pub(super) fn describe_drains(
        &self,
        s: &State<M::Mem>,
        out: &mut [Succ<M::Mem>],
        strings: &Interner,
    ) {
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
                            self.show_plain(slot, v, strings)
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

    /// What goroutine `g` is waiting at, for reports ("Lock mu", "send ch").
    pub fn waiting_at(&self, s: &State<M::Mem>, g: usize) -> String {
        let Some((_, ins)) = self.instr(s, g) else {
            return "done".into();
        };
        let ops = Operands::of(s, g);
        // the name of the object `r` names, with `values` operands above its index
        let sync_name = |r: Ref, values: usize| match ops.resolve(r, values) {
            Ok(o) => self.prog.sync_names[o as usize].clone(),
            Err(_) => "?".into(),
        };
        let chan_name = |r: Ref, values: usize| match ops.resolve(r, values) {
            Ok(c) => self.prog.chans[c as usize].name.clone(),
            Err(_) => "?".into(),
        };
        let nil = |r: Ref, values: usize| ops.resolve(r, values).is_err_and(|m| m == super::NIL);
        let plain = |what: &str, r: Ref, values: usize| match ops.resolve(r, values) {
            Ok(x) => format!("{what} {}", self.prog.plain_names[x as usize]),
            Err(_) => what.into(),
        };
        match ins {
            Instr::Lock(r) => format!("Lock {}", sync_name(r, 0)),
            Instr::RLock(r) => format!("RLock {}", sync_name(r, 0)),
            Instr::WgWait(r) => format!("{}.Wait()", sync_name(r, 0)),
            Instr::Send(r) if nil(r, 1) => "send on a nil channel".into(),
            Instr::Recv(r, _) if nil(r, 0) => "recv from a nil channel".into(),
            Instr::Send(r) => format!("send {}", chan_name(r, 1)),
            Instr::Recv(r, _) => format!("recv <-{}", chan_name(r, 0)),
            Instr::Select(_) => "select".into(),
            Instr::Read(r) => plain("read", r, 0),
            Instr::Write(r) => plain("write", r, 1),
            Instr::Unlock(r) => format!("Unlock {}", sync_name(r, 0)),
            Instr::RUnlock(r) => format!("RUnlock {}", sync_name(r, 0)),
            Instr::WgAdd(r) => {
                let name = sync_name(r, 1);
                match ops.nth(0) {
                    Some(-1) => format!("{name}.Done()"),
                    Some(d) => format!("{name}.Add({d})"),
                    None => format!("{name}.Add"),
                }
            }
            Instr::Atomic(_, _) => "atomic operation".into(),
            Instr::CondLock { cond, mu } => {
                let name = &self.prog.sync_names[cond as usize];
                if (s.sync[cond as usize] as u64) >> g & 1 == 1 {
                    format!("{name}.Wait()")
                } else {
                    let mname = &self.prog.sync_names[mu as usize];
                    format!("{name}.Wait(), signalled: Lock {mname}")
                }
            }
            Instr::CondWait { cond, .. } => {
                format!("{}.Wait()", self.prog.sync_names[cond as usize])
            }
            Instr::CondNotify { cond, all } => format!(
                "{}.{}()",
                self.prog.sync_names[cond as usize],
                if all { "Broadcast" } else { "Signal" }
            ),
            Instr::OnceDo(r) | Instr::OnceDone(r) => {
                // the wrapper of `once.Do(f)` is named after f
                let f = &self.prog.funcs[s.gors[g].frames.last().unwrap().func as usize].name;
                format!("{}.Do({f})", sync_name(r, 0))
            }
            Instr::Close(r) => format!("close {}", chan_name(r, 0)),
            Instr::Go { func, .. } => format!("go {}", self.prog.funcs[func as usize].name),
            Instr::Print(_) => "print".into(),
            Instr::New(k) => {
                let site = &self.prog.struct_sites[k as usize];
                format!("new {}", self.prog.structs[site.ty as usize].0)
            }
            _ => "local computation".into(),
        }
    }
}
