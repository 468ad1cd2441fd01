//! The syntax tree of a `.gr` file, as parsed. Every node keeps the byte
//! span it came from so that later stages can point at it.

// The operators and expect kinds are the step program's own (ir); the
// syntax tree names them.
pub use crate::ir::{BinOp, Dir, ExpectKind, Ty};

/// A byte range `[start, end)` in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A name with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    Int,
    /// The integer types other than `int` (`int64`, `uint8`, `byte`, …).
    Integer(Ty),
    Bool,
    /// `string`
    Str,
    Struct,
    Mutex,
    RWMutex,
    WaitGroup,
    Once,
    /// `atomic.Int64`, `atomic.Int32`, `atomic.Uint64`, `atomic.Uint32`:
    /// the type of the value held.
    AtomicInt(Ty),
    AtomicBool,
    Chan(Dir, Box<TypeExpr>),
    /// `*T`
    Ptr(Box<TypeExpr>),
    Array(Box<Expr>, Box<TypeExpr>),
    /// A name that must be a struct type declared with `type` (the only
    /// named types): resolved by `front::structs`, which leaves none.
    Named(Ident),
    /// `*T` for struct type `T` (its number in `front::structs`), as the
    /// struct pass writes it.
    StructPtr(u16),
    /// `map[K]V`
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// Struct type `k` (its number in `front::structs`) as a value: a
    /// local, parameter, result or channel element, as the struct pass
    /// writes it.
    StructVal(u16),
}

/// A whole file.
#[derive(Clone, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Const(ConstDecl),
    Var(VarDecl),
    Func(FuncDecl),
    Expect(ExpectDecl),
    /// `type T struct { … }`
    Type(TypeDecl),
}

/// `type T struct { fields }`.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    pub name: Ident,
    pub fields: Vec<Field>,
    pub span: Span,
}

/// A field of a struct type; an embedded one (`sync.Mutex`) is named by
/// its type's name (`Mutex`), as in Go.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: Ident,
    pub ty: TypeExpr,
    pub ty_span: Span,
    pub embedded: bool,
}

/// A method's receiver: `(a *Account)` or `(a Account)`.
#[derive(Clone, Debug)]
pub struct Receiver {
    pub name: Ident,
    pub ty: Ident,
    pub ptr: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ConstDecl {
    pub name: Ident,
    pub ty: Option<(TypeExpr, Span)>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct VarDecl {
    pub name: Ident,
    pub ty: Option<(TypeExpr, Span)>,
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub ty_span: Span,
}

/// One result of a function: `int` or `n int`.
#[derive(Clone, Debug)]
pub struct ResultParam {
    pub name: Option<Ident>,
    pub ty: TypeExpr,
    pub ty_span: Span,
}

#[derive(Clone, Debug)]
pub struct FuncDecl {
    /// A method's receiver (`front::structs` makes methods functions).
    pub receiver: Option<Receiver>,
    pub name: Ident,
    pub params: Vec<Param>,
    /// The results in order: all named (`(n int, ok bool)`) or none.
    pub results: Vec<ResultParam>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ExpectDecl {
    pub kind: ExpectKind,
    pub cond: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// The target of an assignment: a name, or a name indexed once, either
/// perhaps with a field (`acct.balance`, `p.n`, which `front::structs`
/// rewrites).
#[derive(Clone, Debug)]
pub struct LValue {
    pub name: Ident,
    pub index: Option<Expr>,
    pub field: Option<Ident>,
    /// `m.cache[k]`: the key of an entry of a map field (rewritten by
    /// `front::structs`, which leaves none).
    pub key: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Clone, Debug)]
pub enum ForKind {
    /// `for { }`
    Forever,
    /// `for cond { }`
    Cond(Expr),
    /// `for init; cond; post { }`
    Clause(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>),
    /// `for [k [, v] :=] range e { }`
    Range(Option<Ident>, Option<Ident>, Expr),
}

/// One arm of a `select`.
#[derive(Clone, Debug)]
pub struct CommClause {
    pub case: CommCase,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum CommCase {
    /// `case [v [, ok] (:= | =)] <-ch:`
    Recv {
        names: Vec<Ident>,
        define: bool,
        chan: Expr,
        span: Span,
    },
    /// `case ch <- e:`
    Send {
        chan: Expr,
        value: Expr,
        // unread since the module is private to the crate (issue 17)
        #[allow(dead_code)]
        span: Span,
    },
    Default(Span),
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `var x T = e`, `var x = e`, `var x T`
    Var(Ident, Option<(TypeExpr, Span)>, Option<Expr>),
    /// `var a, b T`, `var a, b = 1, 2`, `var x, y = f()`, `var ( … )`
    VarSpecs(Vec<VarSpec>),
    /// `const x = e` or `const ( … )` in a function body, one per name
    /// (`iota` already replaced).
    Const(Vec<ConstDecl>),
    /// `a := e` or `v, ok := <-ch`
    ShortDecl(Vec<Ident>, Expr),
    /// `a = e`, `a[i] = e` or `v, ok = <-ch`
    Assign(Vec<LValue>, Expr),
    /// `a, b := e1, e2` (several values)
    MultiDecl(Vec<Ident>, Vec<Expr>),
    /// `a, b = e1, e2` (several values)
    MultiAssign(Vec<LValue>, Vec<Expr>),
    OpAssign(LValue, AssignOp, Expr),
    IncDec(LValue, bool),
    Send(Expr, Expr),
    Expr(Expr),
    If(Option<Box<Stmt>>, Expr, Block, Option<Box<Stmt>>),
    For(ForKind, Block),
    Select(Vec<CommClause>),
    /// `go f(args)`
    Go(Expr),
    /// `go func(params) { body }(args)`, with where `func` is (it names
    /// the goroutines)
    GoLit(Vec<Param>, Block, Vec<Expr>, Span),
    /// `defer f(args)`, `defer mu.Unlock()`, …: a call
    Defer(Expr),
    /// `defer func(params) { body }(args)`, with where `func` is
    DeferLit(Vec<Param>, Block, Vec<Expr>, Span),
    /// `once.Do(func(params) { body })`, with where `func` is; a result
    /// type, which Do refuses, is kept as its span
    OnceDoLit(LValue, Vec<Param>, Block, Span, Option<Span>),
    /// `f := func(params) results { body }` or `var f [T] = func…`: a
    /// func literal bound to a variable, which calls name later.
    FuncBind(Box<FuncBind>),
    /// `return`, `return e`, `return a, b` or `return f()`.
    Return(Vec<Expr>),
    Break,
    Continue,
    Block(Block),
    /// `switch [init;] [tag] { clauses }`
    Switch(Option<Box<Stmt>>, Option<Expr>, Vec<CaseClause>),
    /// `fallthrough`, valid only as the last statement of a switch clause
    Fallthrough,
    /// `L: stmt`
    Labeled(Ident, Box<Stmt>),
    /// `break L`
    BreakTo(Ident),
    /// `continue L`
    ContinueTo(Ident),
}

/// A func literal bound to a variable: `add := func(n int) { … }`.
#[derive(Clone, Debug)]
pub struct FuncBind {
    pub name: Ident,
    pub params: Vec<Param>,
    pub results: Vec<ResultParam>,
    pub body: Block,
    /// Where `func` is (it names the function, as for `go func…`).
    pub at: Span,
    /// `var f func(int) bool = …`: the declared type.
    pub declared: Option<FuncType>,
}

/// A func type as written (`func(int, string) bool`): its parameter and
/// result types, each with its span, and its own span.
#[derive(Clone, Debug)]
pub struct FuncType {
    pub params: Vec<(TypeExpr, Span)>,
    pub results: Vec<(TypeExpr, Span)>,
    pub span: Span,
}

/// One spec of a `var` statement with several names or in a group:
/// `a, b T`, `a, b = 1, 2`, `a, b T = f()`.
#[derive(Clone, Debug)]
pub struct VarSpec {
    pub names: Vec<Ident>,
    pub ty: Option<(TypeExpr, Span)>,
    /// The values, and the span of their list.
    pub values: Option<(Vec<Expr>, Span)>,
    pub span: Span,
}

/// One clause of a `switch`: `case e1, e2:` or `default:` (no expressions).
#[derive(Clone, Debug)]
pub struct CaseClause {
    pub exprs: Vec<Expr>,
    pub default: bool,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Recv,
    /// `&x`, only as the first argument of a sync/atomic function or in
    /// `sync.NewCond(&mu)`
    Addr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    /// The literal 9223372036854775808, valid only under unary minus.
    MinIntMagnitude,
    Bool(bool),
    Str(String),
    /// `struct{}{}`
    Unit,
    Name(String),
    Index(Box<Expr>, Box<Expr>),
    Selector(Box<Expr>, Ident),
    Call(Box<Expr>, Vec<Expr>),
    /// A type written as a call argument, as in `make(chan int)`.
    Type(TypeExpr),
    /// `map[K]V{k: v, …}`
    MapLit(TypeExpr, Vec<(Expr, Expr)>),
    /// `[]T{e, …}`: accepted only where it is read as an array would be
    /// (`front/lower/slices.rs`)
    SliceLit(TypeExpr, Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `T{f: e, …}` or `T{e, …}`, `&T{…}` when the flag is set; only
    /// `front::structs` sees these (it rewrites or refuses each).
    Composite(bool, Ident, Vec<(Option<Ident>, Expr)>),
    /// A pointer to instance `index` (an int expression) of struct type
    /// `ty` (`&acct`, `&accts[i]`), as `front::structs` writes it.
    PtrTo(u16, Box<Expr>),
    /// An index of an array of `len` structs, checked when it runs.
    CheckIndex(Box<Expr>, u32),
    /// A value of struct type `ty`, each field's value in field order
    /// (`None`: the field's zero value), as `front::structs` writes
    /// `T{…}` where it is a value.
    StructLit(u16, Vec<Option<Expr>>),
    /// The instance number a struct pointer points to; a nil pointer
    /// panics (`p.n` becomes `T.n[*p]`), as `front::structs` writes it.
    Deref(Box<Expr>),
    /// A pointer to a new instance of struct type `ty` with its fields set
    /// (`&T{…}`), as `front::structs` writes it.
    New(u16, Box<NewSite>),
}

/// `&T{…}`: which instance it is, and the literal's fields, each set
/// (`#T.f` array, value) where the expression is evaluated, in order, as
/// Go evaluates the literal's elements.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSite {
    pub at: NewAt,
    pub fields: Vec<(String, Expr)>,
}

/// The instance `&T{…}` points to.
#[derive(Clone, Debug, PartialEq)]
pub enum NewAt {
    /// A static instance (where the code runs once).
    Static(u32),
    /// The next of the pool of `count` instances from `first` on, counted
    /// by the hidden atomic `counter`.
    Pool {
        counter: String,
        first: u32,
        count: u32,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}
