//! Plain shared variables: reads and writes (each read offers every value
//! the memory model allows), and the hooks through which every step
//! reports to race detection and the memory model: [`Machine::edge`] for
//! sync events, [`Machine::access`] for plain accesses.

use super::{Machine, Operands, Out, popped};
use crate::ir::{Instr, Ref, Ty};
use crate::memory::{MemoryModel, ReadChoices, SyncEvent};
use crate::state::hb::Record;
use crate::state::{Interner, State};

impl<M: MemoryModel> Machine<'_, M> {
    /// A sync event: to race detection (when tracked) and to the memory model.
    pub(super) fn edge(&self, st: &mut State<M::Mem>, ev: SyncEvent) {
        if let Some(hb) = st.hb.as_deref_mut() {
            match ev {
                SyncEvent::Fence { .. } => {}
                SyncEvent::Spawn { parent, .. } => hb.spawn(parent),
                SyncEvent::Release { g, carrier } => hb.release(g, carrier),
                SyncEvent::ReleaseOnly { g, carrier } => hb.release_only(g, carrier),
                SyncEvent::Acquire { g, carrier } => hb.acquire(g, carrier),
                SyncEvent::Exchange { a, b } => hb.exchange(a, b),
                SyncEvent::Shift { from, n } => hb.shift(from, n),
            }
        }
        self.model.sync(&mut st.mem, ev);
    }

    /// Record an access by `g` at its current instruction; returns the races.
    pub(super) fn access(
        &self,
        st: &mut State<M::Mem>,
        g: usize,
        slot: u32,
        write: bool,
        interner: &mut Interner,
    ) -> Vec<(u32, u32)> {
        self.access_at(st, g, (slot, write, 0), interner)
    }

    /// [`Machine::access`] of `(slot, write, case)`, at a `select`'s case
    /// `case - 1` when `case` is not 0.
    pub(super) fn access_at(
        &self,
        st: &mut State<M::Mem>,
        g: usize,
        (slot, write, case): (u32, bool, u8),
        interner: &mut Interner,
    ) -> Vec<(u32, u32)> {
        if !self.track_hb {
            return Vec::new();
        }
        let fr = *st.gors[g].frames.last().unwrap();
        if self
            .hb_sites
            .as_ref()
            .is_some_and(|set| !set.contains(&(fr.func, fr.pc)))
        {
            return Vec::new();
        }
        let id = interner.record(Record::at(g, &fr, slot, write, case));
        let recs = &interner.records;
        let Some(hb) = st.hb.as_deref_mut() else {
            return Vec::new();
        };
        hb.access(g, id, |r| {
            let o = recs[r as usize];
            o.slot == slot && o.g as usize != g && self.prog.conflicts(slot, o.write, write)
        })
        .into_iter()
        .map(|r| (r, id))
        .collect()
    }

    /// The accesses goroutine `g`'s next step makes, as race detection
    /// sees them, into `out`: a plain variable's (when its index is in
    /// range), a map's, or a channel's (`chan.rs`: a send reads it, a
    /// close writes it; a select may send on each of its send cases).
    pub fn pending_accesses(&self, s: &State<M::Mem>, g: usize, out: &mut Vec<Record>) {
        // a dying goroutine rests at the step that panicked, but its one
        // step left is the exit (and the walk has freed what it held)
        if super::defer::dying(&s.gors[g]) {
            return;
        }
        let Some((fr, ins)) = self.instr(s, g) else {
            return;
        };
        let (r, write, values) = match ins {
            Instr::Read(r) => (r, false, 0),
            Instr::Write(r) => (r, true, 1),
            Instr::Send(_) | Instr::Close(_) | Instr::Select(_) => {
                return self.pending_chan_accesses(s, g, fr, ins, out);
            }
            // (a program without maps never calls out for them)
            _ if self.prog.maps.is_empty() => return,
            _ => return out.extend(self.pending_map_access(s, g, ins)),
        };
        if let Ok(slot) = Operands::of(s, g).resolve(r, values) {
            out.push(Record::at(g, &fr, slot, write, 0));
        }
    }

    pub(super) fn read_step(&self, s: &State<M::Mem>, g: usize, r: Ref, out: &mut Out<M::Mem>) {
        let slot = match Operands::of(s, g).resolve(r, 0) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "read".into(), &m, out),
        };
        let mut choices = ReadChoices::new();
        self.model.read(&s.mem, g, slot, &mut choices);
        for c in choices {
            let mut mk = Self::start(s, out);
            let describe = mk.describe;
            let (st, strings) = mk.parts();
            Self::pop_n(st, g, popped(r, 0));
            self.model.apply_read(&mut st.mem, g, slot, &c);
            let races = self.access(st, g, slot, false, strings);
            st.gor_mut(g).data.push(c.value);
            let text = match describe {
                true => self.describe_read(slot, &c, strings),
                false => String::new(),
            };
            let succ = mk.succ();
            succ.races = races;
            succ.stale = c.stale;
            self.finish(mk, g, None, || text);
        }
    }

    pub(super) fn write_step(&self, s: &State<M::Mem>, g: usize, r: Ref, out: &mut Out<M::Mem>) {
        let ops = Operands::of(s, g);
        let value = ops.nth(0).unwrap();
        let slot = match ops.resolve(r, 1) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "write".into(), &m, out),
        };
        let mut mk = Self::start(s, out);
        let describe = mk.describe;
        let (st, strings) = mk.parts();
        let races = self.access(st, g, slot, true, strings);
        Self::pop_n(st, g, popped(r, 1));
        let note = self.model.write(&mut st.mem, g, slot, value);
        let shown = match describe {
            true => self.show_plain(slot, value, strings),
            false => String::new(),
        };
        mk.succ().races = races;
        self.finish(mk, g, None, || {
            let mut d = format!("write {} = {shown}", self.prog.plain_names[slot as usize]);
            if let Some(n) = note {
                d.push_str(&format!(" ({n})"));
            }
            d
        });
    }

    /// The type of plain variable `slot`.
    pub(super) fn plain_ty(&self, slot: u32) -> Ty {
        self.prog.plain_tys[slot as usize]
    }
}
