//! The search's own tests: edges, the never-ending sweep, the witness queue.

use super::graph::Edge;
use super::witness::{Cost, Visit, cost_order};
use super::*;
use crate::memory::MemoryModel;
use crate::memory::{go::Go, sc::Sc, tso::Tso};
use crate::semantics::Machine;
use crate::semantics::Mode;
use crate::state::Interner;

fn explored<M: MemoryModel>(src: &str, model: &M) -> Explored<M::Mem> {
    let prog = crate::compile(&crate::Source::new("t.gr", src)).unwrap();
    let machine = Machine::new(&prog, model, false);
    let mut strings = Interner::default();
    explore(&machine, Mode::Full, SearchLimits::default(), &mut strings)
}

/// Per state: the witness's cost and its steps.
type Witnesses = Vec<(Option<Cost>, Vec<(u32, u32)>)>;

fn witnesses<Mm>(ex: &Explored<Mm>) -> Witnesses {
    (0..ex.states.len() as u32)
        .map(|i| (ex.cost(i), ex.path(i)))
        .collect()
}

/// Dijkstra's queue as a binary heap: (cost, node) in increasing order.
fn heap_order<N: Ord + Copy>(start: N, visit: &mut Visit<'_, N>) {
    use std::cmp::Reverse;
    let mut heap = std::collections::BinaryHeap::new();
    heap.push(Reverse(((0u32, 0u32, 0u32), start)));
    let mut pushed = Vec::new();
    while let Some(Reverse((cost, node))) = heap.pop() {
        visit(node, cost, &mut pushed);
        heap.extend(pushed.drain(..).map(Reverse));
    }
}

/// An edge gives back what it was made of, at the ends of every range.
#[test]
fn edges_keep_their_fields_in_six_bytes() {
    assert_eq!(std::mem::size_of::<Edge>(), 6);
    for to in [0, 1, 0xFFFF, 0x1_0000, u32::MAX] {
        for (gor, after) in [(0, 0), (63, 0), (0, 63), (63, 63), (5, 17)] {
            for (stale, internal) in [(false, false), (true, false), (false, true), (true, true)] {
                let e = Edge::new(to, gor, after, stale, internal);
                assert_eq!(
                    (e.to(), e.gor(), e.after(), e.stale(), e.internal()),
                    (to, gor, after, stale, internal)
                );
            }
        }
    }
}

/// Sweeping gives the states that cannot end that walking the
/// predecessors backwards gives (zero sweeps: only the walk), on
/// graphs with loops that can and cannot be left.
#[test]
fn never_ending_sweeps_agree_with_the_backward_walk() {
    let srcs = [
        // a spin loop that ends once the other goroutine has written
        "var x int\nfunc w() {\nx = 1\n}\nfunc main() {\ngo w()\nfor x == 0 {\n}\nprint(x)\n}\n",
        // a spin loop never left when `a` looks too early
        "var x int\nvar y int\nfunc a() {\nif y == 1 {\nx = 1\n}\n}\n\
         func main() {\ngo a()\ny = 1\nfor x == 0 {\n}\n}\n",
    ];
    for src in srcs {
        let ex = explored(src, &Sc);
        let c = Cancel::default();
        let walk = ex.never_ending_sweeping(0, &c).unwrap();
        for sweeps in 1..4 {
            assert_eq!(
                ex.never_ending_sweeping(sweeps, &c).unwrap(),
                walk,
                "{sweeps} sweeps"
            );
        }
        let ex = explored(src, &Tso);
        let walk = ex.never_ending_sweeping(0, &c).unwrap();
        assert_eq!(ex.never_ending(&c).unwrap(), walk);
    }
    let stuck = explored(srcs[1], &Sc)
        .never_ending(&Cancel::default())
        .unwrap();
    assert!(stuck.iter().any(|&s| s) && !stuck.iter().all(|&s| s));
}

/// The bucket queue picks exactly the witnesses a heap picks, costs
/// and ties included, on graphs with stale reads and preemptions.
#[test]
fn bucket_queue_witnesses_are_the_heaps() {
    let src = "var x int\nvar y int\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n\
               func a() {\nx = 1\nmu.Lock()\ny = y + 1\nmu.Unlock()\nprint(y)\nwg.Done()\n}\n\
               func b() {\ny = 2\nif x == 0 {\nx = y\n}\nwg.Done()\n}\n\
               func main() {\nwg.Add(3)\ngo a()\ngo b()\ngo a()\nwg.Wait()\nprint(x, y)\n}\n";
    fn same<M: MemoryModel>(src: &str, model: &M) -> usize {
        let mut a = explored(src, model);
        let mut b = explored(src, model);
        let c = Cancel::default();
        a.clearest_witnesses_per_state(cost_order, &c);
        b.clearest_witnesses_per_state(heap_order, &c);
        assert_eq!(witnesses(&a), witnesses(&b), "{}", model.name());
        // the exact search, over (state, goroutine that moved last)
        a.clearest_witnesses_exact(cost_order, &c);
        b.clearest_witnesses_exact(heap_order, &c);
        assert_eq!(witnesses(&a), witnesses(&b), "{} exact", model.name());
        a.states.len()
    }
    assert!(same(src, &Sc) > 100);
    assert!(same(src, &Tso) > same(src, &Sc));
    same(src, &Go);
}
