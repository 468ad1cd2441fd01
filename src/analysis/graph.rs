//! The state graph as drawn for `--dot` and `--html`: the terminal states
//! marked with their outcomes, the race outcomes' witnesses in bold.

use super::Check;
use super::outcomes::{Listed, OutcomeKey, globals_of};
use super::searches::Searched;
use crate::memory::MemoryModel;
use crate::state::Interner;
use rustc_hash::{FxHashMap, FxHashSet};

/// The picture of the main graph.
pub(super) fn picture<M: MemoryModel>(
    cx: &Check<'_, M>,
    s: &Searched<'_, M>,
    listed: &Listed<M::Mem>,
    strings: &mut Interner,
) -> crate::report::dot::Picture {
    let (prog, full, outcomes) = (cx.prog, &s.full, &listed.outcomes);
    let mut marks = FxHashMap::default();
    for (i, key) in &listed.keys_of_terminal {
        let key: &OutcomeKey = key;
        let o = outcomes.iter().find(|o| {
            o.kind == key.0
                && o.globals == globals_of(prog, &key.1)
                && o.output == strings.get(key.3)
        });
        if let Some(o) = o {
            let mut label = o.kind.name().to_string();
            for (n, v) in &o.globals {
                label.push_str(&format!("\\n{n}={}", v.show()));
            }
            if !o.output.is_empty() {
                label.push_str(&format!(
                    "\\n{}",
                    format!("{:?}", o.output).replace('\\', "\\\\")
                ));
            }
            marks.insert(
                *i,
                crate::report::dot::TerminalMark {
                    label,
                    race: o.is_race(),
                },
            );
        }
    }
    let mut witness = FxHashSet::default();
    for o in outcomes.iter().filter(|o| o.is_race()) {
        witness.extend(full.path(o.terminal));
    }
    crate::report::dot::picture(&s.machine, full, &marks, &witness, strings)
}
