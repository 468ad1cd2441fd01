//! The progress line of a long search: a spinner on stderr with the states,
//! the outcomes found so far, states per second, transitions, frontier and
//! memory, drawn only
//! when stderr is a terminal (piped output and CI logs never see it) and
//! cleared when the search ends. The search only reports
//! ([`crate::search::Progress`]); drawing is the command line's business.

use crate::report::plural;
use crate::search::{OnProgress, Progress, resident_bytes};
use crate::semantics::Mode;
use std::sync::Mutex;
use std::time::Instant;

/// The spinner as a progress callback; `None` when stderr is not a terminal.
pub fn spinner() -> Option<OnProgress> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    // The spinner of the search under way (one per search), and its start.
    let current: Mutex<Option<(indicatif::ProgressBar, Instant)>> = Mutex::new(None);
    Some(OnProgress::new(move |p: &Progress| {
        let mut current = current.lock().unwrap_or_else(|e| e.into_inner());
        if p.done {
            if let Some((bar, _)) = current.take() {
                bar.finish_and_clear();
            }
            return;
        }
        let (bar, start) = current.get_or_insert_with(|| (new_spinner(p.mode), Instant::now()));
        let secs = start.elapsed().as_secs_f64().max(1e-3);
        let mem = resident_bytes().map_or(String::new(), |m| format!(", {} MiB", m >> 20));
        bar.set_message(format!(
            "{} states, {} so far, {:.0} states/s ({} transitions, frontier {}{mem})",
            p.states,
            plural(p.outcomes, "outcome", "outcomes"),
            p.states as f64 / secs,
            p.transitions,
            p.frontier
        ));
        bar.tick();
    }))
}

fn new_spinner(mode: Mode) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new_spinner();
    b.set_prefix(match mode {
        Mode::Full => "exploring",
        Mode::Serial => "serial runs",
    });
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {prefix}: {msg}") {
        b.set_style(style);
    }
    b
}
