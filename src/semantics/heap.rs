//! Channels made at run time. A `make` that may run more than once (in a
//! loop, or in a function other than main) has a pool of channels at the
//! end of the program's table ([`crate::ir::HeapSite`]); `MakeChan`
//! takes the first one not in use ([`ChanState::used`]).
//!
//! After every step, [`Machine::collect`] walks what the program can still
//! reach — the buffers of the channels outside pools, then each goroutine's locals,
//! operand stacks and deferred calls' arguments, in goroutine order, then
//! the buffers of the pool channels found, breadth first — and frees each
//! pool channel it did not find: it is reset to a new channel (empty,
//! open, its happens-before carriers empty), so that garbage never tells
//! two states apart and the pool is never used up by channels nobody can
//! use. Where a value is a channel is known from types: each local's
//! ([`crate::ir::Function::local_tys`]) and each operand's at each pc
//! ([`crate::ir::refs`]).
//!
//! With the reductions on ([`Machine::canonicalize`]), the channels of
//! each pool are also renumbered in the order the walk found them, and
//! every value that refers to one is rewritten: two states that differ
//! only in which channel of a pool each `make` got are one state. This is
//! sound because nothing in a run can observe a channel's number: channels
//! are compared only for equality (a renumbering is one-to-one, so it keeps
//! equal channels equal and different ones different; `<` on channels is a
//! compile error), never printed (refused when lowered), and the number
//! only selects the channel's state, which moves with it (its buffer, flags
//! and carriers, in the memory model and in the happens-before knowledge
//! alike).

use super::Machine;
use crate::ir::Ty;
use crate::ir::refs::{INSTANCE, INSTANCE_OF, StackTypes};
use crate::memory::MemoryModel;
use crate::state::{ChanState, Gor, Interner, State};

/// Where a value that refers to a pool channel is.
#[derive(Clone, Copy, Debug)]
enum Loc {
    /// `gors[g].data[i]`
    Data(usize, usize),
    /// `gors[g].defers[i]`
    Defer(usize, usize),
    /// `chans[c].buf[i]`
    Buf(usize, usize),
}

/// The walk's result: the pool channels reached, in order, and where each
/// reference to one is.
struct Reached {
    order: Vec<u32>,
    seen: Vec<bool>,
    refs: Vec<(Loc, u32)>,
    /// A region whose types did not match its length was walked
    /// conservatively: keep everything it may refer to, renumber nothing.
    unsure: bool,
    /// A struct value holds a pool channel: it is kept, but the number
    /// inside the value is not rewritten, so nothing is renumbered.
    in_struct: bool,
    /// Per struct site (`Program::struct_sites`), the instances of its
    /// pool reached (bit `j` for its `first + j`).
    structs: Vec<u64>,

    /// An instance number ([`crate::ir::refs::INSTANCE`]) is on a stack:
    /// a struct is in use that no pointer may show, so none is freed.
    instance_held: bool,
}

impl<M: MemoryModel> Machine<'_, M> {
    /// `make` at `site`: mark the first channel of its pool not in use and
    /// return it as a value (its number + 1); `None` when all are in use.
    pub(super) fn make_chan(&self, chans: &mut [ChanState], site: u32) -> Option<i64> {
        let s = &self.prog.heap_sites[site as usize];
        let range = s.base as usize..(s.base + s.count) as usize;
        let free = range.clone().find(|&c| !chans[c].used)?;
        chans[free] = ChanState {
            used: true,
            ..ChanState::default()
        };
        Some(free as i64 + 1)
    }

    /// Is channel `c` one of a pool's?
    pub(super) fn in_pool(&self, c: u32) -> bool {
        self.pool_of(c).is_some()
    }

    /// The pool a channel belongs to, if any (its site's first channel and size).
    fn pool_of(&self, c: u32) -> Option<(u32, u32)> {
        let first = self.prog.heap_sites.first()?.base;
        if c < first {
            return None;
        }
        self.prog
            .heap_sites
            .iter()
            .find(|s| (s.base..s.base + s.count).contains(&c))
            .map(|s| (s.base, s.count))
    }

    /// Free the pool channels nothing refers to; with `renumber`, also put
    /// each pool's channels in the order of the walk. Does nothing for a
    /// program whose `make`s each run once. Returns whether it renumbered.
    #[inline(always)]
    /// With `strings` (the records of race detection), the structs of
    /// pools nothing refers to are freed too (`pools.rs`).
    pub(crate) fn collect(
        &self,
        st: &mut State<M::Mem>,
        renumber: bool,
        strings: Option<&Interner>,
    ) -> bool {
        match &self.stack_types {
            Some(types) if self.free => self.collect_in(st, renumber, types, strings),
            _ => false,
        }
    }

    #[inline(never)]
    fn collect_in(
        &self,
        st: &mut State<M::Mem>,
        renumber: bool,
        types: &StackTypes,
        strings: Option<&Interner>,
    ) -> bool {
        let r = self.reach(st, types);
        if let Some(strings) = strings
            && self.free_structs
            && !r.unsure
            && !r.instance_held
        {
            self.free_structs(st, &r.structs, strings);
        }
        let mut moves = Vec::new();
        let mut new_of: Vec<u32> = (0..st.chans.len() as u32).collect();
        for site in &self.prog.heap_sites {
            let range = site.base..site.base + site.count;
            let mut order: Vec<u32> = Vec::with_capacity(site.count as usize);
            if renumber && !r.unsure && !r.in_struct {
                order.extend(r.order.iter().filter(|c| range.contains(c)));
                order.extend(range.clone().filter(|&c| !r.seen[c as usize]));
            } else {
                order.extend(range.clone());
            }
            let cap = self.prog.chans[site.base as usize].cap as usize;
            for (new, &old) in (site.base..).zip(&order) {
                new_of[old as usize] = new;
                let alive = r.seen[old as usize];
                let freed = !alive && st.chans[old as usize].used;
                if new == old && !freed {
                    continue;
                }
                let (to, from) = (
                    self.chan_carrier[new as usize],
                    self.chan_carrier[old as usize],
                );
                for k in 0..2 + cap {
                    moves.push((to + k, alive.then_some(from + k)));
                }
            }
        }
        if moves.is_empty() {
            return false;
        }
        let old = st.chans.clone();
        let mut freed: smallvec::SmallVec<[u32; 4]> = smallvec::SmallVec::new();
        for (c, state) in old.into_vec().into_iter().enumerate() {
            let new = new_of[c] as usize;
            let free = state.used && !r.seen[c] && self.pool_of(c as u32).is_some();
            if free {
                freed.push(self.prog.chan_slot(c as u32));
            }
            st.chans[new] = if free { ChanState::default() } else { state };
        }
        self.model.move_carriers(&mut st.mem, &moves);
        if let Some(hb) = st.hb.as_deref_mut() {
            hb.move_carriers(&moves);
            // Race records name a channel by its number: a freed channel's
            // sends and close are forgotten (the channel made next in its
            // place is new), and channels are never renumbered where
            // records are kept (only symmetry renumbers, and the search
            // that tracks happens-before has none).
            assert!(
                !renumber,
                "channels renumbered under happens-before tracking"
            );
            if let (Some(strings), false) = (strings, freed.is_empty()) {
                hb.forget(|x| freed.contains(&strings.records[x as usize].slot));
            }
        }
        let renumbered = new_of.iter().enumerate().any(|(i, &n)| n != i as u32);
        if renumbered {
            rewrite(st, &r.refs, &new_of);
        }
        renumbered
    }

    /// Walk everything the program can still reach.
    fn reach(&self, st: &State<M::Mem>, types: &StackTypes) -> Reached {
        let mut r = Reached {
            order: Vec::new(),
            seen: vec![false; st.chans.len()],
            refs: Vec::new(),
            unsure: false,
            in_struct: false,
            structs: vec![0; self.prog.struct_sites.len()],

            instance_held: false,
        };
        // the channels outside pools (top-level ones, and those a `make`
        // that runs once adds, which may come after a pool in the table)
        // are never freed: their buffers are roots
        for c in 0..st.chans.len() {
            if self.pool_of(c as u32).is_none() {
                self.buffer(st, c, &mut r);
            }
        }
        for (g, gor) in st.gors.iter().enumerate() {
            self.goroutine(g, gor, types, &mut r);
        }
        let mut i = 0;
        while i < r.order.len() {
            let c = r.order[i] as usize;
            self.buffer(st, c, &mut r);
            i += 1;
        }
        r
    }

    /// A value of channel type at `loc`.
    fn value(&self, v: i64, loc: Loc, r: &mut Reached) {
        if v <= 0 || v as usize > r.seen.len() {
            return;
        }
        let c = v as u32 - 1;
        if self.pool_of(c).is_none() {
            return;
        }
        r.refs.push((loc, c));
        if !r.seen[c as usize] {
            r.seen[c as usize] = true;
            r.order.push(c);
        }
    }

    /// A value of type `t` at `loc`: a channel, or a struct value with
    /// channel fields (its channels are reached, and pinned).
    #[inline]
    fn typed(&self, t: Ty, v: i64, loc: Loc, r: &mut Reached) {
        match t {
            Ty::Chan(_) => self.value(v, loc, r),
            Ty::Struct(k) if v != 0 => self.struct_value(k, v, r),
            Ty::StructPtr(k) if k & INSTANCE_OF != 0 && v >= 0 => {
                self.instance(k & !INSTANCE_OF, v as u32, r)
            }
            Ty::StructPtr(k) if v > 0 => self.instance(k, v as u32 - 1, r),
            INSTANCE => r.instance_held = true,
            _ => {}
        }
    }

    /// A pointer to instance `inst` of struct type `ty`, or the
    /// instance's number (a field access under way): if it is a pool's,
    /// the instance is reached.
    fn instance(&self, ty: u16, inst: u32, r: &mut Reached) {
        let sites = self.prog.struct_sites.iter().enumerate();
        for (i, site) in sites.filter(|(_, s)| s.ty == ty) {
            if (site.first..site.first + site.count).contains(&inst) {
                r.structs[i] |= 1 << (inst - site.first);
            }
        }
    }

    #[inline(never)]
    fn struct_value(&self, k: u16, v: i64, r: &mut Reached) {
        let table = self.structs.borrow();
        for (i, (_, t)) in self.prog.struct_fields[k as usize].iter().enumerate() {
            let (Ty::Chan(_) | Ty::Struct(_)) = t else {
                continue;
            };
            let f = table.field(v, i);
            if let Ty::Struct(k) = t {
                if f != 0 {
                    self.struct_value(*k, f, r);
                }
                continue;
            }
            if f <= 0 || f as usize > r.seen.len() || self.pool_of(f as u32 - 1).is_none() {
                continue;
            }
            let c = f as u32 - 1;
            r.in_struct = true;
            if !r.seen[c as usize] {
                r.seen[c as usize] = true;
                r.order.push(c);
            }
        }
    }

    fn buffer(&self, st: &State<M::Mem>, c: usize, r: &mut Reached) {
        let t = self.prog.chans[c].elem;
        if !matches!(t, Ty::Chan(_) | Ty::Struct(_) | Ty::StructPtr(_)) {
            return;
        }
        for (i, &v) in st.chans[c].buf.iter().enumerate() {
            self.typed(t, v, Loc::Buf(c, i), r);
        }
    }

    /// A goroutine's frames (locals, then operands) and deferred calls.
    fn goroutine(&self, g: usize, gor: &Gor, types: &StackTypes, r: &mut Reached) {
        if super::defer::dying(gor) {
            // it never reads its values again
            return;
        }
        let nframes = gor.frames.len();
        for (k, fr) in gor.frames.iter().enumerate() {
            let f = &self.prog.funcs[fr.func as usize];
            let base = fr.base as usize;
            let end = gor
                .frames
                .get(k + 1)
                .map_or(gor.data.len(), |n| n.base as usize);
            let nl = (f.nlocals as usize).min(end.saturating_sub(base));
            for (i, t) in f.local_tys.iter().enumerate().take(nl) {
                self.typed(*t, gor.data[base + i], Loc::Data(g, base + i), r);
            }
            let stack = base + nl..end;
            if stack.is_empty() || super::defer::unwinding_frame(gor, k) {
                continue;
            }
            match self.frame_stack(types, fr.func, fr.pc, k + 1 == nframes) {
                Some(tys) if tys.len() == stack.len() => {
                    for (t, i) in tys.iter().zip(stack) {
                        self.typed(*t, gor.data[i], Loc::Data(g, i), r);
                    }
                }
                _ => {
                    // the unit tests walk every corpus program with a pool
                    if cfg!(test) {
                        unreachable!("untyped operand stack in {} at {}", f.name, fr.pc);
                    }
                    r.unsure = true;
                    for i in stack {
                        self.value(gor.data[i], Loc::Data(g, i), r);
                    }
                }
            }
        }
        let mut end = gor.defers.len();
        while end >= 2 {
            let func = &self.prog.funcs[gor.defers[end - 2] as usize];
            let n = func.nparams as usize;
            let at = end - 2 - n;
            for (i, t) in func.param_tys.iter().enumerate().take(n) {
                self.typed(*t, gor.defers[at + i], Loc::Defer(g, at + i), r);
            }
            end = at;
        }
    }

    /// The types of a frame's operand stack where it rests: before its
    /// instruction for the running frame and for a frame at a return
    /// (which runs a deferred call above it); for a caller, as before its
    /// call, less the arguments the call took.
    fn frame_stack<'t>(
        &self,
        types: &'t StackTypes,
        func: u16,
        pc: u32,
        top: bool,
    ) -> Option<std::borrow::Cow<'t, [Ty]>> {
        use crate::ir::Instr;
        let f = &self.prog.funcs[func as usize];
        let before = |p: u32| types[func as usize].get(p as usize)?.as_deref();
        let here = f.code.get(pc as usize)?;
        if top || matches!(here, Instr::Return { .. } | Instr::ReturnResults { .. }) {
            return before(pc).map(std::borrow::Cow::Borrowed);
        }
        let call = pc.checked_sub(1)?;
        let Instr::Call { argc, .. } = f.code[call as usize] else {
            return None;
        };
        let s = before(call)?;
        Some(std::borrow::Cow::Borrowed(
            &s[..s.len().checked_sub(argc as usize)?],
        ))
    }
}

/// Rewrite every reference the walk found to the channel's new number.
fn rewrite<Mm>(st: &mut State<Mm>, refs: &[(Loc, u32)], new_of: &[u32]) {
    for &(loc, c) in refs {
        let v = new_of[c as usize] as i64 + 1;
        let loc = match loc {
            // the channel's state has moved to its new place
            Loc::Buf(ch, i) => Loc::Buf(new_of[ch] as usize, i),
            loc => loc,
        };
        put(st, loc, v);
    }
}

/// Set the value at `loc` to `v` (copying a shared goroutine only if it
/// changes).
fn put<Mm>(st: &mut State<Mm>, loc: Loc, v: i64) {
    match loc {
        Loc::Data(g, i) => {
            if st.gors[g].data[i] != v {
                st.gor_mut(g).data[i] = v;
            }
        }
        Loc::Defer(g, i) => {
            if st.gors[g].defers[i] != v {
                st.gor_mut(g).defers[i] = v;
            }
        }
        Loc::Buf(ch, i) => st.chans[ch].buf[i] = v,
    }
}

#[cfg(test)]
mod tests {
    use crate::memory::{MemoryModel, go::Go, sc::Sc, tso::Tso};
    use crate::search::{SearchLimits, explore};
    use crate::semantics::{Machine, Mode};
    use crate::state::Interner;
    use std::collections::BTreeSet;

    /// How each run of `prog` ends (kind, output, final values), with
    /// channels freed or not.
    fn ends<M: MemoryModel>(
        prog: &crate::ir::Program,
        model: &M,
        free: bool,
    ) -> Option<BTreeSet<String>> {
        let mut m = Machine::new(prog, model, false);
        m.free = free;
        let limits = SearchLimits {
            max_states: Some(200_000),
            max_depth: None,
            cancel: Default::default(),
            progress: None,
            finish_runs: false,
        };
        let mut strings = Interner::default();
        let x = explore(&m, Mode::Full, limits, &mut strings);
        if x.stopped.is_some() {
            return None;
        }
        Some(
            x.terminals
                .iter()
                .map(|(i, _)| {
                    let s = x.states.get(*i);
                    // a pool's structs are not among an outcome's values:
                    // freed ones are zero, kept ones hold their last values
                    let finals: Vec<i64> = model
                        .finals(&s.mem)
                        .into_iter()
                        .enumerate()
                        .filter(|(x, _)| !pooled(prog, *x))
                        .map(|(_, v)| v)
                        .collect();
                    format!(
                        "{:?} {:?} {:?}",
                        s.end.map(|e| (e.kind, strings.get(e.msg).to_string())),
                        strings.get(s.output),
                        finals
                    )
                })
                .collect(),
        )
    }

    /// Is plain slot `x` a field of a pool's struct?
    fn pooled(prog: &crate::ir::Program, x: usize) -> bool {
        let x = x as u32;
        prog.pooled
            .iter()
            .any(|p| (p.first..p.first + p.count).contains(&x))
    }

    /// Freeing the channels and structs nothing reaches changes no run's end: every
    /// corpus program with a pool, and programs that keep pool channels
    /// in other channels' buffers (one made by main after the pools in
    /// the table, which a walk from the top-level channels alone missed),
    /// under every model. Without freeing, a program whose pool runs out
    /// is skipped.
    #[test]
    fn freeing_loses_nothing() {
        let mut srcs = crate::corpus(&["programs/go", "programs"], &["go", "gr"]);
        srcs.push((
            "kept in main's channel".into(),
            "func mk(out chan chan int) { c := make(chan int, 1); c <- 1; out <- c }\n\
             func main() { out := make(chan chan int, 1); mk(out); c := <-out; println(<-c) }\n"
                .into(),
        ));
        srcs.push((
            "handed through a channel of channels".into(),
            "var reqs = make(chan chan int, 2)\n\
             func a(keep chan chan int) { r := make(chan int, 1); r <- 3; keep <- r; r = nil; reqs <- <-keep }\n\
             func main() { keep := make(chan chan int, 1); go a(keep); go a(keep); x := <-reqs; y := <-reqs; println(<-x + <-y) }\n"
                .into(),
        ));
        let mut checked = 0;
        for (name, text) in &srcs {
            let s = crate::Source::new(name.as_str(), text.as_str());
            let Ok(prog) = crate::compile(&s) else {
                panic!("{name} does not compile")
            };
            if prog.heap_sites.is_empty() && prog.struct_sites.is_empty() {
                continue;
            }
            let same = |a: Option<BTreeSet<String>>, b: Option<BTreeSet<String>>| {
                if let (Some(a), Some(b)) = (a, b) {
                    assert_eq!(a, b, "{name}");
                    return 1;
                }
                0
            };
            checked += same(ends(&prog, &Sc, true), ends(&prog, &Sc, false));
            checked += same(ends(&prog, &Tso, true), ends(&prog, &Tso, false));
            checked += same(ends(&prog, &Go, true), ends(&prog, &Go, false));
        }
        assert!(checked >= 3, "too few programs compared ({checked})");
    }
}
