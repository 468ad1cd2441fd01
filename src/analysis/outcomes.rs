//! Outcomes: the distinct ways the runs end (kind, final values, output),
//! each with its class (serial, preemptive, stale) and its clearest witness.

use super::searches::Searched;
use super::witness::{Witnesser, positions};
use super::{Check, Class, GValue, Outcome, Stops, WitnessStep, outcome_text};
use crate::ir::{MAP_CAP, Place, Program, Ty};
use crate::memory::MemoryModel;
use crate::memory::sc::Sc;
use crate::search::{Explored, SearchLimits, explore};
use crate::semantics::Mode;
use crate::state::{EndKind, Interner, State};
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

/// What a complete sc check found, as outcome texts (see [`outcome_text`]).
pub(super) struct ScBefore {
    pub(super) outcomes: FxHashSet<String>,
    /// Those reached without preemption.
    pub(super) serial: FxHashSet<String>,
    pub(super) states: usize,
    pub(super) serial_states: usize,
}

pub(super) use crate::search::{OutcomeKey, finals, outcome_key};

/// Where an outcome comes in the report: by kind, final values, output
/// and message.
type SortKey = (EndKind, Vec<i64>, String, String);

fn sort_key(key: &OutcomeKey, strings: &Interner) -> SortKey {
    (
        key.0,
        key.1.clone(),
        strings.get(key.3).to_string(),
        strings.get(key.2).to_string(),
    )
}

pub(super) fn globals_of(
    prog: &Program,
    vals: &[i64],
    strings: &Interner,
) -> Vec<(String, GValue)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for g in &prog.globals {
        if let (Place::Map | Place::Plain, Ty::Map(ty)) = (g.place, g.ty) {
            let n = vals[pos] as usize;
            let show = |t: Ty, v: i64| match t {
                Ty::Str => strings.get(v as u32).to_string(),
                // a struct pointer by its type (which instance is no value
                // of the program's: `outcome_key`)
                Ty::StructPtr(k) if v != 0 => format!("&{}", prog.structs[k as usize].0),
                t => prog.show_value(t, v),
            };
            let kvs = (0..n)
                .map(|i| {
                    let (k, v) = (vals[pos + 1 + 2 * i], vals[pos + 2 + 2 * i]);
                    (show(ty.key(), k), show(ty.val(), v))
                })
                .collect();
            out.push((g.name.clone(), GValue::Map(ty, kvs)));
            pos += 1 + 2 * MAP_CAP;
            continue;
        }
        match g.len {
            None if g.ty == Ty::Str => {
                out.push((
                    g.name.clone(),
                    GValue::Str(strings.get(vals[pos] as u32).to_string()),
                ));
                pos += 1;
            }
            None => {
                out.push((g.name.clone(), GValue::Scalar(g.ty, vals[pos])));
                pos += 1;
            }
            Some(n) => {
                out.push((
                    g.name.clone(),
                    GValue::Array(g.ty, vals[pos..pos + n as usize].to_vec()),
                ));
                pos += n as usize;
            }
        }
    }
    out
}

/// The outcomes of a check, and what the analyses after them use.
pub(super) struct Listed<Mm> {
    /// In report order: by kind, final values, output and message.
    pub(super) outcomes: Vec<Outcome>,
    /// Every terminal state of the main graph with its outcome's key, in
    /// witness order (see [`super::searches::run`]).
    pub(super) keys_of_terminal: Vec<(u32, OutcomeKey)>,
    /// The terminal states of `serial_runs` with their outcomes' keys, when
    /// the main search was stopped (their outcomes are listed too).
    pub(super) serial_keys_of_terminal: Vec<(u32, OutcomeKey)>,
    /// The model's runs without preemption, when a serial outcome's
    /// witness was looked for there, or the main search was stopped.
    pub(super) serial_runs: Option<Explored<Mm>>,
}

/// What the classes of the outcomes are worked out from.
struct Classes<'a> {
    sc_before: Option<&'a ScBefore>,
    /// The outcomes the serial search reached.
    serial_keys: FxHashSet<OutcomeKey>,
    /// The outcomes the sc search reached, when there was one.
    sc_keys: Option<FxHashSet<OutcomeKey>>,
    serial_stopped: bool,
    sc_stopped: bool,
}

impl Classes<'_> {
    /// The class of the outcome `key` (`text` as in [`outcome_text`]).
    fn of(&self, key: &OutcomeKey, text: &str) -> Option<Class> {
        let serial_run = match self.sc_before {
            Some(b) => b.serial.contains(text),
            None => self.serial_keys.contains(key),
        };
        // Whether sc reaches it; `None` when the sc search was stopped
        // before finding it (it could still have).
        let under_sc = match (self.sc_before, &self.sc_keys) {
            (Some(b), _) => Some(b.outcomes.contains(text)),
            (None, Some(k)) if k.contains(key) => Some(true),
            (None, Some(_)) => (!self.sc_stopped).then_some(false),
            (None, None) => Some(true),
        };
        // An outcome the serial search did not reach is not serial only if
        // that search was complete; one sc did not reach is stale only if
        // the sc search was.
        if serial_run {
            Some(Class::Serial)
        } else if self.serial_stopped {
            None
        } else {
            under_sc.map(|u| if u { Class::Preemptive } else { Class::Stale })
        }
    }
}

/// A witness as the report shows it: its steps (`None` once the check was
/// stopped), the state it ends in, its terminal state and whether that is
/// in the serial runs' graph.
struct Shown<Mm> {
    witness: Option<Vec<WitnessStep>>,
    end_state: State<Mm>,
    terminal: u32,
    serial_witness: bool,
}

/// The outcomes: the first (clearest) terminal state of each.
pub(super) fn list<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    sc_before: Option<&ScBefore>,
    strings: &mut Interner,
    stops: &mut Stops,
) -> Listed<M::Mem> {
    let (prog, model, full) = (cx.prog, cx.model, &s.full);
    let keys = |ex: &Explored<<Sc as MemoryModel>::Mem>| -> FxHashSet<OutcomeKey> {
        ex.terminals
            .iter()
            .map(|&(i, end)| outcome_key(prog, &Sc, &ex.states.get(i), end.kind, end.msg))
            .collect()
    };
    let classes = Classes {
        sc_before,
        serial_keys: s.serial.as_ref().map(keys).unwrap_or_default(),
        sc_keys: s.sc_full.as_ref().map(keys),
        serial_stopped: s.serial.as_ref().is_some_and(|x| x.stopped.is_some()),
        sc_stopped: s.sc_full.as_ref().is_none_or(|x| x.stopped.is_some()),
    };
    let w = Witnesser {
        machine: &s.machine,
        ex: full,
        mode: Mode::Full,
    };
    let mut serial_runs: Option<Explored<M::Mem>> = None;
    let mut by_key: BTreeMap<SortKey, Outcome> = BTreeMap::new();
    let mut keys_of_terminal = Vec::new();
    // Once stopped (after the grace a stop by time or an interrupt leaves
    // to show what was found), the outcomes are still listed, without a
    // witness.
    let mut witnesses_cut = None;
    for &(i, end) in &full.terminals {
        let st = &full.states.get(i);
        let key = outcome_key(prog, model, st, end.kind, end.msg);
        keys_of_terminal.push((i, key.clone()));
        let sort_key = sort_key(&key, strings);
        if by_key.contains_key(&sort_key) {
            continue;
        }
        let message = (end.kind != EndKind::Ok).then(|| strings.get(end.msg).to_string());
        let globals = globals_of(prog, &key.1, strings);
        let output = strings.get(st.output).to_string();
        let text = outcome_text(end.kind, &globals, message.as_deref(), &output);
        let class = classes.of(&key, &text);
        // asked every 16 witnesses (each is a replay of its run)
        if witnesses_cut.is_none() && by_key.len().is_multiple_of(16) {
            witnesses_cut = cx.cancel.stopped_after_grace(0);
        }
        let mut shown = if witnesses_cut.is_none() {
            let run = w.run(&full.path(i), strings);
            Shown {
                witness: Some(w.steps_of(&run, strings)),
                end_state: run.end,
                terminal: i,
                serial_witness: false,
            }
        } else {
            Shown {
                witness: None,
                end_state: full.states.get(i),
                terminal: i,
                serial_witness: false,
            }
        };
        if class == Some(Class::Serial) {
            serial_witness(cx, s, &key, &mut serial_runs, &mut shown, strings);
        }
        let witness = shown.witness;
        by_key.insert(
            sort_key,
            Outcome {
                kind: end.kind,
                message,
                globals,
                output,
                class,
                preemptions: witness.iter().flatten().filter(|x| x.preemption).count() as u32,
                witness_cut: witness.is_none(),
                witness: witness.unwrap_or_default(),
                blocked: if end.kind == EndKind::Deadlock {
                    positions(&s.machine, &shown.end_state)
                } else {
                    Vec::new()
                },
                terminal: shown.terminal,
                serial_witness: shown.serial_witness,
                past_stop: !shown.serial_witness && full.past_stop(shown.terminal),
            },
        );
    }
    // A search stopped before it saw every run may not have seen a run
    // end that a run without preemption under the model reaches (there are
    // few of those): list them too, with such a run as witness.
    let mut serial_keys_of_terminal = Vec::new();
    if full.stopped.is_some() && witnesses_cut.is_none() {
        let ex = serial_runs.get_or_insert_with(|| serial_search(cx, s, strings));
        let sw = Witnesser {
            machine: &s.machine,
            ex,
            mode: Mode::Serial,
        };
        let mut ends = ex.terminals.clone();
        ends.sort_by_key(|&(j, _)| (ex.cost(j).unwrap_or((u32::MAX, u32::MAX, u32::MAX)), j));
        for (j, end) in ends {
            let st = &ex.states.get(j);
            let key = outcome_key(prog, model, st, end.kind, end.msg);
            serial_keys_of_terminal.push((j, key.clone()));
            let sort_key = sort_key(&key, strings);
            if by_key.contains_key(&sort_key) {
                continue;
            }
            if by_key.len().is_multiple_of(16) {
                witnesses_cut = cx.cancel.stopped_after_grace(0);
                if witnesses_cut.is_some() {
                    break;
                }
            }
            let path = ex.path(j);
            let run = sw.run(&path, strings);
            if run.steps.len() != path.len() {
                // a replay that fell short would show a run that ends elsewhere
                continue;
            }
            let message = (end.kind != EndKind::Ok).then(|| strings.get(end.msg).to_string());
            let globals = globals_of(prog, &key.1, strings);
            let output = strings.get(st.output).to_string();
            let text = outcome_text(end.kind, &globals, message.as_deref(), &output);
            let witness = sw.steps_of(&run, strings);
            by_key.insert(
                sort_key,
                Outcome {
                    kind: end.kind,
                    message,
                    globals,
                    output,
                    class: classes.of(&key, &text),
                    preemptions: witness.iter().filter(|x| x.preemption).count() as u32,
                    witness_cut: false,
                    witness,
                    blocked: if end.kind == EndKind::Deadlock {
                        positions(&s.machine, &run.end)
                    } else {
                        Vec::new()
                    },
                    terminal: j,
                    serial_witness: true,
                    past_stop: true,
                },
            );
        }
    }
    stops.note(witnesses_cut, "witnesses of the outcomes");
    Listed {
        outcomes: by_key.into_values().collect(),
        keys_of_terminal,
        serial_keys_of_terminal,
        serial_runs,
    }
}

/// The runs without preemption under the model, with their clearest
/// witnesses (if stopped, what it found: the next phase meets the same
/// stop and marks the report).
fn serial_search<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    strings: &mut Interner,
) -> Explored<M::Mem> {
    let limits = SearchLimits {
        finish_runs: false,
        ..cx.limits.clone()
    };
    let mut ex = explore(&s.machine, Mode::Serial, limits, strings);
    let _ = ex.clearest_witnesses(&cx.cancel);
    ex
}

/// A serial outcome's witness with a preemption: reductions may leave no
/// run without preemption to it in the full graph, so show the clearest one
/// the serial search (of the model, run once, kept in `serial_runs`) found
/// if it has fewer preemptions.
fn serial_witness<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    key: &OutcomeKey,
    serial_runs: &mut Option<Explored<M::Mem>>,
    shown: &mut Shown<M::Mem>,
    strings: &mut Interner,
) {
    let preempted = |w: &[WitnessStep]| w.iter().filter(|x| x.preemption).count();
    let Some(shown_steps) = &shown.witness else {
        return;
    };
    if preempted(shown_steps) == 0 {
        return;
    }
    // if stopped, the witness shown stays the full graph's
    let ex = serial_runs.get_or_insert_with(|| serial_search(cx, s, strings));
    let found = ex
        .terminals
        .iter()
        .filter(|&&(j, e)| outcome_key(cx.prog, cx.model, &ex.states.get(j), e.kind, e.msg) == *key)
        .min_by_key(|&&(j, _)| (ex.cost(j), j));
    if let Some(&(j, _)) = found {
        let sw = Witnesser {
            machine: &s.machine,
            ex,
            mode: Mode::Serial,
        };
        let path = ex.path(j);
        let r = sw.run(&path, strings);
        let wt = sw.steps_of(&r, strings);
        // a replay that fell short would show a run that ends elsewhere
        if r.steps.len() == path.len() && preempted(&wt) < preempted(shown_steps) {
            *shown = Shown {
                witness: Some(wt),
                end_state: r.end,
                terminal: j,
                serial_witness: true,
            };
        }
    }
}
