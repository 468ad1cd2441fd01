//! Conditions that a run can fail: `expect` conditions at top level, which
//! read only shared variables and constants and become [`CExpr`] trees
//! evaluated on states; `assert` and `panic` in bodies.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::GSym;
use crate::front::types::{
    Wording, binary_type, check_const_index, check_divisor, const_eval, operand_type, unary_type,
};
use crate::ir::*;

impl Lowerer<'_> {
    /// The file's `expect` declarations, in order.
    pub(super) fn expects(&self, file: &File) -> DResult<Vec<Expect>> {
        let mut expects = Vec::new();
        for item in &file.items {
            if let Item::Expect(e) = item {
                let (cond, ty) = self.cexpr(&e.cond)?;
                if ty != Ty::Bool {
                    return Err(Diagnostic::new(
                        e.cond.span,
                        format!("expect needs a bool condition, found {}", ty.name()),
                    ));
                }
                let (line, _) = self.src.line_col(e.span.start);
                expects.push(Expect {
                    kind: e.kind,
                    cond,
                    line: line as u32,
                    text: self.src.snippet(e.span).trim().to_string(),
                });
            }
        }
        Ok(expects)
    }

    /// Type an `expect` condition (or a part of one) and build it as a
    /// tree evaluated on states.
    fn cexpr(&self, e: &Expr) -> DResult<(CExpr, Ty)> {
        Ok(match &e.kind {
            ExprKind::Int(v) => (CExpr::Const(*v), Ty::UntypedInt),
            ExprKind::Bool(b) => (CExpr::Const(*b as i64), Ty::Bool),
            ExprKind::Name(n) => self.c_name(n, e.span)?,
            ExprKind::Index(a, i) => self.c_index(a, i)?,
            ExprKind::Unary(op @ (UnOp::Neg | UnOp::Not), a) => {
                let (c, t) = self.cexpr(a)?;
                let rt =
                    unary_type(*op, t, Wording::Terse).map_err(|m| Diagnostic::new(e.span, m))?;
                let c = Box::new(c);
                (
                    if *op == UnOp::Neg {
                        CExpr::Neg(rt, c)
                    } else {
                        CExpr::Not(c)
                    },
                    rt,
                )
            }
            ExprKind::Binary(op, a, b) => {
                let (ca, ta) = self.cexpr(a)?;
                let (cb, tb) = self.cexpr(b)?;
                let rt = binary_type(*op, ta, tb, Wording::Terse)
                    .map_err(|m| Diagnostic::new(e.span, m))?;
                // as in code
                check_divisor(self.g, *op, b)?;
                let ot = operand_type(ta, tb).unwrap_or(rt);
                for (side, t) in [(a, ta), (b, tb)] {
                    self.untyped_fits(self.g, side, t, ot)?;
                }
                (CExpr::Bin(*op, ot, Box::new(ca), Box::new(cb)), rt)
            }
            ExprKind::Call(f, args)
                if matches!(&f.kind, ExprKind::Selector(_, m) if m.name == "Load")
                    && args.is_empty() =>
            {
                let ExprKind::Selector(recv, _) = &f.kind else {
                    unreachable!()
                };
                return self.cexpr(recv);
            }
            _ => {
                return err(
                    e.span,
                    "expect conditions use shared variables, constants and operators only",
                );
            }
        })
    }

    /// A name in an `expect` condition: a constant or an int or bool
    /// shared variable (plain or atomic).
    fn c_name(&self, n: &str, span: Span) -> DResult<(CExpr, Ty)> {
        Ok(match self.g.syms.get(n) {
            Some((GSym::Const(v, t), _)) => (CExpr::Const(*v), *t),
            Some((
                GSym::Plain {
                    base,
                    len: None,
                    ty,
                },
                _,
            )) => (CExpr::Var(Place::Plain, Ref::Fixed(*base), None), *ty),
            Some((
                GSym::Sync {
                    base,
                    len: None,
                    kind:
                        k @ (SyncKind::AtomicInt(_) | SyncKind::AtomicVar(_) | SyncKind::AtomicBool),
                },
                _,
            )) => (
                CExpr::Var(Place::Atomic, Ref::Fixed(*base), None),
                k.value_ty().unwrap_or(Ty::Int),
            ),
            Some(_) => {
                return err(
                    span,
                    format!(
                        "`{n}` cannot be used in expect: expected an int or bool shared variable"
                    ),
                );
            }
            None => {
                return err(
                    span,
                    format!("undefined: {n} (expect sees only shared variables and constants)"),
                );
            }
        })
    }

    /// `a[i]` in an `expect` condition: an element of a shared array.
    fn c_index(&self, a: &Expr, i: &Expr) -> DResult<(CExpr, Ty)> {
        let ExprKind::Name(n) = &a.kind else {
            return err(a.span, "only named arrays can be indexed");
        };
        let (ie, it) = self.cexpr(i)?;
        if !it.is_int() {
            return err(i.span, "index must be an int");
        }
        // as in code (see `index_expr`)
        if let Some((GSym::Plain { len: Some(len), .. } | GSym::Sync { len: Some(len), .. }, _)) =
            self.g.syms.get(n)
        {
            check_const_index(self.g, i, *len)?;
        }
        Ok(match self.g.syms.get(n) {
            Some((
                GSym::Plain {
                    base,
                    len: Some(len),
                    ty,
                },
                _,
            )) => (
                CExpr::Var(
                    Place::Plain,
                    Ref::Indexed {
                        base: *base,
                        len: *len,
                    },
                    Some(Box::new(ie)),
                ),
                *ty,
            ),
            Some((
                GSym::Sync {
                    base,
                    len: Some(len),
                    kind:
                        k @ (SyncKind::AtomicInt(_) | SyncKind::AtomicVar(_) | SyncKind::AtomicBool),
                },
                _,
            )) => (
                CExpr::Var(
                    Place::Atomic,
                    Ref::Indexed {
                        base: *base,
                        len: *len,
                    },
                    Some(Box::new(ie)),
                ),
                k.value_ty().unwrap_or(Ty::Int),
            ),
            Some(_) => return err(a.span, format!("`{n}` is not an array of int or bool")),
            None => return err(a.span, format!("undefined: {n}")),
        })
    }

    /// `panic(msg)`: the message is a string literal or a constant.
    pub(super) fn panic(&mut self, fx: &mut Fx, args: &[Expr], span: Span) -> DResult<()> {
        let [a] = args else {
            return err(span, "panic takes one argument");
        };
        let msg = match &a.kind {
            ExprKind::Str(s) => s.clone(),
            _ => match const_eval(self.g, a) {
                Ok((v, t)) if t != Ty::Str && !Self::uses_local(fx, a) => t.show(v),
                _ => {
                    // a value known when the run gets here: a string, an
                    // int or a bool, printed as Go prints it
                    let t = self.expr(fx, a)?;
                    if t == Ty::Unit {
                        return err(
                            a.span,
                            "panic with a struct{} value is not supported: panic with a string",
                        );
                    }
                    if matches!(t, Ty::Map(_)) {
                        return err(
                            a.span,
                            "panic with a map is not supported: panic with a string",
                        );
                    }
                    if matches!(t, Ty::Chan(_) | Ty::Nil) {
                        return err(
                            a.span,
                            "panic with a channel is not supported: Go prints its address; panic with a string",
                        );
                    }
                    if matches!(t, Ty::Struct(_)) {
                        return err(
                            a.span,
                            "panic with a struct value is not supported: panic with a string, `panic(fmt.Sprintln(v))`",
                        );
                    }
                    if matches!(t, Ty::Ptr(_) | Ty::StructPtr(_)) {
                        return err(
                            a.span,
                            "panic with a pointer is not supported: Go prints its address; panic with a string",
                        );
                    }
                    if t == Ty::Error {
                        return err(
                            a.span,
                            "panic with an error is not supported: panic with its message, `panic(err.Error())`",
                        );
                    }
                    if t == Ty::Any {
                        // Go prints `panic: v [recovered, repanicked]` for
                        // a re-panic with the recovered value itself
                        return err(
                            a.span,
                            "panic with recover()'s value is not supported: panic with a new message, `panic(fmt.Sprint(\"again: \", r))`",
                        );
                    }
                    self.emit(fx, Instr::PanicValue(t), span);
                    return Ok(());
                }
            },
        };
        // Go prints a panic's text with each line after the first indented
        let id = self.string_id(&msg.replace('\n', "\n\t"));
        self.emit(fx, Instr::Panic { msg: id }, span);
        Ok(())
    }

    /// `assert(cond[, msg])`: fails the run when `cond` is false.
    pub(super) fn assert(&mut self, fx: &mut Fx, args: &[Expr], span: Span) -> DResult<()> {
        let (c, msg) = match args {
            [c] => (c, "assertion failed".to_string()),
            [c, m] => match &m.kind {
                ExprKind::Str(s) => (c, format!("assertion failed: {s}")),
                _ => {
                    return err(m.span, "the message of assert must be a string literal");
                }
            },
            _ => {
                return err(span, "assert takes a condition and an optional message");
            }
        };
        self.expect_ty(fx, c, Ty::Bool, "assert")?;
        let id = self.string_id(&msg);
        self.emit(fx, Instr::Assert { msg: id }, span);
        Ok(())
    }
}
