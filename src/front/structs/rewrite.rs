//! The walk of function bodies that rewrites struct uses (the module doc
//! of `structs` lists the rewrites), with a scope per block so that a
//! local hides a struct variable of the same name.

use super::{At, Pass, Sym, err, field_array, name_expr};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::SyncKind;
use std::collections::HashMap;

const NOT_A_VALUE: &str = "a struct variable cannot be copied or used as a value in grace: use its fields, its methods, or a pointer (&";

/// The instance number of element `i` of an array of `len` structs whose
/// first is instance `k`.
fn element_index(k: usize, len: u32, i: Expr) -> Expr {
    let span = i.span;
    let checked = Expr {
        kind: ExprKind::CheckIndex(Box::new(i), len),
        span,
    };
    if k == 0 {
        return checked;
    }
    Expr {
        kind: ExprKind::Binary(
            BinOp::Add,
            Box::new(Expr {
                kind: ExprKind::Int(k as i64),
                span,
            }),
            Box::new(checked),
        ),
        span,
    }
}

/// `m.cache[k] = v` (or `op=`, `++`) becomes `{ #m := m.cache; #m[k] = v }`:
/// the field is read (a step, as Go reads it), then the map is written.
fn keyed_entry(s: &Stmt) -> Option<Stmt> {
    let lv = match &s.kind {
        StmtKind::Assign(lvs, _) => lvs.first().filter(|_| lvs.len() == 1)?,
        StmtKind::OpAssign(lv, _, _) | StmtKind::IncDec(lv, _) => lv,
        _ => return None,
    };
    let key = lv.key.clone()?;
    let field = lv.field.clone()?;
    let mut base = name_expr(&lv.name.name, lv.name.span);
    if let Some(i) = &lv.index {
        base = Expr {
            span: Span::new(lv.name.span.start, i.span.end + 1),
            kind: ExprKind::Index(Box::new(base), Box::new(i.clone())),
        };
    }
    let at = lv.span;
    let tmp = Ident {
        name: "#m".into(),
        span: field.span,
    };
    let read = Stmt {
        kind: StmtKind::ShortDecl(
            vec![tmp.clone()],
            Expr {
                span: Span::new(base.span.start, field.span.end),
                kind: ExprKind::Selector(Box::new(base), field),
            },
        ),
        span: at,
    };
    let target = LValue {
        name: tmp,
        index: Some(key),
        field: None,
        key: None,
        span: at,
    };
    let write = Stmt {
        kind: match &s.kind {
            StmtKind::Assign(_, e) => StmtKind::Assign(vec![target], e.clone()),
            StmtKind::OpAssign(_, op, e) => StmtKind::OpAssign(target, *op, e.clone()),
            StmtKind::IncDec(_, inc) => StmtKind::IncDec(target, *inc),
            _ => unreachable!("matched above"),
        },
        span: s.span,
    };
    Some(Stmt {
        kind: StmtKind::Block(Block {
            stmts: vec![read, write],
            span: s.span,
        }),
        span: s.span,
    })
}

/// May an instance expression be evaluated once per field (no call, no
/// receive)?
fn simple(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Name(_) => true,
        ExprKind::Deref(a) | ExprKind::CheckIndex(a, _) => simple(a),
        ExprKind::Binary(_, a, b) => simple(a) && simple(b),
        ExprKind::Unary(UnOp::Neg | UnOp::Not, a) => simple(a),
        _ => false,
    }
}

/// The methods an embedded sync object promotes.
fn promotes(kind: SyncKind, m: &str) -> bool {
    matches!(
        (kind, m),
        (SyncKind::Mutex, "Lock" | "Unlock" | "TryLock")
            | (
                SyncKind::RWMutex,
                "Lock" | "Unlock" | "RLock" | "RUnlock" | "TryLock" | "TryRLock"
            )
            | (SyncKind::WaitGroup, "Add" | "Done" | "Wait")
            | (SyncKind::Once, "Do")
    )
}

impl Pass<'_> {
    pub(super) fn stmt(&mut self, s: &mut Stmt) -> DResult<()> {
        let span = s.span;
        if let Some(b) = keyed_entry(s) {
            *s = b;
            return self.stmt(s);
        }
        match &mut s.kind {
            StmtKind::Var(name, ty, init) => {
                if let Some((t, _)) = ty {
                    self.type_expr(t)?;
                }
                if let Some((TypeExpr::Array(len, e), _)) = ty
                    && let TypeExpr::Named(n) = &**e
                {
                    let (n, len) = (n.clone(), (**len).clone());
                    if !self.hoist {
                        return err(
                            span,
                            format!(
                                "`{}` would be new structs each time this code runs: grace has struct variables where their declaration runs once per run (at top level, or in main or a function called once from there, outside any loop and func literal)",
                                name.name
                            ),
                        );
                    }
                    if let Some(init) = init {
                        return err(
                            init.span,
                            "an array of structs cannot have an initial value: set its fields one by one",
                        );
                    }
                    let t = self.struct_of(&n)?;
                    let sym = self.array(name, t, &len)?;
                    self.declare(&name.name, sym);
                    s.kind = StmtKind::Block(Block::default());
                    return Ok(());
                }
                let named = match ty {
                    Some((TypeExpr::Named(n), _)) => Some(n.clone()),
                    _ => None,
                };
                if let Some(n) = named {
                    let t = self.struct_of(&n)?;
                    if self.value_here(t, span)? {
                        // `var r T [= T{…}]`: a value in a local
                        if let Some(e) = init {
                            self.value(e)?;
                        }
                        *ty = Some((TypeExpr::StructVal(t), n.span));
                        self.declare(&name.name, Sym::Value(t));
                        return Ok(());
                    }
                    let lit = init.take();
                    self.local_struct(name, t, lit, span)?;
                    s.kind = StmtKind::Block(Block::default());
                    return Ok(());
                }
                let gone = self.decl_value(name, init.as_mut(), span)?;
                // `var p *T = nil`: the declared type makes p a pointer
                if let Some((TypeExpr::StructPtr(t), _)) = ty {
                    let t = *t;
                    if gone {
                        let n = &self.layout.types[t as usize].name;
                        return err(
                            span,
                            format!("cannot use a {n} value as *{n}: write &{n}{{…}}"),
                        );
                    }
                    self.declare(&name.name, Sym::Ptr(t));
                }
                // `var jobs chan *Job`: what is received from it is a
                // pointer; so is what is read from a `map[K]*T`
                if let Some((t, _)) = ty
                    && let s @ (Sym::PtrChan(_) | Sym::PtrMap(_)) = super::sym_of_type(t)
                {
                    self.declare(&name.name, s);
                }
                if gone {
                    s.kind = StmtKind::Block(Block::default());
                }
            }
            StmtKind::ShortDecl(names, e) if names.len() == 1 => {
                let name = names[0].clone();
                if self.decl_value(&name, Some(e), span)? {
                    s.kind = StmtKind::Block(Block::default());
                }
            }
            StmtKind::VarSpecs(specs) => {
                for sp in specs {
                    if let Some((t, _)) = &mut sp.ty {
                        self.type_expr(t)?;
                    }
                    if let Some((TypeExpr::Named(n), ts)) = &sp.ty {
                        let t = self.struct_of(&n.clone())?;
                        if self.value_here(t, sp.span)? {
                            let ts = *ts;
                            sp.ty = Some((TypeExpr::StructVal(t), ts));
                            if let Some((vs, _)) = &mut sp.values {
                                for v in vs.iter_mut() {
                                    self.value(v)?;
                                }
                            }
                            for name in &sp.names {
                                self.declare(&name.name, Sym::Value(t));
                            }
                            continue;
                        }
                        if sp.values.is_some() {
                            return err(
                                sp.span,
                                "declare struct variables one to a line: `var acct = Account{…}`",
                            );
                        }
                        for name in sp.names.clone() {
                            self.local_struct(&name, t, None, sp.span)?;
                        }
                        sp.names.clear();
                        continue;
                    }
                    // `var ( acct = Account{…} )`: one name, one struct literal
                    if let (1, Some((vs, _))) = (sp.names.len(), &mut sp.values)
                        && let [
                            v @ Expr {
                                kind: ExprKind::Composite(..),
                                ..
                            },
                        ] = vs.as_mut_slice()
                    {
                        let name = sp.names[0].clone();
                        if self.decl_value(&name, Some(v), sp.span)? {
                            sp.names.clear();
                        }
                        continue;
                    }
                    if let Some((vs, _)) = &mut sp.values {
                        for v in vs.iter_mut() {
                            self.value(v)?;
                        }
                    }
                    let ptr = sp
                        .ty
                        .as_ref()
                        .map_or(Sym::Other, |(t, _)| super::sym_of_type(t));
                    for (i, n) in sp.names.iter().enumerate() {
                        let s = match sp.values.as_ref().and_then(|(vs, _)| vs.get(i)) {
                            // the declared type first (`var p *T = nil`)
                            _ if matches!(ptr, Sym::Ptr(_) | Sym::PtrChan(_) | Sym::PtrMap(_)) => {
                                ptr
                            }
                            Some(v)
                                if sp
                                    .values
                                    .as_ref()
                                    .is_some_and(|(vs, _)| vs.len() == sp.names.len()) =>
                            {
                                self.ptr_sym(v)
                            }
                            _ => ptr,
                        };
                        self.declare(&n.name, s);
                    }
                }
                // a spec whose names were all structs says nothing more
                if let StmtKind::VarSpecs(specs) = &mut s.kind {
                    specs.retain(|sp| !sp.names.is_empty());
                    if specs.is_empty() {
                        s.kind = StmtKind::Block(Block::default());
                    }
                }
            }
            StmtKind::ShortDecl(names, e) => {
                self.value(e)?;
                // `p, ok := find(k)`: the results that are struct pointers
                let rs = match &e.kind {
                    ExprKind::Call(f, _) => match &f.kind {
                        ExprKind::Name(fname) => self.fn_results.get(fname).cloned(),
                        _ => None,
                    },
                    _ => None,
                };
                // `j, ok := <-jobs` over a `chan *Job`, `e, ok := m[k]`
                // over a `map[K]*T`
                let received = match &e.kind {
                    ExprKind::Unary(UnOp::Recv, c) => self.ptr_chan_of(c),
                    ExprKind::Index(m, _) => self.ptr_map_of(m),
                    _ => None,
                };
                for (i, n) in names.iter().enumerate() {
                    let s = match rs.as_ref().and_then(|r| r.get(i).copied().flatten()) {
                        Some(t) => Sym::Ptr(t),
                        None if i == 0 && received.is_some() => {
                            Sym::Ptr(received.unwrap_or_default())
                        }
                        None => Sym::Other,
                    };
                    self.declare(&n.name, s);
                }
            }
            StmtKind::MultiDecl(names, es) => {
                for e in es.iter_mut() {
                    self.value(e)?;
                }
                let syms: Vec<Sym> = es.iter().map(|e| self.ptr_sym(e)).collect();
                for (n, s) in names.iter().zip(syms) {
                    self.declare(&n.name, s);
                }
            }
            StmtKind::Const(cs) => {
                for c in cs.iter() {
                    self.declare(&c.name.name, Sym::Other);
                }
            }
            StmtKind::Assign(lvs, e) => {
                for lv in lvs.iter_mut() {
                    self.lvalue(lv, false)?;
                }
                self.value(e)?;
            }
            StmtKind::MultiAssign(lvs, es) => {
                for lv in lvs.iter_mut() {
                    self.lvalue(lv, false)?;
                }
                for e in es.iter_mut() {
                    self.value(e)?;
                }
            }
            StmtKind::OpAssign(lv, _, e) => {
                self.lvalue(lv, false)?;
                self.value(e)?;
            }
            StmtKind::IncDec(lv, _) => self.lvalue(lv, false)?,
            StmtKind::Send(c, v) => {
                self.value(c)?;
                self.value(v)?;
            }
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => self.value(e)?,
            StmtKind::Return(es) => {
                for e in es.iter_mut() {
                    self.value(e)?;
                }
            }
            StmtKind::If(init, c, then, els) => {
                self.scopes.push(HashMap::new());
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                self.value(c)?;
                self.block(then)?;
                if let Some(e) = els {
                    // `else if` evaluates its header only when it is
                    // reached: what its literals need goes there too
                    let outer = std::mem::take(&mut self.extra);
                    self.stmt(e)?;
                    if !self.extra.is_empty() {
                        let mut stmts = std::mem::take(&mut self.extra);
                        let at = e.span;
                        let inner = std::mem::replace(
                            &mut **e,
                            Stmt {
                                kind: StmtKind::Block(Block::default()),
                                span: at,
                            },
                        );
                        stmts.push(inner);
                        e.kind = StmtKind::Block(Block {
                            stmts,
                            span: e.span,
                        });
                    }
                    self.extra = outer;
                }
                self.scopes.pop();
            }
            StmtKind::For(kind, body) => {
                self.many(|p| {
                    p.scopes.push(HashMap::new());
                    match kind {
                        ForKind::Forever => {}
                        ForKind::Cond(c) => {
                            let before = p.extra.len();
                            p.value(c)?;
                            if p.extra.len() > before {
                                return err(
                                    p.extra[before].span,
                                    "a struct made in a for loop's condition is not supported: make it in the loop's body",
                                );
                            }
                        }
                        ForKind::Clause(init, cond, post) => {
                            if let Some(i) = init {
                                p.stmt(i)?;
                            }
                            let before = p.extra.len();
                            if let Some(c) = cond {
                                p.value(c)?;
                            }
                            if let Some(s) = post {
                                p.stmt(s)?;
                            }
                            if p.extra.len() > before {
                                return err(
                                    p.extra[before].span,
                                    "a struct made in a for loop's condition or post statement is not supported: make it in the loop's body",
                                );
                            }
                        }
ForKind::Range(k, v, e) => {
                            if let ExprKind::Name(n) = &e.kind
                                && let Some(Sym::Arr(_, _, len)) = p.lookup(n)
                            {
                                if v.is_some() {
                                    return err(e.span, format!("range over an array of structs copies each struct: write `for i := range {n}` and use {n}[i] (or &{n}[i])"));
                                }
                                e.kind = ExprKind::Int(len as i64);
                            }
                            p.value(e)?;
                            // `for j := range jobs` over a `chan *Job`, `for
                            // k, e := range cache` over a `map[K]*T`
                            let elem = p.ptr_chan_of(e).map_or(Sym::Other, Sym::Ptr);
                            let val = p.ptr_map_of(e).map_or(Sym::Other, Sym::Ptr);
                            for (i, n) in k.iter().chain(v.iter()).enumerate() {
                                p.declare(&n.name, [elem, val][i.min(1)]);
                            }
                        }
                    }
                    p.block(body)?;
                    p.scopes.pop();
                    Ok(())
                })?;
            }
            StmtKind::Select(clauses) => {
                for c in clauses {
                    self.scopes.push(HashMap::new());
                    match &mut c.case {
                        CommCase::Recv { names, chan, .. } => {
                            self.value(chan)?;
                            // `case j := <-jobs` over a `chan *Job`
                            let elem = self.ptr_chan_of(chan).map_or(Sym::Other, Sym::Ptr);
                            for (i, n) in names.iter().enumerate() {
                                self.declare(&n.name, if i == 0 { elem } else { Sym::Other });
                            }
                        }
                        CommCase::Send { chan, value, .. } => {
                            self.value(chan)?;
                            self.value(value)?;
                        }
                        CommCase::Default(_) => {}
                    }
                    self.stmts(&mut c.body)?;
                    self.scopes.pop();
                }
            }
            StmtKind::GoLit(params, body, args, _) | StmtKind::DeferLit(params, body, args, _) => {
                for a in args.iter_mut() {
                    self.value(a)?;
                }
                self.literal(params, &mut [], body)?;
            }
            StmtKind::OnceDoLit(lv, params, body, _, _) => {
                self.lvalue(lv, true)?;
                self.literal(params, &mut [], body)?;
            }
            StmtKind::FuncBind(b) => {
                let b = &mut **b;
                if let Some(ft) = &mut b.declared {
                    for (t, s) in ft.params.iter_mut().chain(ft.results.iter_mut()) {
                        self.param_type(t, *s)?;
                    }
                }
                self.literal(&mut b.params, &mut b.results, &mut b.body)?;
                self.declare(&b.name.name, Sym::Other);
            }
            StmtKind::Block(b) => self.block(b)?,
            StmtKind::Switch(init, tag, clauses) => {
                self.scopes.push(HashMap::new());
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                if let Some(t) = tag {
                    self.value(t)?;
                }
                for c in clauses {
                    for e in c.exprs.iter_mut() {
                        self.value(e)?;
                    }
                    self.scopes.push(HashMap::new());
                    self.stmts(&mut c.body)?;
                    self.scopes.pop();
                }
                self.scopes.pop();
            }
            StmtKind::Labeled(_, inner) => self.stmt(inner)?,
            StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Fallthrough
            | StmtKind::BreakTo(_)
            | StmtKind::ContinueTo(_) => {}
        }
        Ok(())
    }

    /// A func literal's parameters, results and body (which may run many
    /// times).
    fn literal(
        &mut self,
        params: &mut [Param],
        results: &mut [ResultParam],
        body: &mut Block,
    ) -> DResult<()> {
        self.many(|p| {
            p.scopes.push(HashMap::new());
            for q in params.iter_mut() {
                let s = p.param_type(&mut q.ty, q.ty_span)?;
                p.declare(&q.name.name, s);
            }
            for r in results.iter_mut() {
                let s = p.param_type(&mut r.ty, r.ty_span)?;
                if let Some(n) = &r.name {
                    p.declare(&n.name, s);
                }
            }
            p.stmts(&mut body.stmts)?;
            p.scopes.pop();
            Ok(())
        })
    }

    /// `name := e` / `var name = e`: a struct literal makes an instance (or
    /// a pointer to a new one); anything else is rewritten as a value.
    /// True when the declaration is gone (a struct: its fields are the
    /// statements that follow).
    fn decl_value(&mut self, name: &Ident, e: Option<&mut Expr>, span: Span) -> DResult<bool> {
        let Some(e) = e else {
            self.declare(&name.name, Sym::Other);
            return Ok(false);
        };
        // `p := new(T)` is `p := &T{}`: the struct is named by `p`
        if let ExprKind::Call(f, args) = &e.kind
            && let (ExprKind::Name(l), [a]) = (&f.kind, args.as_slice())
            && l == "new"
            && self.lookup("new").is_none()
            && let ExprKind::Name(t) = &a.kind
            && self.by_name.contains_key(t)
        {
            let t = Ident {
                name: t.clone(),
                span: a.span,
            };
            e.kind = ExprKind::Composite(true, t, Vec::new());
        }
        if let ExprKind::Composite(addr, ty, elems) = &e.kind {
            let (addr, ty, elems) = (*addr, ty.clone(), elems.clone());
            let t = self.struct_of(&ty)?;
            let lit = Expr {
                kind: ExprKind::Composite(false, ty, elems),
                span: e.span,
            };
            if !addr {
                if self.value_here(t, span)? {
                    *e = lit;
                    self.value(e)?;
                    self.declare(&name.name, Sym::Value(t));
                    return Ok(false);
                }
                self.local_struct(name, t, Some(lit), span)?;
                return Ok(true);
            }
            // `p := &T{…}`: the instance is named by the pointer
            *e = self.new_ptr(name, t, lit, span)?;
            self.declare(&name.name, Sym::Ptr(t));
            return Ok(false);
        }
        self.value(e)?;
        let s = self.ptr_sym(e);
        self.declare(&name.name, s);
        Ok(false)
    }

    /// A struct variable declared in a body: an instance where the body
    /// runs once, with its literal's fields assigned where it was.
    fn local_struct(&mut self, name: &Ident, t: u16, lit: Option<Expr>, span: Span) -> DResult<()> {
        let k = self.new_local(name, t, lit, span, false)?;
        self.declare(&name.name, Sym::Inst(t, k));
        Ok(())
    }

    /// `&T{…}` (or `new(T)`) named `name`: a pointer to a new instance
    /// whose fields are set where the expression is evaluated (not before
    /// its statement: `p != nil && (&T{n: p.n}).n > 0` must not read p.n
    /// when p is nil, and `f(<-done, &T{n: g()})` receives first).
    fn new_ptr(&mut self, name: &Ident, t: u16, lit: Expr, span: Span) -> DResult<Expr> {
        if !self.ptr_ok(t) {
            // (refused there, with what to write instead)
            return Ok(self.new_local(name, t, Some(lit), span, true)?.ptr(t, span));
        }
        let ExprKind::Composite(_, n, elems) = lit.kind else {
            unreachable!("a literal")
        };
        if self.struct_of(&n)? != t {
            return err(
                lit.span,
                format!(
                    "cannot use a {} value as {}",
                    n.name, self.layout.types[t as usize].name
                ),
            );
        }
        let ty_name = self.layout.types[t as usize].name.clone();
        let mut fields = Vec::new();
        for (f, mut v) in self.field_values(t, &elems, lit.span)? {
            self.value(&mut v)?;
            fields.push((field_array(&ty_name, &f), v));
        }
        let mut site = match self.hoist {
            true => NewSite {
                at: NewAt::Static(self.instance(t, &name.name, name.span)? as u32),
                fields: Vec::new(),
            },
            false => {
                let (l, c) = self.src.line_col(span.start);
                let base = match name.name.contains('#') {
                    true => format!("{ty_name}@{l}:{c}"),
                    false => name.name.clone(),
                };
                self.pool(t, &base, span)?
            }
        };
        site.fields = fields;
        Ok(Expr {
            kind: ExprKind::New(t, Box::new(site)),
            span,
        })
    }

    /// A new instance of `t` named `name`, with its literal's fields (or
    /// a copy's) set before the statement: a static one where the code
    /// runs once, else one of the site's pool, whose pointer a hidden
    /// local keeps.
    fn new_local(
        &mut self,
        name: &Ident,
        t: u16,
        lit: Option<Expr>,
        span: Span,
        via_ptr: bool,
    ) -> DResult<At> {
        let ok = match via_ptr {
            true => self.ptr_ok(t),
            false => self.instance_ok(t),
        };
        if !ok {
            let ty = &self.layout.types[t as usize].name;
            let how = match self.value_ok(t) {
                true => format!("pass {ty} by value (it is copied)"),
                false => "a struct with both a channel (or struct) field and sync objects, atomics or maps is not supported yet: keep them in two structs".to_string(),
            };
            return err(
                span,
                format!(
                    "{ty} has a field of struct type, so it is a struct value: grace has no pointers to such structs yet; {how}"
                ),
            );
        }
        let at = match self.hoist {
            true => At::Static(self.instance(t, &name.name, name.span)?),
            false => self.pooled(name, t, span)?,
        };
        if let Some(Expr {
            kind: ExprKind::Composite(_, n, elems),
            span: ls,
        }) = lit
        {
            if self.struct_of(&n)? != t {
                return err(
                    ls,
                    format!(
                        "cannot use a {} value as {}",
                        n.name, self.layout.types[t as usize].name
                    ),
                );
            }
            let ty_name = self.layout.types[t as usize].name.clone();
            for (f, mut v) in self.field_values(t, &elems, ls)? {
                self.value(&mut v)?;
                self.set_field(&ty_name, &f, at.idx(ls), v);
            }
        } else if let Some(mut e) = lit {
            self.copy_into(at, t, &mut e)?;
        }
        Ok(at)
    }

    /// An instance of `t` from the pool of the site at `span`: the hidden
    /// local that keeps the pointer is declared before the statement.
    fn pooled(&mut self, name: &Ident, t: u16, span: Span) -> DResult<At> {
        let (l, c) = self.src.line_col(span.start);
        let base = match name.name.contains('#') {
            true => format!("{}@{l}:{c}", self.layout.types[t as usize].name),
            false => name.name.clone(),
        };
        let site = self.pool(t, &base, span)?;
        let at = At::Via(span.start);
        self.extra.push(Stmt {
            kind: StmtKind::ShortDecl(
                vec![Ident {
                    name: at.local(),
                    span,
                }],
                Expr {
                    kind: ExprKind::New(t, Box::new(site)),
                    span,
                },
            ),
            span,
        });
        self.declare(&at.local(), Sym::Ptr(t));
        Ok(at)
    }

    /// `var t T = e` with `e` not a literal (a receive, a call, another
    /// struct): `e` is a struct value, kept in a local of its own, whose
    /// fields are then assigned to instance `k`'s, as Go's copy does.
    fn copy_into(&mut self, k: At, t: u16, e: &mut Expr) -> DResult<()> {
        let ty = &self.layout.types[t as usize];
        if !self.value_ok(t) {
            return err(
                e.span,
                format!(
                    "a {} has sync objects, atomics or maps and is not copied (go vet: copies lock value): initialize it with a struct literal, {}{{…}}",
                    ty.name, ty.name
                ),
            );
        }
        let (ty_name, fields) = (ty.name.clone(), ty.fields.clone());
        self.value(e)?;
        let at = e.span;
        let tmp = format!("#copy@{}", at.start);
        self.extra.push(Stmt {
            kind: StmtKind::ShortDecl(
                vec![Ident {
                    name: tmp.clone(),
                    span: at,
                }],
                e.clone(),
            ),
            span: at,
        });
        for f in &fields {
            let v = Expr {
                kind: ExprKind::Selector(Box::new(name_expr(&tmp, at)), f.name.clone()),
                span: at,
            };
            self.set_field(&ty_name, &f.name.name, k.idx(at), v);
        }
        Ok(())
    }

    /// `#T.f[k] = v`, spliced in before the statement being rewritten.
    fn set_field(&mut self, ty_name: &str, f: &str, idx: Expr, v: Expr) {
        let at = v.span;
        self.extra.push(Stmt {
            kind: StmtKind::Assign(
                vec![LValue {
                    name: Ident {
                        name: field_array(ty_name, f),
                        span: at,
                    },
                    index: Some(idx),
                    field: None,
                    key: None,
                    span: at,
                }],
                v,
            ),
            span: at,
        });
    }

    /// What a (rewritten) value is, as a name declared from it.
    pub(super) fn ptr_sym(&self, e: &Expr) -> Sym {
        if let Some(t) = self.ptr_of(e) {
            return Sym::Ptr(t);
        }
        if let Some(t) = self.ptr_chan_of(e) {
            return Sym::PtrChan(t);
        }
        self.ptr_map_of(e).map_or(Sym::Other, Sym::PtrMap)
    }

    /// The struct type a (rewritten) expression is a map of pointers to
    /// (`make(map[string]*entry)`, `cache`), if this pass can see it.
    fn ptr_map_of(&self, e: &Expr) -> Option<u16> {
        match &e.kind {
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Sym::PtrMap(t)) => Some(t),
                _ => None,
            },
            ExprKind::MapLit(t, _) => match super::sym_of_type(t) {
                Sym::PtrMap(k) => Some(k),
                _ => None,
            },
            // a struct's field (`m.cache`, rewritten to its array's element)
            ExprKind::Index(a, _) => match &a.kind {
                ExprKind::Name(n) => match self.lookup(n) {
                    Some(Sym::PtrMaps(t)) => Some(t),
                    _ => None,
                },
                _ => None,
            },
            _ => match made_sym(e) {
                Sym::PtrMap(k) => Some(k),
                _ => None,
            },
        }
    }

    /// The struct type a (rewritten) expression is a channel of pointers
    /// to (`make(chan *Job, n)`, `jobs`), if this pass can see it.
    fn ptr_chan_of(&self, e: &Expr) -> Option<u16> {
        match &e.kind {
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Sym::PtrChan(t)) => Some(t),
                _ => None,
            },
            // `gen(3)` of `func gen(n int) <-chan *Job`
            ExprKind::Call(f, _)
                if matches!(&f.kind, ExprKind::Name(n)
                    if self.lookup(n).is_none() && self.fn_ptr_chans.contains_key(n)) =>
            {
                match &f.kind {
                    ExprKind::Name(n) => self.fn_ptr_chans.get(n).copied(),
                    _ => None,
                }
            }
            _ => match made_sym(e) {
                Sym::PtrChan(k) => Some(k),
                _ => None,
            },
        }
    }

    /// The struct type a (rewritten) expression points to, if it is a
    /// struct pointer that this pass can see.
    fn ptr_of(&self, e: &Expr) -> Option<u16> {
        match &e.kind {
            ExprKind::PtrTo(t, _) | ExprKind::New(t, _) => Some(*t),
            ExprKind::Unary(UnOp::Recv, c) => self.ptr_chan_of(c),
            ExprKind::Index(m, _) => self.ptr_map_of(m),
            ExprKind::Name(n) => match self.lookup(n) {
                Some(Sym::Ptr(t)) => Some(t),
                _ => None,
            },
            ExprKind::Call(f, _) => match &f.kind {
                ExprKind::Name(n) => match self.fn_results.get(n).map(Vec::as_slice) {
                    Some([t]) => *t,
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// The instance an expression names (`acct`), or the pointer to one
    /// (`p`, `&acct`): its type and the index expression of its fields.
    fn target(&mut self, base: &mut Expr) -> DResult<Option<(u16, Expr)>> {
        if let ExprKind::Name(n) = &base.kind
            && let Some(Sym::Inst(t, k)) = self.lookup(n)
        {
            return Ok(Some((t, k.idx(base.span))));
        }
        if let Some((t, idx)) = self.element(base)? {
            return Ok(Some((t, idx)));
        }
        if !matches!(base.kind, ExprKind::Name(_)) {
            self.expr(base)?;
        }
        Ok(self.ptr_of(base).map(|t| {
            (
                t,
                Expr {
                    kind: ExprKind::Deref(Box::new(base.clone())),
                    span: base.span,
                },
            )
        }))
    }

    /// `arr[i]` of an array of structs: its type and instance number,
    /// `k + i` with `i` checked against the length.
    fn element(&mut self, e: &mut Expr) -> DResult<Option<(u16, Expr)>> {
        let ExprKind::Index(a, i) = &mut e.kind else {
            return Ok(None);
        };
        let ExprKind::Name(n) = &a.kind else {
            return Ok(None);
        };
        let Some(Sym::Arr(t, k, len)) = self.lookup(n) else {
            return Ok(None);
        };
        self.expr(i)?;
        Ok(Some((t, element_index(k, len, (**i).clone()))))
    }

    /// A value: a struct literal may not be one here.
    pub(super) fn value(&mut self, e: &mut Expr) -> DResult<()> {
        self.expr(e)
    }

    pub(super) fn expr(&mut self, e: &mut Expr) -> DResult<()> {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Selector(base, f) => {
                let f = f.clone();
                if let ExprKind::Name(n) = &base.kind
                    && let Some(Sym::Value(t)) = self.lookup(n)
                {
                    return self.has_field(t, &f);
                }
                if let ExprKind::Name(n) = &base.kind
                    && let Some(Sym::Val(t)) = self.lookup(n)
                {
                    self.has_field(t, &f)?;
                    *e = name_expr(&format!("{n}.{}", f.name), span);
                    return Ok(());
                }
                if let Some((t, idx)) = self.target(base)? {
                    *e = self.field(t, idx, &f, span)?;
                }
            }
            ExprKind::Call(f, args) => {
                // `new(T)` is `&T{}`
                if let (ExprKind::Name(l), [a]) = (&f.kind, args.as_slice())
                    && l == "new"
                    && self.lookup("new").is_none()
                    && let ExprKind::Name(t) = &a.kind
                    && self.by_name.contains_key(t)
                {
                    e.kind = ExprKind::Composite(
                        true,
                        Ident {
                            name: t.clone(),
                            span: a.span,
                        },
                        Vec::new(),
                    );
                    return self.expr(e);
                }
                if let (ExprKind::Name(l), [a]) = (&f.kind, args.as_slice())
                    && l == "len"
                    && let ExprKind::Name(n) = &a.kind
                    && let Some(Sym::Arr(_, _, len)) = self.lookup(n)
                {
                    e.kind = ExprKind::Int(len as i64);
                    return Ok(());
                }
                for a in args.iter_mut() {
                    self.value(a)?;
                }
                if let ExprKind::Selector(base, m) = &mut f.kind {
                    let m = m.clone();
                    if let ExprKind::Name(n) = &base.kind
                        && let Some(Sym::Value(t)) = self.lookup(n)
                    {
                        let n = n.clone();
                        if let Some((_, true, _)) =
                            self.layout.types[t as usize].methods.get(&m.name)
                        {
                            return err(
                                base.span,
                                format!(
                                    "{}.{} has a pointer receiver, and `{n}` is a struct value (a copy: a parameter, a value receiver, or a variable in code that runs many times): grace cannot take its address yet; give {} a value receiver, or use a pointer, `*{}`",
                                    self.layout.types[t as usize].name,
                                    m.name,
                                    m.name,
                                    self.layout.types[t as usize].name
                                ),
                            );
                        }
                        self.arity(t, &n, &m, args, span)?;
                        let (fname, _) = self.value_call(t, &m, |_| name_expr(&n, base.span))?;
                        let mut all = vec![name_expr(&n, base.span)];
                        all.append(args);
                        **f = name_expr(&fname, m.span);
                        *args = all;
                        return Ok(());
                    }
                    if let ExprKind::Name(n) = &base.kind
                        && let Some(Sym::Val(t)) = self.lookup(n)
                    {
                        let n = n.clone();
                        self.arity(t, &n, &m, args, span)?;
                        let (fname, fields) =
                            self.value_call(t, &m, |x| name_expr(&format!("{n}.{x}"), base.span))?;
                        let mut all = fields;
                        all.append(args);
                        **f = name_expr(&fname, m.span);
                        *args = all;
                        return Ok(());
                    }
                    if let Some((t, idx)) = self.target(base)? {
                        let what = self
                            .src
                            .snippet(Span::new(base.span.start, base.span.end))
                            .to_string();
                        self.arity(t, &what, &m, args, span)?;
                        let ty = &self.layout.types[t as usize];
                        if let Some((_, false, _)) = ty.methods.get(&m.name) {
                            if !simple(&idx) {
                                return err(
                                    base.span,
                                    "a method with a value receiver copies the struct: call it on a variable, a pointer variable or an element with a plain index",
                                );
                            }
                            let tn = ty.name.clone();
                            let (fname, fields) = self.value_call(t, &m, |x| Expr {
                                kind: ExprKind::Index(
                                    Box::new(name_expr(&field_array(&tn, x), base.span)),
                                    Box::new(idx.clone()),
                                ),
                                span: base.span,
                            })?;
                            let mut all = fields;
                            all.append(args);
                            **f = name_expr(&fname, m.span);
                            *args = all;
                            return Ok(());
                        }
                        if let Some((fname, _, _)) = ty.methods.get(&m.name) {
                            let recv = match idx.kind {
                                ExprKind::Deref(p) => *p,
                                _ => Expr {
                                    kind: ExprKind::PtrTo(t, Box::new(idx)),
                                    span: base.span,
                                },
                            };
                            let mut all = vec![recv];
                            all.append(args);
                            **f = name_expr(fname, m.span);
                            *args = all;
                            return Ok(());
                        }
                        let embedded = ty.fields.iter().find(|x| {
                            x.embedded
                                && crate::front::globals::sync_kind(&x.ty)
                                    .is_some_and(|k| promotes(k, &m.name))
                        });
                        let obj = match embedded {
                            Some(x) => Expr {
                                kind: ExprKind::Index(
                                    Box::new(name_expr(
                                        &field_array(&ty.name, &x.name.name),
                                        base.span,
                                    )),
                                    Box::new(idx),
                                ),
                                span: base.span,
                            },
                            None => self.field(t, idx, &m, f.span)?,
                        };
                        **base = obj;
                    }
                    return Ok(());
                }
                self.expr(f)?;
            }
            ExprKind::Unary(UnOp::Addr, a) => {
                if let ExprKind::Name(n) = &a.kind
                    && let Some(Sym::Value(_)) = self.lookup(n)
                {
                    return err(
                        span,
                        format!(
                            "`{n}` is a struct value here (declared where its code runs many times, or with a string or channel field): grace cannot take its address yet; pass it by value, or declare it in main"
                        ),
                    );
                }
                if let ExprKind::Name(n) = &a.kind
                    && let Some(Sym::Inst(t, k)) = self.lookup(n)
                {
                    *e = k.ptr(t, span);
                    return Ok(());
                }
                if let Some((t, idx)) = self.element(a)? {
                    e.kind = ExprKind::PtrTo(t, Box::new(idx));
                    return Ok(());
                }
                self.expr(a)?;
            }
            ExprKind::Name(n) => match self.lookup(n) {
                // a copy of an instance: its fields read where it is made
                Some(Sym::Inst(t, k)) if self.value_ok(t) => {
                    let tn = self.layout.types[t as usize].name.clone();
                    let fields = self.layout.types[t as usize]
                        .fields
                        .iter()
                        .map(|f| {
                            Some(Expr {
                                kind: ExprKind::Index(
                                    Box::new(name_expr(&field_array(&tn, &f.name.name), span)),
                                    Box::new(k.idx(span)),
                                ),
                                span,
                            })
                        })
                        .collect();
                    e.kind = ExprKind::StructLit(t, fields);
                }
                Some(Sym::Inst(..)) => return err(span, format!("{NOT_A_VALUE}{n})")),
                Some(Sym::Val(_)) => {
                    return err(
                        span,
                        format!(
                            "a value receiver is used through its fields in grace ({n}.f), not copied or passed as a whole"
                        ),
                    );
                }
                Some(Sym::Arr(..)) => {
                    return err(
                        span,
                        format!(
                            "an array of structs is used element by element: {n}[i].f, {n}[i].M(…), &{n}[i], len({n})"
                        ),
                    );
                }
                _ => {}
            },
            ExprKind::Composite(true, ty, elems) => {
                // `&T{…}` as a value where its code runs once: an instance
                // named by its type and number (`Counter#1`)
                let (ty, elems) = (ty.clone(), elems.clone());
                let t = self.struct_of(&ty)?;
                let anon = Ident {
                    name: format!(
                        "{}#{}",
                        ty.name,
                        self.layout.instances[t as usize].len() + 1
                    ),
                    span,
                };
                let lit = Expr {
                    kind: ExprKind::Composite(false, ty, elems),
                    span,
                };
                *e = self.new_ptr(&anon, t, lit, span)?;
            }
            ExprKind::Composite(false, ty, elems) if self.by_name.contains_key(&ty.name) => {
                let (ty, elems) = (ty.clone(), elems.clone());
                let t = self.struct_of(&ty)?;
                if self.value_ok(t) {
                    *e = self.struct_lit(t, &elems, span)?;
                    return Ok(());
                }
                return err(
                    span,
                    format!(
                        "a {} has sync objects, atomics or maps, and a struct literal of it is a value grace does not copy: declare a variable with it (`x := {}{{…}}` in main) or take its address, `&{}{{…}}`, where the code runs once per run",
                        ty.name, ty.name, ty.name
                    ),
                );
            }
            ExprKind::StructLit(_, fields) => {
                for v in fields.iter_mut().flatten() {
                    self.expr(v)?;
                }
            }
            ExprKind::Composite(..) => {
                return err(
                    span,
                    "a struct literal is a value grace does not copy: declare a variable with it (`acct := Account{…}` in main, `var acct = Account{…}` at top level), or take its address, `&Account{…}`, where the code runs once per run",
                );
            }
            ExprKind::Index(a, i) => {
                if let ExprKind::Name(n) = &a.kind
                    && let Some(Sym::Inst(..)) = self.lookup(n)
                {
                    return err(a.span, format!("`{n}` is a struct, not an array"));
                }
                if let ExprKind::Name(n) = &a.kind
                    && let Some(Sym::Arr(..)) = self.lookup(n)
                {
                    return err(span, format!("{NOT_A_VALUE}{n}[i])"));
                }
                self.expr(a)?;
                self.expr(i)?;
            }
            ExprKind::Unary(_, a)
            | ExprKind::PtrTo(_, a)
            | ExprKind::Deref(a)
            | ExprKind::CheckIndex(a, _) => self.expr(a)?,
            ExprKind::Binary(_, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
            }
            ExprKind::MapLit(t, entries) => {
                self.type_expr(t)?;
                for (k, v) in entries.iter_mut() {
                    self.expr(k)?;
                    self.expr(v)?;
                }
            }
            ExprKind::SliceLit(_, elems) => {
                for v in elems.iter_mut() {
                    self.expr(v)?;
                }
            }
            ExprKind::Int(_)
            | ExprKind::MinIntMagnitude
            | ExprKind::Bool(_)
            | ExprKind::Str(_)
            | ExprKind::New(..)
            | ExprKind::Unit => {}
            // `make(chan request)`
            ExprKind::Type(t) => self.type_expr(t)?,
        }
        Ok(())
    }

    /// A call of method `m` with a value receiver: its function and the
    /// receiver's fields as `field` reads them (the copy Go makes).
    fn value_call(
        &self,
        t: u16,
        m: &Ident,
        field: impl Fn(&str) -> Expr,
    ) -> DResult<(String, Vec<Expr>)> {
        let ty = &self.layout.types[t as usize];
        match ty.methods.get(&m.name) {
            // a struct value is the receiver's copy, passed whole
            Some((fname, false, _)) if self.value_ok(t) => Ok((
                fname.clone(),
                vec![Expr {
                    span: m.span,
                    kind: ExprKind::StructLit(
                        t,
                        ty.fields
                            .iter()
                            .map(|x| Some(field(&x.name.name)))
                            .collect(),
                    ),
                }],
            )),
            Some((fname, false, _)) => Ok((
                fname.clone(),
                ty.fields.iter().map(|x| field(&x.name.name)).collect(),
            )),
            Some((_, true, _)) => err(
                m.span,
                format!(
                    "{}.{} has a pointer receiver: grace does not take the address of a value receiver's copy; give this method a pointer receiver too",
                    ty.name, m.name
                ),
            ),
            None => err(
                m.span,
                format!(
                    "{}.{} undefined (type {} has no method {})",
                    ty.name, m.name, ty.name, m.name
                ),
            ),
        }
    }

    /// A method call has as many arguments as the method declares (checked
    /// here, where the receiver is not yet one of them).
    fn arity(&self, t: u16, recv: &str, m: &Ident, args: &[Expr], span: Span) -> DResult<()> {
        let Some((_, _, n)) = self.layout.types[t as usize].methods.get(&m.name) else {
            return Ok(());
        };
        // `x.M(f())` may pass several results: the lowering counts them
        if matches!(
            args,
            [Expr {
                kind: ExprKind::Call(..),
                ..
            }]
        ) || args.len() == *n
        {
            return Ok(());
        }
        err(
            span,
            format!(
                "wrong number of arguments in call to {recv}.{}: expected {n}, found {}",
                m.name,
                args.len()
            ),
        )
    }

    /// Go's error when type `t` has no field `f`.
    fn has_field(&self, t: u16, f: &Ident) -> DResult<()> {
        let ty = &self.layout.types[t as usize];
        if ty.fields.iter().any(|x| x.name.name == f.name) {
            return Ok(());
        }
        err(
            f.span,
            format!(
                "{}.{} undefined (type {} has no field {})",
                ty.name, f.name, ty.name, f.name
            ),
        )
    }

    /// Field `f` of the instance that `idx` computes: its array, indexed.
    fn field(&self, t: u16, idx: Expr, f: &Ident, span: Span) -> DResult<Expr> {
        let ty = &self.layout.types[t as usize];
        if !ty.fields.iter().any(|x| x.name.name == f.name) {
            let what = if ty.methods.contains_key(&f.name) {
                format!("method values are not supported: call it, `.{}(…)`", f.name)
            } else {
                format!(
                    "{}.{} undefined (type {} has no field or method {})",
                    ty.name, f.name, ty.name, f.name
                )
            };
            return err(f.span, what);
        }
        Ok(Expr {
            kind: ExprKind::Index(
                Box::new(name_expr(&field_array(&ty.name, &f.name), f.span)),
                Box::new(idx),
            ),
            span,
        })
    }

    /// An assignment's target (`sync`: a sync object's, for `once.Do`).
    fn lvalue(&mut self, lv: &mut LValue, sync: bool) -> DResult<()> {
        if let Some(i) = &mut lv.index {
            self.expr(i)?;
        }
        let sym = self.lookup(&lv.name.name);
        // `w.Do(func() {…})` with `w` embedding a sync.Once
        let promoted = match (sync, sym, &lv.field, &lv.index) {
            (true, Some(Sym::Inst(t, _) | Sym::Ptr(t)), None, None) => self.layout.types
                [t as usize]
                .fields
                .iter()
                .find(|x| x.embedded && matches!(x.ty, TypeExpr::Once))
                .map(|x| x.name.clone()),
            _ => None,
        };
        if promoted.is_some() {
            lv.field = promoted;
        }
        let Some(f) = lv.field.take() else {
            if let Some(Sym::Inst(..) | Sym::Val(_)) = sym {
                return err(
                    lv.span,
                    format!(
                        "assigning a whole struct is not supported: assign its fields, `{}.f = …`",
                        lv.name.name
                    ),
                );
            }
            return Ok(());
        };
        if let (Some(Sym::Value(t)), None) = (sym, &lv.index) {
            // a struct value's field: set in its local by the lowering
            self.has_field(t, &f)?;
            lv.field = Some(f);
            return Ok(());
        }
        if let (Some(Sym::Val(t)), None) = (sym, &lv.index) {
            self.has_field(t, &f)?;
            lv.name.name = format!("{}.{}", lv.name.name, f.name);
            return Ok(());
        }
        let idx = match (sym, lv.index.take()) {
            (Some(Sym::Arr(t, k, len)), Some(i)) => (t, element_index(k, len, i).kind),
            (_, Some(i)) => {
                return err(
                    i.span,
                    format!("`{}` is not an array of structs", lv.name.name),
                );
            }
            (Some(Sym::Inst(t, k)), None) => (t, k.idx(lv.name.span).kind),
            (Some(Sym::Ptr(t)), None) => (
                t,
                ExprKind::Deref(Box::new(name_expr(&lv.name.name, lv.name.span))),
            ),
            // a local the pass cannot type (`j := <-jobs`, a range or
            // case variable): a struct value's field if the lowering finds
            // it one, refused there otherwise
            (None | Some(Sym::Other), None) => {
                lv.field = Some(f);
                return Ok(());
            }
            _ => {
                return err(
                    lv.name.span,
                    format!(
                        "`{}` is not a struct: {}.{} cannot be assigned",
                        lv.name.name, lv.name.name, f.name
                    ),
                );
            }
        };
        let ty = &self.layout.types[idx.0 as usize];
        let Some(field) = ty.fields.iter().find(|x| x.name.name == f.name) else {
            return err(
                f.span,
                format!(
                    "{}.{} undefined (type {} has no field {})",
                    ty.name, f.name, ty.name, f.name
                ),
            );
        };
        if !sync && crate::front::globals::sync_kind(&field.ty).is_some() {
            return err(
                f.span,
                format!(
                    "cannot assign to {}.{}: a sync object is changed only by its methods",
                    lv.name.name, f.name
                ),
            );
        }
        lv.name = Ident {
            name: field_array(&ty.name, &f.name),
            span: lv.name.span,
        };
        lv.index = Some(Expr {
            kind: idx.1,
            span: lv.span,
        });
        Ok(())
    }
}

/// What `make(T, …)` makes, as a name declared from it would be (`Other`
/// for anything but a `make` of a type this pass follows).
fn made_sym(e: &Expr) -> Sym {
    match &e.kind {
        ExprKind::Call(f, args) if matches!(&f.kind, ExprKind::Name(n) if n == "make") => {
            match args.first().map(|a| &a.kind) {
                Some(ExprKind::Type(t)) => super::sym_of_type(t),
                _ => Sym::Other,
            }
        }
        _ => Sym::Other,
    }
}
