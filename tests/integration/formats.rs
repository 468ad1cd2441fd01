//! The outputs for reading at a glance and for scripts (docs/CLI.md):
//! `--format summary`, the closing line of several files, the one JSON
//! document, standard input (`-`), and `grace test --format summary`; each
//! with its exit status.

use crate::cli::grace;
use std::process::{Command, Stdio};

/// Run grace with `input` on its standard input.
fn grace_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run grace");
    let mut stdin = child.stdin.take().unwrap();
    // a grace that refuses its arguments may not read: a broken pipe is fine
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON document with the one varying figure (`stats.seconds`) zeroed.
fn stable_json(out: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(out).unwrap();
    for f in v["files"].as_array_mut().unwrap() {
        if f.get("stats").is_some() {
            f["stats"]["seconds"] = serde_json::json!(0.0);
        }
    }
    serde_json::to_string_pretty(&v).unwrap()
}

/// The issue's example: the two lost updates and the data race of the
/// bank, in a few lines.
#[test]
fn summary_lists_the_race_outcomes_at_a_glance() {
    let (code, out, err) = grace(&["check", "--format", "summary", "programs/bank.gr"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err, "");
    insta::assert_snapshot!("summary_bank", out);
    // each line of a finding can be replayed by its number
    assert!(
        out.contains("race outcome #1: preemptive balance=100"),
        "{out}"
    );
    assert!(out.contains("data race on balance: #1 write 29:2 / write 29:2"));
}

/// Exit statuses of `--format summary` are those of the full report.
#[test]
fn summary_exit_statuses() {
    let clean = "programs/bank_mutex.gr";
    for (args, status, first) in [
        (vec![clean], 0, "programs/bank_mutex.gr: clean: 1 outcome;"),
        (vec!["programs/bank.gr"], 1, "programs/bank.gr: findings: "),
        (
            vec!["--max-states", "10", "programs/bank.gr"],
            3,
            "programs/bank.gr: incomplete: ",
        ),
        (
            vec!["tests/errors/bad_token.gr"],
            2,
            "tests/errors/bad_token.gr:5:8: error: syntax error",
        ),
        (
            vec!["no/such/file.gr"],
            2,
            "no/such/file.gr: error: cannot read the file",
        ),
    ] {
        let mut a = vec!["check", "--format", "summary"];
        a.extend(&args);
        let (code, out, _) = grace(&a);
        assert_eq!(code, status, "{args:?}: {out}");
        assert!(out.starts_with(first), "{args:?}: {out}");
    }
}

/// Every kind of finding has its line: deadlocks with where each
/// goroutine is blocked, panics and asserts with their message, leaks,
/// never-ending runs, and the closing line of several files.
#[test]
fn summary_of_several_files() {
    let (code, out, err) = grace(&[
        "check",
        "--format",
        "summary",
        "programs/abba_deadlock.gr",
        "programs/assert_fail.gr",
        "programs/bank_mutex.gr",
        "programs/goroutine_leak.gr",
        "programs/spin_forever.gr",
        "tests/errors/bad_token.gr",
    ]);
    assert_eq!(code, 2, "an error ranks first");
    assert!(
        err.contains("bad_token.gr:5:8"),
        "errors stay on stderr: {err}"
    );
    insta::assert_snapshot!("summary_several", out);
    assert!(out.ends_with("6 files: 1 clean, 4 with findings, 1 error, 0 stopped by a limit\n"));
}

/// The full text report of several files ends with the closing line too;
/// one file has none.
#[test]
fn several_files_end_with_a_closing_line() {
    let (code, out, _) = grace(&[
        "check",
        "--witness",
        "none",
        "--max-states",
        "12",
        "programs/bank_mutex.gr",
        "programs/bank.gr",
        "tests/errors/bad_token.gr",
    ]);
    assert_eq!(code, 2);
    assert!(
        out.ends_with("\n\n3 files: 0 clean, 0 with findings, 1 error, 2 stopped by a limit\n"),
        "{out}"
    );
    let (code, out, _) = grace(&["check", "programs/bank_mutex.gr", "programs/bank.gr"]);
    assert_eq!(code, 1);
    assert!(
        out.ends_with("\n\n2 files: 1 clean, 1 with findings, 0 errors, 0 stopped by a limit\n")
    );
    // the reports are separated by one blank line, as before
    assert_eq!(
        out.matches("\n\nprograms/bank.gr: memory go").count(),
        1,
        "{out}"
    );
    let (_, out, _) = grace(&["check", "programs/bank.gr"]);
    assert!(!out.contains(" files: "), "{out}");
    // nothing but errors: the closing line alone
    let (code, out, _) = grace(&["check", "no/such.gr", "tests/errors/bad_token.gr"]);
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "2 files: 0 clean, 0 with findings, 2 errors, 0 stopped by a limit\n"
    );
}

/// The one JSON shape, snapshotted: a report, an error and a stopped check.
#[test]
fn json_document_of_several_files() {
    let (code, out, _) = grace(&[
        "check",
        "--format",
        "json",
        "programs/bank_mutex.gr",
        "tests/errors/redeclared_global.gr",
        "--max-states",
        "5",
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("json_several", stable_json(&out));
}

/// `-` reads the program from standard input, named `<stdin>`; `.gr` and
/// `.go` text alike (one language: Go's headers are accepted).
#[test]
fn a_dash_reads_standard_input() {
    let bank = std::fs::read("programs/go/bank.go").unwrap();
    let (code, out, err) = grace_stdin(&["check", "--format", "summary", "-"], &bank);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("summary_stdin", out);
    let gr = std::fs::read("programs/bank_mutex.gr").unwrap();
    let (code, out, _) = grace_stdin(&["check", "-", "programs/bank.gr"], &gr);
    assert_eq!(code, 1);
    assert!(out.starts_with("<stdin>: memory go, "), "{out}");
    assert!(out.contains("2 files: 1 clean, 1 with findings"), "{out}");
    let (code, out, _) = grace_stdin(&["check", "--format", "json", "-"], &gr);
    assert_eq!(code, 0);
    assert_eq!(crate::cli::one_report(&out)["file"], "<stdin>");
    // errors name <stdin>, with the place
    let (code, out, err) = grace_stdin(&["check", "-"], b"func main() {\n  x := \n}\n");
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("<stdin>:2:8: error: "), "{err}");
    let (code, _, err) = grace_stdin(&["check", "-"], b"");
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("<stdin>"), "{err}");
    // replay reads it too
    let (code, out, _) = grace_stdin(&["replay", "--race", "1", "-"], &bank);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("replay of data race #1"), "{out}");
    // standard input can be read once; `grace test` has no snapshot for it
    let (code, _, err) = grace_stdin(&["check", "-", "-"], &gr);
    assert_eq!(code, 2);
    assert!(
        err.contains("`-` (standard input) can be given only once"),
        "{err}"
    );
    let (code, out, _) = grace_stdin(&["test", "-"], &gr);
    assert_eq!(code, 2);
    assert!(out.contains("standard input has no snapshot"), "{out}");
}

/// `grace test --format summary` lists each file's findings below its
/// line; the exit status is still the snapshots'.
#[test]
fn test_with_summary_lists_the_findings() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-test-summary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "bank.gr",
        "bank.gr.expected",
        "bank_mutex.gr",
        "bank_mutex.gr.expected",
    ] {
        std::fs::copy(std::path::Path::new("programs").join(f), dir.join(f)).unwrap();
    }
    let d = dir.to_str().unwrap();
    let (code, out, _) = grace(&["test", "--format", "summary", d]);
    assert_eq!(code, 0, "{out}");
    let out = out.replace(d, "DIR");
    insta::assert_snapshot!("test_summary", out);
    let (code, plain, _) = grace(&["test", d]);
    assert_eq!(code, 0);
    assert_eq!(plain.lines().count(), 3, "{plain}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's first example is the real output.
#[test]
fn readme_shows_the_real_summary() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (_, out, _) = grace(&["check", "--format", "summary", "programs/bank.gr"]);
    assert!(
        readme.contains(&format!("```\n{out}```\n")),
        "README.md's summary of programs/bank.gr is not what grace prints:\n{out}"
    );
    let go = "programs/go/closure_counter_race.go";
    let (_, out_go, _) = grace(&["check", "--format", "summary", go]);
    assert!(
        readme.contains(&format!(
            "```\n$ grace check --format summary {go}\n{out_go}```\n"
        )),
        "README.md's summary of {go} is not what grace prints:\n{out_go}"
    );
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/CLI.md")).unwrap();
    assert!(
        docs.contains(&format!("```\n{out}```\n")),
        "docs/CLI.md: {out}"
    );
}
