//! Functions' results: the result locals of a function whose results are
//! named, several, or may be read after a deferred call (Go's result
//! parameters), `return` in all its forms, and the statements that take
//! several values from one call (`a, b := f()`, `a, b = f()`).
//!
//! A function with one unnamed result and no `defer` returns its value
//! from the stack (`Instr::Return`). Any other function with results keeps
//! them in locals after its parameters, zero at entry like every local:
//! `return a, b` evaluates all its values, then stores them, then returns
//! (`Instr::ReturnResults`), which reads the locals only after the
//! deferred calls have run, so that a deferred func literal that assigns a
//! named result changes what is returned, as in Go.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::GSym;
use crate::front::types::assignable;
use crate::ir::*;

/// `(int, bool)`: a list of result types as Go writes it in messages.
pub(super) fn tuple_name(tys: &[Ty]) -> String {
    let names: Vec<String> = tys.iter().map(|t| t.name().into_owned()).collect();
    format!("({})", names.join(", "))
}

/// `value` or `values`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Lowerer<'_> {
    /// Give the function being lowered its results (`tys`, declared as
    /// `results`): locals for them when they need some (see the module
    /// comment), named ones visible in the body.
    pub(super) fn result_slots(
        &self,
        fx: &mut Fx,
        results: &[ResultParam],
        tys: &[Ty],
        body: &Block,
    ) -> DResult<()> {
        fx.results = tys.to_vec();
        fx.named = results.iter().any(|r| r.name.is_some());
        if !(fx.named || tys.len() >= 2 || (tys.len() == 1 && has_defer(&body.stmts))) {
            return Ok(());
        }
        fx.result_slot = Some(fx.nlocals as u16);
        for (r, &t) in results.iter().zip(tys) {
            let name = match &r.name {
                Some(n) if n.name != "_" && fx.scopes[0].contains_key(&n.name) => {
                    return err(n.span, format!("duplicate argument {}", n.name));
                }
                Some(n) => n.clone(),
                // a hidden local: no program can name it
                None => Ident {
                    name: String::new(),
                    span: r.ty_span,
                },
            };
            self.declare(fx, &name, t, None)?;
        }
        Ok(())
    }

    /// `return`, `return e`, `return a, b` or `return f()`, checked against
    /// the function's results.
    pub(super) fn return_stmt(&mut self, fx: &mut Fx, es: &[Expr], span: Span) -> DResult<()> {
        let want = fx.results.clone();
        if es.is_empty() {
            if want.is_empty() {
                self.emit(fx, Instr::Return { value: false }, span);
                return Ok(());
            }
            if !fx.named {
                return err(
                    span,
                    format!(
                        "not enough return values: have (), want {}",
                        tuple_name(&want)
                    ),
                );
            }
        } else if want.is_empty() {
            return err(
                es[0].span,
                "too many return values: this function returns nothing",
            );
        } else if let [e] = es
            && want.len() >= 2
            && matches!(e.kind, ExprKind::Call(..))
        {
            let got = self.call_results(fx, e)?;
            if got.len() != want.len() || got.iter().zip(&want).any(|(g, w)| !assignable(*w, *g)) {
                return err(
                    e.span,
                    format!(
                        "cannot return {} (value of type {}) from a function that returns {}",
                        self.src.snippet(e.span),
                        tuple_name(&got),
                        tuple_name(&want)
                    ),
                );
            }
        } else {
            if es.len() < want.len() {
                return err(
                    es[0].span,
                    format!(
                        "not enough return values: have {}, want {}",
                        plural(es.len(), "value"),
                        tuple_name(&want)
                    ),
                );
            }
            if es.len() > want.len() {
                return err(
                    es[want.len()].span,
                    format!(
                        "too many return values: have {}, want {}",
                        plural(es.len(), "value"),
                        tuple_name(&want)
                    ),
                );
            }
            for (e, &t) in es.iter().zip(&want) {
                self.expect_ty(fx, e, t, "return")?;
            }
        }
        match fx.result_slot {
            None => {
                self.emit(fx, Instr::Return { value: true }, span);
            }
            Some(first) => {
                if !es.is_empty() {
                    for k in (0..want.len() as u16).rev() {
                        self.emit(fx, Instr::Store(first + k), span);
                    }
                }
                let count = want.len() as u8;
                self.emit(fx, Instr::ReturnResults { first, count }, span);
            }
        }
        Ok(())
    }

    /// The function's own final return, which a recovered panic resumes at.
    pub(super) fn final_return(&self, fx: &mut Fx, span: Span) {
        let ins = match fx.result_slot {
            Some(first) => Instr::ReturnResults {
                first,
                count: fx.results.len() as u8,
            },
            None => Instr::Return { value: false },
        };
        self.emit(fx, ins, span);
    }

    /// Is `e` a call of a declared function whose values `n` names take
    /// by a multi-value form (`a, b := f()`), or a call with several
    /// results given to one name, or one value for more than two names
    /// (Go's count errors)? Two names and one value that is not a call are
    /// `v, ok := <-ch`, in `assign.rs`.
    pub(super) fn takes_results(&self, fx: &Fx, n: usize, e: &Expr) -> bool {
        n > 2
            || self
                .declared_results(fx, e)
                .is_some_and(|(_, tys)| n != 1 || tys.len() >= 2)
    }

    /// Go's special form `g(f())`, `fmt.Println(f())`: when `args` is one
    /// call of a declared function with at least `min` results, lower it
    /// (its results on the stack) and return their types.
    pub(super) fn spread(
        &mut self,
        fx: &mut Fx,
        args: &[Expr],
        min: usize,
    ) -> DResult<Option<Vec<Ty>>> {
        let [a] = args else {
            return Ok(None);
        };
        match self.declared_results(fx, a) {
            Some((_, tys)) if tys.len() >= min => {
                self.call_results(fx, a)?;
                Ok(Some(tys))
            }
            _ => Ok(None),
        }
    }

    /// The name and result types of the declared function `e` calls, if
    /// it is such a call.
    fn declared_results(&self, fx: &Fx, e: &Expr) -> Option<(String, Vec<Ty>)> {
        let ExprKind::Call(f, _) = &e.kind else {
            return None;
        };
        let ExprKind::Name(n) = &f.kind else {
            return None;
        };
        if let Some(b) = self.func_var(fx, n) {
            return Some((n.clone(), self.sigs[b.func as usize].results.clone()));
        }
        if Self::lookup_local(fx, n).is_some() || fx.outer.contains(n) {
            return None;
        }
        match self.g.syms.get(n) {
            Some((GSym::Func(id), _)) => Some((n.clone(), self.sigs[*id as usize].results.clone())),
            _ => None,
        }
    }

    /// Call `e` (see [`Self::takes_results`]) for `n` names: its results
    /// held in hidden locals, returned as names that read them.
    fn hold_results(&mut self, fx: &mut Fx, n: usize, e: &Expr) -> DResult<Vec<Expr>> {
        let Some((name, tys)) = self.declared_results(fx, e) else {
            return err(
                e.span,
                format!("assignment mismatch: {} but 1 value", plural(n, "variable")),
            );
        };
        if n != tys.len() {
            return err(
                e.span,
                format!(
                    "assignment mismatch: {} but {name} returns {}",
                    plural(n, "variable"),
                    plural(tys.len(), "value")
                ),
            );
        }
        self.call_results(fx, e)?;
        let mut held = Vec::new();
        for &t in &tys {
            let id = Ident {
                name: format!(" result{}", fx.nlocals),
                span: e.span,
            };
            let local = self.declare(fx, &id, t, None)?;
            held.push((local.slot, id.name));
        }
        for (slot, _) in held.iter().rev() {
            self.emit(fx, Instr::Store(*slot), e.span);
        }
        Ok(held
            .into_iter()
            .map(|(_, name)| Expr {
                kind: ExprKind::Name(name),
                span: e.span,
            })
            .collect())
    }

    /// `a, b := f()`: the call's results, then the names declared (or
    /// assigned, for those already in the block) as `a, b := r1, r2` would.
    pub(super) fn decl_from_call(
        &mut self,
        fx: &mut Fx,
        names: &[Ident],
        e: &Expr,
        span: Span,
    ) -> DResult<()> {
        let held = self.hold_results(fx, names.len(), e)?;
        self.multi_decl(fx, names, &held, span)
    }

    /// `var a, b T`, `var a, b = 1, 2`, `var x, y = f()`, `var ( … )` in a
    /// body: for each spec, its values are evaluated first (all of them,
    /// or the call's results), then its names declared, as in Go (a value
    /// cannot see the names of its own spec).
    pub(super) fn var_specs(&mut self, fx: &mut Fx, specs: &[VarSpec]) -> DResult<()> {
        for s in specs {
            for (i, n) in s.names.iter().enumerate() {
                let again = names_before(&s.names[..i], n)
                    || fx.scopes.last().unwrap().contains_key(&n.name);
                if n.name != "_" && again {
                    return err(n.span, format!("`{}` redeclared in this block", n.name));
                }
            }
            let held = match &s.values {
                None => None,
                Some((es, _)) if es.len() == 1 && s.names.len() >= 2 => {
                    Some(self.hold_results(fx, s.names.len(), &es[0])?)
                }
                Some((es, at)) => {
                    if es.len() != s.names.len() {
                        return err(
                            *at,
                            format!(
                                "assignment mismatch: {} but {}",
                                plural(s.names.len(), "variable"),
                                plural(es.len(), "value")
                            ),
                        );
                    }
                    let mut held = Vec::new();
                    for e in es {
                        let hidden = Ident {
                            name: format!(" value{}", fx.nlocals),
                            span: e.span,
                        };
                        self.var_stmt(fx, &hidden, s.ty.as_ref(), Some(e), e.span)?;
                        held.push(Expr {
                            kind: ExprKind::Name(hidden.name),
                            span: e.span,
                        });
                    }
                    Some(held)
                }
            };
            for (k, n) in s.names.iter().enumerate() {
                let init = held.as_ref().map(|h| &h[k]);
                self.var_stmt(fx, n, s.ty.as_ref(), init, s.span)?;
            }
        }
        Ok(())
    }

    /// `a, b = f()`, `a[i], _ = f()`.
    pub(super) fn assign_from_call(
        &mut self,
        fx: &mut Fx,
        lvs: &[LValue],
        e: &Expr,
        span: Span,
    ) -> DResult<()> {
        let held = self.hold_results(fx, lvs.len(), e)?;
        self.multi_assign(fx, lvs, &held, span)
    }
}

/// Is `n` (not `_`) among `names`?
fn names_before(names: &[Ident], n: &Ident) -> bool {
    n.name != "_" && names.iter().any(|m| m.name == n.name)
}

/// Does a `defer` appear anywhere in these statements (outside func
/// literals, which are functions of their own)?
fn has_defer(stmts: &[Stmt]) -> bool {
    let one = |s: &Stmt| has_defer(std::slice::from_ref(s));
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Defer(_) | StmtKind::DeferLit(..) => true,
        StmtKind::Block(b) | StmtKind::For(_, b) => has_defer(&b.stmts),
        StmtKind::If(init, _, then, els) => {
            init.as_deref().is_some_and(one)
                || has_defer(&then.stmts)
                || els.as_deref().is_some_and(one)
        }
        StmtKind::Select(cl) => cl.iter().any(|c| has_defer(&c.body)),
        StmtKind::Switch(init, _, cl) => {
            init.as_deref().is_some_and(one) || cl.iter().any(|c| has_defer(&c.body))
        }
        StmtKind::Labeled(_, s) => one(s),
        _ => false,
    })
}
