//! grace: a deterministic model checker for tiny concurrent Go programs.
//!
//! The pipeline, one module per stage: [`parse`] (source → syntax tree
//! with spans), [`check`] and [`lower`] (names, types → a compact step
//! program, [`program`]), [`explore`] (states, memory models in [`memory`],
//! the state graph, the findings) and [`report`] (text, JSON, DOT).

pub mod analysis;
pub mod cli;
pub mod front;
pub mod ir;
pub mod memory;
pub mod reduce;
pub mod report;
pub mod search;
pub mod semantics;
pub mod state;

pub use analysis::{CheckOptions, CheckResult, check};
pub use front::diag::{Diagnostic, Source};
pub use ir::Program;

/// Parse, check and lower a source file. The error is rendered
/// (`file:line:col`, the line, a caret, the message).
pub fn compile(src: &Source) -> Result<Program, String> {
    compile_diag(src).map_err(|d| src.render(&d))
}

/// Parse, check and lower a source file; the error as a value.
pub fn compile_diag(src: &Source) -> Result<Program, Diagnostic> {
    let file = front::parse::parse(&src.text).map_err(|mut d| {
        if d.message.starts_with("syntax error")
            && let Some(f) = front::parse::unsupported_go_feature(&src.text, d.span.start)
        {
            return f;
        }
        front::parse::describe_found(&src.text, &mut d);
        d
    })?;
    front::lower::lower(&file, src)
}

/// Turn the bytes of a file into a [`Source`], or a rendered error if they
/// are not UTF-8.
pub fn source_from_bytes(name: &str, bytes: &[u8]) -> Result<Source, String> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(Source::new(name, t)),
        Err(e) => {
            let good = e.valid_up_to();
            let text = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let src = Source::new(name, text.clone() + "\u{fffd}");
            Err(src.render(&Diagnostic::new(
                front::ast::Span::new(good, good + 1),
                "the file is not valid UTF-8: expected UTF-8 text",
            )))
        }
    }
}
