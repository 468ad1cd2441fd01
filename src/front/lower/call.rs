//! Calls: of declared functions, of the builtins (`print`, `len`, …) and of
//! the few library functions grace knows (`fmt.Println`, `time.Sleep`, …);
//! `go` statements and func literals; print specs.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::{GSym, MAX_FUNCS, MAX_PARAMS, Sig, param_type};
use crate::front::types::const_eval;
use crate::ir::*;

impl Lowerer<'_> {
    /// Check and push the arguments of a call of function `id`.
    pub(super) fn call_args(
        &mut self,
        fx: &mut Fx,
        id: u16,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> DResult<()> {
        let params = self.sigs[id as usize].params.clone();
        if args.len() > MAX_PARAMS {
            return err(span, format!("too many arguments: at most {MAX_PARAMS}"));
        }
        if params.len() != args.len() {
            return err(
                span,
                format!(
                    "wrong number of arguments in call to {name}: expected {}, found {}",
                    params.len(),
                    args.len()
                ),
            );
        }
        for (a, t) in args.iter().zip(params) {
            self.expect_ty(fx, a, t, &format!("argument of {name}"))?;
        }
        Ok(())
    }

    /// Lower a call. Returns its result type (`None` when it has none).
    pub(super) fn call(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Option<Ty>> {
        let ExprKind::Call(f, args) = &e.kind else {
            unreachable!()
        };
        match &f.kind {
            ExprKind::Name(n) => {
                Self::no_capture(fx, n, f.span)?;
                if Self::lookup_local(fx, n).is_some() {
                    return err(f.span, format!("`{n}` is a local variable, not a function"));
                }
                if let Some((GSym::Func(id), _)) = self.g.syms.get(n) {
                    let id = *id;
                    self.call_args(fx, id, n, args, e.span)?;
                    self.emit(
                        fx,
                        Instr::Call {
                            func: id,
                            argc: args.len() as u8,
                        },
                        e.span,
                    );
                    return Ok(self.sigs[id as usize].result);
                }
                self.builtin(fx, n, f, args, e)
            }
            ExprKind::Selector(recv, m) => self.selector_call(fx, recv, m, f, args, e.span),
            _ => err(f.span, "expected a function name"),
        }
    }

    /// A call of a predeclared function (`print`, `len`, …) or of an
    /// undefined name; `e` is the whole call.
    fn builtin(
        &mut self,
        fx: &mut Fx,
        n: &str,
        f: &Expr,
        args: &[Expr],
        e: &Expr,
    ) -> DResult<Option<Ty>> {
        match n {
            "print" => self.print(fx, args, false, e.span).map(|_| None),
            "println" => self.print(fx, args, true, e.span).map(|_| None),
            "panic" => self.panic(fx, args, e.span).map(|_| None),
            "assert" => self.assert(fx, args, e.span).map(|_| None),
            "close" => self.close(fx, args, e.span).map(|_| None),
            "len" => self.len(fx, args, e).map(Some),
            "recover" => err(
                f.span,
                "recover is not supported: a panic always ends the run (after its deferred calls run); test the condition before the operation that panics instead",
            ),
            "make" => err(
                e.span,
                "channels must be made at top level: `var ch = make(chan T)` outside any function",
            ),
            "init" => err(
                f.span,
                "undefined: init (Go runs each `func init` by itself before main and it cannot be called: move its statements into a function of your own and call that)",
            ),
            _ => match go_builtin(n) {
                Some(m) => err(f.span, m),
                None => err(f.span, format!("undefined: {n}")),
            },
        }
    }

    /// `len(a)`: a constant, for a local array or a global one; `e` is the
    /// whole call.
    fn len(&mut self, fx: &mut Fx, args: &[Expr], e: &Expr) -> DResult<Ty> {
        let [a] = args else {
            return err(e.span, "len takes one argument");
        };
        if let ExprKind::Name(an) = &a.kind
            && let Some(Local { len: Some(l), .. }) = Self::lookup_local(fx, an)
        {
            self.emit(fx, Instr::Push(l as i64), e.span);
            return Ok(Ty::Int);
        }
        match const_eval(self.g, e) {
            Ok((v, _)) => {
                self.emit(fx, Instr::Push(v), e.span);
                Ok(Ty::Int)
            }
            Err(_) if matches!(&a.kind, ExprKind::Name(n) if matches!(self.g.syms.get(n), Some((GSym::Chan { .. }, _)))) => {
                err(
                    e.span,
                    "len of a channel is not supported (what it returns depends on timing): count with a shared variable under a mutex, or use a `select` with a `default`",
                )
            }
            Err(_) => err(a.span, "len needs an array"),
        }
    }

    /// `pkg.F(args)` of a package grace knows (`fmt`, `time`, `runtime`),
    /// or a method of a sync object or atomic (`recv.m(args)`).
    fn selector_call(
        &mut self,
        fx: &mut Fx,
        recv: &Expr,
        m: &Ident,
        f: &Expr,
        args: &[Expr],
        span: Span,
    ) -> DResult<Option<Ty>> {
        if let ExprKind::Name(pkg) = &recv.kind
            && pkg == "fmt"
            && Self::lookup_local(fx, "fmt").is_none()
        {
            return match m.name.as_str() {
                "Printf" => err(
                    m.span,
                    "fmt.Printf is not supported: use fmt.Print or fmt.Println",
                ),
                "Print" => self.print(fx, args, false, span).map(|_| None),
                "Println" => self.print(fx, args, true, span).map(|_| None),
                other => err(
                    m.span,
                    format!("fmt.{other} is not supported: use fmt.Print or fmt.Println"),
                ),
            };
        }
        if let ExprKind::Name(pkg) = &recv.kind
            && Self::lookup_local(fx, pkg).is_none()
            && !self.g.syms.contains_key(pkg)
        {
            match (pkg.as_str(), m.name.as_str()) {
                // Sleeping orders nothing: every interleaving stays possible.
                ("time", "Sleep") => {
                    let [d] = args else {
                        return err(span, "time.Sleep takes one duration");
                    };
                    self.expect_ty(fx, d, Ty::Int, "time.Sleep")?;
                    self.emit(fx, Instr::Pop, span);
                    return Ok(None);
                }
                ("runtime", "Gosched") if args.is_empty() => return Ok(None),
                _ => {
                    return err(
                        f.span,
                        format!(
                            "{pkg}.{} is not supported (grace knows fmt.Print/Println, time.Sleep, runtime.Gosched, sync and atomic)",
                            m.name
                        ),
                    );
                }
            }
        }
        let obj = self.obj(fx, recv)?;
        self.method(fx, obj, m, args, span)
    }

    /// `print`, `println`, `fmt.Print`, `fmt.Println`: one step that
    /// writes its arguments, as Go formats them, to the output.
    fn print(&mut self, fx: &mut Fx, args: &[Expr], newline: bool, span: Span) -> DResult<()> {
        let mut pargs = Vec::new();
        for a in args {
            match &a.kind {
                ExprKind::Str(s) => pargs.push(PrintArg::Str(s.clone())),
                _ => {
                    let t = self.expr(fx, a)?;
                    pargs.push(PrintArg::Value(t));
                }
            }
        }
        let id = self.prints.len() as u32;
        self.prints.push(PrintSpec {
            args: pargs,
            newline,
        });
        self.emit(fx, Instr::Print(id), span);
        Ok(())
    }

    /// `go f(args)`: a declared function only (a local cannot hold one).
    pub(super) fn go_call(&mut self, fx: &mut Fx, e: &Expr, span: Span) -> DResult<()> {
        let ExprKind::Call(f, args) = &e.kind else {
            return err(e.span, "expected a function call after `go`");
        };
        let ExprKind::Name(n) = &f.kind else {
            return err(
                f.span,
                "`go` needs a call of a declared function or a func literal",
            );
        };
        Self::no_capture(fx, n, f.span)?;
        let id = match self.g.syms.get(n) {
            Some((GSym::Func(id), _)) if Self::lookup_local(fx, n).is_none() => *id,
            None if n == "init" => {
                return err(
                    f.span,
                    "undefined: init (a `func init` runs by itself before main and cannot be called: start the goroutine from a function of your own)",
                );
            }
            _ => {
                return err(
                    f.span,
                    format!("`go` needs a call of a declared function; `{n}` is not one"),
                );
            }
        };
        self.call_args(fx, id, n, args, e.span)?;
        self.emit(
            fx,
            Instr::Go {
                func: id,
                argc: args.len() as u8,
            },
            span,
        );
        Ok(())
    }

    /// `go func(params) { body }(args)`: the literal becomes a function of
    /// its own, named by its position, that may not use the enclosing
    /// function's locals.
    pub(super) fn go_lit(
        &mut self,
        fx: &mut Fx,
        params: &[Param],
        body: &Block,
        args: &[Expr],
        at: Span,
        span: Span,
    ) -> DResult<()> {
        let id = self.lit_with_args(fx, params, body, args, at, span)?;
        self.emit(
            fx,
            Instr::Go {
                func: id,
                argc: args.len() as u8,
            },
            span,
        );
        Ok(())
    }

    /// A func literal that is called at once (by `go` or `defer`): lowered
    /// as a function of its own, with its arguments evaluated here and
    /// left on the stack for the instruction that starts it.
    pub(super) fn lit_with_args(
        &mut self,
        fx: &mut Fx,
        params: &[Param],
        body: &Block,
        args: &[Expr],
        at: Span,
        span: Span,
    ) -> DResult<FuncId> {
        let id = self.lit_function(fx, params, body, at, span)?;
        let name = self.funcs[id as usize]
            .as_ref()
            .expect("lowered")
            .name
            .clone();
        self.call_args(fx, id, &name, args, span)?;
        Ok(id)
    }

    /// A func literal (of `go` or `defer`), lowered as a function of its
    /// own named by its position; returns its id.
    pub(super) fn lit_function(
        &mut self,
        fx: &mut Fx,
        params: &[Param],
        body: &Block,
        at: Span,
        span: Span,
    ) -> DResult<u16> {
        // line:column, not the line alone: two literals may share one
        let (line, col) = self.src.line_col(at.start);
        let name = format!("func@{line}:{col}");
        let mut outer = fx.outer.clone();
        for sc in &fx.scopes {
            outer.extend(sc.keys().cloned());
        }
        let mut ptys = Vec::new();
        for p in params {
            ptys.push(param_type(&p.ty, p.ty_span)?);
        }
        let id = self.sigs.len();
        if id >= MAX_FUNCS {
            return err(span, format!("too many functions: at most {}", MAX_FUNCS));
        }
        if params.len() > MAX_PARAMS {
            return err(span, format!("too many parameters: at most {}", MAX_PARAMS));
        }
        self.sigs.push(Sig {
            params: ptys,
            result: None,
        });
        self.funcs.push(None);
        let f = self.function(&name, params, None, body, Some(outer))?;
        self.funcs[id] = Some(f);
        Ok(id as u16)
    }
}

/// A Go builtin function grace does not have, named with what to write
/// instead; `None` for any other name.
fn go_builtin(name: &str) -> Option<String> {
    Some(match name {
        "min" | "max" => format!(
            "the builtin `{name}` is not supported: compare with `if` (`m := a; if b {} m {{ m = b }}`)",
            if name == "min" { "<" } else { ">" }
        ),
        "cap" => "the builtin `cap` is not supported: use the capacity you made the channel with (a constant), or `len` of an array".into(),
        "new" => "the builtin `new` is not supported: grace has no pointers; declare the variable".into(),
        "append" | "copy" | "delete" | "clear" => format!(
            "the builtin `{name}` is not supported: grace has no slices or maps; use a fixed-size array [N]T"
        ),
        "complex" | "real" | "imag" => format!("the builtin `{name}` is not supported: grace's numbers are ints"),
        _ => return None,
    })
}
