//! The text report.

use super::{WitnessMode, plural};
use crate::analysis::{CheckResult, Outcome, Race, Verdict, WitnessStep};
use crate::front::diag::{Mark, Source};
use crate::state::EndKind;
use std::fmt::Write as _;

/// Most goroutines shown side by side; beyond, witnesses are a list.
const MAX_LANES: usize = 4;
/// Width the swimlanes fit in when the output is not a terminal and
/// `COLUMNS` is not set: wide, so that most witnesses print one line per
/// step, easy to search; wider cells wrap.
pub const PIPED_WIDTH: usize = 160;

fn witness(out: &mut String, steps: &[WitnessStep], indent: &str, width: usize) {
    if steps.is_empty() {
        let _ = writeln!(out, "{indent}(the initial state)");
        return;
    }
    let lanes = super::lanes(steps);
    if lanes.len() > MAX_LANES {
        witness_list(out, steps, indent);
    } else {
        swimlanes(out, steps, &lanes, indent, width);
    }
}

/// One column per goroutine, one row per step; `»` marks a preemption.
/// A cell too wide for its column wraps onto more lines: nothing is cut.
fn swimlanes(out: &mut String, steps: &[WitnessStep], lanes: &[&str], indent: &str, width: usize) {
    let num_w = steps.len().to_string().len().max(1);
    let avail = width.saturating_sub(indent.len() + num_w + 2);
    let cell = |s: &WitnessStep| {
        let mark = if s.preemption { "» " } else { "" };
        format!("{mark}{}:{} {}", s.line, s.col, s.step)
    };
    let natural: Vec<usize> = lanes
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
    let widths = column_widths(&natural, avail);
    // One table row: the row's label, then each lane's text wrapped in its column.
    let row = |out: &mut String, label: &str, texts: &[Option<&str>]| {
        let wrapped: Vec<Vec<String>> = texts
            .iter()
            .zip(&widths)
            .map(|(t, w)| t.map_or_else(Vec::new, |t| wrap(t, *w)))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for k in 0..height {
            let mut line = format!("{indent}{:>num_w$}  ", if k == 0 { label } else { "" });
            for (cell, w) in wrapped.iter().zip(&widths) {
                let text = cell.get(k).map_or("", String::as_str);
                line.push_str(&format!("{text:<w$}"));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    };
    let names: Vec<Option<&str>> = lanes.iter().map(|l| Some(*l)).collect();
    row(out, "", &names);
    for (i, s) in steps.iter().enumerate() {
        let text = cell(s);
        let texts: Vec<Option<&str>> = lanes
            .iter()
            .map(|l| (s.goroutine == *l).then_some(text.as_str()))
            .collect();
        row(out, &(i + 1).to_string(), &texts);
    }
}

/// Narrowest a column gets when the lanes do not fit the width.
const MIN_COLUMN: usize = 14;

/// The columns' widths: as wide as their widest cell when they all fit in
/// `avail`; otherwise narrow columns keep their width and the wide ones
/// share what is left (at least [`MIN_COLUMN`] each).
fn column_widths(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = natural.to_vec();
    let mut left = avail;
    for (k, &i) in order.iter().enumerate() {
        let share = left / (natural.len() - k);
        widths[i] = natural[i].min(share.max(MIN_COLUMN));
        left = left.saturating_sub(widths[i]);
    }
    widths
}

/// `text` in lines that fit a column `w` wide (two of it the gap to the
/// next column): broken at spaces, a word longer than a line broken
/// anywhere, the lines after the first indented by two. Every character
/// but the spaces broken at is kept.
fn wrap(text: &str, w: usize) -> Vec<String> {
    let first = w.saturating_sub(2).max(4);
    let rest = first - 2;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for (k, word) in text.split(' ').enumerate() {
        let n = word.chars().count();
        let gap = usize::from(k > 0);
        if used + gap + n <= room(&lines) {
            if k > 0 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + n;
            continue;
        }
        // the word starts a new line, itself broken when longer than one
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        let mut chars: Vec<char> = word.chars().collect();
        while chars.len() > room(&lines) {
            let tail = chars.split_off(room(&lines));
            lines.push(chars.iter().collect());
            chars = tail;
        }
        line = chars.iter().collect();
        used = chars.len();
    }
    lines.push(line);
    for l in lines.iter_mut().skip(1) {
        l.insert_str(0, "  ");
    }
    lines
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

/// The final values and output of an outcome (also `--format summary`'s).
pub(super) fn outcome_line(o: &Outcome) -> String {
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
/// each data race and deadlock when the source is given (coloured if asked),
/// and witnesses that fit in `width` columns (their cells wrap; nothing is
/// cut).
pub fn render_with_source(
    file: &str,
    r: &CheckResult,
    wmode: WitnessMode,
    source: Option<(&Source, bool)>,
    width: usize,
) -> String {
    let mut out = String::new();
    summary(&mut out, file, r);
    outcomes(&mut out, r, wmode, width);
    races(&mut out, r, wmode, source, width);
    deadlocks(&mut out, r, source);
    leaks(&mut out, r, wmode, width);
    never_ending(&mut out, r, wmode, width);
    expects(&mut out, r, wmode, width);
    out
}

/// The summary line, and what qualifies the whole report (DRF-SC, stats, a limit).
fn summary(out: &mut String, file: &str, r: &CheckResult) {
    let c = super::counts(r);
    let _ = writeln!(
        out,
        "{file}: memory {}, {}, {}: {} ({}), {}, {}, {}",
        r.memory, c.states, c.transitions, c.outcomes, c.races, c.data_races, c.leaks, c.never,
    );
    if let Some(m) = r.explored_under {
        if r.complete {
            // (the races listed are then on channels, never on memory)
            let which = match r.races.is_empty() {
                true => "no data race",
                false => "no data race on memory (only on channels)",
            };
            let _ = writeln!(
                out,
                "{which}: every run under {} is a run under {m} (DRF-SC), so it was explored under {m}",
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
    if r.map_range_in_key_order {
        let _ = writeln!(
            out,
            "maps: `range` was explored in key order only (Go's order is random; LANGUAGE.md, Maps)"
        );
    }
    if let Some(d) = &r.stats.detail {
        let mut extra = format!(
            "serial search {}",
            plural(d.serial_states, "state", "states")
        );
        if let Some(n) = d.sc_states {
            extra.push_str(&format!(", sc search {}", plural(n, "state", "states")));
        }
        if let Some(n) = d.hb_states {
            extra.push_str(&format!(
                ", happens-before search {}",
                plural(n, "state", "states")
            ));
        }
        let _ = writeln!(
            out,
            "stats: search {:.3} s ({:.0} states/s), analysis {:.3} s, {:.0} bytes/state, peak {:.0} MiB; symmetry renumbered {}; partial-order reduction expanded {} by one step; {extra}",
            d.search_seconds,
            d.states_per_second,
            d.analysis_seconds,
            d.bytes_per_state,
            d.peak_mib,
            plural(d.symmetry_renumbered, "successor", "successors"),
            plural(d.taken_alone, "state", "states"),
        );
    }
    if let Some(l) = &r.limit {
        let _ = writeln!(
            out,
            "INCOMPLETE: {l}; what follows is what was found so far"
        );
    }
    if let Some(f) = &r.finished
        && f.runs > 0
    {
        let _ = writeln!(
            out,
            "runs finished past the stop: {} from states the search found and did not expand ({}, {} it had not found{}): {} only they reached; other outcomes may be missing",
            plural(f.runs, "run", "runs"),
            plural(f.steps, "step", "steps"),
            plural(f.states, "state", "states"),
            if f.cut { "; cut short" } else { "" },
            plural(f.outcomes, "outcome", "outcomes"),
        );
    }
}

/// Every outcome, with its class and (as asked) its witness.
fn outcomes(out: &mut String, r: &CheckResult, wmode: WitnessMode, width: usize) {
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
        if let Some(m) = o.message_line() {
            let _ = writeln!(out, "      {}", crate::ir::escape(&m));
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
                "      witness ({p} preemption{}{}):",
                if p == 1 { "" } else { "s" },
                if o.past_stop {
                    "; a run found after the stop, not the clearest"
                } else {
                    ""
                }
            );
            witness(out, &o.witness, "        ", width);
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
fn races(
    out: &mut String,
    r: &CheckResult,
    wmode: WitnessMode,
    source: Option<(&Source, bool)>,
    width: usize,
) {
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
            witness(out, &x.witness, "        ", width);
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
fn leaks(out: &mut String, r: &CheckResult, wmode: WitnessMode, width: usize) {
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
            witness(out, &l.witness, "        ", width);
        }
    }
}

/// Runs that can never end.
fn never_ending(out: &mut String, r: &CheckResult, wmode: WitnessMode, width: usize) {
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
            witness(out, &n.witness, "        ", width);
        }
    }
}

/// The verdict of every `expect`.
fn expects(out: &mut String, r: &CheckResult, wmode: WitnessMode, width: usize) {
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
            witness(out, w, "        ", width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(goroutine: &str, step: &str) -> WitnessStep {
        WitnessStep {
            goroutine: goroutine.into(),
            line: 30,
            col: 3,
            step: step.into(),
            preemption: false,
        }
    }

    /// Wrapped lines keep every character of the text but the spaces
    /// broken at, and fit the column.
    #[test]
    fn wrap_keeps_everything_and_fits() {
        let texts = [
            "29:3 hits.Add(1) = 3 (flushes plain = 1)",
            "a_very_long_word_that_no_column_of_fourteen_holds and more",
            "print \"two  spaces\" then text",
            "",
            "x",
        ];
        for t in texts {
            for w in [6, 10, 14, 20, 80] {
                let lines = wrap(t, w);
                let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
                let want: String = t.chars().filter(|c| *c != ' ').collect();
                assert_eq!(joined, want, "{t:?} in {w}: {lines:?}");
                for l in &lines {
                    assert!(
                        l.chars().count() <= w.saturating_sub(2).max(4),
                        "{l:?} in {w}"
                    );
                }
            }
        }
        assert_eq!(
            wrap("read config = 0 (stale)", 40),
            ["read config = 0 (stale)"]
        );
        assert_eq!(
            wrap("read config = 0 (stale)", 16),
            ["read config =", "  0 (stale)"]
        );
    }

    /// Narrow columns keep their width; the wide ones share the rest.
    #[test]
    fn columns_share_the_width() {
        assert_eq!(column_widths(&[10, 20], 40), [10, 20]);
        assert_eq!(column_widths(&[10, 50, 60], 70), [10, 30, 30]);
        assert_eq!(column_widths(&[40, 40, 40], 30), [14, 14, 14]);
    }

    /// However narrow the width, a witness keeps its annotations (the
    /// issue's `read config = 0 (sta…`).
    #[test]
    fn narrow_witnesses_cut_nothing() {
        let steps = [
            step("main", "go reader()"),
            step(
                "reader",
                "read config = 0 (stale: main's write is still buffered)",
            ),
            step("main", "wg.Done() (flushes ready = 1)"),
        ];
        for width in [20, 40, 60, 100, PIPED_WIDTH] {
            let mut out = String::new();
            witness(&mut out, &steps, "  ", width);
            assert!(!out.contains('…'), "{out}");
            let words: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
            for s in &steps {
                // each word of the step, in order, possibly across lines
                let mut rest = words.as_str();
                for w in s.step.split_whitespace() {
                    let at = rest.find(w).unwrap_or_else(|| panic!("{w} in {out}"));
                    rest = &rest[at + w.len()..];
                }
            }
        }
        let mut wide = String::new();
        witness(&mut wide, &steps, "  ", PIPED_WIDTH);
        assert!(wide.contains("read config = 0 (stale: main's write is still buffered)"));
    }
}
