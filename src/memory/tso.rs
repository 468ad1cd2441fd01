//! x86-TSO, the store-buffer model (LANGUAGE.md §5): each goroutine has a
//! FIFO store buffer; a write enters the writer's buffer; a read returns the
//! newest buffered write of that variable in the reader's own buffer, else
//! memory; the oldest entry of any buffer may be flushed to memory at any
//! time (a step of its own). Every sync operation first drains its
//! goroutine's buffer. A run's final values are taken once every buffer has
//! been flushed (the explorer keeps flushing after the run ends, in every
//! order).

use super::{Internal, MemoryModel, ReadChoice, ReadNote, SyncEvent};
use crate::program::Program;

/// The `tso` model.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tso;

/// Memory and one store buffer per goroutine (slot, value), oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TsoMem {
    pub mem: Box<[i64]>,
    pub bufs: Vec<Vec<(u32, i64)>>,
}

impl TsoMem {
    fn drain(&mut self, g: usize) {
        for (slot, v) in std::mem::take(&mut self.bufs[g]) {
            self.mem[slot as usize] = v;
        }
    }
}

impl MemoryModel for Tso {
    type Mem = TsoMem;

    fn name(&self) -> &'static str {
        "tso"
    }

    fn init(&self, prog: &Program, _carriers: usize) -> TsoMem {
        TsoMem {
            mem: prog.plain_init.clone().into_boxed_slice(),
            bufs: vec![Vec::new()],
        }
    }

    fn read(&self, m: &TsoMem, g: usize, slot: u32, out: &mut Vec<ReadChoice>) {
        if let Some(&(_, v)) = m.bufs[g].iter().rev().find(|(s, _)| *s == slot) {
            out.push(ReadChoice {
                value: v,
                token: 0,
                note: Some(ReadNote::OwnBuffer),
                stale: false,
            });
            return;
        }
        let v = m.mem[slot as usize];
        // The newest write of this variable waiting in another buffer.
        let pending = m
            .bufs
            .iter()
            .enumerate()
            .filter(|(h, _)| *h != g)
            .filter_map(|(_, b)| b.iter().rev().find(|(s, _)| *s == slot).map(|e| e.1))
            .next_back();
        out.push(ReadChoice {
            value: v,
            token: 0,
            note: pending.map(|latest| ReadNote::Stale { latest }),
            stale: pending.is_some(),
        });
    }

    fn apply_read(&self, _m: &mut TsoMem, _g: usize, _slot: u32, _c: &ReadChoice) {}

    fn write(&self, m: &mut TsoMem, g: usize, slot: u32, value: i64) -> Option<&'static str> {
        m.bufs[g].push((slot, value));
        Some("buffered")
    }

    fn sync(&self, m: &mut TsoMem, event: SyncEvent) {
        match event {
            SyncEvent::Fence { g } => m.drain(g),
            SyncEvent::Spawn { parent, .. } => {
                m.drain(parent);
                m.bufs.push(Vec::new());
            }
            _ => {}
        }
    }

    fn internal(&self, m: &TsoMem, out: &mut Vec<Internal<TsoMem>>) {
        for g in 0..m.bufs.len() {
            if let Some(&(slot, value)) = m.bufs[g].first() {
                let mut n = m.clone();
                n.bufs[g].remove(0);
                n.mem[slot as usize] = value;
                out.push(Internal {
                    g,
                    slot,
                    value,
                    mem: n,
                });
            }
        }
    }

    fn buffered(&self, m: &TsoMem, g: usize) -> Vec<(u32, i64)> {
        m.bufs.get(g).cloned().unwrap_or_default()
    }

    fn show(
        &self,
        m: &TsoMem,
        var: &dyn Fn(u32, i64) -> String,
        gname: &dyn Fn(usize) -> String,
    ) -> Vec<String> {
        let vals: Vec<String> = m
            .mem
            .iter()
            .enumerate()
            .map(|(i, v)| var(i as u32, *v))
            .collect();
        let mut out = vec![format!("memory: {}", vals.join(" "))];
        for (g, b) in m.bufs.iter().enumerate() {
            if !b.is_empty() {
                let e: Vec<String> = b.iter().map(|(s, v)| var(*s, *v)).collect();
                out.push(format!(
                    "store buffer of {} (oldest first): {}",
                    gname(g),
                    e.join(", ")
                ));
            }
        }
        out
    }

    fn finals(&self, m: &TsoMem) -> Vec<i64> {
        let mut n = m.clone();
        for g in 0..n.bufs.len() {
            n.drain(g);
        }
        n.mem.to_vec()
    }
}
