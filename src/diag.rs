//! Errors in a `.gr` file, rendered like a compiler's: `file:line:col`, the
//! source line, and a caret under the place.

use crate::ast::Span;
use std::fmt::Write as _;

/// An error found in a source file, before anything was explored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    /// A related place, shown after the caret (`note: previously declared here`).
    pub note: Option<(Span, String)>,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            note: None,
        }
    }

    /// Attach a related place.
    pub fn with_note(mut self, span: Span, message: impl Into<String>) -> Self {
        self.note = Some((span, message.into()));
        self
    }
}

/// A result whose error is a [`Diagnostic`].
pub type DResult<T> = Result<T, Diagnostic>;

/// Source text with its name and an index of line starts.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        Source {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..floor_char(&self.text, offset)]
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    /// The source text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let s = floor_char(&self.text, span.start.min(self.text.len()));
        let e = floor_char(&self.text, span.end.min(self.text.len()));
        &self.text[s..e.max(s)]
    }

    /// Render a diagnostic: `file:line:col: error: message`, the line, a caret.
    pub fn render(&self, d: &Diagnostic) -> String {
        let (line, col) = self.line_col(d.span.start);
        let mut out = String::new();
        let _ = writeln!(out, "{}:{}:{}: error: {}", self.name, line, col, d.message);
        let text = self.line_text(line);
        // Tabs are shown as single spaces so the caret lines up.
        let shown: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let gutter = line.to_string().len();
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{line} | {shown}");
        let width = {
            let (eline, ecol) = self.line_col(d.span.end);
            if eline == line && ecol > col {
                ecol - col
            } else {
                1
            }
        };
        let _ = writeln!(
            out,
            "{:gutter$} | {}{}",
            "",
            " ".repeat(col - 1),
            "^".repeat(width)
        );
        if let Some((span, msg)) = &d.note {
            let (l, c) = self.line_col(span.start);
            let _ = writeln!(out, "{:gutter$} = note: {msg}: {}:{l}:{c}", "", self.name);
        }
        out
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error that is not tied to a place in a file (unreadable file).
pub fn plain_error(name: &str, message: &str) -> String {
    format!("{name}: error: {message}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = Source::new("f.gr", "ab\ncd\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(4), (2, 2));
        assert_eq!(s.line_col(6), (3, 1));
    }

    #[test]
    fn render_puts_caret_under_span() {
        let s = Source::new("f.gr", "var x = y\n");
        let r = s.render(&Diagnostic::new(Span::new(8, 9), "undefined: y"));
        assert_eq!(
            r,
            "f.gr:1:9: error: undefined: y\n  |\n1 | var x = y\n  |         ^\n"
        );
    }
}
