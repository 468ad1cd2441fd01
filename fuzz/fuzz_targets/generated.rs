//! Well-formed programs built from arbitrary bytes: 2-3 goroutines of a few
//! statements each over two shared ints `x`, `y`, a mutex, a buffered
//! channel, a WaitGroup, `select` with `default`, and atomics. Every
//! generated program must compile; it is checked under sc, tso and go
//! (at most 5000 states each), and when all three searches are complete the
//! law outcomes(sc) ⊆ outcomes(tso) ⊆ outcomes(go) must hold (an outcome is
//! its kind, final globals and output).
#![no_main]

use arbitrary::Arbitrary;
use grace::{CheckResult, Memory, Options};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Runs, and runs where the law was checked (all three searches complete);
/// printed every 1000 runs when `GRACE_FUZZ_STATS` is set.
static RUNS: AtomicUsize = AtomicUsize::new(0);
static LAW_CHECKED: AtomicUsize = AtomicUsize::new(0);
static TSO_NOT_GO: AtomicUsize = AtomicUsize::new(0);

fn count(law_checked: bool) {
    let n = RUNS.fetch_add(1, Relaxed) + 1;
    let k = LAW_CHECKED.fetch_add(law_checked as usize, Relaxed) + law_checked as usize;
    if n % 1000 == 0 && std::env::var_os("GRACE_FUZZ_STATS").is_some() {
        let t = TSO_NOT_GO.load(Relaxed);
        eprintln!("generated: {n} programs, law checked on {k}, tso ⊄ go (allowed) on {t}");
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum V {
    X,
    Y,
}

impl V {
    fn name(self) -> &'static str {
        match self {
            V::X => "x",
            V::Y => "y",
        }
    }
}

/// A small constant 0..=2.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct K(u8);

impl K {
    fn v(self) -> u8 {
        self.0 % 3
    }
}

#[derive(Arbitrary, Debug)]
enum Expr {
    Const(K),
    Var(V),
    Add(V, K),
    Sub(V, V),
}

impl Expr {
    fn text(&self) -> String {
        match self {
            Expr::Const(k) => k.v().to_string(),
            Expr::Var(v) => v.name().to_string(),
            Expr::Add(v, k) => format!("{} + {}", v.name(), k.v()),
            Expr::Sub(a, b) => format!("{} - {}", a.name(), b.name()),
        }
    }
}

/// Statements that nest (inside a lock, an `if`, a bounded loop).
#[derive(Arbitrary, Debug)]
enum Simple {
    Assign(V, Expr),
    Incr(V),
    Print(V),
    AtomicAdd(K),
}

impl Simple {
    fn text(&self) -> String {
        match self {
            Simple::Assign(v, e) => format!("{} = {}", v.name(), e.text()),
            Simple::Incr(v) => format!("{}++", v.name()),
            Simple::Print(v) => format!("print({})", v.name()),
            Simple::AtomicAdd(k) => format!("a.Add({})", k.v()),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Stmt {
    Simple(Simple),
    /// `r := x; y = r + k`
    ReadLocal(V, V, K),
    /// `if x > k { s } else { s }`
    If(V, K, Simple, Simple),
    /// `mu.Lock(); s; s; mu.Unlock()`
    Locked(Vec<Simple>),
    /// `ch <- x` (may block: a deadlock or a leak is a fine outcome)
    Send(V),
    /// `select { case ch <- x: default: }`
    TrySend(V),
    /// `select { case v := <-ch: x = v; default: }`
    TryRecv(V),
    AtomicLoad(V),
    AtomicCas(K, K),
    FlagStore(bool),
    /// `if f.Load() { s }`
    FlagIf(Simple),
    /// `x = 6 / y` (a divide-by-zero panic is a fine outcome)
    Div(V, V),
    /// `assert(x != k)`
    Assert(V, K),
    /// `for i := 0; i < 2; i++ { s }`
    Loop2(Simple),
}

struct Names(u32);

impl Names {
    fn fresh(&mut self, p: &str) -> String {
        self.0 += 1;
        format!("{p}{}", self.0)
    }
}

impl Stmt {
    fn emit(&self, out: &mut String, n: &mut Names) {
        match self {
            Stmt::Simple(s) => writeln!(out, "\t{}", s.text()),
            Stmt::ReadLocal(a, b, k) => {
                let r = n.fresh("r");
                writeln!(
                    out,
                    "\t{r} := {}\n\t{} = {r} + {}",
                    a.name(),
                    b.name(),
                    k.v()
                )
            }
            Stmt::If(v, k, t, e) => writeln!(
                out,
                "\tif {} > {} {{\n\t\t{}\n\t}} else {{\n\t\t{}\n\t}}",
                v.name(),
                k.v(),
                t.text(),
                e.text()
            ),
            Stmt::Locked(ss) => {
                let _ = writeln!(out, "\tmu.Lock()");
                for s in ss.iter().take(2) {
                    let _ = writeln!(out, "\t{}", s.text());
                }
                writeln!(out, "\tmu.Unlock()")
            }
            Stmt::Send(v) => writeln!(out, "\tch <- {}", v.name()),
            Stmt::TrySend(v) => writeln!(
                out,
                "\tselect {{\n\tcase ch <- {}:\n\tdefault:\n\t}}",
                v.name()
            ),
            Stmt::TryRecv(v) => {
                let r = n.fresh("v");
                writeln!(
                    out,
                    "\tselect {{\n\tcase {r} := <-ch:\n\t\t{} = {r}\n\tdefault:\n\t}}",
                    v.name()
                )
            }
            Stmt::AtomicLoad(v) => writeln!(out, "\t{} = a.Load()", v.name()),
            Stmt::AtomicCas(o, w) => writeln!(out, "\ta.CompareAndSwap({}, {})", o.v(), w.v()),
            Stmt::FlagStore(b) => writeln!(out, "\tf.Store({b})"),
            Stmt::FlagIf(s) => writeln!(out, "\tif f.Load() {{\n\t\t{}\n\t}}", s.text()),
            Stmt::Div(a, b) => writeln!(out, "\t{} = 6 / {}", a.name(), b.name()),
            Stmt::Assert(v, k) => writeln!(out, "\tassert({} != {})", v.name(), k.v()),
            Stmt::Loop2(s) => {
                let i = n.fresh("i");
                writeln!(
                    out,
                    "\tfor {i} := 0; {i} < 2; {i}++ {{\n\t\t{}\n\t}}",
                    s.text()
                )
            }
        }
        .unwrap();
    }
}

#[derive(Arbitrary, Debug)]
struct Spec {
    bodies: [Vec<Stmt>; 3],
    three: bool,
    main: Vec<Simple>,
    main_waits: bool,
    main_prints: bool,
    cap: u8,
}

impl Spec {
    fn text(&self) -> String {
        let ngor = if self.three { 3 } else { 2 };
        let cap = 1 + self.cap % 2;
        let mut out = format!(
            "package main\n\nvar x int\nvar y int\nvar mu sync.Mutex\nvar ch = make(chan int, {cap})\n\
             var wg sync.WaitGroup\nvar a atomic.Int64\nvar f atomic.Bool\n"
        );
        let mut names = Names(0);
        for (g, body) in self.bodies.iter().take(ngor).enumerate() {
            let _ = writeln!(out, "\nfunc g{g}() {{");
            for s in body.iter().take(4) {
                s.emit(&mut out, &mut names);
            }
            out.push_str("\twg.Done()\n}\n");
        }
        let _ = writeln!(out, "\nfunc main() {{\n\twg.Add({ngor})");
        for g in 0..ngor {
            let _ = writeln!(out, "\tgo g{g}()");
        }
        for s in self.main.iter().take(2) {
            let _ = writeln!(out, "\t{}", s.text());
        }
        if self.main_waits {
            out.push_str("\twg.Wait()\n");
        }
        if self.main_prints {
            out.push_str("\tprintln(x, y)\n");
        }
        out.push_str("}\n");
        out
    }
}

type Key = (String, Vec<(String, String)>, String);

fn outcomes(r: &CheckResult) -> BTreeSet<Key> {
    r.outcomes
        .iter()
        .map(|o| {
            (
                o.kind.name().to_string(),
                o.globals
                    .iter()
                    .map(|(n, v)| (n.clone(), v.show()))
                    .collect(),
                o.output.clone(),
            )
        })
        .collect()
}

/// Check the program under `memory`, at most 5000 states.
fn check(text: &str, memory: Memory) -> CheckResult {
    let opts = Options::new().memory(memory).max_states(5000);
    match grace::check_source("gen.gr", text, &opts) {
        Ok(r) => r.into_result(),
        Err(e) => panic!("a generated program does not compile:\n{text}\n{e}"),
    }
}

fuzz_target!(|spec: Spec| {
    let text = spec.text();
    // Weaker models explore supersets of states: if sc is cut short, so are
    // the others, and the law cannot be checked; skip them.
    let sc = check(&text, Memory::Sc);
    if !sc.complete {
        count(false);
        return;
    }
    let tso = check(&text, Memory::Tso);
    let go = check(&text, Memory::Go);
    if !(tso.complete && go.complete) {
        count(false);
        return;
    }
    count(true);
    let (sc, tso, go) = (outcomes(&sc), outcomes(&tso), outcomes(&go));
    if let Some(o) = sc.difference(&tso).next() {
        panic!("an sc outcome is not a tso outcome: {o:?}\n{text}\nsc={sc:#?}\ntso={tso:#?}");
    }
    if let Some(o) = sc.difference(&go).next() {
        panic!("an sc outcome is not a go outcome: {o:?}\n{text}\nsc={sc:#?}\ngo={go:#?}");
    }
    if let Some(o) = tso.difference(&go).next() {
        // Known bug (docs/FUZZING.md, fuzz/findings/tso_not_in_go.gr): with
        // GRACE_FUZZ_ALLOW_TSO_GO set, count it instead of stopping, to
        // fuzz on past it.
        if std::env::var_os("GRACE_FUZZ_ALLOW_TSO_GO").is_some() {
            TSO_NOT_GO.fetch_add(1, Relaxed);
            return;
        }
        panic!("a tso outcome is not a go outcome: {o:?}\n{text}\ntso={tso:#?}\ngo={go:#?}");
    }
});
