//! `recover()` and what a deferred func literal may use of the function
//! that deferred it. grace has no interface values: `recover()`'s value
//! (`Ty::Any`) may be dropped, held in a local, compared with `nil` and
//! printed, and nothing else.
//!
//! A deferred func literal runs with its frame just above the frame of the
//! function that deferred it (at a return, or while a panic unwinds that
//! frame), so it may use that function's locals in place
//! (`Instr::LoadUp`/`StoreUp`): the parameters, the results and the locals
//! declared at the top of its body, each of which is one variable per call
//! as in Go. A local declared in a loop is a new variable at each
//! iteration in Go, which one slot cannot be, so it stays refused.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::*;
use std::collections::HashMap;

/// The refusal for a name a deferred func literal may not use.
fn not_capturable(n: &str) -> String {
    format!(
        "a deferred func literal may use the parameters, results and top-level locals of the function that defers it, not `{n}` (declared in a loop or an inner block, or an array): pass it as an argument"
    )
}

impl Lowerer<'_> {
    /// `recover()`: its value, nil unless a panic is being recovered.
    pub(super) fn recover_call(&mut self, fx: &mut Fx, args: &[Expr], span: Span) -> DResult<Ty> {
        if let Some(a) = args.first() {
            return err(a.span, "too many arguments in call to recover");
        }
        self.emit(fx, Instr::Recover, span);
        Ok(Ty::Any)
    }

    /// Go's builtin `print`/`println` (`name`) prints an interface value
    /// as its type and address, not its value: refused for `recover()`'s,
    /// whose arguments (`args`) were just lowered into the last print spec.
    pub(super) fn no_builtin_print_of_any(&self, args: &[Expr], name: &str) -> DResult<()> {
        let spec = self.prints.last().expect("the print just lowered");
        for (a, pa) in args.iter().zip(&spec.args) {
            if matches!(pa, PrintArg::Value(Ty::Error)) {
                return err(
                    a.span,
                    format!(
                        "the builtin {name} prints an error as its type and address in Go: use fmt.{} instead",
                        if name == "print" { "Print" } else { "Println" }
                    ),
                );
            }
            if matches!(pa, PrintArg::Value(Ty::Any)) {
                return err(
                    a.span,
                    format!(
                        "the builtin {name} prints recover()'s value as its type and address in Go: use fmt.{} instead",
                        if name == "print" { "Print" } else { "Println" }
                    ),
                );
            }
        }
        Ok(())
    }

    /// A declared function with results deferred by name is called
    /// through a wrapper (which drops its results), so a `recover()` in it
    /// would not be called directly by the deferred call and would recover
    /// nothing, where Go's recovers: refused.
    pub(super) fn no_recover_through_wrapper(&self) -> DResult<()> {
        for &(id, span) in &self.wrapped_with_results {
            let f = self.funcs[id as usize]
                .as_ref()
                .expect("every function lowered");
            if f.code.contains(&Instr::Recover) {
                return err(
                    span,
                    format!(
                        "{} calls recover() and has results: deferred by name, grace calls it through a wrapper that drops its results, where recover() would stop nothing; give it no results",
                        f.name
                    ),
                );
            }
        }
        Ok(())
    }

    /// `x == nil` / `x != nil`: only `recover()`'s value is ever nil.
    /// `None` when neither operand is `nil`.
    pub(super) fn nil_compare(
        &mut self,
        fx: &mut Fx,
        op: BinOp,
        a: &Expr,
        b: &Expr,
        span: Span,
    ) -> DResult<Option<Ty>> {
        let is_nil = |e: &Expr| {
            matches!(&e.kind, ExprKind::Name(n) if n == "nil"
                && Self::lookup_local(fx, n).is_none()
                && !fx.up.contains_key(n)
                && !self.g.syms.contains_key(n))
        };
        let other = match (is_nil(a), is_nil(b)) {
            (false, false) => return Ok(None),
            (true, true) => return err(span, "invalid operation: nil compared with nil"),
            (true, false) => b,
            (false, true) => a,
        };
        if !matches!(op, BinOp::Eq | BinOp::Ne) {
            return err(
                span,
                format!("operator {} is not defined on nil", op.symbol()),
            );
        }
        let t = self.expr(fx, other)?;
        if !matches!(
            t,
            Ty::Any | Ty::Error | Ty::Chan(_) | Ty::Ptr(_) | Ty::StructPtr(_) | Ty::Map(_)
        ) {
            return err(
                other.span,
                format!(
                    "cannot compare {} (of type {}) with nil: in grace only channels, pointers and recover()'s value can be nil",
                    self.src.snippet(other.span),
                    t.name()
                ),
            );
        }
        self.emit(fx, Instr::Push(0), span);
        self.emit(fx, Instr::Bin(op), span);
        Ok(Some(Ty::Bool))
    }

    /// The names a func literal deferred here may use in place: each
    /// visible name, with its local when it is one variable per call.
    pub(super) fn capturable(fx: &Fx) -> HashMap<String, Option<Local>> {
        let mut up = HashMap::new();
        for (depth, sc) in fx.scopes.iter().enumerate() {
            // a shared variable is reached as the global it is (`Fx::shared`)
            for (n, l) in sc.iter().filter(|(_, l)| {
                l.konst.is_none() && l.shared.is_none() && l.object.is_none() && l.func.is_none()
            }) {
                let ok = depth < 2 && l.len.is_none();
                up.insert(n.clone(), ok.then_some(*l));
            }
        }
        up
    }

    /// A use of `n` in a deferred func literal that names a local of the
    /// function deferring it: its slot there and its type.
    pub(super) fn captured(&self, fx: &Fx, n: &str, span: Span) -> DResult<Option<Local>> {
        if Self::lookup_local(fx, n).is_some() {
            return Ok(None);
        }
        match fx.up.get(n) {
            None => Ok(None),
            Some(Some(l)) => Ok(Some(*l)),
            Some(None) => err(span, not_capturable(n)),
        }
    }
}
