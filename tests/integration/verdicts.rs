//! Verdicts of incomplete checks (issue 16): what a report may claim when a
//! limit, a timeout or an interrupt stopped part of the check.

use super::cli::grace;
use std::process::Command;

/// A file in the command-line tests' folder, under a name of our own.
fn temp_file(name: &str, bytes: &[u8]) -> String {
    super::cli::temp_file(&format!("verdicts-{name}"), bytes)
}

/// Four goroutines incrementing a counter: no run ends within 1000 states
/// of the search (the runs finished past the stop end with lost updates).
const COUNTER: &str = "var count int\nvar wg sync.WaitGroup\n\
func incr() {\n\tfor i := 0; i < 3; i++ {\n\t\tcount = count + 1\n\t}\n\twg.Done()\n}\n\
func main() {\n\twg.Add(4)\n\tgo incr()\n\tgo incr()\n\tgo incr()\n\tgo incr()\n\twg.Wait()\n}\n\
expect forall count == 12\nexpect never count == 100\nexpect exists count == 12\n";

/// Main ends after one step of its own while `w` loops: runs end early in
/// the search (x = 0, 1, 2, ...).
const EARLY: &str = "var x int\nvar y int\n\
func w() {\n\tfor i := 1; i < 1000; i++ {\n\t\tx = i\n\t}\n}\n\
func main() {\n\tgo w()\n\ty = 1\n}\n\
expect exists x == 0\nexpect exists x == 999\nexpect forall x == 0\n\
expect forall x >= 0\nexpect never x == 0\nexpect never x == 999\n";

#[test]
fn an_incomplete_search_says_unknown_not_holds() {
    let f = temp_file("counter.gr", COUNTER.as_bytes());
    for memory in ["sc", "go"] {
        let (code, out, _) = grace(&["check", "--memory", memory, "--max-states", "1000", &f]);
        assert_eq!(code, 3, "{out}");
        // a run finished past the stop loses an update: shown, with its run
        assert!(out.contains("expect forall count == 12: FAILS"), "{out}");
        assert!(out.contains("expect never count == 100: unknown"), "{out}");
        // a run without preemption ends with 12
        assert!(out.contains("expect exists count == 12: holds"), "{out}");
        assert!(!out.contains("forall count == 12: holds"), "{out}");
        let (code, out, _) = grace(&[
            "check",
            "--memory",
            memory,
            "--max-states",
            "1000",
            "--format",
            "json",
            &f,
        ]);
        assert_eq!(code, 3);
        let v = crate::cli::one_report(&out);
        for e in v["expects"].as_array().unwrap() {
            let text = e["text"].as_str().unwrap();
            let want = match text.split(' ').nth(1) {
                Some("forall") => "fails",
                Some("exists") => "holds",
                _ => "unknown",
            };
            assert_eq!(e["verdict"], want, "{e}");
            assert_eq!(e["holds"], want == "holds", "{e}");
            assert_eq!(e["witness"].is_array(), want != "unknown", "{e}");
        }
    }
}

#[test]
fn an_incomplete_search_keeps_the_verdicts_it_has_witnesses_for() {
    let f = temp_file("early.gr", EARLY.as_bytes());
    let (code, out, _) = grace(&[
        "check",
        "--memory",
        "sc",
        "--max-states",
        "50",
        "--format",
        "json",
        &f,
    ]);
    assert_eq!(code, 3, "{out}");
    let v = crate::cli::one_report(&out);
    let verdicts: Vec<(&str, &str, bool)> = v["expects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"].as_str().unwrap(),
                e["verdict"].as_str().unwrap(),
                e["witness"].is_array(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("expect exists x == 0", "holds", true),
            // a run finished past the stop reaches it
            ("expect exists x == 999", "holds", true),
            ("expect forall x == 0", "fails", true),
            ("expect forall x >= 0", "unknown", false),
            ("expect never x == 0", "fails", true),
            ("expect never x == 999", "fails", true),
        ]
    );
}

/// `v` panics while `w` loops: runs end early in the search (x = 0, 1, 2,
/// ...), but the serial search, where `w` runs its whole loop once it has
/// started, is longer than the first states of the search.
const CUT: &str = "var x int\nvar y int\nvar wg sync.WaitGroup\n\
func w() {\n\tfor i := 1; i < 1000; i++ {\n\t\tx = i\n\t}\n\twg.Done()\n}\n\
func v() {\n\ty = 1\n\tpanic(\"boom\")\n}\n\
func main() {\n\twg.Add(1)\n\tgo w()\n\tgo v()\n\twg.Wait()\n}\n";

#[test]
fn an_incomplete_serial_search_leaves_outcomes_unclassed() {
    let f = temp_file("cut.gr", CUT.as_bytes());
    for reduction in [&[][..], &["--no-reduction"][..]] {
        let mut args = vec!["check", "--memory", "sc", "--max-states", "50"];
        args.extend(reduction);
        args.push(&f);
        let (code, out, _) = grace(&args);
        assert_eq!(code, 3, "{out}");
        // x = 0: v runs first once main waits, which the serial search
        // saw; the others need w cut short, which it could not rule out
        // (x = 999 without v's write: a serial run finished past the stop)
        assert!(out.contains("serial      x=0 y=1"), "{out}");
        assert!(out.contains("unclassed   x=1 y=1"), "{out}");
        assert!(!out.contains("preemptive"), "{out}");
        assert!(out.contains("(0 race outcomes)"), "{out}");
        assert!(!out.contains("<- race outcome"), "{out}");
        args.extend(["--format", "json"]);
        let (_, out, _) = grace(&args);
        let v = crate::cli::one_report(&out);
        let o = v["outcomes"].as_array().unwrap();
        let class = |o: &serde_json::Value| o["class"].as_str().map(str::to_string);
        assert!(o.iter().any(|o| class(o).as_deref() == Some("serial")));
        assert!(o.iter().filter(|o| o["class"].is_null()).count() > 2);
        assert!(o.iter().all(|o| class(o).is_none_or(|c| c == "serial")));
    }
}

/// The JSON report of a check of `file` under `memory` with `--timeout 1`,
/// which must stop it (exit 3).
fn stopped_at_one_second(memory: &str, file: &str) -> serde_json::Value {
    let (code, out, _) = grace(&[
        "check",
        "--memory",
        memory,
        "--timeout",
        "1",
        "--format",
        "json",
        file,
    ]);
    assert_eq!(code, 3, "{out}");
    crate::cli::one_report(&out)
}

/// A serial search as big as the whole space (one goroutine looping): a
/// timeout must not spend all of itself there and leave the main search
/// one state (the report said `1 state, 0 transitions`).
#[test]
fn a_timeout_leaves_the_main_search_time_after_the_serial_one() {
    let src = "var x int\nfunc main() {\n\tfor i := 0; i < 100000000; i++ {\n\t\tx = i\n\t}\n}\n";
    let f = temp_file("long_loop.gr", src.as_bytes());
    for memory in ["sc", "go"] {
        let v = stopped_at_one_second(memory, &f);
        assert!(
            v["stats"]["states"].as_u64().unwrap() > 1000,
            "{}",
            v["stats"]
        );
    }
}

/// Four goroutines incrementing a counter 40 times each: far too many
/// states for a second, but both data races show in the first few hundred.
const BIG_RACY: &str = "var count int\nvar wg sync.WaitGroup\n\
func incr() {\n\tfor i := 0; i < 40; i++ {\n\t\tcount = count + 1\n\t}\n\twg.Done()\n}\n\
func main() {\n\twg.Add(4)\n\tgo incr()\n\tgo incr()\n\tgo incr()\n\tgo incr()\n\twg.Wait()\n\tprint(count)\n}\n\
expect forall count == 160\n";

/// Under `go` and `tso` the check first searches `sc` (to see whether the
/// program has a data race); a timeout there must not throw away what that
/// search found and start the weak search with no time left.
#[test]
fn a_timeout_in_the_sc_pass_keeps_what_it_found() {
    let f = temp_file("big_racy.gr", BIG_RACY.as_bytes());
    for memory in ["go", "tso"] {
        let v = stopped_at_one_second(memory, &f);
        assert_eq!(v["memory"], memory);
        assert_eq!(v["complete"], false);
        assert_eq!(v["explored_under"], "sc", "{}", v["limit"]);
        assert!(
            v["stats"]["states"].as_u64().unwrap() > 1000,
            "{}",
            v["stats"]
        );
        assert_eq!(v["races"].as_array().unwrap().len(), 2);
        assert_eq!(v["expects"][0]["verdict"], "unknown");
        let (code, out, _) = grace(&["check", "--memory", memory, "--timeout", "1", &f]);
        assert_eq!(code, 3);
        assert!(out.contains("2 data races"), "{out}");
        assert!(
            out.contains(&format!(
                "explored under sc only: the sc search that decides whether the program has a data race was stopped, so runs only {memory} allows were not explored"
            )),
            "{out}"
        );
    }
}

/// `--max-depth N` explores runs of up to N steps: a run of exactly N steps
/// is seen to its end (and the check is complete when no run is longer).
#[test]
fn max_depth_n_explores_runs_of_n_steps() {
    let one = temp_file(
        "one_run.gr",
        b"var x int\nfunc main() {\n\tx = 1\n\tx = 2\n}\n",
    );
    let bank = "programs/bank.gr".to_string();
    for (f, memory) in [(&one, "sc"), (&one, "go"), (&bank, "go"), (&bank, "sc")] {
        let (code, out, _) = grace(&["check", "--memory", memory, "--format", "json", f]);
        assert!(code == 0 || code == 1, "{out}");
        let v = crate::cli::one_report(&out);
        let outcomes = v["outcomes"].as_array().unwrap().len();
        // the longest witness: no run of its outcome is shorter
        let n = v["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["witness"].as_array().unwrap().len())
            .max()
            .unwrap();
        let depth = n.to_string();
        let (code_n, out, _) = grace(&[
            "check",
            "--memory",
            memory,
            "--max-depth",
            &depth,
            "--format",
            "json",
            f,
        ]);
        let v = crate::cli::one_report(&out);
        assert_eq!(
            v["outcomes"].as_array().unwrap().len(),
            outcomes,
            "{f} {memory} --max-depth {n}"
        );
        if f == &one {
            // one run: N steps is all of it
            assert_eq!(code_n, code, "{out}");
            assert_eq!(v["complete"], true);
        }
        let less = (n - 1).to_string();
        let (code, out, _) = grace(&[
            "check",
            "--memory",
            memory,
            "--max-depth",
            &less,
            "--format",
            "json",
            f,
        ]);
        assert_eq!(code, 3, "{out}");
        let v = crate::cli::one_report(&out);
        assert!(v["outcomes"].as_array().unwrap().len() < outcomes);
    }
}

/// An `expect` whose condition cannot be evaluated at an outcome it looks at
/// (a division by zero, an index out of range) fails there, saying why, with
/// a run that reaches that outcome — whichever way the condition is put.
#[test]
fn an_expect_that_cannot_be_evaluated_fails_with_the_error() {
    let f = temp_file(
        "expect_error.gr",
        b"var x int\nvar a [3]int\nvar i = 5\nfunc main() {\n\tx = 0\n\ta[1] = 1\n}\n\
expect forall 10 / x == 5\nexpect forall !(10 / x == 5)\n\
expect never 10 / x == 5\nexpect never !(10 / x == 5)\n\
expect exists 10 % x == 0\nexpect forall a[i] == 0\n\
expect forall x == 0 || 10 / x == 5\n",
    );
    let (code, out, _) = grace(&["check", "--format", "json", &f]);
    assert_eq!(code, 1, "{out}");
    let v = crate::cli::one_report(&out);
    let e = v["expects"].as_array().unwrap();
    for x in &e[..5] {
        assert_eq!(x["verdict"], "fails", "{x}");
        assert_eq!(x["error"], "integer divide by zero", "{x}");
        assert!(
            x["witness"].as_array().is_some_and(|w| !w.is_empty()),
            "{x}"
        );
    }
    assert_eq!(e[5]["verdict"], "fails");
    assert_eq!(e[5]["error"], "index out of range [5] with length 3");
    // `||` does not evaluate its right side when the left one holds
    assert_eq!(e[6]["verdict"], "holds", "{}", e[6]);
    assert!(e[6].get("error").is_none());
    let (_, out, _) = grace(&["check", &f]);
    assert!(
        out.contains(
            "expect forall 10 / x == 5: FAILS: integer divide by zero at the outcome x=0 a=[0 1 0] i=5"
        ),
        "{out}"
    );
}

/// In an `expect` as in code, a constant index out of range and a constant
/// division by zero are errors in the program text.
#[test]
fn constant_errors_in_an_expect_are_compile_errors() {
    for (src, msg) in [
        (
            "var a [3]int\nfunc main() { a[1] = 1 }\nexpect forall a[5] == 0\n",
            "index 5 out of bounds [0:3]",
        ),
        (
            "var a [3]int\nfunc main() { a[1] = 1 }\nexpect forall a[-1] == 0\n",
            "index -1 out of bounds [0:3]",
        ),
        (
            "var x int\nfunc main() { x = 1 }\nexpect forall x / 0 == 1\n",
            "invalid operation: division by zero",
        ),
    ] {
        let f = temp_file("expect_const.gr", src.as_bytes());
        let (code, out, err) = grace(&["check", &f]);
        assert_eq!(code, 2, "{src}\n{out}");
        assert!(err.contains(msg) && err.contains(":3:"), "{err}");
    }
}

/// Thousands of outcomes, each reached by a run thousands of steps long:
/// the search takes a moment, their witnesses (quadratic) about 9 s.
const LONG_WITNESSES: &str = "var x int\nvar y int\nvar wg sync.WaitGroup\n\
func w() {\n\tfor i := 1; i < 3000; i++ {\n\t\tx = i\n\t}\n\twg.Done()\n}\n\
func v() {\n\ty = 1\n\tpanic(\"boom\")\n}\n\
func main() {\n\twg.Add(1)\n\tgo w()\n\tgo v()\n\twg.Wait()\n}\n";

/// `--timeout` stops the analyses after the search too, and the report
/// says which phase it stopped.
#[test]
fn the_timeout_stops_the_analysis_too() {
    let f = temp_file("long_witnesses.gr", LONG_WITNESSES.as_bytes());
    let t = std::time::Instant::now();
    let (code, out, _) = grace(&[
        "check",
        "--memory",
        "sc",
        "--timeout",
        "1",
        "--format",
        "json",
        &f,
    ]);
    let took = t.elapsed().as_secs_f64();
    assert_eq!(code, 3, "{out}");
    assert!(took < 5.0, "took {took} s");
    let v = crate::cli::one_report(&out);
    assert_eq!(v["complete"], false);
    let phase = v["stopped_in"].as_str().unwrap();
    assert_eq!(
        v["limit"],
        format!("--timeout 1 s reached in the {phase}"),
        "{}",
        v["limit"]
    );
    // the outcomes the search found are all listed, some without witness
    let o = v["outcomes"].as_array().unwrap();
    if phase == "witnesses of the outcomes" {
        // a panic at each x from 0 to 2999, and ok with y 0 or 1 (main
        // returns before v's write, or after it but before v's panic exits)
        assert_eq!(o.len(), 3002);
        assert!(o.iter().any(|o| o["witness"].is_null()));
    }
}

/// Ctrl-C (SIGINT) and SIGTERM stop the analyses too: the partial report
/// is printed at once.
#[cfg(unix)]
#[test]
fn an_interrupt_stops_the_analysis_too() {
    let f = temp_file("long_witnesses2.gr", LONG_WITNESSES.as_bytes());
    for signal in ["-INT", "-TERM"] {
        let child = Command::new(env!("CARGO_BIN_EXE_grace"))
            .args(["check", "--memory", "sc", "--witness", "none", &f])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let t = std::time::Instant::now();
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = child.wait_with_output().unwrap();
        let took = t.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{text}");
        assert!(took < 3.0, "{signal} took {took} s");
        assert!(text.contains("INCOMPLETE: interrupted in the "), "{text}");
    }
}

/// `--max-memory` is a limit on the whole check: the process never holds
/// more (it held a third to two thirds more, taken by the witness search
/// and the tables after the search stopped). Peak as the process sees it
/// (`VmHWM`, in `--stats`).
#[cfg(target_os = "linux")]
#[test]
fn max_memory_is_a_limit_on_the_whole_check() {
    for (memory, file) in [
        ("sc", "bench/philosophers_n8.gr"),
        ("go", "bench/incr_n5_k3.gr"),
    ] {
        let (code, out, _) = grace(&[
            "check",
            "--memory",
            memory,
            "--max-memory",
            "100",
            "--stats",
            "--format",
            "json",
            file,
        ]);
        assert_eq!(code, 3, "{out}");
        let v = crate::cli::one_report(&out);
        assert!(
            v["limit"]
                .as_str()
                .unwrap()
                .starts_with("--max-memory 100 MiB reached"),
            "{}",
            v["limit"]
        );
        let peak = v["stats"]["peak_mib"].as_f64().unwrap();
        assert!(peak <= 100.0, "{file} under {memory}: peak {peak} MiB");
        assert!(v["stats"]["states"].as_u64().unwrap() > 100_000);
    }
}
