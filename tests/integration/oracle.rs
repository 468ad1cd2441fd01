//! An independent oracle: SPIN must find exactly grace's `sc` outcomes on
//! generated programs (tests/oracle/README.md). Skipped when `spin` is not
//! installed, unless `GRACE_ORACLE=required` (set by `.ci/run`).

#[path = "../oracle/program.rs"]
pub mod program;
#[path = "../oracle/promela.rs"]
pub mod promela;

use grace::{Memory, Options};
use program::{Mode, Program};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Programs where `main` may return while goroutines still run. Their
/// outcomes depend on `main`'s return being a step of its own (the
/// translation's rule, LANGUAGE.md §7).
const FREE_MODE: bool = true;

/// An outcome as `kind|message|values|output`, the form the Promela model prints.
fn key(kind: &str, message: &str, values: &str, output: &str) -> String {
    format!("{kind}|{message}|{values}|{output}")
}

/// Programs whose search needs more states are left out: both checkers
/// would take minutes and gigabytes on the biggest ones.
const MAX_STATES: usize = 200_000;

/// grace's outcomes under `sc` or `tso`, with or without reductions; `None`
/// past [`MAX_STATES`].
fn grace_outcomes(
    src: &str,
    tso: bool,
    no_reduction: bool,
) -> Result<Option<BTreeSet<String>>, String> {
    let opts = Options::new()
        .memory(if tso { Memory::Tso } else { Memory::Sc })
        .reductions(!no_reduction)
        .max_states(MAX_STATES);
    let r = grace::check_source("gen.gr", src, &opts)
        .map_err(|e| e.to_string())?
        .into_result();
    if !r.complete {
        return Ok(None);
    }
    Ok(Some(
        r.outcomes
            .iter()
            .map(|o| {
                key(
                    o.kind.name(),
                    o.message.as_deref().unwrap_or(""),
                    &o.values(),
                    &o.output,
                )
            })
            .collect(),
    ))
}

fn run(dir: &Path, cmd: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "{cmd} {args:?} failed ({}):\n{text}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(text)
}

/// The outcomes SPIN reaches: every `@END` line of one exhaustive search.
fn spin_outcomes(model: &str, dir: &Path) -> Result<BTreeSet<String>, String> {
    std::fs::write(dir.join("model.pml"), model).map_err(|e| e.to_string())?;
    run(dir, "spin", &["-a", "model.pml"])?;
    // No partial-order reduction: remote references and c_code are outside it.
    run(
        dir,
        "gcc",
        &[
            "-O0",
            "-w",
            "-DSAFETY",
            "-DNOREDUCE",
            "-DMEMLIM=2048",
            "-o",
            "pan",
            "pan.c",
        ],
    )?;
    // -E: deadlocks are found by the watchdog's timeout, not as pan's
    // invalid end states; -n: no unreached-code listing.
    let out = run(dir, "./pan", &["-E", "-n", "-w18", "-m1000000"])?;
    if !out.contains("errors: 0") || out.contains("too small") || out.contains("out of memory") {
        return Err(format!("pan did not finish cleanly:\n{out}"));
    }
    Ok(out
        .lines()
        .filter_map(|l| l.strip_prefix("@END|"))
        .map(str::to_string)
        .collect())
}

/// What checking one seed under `sc` (or `tso`) found: `Ok(Some(outcomes))`
/// when the two agree, `Ok(None)` when the program is too big.
fn compare(seed: u64, tso: bool, scratch: &Path) -> Result<Option<BTreeSet<String>>, String> {
    let p = Program::generate(seed, FREE_MODE);
    let src = p.source();
    let model = promela::translate(&p, tso);
    let memory = if tso { "tso" } else { "sc" };
    let t0 = Instant::now();
    let mut graces = Vec::new();
    for no_reduction in [false, true] {
        match grace_outcomes(&src, tso, no_reduction)? {
            Some(set) => graces.push((no_reduction, set)),
            None => return Ok(None),
        }
    }
    let dir = scratch.join(format!("seed{seed}-{memory}"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("program.gr"), &src).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let spin = spin_outcomes(&model, &dir)?;
    let mut problems = String::new();
    for (no_reduction, grace) in graces {
        if grace != spin {
            let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
                a.difference(b)
                    .map(|s| format!("    {s}\n"))
                    .collect::<String>()
            };
            problems.push_str(&format!(
                "grace (--memory {memory}, no_reduction: {no_reduction}) and SPIN disagree\n  only grace:\n{}  only SPIN:\n{}",
                only(&grace, &spin),
                only(&spin, &grace)
            ));
        }
    }
    if std::env::var("GRACE_ORACLE_TIMES").is_ok() {
        eprintln!(
            "seed {seed} {memory}: grace {:.2} s, spin {:.2} s",
            (t1 - t0).as_secs_f64(),
            t1.elapsed().as_secs_f64()
        );
    }
    if problems.is_empty() {
        if std::env::var("GRACE_ORACLE_KEEP").is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(Some(spin))
    } else {
        Err(format!(
            "{problems}program ({}, kept with its model in {}):\n{src}",
            match p.mode {
                Mode::Wait => "wait mode",
                Mode::Free => "free mode",
            },
            dir.display()
        ))
    }
}

fn spin_installed() -> bool {
    Command::new("spin")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: expected a number")),
        Err(_) => default,
    }
}

#[test]
fn spin_finds_exactly_graces_sc_outcomes() {
    oracle(false);
}

#[test]
fn spin_finds_exactly_graces_tso_outcomes() {
    oracle(true);
}

/// Checks the programs of `GRACE_ORACLE_PROGRAMS` seeds from
/// `GRACE_ORACLE_FIRST` on.
fn oracle(tso: bool) {
    let memory = if tso { "tso" } else { "sc" };
    if !spin_installed() {
        let required = std::env::var("GRACE_ORACLE").is_ok_and(|v| v == "required");
        assert!(
            !required,
            "GRACE_ORACLE=required but `spin` is not installed (apt-get install spin)"
        );
        eprintln!(
            "oracle: skipped, `spin` is not installed (apt-get install spin; \
             GRACE_ORACLE=required makes this a failure)"
        );
        return;
    }
    let first = env_number("GRACE_ORACLE_FIRST", 0);
    let count = env_number("GRACE_ORACLE_PROGRAMS", 40);
    let scratch: PathBuf =
        std::env::temp_dir().join(format!("grace-oracle-{}-{memory}", std::process::id()));
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4) as u64;
    let start = Instant::now();
    type Found = Result<Option<BTreeSet<String>>, String>;
    let results: Vec<(u64, Found)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let scratch = &scratch;
                s.spawn(move || {
                    (first + t..first + count)
                        .step_by(threads as usize)
                        .map(|seed| (seed, compare(seed, tso, scratch)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("oracle worker"))
            .collect()
    });
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    let mut outcomes = 0;
    let mut failures = Vec::new();
    let mut skipped = 0;
    for (seed, r) in &results {
        match r {
            Ok(None) => skipped += 1,
            Ok(Some(set)) => {
                outcomes += set.len();
                for o in set {
                    *kinds
                        .entry(o.split('|').next().unwrap_or("").to_string())
                        .or_default() += 1;
                }
            }
            Err(e) => failures.push(format!("seed {seed}: {e}")),
        }
    }
    eprintln!(
        "oracle ({memory}): seeds {first}..{}: {} programs agree, {} disagree, \
         {skipped} skipped (over {MAX_STATES} states); {outcomes} outcomes {kinds:?}; {:.1} s",
        first + count,
        results.len() - failures.len() - skipped,
        failures.len(),
        start.elapsed().as_secs_f64()
    );
    if failures.is_empty() && std::env::var("GRACE_ORACLE_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A generator that drifts towards big programs would leave little to check.
    assert!(
        skipped * 10 <= results.len(),
        "{skipped} of {} programs skipped as too big",
        results.len()
    );
}
