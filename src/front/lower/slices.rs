//! Slice literals where an array would do: `for _, s := range
//! []string{"a", "b"}` and `xs := []int{3, 1, 2}` read only by `xs[i]`,
//! `len(xs)` and `range xs`. Such a slice is the only reference to its
//! backing array, so nothing can tell it from the array `[N]T{…}`: grace
//! makes it a local array of `N` slots (elements evaluated in order, as Go
//! evaluates a literal's). Everything that would make the slice differ from
//! the array — `append`, slicing, passing it, storing it, assigning it — is
//! refused, with [`SLICES`]: a local array is never passed or assigned as a
//! whole, and the grammar has no slice type or slicing.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::MAX_ARRAY_LEN;
use crate::ir::*;

/// Why a slice cannot be used so, and what grace takes.
pub(crate) const SLICES: &str = "slices are not supported: use a fixed-size array [N]T (grace takes a slice literal `[]T{…}` of integers, bools or strings where it is only read as an array: ranged over in a `for` header, or bound by `xs := []T{…}` or `var xs = []T{…}` and then only indexed, ranged over or given to `len`)";

impl Lowerer<'_> {
    /// `[]T{e, …}`: its elements evaluated, in order, into a new local
    /// array named `name` (`""` for the hidden one of a `range` header),
    /// declared after them (Go's scope of `xs` in `xs := …` begins after
    /// the statement).
    pub(super) fn slice_array(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        (t, elems): (&TypeExpr, &[Expr]),
        span: Span,
    ) -> DResult<Local> {
        // a hidden name holds one of several values (`a, b := 1,
        // []int{2}`): a copy of the slice, refused
        if name.name.starts_with(' ') {
            return err(span, SLICES);
        }
        let ty = match t {
            TypeExpr::Int => Ty::Int,
            TypeExpr::Integer(t) => *t,
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Str => Ty::Str,
            _ => return err(span, SLICES),
        };
        if elems.len() > MAX_ARRAY_LEN as usize {
            return err(
                span,
                format!("a slice literal has at most {MAX_ARRAY_LEN} elements in grace"),
            );
        }
        for e in elems {
            self.expect_ty(fx, e, ty, "slice literal element")?;
        }
        let len = elems.len() as u16;
        let local = self.declare(fx, name, ty, Some(len))?;
        for i in (0..len).rev() {
            self.emit(fx, Instr::Store(local.slot + i), span);
        }
        fx.slices.insert(local.slot);
        Ok(local)
    }

    /// The error for a use of the local `n` as a whole (`what` it would be
    /// for an array): a slice's says what grace takes of slices.
    pub(super) fn whole_array<T>(
        fx: &Fx,
        n: &str,
        l: Local,
        span: Span,
        what: String,
    ) -> DResult<T> {
        if fx.slices.contains(&l.slot) {
            return err(span, format!("`{n}` is a slice here: {SLICES}"));
        }
        err(span, what)
    }
}
