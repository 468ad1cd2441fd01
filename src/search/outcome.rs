//! The outcome of a run that ended: how it ended, the final values of the
//! program's globals (as the report lists them) and its output, as a key
//! ([`outcome_key`]). The search counts them for its progress line; the
//! analysis lists them.

use crate::ir::{MAP_CAP, MAP_WORDS, Place, Program, Ty};
use crate::memory::MemoryModel;
use crate::state::{EndKind, State};

/// An outcome: (kind, listed globals, message, output).
pub type OutcomeKey = (EndKind, Vec<i64>, u32, u32);

/// The final values of a state: the model's plain memory as it ends, and
/// the sync table (atomics and maps live there).
pub fn finals<M: MemoryModel>(
    prog: &Program,
    model: &M,
    s: &State<M::Mem>,
) -> (Vec<i64>, Vec<i64>) {
    let _ = prog;
    (model.finals(&s.mem), s.sync.to_vec())
}

/// The outcome of a run that ended at `s` (with `kind` and `msg`): the
/// values of the program's globals as the report lists them (a map by its
/// length and pairs, not its write mark), the message and the output.
pub fn outcome_key<M: MemoryModel>(
    prog: &Program,
    model: &M,
    s: &State<M::Mem>,
    kind: EndKind,
    msg: u32,
) -> OutcomeKey {
    let (plain, sync) = finals(prog, model, s);
    let mut vals = Vec::new();
    for g in &prog.globals {
        let src = match g.place {
            // a struct's map field: the map it refers to, listed as a map
            Place::Plain if matches!(g.ty, Ty::Map(_)) => {
                match plain[g.base as usize] {
                    0 => vals.extend(std::iter::repeat_n(0, 1 + 2 * MAP_CAP)),
                    m => map_entries(g.ty, &sync[prog.map_base(m as usize - 1)..], &mut vals),
                }
                continue;
            }
            Place::Plain => &plain,
            Place::Atomic => &sync,
            Place::Map if g.base as usize >= prog.maps.len() => {
                // a nil map: no entries
                vals.extend(std::iter::repeat_n(0, 1 + 2 * MAP_CAP));
                continue;
            }
            Place::Map => {
                // its length and pairs; not its write mark (a run may end
                // with main returning while another goroutine writes)
                map_entries(g.ty, &sync[prog.map_base(g.base as usize)..], &mut vals);
                continue;
            }
        };
        let n = g.len.unwrap_or(1);
        vals.extend_from_slice(&src[g.base as usize..(g.base + n) as usize]);
    }
    (kind, vals, msg, s.output)
}

/// A map's length and pairs (not its write mark: a run may end with main
/// returning while another goroutine writes), from its `block`. A value
/// that is a struct pointer counts only as nil or not: which instance of
/// its pool a `&T{…}` got is no value of the program's (`map[a:&entry]`).
fn map_entries(ty: Ty, block: &[i64], vals: &mut Vec<i64>) {
    let at = vals.len();
    vals.push(block[0]);
    vals.extend_from_slice(&block[2..MAP_WORDS]);
    if let Ty::Map(m) = ty
        && let Ty::StructPtr(_) = m.val()
    {
        for v in vals[at + 2..].iter_mut().step_by(2) {
            *v = (*v != 0) as i64;
        }
    }
}
