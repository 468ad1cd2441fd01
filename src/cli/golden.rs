//! `grace test`: snapshot testing of a folder of programs, for users who
//! keep examples honest without writing Rust. Each `NAME.gr` is checked
//! (through the library's API, [`crate::api::check_bytes`]) and its
//! findings compared with `NAME.gr.expected` beside it: a stable,
//! line-per-finding text ([`crate::report::snapshot`]), so a change reads
//! as added and removed findings.

use crate::api::Options;
use crate::cli::MemoryArg;
use clap::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options of a `grace test` run.
#[derive(Clone, Debug)]
pub struct TestOptions {
    /// Write or update the snapshots instead of comparing.
    pub bless: bool,
    /// The check's options (the model among them), unless a file's header
    /// changes them.
    pub check: Options,
    /// Put state and transition counts in the snapshots.
    pub pin_states: bool,
    /// Below each file's line, its findings as `grace check --format
    /// summary` prints them (`grace test --format summary`).
    pub summary: bool,
}

/// The options a file may fix for itself: `// grace: --memory tso`.
#[derive(Parser, Debug)]
#[command(name = "// grace:", no_binary_name = true)]
struct HeaderArgs {
    #[arg(long, value_enum)]
    memory: Option<MemoryArg>,
    #[arg(long)]
    max_states: Option<usize>,
    #[arg(long)]
    no_reduction: bool,
    #[arg(long)]
    pin_states: bool,
}

/// Every `.gr` and `.go` file given or below a given folder, sorted, and
/// the paths that could not be walked, each with why. Symbolic links to
/// folders below a given folder are not followed (as `find` does not): a
/// link to `..` would make the walk endless. Links to files are listed; a
/// file that is not a regular one (a FIFO) is listed too, and refused when
/// it is read.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    fn is_program(p: &Path) -> bool {
        p.extension().is_some_and(|x| x == "gr" || x == "go")
    }
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd.collect::<Result<Vec<_>, _>>(),
            Err(e) => Err(e),
        };
        let mut entries = match entries {
            Ok(es) => es,
            Err(e) => {
                errors.push((dir.to_path_buf(), format!("cannot read the folder: {e}")));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&p, out, errors),
                Ok(t) if t.is_symlink() && p.is_dir() => {}
                Ok(_) if is_program(&p) => out.push(p),
                Ok(_) => {}
                Err(e) => errors.push((p, format!("cannot read: {e}"))),
            }
        }
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for p in paths {
        if p.as_os_str() == "-" {
            errors.push((
                p.clone(),
                "standard input has no snapshot beside it: give `grace test` files or folders (`grace check -` reads standard input)".into(),
            ));
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, &mut errors),
            Ok(_) => out.push(p.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push((p.clone(), "no such file or folder".into()))
            }
            Err(e) => errors.push((p.clone(), format!("cannot read: {e}"))),
        }
    }
    out.sort();
    out.dedup();
    (out, errors)
}

/// The snapshot file of a program: `NAME.gr.expected` beside it.
pub fn expected_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".expected");
    PathBuf::from(s)
}

/// Apply the `// grace: …` header lines of a source text to `opts`.
fn header_options(text: &str, opts: &TestOptions) -> Result<TestOptions, String> {
    let mut o = opts.clone();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("// grace:") else {
            continue;
        };
        // `// grace:daemon` marks a `go` statement (front::daemons)
        if rest.starts_with("daemon") {
            continue;
        }
        let h = HeaderArgs::try_parse_from(rest.split_whitespace()).map_err(|e| {
            format!(
                "bad `// grace:` header: {}",
                e.to_string().lines().next().unwrap_or("")
            )
        })?;
        if let Some(m) = h.memory {
            o.check.memory = m.0;
        }
        if h.max_states.is_some() {
            o.check.max_states = h.max_states;
        }
        o.check.reductions &= !h.no_reduction;
        o.pin_states |= h.pin_states;
    }
    Ok(o)
}

/// A readable difference of two snapshots: findings added and removed,
/// outcome classes and expect verdicts that changed.
pub fn diff(old: &str, new: &str) -> Vec<String> {
    // key -> value, for lines whose verdict part can flip
    fn split(line: &str) -> (String, String) {
        if let Some(rest) = line.strip_prefix("outcome ") {
            let mut parts = rest.splitn(3, ' ');
            let kind = parts.next().unwrap_or("");
            let class = parts.next().unwrap_or("");
            let vals = parts.next().unwrap_or("");
            return (format!("outcome {kind} {vals}"), class.to_string());
        }
        if line.starts_with("expect ")
            && let Some((k, v)) = line.rsplit_once(": ")
        {
            return (k.to_string(), v.to_string());
        }
        if let Some(rest) = line.strip_prefix("memory ") {
            return ("memory".into(), rest.to_string());
        }
        if let Some(rest) = line.strip_prefix("states ") {
            return ("states".into(), rest.to_string());
        }
        (line.to_string(), String::new())
    }
    let parse = |t: &str| -> BTreeMap<String, String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(split)
            .collect()
    };
    let (a, b) = (parse(old), parse(new));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for k in keys {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => out.push(format!("changed  {k}: {x} -> {y}")),
            (Some(x), None) => out.push(format!("removed  {}", join(k, x))),
            (None, Some(y)) => out.push(format!("added    {}", join(k, y))),
            (None, None) => {}
        }
    }
    out
}

fn join(k: &str, v: &str) -> String {
    if v.is_empty() {
        k.to_string()
    } else {
        format!("{k} ({v})")
    }
}

/// Why a snapshot is not one `grace test` wrote: a file cut short (by
/// a full disk or a crash under an older grace, which wrote in place), a
/// line that is not a finding, or the record of an incomplete check (which
/// is never blessed now). A cut that falls exactly at a line's end cannot
/// be seen; [`crate::cli::write_atomic`] keeps grace from making one.
pub fn validate(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if !text.ends_with('\n') {
        return Err("its last line is cut short".into());
    }
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let mut memory = false;
    for (i, line) in text.lines().enumerate() {
        let bad = |why: &str| Err(format!("line {}: {why}", i + 1));
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let ok = match head {
            _ if line.starts_with('#') => true,
            "memory" if !memory => {
                memory = true;
                word(rest)
            }
            "memory" => return bad("a second `memory` line"),
            _ if !memory => return bad("expected the `memory` line first"),
            "incomplete" => {
                return bad("it records an incomplete check, which is never a snapshot");
            }
            "states" => {
                let f: Vec<&str> = rest.split(' ').collect();
                f.len() == 3
                    && f[1] == "transitions"
                    && f[0].parse::<u64>().is_ok()
                    && f[2].parse::<u64>().is_ok()
            }
            "outcome" => {
                let mut f = rest.splitn(3, ' ');
                word(f.next().unwrap_or("")) && word(f.next().unwrap_or(""))
            }
            "race" => rest.split(' ').count() == 5,
            "leak" | "never-ending" => !rest.is_empty(),
            // the verdict is whatever follows the last ": "
            "expect" => rest
                .rsplit_once(": ")
                .is_some_and(|(_, v)| !v.trim().is_empty()),
            _ => false,
        };
        if !ok {
            return bad("not a line of a snapshot");
        }
    }
    if !memory {
        return Err("it has no `memory` line".into());
    }
    Ok(())
}

/// What is there to compare with: the snapshot, or why not.
enum Expected {
    Missing,
    Corrupt(String),
    Unreadable(String),
    Text(String),
}

fn read_expected(exp: &Path) -> Expected {
    match std::fs::read(exp) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Expected::Missing,
        Err(e) => Expected::Unreadable(format!("cannot read {}: {e}", exp.display())),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(_) => Expected::Corrupt("it is not UTF-8 text".into()),
            Ok(t) => match validate(&t) {
                Ok(()) => Expected::Text(t),
                Err(why) => Expected::Corrupt(why),
            },
        },
    }
}

/// What became of one tested file.
enum Tally {
    Passed,
    Failed,
    Incomplete,
    Error,
}

/// Compare a checked file's findings with its snapshot (or bless them),
/// printing the file's line and what changed.
fn compare(f: &Path, name: &str, r: &crate::Report, o: &TestOptions, out: &mut dyn Write) -> Tally {
    if !r.complete() {
        // Not the whole truth: never compared, never blessed.
        let limit = r
            .result()
            .limit
            .as_deref()
            .unwrap_or("the search was stopped");
        let _ = writeln!(out, "incomplete {name}\n         {limit}");
        return Tally::Incomplete;
    }
    let new = r.to_snapshot(o.pin_states);
    let exp = expected_path(f);
    let old = read_expected(&exp);
    if let Expected::Unreadable(e) = &old {
        let _ = writeln!(out, "error    {name}: {e}");
        return Tally::Error;
    }
    if matches!(&old, Expected::Text(t) if *t == new) {
        let _ = writeln!(out, "ok       {name}");
        return Tally::Passed;
    }
    if o.bless {
        if crate::cli::same_file(&exp, f) {
            let _ = writeln!(
                out,
                "error    {name}: {} is the program itself: not written",
                exp.display()
            );
            return Tally::Error;
        }
        if let Err(e) = crate::cli::write_atomic(&exp, new.as_bytes()) {
            let _ = writeln!(out, "error    {name}: cannot write {}: {e}", exp.display());
            return Tally::Error;
        }
        let _ = writeln!(out, "blessed  {name}");
        return Tally::Passed;
    }
    match old {
        Expected::Missing => {
            let _ = writeln!(out, "new      {name}");
        }
        Expected::Corrupt(why) => {
            let _ = writeln!(
                out,
                "corrupt  {name}: {} does not parse: {why}; `grace test --bless` rewrites it",
                exp.display()
            );
        }
        Expected::Text(t) => {
            let _ = writeln!(out, "changed  {name}");
            for d in diff(&t, &new) {
                let _ = writeln!(out, "         {d}");
            }
        }
        Expected::Unreadable(_) => {}
    }
    Tally::Failed
}

/// Run `grace test`: returns the exit status: 2 when a file or folder could
/// not be read or checked (or nothing was found), else 3 when a check was
/// incomplete (a limit or a signal stopped it: it is neither compared nor
/// blessed), else 1 when a snapshot is `new`, `changed` or `corrupt`, else
/// 0 (everything matched or was blessed).
pub fn run(paths: &[PathBuf], opts: &TestOptions, out: &mut dyn Write) -> i32 {
    use crate::cli::exit::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FOUND, EXIT_LIMIT};
    let interrupted = || {
        opts.check
            .cancel
            .as_ref()
            .is_some_and(|c| c.is_interrupted())
    };
    let (files, walk_errors) = discover(paths);
    let (mut passed, mut failed, mut incomplete, mut errors) = (0, 0, 0, 0);
    for (p, e) in &walk_errors {
        let _ = writeln!(out, "error    {}\n         {e}", p.display());
        errors += 1;
    }
    if files.is_empty() && walk_errors.is_empty() {
        let _ = writeln!(out, "grace: error: no .gr or .go files found");
        return EXIT_BAD_INPUT;
    }
    for (i, f) in files.iter().enumerate() {
        if interrupted() {
            let _ = writeln!(out, "interrupted: {} more not tested", files.len() - i);
            break;
        }
        let name = f.display().to_string();
        let checked = crate::api::read_input(&name, f).and_then(|bytes| {
            let o = header_options(&String::from_utf8_lossy(&bytes), opts)
                .map_err(|e| format!("{e}\n"))?;
            crate::api::check_bytes(&name, &bytes, &o.check)
                .map(|r| (r, o))
                .map_err(|e| crate::cli::error_text(&e))
        });
        let (r, o) = match checked {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(out, "error    {name}");
                for l in e.lines() {
                    let _ = writeln!(out, "         {l}");
                }
                errors += 1;
                continue;
            }
        };
        // the findings, below the file's line and what follows it
        let findings = opts.summary.then(|| r.to_summary());
        match compare(f, &name, &r, &o, out) {
            Tally::Passed => passed += 1,
            Tally::Failed => failed += 1,
            Tally::Incomplete => incomplete += 1,
            Tally::Error => errors += 1,
        }
        for l in findings.iter().flat_map(|t| t.lines()) {
            let _ = writeln!(out, "         {l}");
        }
    }
    let mut summary = format!("{passed} passed, {failed} failed");
    if incomplete > 0 {
        summary.push_str(&format!(", {incomplete} incomplete"));
    }
    if errors > 0 {
        summary.push_str(&format!(
            ", {errors} error{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    let _ = writeln!(out, "{summary}");
    if errors > 0 || files.is_empty() {
        EXIT_BAD_INPUT
    } else if incomplete > 0 || interrupted() {
        EXIT_LIMIT
    } else if failed > 0 {
        EXIT_FOUND
    } else {
        EXIT_CLEAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_outcomes_and_flipped_verdicts() {
        let old = "memory go\noutcome ok serial x=1\noutcome ok preemptive x=2\nexpect never x == 2: FAILS\n";
        let new =
            "memory go\noutcome ok serial x=1\noutcome ok serial x=3\nexpect never x == 2: holds\n";
        let d = diff(old, new);
        assert_eq!(
            d,
            [
                "changed  expect never x == 2: FAILS -> holds",
                "removed  outcome ok x=2 (preemptive)",
                "added    outcome ok x=3 (serial)",
            ]
        );
    }

    #[test]
    fn snapshots_that_do_not_parse_are_told_apart() {
        let good = "# grace test snapshot\nmemory go\nstates 3 transitions 2\noutcome ok serial x=1 output=\"a: b\\n\"\nrace x write 3:2 read 4:9\nexpect forall x == 1: holds\n";
        assert_eq!(validate(good), Ok(()));
        for (bad, why) in [
            (&good[..good.len() - 3], "cut short"),
            ("", "empty"),
            ("outcome ok serial x=1\nmemory go\n", "`memory` line first"),
            ("memory go\nmemory sc\n", "second `memory`"),
            ("memory go\nincomplete interrupted\n", "incomplete check"),
            ("memory go\nstates 3\n", "line 2"),
            ("memory go\noutcome ok\n", "line 2"),
            ("memory go\nexpect never x\n", "line 2"),
            ("# only a comment\n", "no `memory` line"),
        ] {
            let e = validate(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn header_lines_fix_options() {
        let base = TestOptions {
            bless: false,
            check: Options::default(),
            pin_states: false,
            summary: false,
        };
        let o = header_options("// grace: --memory tso --pin-states\nvar x int", &base).unwrap();
        assert_eq!(o.check.memory, crate::memory::Memory::Tso);
        assert!(o.pin_states);
        assert!(header_options("// grace: --frob", &base).is_err());
        let daemon = "func main() {\n\t// grace:daemon\n\tgo f()\n}";
        assert!(header_options(daemon, &base).is_ok());
    }
}
