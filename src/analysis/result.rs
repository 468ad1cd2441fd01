//! What a check finds: the report's content, before any format (the JSON
//! form of each type is written in `report::json`, the one wire format).

use crate::ir::Ty;
use crate::search::Limit;
use crate::state::EndKind;

/// Which witness `grace replay` steps through (numbers as in the report, from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayTarget {
    Outcome(usize),
    Race(usize),
}

/// One step of a witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessStep {
    pub goroutine: String,
    pub line: u32,
    pub col: u32,
    pub step: String,
    /// This step switches away from a goroutine that could have gone on.
    pub preemption: bool,
}

/// The class of an outcome (LANGUAGE.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Serial,
    Preemptive,
    Stale,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Serial => "serial",
            Class::Preemptive => "preemptive",
            Class::Stale => "stale",
        }
    }
}

/// The final value of a top-level variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GValue {
    Scalar(Ty, i64),
    Array(Ty, Vec<i64>),
    /// A map's entries in key order, each key and value as `fmt` prints it.
    Map(crate::ir::MapTy, Vec<(String, String)>),
    /// A string (a struct's string field), shown quoted as `%q` does.
    Str(String),
}

impl GValue {
    pub fn show(&self) -> String {
        match self {
            GValue::Scalar(t, v) => t.show(*v),
            GValue::Array(t, vs) => {
                let parts: Vec<String> = vs.iter().map(|v| t.show(*v)).collect();
                format!("[{}]", parts.join(" "))
            }
            GValue::Map(_, kvs) => {
                let parts: Vec<String> = kvs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("map[{}]", parts.join(" "))
            }
            GValue::Str(s) => format!("{s:?}"),
        }
    }
}

/// A distinct final state.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub kind: EndKind,
    pub message: Option<String>,
    pub globals: Vec<(String, GValue)>,
    pub output: String,
    /// `None` when the check could not class it: the search the class
    /// needs (serial, or under a weak model sc) was stopped before it could
    /// tell (LANGUAGE.md §9).
    pub class: Option<Class>,
    pub witness: Vec<WitnessStep>,
    /// The check was stopped before this outcome's witness was made
    /// (`witness` is empty).
    pub witness_cut: bool,
    /// Preemptions in the witness (switches away from a goroutine that could
    /// have gone on); the witness has the fewest possible.
    pub preemptions: u32,
    /// For a deadlock: where each goroutine is blocked.
    pub blocked: Vec<Position>,
    /// The state where the witness ends.
    pub terminal: u32,
    /// The witness is a run of the serial search (and `terminal` one of
    /// its states), not of the full one.
    pub serial_witness: bool,
    /// Found after the main search stopped, outside its graph: by a run
    /// finished past the stop (see [`FinishedRuns`]), or (with
    /// `serial_witness`) by the search of the runs without preemption. Its
    /// witness is that run, not necessarily the clearest, and its
    /// preemptions are that run's, not the fewest possible.
    pub past_stop: bool,
}

impl Outcome {
    /// The message as Go prints it: `panic: …` (`assert: …`), but a fatal
    /// error of the runtime (`fatal error: concurrent map writes`) as it is.
    pub fn message_line(&self) -> Option<String> {
        let m = self.message.as_ref()?;
        Some(match m.starts_with("fatal error:") {
            true => m.clone(),
            false => format!("{}: {m}", self.kind.name()),
        })
    }

    /// Known to be a race outcome: an unclassed one is not.
    pub fn is_race(&self) -> bool {
        matches!(self.class, Some(Class::Preemptive | Class::Stale))
    }

    /// The class as the reports print it.
    pub fn class_name(&self) -> &'static str {
        self.class.map_or("unclassed", Class::name)
    }

    /// The final values as `name=value`, space-separated, in declaration order.
    pub fn values(&self) -> String {
        values_text(&self.globals)
    }

    /// What makes two outcomes the same, as text (see [`outcome_text`]).
    pub(crate) fn text(&self) -> String {
        outcome_text(
            self.kind,
            &self.globals,
            self.message.as_deref(),
            &self.output,
        )
    }
}

pub(crate) fn values_text(globals: &[(String, GValue)]) -> String {
    let v: Vec<String> = globals
        .iter()
        .map(|(n, v)| format!("{n}={}", v.show()))
        .collect();
    v.join(" ")
}

/// An outcome as text: its kind, final values, message and output (what
/// tells outcomes apart, whichever check found them).
pub(crate) fn outcome_text(
    kind: EndKind,
    globals: &[(String, GValue)],
    message: Option<&str>,
    output: &str,
) -> String {
    format!(
        "{} {} {message:?} {output:?}",
        kind.name(),
        values_text(globals)
    )
}

/// One side of a data race.
#[derive(Clone, Debug)]
pub struct RaceAccess {
    pub goroutine: String,
    pub line: u32,
    pub col: u32,
    pub op: &'static str,
}

/// Two conflicting accesses not ordered by happens-before.
#[derive(Clone, Debug)]
pub struct Race {
    /// The witness as steps of the state graph (predecessor, successor
    /// position); the last one is the second access.
    pub steps: Vec<(u32, u32)>,
    /// Found by the search that tracks happens-before (its own graph).
    pub by_hb: bool,
    /// The variable's plain shared slot (an array element's own).
    pub slot: u32,
    /// Its name (`balance`, `slots[1]`).
    pub var: String,
    pub a: RaceAccess,
    pub b: RaceAccess,
    pub witness: Vec<WitnessStep>,
}

/// A goroutine blocked forever when main returned.
#[derive(Clone, Debug)]
pub struct Leak {
    pub goroutine: String,
    pub line: u32,
    pub col: u32,
    pub waiting: String,
    pub witness: Vec<WitnessStep>,
}

/// Where a goroutine stands.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub goroutine: String,
    pub line: u32,
    pub col: u32,
    pub at: String,
}

impl Position {
    /// `main at 12:3 (Lock mu)`
    pub fn describe(&self) -> String {
        format!(
            "{} at {}:{} ({})",
            self.goroutine, self.line, self.col, self.at
        )
    }
}

/// A state from which no run can end.
#[derive(Clone, Debug)]
pub struct NeverEnding {
    pub goroutines: Vec<Position>,
    pub witness: Vec<WitnessStep>,
}

impl NeverEnding {
    /// Where the goroutines stand in the loop, comma-separated.
    pub fn describe(&self) -> String {
        let pos: Vec<String> = self.goroutines.iter().map(Position::describe).collect();
        pos.join(", ")
    }
}

/// What a check can say about an `expect` (LANGUAGE.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    Fails,
    /// The search was stopped before it could tell: no run shows the
    /// verdict, and only the whole state space could.
    Unknown,
}

impl Verdict {
    /// As the text report prints it.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "FAILS",
            Verdict::Unknown => "unknown",
        }
    }
}

/// The verdict of an `expect`.
#[derive(Clone, Debug)]
pub struct ExpectResult {
    pub line: u32,
    pub text: String,
    pub verdict: Verdict,
    /// The run that shows the verdict: one that reaches a state the
    /// condition holds in (`exists`), or one that breaks it.
    pub witness: Option<Vec<WitnessStep>>,
    /// Why the condition could not be evaluated at the outcome the witness
    /// reaches (a division by zero, an index out of range): the expect
    /// fails there.
    pub error: Option<String>,
    /// That outcome's final values.
    pub error_at: Option<String>,
}

impl ExpectResult {
    pub fn holds(&self) -> bool {
        self.verdict == Verdict::Holds
    }

    pub fn fails(&self) -> bool {
        self.verdict == Verdict::Fails
    }
}

/// Figures of the search.
#[derive(Clone, Debug)]
pub struct Stats {
    pub states: usize,
    pub transitions: usize,
    pub seconds: f64,
    /// The cost breakdown (`--stats`).
    pub detail: Option<StatsDetail>,
}

/// Where the time and memory of a check went (`--stats`).
#[derive(Clone, Debug)]
pub struct StatsDetail {
    /// The main search alone.
    pub search_seconds: f64,
    pub states_per_second: f64,
    /// Witnesses and the analyses after the searches.
    pub analysis_seconds: f64,
    /// Memory of the stored states and transitions, per state.
    pub bytes_per_state: f64,
    /// Peak resident memory of the process.
    pub peak_mib: f64,
    /// Successors that symmetry reduction renumbered (each stored once for
    /// all its renumberings).
    pub symmetry_renumbered: u64,
    /// States that partial-order reduction expanded by their `go` step
    /// alone (the other goroutines' steps there were not taken).
    pub taken_alone: u64,
    /// States of the search without preemption (for the `serial` class).
    pub serial_states: usize,
    /// States of the sc search under a weak model (for the `stale` class).
    pub sc_states: Option<usize>,
    /// States of the search that tracks happens-before, when one was needed.
    pub hb_states: Option<usize>,
}

/// Everything a check found.
#[derive(Clone, Debug)]
pub struct CheckResult {
    pub memory: &'static str,
    /// When a limit stopped the main search: the runs finished from the
    /// states it found and did not expand.
    pub finished: Option<FinishedRuns>,
    /// Set when the program has no data race on memory (its races, if
    /// any, are on channels), so that (by DRF-SC, which
    /// both weak models give) every run under `memory` is a sequentially
    /// consistent one, and the check explored it under `sc` instead.
    pub explored_under: Option<&'static str>,
    pub complete: bool,
    /// What stopped the check, as the report says it.
    pub limit: Option<String>,
    /// What stopped the check.
    pub stopped_by: Option<Limit>,
    /// The phase it stopped: a search (`search`, `serial search`, ...) or
    /// an analysis after it (`witness search`, `leak analysis`, ...).
    pub stopped_in: Option<&'static str>,
    pub stats: Stats,
    pub outcomes: Vec<Outcome>,
    pub races: Vec<Race>,
    pub leaks: Vec<Leak>,
    pub never_ending: Vec<NeverEnding>,
    pub expects: Vec<ExpectResult>,
    /// The state graph as drawn, when asked for.
    pub picture: Option<crate::analysis::graph::Picture>,
    /// The step-by-step replay, when asked for (or why it cannot be done).
    pub replay: Option<Result<String, String>>,
    /// The program ranges over a map, which grace does in key order only
    /// (Go's order is random: LANGUAGE.md, *Maps*).
    pub map_range_in_key_order: bool,
}

/// The runs a stopped check finished from where its main search stopped
/// (docs/DESIGN.md, *Useful when stopped*): each follows one schedule from
/// a state the search found and did not expand to its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FinishedRuns {
    /// Runs begun.
    pub runs: u32,
    /// Their steps, all together.
    pub steps: u64,
    /// States they reached that the search had not found.
    pub states: usize,
    /// Outcomes only they reached ([`Outcome::past_stop`]).
    pub outcomes: usize,
    /// Something cut them short: time or an interrupt (after a grace
    /// period), the memory limit, or a limit of the semantics (a goroutine,
    /// channel or map limit) one of their steps met.
    pub cut: bool,
}

impl CheckResult {
    /// Did the check find anything (exit status 1)?
    pub fn found_something(&self) -> bool {
        self.outcomes
            .iter()
            .any(|o| o.is_race() || o.kind != EndKind::Ok)
            || !self.races.is_empty()
            || !self.leaks.is_empty()
            || !self.never_ending.is_empty()
            || self.expects.iter().any(ExpectResult::fails)
    }
}
