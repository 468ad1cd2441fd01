//! Structs made where their code runs many times (`&T{…}` in a loop, in
//! a function called from many places): each such site has a pool of
//! instances (`ir::StructSite`); making one takes the first instance not
//! in use. The step is on the pool's sync slot, which holds the instances
//! in use as bits: making a struct synchronises nothing in Go, but two
//! goroutines making structs at one site must be ordered, for the instance
//! each gets depends on the order (docs/DESIGN.md, *A pool of structs per
//! site*).
//!
//! After every step, the walk of `heap.rs` also finds the instances the
//! program can still reach (pointers in locals, operand stacks, deferred
//! calls' arguments and channel buffers), and [`Machine::free_structs`]
//! frees the others of a pool whose fields are all plain: their fields
//! start again as fresh memory and the accesses to them are forgotten, as
//! Go's garbage collector gives a new struct fresh memory. So a producer
//! that makes a job per iteration never runs out of them while the
//! consumer drops each, and garbage never tells two states apart.

use super::{Machine, Out};
use crate::memory::MemoryModel;
use crate::state::{Interner, State};

impl<M: MemoryModel> Machine<'_, M> {
    /// `&T{…}` at site `k`: push a pointer to the first instance of its
    /// pool not in use, or, when every one is, stop this run at a limit
    /// (no step: the search says the check is incomplete, and where).
    pub(super) fn new_step(&self, s: &State<M::Mem>, g: usize, k: u32, out: &mut Out<M::Mem>) {
        let site = &self.prog.struct_sites[k as usize];
        let used = s.sync[site.sync as usize];
        let j = (!used).trailing_zeros();
        if j >= site.count {
            self.cut(&self.struct_limit, site.loc);
            return;
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        st.sync[site.sync as usize] = used | 1 << j;
        let inst = site.first + j;
        // a pointer is the instance's number + 1
        st.gor_mut(g).data.push(inst as i64 + 1);
        self.finish(mk, g, None, || {
            let (ty, names) = &self.prog.structs[site.ty as usize];
            format!("new {ty} {}", names[inst as usize])
        });
    }

    /// Free the instances in use that the walk did not reach (`reached`,
    /// per site; the walk frees nothing while unsure, as with an instance
    /// number on a stack: a field access under way). A freed instance's
    /// fields are reset in the memory model (which may refuse while a
    /// write to one is buffered: it is freed at a later step) and the
    /// accesses to them leave race detection, so the struct made next in
    /// its place races with nothing its last owner did.
    pub(super) fn free_structs(&self, st: &mut State<M::Mem>, reached: &[u64], strings: &Interner) {
        for (site, &alive) in self.prog.struct_sites.iter().zip(reached) {
            let Some(fields) = &site.slots else { continue };
            let used = st.sync[site.sync as usize] as u64;
            let mut dead = used & !alive;
            while dead != 0 {
                let j = dead.trailing_zeros();
                dead &= dead - 1;
                let slots: smallvec::SmallVec<[u32; 8]> = fields.iter().map(|f| f + j).collect();
                if !self
                    .model
                    .reset_slots(&mut st.mem, &slots, &self.prog.plain_init)
                {
                    continue;
                }
                st.sync[site.sync as usize] &= !(1 << j);
                if let Some(hb) = st.hb.as_deref_mut() {
                    hb.forget(|r| slots.contains(&strings.records[r as usize].slot));
                }
            }
        }
    }
}
