//! `grace explore`: the learner is the scheduler. A run is a *path*, the
//! list of choices made from the initial state, each an index into the
//! list of every step possible at the state reached so far — the machine's
//! own successors ([`Machine::successors_unreduced`], in its fixed order:
//! goroutine, then choice of value or case, then the memory system's
//! flushes), the function every search and witness replay uses. So a path
//! is replayed by the semantics the check explores, never by a second
//! interpreter, and names the same state on every run of grace: a view of
//! the state it reaches ([`view`]) is made from the path alone.
//!
//! A view holds what the page of `grace explore` shows: the steps taken
//! (as a witness shows them, preemptions marked), every step possible now
//! (what each does, and the data races it makes), where each goroutine
//! stands, the memory as the model sees it, the sync objects, the output,
//! how the run ended, and the state graph around the state.

use super::outcomes::globals_of;
use super::replay::memory_parts;
use super::witness::{Replayed, steps_of, witness_step};
use super::{GValue, Position, WitnessStep, values_text};
use crate::ir::Program;
use crate::memory::MemoryModel;
use crate::search::outcome_key;
use crate::semantics::{Machine, Mode, Succ};
use crate::state::hb::Record;
use crate::state::{EndKind, Interner, State, gor_name};

/// The longest path a view is made for: a path is replayed step by step on
/// every request, so one longer than any run a person clicks through is
/// refused rather than replayed.
pub const MAX_PATH: usize = 100_000;

/// States the drawn neighbourhood of a state holds at most.
const MAX_NODES: usize = 40;
/// How many states of the path before the current one are drawn.
const BACK: usize = 2;
/// How many steps ahead of the current state are drawn.
const AHEAD: i32 = 2;

/// A path that names no state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Choice `choice`, the `at`-th of the path (from 0), is not one of
    /// the `choices` steps possible there.
    NoSuchChoice {
        at: usize,
        choice: u32,
        choices: usize,
    },
    /// Longer than [`MAX_PATH`] choices.
    TooLong { len: usize },
    /// Not a list of choices: `0.1.1.0`, numbers separated by dots (the
    /// empty text is the initial state).
    Malformed(String),
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathError::NoSuchChoice {
                at,
                choice,
                choices,
            } => write!(
                f,
                "step {} of the path chooses {choice}, but there {}",
                at + 1,
                match choices {
                    0 => "the run has ended: no step is possible".to_string(),
                    1 => "only choice 0 is possible".to_string(),
                    n => format!("the choices are 0 to {}", n - 1),
                }
            ),
            PathError::TooLong { len } => {
                write!(f, "a path of {len} steps: at most {MAX_PATH} are replayed")
            }
            PathError::Malformed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PathError {}

/// A path as text: the choices separated by dots, `0.1.1.0`; the empty
/// text for the initial state.
pub fn format_path(path: &[u32]) -> String {
    let parts: Vec<String> = path.iter().map(u32::to_string).collect();
    parts.join(".")
}

/// Read a path written as [`format_path`] writes it: decimal numbers
/// separated by dots, nothing else (no sign, no space, no empty choice).
pub fn parse_path(text: &str) -> Result<Vec<u32>, PathError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let bad = || {
        PathError::Malformed(format!(
            "not a path: {:?} (expected choices separated by dots, such as 0.1.1.0)",
            text.chars().take(40).collect::<String>()
        ))
    };
    let len = text.split('.').count();
    if len > MAX_PATH {
        return Err(PathError::TooLong { len });
    }
    text.split('.')
        .map(|c| {
            if c.is_empty() || c.len() > 9 || !c.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            c.parse::<u32>().map_err(|_| bad())
        })
        .collect()
}

/// One step possible at a state: what the page lists to click.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Who takes it (for a flush, the goroutine whose buffer it drains).
    pub goroutine: String,
    pub line: u32,
    pub col: u32,
    /// What it does, as a witness says it: `read balance = 0`, `flush x =
    /// 1`, `read x = 0 (stale; latest is 1)`.
    pub step: String,
    /// A step of the memory system (a store-buffer flush), not of the
    /// goroutine's code.
    pub memory: bool,
    /// Reads a value other than the latest write.
    pub stale: bool,
    /// The data races this step is part of: with another goroutine's
    /// conflicting access, pending at the same time, or made earlier and
    /// not ordered before it by happens-before.
    pub races: Vec<String>,
}

/// A step of the path: the choice made and the step as a witness shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taken {
    /// Its index among the steps possible where it was taken.
    pub choice: u32,
    /// As the reports' witnesses show it, preemptions marked.
    pub step: WitnessStep,
    /// A step of the memory system (a flush).
    pub memory: bool,
    /// The data races it was part of (as [`Choice::races`]).
    pub races: Vec<String>,
}

/// What a goroutine can do at a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It has a step to take.
    Runnable,
    /// It waits (a lock, a channel, a wait group...).
    Blocked,
    /// It returned.
    Done,
    /// The run ended (main returned, or a panic) before it did.
    Stopped,
}

impl Status {
    /// `runnable`, `blocked`, `done`, `stopped`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Runnable => "runnable",
            Status::Blocked => "blocked",
            Status::Done => "done",
            Status::Stopped => "stopped",
        }
    }
}

/// Where a goroutine stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goroutine {
    pub name: String,
    /// Its next step's place (0:0 when done).
    pub line: u32,
    pub col: u32,
    pub status: Status,
    /// Its next step (`read balance`, `wg.Wait()`), `done` when done.
    pub next: String,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunEnd {
    pub kind: EndKind,
    /// The panic, assert or deadlock message.
    pub message: Option<String>,
    /// The final values as the report lists an outcome's.
    pub globals: Vec<(String, GValue)>,
    pub output: String,
    /// The goroutines that had not returned: blocked in a deadlock, left
    /// behind (leaked) when main returned.
    pub left: Vec<Position>,
}

impl RunEnd {
    /// The final values as `name=value`, as the report writes an outcome's.
    pub fn values(&self) -> String {
        values_text(&self.globals)
    }
}

/// A state of the drawn neighbourhood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// A path to it (the shortest found: through the current state).
    pub path: Vec<u32>,
    /// Steps from the current state: negative on the path behind it.
    pub depth: i32,
    /// How a run ends here, and its final values, if it does.
    pub end: Option<(EndKind, String)>,
}

/// A step of the drawn neighbourhood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub goroutine: String,
    pub step: String,
    /// The step is part of a data race.
    pub race: bool,
    /// A step of the memory system.
    pub memory: bool,
}

/// The state graph around a state: the last states of the path, the
/// state, and the states one and two steps ahead (equal states drawn once,
/// so steps that commute meet again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbourhood {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Some states ahead were left out (more than the drawing holds).
    pub cut: bool,
}

/// The state a path reaches, as `grace explore` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateView {
    pub path: Vec<u32>,
    /// The steps of the path.
    pub taken: Vec<Taken>,
    /// Every goroutine started so far, in the order they were started.
    pub goroutines: Vec<Goroutine>,
    /// Every step possible here, in the order of the choices.
    pub choices: Vec<Choice>,
    /// The shared memory as the model sees it: the values, and under tso
    /// the store buffers, under go what each goroutine may still read.
    pub memory: Vec<String>,
    /// The sync objects not at rest, the atomics, the channels holding
    /// values or closed.
    pub sync: Vec<String>,
    /// What the program printed so far.
    pub output: String,
    /// How the run ended, if it has: main returned, a panic, or a deadlock
    /// (no step possible).
    pub end: Option<RunEnd>,
    pub graph: Neighbourhood,
}

/// The machine a path is replayed on: no reduction (every step is a
/// choice), goroutines numbered as started, happens-before tracked (the
/// data races a step is part of).
fn machine<'a, M: MemoryModel>(prog: &'a Program, model: &'a M) -> Machine<'a, M> {
    Machine::new(prog, model, true)
}

/// The view of the state `path` reaches.
pub(crate) fn view<M: MemoryModel>(
    prog: &Program,
    model: &M,
    path: &[u32],
) -> Result<StateView, PathError> {
    if path.len() > MAX_PATH {
        return Err(PathError::TooLong { len: path.len() });
    }
    let m = machine(prog, model);
    let mut strings = Interner::default();
    let mut s = m.initial(&mut strings);
    let mut run: Vec<Replayed<M::Mem>> = Vec::with_capacity(path.len());
    let mut notes = Vec::with_capacity(path.len());
    let mut succ = Vec::new();
    for (at, &k) in path.iter().enumerate() {
        m.successors_unreduced(&s, Mode::Full, &mut strings, true, &mut succ);
        if k as usize >= succ.len() {
            return Err(PathError::NoSuchChoice {
                at,
                choice: k,
                choices: succ.len(),
            });
        }
        let races = races_of(&m, &s, &succ[k as usize], &strings);
        let step = succ.swap_remove(k as usize);
        notes.push((k, step.internal, races));
        let next = step.state.clone();
        let before = std::mem::replace(&mut s, next);
        run.push(Replayed {
            before,
            step,
            to_real: Vec::new(),
        });
    }
    let taken = steps_of(&m, &run, &mut strings)
        .into_iter()
        .zip(notes)
        .map(|(step, (choice, memory, races))| Taken {
            choice,
            step,
            memory,
            races,
        })
        .collect();
    m.successors_unreduced(&s, Mode::Full, &mut strings, true, &mut succ);
    let choices: Vec<Choice> = succ
        .iter()
        .map(|x| {
            let w = witness_step(&m, &s, x.gor as usize, x.desc.clone());
            Choice {
                goroutine: w.goroutine,
                line: w.line,
                col: w.col,
                step: w.step,
                memory: x.internal,
                stale: x.stale,
                races: races_of(&m, &s, x, &strings),
            }
        })
        .collect();
    let goroutines = (0..s.gors.len())
        .map(|g| {
            let (line, col) = m.loc(&s, g);
            let moves = |x: &Succ<M::Mem>| {
                !x.internal
                    && (x.gor as usize == g
                        || crate::semantics::partner(&s, &x.state, x.gor as usize) == Some(g))
            };
            let status = if s.gors[g].done() {
                Status::Done
            } else if s.end.is_some() {
                Status::Stopped
            } else if succ.iter().any(moves) {
                Status::Runnable
            } else {
                Status::Blocked
            };
            Goroutine {
                name: gor_name(prog, &s, g),
                line,
                col,
                status,
                next: m.waiting_at(&s, g),
            }
        })
        .collect();
    let parts = memory_parts(&m, &s, &strings);
    let end = run_end(&m, &s, succ.is_empty(), &mut strings);
    let behind: Vec<&State<M::Mem>> = run.iter().rev().take(BACK).map(|r| &r.before).collect();
    let graph = neighbourhood(&m, path, &behind, &run, &s, &succ, &mut strings);
    Ok(StateView {
        path: path.to_vec(),
        taken,
        goroutines,
        choices,
        memory: parts.memory,
        sync: parts.sync,
        output: parts.output.unwrap_or_default(),
        end,
        graph,
    })
}

/// How the run ended at `s`, if it has: main returned or a panic (`s.end`),
/// or no step is possible (`stuck`): a deadlock.
fn run_end<M: MemoryModel>(
    m: &Machine<'_, M>,
    s: &State<M::Mem>,
    stuck: bool,
    strings: &mut Interner,
) -> Option<RunEnd> {
    let (kind, msg) = match s.end {
        Some(e) => (e.kind, e.msg),
        None if stuck => (
            EndKind::Deadlock,
            strings.intern("all goroutines are asleep - deadlock!"),
        ),
        None => return None,
    };
    let key = outcome_key(m.prog, m.model, s, kind, msg);
    Some(RunEnd {
        kind,
        message: (kind != EndKind::Ok).then(|| strings.get(msg).to_string()),
        globals: globals_of(m.prog, &key.1, strings),
        output: strings.get(s.output).to_string(),
        left: super::witness::positions(m, s),
    })
}

/// The data races step `x` from `s` is part of: with a conflicting access
/// another goroutine is about to make (no order can come between two
/// pending accesses), and with an earlier access not ordered before it
/// (happens-before, tracked by the machine).
fn races_of<M: MemoryModel>(
    m: &Machine<'_, M>,
    s: &State<M::Mem>,
    x: &Succ<M::Mem>,
    strings: &Interner,
) -> Vec<String> {
    let prog = m.prog;
    let place = |r: &Record| prog.access_loc(r.func, r.pc, r.case);
    let op = |r: &Record| prog.access_op(r.slot, r.write);
    let mut out = Vec::new();
    for &(a, b) in &x.races {
        let (a, b) = (strings.records[a as usize], strings.records[b as usize]);
        let ((la, ca), (lb, cb)) = (place(&a), place(&b));
        out.push(format!(
            "data race on {}: this {} at {lb}:{cb} is not ordered after the {} by {} at {la}:{ca}",
            prog.slot_name(b.slot),
            op(&b),
            op(&a),
            gor_name(prog, s, a.g as usize)
        ));
    }
    if x.internal {
        return out;
    }
    let g = x.gor as usize;
    let (mut mine, mut others) = (Vec::new(), Vec::new());
    m.pending_accesses(s, g, &mut mine);
    for h in (0..s.gors.len()).filter(|&h| h != g) {
        m.pending_accesses(s, h, &mut others);
    }
    for mine in &mine {
        for other in others
            .iter()
            .filter(|o| o.slot == mine.slot && prog.conflicts(o.slot, o.write, mine.write))
        {
            let (l, c) = place(other);
            out.push(format!(
                "data race on {}: this {} and the {} {} is about to make at {l}:{c}",
                prog.slot_name(mine.slot),
                op(mine),
                op(other),
                gor_name(prog, s, other.g as usize)
            ));
        }
    }
    out
}

/// The drawn neighbourhood of `s`, the state `path` reaches: `behind`, the
/// last states before it on the path (nearest first), and the states up to
/// [`AHEAD`] steps ahead (`succ`: its successors, described).
fn neighbourhood<M: MemoryModel>(
    m: &Machine<'_, M>,
    path: &[u32],
    behind: &[&State<M::Mem>],
    run: &[Replayed<M::Mem>],
    s: &State<M::Mem>,
    succ: &[Succ<M::Mem>],
    strings: &mut Interner,
) -> Neighbourhood {
    // states compared without what only race detection keeps
    let plain = |x: &State<M::Mem>| {
        let mut x = x.clone();
        x.hb = None;
        x
    };
    let mut g = Graph {
        m,
        states: Vec::new(),
        nodes: Vec::new(),
        edges: Vec::new(),
        cut: false,
    };
    let current = g.add(plain(s), path.to_vec(), 0, strings);
    // the path behind, oldest first, each with the step taken from it
    let mut prev = None;
    for (back, st) in behind.iter().enumerate().rev() {
        let depth = -(back as i32 + 1);
        let at = path.len() - back - 1;
        let i = g.add(plain(st), path[..at].to_vec(), depth, strings);
        if prev.is_some() {
            g.edge(prev, i, &run[at - 1].before, &run[at - 1].step, strings);
        }
        prev = i;
    }
    if let Some(last) = run.last() {
        g.edge(prev, current, &last.before, &last.step, strings);
    }
    // ahead, breadth-first
    let mut frontier = vec![(plain(s), path.to_vec(), current, succ.to_vec())];
    for depth in 1..=AHEAD {
        let mut next = Vec::new();
        for (from_state, from_path, from, list) in frontier {
            for (k, x) in list.iter().enumerate() {
                let mut p = from_path.clone();
                p.push(k as u32);
                let st = plain(&x.state);
                let i = g.add(st.clone(), p.clone(), depth, strings);
                g.edge(from, i, &from_state, x, strings);
                if depth < AHEAD && i.is_some_and(|i| g.nodes[i].depth == depth) {
                    let mut more = Vec::new();
                    m.successors_unreduced(&x.state, Mode::Full, strings, true, &mut more);
                    next.push((st, p, i, more));
                }
            }
        }
        frontier = next;
    }
    Neighbourhood {
        nodes: g.nodes,
        edges: g.edges,
        cut: g.cut,
    }
}

/// The neighbourhood being drawn.
struct Graph<'g, 'p, M: MemoryModel> {
    m: &'g Machine<'p, M>,
    states: Vec<State<M::Mem>>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    cut: bool,
}

impl<M: MemoryModel> Graph<'_, '_, M> {
    /// The node of state `st` (added, if new and there is room).
    fn add(
        &mut self,
        st: State<M::Mem>,
        path: Vec<u32>,
        depth: i32,
        strings: &mut Interner,
    ) -> Option<usize> {
        if let Some(i) = self.states.iter().position(|x| *x == st) {
            return Some(i);
        }
        if self.nodes.len() >= MAX_NODES {
            self.cut = true;
            return None;
        }
        let mut list = Vec::new();
        if st.end.is_none() {
            self.m
                .successors_unreduced(&st, Mode::Full, strings, false, &mut list);
        }
        let end = run_end(self.m, &st, st.end.is_none() && list.is_empty(), strings)
            .map(|e| (e.kind, e.values()));
        self.states.push(st);
        self.nodes.push(Node { path, depth, end });
        Some(self.nodes.len() - 1)
    }

    /// The edge of step `x` from `before` (node `from`) to node `to`.
    fn edge(
        &mut self,
        from: Option<usize>,
        to: Option<usize>,
        before: &State<M::Mem>,
        x: &Succ<M::Mem>,
        strings: &Interner,
    ) {
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        if self.edges.iter().any(|e| e.from == from && e.to == to) {
            return;
        }
        let w = witness_step(self.m, before, x.gor as usize, x.desc.clone());
        self.edges.push(Edge {
            from,
            to,
            goroutine: w.goroutine,
            step: w.step,
            race: !races_of(self.m, before, x, strings).is_empty(),
            memory: x.internal,
        });
    }
}

/// The path that takes the steps of `witness` (a report's witness of an
/// outcome, a race, a leak...): at each state, the first step possible
/// that the witness shows (the same goroutine, place and text). Where no
/// step matches, the path ends: it is then the longest part of the witness
/// that could be followed.
pub(crate) fn path_of<M: MemoryModel>(
    prog: &Program,
    model: &M,
    witness: &[WitnessStep],
) -> Vec<u32> {
    let m = machine(prog, model);
    let mut strings = Interner::default();
    let mut s = m.initial(&mut strings);
    let mut succ = Vec::new();
    let mut path = Vec::new();
    for w in witness {
        m.successors_unreduced(&s, Mode::Full, &mut strings, true, &mut succ);
        let same = |x: &Succ<M::Mem>| {
            let v = witness_step(&m, &s, x.gor as usize, x.desc.clone());
            v.goroutine == w.goroutine && v.line == w.line && v.col == w.col && v.step == w.step
        };
        let Some(k) = succ.iter().position(same) else {
            break;
        };
        path.push(k as u32);
        s = succ.swap_remove(k).state;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Explorer, Memory};

    const BANK: &str = include_str!("../../programs/bank.gr");

    fn bank(memory: Memory) -> Explorer {
        Explorer::open_source("bank.gr", BANK, memory).unwrap()
    }

    /// The steps possible at the state `path` reaches, one line each:
    /// `goroutine line:col step`, `[memory]` before a flush.
    fn steps(ex: &Explorer, path: &[u32]) -> Vec<String> {
        let v = ex.state(path).unwrap();
        v.choices
            .iter()
            .map(|c| {
                let memory = if c.memory { "[memory] " } else { "" };
                format!("{} {}:{} {memory}{}", c.goroutine, c.line, c.col, c.step)
            })
            .collect()
    }

    /// main's `wg.Add`, `go` Alice, `go` Bob: both deposits about to read.
    const STARTED: [u32; 3] = [0, 0, 0];

    #[test]
    fn bank_steps_under_sc() {
        let ex = bank(Memory::Sc);
        assert_eq!(steps(&ex, &[]), ["main 37:2 wg.Add(2)"]);
        assert_eq!(
            steps(&ex, &STARTED),
            [
                "func@38:5#1 29:12 read balance = 0",
                "func@42:5#1 29:12 read balance = 0"
            ]
        );
        // Alice has read 0: she may write, Bob may read the same 0
        assert_eq!(
            steps(&ex, &[0, 0, 0, 0]),
            [
                "func@38:5#1 29:2 write balance = 200",
                "func@42:5#1 29:12 read balance = 0"
            ]
        );
        let v = ex.state(&[0, 0, 0, 0]).unwrap();
        assert_eq!(v.memory, ["shared: balance=0"]);
        assert_eq!(v.sync, ["wg counter 2"]);
        let status: Vec<_> = v.goroutines.iter().map(|g| g.status).collect();
        assert_eq!(
            status,
            [Status::Blocked, Status::Runnable, Status::Runnable]
        );
        assert_eq!(v.goroutines[0].next, "wg.Wait()");
    }

    #[test]
    fn bank_steps_under_tso_buffer_writes_and_flush_them() {
        let ex = bank(Memory::Tso);
        assert_eq!(
            steps(&ex, &[0, 0, 0, 0]),
            [
                "func@38:5#1 29:2 write balance = 200 (buffered)",
                "func@42:5#1 29:12 read balance = 0"
            ]
        );
        // Alice's write waits in her store buffer: Bob still reads 0 from
        // memory, and the memory system may flush it at any time
        let after_write = [0, 0, 0, 0, 0];
        assert_eq!(
            steps(&ex, &after_write),
            [
                "func@38:5#1 40:3 wg.Done() (flushes balance = 200)",
                "func@42:5#1 29:12 read balance = 0 (stale; latest is 200)",
                "func@38:5#1 40:3 [memory] flush balance = 200"
            ]
        );
        let v = ex.state(&after_write).unwrap();
        assert_eq!(
            v.memory,
            [
                "memory: balance=0",
                "store buffer of func@38:5#1 (oldest first): balance=200"
            ]
        );
        assert!(v.choices[1].stale && v.choices[2].memory);
        let flushed = ex.state(&[0, 0, 0, 0, 0, 2]).unwrap();
        assert_eq!(flushed.memory, ["memory: balance=200"]);
        assert_eq!(flushed.taken[5].step.step, "flush balance = 200");
        assert!(flushed.taken[5].memory);
    }

    #[test]
    fn bank_steps_under_go_offer_stale_reads() {
        let ex = bank(Memory::Go);
        let after_write = [0, 0, 0, 0, 0];
        assert_eq!(
            steps(&ex, &after_write),
            [
                "func@38:5#1 40:3 wg.Done()",
                "func@42:5#1 29:12 read balance = 200",
                "func@42:5#1 29:12 read balance = 0 (stale; latest is 200)"
            ]
        );
        let v = ex.state(&after_write).unwrap();
        assert_eq!(
            v.memory,
            [
                "latest writes: balance=200",
                "main may still read: balance ∈ {0, 200}",
                "func@42:5#1 may still read: balance ∈ {0, 200}"
            ]
        );
        // Bob's read of 200 races with Alice's write: not ordered after it
        assert_eq!(
            v.choices[1].races,
            [
                "data race on balance: this read at 29:12 is not ordered after the write by func@38:5#1 at 29:2"
            ]
        );
    }

    /// The lost update: both read 0, Bob writes 100 last; the path a
    /// teacher links to, as the check's witness of `balance=100` plays it.
    #[test]
    fn the_lost_update_ends_in_balance_100_with_its_races_marked() {
        for memory in [Memory::Sc, Memory::Tso, Memory::Go] {
            let ex = bank(memory);
            let report = ex.check(&crate::Options::new()).unwrap();
            let lost = report
                .outcomes()
                .iter()
                .find(|o| o.values() == "balance=100")
                .unwrap();
            assert!(lost.is_race());
            let path = ex.path_of(&lost.witness);
            let v = ex.state(&path).unwrap();
            let end = v.end.as_ref().expect("the run has ended");
            assert_eq!(end.kind, EndKind::Ok);
            assert_eq!(end.values(), "balance=100", "{}", memory.name());
            assert_eq!(end.output, "100\n");
            assert!(v.choices.is_empty(), "{}", memory.name());
            // the steps taken are the witness, preemption included
            let shown: Vec<&WitnessStep> = v.taken.iter().map(|t| &t.step).collect();
            let witness: Vec<&WitnessStep> = lost.witness.iter().collect();
            assert_eq!(shown, witness, "{}", memory.name());
            assert!(v.taken.iter().any(|t| t.step.preemption));
            // the second read and both writes of balance race
            let racy = v.taken.iter().filter(|t| !t.races.is_empty()).count();
            assert!(racy >= 2, "{}: {racy}", memory.name());
        }
    }

    #[test]
    fn the_neighbourhood_meets_again_where_steps_commute() {
        let ex = bank(Memory::Sc);
        let v = ex.state(&STARTED).unwrap();
        let g = &v.graph;
        // the two reads of 0 commute: read-read in either order is one state
        let two_reads: Vec<&Node> = g
            .nodes
            .iter()
            .filter(|n| n.path == [0, 0, 0, 0, 1] || n.path == [0, 0, 0, 1, 0])
            .collect();
        assert_eq!(two_reads.len(), 1, "{g:?}");
        let at = |p: &[u32]| g.nodes.iter().position(|n| n.path == p).unwrap();
        let met = at(&[0, 0, 0, 0, 1]);
        assert_eq!(g.edges.iter().filter(|e| e.to == met).count(), 2);
        assert_eq!(g.nodes[at(&STARTED)].depth, 0);
        assert_eq!(g.nodes[at(&[0, 0])].depth, -1);
        assert!(!g.cut);
    }

    #[test]
    fn paths_are_read_and_written_as_dotted_choices() {
        assert_eq!(parse_path(""), Ok(vec![]));
        assert_eq!(parse_path("0.1.12"), Ok(vec![0, 1, 12]));
        assert_eq!(format_path(&[0, 1, 12]), "0.1.12");
        for bad in [
            "0..1",
            ".0",
            "0.",
            "+1",
            "-1",
            "1 ",
            "a",
            "0.1.x",
            "99999999999",
            "%2E",
        ] {
            assert!(
                matches!(parse_path(bad), Err(PathError::Malformed(_))),
                "{bad}"
            );
        }
        let long = vec!["0"; MAX_PATH + 1].join(".");
        assert!(matches!(parse_path(&long), Err(PathError::TooLong { .. })));
        let ex = bank(Memory::Sc);
        assert_eq!(
            ex.state(&[0, 5]).unwrap_err().to_string(),
            "step 2 of the path chooses 5, but there only choice 0 is possible"
        );
    }
}
