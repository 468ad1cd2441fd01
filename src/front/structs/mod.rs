//! Structs, as a rewriting of the syntax tree before anything is checked:
//! every struct variable is an *instance* of its type, laid out where its
//! declaration runs once per run (top level, or a body of
//! [`once_functions`](crate::front::lower)), and each field of a type is a
//! top-level array with one element per instance (`#Account.balance`).
//! So a field is a shared variable of its own, named in reports by its
//! instance (`acct.balance`), and the rest of the front end sees only
//! arrays, indexes and functions:
//!
//! - `acct.balance` → `#Account.balance[k]` (k: `acct`'s instance number);
//! - `p.balance` (p a `*Account`) → `#Account.balance[*p]`, where `*p`
//!   ([`ExprKind::Deref`]) panics on a nil pointer as Go does;
//! - `&acct` → [`ExprKind::PtrTo`] (a value of type `*Account`);
//! - `acct.Deposit(n)` (a method) → `(*Account).Deposit(&acct, n)`, a
//!   function whose first parameter is the receiver;
//! - `acct.Lock()` (a method of an embedded `sync.Mutex`) →
//!   `#Account.Mutex[k].Lock()`;
//! - `acct := Account{balance: 5}` in main → the field assignments.
//!
//! What it cannot rewrite so (a struct copied as a value, a struct made
//! where its declaration may run many times, arrays of structs, value
//! receivers) it refuses, saying what to write instead.

use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::{GSym, Globals};
use crate::front::types::const_eval;
use crate::ir::{GlobalInfo, Ty};
use std::collections::{HashMap, HashSet};

/// Most instances of all struct types together.
const MAX_INSTANCES: usize = 1024;

/// A struct type: its fields in order and its methods.
struct StructTy {
    name: String,
    fields: Vec<Field>,
    /// method name → (function name, has a pointer receiver, how many
    /// parameters it declares)
    methods: HashMap<String, (String, bool, usize)>,
}

/// One instance: its name in reports, and where declared at top level,
/// its fields' constant initial values.
struct Instance {
    name: String,
    init: Vec<(String, Expr)>,
    /// One of a pool's (made by `&T{…}` where its code runs many times):
    /// not a variable of the program's, so outcomes leave it out.
    pooled: bool,
}

/// How many instances a `&T{…}` where its code runs many times can make
/// in one run (each is in every state).
pub const STRUCT_POOL: usize = 8;

/// The instances `&T{…}` makes where its code runs many times.
struct Pool {
    t: u16,
    /// its name in reports (`w`, `Worker@12:8`): a race on a field of any
    /// of its instances is reported as on `w.count`
    name: String,
    first: usize,
    /// the hidden atomic counting the instances made so far
    counter: String,
}

/// What the pass leaves for the top level: the types and their instances.
#[derive(Default)]
pub struct Layout {
    types: Vec<StructTy>,
    instances: Vec<Vec<Instance>>,
    pools: Vec<Pool>,
}

/// Which instance a struct variable is: a number fixed when the program
/// is rewritten, or one of a pool's, whose pointer the hidden local
/// `#new@N` holds (N: where the declaration starts).
#[derive(Clone, Copy)]
enum At {
    Static(usize),
    Via(usize),
}

impl At {
    fn local(self) -> String {
        match self {
            At::Static(_) => unreachable!("a static instance has no local"),
            At::Via(n) => format!("#new@{n}"),
        }
    }

    /// The instance's number, as an expression (its fields' index).
    fn idx(self, span: Span) -> Expr {
        let kind = match self {
            At::Static(k) => ExprKind::Int(k as i64),
            At::Via(_) => ExprKind::Deref(Box::new(name_expr(&self.local(), span))),
        };
        Expr { kind, span }
    }

    /// A pointer to the instance (`&x`).
    fn ptr(self, t: u16, span: Span) -> Expr {
        match self {
            At::Static(_) => Expr {
                kind: ExprKind::PtrTo(t, Box::new(self.idx(span))),
                span,
            },
            At::Via(_) => name_expr(&self.local(), span),
        }
    }
}

/// What a name stands for, as far as structs go.
#[derive(Clone, Copy)]
enum Sym {
    /// Instance `k` of type `t`.
    Inst(u16, At),
    /// An array of `len` instances of type `t`, the first `k`.
    Arr(u16, usize, u32),
    /// A pointer to a `t`.
    Ptr(u16),
    /// A value receiver of type `t`: a copy, whose fields are the
    /// method's parameters `name.field`.
    Val(u16),
    /// A struct value of type `t` in a local or parameter (a type with a
    /// string or channel field, or declared where its code runs many
    /// times): its fields are read and set through it, `r.n`.
    Value(u16),
    /// A channel of pointers to `t` (`chan *Job`, either direction): what
    /// is received from it is a `Ptr(t)`.
    PtrChan(u16),
    /// A map whose values are pointers to `t` (`map[string]*entry`):
    /// what is read from it is a `Ptr(t)`.
    PtrMap(u16),
    /// The array of a struct field of type `map[K]*T` (`#Memo.cache`):
    /// each element is a `PtrMap(t)`.
    PtrMaps(u16),
    /// Anything else (it hides an outer struct name).
    Other,
}

/// What a name of (rewritten) type `t` is, when a pointer or a channel of
/// pointers: `*T`, `chan *T`, `<-chan *T`.
fn sym_of_type(t: &TypeExpr) -> Sym {
    match t {
        TypeExpr::StructPtr(k) => Sym::Ptr(*k),
        TypeExpr::Chan(_, e) => match **e {
            TypeExpr::StructPtr(k) => Sym::PtrChan(k),
            _ => Sym::Other,
        },
        TypeExpr::Map(_, v) => match **v {
            TypeExpr::StructPtr(k) => Sym::PtrMap(k),
            _ => Sym::Other,
        },
        _ => Sym::Other,
    }
}

fn err<T>(span: Span, msg: impl Into<String>) -> DResult<T> {
    Err(Diagnostic::new(span, msg))
}

/// The name of the top-level array holding field `f` of type `t`.
fn field_array(t: &str, f: &str) -> String {
    format!("#{t}.{f}")
}

fn method_func(t: &str, m: &str) -> String {
    format!("(*{t}).{m}")
}

fn name_expr(n: &str, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Name(n.to_string()),
        span,
    }
}

/// Rewrite `file`'s structs away (see the module doc).
pub fn desugar(
    file: &File,
    once: &HashSet<String>,
    src: &crate::front::diag::Source,
) -> DResult<(File, Layout)> {
    let mut p = Pass {
        src,
        layout: Layout::default(),
        by_name: HashMap::new(),
        scopes: vec![HashMap::new()],
        consts: HashMap::new(),
        fn_results: HashMap::new(),
        fn_ptr_chans: HashMap::new(),
        hoist: false,
        extra: Vec::new(),
    };
    p.types(file)?;
    if p.layout.types.is_empty() {
        return Ok((file.clone(), p.layout));
    }
    for it in &file.items {
        if let Item::Const(c) = it
            && let ExprKind::Int(v) = c.value.kind
        {
            p.consts.insert(c.name.name.clone(), v);
        }
    }
    for it in &file.items {
        let name = match it {
            Item::Var(v) => &v.name,
            Item::Const(c) => &c.name,
            Item::Func(f) if f.receiver.is_none() => &f.name,
            _ => continue,
        };
        if p.by_name.contains_key(&name.name) {
            return err(
                name.span,
                format!("`{}` redeclared at top level (it is a type)", name.name),
            );
        }
    }
    let mut items = Vec::new();
    for it in &file.items {
        if let Item::Var(v) = it
            && let Some(sym) = p.top_var(v)?
        {
            p.scopes[0].insert(v.name.name.clone(), sym);
            continue;
        }
        if let Item::Var(v) = it {
            // `var boxes = make(chan box, 2)`: the struct values' type
            let mut v = v.clone();
            let mut sym = Sym::Other;
            if let Some((t, _)) = &mut v.ty {
                p.type_expr(t)?;
                sym = sym_of_type(t);
            }
            if let Some(e) = &mut v.init {
                p.expr(e)?;
                if v.ty.is_none() {
                    sym = p.ptr_sym(e);
                }
            }
            p.scopes[0].insert(v.name.name.clone(), sym);
            items.push(Item::Var(v));
            continue;
        }
        if !matches!(it, Item::Type(_)) {
            items.push(it.clone());
        }
    }
    // a field of type `map[K]*T`: what is read from it is a pointer
    let map_fields: Vec<(String, TypeExpr)> = (p.layout.types.iter())
        .flat_map(|ty| {
            (ty.fields.iter())
                .filter(|f| matches!(f.ty, TypeExpr::Map(..)))
                .map(|f| (field_array(&ty.name, &f.name.name), f.ty.clone()))
        })
        .collect();
    // (their types rewritten, `*entry` a struct pointer, for their arrays)
    let mut map_field_tys = HashMap::new();
    for (arr, mut t) in map_fields {
        p.type_expr(&mut t)?;
        if let Sym::PtrMap(k) = sym_of_type(&t) {
            p.scopes[0].insert(arr.clone(), Sym::PtrMaps(k));
        }
        map_field_tys.insert(arr, t);
    }
    for it in &mut items {
        match it {
            Item::Func(f) => {
                let is_once = f.receiver.is_none() && once.contains(&f.name.name);
                p.func(f, is_once)?;
            }
            Item::Expect(e) => p.expr(&mut e.cond)?,
            _ => {}
        }
    }
    // the fields' arrays, one per field of each type, after every other
    // variable (so programs without structs keep their layout)
    for (t, ty) in p.layout.types.iter().enumerate() {
        // (with no instance, length 0: a pointer can only be nil)
        let n = p.layout.instances[t].len();
        // (a type with a field of struct type has values only)
        if !p.ptr_ok(t as u16) {
            continue;
        }
        for f in &ty.fields {
            let span = f.ty_span;
            let arr = field_array(&ty.name, &f.name.name);
            let fty = map_field_tys.get(&arr).unwrap_or(&f.ty).clone();
            items.push(Item::Var(VarDecl {
                name: Ident {
                    name: arr,
                    span: f.name.span,
                },
                ty: Some((
                    TypeExpr::Array(
                        Box::new(Expr {
                            kind: ExprKind::Int(n as i64),
                            span,
                        }),
                        Box::new(fty),
                    ),
                    span,
                )),
                init: None,
                span,
            }));
        }
    }
    // each pool's count of instances made, a hidden atomic
    for pool in &p.layout.pools {
        let span = p.layout.types[pool.t as usize]
            .fields
            .first()
            .map_or(Span::default(), |f| f.ty_span);
        items.push(Item::Var(VarDecl {
            name: Ident {
                name: pool.counter.clone(),
                span,
            },
            ty: Some((TypeExpr::AtomicInt(crate::ir::Ty::Int), span)),
            init: None,
            span,
        }));
    }
    Ok((File { items }, p.layout))
}

struct Pass<'s> {
    src: &'s crate::front::diag::Source,
    layout: Layout,
    by_name: HashMap<String, u16>,
    scopes: Vec<HashMap<String, Sym>>,
    /// top-level integer constants written as literals (array lengths)
    consts: HashMap<String, i64>,
    /// functions (and methods) whose one result is a struct pointer
    fn_results: HashMap<String, Vec<Option<u16>>>,
    /// functions whose one result is a channel of struct pointers
    /// (`func gen() <-chan *Job`), and to what
    fn_ptr_chans: HashMap<String, u16>,
    /// may a struct declared here be an instance (a once body, outside
    /// loops and func literals)?
    hoist: bool,
    /// the statements that set a struct literal's fields, spliced in
    /// before the statement that has the literal
    extra: Vec<Stmt>,
}

impl Pass<'_> {
    /// Collect the struct types, their fields and methods.
    fn types(&mut self, file: &File) -> DResult<()> {
        for it in &file.items {
            if let Item::Type(t) = it {
                if self.by_name.contains_key(&t.name.name) {
                    return err(
                        t.name.span,
                        format!("type `{}` redeclared at top level", t.name.name),
                    );
                }
                let mut seen = HashSet::new();
                for f in &t.fields {
                    if !seen.insert(f.name.name.clone()) {
                        return err(
                            f.name.span,
                            format!("{} redeclared (a field of {})", f.name.name, t.name.name),
                        );
                    }
                    field_type_ok(f)?;
                }
                self.by_name
                    .insert(t.name.name.clone(), self.layout.types.len() as u16);
                self.layout.types.push(StructTy {
                    name: t.name.name.clone(),
                    fields: t.fields.clone(),
                    methods: HashMap::new(),
                });
                self.layout.instances.push(Vec::new());
            }
        }
        // a field of struct type (`from point`), once every type is known
        for t in 0..self.layout.types.len() {
            let mut fields = self.layout.types[t].fields.clone();
            for f in &mut fields {
                if let TypeExpr::Named(n) = &f.ty {
                    f.ty = TypeExpr::StructVal(self.struct_of(n)?);
                }
            }
            self.layout.types[t].fields = fields;
        }
        for t in 0..self.layout.types.len() {
            self.not_recursive(t as u16, &mut Vec::new())?;
        }
        // a channel field of struct values (`reply chan result`)
        for t in 0..self.layout.types.len() {
            let mut fields = self.layout.types[t].fields.clone();
            for f in &mut fields {
                if matches!(f.ty, TypeExpr::Chan(..)) {
                    self.type_expr(&mut f.ty)?;
                }
            }
            self.layout.types[t].fields = fields;
        }
        for it in &file.items {
            if let Item::Func(f) = it {
                if let Some(r) = &f.receiver {
                    let Some(&t) = self.by_name.get(&r.ty.name) else {
                        return err(r.ty.span, format!("undefined type `{}`", r.ty.name));
                    };
                    let ty = &self.layout.types[t as usize];
                    if !r.ptr
                        && ty
                            .fields
                            .iter()
                            .any(|x| crate::front::globals::sync_kind(&x.ty).is_some())
                    {
                        return err(
                            r.span,
                            format!(
                                "a value receiver copies the struct, and its sync objects with it (go vet: passes lock by value): use a pointer receiver, `func ({} *{}) {}(…)`",
                                r.name.name, r.ty.name, f.name.name
                            ),
                        );
                    }
                    let ty = &mut self.layout.types[t as usize];
                    if ty.fields.iter().any(|x| x.name.name == f.name.name) {
                        return err(
                            f.name.span,
                            format!("field and method with the same name {}", f.name.name),
                        );
                    }
                    let fname = match r.ptr {
                        true => method_func(&ty.name, &f.name.name),
                        false => format!("{}.{}", ty.name, f.name.name),
                    };
                    if ty
                        .methods
                        .insert(f.name.name.clone(), (fname.clone(), r.ptr, f.params.len()))
                        .is_some()
                    {
                        return err(
                            f.name.span,
                            format!("method {}.{} already declared", ty.name, f.name.name),
                        );
                    }
                    let rs = self.result_structs(f);
                    self.fn_results.insert(fname, rs);
                } else {
                    let rs = self.result_structs(f);
                    self.fn_results.insert(f.name.name.clone(), rs);
                    if let [r] = f.results.as_slice()
                        && let TypeExpr::Chan(_, e) = &r.ty
                        && let TypeExpr::Ptr(inner) = &**e
                        && let TypeExpr::Named(n) = &**inner
                        && let Some(&k) = self.by_name.get(&n.name)
                    {
                        self.fn_ptr_chans.insert(f.name.name.clone(), k);
                    }
                }
            }
        }
        Ok(())
    }

    /// Which of a function's results are struct pointers, and to what.
    fn result_structs(&self, f: &FuncDecl) -> Vec<Option<u16>> {
        f.results
            .iter()
            .map(|r| match &r.ty {
                TypeExpr::Ptr(inner) => match &**inner {
                    TypeExpr::Named(n) => self.by_name.get(&n.name).copied(),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// Can type `t` be a struct value (one number, copied as Go copies
    /// it)? Not with sync objects, atomics or maps: copying them is what
    /// `go vet` refuses, or would share the map.
    fn value_ok(&self, t: u16) -> bool {
        self.layout.types[t as usize]
            .fields
            .iter()
            .all(|f| match f.ty {
                TypeExpr::Int
                | TypeExpr::Integer(_)
                | TypeExpr::Bool
                | TypeExpr::Str
                | TypeExpr::Chan(..) => true,
                // (no type contains itself: `not_recursive`)
                TypeExpr::StructVal(k) => self.value_ok(k),
                _ => false,
            })
    }

    /// Go's "invalid recursive type": a struct that contains itself.
    fn not_recursive(&self, t: u16, path: &mut Vec<u16>) -> DResult<()> {
        let ty = &self.layout.types[t as usize];
        if path.contains(&t) {
            let f = &ty.fields[0];
            return err(f.ty_span, format!("invalid recursive type {}", ty.name));
        }
        path.push(t);
        for f in &ty.fields {
            if let TypeExpr::StructVal(k) = f.ty {
                if path.contains(&k) {
                    return err(
                        f.ty_span,
                        format!(
                            "invalid recursive type {}",
                            self.layout.types[k as usize].name
                        ),
                    );
                }
                self.not_recursive(k, path)?;
            }
        }
        path.pop();
        Ok(())
    }

    /// Can type `t` be an instance behind a pointer (`&T{…}`, a top-level
    /// variable), each field a shared variable? Not with a field of struct
    /// type (an instance's fields are one level of arrays).
    fn ptr_ok(&self, t: u16) -> bool {
        !self.layout.types[t as usize]
            .fields
            .iter()
            .any(|f| matches!(f.ty, TypeExpr::StructVal(_)))
    }

    /// Is a struct variable of type `t` (`x := T{…}` where it runs once)
    /// an instance? Where it may be, unless it has a channel field and
    /// can be a value: a request carrying its reply channel is a value,
    /// copied into channels and parameters as Go does.
    fn instance_ok(&self, t: u16) -> bool {
        let chan = self.layout.types[t as usize]
            .fields
            .iter()
            .any(|f| matches!(f.ty, TypeExpr::Chan(..)));
        self.ptr_ok(t) && !(chan && self.value_ok(t))
    }

    /// Is a struct variable of type `t` declared here a value (true) or
    /// an instance (false)? An instance where its declaration runs once
    /// and the type allows one; a value where the type allows one.
    fn value_here(&self, t: u16, span: Span) -> DResult<bool> {
        if self.hoist && self.instance_ok(t) {
            return Ok(false);
        }
        if self.value_ok(t) {
            return Ok(true);
        }
        if self.hoist {
            return err(
                span,
                format!(
                    "{} has a channel field or a field of struct type, and sync objects, atomics or maps: grace supports one or the other in a struct for now (a struct with a channel or struct field is a value)",
                    self.layout.types[t as usize].name
                ),
            );
        }
        Ok(false)
    }

    /// `T{…}` as a value: the fields' values in field order.
    fn struct_lit(&mut self, t: u16, elems: &[(Option<Ident>, Expr)], span: Span) -> DResult<Expr> {
        let given = self.field_values(t, elems, span)?;
        let mut fields = Vec::new();
        for f in self.layout.types[t as usize].fields.clone() {
            match given.iter().find(|(n, _)| *n == f.name.name) {
                Some((_, v)) => {
                    let mut v = v.clone();
                    self.value(&mut v)?;
                    fields.push(Some(v));
                }
                None => fields.push(None),
            }
        }
        Ok(Expr {
            kind: ExprKind::StructLit(t, fields),
            span,
        })
    }

    fn struct_of(&self, n: &Ident) -> DResult<u16> {
        match self.by_name.get(&n.name) {
            Some(t) => Ok(*t),
            None if n.name == "error" => err(
                n.span,
                "an error is a value of locals, parameters, results and channels in grace, not of struct fields (Go prints a struct's error field as an address)",
            ),
            None => err(
                n.span,
                crate::front::parse::feature_message(&n.name)
                    .unwrap_or_else(|| format!("undefined type `{}`", n.name)),
            ),
        }
    }

    /// A new instance of type `t` named `name`.
    fn instance(&mut self, t: u16, name: &str, span: Span) -> DResult<usize> {
        let total: usize = self.layout.instances.iter().map(Vec::len).sum();
        if total >= MAX_INSTANCES {
            return err(
                span,
                format!("too many struct variables: at most {MAX_INSTANCES}"),
            );
        }
        let taken = self
            .layout
            .instances
            .iter()
            .flatten()
            .any(|i| i.name == name);
        // two struct variables of one name (a local hiding a global, or in
        // two functions) are told apart in reports by where they are
        // declared, as local sync objects are
        let name = self.placed(name, taken, span);
        let list = &mut self.layout.instances[t as usize];
        list.push(Instance {
            name,
            init: Vec::new(),
            pooled: false,
        });
        Ok(list.len() - 1)
    }

    /// `name`, or `name@L:C` (where `span` starts) when it is `taken`.
    fn placed(&self, name: &str, taken: bool, span: Span) -> String {
        match taken {
            true => {
                let (l, c) = self.src.line_col(span.start);
                format!("{name}@{l}:{c}")
            }
            false => name.to_string(),
        }
    }

    /// The pool of `&T{…}` named `name` (where its code runs many times):
    /// [`STRUCT_POOL`] instances, and the site that hands them out.
    fn pool(&mut self, t: u16, name: &str, span: Span) -> DResult<NewSite> {
        let first = self.layout.instances[t as usize].len();
        // (a pool named as another pool or a struct variable is told apart
        // by where it is: its race would read as the other's)
        let taken = self.layout.pools.iter().any(|p| p.name == name)
            || self
                .layout
                .instances
                .iter()
                .flatten()
                .any(|i| i.name == name);
        let name = self.placed(name, taken, span);
        for i in 0..STRUCT_POOL {
            let k = self.instance(t, &format!("{name}#{}", i + 1), span)?;
            self.layout.instances[t as usize][k].pooled = true;
        }
        let counter = format!("#made@{}", span.start);
        self.layout.pools.push(Pool {
            t,
            name,
            first,
            counter: counter.clone(),
        });
        Ok(NewSite {
            at: NewAt::Pool {
                counter,
                first: first as u32,
                count: STRUCT_POOL as u32,
            },
            fields: Vec::new(),
        })
    }

    /// A top-level `var` of a struct type: an instance, with constant
    /// field values.
    fn top_var(&mut self, v: &VarDecl) -> DResult<Option<Sym>> {
        let lit = match &v.init {
            Some(Expr {
                kind: ExprKind::Composite(addr, ty, elems),
                span,
            }) => {
                if *addr {
                    return err(
                        *span,
                        "a top-level pointer to a struct is not supported: declare the struct itself, `var acct Account`, and use &acct",
                    );
                }
                Some((ty, elems, *span))
            }
            _ => None,
        };
        let ty = match (&v.ty, &lit) {
            (Some((TypeExpr::Named(n), _)), None) if v.init.is_some() => {
                let n = &self.layout.types[self.struct_of(n)? as usize].name;
                return err(
                    v.init.as_ref().map_or(v.span, |e| e.span),
                    format!(
                        "a top-level struct variable's initial value must be a struct literal, {n}{{…}} with constant fields: set it in main or init"
                    ),
                );
            }
            (Some((TypeExpr::Named(n), _)), _) => self.struct_of(n)?,
            (Some((TypeExpr::Array(len, e), _)), _) if matches!(**e, TypeExpr::Named(_)) => {
                let TypeExpr::Named(n) = &**e else {
                    unreachable!()
                };
                if let Some(init) = &v.init {
                    return err(
                        init.span,
                        "an array of structs cannot have an initial value: set its fields in main or init",
                    );
                }
                let t = self.struct_of(n)?;
                if !self.ptr_ok(t) {
                    return err(
                        v.name.span,
                        "an array of structs with a field of struct type is not supported: such a struct is a value",
                    );
                }
                return self.array(&v.name, t, len).map(Some);
            }
            (Some((TypeExpr::Ptr(inner), s)), _) if matches!(**inner, TypeExpr::Named(_)) => {
                return err(
                    *s,
                    "a top-level pointer to a struct is not supported: declare the struct itself, `var acct Account`, and use &acct",
                );
            }
            (None, Some((n, _, _))) => self.struct_of(n)?,
            _ => return Ok(None),
        };
        if !self.ptr_ok(ty) {
            return err(
                v.name.span,
                format!(
                    "{} has a field of struct type, so it is a struct value, not a shared variable: declare it in a function (`{} := {}{{…}}`) and pass it",
                    self.layout.types[ty as usize].name,
                    v.name.name,
                    self.layout.types[ty as usize].name
                ),
            );
        }
        let k = self.instance(ty, &v.name.name, v.name.span)?;
        if let Some((n, elems, span)) = lit {
            if self.struct_of(n)? != ty {
                return err(
                    span,
                    format!(
                        "cannot use a {} value as {}",
                        n.name, self.layout.types[ty as usize].name
                    ),
                );
            }
            let init = self.field_values(ty, elems, span)?;
            self.layout.instances[ty as usize][k].init = init;
        }
        Ok(Some(Sym::Inst(ty, At::Static(k))))
    }

    /// `var name [len]T`: `len` instances named `name[i]`.
    fn array(&mut self, name: &Ident, t: u16, len: &Expr) -> DResult<Sym> {
        let n = match &len.kind {
            ExprKind::Int(v) => Some(*v),
            ExprKind::Name(c) => self.consts.get(c).copied(),
            _ => None,
        };
        let Some(n) = n.filter(|n| (0..=MAX_INSTANCES as i64).contains(n)) else {
            return err(
                len.span,
                format!(
                    "the length of an array of structs must be an integer literal, or a top-level constant declared as one, between 0 and {MAX_INSTANCES}"
                ),
            );
        };
        let first = self.layout.instances[t as usize].len();
        for i in 0..n {
            self.instance(t, &format!("{}[{i}]", name.name), name.span)?;
        }
        Ok(Sym::Arr(t, first, n as u32))
    }

    /// The fields a literal sets, by name, each once and in the type.
    fn field_values(
        &self,
        t: u16,
        elems: &[(Option<Ident>, Expr)],
        span: Span,
    ) -> DResult<Vec<(String, Expr)>> {
        let ty = &self.layout.types[t as usize];
        let keyed = elems.iter().filter(|(k, _)| k.is_some()).count();
        if keyed != 0 && keyed != elems.len() {
            return err(
                span,
                "mixture of field:value and value elements in struct literal",
            );
        }
        if keyed == 0 && !elems.is_empty() && elems.len() != ty.fields.len() {
            return err(
                span,
                format!(
                    "too {} values in struct literal of type {}",
                    if elems.len() < ty.fields.len() {
                        "few"
                    } else {
                        "many"
                    },
                    ty.name
                ),
            );
        }
        let mut out: Vec<(String, Expr)> = Vec::new();
        for (i, (key, value)) in elems.iter().enumerate() {
            let field = match key {
                Some(k) => match ty.fields.iter().find(|f| f.name.name == k.name) {
                    Some(f) => f,
                    None => {
                        return err(
                            k.span,
                            format!(
                                "unknown field {} in struct literal of type {}",
                                k.name, ty.name
                            ),
                        );
                    }
                },
                None => &ty.fields[i],
            };
            if crate::front::globals::sync_kind(&field.ty).is_some() {
                return err(
                    value.span,
                    format!(
                        "field {} is a sync object: leave it out of the literal (its zero value is ready to use)",
                        field.name.name
                    ),
                );
            }
            if out.iter().any(|(n, _)| *n == field.name.name) {
                return err(
                    value.span,
                    format!("duplicate field name {} in struct literal", field.name.name),
                );
            }
            out.push((field.name.name.clone(), value.clone()));
        }
        Ok(out)
    }

    fn lookup(&self, n: &str) -> Option<Sym> {
        self.scopes.iter().rev().find_map(|s| s.get(n).copied())
    }

    fn declare(&mut self, n: &str, s: Sym) {
        self.scopes.last_mut().unwrap().insert(n.to_string(), s);
    }

    fn func(&mut self, f: &mut FuncDecl, once: bool) -> DResult<()> {
        self.scopes.push(HashMap::new());
        let receiver = f.receiver.take();
        if let Some(r) = receiver.as_ref().filter(|r| !r.ptr)
            && self.value_ok(self.struct_of(&r.ty)?)
        {
            // the copy, made by the caller, is its first parameter
            let t = self.struct_of(&r.ty)?;
            f.name.name = format!("{}.{}", r.ty.name, f.name.name);
            f.params.insert(
                0,
                Param {
                    name: r.name.clone(),
                    ty: TypeExpr::StructVal(t),
                    ty_span: r.ty.span,
                },
            );
            self.declare(&r.name.name, Sym::Value(t));
        } else if let Some(r) = receiver.as_ref().filter(|r| !r.ptr) {
            // the copy's fields, read by the caller, are its first
            // parameters
            let t = self.struct_of(&r.ty)?;
            f.name.name = format!("{}.{}", r.ty.name, f.name.name);
            let fields = self.layout.types[t as usize].fields.clone();
            for (i, x) in fields.iter().enumerate() {
                f.params.insert(
                    i,
                    Param {
                        name: Ident {
                            name: format!("{}.{}", r.name.name, x.name.name),
                            span: r.name.span,
                        },
                        ty: x.ty.clone(),
                        ty_span: r.ty.span,
                    },
                );
            }
            self.declare(&r.name.name, Sym::Val(t));
        } else if let Some(r) = receiver {
            let t = self.struct_of(&r.ty)?;
            f.name.name = method_func(&r.ty.name, &f.name.name);
            f.params.insert(
                0,
                Param {
                    name: r.name.clone(),
                    ty: TypeExpr::StructPtr(t),
                    ty_span: r.ty.span,
                },
            );
        }
        for p in &mut f.params {
            let s = self.param_type(&mut p.ty, p.ty_span)?;
            self.declare(&p.name.name, s);
        }
        for r in &mut f.results {
            let s = self.param_type(&mut r.ty, r.ty_span)?;
            if let Some(n) = &r.name {
                self.declare(&n.name, s);
            }
        }
        self.hoist = once;
        self.stmts(&mut f.body.stmts)?;
        self.hoist = false;
        self.scopes.pop();
        Ok(())
    }

    /// A parameter's or result's type: `*T` becomes [`TypeExpr::StructPtr`].
    fn param_type(&mut self, t: &mut TypeExpr, span: Span) -> DResult<Sym> {
        match t {
            TypeExpr::StructPtr(k) => Ok(Sym::Ptr(*k)),
            TypeExpr::StructVal(k) => Ok(Sym::Value(*k)),
            TypeExpr::Ptr(inner) => {
                if let TypeExpr::Named(n) = &**inner {
                    let k = self.struct_of(n)?;
                    *t = TypeExpr::StructPtr(k);
                    return Ok(Sym::Ptr(k));
                }
                Ok(Sym::Other)
            }
            TypeExpr::Named(n) => {
                let k = self.struct_of(n)?;
                if !self.value_ok(k) {
                    return err(
                        span,
                        format!(
                            "a struct with sync objects, atomics or maps cannot be passed or returned by value (go vet: passes lock by value): pass a pointer, `*{}`",
                            n.name
                        ),
                    );
                }
                *t = TypeExpr::StructVal(k);
                Ok(Sym::Value(k))
            }
            _ => {
                self.type_expr(t)?;
                Ok(sym_of_type(t))
            }
        }
    }

    /// Rewrite `*T` inside a type (a channel of pointers is refused later).
    fn type_expr(&mut self, t: &mut TypeExpr) -> DResult<()> {
        match t {
            TypeExpr::Ptr(inner) => {
                if let TypeExpr::Named(n) = &**inner {
                    *t = TypeExpr::StructPtr(self.struct_of(n)?);
                    return Ok(());
                }
                self.type_expr(inner)
            }
            // a channel of struct values (`chan request`)
            TypeExpr::Chan(_, e) if matches!(**e, TypeExpr::Named(_)) => {
                let TypeExpr::Named(n) = &**e else {
                    unreachable!()
                };
                let k = self.struct_of(n)?;
                if !self.value_ok(k) {
                    return err(
                        n.span,
                        format!(
                            "a channel of {} would copy its sync objects, atomics or maps: send a pointer, `chan *{}`",
                            n.name, n.name
                        ),
                    );
                }
                **e = TypeExpr::StructVal(k);
                Ok(())
            }
            TypeExpr::Chan(_, e) | TypeExpr::Array(_, e) => self.type_expr(e),
            TypeExpr::Map(k, v) => {
                self.type_expr(k)?;
                self.type_expr(v)
            }
            _ => Ok(()),
        }
    }

    fn block(&mut self, b: &mut Block) -> DResult<()> {
        self.scopes.push(HashMap::new());
        let r = self.stmts(&mut b.stmts);
        self.scopes.pop();
        r
    }

    fn stmts(&mut self, ss: &mut Vec<Stmt>) -> DResult<()> {
        // what the enclosing statement's header needs (`if p := &T{…}; …`)
        // goes before that statement, not into this block
        let outer = std::mem::take(&mut self.extra);
        let mut out = Vec::with_capacity(ss.len());
        for mut s in std::mem::take(ss) {
            self.stmt(&mut s)?;
            // a literal's fields are set before the statement that uses
            // the struct (`return &T{n: 1}` returns it set)
            out.append(&mut self.extra);
            out.push(s);
        }
        *ss = out;
        self.extra = outer;
        Ok(())
    }

    /// Run `f` with hoisting off (in a loop or a func literal).
    fn many<T>(&mut self, f: impl FnOnce(&mut Self) -> DResult<T>) -> DResult<T> {
        let h = std::mem::replace(&mut self.hoist, false);
        let r = f(self);
        self.hoist = h;
        r
    }
}

/// A field of an instance as reports name it: `acct.balance`, and an
/// embedded sync object by its instance alone (`Lock acct`).
fn field_name(i: &Instance, f: &Field) -> String {
    match f.embedded {
        true => i.name.clone(),
        false => format!("{}.{}", i.name, f.name.name),
    }
}

/// The field types a struct may have: integers, bool and sync objects.
fn field_type_ok(f: &Field) -> DResult<()> {
    let ok = match &f.ty {
        TypeExpr::Int
        | TypeExpr::Integer(_)
        | TypeExpr::Bool
        | TypeExpr::Map(..)
        | TypeExpr::Str
        | TypeExpr::Chan(..)
        | TypeExpr::Named(_) => !f.embedded,
        t => crate::front::globals::sync_kind(t).is_some(),
    };
    if ok {
        return Ok(());
    }
    let what = match &f.ty {
        TypeExpr::Array(..) => "a struct field of array type",
        TypeExpr::Ptr(_) => "a struct field of pointer type",
        _ if f.embedded => "an embedded field other than a sync object",
        _ => "a struct field of this type",
    };
    err(
        f.ty_span,
        format!(
            "{what} is not supported yet: fields may be integers, bool, strings, channels, structs, sync objects (sync.Mutex, embedded too), atomics and maps"
        ),
    )
}

/// A message as the program wrote it: a field's array (`#Account.mu[…]`)
/// becomes the field (`Account.mu`), a method's function `(*T).M` stays.
pub fn tidy(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(at) = rest.find('#') {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let name_len = tail[1..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(tail.len() - 1);
        if name_len == 0 || !tail[1..].starts_with(|c: char| c.is_alphabetic() || c == '_') {
            out.push('#');
            rest = &tail[1..];
            continue;
        }
        out.push_str(&tail[1..1 + name_len]);
        rest = &tail[1 + name_len..];
        // the index the rewrite added (`[…]`, `[k]`)
        if rest.starts_with('[')
            && let Some(close) = rest.find(']')
        {
            rest = &rest[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

impl Layout {
    /// Give the fields' arrays (laid out by `check_globals`) their
    /// instances' names and initial values.
    pub fn apply(&self, g: &mut Globals) -> DResult<()> {
        for (t, ty) in self.types.iter().enumerate() {
            let inst = &self.instances[t];
            for f in &ty.fields {
                let arr = field_array(&ty.name, &f.name.name);
                let Some((sym, _)) = g.syms.get(&arr).cloned() else {
                    continue;
                };
                let name = |k: usize| field_name(&inst[k], f);
                match sym {
                    GSym::Plain { base, ty: vt, .. } => {
                        for (k, i) in inst.iter().enumerate() {
                            let slot = base as usize + k;
                            g.plain_names[slot] = name(k);
                            if let Some((_, e)) = i.init.iter().find(|(n, _)| *n == f.name.name)
                                && vt == crate::ir::Ty::Str
                            {
                                return err(
                                    e.span,
                                    format!(
                                        "a string field of a top-level struct cannot have an initial value in grace: set it in main or init (`{}.{} = …`)",
                                        i.name, f.name.name
                                    ),
                                );
                            }
                            if let Some((_, e)) = i.init.iter().find(|(n, _)| *n == f.name.name) {
                                let (v, et) = const_eval(g, e).map_err(|d| {
                                    Diagnostic::new(
                                        d.span,
                                        format!(
                                            "a global's initial value must be a constant: {}",
                                            d.message
                                        ),
                                    )
                                })?;
                                if !crate::front::types::assignable(vt, et)
                                    || (et == crate::ir::Ty::UntypedInt && !vt.fits(v))
                                {
                                    return err(
                                        e.span,
                                        format!(
                                            "cannot use {} value as {} in struct literal",
                                            et.name(),
                                            vt.name()
                                        ),
                                    );
                                }
                                g.plain_init[slot] = v;
                            }
                        }
                    }
                    GSym::Sync { base, .. } => {
                        for k in 0..inst.len() {
                            g.sync_names[base as usize + k] = name(k);
                        }
                    }
                    _ => {}
                }
            }
            self.split_globals(g, t);
        }
        g.globals.retain(|x| !Self::is_counter(&x.name));
        Ok(())
    }

    /// Outcomes show each instance's fields together (`acct.balance=300
    /// acct.n=2`), where the type's first field array was.
    fn split_globals(&self, g: &mut Globals, t: usize) {
        let ty = &self.types[t];
        let inst = &self.instances[t];
        let mut at = None;
        let mut arrays = Vec::new();
        for f in &ty.fields {
            let arr = field_array(&ty.name, &f.name.name);
            if let Some(i) = g.globals.iter().position(|x| x.name == arr) {
                at.get_or_insert(i);
                arrays.push((f, g.globals.remove(i)));
            }
        }
        let Some(at) = at else { return };
        let mut each = Vec::new();
        for (k, i) in inst.iter().enumerate().filter(|(_, i)| !i.pooled) {
            // a channel field refers to a channel, which Go prints as an
            // address: not a value of the outcome
            for (f, gi) in arrays
                .iter()
                .filter(|(f, _)| !matches!(f.ty, TypeExpr::Chan(..)))
            {
                each.push(GlobalInfo {
                    name: field_name(i, f),
                    ty: gi.ty,
                    len: None,
                    place: gi.place,
                    base: gi.base + k as u32,
                });
            }
        }
        g.globals.splice(at..at, each);
    }

    /// The plain slots of the pools' instances: per field of each pool,
    /// its slots and the name a race on any of them is reported under
    /// (`w.count`): which instance of a pool a run got is not something
    /// the program can observe, so reports do not depend on it.
    pub fn pooled(&self, g: &Globals) -> Vec<crate::ir::PooledSlots> {
        let mut out = Vec::new();
        for pool in &self.pools {
            let ty = &self.types[pool.t as usize];
            for f in &ty.fields {
                if let Some((GSym::Plain { base, .. }, _)) =
                    g.syms.get(&field_array(&ty.name, &f.name.name))
                {
                    let first = base + pool.first as u32;
                    out.push(crate::ir::PooledSlots {
                        first,
                        count: STRUCT_POOL as u32,
                        name: format!("{}.{}", pool.name, f.name.name),
                    });
                }
            }
        }
        out
    }

    /// The plain slot of each field of instance `first` of type `t`, when
    /// every field is an integer, a bool or a string (a pool of such
    /// structs can be freed: `semantics/pools.rs`).
    pub fn site_slots(&self, g: &Globals, t: u16, first: u32) -> Option<Vec<u32>> {
        let ty = &self.types[t as usize];
        ty.fields
            .iter()
            .map(|f| match g.syms.get(&field_array(&ty.name, &f.name.name)) {
                Some((GSym::Plain { base, ty, .. }, _))
                    if ty.is_int() || matches!(ty, Ty::Bool | Ty::Str) =>
                {
                    Some(base + first)
                }
                _ => None,
            })
            .collect()
    }

    /// The hidden counters of the pools (`#made@…`), which outcomes and
    /// reports leave out.
    pub fn is_counter(name: &str) -> bool {
        name.starts_with("#made@")
    }

    /// The types' names and instances' names ([`crate::ir::Program::structs`]).
    pub fn table(&self) -> Vec<(String, Vec<String>)> {
        self.types
            .iter()
            .zip(&self.instances)
            .map(|(t, i)| (t.name.clone(), i.iter().map(|x| x.name.clone()).collect()))
            .collect()
    }

    /// Each type's methods: name → (function, has a pointer receiver).
    pub fn methods(&self) -> Vec<HashMap<String, (String, bool)>> {
        self.types
            .iter()
            .map(|t| {
                t.methods
                    .iter()
                    .map(|(m, (f, ptr, _))| (m.clone(), (f.clone(), *ptr)))
                    .collect()
            })
            .collect()
    }

    /// Each type's fields: name, type and where the type is written.
    pub fn fields(&self) -> Vec<Vec<(String, TypeExpr, Span)>> {
        self.types
            .iter()
            .map(|t| {
                t.fields
                    .iter()
                    .map(|f| (f.name.name.clone(), f.ty.clone(), f.ty_span))
                    .collect()
            })
            .collect()
    }

    pub fn names(&self) -> Vec<String> {
        self.types.iter().map(|t| t.name.clone()).collect()
    }
}

mod rewrite;
