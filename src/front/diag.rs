//! Errors in a `.gr` file, rendered like a compiler's: `file:line:col`, the
//! source line, and a caret under the place.

use crate::front::ast::Span;
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
        // Tabs are shown as single spaces so the caret lines up; a very long
        // line is shown as a window around the column.
        let chars: Vec<char> = inert(text)
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let (shown, col) = if chars.len() > 160 {
            let from = col.saturating_sub(60).min(chars.len());
            let to = (from + 120).min(chars.len());
            let mut w: String = chars[from..to].iter().collect();
            if to < chars.len() {
                w.push('…');
            }
            if from > 0 {
                (format!("…{w}"), col - from + 1)
            } else {
                (w, col)
            }
        } else {
            (chars.into_iter().collect::<String>(), col)
        };
        let gutter = line.to_string().len();
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{line} | {shown}");
        let width = {
            let (eline, ecol) = self.line_col(d.span.end);
            let (_, start_col) = self.line_col(d.span.start);
            if eline == line && ecol > start_col {
                (ecol - start_col).min(120)
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

/// The source as it may be shown on a terminal: control characters (but
/// tab and newline) and bidirectional overrides, which could move the
/// cursor, colour the screen or reorder what is shown, are replaced by a
/// visible character of the same UTF-8 length, so byte offsets and columns
/// still line up.
fn inert(text: &str) -> String {
    text.chars()
        .map(|c| {
            let hostile = (c.is_control() && c != '\t' && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            match (hostile, c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '\u{bf}',
                (true, _) => '\u{fffd}',
            }
        })
        .collect()
}

/// Remove ANSI colour sequences (ariadne colours a report's kind even when
/// told not to).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Should diagnostics be coloured? Only when stderr is a terminal and
/// `NO_COLOR` is not set.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// A place in a source file with a message, for [`Source::excerpt`].
pub struct Mark {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Source {
    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, line: u32, col: u32) -> usize {
        let Some(&start) = self.line_starts.get((line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth((col as usize).saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The source lines around some places, each labelled (ariadne): the
    /// first mark is the primary one, the others related places.
    pub fn excerpt(&self, kind: &str, title: &str, marks: &[Mark], color: bool) -> String {
        use ariadne::{Config, Label, Report, ReportKind};
        let Some(first) = marks.first() else {
            return String::new();
        };
        let name = self.name.clone();
        let span = |m: &Mark| {
            let s = self.offset(m.line, m.col);
            let rest = &self.text[s..];
            let word = rest
                .find(|c: char| {
                    !(c.is_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']')
                })
                .unwrap_or(0);
            // at least the character marked, all its bytes: a span ending
            // inside a character (`«`, a replacement character) panics
            let word = if word == 0 {
                rest.chars().next().map_or(1, char::len_utf8)
            } else {
                word
            };
            (name.clone(), s..(s + word).min(self.text.len()).max(s))
        };
        let mut report = Report::build(ReportKind::Custom(kind, ariadne::Color::Red), span(first))
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(ariadne::IndexType::Byte),
            )
            .with_message(title);
        // Labels in the order of their places: ariadne starts a new section
        // whenever a label comes before the previous one in the text, and
        // heads every section with the first mark's place.
        let mut by_place: Vec<usize> = (0..marks.len()).collect();
        by_place.sort_by_key(|&i| (marks[i].line, marks[i].col, i));
        for (i, m) in marks.iter().enumerate() {
            let order = by_place.iter().position(|&k| k == i).unwrap_or(i);
            let mut l = Label::new(span(m))
                .with_message(&m.message)
                .with_order(order as i32);
            if color {
                l = l.with_color(if i == 0 {
                    ariadne::Color::Red
                } else {
                    ariadne::Color::Yellow
                });
            }
            report = report.with_label(l);
        }
        let mut out = Vec::new();
        let _ = report.finish().write(
            ariadne::sources(vec![(name.clone(), inert(&self.text))]),
            &mut out,
        );
        let text = String::from_utf8_lossy(&out).into_owned();
        if color { text } else { strip_ansi(&text) }
    }

    /// Render a diagnostic with colours and labels (for a terminal).
    pub fn render_color(&self, d: &Diagnostic) -> String {
        let (line, col) = self.line_col(d.span.start);
        let mut marks = vec![Mark {
            line: line as u32,
            col: col as u32,
            message: d.message.clone(),
        }];
        if let Some((span, msg)) = &d.note {
            let (l, c) = self.line_col(span.start);
            marks.push(Mark {
                line: l as u32,
                col: c as u32,
                message: msg.clone(),
            });
        }
        format!(
            "{}:{}:{}: error: {}\n{}",
            self.name,
            line,
            col,
            d.message,
            self.excerpt("error", &d.message, &marks, true)
        )
    }
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
