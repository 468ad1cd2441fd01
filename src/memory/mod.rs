//! Memory models: what a read of a plain shared variable may return.
//!
//! Every model implements [`MemoryModel`]; its per-state data
//! ([`MemoryModel::Mem`]) lives inside the explored state, so a model with
//! store buffers or write histories is explored like any other part of the
//! state. Sync operations are always sequentially consistent; a model hears
//! about them through [`MemoryModel::sync`] so that it can drain buffers or
//! pass views along happens-before edges. A new model is one new file here.

use crate::program::Program;
use std::fmt::Debug;
use std::hash::Hash;

pub mod sc;

/// A value a read may return, with a note for the witness (`stale; latest is 1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadChoice {
    pub value: i64,
    /// Model-specific token passed back to [`MemoryModel::apply_read`].
    pub token: u32,
    pub note: Option<String>,
}

/// A sync operation as seen by the memory model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncEvent {
    /// Any sync operation by goroutine `g` (drains a store buffer, say).
    Fence { g: usize },
    /// Goroutine `child` was started by `parent`.
    Spawn { parent: usize, child: usize },
}

/// A memory model for plain shared variables.
pub trait MemoryModel {
    /// The model's part of the state.
    type Mem: Clone + Eq + Hash + Debug;

    /// The name used on the command line and in reports.
    fn name(&self) -> &'static str;

    /// The memory as the program starts: every variable at its initial value.
    fn init(&self, prog: &Program) -> Self::Mem;

    /// Push every value goroutine `g` may read from `slot`, in a fixed order.
    fn read(&self, mem: &Self::Mem, g: usize, slot: u32, out: &mut Vec<ReadChoice>);

    /// Record that `g` read `choice` from `slot`.
    fn apply_read(&self, mem: &mut Self::Mem, g: usize, slot: u32, choice: &ReadChoice);

    /// `g` writes `value` to `slot`.
    fn write(&self, mem: &mut Self::Mem, g: usize, slot: u32, value: i64);

    /// A sync operation happened.
    fn sync(&self, mem: &mut Self::Mem, event: SyncEvent);

    /// The values of every slot when a run ends.
    fn finals(&self, mem: &Self::Mem) -> Vec<i64>;

    /// The latest value of `slot` (what a sequentially consistent read returns).
    fn latest(&self, mem: &Self::Mem, slot: u32) -> i64;
}
