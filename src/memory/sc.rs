//! Sequential consistency: a read returns the latest write.

use super::{Internal, MemoryModel, ReadChoice, ReadChoices, SyncEvent};
use crate::ir::Program;

/// The `sc` model: one value per variable.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sc;

impl MemoryModel for Sc {
    type Mem = crate::state::Words;

    fn name(&self) -> &'static str {
        "sc"
    }

    fn about(&self) -> &'static str {
        "Sequential consistency: a read returns the latest write"
    }

    fn drf_sc(&self) -> bool {
        true
    }

    fn is_sc(&self) -> bool {
        true
    }

    fn footprint_conflicts(&self) -> bool {
        true
    }

    /// No buffers.
    fn pending(&self, _mem: &Self::Mem, _out: &mut dyn FnMut(usize, u32)) {}

    fn init(&self, prog: &Program, _carriers: usize) -> Self::Mem {
        prog.plain_init.iter().copied().collect()
    }

    fn read(&self, mem: &Self::Mem, _g: usize, slot: u32, out: &mut ReadChoices) {
        out.push(ReadChoice {
            value: mem[slot as usize],
            token: 0,
            note: None,
            stale: false,
        });
    }

    fn apply_read(&self, _mem: &mut Self::Mem, _g: usize, _slot: u32, _choice: &ReadChoice) {}

    fn write(&self, mem: &mut Self::Mem, _g: usize, slot: u32, value: i64) -> Option<&'static str> {
        mem[slot as usize] = value;
        None
    }

    fn sync(&self, _mem: &mut Self::Mem, _event: SyncEvent) {}

    /// A write is visible at once: the memory never steps by itself.
    fn internal(&self, _mem: &Self::Mem, _out: &mut Vec<Internal<Self::Mem>>) {}

    fn buffered(&self, _mem: &Self::Mem, _g: usize) -> Vec<(u32, i64)> {
        Vec::new()
    }

    /// Nothing in the memory belongs to a goroutine.
    fn permute(&self, _mem: &mut Self::Mem, _perm: &[u16]) {}

    /// Nothing is kept per carrier.
    fn move_carriers(&self, _mem: &mut Self::Mem, _moves: &[(usize, Option<usize>)]) {}

    fn reset_slots(&self, mem: &mut Self::Mem, slots: &[u32], init: &[i64]) -> bool {
        for &x in slots {
            mem[x as usize] = init[x as usize];
        }
        true
    }

    fn gor_key(&self, _mem: &Self::Mem, _g: usize) -> u64 {
        0
    }

    fn show(
        &self,
        mem: &Self::Mem,
        var: &dyn Fn(u32, i64) -> String,
        _gname: &dyn Fn(usize) -> String,
    ) -> Vec<String> {
        let vals: Vec<String> = mem
            .iter()
            .enumerate()
            .map(|(i, v)| var(i as u32, *v))
            .collect();
        vec![format!("shared: {}", vals.join(" "))]
    }

    fn finals(&self, mem: &Self::Mem) -> Vec<i64> {
        mem.to_vec()
    }
}
