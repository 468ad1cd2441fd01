//! A stopped check is still useful (issue 20): runs finished from where a
//! breadth-first search stopped report outcomes it never saw end, each
//! with a witness that `grace replay` replays, the same on every run for
//! the same `--max-states`.

use super::cli::{grace, one_report};

/// incr_n4_k3 under `go`: its breadth-first search sees no run end within
/// its first 20,000 states (197,656 states in all).
const INCR: &str = "bench/incr_n4_k3.gr";

/// incr_n5_k3 under `go`: more than 7 M states, a search still running
/// when interrupted.
const BIG: &str = "bench/incr_n5_k3.gr";

/// The summary and the text report of a stopped check that now lists
/// outcomes: the runs finished past the stop, their witnesses (marked as
/// such), the INCOMPLETE line.
#[test]
fn a_stopped_check_lists_the_outcomes_of_runs_finished_past_the_stop() {
    let (code, summary, _) = grace(&[
        "check",
        "--memory",
        "go",
        "--max-states",
        "20000",
        "--format",
        "summary",
        INCR,
    ]);
    assert_eq!(code, 3, "{summary}");
    insta::assert_snapshot!("stopped_incr_n4_k3_summary", summary);
    let (code, text, _) = grace(&[
        "check",
        "--memory",
        "go",
        "--max-states",
        "300",
        "--witness",
        "all",
        "bench/incr_n3_k2.gr",
    ]);
    assert_eq!(code, 3, "{text}");
    insta::assert_snapshot!("stopped_incr_n3_k2_text", text);
}

/// Every outcome of a stopped check has a witness, and `grace replay`
/// replays it to its end: as many steps as the witness, ending as the
/// outcome does, with its final values.
#[test]
fn every_witness_of_a_stopped_check_replays() {
    for (memory, states, file) in [
        ("go", "20000", INCR),
        ("go", "300", "bench/incr_n3_k2.gr"),
        ("sc", "0", INCR),
        ("tso", "20", "programs/bank.gr"),
        ("go", "10", "programs/bank.gr"),
    ] {
        let common = ["--memory", memory, "--max-states", states];
        let mut args = vec!["check", "--format", "json"];
        args.extend(common);
        args.push(file);
        let (code, out, _) = grace(&args);
        assert_eq!(code, 3, "{file} {memory} {states}: {out}");
        let v = one_report(&out);
        let outcomes = v["outcomes"].as_array().unwrap();
        assert!(!outcomes.is_empty(), "{file} {memory} {states}: {out}");
        assert!(v["finished_runs"]["runs"].as_u64().unwrap() > 0, "{v}");
        for (n, o) in outcomes.iter().enumerate() {
            let witness = o["witness"].as_array().expect("a witness");
            let k = (n + 1).to_string();
            let mut args = vec!["replay", "--outcome", &k];
            args.extend(common);
            args.push(file);
            let (code, replay, err) = grace(&args);
            let what = format!("{file} {memory} {states} outcome #{k}: {err}\n{replay}");
            assert_eq!(code, 3, "{what}");
            let steps = replay.lines().filter(|l| l.starts_with("step ")).count();
            assert_eq!(steps, witness.len(), "{what}");
            let kind = o["kind"].as_str().unwrap();
            assert!(
                replay.contains(&format!("\nthe run ends: {kind}")),
                "{what}"
            );
            // the last state shown holds the outcome's final values
            let last = replay.rsplit("\nstep ").next().unwrap();
            for (var, value) in o["globals"].as_object().unwrap() {
                assert!(
                    last.contains(&format!("{var}={value}")),
                    "{var}={value}: {what}"
                );
            }
        }
    }
}

/// The same `--max-states` gives the same report, byte for byte (the runs
/// finished past the stop included).
#[test]
fn a_max_states_stop_is_deterministic() {
    let run = || {
        let (code, out, _) = grace(&[
            "check",
            "--memory",
            "go",
            "--max-states",
            "20000",
            "--witness",
            "all",
            INCR,
        ]);
        assert_eq!(code, 3);
        out
    };
    let first = run();
    assert!(
        first.contains("runs finished past the stop: 64 runs"),
        "{first}"
    );
    for _ in 0..2 {
        assert_eq!(run(), first);
    }
}

/// An `expect forall` is never reported as holding on a stopped check, nor
/// an `expect never`; a finished run can only make them fail (with its
/// witness), and an `exists` hold.
#[test]
fn a_stopped_check_never_says_forall_holds() {
    let f = super::cli::temp_file(
        "stopped-forall.gr",
        b"var n int\nvar wg sync.WaitGroup\n\
func w() {\n\tfor i := 0; i < 3; i++ {\n\t\tn = n + 1\n\t}\n\twg.Done()\n}\n\
func main() {\n\twg.Add(3)\n\tgo w()\n\tgo w()\n\tgo w()\n\twg.Wait()\n}\n\
expect forall n >= 1\nexpect never n == 0\nexpect exists n >= 1\n",
    );
    for memory in ["sc", "tso", "go"] {
        for states in ["0", "100", "1000"] {
            let (code, out, _) = grace(&[
                "check",
                "--memory",
                memory,
                "--max-states",
                states,
                "--format",
                "json",
                &f,
            ]);
            assert_eq!(code, 3, "{out}");
            let v = one_report(&out);
            let e = v["expects"].as_array().unwrap();
            assert_eq!(e[0]["verdict"], "unknown", "{memory} {states}: {e:?}");
            assert_eq!(e[1]["verdict"], "unknown", "{memory} {states}: {e:?}");
            assert_eq!(e[2]["verdict"], "holds", "{memory} {states}: {e:?}");
            assert!(e[2]["witness"].is_array());
        }
    }
}

/// A stop by `--max-depth` finishes no run: runs longer than the depth are
/// what the user left out.
#[test]
fn a_max_depth_stop_finishes_no_run() {
    let (code, out, _) = grace(&[
        "check",
        "--memory",
        "go",
        "--max-depth",
        "10",
        "--format",
        "json",
        INCR,
    ]);
    assert_eq!(code, 3, "{out}");
    let v = one_report(&out);
    assert!(v.get("finished_runs").is_none(), "{v}");
    assert!(v["outcomes"].as_array().unwrap().is_empty(), "{v}");
}

/// The progress line is drawn on a terminal only: piped, stderr stays
/// empty, however long the search.
#[test]
fn no_progress_line_when_piped() {
    let (code, _, err) = grace(&[
        "check",
        "--memory",
        "go",
        "--max-states",
        "100000",
        "--witness",
        "none",
        INCR,
    ]);
    assert_eq!(code, 3);
    assert_eq!(err, "");
}

/// Ctrl-C in the middle of a long search: the report comes at once (after
/// at most a short grace period) and lists outcomes with their witnesses;
/// a second Ctrl-C during that grace ends the process at once, without a
/// report (exit 130).
#[cfg(unix)]
#[test]
fn an_interrupt_still_reports_outcomes_with_witnesses() {
    use std::process::{Command, Stdio};
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_grace"))
            .args(["check", "--memory", "go", "--format", "json", BIG])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let int = |child: &std::process::Child| {
        let ok = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    };
    let child = start();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let t = std::time::Instant::now();
    int(&child);
    let out = child.wait_with_output().unwrap();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(out.status.code(), Some(3));
    assert!(took < 3.0, "took {took} s");
    let v = one_report(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        v["limit"].as_str().unwrap().split(' ').next(),
        Some("interrupted")
    );
    let outcomes = v["outcomes"].as_array().unwrap();
    assert!(!outcomes.is_empty(), "{v}");
    assert!(outcomes.iter().all(|o| o["witness"].is_array()), "{v}");

    let child = start();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    int(&child);
    std::thread::sleep(std::time::Duration::from_millis(10));
    int(&child);
    let out = child.wait_with_output().unwrap();
    // the second may come after the report was written: then it is 3
    // (or while it is written, on a loaded machine: the exit is at once,
    // so part of it may be out)
    match out.status.code() {
        Some(130) => {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("interrupted again"), "{err}");
        }
        code => assert_eq!(code, Some(3)),
    }
}
