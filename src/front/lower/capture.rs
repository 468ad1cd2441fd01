//! Func literals that use the variables of the function around them
//! (`go func() { out <- id * 2 }()`). A variable that nobody assigns
//! after its declaration is captured by value: the literal gets its value
//! as a hidden parameter, evaluated where the literal is, and since the
//! variable never changes no run can tell the copy from the variable. A
//! loop variable of `for i := …; …; i++` counts as unassigned when only
//! the post statement assigns it: since Go 1.22 each iteration has its
//! own variable, which the post statement does not change (it changes the
//! next iteration's). A captured variable that is assigned is refused by
//! name. A local array nobody assigns an element of is captured the same
//! way, one hidden parameter per element.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::Ty;
use std::collections::HashSet;

/// The names a piece of code uses (each use, in order) and the names it
/// may assign (deep: nested func literals included; an over-approximation,
/// since a name may stand for different variables in different scopes).
#[derive(Default)]
pub(super) struct Names {
    pub used: Vec<String>,
    pub assigned: HashSet<String>,
    /// The names whose elements it may assign (`a[i] = v`, `m[k] = v`).
    pub index_assigned: HashSet<String>,
    /// Does a `return` give values? It assigns the named results.
    pub returns_values: bool,
}

impl Names {
    pub(super) fn of_block(b: &Block) -> Names {
        let mut n = Names::default();
        n.stmts(&b.stmts);
        n
    }

    fn stmts(&mut self, ss: &[Stmt]) {
        for s in ss {
            self.stmt(s);
        }
    }

    fn block(&mut self, b: &Block) {
        self.stmts(&b.stmts);
    }

    fn lvalue(&mut self, lv: &LValue) {
        self.used.push(lv.name.name.clone());
        // `m[k] = v` changes the map, not the variable holding it (a
        // local array's elements are never shared: `captures` refuses it)
        match &lv.index {
            Some(i) => {
                self.index_assigned.insert(lv.name.name.clone());
                self.expr(i)
            }
            None => {
                self.assigned.insert(lv.name.name.clone());
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Var(_, _, e) => e.iter().for_each(|e| self.expr(e)),
            StmtKind::VarSpecs(specs) => {
                for sp in specs {
                    for e in sp.values.iter().flat_map(|(v, _)| v) {
                        self.expr(e);
                    }
                }
            }
            StmtKind::Const(cs) => cs.iter().for_each(|c| self.expr(&c.value)),
            StmtKind::ShortDecl(names, e) => {
                // `a, ok := <-ch` may assign an `a` declared before
                if names.len() > 1 {
                    self.assigned.extend(names.iter().map(|n| n.name.clone()));
                }
                self.expr(e);
            }
            StmtKind::MultiDecl(names, es) => {
                self.assigned.extend(names.iter().map(|n| n.name.clone()));
                es.iter().for_each(|e| self.expr(e));
            }
            StmtKind::Assign(lvs, e) => {
                lvs.iter().for_each(|l| self.lvalue(l));
                self.expr(e);
            }
            StmtKind::MultiAssign(lvs, es) => {
                lvs.iter().for_each(|l| self.lvalue(l));
                es.iter().for_each(|e| self.expr(e));
            }
            StmtKind::OpAssign(lv, _, e) => {
                self.lvalue(lv);
                self.expr(e);
            }
            StmtKind::IncDec(lv, _) => self.lvalue(lv),
            StmtKind::Send(c, v) => {
                self.expr(c);
                self.expr(v);
            }
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => self.expr(e),
            StmtKind::If(init, c, then, els) => {
                init.iter().for_each(|s| self.stmt(s));
                self.expr(c);
                self.block(then);
                els.iter().for_each(|s| self.stmt(s));
            }
            StmtKind::For(kind, body) => self.for_stmt(kind, body),
            StmtKind::Select(clauses) => {
                for c in clauses {
                    match &c.case {
                        CommCase::Recv {
                            names,
                            define,
                            chan,
                            ..
                        } => {
                            if !define {
                                self.assigned.extend(names.iter().map(|n| n.name.clone()));
                            }
                            self.used.extend(names.iter().map(|n| n.name.clone()));
                            self.expr(chan);
                        }
                        CommCase::Send { chan, value, .. } => {
                            self.expr(chan);
                            self.expr(value);
                        }
                        CommCase::Default(_) => {}
                    }
                    self.stmts(&c.body);
                }
            }
            StmtKind::GoLit(_, body, args, _) | StmtKind::DeferLit(_, body, args, _) => {
                self.block(body);
                args.iter().for_each(|e| self.expr(e));
            }
            StmtKind::OnceDoLit(lv, _, body, _, _) => {
                self.used.push(lv.name.name.clone());
                self.block(body);
            }
            // its `return`s give its own results, not the function's
            StmtKind::FuncBind(b) => {
                let returns = self.returns_values;
                self.block(&b.body);
                self.returns_values = returns;
            }
            StmtKind::Return(es) => {
                self.returns_values |= !es.is_empty();
                es.iter().for_each(|e| self.expr(e));
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Switch(init, tag, clauses) => {
                init.iter().for_each(|s| self.stmt(s));
                tag.iter().for_each(|e| self.expr(e));
                for c in clauses {
                    c.exprs.iter().for_each(|e| self.expr(e));
                    self.stmts(&c.body);
                }
            }
            StmtKind::Labeled(_, s) => self.stmt(s),
            StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Fallthrough
            | StmtKind::BreakTo(_)
            | StmtKind::ContinueTo(_) => {}
        }
    }

    /// A `for`: the variables its clause declares are each iteration's
    /// own, so the post statement's assignments to them do not count.
    fn for_stmt(&mut self, kind: &ForKind, body: &Block) {
        match kind {
            ForKind::Forever => {}
            ForKind::Cond(c) => self.expr(c),
            ForKind::Clause(init, cond, post) => {
                let mut declared = HashSet::new();
                if let Some(i) = init {
                    if let StmtKind::ShortDecl(ns, _) | StmtKind::MultiDecl(ns, _) = &i.kind {
                        declared.extend(ns.iter().map(|n| n.name.clone()));
                    }
                    self.stmt(i);
                }
                cond.iter().for_each(|c| self.expr(c));
                if let Some(p) = post {
                    let mut inner = Names::default();
                    inner.stmt(p);
                    self.used.extend(inner.used);
                    self.assigned
                        .extend(inner.assigned.into_iter().filter(|n| !declared.contains(n)));
                }
            }
            ForKind::Range(k, v, e) => {
                self.used.extend(k.iter().chain(v).map(|n| n.name.clone()));
                self.expr(e);
            }
        }
        self.block(body);
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                self.used.push(n.clone());
            }
            ExprKind::Index(a, i) => {
                self.expr(a);
                self.expr(i);
            }
            ExprKind::Selector(a, _) => self.expr(a),
            ExprKind::Call(f, args) => {
                self.expr(f);
                args.iter().for_each(|a| self.expr(a));
            }
            // `&x` lets a sync/atomic function change x
            ExprKind::Unary(UnOp::Addr, a) => {
                if let ExprKind::Name(n) = &a.kind {
                    self.assigned.insert(n.clone());
                }
                self.expr(a);
            }
            ExprKind::Unary(_, a)
            | ExprKind::PtrTo(_, a)
            | ExprKind::Deref(a)
            | ExprKind::CheckIndex(a, _) => self.expr(a),
            ExprKind::Composite(_, _, elems) => elems.iter().for_each(|(_, v)| self.expr(v)),
            ExprKind::StructLit(_, fields) => fields.iter().flatten().for_each(|v| self.expr(v)),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::MapLit(_, entries) => {
                for (k, v) in entries {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::SliceLit(_, elems) => elems.iter().for_each(|e| self.expr(e)),
            ExprKind::Int(_)
            | ExprKind::MinIntMagnitude
            | ExprKind::Bool(_)
            | ExprKind::Str(_)
            | ExprKind::Unit
            | ExprKind::Type(_) => {}
            ExprKind::New(_, site) => site.fields.iter().for_each(|(_, v)| self.expr(v)),
        }
    }
}

impl Lowerer<'_> {
    /// The variables of the function being lowered (`fx`) that a func
    /// literal with this body uses, in slot order: each becomes a hidden
    /// parameter of the literal, its value passed where the literal is.
    pub(super) fn captures(
        &self,
        fx: &Fx,
        params: &[Param],
        body: &Block,
    ) -> DResult<Vec<(String, Local)>> {
        let used: std::collections::BTreeSet<String> =
            Names::of_block(body).used.into_iter().collect();
        let mut out: Vec<(String, Local)> = Vec::new();
        for n in &used {
            if params.iter().any(|p| &p.name.name == n) {
                continue;
            }
            // a shared variable is reached as the global it is
            // a func variable is passed as its function's captured values
            // (`funcval.rs`)
            let Some(l) = Self::lookup_local(fx, n)
                .filter(|l| l.shared.is_none() && l.object.is_none() && l.func.is_none())
            else {
                continue;
            };
            out.push((n.clone(), l));
        }
        out.sort_by_key(|(_, l)| l.slot);
        for (n, l) in &out {
            let span = first_use(body, n).unwrap_or(body.span);
            // an array nobody writes is copied, element by element, as
            // a variable nobody assigns is
            if l.len.is_some() && (fx.index_assigned.contains(n) || fx.assigned.contains(n)) {
                return err(
                    span,
                    format!(
                        "the func literal uses the array `{n}` of the function around it, whose elements are assigned: grace does not share local arrays with func literals yet; pass the elements it needs as arguments"
                    ),
                );
            }
            if fx.assigned.contains(n) {
                return err(
                    span,
                    format!(
                        "the func literal uses `{n}`, which is assigned: grace shares an assigned variable with a func literal only where its declaration runs once per run (in main, or a function called once from there, outside any loop) and the literal is started by `go` or bound to a variable (`f := func…`); pass `{n}` as an argument, or use a top-level variable"
                    ),
                );
            }
            if matches!(l.ty, Ty::Unit | Ty::Nil) {
                return err(span, format!("`{n}` cannot be captured"));
            }
        }
        Ok(out)
    }
}

/// Where `name` is first written in a block (for the error's caret).
fn first_use(b: &Block, name: &str) -> Option<Span> {
    fn expr(e: &Expr, name: &str) -> Option<Span> {
        match &e.kind {
            ExprKind::Name(n) if n == name => Some(e.span),
            ExprKind::Index(a, i) | ExprKind::Binary(_, a, i) => {
                expr(a, name).or_else(|| expr(i, name))
            }
            ExprKind::Selector(a, _) | ExprKind::Unary(_, a) => expr(a, name),
            ExprKind::Call(f, args) => {
                expr(f, name).or_else(|| args.iter().find_map(|a| expr(a, name)))
            }
            _ => None,
        }
    }
    fn stmt(s: &Stmt, name: &str) -> Option<Span> {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => expr(e, name),
            StmtKind::Send(c, v) => expr(c, name).or_else(|| expr(v, name)),
            StmtKind::ShortDecl(_, e) | StmtKind::Var(_, _, Some(e)) => expr(e, name),
            StmtKind::Assign(lvs, e) => lvs
                .iter()
                .find(|l| l.name.name == name)
                .map(|l| l.name.span)
                .or_else(|| expr(e, name)),
            StmtKind::OpAssign(lv, _, e) => (lv.name.name == name)
                .then_some(lv.name.span)
                .or_else(|| expr(e, name)),
            StmtKind::IncDec(lv, _) => (lv.name.name == name).then_some(lv.name.span),
            StmtKind::Return(es) => es.iter().find_map(|e| expr(e, name)),
            StmtKind::If(_, c, t, e) => expr(c, name)
                .or_else(|| t.stmts.iter().find_map(|s| stmt(s, name)))
                .or_else(|| e.as_ref().and_then(|s| stmt(s, name))),
            StmtKind::For(_, b) | StmtKind::Block(b) => b.stmts.iter().find_map(|s| stmt(s, name)),
            StmtKind::GoLit(_, b, args, _) | StmtKind::DeferLit(_, b, args, _) => b
                .stmts
                .iter()
                .find_map(|s| stmt(s, name))
                .or_else(|| args.iter().find_map(|a| expr(a, name))),
            StmtKind::FuncBind(fb) => fb.body.stmts.iter().find_map(|s| stmt(s, name)),
            StmtKind::Select(cl) => cl.iter().find_map(|c| {
                let case = match &c.case {
                    CommCase::Recv { chan, .. } => expr(chan, name),
                    CommCase::Send { chan, value, .. } => {
                        expr(chan, name).or_else(|| expr(value, name))
                    }
                    CommCase::Default(_) => None,
                };
                case.or_else(|| c.body.iter().find_map(|s| stmt(s, name)))
            }),
            _ => None,
        }
    }
    b.stmts.iter().find_map(|s| stmt(s, name))
}

/// The names the func literals started by `go` in this body use (deep:
/// literals inside them too): the variables a goroutine may share.
pub(super) fn go_literal_names(b: &Block) -> HashSet<String> {
    fn stmts(ss: &[Stmt], out: &mut HashSet<String>) {
        for s in ss {
            stmt(s, out);
        }
    }
    fn stmt(s: &Stmt, out: &mut HashSet<String>) {
        match &s.kind {
            // a bound literal may be started by `go` (`go add(1)`), or
            // called by a goroutine's literal
            StmtKind::GoLit(_, body, _, _) => out.extend(Names::of_block(body).used),
            // (its parameters and named results are its own variables
            // wherever its body names them)
            StmtKind::FuncBind(b) => {
                let own: HashSet<&String> = (b.params.iter().map(|p| &p.name.name))
                    .chain(
                        b.results
                            .iter()
                            .filter_map(|r| r.name.as_ref().map(|n| &n.name)),
                    )
                    .collect();
                let used = Names::of_block(&b.body).used.into_iter();
                out.extend(used.filter(|n| !own.contains(n)));
            }
            StmtKind::DeferLit(_, body, _, _) | StmtKind::OnceDoLit(_, _, body, _, _) => {
                stmts(&body.stmts, out)
            }
            StmtKind::If(init, _, then, els) => {
                init.iter().for_each(|s| stmt(s, out));
                stmts(&then.stmts, out);
                els.iter().for_each(|s| stmt(s, out));
            }
            StmtKind::For(_, body) | StmtKind::Block(body) => stmts(&body.stmts, out),
            StmtKind::Select(cl) => cl.iter().for_each(|c| stmts(&c.body, out)),
            StmtKind::Switch(init, _, cl) => {
                init.iter().for_each(|s| stmt(s, out));
                cl.iter().for_each(|c| stmts(&c.body, out));
            }
            StmtKind::Labeled(_, s) => stmt(s, out),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    stmts(&b.stmts, &mut out);
    out
}

/// Most plain shared slots in a program (as for the top level's).
const MAX_PLAIN_SLOTS: usize = 16_384;

impl Lowerer<'_> {
    /// Is the variable `name`, about to be declared here, shared with
    /// goroutines? Only a variable of main's (or an init's) body outside
    /// any loop — one variable per run — that a func literal started by
    /// `go` uses and that somebody assigns: it is then a plain shared
    /// variable like a top-level one, its reads and writes steps, racing
    /// and reported under its name.
    pub(super) fn shares(&self, fx: &Fx, name: &str) -> bool {
        fx.once && fx.loop_depth == 0 && fx.go_used.contains(name) && fx.assigned.contains(name)
    }

    /// Declare `name` of type `t` as a shared variable, its initial value
    /// on the operand stack (written: the declaration's step).
    pub(super) fn declare_shared(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        t: Ty,
        span: Span,
    ) -> DResult<()> {
        if !(t.is_int() || t == Ty::Bool) {
            return err(
                name.span,
                format!(
                    "`{}` is a {} used by a goroutine's func literal and assigned: grace shares only integer and bool variables between goroutines; pass it as an argument",
                    name.name,
                    t.name()
                ),
            );
        }
        if self.plain_names.len() >= MAX_PLAIN_SLOTS {
            return err(
                span,
                format!("too many shared variables: at most {MAX_PLAIN_SLOTS}"),
            );
        }
        let taken = self.g.syms.contains_key(&name.name)
            || self.globals.iter().any(|g| g.name == name.name);
        let shown = if taken {
            let (l, c) = self.src.line_col(name.span.start);
            format!("{}@{l}:{c}", name.name)
        } else {
            name.name.clone()
        };
        let slot = self.plain_names.len() as u32;
        self.plain_names.push(shown.clone());
        self.plain_tys.push(t);
        self.plain_init.push(0);
        self.globals.push(crate::ir::GlobalInfo {
            name: shown,
            ty: t,
            len: None,
            place: crate::ir::Place::Plain,
            base: slot,
        });
        self.emit(
            fx,
            crate::ir::Instr::Write(crate::ir::Ref::Fixed(slot)),
            span,
        );
        fx.scopes.last_mut().expect("a scope").insert(
            name.name.clone(),
            Local {
                shared: Some(slot),
                ..Local::slotless(t)
            },
        );
        Ok(())
    }
}

/// Where a body may declare what is shared (a sync object, an atomic),
/// for the messages that refuse it elsewhere.
const WHERE_ONCE: &str = "in main, an init, a function called once from them or a func literal that `go` or `defer` starts there, outside loops, or at top level";

impl Lowerer<'_> {
    /// `var wg sync.WaitGroup` (or a mutex, RWMutex, Once, or an atomic
    /// type: `var ops atomic.Uint64`) in a body: where the body runs once
    /// per run, outside any loop, it is one object for the run, as a
    /// top-level one is, named by the variable (func literals inside see
    /// it; `&wg` is its pointer). Anywhere else it would be a new object
    /// each time: refused.
    pub(super) fn local_sync(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        kind: crate::ir::SyncKind,
        span: Span,
    ) -> DResult<()> {
        use crate::ir::SyncKind as K;
        if !(fx.once && fx.loop_depth == 0) {
            let what = match kind {
                K::AtomicInt(_) | K::AtomicBool => "an atomic",
                _ => "a sync object",
            };
            return err(
                span,
                format!(
                    "{what} declared in a loop or in a function that may run more than once is not supported yet (it would be a new object each time): declare it {WHERE_ONCE}, and pass a pointer (`&wg`)"
                ),
            );
        }
        if !matches!(
            kind,
            K::Mutex | K::RWMutex | K::WaitGroup | K::Once | K::AtomicInt(_) | K::AtomicBool
        ) {
            return err(span, "this sync object must be declared at top level");
        }
        self.local_object(fx, name, kind, 0)?;
        Ok(())
    }

    /// `var n int64` (or `n := int64(v)`) whose address goes to the
    /// functions of sync/atomic in this function (`atomic.AddInt64(&n,
    /// 1)`): an atomic variable, as a top-level one is, where the body runs
    /// once per run outside loops; its value is on the operand stack.
    /// A constant value is the object's initial one; any other is stored
    /// by an atomic step, where the declaration is.
    pub(super) fn declare_atomic_var(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        (t, init): (Ty, Option<&Expr>),
        span: Span,
    ) -> DResult<()> {
        let at = fx.atomic_targets[&name.name];
        let (line, col) = self.src.line_col(at.start);
        if !(fx.once && fx.loop_depth == 0) {
            return err(
                name.span,
                format!(
                    "`{}` is used with sync/atomic functions ({line}:{col}), so it is shared like an atomic: grace declares one once per run, {WHERE_ONCE}; declare it there",
                    name.name
                ),
            );
        }
        let konst = match init {
            None => Some(0),
            Some(e) if self.is_const(fx, e) => Some(self.constant_here(fx, e)?.0),
            Some(_) => None,
        };
        let base = self.local_object(
            fx,
            name,
            crate::ir::SyncKind::AtomicVar(t),
            konst.unwrap_or(0),
        )?;
        let instr = match konst {
            Some(_) => crate::ir::Instr::Pop,
            None => {
                crate::ir::Instr::Atomic(crate::ir::AtomicOp::Store, crate::ir::Ref::Fixed(base))
            }
        };
        self.emit(fx, instr, span);
        Ok(())
    }

    /// Is a variable `name` of type `t` declared here an atomic variable
    /// (`declare_atomic_var`)? Only one of the types the functions of
    /// sync/atomic take: for another, their call says what is wrong.
    pub(super) fn is_atomic_var(fx: &Fx, name: &str, t: Ty) -> bool {
        fx.atomic_targets.contains_key(name)
            && matches!(t, Ty::Int32 | Ty::Int64 | Ty::Uint32 | Ty::Uint64)
    }

    /// One more object of the sync table, for the variable `name` of this
    /// scope (shown as `name@L:C` if a top-level name or an earlier one
    /// takes it); an atomic is among the outcome's values, as a top-level
    /// one is.
    fn local_object(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        kind: crate::ir::SyncKind,
        init: i64,
    ) -> DResult<u32> {
        if fx.scopes.last().expect("a scope").contains_key(&name.name) {
            return err(
                name.span,
                format!("`{}` redeclared in this block", name.name),
            );
        }
        let taken = self.g.syms.contains_key(&name.name)
            || self.sync_names.contains(&name.name)
            || self.globals.iter().any(|g| g.name == name.name);
        let shown = if taken {
            let (l, c) = self.src.line_col(name.span.start);
            format!("{}@{l}:{c}", name.name)
        } else {
            name.name.clone()
        };
        let base = self.sync_kinds.len() as u32;
        self.sync_kinds.push(kind);
        self.sync_names.push(shown.clone());
        self.sync_init.push(init);
        if let Some(ty) = kind.value_ty() {
            self.globals.push(crate::ir::GlobalInfo {
                name: shown,
                ty,
                len: None,
                place: crate::ir::Place::Atomic,
                base,
            });
        }
        if name.name != "_" {
            fx.scopes.last_mut().expect("a scope").insert(
                name.name.clone(),
                Local {
                    object: Some((kind, base)),
                    ..Local::slotless(Ty::Unit)
                },
            );
        }
        Ok(base)
    }
}

/// The declared functions whose body runs at most once per run: `main`
/// (unless some function names it: Go lets main be called), each `init`,
/// and a function named exactly once in the whole program, from a body
/// that runs at most once, outside any loop and any func literal (a call,
/// a `go`, a `defer`, `once.Do(f)`: whatever the one place does, it does it
/// once). A `make`, a sync object or a shared variable in such a body is
/// one for the run.
pub(super) fn once_functions(file: &File) -> HashSet<String> {
    // per function: the names its body uses, each with whether the use may
    // run many times (in a loop or a func literal)
    let mut uses: Vec<(String, Vec<(String, bool)>)> = Vec::new();
    for it in &file.items {
        if let Item::Func(f) = it {
            let mut out = Vec::new();
            walk_stmts(&f.body.stmts, false, &mut out);
            // a method is named as `front::structs` names its function
            // (`(*T).M`): never `main`, `init` or a function's name
            let name = match &f.receiver {
                Some(r) => format!("(*{}).{}", r.ty.name, f.name.name),
                None => f.name.name.clone(),
            };
            uses.push((name, out));
        }
    }
    let count = |name: &str| {
        uses.iter()
            .flat_map(|(_, u)| u)
            .filter(|(n, _)| n == name)
            .count()
    };
    let mut once: HashSet<String> = HashSet::new();
    if count("main") == 0 {
        once.insert("main".to_string());
    }
    once.insert("init".to_string());
    loop {
        let mut grew = false;
        for (f, _) in &uses {
            if once.contains(f) || count(f) != 1 {
                continue;
            }
            let from_once = uses
                .iter()
                .any(|(g, u)| once.contains(g) && u.iter().any(|(n, many)| n == f && !many));
            if from_once {
                once.insert(f.clone());
                grew = true;
            }
        }
        if !grew {
            return once;
        }
    }
}

fn walk_stmts(ss: &[Stmt], many: bool, out: &mut Vec<(String, bool)>) {
    for s in ss {
        let mut names = Names::default();
        // the expressions of this statement alone, then its inner blocks
        match &s.kind {
            StmtKind::If(init, c, then, els) => {
                if let Some(i) = init {
                    walk_stmts(std::slice::from_ref(i), many, out);
                }
                names.expr(c);
                walk_stmts(&then.stmts, many, out);
                if let Some(e) = els {
                    walk_stmts(std::slice::from_ref(e), many, out);
                }
            }
            StmtKind::For(kind, body) => {
                let mut inner = Names::default();
                inner.for_stmt(kind, &Block::default());
                out.extend(inner.used.into_iter().map(|n| (n, true)));
                walk_stmts(&body.stmts, true, out);
            }
            StmtKind::Block(b) => walk_stmts(&b.stmts, many, out),
            StmtKind::Labeled(_, s) => walk_stmts(std::slice::from_ref(s), many, out),
            StmtKind::Select(cl) => {
                for c in cl {
                    match &c.case {
                        CommCase::Recv { chan, .. } => names.expr(chan),
                        CommCase::Send { chan, value, .. } => {
                            names.expr(chan);
                            names.expr(value);
                        }
                        CommCase::Default(_) => {}
                    }
                    walk_stmts(&c.body, many, out);
                }
            }
            StmtKind::Switch(init, tag, cl) => {
                if let Some(i) = init {
                    walk_stmts(std::slice::from_ref(i), many, out);
                }
                if let Some(t) = tag {
                    names.expr(t);
                }
                for c in cl {
                    c.exprs.iter().for_each(|e| names.expr(e));
                    walk_stmts(&c.body, many, out);
                }
            }
            StmtKind::GoLit(_, body, args, _) | StmtKind::DeferLit(_, body, args, _) => {
                args.iter().for_each(|e| names.expr(e));
                walk_stmts(&body.stmts, true, out);
            }
            StmtKind::OnceDoLit(lv, _, body, _, _) => {
                names.used.push(lv.name.name.clone());
                walk_stmts(&body.stmts, true, out);
            }
            // a bound literal may be called any number of times
            StmtKind::FuncBind(b) => walk_stmts(&b.body.stmts, true, out),
            // `f := g`: a function kept as a value may be called any
            // number of times
            StmtKind::ShortDecl(
                _,
                Expr {
                    kind: ExprKind::Name(n),
                    ..
                },
            )
            | StmtKind::Var(
                _,
                _,
                Some(Expr {
                    kind: ExprKind::Name(n),
                    ..
                }),
            ) => out.push((n.clone(), true)),
            _ => names.stmt(s),
        }
        out.extend(names.used.into_iter().map(|n| (n, many)));
    }
}

#[cfg(test)]
mod tests {
    use super::once_functions;

    fn once(src: &str) -> Vec<String> {
        let file = crate::front::parse::parse(src).expect("parses");
        let mut v: Vec<String> = once_functions(&file).into_iter().collect();
        v.sort();
        v
    }

    /// A function runs once when named once, from a body that runs once,
    /// outside loops and func literals; main unless something names it.
    #[test]
    fn functions_that_run_once() {
        let v = once(
            "func a() {}\nfunc b() { a() }\nfunc c() {}\nfunc d() {}\nfunc e() {}\n\
             func main() { b(); c(); c(); for { d() }; go func() { e() }() }\n",
        );
        assert_eq!(v, ["a", "b", "init", "main"]);
        // twice in one expression is twice; main named anywhere is not once
        let v = once(
            "func f() int { return 1 }\nfunc main() { println(f() + f()); if false { main() } }\n",
        );
        assert_eq!(v, ["init"]);
        // a goroutine started once runs its body once
        let v = once("func w() {}\nfunc main() { go w() }\n");
        assert_eq!(v, ["init", "main", "w"]);
    }
}
