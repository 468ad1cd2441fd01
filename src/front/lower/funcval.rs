//! Func variables: a func literal bound to a variable that is never
//! reassigned (`add := func(n int) { … }`, `var f func(int) = func…`), or
//! a declared function kept in one (`f := worker`), called later by name:
//! `f(args)`, `go f(args)`, `defer f(args)`, `v := f(3)`.
//!
//! Such a variable always stands for one function, so it is no value at
//! run time: the literal is lowered once, as a function of its own (as a
//! `go func…` literal is), and every call of the variable is resolved here
//! to a call of that function. What the literal captures follows
//! `capture.rs`: a variable nobody assigns after its declaration is passed
//! by value as a hidden parameter — read at each call from the slot the
//! variable had where the literal was written, which holds its one value
//! whenever the func variable is in scope — and a variable it shares with
//! goroutines is the shared slot it is. The variables a bound literal's
//! body uses count as used by a goroutine (`capture::go_literal_names`),
//! since `go f()` may run it, so an assigned one is shared (or refused).
//!
//! A func literal that calls a func variable of the function around it
//! (`go func() { add(1) }()`, another bound literal) receives that
//! variable's captured values as hidden parameters too, and sees the
//! variable bound to them.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::{GSym, MAX_PARAMS, param_type};
use crate::ir::*;

/// The function a func variable stands for.
#[derive(Clone, Debug)]
pub(super) struct Bound {
    pub func: FuncId,
    /// How many parameters a call writes (the declared ones).
    pub nparams: usize,
    /// The slots of the captured values, loaded after the arguments.
    pub caps: Vec<(u16, Ty)>,
}

impl Lowerer<'_> {
    /// `f := func(params) results { body }` or `var f [T] = func…`.
    pub(super) fn func_bind(&mut self, fx: &mut Fx, b: &FuncBind, span: Span) -> DResult<()> {
        self.new_func_var(fx, &b.name)?;
        let mut rtys = Vec::new();
        for r in &b.results {
            rtys.push(param_type(&r.ty, r.ty_span)?);
        }
        if let Some(ft) = &b.declared {
            self.same_func_type(b, ft, &rtys)?;
        }
        // its parameters and named results are its own variables wherever
        // its body names them: never captured
        let named = b.results.iter().filter_map(|r| {
            r.name.as_ref().map(|n| Param {
                name: n.clone(),
                ty: r.ty.clone(),
                ty_span: r.ty_span,
            })
        });
        let own: Vec<Param> = b.params.iter().cloned().chain(named).collect();
        let caps = self.captures(fx, &own, &b.body)?;
        self.hidden = caps
            .iter()
            .map(|(n, l)| (n.clone(), l.ty, l.len, fx.slices.contains(&l.slot)))
            .collect();
        self.hidden_funcs = self.called_funcs(fx, &own, &b.body);
        let called = self.hidden_funcs.clone();
        let id = self
            .lit_function(fx, &b.params, (&b.results, &rtys), &b.body, b.at, span)
            .map_err(|mut d| {
                if d.message == format!("undefined: {}", b.name.name) {
                    d.message.push_str(
                        " (a func literal cannot call the variable it is bound to: its scope starts after the declaration, as in Go; for recursion declare a function)",
                    );
                }
                d
            })?;
        // a captured array is one value per element
        let mut all: Vec<(u16, Ty)> = caps
            .iter()
            .flat_map(|(_, l)| (0..l.len.unwrap_or(1)).map(move |i| (l.slot + i, l.ty)))
            .collect();
        for (n, ..) in &called {
            let l = Self::lookup_local(fx, n).expect("a called func variable is visible");
            let bound = &self.bound[l.func.expect("a func variable") as usize];
            all.extend(bound.caps.iter().copied());
        }
        self.sigs[id as usize]
            .params
            .extend(all.iter().map(|(_, t)| *t));
        if self.sigs[id as usize].params.len() > MAX_PARAMS {
            return err(span, format!("too many parameters: at most {MAX_PARAMS}"));
        }
        let bound = Bound {
            func: id,
            nparams: b.params.len(),
            caps: all,
        };
        self.bind_func_var(fx, &b.name.name, bound);
        Ok(())
    }

    /// `f := g` or `var f = g`, where `g` is a declared function or a func
    /// variable: `f` stands for the same function. False when `e` is no
    /// such name (the declaration is an ordinary one).
    pub(super) fn func_alias(&mut self, fx: &mut Fx, name: &Ident, e: &Expr) -> DResult<bool> {
        let ExprKind::Name(g) = &e.kind else {
            return Ok(false);
        };
        let Some(bound) = self.callee(fx, g) else {
            return Ok(false);
        };
        self.new_func_var(fx, name)?;
        self.bind_func_var(fx, &name.name, bound);
        Ok(true)
    }

    /// Refuse a name a func variable cannot take here.
    fn new_func_var(&self, fx: &Fx, name: &Ident) -> DResult<()> {
        if fx.scopes.last().expect("a scope").contains_key(&name.name) {
            return err(
                name.span,
                format!("`{}` redeclared in this block", name.name),
            );
        }
        Ok(())
    }

    fn bind_func_var(&mut self, fx: &mut Fx, name: &str, bound: Bound) {
        if name == "_" {
            return;
        }
        let at = self.bound.len() as u32;
        self.bound.push(bound);
        fx.scopes.last_mut().expect("a scope").insert(
            name.to_string(),
            Local {
                func: Some(at),
                ..Local::slotless(Ty::Unit)
            },
        );
    }

    /// `var f func(int) bool = func(n int) bool {…}`: the declared type
    /// must be the literal's.
    fn same_func_type(&self, b: &FuncBind, ft: &FuncType, rtys: &[Ty]) -> DResult<()> {
        let tspan = ft.span;
        let want = |ts: &[(TypeExpr, Span)]| {
            ts.iter()
                .map(|(t, s)| param_type(t, *s))
                .collect::<DResult<Vec<Ty>>>()
        };
        let mut got = Vec::new();
        for p in &b.params {
            got.push(param_type(&p.ty, p.ty_span)?);
        }
        if want(&ft.params)? != got || want(&ft.results)? != rtys {
            return err(
                tspan,
                format!(
                    "cannot use the func literal (of type {}) as {} value in variable declaration",
                    self.src
                        .snippet(Span::new(b.at.start, b.body.span.start))
                        .trim_end(),
                    self.src.snippet(tspan).trim_end()
                ),
            );
        }
        Ok(())
    }

    /// The function `name` calls here, if it names a func variable or a
    /// declared function (not hidden by another local).
    pub(super) fn callee(&self, fx: &Fx, name: &str) -> Option<Bound> {
        match Self::lookup_local(fx, name) {
            Some(l) => l.func.map(|i| self.bound[i as usize].clone()),
            // Go's init functions cannot be referred to
            None if fx.outer.contains(name) || fx.up.contains_key(name) || name == "init" => None,
            None => match self.g.syms.get(name) {
                Some((GSym::Func(id), _)) => Some(Bound {
                    func: *id,
                    nparams: self.sigs[*id as usize].params.len(),
                    caps: Vec::new(),
                }),
                _ => None,
            },
        }
    }

    /// The func variable `name` names here, if it is one.
    pub(super) fn func_var(&self, fx: &Fx, name: &str) -> Option<Bound> {
        let l = Self::lookup_local(fx, name)?;
        l.func.map(|i| self.bound[i as usize].clone())
    }

    /// A call of the func variable `name` (the call expression at
    /// `call`): its arguments and captured values pushed, then
    /// `make(func, argc)` (a call, `go` or `defer`) at `at`. Returns the
    /// function's results.
    pub(super) fn call_func_var(
        &mut self,
        fx: &mut Fx,
        (name, bound): (&str, &Bound),
        args: &[Expr],
        (call, at): (Span, Span),
        make: impl FnOnce(FuncId, u8) -> Instr,
    ) -> DResult<Vec<Ty>> {
        let params = self.sigs[bound.func as usize].params[..bound.nparams].to_vec();
        self.args_for(fx, &params, name, args, call)?;
        for &(slot, _) in &bound.caps {
            self.emit(fx, Instr::Load(slot), call);
        }
        let argc = (bound.nparams + bound.caps.len()) as u8;
        self.emit(fx, make(bound.func, argc), at);
        Ok(self.sigs[bound.func as usize].results.clone())
    }

    /// The func variables visible here that a func literal with this body
    /// may call (by name: a name the body declares again is passed too),
    /// each with its function and the types of its captured values.
    pub(super) fn called_funcs(
        &self,
        fx: &Fx,
        params: &[Param],
        body: &Block,
    ) -> Vec<(String, FuncId, u16, Vec<Ty>)> {
        let used: std::collections::BTreeSet<String> = super::capture::Names::of_block(body)
            .used
            .into_iter()
            .collect();
        used.into_iter()
            .filter(|n| !params.iter().any(|p| &p.name.name == n))
            .filter_map(|n| {
                let b = self.func_var(fx, &n)?;
                let tys = b.caps.iter().map(|(_, t)| *t).collect();
                Some((n, b.func, b.nparams as u16, tys))
            })
            .collect()
    }

    /// For a func literal being lowered as a function: its hidden
    /// parameters for the func variables it calls (`called_funcs`, set by
    /// the literal's maker), each variable bound to them in its scope.
    /// Returns how many parameters were added.
    pub(super) fn declare_called_funcs(
        &mut self,
        fx: &mut Fx,
        param_tys: &mut Vec<Ty>,
        span: Span,
    ) -> DResult<usize> {
        let mut added = 0;
        for (n, func, nparams, tys) in std::mem::take(&mut self.hidden_funcs) {
            let mut caps = Vec::new();
            for t in tys {
                // a hidden local: no program can name it
                let id = Ident {
                    name: String::new(),
                    span,
                };
                let l = self.declare(fx, &id, t, None)?;
                caps.push((l.slot, t));
                param_tys.push(t);
                added += 1;
            }
            let bound = Bound {
                func,
                nparams: nparams as usize,
                caps,
            };
            self.bind_func_var(fx, &n, bound);
        }
        Ok(added)
    }

    /// After a func literal's arguments and captured values: the captured
    /// values of the func variables it calls, as its last hidden
    /// parameters.
    pub(super) fn pass_called_funcs(
        &mut self,
        fx: &mut Fx,
        id: FuncId,
        params: &[Param],
        body: &Block,
        span: Span,
    ) {
        for (n, ..) in self.called_funcs(fx, params, body) {
            let b = self.func_var(fx, &n).expect("a func variable");
            for (slot, t) in b.caps {
                self.emit(fx, Instr::Load(slot), span);
                self.sigs[id as usize].params.push(t);
            }
        }
    }
}

/// Why a func variable cannot be used as a value.
pub(super) fn not_a_value(n: &str) -> String {
    format!(
        "`{n}` is a func variable: grace calls it (`{n}(…)`, `go {n}(…)`, `defer {n}(…)`) but cannot pass, return, store, compare or print it; call it where the value is needed, or declare a function"
    )
}

/// Why a func variable cannot be assigned.
pub(super) fn not_assignable(n: &str) -> String {
    format!(
        "cannot assign to the func variable `{n}`: grace binds a func variable once (`{n} := func(…) {{…}}`) and never reassigns it; declare another variable, or choose with an `if` where it is called"
    )
}
