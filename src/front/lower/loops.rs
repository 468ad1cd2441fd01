//! `for` in its forms (forever, condition, clause) and `range` over an
//! array or an int, with `break` and `continue` patched when the loop's end
//! is known; `range` over a channel is in `chan.rs`.

use super::{Fx, Local, LoopCx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::GSym;
use crate::ir::*;
use std::collections::HashMap;

impl Lowerer<'_> {
    /// A `for` loop: its condition or clause or range, its body, and the
    /// jumps of its `break`s and `continue`s.
    pub(super) fn for_stmt(
        &mut self,
        fx: &mut Fx,
        kind: &ForKind,
        body: &Block,
        span: Span,
    ) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        // everything in a loop may run many times (its init statement
        // too, as far as `make` is concerned: a pool is always sound)
        fx.loop_depth += 1;
        let (top, exit_fix): (u32, Vec<usize>);
        let mut extra_pop_exit = false;
        let cont_target: Option<u32>;
        match kind {
            ForKind::Forever => {
                top = Self::here(fx);
                exit_fix = vec![];
                cont_target = Some(top);
                self.loop_body(fx, body)?;
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Cond(c) => {
                top = Self::here(fx);
                self.expect_ty(fx, c, Ty::Bool, "loop condition")?;
                exit_fix = vec![self.emit(fx, Instr::JumpIf(false, 0), c.span)];
                cont_target = Some(top);
                self.loop_body(fx, body)?;
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Clause(init, cond, post) => {
                if let Some(i) = init {
                    self.stmt(fx, i)?;
                }
                top = Self::here(fx);
                exit_fix = match cond {
                    Some(c) => {
                        self.expect_ty(fx, c, Ty::Bool, "loop condition")?;
                        vec![self.emit(fx, Instr::JumpIf(false, 0), c.span)]
                    }
                    None => vec![],
                };
                // continue goes to the post statement: patched after the body
                cont_target = None;
                self.loop_body(fx, body)?;
                let post_at = Self::here(fx);
                let lp = fx.loops.pop().unwrap();
                for c in &lp.continues {
                    Self::patch(fx, *c, post_at);
                }
                fx.loops.push(LoopCx {
                    continues: vec![],
                    ..lp
                });
                if let Some(p) = post {
                    if matches!(p.kind, StmtKind::ShortDecl(..)) {
                        return err(p.span, "cannot declare in the post statement of a for loop");
                    }
                    self.stmt(fx, p)?;
                }
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Range(k, v, e) => {
                let r = self.range(fx, k.as_ref(), v.as_ref(), e, body, span)?;
                top = r.top;
                exit_fix = vec![r.exit];
                extra_pop_exit = r.pop_on_exit;
                cont_target = Some(top);
            }
        }
        // The loop context was pushed by loop_body and left for us.
        let lp = fx.loops.pop().unwrap();
        let exit = Self::here(fx);
        if extra_pop_exit {
            // Leaving a range over a channel: drop the received zero value.
            for f in &exit_fix {
                Self::patch(fx, *f, exit);
            }
            self.emit(fx, Instr::Pop, span);
            let after = Self::here(fx);
            for b in &lp.breaks {
                Self::patch(fx, *b, after);
            }
        } else {
            for f in &exit_fix {
                Self::patch(fx, *f, exit);
            }
            for b in &lp.breaks {
                Self::patch(fx, *b, exit);
            }
        }
        if let Some(ct) = cont_target {
            for c in &lp.continues {
                Self::patch(fx, *c, ct);
            }
        }
        fx.scopes.pop();
        fx.loop_depth -= 1;
        Ok(())
    }

    /// Lower a loop body, leaving its loop context on the stack.
    pub(super) fn loop_body(&mut self, fx: &mut Fx, body: &Block) -> DResult<()> {
        fx.loops.push(LoopCx {
            is_select: false,
            breaks: vec![],
            continues: vec![],
        });
        self.block_stmts(fx, &body.stmts)
    }

    /// `for k, v := range e`, over a channel (in `chan.rs`), an array
    /// (local or shared: iterates over the indices) or an int.
    fn range(
        &mut self,
        fx: &mut Fx,
        k: Option<&Ident>,
        v: Option<&Ident>,
        e: &Expr,
        body: &Block,
        span: Span,
    ) -> DResult<RangeLoop> {
        if self.is_chan_expr(fx, e) {
            return self.range_chan(fx, k, v, e, body, span);
        }
        if self.map_ty_of(fx, e).is_some() {
            return self.range_map(fx, (k, v), e, body, span);
        }
        // Range over an array (local or shared): iterate over the indices.
        let arr = match &e.kind {
            // evaluated once, before the loop, into an array of its own
            ExprKind::SliceLit(t, elems) => {
                let hidden = Ident {
                    name: String::new(),
                    span: e.span,
                };
                let l = self.slice_array(fx, &hidden, (t, elems), e.span)?;
                Some((elems.len() as u32, l.ty, Some(l.slot), None))
            }
            ExprKind::Name(n) => {
                Self::no_capture(fx, n, e.span)?;
                match Self::lookup_local(fx, n) {
                    Some(Local {
                        len: Some(len),
                        ty,
                        slot,
                        ..
                    }) => Some((len as u32, ty, Some(slot), None)),
                    Some(_) => None,
                    None => match self.g.syms.get(n) {
                        Some((
                            GSym::Plain {
                                base,
                                len: Some(len),
                                ty,
                            },
                            _,
                        )) => Some((*len, *ty, None, Some(*base))),
                        Some((GSym::Sync { len: Some(len), .. }, _))
                        | Some((GSym::Chan { len: Some(len), .. }, _))
                            if v.is_none() =>
                        {
                            Some((*len, Ty::Int, None, None))
                        }
                        _ => None,
                    },
                }
            }
            _ => None,
        };
        let limit = self.temp(fx, span)?;
        let elem_src = match arr {
            Some((len, ty, local, shared)) => {
                self.emit(fx, Instr::Push(len as i64), e.span);
                Some((len, ty, local, shared))
            }
            None => {
                if v.is_some() {
                    return err(
                        e.span,
                        "range over an int permits only one iteration variable",
                    );
                }
                let t = self.expr(fx, e)?;
                if t == Ty::Str {
                    return err(e.span, super::expr::STRING_OPS);
                }
                if !matches!(t, Ty::Int | Ty::UntypedInt) {
                    return err(e.span, "range needs a channel, an array or an int");
                }
                None
            }
        };
        self.emit(fx, Instr::Store(limit.slot), e.span);
        let counter = self.temp(fx, span)?;
        self.emit(fx, Instr::Push(0), span);
        self.emit(fx, Instr::Store(counter.slot), span);
        let top = Self::here(fx);
        self.emit(fx, Instr::Load(counter.slot), span);
        self.emit(fx, Instr::Load(limit.slot), span);
        self.emit(fx, Instr::Bin(BinOp::Lt), span);
        let jf = self.emit(fx, Instr::JumpIf(false, 0), span);
        if let Some(n) = k
            && n.name != "_"
        {
            let l = self.declare(fx, n, Ty::Int, None)?;
            self.emit(fx, Instr::Load(counter.slot), n.span);
            self.emit(fx, Instr::Store(l.slot), n.span);
        }
        if let Some(vn) = v {
            let (len, ty, local, shared) = elem_src.unwrap();
            self.emit(fx, Instr::Load(counter.slot), vn.span);
            match (local, shared) {
                (Some(slot), _) => self.emit(
                    fx,
                    Instr::LoadIdx {
                        base: slot,
                        len: len as u16,
                    },
                    e.span,
                ),
                (_, Some(base)) => self.emit(fx, Instr::Read(Ref::Indexed { base, len }), e.span),
                _ => unreachable!(),
            };
            if vn.name == "_" {
                self.emit(fx, Instr::Pop, vn.span);
            } else {
                let l = self.declare(fx, vn, ty, None)?;
                self.emit(fx, Instr::Store(l.slot), vn.span);
            }
        }
        self.loop_body(fx, body)?;
        let post = Self::here(fx);
        let lp = fx.loops.pop().unwrap();
        for c in &lp.continues {
            Self::patch(fx, *c, post);
        }
        fx.loops.push(LoopCx {
            continues: vec![],
            ..lp
        });
        self.emit(fx, Instr::Load(counter.slot), span);
        self.emit(fx, Instr::Push(1), span);
        self.emit(fx, Instr::Bin(BinOp::Add), span);
        self.emit(fx, Instr::Store(counter.slot), span);
        self.emit(fx, Instr::Jump(top), span);
        Ok(RangeLoop {
            top,
            exit: jf,
            pop_on_exit: false,
        })
    }
}

/// Where a `range` loop's code begins and how it is left.
pub(super) struct RangeLoop {
    /// The loop's first instruction (`continue` jumps here).
    pub(super) top: u32,
    /// The jump that leaves the loop, to be patched to its end.
    pub(super) exit: usize,
    /// Leaving drops a value from the stack (the zero value a receive from
    /// a closed channel gave).
    pub(super) pop_on_exit: bool,
}
