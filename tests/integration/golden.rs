//! `grace test`: a folder goes from `new` to `ok` with `--bless`; an edit
//! that adds or removes an outcome turns it `changed` with a diff naming it;
//! header lines fix a file's options; the project's own corpus passes.

use std::path::Path;
use std::process::Command;

fn grace(args: &[&str], dir: &Path) -> (i32, String) {
    let (code, out, _) = grace_err(args, dir);
    (code, out)
}

fn fresh_dir(name: &str) -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grace-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("sub")).unwrap();
    d
}

const RACY: &str = "var x int\nvar wg sync.WaitGroup\nfunc w() { x = x + 1; wg.Done() }\nfunc main() { wg.Add(2); go w(); go w(); wg.Wait() }\nexpect forall x == 2\n";
const LOCKED: &str = "var x int\nvar mu sync.Mutex\nvar wg sync.WaitGroup\nfunc w() { mu.Lock(); x = x + 1; mu.Unlock(); wg.Done() }\nfunc main() { wg.Add(2); go w(); go w(); wg.Wait() }\nexpect forall x == 2\n";
const SB: &str = "// grace: --memory tso\nvar x int\nvar y int\nvar r0 int\nvar r1 int\nvar wg sync.WaitGroup\nfunc a() { x = 1; r0 = y; wg.Done() }\nfunc b() { y = 1; r1 = x; wg.Done() }\nfunc main() { wg.Add(2); go a(); go b(); wg.Wait() }\nexpect exists r0 == 0 && r1 == 0\n";

#[test]
fn new_then_bless_then_ok() {
    let d = fresh_dir("bless");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    std::fs::write(d.join("sub/sb.gr"), SB).unwrap();
    let (code, out) = grace(&["test", "."], &d);
    assert_eq!(code, 1);
    assert!(out.contains("new      ./counter.gr"), "{out}");
    assert!(out.ends_with("0 passed, 2 failed\n"), "{out}");
    let (code, out) = grace(&["test", "--bless", "."], &d);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("blessed  ./sub/sb.gr"));
    let (code, out) = grace(&["test", "."], &d);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
    // the header fixed the model of sb.gr
    let snap = std::fs::read_to_string(d.join("sub/sb.gr.expected")).unwrap();
    assert!(snap.contains("memory tso\n"), "{snap}");
    assert!(
        snap.contains("outcome ok stale x=1 y=1 r0=0 r1=0"),
        "{snap}"
    );
    assert!(!snap.contains("states "), "no state counts unless pinned");
}

#[test]
fn an_edit_that_removes_outcomes_is_changed_with_a_diff() {
    let d = fresh_dir("changed");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    assert_eq!(grace(&["test", "--bless", "."], &d).0, 0);
    std::fs::write(d.join("counter.gr"), LOCKED).unwrap();
    let (code, out) = grace(&["test", "."], &d);
    assert_eq!(code, 1);
    assert!(out.contains("changed  ./counter.gr"), "{out}");
    assert!(
        out.contains("removed  outcome ok x=1 (preemptive)"),
        "{out}"
    );
    assert!(
        out.contains("changed  expect forall x == 2: FAILS -> holds"),
        "{out}"
    );
    assert!(out.contains("removed  race x "), "{out}");
    // and back: the outcome appears again
    assert_eq!(grace(&["test", "--bless", "."], &d).0, 0);
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    let (_, out) = grace(&["test", "."], &d);
    assert!(
        out.contains("added    outcome ok x=1 (preemptive)"),
        "{out}"
    );
}

#[test]
fn pinned_states_and_bad_headers() {
    let d = fresh_dir("pin");
    std::fs::write(d.join("a.gr"), LOCKED).unwrap();
    assert_eq!(grace(&["test", "--bless", "--pin-states", "."], &d).0, 0);
    let snap = std::fs::read_to_string(d.join("a.gr.expected")).unwrap();
    assert!(snap.contains("states "), "{snap}");
    std::fs::write(d.join("b.gr"), format!("// grace: --frobnicate\n{LOCKED}")).unwrap();
    let (code, out) = grace(&["test", "."], &d);
    assert_eq!(code, 2, "a file that cannot be checked is bad input");
    assert!(out.contains("error    ./b.gr"), "{out}");
    assert!(out.ends_with("0 passed, 1 failed, 1 error\n"), "{out}");
    assert_eq!(grace(&["test", "no-such-folder"], &d).0, 2);
}

/// The project's own examples, checked the way users check theirs.
#[test]
fn the_programs_corpus_matches_its_expected_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out) = grace(&["test", "programs"], root);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" 0 failed"), "{out}");
}

fn grace_err(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run grace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn bless_replaces_a_snapshot_without_writing_into_it() {
    use std::os::unix::fs::MetadataExt;
    let d = fresh_dir("atomic");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    assert_eq!(grace(&["test", "--bless", "."], &d).0, 0);
    let snap = d.join("counter.gr.expected");
    let old = std::fs::read_to_string(&snap).unwrap();
    // a second name for the old snapshot: writing in place would change it
    std::fs::hard_link(&snap, d.join("old.keep")).unwrap();
    let ino = std::fs::metadata(&snap).unwrap().ino();
    std::fs::write(d.join("counter.gr"), LOCKED).unwrap();
    let (code, out) = grace(&["test", "--bless", "."], &d);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("blessed  ./counter.gr"), "{out}");
    assert_ne!(
        std::fs::metadata(&snap).unwrap().ino(),
        ino,
        "replaced by a rename"
    );
    assert_eq!(std::fs::read_to_string(d.join("old.keep")).unwrap(), old);
    assert_ne!(std::fs::read_to_string(&snap).unwrap(), old);
    // no temporary file is left behind
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "sub")
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn a_limited_check_is_never_blessed_and_never_passes() {
    let d = fresh_dir("limited");
    // its own header limits it
    std::fs::write(
        d.join("header.gr"),
        format!("// grace: --max-states 1\n{RACY}"),
    )
    .unwrap();
    let (code, out) = grace(&["test", "--bless", "."], &d);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("incomplete ./header.gr"), "{out}");
    assert!(out.contains("--max-states 1 reached"), "{out}");
    assert!(!out.contains("blessed"), "{out}");
    assert!(out.ends_with("0 passed, 0 failed, 1 incomplete\n"), "{out}");
    assert!(!d.join("header.gr.expected").exists());
    // a good snapshot stays as it is under a limited bless, and a limited
    // plain test does not call it ok
    std::fs::remove_file(d.join("header.gr")).unwrap();
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    assert_eq!(grace(&["test", "--bless", "."], &d).0, 0);
    let good = std::fs::read_to_string(d.join("counter.gr.expected")).unwrap();
    for limit in [
        vec!["--max-states", "10"],
        vec!["--timeout", "0"],
        vec!["--max-depth", "2"],
    ] {
        for bless in [true, false] {
            let mut args = vec!["test"];
            if bless {
                args.push("--bless");
            }
            args.extend(&limit);
            args.push(".");
            let (code, out) = grace(&args, &d);
            assert_eq!(code, 3, "{args:?}: {out}");
            assert!(out.contains("incomplete ./counter.gr"), "{args:?}: {out}");
            assert!(!out.contains("blessed") && !out.contains("ok "), "{out}");
            assert!(out.contains("0 passed"), "{out}");
            let now = std::fs::read_to_string(d.join("counter.gr.expected")).unwrap();
            assert_eq!(now, good, "{args:?}");
        }
    }
}

#[test]
fn an_interrupted_bless_writes_nothing() {
    let d = fresh_dir("sigint");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // tens of seconds of search: the interrupt comes long before the end
    std::fs::copy(root.join("bench/incr_n5_k3.gr"), d.join("big.gr")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(["test", "--bless", "."])
        .current_dir(&d)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.contains("incomplete ./big.gr"), "{text}");
    assert!(text.contains("interrupted"), "{text}");
    assert!(!text.contains("blessed"), "{text}");
    assert!(!d.join("big.gr.expected").exists());
}

#[test]
fn a_snapshot_that_does_not_parse_is_corrupt() {
    let d = fresh_dir("corrupt");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    assert_eq!(grace(&["test", "--bless", "."], &d).0, 0);
    let snap = d.join("counter.gr.expected");
    let good = std::fs::read(&snap).unwrap();
    let cut = &good[..good.len() - 7];
    for bad in [
        cut.to_vec(),
        b"\x00\x01garbage\xff\xfe\n".to_vec(),
        b"memory go\nfrobnicate 12\n".to_vec(),
        b"".to_vec(),
        // blessed from an incomplete check by an older grace
        b"# grace test snapshot; update with `grace test --bless`\nmemory go\nincomplete interrupted\n"
            .to_vec(),
    ] {
        std::fs::write(&snap, &bad).unwrap();
        let (code, out, _) = grace_err(&["test", "."], &d);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("corrupt  ./counter.gr: ./counter.gr.expected"),
            "{}: {out}",
            String::from_utf8_lossy(&bad)
        );
        assert!(!out.contains("new "), "{out}");
        // a complete check blesses over it
        let (code, out) = grace(&["test", "--bless", "."], &d);
        assert_eq!(code, 0, "{out}");
        assert_eq!(std::fs::read(&snap).unwrap(), good);
    }
}

#[cfg(unix)]
#[test]
fn the_walk_survives_symlink_cycles_fifos_and_unreadable_folders() {
    let d = fresh_dir("walk");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    std::fs::write(d.join("sub/locked.gr"), LOCKED).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up2")).unwrap();
    let (code, out) = run_with_deadline(&["test", "--bless", "."], &d, 60);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
    // a folder whose path is too long to open (even for root): the error
    // names it, and the rest is still tested
    let long = |i: usize| format!("{i}{}", "d".repeat(250));
    let mut a = d.join("sub/deep");
    for i in 0..8 {
        a = a.join(long(i));
    }
    std::fs::create_dir_all(&a).unwrap();
    let mut b = d.join("b");
    for i in 8..17 {
        b = b.join(long(i));
    }
    std::fs::create_dir_all(&b).unwrap();
    std::fs::rename(d.join("b").join(long(8)), a.join(long(8))).unwrap();
    std::fs::remove_dir(d.join("b")).unwrap();
    let fifo = d.join("sub/pipe.gr");
    let has_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let (code, out) = run_with_deadline(&["test", "."], &d, 60);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("ok       ./counter.gr"), "{out}");
    assert!(out.contains("ok       ./sub/locked.gr"), "{out}");
    assert_eq!(out.matches("counter.gr").count(), 1, "{out}");
    assert!(
        out.contains("error    ./sub/deep/0ddd") && out.contains("cannot read the folder"),
        "{out}"
    );
    if has_fifo {
        assert!(
            out.contains("error    ./sub/pipe.gr") && out.contains("not a regular file"),
            "{out}"
        );
    }
    assert!(out.contains("2 passed, 0 failed, "), "{out}");
    let _ = std::fs::remove_dir_all(&d);
}

/// Run grace in `dir`, failing if it has not ended in `secs`.
fn run_with_deadline(args: &[&str], dir: &Path, secs: u64) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
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
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn test_output_to_a_closed_pipe_keeps_the_verdict() {
    let d = fresh_dir("pipe");
    std::fs::write(d.join("counter.gr"), RACY).unwrap();
    for (args, status) in [(vec!["test", "."], 1), (vec!["test", "--bless", "."], 0)] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_grace"))
            .args(&args)
            .current_dir(&d)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(status), "{args:?}");
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // the bless happened though nobody read about it
    assert!(d.join("counter.gr.expected").exists());
}
