//! The command line: exit statuses, formats, options, bad input.

use std::process::Command;

fn grace(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run grace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_file(name: &str, bytes: &[u8]) -> String {
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
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["memory"], m);
    }
    let (_, out, _) = grace(&["check", "--format", "json", &f]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
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
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["complete"], false);
}

#[test]
fn json_has_the_contract_fields() {
    let f = temp_file("racy2.gr", RACY.as_bytes());
    let (_, out, _) = grace(&["check", "--format", "json", &f]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
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

#[test]
fn several_files_give_a_json_array() {
    let a = temp_file("a.gr", CLEAN.as_bytes());
    let b = temp_file("b.gr", RACY.as_bytes());
    let (code, out, _) = grace(&["check", "--format", "json", &a, &b]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
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
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
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
    let (code, _, err) = grace(&["check", &f]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":5:14: error: pointers are not supported"),
        "{err}"
    );
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
    for bad in ["<script", "<link", "src=\"http", "href=\"http", "url("] {
        assert!(!html.contains(bad), "{bad}");
    }
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
