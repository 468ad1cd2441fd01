//! `make(chan T[, n])` in a function body. Where the `make` runs at most
//! once per run (main's or an init's body, outside any loop) it is one
//! channel of the program's table, as a top-level one is, and the `make`
//! pushes it as a value. Anywhere else it may run many times: it gets a
//! pool of channels (a [`HeapSite`]) and `Instr::MakeChan` takes one that
//! nothing refers to any more (`semantics/heap.rs`).

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::make_args;
use crate::ir::*;

/// At most this many channels in a program (each is in every state).
const MAX_CHANS: usize = 4096;

impl Lowerer<'_> {
    /// `make(chan T[, n])` as a value.
    pub(super) fn make_chan(&mut self, fx: &mut Fx, args: &[Expr], e: &Expr) -> DResult<Ty> {
        let (ty, cap) = make_args(&self.env(fx), e, args)?;
        let name = self.naming.take().unwrap_or_else(|| {
            let (l, c) = self.src.line_col(e.span.start);
            format!("chan@{l}:{c}")
        });
        let info = ChanInfo {
            name,
            cap,
            elem: ty.elem(),
        };
        let count = if fx.once && fx.loop_depth == 0 {
            1
        } else {
            POOL_SIZE
        };
        if self.chans.len() + count as usize > MAX_CHANS {
            return err(e.span, format!("too many channels: at most {MAX_CHANS}"));
        }
        let base = self.chans.len() as u32;
        if count == 1 {
            self.chans.push(info);
            self.emit(fx, Instr::Push(base as i64 + 1), e.span);
        } else {
            for i in 0..count {
                let mut c = info.clone();
                if i > 0 {
                    c.name = format!("{}#{}", info.name, i + 1);
                }
                self.chans.push(c);
            }
            let (l, c) = self.src.line_col(e.span.start);
            let site = self.heap_sites.len() as u32;
            self.heap_sites.push(HeapSite {
                ty,
                base,
                count,
                loc: (l as u32, c as u32),
            });
            self.emit(fx, Instr::MakeChan(site), e.span);
        }
        Ok(Ty::Chan(ty))
    }
}
