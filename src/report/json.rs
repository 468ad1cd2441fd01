//! The JSON report, exactly as in CLI.md.

use crate::analysis::{CheckResult, GValue};
use crate::state::EndKind;
use serde_json::{Map, Value, json};

/// The JSON object of one file's report.
pub fn to_value(file: &str, r: &CheckResult) -> Value {
    let outcomes: Vec<Value> = r
        .outcomes
        .iter()
        .map(|o| {
            let mut globals = Map::new();
            for (n, v) in &o.globals {
                globals.insert(n.clone(), gvalue(v));
            }
            let mut obj = Map::new();
            obj.insert("kind".into(), json!(o.kind.name()));
            obj.insert("message".into(), json!(o.message));
            obj.insert("globals".into(), Value::Object(globals));
            obj.insert("output".into(), json!(o.output));
            obj.insert("class".into(), json!(o.class));
            obj.insert("preemptions".into(), json!(o.preemptions));
            // null: the check was stopped before it was made
            obj.insert(
                "witness".into(),
                if o.witness_cut {
                    Value::Null
                } else {
                    json!(o.witness)
                },
            );
            if o.kind == EndKind::Deadlock {
                obj.insert("blocked".into(), json!(o.blocked));
            }
            Value::Object(obj)
        })
        .collect();
    let mut top = Map::new();
    top.insert("file".into(), json!(file));
    top.insert("memory".into(), json!(r.memory));
    if let Some(m) = r.explored_under {
        top.insert("explored_under".into(), json!(m));
    }
    top.insert("complete".into(), json!(r.complete));
    if let Some(l) = &r.limit {
        top.insert("limit".into(), json!(l));
    }
    if let Some(p) = r.stopped_in {
        top.insert("stopped_in".into(), json!(p));
    }
    top.insert("stats".into(), json!(r.stats));
    top.insert("outcomes".into(), Value::Array(outcomes));
    top.insert("races".into(), json!(r.races));
    top.insert("leaks".into(), json!(r.leaks));
    top.insert("never_ending".into(), json!(r.never_ending));
    // `holds` stays for tools that read only it: true only when it holds.
    let expects: Vec<Value> = r
        .expects
        .iter()
        .map(|e| {
            let mut v = json!({
                "line": e.line,
                "text": e.text,
                "verdict": e.verdict,
                "holds": e.holds(),
            });
            if let Some(m) = &e.error {
                v["error"] = json!(m);
            }
            v["witness"] = json!(e.witness);
            v
        })
        .collect();
    top.insert("expects".into(), Value::Array(expects));
    Value::Object(top)
}

fn gvalue(v: &GValue) -> Value {
    use crate::ir::Ty;
    let one = |t: Ty, x: i64| match t {
        Ty::Bool => json!(x != 0),
        _ => json!(x),
    };
    match v {
        GValue::Scalar(t, x) => one(*t, *x),
        GValue::Array(t, xs) => Value::Array(xs.iter().map(|x| one(*t, *x)).collect()),
    }
}
