//! The front end: source text to the step program. [`parse`] builds the
//! syntax tree ([`ast`]) with spans, [`structs`] rewrites struct types
//! into arrays and functions, [`globals`] resolves the top level,
//! [`lower`] types function bodies and emits [`crate::ir`] code; both take
//! their typing rules and constant folding from [`types`]; [`diag`]
//! renders errors as `file:line:col` with a caret.

pub mod ast;
pub mod atomics;
pub mod daemons;
pub mod diag;
pub mod globals;
mod go_tokens;
pub mod lower;
pub mod parse;
pub mod structs;
pub mod types;
