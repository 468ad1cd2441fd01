//! grace: a deterministic model checker for tiny concurrent Go programs.
//!
//! A program in grace's Go subset (shared variables, goroutines, channels,
//! `sync.Mutex`/`RWMutex`/`WaitGroup`, atomics, `print`, `assert`,
//! `expect`; docs/LANGUAGE.md) is run in **every** interleaving of its
//! goroutines, and under a weak memory model with every stale read the
//! model allows. The [`Report`] lists every distinct final state (an
//! [`Outcome`]) with the clearest run that reaches it, marks the race
//! outcomes (no run without preemption, or none without a stale read, can
//! produce them), and finds data races, deadlocks, panics, failed asserts,
//! goroutine leaks, runs that never end and `expect` verdicts, each with a
//! witness.
//!
//! # The pipeline
//!
//! One program goes through the tree in this order:
//!
//! 1. `front`: the text is parsed (`front::parse`, a syntax tree with
//!    spans), its names and types checked (`front::globals`) and lowered
//!    (`front::lower`) to the step program of `ir`: a [`CompileError`]
//!    points at the first mistake.
//! 2. `semantics` gives each instruction its steps on a state (`state`),
//!    with plain reads and writes going through the chosen memory model
//!    (`memory`: sc, tso, go; `memory::registry` turns a [`Memory`] into
//!    the model's type).
//! 3. `search` explores every reachable state breadth-first, with symmetry
//!    and partial-order reduction, within the [`Options`]' limits.
//! 4. `analysis` turns the state graph into the findings ([`CheckResult`]):
//!    outcomes and their classes, races, leaks, never-ending runs, expects,
//!    and a witness for each.
//! 5. `report` prints them: text, JSON (docs/CLI.md), DOT, HTML.
//!
//! The command line (`grace check`, `grace replay`, `grace test`) is a user
//! of this library's API ([`check_file`], [`check_source`]).
//!
//! # Example
//!
//! (The same as README.md's "As a library"; a test keeps the two equal.)
//!
//! ```
//! use grace::{Class, Memory, Options, check_source};
//!
//! fn main() -> Result<(), grace::CompileError> {
//!     // Two goroutines increment a shared counter without a lock.
//!     let program = "
//! var count int
//! var wg sync.WaitGroup
//!
//! func incr() {
//!     count = count + 1
//!     wg.Done()
//! }
//!
//! func main() {
//!     wg.Add(2)
//!     go incr()
//!     go incr()
//!     wg.Wait()
//! }
//! ";
//!     let report = check_source("counter.gr", program, &Options::new().memory(Memory::Sc))?;
//!     assert!(report.complete());
//!     for o in report.outcomes() {
//!         println!("{} {}", o.values(), o.class_name());
//!     }
//!     // count=1 is the lost update: only a preemption produces it
//!     let lost = report.outcomes().iter().find(|o| o.values() == "count=1");
//!     assert_eq!(lost.unwrap().class, Some(Class::Preemptive));
//!     assert_eq!(report.races().len(), 2); // read/write, write/write
//!     assert!(report.found_something());
//!     print!("{}", report.to_text()); // what `grace check --memory sc` prints
//!     Ok(())
//! }
//! ```
//!
//! A program that does not compile gives a [`CompileError`] with the
//! message as the command line prints it:
//!
//! ```
//! let err = grace::check_source("bad.gr", "func main() { x = 1 }\n", &grace::Options::new())
//!     .unwrap_err();
//! assert!(err.message().starts_with("bad.gr:1:15: error: "));
//! assert_eq!(err.line_col(), Some((1, 15)));
//! ```
#![forbid(unsafe_code)]

mod analysis;
mod api;
// The binary's entry point (src/main.rs calls `cli::main`); not an API.
#[doc(hidden)]
pub mod cli;
mod front;
mod ir;
mod memory;
mod reduce;
mod report;
mod search;
mod semantics;
mod state;

pub use analysis::explore::{
    Choice, Edge, Goroutine, MAX_PATH, Neighbourhood, Node, PathError, RunEnd, StateView, Status,
    Taken, format_path, parse_path,
};
pub use analysis::{
    CheckResult, Class, ExpectResult, FinishedRuns, GValue, Leak, NeverEnding, Outcome, Position,
    Race, RaceAccess, ReplayTarget, Stats, StatsDetail, Verdict, WitnessStep,
};
pub use api::{
    CompileError, Explorer, Options, Report, STACK_BYTES, check_bytes, check_file, check_reader,
    check_source,
};
pub use front::ast::Span;
pub use front::diag::Diagnostic;
pub use ir::Ty;
pub use memory::Memory;
pub use report::WitnessMode;
pub use search::{Cancel, GRACE, Limit, OnProgress, Progress};
pub use semantics::Mode;
pub use state::EndKind;

// Paths the crate's own unit tests use.
#[cfg(test)]
pub(crate) use api::compile;
#[cfg(test)]
pub(crate) use front::diag::Source;

/// The corpus programs the crate's unit tests run: (path, text) of every
/// file in the repository's `dirs` whose extension is one of `exts`, in
/// path order.
#[cfg(test)]
pub(crate) fn corpus(dirs: &[&str], exts: &[&str]) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, String)> = Vec::new();
    for dir in dirs {
        for e in std::fs::read_dir(root.join(dir)).expect("a corpus folder") {
            let p = e.expect("an entry").path();
            if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
                let text = std::fs::read_to_string(&p).expect("a program");
                out.push((p.display().to_string(), text));
            }
        }
    }
    out.sort();
    out
}
