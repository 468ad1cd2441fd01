//! The library as a user sees it: only the public API (`grace::…` items
//! re-exported at the crate root), no internals.

use grace::{
    Class, CompileError, EndKind, Memory, Options, ReplayTarget, Verdict, check_bytes, check_file,
    check_source,
};
use std::time::Duration;

const LOST_UPDATE: &str = "var count int
var wg sync.WaitGroup

func incr() {
    count = count + 1
    wg.Done()
}

func main() {
    wg.Add(2)
    go incr()
    go incr()
    wg.Wait()
}

expect exists count == 1
";

#[test]
fn a_program_from_a_string_gives_its_outcomes_under_every_model() {
    for memory in Memory::ALL {
        let r = check_source("lost.gr", LOST_UPDATE, &Options::new().memory(memory)).unwrap();
        assert_eq!(r.file(), "lost.gr");
        assert!(r.complete());
        assert_eq!(r.result().memory, memory.name());
        let mut finals: Vec<String> = r.outcomes().iter().map(|o| o.values()).collect();
        finals.sort();
        assert_eq!(finals, ["count=1", "count=2"], "{memory}");
        for o in r.outcomes() {
            assert_eq!(o.kind, EndKind::Ok);
            let want = if o.values() == "count=1" {
                Class::Preemptive
            } else {
                Class::Serial
            };
            assert_eq!(o.class, Some(want));
        }
        // read/write and write/write
        assert_eq!(r.races().len(), 2);
        assert!(r.races().iter().all(|x| x.var == "count"));
        assert!(r.leaks().is_empty() && r.never_ending().is_empty());
        assert_eq!(r.expects()[0].verdict, Verdict::Holds);
        assert!(r.found_something());
        // the reports of the command line
        assert!(
            r.to_text()
                .starts_with(&format!("lost.gr: memory {memory}, "))
        );
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["file"], "lost.gr");
        assert_eq!(json["outcomes"].as_array().unwrap().len(), 2);
        assert!(r.to_snapshot(false).contains("\nrace count "));
    }
}

#[test]
fn options_limit_draw_and_replay() {
    let cut = check_source("lost.gr", LOST_UPDATE, &Options::new().max_states(3)).unwrap();
    assert!(!cut.complete());
    assert!(cut.result().limit.is_some());
    // a run finished past the stop shows it (the other verdicts would need
    // the whole state space)
    assert_eq!(cut.expects()[0].verdict, Verdict::Holds);

    let opts = Options::new()
        .memory(Memory::Sc)
        .reductions(false)
        .graph(true)
        .replay(ReplayTarget::Race(1));
    let r = check_source("lost.gr", LOST_UPDATE, &opts).unwrap();
    assert!(r.to_dot().unwrap().starts_with("digraph"));
    assert!(r.to_html().contains("<svg"));
    assert!(r.replay().unwrap().unwrap().starts_with("replay of "));
    // without `graph`, no picture
    assert!(
        check_source("x.gr", LOST_UPDATE, &Options::new())
            .unwrap()
            .to_dot()
            .is_none()
    );
}

#[test]
fn errors_are_rendered_and_located() {
    let e: CompileError = check_source("bad.gr", "func main() {\n\tx = 1\n}\n", &Options::new())
        .err()
        .unwrap();
    assert!(e.message().starts_with("bad.gr:2:2: error: "), "{e}");
    assert!(e.message().contains('^'));
    assert_eq!(e.to_string(), e.message());
    assert_eq!(e.line_col(), Some((2, 2)));
    let d = e.diagnostic().unwrap();
    assert_eq!(d.span.start, "func main() {\n\t".len());

    let e = check_bytes("bin.gr", b"var x int\n\xff\n", &Options::new())
        .err()
        .unwrap();
    assert!(e.message().contains("not valid UTF-8"), "{e}");

    let e = check_file("no/such/file.gr", &Options::new())
        .err()
        .unwrap();
    assert!(
        e.message()
            .starts_with("no/such/file.gr: error: cannot read")
    );
    assert!(e.diagnostic().is_none());
}

#[test]
fn a_file_is_checked_under_its_path() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/programs/bank.gr");
    let r = check_file(path, &Options::new()).unwrap();
    assert_eq!(r.file(), path);
    assert!(r.complete() && r.found_something());
}

/// Deep nesting is checked on the API's own big stack, whatever the
/// caller's thread has (here a 1 MiB one).
#[test]
fn deep_programs_do_not_need_the_callers_stack() {
    let depth = 2000;
    let cond = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
    let src = format!("var x int\nfunc main() {{\n\tx = {cond}\n}}\n");
    let out = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || check_source("deep.gr", &src, &Options::new()).map(|r| r.complete()))
        .unwrap()
        .join()
        .unwrap();
    // a report, or an error naming the limit: never a crash
    if let Err(e) = out {
        assert!(e.message().starts_with("deep.gr:"), "{e}");
    }
}

/// README.md's library example is the crate's doctest, word for word, so
/// it compiles and runs with `cargo test`.
#[test]
fn readme_library_example_is_the_crate_doctest() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let section = &readme[readme.find("## As a library").unwrap()..];
    let example = section
        .split("```rust\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let lib = std::fs::read_to_string(format!("{root}/src/lib.rs")).unwrap();
    let doc: String = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let doctest = doc[doc.find("# Example").unwrap()..]
        .split("```\n")
        .nth(1)
        .unwrap();
    assert_eq!(example, doctest);
}

/// The caller sees the searches go (progress) and can stop them (its
/// cancel token), through the public API only: a token raised from the
/// progress callback stops the check with a partial report.
#[test]
fn progress_is_reported_and_the_callers_token_stops_the_check() {
    use std::sync::{Arc, Mutex};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/mutex_incr_n4_k3.gr");
    let seen: Arc<Mutex<Vec<(usize, bool)>>> = Arc::default();
    let log = seen.clone();
    let opts = Options::new()
        .memory(Memory::Sc)
        .reductions(false)
        .on_progress(move |p| log.lock().unwrap().push((p.states, p.done)));
    let whole = grace::check_file(std::path::Path::new(path), &opts).unwrap();
    assert!(whole.complete());
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().filter(|(_, done)| !done).count() >= 2,
        "{seen:?}"
    );
    assert!(
        seen.last().is_some_and(|&(_, done)| done),
        "the last report ends a search"
    );

    let token = grace::Cancel::default();
    let raise = token.clone();
    let opts = Options::new()
        .memory(Memory::Sc)
        .reductions(false)
        .cancel(token)
        .on_progress(move |p| {
            if !p.done {
                raise.interrupt();
            }
        });
    let cut = grace::check_file(std::path::Path::new(path), &opts).unwrap();
    assert!(!cut.complete());
    assert_eq!(cut.result().stopped_by, Some(grace::Limit::Interrupted));
    assert!(cut.result().stats.states < whole.result().stats.states);
}

/// Any `f64` is a timeout: NaN (not a length of time) stops at once like 0,
/// negative ones too, and huge or infinite ones are clamped; none reaches a
/// panic, and the report quotes the number as given.
#[test]
fn every_timeout_number_gives_a_report() {
    for t in [f64::NAN, -1.0, f64::NEG_INFINITY, 0.0] {
        let r = check_source("t.gr", LOST_UPDATE, &Options::new().timeout_secs(t)).unwrap();
        assert!(!r.complete(), "{t}");
        assert_eq!(r.result().stopped_by, Some(grace::Limit::Timeout));
        let limit = r.result().limit.clone().unwrap();
        assert!(
            limit.starts_with(&format!("--timeout {t} s reached")),
            "{limit}"
        );
    }
    for t in [f64::INFINITY, 1e300] {
        let r = check_source("t.gr", LOST_UPDATE, &Options::new().timeout_secs(t)).unwrap();
        assert!(r.complete(), "{t}");
    }
    let r = check_source("t.gr", LOST_UPDATE, &Options::new().timeout(Duration::MAX)).unwrap();
    assert!(r.complete());
}

/// A deadline or memory limit the caller set on its own token stops the
/// check, and the report names the token, not an option it was not given
/// (or that the token's limit overrode).
#[test]
fn the_tokens_own_limits_are_named_as_such() {
    let mut token = grace::Cancel::default();
    token.deadline = Some(std::time::Instant::now());
    for opts in [
        Options::new().cancel(token.clone()),
        Options::new().cancel(token).timeout_secs(1000.0),
    ] {
        let r = check_source("t.gr", LOST_UPDATE, &opts).unwrap();
        assert_eq!(r.result().stopped_by, Some(grace::Limit::Timeout));
        let limit = r.result().limit.clone().unwrap();
        assert!(
            limit.starts_with("the deadline of the caller's Cancel token passed"),
            "{limit}"
        );
    }
    let mut token = grace::Cancel::default();
    token.max_memory = Some(1 << 20);
    let r = check_source("t.gr", LOST_UPDATE, &Options::new().cancel(token)).unwrap();
    assert_eq!(r.result().stopped_by, Some(grace::Limit::MaxMemory));
    let limit = r.result().limit.clone().unwrap();
    assert!(
        limit.starts_with("the memory limit of the caller's Cancel token (1 MiB) reached"),
        "{limit}"
    );
}

/// A token raised before the check (or left raised by an earlier one)
/// stops it at once: a report of the initial state, every time.
#[test]
fn a_raised_token_stops_every_check_that_holds_it() {
    let token = grace::Cancel::default();
    token.interrupt();
    for _ in 0..2 {
        let r = check_source("t.gr", LOST_UPDATE, &Options::new().cancel(token.clone())).unwrap();
        assert!(!r.complete());
        assert_eq!(r.result().stopped_by, Some(grace::Limit::Interrupted));
        assert_eq!(r.result().stats.states, 1);
    }
}

/// Bytes that are not UTF-8 give an error with its line and column, like
/// any other, and both renderings (plain and coloured).
#[test]
fn bytes_that_are_not_utf8_are_located() {
    for (bytes, at) in [
        (&b"\xff"[..], (1, 1)),
        (b"var x int\n\xe2\x82", (2, 1)),
        (b"var x int\nvar \xc3(", (2, 5)),
    ] {
        let e = check_bytes("bin.gr", bytes, &Options::new()).unwrap_err();
        let l = at;
        assert!(
            e.message()
                .starts_with(&format!("bin.gr:{}:{}: error: ", l.0, l.1)),
            "{e}"
        );
        assert_eq!(e.line_col(), Some(at), "{e}");
        assert!(e.render_color().contains("not valid UTF-8"));
    }
}

/// An error at a character of several bytes renders in colour too (the
/// terminal's rendering once cut it inside the character and panicked).
#[test]
fn errors_at_multibyte_characters_render_in_colour() {
    for src in [
        "func main() { « }\n",
        "var x int\nfunc main() {\n\tx = 1 → 2\n}\n",
    ] {
        let e = check_source("u.gr", src, &Options::new()).unwrap_err();
        let colour = e.render_color();
        assert!(colour.contains("error"), "{colour}");
        assert!(e.line_col().is_some(), "{e}");
    }
}

/// Limits of 0 and the largest ones are reports, never a panic or an
/// overflow.
#[test]
fn extreme_limits_give_reports() {
    for opts in [
        Options::new().max_states(0),
        Options::new().max_depth(0),
        Options::new().max_memory_mib(0),
    ] {
        let r = check_source("t.gr", LOST_UPDATE, &opts).unwrap();
        assert!(!r.complete() && r.result().limit.is_some());
    }
    for opts in [
        Options::new().max_states(usize::MAX),
        Options::new().max_depth(u32::MAX),
        Options::new().max_memory_mib(u64::MAX),
    ] {
        assert!(check_source("t.gr", LOST_UPDATE, &opts).unwrap().complete());
    }
    for target in [
        ReplayTarget::Outcome(0),
        ReplayTarget::Outcome(usize::MAX),
        ReplayTarget::Race(0),
        ReplayTarget::Race(3),
    ] {
        let r = check_source("t.gr", LOST_UPDATE, &Options::new().replay(target)).unwrap();
        assert!(r.replay().unwrap().unwrap_err().starts_with("there is no "));
    }
}

/// check_file reads regular files only: a folder, a FIFO, a device or a
/// missing path is an error naming the path, never a hang.
#[test]
fn check_file_refuses_what_is_not_a_regular_file() {
    let dir = std::env::temp_dir().join(format!("grace-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = vec![dir.clone(), dir.join("missing.gr"), "".into()];
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo.gr");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            paths.push(fifo);
        }
        paths.push("/dev/null".into());
    }
    for p in &paths {
        let e = check_file(p, &Options::new()).unwrap_err();
        assert!(
            e.message()
                .starts_with(&format!("{}: error: ", p.display())),
            "{e}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Checks on several threads at once give each the same report as alone.
#[test]
fn concurrent_checks_give_the_same_reports() {
    let alone = check_source("t.gr", LOST_UPDATE, &Options::new()).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                check_source("t.gr", LOST_UPDATE, &Options::new())
                    .unwrap()
                    .to_text()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), alone.to_text());
    }
}

/// A progress callback that panics abandons the check and the panic comes
/// back to the caller (no hang, no abort).
#[test]
fn a_panicking_progress_callback_panics_in_the_caller() {
    let opts = Options::new().on_progress(|_| panic!("the caller's bug"));
    let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_source("t.gr", LOST_UPDATE, &opts)
    }));
    let panic = got.unwrap_err();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"the caller's bug"));
}

/// A program read from a reader (standard input for `grace check -`), its
/// summary and status; an error's parts, as the JSON error entry has them.
#[test]
fn a_reader_the_summary_and_the_parts_of_an_error() {
    let opts = Options::new().memory(Memory::Sc);
    let r = grace::check_reader("<stdin>", LOST_UPDATE.as_bytes(), &opts).unwrap();
    assert_eq!(r.file(), "<stdin>");
    assert_eq!(r.status(), "findings");
    let s = r.to_summary();
    assert!(
        s.starts_with("<stdin>: findings: 2 outcomes (1 race outcome), 2 data races;"),
        "{s}"
    );
    assert!(
        s.contains("<stdin>: race outcome #1: preemptive count=1, 1 preemption\n"),
        "{s}"
    );
    assert_eq!(r.to_json_value()["status"], "findings");
    let e = grace::check_reader("<stdin>", &b"func main() {\n  x :=\n}\n"[..], &opts).unwrap_err();
    assert_eq!(e.file(), "<stdin>");
    assert_eq!(e.line_col(), Some((2, 7)));
    assert_eq!(
        e.reason(),
        "syntax error: expected an expression, found end of line"
    );
    let v = e.to_json_value();
    assert_eq!(v["status"], "error");
    assert_eq!(v["error"]["line"], 2);
    assert_eq!(v["error"]["text"], e.message());
    let e = check_file("no/such/file.gr", &opts).unwrap_err();
    assert_eq!(e.file(), "no/such/file.gr");
    assert!(
        e.reason().starts_with("cannot read the file: "),
        "{}",
        e.reason()
    );
    assert_eq!(e.to_json_value()["error"]["line"], serde_json::Value::Null);
}

/// Every program's page is drawn: the layout library places every graph of
/// the corpus (none fails or is refused as too big), but for those whose
/// runs are long (jobs_freed.go, 70 steps; the memo's three goroutines),
/// whose pages say so instead of laying them out for minutes.
#[test]
fn every_program_gets_its_graph_drawn() {
    const LONG: [&str; 3] = ["jobs_freed.go", "memo_gopl_dup.go", "memo_gopl_dup_racy.go"];
    for path in crate::snapshots::program_files() {
        let r = crate::check_path(&path, &Options::new().graph(true)).unwrap();
        let html = r.to_html();
        if LONG.iter().any(|l| path.ends_with(l)) {
            assert!(html.contains("too long to draw here; use --dot"), "{html}");
            continue;
        }
        assert!(
            html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\""),
            "{}: no graph",
            path.display()
        );
    }
}
