//! `grace test`: a folder goes from `new` to `ok` with `--bless`; an edit
//! that adds or removes an outcome turns it `changed` with a diff naming it;
//! header lines fix a file's options; the project's own corpus passes.

use std::path::Path;
use std::process::Command;

fn grace(args: &[&str], dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grace"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run grace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
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
    assert_eq!(code, 1);
    assert!(out.contains("error    ./b.gr"), "{out}");
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
