//! The command line: exit statuses, formats, options, bad input.

use std::process::Command;

pub(crate) fn grace(args: &[&str]) -> (i32, String, String) {
    grace_with(args, &[])
}

/// `grace` with these environment variables set; `COLUMNS` is unset unless
/// given, so that the output is the piped output whatever the shell has.
pub(crate) fn grace_with(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .env_remove("COLUMNS")
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run grace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The report of the one file of a `--format json` document (docs/CLI.md:
/// `{"files": [...], "summary": {...}}` whatever the number of files).
pub(crate) fn one_report(out: &str) -> serde_json::Value {
    let mut doc: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["summary"]["files"], 1, "{out}");
    let files = doc["files"].as_array_mut().expect("a files list");
    assert_eq!(files.len(), 1, "{out}");
    files.pop().unwrap()
}

pub(crate) fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

const CLEAN: &str = "var x int\nvar mu sync.Mutex\nfunc main() { mu.Lock(); x = 1; mu.Unlock() }\nexpect forall x == 1\n";
const RACY: &str = "var x int\nfunc w() { x = 1 }\nfunc main() { go w(); x = 2; print(x) }\n";

#[test]
fn exit_0_when_nothing_is_found() {
    let f = temp_file("clean.gr", CLEAN.as_bytes());
    let (code, out, _) = grace(&["check", &f]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 outcome"));
}

#[test]
fn exit_1_when_something_is_found() {
    let f = temp_file("racy.gr", RACY.as_bytes());
    let (code, out, _) = grace(&["check", &f]);
    assert_eq!(code, 1);
    assert!(out.contains("race outcome"), "{out}");
}

#[test]
fn exit_2_on_syntax_error_with_location() {
    let f = temp_file("bad.gr", b"func main() {\n  x := \n}\n");
    let (code, out, err) = grace(&["check", &f]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("bad.gr:2:"), "{err}");
    assert!(err.contains('^'));
    assert!(!err.contains("panicked"));
}

#[test]
fn exit_2_on_missing_file_and_bad_options() {
    assert_eq!(grace(&["check", "no/such/file.gr"]).0, 2);
    assert_eq!(grace(&["check", "--frobnicate", "x.gr"]).0, 2);
    let f = temp_file("clean2.gr", CLEAN.as_bytes());
    let (code, _, err) = grace(&["check", "--memory", "arm", &f]);
    assert_eq!(code, 2);
    assert!(
        err.contains("sc") && err.contains("tso") && err.contains("go"),
        "{err}"
    );
}

#[test]
fn every_memory_model_runs_and_go_is_the_default() {
    let f = temp_file("racy5.gr", RACY.as_bytes());
    for m in ["sc", "tso", "go"] {
        let (code, out, _) = grace(&["check", "--memory", m, "--format", "json", &f]);
        assert_eq!(code, 1);
        let v = crate::cli::one_report(&out);
        assert_eq!(v["memory"], m);
    }
    let (_, out, _) = grace(&["check", "--format", "json", &f]);
    let v = crate::cli::one_report(&out);
    assert_eq!(v["memory"], "go");
}

#[test]
fn exit_2_on_binary_garbage() {
    let f = temp_file("garbage.gr", &[0xff, 0xfe, 0x00, 0x80, b'\n', 0x01]);
    let (code, _, err) = grace(&["check", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("UTF-8"), "{err}");
    let f = temp_file("nul.gr", b"func main() {\x00}");
    let (code, _, err) = grace(&["check", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("error"), "{err}");
}

#[test]
fn exit_3_when_max_states_stops_the_search() {
    let f = temp_file(
        "loop.gr",
        b"var x int\nfunc main() { for i := 0; i < 1000; i++ { x = i } }\n",
    );
    let (code, out, _) = grace(&["check", "--max-states", "20", &f]);
    assert_eq!(code, 3);
    assert!(out.contains("INCOMPLETE"), "{out}");
    let (code, out, _) = grace(&["check", "--max-states", "20", "--format", "json", &f]);
    assert_eq!(code, 3);
    let v = crate::cli::one_report(&out);
    assert_eq!(v["complete"], false);
}

#[test]
fn json_has_the_contract_fields() {
    let f = temp_file("racy2.gr", RACY.as_bytes());
    let (_, out, _) = grace(&["check", "--format", "json", &f]);
    let v = crate::cli::one_report(&out);
    for k in [
        "file",
        "memory",
        "complete",
        "stats",
        "outcomes",
        "races",
        "leaks",
        "never_ending",
        "expects",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let o = &v["outcomes"][0];
    for k in ["kind", "message", "globals", "output", "class", "witness"] {
        assert!(o.get(k).is_some(), "missing outcome field {k}");
    }
    assert_eq!(v["memory"], "go");
    assert!(v["races"][0]["a"]["line"].is_number());
}

/// One JSON shape whatever the number of files: an object with a `files`
/// list (a report or an error per file, in the order given) and a
/// `summary` that counts them by status.
#[test]
fn json_is_one_document_whatever_the_number_of_files() {
    let a = temp_file("a.gr", CLEAN.as_bytes());
    let b = temp_file("b.gr", RACY.as_bytes());
    let bad = temp_file("bad-json.gr", b"func main() {\n  x := \n}\n");
    let (code, out, _) = grace(&["check", "--format", "json", &a, &b]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statuses: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["clean", "findings"]);
    assert_eq!(v["files"][1]["file"], b.as_str());
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 2, "clean": 1, "findings": 1, "errors": 0, "incomplete": 0})
    );
    // a syntax error is an entry, with its place; the others are checked
    let (code, out, err) = grace(&["check", "--format", "json", &bad, &b, "no/such.gr"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad-json.gr:2:"), "still on stderr: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &v["files"][0];
    assert_eq!(e["file"], bad.as_str());
    assert_eq!(e["status"], "error");
    assert_eq!(e["error"]["line"], 2);
    assert_eq!(e["error"]["col"], 8);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("syntax error: expected an expression"),
        "{e}"
    );
    assert!(e["error"]["text"].as_str().unwrap().contains('^'), "{e}");
    assert_eq!(v["files"][1]["status"], "findings");
    let missing = &v["files"][2]["error"];
    assert_eq!(missing["line"], serde_json::Value::Null);
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read the file")
    );
    assert_eq!(v["summary"]["errors"], 2);
    // one file with a syntax error: the same document, never `[]`
    let (code, out, _) = grace(&["check", "--format", "json", &bad]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["status"], "error");
    assert_eq!(v["summary"]["files"], 1);
    // a stopped check
    let (code, out, _) = grace(&["check", "--format", "json", "--max-states", "3", &b]);
    assert_eq!(code, 3);
    assert_eq!(one_report(&out)["status"], "incomplete");
}

#[test]
fn text_report_is_byte_identical_across_runs() {
    let f = temp_file("racy3.gr", RACY.as_bytes());
    let a = grace(&["check", "--witness", "all", &f]);
    let b = grace(&["check", "--witness", "all", &f]);
    assert_eq!(a, b);
}

#[test]
fn dot_output_marks_race_outcomes() {
    let f = temp_file("racy4.gr", RACY.as_bytes());
    let dot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-{}.dot", std::process::id()));
    let (code, _, _) = grace(&["check", "--dot", dot.to_str().unwrap(), &f]);
    assert_eq!(code, 1);
    let d = std::fs::read_to_string(&dot).unwrap();
    assert!(d.starts_with("digraph"));
    assert!(d.contains("shape=box"));
    assert!(d.contains("color=red"));
    assert!(d.contains("style=bold"), "race witnesses in bold");
    // main's first steps have one way in and out: collapsed into one edge
    assert!(d.contains("steps)"), "{d}");
}

#[test]
fn help_explains_the_options() {
    let (code, out, _) = grace(&["check", "--help"]);
    assert_eq!(code, 0);
    for o in [
        "--memory",
        "--format",
        "--max-states",
        "--dot",
        "--witness",
        "--no-reduction",
    ] {
        assert!(out.contains(o), "{o} missing from help");
    }
}

#[test]
fn every_limit_stops_with_a_partial_report() {
    let f = temp_file(
        "limits.gr",
        b"var x int\nfunc main() { for i := 0; i < 1000; i++ { x = i } }\n",
    );
    for (args, reason) in [
        (vec!["--max-depth", "7"], "--max-depth 7 reached"),
        (vec!["--timeout", "0"], "--timeout 0 s reached"),
        (vec!["--max-memory", "1"], "--max-memory 1 MiB reached"),
        (vec!["--max-states", "5"], "--max-states 5 reached"),
    ] {
        let mut a = vec!["check", "--format", "json"];
        a.extend(&args);
        a.push(&f);
        let (code, out, _) = grace(&a);
        assert_eq!(code, 3, "{args:?}");
        let v = crate::cli::one_report(&out);
        assert_eq!(v["complete"], false);
        assert!(
            v["limit"].as_str().unwrap().starts_with(reason),
            "{}",
            v["limit"]
        );
        assert!(v["stats"]["states"].as_u64().unwrap() >= 1);
        let mut t = vec!["check"];
        t.extend(&args);
        t.push(&f);
        let (code, out, _) = grace(&t);
        assert_eq!(code, 3);
        assert!(out.contains("INCOMPLETE: "), "{out}");
    }
}

#[test]
fn unbounded_goroutines_stop_at_the_goroutine_limit() {
    let f = temp_file(
        "spawn.gr",
        b"var ch = make(chan int)\nfunc w() { <-ch }\nfunc main() {\n\tfor {\n\t\tgo w()\n\t}\n}\n",
    );
    let (code, out, _) = grace(&["check", &f]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("goroutine limit (64) reached by the go statement at 5:3"),
        "{out}"
    );
}

#[test]
fn sigterm_stops_with_a_partial_report() {
    let f = temp_file("long.gr", b"var x int\nvar y int\nfunc w() { for { x = x + 1; y = y + x } }\nfunc main() { go w(); go w(); for { y = y - 1 } }\n");
    let child = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(["check", "--memory", "sc", &f])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    // send SIGTERM as a user or a CI runner would
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("INCOMPLETE: interrupted"), "{text}");
}

#[test]
fn replay_steps_through_a_witness() {
    let f = temp_file("sb-replay.gr", b"var x int\nvar y int\nvar r0 int\nvar r1 int\nvar wg sync.WaitGroup\nfunc a() { x = 1; r0 = y; wg.Done() }\nfunc b() { y = 1; r1 = x; wg.Done() }\nfunc main() { wg.Add(2); go a(); go b(); wg.Wait() }\n");
    let (code, out, _) = grace(&["replay", "--memory", "tso", "--outcome", "1", &f]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("replay of outcome #1 (ok, stale)"), "{out}");
    assert!(
        out.contains("store buffer of a#1 (oldest first): x=1"),
        "{out}"
    );
    assert!(out.contains("the run ends: ok"), "{out}");
    let (code, out, _) = grace(&["replay", "--race", "1", &f]);
    assert_eq!(code, 0);
    assert!(out.contains("replay of data race #1"), "{out}");
    assert!(out.contains("may still read"), "{out}");
    let (code, _, err) = grace(&["replay", "--outcome", "99", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("there is no outcome #99"), "{err}");
    assert_eq!(
        grace(&["replay", &f]).0,
        2,
        "--outcome or --race is required"
    );
}

#[test]
fn plain_go_files_are_checked() {
    let (code, out, _) = grace(&["check", "programs/go/bank.go"]);
    assert_eq!(code, 1);
    assert!(out.contains("balance=100"), "{out}");
    let f = temp_file("ptr.go", b"package main\n\nimport \"sync\"\n\nfunc work(wg *sync.WaitGroup) {\n\twg.Done()\n}\n\nfunc main() {}\n");
    assert_eq!(grace(&["check", &f]).0, 0);
    let f = temp_file(
        "ptr_int.go",
        b"package main\n\nfunc work(p *int) {\n}\n\nfunc main() {}\n",
    );
    let (code, _, err) = grace(&["check", &f]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":3:13: error: pointers are supported only to sync.Mutex"),
        "{err}"
    );
}

/// Witness cells keep their annotations: in full on one line when piped,
/// wrapped (never cut) in the width `COLUMNS` gives.
#[test]
fn witnesses_keep_their_annotations() {
    let args = ["check", "--memory", "tso", "programs/atomic_counter.gr"];
    let (code, piped, _) = grace(&args);
    assert_eq!(code, 1);
    assert!(
        piped.contains("29:3 hits.Add(1) = 3 (flushes plain = 1)"),
        "{piped}"
    );
    assert!(!piped.contains('…'), "{piped}");
    for columns in ["40", "72"] {
        let (code, narrow, _) = grace_with(&args, &[("COLUMNS", columns)]);
        assert_eq!(code, 1);
        assert!(!narrow.contains('…'), "{narrow}");
        let width: usize = columns.parse().unwrap();
        // three columns of at least 14 fit in 72, not in 40
        let witness_rows = narrow.lines().filter(|l| l.starts_with("         "));
        for l in witness_rows.filter(|_| width >= 72) {
            assert!(l.chars().count() <= width, "wider than {width}: {l:?}");
        }
        assert!(narrow.contains("(flushes"), "{narrow}");
    }
}

#[test]
fn html_page_is_well_formed_and_offline() {
    let page = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-{}.html", std::process::id()));
    let (code, _, _) = grace(&[
        "check",
        "programs/bank.gr",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let html = std::fs::read_to_string(&page).unwrap();
    // parse the whole page as XML: every tag closed, all text escaped
    let body = html.trim_start_matches("<!DOCTYPE html>\n");
    let mut reader = quick_xml::Reader::from_str(body);
    let (mut rows, mut depth, mut svg) = (0, 0i32, false);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                if e.name().as_ref() == "tr" {
                    rows += 1;
                }
                if e.name().as_ref() == "svg" {
                    svg = true;
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed page at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0);
    assert!(svg, "the state graph is drawn");
    assert!(rows > 10, "outcome table and swimlanes");
    assert!(html.contains("balance=100") && html.contains("class=\"race\""));
    // nothing is fetched: no scripts, no external links or images
    for bad in ["<script", "<link", "src=\"http", "href=\"http"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // `url(#head)`, the arrowhead, is a reference inside the page
    assert!(html.split("url(").skip(1).all(|u| u.starts_with('#')));
}

/// The page says where each goroutine of a deadlock waits, as the text
/// report does, and counts in the singular when there is one.
#[test]
fn html_page_lists_blocked_goroutines_and_counts_in_words() {
    let page = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-abba-{}.html", std::process::id()));
    let (code, text, _) = grace(&[
        "check",
        "programs/abba_deadlock.gr",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let html = std::fs::read_to_string(&page).unwrap();
    for waits in [
        "main blocked at <span class=\"loc\">47:2</span> (wg.Wait())",
        "aThenB#1 blocked at <span class=\"loc\">27:2</span> (Lock muB)",
        "bThenA#1 blocked at <span class=\"loc\">36:2</span> (Lock muA)",
    ] {
        assert!(html.contains(waits), "{waits}");
    }
    assert!(text.contains("main blocked at 47:2 (wg.Wait())"), "{text}");
    for counted in ["2 outcomes (1 race outcome)", "0 data races", "0 leaks"] {
        assert!(html.contains(counted), "{counted}");
        assert!(text.contains(counted), "{counted}");
    }
    assert!(!html.contains("1 race outcomes"));
}

/// A race between two lines is one excerpt, headed by its first place:
/// ariadne once made it two sections, both headed by the first place.
#[test]
fn race_excerpts_name_each_place_once() {
    let (code, out, _) = grace(&["check", "--witness", "none", "programs/lazy_init_racy.gr"]);
    assert_eq!(code, 1);
    assert!(out.contains("data race on icons"), "{out}");
    assert!(!out.contains("├─["), "{out}");
}

#[test]
fn no_colour_in_piped_output() {
    for args in [
        vec!["check", "programs/bank.gr", "--witness", "all"],
        vec!["check", "programs/abba_deadlock.gr"],
        vec!["check", "tests/errors/redeclared_global.gr"],
        vec!["replay", "programs/bank.gr", "--outcome", "1"],
    ] {
        let (_, out, err) = grace(&args);
        assert!(
            !out.contains('\u{1b}') && !err.contains('\u{1b}'),
            "{args:?}"
        );
    }
    let (_, out, _) = grace(&["check", "programs/bank.gr"]);
    // the race's two places are labelled on the source
    assert!(out.contains("read by func@42:5#1"), "{out}");
    assert!(out.contains("not ordered with it"), "{out}");
}

/// Run grace with stdout sent to `out` (a closed pipe, /dev/full, ...).
fn grace_to(args: &[&str], out: std::process::Stdio) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run grace");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A pipe whose reading end is already closed: every write gets EPIPE,
/// as under `grace … | head -1` once head has exited.
fn closed_pipe() -> std::process::Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

/// `/dev/full`, where every write fails with "no space left on device".
fn dev_full() -> Option<std::process::Stdio> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()?;
    Some(f.into())
}

#[test]
fn numeric_options_are_validated() {
    let f = temp_file("validated.gr", CLEAN.as_bytes());
    for bad in [
        "--timeout=nan",
        "--timeout=NaN",
        "--timeout=inf",
        "--timeout=-inf",
        "--timeout=-1",
        "--timeout=1e300",
        "--timeout=1000000001",
        "--timeout=soon",
        "--max-states=-1",
        "--max-states=99999999999999999999999",
        "--max-depth=-3",
        "--max-memory=-1",
        "--max-memory=1e3",
    ] {
        for cmd in [
            vec!["check", bad, &f],
            vec!["test", bad, &f],
            vec!["replay", "--outcome", "1", bad, &f],
        ] {
            let (code, out, err) = grace(&cmd);
            assert_eq!(code, 2, "{cmd:?}: {out}{err}");
            assert!(!err.contains("internal error"), "{cmd:?}: {err}");
            let opt = bad.split('=').next().unwrap();
            assert!(err.contains(opt), "{cmd:?}: the message names {opt}: {err}");
        }
    }
    let (_, _, err) = grace(&["check", "--timeout=nan", &f]);
    assert!(
        err.contains("a number of seconds from 0 to 1000000000"),
        "{err}"
    );
    // the bounds themselves are accepted
    for good in [
        "--timeout=0",
        "--timeout=0.5",
        "--timeout=1e9",
        "--max-states=0",
    ] {
        let (code, _, err) = grace(&["check", good, &f]);
        assert!(code == 0 || code == 3, "{good}: {err}");
    }
    for bad in ["0", "-1"] {
        let (code, _, err) = grace(&["replay", "--outcome", bad, &f]);
        assert_eq!(code, 2, "--outcome {bad}: {err}");
        assert!(!err.contains("internal error"), "{err}");
    }
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let Some(_) = dev_full() else {
        eprintln!("no /dev/full here: skipped");
        return;
    };
    let f = temp_file("full.gr", CLEAN.as_bytes());
    for args in [
        vec!["check", "--format", "json", &f],
        vec!["check", "--format", "summary", &f],
        vec!["check", &f, &f],
        vec!["check", &f],
        vec!["replay", "--outcome", "1", &f],
        vec!["test", &f],
        vec!["test", "--format", "summary", &f],
    ] {
        let (code, err) = grace_to(&args, dev_full().unwrap());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("cannot write the report to standard output"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_verdict() {
    let clean = temp_file("pipe-clean.gr", CLEAN.as_bytes());
    let racy = temp_file("pipe-racy.gr", RACY.as_bytes());
    for (args, status) in [
        (vec!["check", clean.as_str()], 0),
        (vec!["check", "--format", "json", racy.as_str()], 1),
        (vec!["check", "--format", "summary", racy.as_str()], 1),
        (vec!["check", clean.as_str(), racy.as_str()], 1),
        (vec!["replay", "--outcome", "1", racy.as_str()], 0),
        (vec!["replay", "--race", "1", "programs/bank.gr"], 0),
        (vec!["check", "--max-states", "3", racy.as_str()], 3),
    ] {
        let (code, err) = grace_to(&args, closed_pipe());
        assert_eq!(code, status, "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn never_writes_over_an_input_file() {
    let f = temp_file("over.gr", RACY.as_bytes());
    let g = temp_file("over2.gr", CLEAN.as_bytes());
    let link = format!("{f}.link");
    let _ = std::fs::remove_file(&link);
    std::fs::hard_link(&f, &link).unwrap();
    let dotted = std::path::Path::new(&f)
        .parent()
        .unwrap()
        .join(".")
        .join("over.gr");
    let dotted = dotted.to_str().unwrap();
    for args in [
        vec!["check", "--html", &f, &f],
        vec!["check", "--dot", &f, &f],
        vec!["check", "--dot", dotted, &f],
        vec!["check", "--html", &link, &f],
    ] {
        let (code, out, err) = grace(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "nothing explored: {args:?}: {out}");
        assert!(
            err.contains("would overwrite an input file"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&f).unwrap(), RACY);
    assert_eq!(std::fs::read_to_string(&g).unwrap(), CLEAN);
    let same = temp_file("same-out", b"");
    let (code, _, err) = grace(&["check", "--dot", &same, "--html", &same, &g]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--dot and --html name the same file"), "{err}");
}

#[test]
fn a_picture_that_cannot_be_written_keeps_the_verdict() {
    let clean = temp_file("pic-clean.gr", CLEAN.as_bytes());
    let racy = temp_file("pic-racy.gr", RACY.as_bytes());
    let missing = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("no-such-folder")
        .join("g.html");
    let missing = missing.to_str().unwrap();
    let mut cases = vec![
        (vec!["check", "--html", missing, clean.as_str()], 0),
        (vec!["check", "--dot", missing, racy.as_str()], 1),
        (
            vec![
                "check",
                "--max-states",
                "3",
                "--dot",
                missing,
                racy.as_str(),
            ],
            3,
        ),
    ];
    if std::path::Path::new("/dev/full").exists() {
        cases.push((vec!["check", "--dot", "/dev/full", clean.as_str()], 0));
        cases.push((vec!["check", "--html", "/dev/full", racy.as_str()], 1));
    }
    for (args, status) in cases {
        let (code, out, err) = grace(&args);
        assert_eq!(code, status, "{args:?}: {err}");
        assert!(out.contains("outcome"), "the report is printed: {out}");
        assert!(
            err.contains("grace: error: cannot write "),
            "{args:?}: {err}"
        );
    }
    // /dev/full is a device: written into, never replaced
    if let Ok(m) = std::fs::metadata("/dev/full") {
        use std::os::unix::fs::FileTypeExt;
        assert!(m.file_type().is_char_device());
    }
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("x.gr");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let fifo = fifo.to_str().unwrap();
    for args in [vec!["check", fifo], vec!["replay", "--outcome", "1", fifo]] {
        let (code, err) = run_with_deadline(&args, 20);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("x.gr") && err.contains("not a regular file"),
            "{err}"
        );
    }
}

/// Run grace, killing it (and failing) if it has not ended in `secs`.
pub fn run_with_deadline(args: &[&str], secs: u64) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed().as_secs() >= secs {
            let _ = child.kill();
            let _ = child.wait();
            panic!("grace {args:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

#[test]
fn program_strings_are_escaped_in_the_text_report() {
    // a panic and an assert message that try to forge report sections and
    // clear the terminal
    let f = temp_file(
        "forge.gr",
        b"var y int\nvar wg sync.WaitGroup\nfunc w() { y = 1; wg.Done() }\nfunc main() {\n\twg.Add(1)\n\tgo w()\n\tif y == 1 {\n\t\tpanic(\"boom\\n\\nleaks:\\n  none \x1b[2J\")\n\t}\n\tassert(y == 1, \"no\\n\\ndata races:\\n  none\")\n\twg.Wait()\n}\n",
    );
    for args in [
        vec!["check", "--witness", "all", &f],
        vec!["replay", "--outcome", "1", &f],
        vec!["replay", "--outcome", "2", &f],
    ] {
        let (_, out, err) = grace(&args);
        assert!(!out.contains('\u{1b}'), "{args:?}: {out}");
        let sections = usize::from(args[0] == "check");
        // (the source excerpts quote the program's text, escapes and all)
        let lines = |t: &str| out.lines().filter(|l| *l == t).count();
        assert_eq!(lines("data races:"), sections, "{args:?}: {out}{err}");
        assert_eq!(lines("leaks:"), sections, "{args:?}: {out}{err}");
        if args[0] == "check" {
            // (Go indents a panic's lines after the first with a tab)
            assert!(
                out.contains("panic: boom\\n\\t\\n\\tleaks:\\n\\t  none \\u{1b}[2J"),
                "{out}"
            );
            assert!(
                out.contains("assert: assertion failed: no\\n\\ndata races:\\n  none"),
                "{out}"
            );
        }
    }
}

/// A replay whose search a limit stopped before it reached the witness asked
/// for says so and exits 3 (the limit), not 2 (bad input); one it reached
/// (by a run finished past the stop) is replayed, and exits 3 too.
#[test]
fn a_replay_cut_short_by_a_limit_exits_with_the_limit() {
    let (code, _, err) = grace(&[
        "replay",
        "--outcome",
        "9",
        "--max-states",
        "5",
        "programs/bank.gr",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("the search was incomplete"), "{err}");
    let (code, out, err) = grace(&[
        "replay",
        "--outcome",
        "1",
        "--max-states",
        "5",
        "programs/bank.gr",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(out.contains("the run ends: "), "{out}");
    let (code, _, err) = grace(&["replay", "--outcome", "99", "programs/bank.gr"]);
    assert_eq!(code, 2, "{err}");
}

/// The source lines shown in an error or a race excerpt cannot send the
/// terminal escapes, carriage returns or bidirectional overrides: they are
/// replaced by visible characters of the same length (the caret still lines
/// up).
#[test]
fn source_excerpts_are_inert_on_a_terminal() {
    let bad = temp_file(
        "escapes.gr",
        "package main\n\nfunc main() {\n\tpanic(\"a \x1b[31m red \r over\")\n}\n".as_bytes(),
    );
    let (code, _, err) = grace(&["check", &bad]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\r'), "{err:?}");
    assert!(err.contains("panic(\"a ?[31m red ? over\")"), "{err}");
    // a race excerpt shows a line whose comment holds an override
    let racy = temp_file(
        "racy_excerpt.gr",
        "var x int\nvar wg sync.WaitGroup\nfunc w() { x = 1; wg.Done() } // \u{202e}gnp.exe\nfunc main() {\n\twg.Add(1)\n\tgo w()\n\tx = 2\n\twg.Wait()\n}\n"
            .as_bytes(),
    );
    let (code, out, _) = grace(&["check", "--memory", "sc", &racy]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("// \u{fffd}gnp.exe"), "{out}");
    assert!(!out.contains('\u{202e}'), "{out}");
}

/// Under a `ulimit -v` too small for the stack a check runs on, grace
/// says so and exits 2 (it was an internal-error panic, exit 101).
#[cfg(target_os = "linux")]
#[test]
fn a_refused_check_stack_is_an_error_not_a_panic() {
    let script = format!(
        "ulimit -v 200000 && exec '{}' check programs/bank.gr",
        env!("CARGO_BIN_EXE_grace")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run sh");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("programs/bank.gr: error: cannot start the thread a check runs on"),
        "{err}"
    );
}

#[test]
fn init_steps_are_named_in_witnesses() {
    // main runs each `func init` before its body; their steps say so
    let (_, out, _) = grace(&["check", "programs/go/init_global.go", "--witness", "all"]);
    assert!(out.contains("init: write limit = 10"), "{out}");
    assert!(out.contains("init: write ready = true"), "{out}");
    let i = out.find("init: write ready").unwrap();
    let go = out.find("go worker").unwrap();
    assert!(i < go, "init runs before main's body: {out}");
}
