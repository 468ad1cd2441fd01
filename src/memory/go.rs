//! The Go memory model as it behaves on coherent hardware (LANGUAGE.md §5):
//! each variable keeps its writes in order (coherence); each goroutine keeps,
//! per variable, the newest write it has seen or is synchronised with (its
//! view); a plain read may return any write at or after the reader's view
//! and moves the view there; a write is appended and moves the writer's view
//! to it. Happens-before edges carry views: the `go` statement, channel
//! operations, mutexes, wait groups and atomics (through the carriers the
//! explorer names in [`SyncEvent`]s). Writes below every live goroutine's
//! view can never be read again: they are forgotten and the rest renumbered,
//! so equal situations hash equal and loops stay finite.

use super::{Future, Internal, MemoryModel, ReadChoice, ReadChoices, ReadNote, SyncEvent};
use crate::ir::Program;

/// The `go` model.
#[derive(Clone, Copy, Debug, Default)]
pub struct Go;

/// A variable's writes that may still be read (a few: inline).
pub type Hist = smallvec::SmallVec<[i64; 4]>;

/// A view: per variable, an index in its history (a few variables: inline).
pub type View = smallvec::SmallVec<[u32; 4]>;

/// Write histories and views. The inner lists are inline for small
/// programs, so copying the memory for a successor allocates three lists,
/// not one per variable, goroutine and carrier (encoded as before).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct GoMem {
    /// Per variable: the writes that may still be read, oldest first.
    pub hist: Vec<Hist>,
    /// Per goroutine, per variable: index of its view in `hist`.
    pub views: Vec<View>,
    /// Per carrier, per variable: the view it carries.
    pub carriers: Vec<View>,
}

/// By copying slices: the derived clone of a small vector pushes element
/// by element, and a successor copies the memory once per step.
impl Clone for GoMem {
    fn clone(&self) -> Self {
        let views = |vs: &[View]| vs.iter().map(|v| View::from_slice(v)).collect();
        GoMem {
            hist: self.hist.iter().map(|h| Hist::from_slice(h)).collect(),
            views: views(&self.views),
            carriers: views(&self.carriers),
        }
    }
}

crate::codec_fields!(GoMem {
    hist,
    views,
    carriers
});

fn join(into: &mut [u32], from: &[u32]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a = (*a).max(*b);
    }
}

/// Forget the writes no live goroutine that may still read a variable can
/// read (below all their views), and renumber. Only a goroutine that may
/// still read the variable (itself or through a goroutine it starts) keeps
/// its older writes. A view only ever raises others' (joins take the
/// newer), so the views of the others, raised to the oldest write kept,
/// pass on nothing a reader does not already see.
#[inline(always)]
fn forget_unreadable(m: &mut GoMem, live: &[bool], may_read: &dyn Fn(usize, u32) -> bool) {
    let live = |g: usize| live.get(g).copied().unwrap_or(false);
    for slot in 0..m.hist.len() {
        let newest = (m.hist[slot].len() - 1) as u32;
        let lowest = m
            .views
            .iter()
            .enumerate()
            .filter(|(g, _)| live(*g) && may_read(*g, slot as u32))
            .map(|(_, v)| v[slot])
            .min()
            .unwrap_or(newest);
        if lowest == 0 {
            continue;
        }
        m.hist[slot].drain(..lowest as usize);
        for (g, v) in m.views.iter_mut().enumerate() {
            if live(g) {
                v[slot] = v[slot].saturating_sub(lowest);
            }
        }
        for c in &mut m.carriers {
            c[slot] = c[slot].saturating_sub(lowest);
        }
    }
}

/// The reduced search's canonical form (docs/DESIGN.md, "Reductions",
/// **Weak memory**): as [`forget_unreadable`], but a view no one will use
/// again — its goroutine writes the variable before reading it or passing
/// its view on (`used`), or a carrier's that no taker can use — is any
/// view, so it holds back no write and is set to the oldest one kept; then
/// equal neighbouring writes are merged ([`merge_equal`]).
#[inline(never)]
fn canonical(m: &mut GoMem, f: &Future<'_>, used: &dyn Fn(usize, u32) -> bool) {
    let live = |g: usize| f.live.get(g).copied().unwrap_or(false);
    let n = m.views.len();
    for slot in 0..m.hist.len() {
        let x = slot as u32;
        let newest = (m.hist[slot].len() - 1) as u32;
        let mut lowest = newest;
        let mut dead: u64 = 0;
        for g in 0..n {
            if !live(g) {
                continue;
            }
            if g >= 64 || used(g, x) {
                if (f.may_read)(g, x) {
                    lowest = lowest.min(m.views[g][slot]);
                }
            } else {
                dead |= 1 << g;
            }
        }
        m.hist[slot].drain(..lowest as usize);
        for (g, v) in m.views.iter_mut().enumerate() {
            if g < 64 && dead >> g & 1 == 1 {
                v[slot] = 0;
            } else if live(g) {
                v[slot] = v[slot].saturating_sub(lowest);
            }
        }
        for (k, c) in m.carriers.iter_mut().enumerate() {
            c[slot] = match f.carried(k, x) {
                true => c[slot].saturating_sub(lowest),
                false => 0,
            };
        }
        read_once_sets(m, f, slot, dead);
        merge_equal(m, slot);
    }
}

/// Below every view that may be used other than by one read (`p`: a
/// goroutine's that may read twice or pass it on, a used carrier's, the
/// latest write's), the order of the writes is no one's concern: each
/// goroutine with a view there reads once more, any write at or after its
/// view, and then no longer uses the view (docs/DESIGN.md, "Reductions",
/// **Weak memory**). So only the set of values each of them may read
/// counts: the writes between two such views become the values there that
/// none later repeats, in increasing order, and the writes below the lowest
/// are dropped. `dead`: the goroutines whose view is not used (at 0).
fn read_once_sets(m: &mut GoMem, f: &Future<'_>, slot: usize, dead: u64) {
    let live = |g: usize| f.live.get(g).copied().unwrap_or(false);
    let x = slot as u32;
    let h = &m.hist[slot];
    let mut p = (h.len() - 1) as u32;
    let mut levels: smallvec::SmallVec<[u32; 8]> = smallvec::SmallVec::new();
    for (g, v) in m.views.iter().enumerate() {
        if !live(g) || (g < 64 && dead >> g & 1 == 1) {
            continue;
        }
        if g < 64 && (f.read_once)(g, x) {
            levels.push(v[slot]);
        } else {
            p = p.min(v[slot]);
        }
    }
    for (k, c) in m.carriers.iter().enumerate() {
        if f.carried(k, x) {
            p = p.min(c[slot]);
        }
    }
    levels.retain(|l| *l < p);
    if levels.is_empty() {
        return;
    }
    levels.sort_unstable();
    levels.dedup();
    let mut hist = Hist::new();
    let mut starts: smallvec::SmallVec<[u32; 8]> = smallvec::SmallVec::new();
    for (j, &lo) in levels.iter().enumerate() {
        let hi = levels.get(j + 1).copied().unwrap_or(p) as usize;
        starts.push(hist.len() as u32);
        let first = hist.len();
        for &v in &h[lo as usize..hi] {
            if !h[hi..].contains(&v) && !hist[first..].contains(&v) {
                hist.push(v);
            }
        }
        hist[first..].sort_unstable();
    }
    let below = p - hist.len() as u32;
    hist.extend_from_slice(&h[p as usize..]);
    let map = |v: u32| match levels.binary_search(&v) {
        Ok(j) => starts[j],
        Err(_) if v >= p => v - below,
        Err(_) => v,
    };
    for (g, v) in m.views.iter_mut().enumerate() {
        if live(g) && !(g < 64 && dead >> g & 1 == 1) {
            v[slot] = map(v[slot]);
        }
    }
    for (k, c) in m.carriers.iter_mut().enumerate() {
        if f.carried(k, x) {
            c[slot] = map(c[slot]);
        }
    }
    m.hist[slot] = hist;
}

/// Two writes of one value next to each other in a history are one: a
/// reader at the older may read either and be left able to read the same
/// values, so the newer is dropped and the indices above it move down.
fn merge_equal(m: &mut GoMem, slot: usize) {
    let mut k = m.hist[slot].len();
    while k > 1 {
        k -= 1;
        if m.hist[slot][k] == m.hist[slot][k - 1] {
            m.hist[slot].remove(k);
            for v in m.views.iter_mut().chain(m.carriers.iter_mut()) {
                if v[slot] as usize >= k {
                    v[slot] -= 1;
                }
            }
        }
    }
}

impl MemoryModel for Go {
    type Mem = GoMem;

    fn name(&self) -> &'static str {
        "go"
    }

    fn about(&self) -> &'static str {
        "The Go memory model: a read may return any write the reader is not yet ordered after by happens-before (stale reads)"
    }

    /// The Go memory model's first promise: a program without data races
    /// behaves as if sequentially consistent.
    fn drf_sc(&self) -> bool {
        true
    }

    fn is_sc(&self) -> bool {
        false
    }

    /// A read changes only the reader's view; a write appends to its
    /// variable's history; views move through a goroutine's own steps and
    /// the carriers of its sync objects and channels (or to the child at a
    /// `go`): a step touches what its footprint names, as under sc.
    fn footprint_conflicts(&self) -> bool {
        true
    }

    /// No buffers: writes land in the history at once.
    fn pending(&self, _m: &GoMem, _out: &mut dyn FnMut(usize, u32)) {}

    /// Writes land in the history at once; only views move, and they move
    /// with the goroutines' own steps.
    fn internal(&self, _m: &GoMem, _out: &mut Vec<Internal<GoMem>>) {}

    /// No buffers: what others may not see yet is said by the views.
    fn buffered(&self, _m: &GoMem, _g: usize) -> Vec<(u32, i64)> {
        Vec::new()
    }

    fn init(&self, prog: &Program, carriers: usize) -> GoMem {
        let n = prog.plain_init.len();
        GoMem {
            hist: prog
                .plain_init
                .iter()
                .map(|&v| smallvec::smallvec![v])
                .collect(),
            views: vec![smallvec::smallvec![0; n]],
            carriers: vec![smallvec::smallvec![0; n]; carriers],
        }
    }

    fn read(&self, m: &GoMem, g: usize, slot: u32, out: &mut ReadChoices) {
        let h = &m.hist[slot as usize];
        let latest = *h.last().unwrap();
        // Newest first, so that breadth-first witnesses prefer fresh reads.
        for i in (m.views[g][slot as usize] as usize..h.len()).rev() {
            let stale = i + 1 < h.len();
            out.push(ReadChoice {
                value: h[i],
                token: i as u32,
                note: stale.then_some(ReadNote::Stale { latest }),
                stale,
            });
        }
    }

    fn apply_read(&self, m: &mut GoMem, g: usize, slot: u32, c: &ReadChoice) {
        m.views[g][slot as usize] = c.token;
    }

    fn write(&self, m: &mut GoMem, g: usize, slot: u32, value: i64) -> Option<&'static str> {
        let h = &mut m.hist[slot as usize];
        h.push(value);
        m.views[g][slot as usize] = (h.len() - 1) as u32;
        None
    }

    fn sync(&self, m: &mut GoMem, event: SyncEvent) {
        match event {
            SyncEvent::Fence { .. } => {}
            SyncEvent::Spawn { parent, .. } => {
                let v = View::from_slice(&m.views[parent]);
                m.views.push(v);
            }
            SyncEvent::Release { g, carrier } => {
                let (views, carriers) = (&m.views, &mut m.carriers);
                join(&mut carriers[carrier], &views[g]);
            }
            SyncEvent::ReleaseOnly { g, carrier } => {
                m.carriers[carrier] = View::from_slice(&m.views[g]);
            }
            SyncEvent::Acquire { g, carrier } => {
                let (views, carriers) = (&mut m.views, &m.carriers);
                join(&mut views[g], &carriers[carrier]);
            }
            SyncEvent::Exchange { a, b } => {
                let vb = m.views[b].clone();
                join(&mut m.views[a], &vb);
                m.views[b] = m.views[a].clone();
            }
            SyncEvent::Shift { from, n } => {
                for i in from..from + n.saturating_sub(1) {
                    m.carriers[i] = m.carriers[i + 1].clone();
                }
                if n > 0 {
                    let len = m.carriers[from].len();
                    m.carriers[from + n - 1] = smallvec::smallvec![0; len];
                }
            }
        }
    }

    fn normalizes(&self) -> bool {
        true
    }

    fn normalize(&self, m: &mut GoMem, f: &Future<'_>) {
        let (live, may_read) = (f.live, f.may_read);
        // A finished goroutine reads nothing more: its view no longer matters.
        for (g, v) in m.views.iter_mut().enumerate() {
            if !live.get(g).copied().unwrap_or(false) {
                v.iter_mut().for_each(|x| *x = 0);
            }
        }
        match f.view_used {
            Some(used) => canonical(m, f, used),
            None => forget_unreadable(m, live, may_read),
        }
    }

    fn show(
        &self,
        m: &GoMem,
        var: &dyn Fn(u32, i64) -> String,
        gname: &dyn Fn(usize) -> String,
    ) -> Vec<String> {
        let latest: Vec<String> = m
            .hist
            .iter()
            .enumerate()
            .map(|(i, h)| var(i as u32, *h.last().unwrap()))
            .collect();
        let mut out = vec![format!("latest writes: {}", latest.join(" "))];
        for (g, view) in m.views.iter().enumerate() {
            let who = gname(g);
            if who.is_empty() {
                continue;
            }
            let stale: Vec<String> = m
                .hist
                .iter()
                .enumerate()
                .filter(|(i, h)| (view[*i] as usize) + 1 < h.len())
                .map(|(i, h)| {
                    let vals: Vec<String> = h[view[i] as usize..]
                        .iter()
                        .map(|v| {
                            var(i as u32, *v)
                                .split_once('=')
                                .map(|x| x.1.to_string())
                                .unwrap_or_default()
                        })
                        .collect();
                    let name = var(i as u32, 0);
                    let name = name.split_once('=').map(|x| x.0).unwrap_or("");
                    format!("{name} ∈ {{{}}}", vals.join(", "))
                })
                .collect();
            if !stale.is_empty() {
                out.push(format!("{who} may still read: {}", stale.join("; ")));
            }
        }
        out
    }

    fn reset_slots(&self, m: &mut GoMem, slots: &[u32], init: &[i64]) -> bool {
        for &x in slots {
            let x = x as usize;
            m.hist[x] = smallvec::smallvec![init[x]];
            for v in m.views.iter_mut().chain(m.carriers.iter_mut()) {
                v[x] = 0;
            }
        }
        true
    }

    fn move_carriers(&self, m: &mut GoMem, moves: &[(usize, Option<usize>)]) {
        let n = m.hist.len();
        let taken: Vec<View> = moves
            .iter()
            .map(|&(_, from)| match from {
                Some(f) => m.carriers[f].clone(),
                None => smallvec::smallvec![0; n],
            })
            .collect();
        for (&(to, _), v) in moves.iter().zip(taken) {
            m.carriers[to] = v;
        }
    }

    fn permute(&self, m: &mut GoMem, perm: &[u16]) {
        let mut views = m.views.clone();
        for (g, v) in m.views.drain(..).enumerate() {
            views[perm[g] as usize] = v;
        }
        m.views = views;
    }

    fn gor_key(&self, m: &GoMem, g: usize) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(&m.views[g])
    }

    fn finals(&self, m: &GoMem) -> Vec<i64> {
        m.hist.iter().map(|h| *h.last().unwrap()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(vals: &[i64]) -> GoMem {
        GoMem {
            hist: vals.iter().map(|&v| smallvec::smallvec![v]).collect(),
            views: vec![smallvec::smallvec![0; vals.len()]],
            carriers: vec![smallvec::smallvec![0; vals.len()]; 1],
        }
    }

    #[test]
    fn a_reader_may_see_any_write_at_or_after_its_view() {
        let m0 = mem(&[0]);
        let mut m = m0.clone();
        Go.sync(
            &mut m,
            SyncEvent::Spawn {
                parent: 0,
                child: 1,
            },
        );
        Go.write(&mut m, 0, 0, 1);
        let mut out = ReadChoices::new();
        Go.read(&m, 1, 0, &mut out);
        let vals: Vec<i64> = out.iter().map(|c| c.value).collect();
        assert_eq!(vals, [1, 0]);
        assert!(!out[0].stale && out[1].stale);
        // after synchronising through a carrier, only the new write remains
        Go.sync(&mut m, SyncEvent::Release { g: 0, carrier: 0 });
        Go.sync(&mut m, SyncEvent::Acquire { g: 1, carrier: 0 });
        out.clear();
        Go.read(&m, 1, 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].value, 1);
    }

    #[test]
    fn unreadable_writes_are_forgotten() {
        let mut m = mem(&[0]);
        Go.write(&mut m, 0, 0, 1);
        Go.write(&mut m, 0, 0, 2);
        Go.normalize(
            &mut m,
            &Future {
                live: &[true],
                may_read: &|_, _| true,
                view_used: None,
                read_once: &|_, _| false,
                carried: &[],
            },
        );
        assert_eq!(m.hist[0].as_slice(), [2]);
        assert_eq!(m.views[0][0], 0);
    }

    #[test]
    fn readers_that_read_once_keep_only_the_values_they_may_read() {
        let m = GoMem {
            hist: vec![smallvec::smallvec![1, 2, 1, 3]],
            views: vec![smallvec::smallvec![0], smallvec::smallvec![2]],
            carriers: Vec::new(),
        };
        let future = |once: bool| -> GoMem {
            let mut m = m.clone();
            Go.normalize(
                &mut m,
                &Future {
                    live: &[true, true],
                    may_read: &|_, _| true,
                    view_used: Some(&|_, _| true),
                    read_once: &|_, _| once,
                    carried: &[],
                },
            );
            m
        };
        // either reads once: {1, 2, 3} and {1, 3}, in one order
        let once = future(true);
        assert_eq!(once.hist[0].as_slice(), [2, 1, 3]);
        assert_eq!((once.views[0][0], once.views[1][0]), (0, 1));
        // readers that may read twice: the order counts
        let twice = future(false);
        assert_eq!(twice.hist[0].as_slice(), [1, 2, 1, 3]);
    }
}
