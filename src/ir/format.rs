//! Go's `fmt` formatting for the values grace has (int, bool, string,
//! `struct{}`): the operand rules of `fmt.Print`/`Println` and the verbs of
//! `fmt.Printf`/`Sprintf`, written after Go's `fmt/format.go` so that the
//! text is Go's byte for byte. A format is parsed and checked against the
//! argument types once, when the program is lowered ([`parse`], [`check`]),
//! as `go vet` does: a program whose format does not fit its arguments is
//! refused, so [`render`] only meets formats that fit (it still prints
//! Go's `%!d(bool=true)` forms rather than fail, should one not).

use super::Ty;

/// A value handed to the formatter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val<'a> {
    Int(i64),
    /// a `uint` or `uint64` (the other unsigned types fit an `Int`)
    Uint(u64),
    Bool(bool),
    Str(&'a str),
    Unit,
    /// An `error`: its message, `None` for nil.
    Err(Option<&'a str>),
}

impl Val<'_> {
    fn ty(self) -> &'static str {
        match self {
            Val::Int(_) => "int",
            Val::Uint(_) => "uint64",
            Val::Bool(_) => "bool",
            Val::Str(_) => "string",
            Val::Unit => "struct {}",
            Val::Err(_) => "*errors.errorString",
        }
    }

    fn is_str(self) -> bool {
        matches!(self, Val::Str(_))
    }
}

/// One `%` directive: its flags, width, precision and verb.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directive {
    pub verb: char,
    pub minus: bool,
    pub plus: bool,
    pub sharp: bool,
    pub zero: bool,
    pub space: bool,
    pub wid: Option<usize>,
    pub prec: Option<usize>,
}

/// A parsed format: literal text, `%%`, and directives that each take the
/// next argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    Arg(Directive),
}

/// Widths and precisions above this are refused: every printed line is
/// kept in the states (Go's own limit is 1,000,000).
pub const MAX_WIDTH: usize = 1000;

/// Parse a constant format string. The error says what `go vet` would, or
/// what grace does not do (`*` widths, explicit argument indexes).
pub fn parse(fmt: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        let mut d = Directive::default();
        let mut text = String::from("%");
        while let Some(&f) = chars.peek() {
            match f {
                '-' => {
                    d.minus = true;
                    d.zero = false; // Go pads with zeros only on the left
                }
                '+' => d.plus = true,
                '#' => d.sharp = true,
                '0' => d.zero = !d.minus,
                ' ' => d.space = true,
                _ => break,
            }
            text.push(f);
            chars.next();
        }
        d.wid = number(&mut chars, &mut text)?;
        if chars.peek() == Some(&'.') {
            text.push('.');
            chars.next();
            d.prec = Some(number(&mut chars, &mut text)?.unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            return Err(format!("format {text} is missing verb at end of string"));
        };
        text.push(verb);
        match verb {
            '%' => lit.push('%'),
            '*' => {
                return Err(format!(
                    "format {text}: a `*` width or precision is not supported: write the number in the format"
                ));
            }
            '[' => {
                return Err(format!(
                    "format {text}: explicit argument indexes are not supported: repeat the argument instead"
                ));
            }
            'd' | 'v' | 't' | 's' | 'q' | 'x' | 'X' | 'c' | 'o' | 'b' => {
                if !lit.is_empty() {
                    pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                d.verb = verb;
                pieces.push(Piece::Arg(d));
            }
            _ => {
                return Err(format!(
                    "format {text} has unknown verb {verb} (grace knows %d %v %t %s %q %x %X %c %o %b and %%)"
                ));
            }
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    Ok(pieces)
}

/// A decimal width or precision, if one is written here.
fn number(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    text: &mut String,
) -> Result<Option<usize>, String> {
    let mut n: Option<usize> = None;
    while let Some(&c) = chars.peek() {
        let Some(dg) = c.to_digit(10) else { break };
        text.push(c);
        chars.next();
        let v = n.unwrap_or(0) * 10 + dg as usize;
        if v > MAX_WIDTH {
            return Err(format!(
                "format {text}: widths and precisions above {MAX_WIDTH} are not supported"
            ));
        }
        n = Some(v);
    }
    Ok(n)
}

/// Does a directive's verb take a value of type `t`, as `go vet` checks it?
fn verb_fits(verb: char, t: Ty) -> bool {
    match t {
        // go vet refuses %q of an int (a rune would be quoted, an int not)
        t if t.is_int() => matches!(verb, 'd' | 'v' | 'x' | 'X' | 'c' | 'o' | 'b'),
        Ty::Any => verb == 'v',
        Ty::Error => matches!(verb, 'v' | 's'),
        Ty::Bool => matches!(verb, 't' | 'v'),
        Ty::Str => matches!(verb, 's' | 'v' | 'q' | 'x' | 'X'),
        Ty::Unit => verb == 'v',
        _ => false,
    }
}

/// A mismatch between a format and its arguments: the argument it is
/// about (`None`: the call as a whole) and `go vet`'s message, with
/// what Go would print instead.
pub struct Mismatch {
    pub arg: Option<usize>,
    pub message: String,
}

/// Check the argument types against a parsed format, as `go vet` does;
/// `func` names the function (`fmt.Printf`).
pub fn check(pieces: &[Piece], args: &[Ty], func: &str) -> Result<(), Mismatch> {
    let mut i = 0;
    for p in pieces {
        let Piece::Arg(d) = p else { continue };
        let Some(&t) = args.get(i) else {
            return Err(Mismatch {
                arg: None,
                message: format!(
                    "{func} format %{} reads arg #{}, but call has {} (go vet refuses it; Go would print %!{}(MISSING))",
                    d.verb,
                    i + 1,
                    plural(args.len(), "arg"),
                    d.verb
                ),
            });
        };
        if t == Ty::Any && d.verb != 'v' {
            return Err(Mismatch {
                arg: Some(i),
                message: format!(
                    "{func} format %{}: grace formats recover()'s value with %v only (Go's output for other verbs depends on the panic value's type)",
                    d.verb
                ),
            });
        }
        if t == Ty::Error && d.sharp && d.verb == 'v' {
            return Err(Mismatch {
                arg: Some(i),
                message: format!(
                    "{func} format %v with the sharp flag is not supported for an error: Go prints the error's Go syntax (&errors.errorString{{…}}); use %v without it"
                ),
            });
        }
        if !verb_fits(d.verb, t) {
            return Err(Mismatch {
                arg: Some(i),
                message: format!(
                    "{func} format %{} has arg of wrong type {} (go vet refuses it; Go would print %!{}({}=…))",
                    d.verb,
                    t.name(),
                    d.verb,
                    t.name()
                ),
            });
        }
        i += 1;
    }
    if i < args.len() {
        return Err(Mismatch {
            arg: Some(i),
            message: format!(
                "{func} call needs {} but has {} (go vet refuses it; Go would print %!(EXTRA …))",
                plural(i, "arg"),
                plural(args.len(), "arg")
            ),
        });
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `fmt.Print` (`newline` false) and `fmt.Println`: Print puts a space
/// between two operands when neither is a string; Println between all
/// operands, and ends with a newline.
pub fn sprint(args: &[Val], newline: bool) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && (newline || !(a.is_str() || args[i - 1].is_str())) {
            out.push(' ');
        }
        out.push_str(&plain(*a));
    }
    if newline {
        out.push('\n');
    }
    out
}

/// A value as `%v` prints it with no flags.
pub fn plain(v: Val) -> String {
    match v {
        Val::Int(n) => n.to_string(),
        Val::Uint(n) => n.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Str(s) => s.to_string(),
        Val::Unit => "{}".to_string(),
        Val::Err(None) => "<nil>".to_string(),
        Val::Err(Some(s)) => s.to_string(),
    }
}

/// `fmt.Sprintf(format, args...)` for a parsed format.
pub fn render(pieces: &[Piece], args: &[Val]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(s),
            Piece::Arg(d) => match next.next() {
                Some(v) => one(&mut out, d, *v),
                None => out.push_str(&format!("%!{}(MISSING)", d.verb)),
            },
        }
    }
    let extra: Vec<String> = next.map(|v| format!("{}={}", v.ty(), plain(*v))).collect();
    if !extra.is_empty() {
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// One directive applied to one value (Go's `printArg`).
fn one(out: &mut String, d: &Directive, v: Val) {
    let mut d = d.clone();
    let sharp_v = d.verb == 'v' && d.sharp;
    if d.verb == 'v' {
        // Go: `#` and `+` mean Go syntax and field names with %v, which
        // for these types is only the quoting of a string
        d.sharp = false;
        d.plus = false;
    }
    let v = match (d.verb, v) {
        // a rune too big for an int is not a valid one: U+FFFD, as Go
        ('c' | 'q', Val::Uint(u)) => Val::Int(i64::try_from(u).unwrap_or(-1)),
        _ => v,
    };
    match (d.verb, v) {
        ('d' | 'v', Val::Uint(u)) => unsigned(out, &d, false, u, 10, false),
        ('x', Val::Uint(u)) => unsigned(out, &d, false, u, 16, false),
        ('X', Val::Uint(u)) => unsigned(out, &d, false, u, 16, true),
        ('o', Val::Uint(u)) => unsigned(out, &d, false, u, 8, false),
        ('b', Val::Uint(u)) => unsigned(out, &d, false, u, 2, false),
        ('d' | 'v', Val::Int(n)) => integer(out, &d, n, 10, false),
        ('x', Val::Int(n)) => integer(out, &d, n, 16, false),
        ('X', Val::Int(n)) => integer(out, &d, n, 16, true),
        ('o', Val::Int(n)) => integer(out, &d, n, 8, false),
        ('b', Val::Int(n)) => integer(out, &d, n, 2, false),
        ('c', Val::Int(n)) => pad(out, &d, &rune_of(n).to_string()),
        ('q', Val::Int(n)) => {
            let r = rune_of(n);
            let q = if d.sharp && is_print(r) {
                format!("'{r}'")
            } else {
                quote(&r.to_string(), '\'', d.plus)
            };
            pad(out, &d, &q)
        }
        ('t' | 'v', Val::Bool(b)) => pad(out, &d, &b.to_string()),
        ('v', Val::Str(s)) if sharp_v => pad(out, &d, &quote(s, '"', false)),
        ('s' | 'v', Val::Str(s) | Val::Err(Some(s))) => pad(out, &d, &truncate(&d, s)),
        ('v', Val::Err(None)) => pad(out, &d, "<nil>"),
        ('s', Val::Err(None)) => out.push_str("%!s(<nil>)"),
        ('q', Val::Str(s)) => {
            let s = truncate(&d, s);
            let q = if d.sharp && can_backquote(&s) {
                format!("`{s}`")
            } else {
                quote(&s, '"', d.plus)
            };
            pad(out, &d, &q)
        }
        ('x', Val::Str(s)) => hex_bytes(out, &d, s.as_bytes(), false),
        ('X', Val::Str(s)) => hex_bytes(out, &d, s.as_bytes(), true),
        ('v', Val::Unit) => pad(out, &d, "{}"),
        (verb, v) => out.push_str(&format!("%!{verb}({}={})", v.ty(), plain(v))),
    }
}

/// The character of code point `n`, or U+FFFD when it is none (Go).
fn rune_of(n: i64) -> char {
    u32::try_from(n)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}')
}

/// A string cut to the precision, in characters (Go's `truncateString`).
fn truncate(d: &Directive, s: &str) -> String {
    match d.prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    }
}

/// `n` spaces (or zeros, with the `0` flag) of padding.
fn padding(out: &mut String, d: &Directive, n: usize) {
    let c = if d.zero { '0' } else { ' ' };
    out.extend(std::iter::repeat_n(c, n));
}

/// Pad `s` to the width, counted in characters, left or (`-`) right.
fn pad(out: &mut String, d: &Directive, s: &str) {
    let w = d.wid.unwrap_or(0).saturating_sub(s.chars().count());
    if !d.minus {
        padding(out, d, w);
    }
    out.push_str(s);
    if d.minus {
        padding(out, d, w);
    }
}

/// Go's `fmtInteger`: precision or `0`-width as leading zeros, then the
/// `#` prefix and the sign, then padding with spaces.
fn integer(out: &mut String, d: &Directive, n: i64, base: u64, upper: bool) {
    unsigned(out, d, n < 0, n.unsigned_abs(), base, upper)
}

/// An integer given as its sign and magnitude (Go's `fmtInteger`).
fn unsigned(out: &mut String, d: &Directive, negative: bool, mut u: u64, base: u64, upper: bool) {
    let mut prec = 0;
    if let Some(p) = d.prec {
        prec = p;
        if p == 0 && u == 0 {
            let mut d = d.clone();
            d.zero = false;
            padding(out, &d, d.wid.unwrap_or(0));
            return;
        }
    } else if d.zero && !d.minus && d.wid.is_some() {
        prec = d.wid.unwrap_or(0);
        if negative || d.plus || d.space {
            prec = prec.saturating_sub(1);
        }
    }
    let digits: &[u8] = if upper {
        b"0123456789ABCDEFX"
    } else {
        b"0123456789abcdefx"
    };
    let mut buf: Vec<u8> = Vec::new();
    loop {
        buf.push(digits[(u % base) as usize]);
        u /= base;
        if u == 0 {
            break;
        }
    }
    while buf.len() < prec {
        buf.push(b'0');
    }
    if d.sharp {
        match base {
            2 => buf.extend_from_slice(b"b0"),
            8 if buf.last() != Some(&b'0') => buf.push(b'0'),
            16 => {
                buf.push(digits[16]);
                buf.push(b'0');
            }
            _ => {}
        }
    }
    if negative {
        buf.push(b'-');
    } else if d.plus {
        buf.push(b'+');
    } else if d.space {
        buf.push(b' ');
    }
    buf.reverse();
    let mut d = d.clone();
    d.zero = false;
    pad(out, &d, &String::from_utf8_lossy(&buf));
}

/// Go's `fmtSbx`: the bytes of a string in hexadecimal, `% x` spaced and
/// `%#x` prefixed.
fn hex_bytes(out: &mut String, d: &Directive, b: &[u8], upper: bool) {
    let digits: &[u8] = if upper {
        b"0123456789ABCDEFX"
    } else {
        b"0123456789abcdefx"
    };
    let len = d.prec.map_or(b.len(), |p| p.min(b.len()));
    let mut width = 2 * len;
    if width == 0 {
        padding(out, d, d.wid.unwrap_or(0));
        return;
    }
    if d.space {
        if d.sharp {
            width *= 2;
        }
        width += len - 1;
    } else if d.sharp {
        width += 2;
    }
    let wid = d.wid.unwrap_or(0);
    if wid > width && !d.minus {
        padding(out, d, wid - width);
    }
    let prefix = [b'0', digits[16]];
    if d.sharp {
        out.push_str(&String::from_utf8_lossy(&prefix));
    }
    for (i, &c) in b[..len].iter().enumerate() {
        if d.space && i > 0 {
            out.push(' ');
            if d.sharp {
                out.push_str(&String::from_utf8_lossy(&prefix));
            }
        }
        out.push(digits[(c >> 4) as usize] as char);
        out.push(digits[(c & 0xF) as usize] as char);
    }
    if wid > width && d.minus {
        padding(out, d, wid - width);
    }
}

/// Go's `strconv.CanBackquote`: no backquote and no control character
/// other than tab.
fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !(c < ' ' || c == '\u{7f}')))
}

/// Go's `strconv.IsPrint`, as far as grace tells: control, format,
/// private-use and non-ASCII space characters are not printable. (Go also
/// escapes unassigned code points; grace prints them as they are.)
fn is_print(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(u, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF
            | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xFFFE | 0xFFFF | 0xF0000..)
        || (u & 0xFFFE) == 0xFFFE)
}

/// Go's `strconv.Quote` (`quote` '"') and `QuoteRune` ('\''), or their
/// `ToASCII` forms.
fn quote(s: &str, q: char, ascii: bool) -> String {
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        if c == q || c == '\\' {
            out.push('\\');
            out.push(c);
            continue;
        }
        if if ascii {
            c.is_ascii() && is_print(c)
        } else {
            is_print(c)
        } {
            out.push(c);
            continue;
        }
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(q);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Val]) -> String {
        render(&parse(fmt).expect("parses"), args)
    }

    // Each expected string is what go1.27's fmt printed for the same call.
    #[test]
    fn integers_follow_go() {
        let n = Val::Int(42);
        assert_eq!(
            f(
                "[%05d][%-05d][%+05d][% d][%+d][% 5d][%3d]",
                &[n, n, n, n, n, n, n]
            ),
            "[00042][42   ][+0042][ 42][+42][   42][ 42]"
        );
        let ff = Val::Int(255);
        assert_eq!(
            f(
                "[%x][%X][%#x][%08x][%-8x|][%x][%#X][%#08x][%+x][% x]",
                &[
                    ff,
                    ff,
                    ff,
                    ff,
                    ff,
                    Val::Int(-255),
                    Val::Int(-255),
                    ff,
                    ff,
                    ff
                ]
            ),
            "[ff][FF][0xff][000000ff][ff      |][-ff][-0XFF][0x000000ff][+ff][ ff]"
        );
        let s = Val::Int(7);
        assert_eq!(
            f(
                "[%.3d][%6.3d][%06.3d][%.0d][%+.3d][%+06d][% 06d]",
                &[s, s, s, Val::Int(0), Val::Int(5), Val::Int(-5), Val::Int(5)]
            ),
            "[007][   007][   007][][+005][-00005][ 00005]"
        );
        assert_eq!(
            f(
                "[%d][%x][%#o][%b]",
                &[
                    Val::Int(i64::MIN),
                    Val::Int(i64::MIN),
                    Val::Int(8),
                    Val::Int(5)
                ]
            ),
            "[-9223372036854775808][-8000000000000000][010][101]"
        );
    }

    #[test]
    fn strings_bools_and_runes_follow_go() {
        let ab = Val::Str("ab");
        let t = Val::Bool(true);
        assert_eq!(
            f(
                "[%05s][%5t][%05t][%-5t|][%5v][%-5v|][%05v][%05v]",
                &[ab, t, t, t, t, ab, Val::Int(3), ab]
            ),
            "[000ab][ true][0true][true |][ true][ab   |][00003][000ab]"
        );
        assert_eq!(
            f("[%q]", &[Val::Str("a\"b\\\n\t\u{1}é\u{ad}")]),
            "[\"a\\\"b\\\\\\n\\t\\x01é\\u00ad\"]"
        );
        assert_eq!(
            f(
                "[%q][%q][%q][%q][%c][%c][%5c][%-4q|]",
                &[
                    Val::Int(65),
                    Val::Int(10),
                    Val::Int(0x1F600),
                    Val::Int(-1),
                    Val::Int(65),
                    Val::Int(0x1F600),
                    Val::Int('x' as i64),
                    Val::Int(66)
                ]
            ),
            "['A']['\\n']['😀']['\u{FFFD}'][A][😀][    x]['B' |]"
        );
        let h = Val::Str("héllo");
        assert_eq!(
            f(
                "[%.3s][%6.2s][%-6.2s|][%v][%+v][%#v][%#v][%#v]",
                &[
                    h,
                    h,
                    h,
                    Val::Str("s"),
                    Val::Int(5),
                    Val::Str("s"),
                    Val::Int(5),
                    t
                ]
            ),
            "[hél][    hé][hé    |][s][5][\"s\"][5][true]"
        );
        assert_eq!(
            f(
                "[%#q][%+q][%x][%.2x][%5.1x][% x][%#X]",
                &[
                    Val::Str("a`b"),
                    Val::Str("é"),
                    Val::Str(""),
                    Val::Str("hello"),
                    Val::Str("hello"),
                    ab,
                    Val::Str("hi")
                ]
            ),
            "[\"a`b\"][\"\\u00e9\"][][6865][   68][61 62][0X6869]"
        );
        assert_eq!(f("[%5%][%t]", &[Val::Bool(false)]), "[%][false]");
    }

    #[test]
    fn print_spaces_operands_as_go() {
        let args = [
            Val::Str("a"),
            Val::Int(1),
            Val::Int(2),
            Val::Str("b"),
            Val::Bool(true),
            Val::Bool(false),
            Val::Str("c"),
        ];
        assert_eq!(sprint(&args, false), "a1 2btrue falsec");
        assert_eq!(sprint(&args, true), "a 1 2 b true false c\n");
    }

    #[test]
    fn bad_formats_are_refused_and_rendered_as_go_would() {
        assert!(parse("%z").is_err());
        assert!(parse("%*d").is_err());
        assert!(parse("100%").is_err());
        let p = parse("%d %d").expect("parses");
        assert!(check(&p, &[Ty::Int], "fmt.Printf").is_err());
        assert!(check(&p, &[Ty::Int, Ty::Bool], "fmt.Printf").is_err());
        assert!(check(&p, &[Ty::Int, Ty::Int, Ty::Int], "fmt.Printf").is_err());
        assert!(check(&p, &[Ty::Int, Ty::Int], "fmt.Printf").is_ok());
        let q = parse("%q").expect("parses");
        assert!(check(&q, &[Ty::Int], "fmt.Printf").is_err());
        assert_eq!(
            render(&p, &[Val::Bool(true)]),
            "%!d(bool=true) %!d(MISSING)"
        );
        assert_eq!(
            render(&parse("%d").expect("parses"), &[Val::Int(1), Val::Int(3)]),
            "1%!(EXTRA int=3)"
        );
    }
}
