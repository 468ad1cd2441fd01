//! `switch` with Go's semantics, lowered to jumps: the init statement, then
//! the tag (evaluated once), then each case expression in source order, top
//! to bottom and left to right, compared with the tag until the first match
//! (so every shared read in a case is its own step, in that order). The
//! clause bodies follow in source order, so `fallthrough` is no jump at all
//! and `default` may be written anywhere: it is taken only when no case
//! matched. A `break` in a clause leaves the switch.

use super::{Fx, LoopCx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::GSym;
use crate::ir::*;
use std::collections::HashMap;

impl Lowerer<'_> {
    /// `switch [init;] [tag] { clauses }`.
    pub(super) fn switch_stmt(
        &mut self,
        fx: &mut Fx,
        init: Option<&Stmt>,
        tag: Option<&Expr>,
        clauses: &[CaseClause],
        span: Span,
    ) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        if let Some(i) = init {
            self.stmt(fx, i)?;
        }
        let tag = match tag {
            Some(t) => {
                let ty = self.expr(fx, t)?.declared();
                let tmp = self.temp(fx, t.span)?;
                self.emit(fx, Instr::Store(tmp.slot), t.span);
                Some((tmp.slot, ty, t))
            }
            None => None,
        };
        let to_body = self.switch_dispatch(fx, tag, clauses)?;
        let no_match = self.emit(fx, Instr::Jump(0), span);
        fx.loops.push(LoopCx {
            // not a `continue` target: continue goes to an enclosing for
            is_select: true,
            breaks: vec![],
            continues: vec![],
        });
        let mut ends = vec![];
        let mut default_at = None;
        for (ci, c) in clauses.iter().enumerate() {
            let start = Self::here(fx);
            for &j in &to_body[ci] {
                Self::patch(fx, j, start);
            }
            if c.default {
                default_at = Some(start);
            }
            let (body, falls) = match c.body.split_last() {
                Some((last, rest)) if matches!(last.kind, StmtKind::Fallthrough) => {
                    if ci + 1 == clauses.len() {
                        return err(last.span, "cannot fallthrough final case in switch");
                    }
                    (rest, true)
                }
                _ => (&c.body[..], false),
            };
            self.block_stmts(fx, body)?;
            if !falls {
                ends.push(self.emit(fx, Instr::Jump(0), c.span));
            }
        }
        let lp = fx.loops.pop().unwrap();
        let end = Self::here(fx);
        Self::patch(fx, no_match, default_at.unwrap_or(end));
        for j in ends.into_iter().chain(lp.breaks) {
            Self::patch(fx, j, end);
        }
        fx.scopes.pop();
        Ok(())
    }

    /// The comparisons, in Go's order; for each clause, the jumps that
    /// enter its body (to be patched when it is placed).
    fn switch_dispatch(
        &mut self,
        fx: &mut Fx,
        tag: Option<(u16, Ty, &Expr)>,
        clauses: &[CaseClause],
    ) -> DResult<Vec<Vec<usize>>> {
        let mut to_body = vec![vec![]; clauses.len()];
        let mut seen_default = false;
        let mut seen_consts: Vec<(Ty, i64)> = vec![];
        for (ci, c) in clauses.iter().enumerate() {
            if c.default {
                if seen_default {
                    return err(
                        Span::new(c.span.start, c.span.start + "default".len()),
                        "multiple defaults in switch",
                    );
                }
                seen_default = true;
            }
            for e in &c.exprs {
                match tag {
                    Some((slot, tag_ty, tag_e)) => {
                        self.emit(fx, Instr::Load(slot), e.span);
                        let t = self.expr(fx, e)?;
                        if crate::front::types::operand_type(t, tag_ty) != Some(tag_ty) {
                            return err(
                                e.span,
                                format!(
                                    "invalid case in switch on {}: mismatched types {} and {}",
                                    self.src.snippet(tag_e.span),
                                    t.name(),
                                    tag_ty.name()
                                ),
                            );
                        }
                        self.untyped_fits(&self.env(fx), e, t, tag_ty)?;
                        self.emit(fx, Instr::Bin(BinOp::Eq), e.span);
                        if let Some(v) = self.case_constant(fx, e) {
                            if seen_consts.contains(&(tag_ty, v)) {
                                return err(
                                    e.span,
                                    format!(
                                        "duplicate case {} in expression switch",
                                        self.src.snippet(e.span)
                                    ),
                                );
                            }
                            seen_consts.push((tag_ty, v));
                        }
                    }
                    None => self.expect_ty(fx, e, Ty::Bool, "case of a switch without a tag")?,
                }
                to_body[ci].push(self.emit(fx, Instr::JumpIf(true, 0), e.span));
            }
        }
        Ok(to_body)
    }

    /// The value of a case that is a constant (a literal or a constant's
    /// name not hidden by a local): Go refuses two equal constant cases.
    fn case_constant(&mut self, fx: &Fx, e: &Expr) -> Option<i64> {
        match &e.kind {
            ExprKind::Int(v) => Some(*v),
            ExprKind::Bool(b) => Some(*b as i64),
            // a string by its number in the program's strings
            ExprKind::Str(s) => Some(self.string_id(s) as i64),
            ExprKind::Name(n) if Self::lookup_konst(fx, n).is_some() => {
                Self::lookup_konst(fx, n).map(|(v, _)| v)
            }
            ExprKind::Name(n) if Self::lookup_local(fx, n).is_none() => match self.g.syms.get(n) {
                Some((GSym::Const(k, Ty::Str), _)) => {
                    let g = self.g;
                    Some(self.string_id(&g.strs[*k as usize]) as i64)
                }
                Some((GSym::Const(v, _), _)) => Some(*v),
                _ => None,
            },
            _ => None,
        }
    }
}
