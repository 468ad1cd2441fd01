//! `once.Do(f)` of a `sync.Once`, with `f` a declared function without
//! parameters or result, or a func literal `once.Do(func() { … })`.
//!
//! The call becomes a call of a small function made here, named after `f`:
//!
//! ```text
//!     OnceDo(once)           a step: claim (push true), done (push false) or block
//!     JumpIf(false, end)
//!     Defer(once's OnceDone) f's end marks the Once done, even by a panic
//!     Call f
//! end:
//!     Return
//! ```
//!
//! so Go's rule "if f panics, Do considers it to have returned" holds: the
//! `OnceDone` step is a deferred call, made when `f` returns or while a
//! panic unwinds. For `onces[i].Do(f)` the index, evaluated at the call,
//! is the parameter of both functions.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::{GSym, MAX_FUNCS, Sig};
use crate::ir::*;

impl Lowerer<'_> {
    /// `Do(arg)` on the Once `r` (its index, if any, already pushed).
    pub(super) fn once_do(&mut self, fx: &mut Fx, r: Ref, arg: &Expr, span: Span) -> DResult<()> {
        let usage = "Do takes a function without parameters or result: write `once.Do(f)` or `once.Do(func() { … })`";
        let ExprKind::Name(n) = &arg.kind else {
            return err(arg.span, usage);
        };
        if self.func_var(fx, n).is_some() {
            return err(
                arg.span,
                format!(
                    "once.Do({n}) with a func variable is not supported: write the func literal in the call, `once.Do(func() {{ … }})`, or pass a declared function"
                ),
            );
        }
        let f = match self.g.syms.get(n) {
            Some((GSym::Func(id), _)) if Self::lookup_local(fx, n).is_none() => *id,
            _ if n == "init" => {
                return err(
                    arg.span,
                    "undefined: init (Go's init functions cannot be referred to)",
                );
            }
            _ => return err(arg.span, format!("`{n}` is not a function: {usage}")),
        };
        let sig = &self.sigs[f as usize];
        if !sig.params.is_empty() || !sig.results.is_empty() {
            return err(
                arg.span,
                format!(
                    "cannot use {n} as func() value in argument to Do: {n} has parameters or a result; call it from a function without them: `once.Do(func() {{ {n}(…) }})`"
                ),
            );
        }
        self.once_wrapper(fx, r, f, n.clone(), span)
    }

    /// `recv.Do(func(params) [result] { body })`.
    pub(super) fn once_do_lit(
        &mut self,
        fx: &mut Fx,
        recv: &LValue,
        (params, body, at, result): (&[Param], &Block, Span, Option<Span>),
        span: Span,
    ) -> DResult<()> {
        if let Some(f) = &recv.field {
            let n = &recv.name.name;
            return err(
                recv.name.span,
                format!("`{n}` is not a struct: {n}.{} has no method Do", f.name),
            );
        }
        let target = Expr {
            kind: match &recv.index {
                None => ExprKind::Name(recv.name.name.clone()),
                Some(i) => ExprKind::Index(
                    Box::new(Expr {
                        kind: ExprKind::Name(recv.name.name.clone()),
                        span: recv.name.span,
                    }),
                    Box::new(i.clone()),
                ),
            },
            span: recv.span,
        };
        let r = match self.obj(fx, &target)? {
            super::Obj::Sync(SyncKind::Once, r) => r,
            super::Obj::Sync(k, _) => {
                return err(
                    recv.span,
                    format!("{} has no method Do", super::sync_type_name(k)),
                );
            }
            super::Obj::Chan(..) => return err(recv.span, "a channel has no method Do"),
        };
        if let Some(s) = params.first().map(|p| p.name.span).or(result) {
            return err(
                s,
                "Do takes a function without parameters or result: write `once.Do(func() { … })`",
            );
        }
        let f = self
            .lit_function(fx, params, (&[], &[]), body, at, span)
            .map_err(|mut d| {
                // Do's function has no parameters through which to pass it
                if d.message.starts_with("func literal captures the local") {
                    d.message = d.message.replace(
                        "pass it as an argument instead",
                        "a function run by once.Do takes no arguments; use a top-level variable",
                    );
                }
                d
            })?;
        let name = self.funcs[f as usize]
            .as_ref()
            .expect("lowered")
            .name
            .clone();
        self.once_wrapper(fx, r, f, name, span)
    }

    /// Make the function that runs `f` under the Once `r` (see the module
    /// comment) and call it.
    fn once_wrapper(
        &mut self,
        fx: &mut Fx,
        r: Ref,
        f: FuncId,
        name: String,
        span: Span,
    ) -> DResult<()> {
        let id = self.sigs.len();
        if id + 1 >= MAX_FUNCS {
            return err(span, format!("too many functions: at most {MAX_FUNCS}"));
        }
        let (done, wrap) = (id as FuncId, id as FuncId + 1);
        let indexed = matches!(r, Ref::Indexed { .. });
        let params: Vec<Ty> = if indexed { vec![Ty::Int] } else { vec![] };
        let argc = params.len() as u8;
        let mut wfx = Fx::new(None, Default::default());
        let at = |i: Instr, w: &mut Fx| {
            if indexed
                && matches!(
                    i,
                    Instr::OnceDo(_) | Instr::OnceDone(_) | Instr::Defer { .. }
                )
            {
                self.emit(w, Instr::Load(0), span);
            }
            self.emit(w, i, span)
        };
        let mut dfx = Fx::new(None, Default::default());
        at(Instr::OnceDone(r), &mut dfx);
        at(Instr::Return { value: false }, &mut dfx);
        at(Instr::OnceDo(r), &mut wfx);
        let skip = at(Instr::JumpIf(false, 0), &mut wfx);
        at(Instr::Defer { func: done, argc }, &mut wfx);
        at(Instr::Call { func: f, argc: 0 }, &mut wfx);
        let end = Self::here(&wfx);
        at(Instr::Return { value: false }, &mut wfx);
        Self::patch(&mut wfx, skip, end);
        for (code, locs) in [(dfx.code, dfx.locs), (wfx.code, wfx.locs)] {
            self.sigs.push(Sig {
                params: params.clone(),
                results: Vec::new(),
            });
            self.funcs.push(Some(Function {
                name: name.clone(),
                nparams: argc as u16,
                nlocals: argc as u16,
                param_tys: params.clone(),
                local_tys: params.clone(),
                results: Vec::new(),
                up_tys: Vec::new(),
                code,
                locs,
                deferred: false,
            }));
        }
        self.emit(fx, Instr::Call { func: wrap, argc }, span);
        Ok(())
    }
}
