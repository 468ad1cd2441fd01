//! Source text → syntax tree, with the pest grammar in `grammar/grace.pest`.

use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/grace.pest"]
struct GraceParser;

#[path = "parse_decl.rs"]
mod decl;

/// Brackets nested deeper than this are refused before parsing, so that no
/// input can exhaust the parser's stack.
pub const MAX_NESTING: usize = 100;

/// Parse a whole file.
pub fn parse(text: &str) -> DResult<File> {
    check_nesting(text)?;
    let mut pairs = GraceParser::parse(Rule::file, text).map_err(convert_error)?;
    let file = pairs.next().expect("file rule");
    let mut items = Vec::new();
    for p in file.into_inner() {
        match p.as_rule() {
            Rule::package_decl | Rule::import_decl | Rule::EOI => {}
            Rule::const_decl => items.push(Item::Const(decl::iota_zero(const_decl(p)?))),
            Rule::var_decl => {
                let span = span_of(&p);
                let (name, ty, init) = var_parts(p)?;
                items.push(Item::Var(VarDecl {
                    name,
                    ty,
                    init,
                    span,
                }))
            }
            Rule::var_group => items.extend(decl::var_group(p)?),
            Rule::const_group => items.extend(decl::const_group(p)?),
            Rule::func_decl => items.push(Item::Func(func_decl(p)?)),
            Rule::expect_decl => items.push(Item::Expect(expect_decl(p)?)),
            Rule::type_decl => items.push(Item::Type(type_decl(p)?)),
            r => unreachable!("top-level rule {r:?}"),
        }
    }
    Ok(File { items })
}

fn check_nesting(text: &str) -> DResult<()> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Diagnostic::new(
                        Span::new(i, i + 1),
                        format!("brackets nested more than {MAX_NESTING} deep"),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                // skip a string literal
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn rule_name(r: &Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "end of file",
        Rule::ident => "a name",
        Rule::expr | Rule::postfix_expr | Rule::for_cond | Rule::expr_stmt => "an expression",
        Rule::int_lit => "an integer",
        Rule::string_lit => "a string",
        Rule::block => "`{`",
        Rule::rbrace => "`}`",
        Rule::rparen => "`)`",
        Rule::params => "`(`",
        Rule::args | Rule::call_args => "`(`",
        Rule::index => "`[`",
        Rule::selector => "`.`",
        Rule::package_decl => "`package`",
        Rule::import_decl => "`import`",
        Rule::const_decl => "`const`",
        Rule::var_decl | Rule::var_stmt => "`var`",
        Rule::func_decl => "`func`",
        Rule::expect_decl => "`expect`",
        Rule::expect_kind => "`exists`, `never` or `forall`",
        Rule::array_type
        | Rule::chan_type
        | Rule::map_type
        | Rule::mutex_type
        | Rule::rwmutex_type
        | Rule::wg_type
        | Rule::once_type
        | Rule::atomic_int_type
        | Rule::atomic_bool_type
        | Rule::int_type
        | Rule::sized_int_type
        | Rule::bool_type
        | Rule::string_type
        | Rule::struct_type => "a type",
        Rule::param_group => "a parameter",
        Rule::short_decl => "`:=`",
        Rule::assign | Rule::post_assign => "`=`",
        Rule::op_assign | Rule::assign_op => "an assignment operator",
        Rule::incdec | Rule::incdec_op => "`++` or `--`",
        Rule::send_stmt | Rule::send_case => "`<-`",
        Rule::if_stmt => "`if`",
        Rule::for_stmt => "`for`",
        Rule::select_stmt => "`select`",
        Rule::go_stmt => "`go`",
        Rule::defer_stmt => "`defer`",
        Rule::once_do_lit => "`Do`",
        Rule::return_stmt => "`return`",
        Rule::break_stmt => "`break`",
        Rule::continue_stmt => "`continue`",
        Rule::switch_stmt => "`switch`",
        Rule::case_clause => "`case` or `default`",
        Rule::labeled_stmt => "a label",
        Rule::goto_stmt => "`goto`",
        Rule::fallthrough_stmt => "`fallthrough`",
        Rule::switch_init | Rule::switch_tag | Rule::type_switch_guard => "an expression",
        Rule::comm_clause | Rule::default_case => "`case` or `default`",
        Rule::recv_case | Rule::recv_expr | Rule::recv_op => "`<-`",
        Rule::or_op
        | Rule::and_op
        | Rule::eq
        | Rule::ne
        | Rule::le
        | Rule::ge
        | Rule::lt
        | Rule::gt
        | Rule::add
        | Rule::sub
        | Rule::mul
        | Rule::div
        | Rule::rem => "an operator",
        Rule::neg | Rule::not => "an expression",
        Rule::paren => "an expression",
        Rule::true_lit | Rule::false_lit | Rule::struct_lit => "an expression",
        Rule::kw_else => "`else`",
        Rule::kw_range => "`range`",
        Rule::kw_case => "`case`",
        Rule::kw_default => "`default`",
        Rule::lvalue => "a name",
        Rule::recv_bind => "`:=` or `=`",
        Rule::for_range | Rule::for_clause | Rule::for_init | Rule::for_post => "a statement",
        Rule::range_assign => "a name",
        Rule::lv_deep => "`.`",
        Rule::for_cond_opt => "an expression",
        Rule::func_lit_call | Rule::func_lit | Rule::func_type => "`func`",
        Rule::func_bind => "`:=`",
        Rule::var_func => "`var`",
        _ => return None,
    })
}

fn convert_error(e: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let input = e.line().to_string();
    let _ = input;
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(rule_name).collect();
            names.sort();
            names.dedup();
            // "an expression" subsumes the literal forms of it
            if names.is_empty() {
                "syntax error".to_string()
            } else {
                format!("syntax error: expected {}", join_or(&names))
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::new(Span::new(pos, pos + 1), message)
}

fn join_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [a] => a.to_string(),
        _ => {
            let (last, rest) = names.split_last().unwrap();
            format!("{} or {}", rest.join(", "), last)
        }
    }
}

/// Add what was found at the error position to a syntax error message.
pub fn describe_found(text: &str, d: &mut Diagnostic) {
    if !d.message.starts_with("syntax error") {
        return;
    }
    let rest = &text[d.span.start.min(text.len())..];
    if rest.starts_with("/*") && !rest[2..].contains("*/") {
        d.message = "comment not terminated: expected `*/`".into();
        return;
    }
    if let Some(after) = rest.strip_prefix('"') {
        let line = after.split('\n').next().unwrap_or("");
        let mut escaped = false;
        let closed = line.chars().any(|c| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        });
        if !closed {
            d.message =
                "string literal not terminated: expected a closing `\"` on the same line".into();
            return;
        }
    }
    if let Some(name) = literal_type_before(text, d.span.start) {
        d.message = format!(
            "a struct literal inside an expression needs parentheses in grace: write `({name}{{…}})` (Go needs them only in `if`, `for` and `switch` headers; grace reads `{name}{{` as a literal only where a whole value is written: after `=` or `:=`, as an argument, a result or an element)"
        );
        return;
    }
    let found = match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n') | Some('\r') => "end of line".to_string(),
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let w: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            format!("`{w}`")
        }
        Some(c) if c.is_control() => format!("byte {:#04x}", c as u32),
        Some(c) => format!("`{c}`"),
    };
    d.message = format!("{}, found {}", d.message, found);
}

fn span_of(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

fn ident(p: Pair<Rule>) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span_of(&p),
    }
}

fn const_decl(p: Pair<Rule>) -> DResult<ConstDecl> {
    let span = span_of(&p);
    let mut it = p.into_inner();
    let _kw = it.next();
    let name = ident(it.next().unwrap());
    let mut ty = None;
    let mut value = None;
    for q in it {
        if q.as_rule() == Rule::expr {
            value = Some(expr(q)?);
        } else {
            let s = span_of(&q);
            ty = Some((type_expr(q)?, s));
        }
    }
    Ok(ConstDecl {
        name,
        ty,
        value: value.unwrap(),
        span,
    })
}

type VarParts = (Ident, Option<(TypeExpr, Span)>, Option<Expr>);

fn var_parts(p: Pair<Rule>) -> DResult<VarParts> {
    let mut it = p.into_inner();
    let _kw = it.next();
    let name = ident(it.next().unwrap());
    let mut ty = None;
    let mut init = None;
    for q in it {
        if matches!(q.as_rule(), Rule::expr | Rule::comp_value) {
            init = Some(expr(q)?);
        } else {
            let s = span_of(&q);
            ty = Some((type_expr(q)?, s));
        }
    }
    Ok((name, ty, init))
}

fn type_expr(p: Pair<Rule>) -> DResult<TypeExpr> {
    Ok(match p.as_rule() {
        Rule::int_type => TypeExpr::Int,
        Rule::sized_int_type => TypeExpr::Integer(Ty::integer_named(p.as_str()).unwrap_or(Ty::Int)),
        Rule::bool_type => TypeExpr::Bool,
        Rule::string_type => TypeExpr::Str,
        Rule::struct_type => TypeExpr::Struct,
        Rule::mutex_type => TypeExpr::Mutex,
        Rule::rwmutex_type => TypeExpr::RWMutex,
        Rule::wg_type => TypeExpr::WaitGroup,
        Rule::once_type => TypeExpr::Once,
        Rule::atomic_int_type => {
            let name = p.as_str().rsplit('.').next().unwrap_or("");
            TypeExpr::AtomicInt(Ty::integer_named(&name.to_ascii_lowercase()).unwrap_or(Ty::Int64))
        }
        Rule::atomic_bool_type => TypeExpr::AtomicBool,
        Rule::chan_type => {
            let mut dir = Dir::Both;
            let mut elem = None;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::recv_mark => dir = Dir::Recv,
                    Rule::send_mark => dir = Dir::Send,
                    Rule::kw_chan => {}
                    _ => elem = Some(type_expr(q)?),
                }
            }
            TypeExpr::Chan(
                dir,
                Box::new(elem.expect("a channel type has an element type")),
            )
        }
        Rule::ptr_type => {
            let inner = p
                .into_inner()
                .next()
                .expect("a pointer type has a base type");
            TypeExpr::Ptr(Box::new(type_expr(inner)?))
        }
        Rule::array_type => {
            let mut it = p.into_inner();
            let n = expr(it.next().unwrap())?;
            let t = type_expr(it.next().unwrap())?;
            TypeExpr::Array(Box::new(n), Box::new(t))
        }
        Rule::named_type => TypeExpr::Named(ident(p.into_inner().next().expect("a name"))),
        Rule::map_type => {
            let mut it = p.into_inner().filter(|q| q.as_rule() != Rule::kw_map);
            let k = type_expr(it.next().unwrap())?;
            let v = type_expr(it.next().unwrap())?;
            TypeExpr::Map(Box::new(k), Box::new(v))
        }
        r => unreachable!("type rule {r:?}"),
    })
}

fn params(p: Pair<Rule>) -> DResult<Vec<Param>> {
    let mut out = Vec::new();
    for g in p.into_inner() {
        let mut names = Vec::new();
        let mut ty = None;
        for q in g.into_inner() {
            if q.as_rule() == Rule::ident {
                names.push(ident(q));
            } else {
                let s = span_of(&q);
                ty = Some((type_expr(q)?, s));
            }
        }
        let (ty, ty_span) = ty.unwrap();
        for name in names {
            out.push(Param {
                name,
                ty: ty.clone(),
                ty_span,
            });
        }
    }
    Ok(out)
}

fn func_decl(p: Pair<Rule>) -> DResult<FuncDecl> {
    let span = span_of(&p);
    let mut it = p.into_inner();
    let _kw = it.next();
    let mut receiver = None;
    let mut first = it.next().unwrap();
    if first.as_rule() == Rule::receiver {
        let rs = span_of(&first);
        // `(a *T)`, `(*T)` (no name: `_`), `(a T)` or `(T)`
        let parts: Vec<Pair<Rule>> = first.into_inner().collect();
        let ptr = parts.iter().any(|q| q.as_rule() == Rule::ptr_mark);
        let names: Vec<Ident> = parts
            .into_iter()
            .filter(|q| q.as_rule() == Rule::ident)
            .map(ident)
            .collect();
        let ty = names.last().expect("a receiver names its type").clone();
        let name = match names.len() {
            2 => names[0].clone(),
            _ => Ident {
                name: "_".into(),
                span: ty.span,
            },
        };
        receiver = Some(Receiver {
            name,
            ty,
            ptr,
            span: rs,
        });
        first = it.next().unwrap();
    }
    let name = ident(first);
    let ps = params(it.next().unwrap())?;
    let (results, body) = results_and_body(it)?;
    Ok(FuncDecl {
        receiver,
        name,
        params: ps,
        results,
        body,
        span,
    })
}

/// A function's (or func literal's) results, then its body: what follows
/// its parameters.
fn results_and_body<'i>(
    it: impl Iterator<Item = Pair<'i, Rule>>,
) -> DResult<(Vec<ResultParam>, Block)> {
    let mut results = Vec::new();
    let mut body = None;
    for q in it {
        match q.as_rule() {
            Rule::block => body = Some(block(q)?),
            Rule::results => results = result_list(q)?,
            _ => {
                let ty_span = span_of(&q);
                results.push(ResultParam {
                    name: None,
                    ty: type_expr(q)?,
                    ty_span,
                });
            }
        }
    }
    Ok((
        results,
        body.expect("the grammar gives a function its body"),
    ))
}

/// `(int, bool)` or `(n int, ok bool)`: a function's results in
/// parentheses, named or not.
fn result_list(p: Pair<Rule>) -> DResult<Vec<ResultParam>> {
    let mut out = Vec::new();
    for q in p.into_inner() {
        if q.as_rule() == Rule::result_types {
            for t in q.into_inner() {
                let ty_span = span_of(&t);
                let ty = type_expr(t)?;
                out.push(ResultParam {
                    name: None,
                    ty,
                    ty_span,
                });
            }
            continue;
        }
        // a param_group: names then their type
        let (mut names, mut ty) = (Vec::new(), None);
        for r in q.into_inner() {
            if r.as_rule() == Rule::ident {
                names.push(ident(r));
            } else {
                ty = Some((span_of(&r), type_expr(r)?));
            }
        }
        let (ty_span, ty) = ty.expect("a param_group has a type");
        for n in names {
            out.push(ResultParam {
                name: Some(n),
                ty: ty.clone(),
                ty_span,
            });
        }
    }
    Ok(out)
}

/// `type T struct { fields }`: each field with its type; an embedded one
/// is named by its type (`sync.Mutex` is the field `Mutex`).
fn type_decl(p: Pair<Rule>) -> DResult<TypeDecl> {
    let span = span_of(&p);
    let mut it = p.into_inner().skip(1);
    let name = ident(it.next().unwrap());
    let mut fields = Vec::new();
    for f in it.filter(|q| q.as_rule() == Rule::field_decl) {
        let mut names = Vec::new();
        let mut ty = None;
        for q in f.into_inner() {
            if q.as_rule() == Rule::ident_list {
                names.extend(q.into_inner().map(ident));
            } else {
                ty = Some((span_of(&q), q.as_str().to_string(), type_expr(q)?));
            }
        }
        let (ty_span, text, ty) = ty.expect("a field has a type");
        let embedded = names.is_empty();
        if embedded {
            let short = text
                .rsplit('.')
                .next()
                .unwrap_or(&text)
                .trim_start_matches('*');
            names.push(Ident {
                name: short.to_string(),
                span: ty_span,
            });
        }
        for n in names {
            fields.push(Field {
                name: n,
                ty: ty.clone(),
                ty_span,
                embedded,
            });
        }
    }
    Ok(TypeDecl { name, fields, span })
}

fn expect_decl(p: Pair<Rule>) -> DResult<ExpectDecl> {
    let span = span_of(&p);
    let mut it = p.into_inner();
    let _kw = it.next();
    let k = it.next().unwrap();
    let kind = match k.into_inner().next().unwrap().as_rule() {
        Rule::kw_exists => ExpectKind::Exists,
        Rule::kw_never => ExpectKind::Never,
        _ => ExpectKind::Forall,
    };
    let cond = expr(it.next().unwrap())?;
    Ok(ExpectDecl { kind, cond, span })
}

fn block(p: Pair<Rule>) -> DResult<Block> {
    let span = span_of(&p);
    let stmts = p
        .into_inner()
        .filter(|q| q.as_rule() != Rule::rbrace)
        .map(stmt)
        .collect::<DResult<Vec<_>>>()?;
    Ok(Block { stmts, span })
}

fn lvalue(p: Pair<Rule>) -> DResult<LValue> {
    let span = span_of(&p);
    let mut it = p.into_inner();
    let name = ident(it.next().unwrap());
    let (mut index, mut field, mut key) = (None, None, None);
    for q in it {
        match q.as_rule() {
            Rule::ident => field = Some(ident(q)),
            Rule::lv_key => key = Some(expr(q.into_inner().next().expect("a key"))?),
            Rule::lv_deep => return Err(nested_field(&name, field.as_ref(), &q)),
            _ => index = Some(expr(q)?),
        }
    }
    Ok(LValue {
        name,
        index,
        field,
        key,
        span,
    })
}

/// `s.b.x = …`: grace's struct fields are one level as places (a struct
/// field of struct type is a value, read as `s.b.x` but assigned whole).
fn nested_field(name: &Ident, field: Option<&Ident>, deep: &Pair<Rule>) -> Diagnostic {
    let (n, f) = (&name.name, field.map_or("f", |f| f.name.as_str()));
    let x = deep.as_str().trim_end().trim_start_matches('.');
    let first = x.split('.').next().unwrap_or(x).trim();
    let how = if x.contains('.') {
        "copy each struct out to a local, assign its field and copy it back"
    } else {
        &format!(
            "copy the inner struct out, assign its field and assign it back: `t := {n}.{f}`, `t.{first} = …`, `{n}.{f} = t`"
        )
    };
    let at = span_of(deep);
    let span = Span {
        start: at.start,
        end: at.start + deep.as_str().trim_end().len(),
    };
    Diagnostic::new(
        span,
        format!(
            "cannot assign to `{n}.{f}.{x}`, a field of a struct field: grace assigns a struct's own fields only; {how}"
        ),
    )
}

fn stmt(p: Pair<Rule>) -> DResult<Stmt> {
    let span = span_of(&p);
    let kind = match p.as_rule() {
        Rule::var_stmt => {
            let (n, t, i) = var_parts(p)?;
            StmtKind::Var(n, t, i)
        }
        Rule::var_group => StmtKind::VarSpecs(decl::var_specs(p)?),
        Rule::const_group => StmtKind::Const(
            decl::const_group(p)?
                .into_iter()
                .filter_map(|i| match i {
                    Item::Const(c) => Some(c),
                    _ => None,
                })
                .collect(),
        ),
        Rule::short_decl => {
            let mut names = Vec::new();
            let mut value = None;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::ident => names.push(ident(q)),
                    _ => value = Some(expr(q)?),
                }
            }
            StmtKind::ShortDecl(names, value.unwrap())
        }
        Rule::multi_decl => {
            let (mut names, mut values) = (Vec::new(), Vec::new());
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::ident => names.push(ident(q)),
                    _ => values.push(expr(q)?),
                }
            }
            StmtKind::MultiDecl(names, values)
        }
        Rule::multi_assign => {
            let (mut lvs, mut values) = (Vec::new(), Vec::new());
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::lvalue => lvs.push(lvalue(q)?),
                    _ => values.push(expr(q)?),
                }
            }
            StmtKind::MultiAssign(lvs, values)
        }
        Rule::assign | Rule::post_assign => {
            let mut lvs = Vec::new();
            let mut value = None;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::lvalue => lvs.push(lvalue(q)?),
                    _ => value = Some(expr(q)?),
                }
            }
            StmtKind::Assign(lvs, value.unwrap())
        }
        Rule::op_assign => {
            let mut it = p.into_inner();
            let lv = lvalue(it.next().unwrap())?;
            let op = match it.next().unwrap().as_str() {
                "+=" => AssignOp::Add,
                "-=" => AssignOp::Sub,
                "*=" => AssignOp::Mul,
                "/=" => AssignOp::Div,
                _ => AssignOp::Rem,
            };
            StmtKind::OpAssign(lv, op, expr(it.next().unwrap())?)
        }
        Rule::incdec => {
            let mut it = p.into_inner();
            let lv = lvalue(it.next().unwrap())?;
            StmtKind::IncDec(lv, it.next().unwrap().as_str() == "++")
        }
        Rule::send_stmt => {
            let mut it = p.into_inner();
            let c = expr(it.next().unwrap())?;
            let v = expr(it.next().unwrap())?;
            StmtKind::Send(c, v)
        }
        Rule::expr_stmt => StmtKind::Expr(expr(p.into_inner().next().unwrap())?),
        Rule::if_stmt => {
            let mut init = None;
            let mut cond = None;
            let mut then = None;
            let mut els = None;
            for q in p.into_inner() {
                match q.as_rule() {
                    Rule::kw_if | Rule::kw_else => {}
                    Rule::expr if cond.is_none() => cond = Some(expr(q)?),
                    Rule::block if then.is_none() => then = Some(block(q)?),
                    Rule::block | Rule::if_stmt => els = Some(Box::new(stmt(q)?)),
                    _ => init = Some(Box::new(stmt(q)?)),
                }
            }
            StmtKind::If(init, cond.unwrap(), then.unwrap(), els)
        }
        Rule::for_stmt => for_stmt(p)?,
        Rule::select_stmt => select_stmt(p)?,
        Rule::go_stmt => go_stmt(p)?,
        Rule::defer_stmt => defer_stmt(p)?,
        Rule::once_do_lit => once_do_lit(p)?,
        Rule::func_bind | Rule::var_func => func_bind(p)?,
        Rule::return_stmt => {
            StmtKind::Return(p.into_inner().skip(1).map(expr).collect::<DResult<_>>()?)
        }
        Rule::break_stmt => match p.into_inner().nth(1) {
            Some(l) => StmtKind::BreakTo(ident(l)),
            None => StmtKind::Break,
        },
        Rule::continue_stmt => match p.into_inner().nth(1) {
            Some(l) => StmtKind::ContinueTo(ident(l)),
            None => StmtKind::Continue,
        },
        Rule::goto_stmt => {
            return Err(Diagnostic::new(
                span,
                "`goto` is not supported: use `break L` or `continue L` with a label on the enclosing `for`, `switch` or `select`, or restructure with a loop",
            ));
        }
        Rule::fallthrough_stmt => StmtKind::Fallthrough,
        Rule::labeled_stmt => {
            let mut it = p.into_inner();
            let label = ident(it.next().unwrap());
            StmtKind::Labeled(label, Box::new(stmt(it.next().unwrap())?))
        }
        Rule::switch_stmt => switch_stmt(p)?,
        Rule::block => StmtKind::Block(block(p)?),
        r => unreachable!("statement rule {r:?}"),
    };
    Ok(Stmt { kind, span })
}

/// `for` in its four forms: forever, condition, clause, range.
fn for_stmt(p: Pair<Rule>) -> DResult<StmtKind> {
    let mut kind = ForKind::Forever;
    let mut body = None;
    // `for k, v = range e`: the assignment each iteration starts with
    let mut assigns = None;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::kw_for => {}
            Rule::block => body = Some(block(q)?),
            Rule::for_cond => kind = ForKind::Cond(expr(q.into_inner().next().unwrap())?),
            Rule::for_range => {
                let mut names = Vec::new();
                let mut targets = Vec::new();
                let mut e = None;
                for r in q.into_inner() {
                    match r.as_rule() {
                        Rule::ident => names.push(ident(r)),
                        Rule::expr => e = Some(expr(r)?),
                        Rule::range_assign => {
                            targets = r.into_inner().map(lvalue).collect::<DResult<_>>()?
                        }
                        _ => {}
                    }
                }
                if !targets.is_empty() {
                    names = range_assigned(targets, &mut assigns);
                }
                let mut names = names.into_iter();
                kind = ForKind::Range(names.next(), names.next(), e.unwrap());
            }
            Rule::for_clause => {
                let mut it = q.into_inner();
                let init = it.next().unwrap().into_inner().next();
                let cond = it.next().unwrap().into_inner().next();
                let post = it.next().unwrap().into_inner().next();
                kind = ForKind::Clause(
                    init.map(stmt).transpose()?.map(Box::new),
                    cond.map(expr).transpose()?,
                    post.map(stmt).transpose()?.map(Box::new),
                );
            }
            r => unreachable!("for part {r:?}"),
        }
    }
    let mut body: Block = body.unwrap();
    if let Some(a) = assigns {
        body.stmts.insert(0, a);
    }
    Ok(StmtKind::For(kind, body))
}

/// `for k, v = range e { … }` is `for k', v' := range e { k, v = k', v'; …
/// }`: Go assigns the existing variables at the start of each iteration
/// (so they keep the last values after the loop), and an assignment of a
/// shared variable is a write step like any other. The range declares
/// hidden variables, whose names no program can write; a target that is
/// `_` alone is not assigned (`for _ = range ch` is `for range ch`).
/// Returns the names the range declares; the assignment, if any, goes to
/// `assigns`.
fn range_assigned(targets: Vec<LValue>, assigns: &mut Option<Stmt>) -> Vec<Ident> {
    let blank = |lv: &LValue| {
        lv.name.name == "_" && lv.index.is_none() && lv.field.is_none() && lv.key.is_none()
    };
    let (mut names, mut lvs, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for (lv, hidden) in targets.into_iter().zip(["range key", "range value"]) {
        if blank(&lv) {
            names.push(lv.name);
            continue;
        }
        let span = lv.span;
        names.push(Ident {
            name: hidden.into(),
            span,
        });
        values.push(Expr {
            kind: ExprKind::Name(hidden.into()),
            span,
        });
        lvs.push(lv);
    }
    let Some(first) = lvs.first() else {
        return names;
    };
    let span = Span {
        start: first.span.start,
        end: lvs.last().expect("one").span.end,
    };
    let kind = match values.len() {
        1 => StmtKind::Assign(lvs, values.pop().expect("one")),
        _ => StmtKind::MultiAssign(lvs, values),
    };
    *assigns = Some(Stmt { kind, span });
    names
}

/// `switch [init;] [tag] { case …: … }`; a type switch is refused by name.
fn switch_stmt(p: Pair<Rule>) -> DResult<StmtKind> {
    let mut init = None;
    let mut tag = None;
    let mut clauses = Vec::new();
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::switch_init => init = Some(Box::new(stmt(q.into_inner().next().unwrap())?)),
            Rule::switch_tag => {
                let t = q.into_inner().next().unwrap();
                if t.as_rule() == Rule::type_switch_guard {
                    return Err(Diagnostic::new(
                        span_of(&t),
                        "type switches (`x.(type)`) are not supported: grace has no interfaces; switch on an int or bool value instead",
                    ));
                }
                tag = Some(expr(t)?);
            }
            Rule::case_clause => {
                let span = span_of(&q);
                let mut exprs = Vec::new();
                let mut default = false;
                let mut body = Vec::new();
                for r in q.into_inner() {
                    match r.as_rule() {
                        Rule::kw_case => {}
                        Rule::kw_default => default = true,
                        Rule::expr if body.is_empty() && !default => exprs.push(expr(r)?),
                        _ => body.push(stmt(r)?),
                    }
                }
                clauses.push(CaseClause {
                    exprs,
                    default,
                    body,
                    span,
                });
            }
            _ => {}
        }
    }
    Ok(StmtKind::Switch(init, tag, clauses))
}

/// `select { case …: … }`.
fn select_stmt(p: Pair<Rule>) -> DResult<StmtKind> {
    let mut clauses = Vec::new();
    for q in p.into_inner() {
        if q.as_rule() != Rule::comm_clause {
            continue;
        }
        let cspan = span_of(&q);
        let mut it = q.into_inner();
        let mut first = it.next().unwrap();
        if first.as_rule() == Rule::kw_case {
            first = it.next().unwrap();
        }
        let case = match first.as_rule() {
            Rule::default_case => CommCase::Default(span_of(&first)),
            Rule::send_case => {
                let s = span_of(&first);
                let mut c = first.into_inner();
                let chan = expr(c.next().unwrap())?;
                let value = expr(c.next().unwrap())?;
                CommCase::Send {
                    chan,
                    value,
                    span: s,
                }
            }
            _ => {
                let s = span_of(&first);
                let mut names = Vec::new();
                let mut define = false;
                let mut chan = None;
                for r in first.into_inner() {
                    match r.as_rule() {
                        Rule::ident => names.push(ident(r)),
                        Rule::recv_bind => define = r.as_str().starts_with(':'),
                        _ => {
                            let mut c = r.into_inner();
                            chan = Some(postfix_expr(c.next().unwrap())?);
                        }
                    }
                }
                CommCase::Recv {
                    names,
                    define,
                    chan: chan.unwrap(),
                    span: s,
                }
            }
        };
        let body = it.map(stmt).collect::<DResult<Vec<_>>>()?;
        clauses.push(CommClause {
            case,
            body,
            span: cspan,
        });
    }
    Ok(StmtKind::Select(clauses))
}

/// `go f(args)` or `go func(params) { … }(args)`.
fn go_stmt(p: Pair<Rule>) -> DResult<StmtKind> {
    let q = p.into_inner().nth(1).unwrap();
    if q.as_rule() == Rule::func_lit_call {
        let (ps, body, args, at) =
            func_lit_call(q, "a function started with `go` cannot return a value")?;
        Ok(StmtKind::GoLit(ps, body, args, at))
    } else {
        Ok(StmtKind::Go(expr(q)?))
    }
}

/// `func(params) { body }(args)` after `go` or `defer`: its parts, or
/// `with_result` at a result type (the value would be lost).
fn func_lit_call(
    q: Pair<Rule>,
    with_result: &str,
) -> DResult<(Vec<Param>, Block, Vec<Expr>, Span)> {
    let mut it = q.into_inner();
    let at = span_of(&it.next().unwrap());
    let ps = params(it.next().unwrap())?;
    let (mut body, mut args) = (None, Vec::new());
    for r in it {
        match r.as_rule() {
            Rule::block => body = Some(block(r)?),
            Rule::args => args = call_args(r)?,
            _ => return Err(Diagnostic::new(span_of(&r), with_result)),
        }
    }
    Ok((ps, body.unwrap(), args, at))
}

/// `defer f(args)`, `defer mu.Unlock()` or `defer func(params) { … }(args)`.
fn defer_stmt(p: Pair<Rule>) -> DResult<StmtKind> {
    let q = p.into_inner().nth(1).unwrap();
    if q.as_rule() != Rule::func_lit_call {
        return Ok(StmtKind::Defer(expr(q)?));
    }
    let (ps, body, args, at) = func_lit_call(
        q,
        "a deferred func literal with a result is not supported: its result would be discarded; drop the result type",
    )?;
    Ok(StmtKind::DeferLit(ps, body, args, at))
}

/// `f := func(params) results { body }` or `var f [func type] = func…`.
fn func_bind(p: Pair<Rule>) -> DResult<StmtKind> {
    let short = p.as_rule() == Rule::func_bind;
    let (mut name, mut declared, mut lit) = (None, None, None);
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::ident => name = Some(ident(q)),
            Rule::func_type => declared = Some(func_type(q)?),
            Rule::func_lit => lit = Some(q),
            Rule::args => {
                return Err(Diagnostic::new(
                    span_of(&q),
                    "a func literal called at once is supported only after `go` or `defer`: bind it to a variable and call that (`f := func(…) {…}`, then `v := f(…)`), or declare a function",
                ));
            }
            _ => {}
        }
    }
    let name: Ident = name.expect("a func_bind names its variable");
    if short && name.name == "_" {
        return Err(Diagnostic::new(
            name.span,
            "no new variables on left side of :=",
        ));
    }
    let mut it = lit.expect("a func_bind has its literal").into_inner();
    let at = span_of(&it.next().unwrap());
    let params = params(it.next().unwrap())?;
    let (results, body) = results_and_body(it)?;
    Ok(StmtKind::FuncBind(Box::new(FuncBind {
        name,
        params,
        results,
        body,
        at,
        declared,
    })))
}

/// `func(int, string) bool`: a func type.
fn func_type(p: Pair<Rule>) -> DResult<FuncType> {
    let span = span_of(&p);
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::kw_func => {}
            Rule::params => ps.extend(params(q)?.into_iter().map(|p| (p.ty, p.ty_span))),
            Rule::func_type_params => {
                for t in q.into_inner() {
                    let s = span_of(&t);
                    ps.push((type_expr(t)?, s));
                }
            }
            Rule::results => rs.extend(result_list(q)?.into_iter().map(|r| (r.ty, r.ty_span))),
            _ => {
                let s = span_of(&q);
                rs.push((type_expr(q)?, s));
            }
        }
    }
    Ok(FuncType {
        params: ps,
        results: rs,
        span,
    })
}

/// `once.Do(func(params) [result] { body })`.
fn once_do_lit(p: Pair<Rule>) -> DResult<StmtKind> {
    let mut it = p.into_inner();
    let recv = lvalue(it.next().unwrap())?;
    let at = span_of(&it.next().unwrap());
    let ps = params(it.next().unwrap())?;
    let (mut body, mut result) = (None, None);
    for r in it {
        match r.as_rule() {
            Rule::block => body = Some(block(r)?),
            Rule::rparen => {}
            _ => result = Some(span_of(&r)),
        }
    }
    Ok(StmtKind::OnceDoLit(recv, ps, body.unwrap(), at, result))
}

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::rem, Assoc::Left))
            .op(Op::prefix(Rule::neg)
                | Op::prefix(Rule::not)
                | Op::prefix(Rule::recv_op)
                | Op::prefix(Rule::addr))
    })
}

fn expr(p: Pair<Rule>) -> DResult<Expr> {
    if p.as_rule() == Rule::comp_value {
        return composite(p);
    }
    pratt()
        .map_primary(postfix_expr)
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let s = op.as_span();
            let uop = match op.as_rule() {
                Rule::neg => UnOp::Neg,
                Rule::not => UnOp::Not,
                Rule::addr => UnOp::Addr,
                _ => UnOp::Recv,
            };
            // Fold `-<literal>` so that the most negative int can be written.
            if let (UnOp::Neg, ExprKind::MinIntMagnitude) = (uop, &rhs.kind) {
                return Ok(Expr {
                    kind: ExprKind::Int(i64::MIN),
                    span: Span::new(s.start(), rhs.span.end),
                });
            }
            if let (UnOp::Neg, ExprKind::Int(v)) = (uop, &rhs.kind) {
                return Ok(Expr {
                    kind: ExprKind::Int(v.wrapping_neg()),
                    span: Span::new(s.start(), rhs.span.end),
                });
            }
            Ok(Expr {
                span: Span::new(s.start(), rhs.span.end),
                kind: ExprKind::Unary(uop, Box::new(rhs)),
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let bop = match op.as_rule() {
                Rule::or_op => BinOp::Or,
                Rule::and_op => BinOp::And,
                Rule::eq => BinOp::Eq,
                Rule::ne => BinOp::Ne,
                Rule::lt => BinOp::Lt,
                Rule::le => BinOp::Le,
                Rule::gt => BinOp::Gt,
                Rule::ge => BinOp::Ge,
                Rule::add => BinOp::Add,
                Rule::sub => BinOp::Sub,
                Rule::mul => BinOp::Mul,
                Rule::div => BinOp::Div,
                _ => BinOp::Rem,
            };
            Ok(Expr {
                span: Span::new(lhs.span.start, rhs.span.end),
                kind: ExprKind::Binary(bop, Box::new(lhs), Box::new(rhs)),
            })
        })
        .parse(p.into_inner())
}

/// `T{f: e, …}`, `T{e, …}` or `&T{…}`.
fn composite(p: Pair<Rule>) -> DResult<Expr> {
    let span = span_of(&p);
    let mut addr = false;
    let mut ty = None;
    let mut elems = Vec::new();
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::addr_mark => addr = true,
            Rule::ident => ty = Some(ident(q)),
            _ => {
                let mut it = q.into_inner();
                let first = it.next().expect("an element");
                elems.push(match it.next() {
                    Some(v) => (Some(ident(first)), expr(v)?),
                    None => (None, expr(first)?),
                });
            }
        }
    }
    Ok(Expr {
        kind: ExprKind::Composite(addr, ty.expect("a type name"), elems),
        span,
    })
}

fn call_args(p: Pair<Rule>) -> DResult<Vec<Expr>> {
    p.into_inner()
        .filter(|q| q.as_rule() != Rule::rparen)
        .map(|q| {
            if matches!(q.as_rule(), Rule::chan_type | Rule::map_type) {
                let span = span_of(&q);
                Ok(Expr {
                    kind: ExprKind::Type(type_expr(q)?),
                    span,
                })
            } else {
                expr(q)
            }
        })
        .collect()
}

fn postfix_expr(p: Pair<Rule>) -> DResult<Expr> {
    let mut it = p.into_inner();
    let first = it.next().unwrap();
    let mut e = primary(first)?;
    for q in it {
        let qs = span_of(&q);
        let span = Span::new(e.span.start, qs.end);
        let kind = match q.as_rule() {
            Rule::index => {
                ExprKind::Index(Box::new(e), Box::new(expr(q.into_inner().next().unwrap())?))
            }
            Rule::selector => {
                ExprKind::Selector(Box::new(e), ident(q.into_inner().next().unwrap()))
            }
            Rule::call_args => {
                ExprKind::Call(Box::new(e), call_args(q.into_inner().next().unwrap())?)
            }
            r => unreachable!("postfix {r:?}"),
        };
        e = Expr { kind, span };
    }
    Ok(e)
}

fn primary(p: Pair<Rule>) -> DResult<Expr> {
    let span = span_of(&p);
    let kind = match p.as_rule() {
        Rule::paren => {
            return expr(p.into_inner().next().unwrap()).map(|mut e| {
                e.span = span;
                e
            });
        }
        Rule::int_lit => match int_literal(p.as_str()).map_err(|m| Diagnostic::new(span, m))? {
            v if v <= i64::MAX as u64 => ExprKind::Int(v as i64),
            // 9223372036854775808 is only valid negated (the minimum int).
            v if v == i64::MAX as u64 + 1 => ExprKind::MinIntMagnitude,
            _ => {
                return Err(Diagnostic::new(
                    span,
                    format!("integer literal {} overflows int (64 bits)", p.as_str()),
                ));
            }
        },
        Rule::true_lit => ExprKind::Bool(true),
        Rule::false_lit => ExprKind::Bool(false),
        Rule::struct_lit => ExprKind::Unit,
        Rule::map_lit => {
            let mut it = p.into_inner();
            let ty = type_expr(it.next().unwrap())?;
            let mut entries = Vec::new();
            for q in it {
                let mut kv = q.into_inner();
                entries.push((expr(kv.next().unwrap())?, expr(kv.next().unwrap())?));
            }
            ExprKind::MapLit(ty, entries)
        }
        Rule::slice_lit => {
            let mut it = p.into_inner();
            let ty = type_expr(it.next().unwrap())?;
            ExprKind::SliceLit(ty, it.map(expr).collect::<DResult<_>>()?)
        }
        Rule::new_cond => {
            // the call `sync.NewCond(&mu)`, its argument a unary `&` of mu
            let mu = ident(p.into_inner().next().unwrap());
            let name = |s: &str, at: Span| Expr {
                kind: ExprKind::Name(s.into()),
                span: at,
            };
            let sel = Span::new(span.start, span.start + "sync.NewCond".len());
            let f = Expr {
                kind: ExprKind::Selector(
                    Box::new(name("sync", sel)),
                    Ident {
                        name: "NewCond".into(),
                        span: sel,
                    },
                ),
                span: sel,
            };
            let arg = Expr {
                kind: ExprKind::Unary(UnOp::Addr, Box::new(name(&mu.name, mu.span))),
                span: Span::new(mu.span.start - 1, mu.span.end),
            };
            ExprKind::Call(Box::new(f), vec![arg])
        }
        Rule::string_lit => {
            let raw = p.into_inner().next().map(|q| q.as_str()).unwrap_or("");
            let mut s = String::new();
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('a') => s.push('\x07'),
                        Some('b') => s.push('\x08'),
                        Some('f') => s.push('\x0c'),
                        Some('v') => s.push('\x0b'),
                        Some(u @ ('u' | 'U')) => {
                            // the grammar took exactly 4 or 8 hex digits;
                            // Go refuses surrogates and values past U+10FFFF
                            let n = if u == 'u' { 4 } else { 8 };
                            let hex: String = chars.by_ref().take(n).collect();
                            let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                            match c {
                                Some(c) => s.push(c),
                                None => {
                                    return Err(Diagnostic::new(
                                        span,
                                        format!(
                                            "escape sequence \\{u}{hex} is an invalid Unicode code point"
                                        ),
                                    ));
                                }
                            }
                        }
                        Some(o) => s.push(o),
                        None => {}
                    }
                } else {
                    s.push(c);
                }
            }
            ExprKind::Str(s)
        }
        Rule::ident => ExprKind::Name(p.as_str().to_string()),
        r => unreachable!("primary {r:?}"),
    };
    Ok(Expr { kind, span })
}

/// The value of an integer literal as Go reads it: `0x1F`, `0o17`, `0b101`,
/// `017` (a leading 0 is octal, as in Go), `1_000`; an error names a digit
/// out of its base or a value past 64 bits.
fn int_literal(text: &str) -> Result<u64, String> {
    let bytes = text.as_bytes();
    let (radix, digits) = match bytes.get(1).map(u8::to_ascii_lowercase) {
        Some(b'x') => (16, &text[2..]),
        Some(b'o') => (8, &text[2..]),
        Some(b'b') => (2, &text[2..]),
        Some(_) if bytes[0] == b'0' => (8, &text[1..]),
        _ => (10, text),
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if let Some(bad) = digits.chars().find(|c| !c.is_digit(radix)) {
        let base = match radix {
            2 => "binary",
            8 => "octal",
            _ => "decimal",
        };
        return Err(format!("invalid digit '{bad}' in {base} literal {text}"));
    }
    u64::from_str_radix(&digits, radix)
        .map_err(|_| format!("integer literal {text} overflows int (64 bits)"))
}

/// For a syntax error: is it caused by a Go feature outside the language?
/// Looks on the error's line first, then anywhere before it, so that
/// `grace check main.go` names the feature (a map, a slice, a method, a
/// `string`…) instead of reporting a generic syntax error.
pub fn unsupported_go_feature(text: &str, err: usize) -> Option<Diagnostic> {
    let line_start = text[..err.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    if let Some(d) = string_escape(text, err, line_end) {
        return Some(d);
    }
    if let Some(d) = raw_string(text, err) {
        return Some(d);
    }
    // `xs[1:]`, `xs[:n]`: a slice expression, at its `:`
    if text.get(err..).is_some_and(|r| r.starts_with(':'))
        && text[line_start..err].rfind('[') > text[line_start..err].rfind(']')
    {
        return Some(Diagnostic::new(
            Span::new(err, err + 1),
            "slicing is not supported: grace has no slices; use a fixed-size array [N]T and index it",
        ));
    }
    let found =
        scan_features(text, line_start, line_end).or_else(|| scan_features(text, 0, line_end))?;
    Some(Diagnostic::new(found.0, found.1))
}

/// A raw string at `err`: named, with what to write instead.
fn raw_string(text: &str, err: usize) -> Option<Diagnostic> {
    text.get(err..)?.starts_with('`').then(|| {
        Diagnostic::new(
            Span::new(err, err + 1),
            "raw strings (`…`) are not supported: write a \"…\" string, with \\n for a newline and \\\" for a quote",
        )
    })
}

/// A string literal starting at `err` that the grammar refused for an
/// escape grace does not read (`\x41`, octal `\101`, `\'`): named.
fn string_escape(text: &str, err: usize, line_end: usize) -> Option<Diagnostic> {
    let lit = text.get(err..line_end)?.strip_prefix('"')?;
    let mut chars = lit.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                if !"ntrabfv\"\\uU".contains(e) {
                    let at = err + 1 + i;
                    return Some(Diagnostic::new(
                        Span::new(at, at + 1 + e.len_utf8()),
                        format!(
                            "the escape `\\{e}` is not supported in grace's strings: it reads \\n \\t \\r \\a \\b \\f \\v \\\" \\\\ and \\uXXXX; write the character itself or its \\u code point"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// Does `text` declare a struct type named by the identifier `rest`
/// starts with (`type Account struct`)?
/// The struct type named just before a `{` at `pos` that the grammar
/// refused (`a == P{1, 2}`): a literal where grace reads none.
fn literal_type_before(text: &str, pos: usize) -> Option<&str> {
    if !text.get(pos..)?.starts_with('{') {
        return None;
    }
    let before = text[..pos].trim_end_matches([' ', '\t']);
    let start = before
        .rfind(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .map_or(0, |i| i + 1);
    let name = &before[start..];
    (declares_struct(text, name) && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

fn declares_struct(text: &str, rest: &str) -> bool {
    let end = rest
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    !name.is_empty()
        && text.lines().any(|l| {
            let mut w = l.split_whitespace();
            w.next() == Some("type")
                && w.next() == Some(name)
                && w.next()
                    .is_some_and(|k| k == "struct" || k.starts_with("struct{"))
        })
}

pub(crate) fn feature_message(word: &str) -> Option<String> {
    Some(match word {
        "type" => "only struct types can be declared: `type T struct { … }` (grace has no other named types)".into(),
        "interface" => "interfaces are not supported".into(),
        "goto" => "`goto` is not supported: use `break L` or `continue L` with a label on the enclosing `for`, `switch` or `select`, or restructure with a loop".into(),
        "float64" | "float32" | "rune" | "uintptr" | "complex128" => format!(
            "the type `{word}` is not supported: grace has the integer types, bool, string (constants, locals, parameters), arrays, and struct{{}} as a channel element"
        ),
        "append" | "copy" | "cap" | "new" => {
            format!("the builtin `{word}` is not supported")
        }
        _ => return None,
    })
}

fn scan_features(text: &str, from: usize, to: usize) -> Option<(Span, String)> {
    let b = text.as_bytes();
    let mut i = from;
    while i < to.min(b.len()) {
        let c = b[i];
        // skip comments and strings
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == b'"' || c == b'`' {
            i += 1;
            while i < b.len() && b[i] != c && b[i] != b'\n' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &text[start..i];
            let prev_dot = start > 0 && b[start - 1] == b'.';
            if !prev_dot && let Some(found) = sync_cond(text, start) {
                return Some(found);
            }
            // `type T struct` is a struct type, which grace has
            let struct_decl = word == "type" && {
                let mut w = text.get(i..).unwrap_or("").split_whitespace();
                w.next()
                    .is_some_and(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    && w.next()
                        .is_some_and(|k| k == "struct" || k.starts_with("struct{"))
            };
            if !prev_dot
                && !struct_decl
                && let Some(m) = feature_message(word)
            {
                return Some((Span::new(start, i), m));
            }
            if word == "func" {
                let rest = text.get(i..).unwrap_or("").trim_start_matches([' ', '\t']);
                let at_top = start == 0 || b[start - 1] == b'\n';
                // a method: its receiver must be `(t *T)` or `(t T)`
                let receiver = rest
                    .strip_prefix('(')
                    .and_then(|r| r.split_once(')'))
                    .map(|(r, _)| r.split_whitespace().count());
                if at_top && receiver.is_some_and(|n| n != 2) {
                    return Some((
                        Span::new(start, i),
                        "a method's receiver is a name and a struct type or a pointer to one: `func (t *T) M()`"
                            .into(),
                    ));
                }
                if let Some(found) = super::go_tokens::func_value(text, start, i) {
                    return Some(found);
                }
            }
            continue;
        }
        if !c.is_ascii() {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        // `[]string{…}` parses (a slice literal, which the lowering takes
        // or refuses): not the cause of a syntax error elsewhere
        if let Some(t) = rest.strip_prefix("[]")
            && let Some(n) = t.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            && n > 0
            && t[n..].starts_with('{')
        {
            i += 2;
            continue;
        }
        if rest.starts_with("[]") {
            return Some((
                Span::new(i, i + 2),
                "slices are not supported: use a fixed-size array [N]T".into(),
            ));
        }
        if rest.starts_with("...") {
            return Some((
                Span::new(i, i + 3),
                "variadic functions are not supported".into(),
            ));
        }
        if let Some(found) = super::go_tokens::token_feature(text, i) {
            return Some(found);
        }
        let before_ok = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'(' | b',' | b'[' | b'=');
        if c == b'*'
            && let Some(found) = sync_cond(text, i + 1)
        {
            return Some(found);
        }
        // a pointer to a sync object is grace's (`wg *sync.WaitGroup`), and
        // so is one to a struct type the file declares (`p *Account`)
        if c == b'*'
            && before_ok
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_')
            && !rest[1..].starts_with("sync.")
            && !declares_struct(text, &rest[1..])
        {
            return Some((
                Span::new(i, i + 1),
                "pointers are supported only to structs and sync objects (`p *Account`, `wg *sync.WaitGroup`), used through their fields and methods (`p.n`, `p.Lock()`): `*p` as a value, `*p = …` and pointers to other types are not; copy or set the fields one by one, or use the variable by name".into(),
            ));
        }
        // `&T{…}`: a struct literal's address (`&x` of a sync object parses)
        if c == b'&' {
            let name = rest[1..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len() - 1);
            if name > 0 && rest[1 + name..].starts_with('{') && !declares_struct(text, &rest[1..]) {
                return Some((
                    Span::new(i, i + 1 + name),
                    "structs are not supported yet: `&T{…}` needs a struct type; use top-level variables"
                        .into(),
                ));
            }
        }
        i += 1;
    }
    None
}

/// `sync.Cond` (a type) or a `sync.NewCond` that does not parse at `at`:
/// named, with the form grace takes.
fn sync_cond(text: &str, at: usize) -> Option<(Span, String)> {
    let rest = text.get(at..)?;
    let word = ["sync.Cond", "sync.NewCond"].into_iter().find(|w| {
        rest.starts_with(w)
            && !rest[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    })?;
    let how =
        "declare it at top level as `var cond = sync.NewCond(&mu)`, with mu a top-level sync.Mutex";
    Some((
        Span::new(at, at + word.len()),
        if word == "sync.Cond" {
            format!("sync.Cond is not supported as a type: {how}")
        } else {
            format!("sync.NewCond takes the address of a top-level sync.Mutex: {how}")
        },
    ))
}

#[cfg(test)]
mod tests {
    /// A found bug (proptest): a name scanned back from `(&` across a
    /// character of several bytes sliced inside it and panicked.
    #[test]
    fn feature_scans_stop_at_character_boundaries() {
        for text in [
            "func main() { \u{17ba}(&n) }\n",
            "func main() { x := \u{1f332}atomic.AddInt64(&n, 1) }\n",
        ] {
            let src = crate::Source::new("t.gr", text);
            assert!(crate::compile(&src).is_err(), "{text}");
        }
    }

    use super::*;

    fn parse_ok(s: &str) -> File {
        match parse(s) {
            Ok(f) => f,
            Err(d) => panic!("parse failed: {d:?}"),
        }
    }

    #[test]
    fn parses_header_and_func() {
        let f = parse_ok(
            "package main\nimport (\n \"fmt\"\n \"sync\"\n)\nvar x int\nfunc main() {\n x = x + 1; x++\n}\n",
        );
        assert_eq!(f.items.len(), 2);
    }

    #[test]
    fn send_is_not_less_than_negative() {
        let f = parse_ok("var ch = make(chan int)\nfunc main() { ch <- 1 }");
        let Item::Func(m) = &f.items[1] else { panic!() };
        assert!(matches!(m.body.stmts[0].kind, StmtKind::Send(..)));
    }

    #[test]
    fn precedence_is_gos() {
        let f = parse_ok("var x = 1 + 2 * 3 == 7 && true || false");
        let Item::Var(v) = &f.items[0] else { panic!() };
        let ExprKind::Binary(BinOp::Or, l, _) = &v.init.as_ref().unwrap().kind else {
            panic!()
        };
        assert!(matches!(l.kind, ExprKind::Binary(BinOp::And, ..)));
    }

    #[test]
    fn return_does_not_swallow_next_line() {
        let f = parse_ok("func f() {\n return\n}\nfunc main() { f() }");
        assert_eq!(f.items.len(), 2);
    }

    #[test]
    fn select_with_default() {
        parse_ok(
            "var a = make(chan int, 1)\nfunc main() {\n select {\n case v := <-a:\n  print(v)\n case a <- 2:\n default:\n }\n}",
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("var x = {}1{}", "(".repeat(5000), ")".repeat(5000));
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains("nested"));
    }

    #[test]
    fn min_int_can_be_written() {
        let f = parse_ok("var x = -9223372036854775808");
        let Item::Var(v) = &f.items[0] else { panic!() };
        assert!(matches!(
            v.init.as_ref().unwrap().kind,
            ExprKind::Int(i64::MIN)
        ));
    }

    #[test]
    fn huge_literal_is_an_error() {
        let e = parse("var x = 99999999999999999999").unwrap_err();
        assert!(e.message.contains("overflows"), "{}", e.message);
    }

    #[test]
    fn switch_forms_parse() {
        let f = parse_ok(
            "var x int\nfunc main() {\n switch x {\n case 1, 2:\n  x = 3\n  fallthrough\n default:\n case 4:\n }\n switch v := x; {\n case v > 0:\n }\n switch {\n }\n}",
        );
        let Item::Func(m) = &f.items[1] else { panic!() };
        let StmtKind::Switch(None, Some(_), cl) = &m.body.stmts[0].kind else {
            panic!()
        };
        assert_eq!(cl.len(), 3);
        assert_eq!(cl[0].exprs.len(), 2);
        assert!(matches!(cl[0].body[1].kind, StmtKind::Fallthrough));
        assert!(cl[1].default && cl[1].body.is_empty());
        assert!(matches!(
            m.body.stmts[1].kind,
            StmtKind::Switch(Some(_), None, _)
        ));
        assert!(matches!(
            m.body.stmts[2].kind,
            StmtKind::Switch(None, None, _)
        ));
    }

    #[test]
    fn labels_and_short_decls_are_told_apart() {
        let f = parse_ok("func main() {\nL:\n for {\n  break L\n }\n x:=1\n print(x)\n}");
        let Item::Func(m) = &f.items[0] else { panic!() };
        let StmtKind::Labeled(l, inner) = &m.body.stmts[0].kind else {
            panic!()
        };
        assert_eq!(l.name, "L");
        let StmtKind::For(_, body) = &inner.kind else {
            panic!()
        };
        assert!(matches!(&body.stmts[0].kind, StmtKind::BreakTo(t) if t.name == "L"));
        assert!(matches!(m.body.stmts[1].kind, StmtKind::ShortDecl(..)));
    }

    #[test]
    fn atomic_functions_are_named() {
        let named = |src: &str| {
            let e = parse(src).unwrap_err();
            unsupported_go_feature(src, e.span.start).unwrap().message
        };
        // `&n` in atomic.AddInt32 parses; a named type other than a
        // struct is named
        let m = named("func main() {\n myatomic.Add(&n)\n atomic.AddInt32(&n, 1)\n}\ntype T int\n");
        assert!(m.contains("struct types"), "{m}");
        let src = "func main() {\n atomic.AddInt32(&n, 1)\n var m interface{}\n}";
        let e = parse(src).unwrap_err();
        let m = unsupported_go_feature(src, e.span.start).unwrap().message;
        assert!(m.starts_with("interfaces"), "{m}");
    }

    #[test]
    fn integer_literals_are_read_as_go_reads_them() {
        for (text, v) in [
            ("42", 42),
            ("0x1F", 31),
            ("0X_ff", 255),
            ("0o17", 15),
            ("017", 15),
            ("0", 0),
            ("0b1_01", 5),
            ("1_000_000", 1_000_000),
        ] {
            assert_eq!(int_literal(text), Ok(v), "{text}");
        }
        assert!(
            int_literal("089")
                .unwrap_err()
                .contains("invalid digit '8' in octal")
        );
        assert!(
            int_literal("0x1_0000_0000_0000_0000")
                .unwrap_err()
                .contains("overflows")
        );
    }

    #[test]
    fn go_features_are_named() {
        let src = "package main\nfunc main() {\n\tvar m interface{}\n}\n";
        let e = parse(src).unwrap_err();
        let f = unsupported_go_feature(src, e.span.start).unwrap();
        assert!(
            f.message.starts_with("interfaces are not supported"),
            "{}",
            f.message
        );
        // not fooled by strings, comments or multi-byte text
        let src = "// a map é\nvar s = \"[]\"\nfunc main() { x := }";
        let e = parse(src).unwrap_err();
        assert!(unsupported_go_feature(src, e.span.start).is_none());
    }

    /// A func variable's declaration parses, and a syntax error after one
    /// is not blamed on it (the scanner reads the lines before the error).
    #[test]
    fn func_variables_parse_and_are_not_named() {
        let decls = "package main\nfunc main() {\n\tf := func(n int) int { return n }\n\
                     \tvar g = func() {}\n\tvar h func(int) bool = func(n int) bool { return n > 0 }\n\
                     \tonce.Do(func() {})\n\tgo func() {}()\n";
        parse_ok(&format!("{decls}}}\n"));
        let src = format!("{decls}\tx :=\n}}\n");
        let e = parse(&src).unwrap_err();
        assert!(unsupported_go_feature(&src, e.span.start).is_none());
        // a func type elsewhere is named
        let src = "package main\nfunc run(g func()) {}\nfunc main() {}\n";
        let e = parse(src).unwrap_err();
        let f = unsupported_go_feature(src, e.span.start).unwrap();
        assert!(
            f.message.starts_with("function types are not supported"),
            "{}",
            f.message
        );
    }
}
