//! Expects: each `expect` of the program judged on the final values of
//! every run that ended (holds, fails, or unknown when the check was
//! stopped before it saw every run), with the run that shows the verdict.

use super::outcomes::{OutcomeKey, finals, globals_of};
use super::witness::Witnesser;
use super::{Check, ExpectResult, Stops, Verdict, values_text};
use crate::ir::ExpectKind;
use crate::memory::MemoryModel;
use crate::state::{EndKind, Interner};

/// The runs without preemption of a stopped check: their graph's
/// witnesser, and their terminal states with their outcomes' keys.
pub(super) type SerialRuns<'w, 'a, 'p, M> = (&'w Witnesser<'a, 'p, M>, &'w [(u32, OutcomeKey)]);

/// The verdict of every expect, on the terminal states of the main graph
/// (`w`'s) with their outcomes' keys, and when the main search was stopped
/// on those of the runs without preemption (`serial`'s graph) too.
pub(super) fn check<M: MemoryModel>(
    cx: &Check<'_, M>,
    w: &Witnesser<'_, '_, M>,
    keys_of_terminal: &[(u32, OutcomeKey)],
    serial: Option<SerialRuns<'_, '_, '_, M>>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> Vec<ExpectResult> {
    let full = w.ex;
    // (in the serial runs' graph, terminal state, its outcome's key)
    let terminals: Vec<(bool, u32, &OutcomeKey)> = keys_of_terminal
        .iter()
        .map(|(i, k)| (false, *i, k))
        .chain(
            serial
                .iter()
                .flat_map(|(_, ks)| ks.iter().map(|(i, k)| (true, *i, k))),
        )
        .collect();
    let graph = |in_serial: bool| match (in_serial, serial) {
        (true, Some((sw, _))) => sw,
        _ => w,
    };
    // Expects, on the final values of every run that ended. A condition
    // that cannot be evaluated at an outcome the expect looks at (a
    // division by zero, an index out of range) breaks the expect there,
    // whatever its kind: it is no more true than false (LANGUAGE.md §6).
    let mut expects = Vec::new();
    for e in &cx.prog.expects {
        let mut holds_any = None;
        let mut violation = None;
        let mut error = None;
        let mut cut = None;
        for (n, &(in_serial, i, key)) in terminals.iter().enumerate() {
            if n.is_multiple_of(4096) {
                cut = cx.cancel.stopped();
                if cut.is_some() {
                    break;
                }
            }
            if e.kind == ExpectKind::Forall && key.0 != EndKind::Ok {
                continue;
            }
            let st = graph(in_serial).ex.states.get(i);
            let (plain, sync) = finals(cx.prog, cx.model, &st);
            let v = match e.cond.eval(&plain, &sync) {
                Ok(v) => v != 0,
                Err(crate::ir::EvalError(m)) => {
                    error = Some((
                        (in_serial, i),
                        m,
                        values_text(&globals_of(cx.prog, &key.1, strings)),
                    ));
                    break;
                }
            };
            match e.kind {
                ExpectKind::Exists => {
                    if v && holds_any.is_none() {
                        holds_any = Some((in_serial, i));
                    }
                }
                ExpectKind::Never | ExpectKind::Forall => {
                    if v == (e.kind == ExpectKind::Never) && violation.is_none() {
                        violation = Some((in_serial, i));
                    }
                }
            }
        }
        // A verdict that needs every run is known only when the search
        // saw every run (to its end) and all were looked at; one shown by
        // a run stands anyway.
        stops.note(cut, "expect checks");
        let searched_all = full.stopped.is_none() && cut.is_none();
        let (verdict, wi) = match (e.kind, holds_any, violation) {
            _ if error.is_some() => (Verdict::Fails, error.as_ref().map(|x| x.0)),
            (ExpectKind::Exists, Some(i), _) => (Verdict::Holds, Some(i)),
            (ExpectKind::Exists, None, _) if searched_all => (Verdict::Fails, None),
            (ExpectKind::Exists, None, _) => (Verdict::Unknown, None),
            (_, _, Some(i)) => (Verdict::Fails, Some(i)),
            (_, _, None) if searched_all => (Verdict::Holds, None),
            (_, _, None) => (Verdict::Unknown, None),
        };
        let (error, error_at) = error.map(|x| (x.1, x.2)).unzip();
        expects.push(ExpectResult {
            line: e.line,
            text: e.text.clone(),
            verdict,
            // once stopped, the verdict without its witness
            witness: wi
                .filter(|_| cx.cancel.stopped_after_grace(0).is_none())
                .map(|(in_serial, i)| graph(in_serial).witness(i, strings)),
            error,
            error_at,
        });
    }

    expects
}
