//! The one integration test binary (it links once): snapshots of every
//! program in `programs/` and of every malformed input in `tests/errors/`,
//! the command line's contract, and generated-program properties.

mod bench;
mod cli;
mod golden;
mod hostile;
mod litmus;
mod oracle;
mod properties;
mod snapshots;
mod verdicts;
mod witnesses;

use grace::analysis::CheckOptions;
use grace::cli::MemoryArg;
use std::path::Path;

/// Text report of a file, as `grace check --memory M FILE` prints it.
pub fn text_report(path: &Path, memory: MemoryArg, opts: CheckOptions) -> Result<String, String> {
    let name = display_name(path);
    let (r, src) = grace::cli::check_source_file(&name, path, memory, opts)?;
    Ok(grace::report::text::render_with_source(
        &name,
        &r,
        grace::report::WitnessMode::Race,
        Some((&src, false)),
    ))
}

/// JSON report with the one varying field (`stats.seconds`) zeroed.
pub fn json_report(path: &Path, memory: MemoryArg, opts: CheckOptions) -> Result<String, String> {
    let name = display_name(path);
    let r = grace::cli::check_file(&name, path, memory, opts)?;
    let mut v = grace::report::json::to_value(&name, &r);
    v["stats"]["seconds"] = serde_json::json!(0.0);
    Ok(serde_json::to_string_pretty(&v).unwrap())
}

/// The path relative to the crate root, with forward slashes.
pub fn display_name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What a check found, as `grace test` snapshots it, with goroutine
/// numbers (`worker#2`) blanked: symmetry reduction may show an equal twin.
pub fn findings(r: &grace::analysis::CheckResult) -> String {
    let s = grace::cli::golden::snapshot(r, false);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '#' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                chars.next();
            }
            out.push('N');
        }
    }
    out
}
