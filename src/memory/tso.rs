//! x86-TSO, the store-buffer model (LANGUAGE.md §5): each goroutine has a
//! FIFO store buffer; a write enters the writer's buffer; a read returns the
//! newest buffered write of that variable in the reader's own buffer, else
//! memory; the oldest entry of any buffer may be flushed to memory at any
//! time (a step of its own). Every sync operation first drains its
//! goroutine's buffer.
//!
//! The buffers are kept as one list of pending writes in the order they were
//! executed (each goroutine's buffer is its entries, in order), which is
//! canonical and tells how the writes of different goroutines were ordered.
//! When a run ends, the remaining writes reach memory in that execution
//! order where it can be seen (per goroutine, per variable: the final
//! values), the rest in the order `canonical` gives. (LANGUAGE.md asks for every order; but a goroutine abandoned when
//! main returns cannot have its older write land after main's newer one
//! under the `go` model, and outcomes(tso) ⊆ outcomes(go) is the law users
//! rely on — so the end of a run drains in execution order.)

use super::{Internal, MemoryModel, ReadChoice, ReadChoices, ReadNote, SyncEvent};
use crate::ir::Program;

/// The `tso` model.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tso;

/// Memory and the pending writes (goroutine, slot, value), oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TsoMem {
    pub mem: Box<[i64]>,
    pub pending: Vec<(u16, u32, i64)>,
}

crate::codec_fields!(TsoMem { mem, pending });

impl TsoMem {
    /// Pending write `i` reaches memory: the step that does it.
    fn flush(&self, i: usize) -> Internal<TsoMem> {
        let (g, slot, value) = self.pending[i];
        let mut n = self.clone();
        n.pending.remove(i);
        n.mem[slot as usize] = value;
        Internal {
            g: g as usize,
            slot,
            value,
            mem: n,
        }
    }

    /// Drain goroutine `g`'s buffer into memory.
    fn drain(&mut self, g: usize) {
        let mem = &mut self.mem;
        self.pending.retain(|&(h, slot, v)| {
            if h as usize == g {
                mem[slot as usize] = v;
                false
            } else {
                true
            }
        });
    }
}

/// The first write of `p` among those not `taken` in the order of the
/// partial order `after` (`after(j, i)`: pending write `i`, later in `p`
/// than `j`, must stay after it): of the writes that nothing not taken
/// must precede, the lowest goroutine's. (The first write not taken is
/// always one of them.)
fn first_ready(
    p: &[(u16, u32, i64)],
    taken: impl Fn(usize) -> bool,
    after: impl Fn(usize, usize) -> bool,
) -> usize {
    let mut best: Option<usize> = None;
    for (i, &(g, _, _)) in p.iter().enumerate() {
        if taken(i) {
            continue;
        }
        let ready = !(0..i).any(|j| !taken(j) && after(j, i));
        if ready && best.is_none_or(|b| g < p[b].0) {
            best = Some(i);
        }
    }
    best.expect("a write not taken")
}

/// The order a run's end drains in: each goroutine's FIFO, and each
/// variable's writes in the order they were made.
fn drain_order(p: &[(u16, u32, i64)], j: usize, i: usize) -> bool {
    p[j].0 == p[i].0 || p[j].1 == p[i].1
}

/// The order [`MemoryModel::canonical`] keeps: each goroutine's FIFO, and,
/// per variable, the order of the goroutines' newest pending writes of it
/// (`last`: bit `i` set when write `i` is its goroutine's newest of its
/// variable).
fn kept_order(p: &[(u16, u32, i64)], last: u64, j: usize, i: usize) -> bool {
    p[j].0 == p[i].0 || (p[j].1 == p[i].1 && last >> j & last >> i & 1 == 1)
}

impl MemoryModel for Tso {
    type Mem = TsoMem;

    fn name(&self) -> &'static str {
        "tso"
    }

    fn about(&self) -> &'static str {
        "x86-TSO: per-goroutine FIFO store buffers, flushed at any time"
    }

    /// A race-free program never reads from another goroutine's buffer
    /// while the write is still in it: x86-TSO gives DRF-SC.
    fn drf_sc(&self) -> bool {
        true
    }

    fn is_sc(&self) -> bool {
        false
    }

    /// A read, a buffered write and a sync step touch what their
    /// footprints name (a sync step also writes, by draining, the slots in
    /// its goroutine's buffer); a flush writes the slot of its goroutine's
    /// oldest pending write, which [`MemoryModel::pending`] lists
    /// (docs/DESIGN.md, "Reductions", **Weak memory**).
    fn footprint_conflicts(&self) -> bool {
        true
    }

    fn pending(&self, m: &TsoMem, out: &mut dyn FnMut(usize, u32)) {
        for &(g, slot, _) in &m.pending {
            out(g as usize, slot);
        }
    }

    /// What of the order of the pending writes can be seen: each
    /// goroutine's FIFO, and per variable the order in which the
    /// goroutines' *newest* pending writes of it were made. That order
    /// decides the variable's final value if the run ends with them
    /// pending, and which write a stale read's note names as the latest;
    /// an older write of a goroutine that wrote the variable again can
    /// only reach memory before its newer one, so where it stands among
    /// other goroutines' writes changes neither. The list is put in the
    /// one order of that partial order that always takes next the write
    /// of the lowest goroutine that nothing pending must precede (a
    /// function of the partial order alone), so lists that differ only in
    /// what cannot be seen meet (docs/DESIGN.md, **Weak memory: tso**).
    fn canonical(&self, m: &mut TsoMem) {
        let p = &m.pending;
        let n = p.len();
        // one goroutine's writes: a total order already
        if !(2..=64).contains(&n) || p.iter().all(|e| e.0 == p[0].0) {
            return;
        }
        let mut last = 0u64;
        for (i, &(g, x, _)) in p.iter().enumerate() {
            if !p[i + 1..].iter().any(|e| e.0 == g && e.1 == x) {
                last |= 1 << i;
            }
        }
        let mut out: Vec<(u16, u32, i64)> = Vec::with_capacity(n);
        let mut taken = 0u64;
        while out.len() < n {
            let b = first_ready(p, |i| taken >> i & 1 == 1, |j, i| kept_order(p, last, j, i));
            taken |= 1 << b;
            out.push(p[b]);
        }
        m.pending = out;
    }

    fn init(&self, prog: &Program, _carriers: usize) -> TsoMem {
        TsoMem {
            mem: prog.plain_init.clone().into_boxed_slice(),
            pending: Vec::new(),
        }
    }

    fn read(&self, m: &TsoMem, g: usize, slot: u32, out: &mut ReadChoices) {
        if let Some(&(_, _, v)) = m
            .pending
            .iter()
            .rev()
            .find(|(h, s, _)| *h as usize == g && *s == slot)
        {
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
            .pending
            .iter()
            .rev()
            .find(|(h, s, _)| *h as usize != g && *s == slot)
            .map(|e| e.2);
        out.push(ReadChoice {
            value: v,
            token: 0,
            note: pending.map(|latest| ReadNote::Stale { latest }),
            stale: pending.is_some(),
        });
    }

    fn apply_read(&self, _m: &mut TsoMem, _g: usize, _slot: u32, _c: &ReadChoice) {}

    fn write(&self, m: &mut TsoMem, g: usize, slot: u32, value: i64) -> Option<&'static str> {
        m.pending.push((g as u16, slot, value));
        Some("buffered")
    }

    fn sync(&self, m: &mut TsoMem, event: SyncEvent) {
        match event {
            SyncEvent::Fence { g } => m.drain(g),
            SyncEvent::Spawn { parent, .. } => m.drain(parent),
            _ => {}
        }
    }

    fn internal(&self, m: &TsoMem, out: &mut Vec<Internal<TsoMem>>) {
        // The oldest entry of each goroutine's buffer may reach memory.
        let mut seen: Vec<u16> = Vec::new();
        for (i, &(g, _, _)) in m.pending.iter().enumerate() {
            if seen.contains(&g) {
                continue;
            }
            seen.push(g);
            out.push(m.flush(i));
        }
    }

    fn internal_after_end(&self, m: &TsoMem, out: &mut Vec<Internal<TsoMem>>) {
        // After the run: one way only, in execution order as far as it can
        // be seen (each goroutine's FIFO, each variable's order), the rest
        // as `canonical` orders it, so that a run replayed on the real
        // goroutines drains as the stored canonical states do.
        if !m.pending.is_empty() {
            let p = &m.pending;
            out.push(m.flush(first_ready(p, |_| false, |j, i| drain_order(p, j, i))));
        }
    }

    fn buffered(&self, m: &TsoMem, g: usize) -> Vec<(u32, i64)> {
        m.pending
            .iter()
            .filter(|(h, _, _)| *h as usize == g)
            .map(|&(_, s, v)| (s, v))
            .collect()
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
        let mut gs: Vec<u16> = m.pending.iter().map(|e| e.0).collect();
        gs.sort_unstable();
        gs.dedup();
        for g in gs {
            let e: Vec<String> = self
                .buffered(m, g as usize)
                .iter()
                .map(|(s, v)| var(*s, *v))
                .collect();
            let who = gname(g as usize);
            let who = if who.is_empty() {
                format!("goroutine {g}")
            } else {
                who
            };
            out.push(format!(
                "store buffer of {who} (oldest first): {}",
                e.join(", ")
            ));
        }
        out
    }

    /// Nothing is kept per carrier (a sync operation drains its buffer).
    fn move_carriers(&self, _m: &mut TsoMem, _moves: &[(usize, Option<usize>)]) {}

    fn reset_slots(&self, m: &mut TsoMem, slots: &[u32], init: &[i64]) -> bool {
        if m.pending.iter().any(|e| slots.contains(&e.1)) {
            return false;
        }
        for &x in slots {
            m.mem[x as usize] = init[x as usize];
        }
        true
    }

    fn permute(&self, m: &mut TsoMem, perm: &[u16]) {
        for e in &mut m.pending {
            e.0 = perm[e.0 as usize];
        }
    }

    fn gor_key(&self, m: &TsoMem, g: usize) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        for e in m.pending.iter().filter(|e| e.0 as usize == g) {
            (e.1, e.2).hash(&mut h);
        }
        h.finish()
    }

    fn finals(&self, m: &TsoMem) -> Vec<i64> {
        let mut mem = m.mem.to_vec();
        for &(_, slot, v) in &m.pending {
            mem[slot as usize] = v;
        }
        mem
    }
}
