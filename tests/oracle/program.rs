//! Random `.gr` programs for the SPIN oracle: a small tree of statements
//! (the generator's own form, never parsed back), drawn from a seed, and
//! written out as `.gr` source. `promela.rs` translates the same tree.
//!
//! Every program is loop-free and every `go` statement runs at most once per
//! goroutine that reaches it: most programs have a few hundred to a few
//! thousand states (the runner skips the rare one past 200,000).

use std::fmt::Write;

/// splitmix64: a seed gives the same program on every machine and Rust version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c908)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index drawn with the given weights (not all zero).
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        unreachable!("weights sum to {total}")
    }
}

/// How `main` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every goroutine is started by `main` after `wg.Add(1)` and ends with
    /// `wg.Done()`; `main` ends with `wg.Wait()` (then maybe more steps).
    /// Nothing can run between `main`'s last step and its return, so the
    /// outcome set does not depend on whether returning is a step.
    Wait,
    /// `main` just ends: goroutines may still be running (or blocked, which
    /// grace reports as leaks), nested `go`, and wait-group misuse.
    Free,
}

/// A value sent on a channel.
#[derive(Clone, Debug)]
pub enum Val {
    Const(i64),
    /// A shared int: a read step, then the send.
    Shared(usize),
}

/// What a receive does with what it got.
#[derive(Clone, Debug)]
pub enum RecvForm {
    /// `<-c`
    Discard,
    /// `x = <-c`: the receive, then a write step.
    Store(usize),
    /// `vN, okN := <-c` then `print(vN, okN)`: the receive, then a print step.
    Ok(usize),
}

#[derive(Clone, Debug)]
pub enum CaseOp {
    Send(usize, Val),
    Recv(usize, RecvForm),
}

#[derive(Clone, Debug)]
pub struct Case {
    pub op: CaseOp,
    pub body: Vec<Stmt>,
}

/// A condition on one shared variable: one read step.
#[derive(Clone, Copy, Debug)]
pub enum Cond {
    Gt(usize, i64),
    Eq(usize, i64),
    IsTrue(usize),
    IsFalse(usize),
}

#[derive(Clone, Debug)]
pub enum PArg {
    Lit(usize),
    /// A shared int: a read step before the print.
    Int(usize),
    /// A shared bool: a read step before the print.
    Bool(usize),
    /// The goroutine's `id` parameter (a local).
    Param,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    SetInt(usize, i64),
    SetBool(usize, bool),
    /// `x = id`
    SetParam(usize),
    /// `dst = src + add` (`x++` or `x += k` when they are the same): read, write.
    Copy {
        dst: usize,
        src: usize,
        add: i64,
    },
    /// `b = !b`: read, write.
    Flip(usize),
    If {
        cond: Cond,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
    },
    Lock(usize),
    Unlock(usize),
    WgAdd(i64),
    WgDone,
    WgWait,
    /// `go f(arg)` or `go func(id int) {...}(arg)`; `site` numbers the
    /// statement in the program (a goroutine that reaches it starts one child).
    Go {
        func: usize,
        arg: Option<i64>,
        site: usize,
    },
    Send(usize, Val),
    Recv(usize, RecvForm),
    Close(usize),
    Select {
        cases: Vec<Case>,
        default: Option<Vec<Stmt>>,
    },
    Print(Vec<PArg>),
}

pub struct Func {
    /// Written as a function literal at its one `go` statement.
    pub literal: bool,
    /// Takes `id int`.
    pub param: bool,
    pub body: Vec<Stmt>,
}

pub struct Program {
    pub seed: u64,
    pub mode: Mode,
    pub ints: Vec<String>,
    pub bools: Vec<String>,
    pub mutexes: Vec<String>,
    pub wg: bool,
    /// Channel names and capacities (all `chan int`).
    pub chans: Vec<(String, usize)>,
    pub lits: Vec<String>,
    pub funcs: Vec<Func>,
    pub main: Vec<Stmt>,
    /// Receive locals (`vN`, `okN`) handed out so far.
    locals: std::cell::Cell<usize>,
    /// `go` statements numbered so far.
    sites: std::cell::Cell<usize>,
}

const LITS: [&str; 4] = ["a", "b", "c", "d"];

/// What the statements of one body may use.
struct Scope {
    ints: usize,
    bools: usize,
    mutexes: usize,
    chans: usize,
    /// Free mode: wait-group statements, nested `go`.
    free: bool,
    param: bool,
    /// Functions that may be started from here (nested `go`).
    startable: Vec<usize>,
}

impl Program {
    /// The program of `seed`. Odd seeds are `Free` when `free` is allowed.
    pub fn generate(seed: u64, free: bool) -> Program {
        let mut r = Rng::new(seed);
        let mode = if free && seed % 2 == 1 {
            Mode::Free
        } else {
            Mode::Wait
        };
        let ints = 1 + r.weighted(&[3, 2, 1]);
        let bools = r.below(2);
        let mutexes = r.weighted(&[3, 5, 2]);
        let nchans = r.weighted(&[1, 5, 3]);
        let chans: Vec<(String, usize)> = (0..nchans)
            .map(|i| (format!("c{i}"), [0, 0, 1, 2][r.below(4)]))
            .collect();
        let mut p = Program {
            seed,
            mode,
            ints: ["x", "y", "z"][..ints]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            bools: ["b", "f"][..bools].iter().map(|s| s.to_string()).collect(),
            mutexes: ["mu", "mv"][..mutexes]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            wg: false,
            chans,
            lits: LITS.iter().map(|s| s.to_string()).collect(),
            funcs: Vec::new(),
            main: Vec::new(),
            locals: std::cell::Cell::new(0),
            sites: std::cell::Cell::new(0),
        };
        let goroutines = 1 + r.weighted(&[2, 5, 3]);
        let nested = mode == Mode::Free && r.chance(25);
        // A function for a goroutine started by another goroutine, first, so
        // that the others may name it.
        let mut startable = Vec::new();
        if nested {
            let sc = p.scope(false, false, vec![]);
            let body = p.body(&mut r, &sc, (1, 2), 1);
            p.funcs.push(Func {
                literal: false,
                param: false,
                body,
            });
            startable.push(0);
        }
        let mut sites: Vec<(usize, Option<i64>)> = Vec::new();
        let mut g = 0;
        while g < goroutines {
            let param = r.chance(30);
            let literal = !param || r.chance(50);
            let sc = p.scope(mode == Mode::Free, param, startable.clone());
            let mut body = p.body(&mut r, &sc, (1, 4), 0);
            // A goroutine that starts at an unbuffered operation is there
            // as soon as it is started: what a `select` with `default`
            // elsewhere may or may not see.
            if let Some(c) = p.unbuffered(&mut r)
                && r.chance(35)
            {
                let op = if r.chance(50) {
                    Stmt::Send(c, Val::Const(1 + r.below(3) as i64))
                } else {
                    Stmt::Recv(c, p.recv_form(&mut r, &sc))
                };
                body.insert(0, op);
            }
            if mode == Mode::Wait {
                body.push(Stmt::WgDone);
            }
            let f = p.funcs.len();
            p.funcs.push(Func {
                literal,
                param,
                body,
            });
            let twice = !literal && g + 1 < goroutines && r.chance(50);
            let copies = if twice { 2 } else { 1 };
            for k in 0..copies {
                sites.push((f, param.then_some(k as i64 + 1)));
            }
            g += copies;
        }
        // main: some statements, the `go`s spread among them, some more.
        let sc = p.scope(mode == Mode::Free, false, startable);
        let mut main = p.body(&mut r, &sc, (0, 3), 1);
        // Mostly the goroutines first, in order, as Go programs do.
        let mut front = 0;
        for (func, arg) in sites {
            let at = if r.chance(70) {
                front
            } else {
                r.below(main.len() + 1).max(front)
            };
            let mut go = vec![Stmt::Go {
                func,
                arg,
                site: p.site(),
            }];
            if mode == Mode::Wait {
                go.insert(0, Stmt::WgAdd(1));
            }
            front = at + go.len();
            main.splice(at..at, go);
        }
        if mode == Mode::Wait {
            let more = p.body(&mut r, &sc, (0, 3), 1);
            main.extend(more);
            main.extend(p.polling_select(&mut r, &sc));
            main.push(Stmt::WgWait);
            if r.chance(50) {
                main.push(Stmt::Print(vec![PArg::Int(r.below(p.ints.len()))]));
            }
        } else {
            let more = p.body(&mut r, &sc, (0, 3), 1);
            main.extend(more);
            main.extend(p.polling_select(&mut r, &sc));
        }
        p.main = main;
        p.balance(&mut r);
        p.wg = mode == Mode::Wait || p.uses_wg();
        p
    }

    /// Mostly gives each unmatched send or receive (outside `select`) a
    /// partner in another goroutine, so that most runs get somewhere
    /// before they deadlock.
    fn balance(&mut self, r: &mut Rng) {
        for c in 0..self.chans.len() {
            let count = |body: &[Stmt]| {
                body.iter().fold((0, 0), |(s, v), st| match st {
                    Stmt::Send(d, _) if *d == c => (s + 1, v),
                    Stmt::Recv(d, _) if *d == c => (s, v + 1),
                    _ => (s, v),
                })
            };
            let mut bodies: Vec<Option<usize>> = vec![None];
            bodies.extend((0..self.funcs.len()).map(Some));
            let (mut sends, mut recvs) = (0usize, 0usize);
            let mut per = Vec::new();
            for b in &bodies {
                let (s, v) = count(match b {
                    None => &self.main,
                    Some(f) => &self.funcs[*f].body,
                });
                sends += s;
                recvs += v;
                per.push((s, v));
            }
            for _ in 0..sends.abs_diff(recvs) {
                if !r.chance(70) {
                    continue;
                }
                let need_recv = sends > recvs;
                // A body that does not already do the other side on c.
                let fits: Vec<usize> = (0..bodies.len())
                    .filter(|i| {
                        if need_recv {
                            per[*i].0 == 0
                        } else {
                            per[*i].1 == 0
                        }
                    })
                    .collect();
                if fits.is_empty() {
                    break;
                }
                let b = fits[r.below(fits.len())];
                let st = if need_recv {
                    Stmt::Recv(c, RecvForm::Discard)
                } else {
                    Stmt::Send(c, Val::Const(1 + r.below(3) as i64))
                };
                let body = match bodies[b] {
                    None => &mut self.main,
                    Some(f) => &mut self.funcs[f].body,
                };
                // Before a final wg.Done() or wg.Wait(), which stay last.
                let end = body.len()
                    - usize::from(matches!(body.last(), Some(Stmt::WgDone | Stmt::WgWait)));
                let at = r.below(end + 1);
                body.insert(at, st);
            }
        }
    }

    fn scope(&self, free: bool, param: bool, startable: Vec<usize>) -> Scope {
        Scope {
            ints: self.ints.len(),
            bools: self.bools.len(),
            mutexes: self.mutexes.len(),
            chans: self.chans.len(),
            free,
            param,
            startable,
        }
    }

    /// An unbuffered channel, if there is one.
    fn unbuffered(&self, r: &mut Rng) -> Option<usize> {
        let u: Vec<usize> = (0..self.chans.len())
            .filter(|c| self.chans[*c].1 == 0)
            .collect();
        (!u.is_empty()).then(|| u[r.below(u.len())])
    }

    /// Sometimes a `select` with `default` on an unbuffered channel, with a
    /// case body and a default that end differently.
    fn polling_select(&self, r: &mut Rng, sc: &Scope) -> Option<Stmt> {
        let c = self.unbuffered(r)?;
        if !r.chance(35) {
            return None;
        }
        let op = if r.chance(50) {
            CaseOp::Recv(c, self.recv_form(r, sc))
        } else {
            CaseOp::Send(c, Val::Const(1 + r.below(3) as i64))
        };
        let x = r.below(sc.ints);
        Some(Stmt::Select {
            cases: vec![Case {
                op,
                body: vec![Stmt::SetInt(x, 1)],
            }],
            default: Some(vec![Stmt::SetInt(x, 2)]),
        })
    }

    /// The most writes of shared variables one goroutine's code holds (all
    /// branches counted): a store buffer this long never overflows.
    pub fn max_writes(&self) -> usize {
        fn count(ss: &[Stmt]) -> usize {
            ss.iter()
                .map(|s| match s {
                    Stmt::SetInt(..)
                    | Stmt::SetBool(..)
                    | Stmt::SetParam(_)
                    | Stmt::Copy { .. }
                    | Stmt::Flip(_)
                    | Stmt::Recv(_, RecvForm::Store(_)) => 1,
                    Stmt::If { then, els, .. } => count(then) + count(els),
                    Stmt::Select { cases, default } => {
                        cases
                            .iter()
                            .map(|c| {
                                count(&c.body)
                                    + usize::from(matches!(
                                        c.op,
                                        CaseOp::Recv(_, RecvForm::Store(_))
                                    ))
                            })
                            .sum::<usize>()
                            + default.as_deref().map_or(0, count)
                    }
                    _ => 0,
                })
                .sum()
        }
        self.funcs
            .iter()
            .map(|f| count(&f.body))
            .chain([count(&self.main)])
            .max()
            .unwrap_or(0)
    }

    fn site(&self) -> usize {
        self.sites.set(self.sites.get() + 1);
        self.sites.get()
    }

    fn uses_wg(&self) -> bool {
        fn any(ss: &[Stmt]) -> bool {
            ss.iter().any(|s| match s {
                Stmt::WgAdd(_) | Stmt::WgDone | Stmt::WgWait => true,
                Stmt::If { then, els, .. } => any(then) || any(els),
                Stmt::Select { cases, default } => {
                    cases.iter().any(|c| any(&c.body)) || default.as_deref().is_some_and(any)
                }
                _ => false,
            })
        }
        any(&self.main) || self.funcs.iter().any(|f| any(&f.body))
    }

    /// `min + below(spread)` statements (a lock section counts as one).
    fn body(
        &self,
        r: &mut Rng,
        sc: &Scope,
        (min, spread): (usize, usize),
        depth: usize,
    ) -> Vec<Stmt> {
        let n = min + r.below(spread);
        let mut out = Vec::new();
        for _ in 0..n {
            self.stmt(r, sc, depth, &mut out);
        }
        out
    }

    fn val(&self, r: &mut Rng, sc: &Scope) -> Val {
        if r.chance(30) {
            Val::Shared(r.below(sc.ints))
        } else {
            Val::Const(1 + r.below(3) as i64)
        }
    }

    fn recv_form(&self, r: &mut Rng, sc: &Scope) -> RecvForm {
        match r.weighted(&[4, 3, 3]) {
            0 => RecvForm::Discard,
            1 => RecvForm::Store(r.below(sc.ints)),
            _ => {
                // Numbered per program, so no two locals share a name in one function.
                self.locals.set(self.locals.get() + 1);
                RecvForm::Ok(self.locals.get())
            }
        }
    }

    fn cond(&self, r: &mut Rng, sc: &Scope) -> Cond {
        if sc.bools > 0 && r.chance(30) {
            let b = r.below(sc.bools);
            if r.chance(50) {
                Cond::IsTrue(b)
            } else {
                Cond::IsFalse(b)
            }
        } else {
            let x = r.below(sc.ints);
            let k = r.below(3) as i64;
            if r.chance(50) {
                Cond::Gt(x, k)
            } else {
                Cond::Eq(x, k)
            }
        }
    }

    fn stmt(&self, r: &mut Rng, sc: &Scope, depth: usize, out: &mut Vec<Stmt>) {
        let nested = depth < 2;
        let weights = [
            8,                                          // 0 write a constant
            14,                                         // 1 read-modify-write
            if sc.bools > 0 { 4 } else { 0 },           // 2 bool write or flip
            if nested { 5 } else { 0 },                 // 3 if
            if sc.mutexes > 0 { 8 } else { 0 },         // 4 lock section
            if sc.chans > 0 { 10 } else { 0 },          // 5 send
            if sc.chans > 0 { 10 } else { 0 },          // 6 receive
            if sc.chans > 0 { 2 } else { 0 },           // 7 close
            if sc.chans > 0 && nested { 7 } else { 0 }, // 8 select
            6,                                          // 9 print
            if sc.free && !sc.startable.is_empty() {
                3
            } else {
                0
            }, // 10 go
            if sc.free { 2 } else { 0 },                // 11 wait group
            if sc.param { 4 } else { 0 },               // 12 x = id
            if sc.mutexes > 0 { 1 } else { 0 },         // 13 lone Lock or Unlock
        ];
        let s = match r.weighted(&weights) {
            0 => Stmt::SetInt(r.below(sc.ints), r.below(4) as i64),
            1 => {
                let dst = r.below(sc.ints);
                let src = if r.chance(60) { dst } else { r.below(sc.ints) };
                Stmt::Copy {
                    dst,
                    src,
                    add: 1 + r.below(2) as i64,
                }
            }
            2 => {
                let b = r.below(sc.bools);
                if r.chance(50) {
                    Stmt::SetBool(b, r.chance(70))
                } else {
                    Stmt::Flip(b)
                }
            }
            3 => {
                let cond = self.cond(r, sc);
                let then = self.body(r, sc, (1, 2), depth + 1);
                let els = self.body(r, sc, (0, 2), depth + 1);
                Stmt::If { cond, then, els }
            }
            4 => {
                let m = r.below(sc.mutexes);
                out.push(Stmt::Lock(m));
                let inner = self.body(r, sc, (1, 2), depth + 1);
                out.extend(inner);
                Stmt::Unlock(m)
            }
            5 => Stmt::Send(r.below(sc.chans), self.val(r, sc)),
            6 => {
                let c = r.below(sc.chans);
                Stmt::Recv(c, self.recv_form(r, sc))
            }
            7 => Stmt::Close(r.below(sc.chans)),
            8 => {
                let n = 1 + r.below(2);
                let mut cases = Vec::new();
                for _ in 0..n {
                    let c = r.below(sc.chans);
                    let op = if r.chance(50) {
                        CaseOp::Send(c, self.val(r, sc))
                    } else {
                        CaseOp::Recv(c, self.recv_form(r, sc))
                    };
                    let body = self.body(r, sc, (0, 2), depth + 1);
                    cases.push(Case { op, body });
                }
                let default = r.chance(40).then(|| self.body(r, sc, (0, 2), depth + 1));
                Stmt::Select { cases, default }
            }
            9 => {
                let mut args = Vec::new();
                for _ in 0..1 + r.below(2) {
                    args.push(
                        match r.weighted(&[
                            3,
                            4,
                            if sc.bools > 0 { 2 } else { 0 },
                            if sc.param { 2 } else { 0 },
                        ]) {
                            0 => PArg::Lit(r.below(LITS.len())),
                            1 => PArg::Int(r.below(sc.ints)),
                            2 => PArg::Bool(r.below(sc.bools)),
                            _ => PArg::Param,
                        },
                    );
                }
                Stmt::Print(args)
            }
            10 => Stmt::Go {
                func: sc.startable[r.below(sc.startable.len())],
                arg: None,
                site: self.site(),
            },
            11 => match r.weighted(&[3, 3, 2]) {
                0 => Stmt::WgAdd(1),
                1 => Stmt::WgDone,
                _ => Stmt::WgWait,
            },
            12 => Stmt::SetParam(r.below(sc.ints)),
            _ => {
                let m = r.below(sc.mutexes);
                if r.chance(50) {
                    Stmt::Lock(m)
                } else {
                    Stmt::Unlock(m)
                }
            }
        };
        out.push(s);
    }

    /// The program as `.gr` source.
    pub fn source(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "// generated by tests/oracle (seed {}, {:?} mode)",
            self.seed, self.mode
        );
        for x in &self.ints {
            let _ = writeln!(s, "var {x} int");
        }
        for b in &self.bools {
            let _ = writeln!(s, "var {b} bool");
        }
        for m in &self.mutexes {
            let _ = writeln!(s, "var {m} sync.Mutex");
        }
        if self.wg {
            let _ = writeln!(s, "var wg sync.WaitGroup");
        }
        for (c, cap) in &self.chans {
            if *cap == 0 {
                let _ = writeln!(s, "var {c} = make(chan int)");
            } else {
                let _ = writeln!(s, "var {c} = make(chan int, {cap})");
            }
        }
        for (i, f) in self.funcs.iter().enumerate() {
            if f.literal {
                continue;
            }
            let param = if f.param { "id int" } else { "" };
            let _ = writeln!(s, "\nfunc f{i}({param}) {{");
            self.block(&mut s, &f.body, 1);
            s.push_str("}\n");
        }
        s.push_str("\nfunc main() {\n");
        self.block(&mut s, &self.main, 1);
        s.push_str("}\n");
        s
    }

    fn block(&self, s: &mut String, body: &[Stmt], ind: usize) {
        for st in body {
            self.stmt_src(s, st, ind);
        }
    }

    fn val_src(&self, v: &Val) -> String {
        match v {
            Val::Const(k) => k.to_string(),
            Val::Shared(x) => self.ints[*x].clone(),
        }
    }

    fn cond_src(&self, c: Cond) -> String {
        match c {
            Cond::Gt(x, k) => format!("{} > {k}", self.ints[x]),
            Cond::Eq(x, k) => format!("{} == {k}", self.ints[x]),
            Cond::IsTrue(b) => self.bools[b].clone(),
            Cond::IsFalse(b) => format!("!{}", self.bools[b]),
        }
    }

    fn stmt_src(&self, s: &mut String, st: &Stmt, ind: usize) {
        let pad = "\t".repeat(ind);
        let line = |s: &mut String, text: String| {
            let _ = writeln!(s, "{pad}{text}");
        };
        match st {
            Stmt::SetInt(x, k) => line(s, format!("{} = {k}", self.ints[*x])),
            Stmt::SetBool(b, v) => line(s, format!("{} = {v}", self.bools[*b])),
            Stmt::SetParam(x) => line(s, format!("{} = id", self.ints[*x])),
            Stmt::Copy { dst, src, add } => {
                let (d, r) = (&self.ints[*dst], &self.ints[*src]);
                line(
                    s,
                    if dst != src {
                        format!("{d} = {r} + {add}")
                    } else if *add == 1 {
                        format!("{d}++")
                    } else {
                        format!("{d} += {add}")
                    },
                )
            }
            Stmt::Flip(b) => line(s, format!("{0} = !{0}", self.bools[*b])),
            Stmt::If { cond, then, els } => {
                line(s, format!("if {} {{", self.cond_src(*cond)));
                self.block(s, then, ind + 1);
                if els.is_empty() {
                    line(s, "}".into());
                } else {
                    line(s, "} else {".into());
                    self.block(s, els, ind + 1);
                    line(s, "}".into());
                }
            }
            Stmt::Lock(m) => line(s, format!("{}.Lock()", self.mutexes[*m])),
            Stmt::Unlock(m) => line(s, format!("{}.Unlock()", self.mutexes[*m])),
            Stmt::WgAdd(n) => line(s, format!("wg.Add({n})")),
            Stmt::WgDone => line(s, "wg.Done()".into()),
            Stmt::WgWait => line(s, "wg.Wait()".into()),
            Stmt::Go { func, arg, .. } => {
                let f = &self.funcs[*func];
                let a = arg.map(|a| a.to_string()).unwrap_or_default();
                if f.literal {
                    let param = if f.param { "id int" } else { "" };
                    line(s, format!("go func({param}) {{"));
                    self.block(s, &f.body, ind + 1);
                    line(s, format!("}}({a})"));
                } else {
                    line(s, format!("go f{func}({a})"));
                }
            }
            Stmt::Send(c, v) => line(s, format!("{} <- {}", self.chans[*c].0, self.val_src(v))),
            Stmt::Recv(c, form) => {
                let c = &self.chans[*c].0;
                match form {
                    RecvForm::Discard => line(s, format!("<-{c}")),
                    RecvForm::Store(x) => line(s, format!("{} = <-{c}", self.ints[*x])),
                    RecvForm::Ok(n) => {
                        line(s, format!("v{n}, ok{n} := <-{c}"));
                        line(s, format!("print(v{n}, ok{n})"));
                    }
                }
            }
            Stmt::Close(c) => line(s, format!("close({})", self.chans[*c].0)),
            Stmt::Select { cases, default } => {
                line(s, "select {".into());
                for case in cases {
                    match &case.op {
                        CaseOp::Send(c, v) => line(
                            s,
                            format!("case {} <- {}:", self.chans[*c].0, self.val_src(v)),
                        ),
                        CaseOp::Recv(c, form) => {
                            let c = &self.chans[*c].0;
                            match form {
                                RecvForm::Discard => line(s, format!("case <-{c}:")),
                                RecvForm::Store(x) => {
                                    line(s, format!("case {} = <-{c}:", self.ints[*x]))
                                }
                                RecvForm::Ok(n) => {
                                    line(s, format!("case v{n}, ok{n} := <-{c}:"));
                                    line(s, format!("\tprint(v{n}, ok{n})"));
                                }
                            }
                        }
                    }
                    self.block(s, &case.body, ind + 1);
                }
                if let Some(d) = default {
                    line(s, "default:".into());
                    self.block(s, d, ind + 1);
                }
                line(s, "}".into());
            }
            Stmt::Print(args) => {
                let a: Vec<String> = args
                    .iter()
                    .map(|a| match a {
                        PArg::Lit(i) => format!("{:?}", self.lits[*i]),
                        PArg::Int(x) => self.ints[*x].clone(),
                        PArg::Bool(b) => self.bools[*b].clone(),
                        PArg::Param => "id".into(),
                    })
                    .collect();
                line(s, format!("print({})", a.join(", ")))
            }
        }
    }
}
