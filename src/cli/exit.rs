//! The exit status of every command (docs/CLI.md, "Exit status"), in one
//! place: `grace check`, `grace replay` and `grace test` return these, and
//! when several things happened the worst wins, in the order of
//! [`status`].

/// Explored completely and found nothing (`test`: every snapshot matched).
pub const EXIT_CLEAN: i32 = 0;
/// Explored completely and found something (`test`: a snapshot is new,
/// changed or corrupt).
pub const EXIT_FOUND: i32 = 1;
/// Bad input: nothing explored (or a report could not be written).
pub const EXIT_BAD_INPUT: i32 = 2;
/// A limit (or an interrupt) stopped the search.
pub const EXIT_LIMIT: i32 = 3;
/// A second interrupt (Ctrl-C or SIGTERM) ended the process at once,
/// without a report: 128 + SIGINT, as a shell reports a process that
/// SIGINT ended.
pub const EXIT_INTERRUPTED_TWICE: i32 = 130;

/// The status of a command that checked several things: bad input over an
/// incomplete check over a finding.
pub fn status(bad_input: bool, limited: bool, found: bool) -> i32 {
    if bad_input {
        EXIT_BAD_INPUT
    } else if limited {
        EXIT_LIMIT
    } else if found {
        EXIT_FOUND
    } else {
        EXIT_CLEAN
    }
}
