//! Goroutines and the run as a whole: `go` (a new goroutine, limited to
//! [`MAX_GOROUTINES`]), `print` (to the run's output), main's return (the
//! program exits, [`exits`]), runtime errors and the exit by a panic, each
//! of which ends the run at a step of its own.

use super::defer::{DYING, dying, pending_at, unwinds};
use super::{MAX_GOROUTINES, Machine, Operands, Out};
use crate::ir::{FuncId, Instr, Ty};
use crate::memory::{MemoryModel, SyncEvent};
use crate::state::{End, EndKind, Frame, Gor, Interner, State};

/// Is `ins`, the next instruction of goroutine `g` (`gor`), main's own return?
/// That return is a step of its own (LANGUAGE.md §7): the program exits when
/// it is taken, and the other goroutines may run between main's last
/// statement and it, as under Go's scheduler. A `return` of a nested call
/// of `main` is local computation like any other.
/// Main's deferred calls are made before it (by the return, as local
/// computation), so its return exits only once none is left.
#[inline(always)]
pub(crate) fn exits(g: usize, gor: &Gor, ins: Instr) -> bool {
    g == 0 && gor.frames.len() == 1 && matches!(ins, Instr::Return { .. }) && !pending_at(gor, 1)
}

impl<M: MemoryModel> Machine<'_, M> {
    /// Goroutine `g` fails with `kind`: a panic with calls deferred starts
    /// unwinding (they run first, as steps of `g`); any other panic makes
    /// `g` dying (its next step ends the run, [`Machine::panic_exit_step`]);
    /// a failed assert ends the run. `own`: the failure is the program's
    /// own `panic(v)`, not raised by the runtime.
    pub(super) fn fault(
        &self,
        st: &mut State<M::Mem>,
        g: usize,
        kind: EndKind,
        msg: &str,
        own: bool,
        strings: &mut Interner,
    ) {
        let mut msg = msg.to_string();
        let p = st.gors[g].panicking;
        let unwinding = unwinds(kind, &msg, own);
        if unwinding && st.gors[g].defers.is_empty() && p != 0 {
            // a panic in a deferred call, with none left to run: Go prints
            // both (`first [recovered]` if the first was recovered)
            msg = format!("{}\n\tpanic: {msg}", strings.get(p - 1));
        }
        if unwinding && !st.gors[g].defers.is_empty() {
            match self.start_panic(st.gor_mut(g), &msg, strings) {
                Ok(_) => return self.run_local(st, g, strings),
                Err(m) => msg = m,
            }
        }
        if kind == EndKind::Panic {
            let gor = st.gor_mut(g);
            gor.panicking = strings.intern(&msg) + 1;
            gor.unwind = DYING;
            return;
        }
        st.end = Some(End {
            kind,
            msg: strings.intern(&msg),
        });
    }

    /// The step of a dying goroutine `g`: the runtime prints its panic and
    /// the program exits (LANGUAGE.md §7, *End of a run*). A step of its
    /// own, like main's return, so that the others may run between the
    /// panic and the exit; the first dying goroutine to take it names the
    /// run's panic.
    pub(super) fn panic_exit_step(&self, s: &State<M::Mem>, g: usize, out: &mut Out<M::Mem>) {
        debug_assert!(dying(&s.gors[g]));
        let mut mk = Self::start(s, out);
        let st = mk.state();
        let msg = st.gors[g].panicking - 1;
        st.end = Some(End {
            kind: EndKind::Panic,
            msg,
        });
        self.push(mk, g, String::new);
        // the panic is the step's own text, not the note of an end
        if out.describe {
            let m = crate::ir::escape(out.strings.get(msg));
            // Go prints a fatal error as it is, a panic after `panic: `
            let what = if m.starts_with("fatal error:") {
                m
            } else {
                format!("panic: {m}")
            };
            out.list.last_mut().expect("just pushed").desc = format!("{what} (the program exits)");
        }
    }

    /// A step (described as `what`) that ends the run with runtime error `msg`.
    pub(super) fn fault_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        what: String,
        msg: &str,
        out: &mut Out<M::Mem>,
    ) {
        let mut mk = Self::start(s, out);
        let (st, strings) = mk.parts();
        self.fault(st, g, EndKind::Panic, msg, false, strings);
        self.push(mk, g, || what);
    }

    /// Main's return: the program exits.
    pub(super) fn exit_step(&self, s: &State<M::Mem>, g: usize, out: &mut Out<M::Mem>) {
        let mut mk = Self::start(s, out);
        let st = mk.state();
        let gor = st.gor_mut(g);
        gor.frames.clear();
        gor.data.clear();
        st.end = Some(End {
            kind: EndKind::Ok,
            msg: 0,
        });
        self.push(mk, g, || "return: the program exits".into());
    }

    /// `go func(args)`: the new goroutine is appended, in the class of its
    /// function and arguments (see `crate::reduce::symmetry`).
    pub(super) fn go_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        func: FuncId,
        argc: u8,
        out: &mut Out<M::Mem>,
    ) {
        if s.gors.len() >= MAX_GOROUTINES {
            self.cut(&self.goroutine_limit, self.loc(s, g));
            return;
        }
        let mut mk = Self::start(s, out);
        let (st, strings) = mk.parts();
        let d = &mut st.gor_mut(g).data;
        let args: Vec<i64> = d.drain(d.len() - argc as usize..).collect();
        let callee = &self.prog.funcs[func as usize];
        let mut cdata: smallvec::SmallVec<[i64; 6]> = args.iter().copied().collect();
        cdata.resize(callee.nlocals as usize, 0);
        let child = st.gors.len();
        // A channel of a pool is named by its number, which renumbering
        // changes (`heap.rs`) but a class would keep: the class leaves it
        // out (two goroutines of one function are interchangeable whatever
        // their arguments, the class only narrows which ones are tried).
        let key: Vec<i64> = args
            .iter()
            .zip(&callee.param_tys)
            .map(|(&v, t)| match t {
                Ty::Chan(_) if v > 0 && self.in_pool(v as u32 - 1) => -1,
                _ => v,
            })
            .collect();
        st.gors.push(std::rc::Rc::new(Gor {
            func,
            class: strings.class(func, &key),
            frames: smallvec::smallvec![Frame {
                func,
                pc: 0,
                base: 0,
            }],
            data: cdata,
            ..Gor::default()
        }));
        // string arguments are numbers of the run's interner: their text
        // is taken now, for the description
        let texts: Vec<String> = args
            .iter()
            .zip(&callee.param_tys)
            .filter(|(_, t)| **t == Ty::Str)
            .map(|(v, _)| strings.get(*v as u32).to_string())
            .collect();
        self.edge(st, SyncEvent::Spawn { parent: g, child });
        self.run_local(st, child, strings);
        self.finish(mk, g, None, || self.describe_go(func, &args, &texts));
    }

    /// `print`/`println`, `fmt.Print…` of print spec `id`: appended to
    /// the run's output. A fence for the memory model, as a lock is: on
    /// x86 every print takes a lock with a LOCK-prefixed instruction
    /// (`fmt`'s `poll.FD.writeLock`, the runtime's `printlock`) and ends
    /// in a `write` system call, each of which drains the store buffer
    /// (docs/DESIGN.md, *Memory models*: prints under tso).
    pub(super) fn print_step(&self, s: &State<M::Mem>, g: usize, id: u32, out: &mut Out<M::Mem>) {
        let spec = &self.prog.prints[id as usize];
        let nvals = spec.nvals();
        let vals = Operands::of(s, g).top(nvals);
        let mut mk = Self::start(s, out);
        let (st, strings) = mk.parts();
        self.edge(st, SyncEvent::Fence { g });
        let piece = spec.render(vals, |v| strings.get(v as u32));
        Self::pop_n(st, g, nvals);
        let new = format!("{}{}", strings.get(s.output), piece);
        st.output = strings.intern(&new);
        self.finish(mk, g, None, || format!("print {piece:?}"));
    }
}
