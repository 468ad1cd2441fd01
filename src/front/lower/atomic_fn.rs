//! The function forms of sync/atomic: `atomic.AddInt64(&n, 1)`,
//! `LoadInt32`, `StoreUint64`, `SwapUint32`, `CompareAndSwapInt64`, … on
//! `&x` or `&x[i]` of a top-level variable of the matching type. Such a
//! variable is laid out as an atomic ([`crate::front::atomics`]), so these
//! are the same steps as the methods of `atomic.Int64` and friends; a plain
//! access to it is refused ([`Lowerer::plain_use_of_atomic`]).

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::*;

/// Split `AddInt64` into its operation and value type.
fn split(func: &str) -> Option<(AtomicOp, Ty)> {
    let (op, rest) = [
        ("CompareAndSwap", AtomicOp::Cas),
        ("Add", AtomicOp::Add),
        ("Load", AtomicOp::Load),
        ("Store", AtomicOp::Store),
        ("Swap", AtomicOp::Swap),
    ]
    .iter()
    .find_map(|(p, op)| func.strip_prefix(p).map(|rest| (*op, rest)))?;
    let t = match rest {
        "Int32" => Ty::Int32,
        "Int64" => Ty::Int64,
        "Uint32" => Ty::Uint32,
        "Uint64" => Ty::Uint64,
        _ => return None,
    };
    Some((op, t))
}

impl Lowerer<'_> {
    /// `atomic.F(&x, args)`; returns the result type (`None` for Store).
    pub(super) fn atomic_function(
        &mut self,
        fx: &mut Fx,
        m: &Ident,
        args: &[Expr],
        span: Span,
    ) -> DResult<Option<Ty>> {
        let Some((op, t)) = split(&m.name) else {
            return err(
                m.span,
                format!(
                    "atomic.{} is not supported: grace knows Add, Load, Store, Swap and CompareAndSwap for Int32, Int64, Uint32 and Uint64, and the types atomic.Int64, atomic.Int32, atomic.Uint64, atomic.Uint32 and atomic.Bool",
                    m.name
                ),
            );
        };
        let (ins, res): (&[&str], Option<Ty>) = match op {
            AtomicOp::Load => (&[], Some(t)),
            AtomicOp::Store => (&["val"], None),
            AtomicOp::Add => (&["delta"], Some(t)),
            AtomicOp::Swap => (&["new"], Some(t)),
            AtomicOp::Cas => (&["old", "new"], Some(Ty::Bool)),
        };
        if args.len() != ins.len() + 1 {
            return err(
                span,
                format!(
                    "wrong number of arguments in call to atomic.{}: expected {}, found {}",
                    m.name,
                    ins.len() + 1,
                    args.len()
                ),
            );
        }
        let ExprKind::Unary(UnOp::Addr, target) = &args[0].kind else {
            return err(
                args[0].span,
                format!(
                    "atomic.{} needs the address of a variable: write &x",
                    m.name
                ),
            );
        };
        let found = self.atomic_target_type(fx, target);
        if found != Some(t) {
            let what = match found {
                Some(ft) => format!(
                    "cannot use {} (value of type *{}) as *{} value in argument to atomic.{}",
                    self.src.snippet(args[0].span).trim(),
                    ft.name(),
                    t.name(),
                    m.name
                ),
                None => format!("atomic.{} needs a variable's address", m.name),
            };
            return err(
                args[0].span,
                format!(
                    "{what} (grace: &x or &x[i] of a top-level variable of type {t}, or &x of one declared in main, an init, a function called once or a func literal that `go` or `defer` starts there, outside loops)",
                    t = t.name()
                ),
            );
        }
        let super::Obj::Sync(_, r) = self.obj(fx, target)? else {
            unreachable!("an atomic variable is a sync object")
        };
        for a in &args[1..] {
            self.expect_ty(fx, a, t, &format!("argument of atomic.{}", m.name))?;
        }
        self.emit(fx, Instr::Atomic(op, r), span);
        Ok(res)
    }

    /// The type of `x` in `&x` (or `&x[i]`) if it is a variable laid out
    /// for the function forms of sync/atomic: a top-level one, or a local
    /// declared where its body runs once (`capture.rs`).
    fn atomic_target_type(&self, fx: &Fx, target: &Expr) -> Option<Ty> {
        let name = match &target.kind {
            ExprKind::Name(n) => n,
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => n,
                _ => return None,
            },
            _ => return None,
        };
        if let Some(l) = Self::lookup_local(fx, name) {
            return match (l.object, &target.kind) {
                (Some((SyncKind::AtomicVar(t), _)), ExprKind::Name(_)) => Some(t),
                // a local of another type, for Go's message (one of the
                // four types would be an atomic, or is not a variable's)
                (None, ExprKind::Name(_))
                    if l.len.is_none()
                        && !matches!(l.ty, Ty::Int32 | Ty::Int64 | Ty::Uint32 | Ty::Uint64) =>
                {
                    Some(l.ty)
                }
                _ => None,
            };
        }
        if fx.outer.contains(name) {
            return None;
        }
        if !self.g.atomic_vars.contains_key(name) {
            return match self.g.syms.get(name) {
                Some((crate::front::globals::GSym::Plain { ty, .. }, _)) => Some(*ty),
                _ => None,
            };
        }
        match self.g.syms.get(name) {
            Some((crate::front::globals::GSym::Sync { kind, .. }, _)) => kind.value_ty(),
            _ => None,
        }
    }

    /// A plain read or write of the local `n`, an object of the sync
    /// table of `kind`: refused, as for a top-level variable used through
    /// the functions of sync/atomic ([`Self::plain_use_of_atomic`]);
    /// `Ok` for the other kinds, which have their own message.
    pub(super) fn plain_use_of_local_atomic(
        &self,
        fx: &Fx,
        n: &str,
        kind: SyncKind,
        span: Span,
    ) -> DResult<()> {
        let SyncKind::AtomicVar(t) = kind else {
            return Ok(());
        };
        let (line, _) = fx
            .atomic_targets
            .get(n)
            .map_or((0, 0), |at| self.src.line_col(at.start));
        let s = t.atomic_suffix();
        err(
            span,
            format!(
                "`{n}` is used with sync/atomic functions (line {line}), so grace requires every access to it to be atomic: read it with atomic.Load{s}(&{n}) and write it with atomic.Store{s}(&{n}, v)"
            ),
        )
    }

    /// A plain read, write or method call of `n`, a variable used through
    /// the function forms of sync/atomic: refused, since Go's race
    /// detector reports a plain access concurrent with an atomic one and
    /// grace keeps such a variable atomic throughout.
    pub(super) fn plain_use_of_atomic(&self, n: &str, span: Span) -> DResult<()> {
        let Some(at) = self.g.atomic_vars.get(n) else {
            return Ok(());
        };
        let t = match self.g.syms.get(n) {
            Some((crate::front::globals::GSym::Sync { kind, .. }, _)) => {
                kind.value_ty().unwrap_or(Ty::Int64)
            }
            _ => Ty::Int64,
        };
        let (line, _) = self.src.line_col(at.start);
        let s = t.atomic_suffix();
        err(
            span,
            format!(
                "`{n}` is used with sync/atomic functions (line {line}), so grace requires every access to it to be atomic: read it with atomic.Load{s}(&{n}) and write it with atomic.Store{s}(&{n}, v)"
            ),
        )
    }
}
