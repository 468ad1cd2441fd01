//! Deferred calls (`defer`): recorded on the goroutine with their
//! arguments, made last-in first-out when their frame returns or when a
//! panic unwinds it. A goroutine that panics with calls still deferred is
//! *panicking*: its frames above the next record's are dropped, the call is
//! made there, and when it returns the next one is; with none left the
//! goroutine is *dying* ([`dying`]). Fatal errors (`fatal error: …`, the
//! stack and defer limits) run no deferred call: the goroutine is dying at
//! once. A dying goroutine's one step ends the run with its panic (the
//! program exits), and the others may run before it, as under Go's
//! runtime, which prints the panic and exits while they go on. A failed
//! assert ends the run at once.

use super::{MAX_FRAMES, Machine};
use crate::ir::FuncId;
use crate::memory::MemoryModel;
use crate::state::{EndKind, Frame, Gor, Interner};

/// Most deferred calls pending on one goroutine (so that `for { defer f() }`
/// stays finite).
pub const MAX_DEFERS: usize = 64;
/// The message of a call nested deeper than [`MAX_FRAMES`].
pub(crate) const STACK_LIMIT: &str = "goroutine stack exceeds limit";
/// The message of a `defer` beyond [`MAX_DEFERS`].
pub(crate) const DEFER_LIMIT: &str =
    "fatal error: more than 64 deferred calls pending (grace's limit)";

/// The bit of `Gor::unwind` set once the panic being unwound has been
/// recovered: the deferred call that recovered it is still running, and
/// when it returns to the frame that deferred it (the rest of `unwind`),
/// that frame returns normally instead of unwinding further.
pub(crate) const RECOVERED: u16 = 0x8000;

/// The bit of `Gor::unwind` set on a dying goroutine: its panic
/// (`Gor::panicking`) was not recovered, its deferred calls have run, and
/// its next step ends the run with that panic.
pub(crate) const DYING: u16 = 0x4000;

/// Is frame `k` (from 0) of `gor` the one a panic is unwinding (its
/// deferred calls run above it; its operands are dropped whether the panic
/// is recovered or not, so they are never read again)?
pub(crate) fn unwinding_frame(gor: &Gor, k: usize) -> bool {
    gor.panicking != 0 && (gor.unwind & !(RECOVERED | DYING)) as usize == k + 1
}

/// Is `gor` dying: its next (and only) step the exit by its panic?
#[inline(always)]
pub(crate) fn dying(gor: &Gor) -> bool {
    gor.unwind & DYING != 0
}

/// Does goroutine `gor`'s last deferred call belong to its frame at `depth`
/// (counted from 1)?
#[inline(always)]
pub(crate) fn pending_at(gor: &Gor, depth: usize) -> bool {
    gor.defers.last().is_some_and(|&d| d as usize == depth)
}

/// Does a failure run the deferred calls (a panic), or end the run at once
/// (a fatal error, a failed assert)? `own`: the program's own `panic(v)`,
/// which always unwinds, even `panic("fatal error: …")`; only the messages
/// the runtime raises are told apart by their text, which grace chose.
pub(crate) fn unwinds(kind: EndKind, msg: &str, own: bool) -> bool {
    kind == EndKind::Panic
        && (own || !msg.starts_with("fatal error:") && msg != STACK_LIMIT && msg != DEFER_LIMIT)
}

impl<M: MemoryModel> Machine<'_, M> {
    /// `defer`: pop `argc` arguments of `func` and record the call, for the
    /// running frame (the goroutine's top one).
    pub(super) fn record_defer(&self, gor: &mut Gor, func: FuncId, argc: u8) -> Result<(), String> {
        if self.pending_defers(gor) >= MAX_DEFERS {
            return Err(DEFER_LIMIT.into());
        }
        let at = gor.data.len() - argc as usize;
        gor.defers.extend(gor.data.drain(at..));
        gor.defers.push(func as i64);
        gor.defers.push(gor.frames.len() as i64);
        Ok(())
    }

    /// How many deferred calls `gor` has pending.
    fn pending_defers(&self, gor: &Gor) -> usize {
        let (mut n, mut end) = (0, gor.defers.len());
        while end >= 2 {
            let func = gor.defers[end - 2] as usize;
            end -= 2 + self.prog.funcs[func].nparams as usize;
            n += 1;
        }
        n
    }

    /// Make `gor`'s last deferred call: drop the frames above the one that
    /// deferred it (there are some only while unwinding), and push a frame
    /// for it, which is returned. The frame below keeps its pc: a return
    /// there is taken again, for the next record. `unwinding`: the call is
    /// made by a panic (not by a return, even one inside a deferred call
    /// while a panic unwinds), and its return makes the next.
    pub(super) fn launch_deferred(&self, gor: &mut Gor, unwinding: bool) -> Result<Frame, String> {
        let depth = gor.defers.pop().expect("a record") as usize;
        let func = gor.defers.pop().expect("a record") as FuncId;
        let callee = &self.prog.funcs[func as usize];
        let at = gor.defers.len() - callee.nparams as usize;
        if gor.frames.len() > depth {
            let base = gor.frames[depth].base as usize;
            gor.frames.truncate(depth);
            gor.data.truncate(base);
        }
        if gor.frames.len() >= MAX_FRAMES {
            return Err(STACK_LIMIT.into());
        }
        let nb = gor.data.len();
        gor.data.extend(gor.defers.drain(at..));
        gor.data.resize(nb + callee.nlocals as usize, 0);
        let fr = Frame {
            func,
            pc: 0,
            base: nb as u32,
        };
        gor.frames.push(fr);
        if unwinding {
            gor.unwind = depth as u16;
        }
        Ok(fr)
    }

    /// Goroutine `gor` panics with `msg` while it has calls deferred: it
    /// starts (or, for a panic in a deferred call, goes on) unwinding, and
    /// its next deferred call is made. A second panic is reported after the
    /// first, as Go prints them.
    pub(super) fn start_panic(
        &self,
        gor: &mut Gor,
        msg: &str,
        strings: &mut Interner,
    ) -> Result<Frame, String> {
        let text = match gor.panicking {
            0 => msg.to_string(),
            p => format!("{}\n\tpanic: {msg}", strings.get(p - 1)),
        };
        gor.panicking = strings.intern(&text) + 1;
        self.launch_deferred(gor, true)
    }

    /// `recover()`: the panic's value (interned + 1) when called directly
    /// by a deferred call that the panic made (its frame is just above
    /// the unwinding one) and not yet recovered, else 0 (nil). Recovering
    /// marks the panic: the message it would end the run with, should a
    /// new panic follow, reads `… [recovered]` as Go prints it. The value
    /// is the latest panic's, as raised (a runtime error's message carries
    /// Go's `runtime error: ` from where the runtime raised it,
    /// `super::runtime_error`; a program's own panic never does).
    pub(super) fn recover(&self, gor: &mut Gor, strings: &mut Interner) -> i64 {
        if gor.panicking == 0
            || gor.unwind & RECOVERED != 0
            || gor.frames.len() != gor.unwind as usize + 1
        {
            return 0;
        }
        let text = strings.get(gor.panicking - 1).to_string();
        // the value as panicked: the text keeps each message indented as
        // Go prints it (every `\n` followed by a tab), which this undoes
        let latest = text.rsplit("\n\tpanic: ").next().unwrap_or(&text);
        let latest = latest.replace("\n\t", "\n");
        gor.panicking = strings.intern(&format!("{text} [recovered]")) + 1;
        gor.unwind |= RECOVERED;
        strings.intern(&latest) as i64 + 1
    }

    /// Is a deferred call that recovered the panic returning to the frame
    /// that deferred it? Then the panic is over: that frame returns
    /// normally, from its final return (its results as they are), which
    /// is returned.
    pub(super) fn end_recovered(&self, gor: &mut Gor) -> Option<Frame> {
        if gor.unwind & RECOVERED == 0 || gor.frames.len() != (gor.unwind & !RECOVERED) as usize {
            return None;
        }
        gor.panicking = 0;
        gor.unwind = 0;
        let fr = gor.frames.last_mut().expect("the deferring frame");
        let f = &self.prog.funcs[fr.func as usize];
        fr.pc = f.code.len() as u32 - 1;
        let fr = *fr;
        gor.data.truncate(fr.base as usize + f.nlocals as usize);
        Some(fr)
    }

    /// A deferred call made while unwinding has returned: make the next one,
    /// or, with none left, give the panic that ends the run.
    pub(super) fn resume_unwinding(
        &self,
        gor: &mut Gor,
        strings: &Interner,
    ) -> Result<Frame, String> {
        if gor.defers.is_empty() {
            let msg = strings.get(gor.panicking - 1).to_string();
            gor.panicking = 0;
            gor.unwind = 0;
            return Err(msg);
        }
        self.launch_deferred(gor, true)
    }
}
