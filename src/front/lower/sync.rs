//! Methods of the sync objects: `sync.Mutex`, `sync.RWMutex`,
//! `sync.WaitGroup`, `atomic.Int64` and `atomic.Bool` (`sync.Once`'s `Do`
//! is in `once.rs`).

use super::{Fx, Lowerer, Obj, err, sync_type_name};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::*;

impl Lowerer<'_> {
    /// `obj.m(args)` on a sync object or atomic; returns the result type
    /// (`None` when there is none).
    pub(super) fn method(
        &mut self,
        fx: &mut Fx,
        obj: Obj,
        m: &Ident,
        args: &[Expr],
        span: Span,
    ) -> DResult<Option<Ty>> {
        let nargs = |want: usize| -> DResult<()> {
            if args.len() != want {
                return err(
                    span,
                    format!(
                        "wrong number of arguments in call to {}: expected {want}, found {}",
                        m.name,
                        args.len()
                    ),
                );
            }
            Ok(())
        };
        let kind = match &obj {
            Obj::Sync(k, _) => *k,
            Obj::Chan(..) => {
                return err(
                    m.span,
                    format!(
                        "a channel has no method {}: channels are used with `<-`, close and range",
                        m.name
                    ),
                );
            }
        };
        let Obj::Sync(_, r) = obj else { unreachable!() };
        let name = m.name.as_str();
        let instr = match (kind, name) {
            (SyncKind::Mutex | SyncKind::RWMutex, "Lock") => Instr::Lock(r),
            (SyncKind::Mutex | SyncKind::RWMutex, "Unlock") => Instr::Unlock(r),
            (SyncKind::RWMutex, "RLock") => Instr::RLock(r),
            (SyncKind::RWMutex, "RUnlock") => Instr::RUnlock(r),
            (SyncKind::WaitGroup, "Add") => {
                nargs(1)?;
                self.expect_ty(fx, &args[0], Ty::Int, "Add")?;
                Instr::WgAdd(r)
            }
            (SyncKind::WaitGroup, "Done") => {
                self.emit(fx, Instr::Push(-1), span);
                Instr::WgAdd(r)
            }
            (SyncKind::WaitGroup, "Wait") => Instr::WgWait(r),
            (SyncKind::Cond, "Wait" | "Signal" | "Broadcast") => {
                nargs(0)?;
                let Ref::Fixed(cond) = r else {
                    unreachable!("a Cond is never in an array")
                };
                let mu = self.g.cond_mutex[&cond];
                if name == "Wait" {
                    // unlock and wait; then, once signalled, lock again
                    self.emit(fx, Instr::CondWait { cond, mu }, span);
                    self.emit(fx, Instr::CondLock { cond, mu }, span);
                } else {
                    let all = name == "Broadcast";
                    self.emit(fx, Instr::CondNotify { cond, all }, span);
                }
                return Ok(None);
            }
            (SyncKind::Once, "Do") => {
                nargs(1)?;
                self.once_do(fx, r, &args[0], span)?;
                return Ok(None);
            }
            (SyncKind::AtomicInt(_) | SyncKind::AtomicBool, op) => {
                let t = kind.value_ty().unwrap_or(Ty::Int);
                let (aop, ins, res): (AtomicOp, &[Ty], Option<Ty>) = match op {
                    "Load" => (AtomicOp::Load, &[], Some(t)),
                    "Store" => (AtomicOp::Store, &[t], None),
                    "Swap" => (AtomicOp::Swap, &[t], Some(t)),
                    "CompareAndSwap" => (AtomicOp::Cas, &[t, t], Some(Ty::Bool)),
                    "Add" if t != Ty::Bool => (AtomicOp::Add, &[t], Some(t)),
                    _ => {
                        return err(m.span, no_method(kind, op));
                    }
                };
                nargs(ins.len())?;
                for (a, t) in args.iter().zip(ins) {
                    self.expect_ty(fx, a, *t, name)?;
                }
                self.emit(fx, Instr::Atomic(aop, r), span);
                return Ok(res);
            }
            _ => {
                return err(m.span, no_method(kind, name));
            }
        };
        if !matches!(instr, Instr::WgAdd(_)) || name == "Done" {
            nargs(0)?;
        }
        self.emit(fx, instr, span);
        Ok(None)
    }
}

/// The error for method `name` of a sync object or atomic of `kind` that
/// grace does not have; Go's methods that it lacks are named as such.
fn no_method(kind: SyncKind, name: &str) -> String {
    match name {
        "TryLock" | "TryRLock" => format!(
            "{}.{name} is not supported: call {} and let grace explore who waits",
            sync_type_name(kind),
            name.trim_start_matches("Try")
        ),
        "Go" if kind == SyncKind::WaitGroup => "`wg.Go(f)` is not supported: write `wg.Add(1)` and `go func() { defer wg.Done(); … }()`".into(),
        _ => format!("{} has no method {name}", sync_type_name(kind)),
    }
}
