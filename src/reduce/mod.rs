//! The reductions of the state space: symmetry ([`symmetry`]) and
//! partial-order reduction ([`por`]). Both are methods of
//! [`Machine`](crate::semantics::Machine) that the search calls (symmetry on
//! every successor it stores, the persistent set on every state it expands
//! in full mode); each file states what its reduction must keep true to be
//! sound and where the code makes sure of it. The arguments are in
//! docs/DESIGN.md, "Reductions".

pub mod por;
pub mod symmetry;
