//! The `sync` package: `Mutex` and `RWMutex` (lock, unlock, their read
//! forms), `WaitGroup` (`Add`/`Done`, `Wait`), `Once` (`Do`), `Cond`
//! (`Wait`, `Signal`, `Broadcast`) and `sync/atomic` values. A
//! sync object's state is one word of [`State::sync`]; each operation
//! fences the goroutine's store buffer and sends its happens-before edges
//! through [`Machine::edge`].

use super::{Machine, Operands, Out, popped};
use crate::ir::{AtomicOp, Instr, Ref, SyncKind, Ty};
use crate::memory::{MemoryModel, SyncEvent};
use crate::state::State;

/// What a lock-family instruction does to its object's word: the new
/// value (`None`: blocked), the operation's name, the fatal error it ends
/// in, if any, and whether the goroutine stays at its instruction (a
/// writer that announced itself and waits for the readers).
struct LockMove {
    new: Option<i64>,
    what: &'static str,
    err: Option<&'static str>,
    stay: bool,
}

/// The lock-family instruction `ins` of goroutine number `me` + 1 (as
/// stored in a Mutex) on a word holding `cur`.
///
/// A Mutex holds its owner's number + 1, a WaitGroup its counter; an
/// RWMutex holds -1 (writer) or `readers | (pending writer + 1) << 32`: a
/// writer waiting in Lock keeps new readers out, as in Go.
fn lock_move(ins: Instr, cur: i64, rw: bool, me: i64) -> LockMove {
    let readers = cur & 0xFFFF_FFFF;
    let pending = if cur >= 0 { cur >> 32 } else { 0 };
    let go = |new: Option<i64>, what| LockMove {
        new,
        what,
        err: None,
        stay: false,
    };
    let fail = |what, err| LockMove {
        new: None,
        what,
        err: Some(err),
        stay: false,
    };
    match ins {
        Instr::Lock(_) if rw => {
            if cur >= 0 && readers == 0 && (pending == 0 || pending == me) {
                go(Some(-1), "Lock")
            } else if cur > 0 && pending == 0 {
                LockMove {
                    stay: true,
                    ..go(Some(readers | (me << 32)), "Lock")
                }
            } else {
                go(None, "Lock")
            }
        }
        Instr::Lock(_) => go(if cur == 0 { Some(me) } else { None }, "Lock"),
        Instr::Unlock(_) => {
            if (rw && cur == -1) || (!rw && cur > 0) {
                go(Some(0), "Unlock")
            } else if rw {
                fail("Unlock", "fatal error: sync: Unlock of unlocked RWMutex")
            } else {
                fail("Unlock", "fatal error: sync: unlock of unlocked mutex")
            }
        }
        Instr::RLock(_) => go(
            if cur >= 0 && pending == 0 {
                Some(cur + 1)
            } else {
                None
            },
            "RLock",
        ),
        Instr::RUnlock(_) => {
            if cur >= 0 && readers > 0 {
                go(Some(cur - 1), "RUnlock")
            } else {
                fail("RUnlock", "fatal error: sync: RUnlock of unlocked RWMutex")
            }
        }
        _ => go(if cur == 0 { Some(0) } else { None }, "Wait"),
    }
}

impl<M: MemoryModel> Machine<'_, M> {
    /// The name of sync object `o`.
    fn sync_name(&self, o: u32) -> String {
        self.prog.sync_names[o as usize].clone()
    }

    /// `Lock`, `Unlock`, `RLock`, `RUnlock` and `Wait` (`ins`, on `r`).
    pub(super) fn lock_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        ins: Instr,
        r: Ref,
        out: &mut Out<M::Mem>,
    ) {
        let o = match Operands::of(s, g).resolve(r, 0) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "lock".into(), &m, out),
        };
        let rw = self.prog.sync_kinds[o as usize] == SyncKind::RWMutex;
        let LockMove {
            new,
            what,
            err,
            stay,
        } = lock_move(ins, s.sync[o as usize], rw, g as i64 + 1);
        if let Some(e) = err {
            return self.fault_step(s, g, format!("{what} {}", self.sync_name(o)), e, out);
        }
        let Some(new) = new else {
            return;
        };
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        let (main_c, readers_c) = (o as usize, self.prog.sync_kinds.len() + o as usize);
        let rel = |carrier| SyncEvent::Release { g, carrier };
        let acq = |carrier| SyncEvent::Acquire { g, carrier };
        match ins {
            Instr::Lock(_) if !stay => {
                self.edge(st, acq(main_c));
                self.edge(st, acq(readers_c));
            }
            Instr::Unlock(_) => self.edge(st, rel(main_c)),
            Instr::RLock(_) | Instr::WgWait(_) => self.edge(st, acq(main_c)),
            Instr::RUnlock(_) => self.edge(st, rel(readers_c)),
            _ => {}
        }
        st.sync[o as usize] = new;
        if stay {
            // announced; the goroutine stays at its Lock
            let d = || format!("Lock {} (waits for its readers)", self.sync_name(o));
            self.push(mk, g, d);
        } else {
            Self::pop_n(st, g, popped(r, 0));
            self.finish(mk, g, None, || {
                if what == "Wait" {
                    format!("{}.Wait()", self.sync_name(o))
                } else {
                    format!("{what} {}", self.sync_name(o))
                }
            });
        }
    }

    /// `Add(delta)` and `Done()` of a wait group.
    pub(super) fn wg_add_step(&self, s: &State<M::Mem>, g: usize, r: Ref, out: &mut Out<M::Mem>) {
        let ops = Operands::of(s, g);
        let delta = ops.nth(0).unwrap();
        let o = match ops.resolve(r, 1) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "Add".into(), &m, out),
        };
        let what = move || {
            if delta == -1 {
                format!("{}.Done()", self.sync_name(o))
            } else {
                format!("{}.Add({delta})", self.sync_name(o))
            }
        };
        let new = s.sync[o as usize].wrapping_add(delta);
        if new < 0 {
            return self.fault_step(s, g, what(), "sync: negative WaitGroup counter", out);
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        self.edge(
            st,
            SyncEvent::Release {
                g,
                carrier: o as usize,
            },
        );
        Self::pop_n(st, g, popped(r, 1));
        st.sync[o as usize] = new;
        self.finish(mk, g, None, what);
    }

    /// The two steps of `once.Do(f)` (`ins`, on `r`): `OnceDo` claims the
    /// Once (0 → 1, push true: this goroutine calls `f`), or finds it done
    /// (2, push false), or blocks while another goroutine's `f` runs (1);
    /// `OnceDone`, made when `f` returns or panics (a deferred call of the
    /// wrapper the lowering makes), marks it done (2). The completion of
    /// `f` happens before every `Do` that returns after it: `OnceDone`
    /// releases the Once's carrier and `OnceDo` acquires it.
    pub(super) fn once_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        ins: Instr,
        r: Ref,
        out: &mut Out<M::Mem>,
    ) {
        let o = match Operands::of(s, g).resolve(r, 0) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "Do".into(), &m, out),
        };
        let cur = s.sync[o as usize];
        let done = matches!(ins, Instr::OnceDone(_));
        if !done && cur == 1 {
            return; // f runs: Do waits for it to return
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        let carrier = o as usize;
        Self::pop_n(st, g, popped(r, 0));
        if done {
            self.edge(st, SyncEvent::Release { g, carrier });
            st.sync[o as usize] = 2;
        } else {
            self.edge(st, SyncEvent::Acquire { g, carrier });
            if cur == 0 {
                st.sync[o as usize] = 1;
            }
            st.gor_mut(g).data.push((cur == 0) as i64);
        }
        // the wrapper (and its deferred OnceDone) is named after f
        let f = &self.prog.funcs[s.gors[g].frames.last().unwrap().func as usize].name;
        let panicking = s.gors[g].panicking != 0;
        // the verb first: a witness column shows a step's first words
        self.finish(mk, g, None, || {
            let once = self.sync_name(o);
            match (done, cur) {
                (true, _) if panicking => format!("Do: {f} panicked ({once} done)"),
                (true, _) => format!("Do: {f} returned ({once} done)"),
                (false, 0) => format!("Do calls {f} ({once})"),
                _ => format!("Do: {f} done already ({once})"),
            }
        });
    }

    /// The first step of `cond.Wait()`: unlock the Cond's mutex `mu` as
    /// `Unlock` does (releasing it) and join the Cond's waiters, as one
    /// step: a `Signal` between the two would find the goroutine waiting
    /// either way, and the unlock touches nothing a `Signal` does.
    pub(super) fn cond_wait_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        cond: u32,
        mu: u32,
        out: &mut Out<M::Mem>,
    ) {
        let name = self.sync_name(cond);
        if s.sync[mu as usize] <= 0 {
            let e = "fatal error: sync: unlock of unlocked mutex";
            return self.fault_step(s, g, format!("{name}.Wait()"), e, out);
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        self.edge(
            st,
            SyncEvent::Release {
                g,
                carrier: mu as usize,
            },
        );
        st.sync[mu as usize] = 0;
        st.sync[cond as usize] |= 1 << g;
        let mname = self.sync_name(mu);
        self.finish(mk, g, None, || format!("{name}.Wait() unlocks {mname}"));
    }

    /// The end of `cond.Wait()`: once a `Signal` or `Broadcast` took the
    /// goroutine off the waiters, lock `mu` as `Lock` does.
    pub(super) fn cond_lock_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        cond: u32,
        mu: u32,
        out: &mut Out<M::Mem>,
    ) {
        if (s.sync[cond as usize] as u64) >> g & 1 == 1 || s.sync[mu as usize] != 0 {
            return;
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        let readers = self.prog.sync_kinds.len() + mu as usize;
        for carrier in [mu as usize, readers] {
            self.edge(st, SyncEvent::Acquire { g, carrier });
        }
        st.sync[mu as usize] = g as i64 + 1;
        let (name, mname) = (self.sync_name(cond), self.sync_name(mu));
        self.finish(mk, g, None, || {
            format!("{name}.Wait() returns: Lock {mname}")
        });
    }

    /// `cond.Signal()` (`all` false: one successor per waiter it may wake;
    /// Go promises no order) or `cond.Broadcast()`. No waiter: a step that
    /// changes nothing. Neither orders memory by itself (Go's memory model
    /// gives Cond no edge of its own): the waiter's relock does.
    pub(super) fn cond_notify_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        cond: u32,
        all: bool,
        out: &mut Out<M::Mem>,
    ) {
        let waiters = s.sync[cond as usize] as u64;
        let name = self.sync_name(cond);
        let call = if all { "Broadcast" } else { "Signal" };
        let wake: Vec<u64> = if all || waiters == 0 {
            vec![waiters]
        } else {
            (0..64)
                .filter(|h| waiters >> h & 1 == 1)
                .map(|h| 1 << h)
                .collect()
        };
        for w in wake {
            let mut mk = Self::start(s, out);
            let st = mk.state();
            self.edge(st, SyncEvent::Fence { g });
            st.sync[cond as usize] = (waiters & !w) as i64;
            self.finish(mk, g, None, || {
                let woken: Vec<String> = (0..64)
                    .filter(|h| w >> h & 1 == 1)
                    .map(|h| crate::state::gor_name(self.prog, s, h as usize))
                    .collect();
                match woken.is_empty() {
                    true => format!("{name}.{call}() (no waiter)"),
                    false => format!("{name}.{call}() wakes {}", woken.join(", ")),
                }
            });
        }
    }

    /// An operation `op` of `sync/atomic` on `r`.
    pub(super) fn atomic_step(
        &self,
        s: &State<M::Mem>,
        g: usize,
        op: AtomicOp,
        r: Ref,
        out: &mut Out<M::Mem>,
    ) {
        let nargs = match op {
            AtomicOp::Load => 0,
            AtomicOp::Cas => 2,
            _ => 1,
        };
        let ops = Operands::of(s, g);
        let o = match ops.resolve(r, nargs) {
            Ok(x) => x,
            Err(m) => return self.fault_step(s, g, "atomic".into(), &m, out),
        };
        let ty = self.prog.sync_kinds[o as usize]
            .value_ty()
            .unwrap_or(Ty::Int);
        let sname = self.sync_name(o);
        let cur = s.sync[o as usize];
        let mut mk = Self::start(s, out);
        let st = mk.state();
        self.edge(st, SyncEvent::Fence { g });
        let top = ops.nth(0);
        // the new value, the result, the arguments and the result as shown
        let (new, result, args, shown) = match op {
            AtomicOp::Load => (cur, Some(cur), vec![], Some(ty.show(cur))),
            AtomicOp::Store => {
                let v = top.unwrap();
                (v, None, vec![ty.show(v)], None)
            }
            AtomicOp::Add => {
                let v = ty.wrap(cur.wrapping_add(top.unwrap()));
                (v, Some(v), vec![ty.show(top.unwrap())], Some(ty.show(v)))
            }
            AtomicOp::Swap => {
                let v = top.unwrap();
                (v, Some(cur), vec![ty.show(v)], Some(ty.show(cur)))
            }
            AtomicOp::Cas => {
                let (old, new) = (ops.nth(1).unwrap(), top.unwrap());
                let okk = cur == old;
                (
                    if okk { new } else { cur },
                    Some(okk as i64),
                    vec![ty.show(old), ty.show(new)],
                    Some(okk.to_string()),
                )
            }
        };
        let kind = self.prog.sync_kinds[o as usize];
        let text = atomic_text(kind, op, &sname, args, shown);
        Self::pop_n(st, g, popped(r, nargs));
        // Atomics synchronise: a read acquires what the last write released.
        let failed_cas = op == AtomicOp::Cas && result == Some(0);
        let writes = op != AtomicOp::Load && !failed_cas;
        let carrier = o as usize;
        if op != AtomicOp::Store {
            self.edge(st, SyncEvent::Acquire { g, carrier });
        }
        if writes {
            self.edge(st, SyncEvent::Release { g, carrier });
        }
        st.sync[o as usize] = new;
        if let Some(v) = result {
            st.gor_mut(g).data.push(v);
        }
        self.finish(mk, g, None, || text);
    }
}

/// How an atomic step reads in a witness: as the code wrote it, a method
/// (`hits.Add(1) = 2`) or a function of sync/atomic
/// (`atomic.AddInt64(&n, 1) = 2`).
fn atomic_text(
    kind: SyncKind,
    op: AtomicOp,
    name: &str,
    args: Vec<String>,
    shown: Option<String>,
) -> String {
    let opname = match op {
        AtomicOp::Load => "Load",
        AtomicOp::Store => "Store",
        AtomicOp::Add => "Add",
        AtomicOp::Swap => "Swap",
        AtomicOp::Cas => "CompareAndSwap",
    };
    let call = match kind {
        SyncKind::AtomicVar(t) => {
            let mut all = vec![format!("&{name}")];
            all.extend(args);
            format!("atomic.{opname}{}({})", t.atomic_suffix(), all.join(", "))
        }
        _ => format!("{name}.{opname}({})", args.join(", ")),
    };
    match shown {
        Some(r) => format!("{call} = {r}"),
        None => call,
    }
}
