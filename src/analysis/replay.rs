//! `grace replay`: one witness stepped through, with after each step where
//! every goroutine stands, the shared memory as the model sees it and the
//! sync objects (plain text, made here from the states).

use super::outcomes::Listed;
use super::races::{HbSearch, graph_of};
use super::searches::Searched;
use super::witness::Witnesser;
use super::{Race, ReplayTarget};
use crate::memory::MemoryModel;
use crate::search::Explored;
use crate::semantics::{Machine, Mode};
use crate::state::{Interner, State, gor_name};

/// The replay `grace replay` asked for, or why there is none.
pub(super) fn of_target<M: MemoryModel>(
    target: ReplayTarget,
    s: &Searched<'_, M>,
    listed: &Listed<M::Mem>,
    races: &[Race],
    hb: &Option<HbSearch<'_, M>>,
    strings: &mut Interner,
) -> Result<String, String> {
    let outcomes = &listed.outcomes;
    let (by_hb, steps, title) = match target {
        ReplayTarget::Outcome(n) => {
            let o = outcomes.get(n.wrapping_sub(1)).ok_or_else(|| {
                format!(
                    "there is no outcome #{n} (the report has {})",
                    outcomes.len()
                )
            })?;
            let title = format!(
                "outcome #{n} ({}, {}): {}",
                o.kind.name(),
                o.class_name(),
                o.values()
            );
            let mode = if o.serial_witness {
                Mode::Serial
            } else {
                Mode::Full
            };
            let ex = match &listed.serial_runs {
                Some(ex) if o.serial_witness => ex,
                _ => &s.full,
            };
            return Ok(replay_text(
                &s.machine,
                ex,
                ex.path(o.terminal),
                mode,
                &title,
                strings,
            ));
        }
        ReplayTarget::Race(n) => {
            let r = races.get(n.wrapping_sub(1)).ok_or_else(|| {
                format!(
                    "there is no data race #{n} (the report has {})",
                    races.len()
                )
            })?;
            let title = format!(
                "data race #{n} on {}: {} at {}:{} and {} at {}:{}",
                r.var, r.a.op, r.a.line, r.a.col, r.b.op, r.b.line, r.b.col
            );
            (r.by_hb, r.steps.clone(), title)
        }
    };
    let (m, ex) = graph_of(hb, s, by_hb);
    Ok(replay_text(m, ex, steps, Mode::Full, &title, strings))
}

/// Step through the witness that ends at state `end` (then takes successor
/// `extra`, for a race), printing after each step where every goroutine
/// stands, the shared memory as the model sees it, and the sync objects.
pub(super) fn replay_text<M: MemoryModel>(
    machine: &Machine<'_, M>,
    ex: &Explored<M::Mem>,
    steps: Vec<(u32, u32)>,
    mode: Mode,
    title: &str,
    strings: &mut Interner,
) -> String {
    use std::fmt::Write as _;
    let prog = machine.prog;
    let mut out = format!("replay of {title}, under {}\n", machine.model.name());
    let run = Witnesser { machine, ex, mode }.run(&steps, strings);
    let _ = writeln!(out, "\nstart");
    render_state(machine, &ex.states.get(0), strings, &mut out);
    for (n, r) in run.steps.iter().enumerate() {
        let (s, x) = (&r.before, &r.step);
        let (l, c) = machine.loc(s, x.gor as usize);
        let _ = writeln!(
            out,
            "\nstep {}: {} at {l}:{c}: {}",
            n + 1,
            gor_name(prog, s, x.gor as usize),
            x.desc
        );
        render_state(machine, &x.state, strings, &mut out);
    }
    let state = run.end;
    if let Some(e) = state.end {
        let _ = writeln!(
            out,
            "\nthe run ends: {}{}",
            e.kind.name(),
            if e.msg == 0 {
                String::new()
            } else {
                format!(" ({})", crate::ir::escape(strings.get(e.msg)))
            }
        );
    }
    out
}

fn render_state<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    strings: &Interner,
    out: &mut String,
) {
    use std::fmt::Write as _;
    let prog = machine.prog;
    for g in 0..s.gors.len() {
        let name = gor_name(prog, s, g);
        if s.gors[g].done() {
            let _ = writeln!(out, "      {name}: done");
        } else {
            let (l, c) = machine.loc(s, g);
            let _ = writeln!(
                out,
                "      {name}: at {l}:{c}, next: {}",
                machine.waiting_at(s, g)
            );
        }
    }
    let parts = memory_parts(machine, s, strings);
    for line in parts.memory {
        let _ = writeln!(out, "      {line}");
    }
    if !parts.sync.is_empty() {
        let _ = writeln!(out, "      sync: {}", parts.sync.join(", "));
    }
    if let Some(output) = parts.output {
        let _ = writeln!(out, "      output: {output:?}");
    }
}

/// What a state holds besides its goroutines, as `grace replay` and `grace
/// explore` show it.
pub(super) struct MemoryParts {
    /// The shared memory as the model sees it: the values, and under a
    /// weak model the store buffers or what each goroutine may still read
    /// ([`MemoryModel::show`]).
    pub(super) memory: Vec<String>,
    /// The sync objects not at rest (`mu locked`, `wg counter 2`), the
    /// atomics, and the channels holding values or closed.
    pub(super) sync: Vec<String>,
    /// What the program printed so far, if anything.
    pub(super) output: Option<String>,
}

/// The memory, sync objects and output of state `s`.
pub(super) fn memory_parts<M: MemoryModel>(
    machine: &Machine<'_, M>,
    s: &State<M::Mem>,
    strings: &Interner,
) -> MemoryParts {
    let prog = machine.prog;
    let var = |slot: u32, v: i64| {
        let shown = match prog.plain_tys[slot as usize] {
            crate::ir::Ty::Str => format!("{:?}", strings.get(v as u32)),
            t => t.show(v),
        };
        format!("{}={shown}", prog.plain_names[slot as usize])
    };
    let gname = |g: usize| {
        if s.gors.get(g).is_some_and(|x| !x.done()) {
            gor_name(prog, s, g)
        } else {
            String::new()
        }
    };
    let memory = machine.model.show(&s.mem, &var, &gname);
    let mut sync = Vec::new();
    for (o, kind) in prog.sync_kinds.iter().enumerate() {
        let v = s.sync[o];
        let name = &prog.sync_names[o];
        match kind {
            crate::ir::SyncKind::Mutex if v != 0 => sync.push(format!("{name} locked")),
            crate::ir::SyncKind::RWMutex if v == -1 => sync.push(format!("{name} write-locked")),
            crate::ir::SyncKind::RWMutex if v != 0 => {
                sync.push(format!("{name} read-locked by {}", v & 0xFFFF_FFFF))
            }
            crate::ir::SyncKind::WaitGroup if v != 0 => sync.push(format!("{name} counter {v}")),
            crate::ir::SyncKind::AtomicInt(t) | crate::ir::SyncKind::AtomicVar(t) => {
                sync.push(format!("{name}={}", t.show(v)))
            }
            crate::ir::SyncKind::AtomicBool => sync.push(format!("{name}={}", v != 0)),
            crate::ir::SyncKind::Once if v == 1 => sync.push(format!("{name} running")),
            crate::ir::SyncKind::Once if v == 2 => sync.push(format!("{name} done")),
            crate::ir::SyncKind::Cond if v != 0 => {
                sync.push(format!("{name} waiters {:#b}", v as u64))
            }
            _ => {}
        }
    }
    for (c, ch) in s.chans.iter().enumerate() {
        if !ch.buf.is_empty() || ch.closed {
            let info = &prog.chans[c];
            let vals: Vec<String> = ch
                .buf
                .iter()
                .map(|&v| match info.elem {
                    crate::ir::Ty::Str => format!("{:?}", strings.get(v as u32)),
                    t => prog.show_value(t, v),
                })
                .collect();
            sync.push(format!(
                "{} [{}]{}",
                info.name,
                vals.join(" "),
                if ch.closed { " closed" } else { "" }
            ));
        }
    }
    MemoryParts {
        memory,
        sync,
        output: (s.output != 0).then(|| strings.get(s.output).to_string()),
    }
}
