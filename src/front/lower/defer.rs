//! `defer`: the call's function, receiver and arguments are evaluated at
//! the statement, as in Go, and the call is recorded (`Instr::Defer`) to be
//! made when the function returns or a panic unwinds it. A declared
//! function with no result, and a func literal, are recorded as they are;
//! anything else (`mu.Unlock()`, `wg.Done()`, `forks[i].Unlock()`,
//! `fmt.Println(x)`, `close(ch)`, a function with a result) through a small
//! function made here, whose parameters are the values evaluated at the
//! `defer` and whose steps are shown as `deferred mu.Unlock()`.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::{GSym, MAX_FUNCS, MAX_PARAMS, Sig};
use crate::ir::*;
use std::collections::HashSet;

impl Lowerer<'_> {
    /// `defer func(params) { body }(args)`.
    pub(super) fn defer_lit(
        &mut self,
        fx: &mut Fx,
        params: &[Param],
        body: &Block,
        args: &[Expr],
        at: Span,
        span: Span,
    ) -> DResult<()> {
        self.up = Some(Self::capturable(fx));
        let id = self.lit_with_args(fx, params, body, args, at, span)?;
        let argc = self.sigs[id as usize].params.len() as u8;
        self.emit(fx, Instr::Defer { func: id, argc }, span);
        Ok(())
    }

    /// `defer call`: see the module comment.
    pub(super) fn defer_call(&mut self, fx: &mut Fx, e: &Expr, span: Span) -> DResult<()> {
        let ExprKind::Call(f, args) = &e.kind else {
            return err(
                e.span,
                "expression in defer must be function call: write `defer f(args)`, `defer mu.Unlock()` or `defer func() { … }()`",
            );
        };
        if let ExprKind::Name(n) = &f.kind
            && let Some(b) = self.func_var(fx, n)
        {
            if !self.sigs[b.func as usize].results.is_empty() {
                return err(
                    f.span,
                    format!(
                        "deferring the func variable `{n}`, which has results, is not supported: its results would be discarded; write `defer func() {{ {n}(…) }}()`"
                    ),
                );
            }
            let defer = |func, argc| Instr::Defer { func, argc };
            self.call_func_var(fx, (n, &b), args, (e.span, span), defer)?;
            return Ok(());
        }
        let base = match &f.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Selector(r, _) => match &r.kind {
                ExprKind::Name(n) => Some(n),
                ExprKind::Index(a, _) => match &a.kind {
                    ExprKind::Name(n) => Some(n),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        // a sync object of main's, or a pointer to one, has methods
        let has_methods = |l: super::Local| l.object.is_some() || matches!(l.ty, Ty::Ptr(_));
        if let Some(n) = base
            && (Self::lookup_local(fx, n).is_some_and(|l| !has_methods(l))
                || (Self::lookup_local(fx, n).is_none() && fx.outer.contains(n)))
        {
            // a local is neither a function nor a sync object: the call's
            // own checks say so
            self.call(fx, e)?;
            return err(f.span, "expected a function or a method of a sync object");
        }
        if let ExprKind::Name(n) = &f.kind {
            if n == "recover" && Self::lookup_local(fx, n).is_none() {
                return err(
                    f.span,
                    "`defer recover()` stops no panic in Go (recover must be called by the deferred function, not be it): write `defer func() { recover() }()`",
                );
            }
            if let Some((GSym::Func(id), _)) = self.g.syms.get(n)
                && self.sigs[*id as usize].results.is_empty()
            {
                let id = *id;
                self.call_args(fx, id, n, args, e.span)?;
                let argc = self.sigs[id as usize].params.len() as u8;
                self.emit(fx, Instr::Defer { func: id, argc }, span);
                return Ok(());
            }
            if let Some((GSym::Func(id), _)) = self.g.syms.get(n) {
                // called through a wrapper: its recover() would be nil
                self.wrapped_with_results.push((*id, f.span));
            }
        }
        self.defer_wrapper(fx, e, f, args, span)
    }

    /// `defer` of anything else: evaluate the receiver's index and the
    /// arguments now, and defer a function made to take them.
    fn defer_wrapper(
        &mut self,
        fx: &mut Fx,
        e: &Expr,
        f: &Expr,
        args: &[Expr],
        span: Span,
    ) -> DResult<()> {
        let mut holes = Vec::new();
        let callee = match &f.kind {
            ExprKind::Selector(r, m) => {
                let r = match &r.kind {
                    ExprKind::Index(a, i) => Expr {
                        kind: ExprKind::Index(a.clone(), Box::new(self.hole(fx, i, &mut holes)?)),
                        span: r.span,
                    },
                    // a pointer is evaluated now, as Go evaluates the receiver
                    ExprKind::Name(n)
                        if Self::lookup_local(fx, n)
                            .is_some_and(|l| matches!(l.ty, Ty::Ptr(_))) =>
                    {
                        self.hole(fx, r, &mut holes)?
                    }
                    _ => (**r).clone(),
                };
                Expr {
                    kind: ExprKind::Selector(Box::new(r), m.clone()),
                    span: f.span,
                }
            }
            _ => f.clone(),
        };
        let mut new_args = Vec::new();
        for a in args {
            new_args.push(self.object_or_hole(fx, a, &mut holes)?);
        }
        let call = Expr {
            kind: ExprKind::Call(Box::new(callee), new_args),
            span: e.span,
        };
        let id = self.sigs.len();
        if id >= MAX_FUNCS {
            return err(span, format!("too many functions: at most {MAX_FUNCS}"));
        }
        if holes.len() > MAX_PARAMS {
            return err(span, format!("too many arguments: at most {MAX_PARAMS}"));
        }
        let mut wfx = Fx::new(None, HashSet::new());
        wfx.shared = Self::visible_shared(fx);
        // a constant argument stays as written (`defer hits.Add(N)`): the
        // wrapper sees the body's constants
        wfx.outer_consts = Self::seen_from_inside(fx).1;
        for (k, (ty, at)) in holes.iter().enumerate() {
            let name = Ident {
                name: hole_name(k),
                span: *at,
            };
            self.declare(&mut wfx, &name, *ty, None)?;
        }
        self.sigs.push(Sig {
            params: holes.iter().map(|h| h.0).collect(),
            results: Vec::new(),
        });
        self.funcs.push(None);
        for _ in self.call_results(&mut wfx, &call)? {
            self.emit(&mut wfx, Instr::Pop, e.span);
        }
        self.emit(&mut wfx, Instr::Return { value: false }, e.span);
        self.funcs[id] = Some(Function {
            name: format!("deferred {}", self.src.snippet(e.span)),
            nparams: holes.len() as u16,
            nlocals: wfx.nlocals as u16,
            param_tys: holes.iter().map(|h| h.0).collect(),
            local_tys: wfx.local_tys,
            results: Vec::new(),
            up_tys: Vec::new(),
            code: wfx.code,
            locs: wfx.locs,
            deferred: true,
        });
        let argc = holes.len() as u8;
        self.emit(
            fx,
            Instr::Defer {
                func: id as u16,
                argc,
            },
            span,
        );
        Ok(())
    }

    /// An argument of a deferred call: a channel, sync object or function
    /// stays itself (with its index evaluated now), anything else is a value.
    fn object_or_hole(
        &mut self,
        fx: &mut Fx,
        a: &Expr,
        holes: &mut Vec<(Ty, Span)>,
    ) -> DResult<Expr> {
        let object = |n: &String| {
            let local = Self::lookup_local(fx, n);
            // a sync object declared in main stays itself, as a top-level one
            if local.is_some_and(|l| l.object.is_some()) {
                return true;
            }
            local.is_none()
                && matches!(
                    self.g.syms.get(n),
                    // a function stays a name too: `defer once.Do(f)`
                    Some((
                        GSym::Sync { .. } | GSym::Chan { .. } | GSym::NilChan(_) | GSym::Func(_),
                        _
                    ))
                )
        };
        match &a.kind {
            ExprKind::Name(n) if object(n) => Ok(a.clone()),
            ExprKind::Index(b, i) if matches!(&b.kind, ExprKind::Name(n) if object(n)) => {
                let i = self.hole(fx, i, holes)?;
                Ok(Expr {
                    kind: ExprKind::Index(b.clone(), Box::new(i)),
                    span: a.span,
                })
            }
            _ => self.hole(fx, a, holes),
        }
    }

    /// Evaluate `a` now (a literal or a constant stays as it is, so that
    /// a deferred `fmt.Printf(format, …)` keeps a constant format): the
    /// name of the parameter that will hold its value.
    fn hole(&mut self, fx: &mut Fx, a: &Expr, holes: &mut Vec<(Ty, Span)>) -> DResult<Expr> {
        // a constant too: it stays untyped (`defer hits.Add(N)`)
        if matches!(
            a.kind,
            ExprKind::Str(_) | ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Unit
        ) || self.is_const(fx, a)
        {
            return Ok(a.clone());
        }
        if let ExprKind::Name(n) = &a.kind
            && Self::lookup_local(fx, n).is_none()
            && !fx.outer.contains(n)
            && matches!(self.g.syms.get(n), Some((GSym::Const(..), _)))
        {
            return Ok(a.clone());
        }
        let ty = self.expr(fx, a)?;
        holes.push((ty, a.span));
        Ok(Expr {
            kind: ExprKind::Name(hole_name(holes.len() - 1)),
            span: a.span,
        })
    }
}

/// The name of a deferred call's `k`-th evaluated value: not a name a
/// program can write.
fn hole_name(k: usize) -> String {
    format!("\u{1}{k}")
}
