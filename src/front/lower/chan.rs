//! Channels: send, receive (with and without `ok`), `close`, `range` over a
//! channel and `select`.

use super::loops::RangeLoop;
use super::{Fx, LoopCx, Lowerer, Obj, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::GSym;
use crate::front::types::assignable;
use crate::ir::*;
use std::collections::HashMap;

impl Lowerer<'_> {
    /// `ch <- v`.
    pub(super) fn send(&mut self, fx: &mut Fx, c: &Expr, v: &Expr, span: Span) -> DResult<()> {
        let Obj::Chan(ty, r) = self.obj(fx, c)? else {
            return err(c.span, "send needs a channel on the left of `<-`");
        };
        self.allows(c, ty, Dir::Send)?;
        self.expect_ty(fx, v, ty.elem(), "send")?;
        self.emit(fx, Instr::Send(r), span);
        Ok(())
    }

    /// `<-ch` as a value; `with_ok` also pushes whether a value was sent
    /// (`v, ok := <-ch`). Returns the element type.
    pub(super) fn recv(&mut self, fx: &mut Fx, c: &Expr, with_ok: bool, span: Span) -> DResult<Ty> {
        let Obj::Chan(ty, r) = self.obj(fx, c)? else {
            return err(c.span, "receive needs a channel");
        };
        self.allows(c, ty, Dir::Recv)?;
        self.emit(fx, Instr::Recv(r, with_ok), span);
        Ok(ty.elem())
    }

    /// `close(ch)`.
    pub(super) fn close(&mut self, fx: &mut Fx, args: &[Expr], span: Span) -> DResult<()> {
        let [c] = args else {
            return err(span, "close takes one channel");
        };
        let Obj::Chan(ty, r) = self.obj(fx, c)? else {
            return err(c.span, "close needs a channel");
        };
        if ty.dir() == Dir::Recv {
            return err(
                c.span,
                format!(
                    "invalid operation: cannot close receive-only channel {} (variable of type {})",
                    self.src.snippet(c.span),
                    ty.name()
                ),
            );
        }
        self.emit(fx, Instr::Close(r), span);
        Ok(())
    }

    /// `for v := range ch`: receives until the channel is closed and empty.
    pub(super) fn range_chan(
        &mut self,
        fx: &mut Fx,
        k: Option<&Ident>,
        v: Option<&Ident>,
        e: &Expr,
        body: &Block,
        span: Span,
    ) -> DResult<RangeLoop> {
        if v.is_some() {
            return err(
                e.span,
                "range over a channel permits only one iteration variable",
            );
        }
        let Obj::Chan(ty, r) = self.obj(fx, e)? else {
            unreachable!()
        };
        self.allows(e, ty, Dir::Recv)?;
        let elem = ty.elem();
        // Evaluate the channel (or its index) once, as Go does: it is kept
        // in a hidden local, and each iteration starts by loading it again.
        let top = match r {
            Ref::Indexed { .. } | Ref::Dyn => {
                let hidden = Ident {
                    name: String::new(),
                    span,
                };
                let t = if r == Ref::Dyn { Ty::Chan(ty) } else { Ty::Int };
                let tmp = self.declare(fx, &hidden, t, None)?;
                self.emit(fx, Instr::Store(tmp.slot), e.span);
                self.emit(fx, Instr::Load(tmp.slot), e.span) as u32
            }
            Ref::Fixed(_) => Self::here(fx),
        };
        self.emit(fx, Instr::Recv(r, true), e.span);
        let jf = self.emit(fx, Instr::JumpIf(false, 0), e.span);
        match k {
            Some(n) if n.name != "_" => {
                if elem == Ty::Unit {
                    return err(n.span, "a local cannot hold struct{}; write `for range ch`");
                }
                let l = self.declare(fx, n, elem, None)?;
                self.emit(fx, Instr::Store(l.slot), n.span);
            }
            _ => {
                self.emit(fx, Instr::Pop, e.span);
            }
        }
        self.loop_body(fx, body)?;
        self.emit(fx, Instr::Jump(top), span);
        Ok(RangeLoop {
            top,
            exit: jf,
            pop_on_exit: true,
        })
    }

    /// Fail unless a channel of type `ty` (written `c`) allows `dir`.
    fn allows(&self, c: &Expr, ty: ChanTy, dir: Dir) -> DResult<()> {
        let (what, only) = match (dir, ty.dir()) {
            (Dir::Send, Dir::Recv) => ("send to", "receive-only"),
            (Dir::Recv, Dir::Send) => ("receive from", "send-only"),
            _ => return Ok(()),
        };
        err(
            c.span,
            format!(
                "invalid operation: cannot {what} {only} channel {} (variable of type {})",
                self.src.snippet(c.span),
                ty.name()
            ),
        )
    }

    /// Is `e` a channel (`ch` or `chs[i]`, a top-level one or a local of a
    /// channel type) rather than another value?
    pub(super) fn is_chan_expr(&self, fx: &Fx, e: &Expr) -> bool {
        // `range gen()`: a declared function returning one channel
        if let ExprKind::Call(f, _) = &e.kind
            && let ExprKind::Name(n) = &f.kind
            && Self::lookup_local(fx, n).is_none()
            && let Some((GSym::Func(id), _)) = self.g.syms.get(n)
        {
            return matches!(self.sigs[*id as usize].results[..], [Ty::Chan(_)]);
        }
        if let ExprKind::Name(n) = &e.kind
            && let Some(l) = Self::lookup_local(fx, n).or_else(|| fx.up.get(n).copied().flatten())
        {
            return matches!((l.ty, l.len), (Ty::Chan(_), None));
        }
        // a struct value's channel field (`range r.out`)
        if let ExprKind::Selector(..) = &e.kind {
            return self.chan_elem_of(fx, e).is_some();
        }
        let name = match &e.kind {
            ExprKind::Name(n) => n,
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => n,
                _ => return false,
            },
            _ => return false,
        };
        // a struct variable's channel field (`range s.reqs`: `#T.f[k]`)
        if name.starts_with('#') {
            return self.chan_elem_of(fx, e).is_some();
        }
        Self::lookup_local(fx, name).is_none()
            && !fx.outer.contains(name)
            && matches!(
                self.g.syms.get(name),
                Some((GSym::Chan { .. } | GSym::NilChan(_), _))
            )
    }

    /// `select`: one step takes a ready case (local code first evaluates
    /// the channel indices and send values of all cases), then the chosen
    /// clause's body runs.
    pub(super) fn select(
        &mut self,
        fx: &mut Fx,
        clauses: &[CommClause],
        span: Span,
    ) -> DResult<()> {
        let spec = self.select_spec(fx, clauses)?;
        let id = self.selects.len() as u32;
        self.selects.push(spec);
        self.emit(fx, Instr::Select(id), span);
        fx.loops.push(LoopCx {
            is_select: true,
            breaks: vec![],
            continues: vec![],
        });
        let mut ends = vec![];
        let mut ci = 0;
        for c in clauses {
            let target = Self::here(fx);
            fx.scopes.push(HashMap::new());
            match &c.case {
                CommCase::Default(_) => {
                    self.selects[id as usize].default = Some(target);
                }
                CommCase::Send { .. } => {
                    self.selects[id as usize].cases[ci].target = target;
                    ci += 1;
                }
                CommCase::Recv {
                    names,
                    define,
                    chan,
                    span: cs,
                } => {
                    self.selects[id as usize].cases[ci].target = target;
                    ci += 1;
                    self.select_received(fx, chan, names, *define, *cs)?;
                }
            }
            for s in &c.body {
                self.stmt(fx, s)?;
            }
            fx.scopes.pop();
            ends.push(self.emit(fx, Instr::Jump(0), c.span));
        }
        let lp = fx.loops.pop().unwrap();
        let end = Self::here(fx);
        for j in ends.into_iter().chain(lp.breaks) {
            Self::patch(fx, j, end);
        }
        Ok(())
    }

    /// The cases of a `select`, their channels and send values evaluated;
    /// their targets are set when the clause bodies are lowered.
    fn select_spec(&mut self, fx: &mut Fx, clauses: &[CommClause]) -> DResult<SelectSpec> {
        let mut spec = SelectSpec {
            cases: vec![],
            default: None,
        };
        let mut n_default = 0;
        for c in clauses {
            match &c.case {
                CommCase::Default(s) => {
                    n_default += 1;
                    if n_default > 1 {
                        return err(*s, "multiple defaults in select");
                    }
                }
                CommCase::Recv { chan, names, .. } => {
                    let Obj::Chan(ty, r) = self.obj(fx, chan)? else {
                        return err(chan.span, "receive needs a channel");
                    };
                    self.allows(chan, ty, Dir::Recv)?;
                    let (l, col) = self.src.line_col(chan.span.start);
                    spec.cases.push(SelectCase {
                        chan: r,
                        loc: (l as u32, col as u32),
                        send: false,
                        with_ok: names.len() == 2,
                        target: 0,
                    });
                }
                CommCase::Send { chan, value, .. } => {
                    let Obj::Chan(ty, r) = self.obj(fx, chan)? else {
                        return err(chan.span, "send needs a channel");
                    };
                    self.allows(chan, ty, Dir::Send)?;
                    self.expect_ty(fx, value, ty.elem(), "send")?;
                    let (l, col) = self.src.line_col(chan.span.start);
                    spec.cases.push(SelectCase {
                        chan: r,
                        loc: (l as u32, col as u32),
                        send: true,
                        with_ok: false,
                        target: 0,
                    });
                }
            }
        }
        Ok(spec)
    }

    /// Store what a receive case took (`case v, ok := <-ch`, `case v =
    /// <-ch`) or drop it (`case <-ch`).
    fn select_received(
        &mut self,
        fx: &mut Fx,
        chan: &Expr,
        names: &[Ident],
        define: bool,
        cs: Span,
    ) -> DResult<()> {
        let elem = match self.chan_elem_of(fx, chan) {
            Some(t) => t,
            None => return err(chan.span, "receive needs a channel"),
        };
        if names.is_empty() {
            self.emit(fx, Instr::Pop, cs);
        } else {
            let tys = [elem, Ty::Bool];
            for (i, n) in names.iter().enumerate().rev() {
                let t = tys[i];
                if n.name == "_" {
                    self.emit(fx, Instr::Pop, n.span);
                } else if define {
                    if t == Ty::Unit {
                        return err(n.span, "a local cannot hold struct{}");
                    }
                    if fx.scopes.last().unwrap().contains_key(&n.name) {
                        return err(n.span, format!("`{}` declared twice", n.name));
                    }
                    let l = self.declare(fx, n, t, None)?;
                    self.emit(fx, Instr::Store(l.slot), n.span);
                } else {
                    let lv = LValue {
                        name: n.clone(),
                        index: None,
                        field: None,
                        key: None,
                        span: n.span,
                    };
                    let (st, lt) = self.lvalue(fx, &lv)?;
                    if !assignable(lt, t) && st != Instr::Pop {
                        return err(
                            n.span,
                            format!("cannot assign {} to {}", t.name(), lt.name()),
                        );
                    }
                    self.emit(fx, st, n.span);
                }
            }
        }
        Ok(())
    }

    /// The element type of the channel `e` names, if it names one.
    pub(super) fn chan_elem_of(&self, fx: &Fx, e: &Expr) -> Option<Ty> {
        // a struct value's channel field, `case v := <-r.reply:`
        if let ExprKind::Selector(a, f) = &e.kind
            && let ExprKind::Name(n) = &a.kind
            && let Some(l) = Self::lookup_local(fx, n).or_else(|| fx.up.get(n).copied().flatten())
            && let Ok((_, Ty::Chan(c))) = self.field_of(l.ty, f)
        {
            return Some(c.elem());
        }
        let name = match &e.kind {
            ExprKind::Name(n) => n,
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => n,
                _ => return None,
            },
            _ => return None,
        };
        if let Some(l) = Self::lookup_local(fx, name).or_else(|| fx.up.get(name).copied().flatten())
        {
            return match l.ty {
                Ty::Chan(c) => Some(c.elem()),
                _ => None,
            };
        }
        match self.g.syms.get(name) {
            Some((
                GSym::Chan { ty, .. }
                | GSym::NilChan(ty)
                | GSym::Plain {
                    ty: Ty::Chan(ty), ..
                },
                _,
            )) => Some(ty.elem()),
            _ => None,
        }
    }
}
