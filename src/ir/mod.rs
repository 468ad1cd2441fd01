//! The lowered program: a compact step program per function, and the tables
//! that describe the shared variables, sync objects and channels. Nothing
//! here points back into the syntax tree, so a state of the explorer only
//! holds small integers.

pub mod flow;
pub mod format;
pub mod fuse;

/// A binary operator, as written and as computed ([`binop`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

/// The three kinds of `expect` (LANGUAGE.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectKind {
    Exists,
    Never,
    Forall,
}

/// Index of a function in [`Program::funcs`].
pub type FuncId = u16;

/// The type of a value held in a local, a shared variable or a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Bool,
    /// `struct{}`: the one value is stored as 0.
    Unit,
    /// `string`: a value is the string's number in the run's interner
    /// (`state::Interner`, where 0 is ""), so equal strings are equal
    /// numbers. Only locals, parameters, results and constants have it:
    /// shared memory, channels and atomics hold no strings.
    Str,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Bool => "bool",
            Ty::Unit => "struct{}",
            Ty::Str => "string",
        }
    }

    /// Render a stored value of this type as Go prints it. A string needs
    /// the run's interner: this shows only its number (`string#3`), for
    /// the places that cannot hold one (shared memory, channels).
    pub fn show(self, v: i64) -> String {
        match self {
            Ty::Int => v.to_string(),
            Ty::Bool => (v != 0).to_string(),
            Ty::Unit => "{}".to_string(),
            Ty::Str => format!("string#{v}"),
        }
    }
}

/// A reference to one element of a table (shared variables, sync objects or
/// channels): either fixed, or chosen at run time by an index that the
/// instruction pops from the operand stack (checked against `len`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ref {
    Fixed(u32),
    Indexed { base: u32, len: u32 },
}

/// Atomic operations on an `atomic.Int64` / `atomic.Bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AtomicOp {
    Load,
    Store,
    Add,
    Swap,
    Cas,
}

/// One instruction. Those for which [`Instr::is_visible`] holds are the
/// *steps* of LANGUAGE.md §4; the others are local computation, run eagerly
/// after each step up to the goroutine's next step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instr {
    // ---- local computation ----
    Push(i64),
    Load(u16),
    Store(u16),
    /// Pop an index, push `locals[base + index]` (bounds-checked).
    LoadIdx {
        base: u16,
        len: u16,
    },
    /// Pop a value and an index, store (bounds-checked).
    StoreIdx {
        base: u16,
        len: u16,
    },
    Neg,
    Not,
    Bin(BinOp),
    Dup,
    Pop,
    Jump(u32),
    /// Pop a bool; jump if it equals the flag.
    JumpIf(bool, u32),
    Call {
        func: FuncId,
        argc: u8,
    },
    Return {
        value: bool,
    },
    /// Pop `argc` arguments and record the call of `func` with them, to be
    /// made when the current frame returns or a panic unwinds it (LIFO).
    Defer {
        func: FuncId,
        argc: u8,
    },
    /// Pop a bool; end the run with an `assert` outcome if false.
    Assert {
        msg: u32,
    },
    /// End the run with a `panic` outcome.
    Panic {
        msg: u32,
    },
    /// Pop a value of this type and end the run with a `panic` outcome
    /// whose message is the value as Go prints it (`panic(msg)`).
    PanicValue(Ty),
    /// Push constant string `strings[k]`, as its number in the run's
    /// interner.
    PushStr(u32),
    /// Pop two strings, push their concatenation (`a + b`).
    Concat,
    /// `fmt.Sprintf`/`Sprint`/`Sprintln` of print spec `prints[k]`: pop
    /// its values, push the text as a string.
    Sprint(u32),
    // ---- steps ----
    /// Read a plain shared variable (index popped if [`Ref::Indexed`]).
    Read(Ref),
    /// Pop a value (then an index if [`Ref::Indexed`]) and write it.
    Write(Ref),
    Lock(Ref),
    Unlock(Ref),
    RLock(Ref),
    RUnlock(Ref),
    /// Pop a delta and add it to the wait group's counter.
    WgAdd(Ref),
    WgWait(Ref),
    Atomic(AtomicOp, Ref),
    /// Pop a value and send it.
    Send(Ref),
    /// Receive; push the value, and `ok` too when the flag is set.
    Recv(Ref, bool),
    Close(Ref),
    Select(u32),
    Go {
        func: FuncId,
        argc: u8,
    },
    Print(u32),
}

impl Instr {
    /// Is this instruction a step of its own (observable by other goroutines)?
    pub fn is_visible(&self) -> bool {
        matches!(
            self,
            Instr::Read(_)
                | Instr::Write(_)
                | Instr::Lock(_)
                | Instr::Unlock(_)
                | Instr::RLock(_)
                | Instr::RUnlock(_)
                | Instr::WgAdd(_)
                | Instr::WgWait(_)
                | Instr::Atomic(..)
                | Instr::Send(_)
                | Instr::Recv(..)
                | Instr::Close(_)
                | Instr::Select(_)
                | Instr::Go { .. }
                | Instr::Print(_)
        )
    }
}

/// A lowered function.
#[derive(Clone, Debug)]
pub struct Function {
    /// The name used for goroutines running it (`deposit`, `func@12:5`).
    pub name: String,
    pub nparams: u16,
    pub nlocals: u16,
    pub param_tys: Vec<Ty>,
    pub code: Vec<Instr>,
    /// (line, col) of each instruction.
    pub locs: Vec<(u32, u32)>,
    /// Made by the lowering for a `defer` of something other than a
    /// declared function or a func literal (`defer mu.Unlock()`): its steps
    /// are shown as `deferred mu.Unlock()`.
    pub deferred: bool,
}

/// One case of a `select`.
#[derive(Clone, Debug)]
pub struct SelectCase {
    pub chan: Ref,
    /// `None` for a receive, else the send.
    pub send: bool,
    /// For a receive: push `ok` too.
    pub with_ok: bool,
    pub target: u32,
}

/// A `select` statement: its cases in source order, and its `default`.
#[derive(Clone, Debug)]
pub struct SelectSpec {
    pub cases: Vec<SelectCase>,
    pub default: Option<u32>,
}

/// One argument of a `print`: a constant string, or a value from the stack.
#[derive(Clone, Debug)]
pub enum PrintArg {
    Str(String),
    Value(Ty),
}

/// How a print spec joins its arguments.
#[derive(Clone, Debug)]
pub enum PrintStyle {
    /// The builtins `print`/`println`: no separator / a space between all.
    Builtin,
    /// `fmt.Print`/`Println` (and `Sprint`/`Sprintln`): Print puts a
    /// space between two operands when neither is a string.
    Fmt,
    /// `fmt.Printf`/`Sprintf` with a constant format, parsed and checked.
    Format(Vec<format::Piece>),
}

/// A print (a step) or a `fmt.Sprint…` (local): what it writes.
#[derive(Clone, Debug)]
pub struct PrintSpec {
    pub args: Vec<PrintArg>,
    pub newline: bool,
    pub style: PrintStyle,
}

impl PrintSpec {
    /// How many of the arguments are values on the operand stack.
    pub fn nvals(&self) -> usize {
        self.args
            .iter()
            .filter(|a| matches!(a, PrintArg::Value(_)))
            .count()
    }

    /// The text, given the values of the stack's arguments (`vals`, in
    /// order) and the text of a string value (`text`: from the run's
    /// interner).
    pub fn render<'s>(&'s self, vals: &[i64], text: impl Fn(i64) -> &'s str) -> String {
        let mut vi = vals.iter();
        let args: Vec<format::Val> = self
            .args
            .iter()
            .map(|a| match a {
                PrintArg::Str(s) => format::Val::Str(s),
                PrintArg::Value(t) => {
                    let v = vi.next().copied().unwrap_or(0);
                    match t {
                        Ty::Int => format::Val::Int(v),
                        Ty::Bool => format::Val::Bool(v != 0),
                        Ty::Unit => format::Val::Unit,
                        Ty::Str => format::Val::Str(text(v)),
                    }
                }
            })
            .collect();
        match &self.style {
            PrintStyle::Builtin if self.newline => {
                let parts: Vec<String> = args.iter().map(|a| format::plain(*a)).collect();
                format!("{}\n", parts.join(" "))
            }
            PrintStyle::Builtin => args.iter().map(|a| format::plain(*a)).collect(),
            PrintStyle::Fmt => format::sprint(&args, self.newline),
            PrintStyle::Format(pieces) => format::render(pieces, &args),
        }
    }
}

/// The kinds of sync object (a state holds one table of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncKind {
    Mutex,
    RWMutex,
    WaitGroup,
    AtomicInt,
    AtomicBool,
}

#[derive(Clone, Debug)]
pub struct ChanInfo {
    pub name: String,
    pub cap: u32,
    pub elem: Ty,
}

/// How a top-level variable shows up in an outcome.
#[derive(Clone, Debug)]
pub struct GlobalInfo {
    pub name: String,
    pub ty: Ty,
    /// `None` for a scalar, else the array length.
    pub len: Option<u32>,
    /// Where the values live: plain shared memory or the sync table (atomics).
    pub place: Place,
    pub base: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Plain,
    Atomic,
}

/// A condition over the final values, for `expect`.
#[derive(Clone, Debug)]
pub enum CExpr {
    Const(i64),
    Var(Place, Ref, Option<Box<CExpr>>),
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    Bin(BinOp, Box<CExpr>, Box<CExpr>),
}

/// An `expect` line.
#[derive(Clone, Debug)]
pub struct Expect {
    pub kind: ExpectKind,
    pub cond: CExpr,
    pub line: u32,
    pub text: String,
}

/// The whole lowered program.
#[derive(Clone, Debug)]
pub struct Program {
    pub funcs: Vec<Function>,
    pub main: FuncId,
    pub selects: Vec<SelectSpec>,
    pub prints: Vec<PrintSpec>,
    /// Constant strings (assert and panic messages).
    pub strings: Vec<String>,
    /// Name of each plain shared slot (`balance`, `slots[1]`).
    pub plain_names: Vec<String>,
    /// Type of each plain shared slot.
    pub plain_tys: Vec<Ty>,
    pub plain_init: Vec<i64>,
    pub sync_kinds: Vec<SyncKind>,
    pub sync_names: Vec<String>,
    pub sync_init: Vec<i64>,
    pub chans: Vec<ChanInfo>,
    pub globals: Vec<GlobalInfo>,
    pub expects: Vec<Expect>,
}

/// Evaluation error of an `expect` condition (division by zero, index).
#[derive(Debug)]
pub struct EvalError(pub String);

impl CExpr {
    /// Evaluate over final plain values and the sync table (atomics).
    pub fn eval(&self, plain: &[i64], sync: &[i64]) -> Result<i64, EvalError> {
        Ok(match self {
            CExpr::Const(v) => *v,
            CExpr::Var(place, r, idx) => {
                let slot = match (r, idx) {
                    (Ref::Fixed(s), _) => *s as usize,
                    (Ref::Indexed { base, len }, Some(i)) => {
                        let i = i.eval(plain, sync)?;
                        if i < 0 || i >= *len as i64 {
                            return Err(EvalError(format!(
                                "index out of range [{i}] with length {len}"
                            )));
                        }
                        *base as usize + i as usize
                    }
                    (Ref::Indexed { .. }, None) => unreachable!("indexed without index"),
                };
                match place {
                    Place::Plain => plain[slot],
                    Place::Atomic => sync[slot],
                }
            }
            CExpr::Neg(e) => e.eval(plain, sync)?.wrapping_neg(),
            CExpr::Not(e) => (e.eval(plain, sync)? == 0) as i64,
            CExpr::Bin(BinOp::And, a, b) => {
                (a.eval(plain, sync)? != 0 && b.eval(plain, sync)? != 0) as i64
            }
            CExpr::Bin(BinOp::Or, a, b) => {
                (a.eval(plain, sync)? != 0 || b.eval(plain, sync)? != 0) as i64
            }
            CExpr::Bin(op, a, b) => {
                binop(*op, a.eval(plain, sync)?, b.eval(plain, sync)?).map_err(EvalError)?
            }
        })
    }
}

/// Apply a binary operator with Go's int semantics (wrapping, truncated
/// division). `&&`/`||` are handled by jumps and never reach here.
pub fn binop(op: BinOp, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div => {
            if b == 0 {
                return Err("integer divide by zero".into());
            }
            a.wrapping_div(b)
        }
        BinOp::Rem => {
            if b == 0 {
                return Err("integer divide by zero".into());
            }
            a.wrapping_rem(b)
        }
        BinOp::Eq => (a == b) as i64,
        BinOp::Ne => (a != b) as i64,
        BinOp::Lt => (a < b) as i64,
        BinOp::Le => (a <= b) as i64,
        BinOp::Gt => (a > b) as i64,
        BinOp::Ge => (a >= b) as i64,
        BinOp::And => (a != 0 && b != 0) as i64,
        BinOp::Or => (a != 0 || b != 0) as i64,
    })
}

/// A string the program controls (a panic or assert message), escaped the
/// way `output=` is (Rust debug escaping, without the quotes): it cannot
/// start a line of its own, forge a report section or send the terminal an
/// escape sequence.
pub fn escape(s: &str) -> String {
    let quoted = format!("{s:?}");
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_follows_go() {
        assert_eq!(binop(BinOp::Div, -7, 2), Ok(-3));
        assert_eq!(binop(BinOp::Rem, -7, 2), Ok(-1));
        assert_eq!(binop(BinOp::Div, i64::MIN, -1), Ok(i64::MIN));
        assert!(binop(BinOp::Rem, 1, 0).is_err());
        assert_eq!(binop(BinOp::Add, i64::MAX, 1), Ok(i64::MIN));
    }

    #[test]
    fn escape_keeps_plain_messages_and_neutralises_the_rest() {
        assert_eq!(escape("integer divide by zero"), "integer divide by zero");
        assert_eq!(escape("can't"), "can't");
        assert_eq!(escape("a\nb\u{1b}[2J\"c\\"), "a\\nb\\u{1b}[2J\\\"c\\\\");
    }
}
