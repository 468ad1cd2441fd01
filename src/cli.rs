//! The command line (CLI.md): `grace check [OPTIONS] <FILE>...`.

use crate::explore::{CheckOptions, CheckResult};
use crate::memory::sc::Sc;
use crate::report::{WitnessMode, json, text};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Exit status: explored completely and found nothing.
pub const EXIT_CLEAN: i32 = 0;
/// Explored completely and found something.
pub const EXIT_FOUND: i32 = 1;
/// Bad input: nothing explored.
pub const EXIT_BAD_INPUT: i32 = 2;
/// A limit stopped the search.
pub const EXIT_LIMIT: i32 = 3;

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

/// The memory model for plain shared variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MemoryArg {
    /// Sequential consistency: a read returns the latest write.
    Sc,
    /// x86-TSO: per-goroutine FIFO store buffers, flushed at any time.
    Tso,
    /// The Go memory model: a read may return any write the reader is not
    /// yet ordered after by happens-before (stale reads).
    Go,
}

/// Report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
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
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Explore without any state-space reduction (the reference search).
    #[arg(long)]
    no_reduction: bool,
    /// Also report where the time and memory went (search and analysis
    /// seconds, states/s, bytes per state, peak memory, reductions).
    #[arg(long)]
    stats: bool,
}

impl Limits {
    fn options(self, dot: bool) -> CheckOptions {
        CheckOptions {
            max_states: self.max_states,
            max_depth: self.max_depth,
            timeout: self.timeout,
            max_memory_mib: self.max_memory,
            no_reduction: self.no_reduction,
            stats: self.stats,
            dot,
            replay: None,
            cancel: None,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Explore every run of each program and report its outcomes, data
    /// races, deadlocks, panics, leaks, never-ending runs and expects.
    Check {
        /// The .gr files to check.
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
        /// The program.
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
    // Run on a thread with a large stack, so deep programs cannot overflow it.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || run(cli.command));
    match handle {
        Ok(h) => h.join().unwrap_or(101),
        Err(e) => {
            eprintln!("grace: cannot start: {e}");
            101
        }
    }
}

fn run(cmd: Command) -> i32 {
    // Ctrl-C and SIGTERM stop the search; the partial report is printed.
    let _ = ctrlc::set_handler(|| {
        crate::explore::search::INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let (files, memory, format, dot, html, witness, limits) = match cmd {
        Command::Replay {
            file,
            outcome,
            race,
            memory,
            limits,
        } => {
            let mut opts = limits.options(false);
            opts.replay = Some(match (outcome, race) {
                (Some(n), _) => crate::explore::ReplayTarget::Outcome(n),
                (_, Some(n)) => crate::explore::ReplayTarget::Race(n),
                _ => unreachable!("clap requires one"),
            });
            let name = file.display().to_string();
            return match check_file(&name, &file, memory, opts) {
                Err(msg) => {
                    eprint!("{msg}");
                    EXIT_BAD_INPUT
                }
                Ok(r) => match r.replay {
                    Some(Ok(text)) => {
                        print!("{text}");
                        if r.complete { EXIT_CLEAN } else { EXIT_LIMIT }
                    }
                    Some(Err(e)) => {
                        eprintln!("grace: error: {name}: {e}");
                        EXIT_BAD_INPUT
                    }
                    None => EXIT_BAD_INPUT,
                },
            };
        }
        Command::Check {
            files,
            memory,
            format,
            dot,
            html,
            witness,
            limits,
        } => (files, memory, format, dot, html, witness, limits),
        Command::Test {
            paths,
            bless,
            memory,
            pin_states,
            limits,
        } => {
            let opts = crate::golden::TestOptions {
                bless,
                memory,
                check: limits.options(false),
                pin_states,
            };
            let mut stdout = std::io::stdout().lock();
            return crate::golden::run(&paths, &opts, &mut stdout);
        }
    };
    if (dot.is_some() || html.is_some()) && files.len() > 1 {
        eprintln!("grace: error: --dot and --html take exactly one input file");
        return EXIT_BAD_INPUT;
    }
    let opts = limits.options(dot.is_some() || html.is_some());
    let mut bad = false;
    let mut limited = false;
    let mut found = false;
    let mut texts = Vec::new();
    let mut jsons = Vec::new();
    for f in &files {
        let name = f.display().to_string();
        let (result, source) = match check_source_file(&name, f, memory, opts) {
            Ok(r) => r,
            Err(msg) => {
                eprint!("{msg}");
                bad = true;
                continue;
            }
        };
        limited |= !result.complete;
        found |= result.found_something();
        if let (Some(path), Some(p)) = (&dot, &result.picture)
            && let Err(e) = std::fs::write(path, crate::report::dot::to_dot(p))
        {
            eprintln!("grace: error: cannot write {}: {e}", path.display());
            bad = true;
        }
        if let Some(path) = &html {
            let page = crate::report::html::render(&name, &result, result.picture.as_ref());
            if let Err(e) = std::fs::write(path, page) {
                eprintln!("grace: error: cannot write {}: {e}", path.display());
                bad = true;
            }
        }
        match format {
            Format::Text => {
                use std::io::IsTerminal;
                let color =
                    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
                texts.push(text::render_with_source(
                    &name,
                    &result,
                    witness,
                    Some((&source, color)),
                ))
            }
            Format::Json => jsons.push(json::to_value(&name, &result)),
        }
    }
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Text => {
            let _ = write!(stdout, "{}", texts.join("\n"));
        }
        Format::Json => {
            let v = if files.len() == 1 && jsons.len() == 1 {
                jsons.pop().unwrap()
            } else {
                serde_json::Value::Array(jsons)
            };
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            );
        }
    }
    let _ = stdout.flush();
    if bad {
        EXIT_BAD_INPUT
    } else if limited {
        EXIT_LIMIT
    } else if found {
        EXIT_FOUND
    } else {
        EXIT_CLEAN
    }
}

/// Read, compile and check one file; errors come back rendered.
pub fn check_file(
    name: &str,
    path: &std::path::Path,
    memory: MemoryArg,
    opts: CheckOptions,
) -> Result<CheckResult, String> {
    check_source_file(name, path, memory, opts).map(|(r, _)| r)
}

/// [`check_file`], also returning the source (for excerpts in reports).
pub fn check_source_file(
    name: &str,
    path: &std::path::Path,
    memory: MemoryArg,
    opts: CheckOptions,
) -> Result<(CheckResult, crate::Source), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| crate::diag::plain_error(name, &format!("cannot read the file: {e}")))?;
    let src = crate::source_from_bytes(name, &bytes)?;
    let prog = crate::compile_diag(&src).map_err(|d| {
        if crate::diag::use_color() {
            src.render_color(&d)
        } else {
            src.render(&d)
        }
    })?;
    let r = match memory {
        MemoryArg::Sc => crate::explore::check(&prog, &Sc, opts),
        MemoryArg::Tso => crate::explore::check(&prog, &crate::memory::tso::Tso, opts),
        MemoryArg::Go => crate::explore::check(&prog, &crate::memory::go::Go, opts),
    };
    Ok((r, src))
}
