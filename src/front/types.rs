//! The typing rules of the language, stated once: which types each operator
//! takes and gives, when a value may stand where a type is expected, and
//! constant folding with Go's rules (exact arithmetic: a constant that does
//! not fit in 64 bits is an error, not a wrapped value). The three typers of
//! the front end — constants ([`const_eval`], used by
//! [`crate::front::globals`] and wherever a constant is needed), function
//! bodies and `expect` conditions (both in [`crate::front::lower`]) — walk
//! their own trees, because they produce different things (a value, code, a
//! condition), but take every rule and every message from here.
//!
//! This module sees names only through [`ConstEnv`], so it depends on
//! neither the top-level checking nor the lowering.

use crate::front::ast::{BinOp, Expr, ExprKind, Span, UnOp};
use crate::front::diag::{DResult, Diagnostic};
use crate::ir::{Dir, Ty, binop};

/// How much an operator error says. The typer of function bodies names the
/// type it found and the operator; the constant and `expect` typers say
/// less. Both wordings are pinned by the error snapshots (tests/errors), so
/// they are kept as two styles of one rule rather than unified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    /// "operator - expects an int", "mismatched types int and bool".
    Terse,
    /// "operator - expects an int, found bool",
    /// "mismatched types int and bool for +".
    Full,
}

/// The message when a constant does not fit in 64 bits.
const OVERFLOW: &str = "constant overflow: the value does not fit in an int (64 bits)";

/// The result type of a binary operator applied to operands of type `t`.
pub fn binop_type(op: BinOp, t: Ty) -> Result<Ty, String> {
    match op {
        BinOp::And | BinOp::Or if t == Ty::Bool => Ok(Ty::Bool),
        BinOp::Eq | BinOp::Ne if t == Ty::Any => {
            Err("grace compares recover()'s value only with nil (Go also compares it with other values: test `r != nil`, then print it)".into())
        }
        BinOp::Eq | BinOp::Ne if t == Ty::Error => {
            Err("grace compares an error only with nil (Go compares two errors by identity: errors.New makes a new one each time): test `err != nil`, or compare err.Error() texts".into())
        }
        BinOp::Add if t == Ty::Str => Ok(Ty::Str),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge if t == Ty::Str => Err(format!(
            "operator {} on strings is not supported: grace compares strings with == and != only",
            op.symbol()
        )),
        BinOp::Eq | BinOp::Ne => Ok(Ty::Bool),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge if t.is_int() => Ok(Ty::Bool),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem if t.is_int() => Ok(t),
        _ => Err(format!(
            "operator {} is not defined on {}",
            op.symbol(),
            t.name()
        )),
    }
}

/// The type both operands of a binary operator are taken at: their
/// common type, where an untyped integer constant takes the other
/// operand's integer type (Go's implicit conversion; whether its value
/// fits is checked by the caller, which knows the value).
pub fn operand_type(a: Ty, b: Ty) -> Option<Ty> {
    match (a, b) {
        _ if a == b => Some(a),
        (Ty::UntypedInt, t) | (t, Ty::UntypedInt) if t.is_int() => Some(t),
        // Go compares two values when either is assignable to the other's
        // type: a `chan T` with a `<-chan T` (the same channel either way)
        (Ty::Chan(_), Ty::Chan(_)) if assignable(a, b) => Some(a),
        (Ty::Chan(_), Ty::Chan(_)) if assignable(b, a) => Some(b),
        _ => None,
    }
}

/// The result type of a binary operator applied to operands of types `a`
/// and `b`: both sides must have the same type (an untyped constant
/// taking the other side's), and the operator must be defined on it.
pub fn binary_type(op: BinOp, a: Ty, b: Ty, w: Wording) -> Result<Ty, String> {
    let Some(t) = operand_type(a, b) else {
        if a == Ty::Any || b == Ty::Any {
            // Go compares an `any` with any value; grace's recover() value
            // is only ever compared with nil
            return binop_type(op, Ty::Any);
        }
        let (a, b) = (a.declared().name(), b.declared().name());
        return Err(match w {
            Wording::Terse => format!("mismatched types {a} and {b}"),
            Wording::Full => format!("mismatched types {a} and {b} for {}", op.symbol()),
        });
    };
    if let Ty::Map(_) = t {
        return Err(format!(
            "operator {} is not defined on maps: a map can only be compared to nil",
            op.symbol()
        ));
    }
    binop_type(op, t)
}

/// Go's message for two integer operands of different types, `x` and `y`
/// as written: `invalid operation: x + y (mismatched types int and int64)`.
pub fn mismatched_integers(op: BinOp, x: &str, y: &str, a: Ty, b: Ty) -> String {
    format!(
        "invalid operation: {x} {} {y} (mismatched types {} and {})",
        op.symbol(),
        a.name(),
        b.name()
    )
}

/// Go's message when the untyped constant `v` is used as a `t` that
/// cannot hold it, in `what` (an assignment, an argument, …).
pub fn untyped_overflow(v: i64, t: Ty, what: &str) -> String {
    format!(
        "cannot use {v} (untyped int constant) as {} value in {what} (overflows)",
        t.name()
    )
}

/// Go's message when a constant of (or converted to) type `t` does not
/// fit in it.
pub fn constant_overflow(v: i64, t: Ty) -> String {
    format!("constant {v} overflows {}", t.name())
}

/// The result type of `-` or `!` applied to an operand of type `t`. A
/// receive (`<-ch`) is typed where channels are resolved, never here.
pub fn unary_type(op: UnOp, t: Ty, w: Wording) -> Result<Ty, String> {
    let (ok, sym, name) = match op {
        UnOp::Neg => (t.is_int(), "-", "an int"),
        UnOp::Not => (t == Ty::Bool, "!", "a bool"),
        UnOp::Recv => unreachable!("a receive is typed by its channel"),
        // typed by the atomic function or `sync.NewCond` that takes it
        UnOp::Addr => return Err("pointers are not supported".into()),
    };
    if ok {
        return Ok(t);
    }
    Err(match w {
        Wording::Terse => format!("operator {sym} expects {name}"),
        Wording::Full => format!("operator {sym} expects {name}, found {}", t.name()),
    })
}

/// May a value of type `found` stand where `want` is expected? When the
/// types are the same, or an untyped integer constant stands for an
/// integer (whether its value fits is checked where the value is known):
/// there are no implicit conversions and no interfaces.
pub fn assignable(want: Ty, found: Ty) -> bool {
    match (want, found) {
        _ if want == found => true,
        (_, Ty::UntypedInt) => want.is_int(),
        (
            Ty::Chan(_) | Ty::Any | Ty::Error | Ty::Ptr(_) | Ty::StructPtr(_) | Ty::Map(_),
            Ty::Nil,
        ) => true,
        // a bidirectional channel may stand where one direction is wanted
        (Ty::Chan(w), Ty::Chan(f)) => f.dir() == Dir::Both && f.with_dir(w.dir()) == w,
        _ => false,
    }
}

/// The message when a value of type `found` stands where `what` expects a
/// value of type `want`.
pub fn expected(what: &str, want: Ty, found: Ty) -> String {
    format!("{what}: expected {}, found {}", want.name(), found.name())
}

/// Fold `-v` or `!v` (already typed by [`unary_type`]).
pub fn fold_unary(op: UnOp, v: i64) -> Result<i64, String> {
    match op {
        UnOp::Neg => v.checked_neg().ok_or_else(|| OVERFLOW.to_string()),
        UnOp::Not => Ok((v == 0) as i64),
        UnOp::Recv => unreachable!("a receive is not a constant"),
        UnOp::Addr => Err("pointers are not supported".into()),
    }
}

/// Fold `x op y` (already typed by [`binary_type`]) as Go's constant
/// arithmetic does: exactly, so a result outside 64 bits is an error where
/// the run-time operation ([`crate::ir::binop`]) would wrap.
pub fn fold_binary(op: BinOp, x: i64, y: i64) -> Result<i64, String> {
    let checked = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div if y != 0 => x.checked_div(y),
        // exact, as Go's constant arithmetic: only MIN % -1
        // overflows in i64, and its exact value 0 is what wraps
        BinOp::Rem if y != 0 => Some(x.wrapping_rem(y)),
        _ => Some(binop(op, x, y)?),
    };
    checked.ok_or_else(|| OVERFLOW.to_string())
}

/// What a name means to a constant expression.
pub enum ConstName {
    /// A declared constant.
    Value(i64, Ty),
    /// Declared, but not a constant (a variable, a function, …).
    NotConstant,
    /// Not declared.
    Undefined,
}

/// The names a constant expression can see: the top level.
pub trait ConstEnv {
    /// What `name` stands for.
    fn constant(&self, name: &str) -> ConstName;
    /// The length of the top-level array `name` (`len(a)` is a constant),
    /// or `None` if `name` is not one.
    fn array_len(&self, name: &str) -> Option<u32>;
}

/// Evaluate a constant expression (literals, constants, arithmetic on
/// them, `len` of a top-level array) to its value and type.
pub fn const_eval(env: &impl ConstEnv, e: &Expr) -> DResult<(i64, Ty)> {
    let at = |m: String| Diagnostic::new(e.span, m);
    Ok(match &e.kind {
        ExprKind::Int(v) => (*v, Ty::UntypedInt),
        ExprKind::MinIntMagnitude => return Err(min_int_literal(e.span)),
        ExprKind::Bool(b) => (*b as i64, Ty::Bool),
        ExprKind::Name(n) => match env.constant(n) {
            ConstName::Value(v, t) => (v, t),
            ConstName::NotConstant => {
                return Err(at(format!(
                    "`{n}` is not a constant: expected a constant expression"
                )));
            }
            ConstName::Undefined => return Err(at(format!("undefined: {n}"))),
        },
        ExprKind::Unary(op @ (UnOp::Neg | UnOp::Not), a) => {
            let (v, t) = const_eval(env, a)?;
            let rt = unary_type(*op, t, Wording::Terse).map_err(at)?;
            typed(fold_unary(*op, v).map_err(at)?, rt).map_err(at)?
        }
        ExprKind::Binary(op, a, b) => {
            let (x, tx) = const_eval(env, a)?;
            let (y, ty) = const_eval(env, b)?;
            let rt = binary_type(*op, tx, ty, Wording::Terse).map_err(at)?;
            if matches!(op, BinOp::Div | BinOp::Rem) && y == 0 {
                return Err(Diagnostic::new(
                    b.span,
                    "invalid operation: division by zero",
                ));
            }
            // the untyped operand takes the other's type: it must fit
            let ot = operand_type(tx, ty).unwrap_or(rt);
            for (v, t, side) in [(x, tx, a), (y, ty, b)] {
                if t == Ty::UntypedInt && !ot.fits(v) {
                    return Err(Diagnostic::new(
                        side.span,
                        format!("{v} (untyped int constant) overflows {}", ot.name()),
                    ));
                }
            }
            let v = fold_binary(*op, x, y).map_err(at)?;
            typed(v, if rt == Ty::Bool { Ty::Bool } else { ot }).map_err(at)?
        }
        ExprKind::Call(f, args)
            if matches!(&f.kind, ExprKind::Name(n) if Ty::integer_named(n).is_some()
                && matches!(env.constant(n), ConstName::Undefined)) =>
        {
            let ExprKind::Name(n) = &f.kind else {
                unreachable!()
            };
            let to = Ty::integer_named(n).unwrap_or(Ty::Int);
            let [a] = args.as_slice() else {
                return Err(at(format!("a conversion to {n} takes one value")));
            };
            let (v, t) = const_eval(env, a)?;
            if !t.is_int() {
                return Err(at(format!("cannot convert a {} to {n}", t.name())));
            }
            if !to.fits(v) {
                return Err(at(constant_overflow(v, to)));
            }
            (v, to)
        }
        ExprKind::Call(f, args) if matches!(&f.kind, ExprKind::Name(n) if n == "len") => {
            if let [a] = args.as_slice()
                && let ExprKind::Name(n) = &a.kind
                && let Some(l) = env.array_len(n)
            {
                return Ok((l as i64, Ty::Int));
            }
            return Err(Diagnostic::new(
                e.span,
                "expected a constant expression (len of a global array is one)",
            ));
        }
        _ => {
            return Err(Diagnostic::new(
                e.span,
                "expected a constant expression (literals, constants and arithmetic on them)",
            ));
        }
    })
}

/// A folded constant of type `t`: Go's typed constants must fit their type
/// (an untyped one only the 64 bits grace gives constants).
fn typed(v: i64, t: Ty) -> Result<(i64, Ty), String> {
    if t.is_int() && !t.fits(v) {
        return Err(constant_overflow(v, t));
    }
    Ok((v, t))
}

/// `-9223372036854775808` is the one literal whose magnitude does not fit:
/// the parser keeps it apart so that this message can be given.
pub fn min_int_literal(span: Span) -> Diagnostic {
    Diagnostic::new(
        span,
        "integer literal 9223372036854775808 overflows int (64 bits)",
    )
}

/// Go refuses a division by a constant zero at compile time; `b` is the
/// divisor of `op`.
pub fn check_divisor(env: &impl ConstEnv, op: BinOp, b: &Expr) -> DResult<()> {
    if matches!(op, BinOp::Div | BinOp::Rem)
        && let Ok((0, _)) = const_eval(env, b)
    {
        return Err(Diagnostic::new(
            b.span,
            "invalid operation: division by zero",
        ));
    }
    Ok(())
}

/// Go refuses a constant index outside an array at compile time.
pub fn check_const_index(env: &impl ConstEnv, i: &Expr, len: u32) -> DResult<()> {
    if let Ok((v, t)) = const_eval(env, i)
        && t.is_int()
        && (v < 0 || v >= len as i64)
    {
        return Err(Diagnostic::new(
            i.span,
            format!("index {v} out of bounds [0:{len}]"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_arithmetic_is_exact() {
        assert_eq!(fold_binary(BinOp::Rem, i64::MIN, -1), Ok(0));
        assert_eq!(fold_binary(BinOp::Div, -7, 2), Ok(-3));
        assert_eq!(fold_binary(BinOp::Div, i64::MIN, -1), Err(OVERFLOW.into()));
        assert_eq!(fold_binary(BinOp::Add, i64::MAX, 1), Err(OVERFLOW.into()));
        assert_eq!(fold_unary(UnOp::Neg, i64::MIN), Err(OVERFLOW.into()));
        assert_eq!(
            fold_binary(BinOp::Rem, 1, 0),
            Err("integer divide by zero".into())
        );
    }

    /// A minimal top level: the constants `big` (untyped 300) and `top`
    /// (uint8 255).
    struct Env;
    impl ConstEnv for Env {
        fn constant(&self, name: &str) -> ConstName {
            match name {
                "big" => ConstName::Value(300, Ty::UntypedInt),
                "top" => ConstName::Value(255, Ty::Uint8),
                _ => ConstName::Undefined,
            }
        }
        fn array_len(&self, _: &str) -> Option<u32> {
            None
        }
    }

    fn eval(src: &str) -> Result<(i64, Ty), String> {
        let text = format!("func main() {{ x := {src} }}");
        let file = crate::front::parse::parse(&text).expect("parses");
        let Some(crate::front::ast::Item::Func(f)) = file.items.first() else {
            unreachable!()
        };
        let crate::front::ast::StmtKind::ShortDecl(_, e) = &f.body.stmts[0].kind else {
            unreachable!()
        };
        const_eval(&Env, e).map_err(|d| d.message)
    }

    #[test]
    fn untyped_constants_take_their_context_type_and_must_fit_it() {
        assert_eq!(eval("big + 1"), Ok((301, Ty::UntypedInt)));
        assert_eq!(eval("top - 5"), Ok((250, Ty::Uint8)));
        assert_eq!(eval("top + 1"), Err("constant 256 overflows uint8".into()));
        assert_eq!(
            eval("top + big"),
            Err("300 (untyped int constant) overflows uint8".into())
        );
        assert_eq!(eval("int8(-128)"), Ok((-128, Ty::Int8)));
        assert_eq!(
            eval("uint8(big)"),
            Err("constant 300 overflows uint8".into())
        );
        assert_eq!(
            eval("uint64(0) - 1"),
            Err("constant -1 overflows uint64".into())
        );
        assert_eq!(eval("top == 255"), Ok((1, Ty::Bool)));
        assert_eq!(
            eval("int64(1) + int32(1)"),
            Err("mismatched types int64 and int32".into())
        );
        assert!(assignable(Ty::Uint8, Ty::UntypedInt) && !assignable(Ty::Int, Ty::Int64));
    }

    #[test]
    fn both_wordings_of_operator_errors() {
        let t = binary_type(BinOp::Add, Ty::Int, Ty::Bool, Wording::Terse);
        assert_eq!(t, Err("mismatched types int and bool".into()));
        let f = binary_type(BinOp::Add, Ty::Int, Ty::Bool, Wording::Full);
        assert_eq!(f, Err("mismatched types int and bool for +".into()));
        let u = unary_type(UnOp::Not, Ty::Int, Wording::Full);
        assert_eq!(u, Err("operator ! expects a bool, found int".into()));
        assert_eq!(
            binary_type(BinOp::Lt, Ty::Bool, Ty::Bool, Wording::Terse),
            Err("operator < is not defined on bool".into())
        );
    }
}
