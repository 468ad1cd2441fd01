//! Top-level declarations with several names or in groups (`var a, b int`,
//! `var ( … )`, `const ( … )` with `iota`), parsed into one item per name:
//! every global initial value is a constant, so a declaration of several
//! names means exactly what its names declared one by one mean.

use super::{Rule, expr, ident, span_of, type_expr};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use pest::iterators::Pair;

/// The parts of one spec: its names, its type and its values.
struct Spec {
    names: Vec<Ident>,
    ty: Option<(TypeExpr, Span)>,
    values: Option<(Vec<Expr>, Span)>,
    span: Span,
}

fn spec(p: Pair<Rule>) -> DResult<Spec> {
    let span = span_of(&p);
    let mut s = Spec {
        names: Vec::new(),
        ty: None,
        values: None,
        span,
    };
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::ident_list => s.names = q.into_inner().map(ident).collect(),
            Rule::expr_list | Rule::value_list => {
                let at = span_of(&q);
                let es = q.into_inner().map(expr).collect::<DResult<Vec<_>>>()?;
                s.values = Some((es, at));
            }
            _ => {
                let at = span_of(&q);
                s.ty = Some((type_expr(q)?, at));
            }
        }
    }
    Ok(s)
}

/// Go's message when names and values do not pair up.
fn mismatch(names: &[Ident], values: &[Expr], at: Span) -> DResult<()> {
    if names.len() == values.len() {
        return Ok(());
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    Err(Diagnostic::new(
        at,
        format!(
            "assignment mismatch: {} but {}",
            plural(names.len(), "variable"),
            plural(values.len(), "value")
        ),
    ))
}

/// `var a, b T`, `var a, b = 1, 2`, `var ( … )`: one `VarDecl` per name.
pub(super) fn var_group(p: Pair<Rule>) -> DResult<Vec<Item>> {
    let mut items = Vec::new();
    for q in p.into_inner().filter(|q| q.as_rule() == Rule::var_spec) {
        let s = spec(q)?;
        let values = match &s.values {
            Some((vs, at)) => {
                mismatch(&s.names, vs, *at)?;
                vs.iter().cloned().map(Some).collect()
            }
            None => vec![None; s.names.len()],
        };
        // `_` declares nothing, and a global's value is a constant with no
        // effect to keep
        for (name, init) in s.names.into_iter().zip(values) {
            if name.name == "_" {
                continue;
            }
            items.push(Item::Var(VarDecl {
                name,
                ty: s.ty.clone(),
                init,
                span: s.span,
            }));
        }
    }
    Ok(items)
}

/// `var a, b T`, `var ( … )` in a function body: its specs as written
/// (their values are evaluated at run time, so they stay together).
pub(super) fn var_specs(p: Pair<Rule>) -> DResult<Vec<VarSpec>> {
    p.into_inner()
        .filter(|q| q.as_rule() == Rule::var_spec)
        .map(|q| {
            let s = spec(q)?;
            Ok(VarSpec {
                names: s.names,
                ty: s.ty,
                values: s.values,
                span: s.span,
            })
        })
        .collect()
}

/// The type and values that a later spec without values repeats.
type Repeated = (Option<(TypeExpr, Span)>, Vec<Expr>);

/// `const a, b = 1, 2` and `const ( … )`: one `ConstDecl` per name. In a
/// group, a spec without values repeats the previous spec's type and values,
/// and `iota` is the spec's index in the group (Go's rules).
pub(super) fn const_group(p: Pair<Rule>) -> DResult<Vec<Item>> {
    let mut items = Vec::new();
    let mut prev: Option<Repeated> = None;
    let specs = p.into_inner().filter(|q| q.as_rule() == Rule::const_spec);
    for (iota, q) in specs.enumerate() {
        let s = spec(q)?;
        let (ty, values) = match (s.values, &prev) {
            (Some((vs, at)), _) => {
                mismatch(&s.names, &vs, at)?;
                (s.ty, vs)
            }
            (None, Some(_)) if s.ty.is_some() => {
                return Err(Diagnostic::new(
                    s.span,
                    "a constant with a type needs a value: write `name T = value`",
                ));
            }
            (None, Some((t, vs))) => {
                if let Some(n) = s.names.get(vs.len()) {
                    return Err(Diagnostic::new(
                        n.span,
                        format!("missing init expr for {}", n.name),
                    ));
                }
                if vs.len() > s.names.len() {
                    return Err(Diagnostic::new(s.span, "extra init expr"));
                }
                (t.clone(), vs.clone())
            }
            (None, None) => {
                return Err(Diagnostic::new(
                    s.span,
                    format!(
                        "missing init expr for {}: the first constant of a group needs a value (`{} = …`)",
                        s.names[0].name, s.names[0].name
                    ),
                ));
            }
        };
        prev = Some((ty.clone(), values.clone()));
        for (name, v) in s.names.into_iter().zip(values) {
            if name.name == "_" {
                continue; // `_ = iota` skips a value, as in Go
            }
            items.push(Item::Const(ConstDecl {
                name,
                ty: ty.clone(),
                value: with_iota(v, iota as i64),
                span: s.span,
            }));
        }
    }
    Ok(items)
}

/// A single `const x = e`: `iota` is 0 there.
pub(super) fn iota_zero(mut c: ConstDecl) -> ConstDecl {
    c.value = with_iota(c.value, 0);
    c
}

/// `e` with each `iota` replaced by its value in this spec.
fn with_iota(mut e: Expr, iota: i64) -> Expr {
    fn walk(e: &mut Expr, iota: i64) {
        match &mut e.kind {
            ExprKind::Name(n) if n == "iota" => e.kind = ExprKind::Int(iota),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                walk(a, iota);
                walk(b, iota);
            }
            ExprKind::Selector(a, _) | ExprKind::Unary(_, a) => walk(a, iota),
            ExprKind::Call(f, args) => {
                walk(f, iota);
                args.iter_mut().for_each(|a| walk(a, iota));
            }
            _ => {}
        }
    }
    walk(&mut e, iota);
    e
}
