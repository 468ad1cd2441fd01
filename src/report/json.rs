//! The JSON report, exactly as docs/CLI.md defines it: the one wire format.
//! Every field is written here, in the order it appears; the result types
//! of `analysis` know nothing of JSON, so a change of the format is a change
//! of this file (and of docs/CLI.md), never a side effect of a field added
//! to a result type.
//!
//! The order of fields and whether an absent value is `null` or no field at
//! all are part of the format (tools and snapshots compare bytes): an object
//! is built field by field with [`Obj`], in the order of the docs.

use crate::analysis::{
    CheckResult, Class, ExpectResult, GValue, Leak, NeverEnding, Outcome, Position, Race,
    RaceAccess, Stats, Verdict, WitnessStep,
};
use crate::state::EndKind;
use serde_json::{Map, Value, json};

/// A JSON object written field by field, in order.
pub(super) struct Obj(Map<String, Value>);

impl Obj {
    pub(super) fn new() -> Self {
        Obj(Map::new())
    }

    pub(super) fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// A field written only when there is a value (absent, not `null`).
    pub(super) fn some<T: Into<Value>>(self, name: &str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.field(name, v),
            None => self,
        }
    }

    pub(super) fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// A list of values.
pub(super) fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(f).collect())
}

/// `null` or the value.
fn or_null(v: Option<Value>) -> Value {
    v.unwrap_or(Value::Null)
}

/// The JSON object of one file's report.
pub fn to_value(file: &str, r: &CheckResult) -> Value {
    Obj::new()
        .field("file", file)
        .field("status", super::FileStatus::of(r).name())
        .field("memory", r.memory)
        .some("explored_under", r.explored_under)
        .field("complete", r.complete)
        .some("limit", r.limit.as_deref())
        .some("stopped_in", r.stopped_in)
        .some("finished_runs", r.finished.map(finished_runs))
        .some("map_range", r.map_range_in_key_order.then_some("key order"))
        .field("stats", stats(&r.stats))
        .field("outcomes", list(&r.outcomes, outcome))
        .field("races", list(&r.races, race))
        .field("leaks", list(&r.leaks, leak))
        .field("never_ending", list(&r.never_ending, never_ending))
        .field("expects", list(&r.expects, expect))
        .done()
}

/// The entry of a file that could not be checked: where (`line` and `col`
/// are `null` when no place in the text is at fault, as for a file that
/// cannot be read), why, and the error as grace prints it on stderr.
pub fn error_entry(file: &str, at: Option<(usize, usize)>, message: &str, text: &str) -> Value {
    let error = Obj::new()
        .field("line", at.map(|a| a.0))
        .field("col", at.map(|a| a.1))
        .field("message", message)
        .field("text", text)
        .done();
    Obj::new()
        .field("file", file)
        .field("status", super::FileStatus::Error.name())
        .field("error", error)
        .done()
}

/// What `grace check --format json` prints, whatever the number of files:
/// `{"files": [...], "summary": {...}}`, the entries in the order the files
/// were given, each a report ([`to_value`]) or an [`error_entry`], and the
/// summary counting them by `status`.
pub fn document(entries: Vec<Value>) -> Value {
    let count = |s: super::FileStatus| entries.iter().filter(|e| e["status"] == s.name()).count();
    use super::FileStatus::*;
    let summary = Obj::new()
        .field("files", entries.len())
        .field("clean", count(Clean))
        .field("findings", count(Findings))
        .field("errors", count(Error))
        .field("incomplete", count(Incomplete))
        .done();
    Obj::new()
        .field("files", Value::Array(entries))
        .field("summary", summary)
        .done()
}

/// `states`, `transitions`, `seconds`; with `--stats` the cost breakdown
/// follows in the same object (`sc_states` and `hb_states` are `null` when
/// that search was not made).
fn stats(s: &Stats) -> Value {
    let o = Obj::new()
        .field("states", s.states)
        .field("transitions", s.transitions)
        .field("seconds", s.seconds);
    let Some(d) = &s.detail else {
        return o.done();
    };
    o.field("search_seconds", d.search_seconds)
        .field("states_per_second", d.states_per_second)
        .field("analysis_seconds", d.analysis_seconds)
        .field("bytes_per_state", d.bytes_per_state)
        .field("peak_mib", d.peak_mib)
        .field("symmetry_renumbered", d.symmetry_renumbered)
        .field("taken_alone", d.taken_alone)
        .field("serial_states", d.serial_states)
        .field("sc_states", d.sc_states)
        .field("hb_states", d.hb_states)
        .done()
}

/// The runs finished past where the main search stopped.
fn finished_runs(f: crate::analysis::FinishedRuns) -> Value {
    Obj::new()
        .field("runs", f.runs)
        .field("steps", f.steps)
        .field("states", f.states)
        .field("outcomes", f.outcomes)
        .field("cut", f.cut)
        .done()
}

fn outcome(o: &Outcome) -> Value {
    let mut globals = Map::new();
    for (n, v) in &o.globals {
        globals.insert(n.clone(), gvalue(v));
    }
    let obj = Obj::new()
        .field("kind", o.kind.name())
        .field("message", o.message.as_deref())
        .field("globals", Value::Object(globals))
        .field("output", o.output.as_str())
        .field("class", o.class.map(Class::name))
        .field("preemptions", o.preemptions)
        .some("past_stop", o.past_stop.then_some(true))
        // null: the check was stopped before it was made
        .field(
            "witness",
            if o.witness_cut {
                Value::Null
            } else {
                witness(&o.witness)
            },
        );
    if o.kind == EndKind::Deadlock {
        obj.field("blocked", list(&o.blocked, position)).done()
    } else {
        obj.done()
    }
}

pub(super) fn witness(steps: &[WitnessStep]) -> Value {
    list(steps, |s| {
        Obj::new()
            .field("goroutine", s.goroutine.as_str())
            .field("line", s.line)
            .field("col", s.col)
            .field("step", s.step.as_str())
            // only on the steps that are preemptions
            .some("preemption", s.preemption.then_some(true))
            .done()
    })
}

pub(super) fn access(a: &RaceAccess) -> Value {
    Obj::new()
        .field("goroutine", a.goroutine.as_str())
        .field("line", a.line)
        .field("col", a.col)
        .field("op", a.op)
        .done()
}

fn race(r: &Race) -> Value {
    Obj::new()
        .field("var", r.var.as_str())
        .field("a", access(&r.a))
        .field("b", access(&r.b))
        .field("witness", witness(&r.witness))
        .done()
}

fn leak(l: &Leak) -> Value {
    Obj::new()
        .field("goroutine", l.goroutine.as_str())
        .field("line", l.line)
        .field("col", l.col)
        .field("waiting", l.waiting.as_str())
        .field("witness", witness(&l.witness))
        .done()
}

pub(super) fn position(p: &Position) -> Value {
    Obj::new()
        .field("goroutine", p.goroutine.as_str())
        .field("line", p.line)
        .field("col", p.col)
        .field("at", p.at.as_str())
        .done()
}

fn never_ending(n: &NeverEnding) -> Value {
    Obj::new()
        .field("goroutines", list(&n.goroutines, position))
        .field("witness", witness(&n.witness))
        .done()
}

/// `holds` stays for tools that read only it: true only when it holds.
fn expect(e: &ExpectResult) -> Value {
    let verdict = match e.verdict {
        Verdict::Holds => "holds",
        Verdict::Fails => "fails",
        Verdict::Unknown => "unknown",
    };
    Obj::new()
        .field("line", e.line)
        .field("text", e.text.as_str())
        .field("verdict", verdict)
        .field("holds", e.holds())
        .some("error", e.error.as_deref())
        .field("witness", or_null(e.witness.as_deref().map(witness)))
        .done()
}

pub(super) fn gvalue(v: &GValue) -> Value {
    use crate::ir::Ty;
    let one = |t: Ty, x: i64| match t {
        Ty::Bool => json!(x != 0),
        Ty::Uint | Ty::Uint64 => json!(x as u64),
        _ => json!(x),
    };
    match v {
        GValue::Scalar(t, x) => one(*t, *x),
        GValue::Str(s) => json!(s),
        GValue::Array(t, xs) => Value::Array(xs.iter().map(|x| one(*t, *x)).collect()),
        // an object in key order, its keys as fmt prints them
        GValue::Map(t, kvs) => {
            let val = |v: &str| match t.val() {
                Ty::Str | Ty::StructPtr(_) => json!(v),
                Ty::Bool => json!(v == "true"),
                Ty::Uint | Ty::Uint64 => json!(v.parse::<u64>().unwrap_or(0)),
                _ => json!(v.parse::<i64>().unwrap_or(0)),
            };
            Value::Object(kvs.iter().map(|(k, v)| (k.clone(), val(v))).collect())
        }
    }
}
