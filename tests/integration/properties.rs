//! Properties over generated input: no input makes grace panic, and laws
//! that hold for every program.

use grace::Memory::{Go, Sc, Tso};
use grace::{CheckResult, Memory, Options};
use proptest::prelude::*;

/// Check a program that must compile.
fn report(src: &str, memory: Memory, opts: Options) -> grace::Report {
    grace::check_source("gen.gr", src, &opts.memory(memory)).unwrap_or_else(|e| panic!("{e}"))
}

/// What [`report`] found.
fn check(src: &str, memory: Memory, opts: Options) -> CheckResult {
    report(src, memory, opts).into_result()
}

/// Check a program if it compiles (the report is dropped: not panicking
/// is the point).
fn check_if_it_compiles(src: &str, opts: Options) {
    let _ = grace::check_source("gen.gr", src, &opts.memory(Sc));
}

/// A statement of a generated goroutine body over shared `$X`, `$Y` and
/// mutex mu (the names are filled in by [`name`]).
fn stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..3i64).prop_map(|v| format!("$X = {v}")),
        (0..3i64).prop_map(|v| format!("$Y = $X + {v}")),
        Just("$X = $Y".to_string()),
        Just("$X++".to_string()),
        Just("print($X)".to_string()),
        Just("if $X > 0 { $Y = 1 } else { $Y = 2 }".to_string()),
        Just("ch <- $X".to_string()),
        Just("select { case v := <-ch: $Y = v\n default: }".to_string()),
    ]
}

/// A program template with `$X`/`$Y` for the shared variables' names.
fn template(locked: bool) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(stmt(), 1..4),
        proptest::collection::vec(stmt(), 1..4),
    )
        .prop_map(move |(a, b)| {
            let wrap = |ss: &[String]| {
                let body = ss.join("\n");
                if locked {
                    format!("mu.Lock()\n{body}\nmu.Unlock()")
                } else {
                    body
                }
            };
            format!(
                "var $X int\nvar $Y int\nvar mu sync.Mutex\nvar ch = make(chan int, 1)\nvar wg sync.WaitGroup\n\
                 func a() {{\n{}\nwg.Done()\n}}\nfunc b() {{\n{}\nwg.Done()\n}}\n\
                 func main() {{\nwg.Add(2)\ngo a()\ngo b()\nwg.Wait()\n}}\n",
                wrap(&a),
                wrap(&b)
            )
        })
}

/// The findings of `p` under `model` with reductions, and without.
fn reduced_and_plain(p: &str, memory: Memory) -> (String, String) {
    let a = report(p, memory, Options::new());
    let b = report(p, memory, Options::new().reductions(false));
    (crate::findings(&a), crate::findings(&b))
}

fn name(t: &str, x: &str, y: &str) -> String {
    t.replace("$X", x).replace("$Y", y)
}

fn program(locked: bool) -> impl Strategy<Value = String> {
    template(locked).prop_map(|t| name(&t, "x", "y"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_a_report_or_an_error(s in "\\PC{0,200}") {
        check_if_it_compiles(&s, Options::new().max_states(2000));
    }

    #[test]
    fn mangled_programs_never_panic(src in program(false), cut in 0usize..400, junk in "[(){}\\[\\];:=<\\-a-z0-9 \n]{0,5}") {
        let mut s = src.clone();
        let at = cut.min(s.len());
        s.insert_str(at, &junk);
        check_if_it_compiles(&s, Options::new().max_states(5000));
    }

    #[test]
    fn generated_programs_check_and_serial_outcomes_are_outcomes(src in program(false)) {
        let p: &str = &src;
        let r = check(p, Sc, Options::new());
        prop_assert!(r.complete);
        // every run ends (no deadlock is possible: the channel has room or a default)
        prop_assert!(r.outcomes.iter().any(|o| o.class == Some(grace::Class::Serial)));
        // two runs agree exactly
        let text = || {
            grace::check_source("g", p, &Options::new().memory(Sc))
                .unwrap()
                .to_text_with(grace::WitnessMode::All, false)
        };
        prop_assert_eq!(text(), text());
    }

    #[test]
    fn programs_under_one_lock_have_no_data_race(src in program(true)) {
        let p: &str = &src;
        let r = check(p, Sc, Options::new());
        prop_assert!(r.races.is_empty(), "{}", src);
    }
}

/// The outcome set of a program under a model, as comparable strings.
fn outcome_set(p: &str, model: &str) -> std::collections::BTreeSet<String> {
    let memory = Memory::from_name(model).unwrap();
    let r = check(p, memory, Options::new());
    assert!(r.complete);
    r.outcomes
        .iter()
        .map(|o| {
            let g: Vec<String> = o
                .globals
                .iter()
                .map(|(n, v)| format!("{n}={}", v.show()))
                .collect();
            format!(
                "{} {} {:?} {:?}",
                o.kind.name(),
                g.join(" "),
                o.output,
                o.message
            )
        })
        .collect()
}

/// Straight-line threads over plain x, y with reads into registers: the
/// shapes of litmus tests, with optional fences made of sync operations.
fn litmus_program() -> impl Strategy<Value = String> {
    let op = prop_oneof![
        (0..2usize, 1..3i64).prop_map(|(v, k)| format!("{} = {k}", ["x", "y"][v])),
        (0..2usize).prop_map(|v| format!("READ{}", ["x", "y"][v])),
        Just("fence.Add(1)".to_string()),
    ];
    (
        proptest::collection::vec(op.clone(), 1..4),
        proptest::collection::vec(op, 1..4),
    )
        .prop_map(|(a, b)| {
            let mut reg = 0;
            let mut thread = |ops: &[String]| {
                ops.iter()
                    .map(|o| match o.strip_prefix("READ") {
                        Some(v) => {
                            reg += 1;
                            format!("r{} = {v}", reg - 1)
                        }
                        None => o.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let (ta, tb) = (thread(&a), thread(&b));
            let regs: String = (0..reg).map(|i| format!("var r{i} int\n")).collect();
            format!(
                "var x int\nvar y int\n{regs}var fence atomic.Int64\nvar wg sync.WaitGroup\n\
                 func a() {{\n{ta}\nwg.Done()\n}}\nfunc b() {{\n{tb}\nwg.Done()\n}}\n\
                 func main() {{\nwg.Add(2)\ngo a()\ngo b()\nwg.Wait()\n}}\n"
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// outcomes(sc) ⊆ outcomes(tso) ⊆ outcomes(go)
    #[test]
    fn weaker_models_only_add_outcomes(src in litmus_program()) {
        let p: &str = &src;
        let sc = outcome_set(p, "sc");
        let tso = outcome_set(p, "tso");
        let go = outcome_set(p, "go");
        prop_assert!(sc.is_subset(&tso), "sc ⊄ tso for\n{}\nsc={:?}\ntso={:?}", src, sc, tso);
        prop_assert!(tso.is_subset(&go), "tso ⊄ go for\n{}\ntso={:?}\ngo={:?}", src, tso, go);
    }

    /// A program without data races has the same outcomes under every model.
    #[test]
    fn race_free_programs_agree_under_every_model(src in program(true)) {
        let p: &str = &src;
        let r = check(p, Sc, Options::new());
        prop_assert!(r.races.is_empty());
        let sc = outcome_set(p, "sc");
        prop_assert_eq!(&sc, &outcome_set(p, "tso"), "{}", src);
        prop_assert_eq!(&sc, &outcome_set(p, "go"), "{}", src);
    }

    /// Classes are consistent: serial and preemptive outcomes are sc outcomes,
    /// stale ones are not.
    #[test]
    fn classes_agree_with_sc(src in litmus_program()) {
        let p: &str = &src;
        let sc = outcome_set(p, "sc");
        let r = check(p, Go, Options::new());
        for o in &r.outcomes {
            let g: Vec<String> = o.globals.iter().map(|(n, v)| format!("{n}={}", v.show())).collect();
            let key = format!("{} {} {:?} {:?}", o.kind.name(), g.join(" "), o.output, o.message);
            let stale = o.class == Some(grace::Class::Stale);
            prop_assert_eq!(stale, !sc.contains(&key), "{}", key);
        }
    }
}

/// Outcomes as sets of sorted `name=value` lists, so that declaration order
/// does not matter; `rename` maps new names back to old ones.
fn canonical_outcomes(p: &str, rename: &[(&str, &str)]) -> std::collections::BTreeSet<String> {
    let r = check(p, Sc, Options::new());
    r.outcomes
        .iter()
        .map(|o| {
            let mut g: Vec<String> = o
                .globals
                .iter()
                .map(|(n, v)| {
                    let n = rename
                        .iter()
                        .find(|(new, _)| new == n)
                        .map_or(n.as_str(), |(_, old)| old);
                    format!("{n}={}", v.show())
                })
                .collect();
            g.sort();
            format!(
                "{} {} {:?} {:?}",
                o.kind.name(),
                g.join(" "),
                o.output,
                o.class
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// Renaming shared variables changes nothing but the names.
    #[test]
    fn renaming_variables_keeps_the_outcomes(t in template(false)) {
        let (src, renamed) = (name(&t, "x", "y"), name(&t, "alpha", "beta"));
        let a = canonical_outcomes(&src, &[]);
        let b = canonical_outcomes(&renamed, &[("alpha", "x"), ("beta", "y")]);
        prop_assert_eq!(a, b, "{}\n---\n{}", src, renamed);
    }

    /// Reordering top-level declarations (variables and the goroutines'
    /// functions) and adding dead code change nothing.
    #[test]
    fn reordering_and_dead_code_keep_the_outcomes(src in program(false)) {
        let items: Vec<&str> = src.split("\nfunc ").collect();
        // items[0] holds the vars; then a(), b(), main()
        let vars: Vec<&str> = items[0].lines().collect();
        let mut rev_vars = vars.clone();
        rev_vars.reverse();
        let reordered = format!(
            "{}\nfunc {}\nfunc {}\nfunc {}\nfunc unused() {{ x = 99; y = 98 }}\n",
            rev_vars.join("\n"),
            items[3],
            items[2],
            items[1].replace("wg.Done()", "if false { x = 7 }\nwg.Done()"),
        );
        let a = canonical_outcomes(&src, &[]);
        let b = canonical_outcomes(&reordered, &[]);
        prop_assert_eq!(a, b, "{}\n---\n{}", src, reordered);
    }

    /// Symmetry reduction loses nothing: `--no-reduction` finds the same
    /// outcomes (and classes), races, leaks, never-ending runs and expect
    /// verdicts, under sc and under go.
    #[test]
    fn no_reduction_is_the_same_search(src in program(false)) {
        // two copies of `a`, so that there are interchangeable goroutines
        let src = src.replace("wg.Add(2)\ngo a()", "wg.Add(3)\ngo a()\ngo a()");
        let p: &str = &src;
        let (a, b) = reduced_and_plain(p, Sc);
        prop_assert_eq!(a, b);
        let (a, b) = reduced_and_plain(p, Go);
        prop_assert_eq!(a, b);
    }

    /// Partial-order reduction (a `go`, an owner's `Unlock` or a `Done`
    /// taken alone) loses nothing when goroutines start goroutines, a new goroutine
    /// panics before its first step, main returns without waiting (leaks),
    /// or a goroutine unlocks a mutex another holds: under sc, tso and go.
    #[test]
    fn reductions_keep_spawns_panics_and_leaks(
        src in prop_oneof![program(false), program(true)],
        nested in any::<bool>(),
        wait in any::<bool>(),
        from_main in any::<bool>(),
        foreign in any::<bool>(),
        adds in 1..4i64,
        waiter in any::<bool>(),
        second_group in any::<bool>(),
    ) {
        let mut src = format!("{src}func c(d int) {{\ny = 10 / d\n}}\n");
        if foreign {
            src = src.replace("func b() {\n", "func b() {\nmu.Unlock()\n");
        }
        // counters that go negative, another goroutine that waits, a Done
        // on another wait group
        src = src.replace("wg.Add(2)", &format!("wg.Add({adds})"));
        if waiter {
            src = src.replace("func b() {\n", "func b() {\nwg.Wait()\n");
        }
        if second_group {
            src = src.replace("var wg sync.WaitGroup", "var wg sync.WaitGroup\nvar wg2 sync.WaitGroup");
            src = src.replace("func a() {\n", "func a() {\nwg2.Add(1)\nwg2.Done()\nwg2.Done()\n");
        }
        if nested {
            src = src.replace("func a() {\n", "func a() {\ngo c(x)\n");
        }
        if from_main {
            src = src.replace("go b()\n", "go b()\ngo c(x)\n");
        }
        if !wait {
            src = src.replace("wg.Wait()\n", "");
        }
        let p: &str = &src;
        let (a, b) = reduced_and_plain(p, Sc);
        prop_assert_eq!(a, b);
        let (a, b) = reduced_and_plain(p, Tso);
        prop_assert_eq!(a, b);
        let (a, b) = reduced_and_plain(p, Go);
        prop_assert_eq!(a, b);
    }
}

/// Leaks and never-ending runs are described the same whatever the
/// reductions left out: leaks listed by place (not by the cost of the run
/// that first showed them), each loop shown at its first state in shape
/// order (not at the first state the search happened to store).
#[test]
fn leaks_and_loops_read_the_same_reduced_or_not() {
    let leaks = "var ca = make(chan int)\nvar cb = make(chan int)\nvar cc = make(chan int)\nvar x int\n\
                 func a() {\n<-ca\n}\nfunc b() {\ncb <- 1\n}\nfunc c() {\nx = 1\n<-cc\n}\n\
                 func main() {\ngo c()\ngo b()\ngo a()\n}\n";
    let p: &str = leaks;
    let r = check(p, Sc, Options::new());
    let lines: Vec<u32> = r.leaks.iter().map(|l| l.line).collect();
    assert_eq!(lines, [6, 9, 13], "leaks by place");
    let looping = "var mu sync.Mutex\nvar wg sync.WaitGroup\nvar ch = make(chan int)\nvar n int\n\
                   func a() {\nfor {\nmu.Lock()\nn = (n + 1) % 3\nmu.Unlock()\n}\n}\n\
                   func b() {\nmu.Lock()\nn = 5\nmu.Unlock()\n<-ch\n}\n\
                   func c() {\nfor {\nmu.Lock()\nmu.Unlock()\n}\n}\n\
                   func main() {\nwg.Add(1)\ngo c()\ngo b()\ngo a()\nwg.Wait()\n}\n";
    // twins looping, each may stand anywhere in the loop
    let twins = "var mu sync.Mutex\nvar wg sync.WaitGroup\nvar n int\n\
                 func spin() {\nfor {\nmu.Lock()\nn = (n + 1) % 3\nmu.Unlock()\n}\n}\n\
                 func main() {\nwg.Add(1)\ngo spin()\ngo spin()\nwg.Wait()\n}\n";
    let r = check(twins, Sc, Options::new());
    assert_eq!(r.never_ending.len(), 1);
    let places: Vec<(u32, u32)> = r.never_ending[0]
        .goroutines
        .iter()
        .map(|p| (p.line, p.col))
        .collect();
    let mut sorted = places.clone();
    sorted[1..].sort();
    assert_eq!(places, sorted, "main first, then by place");
    for src in [leaks, looping, twins] {
        let p: &str = src;
        let (a, b) = reduced_and_plain(p, Sc);
        assert_eq!(a, b, "sc\n{src}");
        let (a, b) = reduced_and_plain(p, Tso);
        assert_eq!(a, b, "tso\n{src}");
    }
}

/// Under `go`, a goroutine that can no longer read a variable (here main,
/// blocked at `wg.Wait()` for ever) does not keep the variable's old writes
/// readable: a writer looping for ever makes finitely many states, and the
/// never-ending run is found (before, the history grew until the store
/// was full).
#[test]
fn writes_no_one_can_read_are_forgotten_under_go() {
    let src = "var mu sync.Mutex\nvar wg sync.WaitGroup\nvar n int\n\
               func a() {\nfor {\nmu.Lock()\nn = (n + 1) % 3\nmu.Unlock()\n}\n}\n\
               func main() {\nwg.Add(1)\ngo a()\nwg.Wait()\n}\n";
    let p: &str = src;
    let r = check(p, Go, Options::new().reductions(false).max_states(10_000));
    assert!(r.complete, "{:?}", r.limit);
    assert_eq!(r.never_ending.len(), 1);
    // and main, if it reads `n` after waiting, keeps them (it could read
    // any of them were it ever to get past the wait)
    let reads = src.replace("wg.Wait()\n}", "wg.Wait()\nprint(n)\n}");
    let r = check(
        &reads,
        Go,
        Options::new().reductions(false).max_states(10_000),
    );
    assert!(!r.complete);
}

/// Shapes where *views read once* (docs/DESIGN.md, **Weak memory**) keep
/// only sets of values — each one found to change the `go` state count
/// against the search before that reduction — lose nothing against
/// `--no-reduction` under go and tso: a reader that starts a reader before
/// its own read (the child holds a copy of the view), a read in a callee,
/// twin incrementers beside a goroutine that reads `y` and writes `x`, a
/// goroutine reading `x` twice, a conditional rewrite between increments.
#[test]
fn views_read_once_lose_nothing_on_the_shapes_that_use_them() {
    let writers = "func writer(v int) {\nx = v\nx = v + 1\nwg.Done()\n}\n";
    let shapes = [
        format!(
            "var x int\nvar r1 int\nvar r2 int\nvar wg sync.WaitGroup\n\
             func child() {{\nr2 = x\nwg.Done()\n}}\n\
             func reader() {{\ngo child()\nr1 = x\nwg.Done()\n}}\n{writers}\
             func main() {{\nwg.Add(4)\ngo writer(1)\ngo reader()\ngo writer(3)\nwg.Wait()\n}}\n"
        ),
        "var x int\nvar r1 int\nvar r2 int\nvar wg sync.WaitGroup\n\
         func rd() int {\nreturn x\n}\n\
         func reader() {\nr1 = rd()\nr2 = x\nwg.Done()\n}\n\
         func writer(v int) {\nx = v\nwg.Done()\n}\n\
         func main() {\nwg.Add(4)\ngo reader()\ngo writer(1)\ngo writer(2)\ngo writer(1)\nwg.Wait()\n}\n"
            .to_string(),
        "var x int\nvar y int\nvar wg sync.WaitGroup\n\
         func g0() {\nx = x + 1\nwg.Done()\n}\n\
         func g1() {\ny = x + 1\nx = x + 1\nwg.Done()\n}\n\
         func g2() {\nx = y\nwg.Done()\n}\n\
         func main() {\nwg.Add(4)\ngo g2()\ngo g0()\ngo g1()\ngo g0()\nwg.Wait()\nprint(x)\n}\n"
            .to_string(),
        "var x int\nvar r0 int\nvar r1 int\nvar wg sync.WaitGroup\n\
         func load() int {\nreturn x\n}\n\
         func g0() {\nr0 = x\nr0 = x\nwg.Done()\n}\n\
         func g1() {\nx = x + 1\nx = x + 1\nr1 = load()\nwg.Done()\n}\n\
         func g2() {\nx = x + 1\nx = x + 1\nwg.Done()\n}\n\
         func main() {\nwg.Add(3)\ngo g2()\ngo g1()\ngo g0()\nwg.Wait()\nr0 = x\n}\n"
            .to_string(),
        "var x int\nvar y int\nvar wg sync.WaitGroup\n\
         func g0() {\nx = 0\nwg.Done()\n}\n\
         func g1() {\nx = x + 1\nif x == 0 {\nx = 0\n}\nx = x + 1\nwg.Done()\n}\n\
         func g2() {\nx = x + 1\nwg.Done()\n}\n\
         func main() {\nwg.Add(3)\ngo g1()\ngo g2()\ngo g0()\nwg.Wait()\ny = 1\n}\n"
            .to_string(),
    ];
    for src in &shapes {
        for memory in [Go, Tso] {
            let (a, b) = reduced_and_plain(src, memory);
            assert_eq!(a, b, "{memory:?}\n{src}");
        }
        let sc = outcome_set(src, "sc");
        let (tso, go) = (outcome_set(src, "tso"), outcome_set(src, "go"));
        assert!(sc.is_subset(&tso) && tso.is_subset(&go), "{src}");
    }
}

/// A statement of a generated goroutine that makes channels in a function
/// other than main (a pool of channels, freed and renumbered by grace) and
/// hands them around through `reqs`, a channel of channels.
fn heap_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("r = make(chan int, 1)".to_string()),
        Just("select {\ncase reqs <- r:\ndefault:\n}".to_string()),
        Just("select {\ncase r = <-reqs:\ndefault:\n}".to_string()),
        Just("select {\ncase r <- x:\ndefault:\n}".to_string()),
        Just("select {\ncase v := <-r:\ny = v\ndefault:\n}".to_string()),
        Just("x++".to_string()),
        Just("if r != nil {\nclose(r)\n}".to_string()),
        Just("r = nil".to_string()),
        Just("select {\ncase keep <- r:\ndefault:\n}".to_string()),
        Just("select {\ncase r = <-keep:\ndefault:\n}".to_string()),
    ]
}

/// Two kinds of goroutine (two copies of `a`) running such statements.
fn heap_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(heap_stmt(), 1..6),
        proptest::collection::vec(heap_stmt(), 1..6),
    )
        .prop_map(|(a, b)| {
            format!(
                // `keep` is made once by main, after a's and b's pools in
                // the table: a root all the same
                "var x int\nvar y int\nvar reqs = make(chan chan int, 2)\nvar wg sync.WaitGroup\n\
                 func a(keep chan chan int) {{\nvar r chan int\n{}\nwg.Done()\n}}\n\
                 func b(keep chan chan int) {{\nvar r chan int\n{}\nwg.Done()\n}}\n\
                 func main() {{\nkeep := make(chan chan int, 1)\nwg.Add(3)\ngo a(keep)\ngo a(keep)\ngo b(keep)\nwg.Wait()\n}}\n",
                a.join("\n"),
                b.join("\n")
            )
        })
}

/// Statements on struct values holding made channels: a `box` is made,
/// changed, passed through a channel of boxes and taken apart.
fn struct_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("r = make(chan int, 1)".to_string()),
        Just("s = box{n: x, c: r}".to_string()),
        Just("s.n++".to_string()),
        Just("r = s.c".to_string()),
        Just("s = box{}".to_string()),
        Just("select {\ncase boxes <- s:\ndefault:\n}".to_string()),
        Just("select {\ncase s = <-boxes:\ndefault:\n}".to_string()),
        Just("select {\ncase s.c <- s.n:\ndefault:\n}".to_string()),
        Just("if s.c != nil {\nselect {\ncase v := <-s.c:\ny = v\ndefault:\n}\n}".to_string()),
        Just("if s == (box{}) {\nx++\n}".to_string()),
        Just("x = s.n".to_string()),
    ]
}

/// Two kinds of goroutine (two copies of `a`) running such statements.
fn struct_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(struct_stmt(), 1..6),
        proptest::collection::vec(struct_stmt(), 1..6),
    )
        .prop_map(|(a, b)| {
            format!(
                "type box struct {{\nn int\nc chan int\n}}\n\
                 var x int\nvar y int\nvar boxes = make(chan box, 2)\nvar wg sync.WaitGroup\n\
                 func a() {{\nvar r chan int\nvar s box\n{}\nwg.Done()\n}}\n\
                 func b() {{\nvar r chan int\nvar s box\n{}\nwg.Done()\n}}\n\
                 func main() {{\nwg.Add(3)\ngo a()\ngo a()\ngo b()\nwg.Wait()\n}}\n",
                a.join("\n"),
                b.join("\n")
            )
        })
}

/// A statement on struct pointers made at run time (`&node{…}` in a
/// function many goroutines call, and in the goroutine itself).
fn pool_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("p = mk(1)".to_string()),
        Just("p = &node{n: x}".to_string()),
        Just("if p != nil {\np.n++\n}".to_string()),
        Just("if p != nil {\nx = p.n\n}".to_string()),
        Just("mu.Lock()\nif p != nil {\np.n += y\n}\nmu.Unlock()".to_string()),
        Just("x = x + 1".to_string()),
        Just("y = 2".to_string()),
    ]
}

/// Two goroutines making structs (at one site, `mk`, and each at its own)
/// and passing each its last one to a goroutine that changes it.
fn pool_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(pool_stmt(), 1..5),
        proptest::collection::vec(pool_stmt(), 1..5),
    )
        .prop_map(|(a, b)| {
            format!(
                "type node struct {{\nn int\n}}\n\
                 var x int\nvar y int\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n\
                 func mk(v int) *node {{\nreturn &node{{n: v}}\n}}\n\
                 func touch(q *node) {{\nif q != nil {{\nq.n++\n}}\nwg.Done()\n}}\n\
                 func a() {{\nvar p *node\n{}\ngo touch(p)\nwg.Done()\n}}\n\
                 func b() {{\nvar p *node\n{}\ngo touch(p)\nwg.Done()\n}}\n\
                 func main() {{\nwg.Add(4)\ngo a()\ngo b()\nwg.Wait()\n}}\n",
                a.join("\n"),
                b.join("\n")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Structs made from pools at run time: which instance a goroutine
    /// gets depends on the order, reports do not (reduced = unreduced
    /// under every model), and the weaker models only add outcomes.
    #[test]
    fn pool_structs_reduce_soundly(src in pool_program()) {
        heap_reduces_soundly(&src)?;
    }

    /// Struct values that hold made channels: the heap walk finds the
    /// channels inside them (reduced = unreduced under every model), and
    /// the weaker models only add outcomes.
    #[test]
    fn struct_values_reduce_soundly(src in struct_program()) {
        heap_reduces_soundly(&src)?;
    }

    /// Channels made at run time: freeing them and renumbering each pool
    /// loses nothing (reduced = unreduced under every model), and the
    /// weaker models only add outcomes.
    #[test]
    fn made_channels_reduce_soundly(src in heap_program()) {
        heap_reduces_soundly(&src)?;
    }
}

/// Reduced = unreduced under every model, and the weaker models only add
/// outcomes (a program whose pool is used up is skipped).
fn heap_reduces_soundly(src: &str) -> Result<(), TestCaseError> {
    for m in [Sc, Tso, Go] {
        let r = check(src, m, Options::new());
        prop_assume!(r.complete, "a pool used up: {:?}", r.stopped_by);
        let (a, b) = reduced_and_plain(src, m);
        prop_assert_eq!(a, b, "{}", src);
    }
    let sc = outcome_set(src, "sc");
    let tso = outcome_set(src, "tso");
    let go = outcome_set(src, "go");
    prop_assert!(sc.is_subset(&tso), "sc ⊄ tso for\n{}", src);
    prop_assert!(tso.is_subset(&go), "tso ⊄ go for\n{}", src);
    Ok(())
}

/// A program where goroutines may spin: `a` and `b` run generated
/// statements (one may spin on `x`), `a` then sets `done`, and main spins
/// on it (on an atomic or a plain flag) before its own statements.
fn spinning_program() -> impl Strategy<Value = String> {
    let spin_stmt = prop_oneof![
        4 => stmt(),
        1 => Just("for $X == 0 { }".to_string()),
        1 => Just("for $X == 0 || $Y == 0 { }".to_string()),
    ];
    (
        proptest::collection::vec(spin_stmt.clone(), 1..4),
        proptest::collection::vec(spin_stmt, 1..4),
        proptest::collection::vec(stmt(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(a, b, m, atomic)| {
            let (decl, set, wait) = if atomic {
                (
                    "var done atomic.Bool",
                    "done.Store(true)",
                    "for !done.Load() { }",
                )
            } else {
                ("var done bool", "done = true", "for !done { }")
            };
            name(
                &format!(
                    "var $X int\nvar $Y int\nvar ch = make(chan int, 1)\n{decl}\n\
                     func a() {{\n{}\n{set}\n}}\nfunc b() {{\n{}\n}}\n\
                     func main() {{\ngo a()\ngo b()\n{wait}\n{}\n}}\n",
                    a.join("\n"),
                    b.join("\n"),
                    m.join("\n")
                ),
                "x",
                "y",
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// The spinning rule (LANGUAGE.md §9) keeps the serial search and the
    /// witnesses' preemption marks in step: under sc an outcome is serial
    /// exactly when its witness shows no preemption (a switch away from a
    /// goroutine as it begins to spin is none; one in the middle of its
    /// spin is). And it changes classes only: the findings are the same
    /// reduced or not.
    #[test]
    fn spinning_goroutines_wait_and_nothing_else_changes(src in spinning_program()) {
        let p: &str = &src;
        let opts = Options::new().max_states(200_000);
        let r = check(p, Sc, opts.clone());
        prop_assume!(r.complete);
        for o in &r.outcomes {
            prop_assert_eq!(
                o.class == Some(grace::Class::Serial),
                o.preemptions == 0,
                "{}\n{:?} {:?} with {} preemptions", src, o.output, o.class, o.preemptions
            );
        }
        let (a, b) = reduced_and_plain(p, Sc);
        prop_assert_eq!(a, b, "{}", src);
    }
}

/// A statement of a generated goroutine on the shared map `m` (keys 1 and
/// 2): reads, comma-ok, writes, `op=`, deletes, `len` and `range`, some
/// under the mutex; and a plain shared variable `y`.
fn map_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("m[1] = x".to_string()),
        Just("m[2]++".to_string()),
        Just("x = m[1]".to_string()),
        Just("if _, ok := m[2]; ok {\nx++\n}".to_string()),
        Just("delete(m, 1)".to_string()),
        Just("x = len(m)".to_string()),
        Just("for k, v := range m {\nx = k + v\n}".to_string()),
        Just("mu.Lock()\nm[1] += 2\nmu.Unlock()".to_string()),
        Just("mu.Lock()\ndelete(m, 2)\nmu.Unlock()".to_string()),
        // a plain shared variable beside the map (store buffers under tso)
        Just("y = 1".to_string()),
        Just("x = y".to_string()),
    ]
}

/// Two kinds of goroutine (two copies of `a`, so that symmetry renumbers
/// them) running such statements on a map main makes.
fn map_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(map_stmt(), 1..4),
        proptest::collection::vec(map_stmt(), 1..4),
    )
        .prop_map(|(a, b)| {
            format!(
                "var mu sync.Mutex\nvar wg sync.WaitGroup\nvar y int\n\
                 func a(m map[int]int) {{\nx := 0\n{}\nwg.Done()\n}}\n\
                 func b(m map[int]int) {{\nx := 0\n{}\nwg.Done()\n}}\n\
                 func main() {{\nm := map[int]int{{2: 5}}\nwg.Add(3)\ngo a(m)\ngo a(m)\ngo b(m)\nwg.Wait()\nprint(len(m))\n}}\n",
                a.join("\n"),
                b.join("\n")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 80, ..ProptestConfig::default() })]

    /// Maps (their contents in the sync table, writes in two steps, the
    /// fatal errors of concurrent access): the reductions lose nothing
    /// (reduced = unreduced under every model), and the weaker models only
    /// add outcomes.
    #[test]
    fn maps_reduce_soundly(src in map_program()) {
        let p: &str = &src;
        for m in [Sc, Tso, Go] {
            let (a, b) = reduced_and_plain(p, m);
            prop_assert_eq!(a, b, "{}", src);
        }
        let sc = outcome_set(p, "sc");
        let tso = outcome_set(p, "tso");
        let go = outcome_set(p, "go");
        prop_assert!(sc.is_subset(&tso), "sc ⊄ tso for\n{}", src);
        prop_assert!(tso.is_subset(&go), "tso ⊄ go for\n{}", src);
    }
}

/// A statement of goroutine `$I` of an asymmetric program: mostly on its
/// own variable `o$I`, sometimes on shared `s` (plain or under `m`), `t`
/// under `m`, the channel, the output, an array element, or a division
/// that may fail.
fn own_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("o$I = o$I + 1".to_string()),
        2 => Just("for j := 0; j < 2; j++ {\no$I = o$I + 1\n}".to_string()),
        1 => Just("s = s + o$I".to_string()),
        1 => Just("m.Lock()\ns = s + 1\nm.Unlock()".to_string()),
        1 => Just("m.Lock()\nt = t + o$I\nm.Unlock()".to_string()),
        1 => Just("m.Lock()\nm2.Lock()\nt = t + 1\nm2.Unlock()\nm.Unlock()".to_string()),
        1 => Just("ch <- o$I".to_string()),
        1 => Just("select {\ncase v := <-ch:\no$I = v\ndefault:\n}".to_string()),
        1 => Just("print(o$I)".to_string()),
        1 => Just("a[o$I % 2] = o$I".to_string()),
        1 => Just("o$I = 10 / (o$I - 1)".to_string()),
        1 => Just("for o$I == 7 {\n}".to_string()),
    ]
}

/// Goroutines with their own functions and variables, a few shared
/// objects: where the stubborn sets take steps alone.
fn asymmetric_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(proptest::collection::vec(own_stmt(), 1..4), 2..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(bodies, wait, show)| {
            let n = bodies.len();
            let mut src = String::from(
                "var s int\nvar t int\nvar a [2]int\nvar m sync.Mutex\nvar m2 sync.Mutex\n\
                 var ch = make(chan int, 1)\nvar wg sync.WaitGroup\n",
            );
            for (i, body) in bodies.iter().enumerate() {
                let body = body.join("\n").replace("$I", &i.to_string());
                src.push_str(&format!(
                    "var o{i} int\nfunc g{i}() {{\n{body}\nwg.Done()\n}}\n"
                ));
            }
            src.push_str(&format!("func main() {{\nwg.Add({n})\n"));
            for i in 0..n {
                src.push_str(&format!("go g{i}()\n"));
            }
            if wait {
                src.push_str("wg.Wait()\n");
            }
            if show {
                src.push_str("print(s + t)\n");
            }
            src.push_str("}\n");
            src
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 80, ..ProptestConfig::default() })]

    /// Stubborn sets lose nothing on asymmetric programs: the same
    /// findings as `--no-reduction` (outcomes and classes, races, leaks,
    /// never-ending runs, expects), witnesses with as few preemptions, and
    /// never more states.
    #[test]
    fn stubborn_sets_lose_nothing(src in asymmetric_program()) {
        for memory in [Sc, Tso, Go] {
            let a = report(&src, memory, Options::new());
            let b = report(&src, memory, Options::new().reductions(false));
            prop_assert_eq!(crate::findings(&a), crate::findings(&b), "{}", src);
            let pre = |r: &grace::Report| -> Vec<u32> {
                r.result().outcomes.iter().map(|o| o.preemptions).collect()
            };
            prop_assert_eq!(pre(&a), pre(&b), "{}", src);
            prop_assert!(a.result().stats.states <= b.result().stats.states, "{}", src);
        }
    }
}

/// A statement of a goroutine of a weak-model program over plain `x`, `y`
/// and `f`: reads then writes of one variable (a view that dies before the
/// write), views passed through a mutex, a wait group, a channel and a
/// `go`, message passing through a plain flag, equal values written
/// twice in a row (histories whose writes merge), prints.
fn weak_stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("x = x + 1".to_string()),
        1 => (0..2i64).prop_map(|v| format!("x = {v}")),
        1 => Just("y = x".to_string()),
        1 => Just("x = y + 1".to_string()),
        1 => Just("mu.Lock()\nx = x + 1\nmu.Unlock()".to_string()),
        1 => Just("mu.Lock()\ny = x\nmu.Unlock()".to_string()),
        1 => Just("y = 1\nf = 1".to_string()),
        1 => Just("if f == 1 {\nprint(y)\n}".to_string()),
        1 => Just("ch <- x".to_string()),
        1 => Just("select {\ncase v := <-ch:\ny = v\ndefault:\n}".to_string()),
        1 => Just("go peek()".to_string()),
        1 => Just("print(x)".to_string()),
    ]
}

/// Two goroutines of [`weak_stmt`]s (and perhaps a twin of the first), main waiting for them (or
/// not) and then reading (or not), so that a carrier's view is used or not.
fn weak_program() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(proptest::collection::vec(weak_stmt(), 1..4), 2..3),
        any::<bool>(),
        0..3usize,
        any::<bool>(),
    )
        .prop_map(|(bodies, wait, after, twin)| {
            let n = bodies.len() + twin as usize;
            let mut src = String::from(
                "var x int\nvar y int\nvar f int\nvar mu sync.Mutex\n\
                 var ch = make(chan int, 1)\nvar wg sync.WaitGroup\n\
                 func peek() {\nprint(x)\n}\n",
            );
            for (i, body) in bodies.iter().enumerate() {
                src.push_str(&format!(
                    "func g{i}() {{\n{}\nwg.Done()\n}}\n",
                    body.join("\n")
                ));
            }
            src.push_str(&format!("func main() {{\nwg.Add({n})\n"));
            for i in 0..bodies.len() {
                src.push_str(&format!("go g{i}()\n"));
            }
            if twin {
                src.push_str("go g0()\n");
            }
            if wait {
                src.push_str("wg.Wait()\n");
            }
            src.push_str(["", "print(x, y)\n", "mu.Lock()\nx = x + 1\nmu.Unlock()\n"][after]);
            src.push_str("}\n");
            src
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The weak models' reductions lose nothing: stubborn sets under go
    /// and tso (store buffers as processes of their own, pending writes in
    /// canonical order), views no one will use made canonical, equal
    /// neighbouring writes merged (go) — the same findings as
    /// `--no-reduction` under tso and go, never more states under go (under
    /// tso at most an eighth more: see below); and
    /// outcomes(sc) ⊆ outcomes(tso) ⊆ outcomes(go) with them on.
    #[test]
    fn weak_model_reductions_lose_nothing(src in weak_program()) {
        for memory in [Tso, Go] {
            // (a few programs are too big to search unreduced in a test)
            let b = report(&src, memory, Options::new().reductions(false).max_states(30_000));
            prop_assume!(b.complete());
            let a = report(&src, memory, Options::new());
            prop_assert_eq!(crate::findings(&a), crate::findings(&b), "{}", src);
            // (witnesses' preemptions are not compared: an owner's Unlock
            // taken alone can cost one, under every model — see
            // `unlocking_alone_keeps_the_fewest_preemptions`)
            // A racy program is searched again with exact stubborn sets
            // (the last mover alone), which store a configuration once per
            // mark (that goroutine, or "in full") when it is found with
            // another mark after its first copy was expanded. Where the
            // sets leave nothing out those copies are all the difference:
            // `go peek()` beside `x = x + 1; select {…}` stores 857 states
            // for 819 configurations, the 819 states unreduced. Under tso a
            // flush keeps the last mover only while it alone is a stubborn
            // set, so one configuration is met with more marks than under
            // sc and go (docs/DESIGN.md, "Weak memory: tso").
            let (ra, rb) = (a.result().stats.states, b.result().stats.states);
            let slack = if memory == Tso { rb / 8 } else { 0 };
            prop_assert!(ra <= rb + slack, "{} {} {}", src, ra, rb);
        }
        let sc = outcome_set(&src, "sc");
        let tso = outcome_set(&src, "tso");
        let go = outcome_set(&src, "go");
        prop_assert!(sc.is_subset(&tso) && tso.is_subset(&go), "{}", src);
    }
}

/// A limit found by [`weak_model_reductions_lose_nothing`]'s generator,
/// older than the weak-model reductions (it holds under sc too): an
/// owner's `Unlock` is taken alone (`Machine::ample`) while main waits even
/// when another goroutine moved last, so the clearest witness of an
/// outcome reached through it may need one preemption more than
/// `--no-reduction`'s (here 32 preemptions over all witnesses against 30).
/// The findings are the same; only witnesses' preemption counts differ.
#[test]
#[ignore = "an Unlock taken alone can cost a witness a preemption (known, not yet fixed)"]
fn unlocking_alone_keeps_the_fewest_preemptions() {
    let src = "var x int\nvar y int\nvar mu sync.Mutex\nvar wg sync.WaitGroup\n\
               func g0() {\nx = y + 1\nmu.Lock()\nx = x + 1\nmu.Unlock()\nwg.Done()\n}\n\
               func g1() {\nmu.Lock()\ny = x\nmu.Unlock()\nprint(x)\nwg.Done()\n}\n\
               func main() {\nwg.Add(3)\ngo g0()\ngo g1()\ngo g0()\nwg.Wait()\n}\n";
    for memory in [Sc, Tso, Go] {
        let pre = |r: &grace::Report| -> Vec<u32> {
            r.result().outcomes.iter().map(|o| o.preemptions).collect()
        };
        let a = report(src, memory, Options::new());
        let b = report(src, memory, Options::new().reductions(false));
        assert_eq!(pre(&a), pre(&b), "{memory:?}");
    }
}
