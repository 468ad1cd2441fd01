//! The library as a user sees it: only the public API (`grace::…` items
//! re-exported at the crate root), no internals.

use grace::{
    Class, CompileError, EndKind, Memory, Options, ReplayTarget, Verdict, check_bytes, check_file,
    check_source,
};

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
    assert_eq!(cut.expects()[0].verdict, Verdict::Unknown);

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
