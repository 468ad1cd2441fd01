//! Statements: the dispatch over statement kinds, `if`, `return`,
//! `break`, `continue`, blocks and expression statements. Each other family
//! has its file: declarations and assignments in `assign.rs`, loops in
//! `loops.rs`, send and `select` in `chan.rs`, `go` in `call.rs`.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::*;
use std::collections::HashMap;

impl Lowerer<'_> {
    /// Check and lower one statement.
    pub(super) fn stmt(&mut self, fx: &mut Fx, s: &Stmt) -> DResult<()> {
        match &s.kind {
            StmtKind::Var(name, None, Some(e)) if self.func_alias(fx, name, e)? => Ok(()),
            StmtKind::Var(name, ty, init) => {
                self.var_stmt(fx, name, ty.as_ref(), init.as_ref(), s.span)
            }
            StmtKind::ShortDecl(names, e)
                if names.len() == 1 && self.func_alias(fx, &names[0], e)? =>
            {
                Ok(())
            }
            StmtKind::FuncBind(b) => self.func_bind(fx, b, s.span),
            StmtKind::VarSpecs(specs) => self.var_specs(fx, specs),
            StmtKind::Const(decls) => self.const_stmt(fx, decls),
            StmtKind::ShortDecl(names, e) if self.takes_results(fx, names.len(), e) => {
                self.decl_from_call(fx, names, e, s.span)
            }
            StmtKind::ShortDecl(names, e) => self.short_decl(fx, names, e, s.span),
            StmtKind::Assign(lvs, e) if self.takes_results(fx, lvs.len(), e) => {
                self.assign_from_call(fx, lvs, e, s.span)
            }
            StmtKind::Assign(lvs, e) => self.assign(fx, lvs, e, s.span),
            StmtKind::MultiDecl(names, es) => self.multi_decl(fx, names, es, s.span),
            StmtKind::MultiAssign(lvs, es) => self.multi_assign(fx, lvs, es, s.span),
            StmtKind::OpAssign(lv, op, e) => {
                let bop = match op {
                    AssignOp::Add => BinOp::Add,
                    AssignOp::Sub => BinOp::Sub,
                    AssignOp::Mul => BinOp::Mul,
                    AssignOp::Div => BinOp::Div,
                    AssignOp::Rem => BinOp::Rem,
                };
                self.update(fx, lv, bop, Some(e), s.span)
            }
            StmtKind::IncDec(lv, inc) => self.update(
                fx,
                lv,
                if *inc { BinOp::Add } else { BinOp::Sub },
                None,
                s.span,
            ),
            StmtKind::Send(c, v) => self.send(fx, c, v, s.span),
            StmtKind::Expr(e) => self.expr_stmt(fx, e),
            StmtKind::If(init, cond, then, els) => {
                self.if_stmt(fx, init.as_deref(), cond, then, els.as_deref())
            }
            StmtKind::For(kind, body) => self.for_stmt(fx, kind, body, s.span),
            StmtKind::Select(clauses) => self.select(fx, clauses, s.span),
            StmtKind::Go(e) => self.go_call(fx, e, s.span),
            StmtKind::GoLit(params, body, args, at) => {
                self.go_lit(fx, params, body, args, *at, s.span)
            }
            StmtKind::Defer(e) => self.defer_call(fx, e, s.span),
            StmtKind::DeferLit(params, body, args, at) => {
                self.defer_lit(fx, params, body, args, *at, s.span)
            }
            StmtKind::OnceDoLit(recv, params, body, at, result) => {
                self.once_do_lit(fx, recv, (params, body, *at, *result), s.span)
            }
            StmtKind::Return(es) => self.return_stmt(fx, es, s.span),
            StmtKind::Break => {
                if fx.loops.is_empty() {
                    return err(s.span, "break is not in a loop, switch or select");
                }
                let j = self.emit(fx, Instr::Jump(0), s.span);
                fx.loops.last_mut().unwrap().breaks.push(j);
                Ok(())
            }
            StmtKind::Continue => {
                let Some(pos) = fx.loops.iter().rposition(|l| !l.is_select) else {
                    return err(s.span, "continue is not in a loop");
                };
                let j = self.emit(fx, Instr::Jump(0), s.span);
                fx.loops[pos].continues.push(j);
                Ok(())
            }
            StmtKind::Block(b) => self.block_stmts(fx, &b.stmts),
            StmtKind::Switch(init, tag, clauses) => {
                self.switch_stmt(fx, init.as_deref(), tag.as_ref(), clauses, s.span)
            }
            StmtKind::Fallthrough => err(
                s.span,
                "fallthrough statement out of place: it must be the last statement of a switch case",
            ),
            StmtKind::Labeled(l, inner) => self.labeled(fx, l, inner),
            StmtKind::BreakTo(l) => self.jump_to_label(fx, l, true, s.span),
            StmtKind::ContinueTo(l) => self.jump_to_label(fx, l, false, s.span),
        }
    }

    /// `if [init;] cond { … } [else …]`, in a scope that holds `init`'s names.
    fn if_stmt(
        &mut self,
        fx: &mut Fx,
        init: Option<&Stmt>,
        cond: &Expr,
        then: &Block,
        els: Option<&Stmt>,
    ) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        if let Some(i) = init {
            self.stmt(fx, i)?;
        }
        self.expect_ty(fx, cond, Ty::Bool, "if condition")?;
        let jf = self.emit(fx, Instr::JumpIf(false, 0), cond.span);
        self.block_stmts(fx, &then.stmts)?;
        match els {
            None => {
                let h = Self::here(fx);
                Self::patch(fx, jf, h);
            }
            Some(e) => {
                let j = self.emit(fx, Instr::Jump(0), e.span);
                let h = Self::here(fx);
                Self::patch(fx, jf, h);
                self.stmt(fx, e)?;
                let h = Self::here(fx);
                Self::patch(fx, j, h);
            }
        }
        fx.scopes.pop();
        Ok(())
    }

    /// An expression used as a statement: only a call or a receive, its
    /// value dropped.
    fn expr_stmt(&mut self, fx: &mut Fx, e: &Expr) -> DResult<()> {
        match &e.kind {
            ExprKind::Call(..) => {
                for _ in self.call_results(fx, e)? {
                    self.emit(fx, Instr::Pop, e.span);
                }
                Ok(())
            }
            ExprKind::Unary(UnOp::Recv, _) => {
                self.expr(fx, e)?;
                self.emit(fx, Instr::Pop, e.span);
                Ok(())
            }
            _ => err(
                e.span,
                "expression is evaluated but not used: expected a call, a receive or an assignment",
            ),
        }
    }
}
