//! grace: a deterministic model checker for tiny concurrent Go programs.
//!
//! The pipeline, one module per stage: [`parse`] (source → syntax tree
//! with spans), [`check`] and [`lower`] (names, types → a compact step
//! program, [`program`]), [`explore`] (states, memory models in [`memory`],
//! the state graph, the findings) and [`report`] (text, JSON, DOT).

pub mod ast;
pub mod check;
pub mod cli;
pub mod diag;
pub mod explore;
pub mod golden;
pub mod lower;
pub mod memory;
pub mod parse;
pub mod program;
pub mod report;

pub use diag::{Diagnostic, Source};
pub use explore::{CheckOptions, CheckResult, check};
pub use program::Program;

/// Parse, check and lower a source file. The error is rendered
/// (`file:line:col`, the line, a caret, the message).
pub fn compile(src: &Source) -> Result<Program, String> {
    compile_diag(src).map_err(|d| src.render(&d))
}

/// Parse, check and lower a source file; the error as a value.
pub fn compile_diag(src: &Source) -> Result<Program, Diagnostic> {
    let file = parse::parse(&src.text).map_err(|mut d| {
        if d.message.starts_with("syntax error")
            && let Some(f) = parse::unsupported_go_feature(&src.text, d.span.start)
        {
            return f;
        }
        parse::describe_found(&src.text, &mut d);
        d
    })?;
    lower::lower(&file, src)
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
                ast::Span::new(good, good + 1),
                "the file is not valid UTF-8: expected UTF-8 text",
            )))
        }
    }
}
