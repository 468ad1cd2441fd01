//! Fusion: runs of local instructions that the step semantics takes as one
//! dispatch (`Load Push Bin` then a push, store or conditional jump;
//! `Push Bin`). Purely an optimisation: a fused run has the same result
//! and uses the same fuel as its instructions one by one, which the test
//! below checks on every program of the corpus.

use super::BinOp;
use super::flow::next_pcs;
use super::{Instr, Program};

/// A run of local instructions that the step semantics' `run_local` takes as one:
/// the same result and the same fuel as one by one, with fewer dispatches
/// (a loop's `i++` and `i < n` are one each).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Fused {
    No,
    /// `Load(l) Push(c) Bin(op)`, then what `then` says (4 instructions,
    /// or 3 for [`Then::Push`]).
    Local {
        l: u16,
        c: i64,
        op: BinOp,
        then: Then,
    },
    /// `Push(c) Bin(op)`.
    Const {
        c: i64,
        op: BinOp,
    },
}

/// What a fused `Load Push Bin` does with its result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Then {
    Push,
    Store(u16),
    JumpIf(bool, u32),
}

impl Fused {
    /// How many instructions it stands for.
    pub(crate) fn len(self) -> u32 {
        match self {
            Fused::No => 1,
            Fused::Const { .. } => 2,
            Fused::Local {
                then: Then::Push, ..
            } => 3,
            Fused::Local { .. } => 4,
        }
    }
}

/// Per function and pc: the run of local instructions starting there that
/// can be taken as one. A run is fused only if control enters it at its
/// first instruction alone (no jump or `select` case lands inside).
pub(crate) fn fuse(prog: &Program) -> Vec<Vec<Fused>> {
    prog.funcs
        .iter()
        .map(|f| {
            let n = f.code.len();
            // entered[q]: some instruction other than q - 1 may go to q
            let mut entered = vec![false; n];
            for p in 0..n {
                for q in next_pcs(prog, f, p) {
                    if q != p + 1 {
                        entered[q] = true;
                    }
                }
            }
            let inner_free =
                |p: usize, k: usize| p + k <= n && !entered[p + 1..p + k].contains(&true);
            (0..n)
                .map(|p| {
                    let at = |i: usize| f.code.get(p + i).copied();
                    match (at(0), at(1), at(2), at(3)) {
                        (
                            Some(Instr::Load(l)),
                            Some(Instr::Push(c)),
                            Some(Instr::Bin(op)),
                            next,
                        ) => {
                            let then = match next {
                                Some(Instr::Store(d)) if inner_free(p, 4) => Then::Store(d),
                                Some(Instr::JumpIf(flag, t)) if inner_free(p, 4) => {
                                    Then::JumpIf(flag, t)
                                }
                                _ => Then::Push,
                            };
                            let fused = Fused::Local { l, c, op, then };
                            if inner_free(p, fused.len() as usize) {
                                fused
                            } else {
                                Fused::No
                            }
                        }
                        (Some(Instr::Push(c)), Some(Instr::Bin(op)), _, _) if inner_free(p, 2) => {
                            Fused::Const { c, op }
                        }
                        _ => Fused::No,
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::flow::next_pcs;
    use crate::memory::{MemoryModel, go::Go, sc::Sc};
    use crate::search::{SearchLimits, explore};
    use crate::semantics::{Machine, Mode};
    use crate::state::Interner;

    /// The same search with and without fused runs: the same states in the
    /// same order, with the same transitions.
    fn same_with_and_without_fusion<M: MemoryModel>(prog: &Program, model: &M, what: &str) {
        let fused = Machine::new(prog, model, false);
        let mut plain = Machine::new(prog, model, false);
        plain.fused = plain
            .fused
            .iter()
            .map(|f| vec![Fused::No; f.len()])
            .collect();
        let limits = SearchLimits {
            max_states: Some(3_000),
            max_depth: None,
            cancel: Default::default(),
            progress: None,
            finish_runs: false,
        };
        let a = explore(&fused, Mode::Full, limits.clone(), &mut Interner::default());
        let b = explore(&plain, Mode::Full, limits, &mut Interner::default());
        assert_eq!(a.states.len(), b.states.len(), "{what}");
        for i in 0..a.states.len() as u32 {
            assert_eq!(a.states.get(i), b.states.get(i), "{what}: state {i}");
            let steps = |x: &crate::search::Explored<M::Mem>| {
                x.graph
                    .steps(i)
                    .map(|(s, to)| (s.gor, s.after, s.stale, s.internal, to))
                    .collect::<Vec<_>>()
            };
            assert_eq!(steps(&a), steps(&b), "{what}: transitions of {i}");
        }
    }

    /// Fused runs change nothing, on every program of the corpus and on
    /// loops that run out of fuel, end in a failed operation, or jump into
    /// what would otherwise be fused.
    #[test]
    fn fused_runs_change_nothing() {
        let mut srcs = crate::corpus(&["programs"], &["gr"]);
        let extra = [
            // runs out of fuel twice, partway through fused runs
            "var x int\nfunc main() { for i := 0; i < 250001; i++ { }\nx = 1 }",
            "var x int\nfunc main() { d := 0\nfor i := 0; i < 3; i++ { x = 10 / (2 - i - d) }\nprint(x) }",
            "var x int\nfunc w(n int) { for i := 0; i < n; i++ { x = x + i * 2 } }\n\
             func main() { go w(2)\nw(3)\nprint(x) }",
        ];
        srcs.extend(
            extra
                .iter()
                .enumerate()
                .map(|(k, s)| (format!("extra {k}"), s.to_string())),
        );
        let mut fused_somewhere = 0;
        for (name, src) in &srcs {
            let Ok(prog) = crate::compile(&crate::Source::new(name, src)) else {
                continue;
            };
            fused_somewhere += fuse(&prog)
                .iter()
                .flatten()
                .filter(|f| **f != Fused::No)
                .count();
            same_with_and_without_fusion(&prog, &Sc, name);
            same_with_and_without_fusion(&prog, &Go, name);
        }
        assert!(fused_somewhere > 20, "{fused_somewhere} fused runs");
    }

    /// A jump into the middle of a run keeps it from being fused.
    #[test]
    fn no_run_is_fused_across_a_jump_target() {
        let prog = crate::compile(&crate::Source::new(
            "t.gr",
            "var x int\nfunc main() { i := 0\nfor i < 3 { i = i + 1 }\nx = i }",
        ))
        .expect("compiles");
        for (f, func) in fuse(&prog).iter().zip(&prog.funcs) {
            for (p, run) in f.iter().enumerate() {
                for q in p + 1..p + run.len() as usize {
                    for (r, _) in func.code.iter().enumerate() {
                        if r + 1 != q {
                            assert!(!next_pcs(&prog, func, r).contains(&q), "{p}: {run:?}");
                        }
                    }
                }
            }
        }
    }
}
