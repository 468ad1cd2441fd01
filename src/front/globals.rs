//! Checking of the top level: every global name resolved once, constants
//! evaluated, shared variables, sync objects and channels laid out in their
//! tables, function signatures collected. Function bodies are checked and
//! lowered together in [`crate::front::lower`].

use crate::front::ast::*;
use crate::front::atomics::atomic_targets;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::types::{ConstEnv, ConstName, assignable, const_eval, untyped_overflow};
use crate::ir::{ChanInfo, ChanTy, GlobalInfo, MAX_CHAN_DEPTH, Place, SyncKind, SyncPtr, Ty};
use std::collections::HashMap;

/// Arrays longer than this are refused (every element is a variable).
pub const MAX_ARRAY_LEN: i64 = 1024;
/// Most functions (and func literals) in a program.
pub const MAX_FUNCS: usize = 60_000;
/// Most parameters of a function (and arguments of a call).
pub const MAX_PARAMS: usize = 255;
/// Most shared slots (variables and array elements, sync objects, channels):
/// every state holds all of them.
pub const MAX_SHARED_SLOTS: usize = 16_384;

/// What a top-level name stands for.
#[derive(Clone, Debug)]
pub enum GSym {
    Const(i64, Ty),
    /// A plain shared variable (or array of them) at `base` in shared memory.
    Plain {
        base: u32,
        len: Option<u32>,
        ty: Ty,
    },
    /// Sync objects (mutexes, wait groups, atomics) at `base` in the sync table.
    Sync {
        base: u32,
        len: Option<u32>,
        kind: SyncKind,
    },
    Chan {
        base: u32,
        len: Option<u32>,
        ty: ChanTy,
    },
    /// `var ch chan T` without `make`: a nil channel, as in Go (a send or
    /// receive on it blocks for ever). A top-level channel is never
    /// assigned, so it stays nil.
    NilChan(ChanTy),
    Func(u16),
    /// A map: its number in the table of maps (`lower/maps.rs`).
    Map(u32, crate::ir::MapTy),
    /// `var m map[K]V` without a value: a nil map, as in Go (reads give
    /// zero values, a write panics); never assigned, so it stays nil.
    NilMap(crate::ir::MapTy),
}

/// A function's signature.
#[derive(Clone, Debug)]
pub struct Sig {
    pub params: Vec<Ty>,
    /// The result types, in order (none, one, or several).
    pub results: Vec<Ty>,
}

/// The checked top level.
#[derive(Default, Debug)]
pub struct Globals {
    pub syms: HashMap<String, (GSym, Span)>,
    pub plain_names: Vec<String>,
    pub plain_tys: Vec<Ty>,
    pub plain_init: Vec<i64>,
    pub sync_kinds: Vec<SyncKind>,
    pub sync_names: Vec<String>,
    pub sync_init: Vec<i64>,
    pub chans: Vec<ChanInfo>,
    pub globals: Vec<GlobalInfo>,
    pub sigs: Vec<Sig>,
    /// Indices into the file's items of the functions, by function id.
    pub func_items: Vec<usize>,
    /// The `func init`s, in declaration order: main runs them first.
    pub inits: Vec<u16>,
    /// Each `sync.NewCond(&mu)` variable's sync object → `mu`'s.
    pub cond_mutex: HashMap<u32, u32>,
    /// Integer variables used through the function forms of sync/atomic
    /// (laid out as atomics), with the first such use.
    pub atomic_vars: HashMap<String, Span>,
    /// The text of each string constant: a `GSym::Const(k, Ty::Str)` is
    /// `strs[k]`. Each text is here once, so equal constants have equal
    /// numbers.
    pub strs: Vec<String>,
    /// The top-level maps (`lower/maps.rs`).
    pub maps: Vec<crate::ir::MapInfo>,
}

impl Globals {
    /// The value of a constant string expression (a literal, a string
    /// constant, `+` of those), `None` when `e` is not of type string.
    pub fn const_string(&self, e: &Expr) -> DResult<Option<String>> {
        Ok(match &e.kind {
            ExprKind::Str(s) => Some(s.clone()),
            ExprKind::Name(n) => match self.syms.get(n) {
                Some((GSym::Const(k, Ty::Str), _)) => Some(self.strs[*k as usize].clone()),
                _ => None,
            },
            ExprKind::Binary(op, a, b) => match (self.const_string(a)?, self.const_string(b)?) {
                (Some(x), Some(y)) if *op == BinOp::Add => Some(x + &y),
                (None, None) => None,
                (Some(_), Some(_)) => {
                    return Err(Diagnostic::new(
                        e.span,
                        format!(
                            "operator {} on strings is not supported in a constant: grace has + on strings, and == and != in code",
                            op.symbol()
                        ),
                    ));
                }
                _ => {
                    return Err(Diagnostic::new(
                        e.span,
                        format!(
                            "mismatched types in a constant: string {} a non-string",
                            op.symbol()
                        ),
                    ));
                }
            },
            _ => None,
        })
    }

    /// The number of constant string `s` (see [`Globals::strs`]).
    pub fn intern_const(&mut self, s: String) -> i64 {
        match self.strs.iter().position(|x| *x == s) {
            Some(k) => k as i64,
            None => {
                self.strs.push(s);
                self.strs.len() as i64 - 1
            }
        }
    }
}

/// Names that cannot be declared at top level because the language uses them.
pub(crate) const RESERVED: &[&str] = &[
    "print", "println", "panic", "assert", "close", "len", "make", "fmt", "sync", "atomic", "int",
    "bool", "true", "false", "cap", "new", "append", "string", "iota",
];

/// Check the top-level declarations.
pub fn check_globals(file: &File) -> DResult<Globals> {
    let mut g = Globals::default();
    // First pass: constants (in order, so a constant may use earlier ones)
    // and function names (so calls may refer to later functions).
    for (i, item) in file.items.iter().enumerate() {
        match item {
            Item::Const(c) => {
                declare_ok(&g, &c.name)?;
                let (v, mut ty) = match g.const_string(&c.value)? {
                    Some(s) => (g.intern_const(s), Ty::Str),
                    None => const_eval(&g, &c.value)?,
                };
                ty = declared_type(c, v, ty)?;
                g.syms
                    .insert(c.name.name.clone(), (GSym::Const(v, ty), c.name.span));
            }
            Item::Func(f) => {
                // Go allows any number of `init`s and never binds the name:
                // each is run before `main` (see `inits`) and cannot be called.
                let is_init = f.name.name == "init";
                if is_init {
                    init_signature(f)?;
                } else {
                    declare_ok(&g, &f.name)?;
                }
                if g.sigs.len() >= MAX_FUNCS {
                    return Err(Diagnostic::new(
                        f.name.span,
                        format!("too many functions: at most {MAX_FUNCS}"),
                    ));
                }
                if f.params.len() > MAX_PARAMS {
                    return Err(Diagnostic::new(
                        f.name.span,
                        format!("too many parameters: at most {MAX_PARAMS}"),
                    ));
                }
                if f.results.len() > MAX_PARAMS {
                    return Err(Diagnostic::new(
                        f.name.span,
                        format!("too many results: at most {MAX_PARAMS}"),
                    ));
                }
                let id = g.sigs.len() as u16;
                let mut params = Vec::new();
                for p in &f.params {
                    params.push(param_type(&p.ty, p.ty_span)?);
                }
                let mut results = Vec::new();
                for r in &f.results {
                    results.push(param_type(&r.ty, r.ty_span)?);
                }
                if f.name.name == "main" && (!params.is_empty() || !results.is_empty()) {
                    return Err(Diagnostic::new(
                        f.name.span,
                        "func main must have no parameters and no result",
                    ));
                }
                g.sigs.push(Sig { params, results });
                g.func_items.push(i);
                if is_init {
                    g.inits.push(id);
                } else {
                    g.syms
                        .insert(f.name.name.clone(), (GSym::Func(id), f.name.span));
                }
            }
            _ => {}
        }
    }
    // Second pass: variables, in declaration order; then the Conds, whose
    // mutex may be declared after them, as Go allows.
    let atomic_uses = atomic_targets(file);
    let vars = file.items.iter().filter_map(|i| match i {
        Item::Var(v) => Some(v),
        _ => None,
    });
    let (conds, others): (Vec<&VarDecl>, Vec<&VarDecl>) =
        vars.partition(|v| new_cond_arg(v).is_some());
    for v in others.into_iter().chain(conds) {
        declare_ok(&g, &v.name)?;
        let sym = match (new_cond_arg(v), atomic_uses.get(&v.name.name)) {
            (Some(mu), _) => Some(cond_var(&mut g, v, mu)?),
            (None, Some(&at)) => atomic_var(&mut g, v, at)?,
            (None, None) => None,
        };
        let sym = match sym {
            Some(s) => s,
            None => global_var(&mut g, v)?,
        };
        if g.plain_names.len() + g.sync_kinds.len() + g.chans.len() > MAX_SHARED_SLOTS {
            return Err(Diagnostic::new(
                v.name.span,
                format!(
                    "too many shared variables: more than {MAX_SHARED_SLOTS} slots (array elements count one each)"
                ),
            ));
        }
        g.syms.insert(v.name.name.clone(), (sym, v.name.span));
    }
    match g.syms.get("main") {
        Some((GSym::Func(_), _)) => {}
        _ => {
            let end = file
                .items
                .last()
                .map(|i| match i {
                    Item::Const(c) => c.span.end,
                    Item::Var(v) => v.span.end,
                    Item::Func(f) => f.span.end,
                    Item::Expect(e) => e.span.end,
                    Item::Type(t) => t.span.end,
                })
                .unwrap_or(0);
            return Err(Diagnostic::new(
                Span::new(end, end),
                "missing func main: a program needs `func main() { … }`",
            ));
        }
    }
    Ok(g)
}

/// May `name` be declared at top level (not `_`, not predeclared, not
/// declared before)?
fn declare_ok(g: &Globals, name: &Ident) -> DResult<()> {
    if name.name == "_" {
        return Err(Diagnostic::new(
            name.span,
            "`_` cannot be declared at top level",
        ));
    }
    if name.name == "init" {
        return Err(Diagnostic::new(
            name.span,
            "cannot declare init - must be func",
        ));
    }
    if RESERVED.contains(&name.name.as_str()) {
        return Err(Diagnostic::new(
            name.span,
            format!(
                "`{}` is predeclared and cannot be redeclared at top level",
                name.name
            ),
        ));
    }
    if let Some((_, prev)) = g.syms.get(&name.name) {
        return Err(Diagnostic::new(
            name.span,
            format!("`{}` redeclared at top level", name.name),
        )
        .with_note(*prev, "previously declared here"));
    }
    Ok(())
}

/// Go's rule for `func init`: no parameters, no result.
fn init_signature(f: &FuncDecl) -> DResult<()> {
    if !f.params.is_empty() || !f.results.is_empty() {
        return Err(Diagnostic::new(
            f.name.span,
            "func init must have no arguments and no return values",
        ));
    }
    Ok(())
}

/// The type a scalar type expression names: an integer type or bool.
fn scalar(t: &TypeExpr) -> Option<Ty> {
    match t {
        TypeExpr::Int => Some(Ty::Int),
        TypeExpr::Integer(t) => Some(*t),
        TypeExpr::Bool => Some(Ty::Bool),
        _ => None,
    }
}

/// The type of a constant declared with one: an integer type or bool.
/// The type of constant `c` (value `v` of type `ty`): its declared type,
/// which the value must be assignable to and fit, else `ty`.
pub(crate) fn declared_type(c: &ConstDecl, v: i64, ty: Ty) -> DResult<Ty> {
    let Some((t, s)) = &c.ty else {
        return Ok(ty);
    };
    let want = scalar_type(t, *s)?;
    if !assignable(want, ty) {
        return Err(Diagnostic::new(
            c.value.span,
            format!(
                "constant of type {} cannot be used as {}",
                ty.name(),
                want.name()
            ),
        ));
    }
    if !want.fits(v) {
        return Err(Diagnostic::new(
            c.value.span,
            untyped_overflow(v, want, "constant declaration"),
        ));
    }
    Ok(want)
}

pub(crate) fn scalar_type(t: &TypeExpr, span: Span) -> DResult<Ty> {
    match t {
        TypeExpr::Str => Ok(Ty::Str),
        _ => scalar(t)
            .ok_or_else(|| Diagnostic::new(span, "expected an integer type, bool or string")),
    }
}

/// Types allowed for parameters and results.
pub fn param_type(t: &TypeExpr, span: Span) -> DResult<Ty> {
    match t {
        TypeExpr::Struct => Err(Diagnostic::new(
            span,
            "struct{} is only allowed as a channel element type",
        )),
        _ => value_type(t, span),
    }
}

/// The type of a value a variable, parameter or result may hold: an
/// integer type, bool, string or a channel type.
pub fn value_type(t: &TypeExpr, span: Span) -> DResult<Ty> {
    match t {
        _ if scalar(t).is_some() => Ok(scalar(t).unwrap_or(Ty::Int)),
        TypeExpr::Str => Ok(Ty::Str),
        TypeExpr::Chan(dir, e) => {
            let elem = chan_elem(e, span)?;
            ChanTy::of(*dir, elem).map(Ty::Chan).ok_or_else(|| {
                Diagnostic::new(
                    span,
                    format!("channel types nest at most {MAX_CHAN_DEPTH} deep"),
                )
            })
        }
        TypeExpr::StructPtr(k) => Ok(Ty::StructPtr(*k)),
        TypeExpr::StructVal(k) => Ok(Ty::Struct(*k)),
        TypeExpr::Named(n) if n.name == "error" => Ok(Ty::Error),
        TypeExpr::Named(n) => Err(Diagnostic::new(
            n.span,
            crate::front::parse::feature_message(&n.name)
                .unwrap_or_else(|| format!("undefined type `{}`", n.name)),
        )),
        TypeExpr::Map(k, v) => crate::front::lower::maps::map_type(k, v, span).map(Ty::Map),
        TypeExpr::Ptr(inner) => sync_kind(inner)
            .and_then(SyncPtr::to)
            .map(Ty::Ptr)
            .ok_or_else(|| {
                Diagnostic::new(
                    span,
                    "pointers are supported only to sync.Mutex, sync.RWMutex, sync.WaitGroup and sync.Once (`wg *sync.WaitGroup`)",
                )
            }),
        _ if sync_kind(t).is_some() => Err(Diagnostic::new(
            span,
            "a sync object cannot be copied into a parameter or result (go vet: passes lock by value): take a pointer, `wg *sync.WaitGroup`, and pass `&wg`",
        )),
        _ => Err(Diagnostic::new(
            span,
            "parameters and results must be an integer type, bool, string, a channel, a map or a pointer to a sync object",
        )),
    }
}

impl ConstEnv for Globals {
    fn constant(&self, name: &str) -> ConstName {
        match self.syms.get(name) {
            Some((GSym::Const(v, t), _)) => ConstName::Value(*v, *t),
            Some(_) => ConstName::NotConstant,
            None => ConstName::Undefined,
        }
    }

    fn array_len(&self, name: &str) -> Option<u32> {
        match self.syms.get(name) {
            Some((GSym::Plain { len: Some(l), .. }, _))
            | Some((GSym::Sync { len: Some(l), .. }, _))
            | Some((GSym::Chan { len: Some(l), .. }, _)) => Some(*l),
            _ => None,
        }
    }
}

/// The length of a top-level array: a constant between 0 and
/// [`MAX_ARRAY_LEN`].
fn array_len(g: &Globals, n: &Expr) -> DResult<u32> {
    let (v, t) = const_eval(g, n).map_err(|d| {
        Diagnostic::new(
            d.span,
            format!("array size must be a constant: {}", d.message),
        )
    })?;
    if !t.is_int() {
        return Err(Diagnostic::new(n.span, "array size must be an int"));
    }
    if !(0..=MAX_ARRAY_LEN).contains(&v) {
        return Err(Diagnostic::new(
            n.span,
            format!("array size must be between 0 and {MAX_ARRAY_LEN}, not {v}"),
        ));
    }
    Ok(v as u32)
}

/// The element type of a channel: int, bool or `struct{}`.
fn chan_elem(t: &TypeExpr, span: Span) -> DResult<Ty> {
    match t {
        _ if scalar(t).is_some() => Ok(scalar(t).unwrap_or(Ty::Int)),
        TypeExpr::Struct => Ok(Ty::Unit),
        TypeExpr::Str => Ok(Ty::Str),
        TypeExpr::Chan(..) => value_type(t, span),
        TypeExpr::StructVal(k) => Ok(Ty::Struct(*k)),
        TypeExpr::StructPtr(k) => Ok(Ty::StructPtr(*k)),
        TypeExpr::Named(n) if n.name == "error" => Ok(Ty::Error),
        _ => Err(Diagnostic::new(
            span,
            "channel elements must be an integer type, bool, string, struct{}, a struct, a pointer to a struct or a channel",
        )),
    }
}

/// Does a type hold strings (`string`, `[3]string`)?
fn mentions_string(t: &TypeExpr) -> bool {
    match t {
        TypeExpr::Str => true,
        TypeExpr::Array(_, t) => mentions_string(t),
        _ => false,
    }
}

/// The sync object or atomic a type names, if it names one.
pub(crate) fn sync_kind(t: &TypeExpr) -> Option<SyncKind> {
    Some(match t {
        TypeExpr::Mutex => SyncKind::Mutex,
        TypeExpr::RWMutex => SyncKind::RWMutex,
        TypeExpr::WaitGroup => SyncKind::WaitGroup,
        TypeExpr::Once => SyncKind::Once,
        TypeExpr::AtomicInt(t) => SyncKind::AtomicInt(*t),
        TypeExpr::AtomicBool => SyncKind::AtomicBool,
        _ => return None,
    })
}

/// Lay out a top-level `var` in its table (shared memory, sync objects or
/// channels) and say what its name stands for.
fn global_var(g: &mut Globals, v: &VarDecl) -> DResult<GSym> {
    let name = &v.name.name;
    if let Some(m) = crate::front::lower::maps::global_map(g, v)? {
        return Ok(m);
    }
    if let Some(init) = &v.init
        && let ExprKind::Call(f, _) = &init.kind
        && let ExprKind::Selector(pkg, m) = &f.kind
        && matches!((&pkg.kind, m.name.as_str()), (ExprKind::Name(p), "New" | "Errorf") if p == "errors" || p == "fmt")
    {
        return Err(Diagnostic::new(
            init.span,
            "a top-level error variable is not supported (grace compares errors only with nil, so a sentinel error cannot be told apart): return errors.New(…) where the error happens, and compare err.Error() texts if needed",
        ));
    }
    if let Some(init) = &v.init
        && let ExprKind::SliceLit(..) = &init.kind
    {
        return Err(Diagnostic::new(
            init.span,
            format!(
                "a top-level slice is not supported: declare it in the function that reads it; {}",
                crate::front::lower::slices::SLICES
            ),
        ));
    }
    // `var ch = make(chan T[, n])`
    if let Some(init) = &v.init
        && let ExprKind::Call(f, args) = &init.kind
        && matches!(&f.kind, ExprKind::Name(n) if n == "make")
    {
        if v.ty.is_some() {
            return Err(Diagnostic::new(
                init.span,
                "write `var ch = make(chan T)` without a type",
            ));
        }
        let (ty, cap) = make_args(g, init, args)?;
        let base = g.chans.len() as u32;
        g.chans.push(ChanInfo {
            name: name.clone(),
            cap,
            elem: ty.elem(),
        });
        return Ok(GSym::Chan {
            base,
            len: None,
            ty,
        });
    }
    let is_str = match (&v.ty, &v.init) {
        (Some((t, _)), _) => mentions_string(t),
        (None, Some(init)) => g.const_string(init)?.is_some(),
        (None, None) => false,
    };
    // a struct type's string field (`front::structs`): one string per
    // instance, "" at first (its number in the run's interner: 0)
    if is_str
        && name.starts_with('#')
        && let Some((TypeExpr::Array(n, t), _)) = &v.ty
        && **t == TypeExpr::Str
        && v.init.is_none()
    {
        let len = array_len(g, n)?;
        return Ok(lay_out_plain(g, name, Ty::Str, Some(len), 0));
    }
    if is_str {
        return Err(Diagnostic::new(
            v.span,
            format!(
                "a top-level string variable is not supported: grace keeps strings in constants, locals, parameters and results, and shared memory holds only integers and bools; declare it `const {name} = \"…\"` or make it a local"
            ),
        ));
    }
    let (ty, ty_span) = match (&v.ty, &v.init) {
        (Some((t, s)), _) => (t.clone(), *s),
        (None, Some(init)) => {
            let (_, t) = const_eval(g, init).map_err(|d| {
                Diagnostic::new(
                    d.span,
                    format!("a global's initial value must be a constant: {}", d.message),
                )
            })?;
            (
                match t {
                    Ty::Bool => TypeExpr::Bool,
                    Ty::Int | Ty::UntypedInt => TypeExpr::Int,
                    t => TypeExpr::Integer(t),
                },
                init.span,
            )
        }
        (None, None) => unreachable!("grammar requires a type or a value"),
    };
    let (elem_ty, len) = match &ty {
        TypeExpr::Array(n, t) => {
            if matches!(**t, TypeExpr::Array(..)) {
                return Err(Diagnostic::new(
                    ty_span,
                    "arrays of arrays are not supported",
                ));
            }
            (t.as_ref().clone(), Some(array_len(g, n)?))
        }
        t => (t.clone(), None),
    };
    if let Some(init) = &v.init
        && (len.is_some() || scalar(&elem_ty).is_none())
    {
        return Err(Diagnostic::new(
            init.span,
            "only int and bool variables can have an initial value",
        ));
    }
    match &elem_ty {
        t if scalar(t).is_some() => plain_var(g, v, &elem_ty, len),
        // a struct type's map field (`front::structs`): one map reference
        // per instance, nil until assigned
        TypeExpr::Map(k, val) if name.starts_with('#') && len.is_some() => {
            let t = Ty::Map(crate::front::lower::maps::map_type(k, val, ty_span)?);
            Ok(lay_out_plain(g, name, t, len, 0))
        }
        TypeExpr::Chan(..) => {
            let Ty::Chan(ty) = value_type(&elem_ty, ty_span)? else {
                unreachable!("a channel type")
            };
            // a struct type's channel field (`front::structs`): a variable
            // holding a channel per instance, nil until assigned
            if name.starts_with('#') && len.is_some() {
                return Ok(lay_out_plain(g, name, Ty::Chan(ty), len, 0));
            }
            if len.is_none() {
                return Ok(GSym::NilChan(ty));
            }
            Ok(chan_var(g, name, ty, len))
        }
        t => {
            let Some(kind) = sync_kind(t) else {
                return Err(Diagnostic::new(
                    ty_span,
                    "a shared variable must be int, bool, a sync object, an atomic, a channel or an array of them",
                ));
            };
            Ok(sync_var(g, name, kind, len))
        }
    }
}

/// An int or bool shared variable (or array of them), with its initial
/// value.
fn plain_var(g: &mut Globals, v: &VarDecl, elem_ty: &TypeExpr, len: Option<u32>) -> DResult<GSym> {
    let name = &v.name.name;
    let t = scalar(elem_ty).unwrap_or(Ty::Int);
    let init = match &v.init {
        None => 0,
        Some(e) => {
            let (val, vt) = const_eval(g, e).map_err(|d| {
                Diagnostic::new(
                    d.span,
                    format!("a global's initial value must be a constant: {}", d.message),
                )
            })?;
            if !assignable(t, vt) {
                return Err(Diagnostic::new(
                    e.span,
                    format!("cannot use {} value as {}", vt.name(), t.name()),
                ));
            }
            if vt == Ty::UntypedInt && !t.fits(val) {
                return Err(Diagnostic::new(
                    e.span,
                    untyped_overflow(val, t, "variable declaration"),
                ));
            }
            val
        }
    };
    Ok(lay_out_plain(g, name, t, len, init))
}

/// Shared-memory slots for a variable (or array) of type `t`, each with
/// value `init`, listed in outcomes under `name`.
fn lay_out_plain(g: &mut Globals, name: &str, t: Ty, len: Option<u32>, init: i64) -> GSym {
    let base = g.plain_names.len() as u32;
    for i in 0..len.unwrap_or(1) {
        g.plain_names.push(match len {
            Some(_) => format!("{name}[{i}]"),
            None => name.to_string(),
        });
        g.plain_init.push(init);
        g.plain_tys.push(t);
    }
    g.globals.push(GlobalInfo {
        name: name.to_string(),
        ty: t,
        len,
        place: Place::Plain,
        base,
    });
    GSym::Plain { base, len, ty: t }
}

/// A variable of type int64, int32, uint64 or uint32 used through the
/// function forms of sync/atomic (first at `at`): an atomic, with its
/// initial value. `None` for any other variable (its `&` is refused where
/// it is used).
fn atomic_var(g: &mut Globals, v: &VarDecl, at: Span) -> DResult<Option<GSym>> {
    let ty = match &v.ty {
        Some((TypeExpr::Integer(t), _)) => *t,
        Some((TypeExpr::Array(_, et), _)) => match **et {
            TypeExpr::Integer(t) => t,
            _ => return Ok(None),
        },
        Some(_) => return Ok(None),
        None => match v.init.as_ref().map(|e| const_eval(g, e)) {
            Some(Ok((_, t))) => t,
            _ => return Ok(None),
        },
    };
    if !matches!(ty, Ty::Int32 | Ty::Int64 | Ty::Uint32 | Ty::Uint64) {
        return Ok(None);
    }
    let len = match &v.ty {
        Some((TypeExpr::Array(n, _), _)) => Some(array_len(g, n)?),
        _ => None,
    };
    let init = match &v.init {
        Some(e) => {
            let (val, vt) = const_eval(g, e).map_err(|d| {
                Diagnostic::new(
                    d.span,
                    format!("a global's initial value must be a constant: {}", d.message),
                )
            })?;
            if !assignable(ty, vt) || !ty.fits(val) {
                return Err(Diagnostic::new(
                    e.span,
                    format!("cannot use this value as {}", ty.name()),
                ));
            }
            val
        }
        None => 0,
    };
    let kind = SyncKind::AtomicVar(ty);
    let sym = sync_var(g, &v.name.name, kind, len);
    let count = len.unwrap_or(1) as usize;
    let n = g.sync_init.len();
    g.sync_init[n - count..].fill(init);
    g.atomic_vars.insert(v.name.name.clone(), at);
    Ok(Some(sym))
}

/// A channel declared by type (`var ch chan T`, unbuffered) or an array of
/// them.
fn chan_var(g: &mut Globals, name: &str, ty: ChanTy, len: Option<u32>) -> GSym {
    let count = len.unwrap_or(1);
    let base = g.chans.len() as u32;
    for i in 0..count {
        g.chans.push(ChanInfo {
            name: match len {
                Some(_) => format!("{name}[{i}]"),
                None => name.to_string(),
            },
            cap: 0,
            elem: ty.elem(),
        });
    }
    GSym::Chan { base, len, ty }
}

/// The arguments of `var cond = sync.NewCond(&mu)`, if `v` is one.
fn new_cond_arg(v: &VarDecl) -> Option<&[Expr]> {
    let ExprKind::Call(f, args) = &v.init.as_ref()?.kind else {
        return None;
    };
    let ExprKind::Selector(pkg, m) = &f.kind else {
        return None;
    };
    let is_sync = matches!(&pkg.kind, ExprKind::Name(p) if p == "sync");
    (is_sync && m.name == "NewCond").then_some(args.as_slice())
}

/// `var cond = sync.NewCond(&mu)`, `mu` a top-level `sync.Mutex`.
fn cond_var(g: &mut Globals, v: &VarDecl, args: &[Expr]) -> DResult<GSym> {
    if let Some((_, s)) = &v.ty {
        return Err(Diagnostic::new(
            *s,
            "write `var cond = sync.NewCond(&mu)` without a type",
        ));
    }
    let at = v.init.as_ref().map_or(v.name.span, |e| e.span);
    let mutex = match args {
        [mu] => new_cond_mutex(g, mu),
        _ => None,
    };
    let Some(mutex) = mutex else {
        return Err(Diagnostic::new(
            args.first().map_or(at, |a| a.span),
            "sync.NewCond takes the address of a top-level sync.Mutex: `var cond = sync.NewCond(&mu)`",
        ));
    };
    let sym = sync_var(g, &v.name.name, SyncKind::Cond, None);
    if let GSym::Sync { base, .. } = sym {
        g.cond_mutex.insert(base, mutex);
    }
    Ok(sym)
}

/// The top-level `sync.Mutex` whose address `mu` is (`&mu`), if it is one.
fn new_cond_mutex(g: &Globals, mu: &Expr) -> Option<u32> {
    match &mu.kind {
        ExprKind::Unary(UnOp::Addr, x) => match &x.kind {
            ExprKind::Name(n) => match g.syms.get(n) {
                Some((
                    GSym::Sync {
                        base,
                        len: None,
                        kind: SyncKind::Mutex,
                    },
                    _,
                )) => Some(*base),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// A sync object or atomic (or array of them).
fn sync_var(g: &mut Globals, name: &str, kind: SyncKind, len: Option<u32>) -> GSym {
    let count = len.unwrap_or(1);
    let base = g.sync_kinds.len() as u32;
    for i in 0..count {
        g.sync_kinds.push(kind);
        g.sync_names.push(match len {
            Some(_) => format!("{name}[{i}]"),
            None => name.to_string(),
        });
        g.sync_init.push(0);
    }
    if let Some(ty) = kind.value_ty() {
        g.globals.push(GlobalInfo {
            name: name.to_string(),
            ty,
            len,
            place: Place::Atomic,
            base,
        });
    }
    GSym::Sync { base, len, kind }
}

/// Check the arguments of `make(chan T[, n])`: the channel's type and
/// capacity.
pub fn make_args(g: &impl ConstEnv, call: &Expr, args: &[Expr]) -> DResult<(ChanTy, u32)> {
    let Some(first) = args.first() else {
        return Err(Diagnostic::new(
            call.span,
            "make needs a channel type: make(chan T)",
        ));
    };
    let ExprKind::Type(t @ TypeExpr::Chan(..)) = &first.kind else {
        return Err(Diagnostic::new(
            first.span,
            "only channels can be made: expected `chan T`",
        ));
    };
    let Ty::Chan(ty) = value_type(t, first.span)? else {
        unreachable!("a channel type")
    };
    let cap = match args.get(1) {
        None => 0,
        Some(n) => {
            let (v, t) = const_eval(g, n).map_err(|d| {
                Diagnostic::new(
                    d.span,
                    format!("channel capacity must be a constant: {}", d.message),
                )
            })?;
            if !t.is_int() || !(0..=MAX_ARRAY_LEN).contains(&v) {
                return Err(Diagnostic::new(
                    n.span,
                    format!("channel capacity must be an int between 0 and {MAX_ARRAY_LEN}"),
                ));
            }
            v as u32
        }
    };
    if args.len() > 2 {
        return Err(Diagnostic::new(
            args[2].span,
            "make(chan T, n) takes at most 2 arguments",
        ));
    }
    Ok((ty, cap))
}
