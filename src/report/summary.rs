//! `--format summary`: the report in a few lines, one per finding, for a
//! reader who wants the race outcomes at a glance and for scripts and CI
//! logs (docs/CLI.md, "Summary output"). Every line starts with the file
//! name, and with `:line:col` when the finding has a place in the source,
//! as a compiler's diagnostics do, so editors and CI annotate them and
//! `grep` picks them out of the logs of many files.
//!
//! A line per finding — exactly what makes `grace check` exit 1 — so a
//! status of 1 is always explained by a line: the race outcomes, the
//! outcomes that are not `ok` (deadlocks, panics, failed asserts), the
//! data races (one line per variable, each pair numbered as `grace replay
//! --race N` takes it), leaks, never-ending runs, and the expects that fail
//! (or that an incomplete search left unknown). The other outcomes are
//! counted in the first line, not listed.

use super::FileStatus;
use crate::analysis::{CheckResult, Outcome, Race, Verdict};
use crate::state::EndKind;
use std::fmt::Write as _;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary of one file's report, every line ending with a newline.
pub fn render(file: &str, r: &CheckResult) -> String {
    let mut out = String::new();
    header(&mut out, file, r);
    for (i, o) in r.outcomes.iter().enumerate() {
        if o.is_race() || o.kind != EndKind::Ok {
            outcome(&mut out, file, i + 1, o);
        }
    }
    races(&mut out, file, &r.races);
    for l in &r.leaks {
        let _ = writeln!(
            out,
            "{file}:{}:{}: leak: {} blocked forever ({}) when main returned",
            l.line, l.col, l.goroutine, l.waiting
        );
    }
    for n in &r.never_ending {
        let at = n
            .goroutines
            .first()
            .map_or(String::new(), |p| format!(":{}:{}", p.line, p.col));
        let _ = writeln!(
            out,
            "{file}{at}: never-ending run: no run can end: it loops with {}",
            n.describe()
        );
    }
    for e in &r.expects {
        let verdict = match (e.verdict, &e.error) {
            (Verdict::Holds, _) => continue,
            (Verdict::Unknown, _) => "unknown (the search is incomplete)".to_string(),
            (v, Some(m)) => format!(
                "{}: {m} at the outcome {}",
                v.name(),
                e.error_at.as_deref().unwrap_or("")
            ),
            (v, None) => v.name().to_string(),
        };
        let _ = writeln!(out, "{file}:{}: {}: {verdict}", e.line, e.text);
    }
    out
}

/// `FILE: STATUS: what was found; memory M, N states[; the limit]`.
fn header(out: &mut String, file: &str, r: &CheckResult) {
    let count = |k: EndKind| r.outcomes.iter().filter(|o| o.kind == k).count();
    let race_outcomes = r.outcomes.iter().filter(|o| o.is_race()).count();
    let mut found = plural(r.outcomes.len(), "outcome", "outcomes");
    if race_outcomes > 0 {
        let _ = write!(
            found,
            " ({})",
            plural(race_outcomes, "race outcome", "race outcomes")
        );
    }
    let failed = r.expects.iter().filter(|e| e.fails()).count();
    for (n, one, many) in [
        (count(EndKind::Deadlock), "deadlock", "deadlocks"),
        (count(EndKind::Panic), "panic", "panics"),
        (count(EndKind::Assert), "failed assert", "failed asserts"),
        (r.races.len(), "data race", "data races"),
        (r.leaks.len(), "leak", "leaks"),
        (
            r.never_ending.len(),
            "never-ending run",
            "never-ending runs",
        ),
        (failed, "failed expect", "failed expects"),
    ] {
        if n > 0 {
            let _ = write!(found, ", {}", plural(n, one, many));
        }
    }
    let under = r
        .explored_under
        .map_or(String::new(), |m| format!(" (explored under {m})"));
    let limit = r.limit.as_ref().map_or(String::new(), |l| format!("; {l}"));
    let _ = writeln!(
        out,
        "{file}: {}: {found}; memory {}{under}, {}{limit}",
        FileStatus::of(r).name(),
        r.memory,
        plural(r.stats.states, "state", "states"),
    );
}

/// `FILE: race outcome #N: CLASS VALUES, P preemptions`, and for an
/// outcome that is not `ok` what went wrong.
fn outcome(out: &mut String, file: &str, n: usize, o: &Outcome) {
    let what = match o.kind {
        EndKind::Ok => "race outcome",
        EndKind::Deadlock => "deadlock",
        EndKind::Panic => "panic",
        EndKind::Assert => "failed assert",
    };
    let mut line = format!(
        "{file}: {what} #{n}: {} {}, {}{}",
        o.class_name(),
        super::text::outcome_line(o),
        plural(o.preemptions as usize, "preemption", "preemptions"),
        if o.past_stop {
            " (a run found after the stop)"
        } else {
            ""
        }
    );
    if o.kind == EndKind::Deadlock {
        let blocked: Vec<String> = o.blocked.iter().map(|p| p.describe()).collect();
        let _ = write!(line, "; blocked: {}", blocked.join(", "));
    } else if let Some(m) = o.message_line() {
        let _ = write!(line, "; {}", crate::ir::escape(&m));
    }
    let _ = writeln!(out, "{line}");
}

/// One line per variable, at its first race's second access: every pair
/// of accesses that race on it, numbered as in the full report.
fn races(out: &mut String, file: &str, races: &[Race]) {
    let mut vars: Vec<&str> = Vec::new();
    for x in races {
        if !vars.contains(&x.var.as_str()) {
            vars.push(&x.var);
        }
    }
    for v in vars {
        let mut at = None;
        let mut pairs = Vec::new();
        for (i, x) in races.iter().enumerate().filter(|(_, x)| x.var == v) {
            at.get_or_insert((x.b.line, x.b.col));
            pairs.push(format!(
                "#{} {} {}:{} / {} {}:{}",
                i + 1,
                x.a.op,
                x.a.line,
                x.a.col,
                x.b.op,
                x.b.line,
                x.b.col
            ));
        }
        let (line, col) = at.unwrap_or_default();
        let _ = writeln!(
            out,
            "{file}:{line}:{col}: data race on {v}: {}",
            pairs.join(", ")
        );
    }
}
