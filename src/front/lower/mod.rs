//! Checking and lowering of function bodies: names resolved, types checked,
//! and each function turned into a compact step program
//! ([`crate::ir::Function`]).

use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic, Source};
use crate::front::globals::{GSym, Globals, MAX_ARRAY_LEN, Sig, check_globals, param_type};
use crate::front::types::{
    Wording, assignable, binary_type, check_const_index, check_divisor, const_eval, expected,
    min_int_literal, unary_type,
};
use crate::ir::*;
use std::collections::{HashMap, HashSet};

/// Check a parsed file and lower it to a [`Program`].
pub fn lower(file: &File, src: &Source) -> DResult<Program> {
    let g = check_globals(file)?;
    let mut l = Lowerer {
        g: &g,
        src,
        sigs: g.sigs.clone(),
        funcs: vec![None; g.sigs.len()],
        selects: Vec::new(),
        prints: Vec::new(),
        strings: Vec::new(),
        string_ids: HashMap::new(),
    };
    for (id, &item) in g.func_items.iter().enumerate() {
        let Item::Func(f) = &file.items[item] else {
            unreachable!()
        };
        let result = g.sigs[id].result;
        let func = l.function(&f.name.name, &f.params, result, &f.body, None)?;
        l.funcs[id] = Some(func);
    }
    let mut expects = Vec::new();
    for item in &file.items {
        if let Item::Expect(e) = item {
            let (cond, ty) = l.cexpr(&e.cond)?;
            if ty != Ty::Bool {
                return Err(Diagnostic::new(
                    e.cond.span,
                    format!("expect needs a bool condition, found {}", ty.name()),
                ));
            }
            let (line, _) = src.line_col(e.span.start);
            expects.push(Expect {
                kind: e.kind,
                cond,
                line: line as u32,
                text: src.snippet(e.span).trim().to_string(),
            });
        }
    }
    let main = match g.syms.get("main") {
        Some((GSym::Func(id), _)) => *id,
        _ => unreachable!("checked"),
    };
    Ok(Program {
        funcs: l
            .funcs
            .into_iter()
            .map(|f| f.expect("every function lowered"))
            .collect(),
        main,
        selects: l.selects,
        prints: l.prints,
        strings: l.strings,
        plain_names: g.plain_names.clone(),
        plain_tys: g.plain_tys.clone(),
        plain_init: g.plain_init.clone(),
        sync_kinds: g.sync_kinds.clone(),
        sync_names: g.sync_names.clone(),
        sync_init: g.sync_init.clone(),
        chans: g.chans.clone(),
        globals: g.globals.clone(),
        expects,
    })
}

struct Lowerer<'a> {
    g: &'a Globals,
    src: &'a Source,
    sigs: Vec<Sig>,
    funcs: Vec<Option<Function>>,
    selects: Vec<SelectSpec>,
    prints: Vec<PrintSpec>,
    strings: Vec<String>,
    string_ids: HashMap<String, u32>,
}

#[derive(Clone, Copy, Debug)]
struct Local {
    slot: u16,
    ty: Ty,
    len: Option<u16>,
}

struct LoopCx {
    is_select: bool,
    breaks: Vec<usize>,
    continues: Vec<usize>,
}

struct Fx {
    code: Vec<Instr>,
    locs: Vec<(u32, u32)>,
    scopes: Vec<HashMap<String, Local>>,
    nlocals: u32,
    result: Option<Ty>,
    loops: Vec<LoopCx>,
    /// Locals of enclosing functions (for a func literal), which it may not use.
    outer: HashSet<String>,
}

/// Where a channel, sync object or atomic lives, as resolved from an expression.
enum Obj {
    Sync(SyncKind, Ref),
    Chan(Ty, Ref),
}

fn err<T>(span: Span, msg: impl Into<String>) -> DResult<T> {
    Err(Diagnostic::new(span, msg))
}

impl<'a> Lowerer<'a> {
    fn function(
        &mut self,
        name: &str,
        params: &[Param],
        result: Option<Ty>,
        body: &Block,
        outer: Option<HashSet<String>>,
    ) -> DResult<Function> {
        let mut fx = Fx {
            code: Vec::new(),
            locs: Vec::new(),
            scopes: vec![HashMap::new()],
            nlocals: 0,
            result,
            loops: Vec::new(),
            outer: outer.unwrap_or_default(),
        };
        let mut param_tys = Vec::new();
        for p in params {
            let ty = param_type(&p.ty, p.ty_span)?;
            param_tys.push(ty);
            if p.name.name == "_" {
                fx.nlocals += 1;
                continue;
            }
            if fx.scopes[0].contains_key(&p.name.name) {
                return err(
                    p.name.span,
                    format!("duplicate parameter `{}`", p.name.name),
                );
            }
            self.declare(&mut fx, &p.name, ty, None)?;
        }
        self.block_stmts(&mut fx, &body.stmts)?;
        if result.is_some() {
            if !terminates(&body.stmts) {
                let end = Span::new(body.span.end.saturating_sub(1), body.span.end);
                return err(end, "missing return at end of function");
            }
        } else {
            self.emit(
                &mut fx,
                Instr::Return { value: false },
                Span::new(body.span.end.saturating_sub(1), body.span.end),
            );
        }
        // A function that falls off its end after a terminating statement
        // still gets a return, so that no pc runs past the code.
        self.emit(
            &mut fx,
            Instr::Return { value: false },
            Span::new(body.span.end.saturating_sub(1), body.span.end),
        );
        Ok(Function {
            name: name.to_string(),
            nparams: params.len() as u16,
            nlocals: fx.nlocals as u16,
            param_tys,
            code: fx.code,
            locs: fx.locs,
        })
    }

    fn emit(&self, fx: &mut Fx, i: Instr, span: Span) -> usize {
        let (l, c) = self.src.line_col(span.start);
        fx.code.push(i);
        fx.locs.push((l as u32, c as u32));
        fx.code.len() - 1
    }

    fn here(fx: &Fx) -> u32 {
        fx.code.len() as u32
    }

    fn patch(fx: &mut Fx, at: usize, target: u32) {
        fx.code[at] = match fx.code[at] {
            Instr::Jump(_) => Instr::Jump(target),
            Instr::JumpIf(b, _) => Instr::JumpIf(b, target),
            other => unreachable!("patching {other:?}"),
        };
    }

    fn string_id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), id);
        id
    }

    fn declare(&self, fx: &mut Fx, name: &Ident, ty: Ty, len: Option<u16>) -> DResult<Local> {
        let size = len.unwrap_or(1) as u32;
        if fx.nlocals + size > u16::MAX as u32 {
            return err(name.span, "too many local variables in one function");
        }
        let local = Local {
            slot: fx.nlocals as u16,
            ty,
            len,
        };
        fx.nlocals += size;
        if name.name != "_" {
            fx.scopes
                .last_mut()
                .unwrap()
                .insert(name.name.clone(), local);
        }
        Ok(local)
    }

    /// A hidden local for the lowering's own use (loop counters, limits).
    fn temp(&self, fx: &mut Fx, span: Span) -> DResult<Local> {
        let name = Ident {
            name: String::new(),
            span,
        };
        self.declare(fx, &name, Ty::Int, None)
    }

    fn lookup_local(fx: &Fx, name: &str) -> Option<Local> {
        fx.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// Fail if `name` is a local of an enclosing function (a capture).
    fn no_capture(fx: &Fx, name: &str, span: Span) -> DResult<()> {
        if Self::lookup_local(fx, name).is_none() && fx.outer.contains(name) {
            return err(
                span,
                format!(
                    "func literal captures the local `{name}` of the enclosing function: pass it as an argument instead"
                ),
            );
        }
        Ok(())
    }

    fn block_stmts(&mut self, fx: &mut Fx, stmts: &[Stmt]) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        for s in stmts {
            self.stmt(fx, s)?;
        }
        fx.scopes.pop();
        Ok(())
    }

    // ---------------- statements ----------------

    fn stmt(&mut self, fx: &mut Fx, s: &Stmt) -> DResult<()> {
        match &s.kind {
            StmtKind::Var(name, ty, init) => {
                self.var_stmt(fx, name, ty.as_ref(), init.as_ref(), s.span)
            }
            StmtKind::ShortDecl(names, e) => self.short_decl(fx, names, e, s.span),
            StmtKind::Assign(lvs, e) => self.assign(fx, lvs, e, s.span),
            StmtKind::OpAssign(lv, op, e) => {
                let bop = match op {
                    AssignOp::Add => BinOp::Add,
                    AssignOp::Sub => BinOp::Sub,
                    AssignOp::Mul => BinOp::Mul,
                    AssignOp::Div => BinOp::Div,
                    AssignOp::Rem => BinOp::Rem,
                };
                self.update(fx, lv, bop, Some(e), s.span)
            }
            StmtKind::IncDec(lv, inc) => self.update(
                fx,
                lv,
                if *inc { BinOp::Add } else { BinOp::Sub },
                None,
                s.span,
            ),
            StmtKind::Send(c, v) => {
                let Obj::Chan(elem, r) = self.obj(fx, c)? else {
                    return err(c.span, "send needs a channel on the left of `<-`");
                };
                self.expect_ty(fx, v, elem, "send")?;
                self.emit(fx, Instr::Send(r), s.span);
                Ok(())
            }
            StmtKind::Expr(e) => self.expr_stmt(fx, e),
            StmtKind::If(init, cond, then, els) => {
                fx.scopes.push(HashMap::new());
                if let Some(i) = init {
                    self.stmt(fx, i)?;
                }
                self.expect_ty(fx, cond, Ty::Bool, "if condition")?;
                let jf = self.emit(fx, Instr::JumpIf(false, 0), cond.span);
                self.block_stmts(fx, &then.stmts)?;
                match els {
                    None => {
                        let h = Self::here(fx);
                        Self::patch(fx, jf, h);
                    }
                    Some(e) => {
                        let j = self.emit(fx, Instr::Jump(0), e.span);
                        let h = Self::here(fx);
                        Self::patch(fx, jf, h);
                        self.stmt(fx, e)?;
                        let h = Self::here(fx);
                        Self::patch(fx, j, h);
                    }
                }
                fx.scopes.pop();
                Ok(())
            }
            StmtKind::For(kind, body) => self.for_stmt(fx, kind, body, s.span),
            StmtKind::Select(clauses) => self.select(fx, clauses, s.span),
            StmtKind::Go(e) => {
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
                    s.span,
                );
                Ok(())
            }
            StmtKind::GoLit(params, body, args, at) => {
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
                if id >= crate::front::globals::MAX_FUNCS {
                    return err(
                        s.span,
                        format!(
                            "too many functions: at most {}",
                            crate::front::globals::MAX_FUNCS
                        ),
                    );
                }
                if params.len() > crate::front::globals::MAX_PARAMS {
                    return err(
                        s.span,
                        format!(
                            "too many parameters: at most {}",
                            crate::front::globals::MAX_PARAMS
                        ),
                    );
                }
                self.sigs.push(Sig {
                    params: ptys,
                    result: None,
                });
                self.funcs.push(None);
                let f = self.function(&name, params, None, body, Some(outer))?;
                self.funcs[id] = Some(f);
                self.call_args(fx, id as u16, &name, args, s.span)?;
                self.emit(
                    fx,
                    Instr::Go {
                        func: id as u16,
                        argc: args.len() as u8,
                    },
                    s.span,
                );
                Ok(())
            }
            StmtKind::Return(e) => {
                match (e, fx.result) {
                    (None, None) => {
                        self.emit(fx, Instr::Return { value: false }, s.span);
                    }
                    (Some(e), Some(t)) => {
                        self.expect_ty(fx, e, t, "return")?;
                        self.emit(fx, Instr::Return { value: true }, s.span);
                    }
                    (Some(e), None) => {
                        return err(
                            e.span,
                            "too many return values: this function returns nothing",
                        );
                    }
                    (None, Some(t)) => {
                        return err(
                            s.span,
                            format!(
                                "not enough return values: expected a value of type {}",
                                t.name()
                            ),
                        );
                    }
                }
                Ok(())
            }
            StmtKind::Break => {
                let Some(lp) = fx.loops.last_mut() else {
                    return err(s.span, "break is not in a loop or select");
                };
                let _ = lp;
                let j = self.emit(fx, Instr::Jump(0), s.span);
                fx.loops.last_mut().unwrap().breaks.push(j);
                Ok(())
            }
            StmtKind::Continue => {
                let Some(pos) = fx.loops.iter().rposition(|l| !l.is_select) else {
                    return err(s.span, "continue is not in a loop");
                };
                let j = self.emit(fx, Instr::Jump(0), s.span);
                fx.loops[pos].continues.push(j);
                Ok(())
            }
            StmtKind::Block(b) => self.block_stmts(fx, &b.stmts),
        }
    }

    fn local_type(&self, t: &TypeExpr, span: Span) -> DResult<(Ty, Option<u16>)> {
        match t {
            TypeExpr::Int => Ok((Ty::Int, None)),
            TypeExpr::Bool => Ok((Ty::Bool, None)),
            TypeExpr::Array(n, et) => {
                let (v, vt) = const_eval(self.g, n).map_err(|d| {
                    Diagnostic::new(
                        d.span,
                        format!("array size must be a constant: {}", d.message),
                    )
                })?;
                if vt != Ty::Int || !(0..=MAX_ARRAY_LEN).contains(&v) {
                    return err(
                        n.span,
                        format!("array size must be an int between 0 and {MAX_ARRAY_LEN}"),
                    );
                }
                match **et {
                    TypeExpr::Int => Ok((Ty::Int, Some(v as u16))),
                    TypeExpr::Bool => Ok((Ty::Bool, Some(v as u16))),
                    _ => err(
                        span,
                        "local arrays must hold int or bool; declare sync objects and channels at top level",
                    ),
                }
            }
            TypeExpr::Chan(_)
            | TypeExpr::Mutex
            | TypeExpr::RWMutex
            | TypeExpr::WaitGroup
            | TypeExpr::AtomicInt
            | TypeExpr::AtomicBool => err(
                span,
                "channels, sync objects and atomics must be declared at top level (they are shared)",
            ),
            TypeExpr::Struct => err(span, "struct{} is only allowed as a channel element type"),
        }
    }

    fn var_stmt(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        ty: Option<&(TypeExpr, Span)>,
        init: Option<&Expr>,
        span: Span,
    ) -> DResult<()> {
        if fx.scopes.last().unwrap().contains_key(&name.name) {
            return err(
                name.span,
                format!("`{}` redeclared in this block", name.name),
            );
        }
        if let Some(e) = init
            && let ExprKind::Call(f, _) = &e.kind
            && matches!(&f.kind, ExprKind::Name(n) if n == "make")
        {
            return err(
                e.span,
                "channels must be made at top level: `var ch = make(chan T)` outside any function",
            );
        }
        let (t, len) = match (ty, init) {
            (Some((t, s)), _) => self.local_type(t, *s)?,
            (None, Some(e)) => (self.expr(fx, e)?, None),
            (None, None) => unreachable!(),
        };
        match (ty.is_some(), init) {
            (true, Some(e)) => {
                if len.is_some() {
                    return err(e.span, "array variables cannot have an initial value");
                }
                self.expect_ty(fx, e, t, "initial value")?;
            }
            (true, None) => {
                for i in 0..len.unwrap_or(1) {
                    let _ = i;
                    self.emit(fx, Instr::Push(0), span);
                }
            }
            (false, _) => {}
        }
        if t == Ty::Unit {
            return err(span, "a local cannot hold struct{}");
        }
        let local = self.declare(fx, name, t, len)?;
        for i in (0..len.unwrap_or(1)).rev() {
            self.emit(fx, Instr::Store(local.slot + i), span);
        }
        Ok(())
    }

    fn short_decl(&mut self, fx: &mut Fx, names: &[Ident], e: &Expr, span: Span) -> DResult<()> {
        let scope = fx.scopes.last().unwrap();
        if names
            .iter()
            .all(|n| n.name == "_" || scope.contains_key(&n.name))
        {
            return err(names[0].span, "no new variables on left side of :=");
        }
        if let ExprKind::Call(f, _) = &e.kind
            && matches!(&f.kind, ExprKind::Name(n) if n == "make")
        {
            return err(
                e.span,
                "channels must be made at top level: `var ch = make(chan T)` outside any function",
            );
        }
        let tys: Vec<Ty> = if names.len() == 2 {
            let ExprKind::Unary(UnOp::Recv, c) = &e.kind else {
                return err(e.span, "`v, ok :=` needs a receive `<-ch` on the right");
            };
            let Obj::Chan(elem, r) = self.obj(fx, c)? else {
                return err(c.span, "receive needs a channel");
            };
            self.emit(fx, Instr::Recv(r, true), e.span);
            vec![elem, Ty::Bool]
        } else {
            vec![self.expr(fx, e)?]
        };
        if tys[0] == Ty::Unit {
            if names[0].name == "_" {
                // fine: discarded below
            } else {
                return err(
                    names[0].span,
                    "a local cannot hold struct{}; use `<-ch` or `_`",
                );
            }
        }
        for (n, t) in names.iter().zip(tys).rev() {
            if n.name == "_" {
                self.emit(fx, Instr::Pop, span);
                continue;
            }
            let existing = fx.scopes.last().unwrap().get(&n.name).copied();
            let local = match existing {
                Some(l) => {
                    if !assignable(l.ty, t) || l.len.is_some() {
                        return err(
                            n.span,
                            format!("cannot assign {} to `{}`", t.name(), n.name),
                        );
                    }
                    l
                }
                None => self.declare(fx, n, t, None)?,
            };
            self.emit(fx, Instr::Store(local.slot), span);
        }
        Ok(())
    }

    /// Where an assignment stores: emits the index (if any) and returns how
    /// to store the value and its type.
    fn lvalue(&mut self, fx: &mut Fx, lv: &LValue) -> DResult<(Instr, Ty)> {
        let n = &lv.name.name;
        if n == "_" && lv.index.is_none() {
            return Ok((Instr::Pop, Ty::Int));
        }
        Self::no_capture(fx, n, lv.name.span)?;
        if let Some(l) = Self::lookup_local(fx, n) {
            return match (&lv.index, l.len) {
                (None, None) => Ok((Instr::Store(l.slot), l.ty)),
                (Some(i), Some(len)) => {
                    self.index_expr(fx, i, len as u32)?;
                    Ok((Instr::StoreIdx { base: l.slot, len }, l.ty))
                }
                (None, Some(_)) => err(
                    lv.span,
                    format!("cannot assign to the whole array `{n}`: assign its elements"),
                ),
                (Some(_), None) => err(lv.span, format!("`{n}` is not an array")),
            };
        }
        match self.g.syms.get(n) {
            None => err(lv.name.span, format!("undefined: {n}")),
            Some((GSym::Plain { base, len, ty }, _)) => match (&lv.index, len) {
                (None, None) => Ok((Instr::Write(Ref::Fixed(*base)), *ty)),
                (Some(i), Some(len)) => {
                    self.index_expr(fx, i, *len)?;
                    Ok((
                        Instr::Write(Ref::Indexed {
                            base: *base,
                            len: *len,
                        }),
                        *ty,
                    ))
                }
                (None, Some(_)) => err(
                    lv.span,
                    format!("cannot assign to the whole array `{n}`: assign its elements"),
                ),
                (Some(_), None) => err(lv.span, format!("`{n}` is not an array")),
            },
            Some((GSym::Const(..), _)) => {
                err(lv.span, format!("cannot assign to the constant `{n}`"))
            }
            Some((GSym::Func(_), _)) => {
                err(lv.span, format!("cannot assign to the function `{n}`"))
            }
            Some((GSym::Sync { kind, .. }, _)) => err(
                lv.span,
                format!(
                    "cannot assign to `{n}`, a {}: use its methods",
                    sync_type_name(*kind)
                ),
            ),
            Some((GSym::Chan { .. }, _)) => {
                err(lv.span, format!("cannot assign to the channel `{n}`"))
            }
        }
    }

    fn assign(&mut self, fx: &mut Fx, lvs: &[LValue], e: &Expr, span: Span) -> DResult<()> {
        if lvs.len() == 2 {
            let ExprKind::Unary(UnOp::Recv, c) = &e.kind else {
                return err(e.span, "`v, ok =` needs a receive `<-ch` on the right");
            };
            for lv in lvs {
                if lv.index.is_some() {
                    return err(lv.span, "`v, ok = <-ch` assigns to names only");
                }
            }
            let Obj::Chan(elem, r) = self.obj(fx, c)? else {
                return err(c.span, "receive needs a channel");
            };
            self.emit(fx, Instr::Recv(r, true), e.span);
            let (st_ok, t_ok) = self.lvalue(fx, &lvs[1])?;
            if t_ok != Ty::Bool && st_ok != Instr::Pop {
                return err(lvs[1].span, "the second value of a receive is a bool");
            }
            self.emit(fx, st_ok, lvs[1].span);
            let (st_v, t_v) = self.lvalue(fx, &lvs[0])?;
            if !assignable(t_v, elem) && st_v != Instr::Pop {
                return err(
                    lvs[0].span,
                    format!("cannot assign {} to {}", elem.name(), t_v.name()),
                );
            }
            self.emit(fx, st_v, lvs[0].span);
            return Ok(());
        }
        let lv = &lvs[0];
        let (store, t) = self.lvalue(fx, lv)?;
        if store == Instr::Pop {
            let t = self.expr(fx, e)?;
            let _ = t;
        } else {
            self.expect_ty(fx, e, t, "assignment")?;
        }
        self.emit(fx, store, span);
        Ok(())
    }

    /// `x op= e`, `x++`, `x--`.
    fn update(
        &mut self,
        fx: &mut Fx,
        lv: &LValue,
        op: BinOp,
        e: Option<&Expr>,
        span: Span,
    ) -> DResult<()> {
        let (store, t) = self.lvalue(fx, lv)?;
        if t != Ty::Int || store == Instr::Pop {
            return err(
                lv.span,
                format!("operator {} needs an int variable", op.symbol()),
            );
        }
        let load = match store {
            Instr::Store(s) => Instr::Load(s),
            Instr::StoreIdx { base, len } => {
                self.emit(fx, Instr::Dup, lv.span);
                Instr::LoadIdx { base, len }
            }
            Instr::Write(r) => {
                if matches!(r, Ref::Indexed { .. }) {
                    self.emit(fx, Instr::Dup, lv.span);
                }
                Instr::Read(r)
            }
            _ => unreachable!(),
        };
        self.emit(fx, load, lv.span);
        match e {
            Some(e) => self.expect_ty(fx, e, Ty::Int, "operand")?,
            None => {
                self.emit(fx, Instr::Push(1), span);
            }
        }
        self.emit(fx, Instr::Bin(op), span);
        self.emit(fx, store, span);
        Ok(())
    }

    fn expr_stmt(&mut self, fx: &mut Fx, e: &Expr) -> DResult<()> {
        match &e.kind {
            ExprKind::Call(..) => {
                if let Some(t) = self.call(fx, e)? {
                    let _ = t;
                    self.emit(fx, Instr::Pop, e.span);
                }
                Ok(())
            }
            ExprKind::Unary(UnOp::Recv, _) => {
                self.expr(fx, e)?;
                self.emit(fx, Instr::Pop, e.span);
                Ok(())
            }
            _ => err(
                e.span,
                "expression is evaluated but not used: expected a call, a receive or an assignment",
            ),
        }
    }

    fn for_stmt(&mut self, fx: &mut Fx, kind: &ForKind, body: &Block, span: Span) -> DResult<()> {
        fx.scopes.push(HashMap::new());
        let (top, exit_fix): (u32, Vec<usize>);
        let mut extra_pop_exit = false;
        let cont_target: Option<u32>;
        match kind {
            ForKind::Forever => {
                top = Self::here(fx);
                exit_fix = vec![];
                cont_target = Some(top);
                self.loop_body(fx, body)?;
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Cond(c) => {
                top = Self::here(fx);
                self.expect_ty(fx, c, Ty::Bool, "loop condition")?;
                exit_fix = vec![self.emit(fx, Instr::JumpIf(false, 0), c.span)];
                cont_target = Some(top);
                self.loop_body(fx, body)?;
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Clause(init, cond, post) => {
                if let Some(i) = init {
                    self.stmt(fx, i)?;
                }
                top = Self::here(fx);
                exit_fix = match cond {
                    Some(c) => {
                        self.expect_ty(fx, c, Ty::Bool, "loop condition")?;
                        vec![self.emit(fx, Instr::JumpIf(false, 0), c.span)]
                    }
                    None => vec![],
                };
                // continue goes to the post statement: patched after the body
                cont_target = None;
                self.loop_body(fx, body)?;
                let post_at = Self::here(fx);
                let lp = fx.loops.pop().unwrap();
                for c in &lp.continues {
                    Self::patch(fx, *c, post_at);
                }
                fx.loops.push(LoopCx {
                    continues: vec![],
                    ..lp
                });
                if let Some(p) = post {
                    if matches!(p.kind, StmtKind::ShortDecl(..)) {
                        return err(p.span, "cannot declare in the post statement of a for loop");
                    }
                    self.stmt(fx, p)?;
                }
                self.emit(fx, Instr::Jump(top), span);
            }
            ForKind::Range(k, v, e) => {
                let (t, ex, pop) = self.range(fx, k.as_ref(), v.as_ref(), e, body, span)?;
                top = t;
                exit_fix = ex;
                extra_pop_exit = pop;
                cont_target = Some(top);
            }
        }
        // The loop context was pushed by loop_body and left for us.
        let lp = fx.loops.pop().unwrap();
        let exit = Self::here(fx);
        if extra_pop_exit {
            // Leaving a range over a channel: drop the received zero value.
            for f in &exit_fix {
                Self::patch(fx, *f, exit);
            }
            self.emit(fx, Instr::Pop, span);
            let after = Self::here(fx);
            for b in &lp.breaks {
                Self::patch(fx, *b, after);
            }
        } else {
            for f in &exit_fix {
                Self::patch(fx, *f, exit);
            }
            for b in &lp.breaks {
                Self::patch(fx, *b, exit);
            }
        }
        if let Some(ct) = cont_target {
            for c in &lp.continues {
                Self::patch(fx, *c, ct);
            }
        }
        fx.scopes.pop();
        Ok(())
    }

    /// Lower a loop body, leaving its loop context on the stack.
    fn loop_body(&mut self, fx: &mut Fx, body: &Block) -> DResult<()> {
        fx.loops.push(LoopCx {
            is_select: false,
            breaks: vec![],
            continues: vec![],
        });
        self.block_stmts(fx, &body.stmts)
    }

    #[allow(clippy::type_complexity)]
    fn range(
        &mut self,
        fx: &mut Fx,
        k: Option<&Ident>,
        v: Option<&Ident>,
        e: &Expr,
        body: &Block,
        span: Span,
    ) -> DResult<(u32, Vec<usize>, bool)> {
        // Range over a channel?
        if self.is_chan_expr(fx, e) {
            if v.is_some() {
                return err(
                    e.span,
                    "range over a channel permits only one iteration variable",
                );
            }
            let Obj::Chan(elem, r) = self.obj(fx, e)? else {
                unreachable!()
            };
            // Evaluate the channel (index) once, as Go does.
            let r = match r {
                Ref::Indexed { base, len } => {
                    let tmp = self.temp(fx, span)?;
                    self.emit(fx, Instr::Store(tmp.slot), e.span);
                    let top = Self::here(fx);
                    self.emit(fx, Instr::Load(tmp.slot), e.span);
                    let _ = top;
                    Ref::Indexed { base, len }
                }
                f => f,
            };
            let top = if matches!(r, Ref::Indexed { .. }) {
                Self::here(fx) - 1
            } else {
                Self::here(fx)
            };
            self.emit(fx, Instr::Recv(r, true), e.span);
            let jf = self.emit(fx, Instr::JumpIf(false, 0), e.span);
            match k {
                Some(n) if n.name != "_" => {
                    if elem == Ty::Unit {
                        return err(n.span, "a local cannot hold struct{}; write `for range ch`");
                    }
                    let l = self.declare(fx, n, elem, None)?;
                    self.emit(fx, Instr::Store(l.slot), n.span);
                }
                _ => {
                    self.emit(fx, Instr::Pop, e.span);
                }
            }
            self.loop_body(fx, body)?;
            self.emit(fx, Instr::Jump(top), span);
            return Ok((top, vec![jf], true));
        }
        // Range over an array (local or shared): iterate over the indices.
        let arr = match &e.kind {
            ExprKind::Name(n) => {
                Self::no_capture(fx, n, e.span)?;
                match Self::lookup_local(fx, n) {
                    Some(Local {
                        len: Some(len),
                        ty,
                        slot,
                    }) => Some((len as u32, ty, Some(slot), None)),
                    Some(_) => None,
                    None => match self.g.syms.get(n) {
                        Some((
                            GSym::Plain {
                                base,
                                len: Some(len),
                                ty,
                            },
                            _,
                        )) => Some((*len, *ty, None, Some(*base))),
                        Some((GSym::Sync { len: Some(len), .. }, _))
                        | Some((GSym::Chan { len: Some(len), .. }, _))
                            if v.is_none() =>
                        {
                            Some((*len, Ty::Int, None, None))
                        }
                        _ => None,
                    },
                }
            }
            _ => None,
        };
        let limit = self.temp(fx, span)?;
        let elem_src = match arr {
            Some((len, ty, local, shared)) => {
                self.emit(fx, Instr::Push(len as i64), e.span);
                Some((len, ty, local, shared))
            }
            None => {
                if v.is_some() {
                    return err(
                        e.span,
                        "range over an int permits only one iteration variable",
                    );
                }
                let t = self.expr(fx, e)?;
                if t != Ty::Int {
                    return err(e.span, "range needs a channel, an array or an int");
                }
                None
            }
        };
        self.emit(fx, Instr::Store(limit.slot), e.span);
        let counter = self.temp(fx, span)?;
        self.emit(fx, Instr::Push(0), span);
        self.emit(fx, Instr::Store(counter.slot), span);
        let top = Self::here(fx);
        self.emit(fx, Instr::Load(counter.slot), span);
        self.emit(fx, Instr::Load(limit.slot), span);
        self.emit(fx, Instr::Bin(BinOp::Lt), span);
        let jf = self.emit(fx, Instr::JumpIf(false, 0), span);
        if let Some(n) = k
            && n.name != "_"
        {
            let l = self.declare(fx, n, Ty::Int, None)?;
            self.emit(fx, Instr::Load(counter.slot), n.span);
            self.emit(fx, Instr::Store(l.slot), n.span);
        }
        if let Some(vn) = v {
            let (len, ty, local, shared) = elem_src.unwrap();
            self.emit(fx, Instr::Load(counter.slot), vn.span);
            match (local, shared) {
                (Some(slot), _) => self.emit(
                    fx,
                    Instr::LoadIdx {
                        base: slot,
                        len: len as u16,
                    },
                    e.span,
                ),
                (_, Some(base)) => self.emit(fx, Instr::Read(Ref::Indexed { base, len }), e.span),
                _ => unreachable!(),
            };
            if vn.name == "_" {
                self.emit(fx, Instr::Pop, vn.span);
            } else {
                let l = self.declare(fx, vn, ty, None)?;
                self.emit(fx, Instr::Store(l.slot), vn.span);
            }
        }
        self.loop_body(fx, body)?;
        let post = Self::here(fx);
        let lp = fx.loops.pop().unwrap();
        for c in &lp.continues {
            Self::patch(fx, *c, post);
        }
        fx.loops.push(LoopCx {
            continues: vec![],
            ..lp
        });
        self.emit(fx, Instr::Load(counter.slot), span);
        self.emit(fx, Instr::Push(1), span);
        self.emit(fx, Instr::Bin(BinOp::Add), span);
        self.emit(fx, Instr::Store(counter.slot), span);
        self.emit(fx, Instr::Jump(top), span);
        Ok((top, vec![jf], false))
    }

    fn is_chan_expr(&self, fx: &Fx, e: &Expr) -> bool {
        let name = match &e.kind {
            ExprKind::Name(n) => n,
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => n,
                _ => return false,
            },
            _ => return false,
        };
        Self::lookup_local(fx, name).is_none()
            && !fx.outer.contains(name)
            && matches!(self.g.syms.get(name), Some((GSym::Chan { .. }, _)))
    }

    fn select(&mut self, fx: &mut Fx, clauses: &[CommClause], span: Span) -> DResult<()> {
        let mut spec = SelectSpec {
            cases: vec![],
            default: None,
        };
        let mut n_default = 0;
        for c in clauses {
            match &c.case {
                CommCase::Default(s) => {
                    n_default += 1;
                    if n_default > 1 {
                        return err(*s, "multiple defaults in select");
                    }
                }
                CommCase::Recv { chan, names, .. } => {
                    let Obj::Chan(_, r) = self.obj(fx, chan)? else {
                        return err(chan.span, "receive needs a channel");
                    };
                    spec.cases.push(SelectCase {
                        chan: r,
                        send: false,
                        with_ok: names.len() == 2,
                        target: 0,
                    });
                }
                CommCase::Send { chan, value, .. } => {
                    let Obj::Chan(elem, r) = self.obj(fx, chan)? else {
                        return err(chan.span, "send needs a channel");
                    };
                    self.expect_ty(fx, value, elem, "send")?;
                    spec.cases.push(SelectCase {
                        chan: r,
                        send: true,
                        with_ok: false,
                        target: 0,
                    });
                }
            }
        }
        let id = self.selects.len() as u32;
        self.selects.push(spec);
        self.emit(fx, Instr::Select(id), span);
        fx.loops.push(LoopCx {
            is_select: true,
            breaks: vec![],
            continues: vec![],
        });
        let mut ends = vec![];
        let mut ci = 0;
        for c in clauses {
            let target = Self::here(fx);
            fx.scopes.push(HashMap::new());
            match &c.case {
                CommCase::Default(_) => {
                    self.selects[id as usize].default = Some(target);
                }
                CommCase::Send { .. } => {
                    self.selects[id as usize].cases[ci].target = target;
                    ci += 1;
                }
                CommCase::Recv {
                    names,
                    define,
                    chan,
                    span: cs,
                } => {
                    self.selects[id as usize].cases[ci].target = target;
                    ci += 1;
                    let elem = match self.chan_elem_of(fx, chan) {
                        Some(t) => t,
                        None => return err(chan.span, "receive needs a channel"),
                    };
                    if names.is_empty() {
                        self.emit(fx, Instr::Pop, *cs);
                    } else {
                        let tys = [elem, Ty::Bool];
                        for (i, n) in names.iter().enumerate().rev() {
                            let t = tys[i];
                            if n.name == "_" {
                                self.emit(fx, Instr::Pop, n.span);
                            } else if *define {
                                if t == Ty::Unit {
                                    return err(n.span, "a local cannot hold struct{}");
                                }
                                if fx.scopes.last().unwrap().contains_key(&n.name) {
                                    return err(n.span, format!("`{}` declared twice", n.name));
                                }
                                let l = self.declare(fx, n, t, None)?;
                                self.emit(fx, Instr::Store(l.slot), n.span);
                            } else {
                                let lv = LValue {
                                    name: n.clone(),
                                    index: None,
                                    span: n.span,
                                };
                                let (st, lt) = self.lvalue(fx, &lv)?;
                                if !assignable(lt, t) && st != Instr::Pop {
                                    return err(
                                        n.span,
                                        format!("cannot assign {} to {}", t.name(), lt.name()),
                                    );
                                }
                                self.emit(fx, st, n.span);
                            }
                        }
                    }
                }
            }
            for s in &c.body {
                self.stmt(fx, s)?;
            }
            fx.scopes.pop();
            ends.push(self.emit(fx, Instr::Jump(0), c.span));
        }
        let lp = fx.loops.pop().unwrap();
        let end = Self::here(fx);
        for j in ends.into_iter().chain(lp.breaks) {
            Self::patch(fx, j, end);
        }
        Ok(())
    }

    fn chan_elem_of(&self, fx: &Fx, e: &Expr) -> Option<Ty> {
        let name = match &e.kind {
            ExprKind::Name(n) => n,
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => n,
                _ => return None,
            },
            _ => return None,
        };
        if Self::lookup_local(fx, name).is_some() {
            return None;
        }
        match self.g.syms.get(name) {
            Some((GSym::Chan { elem, .. }, _)) => Some(*elem),
            _ => None,
        }
    }

    // ---------------- expressions ----------------

    fn expect_ty(&mut self, fx: &mut Fx, e: &Expr, want: Ty, what: &str) -> DResult<()> {
        let t = self.expr(fx, e)?;
        if !assignable(want, t) {
            return err(e.span, expected(what, want, t));
        }
        Ok(())
    }

    fn index_expr(&mut self, fx: &mut Fx, i: &Expr, len: u32) -> DResult<()> {
        check_const_index(self.g, i, len)?;
        self.expect_ty(fx, i, Ty::Int, "index")
    }

    /// Resolve a channel, sync object or atomic (emitting its index, if any).
    fn obj(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Obj> {
        let (name, idx) = match &e.kind {
            ExprKind::Name(n) => (n, None),
            ExprKind::Index(a, i) => match &a.kind {
                ExprKind::Name(n) => (n, Some(i)),
                _ => return err(e.span, "expected a channel, sync object or atomic"),
            },
            _ => return err(e.span, "expected a channel, sync object or atomic"),
        };
        Self::no_capture(fx, name, e.span)?;
        if Self::lookup_local(fx, name).is_some() {
            return err(
                e.span,
                format!("`{name}` is a local int or bool, not a channel or sync object"),
            );
        }
        let (sym, _) = match self.g.syms.get(name) {
            Some(s) => s.clone(),
            None => return err(e.span, format!("undefined: {name}")),
        };
        let (base, len) = match &sym {
            GSym::Sync { base, len, .. } | GSym::Chan { base, len, .. } => (*base, *len),
            GSym::Plain { .. } | GSym::Const(..) | GSym::Func(_) => {
                return err(
                    e.span,
                    format!("`{name}` is not a channel, sync object or atomic"),
                );
            }
        };
        let r = match (idx, len) {
            (None, None) => Ref::Fixed(base),
            (Some(i), Some(len)) => {
                self.index_expr(fx, i, len)?;
                Ref::Indexed { base, len }
            }
            (None, Some(_)) => return err(e.span, format!("`{name}` is an array: index it")),
            (Some(_), None) => return err(e.span, format!("`{name}` is not an array")),
        };
        Ok(match sym {
            GSym::Sync { kind, .. } => Obj::Sync(kind, r),
            GSym::Chan { elem, .. } => Obj::Chan(elem, r),
            _ => unreachable!(),
        })
    }

    fn expr(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Ty> {
        match &e.kind {
            ExprKind::Int(v) => {
                self.emit(fx, Instr::Push(*v), e.span);
                Ok(Ty::Int)
            }
            ExprKind::Bool(b) => {
                self.emit(fx, Instr::Push(*b as i64), e.span);
                Ok(Ty::Bool)
            }
            ExprKind::Unit => {
                self.emit(fx, Instr::Push(0), e.span);
                Ok(Ty::Unit)
            }
            ExprKind::MinIntMagnitude => Err(min_int_literal(e.span)),
            ExprKind::Str(_) => err(
                e.span,
                "strings are only allowed as arguments of print, println, panic and assert",
            ),
            ExprKind::Type(_) => err(e.span, "a type is not a value"),
            ExprKind::Name(n) => {
                Self::no_capture(fx, n, e.span)?;
                if let Some(l) = Self::lookup_local(fx, n) {
                    if l.len.is_some() {
                        return err(e.span, format!("`{n}` is an array: index it"));
                    }
                    self.emit(fx, Instr::Load(l.slot), e.span);
                    return Ok(l.ty);
                }
                match self.g.syms.get(n) {
                    None => err(e.span, format!("undefined: {n}")),
                    Some((GSym::Const(v, t), _)) => {
                        self.emit(fx, Instr::Push(*v), e.span);
                        Ok(*t)
                    }
                    Some((
                        GSym::Plain {
                            base,
                            len: None,
                            ty,
                        },
                        _,
                    )) => {
                        self.emit(fx, Instr::Read(Ref::Fixed(*base)), e.span);
                        Ok(*ty)
                    }
                    Some((GSym::Plain { .. }, _)) => {
                        err(e.span, format!("`{n}` is an array: index it"))
                    }
                    Some((GSym::Sync { kind, .. }, _)) => err(
                        e.span,
                        format!(
                            "`{n}` is a {}, not a value: use its methods",
                            sync_type_name(*kind)
                        ),
                    ),
                    Some((GSym::Chan { .. }, _)) => err(
                        e.span,
                        format!(
                            "`{n}` is a channel, not a value: send with `{n} <- v` or receive with `<-{n}`"
                        ),
                    ),
                    Some((GSym::Func(_), _)) => {
                        err(e.span, format!("`{n}` is a function: call it"))
                    }
                }
            }
            ExprKind::Index(a, i) => {
                let ExprKind::Name(n) = &a.kind else {
                    return err(a.span, "only named arrays can be indexed");
                };
                Self::no_capture(fx, n, a.span)?;
                if let Some(l) = Self::lookup_local(fx, n) {
                    let Some(len) = l.len else {
                        return err(a.span, format!("`{n}` is not an array"));
                    };
                    self.index_expr(fx, i, len as u32)?;
                    self.emit(fx, Instr::LoadIdx { base: l.slot, len }, e.span);
                    return Ok(l.ty);
                }
                match self.g.syms.get(n) {
                    None => err(a.span, format!("undefined: {n}")),
                    Some((
                        GSym::Plain {
                            base,
                            len: Some(len),
                            ty,
                        },
                        _,
                    )) => {
                        let (base, len, ty) = (*base, *len, *ty);
                        self.index_expr(fx, i, len)?;
                        self.emit(fx, Instr::Read(Ref::Indexed { base, len }), e.span);
                        Ok(ty)
                    }
                    Some((
                        GSym::Sync {
                            len: Some(_), kind, ..
                        },
                        _,
                    )) => err(
                        e.span,
                        format!(
                            "`{n}[…]` is a {}, not a value: use its methods",
                            sync_type_name(*kind)
                        ),
                    ),
                    Some((GSym::Chan { len: Some(_), .. }, _)) => {
                        err(e.span, format!("`{n}[…]` is a channel, not a value"))
                    }
                    _ => err(a.span, format!("`{n}` is not an array")),
                }
            }
            ExprKind::Unary(UnOp::Recv, c) => {
                let Obj::Chan(elem, r) = self.obj(fx, c)? else {
                    return err(c.span, "receive needs a channel");
                };
                self.emit(fx, Instr::Recv(r, false), e.span);
                Ok(elem)
            }
            ExprKind::Unary(op, a) => {
                let t = self.expr(fx, a)?;
                let rt =
                    unary_type(*op, t, Wording::Full).map_err(|m| Diagnostic::new(e.span, m))?;
                let instr = if *op == UnOp::Neg {
                    Instr::Neg
                } else {
                    Instr::Not
                };
                self.emit(fx, instr, e.span);
                Ok(rt)
            }
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                self.expect_ty(fx, a, Ty::Bool, &format!("left operand of {}", op.symbol()))?;
                self.emit(fx, Instr::Dup, e.span);
                let j = self.emit(fx, Instr::JumpIf(*op == BinOp::Or, 0), e.span);
                self.emit(fx, Instr::Pop, e.span);
                self.expect_ty(
                    fx,
                    b,
                    Ty::Bool,
                    &format!("right operand of {}", op.symbol()),
                )?;
                let h = Self::here(fx);
                Self::patch(fx, j, h);
                Ok(Ty::Bool)
            }
            ExprKind::Binary(op, a, b) => {
                let ta = self.expr(fx, a)?;
                let tb = self.expr(fx, b)?;
                let rt = binary_type(*op, ta, tb, Wording::Full)
                    .map_err(|m| Diagnostic::new(e.span, m))?;
                check_divisor(self.g, *op, b)?;
                self.emit(fx, Instr::Bin(*op), e.span);
                Ok(rt)
            }
            ExprKind::Call(..) => match self.call(fx, e)? {
                Some(t) => Ok(t),
                None => err(
                    e.span,
                    "this call has no value and cannot be used in an expression",
                ),
            },
            ExprKind::Selector(p, m)
                if matches!(&p.kind, ExprKind::Name(n) if n == "time" && Self::lookup_local(fx, n).is_none())
                    && time_unit(&m.name).is_some() =>
            {
                self.emit(fx, Instr::Push(time_unit(&m.name).unwrap_or(0)), e.span);
                Ok(Ty::Int)
            }
            ExprKind::Selector(_, m) => {
                err(e.span, format!("`{}` must be called: add `()`", m.name))
            }
        }
    }

    fn call_args(
        &mut self,
        fx: &mut Fx,
        id: u16,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> DResult<()> {
        let params = self.sigs[id as usize].params.clone();
        if args.len() > crate::front::globals::MAX_PARAMS {
            return err(
                span,
                format!(
                    "too many arguments: at most {}",
                    crate::front::globals::MAX_PARAMS
                ),
            );
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
    fn call(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Option<Ty>> {
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
                match n.as_str() {
                    "print" => self.print(fx, args, false, e.span).map(|_| None),
                    "println" => self.print(fx, args, true, e.span).map(|_| None),
                    "panic" => {
                        let [a] = args.as_slice() else {
                            return err(e.span, "panic takes one argument");
                        };
                        let msg = match &a.kind {
                            ExprKind::Str(s) => s.clone(),
                            _ => match const_eval(self.g, a) {
                                Ok((v, t)) => t.show(v),
                                Err(_) => {
                                    return err(
                                        a.span,
                                        "panic needs a string literal or a constant",
                                    );
                                }
                            },
                        };
                        let id = self.string_id(&msg);
                        self.emit(fx, Instr::Panic { msg: id }, e.span);
                        Ok(None)
                    }
                    "assert" => {
                        let (c, msg) = match args.as_slice() {
                            [c] => (c, "assertion failed".to_string()),
                            [c, m] => match &m.kind {
                                ExprKind::Str(s) => (c, format!("assertion failed: {s}")),
                                _ => {
                                    return err(
                                        m.span,
                                        "the message of assert must be a string literal",
                                    );
                                }
                            },
                            _ => {
                                return err(
                                    e.span,
                                    "assert takes a condition and an optional message",
                                );
                            }
                        };
                        self.expect_ty(fx, c, Ty::Bool, "assert")?;
                        let id = self.string_id(&msg);
                        self.emit(fx, Instr::Assert { msg: id }, e.span);
                        Ok(None)
                    }
                    "close" => {
                        let [c] = args.as_slice() else {
                            return err(e.span, "close takes one channel");
                        };
                        let Obj::Chan(_, r) = self.obj(fx, c)? else {
                            return err(c.span, "close needs a channel");
                        };
                        self.emit(fx, Instr::Close(r), e.span);
                        Ok(None)
                    }
                    "len" => {
                        let [a] = args.as_slice() else {
                            return err(e.span, "len takes one argument");
                        };
                        if let ExprKind::Name(an) = &a.kind
                            && let Some(Local { len: Some(l), .. }) = Self::lookup_local(fx, an)
                        {
                            self.emit(fx, Instr::Push(l as i64), e.span);
                            return Ok(Some(Ty::Int));
                        }
                        match const_eval(self.g, e) {
                            Ok((v, _)) => {
                                self.emit(fx, Instr::Push(v), e.span);
                                Ok(Some(Ty::Int))
                            }
                            Err(_) => err(a.span, "len needs an array"),
                        }
                    }
                    "make" => err(
                        e.span,
                        "channels must be made at top level: `var ch = make(chan T)` outside any function",
                    ),
                    _ => err(f.span, format!("undefined: {n}")),
                }
            }
            ExprKind::Selector(recv, m) => {
                if let ExprKind::Name(pkg) = &recv.kind
                    && pkg == "fmt"
                    && Self::lookup_local(fx, "fmt").is_none()
                {
                    return match m.name.as_str() {
                        "Printf" => err(
                            m.span,
                            "fmt.Printf is not supported: use fmt.Print or fmt.Println",
                        ),
                        "Print" => self.print(fx, args, false, e.span).map(|_| None),
                        "Println" => self.print(fx, args, true, e.span).map(|_| None),
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
                            let [d] = args.as_slice() else {
                                return err(e.span, "time.Sleep takes one duration");
                            };
                            self.expect_ty(fx, d, Ty::Int, "time.Sleep")?;
                            self.emit(fx, Instr::Pop, e.span);
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
                self.method(fx, obj, m, args, e.span)
            }
            _ => err(f.span, "expected a function name"),
        }
    }

    fn method(
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
            (SyncKind::AtomicInt | SyncKind::AtomicBool, op) => {
                let t = if kind == SyncKind::AtomicInt {
                    Ty::Int
                } else {
                    Ty::Bool
                };
                let (aop, ins, res): (AtomicOp, &[Ty], Option<Ty>) = match op {
                    "Load" => (AtomicOp::Load, &[], Some(t)),
                    "Store" => (AtomicOp::Store, &[t], None),
                    "Swap" => (AtomicOp::Swap, &[t], Some(t)),
                    "CompareAndSwap" => (AtomicOp::Cas, &[t, t], Some(Ty::Bool)),
                    "Add" if kind == SyncKind::AtomicInt => (AtomicOp::Add, &[t], Some(t)),
                    _ => {
                        return err(
                            m.span,
                            format!("{} has no method {op}", sync_type_name(kind)),
                        );
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
                return err(
                    m.span,
                    format!("{} has no method {name}", sync_type_name(kind)),
                );
            }
        };
        if !matches!(instr, Instr::WgAdd(_)) || name == "Done" {
            nargs(0)?;
        }
        self.emit(fx, instr, span);
        Ok(None)
    }

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

    // ---------------- expect conditions ----------------

    fn cexpr(&self, e: &Expr) -> DResult<(CExpr, Ty)> {
        Ok(match &e.kind {
            ExprKind::Int(v) => (CExpr::Const(*v), Ty::Int),
            ExprKind::Bool(b) => (CExpr::Const(*b as i64), Ty::Bool),
            ExprKind::Name(n) => match self.g.syms.get(n) {
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
                        kind: k @ (SyncKind::AtomicInt | SyncKind::AtomicBool),
                    },
                    _,
                )) => (
                    CExpr::Var(Place::Atomic, Ref::Fixed(*base), None),
                    if *k == SyncKind::AtomicInt {
                        Ty::Int
                    } else {
                        Ty::Bool
                    },
                ),
                Some(_) => {
                    return err(
                        e.span,
                        format!(
                            "`{n}` cannot be used in expect: expected an int or bool shared variable"
                        ),
                    );
                }
                None => {
                    return err(
                        e.span,
                        format!("undefined: {n} (expect sees only shared variables and constants)"),
                    );
                }
            },
            ExprKind::Index(a, i) => {
                let ExprKind::Name(n) = &a.kind else {
                    return err(a.span, "only named arrays can be indexed");
                };
                let (ie, it) = self.cexpr(i)?;
                if it != Ty::Int {
                    return err(i.span, "index must be an int");
                }
                // as in code (see `index_expr`)
                if let Some((
                    GSym::Plain { len: Some(len), .. } | GSym::Sync { len: Some(len), .. },
                    _,
                )) = self.g.syms.get(n)
                {
                    check_const_index(self.g, i, *len)?;
                }
                match self.g.syms.get(n) {
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
                            kind: k @ (SyncKind::AtomicInt | SyncKind::AtomicBool),
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
                        if *k == SyncKind::AtomicInt {
                            Ty::Int
                        } else {
                            Ty::Bool
                        },
                    ),
                    Some(_) => return err(a.span, format!("`{n}` is not an array of int or bool")),
                    None => return err(a.span, format!("undefined: {n}")),
                }
            }
            ExprKind::Unary(op @ (UnOp::Neg | UnOp::Not), a) => {
                let (c, t) = self.cexpr(a)?;
                let rt =
                    unary_type(*op, t, Wording::Terse).map_err(|m| Diagnostic::new(e.span, m))?;
                let c = Box::new(c);
                (
                    if *op == UnOp::Neg {
                        CExpr::Neg(c)
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
                (CExpr::Bin(*op, Box::new(ca), Box::new(cb)), rt)
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
}

/// `time.Second` and friends, in nanoseconds (only `time.Sleep` uses them).
fn time_unit(name: &str) -> Option<i64> {
    Some(match name {
        "Nanosecond" => 1,
        "Microsecond" => 1_000,
        "Millisecond" => 1_000_000,
        "Second" => 1_000_000_000,
        "Minute" => 60_000_000_000,
        "Hour" => 3_600_000_000_000,
        _ => return None,
    })
}

fn sync_type_name(k: SyncKind) -> &'static str {
    match k {
        SyncKind::Mutex => "sync.Mutex",
        SyncKind::RWMutex => "sync.RWMutex",
        SyncKind::WaitGroup => "sync.WaitGroup",
        SyncKind::AtomicInt => "atomic.Int64",
        SyncKind::AtomicBool => "atomic.Bool",
    }
}

/// Go's "terminating statement" rule, simplified: does control never reach
/// the end of this statement list?
fn terminates(stmts: &[Stmt]) -> bool {
    let Some(last) = stmts.last() else {
        return false;
    };
    match &last.kind {
        StmtKind::Return(_) => true,
        StmtKind::Expr(e) => {
            matches!(&e.kind, ExprKind::Call(f, _) if matches!(&f.kind, ExprKind::Name(n) if n == "panic"))
        }
        StmtKind::Block(b) => terminates(&b.stmts),
        StmtKind::If(_, _, then, Some(els)) => {
            terminates(&then.stmts) && terminates(std::slice::from_ref(els))
        }
        StmtKind::For(ForKind::Forever, body)
        | StmtKind::For(ForKind::Clause(_, None, _), body) => !has_break(&body.stmts),
        StmtKind::Select(cl) => cl
            .iter()
            .all(|c| terminates(&c.body) && !has_break(&c.body)),
        _ => false,
    }
}

/// Does a `break` in these statements leave the enclosing loop or select?
fn has_break(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Break => true,
        StmtKind::Block(b) => has_break(&b.stmts),
        StmtKind::If(_, _, t, e) => {
            has_break(&t.stmts)
                || e.as_ref()
                    .is_some_and(|e| has_break(std::slice::from_ref(e)))
        }
        _ => false,
    })
}
