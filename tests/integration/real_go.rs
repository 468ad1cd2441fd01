//! The Go dialect kept honest by the real Go toolchain: every `.go` file in
//! `programs/` passes `go vet`, and every behaviour its real runs show is
//! one grace predicts (a one-sided check: it fails only when the real
//! runtime does something grace's outcome set lacks).
//!
//! The toolchain is `GRACE_GO_BIN`, else `go` on the `PATH`; it must be Go
//! 1.22 or later (per-iteration loop variables, `range` over an int).
//! Without one both tests are skipped, unless `GRACE_GO=required` (set by
//! `.ci/run`), which makes them fail instead. No network is used: the
//! programs import the standard library only, and `GOTOOLCHAIN=local`
//! keeps `go` from fetching another toolchain.

use crate::{check_path, display_name};
use grace::{EndKind, Memory, Options};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Programs the real-runtime check leaves out, each with the reason (a
/// program that never ends, say). `go vet` still checks them.
const NOT_RUN: &[(&str, &str)] = &[];

/// Behaviours of the real runtime that grace is known to miss: `(program,
/// the run's standard output)`. Each is a grace bug to fix, not a licence:
/// any other unpredicted behaviour of the program still fails the test.
///
/// Behaviours of the real runtime that grace is known to miss, as
/// (program, output): reported but not failing, each a grace bug to fix.
/// None now (the end of a panicking run, once missed here, is a step of its
/// own: programs/go/panic_others_run.go).
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// Runs of each program; `GRACE_GO_RUNS` overrides it.
const RUNS: usize = 200;

/// A run that takes longer is stopped and counted as never ending.
const RUN_TIMEOUT: Duration = Duration::from_secs(10);

/// The Go toolchain to use, or `None` (the test is skipped) when there is
/// none and it is not required.
fn toolchain() -> Option<PathBuf> {
    let required = std::env::var("GRACE_GO").is_ok_and(|v| v == "required");
    let bin = std::env::var_os("GRACE_GO_BIN").map_or_else(|| PathBuf::from("go"), PathBuf::from);
    let problem = match go_command(&bin, Path::new(".")).arg("version").output() {
        Err(e) => format!("cannot run {}: {e}", bin.display()),
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            match go_version(&text) {
                Some((1, minor)) if minor >= 22 => return Some(bin),
                _ => format!("{} is not Go 1.22 or later: {text}", bin.display()),
            }
        }
    };
    assert!(!required, "GRACE_GO=required: {problem}");
    eprintln!("skipped: {problem} (set GRACE_GO_BIN to a Go 1.22+ `go`)");
    None
}

/// `(major, minor)` of `go version`'s answer (`go version go1.27.3 linux/amd64`).
fn go_version(text: &str) -> Option<(u32, u32)> {
    let v = text.split_whitespace().nth(2)?.strip_prefix("go")?;
    let mut parts = v.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A `go` command that works on a clean clone and offline: module mode
/// with the files given on the command line (no `go.mod` needed), no
/// workspace, no proxy, no toolchain download, no inherited `GOFLAGS`, run
/// in `dir` so that no `go.mod` above the checkout is picked up.
fn go_command(bin: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .env("GO111MODULE", "on")
        .env("GOWORK", "off")
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local");
    // `go` keeps its build cache under $HOME; a machine without one gets a
    // cache in the scratch folder.
    if std::env::var_os("HOME").is_none() && std::env::var_os("GOCACHE").is_none() {
        cmd.env("GOCACHE", dir.join("gocache"))
            .env("GOPATH", dir.join("gopath"));
    }
    cmd
}

/// Every `.go` file below `programs/`, sorted: files added later are
/// checked by themselves.
fn go_programs() -> Vec<PathBuf> {
    crate::snapshots::program_files()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "go"))
        .collect()
}

/// A scratch folder of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("grace-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `f` on every item, on as many threads as there are cores (at least
/// two), results in the items' order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads.min(items.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut v = results.into_inner().unwrap();
    v.sort_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, r)| r).collect()
}

/// Run a `go` subcommand; `Err` holds its output when it fails.
fn go_run(bin: &Path, dir: &Path, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    let out = go_command(bin, dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn go_vet_accepts_every_go_program() {
    let Some(go) = toolchain() else { return };
    let scratch = Scratch::new("vet");
    let files = go_programs();
    assert!(!files.is_empty(), "no .go file in programs/");
    let t0 = Instant::now();
    // Each file is a `package main` of its own: vetted alone.
    let results = par_map(&files, |f| {
        go_run(&go, &scratch.0, &["vet".as_ref(), f.as_os_str()])
    });
    let failures: Vec<String> = files
        .iter()
        .zip(results)
        .filter_map(|(f, r)| r.err().map(|e| format!("{}:\n{e}", display_name(f))))
        .collect();
    eprintln!("go vet: {} files in {:.1?}", files.len(), t0.elapsed());
    assert!(
        failures.is_empty(),
        "go vet refuses {} file(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How a real run ended.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Exit(i32),
    /// Killed by a signal (not ours): no outcome of grace's is that.
    Signal,
    /// Still running after [`RUN_TIMEOUT`]: stopped.
    Timeout,
}

/// One real run: how it ended, its standard output, and its standard
/// error up to the goroutine dump a panic or fatal error prints (the
/// builtin `print`/`println` write there, then the `panic: …` line).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    end: End,
    stdout: String,
    stderr: String,
}

impl Seen {
    fn describe(&self) -> String {
        let end = match self.end {
            End::Exit(c) => format!("exit {c}"),
            End::Signal => "killed by a signal".into(),
            End::Timeout => format!("still running after {RUN_TIMEOUT:?}"),
        };
        format!("{end}, stdout {:?}, stderr {:?}", self.stdout, self.stderr)
    }
}

/// Run `bin` once with `GOMAXPROCS=2`.
fn run_once(bin: &Path) -> Seen {
    let mut child = Command::new(bin)
        .env("GOMAXPROCS", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let (end, stdout, stderr) = std::thread::scope(|s| {
        let read = |pipe: &mut dyn std::io::Read| {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        };
        let out = s.spawn(move || read(&mut out_pipe));
        let err = s.spawn(move || read(&mut err_pipe));
        let end = wait_bounded(&mut child);
        (end, out.join().unwrap(), err.join().unwrap())
    });
    let stderr = match end {
        End::Exit(0) => stderr,
        _ => cut_goroutine_dump(&stderr).to_string(),
    };
    Seen {
        end,
        stdout,
        stderr,
    }
}

/// Wait for `child`, killing it after [`RUN_TIMEOUT`].
fn wait_bounded(child: &mut std::process::Child) -> End {
    let t0 = Instant::now();
    let mut pause = Duration::from_micros(200);
    loop {
        match child.try_wait().expect("wait for a run") {
            Some(status) => return status.code().map_or(End::Signal, End::Exit),
            None if t0.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return End::Timeout;
            }
            None => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
        }
    }
}

/// Standard error up to the goroutine dump (`\ngoroutine 1 [running]:`…),
/// whose addresses differ from run to run.
fn cut_goroutine_dump(stderr: &str) -> &str {
    match stderr.find("\ngoroutine ") {
        Some(i) => &stderr[..=i],
        None => stderr,
    }
}

/// Can `output` (grace's one stream for `print`, `println` and `fmt`) be
/// cut into the real run's standard output and standard error, keeping
/// the order of each? Go writes `fmt`'s output to stdout and the builtin
/// `print`'s to stderr, so only the interleaving is lost.
fn interleaves(output: &str, stdout: &str, stderr: &str) -> bool {
    let (o, a, b) = (output.as_bytes(), stdout.as_bytes(), stderr.as_bytes());
    if o.len() != a.len() + b.len() {
        return false;
    }
    // can[j]: o[..i+j] is an interleaving of a[..i] and b[..j], row by row.
    let mut can = vec![false; b.len() + 1];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            can[j] = if i == 0 && j == 0 {
                true
            } else {
                let k = i + j - 1;
                (i > 0 && can[j] && a[i - 1] == o[k]) || (j > 0 && can[j - 1] && b[j - 1] == o[k])
            };
        }
    }
    can[b.len()]
}

/// The runtime's report of grace's outcome `o` (what Go prints after the
/// program's own output when the run ends), as [`normalized`]: `panic:
/// MSG` for a panic (a panic raised while another unwinds is already in
/// grace's message, as `FIRST\n\tpanic: SECOND`), the fatal error as
/// grace names it (`fatal error: …`), or the deadlock's.
fn runtime_report(kind: EndKind, message: Option<&str>) -> Option<String> {
    let msg = message.unwrap_or("");
    match kind {
        EndKind::Deadlock => Some("fatal error: all goroutines are asleep - deadlock!".into()),
        EndKind::Panic if msg.starts_with("fatal error: ") => Some(normalized(msg)),
        EndKind::Panic => Some(normalized(&format!("panic: {msg}"))),
        EndKind::Ok | EndKind::Assert => None,
    }
}

/// A panic report with what grace does not model taken out: the
/// ` [recovered]` marks, the tab Go puts after
/// each newline of a message, `[signal …]` lines and the blank line before
/// the goroutine dump.
fn normalized(report: &str) -> String {
    let text = report
        .replace(" [recovered, repanicked]", "")
        .replace(" [recovered]", "")
        .replace("\n\t", "\n");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("[signal "))
        .collect();
    lines.join("\n").trim_end().to_string()
}

/// Is `seen` a run that ends in grace's outcome `o`?
fn explains(o: &grace::Outcome, seen: &Seen) -> bool {
    match (o.kind, &seen.end) {
        (EndKind::Ok, End::Exit(0)) => interleaves(&o.output, &seen.stdout, &seen.stderr),
        (EndKind::Panic | EndKind::Deadlock, End::Exit(2)) => {
            let Some(wanted) = runtime_report(o.kind, o.message.as_deref()) else {
                return false;
            };
            let err = &seen.stderr;
            // The runtime's report starts where the program's print output
            // ends; where that is, only the output can tell.
            err.match_indices("panic: ")
                .chain(err.match_indices("fatal error: "))
                .any(|(i, _)| {
                    normalized(&err[i..]) == wanted
                        && interleaves(&o.output, &seen.stdout, &err[..i])
                })
        }
        _ => false,
    }
}

/// grace's outcomes of one program, one per line, for a failure message.
fn describe_outcomes(r: &grace::CheckResult) -> String {
    let mut s = String::new();
    for o in &r.outcomes {
        s += &format!("    {} output={:?}", o.kind.name(), o.output);
        if let Some(m) = &o.message {
            s += &format!(" message={m:?}");
        }
        s += "\n";
    }
    if !r.never_ending.is_empty() {
        s += "    (and never-ending runs)\n";
    }
    s
}

/// What the real runs of one program showed that grace does not predict,
/// or `None`.
fn unpredicted(path: &Path, bin: &Path, runs: usize) -> Option<String> {
    let opts = Options::new().memory(Memory::Go).timeout_secs(120.0);
    let r = check_path(path, &opts)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_result();
    let name = display_name(path);
    if !r.complete {
        return Some(format!(
            "{name}: grace's check is incomplete; list it in NOT_RUN with the reason"
        ));
    }
    let hung = std::sync::atomic::AtomicBool::new(false);
    let seen = par_map(&vec![(); runs], |()| {
        // One run that does not end is enough: do not wait for the others.
        if hung.load(Ordering::Relaxed) {
            return None;
        }
        let s = run_once(bin);
        hung.fetch_or(s.end == End::Timeout, Ordering::Relaxed);
        Some(s)
    });
    let mut counts: BTreeMap<Seen, usize> = BTreeMap::new();
    for s in seen.into_iter().flatten() {
        *counts.entry(s).or_default() += 1;
    }
    let missed: Vec<String> = counts
        .iter()
        .filter(|(s, _)| {
            let predicted = match s.end {
                End::Timeout => !r.never_ending.is_empty(),
                _ => r.outcomes.iter().any(|o| explains(o, s)),
            };
            let known = KNOWN_MISSES.contains(&(name.as_str(), s.stdout.as_str()));
            if !predicted && known {
                eprintln!("{name}: known grace bug (KNOWN_MISSES): {}", s.describe());
            }
            !predicted && !known
        })
        .map(|(s, n)| format!("  seen in {n} of {runs} runs: {}\n", s.describe()))
        .collect();
    eprintln!(
        "{name}: {runs} runs, {} distinct behaviour(s), {} unpredicted",
        counts.len(),
        missed.len()
    );
    if missed.is_empty() {
        return None;
    }
    let source = std::fs::read_to_string(path).unwrap_or_default();
    Some(format!(
        "{name}: the real runtime (GOMAXPROCS=2) did what grace does not predict:\n{}  \
         grace's outcomes (memory go):\n{}  the program:\n{source}",
        missed.concat(),
        describe_outcomes(&r)
    ))
}

#[test]
fn real_runs_show_only_predicted_outcomes() {
    let Some(go) = toolchain() else { return };
    let scratch = Scratch::new("real");
    let runs = std::env::var("GRACE_GO_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RUNS);
    let files: Vec<PathBuf> = go_programs()
        .into_iter()
        .filter(|f| !NOT_RUN.iter().any(|(n, _)| display_name(f) == *n))
        .collect();
    let t0 = Instant::now();
    let built = par_map(&files, |f| {
        let bin = scratch.0.join(f.file_stem().unwrap());
        let args = [
            "build".as_ref(),
            "-o".as_ref(),
            bin.as_os_str(),
            f.as_os_str(),
        ];
        go_run(&go, &scratch.0, &args).map(|()| bin)
    });
    let build_time = t0.elapsed();
    let mut failures = Vec::new();
    for (f, bin) in files.iter().zip(built) {
        match bin {
            Err(e) => failures.push(format!("{}: go build fails:\n{e}", display_name(f))),
            Ok(bin) => failures.extend(unpredicted(f, &bin, runs)),
        }
    }
    eprintln!(
        "real runs: {} programs built in {build_time:.1?}, {runs} runs each, {:.1?} in all",
        files.len(),
        t0.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// grace's outcomes of a small Go program.
fn outcomes_of(src: &str) -> Vec<grace::Outcome> {
    grace::check_source("t.go", src, &Options::new())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_result()
        .outcomes
}

fn exit2(stdout: &str, stderr: &str) -> Seen {
    Seen {
        end: End::Exit(2),
        stdout: stdout.into(),
        stderr: cut_goroutine_dump(stderr).into(),
    }
}

#[test]
fn output_is_matched_as_an_interleaving_of_stdout_and_stderr() {
    assert!(interleaves("a\nb\n", "b\n", "a\n"));
    assert!(interleaves("ab", "", "ab"));
    assert!(!interleaves("ab", "ba", ""));
    assert!(!interleaves("ab", "a", ""));
    assert!(!interleaves("a", "a", "b"));
}

#[test]
fn a_panic_is_matched_with_the_runtimes_report() {
    let os = outcomes_of("package main\n\nfunc main() {\n\tprintln(\"x\")\n\tpanic(\"boom\")\n}\n");
    let [o] = &os[..] else { panic!("{}", os.len()) };
    let dump = "\ngoroutine 1 [running]:\nmain.main()\n\t/tmp/t.go:5 +0x2f\nexit status 2\n";
    assert!(explains(o, &exit2("", &format!("x\npanic: boom\n{dump}"))));
    assert!(!explains(o, &exit2("", &format!("panic: boom\n{dump}"))));
    assert!(!explains(o, &exit2("", &format!("x\npanic: bang\n{dump}"))));
    assert!(!explains(
        o,
        &exit2(
            "",
            "x\nfatal error: all goroutines are asleep - deadlock!\n"
        )
    ));
    let ok = Seen {
        end: End::Exit(0),
        stdout: String::new(),
        stderr: "x\n".into(),
    };
    assert!(!explains(o, &ok));
}

#[test]
fn runtime_errors_and_deadlocks_are_matched() {
    let os = outcomes_of("package main\n\nvar d int\n\nfunc main() {\n\tprintln(10 / d)\n}\n");
    let [o] = &os[..] else { panic!("{}", os.len()) };
    let report = "panic: runtime error: integer divide by zero\n[signal SIGFPE]\n\ngoroutine 1:\n";
    assert!(explains(o, &exit2("", report)));
    let os = outcomes_of(
        "package main\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\n\
         func main() {\n\tmu.Lock()\n\tmu.Lock()\n}\n",
    );
    let [o] = &os[..] else { panic!("{}", os.len()) };
    let report =
        "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.Mutex.Lock]:\n";
    assert!(explains(o, &exit2("", report)));
    assert!(!explains(o, &exit2("", "panic: boom\n")));
}

/// The runtime's `runtime error: ` prefix is part of what is compared: a
/// program's own panic with a runtime error's words is not the runtime's.
#[test]
fn a_programs_own_panic_is_not_a_runtime_error() {
    let os = outcomes_of("package main\n\nfunc main() {\n\tpanic(\"integer divide by zero\")\n}\n");
    let [o] = &os[..] else { panic!("{}", os.len()) };
    assert!(explains(
        o,
        &exit2("", "panic: integer divide by zero\n\ngoroutine 1:\n")
    ));
    let runtime = "panic: runtime error: integer divide by zero\n\ngoroutine 1:\n";
    assert!(!explains(o, &exit2("", runtime)));
    let os = outcomes_of("package main\n\nvar d int\n\nfunc main() {\n\tprintln(10 / d)\n}\n");
    let [o] = &os[..] else { panic!("{}", os.len()) };
    assert!(!explains(o, &exit2("", "panic: integer divide by zero\n")));
}

#[test]
fn nested_panics_are_normalized_alike() {
    let go = "panic: runtime error: integer divide by zero\n\tpanic: second\n\tx [recovered]\n\n";
    assert_eq!(
        normalized(go),
        normalized("panic: runtime error: integer divide by zero\n\tpanic: second\nx")
    );
}

/// Runs of each program built with the race detector; `GRACE_GO_RACE_RUNS`
/// overrides it.
const RACE_RUNS: usize = 10;

/// The pairs of lines of `file` that the race detector's reports in
/// `stderr` name: per `WARNING: DATA RACE`, the innermost frame in `file`
/// of each of the two accesses (the runtime's own frames, such as
/// `chansend`, come first and are skipped).
fn detected_races(stderr: &str, file: &str) -> Vec<(u32, u32)> {
    let at = format!("/{file}:");
    let line_of = |section: &str| {
        section.lines().find_map(|l| {
            let rest = &l[l.find(&at)? + at.len()..];
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
    };
    let mut pairs = Vec::new();
    for report in stderr.split("WARNING: DATA RACE").skip(1) {
        let report = report.split("==================").next().unwrap_or("");
        let lines: Vec<u32> = report
            .split("\n\n")
            .filter(|s| {
                let s = s.trim_start();
                [
                    "Read at",
                    "Write at",
                    "Previous read at",
                    "Previous write at",
                ]
                .iter()
                .any(|p| s.starts_with(p))
            })
            .filter_map(line_of)
            .collect();
        if let [a, b] = lines[..] {
            pairs.push((a.min(b), a.max(b)));
        }
    }
    pairs
}

#[test]
fn race_reports_are_read_by_their_lines() {
    let stderr = "==================\nWARNING: DATA RACE\nRead at 0x00c by goroutine 8:\n  \
                  runtime.chansend()\n      /go/src/runtime/chan.go:190 +0x1\n  main.main.func1()\n      \
                  /tmp/x/send.go:15 +0x3d\n\nPrevious write at 0x00c by main goroutine:\n  \
                  runtime.closechan()\n      /go/src/runtime/chan.go:430 +0x1\n  main.main()\n      \
                  /tmp/x/send.go:17 +0x5c\n\nGoroutine 8 (running) created at:\n  main.main()\n      \
                  /tmp/x/send.go:8 +0x1\n==================\n";
    assert_eq!(detected_races(stderr, "send.go"), [(15, 17)]);
    assert!(detected_races(stderr, "other.go").is_empty());
}

/// Go's race detector never reports a race grace misses: each race it
/// reports in real runs (a one-sided check, as the detector sees only the
/// interleavings that happen) is one of grace's under `go`, by its two
/// lines.
#[test]
fn the_race_detector_finds_no_race_grace_misses() {
    let Some(go) = toolchain() else { return };
    let scratch = Scratch::new("race");
    let runs = std::env::var("GRACE_GO_RACE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RACE_RUNS);
    let files: Vec<PathBuf> = go_programs()
        .into_iter()
        .filter(|f| !NOT_RUN.iter().any(|(n, _)| display_name(f) == *n))
        .collect();
    let t0 = Instant::now();
    let seen_in = AtomicUsize::new(0);
    let missed = par_map(&files, |f| {
        let bin = scratch.0.join(f.file_stem().unwrap());
        let args = [
            "build".as_ref(),
            "-race".as_ref(),
            "-o".as_ref(),
            bin.as_os_str(),
            f.as_os_str(),
        ];
        if let Err(e) = go_run(&go, &scratch.0, &args) {
            return vec![format!("{}: go build -race fails:\n{e}", display_name(f))];
        }
        let file = f.file_name().unwrap().to_string_lossy().into_owned();
        let mut seen: Vec<(u32, u32)> = Vec::new();
        for _ in 0..runs {
            let (stderr, hung) = run_once_uncut(&bin);
            seen.extend(detected_races(&stderr, &file));
            if hung {
                break; // one is enough: do not wait for the others
            }
        }
        seen.sort_unstable();
        seen.dedup();
        if seen.is_empty() {
            return Vec::new();
        }
        seen_in.fetch_add(1, Ordering::Relaxed);
        let opts = Options::new().memory(Memory::Go).timeout_secs(120.0);
        let r = check_path(f, &opts)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_result();
        let grace: Vec<(u32, u32)> = r
            .races
            .iter()
            .map(|x| (x.a.line.min(x.b.line), x.a.line.max(x.b.line)))
            .collect();
        seen.iter()
            .filter(|p| !grace.contains(p))
            .map(|(a, b)| {
                format!(
                    "{}: the race detector reports a race between lines {a} and {b}; grace's races: {grace:?}",
                    display_name(f)
                )
            })
            .collect()
    });
    let missed: Vec<String> = missed.into_iter().flatten().collect();
    eprintln!(
        "race detector: {} programs, {runs} runs each, races seen in {}, {:.1?}",
        files.len(),
        seen_in.load(Ordering::Relaxed),
        t0.elapsed()
    );
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

/// A run's whole standard error (race reports come before any goroutine
/// dump, but are not cut at one), and whether it was stopped after
/// [`RUN_TIMEOUT`] (a deadlock the race runtime does not see ends so).
fn run_once_uncut(bin: &Path) -> (String, bool) {
    let mut child = Command::new(bin)
        .env("GOMAXPROCS", "2")
        // not the second the race runtime waits at exit by default
        .env("GORACE", "atexit_sleep_ms=0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let mut err_pipe = child.stderr.take().unwrap();
    std::thread::scope(|s| {
        let err = s.spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut err_pipe, &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        });
        let end = wait_bounded(&mut child);
        (err.join().unwrap(), end == End::Timeout)
    })
}
