//! The integer types in function bodies: constant expressions folded where
//! they stand (so an untyped constant can take the type its context gives
//! it, as in Go), the code of an operator on a type narrower than 64 bits
//! or unsigned, and conversions `T(x)` between integer types.
//!
//! A value of every integer type is an `i64` (see [`Ty::wrap`]): `int` and
//! `int64` code is what it was before these types existed; only the other
//! types add an instruction ([`Instr::Wrap`], [`Instr::BinU`]).

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::Globals;
use crate::front::types::{
    ConstEnv, ConstName, const_eval, mismatched_integers, operand_type, untyped_overflow,
};
use crate::ir::*;

/// The names a constant expression sees inside a function: a local hides
/// the top-level constant of the same name.
pub(super) struct Scoped<'a> {
    g: &'a Globals,
    fx: &'a Fx,
}

impl ConstEnv for Scoped<'_> {
    fn constant(&self, name: &str) -> ConstName {
        if Lowerer::lookup_local(self.fx, name).is_some() {
            return ConstName::NotConstant;
        }
        match Lowerer::lookup_konst(self.fx, name) {
            // a body's string constant is pushed as a string by `name`
            Some((_, Ty::Str)) => ConstName::NotConstant,
            Some((v, t)) => ConstName::Value(v, t),
            None => self.g.constant(name),
        }
    }

    fn array_len(&self, name: &str) -> Option<u32> {
        if Lowerer::lookup_local(self.fx, name).is_some()
            || Lowerer::lookup_konst(self.fx, name).is_some()
        {
            return None;
        }
        self.g.array_len(name)
    }
}

impl Lowerer<'_> {
    /// The names as a constant expression sees them here: the body's
    /// constants and variables first, then the top level.
    pub(super) fn env<'b>(&'b self, fx: &'b Fx) -> Scoped<'b> {
        Scoped { g: self.g, fx }
    }

    /// The value and type of `e` if it is a constant expression here.
    pub(super) fn constant_here(&self, fx: &Fx, e: &Expr) -> DResult<(i64, Ty)> {
        const_eval(&Scoped { g: self.g, fx }, e)
    }

    /// Is `e` a constant expression here (Go's: literals, constants, and
    /// operators, conversions and `len` of an array applied to them)?
    /// Remembered per expression, so that lowering an expression asks
    /// this of each node once (a long `x + 1 + 1 …` stays linear).
    ///
    /// Only nodes with operands are remembered, by their span: the nodes
    /// lowering makes up (the hidden locals of `var a, b = …`, defer's
    /// argument holes) are names that reuse the span of the expression
    /// they stand for, and a name is asked afresh each time.
    pub(super) fn is_const(&self, fx: &Fx, e: &Expr) -> bool {
        let env = Scoped { g: self.g, fx };
        match &e.kind {
            ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::MinIntMagnitude => return true,
            // a string constant's number is not its value: strings are
            // pushed as strings (`PushStr`), never folded
            ExprKind::Name(n) => {
                return matches!(env.constant(n), ConstName::Value(_, t) if t != Ty::Str);
            }
            _ => {}
        }
        let key = (e.span.start, e.span.end);
        if let Some(&c) = self.const_memo.borrow().get(&key) {
            return c;
        }
        let c = match &e.kind {
            ExprKind::Unary(UnOp::Neg | UnOp::Not, a) => self.is_const(fx, a),
            ExprKind::Binary(_, a, b) => {
                let ca = self.is_const(fx, a);
                self.is_const(fx, b) && ca
            }
            ExprKind::Call(f, args) => match (&f.kind, args.as_slice()) {
                (ExprKind::Name(n), [a]) if n == "len" => {
                    matches!(&a.kind, ExprKind::Name(an) if env.array_len(an).is_some())
                }
                (ExprKind::Name(n), [a]) if Ty::integer_named(n).is_some() => {
                    matches!(env.constant(n), ConstName::Undefined) && self.is_const(fx, a)
                }
                _ => false,
            },
            _ => false,
        };
        self.const_memo.borrow_mut().insert(key, c);
        c
    }

    /// A constant expression is evaluated when the program is checked, as
    /// in Go (its errors are compile errors), and its value pushed; `None`
    /// when `e` is not one.
    pub(super) fn folded(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Option<Ty>> {
        if !self.is_const(fx, e) {
            return Ok(None);
        }
        let (v, t) = self.constant_here(fx, e)?;
        self.emit(fx, Instr::Push(v), e.span);
        Ok(Some(t))
    }

    /// An untyped constant `e` (of type `t`) used as a `want`: its value
    /// must fit (Go's "300 (untyped int constant) overflows uint8").
    pub(super) fn untyped_fits(
        &self,
        env: &impl ConstEnv,
        e: &Expr,
        t: Ty,
        want: Ty,
    ) -> DResult<()> {
        if t != Ty::UntypedInt || !want.is_int() || want == Ty::UntypedInt {
            return Ok(());
        }
        match const_eval(env, e) {
            Ok((v, _)) if !want.fits(v) => err(
                e.span,
                format!("{v} (untyped int constant) overflows {}", want.name()),
            ),
            _ => Ok(()),
        }
    }

    /// As [`Self::untyped_fits`], with Go's wording for an assignment, an
    /// argument or a result (`what` names the place).
    pub(super) fn untyped_assignable(
        &self,
        fx: &Fx,
        e: &Expr,
        t: Ty,
        want: Ty,
        what: &str,
    ) -> DResult<()> {
        if t != Ty::UntypedInt || !want.is_int() || want == Ty::UntypedInt {
            return Ok(());
        }
        // the place as Go names it
        let place = match what {
            "initial value" => "variable declaration".to_string(),
            "return" => "return statement".to_string(),
            w => match w.strip_prefix("argument of ") {
                Some(f) => format!("argument to {f}"),
                None => w.to_string(),
            },
        };
        match self.constant_here(fx, e) {
            Ok((v, _)) if !want.fits(v) => err(e.span, untyped_overflow(v, want, &place)),
            _ => Ok(()),
        }
    }

    /// Check the operands of `a op b` (of types `ta`, `tb`, already
    /// lowered, not both constants) beyond the shared rules: two integer
    /// types must be the same (Go's wording), an untyped constant must fit
    /// the other side's type.
    pub(super) fn integer_operands(
        &self,
        fx: &Fx,
        e: &Expr,
        (op, a, b): (BinOp, &Expr, &Expr),
        ta: Ty,
        tb: Ty,
    ) -> DResult<()> {
        if ta.is_int() && tb.is_int() && operand_type(ta, tb).is_none() {
            let (x, y) = (self.src.snippet(a.span), self.src.snippet(b.span));
            return err(e.span, mismatched_integers(op, x.trim(), y.trim(), ta, tb));
        }
        if let Some(ot) = operand_type(ta, tb) {
            self.untyped_fits(&self.env(fx), a, ta, ot)?;
            self.untyped_fits(&self.env(fx), b, tb, ot)?;
        }
        Ok(())
    }

    /// The code of `op` on two operands of type `t`: as for `int`, then
    /// unsigned where the sign matters (`uint64`) and truncated to the
    /// width of a narrow type.
    pub(super) fn emit_bin(&self, fx: &mut Fx, op: BinOp, t: Ty, span: Span) {
        let unsigned = matches!(
            op,
            BinOp::Div | BinOp::Rem | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        );
        if unsigned && matches!(t, Ty::Uint | Ty::Uint64) {
            self.emit(fx, Instr::BinU(op), span);
        } else {
            self.emit(fx, Instr::Bin(op), span);
        }
        if t.is_narrow() && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div) {
            self.emit(fx, Instr::Wrap(t), span);
        }
    }

    /// `T(x)` for an integer type `T` (`to`), `x` not a constant (a
    /// constant conversion is folded): truncated as Go converts.
    pub(super) fn conversion(
        &mut self,
        fx: &mut Fx,
        to: Ty,
        args: &[Expr],
        e: &Expr,
    ) -> DResult<Ty> {
        let [a] = args else {
            return err(
                e.span,
                format!("a conversion to {} takes one value", to.name()),
            );
        };
        let t = self.expr(fx, a)?;
        if !t.is_int() {
            return Err(Diagnostic::new(
                e.span,
                format!(
                    "cannot convert {} (value of type {}) to type {}",
                    self.src.snippet(a.span).trim(),
                    t.name(),
                    to.name()
                ),
            ));
        }
        if to.is_narrow() && t != to {
            self.emit(fx, Instr::Wrap(to), e.span);
        }
        Ok(to)
    }
}
