//! Reports: text for people, JSON for tools (docs/CLI.md, the one wire
//! format), DOT and HTML for pictures, and the `grace test` snapshot.

pub mod dot;
pub mod html;
pub mod json;
pub mod snapshot;
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
