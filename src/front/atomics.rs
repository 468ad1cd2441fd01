//! The variables the function forms of sync/atomic use
//! (`atomic.AddInt64(&n, 1)`): found before the top level is laid out,
//! because such a variable is an atomic location — it lives with the
//! atomics (the sync table), where every memory model and the race
//! detector treat its accesses as atomic ones. `&x` is valid only there, so
//! every `&x` or `&x[i]` in the file names one.

use crate::front::ast::*;
use std::collections::HashMap;

/// The names taken with `&` anywhere in the file, each with its first use.
pub fn atomic_targets(file: &File) -> HashMap<String, Span> {
    let mut found = HashMap::new();
    for item in &file.items {
        if let Item::Func(f) = item {
            block(&f.body, &mut found);
        }
    }
    found
}

/// The names taken with `&` in one function's body (func literals in it
/// included), each with its first use: the locals that are atomic
/// variables if the body declares them.
pub fn targets_in(body: &Block) -> HashMap<String, Span> {
    let mut found = HashMap::new();
    block(body, &mut found);
    found
}

type Found = HashMap<String, Span>;

fn block(b: &Block, found: &mut Found) {
    for s in &b.stmts {
        stmt(s, found);
    }
}

fn lvalue(lv: &LValue, found: &mut Found) {
    if let Some(i) = &lv.index {
        expr(i, found);
    }
}

fn stmt(s: &Stmt, found: &mut Found) {
    let exprs = |es: &[Expr], found: &mut Found| es.iter().for_each(|e| expr(e, found));
    match &s.kind {
        StmtKind::Var(_, _, Some(e))
        | StmtKind::ShortDecl(_, e)
        | StmtKind::Expr(e)
        | StmtKind::Go(e)
        | StmtKind::Defer(e) => expr(e, found),
        StmtKind::Return(es) => exprs(es, found),
        StmtKind::Assign(lvs, e) => {
            lvs.iter().for_each(|lv| lvalue(lv, found));
            expr(e, found);
        }
        StmtKind::MultiDecl(_, es) => exprs(es, found),
        StmtKind::MultiAssign(lvs, es) => {
            lvs.iter().for_each(|lv| lvalue(lv, found));
            exprs(es, found);
        }
        StmtKind::OpAssign(lv, _, e) => {
            lvalue(lv, found);
            expr(e, found);
        }
        StmtKind::IncDec(lv, _) => lvalue(lv, found),
        StmtKind::Send(a, b) => {
            expr(a, found);
            expr(b, found);
        }
        StmtKind::If(init, c, then, els) => {
            init.iter().for_each(|s| stmt(s, found));
            expr(c, found);
            block(then, found);
            els.iter().for_each(|s| stmt(s, found));
        }
        StmtKind::For(kind, body) => {
            match kind {
                ForKind::Forever => {}
                ForKind::Cond(c) | ForKind::Range(_, _, c) => expr(c, found),
                ForKind::Clause(init, c, post) => {
                    init.iter().for_each(|s| stmt(s, found));
                    c.iter().for_each(|c| expr(c, found));
                    post.iter().for_each(|s| stmt(s, found));
                }
            }
            block(body, found);
        }
        StmtKind::Select(clauses) => {
            for c in clauses {
                match &c.case {
                    CommCase::Recv { chan, .. } => expr(chan, found),
                    CommCase::Send { chan, value, .. } => {
                        expr(chan, found);
                        expr(value, found);
                    }
                    CommCase::Default(_) => {}
                }
                c.body.iter().for_each(|s| stmt(s, found));
            }
        }
        StmtKind::GoLit(_, body, args, _) | StmtKind::DeferLit(_, body, args, _) => {
            block(body, found);
            exprs(args, found);
        }
        StmtKind::Block(b) => block(b, found),
        StmtKind::Switch(init, tag, clauses) => {
            init.iter().for_each(|s| stmt(s, found));
            tag.iter().for_each(|t| expr(t, found));
            for c in clauses {
                exprs(&c.exprs, found);
                c.body.iter().for_each(|s| stmt(s, found));
            }
        }
        StmtKind::Labeled(_, s) => stmt(s, found),
        StmtKind::Const(decls) => decls.iter().for_each(|c| expr(&c.value, found)),
        StmtKind::VarSpecs(specs) => {
            for v in specs {
                v.values.iter().for_each(|(es, _)| exprs(es, found));
            }
        }
        StmtKind::OnceDoLit(recv, _, body, _, _) => {
            lvalue(recv, found);
            block(body, found);
        }
        StmtKind::FuncBind(b) => block(&b.body, found),
        // listed, not `_`: a new statement kind must say where its
        // expressions are, or a `&x` in it would be missed
        StmtKind::Var(_, _, None)
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Fallthrough
        | StmtKind::BreakTo(_)
        | StmtKind::ContinueTo(_) => {}
    }
}

fn expr(e: &Expr, found: &mut Found) {
    match &e.kind {
        ExprKind::Unary(UnOp::Addr, x) => {
            let target = match &x.kind {
                ExprKind::Index(a, i) => {
                    expr(i, found);
                    a
                }
                _ => x,
            };
            if let ExprKind::Name(n) = &target.kind {
                found.entry(n.clone()).or_insert(e.span);
            }
        }
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            expr(a, found);
            expr(b, found);
        }
        ExprKind::Selector(a, _) | ExprKind::Unary(_, a) => expr(a, found),
        ExprKind::Call(f, args) => {
            expr(f, found);
            args.iter().for_each(|a| expr(a, found));
        }
        _ => {}
    }
}
