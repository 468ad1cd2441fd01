//! The command line (docs/CLI.md): `grace check [OPTIONS] <FILE>...`,
//! `grace replay`, `grace test`. A user of the library's API (`api.rs`):
//! it parses the arguments into [`Options`], calls [`crate::check_file`],
//! and prints and writes what the [`Report`] renders.

pub(crate) mod exit;
mod explore;
pub(crate) mod golden;
mod progress;

use crate::api::{self, CompileError, Options, Report};
use crate::memory::Memory;
use crate::report::{FileStatus, WitnessMode};
use crate::search::Cancel;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use exit::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_INTERRUPTED_TWICE, EXIT_LIMIT};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "grace",
    version,
    about = "A model checker for tiny concurrent Go programs: every interleaving, every outcome, every race.",
    after_help = "Exit status: 0 nothing found, 1 something found (race outcome, data race, deadlock, panic,\nfailed assert, leak, never-ending run, failed expect), 2 bad input, 3 a limit stopped the search."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--memory`: a model of the registry ([`Memory::ALL`]), by its name,
/// with its [`Memory::about`] line in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MemoryArg(pub Memory);

impl MemoryArg {
    const ALL: [MemoryArg; Memory::ALL.len()] = {
        let mut all = [MemoryArg(Memory::Go); Memory::ALL.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = MemoryArg(Memory::ALL[i]);
            i += 1;
        }
        all
    };
}

impl ValueEnum for MemoryArg {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).help(self.0.about()))
    }
}

/// Report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The whole report: every outcome, the witnesses, source excerpts.
    Text,
    /// One line per finding (race outcomes, data races by variable, ...),
    /// each starting with the file name (and line:col): to read at a
    /// glance, and for scripts and CI logs.
    Summary,
    /// One JSON document: {"files": [...], "summary": {...}}.
    Json,
}

/// `grace test`'s output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// A line per file: ok, new, changed (with what changed), ...
    Text,
    /// Also, below each file's line, its findings as `grace check --format
    /// summary` prints them.
    Summary,
}

/// The name `-` gives a program read from standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Is this file argument `-`, standard input?
fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Check a file, or standard input for `-`.
fn check_input(path: &Path, opts: &Options) -> Result<Report, CompileError> {
    if is_stdin(path) {
        api::check_reader(STDIN_NAME, std::io::stdin().lock(), opts)
    } else {
        api::check_file(path, opts)
    }
}

/// Limits on the search; any of them stops it with a partial report (exit 3).
#[derive(Args, Debug, Clone, Copy)]
struct Limits {
    /// Stop after this many distinct states.
    #[arg(long, value_name = "N")]
    max_states: Option<usize>,
    /// Do not explore runs longer than N steps.
    #[arg(long, value_name = "N")]
    max_depth: Option<u32>,
    /// Stop when the process holds this much memory.
    #[arg(long, value_name = "MiB")]
    max_memory: Option<u64>,
    /// Stop after this many seconds (a number from 0 to 1000000000).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Option<f64>,
    /// Explore without any state-space reduction (the reference search).
    #[arg(long)]
    no_reduction: bool,
    /// Also report where the time and memory went (search and analysis
    /// seconds, states/s, bytes per state, peak memory, reductions).
    #[arg(long)]
    stats: bool,
}

/// The longest `--timeout`: about 31 years. Longer is a typing mistake,
/// not a plan, and the deadline must stay a representable instant.
pub const MAX_TIMEOUT_SECONDS: f64 = 1e9;

/// `--timeout`: a finite number of seconds from 0 (stop at once, with the
/// initial state as the partial report) to [`MAX_TIMEOUT_SECONDS`].
fn parse_timeout(s: &str) -> Result<f64, String> {
    let bad = || format!("expected a number of seconds from 0 to {MAX_TIMEOUT_SECONDS}");
    let t: f64 = s.trim().parse().map_err(|_| bad())?;
    if t.is_finite() && (0.0..=MAX_TIMEOUT_SECONDS).contains(&t) {
        Ok(t)
    } else {
        Err(bad())
    }
}

impl Limits {
    /// The check's options: these limits, the model, whether to draw the
    /// state graph (for `--dot` and `--html`).
    fn options(self, memory: MemoryArg, graph: bool, cancel: &Cancel) -> Options {
        Options {
            memory: memory.0,
            max_states: self.max_states,
            max_depth: self.max_depth,
            timeout_secs: self.timeout,
            max_memory_mib: self.max_memory,
            reductions: !self.no_reduction,
            stats: self.stats,
            graph,
            cancel: Some(cancel.clone()),
            progress: progress::spinner(),
            ..Options::default()
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Explore every run of each program and report its outcomes, data
    /// races, deadlocks, panics, leaks, never-ending runs and expects.
    Check {
        /// The .gr or .go files to check; `-` reads a program from standard
        /// input (named `<stdin>`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Memory model for plain shared variables.
        #[arg(long, value_enum, default_value = "go")]
        memory: MemoryArg,
        /// Report format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write the state graph as Graphviz DOT to FILE.
        #[arg(long, value_name = "FILE")]
        dot: Option<PathBuf>,
        /// Write a self-contained HTML page (outcomes, swimlane witnesses,
        /// the state graph) to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Which witnesses the text report prints (JSON always has them all).
        #[arg(long, value_enum, default_value = "race")]
        witness: WitnessMode,
        #[command(flatten)]
        limits: Limits,
    },
    /// Step through one witness, printing after each step where every
    /// goroutine stands, the shared memory (and under weak models the store
    /// buffers or what each goroutine may still read) and the sync objects.
    Replay {
        /// The program; `-` reads it from standard input.
        file: PathBuf,
        /// Replay the witness of outcome N (numbered as in the report).
        #[arg(
            long,
            value_name = "N",
            conflicts_with = "race",
            required_unless_present = "race"
        )]
        outcome: Option<usize>,
        /// Replay the witness of data race N.
        #[arg(long, value_name = "N")]
        race: Option<usize>,
        /// Memory model for plain shared variables.
        #[arg(long, value_enum, default_value = "go")]
        memory: MemoryArg,
        #[command(flatten)]
        limits: Limits,
    },
    /// Step through the program's runs in a browser: a web server on
    /// 127.0.0.1 serves a page where you choose which goroutine moves next,
    /// with every outcome of a check run in the background.
    Explore {
        /// The program (a file; the server serves this one program only).
        file: PathBuf,
        /// Memory model for plain shared variables.
        #[arg(long, value_enum, default_value = "go")]
        memory: MemoryArg,
        /// The port on 127.0.0.1 to listen on; 0 picks a free one (the URL
        /// printed says which).
        #[arg(long, value_name = "N", default_value_t = explore::DEFAULT_PORT)]
        port: u16,
        /// Limits of the check run in the background.
        #[command(flatten)]
        limits: Limits,
    },
    /// Check every .gr/.go file below the given folders and compare each
    /// report with its snapshot NAME.gr.expected beside it. A file may fix its
    /// own options in a header line: `// grace: --memory tso`.
    Test {
        /// Folders (searched recursively) or files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write or update the snapshots instead of comparing.
        #[arg(long)]
        bless: bool,
        /// Memory model, unless a file's header says otherwise.
        #[arg(long, value_enum, default_value = "go")]
        memory: MemoryArg,
        /// Put state and transition counts in the snapshots.
        #[arg(long)]
        pin_states: bool,
        /// What to print for each file.
        #[arg(long, value_enum, default_value = "text")]
        format: TestFormat,
        #[command(flatten)]
        limits: Limits,
    },
}

/// Run the command line; returns the exit status.
pub fn main() -> i32 {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("grace: internal error: {info}");
        eprintln!("grace: this is a bug in grace; please report it with the input file");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    // Each check runs on a thread with a large stack (api::STACK_BYTES),
    // so deep programs cannot overflow it; a panic there (a bug, reported
    // by the hook above) reaches this thread and ends the process (101).
    run(cli.command)
}

fn run(cmd: Command) -> i32 {
    // Ctrl-C and SIGTERM stop the search; the partial report is printed
    // (after at most a grace period spent finishing runs and witnesses).
    // A second one ends the process at once, without a report.
    let cancel = Cancel::default();
    let token = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if token.is_interrupted() {
            eprintln!("\ngrace: interrupted again: stopped at once, without a report");
            std::process::exit(EXIT_INTERRUPTED_TWICE);
        }
        token.interrupt()
    });
    let mut stdout = ReportOut::new(std::io::stdout().lock());
    let status = match cmd {
        Command::Replay {
            file,
            outcome,
            race,
            memory,
            limits,
        } => {
            let opts = limits
                .options(memory, false, &cancel)
                .replay(match (outcome, race) {
                    (Some(n), _) => crate::analysis::ReplayTarget::Outcome(n),
                    (_, Some(n)) => crate::analysis::ReplayTarget::Race(n),
                    _ => unreachable!("clap requires one"),
                });
            let name = if is_stdin(&file) {
                STDIN_NAME.to_string()
            } else {
                file.display().to_string()
            };
            match check_input(&file, &opts) {
                Err(e) => {
                    eprint!("{}", error_text(&e));
                    EXIT_BAD_INPUT
                }
                Ok(r) => match r.replay() {
                    Some(Ok(text)) => {
                        let _ = stdout.write_all(text.as_bytes());
                        if r.complete() { EXIT_CLEAN } else { EXIT_LIMIT }
                    }
                    // an incomplete search may not have reached the witness
                    // asked for: that is the limit's doing, not bad input
                    Some(Err(e)) if !r.complete() => {
                        eprintln!(
                            "grace: {name}: {e}; the search was incomplete ({})",
                            r.result().limit.as_deref().unwrap_or("stopped")
                        );
                        EXIT_LIMIT
                    }
                    Some(Err(e)) => {
                        eprintln!("grace: error: {name}: {e}");
                        EXIT_BAD_INPUT
                    }
                    None => EXIT_BAD_INPUT,
                },
            }
        }
        Command::Check {
            files,
            memory,
            format,
            dot,
            html,
            witness,
            limits,
        } => {
            let pictures = Pictures { dot, html };
            let graph = pictures.dot.is_some() || pictures.html.is_some();
            let opts = limits.options(memory, graph, &cancel);
            check_files(&files, format, &pictures, witness, &opts, &mut stdout)
        }
        Command::Explore {
            file,
            memory,
            port,
            limits,
        } => {
            let opts = Options {
                progress: None,
                ..limits.options(memory, false, &Cancel::default())
            };
            explore::run(&file, port, opts, &cancel, &mut stdout)
        }
        Command::Test {
            paths,
            bless,
            memory,
            pin_states,
            format,
            limits,
        } => {
            let opts = crate::cli::golden::TestOptions {
                bless,
                check: limits.options(memory, false, &cancel),
                pin_states,
                summary: format == TestFormat::Summary,
            };
            crate::cli::golden::run(&paths, &opts, &mut stdout)
        }
    };
    stdout.finish(status)
}

/// Where `grace check` draws the state graph, if asked.
struct Pictures {
    dot: Option<PathBuf>,
    html: Option<PathBuf>,
}

impl Pictures {
    /// Refuse, before anything is checked or written, to write a picture
    /// over one of the inputs (or both pictures into one file).
    fn refuse_overwrites(&self, inputs: &[PathBuf]) -> Result<(), String> {
        let outs = [("--dot", &self.dot), ("--html", &self.html)];
        for (opt, out) in outs {
            let Some(out) = out else { continue };
            if let Some(input) = inputs.iter().find(|i| same_file(out, i)) {
                return Err(format!(
                    "{opt} {} would overwrite an input file ({}): give another file name",
                    out.display(),
                    input.display()
                ));
            }
        }
        if let (Some(d), Some(h)) = (&self.dot, &self.html)
            && same_file(d, h)
        {
            return Err(format!(
                "--dot and --html name the same file ({}): give two file names",
                d.display()
            ));
        }
        Ok(())
    }

    /// Write the pictures asked for. One that cannot be written is
    /// reported, but the verdict keeps its exit status (docs/CLI.md).
    fn write(&self, report: &Report) {
        if let (Some(path), Some(dot)) = (&self.dot, report.to_dot())
            && let Err(e) = write_atomic(path, dot.as_bytes())
        {
            eprintln!("grace: error: cannot write {}: {e}", path.display());
        }
        if let Some(path) = &self.html
            && let Err(e) = write_atomic(path, report.to_html().as_bytes())
        {
            eprintln!("grace: error: cannot write {}: {e}", path.display());
        }
    }
}

/// Do two paths name the same file? The same inode when both exist (a hard
/// link, a symbolic link or `dir/../x` is still the same file), else the
/// same absolute path.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
        (Err(_), Err(_)) => match (std::path::absolute(a), std::path::absolute(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
        _ => false,
    }
}

/// `grace check`: check each file, write the pictures, print the reports
/// (as each check ends, but JSON: one document at the end), and with
/// several files a closing line that counts them by status.
fn check_files(
    files: &[PathBuf],
    format: Format,
    pictures: &Pictures,
    witness: WitnessMode,
    opts: &Options,
    stdout: &mut dyn Write,
) -> i32 {
    if (pictures.dot.is_some() || pictures.html.is_some()) && files.len() > 1 {
        eprintln!("grace: error: --dot and --html take exactly one input file");
        return EXIT_BAD_INPUT;
    }
    if files.iter().filter(|f| is_stdin(f)).count() > 1 {
        eprintln!("grace: error: `-` (standard input) can be given only once");
        return EXIT_BAD_INPUT;
    }
    if let Err(e) = pictures.refuse_overwrites(files) {
        eprintln!("grace: error: {e}");
        return EXIT_BAD_INPUT;
    }
    let mut statuses = Vec::new();
    let mut jsons = Vec::new();
    for f in files {
        let report = match check_input(f, opts) {
            Ok(r) => r,
            Err(e) => {
                eprint!("{}", error_text(&e));
                statuses.push(FileStatus::Error);
                match format {
                    Format::Json => jsons.push(e.to_json_value()),
                    Format::Summary => {
                        let first = e.message().lines().next().unwrap_or_default();
                        let _ = writeln!(stdout, "{first}");
                    }
                    Format::Text => {}
                }
                continue;
            }
        };
        pictures.write(&report);
        match format {
            Format::Text => {
                use std::io::IsTerminal;
                let color =
                    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
                // a blank line between the reports of several files
                if statuses.iter().any(|s| *s != FileStatus::Error) {
                    let _ = writeln!(stdout);
                }
                let _ = write!(
                    stdout,
                    "{}",
                    report.to_text_sized(witness, color, text_width())
                );
            }
            Format::Summary => {
                let _ = write!(stdout, "{}", report.to_summary());
            }
            Format::Json => jsons.push(report.to_json_value()),
        }
        statuses.push(FileStatus::of(report.result()));
        let _ = stdout.flush();
    }
    match format {
        Format::Json => {
            let doc = crate::report::json::document(jsons);
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            let _ = writeln!(stdout, "{text}");
        }
        Format::Text if files.len() > 1 => {
            // after a blank line, as between reports, if there was one
            if statuses.iter().any(|s| *s != FileStatus::Error) {
                let _ = writeln!(stdout);
            }
            let _ = writeln!(stdout, "{}", closing_line(&statuses));
        }
        Format::Summary if files.len() > 1 => {
            let _ = writeln!(stdout, "{}", closing_line(&statuses));
        }
        _ => {}
    }
    let has = |s: FileStatus| statuses.contains(&s);
    exit::status(
        has(FileStatus::Error),
        has(FileStatus::Incomplete),
        has(FileStatus::Findings),
    )
}

/// `N files: A clean, B with findings, C errors, D stopped by a limit`.
fn closing_line(statuses: &[FileStatus]) -> String {
    let n = |s: FileStatus| statuses.iter().filter(|x| **x == s).count();
    let errors = n(FileStatus::Error);
    format!(
        "{} files: {} clean, {} with findings, {errors} error{}, {} stopped by a limit",
        statuses.len(),
        n(FileStatus::Clean),
        n(FileStatus::Findings),
        if errors == 1 { "" } else { "s" },
        n(FileStatus::Incomplete),
    )
}

/// The columns the text report's witnesses fit in: `COLUMNS` when set to a
/// number, else the terminal's width, else (piped) a wide fixed width, so
/// that piped output does not depend on where it was made.
fn text_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    match terminal_size::terminal_size_of(std::io::stdout()) {
        Some((terminal_size::Width(w), _)) if w > 0 => usize::from(w),
        _ => crate::report::text::PIPED_WIDTH,
    }
}

/// A compile error as printed on stderr: in colour on a terminal.
pub(crate) fn error_text(e: &CompileError) -> String {
    if crate::front::diag::use_color() {
        e.render_color()
    } else {
        e.to_string()
    }
}

/// Standard output for a report. A failed write does not stop the command
/// (a `grace test --bless` still blesses, and the exit status still says
/// what was found); it is remembered, later writes are dropped, and
/// [`ReportOut::finish`] turns it into the exit status: a closed pipe
/// (`grace … | head -1`) is the reader's choice and ends quietly with the
/// verdict's status, any other failure (a full disk) is an error, exit 2.
pub(crate) struct ReportOut<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> ReportOut<W> {
    pub(crate) fn new(inner: W) -> Self {
        ReportOut { inner, error: None }
    }

    /// Flush, and give the exit status: `status`, or 2 after a write
    /// failure other than a closed pipe (said on stderr).
    pub(crate) fn finish(mut self, status: i32) -> i32 {
        let _ = self.flush();
        match self.error {
            None => status,
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status,
            Some(e) => {
                eprintln!("grace: error: cannot write the report to standard output: {e}");
                EXIT_BAD_INPUT
            }
        }
    }
}

impl<W: Write> Write for ReportOut<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_none()
            && let Err(e) = self.inner.write_all(buf)
        {
            self.error = Some(e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.inner.flush()
        {
            self.error = Some(e);
        }
        Ok(())
    }
}

/// Write a file for the user (a snapshot, a `--dot` graph, an `--html`
/// page) so that it is either the old file or the whole new one, whatever
/// happens on the way (a full disk, a crash, Ctrl-C): the bytes go to a
/// temporary file in the same folder, which is synced and then renamed over
/// `path` (and the folder synced, where the system allows). A `path` that
/// is a symbolic link, a device or a FIFO is written into instead, in
/// place: renaming over it would replace the link itself (`/dev/stdout`
/// is one) rather than write where it points.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let old = std::fs::symlink_metadata(path).ok();
    if let Some(m) = &old {
        let target = std::fs::metadata(path).ok();
        if target.as_ref().is_some_and(|t| t.is_dir()) {
            return Err(Error::new(ErrorKind::IsADirectory, "it is a folder"));
        }
        if !m.is_file() {
            // a regular file behind a link is truncated; a device or FIFO
            // cannot be, and a dangling link's target is created
            let regular = target.as_ref().is_none_or(|t| t.is_file());
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(regular)
                .truncate(regular)
                .open(path)?;
            fill(&mut f)?;
            return f.flush();
        }
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (tmp, mut file) = loop {
        let mut t = std::ffi::OsString::from(".");
        t.push(name);
        t.push(format!(
            ".{}.{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let t = dir.join(t);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&t)
        {
            Ok(f) => break (t, f),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    };
    let written = (|| {
        fill(&mut file)?;
        if let Some(m) = &old {
            // a snapshot made read-only or shared stays so
            file.set_permissions(m.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // the rename itself is durable once the folder is synced; not every
    // system lets a folder be opened for that, and the file is whole anyway
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("grace-cli-unit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_failed_atomic_write_leaves_the_old_file_whole() {
        let d = scratch("atomic");
        let p = d.join("a.gr.expected");
        std::fs::write(&p, "old\n").unwrap();
        // the disk fills up halfway through the new contents
        let r = write_atomic_with(&p, |f| {
            f.write_all(b"new, cut")?;
            Err(std::io::Error::other("no space left on device"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old\n");
        let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
        write_atomic(&p, b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\n");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        // into a folder that does not exist: an error, nothing written
        assert!(write_atomic(&d.join("no/such.dot"), b"x").is_err());
        assert!(write_atomic(&d, b"x").is_err(), "a folder is not replaced");
        // a link is written through, never replaced
        #[cfg(unix)]
        {
            let link = d.join("link.dot");
            std::os::unix::fs::symlink(&p, &link).unwrap();
            write_atomic(&link, b"through\n").unwrap();
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "through\n");
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn timeouts_are_finite_seconds_within_bounds() {
        for ok in ["0", "0.25", "12", "1e9", " 3 "] {
            assert!(parse_timeout(ok).is_ok(), "{ok}");
        }
        for bad in [
            "nan", "inf", "-inf", "-1", "-0.5", "1e10", "1e300", "", "soon",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
