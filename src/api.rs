//! The library's front door: check a program given as text, bytes or a
//! file, under [`Options`], and get a [`Report`] or a [`CompileError`].
//! The command line (`grace check`, `grace replay`, `grace test`) is built
//! on these functions and nothing else of the check.
//!
//! Every check runs on a thread of its own with a large stack
//! ([`STACK_BYTES`]): the parser, the checker and the lowering recurse over
//! the program's nesting, and "no input reaches a panic or a crash" holds
//! only with room for the deepest input the limits let through. The
//! caller's thread waits; a panic in the check (a bug in grace, or in the
//! caller's progress callback) is passed on to it unchanged. A system that
//! refuses that stack gives a [`CompileError`].

use crate::analysis::{CheckOptions, CheckResult, ReplayTarget};
use crate::front::diag::{Diagnostic, Source};
use crate::ir::Program;
use crate::memory::{Memory, MemoryModel, WithModel};
use crate::report::WitnessMode;
use crate::search::{Cancel, OnProgress, Progress};
use std::path::Path;

/// The stack of the thread a check runs on: 256 MiB, enough for the deepest
/// nesting the parser accepts (only the pages used are ever touched).
pub const STACK_BYTES: usize = 256 << 20;

/// What to check and how far: the memory model, the limits, reductions,
/// what else to compute (statistics, the state graph, a replay) and a
/// token that stops the check from outside.
///
/// Built from [`Options::new`] (or `Default`) with the builder methods;
/// the fields can be read and set, but new ones may come
/// (`#[non_exhaustive]`), so a caller cannot list them all.
///
/// ```
/// use grace::{Memory, Options};
/// let opts = Options::new().memory(Memory::Tso).max_states(10_000);
/// assert_eq!(opts.memory, Memory::Tso);
/// assert!(opts.reductions);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The memory model of plain shared variables (default `go`).
    pub memory: Memory,
    /// Stop after this many distinct states.
    pub max_states: Option<usize>,
    /// Do not explore runs longer than this many steps.
    pub max_depth: Option<u32>,
    /// Stop after this many seconds, for the whole check. Kept as the
    /// number given, since the report quotes it (`--timeout 2.5 s reached`);
    /// the deadline is made of it clamped to 0 ..= 1e9, NaN counting as 0.
    pub timeout_secs: Option<f64>,
    /// Stop when the process holds this many MiB. Without it, a check
    /// stops at 80 % of the memory available when it started.
    pub max_memory_mib: Option<u64>,
    /// Symmetry and partial-order reduction (default on); off is the
    /// reference search, slower and with the same findings.
    pub reductions: bool,
    /// Fill in [`crate::Stats::detail`] (where the time and memory went).
    pub stats: bool,
    /// Also draw the state graph, for [`Report::to_dot`] and the graph in
    /// [`Report::to_html`].
    pub graph: bool,
    /// Also replay one witness step by step ([`Report::replay`]).
    pub replay: Option<ReplayTarget>,
    /// What stops the check from outside (an interrupt); `None`: the check
    /// makes its own from the limits above. A deadline or memory limit set
    /// on the token itself takes precedence over `timeout_secs` or
    /// `max_memory_mib` (and the report says the token's limit stopped the
    /// check). An interrupt is never lowered again: a token raised before
    /// a check, or by an earlier check's caller, stops the check at once
    /// (a report of the initial state); use a fresh token per check to be
    /// stopped separately.
    pub cancel: Option<Cancel>,
    /// Called as each search goes (every few thousand states and once at
    /// its end), on the searching thread: `grace check` draws its spinner
    /// from it. It should be quick. If it panics, the check is abandoned
    /// and the panic is passed on to the caller of `check_*` (no report).
    pub progress: Option<OnProgress>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            memory: Memory::default(),
            max_states: None,
            max_depth: None,
            timeout_secs: None,
            max_memory_mib: None,
            reductions: true,
            stats: false,
            graph: false,
            replay: None,
            cancel: None,
            progress: None,
        }
    }
}

impl Options {
    /// The defaults: the `go` model, no limits but the memory guard,
    /// reductions on.
    pub fn new() -> Self {
        Self::default()
    }

    /// The memory model of plain shared variables.
    pub fn memory(mut self, memory: Memory) -> Self {
        self.memory = memory;
        self
    }

    /// Stop after `n` distinct states (the report is then incomplete).
    pub fn max_states(mut self, n: usize) -> Self {
        self.max_states = Some(n);
        self
    }

    /// Do not explore runs longer than `n` steps.
    pub fn max_depth(mut self, n: u32) -> Self {
        self.max_depth = Some(n);
        self
    }

    /// Stop the whole check after this long.
    pub fn timeout(self, t: std::time::Duration) -> Self {
        self.timeout_secs(t.as_secs_f64())
    }

    /// Stop the whole check after this many seconds (clamped to 0 ..= 1e9;
    /// NaN counts as 0: stop at once). The report quotes the number as
    /// given.
    pub fn timeout_secs(mut self, seconds: f64) -> Self {
        self.timeout_secs = Some(seconds);
        self
    }

    /// Stop when the process holds this many MiB.
    pub fn max_memory_mib(mut self, mib: u64) -> Self {
        self.max_memory_mib = Some(mib);
        self
    }

    /// Explore with reductions (`true`, the default) or without them.
    pub fn reductions(mut self, on: bool) -> Self {
        self.reductions = on;
        self
    }

    /// Fill in the cost breakdown of the statistics.
    pub fn stats(mut self, on: bool) -> Self {
        self.stats = on;
        self
    }

    /// Draw the state graph (for [`Report::to_dot`] and [`Report::to_html`]).
    pub fn graph(mut self, on: bool) -> Self {
        self.graph = on;
        self
    }

    /// Replay the witness of an outcome or a race step by step.
    pub fn replay(mut self, target: ReplayTarget) -> Self {
        self.replay = Some(target);
        self
    }

    /// Stop the check when `cancel` says so (see the `cancel` field).
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Report the searches' progress to `f` (see [`Progress`]); a panic in
    /// `f` is passed on to the caller of `check_*`.
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(OnProgress::new(f));
        self
    }

    /// The analysis's options (consumes a copy: the cancel token is held,
    /// not shared).
    fn into_check_options(self) -> CheckOptions {
        CheckOptions {
            max_states: self.max_states,
            max_depth: self.max_depth,
            timeout: self.timeout_secs,
            max_memory_mib: self.max_memory_mib,
            no_reduction: !self.reductions,
            stats: self.stats,
            dot: self.graph,
            replay: self.replay,
            cancel: self.cancel,
            progress: self.progress,
            token_limits: None,
        }
    }
}

/// What a check found in one program, with the program's name and text
/// (for the excerpts of the text report).
///
/// Read the findings through the shortcuts ([`Report::outcomes`],
/// [`Report::races`], [`Report::leaks`], [`Report::never_ending`],
/// [`Report::expects`], [`Report::complete`]) or the whole
/// [`CheckResult`] ([`Report::result`]); print it with [`Report::to_text`]
/// (what `grace check` prints) or [`Report::to_json`] (`--format json`,
/// the wire format of docs/CLI.md).
#[derive(Clone, Debug)]
pub struct Report {
    source: Source,
    result: CheckResult,
}

impl Report {
    /// The name the program was checked under (a file's path as given).
    pub fn file(&self) -> &str {
        &self.source.name
    }

    /// Everything the check found.
    pub fn result(&self) -> &CheckResult {
        &self.result
    }

    /// Everything the check found, owned.
    pub fn into_result(self) -> CheckResult {
        self.result
    }

    /// The distinct final states, in the order the report lists them.
    pub fn outcomes(&self) -> &[crate::Outcome] {
        &self.result.outcomes
    }

    /// The data races.
    pub fn races(&self) -> &[crate::Race] {
        &self.result.races
    }

    /// Goroutines left blocked when `main` returned.
    pub fn leaks(&self) -> &[crate::Leak] {
        &self.result.leaks
    }

    /// States from which no run can end.
    pub fn never_ending(&self) -> &[crate::NeverEnding] {
        &self.result.never_ending
    }

    /// The verdicts of the program's `expect` lines.
    pub fn expects(&self) -> &[crate::ExpectResult] {
        &self.result.expects
    }

    /// Was every state explored? If not, [`CheckResult::limit`] says what
    /// stopped the check, and the findings are those of the part explored.
    pub fn complete(&self) -> bool {
        self.result.complete
    }

    /// Did the check find anything (a race outcome, a data race, a
    /// deadlock, a panic, a failed assert, a leak, a never-ending run, a
    /// failed expect)? `grace check` exits 1 then.
    pub fn found_something(&self) -> bool {
        self.result.found_something()
    }

    /// The step-by-step replay asked for with [`Options::replay`], or why
    /// it could not be made (no such outcome or race).
    pub fn replay(&self) -> Option<Result<&str, &str>> {
        self.result
            .replay
            .as_ref()
            .map(|r| r.as_ref().map(String::as_str).map_err(String::as_str))
    }

    /// The text report as `grace check` prints it to a file or a pipe:
    /// the witnesses of race outcomes and of every non-`ok` outcome.
    pub fn to_text(&self) -> String {
        self.to_text_with(WitnessMode::Race, false)
    }

    /// The text report with a choice of witnesses (`--witness`) and
    /// colours (ANSI, for a terminal), its witnesses as wide as when
    /// piped (160 columns).
    pub fn to_text_with(&self, witness: WitnessMode, color: bool) -> String {
        self.to_text_sized(witness, color, crate::report::text::PIPED_WIDTH)
    }

    /// The text report with its witnesses fitted to `width` columns, as
    /// `grace check` prints it on a terminal or with `COLUMNS` set: a cell
    /// too wide for its column wraps onto more lines, never cut.
    pub fn to_text_sized(&self, witness: WitnessMode, color: bool, width: usize) -> String {
        crate::report::text::render_with_source(
            &self.source.name,
            &self.result,
            witness,
            Some((&self.source, color)),
            width,
        )
    }

    /// One file's JSON report of docs/CLI.md: the entry `grace check
    /// --format json` prints for it in its `files` list (without the final
    /// newline). Of two checks
    /// of the same program with the same options, only `stats.seconds`
    /// and, with [`Options::stats`], the timings and memory of
    /// `stats.detail` (here and in the text report's `stats:` line) may
    /// differ: the rest of every report is the same text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).unwrap_or_default()
    }

    /// The JSON report as a value (the command line puts it in the `files`
    /// list, docs/CLI.md).
    pub fn to_json_value(&self) -> serde_json::Value {
        crate::report::json::to_value(&self.source.name, &self.result)
    }

    /// The report in a few lines (`grace check --format summary`): a first
    /// line with what was found, then one line per finding, each starting
    /// with the file name (and `:line:col` where the finding has a place).
    pub fn to_summary(&self) -> String {
        crate::report::summary::render(&self.source.name, &self.result)
    }

    /// Did the check explore everything and find nothing (`clean`), find
    /// something (`findings`), or stop at a limit (`incomplete`)? As the
    /// JSON report's `status` and the summary say it.
    pub fn status(&self) -> &'static str {
        crate::report::FileStatus::of(&self.result).name()
    }

    /// The state graph as Graphviz DOT, when [`Options::graph`] asked for it.
    pub fn to_dot(&self) -> Option<String> {
        self.result.picture.as_ref().map(crate::report::dot::to_dot)
    }

    /// A self-contained HTML page: outcomes, swimlane witnesses, and the
    /// state graph when [`Options::graph`] asked for it.
    pub fn to_html(&self) -> String {
        crate::report::html::render(
            &self.source.name,
            &self.result,
            self.result.picture.as_ref(),
        )
    }

    /// The findings as `grace test` snapshots them: one line per finding,
    /// no timings, state counts only if `pin_states`.
    pub fn to_snapshot(&self, pin_states: bool) -> String {
        crate::report::snapshot::render(&self.result, pin_states)
    }
}

/// Why a program was not checked: it could not be read, is not UTF-8, or
/// does not parse, type-check or lower; or the system would not start the
/// thread with a [`STACK_BYTES`] stack the check runs on. Nothing was
/// explored.
#[derive(Clone, Debug)]
pub struct CompileError(Box<ErrorInner>);

/// Boxed: a `Result` carries its error inline, and a report is the case
/// to keep small.
#[derive(Clone, Debug)]
struct ErrorInner {
    /// The message as printed: `file:line:col: error: ...`, the line and a
    /// caret (or `file: error: ...` when no place in the text is at fault).
    rendered: String,
    /// The name of the program, as the message gives it.
    file: String,
    /// What is wrong, without the place (the message after `error: `).
    reason: String,
    diagnostic: Option<Diagnostic>,
    /// The text the diagnostic points into, for a coloured rendering.
    source: Option<Source>,
}

impl CompileError {
    fn new(diagnostic: Diagnostic, source: Source) -> Self {
        CompileError(Box::new(ErrorInner {
            rendered: source.render(&diagnostic),
            file: source.name.clone(),
            reason: diagnostic.message.clone(),
            diagnostic: Some(diagnostic),
            source: Some(source),
        }))
    }

    /// An error at no place in the text (the file cannot be read), as
    /// [`crate::front::diag::plain_error`] rendered it for `file`.
    fn plain(file: &str, rendered: String) -> Self {
        let reason = rendered
            .strip_prefix(&format!("{file}: error: "))
            .unwrap_or(&rendered)
            .trim_end()
            .to_string();
        CompileError(Box::new(ErrorInner {
            rendered,
            file: file.to_string(),
            reason,
            diagnostic: None,
            source: None,
        }))
    }

    /// The name of the program the error is in (a file's path as given).
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// What is wrong, in one line, without the file and place: `expected
    /// an expression`, `cannot read the file: ...`.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The error as an entry of the JSON report's `files` list
    /// (docs/CLI.md): `{"file", "status": "error", "error": {"line",
    /// "col", "message", "text"}}`.
    pub fn to_json_value(&self) -> serde_json::Value {
        crate::report::json::error_entry(
            self.file(),
            self.line_col(),
            self.reason(),
            self.message(),
        )
    }

    /// The message as `grace check` prints it, without colours.
    pub fn message(&self) -> &str {
        &self.0.rendered
    }

    /// The error as a value (its byte span in the text and message), when
    /// it is at a place in the text.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        self.0.diagnostic.as_ref()
    }

    /// The 1-based line and column (in characters) the error points at.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (d, s) = (self.0.diagnostic.as_ref()?, self.0.source.as_ref()?);
        Some(s.line_col(d.span.start))
    }

    /// The message in ANSI colours (for a terminal); errors at no place are
    /// the same as [`CompileError::message`].
    pub fn render_color(&self) -> String {
        match (&self.0.diagnostic, &self.0.source) {
            (Some(d), Some(s)) => s.render_color(d),
            _ => self.0.rendered.clone(),
        }
    }
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.rendered)
    }
}

impl std::error::Error for CompileError {}

/// Check a program given as text; `name` is what the report and errors
/// call it, printed as given (a name with a newline or a control character
/// in it is not escaped in the text report).
///
/// ```
/// use grace::{check_source, Class, EndKind, Memory, Options};
///
/// let program = "var x int
/// var wg sync.WaitGroup
///
/// func incr() {
///     x = x + 1
///     wg.Done()
/// }
///
/// func main() {
///     wg.Add(2)
///     go incr()
///     go incr()
///     wg.Wait()
/// }
/// ";
/// let report = check_source("incr.gr", program, &Options::new().memory(Memory::Sc))?;
/// assert!(report.complete());
/// // the lost update: x is 2 when the increments take turns, 1 when they interleave
/// let finals: Vec<String> = report.outcomes().iter().map(|o| o.values()).collect();
/// assert_eq!(finals, ["x=1", "x=2"]);
/// assert!(report.outcomes().iter().all(|o| o.kind == EndKind::Ok));
/// assert_eq!(report.outcomes()[0].class, Some(Class::Preemptive));
/// assert_eq!(report.races().len(), 2); // read/write and write/write
/// assert!(report.to_text().starts_with("incr.gr: memory sc, "));
/// # Ok::<(), grace::CompileError>(())
/// ```
pub fn check_source(name: &str, text: &str, opts: &Options) -> Result<Report, CompileError> {
    on_big_stack(name, || check_text(Source::new(name, text), opts))
}

/// Check a program given as bytes (a file's contents): bytes that are not
/// UTF-8 are a [`CompileError`] pointing at the first bad one.
pub fn check_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Report, CompileError> {
    on_big_stack(name, || {
        let src = source_from_bytes(name, bytes)?;
        check_text(src, opts)
    })
}

/// Check a program read from `reader` to its end (`grace check -` reads
/// standard input); `name` is what the report and errors call it. A read
/// that fails is a [`CompileError`].
pub fn check_reader(
    name: &str,
    mut reader: impl std::io::Read,
    opts: &Options,
) -> Result<Report, CompileError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| {
        CompileError::plain(
            name,
            crate::front::diag::plain_error(name, &format!("cannot read the program: {e}")),
        )
    })?;
    check_bytes(name, &bytes, opts)
}

/// Check the program in a file; the report calls it by the path as given.
/// Only regular files are read (a FIFO or a device named `x.gr` would block
/// or never end).
pub fn check_file(path: impl AsRef<Path>, opts: &Options) -> Result<Report, CompileError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = read_input(&name, path).map_err(|e| CompileError::plain(&name, e))?;
    check_bytes(&name, &bytes, opts)
}

/// A program opened for stepping through by hand (`grace explore`): the
/// learner is the scheduler. A run is a *path*, the choices made from the
/// initial state, each an index into the list of every step possible at
/// the state reached (the checker's own successors, in their fixed order:
/// goroutine, then choice of value or case, then the memory system's
/// flushes). A path names the same state on every run of grace, so it can
/// be shared as text ([`format_path`](crate::format_path): `0.1.1.0`).
///
/// ```
/// use grace::{Explorer, Memory};
/// let program = "var x int
/// func main() {
///     go func() { x = 1 }()
///     print(x)
/// }
/// ";
/// let ex = Explorer::open_source("x.gr", program, Memory::Sc)?;
/// let start = ex.state(&[]).unwrap();
/// assert_eq!(start.choices.len(), 1); // only main can move: its `go`
/// let after = ex.state(&[0]).unwrap();
/// let steps: Vec<&str> = after.choices.iter().map(|c| c.step.as_str()).collect();
/// assert_eq!(steps, ["read x = 0", "write x = 1"]); // main's read, then the goroutine's write
/// # Ok::<(), grace::CompileError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Explorer {
    source: Source,
    prog: Program,
    memory: Memory,
}

impl Explorer {
    /// Compile a program given as text (on a thread with a
    /// [`STACK_BYTES`] stack, as a check is) for stepping under `memory`.
    pub fn open_source(name: &str, text: &str, memory: Memory) -> Result<Self, CompileError> {
        on_big_stack(name, || Self::compiled(Source::new(name, text), memory))
    }

    /// Compile the program in a file (a regular file only, as
    /// [`check_file`] reads it) for stepping under `memory`.
    pub fn open_file(path: impl AsRef<Path>, memory: Memory) -> Result<Self, CompileError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let bytes = read_input(&name, path).map_err(|e| CompileError::plain(&name, e))?;
        on_big_stack(&name, || {
            Self::compiled(source_from_bytes(&name, &bytes)?, memory)
        })
    }

    fn compiled(src: Source, memory: Memory) -> Result<Self, CompileError> {
        let prog = compile_diag(&src).map_err(|d| CompileError::new(d, src.clone()))?;
        Ok(Explorer {
            source: src,
            prog,
            memory,
        })
    }

    /// The name the program was opened under.
    pub fn file(&self) -> &str {
        &self.source.name
    }

    /// The program's text.
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The memory model the steps follow.
    pub fn memory(&self) -> Memory {
        self.memory
    }

    /// The state `path` reaches: the steps taken, every step possible now,
    /// the goroutines, the memory as the model sees it, the sync objects,
    /// the output, how the run ended (if it has) and the state graph
    /// around it. Made from the path alone, by replaying it (at most
    /// [`MAX_PATH`](crate::MAX_PATH) steps) on the caller's thread; the
    /// same path gives the same view on every run.
    pub fn state(&self, path: &[u32]) -> Result<crate::StateView, crate::PathError> {
        struct View<'a>(&'a Program, &'a [u32]);
        impl WithModel for View<'_> {
            type Output = Result<crate::StateView, crate::PathError>;
            fn run<M: MemoryModel>(self, model: &M) -> Self::Output {
                crate::analysis::explore::view(self.0, model, self.1)
            }
        }
        self.memory.with(View(&self.prog, path))
    }

    /// The path that takes the steps of a witness of a check of this
    /// program under this model ([`crate::Outcome::witness`],
    /// [`crate::Race::witness`], ...): "play the witness". Where a step of
    /// the witness is not possible (a witness of another program or
    /// model), the path stops before it.
    pub fn path_of(&self, witness: &[crate::WitnessStep]) -> Vec<u32> {
        struct PathOf<'a>(&'a Program, &'a [crate::WitnessStep]);
        impl WithModel for PathOf<'_> {
            type Output = Vec<u32>;
            fn run<M: MemoryModel>(self, model: &M) -> Vec<u32> {
                crate::analysis::explore::path_of(self.0, model, self.1)
            }
        }
        self.memory.with(PathOf(&self.prog, witness))
    }

    /// A check's findings as `GET /api/outcomes` of `grace explore` gives
    /// them (docs/CLI.md): each outcome, data race, leak, never-ending run
    /// and `expect` verdict with `path`, the path that plays its witness.
    pub fn findings_json(&self, report: &Report) -> serde_json::Value {
        crate::report::explore::findings(report.result(), &|w| self.path_of(w))
    }

    /// Check the program under this model (whatever `opts.memory` says),
    /// as [`check_source`] would, without compiling it again; on a thread
    /// with a [`STACK_BYTES`] stack.
    pub fn check(&self, opts: &Options) -> Result<Report, CompileError> {
        let opts = opts.clone().memory(self.memory);
        on_big_stack(&self.source.name, || {
            let result = opts.memory.with(Check {
                prog: &self.prog,
                opts: opts.clone().into_check_options(),
            });
            Ok(Report {
                source: self.source.clone(),
                result,
            })
        })
    }
}

impl crate::StateView {
    /// The view as `GET /api/state` of `grace explore` gives it
    /// (docs/CLI.md): the same path, the same bytes.
    pub fn to_json_value(&self) -> serde_json::Value {
        crate::report::explore::state(self)
    }
}

/// Compile and check a source, on the current thread.
fn check_text(src: Source, opts: &Options) -> Result<Report, CompileError> {
    let prog = compile_diag(&src).map_err(|d| CompileError::new(d, src.clone()))?;
    let result = opts.memory.with(Check {
        prog: &prog,
        opts: opts.clone().into_check_options(),
    });
    Ok(Report {
        source: src,
        result,
    })
}

/// The check of one program under the model [`Memory::with`] names.
struct Check<'p> {
    prog: &'p Program,
    opts: CheckOptions,
}

impl WithModel for Check<'_> {
    type Output = CheckResult;
    fn run<M: MemoryModel>(self, model: &M) -> CheckResult {
        crate::analysis::check(self.prog, model, self.opts)
    }
}

/// Run `work` (the check of the program called `name`) on a thread with a
/// [`STACK_BYTES`] stack and wait for it; a panic there is resumed here.
/// A system that will not give that stack (a `ulimit -v` below it, no
/// threads left) is an error, not a panic: a smaller stack could overflow
/// on a long expression the parser accepts.
fn on_big_stack<T: Send>(
    name: &str,
    work: impl FnOnce() -> Result<T, CompileError> + Send,
) -> Result<T, CompileError> {
    std::thread::scope(|s| {
        let thread = std::thread::Builder::new()
            .name("grace-check".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, work)
            .map_err(|e| {
                CompileError::plain(
                    name,
                    crate::front::diag::plain_error(
                        name,
                        &format!(
                            "cannot start the thread a check runs on ({} MiB of stack): {e}",
                            STACK_BYTES >> 20
                        ),
                    ),
                )
            })?;
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Parse, check and lower a source file. The error is rendered
/// (`file:line:col`, the line, a caret, the message). For unit tests.
#[cfg(test)]
pub(crate) fn compile(src: &Source) -> Result<Program, String> {
    compile_diag(src).map_err(|d| src.render(&d))
}

/// Parse, check and lower a source file; the error as a value.
pub(crate) fn compile_diag(src: &Source) -> Result<Program, Diagnostic> {
    let file = crate::front::parse::parse(&src.text).map_err(|mut d| {
        if d.message.starts_with("syntax error")
            && let Some(f) = crate::front::parse::unsupported_go_feature(&src.text, d.span.start)
        {
            return f;
        }
        crate::front::parse::describe_found(&src.text, &mut d);
        d
    })?;
    let mut prog = crate::front::lower::lower(&file, src)?;
    crate::front::daemons::mark_daemons(&mut prog, src)?;
    Ok(prog)
}

/// Turn the bytes of a file into a [`Source`], or, if they are not UTF-8,
/// the error, with the text it points into (the good bytes before it and
/// a replacement character) for its line and column.
fn source_from_bytes(name: &str, bytes: &[u8]) -> Result<Source, CompileError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(Source::new(name, t)),
        Err(e) => {
            let good = e.valid_up_to();
            let text = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let src = Source::new(name, text + "\u{fffd}");
            // the span covers the replacement character: a span ending
            // inside it would not be a slice of the text it points into
            let d = Diagnostic::new(
                crate::front::ast::Span::new(good, good + '\u{fffd}'.len_utf8()),
                "the file is not valid UTF-8: expected UTF-8 text",
            );
            Err(CompileError::new(d, src))
        }
    }
}

/// Read an input program. Only regular files: a FIFO or a device named
/// `x.gr` would block the read forever (or never end), so its type is
/// checked before it is opened, and again on the opened file (opened
/// without blocking, in case it was swapped in between). The error comes
/// rendered (`file: error: ...`).
pub(crate) fn read_input(name: &str, path: &Path) -> Result<Vec<u8>, String> {
    let err = |m: &str| crate::front::diag::plain_error(name, m);
    let not_regular = || {
        err(
            "not a regular file (a FIFO, device or socket): grace reads programs from regular files only",
        )
    };
    let m = std::fs::metadata(path).map_err(|e| err(&format!("cannot read the file: {e}")))?;
    if m.is_dir() {
        return Err(err("is a folder, not a program file"));
    }
    if !m.is_file() {
        return Err(not_regular());
    }
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        // a safe flag: no `unsafe` in the library (lib.rs forbids it)
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    let mut f = o
        .open(path)
        .map_err(|e| err(&format!("cannot read the file: {e}")))?;
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut bytes)
        .map_err(|e| err(&format!("cannot read the file: {e}")))?;
    Ok(bytes)
}
