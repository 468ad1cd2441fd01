//! The lowered program: a compact step program per function, and the tables
//! that describe the shared variables, sync objects and channels. Nothing
//! here points back into the syntax tree, so a state of the explorer only
//! holds small integers.

pub mod flow;
pub mod footprint;
pub mod format;
pub mod fuse;
mod maps;
pub mod refs;

pub use maps::{MAP_CAP, MAP_WORDS, MapInfo, MapTy};

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
/// Every value is stored as an `i64`: a narrow integer sign- or
/// zero-extended to 64 bits ([`Ty::wrap`]), a `uint64` as its bit pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    /// An integer constant not yet given a type (`5`, `const N = 5`): the
    /// front end only; it becomes `int` where a variable is declared from it.
    UntypedInt,
    Bool,
    /// `struct{}`: the one value is stored as 0.
    Unit,
    /// The value of `recover()` (Go's `any`): 0 for nil, else the text of
    /// the panic's value interned + 1. It can only be compared with nil
    /// and printed.
    Any,
    /// `error`: 0 for nil, else the number of its message in the run's
    /// interner + 1 (as [`Ty::Any`]), so `errors.New(s)` is `s` + 1. An
    /// error is compared with nil, printed, and asked for its `Error()`;
    /// two errors are not compared (Go compares them by identity).
    Error,
    /// `string`: a value is the string's number in the run's interner
    /// (`state::Interner`, where 0 is ""), so equal strings are equal
    /// numbers. Only locals, parameters, results and constants have it:
    /// shared memory, channels and atomics hold no strings.
    Str,
    /// A channel: the channel's number in `State::chans` + 1, 0 for nil.
    Chan(ChanTy),
    /// The untyped `nil` (the front end only): it becomes the type it is
    /// assigned to or compared with.
    Nil,
    /// A pointer to a sync object (`*sync.WaitGroup`, from `&wg`): the
    /// object's number in the sync table + 1, 0 for nil.
    Ptr(SyncPtr),
    /// A pointer to a struct (`*Account`, from `&acct`): the number of the
    /// instance of struct type `k` (in `Program::structs`) + 1, 0 for
    /// nil.
    StructPtr(u16),
    /// A map: its number in `Program::maps` + 1, 0 for nil (`maps.rs`).
    Map(MapTy),
    /// A struct value of struct type `k` (in `Program::structs`): the
    /// number of its fields' values in the machine's table of struct
    /// values + 1, 0 for the zero value (every field zero), so that equal
    /// values are equal numbers, as strings are (`semantics/local.rs`).
    Struct(u16),
}

thread_local! {
    /// The struct types' names while a program is lowered, so that
    /// [`Ty::name`] can write `*Account` in a message (a `Ty` is a small
    /// `Copy` value without room for the name).
    static STRUCT_NAMES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Set the struct types' names that [`Ty::name`] uses (the front end,
/// before it lowers a program).
pub fn set_struct_names(names: Vec<String>) {
    STRUCT_NAMES.with(|n| *n.borrow_mut() = names);
}

/// The sync objects a pointer may point to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyncPtr {
    Mutex,
    RWMutex,
    WaitGroup,
    Once,
}

impl SyncPtr {
    /// The pointer type to objects of this kind, if there is one.
    pub fn to(k: SyncKind) -> Option<SyncPtr> {
        Some(match k {
            SyncKind::Mutex => SyncPtr::Mutex,
            SyncKind::RWMutex => SyncPtr::RWMutex,
            SyncKind::WaitGroup => SyncPtr::WaitGroup,
            SyncKind::Once => SyncPtr::Once,
            _ => return None,
        })
    }

    /// The kind of the objects it points to.
    pub fn kind(self) -> SyncKind {
        match self {
            SyncPtr::Mutex => SyncKind::Mutex,
            SyncPtr::RWMutex => SyncKind::RWMutex,
            SyncPtr::WaitGroup => SyncKind::WaitGroup,
            SyncPtr::Once => SyncKind::Once,
        }
    }
}

/// Which operations a channel type allows (`chan T`, `chan<- T`, `<-chan T`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Both,
    Send,
    Recv,
}

/// The element types a channel type bottoms out in (a channel of channels
/// is a deeper [`ChanTy`]).
const CHAN_BASES: [Ty; 14] = [
    Ty::Int,
    Ty::Int8,
    Ty::Int16,
    Ty::Int32,
    Ty::Int64,
    Ty::Uint,
    Ty::Uint8,
    Ty::Uint16,
    Ty::Uint32,
    Ty::Uint64,
    Ty::Bool,
    Ty::Unit,
    Ty::Str,
    Ty::Error,
];

/// The first [`ChanTy`] base of a pointer to a struct (`chan *Job`): the
/// bases below it are the scalar types, then the struct values.
const STRUCT_PTR_BASE: u8 = 128;

/// Most levels of `chan` in one type (`chan chan int` has two).
pub const MAX_CHAN_DEPTH: u8 = 8;

/// A channel type, kept flat so that [`Ty`] stays a small `Copy` value:
/// `depth` levels of `chan`, level 0 outermost, each with its direction
/// (two bits of `dirs` per level), around a base element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChanTy {
    base: u8,
    depth: u8,
    dirs: u16,
}

impl ChanTy {
    /// `chan T` (with direction `dir`), if `T` can be a channel's element.
    pub fn of(dir: Dir, elem: Ty) -> Option<ChanTy> {
        let d = dir as u16;
        match elem {
            Ty::Chan(c) if c.depth < MAX_CHAN_DEPTH => Some(ChanTy {
                base: c.base,
                depth: c.depth + 1,
                dirs: (c.dirs << 2) | d,
            }),
            Ty::Chan(_) => None,
            // a struct value: its type's number after the other bases,
            // below the pointers
            Ty::Struct(k) => Some(ChanTy {
                base: u8::try_from(CHAN_BASES.len() + k as usize)
                    .ok()
                    .filter(|b| *b < STRUCT_PTR_BASE)?,
                depth: 1,
                dirs: d,
            }),
            // a pointer to a struct: its type's number from
            // `STRUCT_PTR_BASE` up
            Ty::StructPtr(k) => Some(ChanTy {
                base: u8::try_from(STRUCT_PTR_BASE as usize + k as usize).ok()?,
                depth: 1,
                dirs: d,
            }),
            t => Some(ChanTy {
                base: CHAN_BASES.iter().position(|b| *b == t.declared())? as u8,
                depth: 1,
                dirs: d,
            }),
        }
    }

    pub fn dir(self) -> Dir {
        match self.dirs & 3 {
            1 => Dir::Send,
            2 => Dir::Recv,
            _ => Dir::Both,
        }
    }

    /// The same channel type with direction `dir` (Go assigns a `chan T`
    /// to a `chan<- T` or a `<-chan T`).
    pub fn with_dir(self, dir: Dir) -> ChanTy {
        ChanTy {
            dirs: (self.dirs & !3) | dir as u16,
            ..self
        }
    }

    /// The type of the values the channel carries.
    pub fn elem(self) -> Ty {
        if self.depth == 1 {
            match CHAN_BASES.get(self.base as usize) {
                Some(t) => *t,
                None if self.base >= STRUCT_PTR_BASE => {
                    Ty::StructPtr(u16::from(self.base - STRUCT_PTR_BASE))
                }
                None => Ty::Struct((self.base as usize - CHAN_BASES.len()) as u16),
            }
        } else {
            Ty::Chan(ChanTy {
                base: self.base,
                depth: self.depth - 1,
                dirs: self.dirs >> 2,
            })
        }
    }

    /// As Go writes it: `chan int`, `chan<- int`, `<-chan chan bool`.
    pub fn name(self) -> String {
        let head = match self.dir() {
            Dir::Both => "chan ",
            Dir::Send => "chan<- ",
            Dir::Recv => "<-chan ",
        };
        // Go writes `chan (<-chan int)` where `chan <-chan int` would read
        // as `chan<- chan int`
        match self.elem() {
            Ty::Chan(e) if self.dir() == Dir::Both && e.dir() == Dir::Recv => {
                format!("{head}({})", e.name())
            }
            t => format!("{head}{}", t.name()),
        }
    }
}

impl Ty {
    pub fn name(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            Ty::Chan(c) => return std::borrow::Cow::Owned(c.name()),
            Ty::StructPtr(k) => {
                let name = STRUCT_NAMES.with(|n| n.borrow().get(k as usize).cloned());
                return std::borrow::Cow::Owned(format!("*{}", name.unwrap_or_default()));
            }
            Ty::Map(m) => return std::borrow::Cow::Owned(m.name()),
            Ty::Struct(k) => {
                let name = STRUCT_NAMES.with(|n| n.borrow().get(k as usize).cloned());
                return std::borrow::Cow::Owned(name.unwrap_or_default());
            }
            Ty::Int => "int",
            Ty::Int8 => "int8",
            Ty::Int16 => "int16",
            Ty::Int32 => "int32",
            Ty::Int64 => "int64",
            Ty::Uint => "uint",
            Ty::Uint8 => "uint8",
            Ty::Uint16 => "uint16",
            Ty::Uint32 => "uint32",
            Ty::Uint64 => "uint64",
            Ty::UntypedInt => "untyped int",
            Ty::Bool => "bool",
            Ty::Unit => "struct{}",
            Ty::Any => "any",
            Ty::Error => "error",
            Ty::Str => "string",
            Ty::Nil => "untyped nil",
            Ty::Ptr(SyncPtr::Mutex) => "*sync.Mutex",
            Ty::Ptr(SyncPtr::RWMutex) => "*sync.RWMutex",
            Ty::Ptr(SyncPtr::WaitGroup) => "*sync.WaitGroup",
            Ty::Ptr(SyncPtr::Once) => "*sync.Once",
        })
    }

    /// The type part of the names of sync/atomic for this type (`Int64`
    /// in `atomic.AddInt64`).
    pub fn atomic_suffix(self) -> &'static str {
        match self {
            Ty::Int32 => "Int32",
            Ty::Uint32 => "Uint32",
            Ty::Uint64 => "Uint64",
            _ => "Int64",
        }
    }

    /// The integer type a name denotes (`byte` is `uint8`).
    pub fn integer_named(name: &str) -> Option<Ty> {
        Some(match name {
            "int" => Ty::Int,
            "int8" => Ty::Int8,
            "int16" => Ty::Int16,
            "int32" => Ty::Int32,
            "int64" => Ty::Int64,
            "uint" => Ty::Uint,
            "uint8" | "byte" => Ty::Uint8,
            "uint16" => Ty::Uint16,
            "uint32" => Ty::Uint32,
            "uint64" => Ty::Uint64,
            _ => return None,
        })
    }

    /// Is this an integer type (an untyped integer constant included)?
    pub fn is_int(self) -> bool {
        !matches!(
            self,
            Ty::Bool
                | Ty::Unit
                | Ty::Any
                | Ty::Error
                | Ty::Str
                | Ty::Chan(_)
                | Ty::Nil
                | Ty::Ptr(_)
                | Ty::StructPtr(_)
                | Ty::Map(_)
                | Ty::Struct(_)
        )
    }

    /// Is this an unsigned integer type?
    pub fn is_unsigned(self) -> bool {
        matches!(
            self,
            Ty::Uint | Ty::Uint8 | Ty::Uint16 | Ty::Uint32 | Ty::Uint64
        )
    }

    /// The type a variable declared from a value of this type gets.
    pub fn declared(self) -> Ty {
        if self == Ty::UntypedInt {
            Ty::Int
        } else {
            self
        }
    }

    /// Does a run-time result of this type need `Instr::Wrap` after an
    /// operation on 64 bits? (Only the narrow integer types do.)
    pub fn is_narrow(self) -> bool {
        matches!(
            self,
            Ty::Int8 | Ty::Int16 | Ty::Int32 | Ty::Uint8 | Ty::Uint16 | Ty::Uint32
        )
    }

    /// Truncate a 64-bit result to this type's width and extend it back,
    /// as Go's arithmetic on the type wraps (and as a conversion does).
    pub fn wrap(self, v: i64) -> i64 {
        match self {
            Ty::Int8 => v as i8 as i64,
            Ty::Int16 => v as i16 as i64,
            Ty::Int32 => v as i32 as i64,
            Ty::Uint8 => v as u8 as i64,
            Ty::Uint16 => v as u16 as i64,
            Ty::Uint32 => v as u32 as i64,
            _ => v,
        }
    }

    /// Can the exact (constant) value `v` be represented in this type?
    /// Constants are 64-bit signed, so a `uint64` constant stops at the
    /// largest int64.
    pub fn fits(self, v: i64) -> bool {
        match self {
            Ty::Int8 | Ty::Int16 | Ty::Int32 | Ty::Uint8 | Ty::Uint16 | Ty::Uint32 => {
                self.wrap(v) == v
            }
            Ty::Uint | Ty::Uint64 => v >= 0,
            _ => true,
        }
    }

    /// Render a stored value of this type as Go prints it. A string and a
    /// non-nil [`Ty::Any`] need the run's interner (`print` renders them):
    /// this shows only a string's number (`string#3`).
    pub fn show(self, v: i64) -> String {
        match self {
            Ty::Uint | Ty::Uint64 => (v as u64).to_string(),
            Ty::Bool => (v != 0).to_string(),
            Ty::Unit => "{}".to_string(),
            Ty::Any if v == 0 => "<nil>".to_string(),
            Ty::Any => "(a panic value)".to_string(),
            Ty::Error if v == 0 => "<nil>".to_string(),
            Ty::Error => "(an error)".to_string(),
            Ty::Str => format!("string#{v}"),
            Ty::Chan(_) | Ty::Nil | Ty::Ptr(_) | Ty::StructPtr(_) if v == 0 => "<nil>".to_string(),
            Ty::Map(_) if v == 0 => "map[]".to_string(),
            Ty::Ptr(_) | Ty::StructPtr(_) => format!("ptr#{v}"),
            Ty::Map(_) => format!("map#{v}"),
            Ty::Chan(_) => format!("chan#{v}"),
            Ty::Struct(_) => format!("struct#{v}"),
            _ => v.to_string(),
        }
    }
}

/// A reference to one element of a table (shared variables, sync objects or
/// channels): either fixed, or chosen at run time by an index that the
/// instruction pops from the operand stack (checked against `len`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ref {
    Fixed(u32),
    Indexed {
        base: u32,
        len: u32,
    },
    /// A value of the program (a channel held in a variable): the
    /// element's number + 1 is the operand, 0 for nil.
    Dyn,
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
    /// A binary operator on `uint`/`uint64` where the sign matters
    /// (`/`, `%`, `<`, `<=`, `>`, `>=`): the operands are bit patterns.
    BinU(BinOp),
    /// Truncate the top of the stack to a narrow integer type
    /// ([`Ty::wrap`]): emitted only after arithmetic on, or a conversion
    /// to, such a type, so `int` code never runs it.
    Wrap(Ty),
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
    /// Return the values of the locals `first..first + count` (a function's
    /// results when they are named, several, or may be changed by a
    /// deferred call), read after the deferred calls have run. The last
    /// instruction of every function is a return, and a panic recovered in
    /// a call it deferred resumes there.
    ReturnResults {
        first: u16,
        count: u8,
    },
    /// Push what `recover()` returns (`semantics/defer.rs`): the panic's
    /// value when called by a deferred call that the panic made, which
    /// stops the panic; else nil (0).
    Recover,
    /// A deferred func literal reads a local of the function that deferred
    /// it, whose frame is always the one just below its own.
    LoadUp(u16),
    /// … or pops a value and writes it there.
    StoreUp(u16),
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
    /// Pop an index, push element `base + index` of a table of channels or
    /// sync objects as a value (its number + 1), bounds-checked against
    /// `len` (`chans[i]` passed as an argument, `&forks[i]`).
    ObjValue {
        base: u32,
        len: u32,
    },
    /// Pop a pointer to a struct, push the number of the instance it
    /// points to; a nil pointer panics, as Go's dereference does.
    Deref,
    /// Pop an index, panic as Go does if it is outside `0..len`, else push
    /// it back (an element of an array of structs).
    CheckIndex(u32),
    /// Pop the values of the `n` fields of a value of struct type `k`
    /// (the first field deepest), push the struct value ([`Ty::Struct`]).
    MakeStruct(u16, u16),
    /// Pop a struct value, push its field `i`.
    Field(u16),
    /// Pop a struct value of type `k`, push it as Go's `%v` prints it
    /// (`{1 alice}`), as a string.
    StructShow(u16),
    /// Pop a value and set field `i` of the struct value of type `k` in
    /// local `slot` to it (`r.n = 5`).
    StoreField {
        slot: u16,
        k: u16,
        i: u16,
    },
    /// `make(chan T[, n])` at make site `heap_sites[k]`: push a channel
    /// of the site's pool that nothing refers to (`semantics/heap.rs`).
    MakeChan(u32),
    /// Pop a string, push its length in bytes (`len(s)`).
    StrLen,
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
    /// `once.Do(f)` begins: blocked while another goroutine runs `f`;
    /// else push true (this goroutine claims the Once and runs `f`) or
    /// false (`f` has returned: Do returns at once).
    OnceDo(Ref),
    /// `f` of a Once returned (or panicked): the Once is done, and the
    /// goroutines blocked at its `OnceDo` may go on.
    OnceDone(Ref),
    /// `cond.Wait()` begins: unlock the Cond's mutex `mu` (a fatal error if
    /// it is unlocked) and wait on the Cond (sync objects `cond`, `mu`).
    CondWait {
        cond: u32,
        mu: u32,
    },
    /// `cond.Wait()` ends: once signalled, lock `mu` again (blocked until
    /// both).
    CondLock {
        cond: u32,
        mu: u32,
    },
    /// `cond.Signal()` (wake one waiter, any) or `cond.Broadcast()` (all).
    CondNotify {
        cond: u32,
        all: bool,
    },
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
    /// Pop a key and a map, push the value (the zero value when absent),
    /// and `ok` too when the flag is set (`semantics/maps.rs`).
    MapGet {
        ok: bool,
    },
    /// Pop a map, push its number of entries.
    MapLen,
    /// A map write begins (`m[k] = v`, or `delete(m, k)` when the flag is
    /// set): the map (then the key, then for a store the value) stay on the
    /// stack for [`Instr::MapStore`]. Go's runtime marks the map as being
    /// written, and another write or read meeting the mark is fatal.
    MapWrite {
        delete: bool,
    },
    /// The write ends: pop its operands, store (or delete), unmark.
    MapStore {
        delete: bool,
    },
    /// `range` over a map, in key order: pop a started flag, the last key
    /// and the map; push the next entry's key and value and true, or
    /// zeros and false when none is left.
    MapNext,
    /// Pop a map, push its text as `fmt` prints it (`map[a:1 b:2]`, in
    /// key order), for `fmt.Println(m)`: a read of every entry.
    MapShow,
    /// `&T{…}` at struct site `struct_sites[k]`: push a pointer to the
    /// next instance of its pool (a step on the pool's counter, so that
    /// two goroutines making structs at one site are ordered).
    New(u32),
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
                | Instr::OnceDo(_)
                | Instr::OnceDone(_)
                | Instr::CondWait { .. }
                | Instr::CondLock { .. }
                | Instr::CondNotify { .. }
                | Instr::Send(_)
                | Instr::Recv(..)
                | Instr::Close(_)
                | Instr::Select(_)
                | Instr::Go { .. }
                | Instr::Print(_)
                | Instr::MapGet { .. }
                | Instr::MapLen
                | Instr::MapWrite { .. }
                | Instr::MapStore { .. }
                | Instr::MapNext
                | Instr::MapShow
                | Instr::New(_)
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
    /// The type of each local slot (parameters first): which hold channels.
    pub local_tys: Vec<Ty>,
    /// The types of its results, in order.
    pub results: Vec<Ty>,
    /// For a deferred func literal: the types of the locals of the
    /// function deferring it, which `LoadUp` reads.
    pub up_tys: Vec<Ty>,
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
    /// (line, col) of its channel, where a report names the case.
    pub loc: (u32, u32),
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
                        Ty::Bool => format::Val::Bool(v != 0),
                        Ty::Unit => format::Val::Unit,
                        Ty::Str => format::Val::Str(text(v)),
                        // recover()'s value: nil, or the panic's text + 1
                        Ty::Any if v == 0 => format::Val::Str("<nil>"),
                        Ty::Any => format::Val::Str(text(v - 1)),
                        Ty::Error if v == 0 => format::Val::Err(None),
                        Ty::Error => format::Val::Err(Some(text(v - 1))),
                        Ty::Uint | Ty::Uint64 => format::Val::Uint(v as u64),
                        _ => format::Val::Int(v),
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
    /// An `atomic.Int64` (or `Int32`, `Uint64`, `Uint32`: the type of the
    /// value held).
    AtomicInt(Ty),
    /// An integer variable (of that type) used through the function forms
    /// of sync/atomic (`atomic.AddInt64(&n, 1)`): an atomic all the same.
    AtomicVar(Ty),
    AtomicBool,
    /// `sync.Once`: 0 not started, 1 its `f` runs, 2 done.
    Once,
    /// `sync.Cond`: the goroutines waiting on it, one bit per goroutine
    /// number (a run has at most 64).
    Cond,
}

impl SyncKind {
    /// The type of the value an atomic holds (`None` for the others).
    pub fn value_ty(self) -> Option<Ty> {
        match self {
            SyncKind::AtomicInt(t) | SyncKind::AtomicVar(t) => Some(t),
            SyncKind::AtomicBool => Some(Ty::Bool),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ChanInfo {
    pub name: String,
    pub cap: u32,
    pub elem: Ty,
}

/// The channels one `make` that may run many times can have in use at
/// once; a run that needs more stops the search with a message (it is
/// never cut short silently).
pub const POOL_SIZE: u32 = 4;

/// A `make(chan T[, n])` in a function body: the channels it may make,
/// `chans[base..base + count]`, all of its capacity and element type.
/// Channels nothing refers to any more are free for the next `make`, and
/// the pool's channels in use are kept in a canonical order
/// (`semantics/heap.rs`), so that which channel a make got does not tell
/// states apart.
#[derive(Clone, Debug)]
pub struct HeapSite {
    /// The type of the channels it makes.
    pub ty: ChanTy,
    pub base: u32,
    pub count: u32,
    /// (line, col) of the `make`.
    pub loc: (u32, u32),
}

/// A `&T{…}` where its code runs many times: it takes a free one of the
/// instances `first..first + count` of its type, marking it in use in the
/// sync slot `sync` (bit `j` for instance `first + j`); a run that needs
/// more in use at once stops at a limit (`semantics/pools.rs`).
#[derive(Clone, Debug)]
pub struct StructSite {
    /// The struct type it makes.
    pub ty: u16,
    pub sync: u32,
    pub first: u32,
    pub count: u32,
    /// (line, col) of the `&T{…}`.
    pub loc: (u32, u32),
    /// The plain slot of each field of the pool's first instance
    /// (instance `first + j` has them at `+ j`), when every field is an
    /// integer, a bool or a string; `None` (a sync object, a map or a
    /// channel among them) keeps the pool's structs from being freed.
    pub slots: Option<Vec<u32>>,
}

/// The plain slots `first..first + count` hold one field of a pool's
/// instances; a race on any is reported as on `name` (`w.count`).
#[derive(Clone, Debug)]
pub struct PooledSlots {
    pub first: u32,
    pub count: u32,
    pub name: String,
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
    /// A map: `base` is its number in [`Program::maps`].
    Map,
}

/// A condition over the final values, for `expect`.
#[derive(Clone, Debug)]
pub enum CExpr {
    Const(i64),
    Var(Place, Ref, Option<Box<CExpr>>),
    /// Negation of a value of the type (which wraps a narrow one).
    Neg(Ty, Box<CExpr>),
    Not(Box<CExpr>),
    /// An operator on operands of the type (unsigned, wrapping, as in code).
    Bin(BinOp, Ty, Box<CExpr>, Box<CExpr>),
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
    /// The places where the program makes channels at run time, each with
    /// its pool of channels at the end of `chans`.
    pub heap_sites: Vec<HeapSite>,
    /// The places where the program makes structs from a pool.
    pub struct_sites: Vec<StructSite>,
    /// The pools' fields, by plain slot ([`Program::race_slot`]).
    pub pooled: Vec<PooledSlots>,
    pub globals: Vec<GlobalInfo>,
    pub expects: Vec<Expect>,
    /// The functions of goroutines meant to outlive `main`, declared with
    /// `// grace:daemon` (`front::daemons`): not leaks when it returns.
    pub daemons: Vec<FuncId>,
    /// Each struct type: its name and its instances' names (`acct`), by
    /// instance number (`front::structs`).
    pub structs: Vec<(String, Vec<String>)>,
    /// Each struct type's fields (name and type), for struct values.
    pub struct_fields: Vec<Vec<(String, Ty)>>,
    /// The maps (`maps.rs`): each a block of [`MAP_WORDS`] words of the
    /// sync table after its objects, which are `sync_kinds.len()` long.
    pub maps: Vec<MapInfo>,
}

impl Program {
    /// The slot and name a race on slot `slot` is reported under: a
    /// pool's field is one variable for reports, whichever instance, and
    /// so are a pool's channels.
    pub fn race_slot(&self, slot: u32) -> (u32, &str) {
        if let Some(c) = self.chan_of_slot(slot) {
            let first = self
                .heap_sites
                .iter()
                .find(|s| (s.base..s.base + s.count).contains(&c))
                .map_or(c, |s| s.base);
            return (self.chan_slot(first), &self.chans[first as usize].name);
        }
        match self
            .pooled
            .iter()
            .find(|p| (p.first..p.first + p.count).contains(&slot))
        {
            Some(p) => (p.first, &p.name),
            None => (slot, self.slot_name(slot)),
        }
    }

    /// A value of type `t` as a report shows it: a channel or a pointer
    /// to a sync object by the name of what it refers to (`reply#2`,
    /// `&wg`, `nil`), anything else as [`Ty::show`] does.
    pub fn show_value(&self, t: Ty, v: i64) -> String {
        let name = |names: Vec<&String>| match names.get((v - 1) as usize) {
            Some(n) => (*n).clone(),
            None => t.show(v),
        };
        match t {
            Ty::Chan(_) | Ty::Ptr(_) | Ty::StructPtr(_) if v == 0 => "nil".to_string(),
            Ty::Chan(_) => name(self.chans.iter().map(|c| &c.name).collect()),
            Ty::Ptr(_) => format!("&{}", name(self.sync_names.iter().collect())),
            Ty::StructPtr(k) => match self.structs.get(k as usize) {
                Some((_, inst)) => format!("&{}", name(inst.iter().collect())),
                None => t.show(v),
            },
            _ => t.show(v),
        }
    }
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
                    (Ref::Indexed { .. }, None) | (Ref::Dyn, _) => {
                        unreachable!("an expect names a variable")
                    }
                };
                match place {
                    Place::Plain => plain[slot],
                    Place::Atomic | Place::Map => sync[slot],
                }
            }
            CExpr::Neg(t, e) => t.wrap(e.eval(plain, sync)?.wrapping_neg()),
            CExpr::Not(e) => (e.eval(plain, sync)? == 0) as i64,
            CExpr::Bin(BinOp::And, _, a, b) => {
                (a.eval(plain, sync)? != 0 && b.eval(plain, sync)? != 0) as i64
            }
            CExpr::Bin(BinOp::Or, _, a, b) => {
                (a.eval(plain, sync)? != 0 || b.eval(plain, sync)? != 0) as i64
            }
            CExpr::Bin(op, t, a, b) => {
                let (x, y) = (a.eval(plain, sync)?, b.eval(plain, sync)?);
                let v = if matches!(t, Ty::Uint | Ty::Uint64) {
                    binop_unsigned(*op, x, y)
                } else {
                    binop(*op, x, y)
                };
                t.wrap(v.map_err(EvalError)?)
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

/// [`binop`] on the bit patterns of two `uint64` (or `uint`) values: the
/// operators whose result depends on the sign are computed unsigned.
pub fn binop_unsigned(op: BinOp, a: i64, b: i64) -> Result<i64, String> {
    let (x, y) = (a as u64, b as u64);
    Ok(match op {
        BinOp::Div | BinOp::Rem if y == 0 => return Err("integer divide by zero".into()),
        BinOp::Div => (x / y) as i64,
        BinOp::Rem => (x % y) as i64,
        BinOp::Lt => (x < y) as i64,
        BinOp::Le => (x <= y) as i64,
        BinOp::Gt => (x > y) as i64,
        BinOp::Ge => (x >= y) as i64,
        _ => return binop(op, a, b),
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
    fn integer_types_wrap_and_print_as_go() {
        assert_eq!(Ty::Uint8.wrap(256 + 44), 44);
        assert_eq!(Ty::Int8.wrap(128), -128);
        assert_eq!(Ty::Uint32.wrap(-1), u32::MAX as i64);
        assert_eq!(Ty::Uint64.show(-1), "18446744073709551615");
        assert!(!Ty::Uint8.fits(300) && Ty::Uint8.fits(255) && !Ty::Uint64.fits(-1));
        assert_eq!(binop_unsigned(BinOp::Lt, 1, -1), Ok(1));
        assert_eq!(binop_unsigned(BinOp::Div, -2, 2), Ok(i64::MAX));
        assert!(binop_unsigned(BinOp::Rem, 1, 0).is_err());
    }

    #[test]
    fn escape_keeps_plain_messages_and_neutralises_the_rest() {
        assert_eq!(escape("integer divide by zero"), "integer divide by zero");
        assert_eq!(escape("can't"), "can't");
        assert_eq!(escape("a\nb\u{1b}[2J\"c\\"), "a\\nb\\u{1b}[2J\\\"c\\\\");
    }
}
