//! The text report.

use super::WitnessMode;
use crate::analysis::{CheckResult, Outcome, Race, Verdict, WitnessStep};
use crate::front::diag::{Mark, Source};
use crate::state::EndKind;
use std::fmt::Write as _;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Most goroutines shown side by side; beyond, witnesses are a list.
const MAX_LANES: usize = 4;
/// Width the swimlanes fit in.
const WIDTH: usize = 100;

fn witness(out: &mut String, steps: &[WitnessStep], indent: &str) {
    if steps.is_empty() {
        let _ = writeln!(out, "{indent}(the initial state)");
        return;
    }
    let lanes = super::lanes(steps);
    if lanes.len() > MAX_LANES {
        witness_list(out, steps, indent);
    } else {
        swimlanes(out, steps, &lanes, indent);
    }
}

/// One column per goroutine, one row per step; `»` marks a preemption.
fn swimlanes(out: &mut String, steps: &[WitnessStep], lanes: &[&str], indent: &str) {
    let num_w = steps.len().to_string().len().max(1);
    let avail = WIDTH.saturating_sub(indent.len() + num_w + 2);
    let cell = |s: &WitnessStep| {
        let mark = if s.preemption { "» " } else { "" };
        format!("{mark}{}:{} {}", s.line, s.col, s.step)
    };
    // Columns as wide as their widest cell, shrunk to fit when needed.
    let mut widths: Vec<usize> = lanes
        .iter()
        .map(|l| {
            steps
                .iter()
                .filter(|s| s.goroutine == *l)
                .map(|s| cell(s).chars().count())
                .chain(std::iter::once(l.chars().count()))
                .max()
                .unwrap_or(4)
                + 2
        })
        .collect();
    let total: usize = widths.iter().sum();
    if total > avail {
        let even = avail / lanes.len();
        for w in &mut widths {
            *w = (*w).min(even.max(12));
        }
    }
    let fit = |t: &str, w: usize| -> String {
        let n = t.chars().count();
        if n + 2 <= w {
            format!("{t:<w$}")
        } else {
            let keep: String = t.chars().take(w.saturating_sub(3)).collect();
            format!("{keep}… ")
        }
    };
    let mut head = format!("{indent}{:>num_w$}  ", "");
    for (l, w) in lanes.iter().zip(&widths) {
        head.push_str(&fit(l, *w));
    }
    let _ = writeln!(out, "{}", head.trim_end());
    for (i, s) in steps.iter().enumerate() {
        let mut row = format!("{indent}{:>num_w$}  ", i + 1);
        for (l, w) in lanes.iter().zip(&widths) {
            if s.goroutine == *l {
                row.push_str(&fit(&cell(s), *w));
            } else {
                row.push_str(&" ".repeat(*w));
            }
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
}

fn witness_list(out: &mut String, steps: &[WitnessStep], indent: &str) {
    let name_w = steps.iter().map(|s| s.goroutine.len()).max().unwrap_or(4);
    let loc_w = steps
        .iter()
        .map(|s| format!("{}:{}", s.line, s.col).len())
        .max()
        .unwrap_or(3);
    let num_w = steps.len().to_string().len();
    for (i, s) in steps.iter().enumerate() {
        let loc = format!("{}:{}", s.line, s.col);
        let mark = if s.preemption { "» " } else { "" };
        let _ = writeln!(
            out,
            "{indent}{:>num_w$}. {:<name_w$}  {:<loc_w$}  {mark}{}",
            i + 1,
            s.goroutine,
            loc,
            s.step
        );
    }
}

fn outcome_line(o: &Outcome) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !o.globals.is_empty() {
        parts.push(o.values());
    }
    if !o.output.is_empty() {
        parts.push(format!("output={:?}", o.output));
    }
    if parts.is_empty() {
        parts.push("(no shared variables)".into());
    }
    parts.join(" ")
}

/// Render the text report, with source excerpts that label the places of
/// each data race and deadlock when the source is given (coloured if asked).
pub fn render_with_source(
    file: &str,
    r: &CheckResult,
    wmode: WitnessMode,
    source: Option<(&Source, bool)>,
) -> String {
    let mut out = String::new();
    summary(&mut out, file, r);
    outcomes(&mut out, r, wmode);
    races(&mut out, r, wmode, source);
    deadlocks(&mut out, r, source);
    leaks(&mut out, r, wmode);
    never_ending(&mut out, r, wmode);
    expects(&mut out, r, wmode);
    out
}

/// The summary line, and what qualifies the whole report (DRF-SC, stats, a limit).
fn summary(out: &mut String, file: &str, r: &CheckResult) {
    let race_outcomes = r.outcomes.iter().filter(|o| o.is_race()).count();
    let _ = writeln!(
        out,
        "{file}: memory {}, {}, {}: {} ({} race {}), {}, {}, {}",
        r.memory,
        plural(r.stats.states, "state", "states"),
        plural(r.stats.transitions, "transition", "transitions"),
        plural(r.outcomes.len(), "outcome", "outcomes"),
        race_outcomes,
        if race_outcomes == 1 {
            "outcome"
        } else {
            "outcomes"
        },
        plural(r.races.len(), "data race", "data races"),
        plural(r.leaks.len(), "leak", "leaks"),
        plural(
            r.never_ending.len(),
            "never-ending run",
            "never-ending runs"
        ),
    );
    if let Some(m) = r.explored_under {
        if r.complete {
            let _ = writeln!(
                out,
                "no data race: every run under {} is a run under {m} (DRF-SC), so it was explored under {m}",
                r.memory
            );
        } else {
            let _ = writeln!(
                out,
                "explored under {m} only: the {m} search that decides whether the program has a data race was stopped, so runs only {} allows were not explored",
                r.memory
            );
        }
    }
    if let Some(d) = &r.stats.detail {
        let mut extra = format!("serial search {} states", d.serial_states);
        if let Some(n) = d.sc_states {
            extra.push_str(&format!(", sc search {n} states"));
        }
        if let Some(n) = d.hb_states {
            extra.push_str(&format!(", happens-before search {n} states"));
        }
        let _ = writeln!(
            out,
            "stats: search {:.3} s ({:.0} states/s), analysis {:.3} s, {:.0} bytes/state, peak {:.0} MiB; symmetry renumbered {} successors; partial-order reduction expanded {} states by one step; {extra}",
            d.search_seconds,
            d.states_per_second,
            d.analysis_seconds,
            d.bytes_per_state,
            d.peak_mib,
            d.symmetry_renumbered,
            d.taken_alone,
        );
    }
    if let Some(l) = &r.limit {
        let _ = writeln!(
            out,
            "INCOMPLETE: {l}; what follows is what was found so far"
        );
    }
}

/// Every outcome, with its class and (as asked) its witness.
fn outcomes(out: &mut String, r: &CheckResult, wmode: WitnessMode) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "outcomes (witnesses: one column per goroutine, line:col and step; » marks a preemption):"
    );
    let kind_w = r
        .outcomes
        .iter()
        .map(|o| o.kind.name().len())
        .max()
        .unwrap_or(2);
    let num_w = r.outcomes.len().to_string().len();
    for (i, o) in r.outcomes.iter().enumerate() {
        let mark = if o.is_race() { "  <- race outcome" } else { "" };
        let _ = writeln!(
            out,
            "  #{:<num_w$} {:<kind_w$}  {:<10}  {}{}",
            i + 1,
            o.kind.name(),
            o.class_name(),
            outcome_line(o),
            mark
        );
        if let Some(m) = &o.message {
            let _ = writeln!(out, "      {}: {}", o.kind.name(), crate::ir::escape(m));
        }
        let show = match wmode {
            WitnessMode::All => true,
            WitnessMode::Race => o.is_race() || o.kind != EndKind::Ok,
            WitnessMode::None => false,
        };
        if show && o.witness_cut {
            let _ = writeln!(out, "      witness: not made (the check was stopped first)");
        } else if show {
            let p = o.preemptions;
            let _ = writeln!(
                out,
                "      witness ({p} preemption{}):",
                if p == 1 { "" } else { "s" }
            );
            witness(out, &o.witness, "        ");
            let _ = writeln!(out, "        final: {}", outcome_line(o));
        }
    }
}

/// What an empty section says: an incomplete report lists what was found
/// so far.
fn none(r: &CheckResult) -> &'static str {
    if r.complete {
        "none"
    } else {
        "none found so far"
    }
}

/// The data races, with an excerpt of both places when the source is given.
fn races(out: &mut String, r: &CheckResult, wmode: WitnessMode, source: Option<(&Source, bool)>) {
    let _ = writeln!(out);
    let _ = writeln!(out, "data races:");
    if r.races.is_empty() {
        let _ = writeln!(out, "  {}", none(r));
    }
    let places = |x: &Race| (x.a.line, x.a.col, x.a.op, x.b.line, x.b.col, x.b.op);
    for (i, x) in r.races.iter().enumerate() {
        // races at the same places are adjacent: name them together first
        let same: Vec<&str> = r.races[i..]
            .iter()
            .take_while(|y| places(y) == places(x))
            .map(|y| y.var.as_str())
            .collect();
        if same.len() > 1 && (i == 0 || places(&r.races[i - 1]) != places(x)) {
            let _ = writeln!(
                out,
                "  {} races at {}:{} ({}) and {}:{} ({}): {}",
                same.len(),
                x.a.line,
                x.a.col,
                x.a.op,
                x.b.line,
                x.b.col,
                x.b.op,
                same.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "  #{} {}: {} by {} at {}:{} and {} by {} at {}:{}",
            i + 1,
            x.var,
            x.a.op,
            x.a.goroutine,
            x.a.line,
            x.a.col,
            x.b.op,
            x.b.goroutine,
            x.b.line,
            x.b.col
        );
        if let Some((src, color)) = source {
            let marks = [
                Mark {
                    line: x.b.line,
                    col: x.b.col,
                    message: format!("{} by {}", x.b.op, x.b.goroutine),
                },
                Mark {
                    line: x.a.line,
                    col: x.a.col,
                    message: format!("{} by {}, not ordered with it", x.a.op, x.a.goroutine),
                },
            ];
            let title = format!("data race on {}", x.var);
            for l in src.excerpt("race", &title, &marks, color).lines() {
                let _ = writeln!(out, "      {l}");
            }
        }
        if wmode != WitnessMode::None {
            let _ = writeln!(out, "      witness:");
            witness(out, &x.witness, "        ");
        }
    }
}

/// The deadlock outcomes again, with where each goroutine waits.
fn deadlocks(out: &mut String, r: &CheckResult, source: Option<(&Source, bool)>) {
    let deadlocks: Vec<&Outcome> = r
        .outcomes
        .iter()
        .filter(|o| o.kind == EndKind::Deadlock)
        .collect();
    let _ = writeln!(out);
    let _ = writeln!(out, "deadlocks:");
    if deadlocks.is_empty() {
        let _ = writeln!(out, "  {}", none(r));
    }
    for o in deadlocks {
        let _ = writeln!(out, "  {}", outcome_line(o));
        for p in &o.blocked {
            let _ = writeln!(
                out,
                "      {} blocked at {}:{} ({})",
                p.goroutine, p.line, p.col, p.at
            );
        }
        if let Some((src, color)) = source {
            let marks: Vec<Mark> = o
                .blocked
                .iter()
                .map(|p| Mark {
                    line: p.line,
                    col: p.col,
                    message: format!("{} waits here ({})", p.goroutine, p.at),
                })
                .collect();
            for l in src
                .excerpt("deadlock", "every goroutine is blocked", &marks, color)
                .lines()
            {
                let _ = writeln!(out, "      {l}");
            }
        }
    }
}

/// Goroutines blocked forever when main returned.
fn leaks(out: &mut String, r: &CheckResult, wmode: WitnessMode) {
    let _ = writeln!(out);
    let _ = writeln!(out, "leaks:");
    if r.leaks.is_empty() {
        let _ = writeln!(out, "  {}", none(r));
    }
    for l in &r.leaks {
        let _ = writeln!(
            out,
            "  {} blocked forever at {}:{} ({}) when main returned",
            l.goroutine, l.line, l.col, l.waiting
        );
        if wmode != WitnessMode::None {
            let _ = writeln!(out, "      witness:");
            witness(out, &l.witness, "        ");
        }
    }
}

/// Runs that can never end.
fn never_ending(out: &mut String, r: &CheckResult, wmode: WitnessMode) {
    let _ = writeln!(out);
    let _ = writeln!(out, "never-ending runs:");
    if r.never_ending.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            if r.complete {
                "none"
            } else {
                "none found (runs that cannot end are looked for only when the check is complete)"
            }
        );
    }
    for n in &r.never_ending {
        let _ = writeln!(out, "  no run can end: it loops with {}", n.describe());
        if wmode != WitnessMode::None {
            let _ = writeln!(out, "      witness:");
            witness(out, &n.witness, "        ");
        }
    }
}

/// The verdict of every `expect`.
fn expects(out: &mut String, r: &CheckResult, wmode: WitnessMode) {
    let _ = writeln!(out);
    let _ = writeln!(out, "expects:");
    if r.expects.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for e in &r.expects {
        let _ = writeln!(
            out,
            "  line {}: {}: {}",
            e.line,
            e.text,
            match (e.verdict, &e.error) {
                (Verdict::Unknown, _) =>
                    "unknown (the search is incomplete: no run shows it either way)".to_string(),
                (v, Some(m)) => format!(
                    "{}: {} at the outcome {}",
                    v.name(),
                    m,
                    e.error_at.as_deref().unwrap_or("")
                ),
                (v, None) => v.name().to_string(),
            }
        );
        if e.fails()
            && let Some(w) = &e.witness
            && wmode != WitnessMode::None
        {
            let _ = writeln!(out, "      witness:");
            witness(out, w, "        ");
        }
    }
}
