//! `// grace:daemon`: a comment that declares the goroutine a `go`
//! statement starts as meant to outlive `main` (a server such as GOPL's
//! bank teller), so that it is not reported as a leak when `main` returns
//! (LANGUAGE.md §4, *Goroutines*). A comment, so that a `.go` file keeps
//! building and passing `go vet`: at the end of the `go` statement's line,
//! or alone on the line above it.

use super::diag::{DResult, Diagnostic, Source};
use crate::front::ast::Span;
use crate::ir::{FuncId, Instr, Program};
use std::collections::BTreeMap;

/// The directive, after `//` and any spaces.
const DIRECTIVE: &str = "grace:daemon";

/// A `// grace:daemon` comment: where it starts, and the line of the `go`
/// statement it marks (its own, or the next when it stands alone).
struct Mark {
    at: usize,
    line: usize,
}

/// The `// grace:daemon` comments of a text, outside strings and block
/// comments.
fn marks(src: &Source) -> Vec<Mark> {
    let b = src.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'`' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && !(q == b'"' && b[i] == b'\n') {
                    i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = src.text[i + 2..]
                    .find("*/")
                    .map_or(b.len(), |j| i + 2 + j + 2);
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src.text[i..].find('\n').map_or(b.len(), |j| i + j);
                let body = src.text[i + 2..end].trim_start();
                let is_mark = body
                    .strip_prefix(DIRECTIVE)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
                if is_mark {
                    let (line, _) = src.line_col(i);
                    let alone = src.line_text(line).trim_start().starts_with("//");
                    out.push(Mark {
                        at: i,
                        line: if alone { line + 1 } else { line },
                    });
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Record in `prog.daemons` the functions of the goroutines that `go`
/// statements marked `// grace:daemon` start. A mark that marks no `go`
/// statement is an error, and so is a function started both by a marked
/// `go` and by one that is not: grace tells a daemon by the function it
/// runs.
pub fn mark_daemons(prog: &mut Program, src: &Source) -> DResult<()> {
    let marks = marks(src);
    if marks.is_empty() {
        return Ok(());
    }
    // every `go`: the function it starts, its line and column
    let mut gos: Vec<(FuncId, usize, usize)> = Vec::new();
    for f in &prog.funcs {
        for (ins, &(line, col)) in f.code.iter().zip(&f.locs) {
            if let Instr::Go { func, .. } = ins {
                gos.push((*func, line as usize, col as usize));
            }
        }
    }
    gos.sort_unstable_by_key(|&(f, l, c)| (l, c, f));
    gos.dedup();
    for m in &marks {
        if !gos.iter().any(|g| g.1 == m.line) {
            return Err(Diagnostic::new(
                Span::new(m.at, m.at + 2 + DIRECTIVE.len()),
                "`// grace:daemon` marks no `go` statement: put it at the end of the line of \
                 the `go` statement that starts the goroutine meant to outlive main, or alone \
                 on the line above it",
            ));
        }
    }
    // each started function: the line of a marked `go` of it, and the
    // line and column of one that is not
    type Starts = (Option<usize>, Option<(usize, usize)>);
    let mut starts: BTreeMap<FuncId, Starts> = BTreeMap::new();
    for &(f, line, col) in &gos {
        let e = starts.entry(f).or_default();
        if marks.iter().any(|m| m.line == line) {
            e.0.get_or_insert(line);
        } else {
            e.1.get_or_insert((line, col));
        }
    }
    for (&f, &(marked, plain)) in &starts {
        if let (Some(mline), Some((line, col))) = (marked, plain) {
            let at = src.offset(line as u32, col as u32);
            return Err(Diagnostic::new(
                Span::new(at, at + 2),
                format!(
                    "`{}` is started here and, marked `// grace:daemon`, on line {mline}: \
                     grace tells a daemon by the function it runs, so mark every `go` of it \
                     or none (or start the daemon through a function of its own)",
                    prog.funcs[f as usize].name
                ),
            ));
        }
        if marked.is_some() {
            prog.daemons.push(f);
        }
    }
    Ok(())
}
