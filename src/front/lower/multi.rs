//! `a, b := e1, e2` and `a, b = e1, e2`, in Go's order: first the index
//! operands on the left and the values on the right, left to right, each
//! into a hidden local; then the assignments, left to right. So `a, b = b, a`
//! swaps, and each shared read or write stays its own step in that order.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use std::collections::HashMap;

/// Go's message when names and values do not pair up.
fn mismatch(what: &str, n: usize, v: usize, span: Span) -> DResult<()> {
    if n == v {
        return Ok(());
    }
    let s = |k: usize| if k == 1 { "" } else { "s" };
    err(
        span,
        format!(
            "assignment mismatch: {n} {what}{} but {v} value{}",
            s(n),
            s(v)
        ),
    )
}

impl Lowerer<'_> {
    /// `e` evaluated into a new hidden local (a name no program can write);
    /// returns a name expression that reads it.
    fn hold(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Expr> {
        // a constant reads nothing and stays untyped (`var b byte; a, b = 1, 2`)
        if self.is_const(fx, e) {
            return Ok(e.clone());
        }
        let name = Ident {
            name: format!(" held{}", fx.nlocals),
            span: e.span,
        };
        self.short_decl(fx, std::slice::from_ref(&name), e, e.span)?;
        Ok(Expr {
            kind: ExprKind::Name(name.name),
            span: e.span,
        })
    }

    pub(super) fn multi_assign(
        &mut self,
        fx: &mut Fx,
        lvs: &[LValue],
        es: &[Expr],
        span: Span,
    ) -> DResult<()> {
        mismatch("variable", lvs.len(), es.len(), span)?;
        fx.scopes.push(HashMap::new());
        let mut targets = Vec::new();
        for lv in lvs {
            let index = match &lv.index {
                Some(i) => Some(self.hold(fx, i)?),
                None => None,
            };
            targets.push(LValue {
                name: lv.name.clone(),
                index,
                field: None,
                key: None,
                span: lv.span,
            });
        }
        let held = es
            .iter()
            .map(|e| self.hold(fx, e))
            .collect::<DResult<Vec<_>>>()?;
        for (lv, v) in targets.iter().zip(&held) {
            self.assign(fx, std::slice::from_ref(lv), v, lv.span)?;
        }
        fx.scopes.pop();
        Ok(())
    }

    pub(super) fn multi_decl(
        &mut self,
        fx: &mut Fx,
        names: &[Ident],
        es: &[Expr],
        span: Span,
    ) -> DResult<()> {
        mismatch("variable", names.len(), es.len(), span)?;
        let scope = fx.scopes.last().unwrap();
        if names
            .iter()
            .all(|n| n.name == "_" || scope.contains_key(&n.name))
        {
            return err(names[0].span, "no new variables on left side of :=");
        }
        for (i, n) in names.iter().enumerate() {
            if n.name != "_" && names[..i].iter().any(|m| m.name == n.name) {
                return err(n.span, format!("{} repeated on left side of :=", n.name));
            }
        }
        let held = es
            .iter()
            .map(|e| self.hold(fx, e))
            .collect::<DResult<Vec<_>>>()?;
        for (n, v) in names.iter().zip(&held) {
            let declared = fx.scopes.last().unwrap().contains_key(&n.name);
            if n.name == "_" || declared {
                let lv = LValue {
                    name: n.clone(),
                    index: None,
                    field: None,
                    key: None,
                    span: n.span,
                };
                self.assign(fx, std::slice::from_ref(&lv), v, n.span)?;
            } else {
                self.short_decl(fx, std::slice::from_ref(n), v, n.span)?;
            }
        }
        Ok(())
    }
}
