//! The explored state: small integers only, hashed and stored once.

pub mod codec;
pub mod hb;

use crate::ir::{FuncId, Program};
use codec::{Codec, Reader};
use hb::{Hb, Record};
use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;
use std::rc::Rc;

/// One call frame of a goroutine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Frame {
    pub func: FuncId,
    pub pc: u32,
    /// Where this frame's locals start in [`Gor::data`].
    pub base: u32,
}

/// A goroutine: its root function, its call stack, and its locals and
/// operand stacks (all frames' locals and operands in one vector).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Gor {
    pub func: FuncId,
    /// Its symmetry class: goroutines started with the same function and
    /// the same arguments are interchangeable (0 for main).
    pub class: u32,
    /// Empty once the goroutine has returned.
    pub frames: SmallVec<[Frame; 2]>,
    pub data: SmallVec<[i64; 6]>,
    /// Deferred calls not yet run, oldest first, one record after another:
    /// the arguments (evaluated at the `defer`), the function, then the
    /// depth of the frame that deferred it (its `frames.len()`), so that the
    /// top record is read from the end.
    pub defers: Vec<i64>,
    /// The panic being unwound: its message (interned) + 1; 0 when none.
    pub panicking: u32,
    /// While unwinding: the depth of the frame whose deferred call runs
    /// (a return to that depth goes on unwinding instead of resuming it).
    pub unwind: u16,
}

/// By copying slices (the derived clone pushes element by element).
impl Clone for Gor {
    fn clone(&self) -> Self {
        Gor {
            func: self.func,
            class: self.class,
            frames: SmallVec::from_slice(&self.frames),
            data: SmallVec::from_slice(&self.data),
            defers: self.defers.clone(),
            panicking: self.panicking,
            unwind: self.unwind,
        }
    }
}

impl Gor {
    pub fn done(&self) -> bool {
        self.frames.is_empty()
    }
}

/// A channel: closed flag and buffered values (FIFO).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ChanState {
    pub closed: bool,
    /// A channel of a `make`'s pool that is in use (`semantics/heap.rs`);
    /// `false` for the others.
    pub used: bool,
    pub buf: Vec<i64>,
}

/// The two flags in one byte, so that programs without `make` in a
/// function body store their states in as many bytes as before.
impl Codec for ChanState {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.closed as u8 | (self.used as u8) << 1);
        self.buf.encode(out);
    }
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        let flags = r.u64()?;
        if flags > 3 {
            return None;
        }
        Some(ChanState {
            closed: flags & 1 != 0,
            used: flags & 2 != 0,
            buf: Codec::decode(r)?,
        })
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndKind {
    Ok,
    Deadlock,
    Panic,
    Assert,
}

impl EndKind {
    pub fn name(self) -> &'static str {
        match self {
            EndKind::Ok => "ok",
            EndKind::Deadlock => "deadlock",
            EndKind::Panic => "panic",
            EndKind::Assert => "assert",
        }
    }
}

/// The end of a run, recorded in the state that ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct End {
    pub kind: EndKind,
    /// Message (interned), 0 = none.
    pub msg: u32,
}

/// `None` as 0, else the kind (from 1) and the message.
impl Codec for Option<End> {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(e) => {
                // the same table as `decode`, whatever the enum's order
                out.push(match e.kind {
                    EndKind::Ok => 1,
                    EndKind::Deadlock => 2,
                    EndKind::Panic => 3,
                    EndKind::Assert => 4,
                });
                e.msg.encode(out);
            }
        }
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        let kind = match r.u64()? {
            0 => return Some(None),
            1 => EndKind::Ok,
            2 => EndKind::Deadlock,
            3 => EndKind::Panic,
            4 => EndKind::Assert,
            _ => return None,
        };
        Some(Some(End {
            kind,
            msg: r.u32()?,
        }))
    }
}

/// Values that are few per program (sync objects, sc memory): inline up to
/// four, so a state's copy does not allocate for them, and copied as one
/// slice (the derived clone pushes element by element).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Words(pub SmallVec<[i64; 4]>);

impl Clone for Words {
    fn clone(&self) -> Self {
        Words(SmallVec::from_slice(&self.0))
    }
}

impl std::ops::Deref for Words {
    type Target = [i64];
    fn deref(&self) -> &[i64] {
        &self.0
    }
}

impl std::ops::DerefMut for Words {
    fn deref_mut(&mut self) -> &mut [i64] {
        &mut self.0
    }
}

impl FromIterator<i64> for Words {
    fn from_iter<I: IntoIterator<Item = i64>>(iter: I) -> Self {
        Words(iter.into_iter().collect())
    }
}

impl Codec for Words {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        Some(Words(Codec::decode(r)?))
    }
}

/// A state's goroutines: inline up to eight, so a state's copy does not
/// allocate a list for them.
pub type Gors = SmallVec<[Rc<Gor>; 8]>;

/// A state of the whole program under memory model data `M`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State<M> {
    pub mem: M,
    /// Mutexes (0 free, 1 held), RWMutexes (-1 writer, n readers), wait-group
    /// counters and atomics, as laid out in [`Program::sync_kinds`].
    pub sync: Words,
    pub chans: Box<[ChanState]>,
    /// Shared with the parent state until changed (see [`State::gor_mut`]):
    /// a step copies only the goroutines it changes.
    pub gors: Gors,
    /// Everything printed so far (interned).
    pub output: u32,
    pub end: Option<End>,
    /// The running goroutine, for the search without preemption; 0 otherwise.
    pub current: u16,
    /// Happens-before knowledge, for race detection (`None` when not
    /// tracked; boxed, so that a state moved around while not tracking is
    /// smaller).
    pub hb: Option<Box<Hb>>,
}

impl<M> State<M> {
    /// Goroutine `g`, to change (copied first if another state shares it).
    pub fn gor_mut(&mut self, g: usize) -> &mut Gor {
        Rc::make_mut(&mut self.gors[g])
    }
}

/// What states refer to by number and which is kept once, outside them:
/// strings (outputs, runtime messages; id 0 is the empty string) and the
/// access records of race detection.
#[derive(Debug)]
pub struct Interner {
    set: IndexSet<String, FxBuildHasher>,
    pub records: IndexSet<Record, FxBuildHasher>,
    /// Symmetry classes: (function, arguments) of the `go` that started a goroutine.
    pub classes: IndexSet<(FuncId, Vec<i64>), FxBuildHasher>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut set = IndexSet::with_hasher(FxBuildHasher);
        set.insert(String::new());
        Interner {
            set,
            records: IndexSet::with_hasher(FxBuildHasher),
            classes: IndexSet::with_hasher(FxBuildHasher),
        }
    }
}

impl Interner {
    pub fn record(&mut self, r: Record) -> u32 {
        self.records.insert_full(r).0 as u32
    }

    /// The symmetry class of a goroutine started as `func(args...)` (from 1).
    pub fn class(&mut self, func: FuncId, args: &[i64]) -> u32 {
        if let Some(i) = self.classes.get_index_of(&(func, args.to_vec())) {
            return i as u32 + 1;
        }
        self.classes.insert((func, args.to_vec()));
        self.classes.len() as u32
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.set.get_index_of(s) {
            return i as u32;
        }
        self.set.insert(s.to_string());
        (self.set.len() - 1) as u32
    }

    pub fn get(&self, id: u32) -> &str {
        &self.set[id as usize]
    }
}

/// The display name of goroutine `g` in a state: `main`, or the function's
/// name with `#n` counting the goroutines started with it so far.
pub fn gor_name<M>(prog: &Program, s: &State<M>, g: usize) -> String {
    if g == 0 {
        return "main".to_string();
    }
    let f = s.gors[g].func;
    let n = s.gors[1..=g].iter().filter(|x| x.func == f).count();
    format!("{}#{}", prog.funcs[f as usize].name, n)
}
