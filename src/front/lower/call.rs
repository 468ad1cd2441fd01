//! Calls: of declared functions, of the builtins (`print`, `len`, …) and of
//! the few library functions grace knows (`fmt.Println`, `time.Sleep`, …);
//! `go` statements and func literals; print specs.

use super::results::tuple_name;
use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::{GSym, MAX_FUNCS, MAX_PARAMS, Sig, param_type};
use crate::front::types::const_eval;
use crate::ir::*;

/// How a print spec is made: plain operands (`print`, `fmt.Println`, …:
/// a style and whether a newline ends it) or a format and its operands.
enum Fmt {
    Plain(PrintStyle, bool),
    Format,
}

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
        self.args_for(fx, &params, name, args, span)
    }

    /// Check and push the arguments of a call of `name`, which takes
    /// `params`.
    pub(super) fn args_for(
        &mut self,
        fx: &mut Fx,
        params: &[Ty],
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> DResult<()> {
        let params = params.to_vec();
        if let Some(tys) = self.spread(fx, args, params.len().max(2))? {
            // Go's `g(f())`: f's results are g's arguments
            if tys.len() != params.len() || tys.iter().zip(&params).any(|(t, p)| t != p) {
                return err(
                    args[0].span,
                    format!(
                        "cannot use {} (value of type {}) as the arguments of {name}, which takes {}",
                        self.src.snippet(args[0].span),
                        super::results::tuple_name(&tys),
                        super::results::tuple_name(&params)
                    ),
                );
            }
            return Ok(());
        }
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

    /// Lower a call used as one value (or as a statement). Returns its
    /// result type (`None` when it has none); several results are Go's
    /// "multiple-value in single-value context" error.
    pub(super) fn call(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Option<Ty>> {
        let tys = self.call_results(fx, e)?;
        match tys[..] {
            [] => Ok(None),
            [t] => Ok(Some(t)),
            _ => err(
                e.span,
                format!(
                    "multiple-value {} (value of type {}) in single-value context: assign its results with `a, b := …`",
                    self.src.snippet(e.span),
                    tuple_name(&tys)
                ),
            ),
        }
    }

    /// Lower a call, leaving all its results on the stack, first result
    /// deepest. Returns their types.
    pub(super) fn call_results(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Vec<Ty>> {
        let ExprKind::Call(f, args) = &e.kind else {
            unreachable!()
        };
        match &f.kind {
            ExprKind::Name(n) => {
                if let Some(b) = self.func_var(fx, n) {
                    let call = |func, argc| Instr::Call { func, argc };
                    return self.call_func_var(fx, (n, &b), args, (e.span, e.span), call);
                }
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
                            argc: self.sigs[id as usize].params.len() as u8,
                        },
                        e.span,
                    );
                    return Ok(self.sigs[id as usize].results.clone());
                }
                Ok(self.builtin(fx, n, f, args, e)?.into_iter().collect())
            }
            ExprKind::Selector(recv, m) => Ok(self
                .selector_call(fx, recv, m, f, args, e.span)?
                .into_iter()
                .collect()),
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
            _ if Ty::integer_named(n).is_some() => {
                let to = Ty::integer_named(n).unwrap_or(Ty::Int);
                self.conversion(fx, to, args, e).map(Some)
            }
            "print" | "println" => {
                let how = Fmt::Plain(PrintStyle::Builtin, n == "println");
                let id = self.print_spec(fx, n, args, how, e.span)?;
                self.emit(fx, Instr::Print(id), e.span);
                self.no_builtin_print_of_any(args, n)?;
                Ok(None)
            }
            "panic" => self.panic(fx, args, e.span).map(|_| None),
            "assert" => self.assert(fx, args, e.span).map(|_| None),
            "close" => self.close(fx, args, e.span).map(|_| None),
            "len" => self.len(fx, args, e).map(Some),
            "recover" => self.recover_call(fx, args, e.span).map(Some),
            "make"
                if matches!(
                    args.first().map(|a| &a.kind),
                    Some(ExprKind::Type(TypeExpr::Map(..)))
                ) =>
            {
                self.make_map(fx, args, e).map(Some)
            }
            "make" => self.make_chan(fx, args, e).map(Some),
            "delete" => self.delete_call(fx, args, e.span).map(|_| None),
            "init" => err(
                f.span,
                "undefined: init (Go runs each `func init` by itself before main and it cannot be called: move its statements into a function of your own and call that)",
            ),
            _ => match go_builtin(n) {
                Some(m) => err(f.span, m),
                None => err(f.span, Self::undefined(fx, n)),
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
        // a constant string's length is a constant, as in Go
        if let Some(text) = self.const_text(fx, a)? {
            self.emit(fx, Instr::Push(text.len() as i64), e.span);
            return Ok(Ty::Int);
        }
        let global = |n: &String| Self::lookup_local(fx, n).is_none() && !fx.outer.contains(n);
        let names_array = matches!(&a.kind, ExprKind::Name(n)
            if global(n) && crate::front::types::ConstEnv::array_len(self.g, n).is_some());
        if !names_array
            && !matches!(&a.kind, ExprKind::Name(n) if matches!(self.g.syms.get(n), Some((GSym::Chan { .. } | GSym::NilChan(_), _))))
        {
            return match self.expr(fx, a)? {
                Ty::Str => {
                    self.emit(fx, Instr::StrLen, e.span);
                    Ok(Ty::Int)
                }
                Ty::Map(_) => {
                    self.emit(fx, Instr::MapLen, e.span);
                    Ok(Ty::Int)
                }
                Ty::Chan(_) => err(
                    e.span,
                    "len of a channel is not supported (what it returns depends on timing): count with a shared variable under a mutex, or use a `select` with a `default`",
                ),
                t => err(
                    a.span,
                    format!("len needs an array or a string, found {}", t.name()),
                ),
            };
        }
        match const_eval(self.g, e) {
            Ok((v, _)) => {
                self.emit(fx, Instr::Push(v), e.span);
                Ok(Ty::Int)
            }
            Err(_) if matches!(&a.kind, ExprKind::Name(n) if matches!(self.g.syms.get(n), Some((GSym::Chan { .. } | GSym::NilChan(_), _)))) => {
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
    /// Can a struct value of type `k` be printed? Not with a channel
    /// field: Go prints its address.
    fn printable_struct(&self, k: u16, func: &str, span: Span) -> DResult<()> {
        for (n, t) in &self.struct_fields[k as usize] {
            match t {
                Ty::Struct(k) => self.printable_struct(*k, func, span)?,
                Ty::Chan(_) => {
                    return err(
                        span,
                        format!(
                            "{func} of a struct with a channel field ({n}) is not supported: Go prints the channel's address, which differs from run to run; print its other fields"
                        ),
                    );
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `r.M(args)` on a local struct value `r` of type `k`: the method's
    /// function with `r` (a copy, as Go passes it) first.
    fn value_method_call(
        &mut self,
        fx: &mut Fx,
        k: u16,
        recv: &Expr,
        m: &Ident,
        args: &[Expr],
        span: Span,
    ) -> DResult<Option<Ty>> {
        let t = Ty::Struct(k);
        let (fname, ptr) = match self.struct_methods[k as usize].get(&m.name) {
            Some(x) => x.clone(),
            None => {
                return self.field_of(t, m).and(err(
                    m.span,
                    format!("{}.{} is a field, not a method", t.name(), m.name),
                ));
            }
        };
        if ptr {
            return err(
                recv.span,
                format!(
                    "{}.{} has a pointer receiver, and `{}` is a struct value here (declared where its code runs many times, received, or with a string or channel field): grace cannot take its address yet; give {} a value receiver",
                    t.name(),
                    m.name,
                    self.src.snippet(recv.span),
                    m.name
                ),
            );
        }
        let Some((GSym::Func(id), _)) = self.g.syms.get(&fname) else {
            unreachable!("a method is a function")
        };
        let id = *id;
        let mut all = vec![recv.clone()];
        all.extend(args.iter().cloned());
        self.call_args(fx, id, &format!("{}.{}", t.name(), m.name), &all, span)?;
        self.emit(
            fx,
            Instr::Call {
                func: id,
                argc: self.sigs[id as usize].params.len() as u8,
            },
            span,
        );
        let results = self.sigs[id as usize].results.clone();
        match results[..] {
            [] => Ok(None),
            [r] => Ok(Some(r)),
            _ => err(
                span,
                "a method with several results is called in an assignment: `a, b := r.M()`",
            ),
        }
    }

    /// The struct type of a value a call of a declared function or a
    /// receive gives (`pt().Sum()`, `(<-ch).Sum()`), if it is one.
    fn struct_result(&self, fx: &Fx, e: &Expr) -> Option<u16> {
        match self.result_type(fx, e)? {
            Ty::Struct(k) => Some(k),
            _ => None,
        }
    }

    /// The type of the value a call of a declared function with one
    /// result or a receive gives, if `e` is one.
    fn result_type(&self, fx: &Fx, e: &Expr) -> Option<Ty> {
        Some(match &e.kind {
            ExprKind::Call(f, _) => match &f.kind {
                ExprKind::Name(n) if Self::lookup_local(fx, n).is_none() => {
                    match self.g.syms.get(n) {
                        Some((GSym::Func(id), _)) => match self.sigs[*id as usize].results[..] {
                            [t] => t,
                            _ => return None,
                        },
                        _ => return None,
                    }
                }
                _ => return None,
            },
            ExprKind::Unary(UnOp::Recv, c) => self.chan_elem_of(fx, c)?,
            _ => return None,
        })
    }

    /// Is `e` an `error` (a variable, a call's result or a receive)?
    fn is_error(&self, fx: &Fx, e: &Expr) -> bool {
        let t = match &e.kind {
            ExprKind::Name(n) => match Self::lookup_local(fx, n) {
                Some(l) => Some(l.ty),
                None => fx.up.get(n).copied().flatten().map(|l| l.ty),
            },
            _ => self.result_type(fx, e),
        };
        t == Some(Ty::Error)
    }

    /// `err.Error()`: the error's message; on a nil error, Go's nil
    /// pointer dereference panic (`Instr::Deref`: nil panics, else the
    /// value - 1, which is the message's number).
    fn error_method(&mut self, fx: &mut Fx, recv: &Expr, m: &Ident, args: &[Expr]) -> DResult<Ty> {
        if m.name != "Error" {
            return err(
                m.span,
                format!(
                    "{}.{} undefined (type error has no field or method {})",
                    self.src.snippet(recv.span),
                    m.name,
                    m.name
                ),
            );
        }
        if let Some(a) = args.first() {
            return err(a.span, "too many arguments in call to Error: it takes none");
        }
        self.expr(fx, recv)?;
        self.emit(fx, Instr::Deref, m.span);
        Ok(Ty::Str)
    }

    fn selector_call(
        &mut self,
        fx: &mut Fx,
        recv: &Expr,
        m: &Ident,
        f: &Expr,
        args: &[Expr],
        span: Span,
    ) -> DResult<Option<Ty>> {
        if let ExprKind::Name(n) = &recv.kind
            && let Some(l) = Self::lookup_local(fx, n)
            && let (Ty::Struct(k), None) = (l.ty, l.len)
        {
            return self.value_method_call(fx, k, recv, m, args, span);
        }
        if self.is_error(fx, recv) {
            return self.error_method(fx, recv, m, args).map(Some);
        }
        if let Some(k) = self.struct_result(fx, recv) {
            return self.value_method_call(fx, k, recv, m, args, span);
        }
        if let ExprKind::Name(pkg) = &recv.kind
            && pkg == "fmt"
            && Self::lookup_local(fx, "fmt").is_none()
        {
            let fmt = |newline| Fmt::Plain(PrintStyle::Fmt, newline);
            let (how, step) = match m.name.as_str() {
                "Print" => (fmt(false), true),
                "Println" => (fmt(true), true),
                "Printf" => (Fmt::Format, true),
                "Sprint" => (fmt(false), false),
                "Sprintln" => (fmt(true), false),
                "Sprintf" | "Errorf" => (Fmt::Format, false),
                other => {
                    return err(
                        m.span,
                        format!(
                            "fmt.{other} is not supported: grace knows fmt.Print, Println, Printf, Sprint, Sprintln, Sprintf and Errorf"
                        ),
                    );
                }
            };
            let id = self.print_spec(fx, &format!("fmt.{}", m.name), args, how, span)?;
            return Ok(if step {
                self.emit(fx, Instr::Print(id), span);
                None
            } else if m.name == "Errorf" {
                // an error is its message's number + 1
                self.emit(fx, Instr::Sprint(id), span);
                self.emit(fx, Instr::Push(1), span);
                self.emit(fx, Instr::Bin(BinOp::Add), span);
                Some(Ty::Error)
            } else {
                self.emit(fx, Instr::Sprint(id), span);
                Some(Ty::Str)
            });
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
                ("sync", "NewCond") => {
                    return err(
                        f.span,
                        "sync.NewCond may only initialise a top-level variable: `var cond = sync.NewCond(&mu)`",
                    );
                }
                ("atomic", _) => return self.atomic_function(fx, m, args, span),
                ("errors", "New") => {
                    let [msg] = args else {
                        return err(span, "errors.New takes one string: the message");
                    };
                    self.expect_ty(fx, msg, Ty::Str, "argument to errors.New")?;
                    // an error is its message's number + 1
                    self.emit(fx, Instr::Push(1), span);
                    self.emit(fx, Instr::Bin(BinOp::Add), span);
                    return Ok(Some(Ty::Error));
                }
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
        if let ExprKind::Name(n) = &recv.kind {
            match Self::lookup_local(fx, n).and_then(|l| l.object) {
                Some((kind, _)) => self.plain_use_of_local_atomic(fx, n, kind, recv.span)?,
                None => self.plain_use_of_atomic(n, recv.span)?,
            }
        }
        if let ExprKind::Index(a, _) = &recv.kind
            && let ExprKind::Name(n) = &a.kind
        {
            self.plain_use_of_atomic(n, recv.span)?;
        }
        let obj = self.obj(fx, recv)?;
        self.method(fx, obj, m, args, span)
    }

    /// The print spec of `print`, `println` or a function of `fmt`
    /// (`func`, for messages), with the code that pushes its values. A
    /// format must be a constant, and is checked against the arguments'
    /// types as `go vet` checks it.
    fn print_spec(
        &mut self,
        fx: &mut Fx,
        func: &str,
        args: &[Expr],
        how: Fmt,
        span: Span,
    ) -> DResult<u32> {
        let mut whole = span;
        // Go spreads `f()`'s results over the arguments of Print, not of a
        // format's (`fmt.Printf("%d", f())` needs f to have one result)
        let spreads = matches!(how, Fmt::Plain(..));
        let (style, newline, rest) = match how {
            Fmt::Plain(style, newline) => (style, newline, args),
            Fmt::Format => {
                let Some((f, rest)) = args.split_first() else {
                    return err(
                        span,
                        format!("not enough arguments in call to {func}: it needs a format"),
                    );
                };
                let Some(text) = self.format_text(fx, f)? else {
                    return err(
                        f.span,
                        format!(
                            "non-constant format string in call to {func}: grace needs the format as a string literal or a string constant (it is checked against the arguments, as go vet does)"
                        ),
                    );
                };
                let pieces = format::parse(&text)
                    .map_err(|m| Diagnostic::new(f.span, format!("{func} {m}")))?;
                // a count mismatch is the format's: point there
                whole = f.span;
                (PrintStyle::Format(pieces), false, rest)
            }
        };
        let mut pargs = Vec::new();
        let mut tys = Vec::new();
        let spread = match spreads {
            true => self.spread(fx, rest, 2)?,
            false => None,
        };
        if let Some(ts) = &spread {
            // `fmt.Println(f())`: all of f's results, as Go prints them
            pargs.extend(ts.iter().map(|&t| PrintArg::Value(t)));
            tys.extend(ts.iter().copied());
        }
        for a in rest.iter().filter(|_| spread.is_none()) {
            match &a.kind {
                ExprKind::Str(s) => {
                    pargs.push(PrintArg::Str(s.clone()));
                    tys.push(Ty::Str);
                }
                _ => {
                    let mut t = self.expr(fx, a)?.declared();
                    if let Ty::Map(m) = t
                        && let Ty::StructPtr(_) = m.val()
                    {
                        return err(
                            a.span,
                            "a map of pointers prints its values as addresses, which differ from run to run: print the fields you need (`for k, e := range m { fmt.Println(k, e.n) }`)",
                        );
                    }
                    if let (Ty::Map(_), PrintStyle::Fmt, true) = (t, &style, newline) {
                        // fmt prints a map's entries in key order
                        self.emit(fx, Instr::MapShow, a.span);
                        t = Ty::Str;
                    }
                    if let Ty::Struct(k) = t {
                        self.printable_struct(k, func, a.span)?;
                        if !(matches!(style, PrintStyle::Fmt) && newline) {
                            return err(
                                a.span,
                                format!(
                                    "{func} of a struct is not supported: print it with fmt.Println or fmt.Sprintln, or print its fields"
                                ),
                            );
                        }
                        // as Go's %v: `{1 alice}`
                        self.emit(fx, Instr::StructShow(k), a.span);
                        t = Ty::Str;
                    }
                    pargs.push(PrintArg::Value(t));
                    tys.push(t);
                }
            }
        }
        if let Some(i) = tys.iter().position(|t| matches!(t, Ty::StructPtr(_))) {
            let at = rest.get(i).map_or(whole, |a| a.span);
            return err(
                at,
                format!(
                    "{func} of a pointer to a struct is not supported (Go prints `&{{…}}` with its fields): print the fields you need (`j.id`)"
                ),
            );
        }
        if let Some(i) = tys
            .iter()
            .position(|t| matches!(t, Ty::Chan(_) | Ty::Nil | Ty::Ptr(_)))
        {
            let at = rest.get(i).map_or(whole, |a| a.span);
            return err(
                at,
                format!(
                    "{func} of a channel or a pointer is not supported: Go prints its address, which differs from run to run"
                ),
            );
        }
        if let Some(i) = tys.iter().position(|t| matches!(t, Ty::Map(_))) {
            let at = rest.get(i).map_or(whole, |a| a.span);
            return err(
                at,
                format!(
                    "{func} of a map is not supported: print it with fmt.Println or fmt.Sprintln, or print its entries"
                ),
            );
        }
        if let PrintStyle::Format(pieces) = &style
            && let Err(m) = format::check(pieces, &tys, func)
        {
            let at = m.arg.map_or(whole, |i| rest[i].span);
            return err(at, m.message);
        }
        // Print puts a space between two operands when neither is a string
        let unsure = |i: usize| {
            let beside = |j: usize| tys.get(j).is_some_and(|&t| t != Ty::Str);
            tys[i] == Ty::Any && ((i > 0 && beside(i - 1)) || beside(i + 1))
        };
        if matches!(style, PrintStyle::Fmt)
            && !newline
            && let Some(i) = (0..tys.len()).find(|&i| unsure(i))
        {
            let at = rest.get(i).map_or(whole, |a| a.span);
            return err(
                at,
                format!(
                    "{func} of recover()'s value beside other values is not supported: Go puts a space between them or not by the panic value's type; use fmt.Println, or print the value alone"
                ),
            );
        }
        let id = self.prints.len() as u32;
        self.prints.push(PrintSpec {
            args: pargs,
            newline,
            style,
        });
        Ok(id)
    }

    /// The text of a constant format: a literal, or a string constant not
    /// hidden by a local.
    fn format_text(&self, fx: &Fx, f: &Expr) -> DResult<Option<String>> {
        if Self::uses_local(fx, f) {
            return Ok(None);
        }
        self.const_text(fx, f)
    }

    /// Does `e` name a local (which hides a constant of the same name)?
    pub(super) fn uses_local(fx: &Fx, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(n) => Self::lookup_local(fx, n).is_some() || fx.outer.contains(n),
            ExprKind::Binary(_, a, b) => Self::uses_local(fx, a) || Self::uses_local(fx, b),
            ExprKind::Unary(_, a) => Self::uses_local(fx, a),
            _ => false,
        }
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
        if let Some(b) = self.func_var(fx, n) {
            let go = |func, argc| Instr::Go { func, argc };
            self.call_func_var(fx, (n, &b), args, (e.span, span), go)?;
            return Ok(());
        }
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
        self.emit_go(fx, id, span);
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
        self.emit_go(fx, id, span);
        Ok(())
    }

    /// Start function `id` as a goroutine, its arguments on the stack.
    fn emit_go(&mut self, fx: &mut Fx, id: FuncId, span: Span) {
        let argc = self.sigs[id as usize].params.len() as u8;
        self.emit(fx, Instr::Go { func: id, argc }, span);
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
        let caps = if self.up.is_none() {
            self.captures(fx, params, body)?
        } else {
            Vec::new()
        };
        self.hidden = caps
            .iter()
            .map(|(n, l)| (n.clone(), l.ty, l.len, fx.slices.contains(&l.slot)))
            .collect();
        self.hidden_funcs = self.called_funcs(fx, params, body);
        let id = self.lit_function(fx, params, (&[], &[]), body, at, span)?;
        let name = self.funcs[id as usize]
            .as_ref()
            .expect("lowered")
            .name
            .clone();
        self.call_args(fx, id, &name, args, span)?;
        // the captured values, after the arguments: the hidden parameters
        // (a read-only array's elements, each a parameter)
        for (_, l) in &caps {
            for i in 0..l.len.unwrap_or(1) {
                self.emit(fx, Instr::Load(l.slot + i), span);
                self.sigs[id as usize].params.push(l.ty);
            }
        }
        self.pass_called_funcs(fx, id, params, body, span);
        if self.sigs[id as usize].params.len() > MAX_PARAMS {
            return err(span, format!("too many parameters: at most {}", MAX_PARAMS));
        }
        Ok(id)
    }

    /// A func literal (of `go` or `defer`, or bound to a variable), lowered
    /// as a function of its own named by its position; returns its id.
    pub(super) fn lit_function(
        &mut self,
        fx: &mut Fx,
        params: &[Param],
        (results, result_tys): (&[ResultParam], &[Ty]),
        body: &Block,
        at: Span,
        span: Span,
    ) -> DResult<u16> {
        // line:column, not the line alone: two literals may share one
        let (line, col) = self.src.line_col(at.start);
        let name = format!("func@{line}:{col}");
        let (outer, consts) = Self::seen_from_inside(fx);
        self.up_consts = Some(consts);
        self.up_shared = Some(Self::visible_shared(fx));
        // `go`, `defer` and `Do` call the literal where it is written: at
        // most once per run where that code runs at most once
        self.lit_once = fx.once && fx.loop_depth == 0;
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
            results: result_tys.to_vec(),
        });
        self.funcs.push(None);
        let mut f = self.function(&name, params, (results, result_tys), body, Some(outer))?;
        // what a deferred literal's `LoadUp`s read
        f.up_tys = fx.local_tys.clone();
        self.funcs[id] = Some(f);
        Ok(id as u16)
    }
}

impl Lowerer<'_> {
    /// The shared variables and sync objects of main visible here, which a
    /// function made here (a func literal, a deferred call's wrapper) sees.
    pub(super) fn visible_shared(fx: &Fx) -> std::collections::HashMap<String, Local> {
        let mut shared = fx.shared.clone();
        for sc in &fx.scopes {
            for (n, l) in sc {
                if l.shared.is_some() || l.object.is_some() {
                    shared.insert(n.clone(), *l);
                } else {
                    // a variable of the same name hides it
                    shared.remove(n);
                }
            }
        }
        shared
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
        "new" => "`new` takes a struct type the file declares (`new(Account)`, the same as `&Account{}`): grace has pointers only to structs and sync objects; declare the variable".into(),
        "append" | "copy" => format!(
            "the builtin `{name}` is not supported: grace has no slices; use a fixed-size array [N]T"
        ),
        "clear" => "the builtin `clear` is not supported: delete a map's entries one by one (`for k := range m { delete(m, k) }`), or zero an array's elements".into(),
        "complex" | "real" | "imag" => format!("the builtin `{name}` is not supported: grace's numbers are ints"),
        _ => return None,
    })
}
