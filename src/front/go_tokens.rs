//! Go tokens outside the language, named for a syntax error (see
//! `parse::unsupported_go_feature`): bitwise and shift operators, unary `+`
//! and `^`, rune and floating-point literals, array literals and function
//! values. Each message says what to write instead.

use super::ast::Span;

/// Does the text before byte `i` end with an operand (`x`, `3`, `)`, `]`,
/// a string's closing `"`), so that an operator at `i` is binary?
fn after_operand(b: &[u8], i: usize) -> bool {
    let before = &b[..i];
    let last = before.iter().rposition(|c| !matches!(c, b' ' | b'\t'));
    last.is_some_and(|j| {
        let c = before[j];
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b')' | b']' | b'"' | b'`')
    })
}

/// The Go token at byte `i` (an ASCII character outside a comment or a
/// string) that grace does not have, with its span and message.
pub(super) fn token_feature(text: &str, i: usize) -> Option<(Span, String)> {
    let b = text.as_bytes();
    let rest = &text[i..];
    let at = |len: usize, msg: String| Some((Span::new(i, i + len), msg));
    // an operator of `len` bytes, or its assignment form (`&=`, `<<=`)
    let op = |len: usize| &rest[..len + usize::from(rest[len..].starts_with('='))];
    let bitwise = |op: &str| {
        format!(
            "the bitwise operator `{op}` is not supported: grace's integers have + - * / % \
             (`x % 2 == 1` tests the low bit); keep flags in bool variables"
        )
    };
    let shift = |op: &str| {
        format!(
            "the shift operator `{op}` is not supported: multiply or divide by a power of two \
             (`x * 4` for `x << 2`, `x / 2` for `x >> 1` when x >= 0)"
        )
    };
    match b[i] {
        b'<' | b'>' if rest[1..].starts_with(&rest[..1]) => at(op(2).len(), shift(op(2))),
        b'&' if rest.starts_with("&^") => at(op(2).len(), bitwise(op(2))),
        b'&' if !rest.starts_with("&&") && (i == 0 || b[i - 1] != b'&') && after_operand(b, i) => {
            at(op(1).len(), bitwise(op(1)))
        }
        b'|' if !rest.starts_with("||") && (i == 0 || b[i - 1] != b'|') => {
            at(op(1).len(), bitwise(op(1)))
        }
        b'^' if after_operand(b, i) => at(op(1).len(), bitwise(op(1))),
        b'^' => at(
            1,
            "the bitwise complement `^x` is not supported: grace's integers have + - * / % \
             (`-x - 1` is `^x`)"
                .into(),
        ),
        b'+' if !after_operand(b, i)
            && !matches!(rest.as_bytes().get(1), Some(b'+' | b'='))
            && (i == 0 || b[i - 1] != b'+') =>
        {
            at(
                1,
                "unary `+` is not supported: write the operand alone (`3` for `+3`)".into(),
            )
        }
        b'\'' => rune_literal(text, i),
        b'0'..=b'9' if i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') => {
            float_literal(text, i)
        }
        b'[' => array_literal(text, i),
        b'{' => sync_literal(text, i),
        _ => None,
    }
}

/// `'a'`: named, with the number to write when it is one plain character.
fn rune_literal(text: &str, i: usize) -> Option<(Span, String)> {
    let body = &text[i + 1..];
    let close = body
        .find(['\'', '\n'])
        .filter(|&j| body.as_bytes()[j] == b'\'');
    let end = close.map_or(i + 1, |j| i + 1 + j + 1);
    let mut chars = body[..close.unwrap_or(0)].chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if c != '\\' => format!(": write its code, {} for '{c}'", c as u32),
        _ => ": write the character's code as a number".into(),
    };
    Some((
        Span::new(i, end),
        format!("rune literals are not supported{code}"),
    ))
}

/// `1.5`, `1e3`, `.5` after a number: floating-point constants.
fn float_literal(text: &str, i: usize) -> Option<(Span, String)> {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
        // an exponent's sign belongs to the number: `1e-3`
        let exp = matches!(b[j], b'e' | b'E' | b'p' | b'P');
        j += 1;
        if exp && j < b.len() && matches!(b[j], b'+' | b'-') {
            j += 1;
        }
    }
    let token = &text[i..j];
    let hex = token.len() > 1 && matches!(&token[..2], "0x" | "0X");
    let float = token.contains('.')
        || (hex && token.contains(['p', 'P']))
        || (!hex && token.contains(['e', 'E']));
    float.then(|| {
        (
            Span::new(i, j),
            "floating-point numbers are not supported: grace's numbers are ints (scale them: cents, not dollars)"
                .into(),
        )
    })
}

/// `[3]int{1, 2, 3}` (or `[...]int{…}`): an array literal.
fn array_literal(text: &str, i: usize) -> Option<(Span, String)> {
    // `map[K]V{…}` is a map literal, which grace has
    if text[..i].ends_with("map") {
        return None;
    }
    let line_end = text[i..].find('\n').map_or(text.len(), |j| i + j);
    let line = &text[i..line_end];
    let close = line.find(']')?;
    let after = line[close + 1..].trim_start();
    let ty_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(after.len());
    if ty_len == 0 || !after[ty_len..].trim_start().starts_with('{') {
        return None;
    }
    Some((
        Span::new(
            i,
            i + close + 1 + (line.len() - close - 1 - after.len()) + ty_len,
        ),
        "array literals are not supported: declare `var a [N]T` and set its elements \
         (for a shared array, in `func init()`)"
            .into(),
    ))
}

/// `sync.Mutex{}` (or another sync or atomic type's literal) at the `{`.
fn sync_literal(text: &str, i: usize) -> Option<(Span, String)> {
    let before = text[..i].trim_end_matches([' ', '\t']);
    // after the last character that is not part of a name (which may be
    // several bytes long)
    let name_at = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |(j, c)| j + c.len_utf8());
    let name = &before[name_at..];
    let pkg = ["sync.", "atomic."]
        .into_iter()
        .find(|p| before[..name_at].ends_with(p))?;
    let start = name_at - pkg.len();
    let whole = &before[start..];
    if name.is_empty() || before[..start].ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((
        Span::new(start, before.len()),
        format!(
            "the composite literal `{whole}{{}}` is not supported: declare `var x {whole}` \
             at top level (its zero value is ready to use)"
        ),
    ))
}

/// `func` at byte `start` (the word ends at `end`) used as a value or a
/// type where grace has neither: not `go func() {…}()`, `defer func() {…}()`
/// or a func variable's declaration (`f := func…`, `var f func(int) = func…`).
pub(super) fn func_value(text: &str, start: usize, end: usize) -> Option<(Span, String)> {
    let before = text[..start].trim_end_matches([' ', '\t']);
    let rest = text[end..].trim_start_matches([' ', '\t']);
    if !rest.starts_with('(') || declares_func_var(text, start) {
        return None;
    }
    let value_position = before.ends_with(['=', '(', ',']) || before.ends_with("return");
    let type_position = before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        || before.ends_with([')', ']', '*']);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let msg = if before.ends_with(".Do(") {
        return None;
    } else if text[line_start..].starts_with("var ") {
        "a func variable at package level is not supported: declare a function (`func f(…) {…}`), \
         or bind the literal inside the function that calls it (`f := func(…) {…}`)"
    } else if before.ends_with(".Go(") {
        "`wg.Go(f)` is not supported: write `wg.Add(1)` and `go func() { defer wg.Done(); … }()`"
    } else if value_position {
        "this function value is not supported: grace binds a func literal to a new variable that \
         is never reassigned (`f := func(…) {…}`, `var f = func…`) and calls it (`f(…)`, `go f(…)`, \
         `defer f(…)`), or calls one at once (`go func() {…}()`, `defer func() {…}()`); a func \
         literal cannot be passed, returned, stored or assigned: declare a function and call it"
    } else if type_position && !before.ends_with("go") && !before.ends_with("defer") {
        "function types are not supported here: a func variable is declared with its literal \
         (`f := func(…) {…}` or `var f func(int) = func(n int) {…}`); a func-typed parameter, \
         result, field, map value or channel element, or a func variable without its literal, is \
         not: call the function directly, or pass the values it needs"
    } else {
        return None;
    };
    Some((Span::new(start, end), msg.into()))
}

/// Is the `func` at byte `start` in a declaration grace takes: `f :=
/// func(`, `var f = func(`, or `var f func(…) … = func(`?
fn declares_func_var(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let head = text[line_start..start].trim();
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    if let Some(name) = head.strip_suffix(":=") {
        return is_name(name.trim());
    }
    // a body's `var` (indented): one at package level is not grace's
    let indented = text[line_start..].starts_with([' ', '\t']);
    let Some(decl) = head.strip_prefix("var ").filter(|_| indented) else {
        return false;
    };
    let decl = decl.trim();
    match decl.strip_suffix('=') {
        // `var f = func(`, `var f func(int) = func(`
        Some(lhs) => {
            let (name, ty) = lhs.trim().split_once(' ').unwrap_or((lhs.trim(), ""));
            is_name(name) && (ty.is_empty() || ty.trim_start().starts_with("func"))
        }
        // `var f func(int) = func(`: the type's `func`, a literal after it
        None => is_name(decl) && text[start..line_end].contains("= func"),
    }
}

#[cfg(test)]
mod tests {
    use super::token_feature;

    /// The message for the first Go token the scanner names in `text`.
    fn named(text: &str) -> Option<String> {
        (0..text.len())
            .filter(|&i| text.is_char_boundary(i) && text.as_bytes()[i].is_ascii())
            .find_map(|i| token_feature(text, i))
            .map(|(_, m)| m)
    }

    #[test]
    fn go_tokens_outside_the_language_are_named() {
        for (text, start) in [
            ("y := x&1", "the bitwise operator `&`"),
            ("y := x &^ 1", "the bitwise operator `&^`"),
            ("y := x | 1", "the bitwise operator `|`"),
            ("y := x ^ 1", "the bitwise operator `^`"),
            ("y := ^x", "the bitwise complement"),
            ("y := x << 2", "the shift operator `<<`"),
            ("x >>= 2", "the shift operator `>>=`"),
            ("x &= 2", "the bitwise operator `&=`"),
            ("x |= 2", "the bitwise operator `|=`"),
            ("y := +3", "unary `+`"),
            (
                "c := 'é'",
                "rune literals are not supported: write its code, 233",
            ),
            (
                "c := '\\n'",
                "rune literals are not supported: write the character's code",
            ),
            ("f := 2.5", "floating-point"),
            ("f := 1e-3", "floating-point"),
            ("a := [3]int{1, 2, 3}", "array literals"),
            ("a := [...]int{1}", "array literals"),
            (
                "var mu = sync.Mutex{}",
                "the composite literal `sync.Mutex{}`",
            ),
        ] {
            let m = named(text).unwrap_or_else(|| panic!("{text}: not named"));
            assert!(m.starts_with(start), "{text}: {m}");
        }
    }

    /// Valid code is never named: the scanner also reads the lines before
    /// a syntax error.
    #[test]
    fn valid_tokens_are_not_named() {
        for text in [
            "ok := a && b || !c",
            "x++; x += 2; y := x + 3",
            "mu1.Lock(); forks[2].Lock()",
            "v := <-ch; ch <- 1",
            "n := 0x1e3 + 1_000 + 0b1",
            "if a[i] == 3 {",
            "atomic.AddInt64(&n, 1)",
            "func main() {",
            "if ok {",
            "x := é{",
            "é{",
        ] {
            assert_eq!(named(text), None, "{text}");
        }
    }
}
