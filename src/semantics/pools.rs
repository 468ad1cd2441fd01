//! Structs made where their code runs many times (`&T{…}` in a loop, in
//! a function called from many places): each such site has a pool of
//! instances (`ir::StructSite`), handed out in turn and never freed. The
//! step is on the pool's counter, an atomic with no happens-before edge:
//! making a struct synchronises nothing in Go, but two goroutines making
//! structs at one site must be ordered, for the instance each gets depends
//! on the order (docs/DESIGN.md, *A pool of structs per site*).

use super::{Machine, Out};
use crate::memory::MemoryModel;
use crate::state::State;

impl<M: MemoryModel> Machine<'_, M> {
    /// `&T{…}` at site `k`: push a pointer to the pool's next instance,
    /// or, when the pool is used up, stop this run at a limit (no step:
    /// the search says the check is incomplete, and where).
    pub(super) fn new_step(&self, s: &State<M::Mem>, g: usize, k: u32, out: &mut Out<M::Mem>) {
        let site = &self.prog.struct_sites[k as usize];
        let made = s.sync[site.sync as usize];
        if made >= site.count as i64 {
            self.cut(&self.struct_limit, site.loc);
            return;
        }
        let mut mk = Self::start(s, out);
        let st = mk.state();
        st.sync[site.sync as usize] = made + 1;
        // a pointer is the instance's number + 1
        st.gor_mut(g).data.push(site.first as i64 + made + 1);
        self.finish(mk, g, None, || {
            let (ty, inst) = &self.prog.structs[site.ty as usize];
            format!("new {ty} {}", inst[(site.first as i64 + made) as usize])
        });
    }
}
