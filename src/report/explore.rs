//! The JSON of `grace explore`'s API (docs/CLI.md, "grace explore"): the
//! view of a state (`GET /api/state`) and the findings of the check run
//! in the background with the path that plays each witness (`GET
//! /api/outcomes`). Built field by field, in the order of the docs, as the
//! report's JSON is: the same path gives the same bytes on every run.

use super::json::{Obj, access, gvalue, list, position};
use crate::analysis::explore::{
    Choice, Edge, Goroutine, Neighbourhood, Node, RunEnd, StateView, Taken, format_path,
};
use crate::analysis::{CheckResult, WitnessStep};
use serde_json::{Map, Value};

/// The view of a state as `GET /api/state?path=…` answers it.
pub fn state(v: &StateView) -> Value {
    Obj::new()
        .field("path", format_path(&v.path))
        .field("taken", list(&v.taken, taken))
        .field("goroutines", list(&v.goroutines, goroutine))
        .field("choices", {
            let items = v.choices.iter().enumerate();
            Value::Array(items.map(|(k, c)| choice(k, c)).collect())
        })
        .field("memory", v.memory.clone())
        .field("sync", v.sync.clone())
        .field("output", v.output.as_str())
        .field("end", v.end.as_ref().map_or(Value::Null, end))
        .field("graph", graph(&v.graph))
        .done()
}

fn taken(t: &Taken) -> Value {
    Obj::new()
        .field("choice", t.choice)
        .field("goroutine", t.step.goroutine.as_str())
        .field("line", t.step.line)
        .field("col", t.step.col)
        .field("step", t.step.step.as_str())
        .field("memory", t.memory)
        .field("preemption", t.step.preemption)
        .field("races", t.races.clone())
        .done()
}

fn goroutine(g: &Goroutine) -> Value {
    Obj::new()
        .field("name", g.name.as_str())
        .field("line", g.line)
        .field("col", g.col)
        .field("status", g.status.name())
        .field("next", g.next.as_str())
        .done()
}

fn choice(k: usize, c: &Choice) -> Value {
    Obj::new()
        .field("choice", k)
        .field("goroutine", c.goroutine.as_str())
        .field("line", c.line)
        .field("col", c.col)
        .field("step", c.step.as_str())
        .field("memory", c.memory)
        .field("stale", c.stale)
        .field("races", c.races.clone())
        .done()
}

fn end(e: &RunEnd) -> Value {
    let mut globals = Map::new();
    for (n, v) in &e.globals {
        globals.insert(n.clone(), gvalue(v));
    }
    Obj::new()
        .field("kind", e.kind.name())
        .field("message", e.message.as_deref())
        .field("values", e.values())
        .field("globals", Value::Object(globals))
        .field("output", e.output.as_str())
        .field("left", list(&e.left, position))
        .done()
}

fn graph(g: &Neighbourhood) -> Value {
    let node = |n: &Node| {
        Obj::new()
            .field("path", format_path(&n.path))
            .field("depth", n.depth)
            .field(
                "end",
                n.end.as_ref().map_or(Value::Null, |(kind, values)| {
                    Obj::new()
                        .field("kind", kind.name())
                        .field("values", values.as_str())
                        .done()
                }),
            )
            .done()
    };
    let edge = |e: &Edge| {
        Obj::new()
            .field("from", e.from)
            .field("to", e.to)
            .field("goroutine", e.goroutine.as_str())
            .field("step", e.step.as_str())
            .field("race", e.race)
            .field("memory", e.memory)
            .done()
    };
    Obj::new()
        .field("nodes", list(&g.nodes, node))
        .field("edges", list(&g.edges, edge))
        .field("cut", g.cut)
        .done()
}

/// The findings of a finished check, each with `path`: the path that
/// plays its witness (`path_of`), `null` when it has none.
pub fn findings(r: &CheckResult, path_of: &dyn Fn(&[WitnessStep]) -> Vec<u32>) -> Value {
    let path =
        |w: &[WitnessStep], cut: bool| (!cut && !w.is_empty()).then(|| format_path(&path_of(w)));
    let outcomes = r.outcomes.iter().enumerate().map(|(i, o)| {
        Obj::new()
            .field("number", i + 1)
            .field("kind", o.kind.name())
            .field("message", o.message.as_deref())
            .field("values", o.values())
            .field("output", o.output.as_str())
            .field("class", o.class.map(|c| c.name()))
            .field("race_outcome", o.is_race())
            .field("preemptions", o.preemptions)
            .field("path", path(&o.witness, o.witness_cut))
            .done()
    });
    let races = r.races.iter().enumerate().map(|(i, x)| {
        Obj::new()
            .field("number", i + 1)
            .field("var", x.var.as_str())
            .field("a", access(&x.a))
            .field("b", access(&x.b))
            .field("path", path(&x.witness, false))
            .done()
    });
    let leaks = r.leaks.iter().map(|l| {
        Obj::new()
            .field("goroutine", l.goroutine.as_str())
            .field("line", l.line)
            .field("col", l.col)
            .field("waiting", l.waiting.as_str())
            .field("path", path(&l.witness, false))
            .done()
    });
    let never = r.never_ending.iter().map(|n| {
        Obj::new()
            .field("goroutines", list(&n.goroutines, position))
            .field("path", path(&n.witness, false))
            .done()
    });
    let expects = r.expects.iter().map(|e| {
        let verdict = match e.verdict {
            crate::analysis::Verdict::Holds => "holds",
            crate::analysis::Verdict::Fails => "fails",
            crate::analysis::Verdict::Unknown => "unknown",
        };
        Obj::new()
            .field("line", e.line)
            .field("text", e.text.as_str())
            .field("verdict", verdict)
            .field("path", e.witness.as_deref().and_then(|w| path(w, false)))
            .done()
    });
    Obj::new()
        .field("complete", r.complete)
        .field("limit", r.limit.as_deref())
        .field("memory", r.memory)
        .field("explored_under", r.explored_under)
        .field("states", r.stats.states)
        .field("outcomes", Value::Array(outcomes.collect()))
        .field("races", Value::Array(races.collect()))
        .field("leaks", Value::Array(leaks.collect()))
        .field("never_ending", Value::Array(never.collect()))
        .field("expects", Value::Array(expects.collect()))
        .done()
}
