//! The `grace test` snapshot of a result: a stable, line-per-finding text
//! (memory model, outcomes with their class, races, leaks, never-ending
//! runs, expects; no timings, and no state counts unless asked for), so
//! that a change reads as added and removed findings. `cli::golden`
//! compares and writes them; this is only the format.

use crate::analysis::CheckResult;

/// The snapshot text of a result.
pub fn render(r: &CheckResult, pin_states: bool) -> String {
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
