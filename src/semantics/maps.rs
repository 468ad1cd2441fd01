//! Maps: every operation is a step on the map's block of the sync table
//! (`ir/maps.rs`: its length, its write mark, its pairs sorted by key).
//! The contents are sequentially consistent under every memory model, as
//! atomics are; the accesses are recorded for race detection under the
//! map's name. A write is two steps, as in Go's runtime (`mapassign`,
//! `mapdelete`): the first marks the map as being written, the second
//! stores and unmarks. A write that finds the mark is the fatal error
//! `concurrent map writes`; a read, `len` aside, that finds it is
//! `concurrent map read and map write` (`concurrent map iteration and map
//! write` for `range`), which is what Go's runtime checks and reports
//! (docs/DESIGN.md, *Maps*).

use super::{Machine, Operands, Out};
use crate::ir::{Instr, MAP_CAP, Ty};
use crate::memory::{MemoryModel, SyncEvent};
use crate::state::hb::Record;
use crate::state::{EndKind, Interner, State};
use std::cmp::Ordering;

const NIL_WRITE: &str = "assignment to entry in nil map";
const WRITES: &str = "fatal error: concurrent map writes";
const READ_WRITE: &str = "fatal error: concurrent map read and map write";
const ITER_WRITE: &str = "fatal error: concurrent map iteration and map write";

/// Key order: numbers as their type orders them, strings by their text.
fn cmp_keys(t: Ty, a: i64, b: i64, strings: &Interner) -> Ordering {
    match t {
        Ty::Str => strings.get(a as u32).cmp(strings.get(b as u32)),
        Ty::Uint | Ty::Uint64 => (a as u64).cmp(&(b as u64)),
        _ => a.cmp(&b),
    }
}

/// The place of `key` among the `n` sorted pairs of a map's block
/// (`Ok`: there; `Err`: where it would go).
fn find(block: &[i64], t: Ty, key: i64, strings: &Interner) -> Result<usize, usize> {
    let n = block[0] as usize;
    (0..n)
        .try_fold(0, |_, i| {
            match cmp_keys(t, block[2 + 2 * i], key, strings) {
                Ordering::Less => Ok(i + 1),
                Ordering::Equal => Err(Ok(i)),
                Ordering::Greater => Err(Err(i)),
            }
        })
        .map_or_else(|r| r, Err)
}

/// A map's operands: which map (its number, `None` for nil) and how many
/// operands lie above it.
fn map_operand(ins: Instr) -> usize {
    match ins {
        Instr::MapLen | Instr::MapShow => 0,
        Instr::MapGet { .. } => 1,
        Instr::MapWrite { delete } | Instr::MapStore { delete } => 2 - delete as usize,
        Instr::MapNext => 2,
        _ => unreachable!("not a map instruction"),
    }
}

impl<M: MemoryModel> Machine<'_, M> {
    /// The map access goroutine `g`'s next step makes, if it makes one (a
    /// write is recorded at its first step, where Go's race detector sees
    /// it).
    pub(super) fn pending_map_access(
        &self,
        s: &State<M::Mem>,
        g: usize,
        ins: Instr,
    ) -> Option<Record> {
        let write = match ins {
            Instr::MapGet { .. } | Instr::MapLen | Instr::MapNext | Instr::MapShow => false,
            Instr::MapWrite { .. } => true,
            _ => return None,
        };
        let fr = *s.gors[g].frames.last()?;
        let m = Operands::of(s, g).nth(map_operand(ins))?;
        (m > 0).then(|| Record::at(g, &fr, self.prog.map_slot(m as usize - 1), write, 0))
    }

    /// Where a map's block starts in the sync table.
    fn block_at(&self, m: i64) -> usize {
        self.prog.map_base(m as usize - 1)
    }

    /// A key or value as `fmt` prints it (a string's text).
    fn map_show(t: Ty, v: i64, strings: &Interner) -> String {
        match t {
            Ty::Str => format!("{:?}", strings.get(v as u32)),
            t => t.show(v),
        }
    }

    /// A map instruction's step.
    pub(super) fn map_step(&self, s: &State<M::Mem>, g: usize, ins: Instr, out: &mut Out<M::Mem>) {
        let ops = Operands::of(s, g);
        let above = map_operand(ins);
        let m = ops.nth(above).unwrap_or(0);
        let name = match m {
            0 => "nil map".to_string(),
            m => self.prog.maps[m as usize - 1].name.clone(),
        };
        let writing = m != 0 && s.sync[self.block_at(m) + 1] != 0;
        let access = self.pending_map_access(s, g, ins);
        let fatal = match ins {
            Instr::MapWrite { .. } if writing => Some(WRITES),
            Instr::MapGet { .. } if writing => Some(READ_WRITE),
            Instr::MapNext | Instr::MapShow if writing => Some(ITER_WRITE),
            Instr::MapWrite { delete: false } if m == 0 => Some(NIL_WRITE),
            _ => None,
        };
        if let Some(msg) = fatal {
            let mut mk = Self::start(s, out);
            let (st, strings) = mk.parts();
            let races = match access {
                Some(r) => self.access(st, g, r.slot, r.write, strings),
                None => Vec::new(),
            };
            self.fault(st, g, EndKind::Panic, msg, false, strings);
            mk.succ().races = races;
            let what = match ins {
                Instr::MapGet { .. } => "read",
                Instr::MapNext | Instr::MapShow => "range over",
                _ => "write",
            };
            return self.push(mk, g, || format!("{what} {name}"));
        }
        if let (Instr::MapWrite { delete: false }, false) = (ins, writing) {
            // a new key in a full map: beyond what grace keeps
            let b = self.block_at(m);
            let key = ops.nth(1).unwrap_or(0);
            let t = self.prog.maps[m as usize - 1].ty.key();
            if s.sync[b] as usize == MAP_CAP && find(&s.sync[b..], t, key, out.strings).is_err() {
                self.cut(&self.map_limit, self.loc(s, g));
                return;
            }
        }
        let mut mk = Self::start(s, out);
        let describe = mk.describe;
        // the map is not in the store buffer: under tso, a map write must
        // not overtake the goroutine's buffered writes (DESIGN.md, *Maps*)
        self.edge(mk.state(), SyncEvent::Fence { g });
        let (st, strings) = mk.parts();
        let races = match access {
            Some(r) => self.access(st, g, r.slot, r.write, strings),
            None => Vec::new(),
        };
        let ty = (m != 0).then(|| self.prog.maps[m as usize - 1].ty);
        let b = if m != 0 { self.block_at(m) } else { 0 };
        let kt = ty.map_or(Ty::Int, |t| t.key());
        let vt = ty.map_or(Ty::Int, |t| t.val());
        let say = |f: &dyn Fn() -> String| if describe { f() } else { String::new() };
        let desc = match ins {
            Instr::MapLen => {
                let n = if m == 0 { 0 } else { st.sync[b] };
                Self::pop_n(st, g, 1);
                st.gor_mut(g).data.push(n);
                say(&|| format!("len({name}) = {n}"))
            }
            Instr::MapGet { ok } => {
                let key = ops.nth(0).unwrap_or(0);
                let found = match ty {
                    Some(t) => find(&st.sync[b..], t.key(), key, strings).ok(),
                    None => None,
                };
                let v = found.map_or(0, |i| st.sync[b + 3 + 2 * i]);
                Self::pop_n(st, g, 2);
                let d = &mut st.gor_mut(g).data;
                d.push(v);
                if ok {
                    d.push(found.is_some() as i64);
                }
                let k = || match m {
                    0 => "…".to_string(),
                    _ => Self::map_show(kt, key, strings),
                };
                match found {
                    Some(_) => say(&|| {
                        format!("read {name}[{}] = {}", k(), Self::map_show(vt, v, strings))
                    }),
                    None => say(&|| format!("read {name}[{}]: absent", k())),
                }
            }
            Instr::MapWrite { delete } => {
                if m != 0 {
                    st.sync[b + 1] = 1;
                }
                let key = ops.nth(1 - delete as usize).unwrap_or(0);
                let k = || match m {
                    0 => "…".to_string(),
                    _ => Self::map_show(kt, key, strings),
                };
                match delete {
                    true => say(&|| format!("delete({name}, {}) begins", k())),
                    false => say(&|| format!("write {name}[{}] begins", k())),
                }
            }
            Instr::MapStore { delete } => {
                let (key, val) = match delete {
                    true => (ops.nth(0).unwrap_or(0), 0),
                    false => (ops.nth(1).unwrap_or(0), ops.nth(0).unwrap_or(0)),
                };
                Self::pop_n(st, g, 3 - delete as usize);
                if m != 0 {
                    let block = &mut st.sync[b..];
                    block[1] = 0;
                    store(block, kt, key, (!delete).then_some(val), strings);
                }
                let k = || match m {
                    0 => "…".to_string(),
                    _ => Self::map_show(kt, key, strings),
                };
                match (m, delete) {
                    (0, _) => say(&|| format!("delete({name}, {}): nothing to delete", k())),
                    (_, true) => say(&|| format!("delete({name}, {})", k())),
                    (_, false) => say(&|| {
                        format!(
                            "write {name}[{}] = {}",
                            k(),
                            Self::map_show(vt, val, strings)
                        )
                    }),
                }
            }
            Instr::MapNext => {
                let (last, started) = (ops.nth(1).unwrap_or(0), ops.nth(0).unwrap_or(0) != 0);
                let next = ty.and_then(|t| {
                    let block = &st.sync[b..];
                    let i = match find(block, t.key(), last, strings) {
                        Ok(i) if started => i + 1,
                        Ok(i) | Err(i) => i,
                    };
                    (i < block[0] as usize).then(|| (block[2 + 2 * i], block[3 + 2 * i]))
                });
                Self::pop_n(st, g, 3);
                let (k, v) = next.unwrap_or((0, 0));
                st.gor_mut(g).data.extend([k, v, next.is_some() as i64]);
                match next {
                    Some(_) => say(&|| {
                        format!(
                            "range {name}: {}:{}",
                            Self::map_show(kt, k, strings),
                            Self::map_show(vt, v, strings)
                        )
                    }),
                    None => say(&|| format!("range {name}: no more entries")),
                }
            }
            Instr::MapShow => {
                let mut text = String::from("map[");
                if let Some(t) = ty {
                    let block = &st.sync[b..];
                    for i in 0..block[0] as usize {
                        if i > 0 {
                            text.push(' ');
                        }
                        let (k, v) = (block[2 + 2 * i], block[3 + 2 * i]);
                        let plain = |xt: Ty, x: i64| match xt {
                            Ty::Str => strings.get(x as u32).to_string(),
                            xt => xt.show(x),
                        };
                        text.push_str(&plain(t.key(), k));
                        text.push(':');
                        text.push_str(&plain(t.val(), v));
                    }
                }
                text.push(']');
                let id = strings.intern(&text) as i64;
                Self::pop_n(st, g, 1);
                st.gor_mut(g).data.push(id);
                say(&|| format!("read {name}: {text}"))
            }
            _ => unreachable!("not a map instruction"),
        };
        mk.succ().races = races;
        self.finish(mk, g, None, || desc);
    }
}

/// Store `val` at `key` (delete it when `None`) in a map's block, keeping
/// the pairs sorted and the unused ones zero. The caller has checked
/// that a new key fits.
pub(super) fn store(block: &mut [i64], t: Ty, key: i64, val: Option<i64>, strings: &Interner) {
    let n = block[0] as usize;
    match (find(block, t, key, strings), val) {
        (Ok(i), Some(v)) => block[3 + 2 * i] = v,
        (Ok(i), None) => {
            block.copy_within(4 + 2 * i..2 + 2 * n, 2 + 2 * i);
            block[2 * n] = 0;
            block[2 * n + 1] = 0;
            block[0] -= 1;
        }
        (Err(i), Some(v)) => {
            block.copy_within(2 + 2 * i..2 + 2 * n, 4 + 2 * i);
            block[2 + 2 * i] = key;
            block[3 + 2 * i] = v;
            block[0] += 1;
        }
        (Err(_), None) => {}
    }
}
