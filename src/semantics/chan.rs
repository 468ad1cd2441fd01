//! Channels: send, receive, close and select. A buffered channel is a
//! queue in [`State::chans`]; an unbuffered send and its receive are one
//! step, a rendezvous of two goroutines ([`Machine::rendezvous`]), found
//! from the sender's side (and, when asked, from the receiver's too)
//! through the points where each goroutine stands ready ([`SendPoint`],
//! [`RecvPoint`]), a plain `send`/`recv` or a case of a `select`.

use super::{Machine, Making, NIL, Operands, Out, is_indexed, popped, resolve};
use crate::ir::{Instr, Ref, SelectSpec, Ty};
use crate::memory::{MemoryModel, SyncEvent};
use crate::state::hb::Record;
use crate::state::{EndKind, Frame, Interner, State, gor_name};

/// Where a goroutine stands ready to send: the value, how many operands
/// the step pops, where it goes on (`None`: the next instruction) and the
/// select case, if it is one.
#[derive(Clone, Copy, Debug)]
struct SendPoint {
    value: i64,
    ops: usize,
    target: Option<u32>,
    case: Option<usize>,
}

/// Where a goroutine stands ready to receive (as [`SendPoint`]; `with_ok`:
/// it also takes the `ok` flag).
#[derive(Clone, Copy, Debug)]
struct RecvPoint {
    ops: usize,
    with_ok: bool,
    target: Option<u32>,
    case: Option<usize>,
}

/// A rendezvous on unbuffered channel `ch`: who sends from where, who
/// receives where.
struct Meeting {
    ch: u32,
    sender: usize,
    sp: SendPoint,
    receiver: usize,
    rp: RecvPoint,
}

/// Per case of a select: its channel index and its send value, if any.
type CaseOperands = Vec<(Option<i64>, Option<i64>)>;

/// The operands of a select's cases on the stack `data`: how many there
/// are in all, and per case its (index, value).
fn select_operands(spec: &SelectSpec, data: &[i64]) -> (usize, CaseOperands) {
    let n: usize = spec
        .cases
        .iter()
        .map(|c| is_indexed(c.chan) as usize + c.send as usize)
        .sum();
    let mut pos = data.len() - n;
    let mut out = Vec::with_capacity(spec.cases.len());
    for c in &spec.cases {
        let idx = if is_indexed(c.chan) {
            pos += 1;
            Some(data[pos - 1])
        } else {
            None
        };
        let val = if c.send {
            pos += 1;
            Some(data[pos - 1])
        } else {
            None
        };
        out.push((idx, val));
    }
    (n, out)
}

impl<M: MemoryModel> Machine<'_, M> {
    /// A value sent or received on a channel of `elem`s, as a witness shows
    /// it (a string by its text); nothing when steps are not described.
    fn sent(&self, strings: &Interner, describe: bool, elem: Ty, v: i64) -> String {
        match elem {
            _ if !describe => String::new(),
            Ty::Str => format!("{:?}", strings.get(v as u32)),
            Ty::Struct(k) => {
                // as Go's %+v writes it, with channels by name
                let fields: Vec<String> = self.prog.struct_fields[k as usize]
                    .iter()
                    .enumerate()
                    .map(|(i, (n, t))| {
                        let f = self.structs.borrow().field(v, i);
                        format!("{n}:{}", self.sent(strings, describe, *t, f))
                    })
                    .collect();
                format!("{}{{{}}}", elem.name(), fields.join(" "))
            }
            _ => self.prog.show_value(elem, v),
        }
    }

    /// `ch <- v`.
    pub(super) fn send_step(&self, s: &State<M::Mem>, g: usize, r: Ref, out: &mut Out<M::Mem>) {
        let ops = Operands::of(s, g);
        let value = ops.nth(0).unwrap();
        let c = match ops.resolve(r, 1) {
            Ok(x) => x,
            // a send on a nil channel blocks for ever
            Err(m) if m == NIL => return,
            Err(m) => return self.fault_step(s, g, "send".into(), &m, out),
        };
        let sp = SendPoint {
            value,
            ops: popped(r, 1),
            target: None,
            case: None,
        };
        self.send_steps(s, g, c, sp, out);
    }

    /// `<-ch` (with `ok` when `with_ok`).
    pub(super) fn recv_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        r: Ref,
        with_ok: bool,
        out: &mut Out<M::Mem>,
    ) {
        let c = match Operands::of(s, g).resolve(r, 0) {
            Ok(x) => x,
            // so does a receive
            Err(m) if m == NIL => return,
            Err(m) => return self.fault_step(s, g, "recv".into(), &m, out),
        };
        let rp = RecvPoint {
            ops: popped(r, 0),
            with_ok,
            target: None,
            case: None,
        };
        self.recv_steps(s, g, c, rp, out);
    }

    /// `close(ch)`.
    pub(super) fn close_step(&self, s: &State<M::Mem>, g: usize, r: Ref, out: &mut Out<M::Mem>) {
        let c = match Operands::of(s, g).resolve(r, 0) {
            Ok(x) => x,
            Err(m) if m == NIL => {
                return self.fault_step(s, g, "close".into(), "close of nil channel", out);
            }
            Err(m) => return self.fault_step(s, g, "close".into(), &m, out),
        };
        let name = self.prog.chans[c as usize].name.clone();
        if s.chans[c as usize].closed {
            return self.fault_step(
                s,
                g,
                format!("close {name}"),
                "close of closed channel",
                out,
            );
        }
        let mut mk = Self::start(s, out);
        self.chan_accesses(&mut mk, s, g, None);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        Self::pop_n(st, g, popped(r, 0));
        let cc = self.chan_carrier[c as usize];
        self.edge(st, SyncEvent::Release { g, carrier: cc });
        st.chans[c as usize].closed = true;
        self.finish(mk, g, None, || format!("close {name}"));
    }

    /// `select`: every ready case, else `default` when there is one.
    pub(super) fn select_step(&self, s: &State<M::Mem>, g: usize, id: u32, out: &mut Out<M::Mem>) {
        let spec = &self.prog.selects[id as usize];
        let (n, ops) = select_operands(spec, &s.gors[g].data);
        let mut ready = false;
        for (i, case) in spec.cases.iter().enumerate() {
            let c = match resolve(case.chan, ops[i].0) {
                Ok(x) => x,
                // a nil channel's case is never ready
                Err(m) if m == NIL => continue,
                Err(m) => {
                    self.fault_step(s, g, "select".into(), &m, out);
                    ready = true;
                    continue;
                }
            };
            if case.send {
                let sp = SendPoint {
                    value: ops[i].1.unwrap(),
                    ops: n,
                    target: Some(case.target),
                    case: Some(i),
                };
                ready |= self.send_ready(s, c);
                self.send_steps(s, g, c, sp, out);
            } else {
                let rp = RecvPoint {
                    ops: n,
                    with_ok: case.with_ok,
                    target: Some(case.target),
                    case: Some(i),
                };
                ready |= self.recv_ready(s, c);
                self.recv_steps(s, g, c, rp, out);
            }
        }
        if !ready && spec.default.is_some() {
            let mut mk = Self::start(s, out);
            self.chan_accesses(&mut mk, s, g, None);
            let st = mk.state();
            self.edge(st, SyncEvent::Fence { g });
            Self::pop_n(st, g, n);
            self.finish(mk, g, spec.default, || "select: default".into());
        }
    }

    /// Where goroutine `h` stands ready to receive from channel `ch`.
    fn recv_points(&self, s: &State<M::Mem>, h: usize, ch: u32) -> Vec<RecvPoint> {
        let mut v = Vec::new();
        let Some((_, ins)) = self.instr(s, h) else {
            return v;
        };
        match ins {
            Instr::Recv(r, with_ok) if Operands::of(s, h).resolve(r, 0) == Ok(ch) => {
                v.push(RecvPoint {
                    ops: popped(r, 0),
                    with_ok,
                    target: None,
                    case: None,
                });
            }
            Instr::Select(id) => {
                let spec = &self.prog.selects[id as usize];
                let (n, ops) = select_operands(spec, &s.gors[h].data);
                for (i, c) in spec.cases.iter().enumerate() {
                    if !c.send && resolve(c.chan, ops[i].0) == Ok(ch) {
                        v.push(RecvPoint {
                            ops: n,
                            with_ok: c.with_ok,
                            target: Some(c.target),
                            case: Some(i),
                        });
                    }
                }
            }
            _ => {}
        }
        v
    }

    /// Where goroutine `h` stands ready to send on channel `ch`.
    fn send_points(&self, s: &State<M::Mem>, h: usize, ch: u32) -> Vec<SendPoint> {
        let mut v = Vec::new();
        let Some((_, ins)) = self.instr(s, h) else {
            return v;
        };
        match ins {
            Instr::Send(r) => {
                let ops = Operands::of(s, h);
                let value = ops.nth(0).unwrap();
                if ops.resolve(r, 1) == Ok(ch) {
                    v.push(SendPoint {
                        value,
                        ops: popped(r, 1),
                        target: None,
                        case: None,
                    });
                }
            }
            Instr::Select(id) => {
                let spec = &self.prog.selects[id as usize];
                let (n, ops) = select_operands(spec, &s.gors[h].data);
                for (i, c) in spec.cases.iter().enumerate() {
                    if c.send && resolve(c.chan, ops[i].0) == Ok(ch) {
                        v.push(SendPoint {
                            value: ops[i].1.unwrap(),
                            ops: n,
                            target: Some(c.target),
                            case: Some(i),
                        });
                    }
                }
            }
            _ => {}
        }
        v
    }

    /// An unbuffered send and its receive, as one step of `actor` (either
    /// side).
    fn rendezvous(&self, s: &State<M::Mem>, m: &Meeting, actor: usize, out: &mut Out<M::Mem>) {
        let &Meeting {
            ch,
            sender,
            sp,
            receiver,
            rp,
        } = m;
        let mut mk = Self::start(s, out);
        self.chan_accesses(&mut mk, s, sender, sp.case);
        self.chan_accesses(&mut mk, s, receiver, rp.case);
        let describe = mk.describe;
        let (st, strings) = mk.parts();
        let v = self.sent(
            strings,
            describe,
            self.prog.chans[ch as usize].elem,
            sp.value,
        );
        self.edge(st, SyncEvent::Fence { g: sender });
        self.edge(st, SyncEvent::Fence { g: receiver });
        self.edge(
            st,
            SyncEvent::Exchange {
                a: sender,
                b: receiver,
            },
        );
        Self::pop_n(st, sender, sp.ops);
        Self::advance(st, sender, sp.target);
        Self::pop_n(st, receiver, rp.ops);
        st.gor_mut(receiver).data.push(sp.value);
        if rp.with_ok {
            st.gor_mut(receiver).data.push(1);
        }
        Self::advance(st, receiver, rp.target);
        self.run_local(st, sender, strings);
        if st.end.is_none() {
            self.run_local(st, receiver, strings);
        }
        let prog = self.prog;
        let desc = || {
            let c = &prog.chans[ch as usize];
            let sel = |case: Option<usize>| if case.is_some() { "select: " } else { "" };
            if actor == sender {
                format!(
                    "{}send {} <- {} (received by {})",
                    sel(sp.case),
                    c.name,
                    v,
                    gor_name(prog, s, receiver)
                )
            } else {
                format!(
                    "{}recv <-{} = {} (sent by {})",
                    sel(rp.case),
                    c.name,
                    v,
                    gor_name(prog, s, sender)
                )
            }
        };
        self.push(mk, actor, desc);
    }

    /// Is a send case ready by the channel's state alone? A partner waiting
    /// at an unbuffered channel does not count: in this model a goroutine
    /// resting at a send may equally not have reached it yet, so `default`
    /// stays possible (as it is in Go, where the partner may still be on its
    /// way).
    fn send_ready(&self, s: &State<M::Mem>, c: u32) -> bool {
        let ch = &s.chans[c as usize];
        let cap = self.prog.chans[c as usize].cap as usize;
        ch.closed || (cap > 0 && ch.buf.len() < cap)
    }

    /// Is a receive case ready by the channel's state alone?
    fn recv_ready(&self, s: &State<M::Mem>, c: u32) -> bool {
        let ch = &s.chans[c as usize];
        !ch.buf.is_empty() || ch.closed
    }

    /// The steps of `g` sending from `sp` on channel `c`: into the buffer,
    /// or to each goroutine ready to receive, or a panic if it is closed.
    fn send_steps(
        &self,
        s: &State<M::Mem>,
        g: usize,
        c: u32,
        sp: SendPoint,
        out: &mut Out<M::Mem>,
    ) {
        let info = &self.prog.chans[c as usize];
        let ch = &s.chans[c as usize];
        let sel = if sp.case.is_some() { "select: " } else { "" };
        if ch.closed {
            let v = self.sent(out.strings, out.describe, info.elem, sp.value);
            let what = format!("{sel}send {} <- {v}", info.name);
            let mut mk = Self::start(s, out);
            self.chan_accesses(&mut mk, s, g, sp.case);
            let (st, strings) = mk.parts();
            self.fault(
                st,
                g,
                EndKind::Panic,
                "send on closed channel",
                false,
                strings,
            );
            return self.push(mk, g, || what);
        }
        if info.cap > 0 {
            if ch.buf.len() < info.cap as usize {
                let mut mk = Self::start(s, out);
                self.chan_accesses(&mut mk, s, g, sp.case);
                let v = self.sent(mk.strings, mk.describe, info.elem, sp.value);
                let st = mk.state();
                self.edge(st, SyncEvent::Fence { g });
                Self::pop_n(st, g, sp.ops);
                let slot_c = self.chan_carrier[c as usize] + 2 + ch.buf.len();
                let space_c = self.chan_carrier[c as usize] + 1;
                self.edge(
                    st,
                    SyncEvent::Acquire {
                        g,
                        carrier: space_c,
                    },
                );
                self.edge(st, SyncEvent::ReleaseOnly { g, carrier: slot_c });
                st.chans[c as usize].buf.push(sp.value);
                self.finish(mk, g, sp.target, || {
                    format!("{sel}send {} <- {v}", info.name)
                });
            }
            return;
        }
        for h in 0..s.gors.len() {
            if h == g {
                continue;
            }
            for rp in self.recv_points(s, h, c) {
                let m = Meeting {
                    ch: c,
                    sender: g,
                    sp,
                    receiver: h,
                    rp,
                };
                self.rendezvous(s, &m, g, out);
            }
        }
    }

    /// The steps of `g` receiving at `rp` from channel `c`: from the
    /// buffer, or the zero value of a closed channel, or (when the
    /// expansion asks for both sides) from each goroutine ready to send.
    fn recv_steps(
        &self,
        s: &State<M::Mem>,
        g: usize,
        c: u32,
        rp: RecvPoint,
        out: &mut Out<M::Mem>,
    ) {
        let info = &self.prog.chans[c as usize];
        let ch = &s.chans[c as usize];
        let sel = if rp.case.is_some() { "select: " } else { "" };
        if !ch.buf.is_empty() || ch.closed {
            let mut mk = Self::start(s, out);
            self.chan_accesses(&mut mk, s, g, rp.case);
            let st = mk.state();
            self.edge(st, SyncEvent::Fence { g });
            Self::pop_n(st, g, rp.ops);
            let (v, ok) = if ch.buf.is_empty() {
                (0, false)
            } else {
                (st.chans[c as usize].buf.remove(0), true)
            };
            let base = self.chan_carrier[c as usize];
            let n = info.cap as usize;
            if ok {
                self.edge(
                    st,
                    SyncEvent::Acquire {
                        g,
                        carrier: base + 2,
                    },
                );
                self.edge(st, SyncEvent::Shift { from: base + 2, n });
                self.edge(
                    st,
                    SyncEvent::Release {
                        g,
                        carrier: base + 1,
                    },
                );
            } else {
                self.edge(st, SyncEvent::Acquire { g, carrier: base });
            }
            st.gor_mut(g).data.push(v);
            if rp.with_ok {
                st.gor_mut(g).data.push(ok as i64);
            }
            let v = self.sent(mk.strings, mk.describe, info.elem, v);
            self.finish(mk, g, rp.target, || {
                let closed = if ok { "" } else { " (closed)" };
                format!("{sel}recv <-{} = {v}{closed}", info.name)
            });
            return;
        }
        if info.cap == 0 && out.both_sides {
            for h in 0..s.gors.len() {
                if h == g {
                    continue;
                }
                for sp in self.send_points(s, h, c) {
                    let m = Meeting {
                        ch: c,
                        sender: h,
                        sp,
                        receiver: g,
                        rp,
                    };
                    self.rendezvous(s, &m, g, out);
                }
            }
        }
    }

    /// The accesses race detection sees `g` make on channels by its next
    /// step (`ins`, from `s`), as (slot, write), into `out`. Go's race
    /// detector sees a send read its channel before anything else it does
    /// and a close write it (unless it was closed: that close panics
    /// first). A select reads the channel of each send case it polls: the
    /// one it takes, and any not ready (which it may poll first, in its
    /// random order, before the case it takes); with `pending`, the step is
    /// yet to be chosen and every send case may be polled.
    fn chan_access_slots(
        &self,
        s: &State<M::Mem>,
        g: usize,
        ins: Instr,
        taken: Option<usize>,
        pending: bool,
        out: &mut impl FnMut(u32, bool, u8),
    ) {
        let ops = Operands::of(s, g);
        match ins {
            Instr::Send(r) => {
                if let Ok(c) = ops.resolve(r, 1) {
                    out(self.prog.chan_slot(c), false, 0);
                }
            }
            Instr::Close(r) => {
                if let Ok(c) = ops.resolve(r, 0)
                    && !s.chans[c as usize].closed
                {
                    out(self.prog.chan_slot(c), true, 0);
                }
            }
            Instr::Select(id) => {
                let spec = &self.prog.selects[id as usize];
                // (most selects only receive: no operands to read)
                if !spec.cases.iter().any(|c| c.send) {
                    return;
                }
                let (_, cases) = select_operands(spec, &s.gors[g].data);
                for (i, case) in spec.cases.iter().enumerate() {
                    if let (true, Ok(c)) = (case.send, resolve(case.chan, cases[i].0))
                        && (pending || taken == Some(i) || !self.send_ready(s, c))
                    {
                        out(self.prog.chan_slot(c), false, i as u8 + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// The channel accesses goroutine `g` is about to make (see
    /// [`Machine::pending_accesses`]).
    pub(super) fn pending_chan_accesses(
        &self,
        s: &State<M::Mem>,
        g: usize,
        fr: Frame,
        ins: Instr,
        out: &mut Vec<Record>,
    ) {
        self.chan_access_slots(s, g, ins, None, true, &mut |slot, write, case| {
            out.push(Record::at(g, &fr, slot, write, case))
        });
    }

    /// Record the channel accesses `g` makes by the step being made from
    /// `s` (taking select case `taken`, if any), before the step's sync
    /// edges, as Go's race detector does; its races go to the successor.
    fn chan_accesses(
        &self,
        mk: &mut Making<'_, M::Mem>,
        s: &State<M::Mem>,
        g: usize,
        taken: Option<usize>,
    ) {
        if !self.track_hb {
            return;
        }
        let Some((_, ins)) = self.instr(s, g) else {
            return;
        };
        let mut slots: smallvec::SmallVec<[(u32, bool, u8); 2]> = smallvec::SmallVec::new();
        self.chan_access_slots(s, g, ins, taken, false, &mut |slot, write, case| {
            slots.push((slot, write, case))
        });
        for x in slots {
            let (st, strings) = mk.parts();
            let races = self.access_at(st, g, x, strings);
            mk.succ().races.extend(races);
        }
    }
}
