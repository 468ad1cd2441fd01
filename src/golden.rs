//! `grace test`: snapshot testing of a folder of programs, for users who
//! keep examples honest without writing Rust. Each `NAME.gr` is checked and
//! its findings compared with `NAME.gr.expected` beside it: a stable,
//! line-per-finding text (memory model, outcomes with their class, races,
//! leaks, never-ending runs, expects; no timings, and no state counts unless
//! asked for), so a change reads as added and removed findings.

use crate::cli::MemoryArg;
use crate::explore::{CheckOptions, CheckResult};
use clap::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options of a `grace test` run.
#[derive(Clone, Debug)]
pub struct TestOptions {
    /// Write or update the snapshots instead of comparing.
    pub bless: bool,
    pub memory: MemoryArg,
    pub check: CheckOptions,
    /// Put state and transition counts in the snapshots.
    pub pin_states: bool,
}

/// The options a file may fix for itself: `// grace: --memory tso`.
#[derive(Parser, Debug)]
#[command(name = "// grace:", no_binary_name = true)]
struct HeaderArgs {
    #[arg(long, value_enum)]
    memory: Option<MemoryArg>,
    #[arg(long)]
    max_states: Option<usize>,
    #[arg(long)]
    no_reduction: bool,
    #[arg(long)]
    pin_states: bool,
}

/// Every `.gr` and `.go` file given or below a given folder, sorted.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "gr" || x == "go") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The snapshot file of a program: `NAME.gr.expected` beside it.
pub fn expected_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".expected");
    PathBuf::from(s)
}

/// Apply the `// grace: …` header lines of a source text to `opts`.
fn header_options(text: &str, opts: &TestOptions) -> Result<TestOptions, String> {
    let mut o = opts.clone();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("// grace:") else {
            continue;
        };
        let h = HeaderArgs::try_parse_from(rest.split_whitespace()).map_err(|e| {
            format!(
                "bad `// grace:` header: {}",
                e.to_string().lines().next().unwrap_or("")
            )
        })?;
        if let Some(m) = h.memory {
            o.memory = m;
        }
        if h.max_states.is_some() {
            o.check.max_states = h.max_states;
        }
        o.check.no_reduction |= h.no_reduction;
        o.pin_states |= h.pin_states;
    }
    Ok(o)
}

/// The snapshot text of a result.
pub fn snapshot(r: &CheckResult, pin_states: bool) -> String {
    let mut s = String::from("# grace test snapshot; update with `grace test --bless`\n");
    s.push_str(&format!("memory {}\n", r.memory));
    if pin_states {
        s.push_str(&format!(
            "states {} transitions {}\n",
            r.stats.states, r.stats.transitions
        ));
    }
    if let Some(l) = &r.limit {
        s.push_str(&format!("incomplete {l}\n"));
    }
    for o in &r.outcomes {
        let mut line = format!("outcome {} {}", o.kind.name(), o.class_name());
        if !o.globals.is_empty() {
            line.push(' ');
            line.push_str(&o.values());
        }
        if !o.output.is_empty() {
            line.push_str(&format!(" output={:?}", o.output));
        }
        if let Some(m) = &o.message {
            line.push_str(&format!(" message={m:?}"));
        }
        s.push_str(&line);
        s.push('\n');
    }
    for x in &r.races {
        s.push_str(&format!(
            "race {} {} {}:{} {} {}:{}\n",
            x.var, x.a.op, x.a.line, x.a.col, x.b.op, x.b.line, x.b.col
        ));
    }
    for l in &r.leaks {
        s.push_str(&format!(
            "leak {} at {}:{} ({})\n",
            l.goroutine, l.line, l.col, l.waiting
        ));
    }
    for n in &r.never_ending {
        s.push_str(&format!("never-ending {}\n", n.describe()));
    }
    for e in &r.expects {
        // keyed by its text, so that moving lines around changes nothing
        s.push_str(&format!("{}: {}\n", e.text, e.verdict.name()));
    }
    s
}

/// A readable difference of two snapshots: findings added and removed,
/// outcome classes and expect verdicts that changed.
pub fn diff(old: &str, new: &str) -> Vec<String> {
    // key -> value, for lines whose verdict part can flip
    fn split(line: &str) -> (String, String) {
        if let Some(rest) = line.strip_prefix("outcome ") {
            let mut parts = rest.splitn(3, ' ');
            let kind = parts.next().unwrap_or("");
            let class = parts.next().unwrap_or("");
            let vals = parts.next().unwrap_or("");
            return (format!("outcome {kind} {vals}"), class.to_string());
        }
        if line.starts_with("expect ")
            && let Some((k, v)) = line.rsplit_once(": ")
        {
            return (k.to_string(), v.to_string());
        }
        if let Some(rest) = line.strip_prefix("memory ") {
            return ("memory".into(), rest.to_string());
        }
        if let Some(rest) = line.strip_prefix("states ") {
            return ("states".into(), rest.to_string());
        }
        (line.to_string(), String::new())
    }
    let parse = |t: &str| -> BTreeMap<String, String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(split)
            .collect()
    };
    let (a, b) = (parse(old), parse(new));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for k in keys {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => out.push(format!("changed  {k}: {x} -> {y}")),
            (Some(x), None) => out.push(format!("removed  {}", join(k, x))),
            (None, Some(y)) => out.push(format!("added    {}", join(k, y))),
            (None, None) => {}
        }
    }
    out
}

fn join(k: &str, v: &str) -> String {
    if v.is_empty() {
        k.to_string()
    } else {
        format!("{k} ({v})")
    }
}

/// Run `grace test`: returns the exit status (0 when everything matched or
/// was blessed, 1 otherwise, 2 when nothing could be tested).
pub fn run(paths: &[PathBuf], opts: &TestOptions, out: &mut dyn Write) -> i32 {
    let files = match discover(paths) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(out, "grace: error: {e}");
            return crate::cli::EXIT_BAD_INPUT;
        }
    };
    if files.is_empty() {
        let _ = writeln!(out, "grace: error: no .gr or .go files found");
        return crate::cli::EXIT_BAD_INPUT;
    }
    let (mut passed, mut failed) = (0, 0);
    for f in &files {
        let name = f.display().to_string();
        let text = std::fs::read(f).unwrap_or_default();
        let o = match header_options(&String::from_utf8_lossy(&text), opts) {
            Ok(o) => o,
            Err(e) => {
                let _ = writeln!(out, "error    {name}\n         {e}");
                failed += 1;
                continue;
            }
        };
        let new = match crate::cli::check_file(&name, f, o.memory, o.check) {
            Ok(r) => snapshot(&r, o.pin_states),
            Err(e) => {
                let _ = writeln!(out, "error    {name}");
                for l in e.lines() {
                    let _ = writeln!(out, "         {l}");
                }
                failed += 1;
                continue;
            }
        };
        let exp = expected_path(f);
        let old = std::fs::read_to_string(&exp).ok();
        let verdict = match &old {
            Some(o) if *o == new => "ok",
            Some(_) => "changed",
            None => "new",
        };
        if opts.bless && verdict != "ok" {
            if let Err(e) = std::fs::write(&exp, &new) {
                let _ = writeln!(out, "error    {name}: cannot write {}: {e}", exp.display());
                failed += 1;
                continue;
            }
            let _ = writeln!(out, "blessed  {name}");
            passed += 1;
            continue;
        }
        let _ = writeln!(out, "{verdict:<8} {name}");
        match (verdict, &old) {
            ("ok", _) => passed += 1,
            ("changed", Some(o)) => {
                for d in diff(o, &new) {
                    let _ = writeln!(out, "         {d}");
                }
                failed += 1;
            }
            _ => failed += 1,
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if failed > 0 { 1 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_outcomes_and_flipped_verdicts() {
        let old = "memory go\noutcome ok serial x=1\noutcome ok preemptive x=2\nexpect never x == 2: FAILS\n";
        let new =
            "memory go\noutcome ok serial x=1\noutcome ok serial x=3\nexpect never x == 2: holds\n";
        let d = diff(old, new);
        assert_eq!(
            d,
            [
                "changed  expect never x == 2: FAILS -> holds",
                "removed  outcome ok x=2 (preemptive)",
                "added    outcome ok x=3 (serial)",
            ]
        );
    }

    #[test]
    fn header_lines_fix_options() {
        let base = TestOptions {
            bless: false,
            memory: MemoryArg::Go,
            check: CheckOptions::default(),
            pin_states: false,
        };
        let o = header_options("// grace: --memory tso --pin-states\nvar x int", &base).unwrap();
        assert_eq!(o.memory, MemoryArg::Tso);
        assert!(o.pin_states);
        assert!(header_options("// grace: --frob", &base).is_err());
    }
}
