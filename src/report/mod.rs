//! Reports: text for people, JSON for tools (docs/CLI.md, the one wire
//! format), DOT and HTML for pictures, and the `grace test` snapshot.

pub mod dot;
pub mod explore;
pub mod html;
pub mod json;
pub mod snapshot;
pub mod summary;
pub mod text;

/// Which outcomes get their witness printed in the text report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum WitnessMode {
    /// Race outcomes and every non-`ok` outcome.
    #[default]
    Race,
    /// Every outcome.
    All,
    /// None.
    None,
}

/// `n` and the noun for it: `1 outcome`, `0 outcomes`, `2 outcomes`.
pub(crate) fn plural(n: impl std::fmt::Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    format!("{n} {}", if n == "1" { one } else { many })
}

/// What a report's summary line counts, in words ("1 race outcome").
pub(crate) struct Counts {
    pub states: String,
    pub transitions: String,
    pub outcomes: String,
    pub races: String,
    pub data_races: String,
    pub leaks: String,
    pub never: String,
}

pub(crate) fn counts(r: &crate::analysis::CheckResult) -> Counts {
    let races = r.outcomes.iter().filter(|o| o.is_race()).count();
    Counts {
        states: plural(r.stats.states, "state", "states"),
        transitions: plural(r.stats.transitions, "transition", "transitions"),
        outcomes: plural(r.outcomes.len(), "outcome", "outcomes"),
        races: plural(races, "race outcome", "race outcomes"),
        data_races: plural(r.races.len(), "data race", "data races"),
        leaks: plural(r.leaks.len(), "leak", "leaks"),
        never: plural(
            r.never_ending.len(),
            "never-ending run",
            "never-ending runs",
        ),
    }
}

/// The goroutines of a witness, in the order they first step: the columns
/// of its swimlanes.
pub fn lanes(steps: &[crate::analysis::WitnessStep]) -> Vec<&str> {
    let mut lanes: Vec<&str> = Vec::new();
    for s in steps {
        if !lanes.contains(&s.goroutine.as_str()) {
            lanes.push(&s.goroutine);
        }
    }
    lanes
}

/// What a file came to, as `--format summary`, the JSON report's `status`
/// and the closing line of several files say it. The order is the exit
/// status's (docs/CLI.md): an error over a stopped check over a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Explored completely, nothing found (exit 0).
    Clean,
    /// Explored completely, something found (exit 1).
    Findings,
    /// Not checked: unreadable, or a syntax or type error (exit 2).
    Error,
    /// A limit or a signal stopped the check (exit 3).
    Incomplete,
}

impl FileStatus {
    /// The status of a checked file.
    pub fn of(r: &crate::analysis::CheckResult) -> Self {
        if !r.complete {
            FileStatus::Incomplete
        } else if r.found_something() {
            FileStatus::Findings
        } else {
            FileStatus::Clean
        }
    }

    /// As the reports write it.
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Clean => "clean",
            FileStatus::Findings => "findings",
            FileStatus::Error => "error",
            FileStatus::Incomplete => "incomplete",
        }
    }
}
