//! The one integration test binary (it links once): snapshots of every
//! program in `programs/` and of every malformed input in `tests/errors/`,
//! the command line's contract, and generated-program properties.

mod api;
mod bench;
mod browser;
mod cli;
mod explore;
mod formats;
mod golden;
mod hostile;
mod litmus;
mod oracle;
mod properties;
mod real_go;
mod snapshots;
mod stopped;
mod verdicts;
mod witnesses;

use grace::{Options, Report};
use std::path::Path;

/// Check a file under the name the reports use ([`display_name`]).
pub fn check_as(name: &str, path: &Path, opts: &Options) -> Result<Report, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    grace::check_bytes(name, &bytes, opts).map_err(|e| e.to_string())
}

/// Check a file under its [`display_name`].
pub fn check_path(path: &Path, opts: &Options) -> Result<Report, String> {
    check_as(&display_name(path), path, opts)
}

/// Text report of a file, as `grace check --memory M FILE` prints it.
pub fn text_report(path: &Path, opts: &Options) -> Result<String, String> {
    Ok(check_path(path, opts)?.to_text())
}

/// JSON report with the one varying field (`stats.seconds`) zeroed.
pub fn json_report(path: &Path, opts: &Options) -> Result<String, String> {
    let mut v = check_path(path, opts)?.to_json_value();
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
pub fn findings(r: &Report) -> String {
    let s = r.to_snapshot(false);
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
