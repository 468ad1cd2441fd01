//! Expressions in function bodies: literals, names (locals, constants,
//! shared variables), indexing, unary and binary operators. Each is typed
//! by the rules of [`crate::front::types`] and emitted as stack code in the
//! same walk; calls and receives are in their own files.

use super::{Fx, Lowerer, Obj, err, sync_type_name};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::GSym;
use crate::front::types::{
    Wording, assignable, binary_type, check_const_index, check_divisor, expected, min_int_literal,
    operand_type, unary_type,
};
use crate::ir::*;

/// What grace does with strings, for the operations it refuses on them
/// (indexing, `range`, `len`).
pub(super) const STRING_OPS: &str = "indexing, slicing and range over a string are not supported: grace keeps strings to print, join (+), compare (==, !=) and measure (len)";

impl Lowerer<'_> {
    /// Lower `e`, which must have type `want`; `what` names its place in
    /// the message.
    pub(super) fn expect_ty(&mut self, fx: &mut Fx, e: &Expr, want: Ty, what: &str) -> DResult<()> {
        let t = self.expr(fx, e)?;
        if !assignable(want, t) {
            return err(e.span, expected(what, want, t));
        }
        self.untyped_assignable(fx, e, t, want, what)
    }

    /// Lower the index of an array of `len` elements (a constant one is
    /// checked now, as Go does).
    pub(super) fn index_expr(&mut self, fx: &mut Fx, i: &Expr, len: u32) -> DResult<()> {
        check_const_index(&self.env(fx), i, len)?;
        let t = self.expr(fx, i)?;
        if !t.is_int() {
            return err(i.span, expected("index", Ty::Int, t));
        }
        Ok(())
    }

    /// Resolve a channel, sync object or atomic (emitting its index, if any).
    pub(super) fn obj(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Obj> {
        let (name, idx) = match &e.kind {
            ExprKind::Name(n) => (n, None),
            ExprKind::Index(a, i) => match &a.kind {
                ExprKind::Name(n) => (n, Some(i)),
                _ => return err(e.span, "expected a channel, sync object or atomic"),
            },
            // a channel (or pointer) that a call returns or a receive
            // gives: `<-gen()`, `<-<-cc`, `close(<-cc)`
            ExprKind::Call(..) | ExprKind::Unary(UnOp::Recv, _)
                if not_an_object(e) == NOT_AN_OBJECT =>
            {
                return match self.expr(fx, e)? {
                    Ty::Chan(c) => Ok(Obj::Chan(c, Ref::Dyn)),
                    Ty::Ptr(p) => Ok(Obj::Sync(p.kind(), Ref::Dyn)),
                    t => err(
                        e.span,
                        format!(
                            "expected a channel, sync object or atomic, found {}",
                            t.name()
                        ),
                    ),
                };
            }
            // a struct value's channel field: `r.reply <- v`
            ExprKind::Selector(base, _) if self.may_be_struct(fx, base) => {
                return match self.expr(fx, e)? {
                    Ty::Chan(c) => Ok(Obj::Chan(c, Ref::Dyn)),
                    t => err(e.span, format!("expected a channel, found {}", t.name())),
                };
            }
            _ => return err(e.span, not_an_object(e)),
        };
        if let Some(l) = self.captured(fx, name, e.span)?
            && let (Ty::Chan(c), None) = (l.ty, idx)
        {
            self.emit(fx, Instr::LoadUp(l.slot), e.span);
            return Ok(Obj::Chan(c, Ref::Dyn));
        }
        if let Some(l) = self.captured(fx, name, e.span)?
            && let (Ty::Ptr(p), None) = (l.ty, idx)
        {
            self.emit(fx, Instr::LoadUp(l.slot), e.span);
            return Ok(Obj::Sync(p.kind(), Ref::Dyn));
        }
        Self::no_capture(fx, name, e.span)?;
        if let Some(l) = Self::lookup_local(fx, name) {
            if let (Some((kind, base)), None) = (l.object, idx) {
                return Ok(Obj::Sync(kind, Ref::Fixed(base)));
            }
            if let (Ty::Chan(c), None, None) = (l.ty, l.len, idx) {
                self.emit(fx, Instr::Load(l.slot), e.span);
                return Ok(Obj::Chan(c, Ref::Dyn));
            }
            if let (Ty::Ptr(p), None, None) = (l.ty, l.len, idx) {
                self.emit(fx, Instr::Load(l.slot), e.span);
                return Ok(Obj::Sync(p.kind(), Ref::Dyn));
            }
            return err(
                e.span,
                format!(
                    "`{name}` is a local {}, not a channel or sync object",
                    l.ty.name()
                ),
            );
        }
        let (sym, _) = match self.g.syms.get(name) {
            Some(s) => s.clone(),
            None => return err(e.span, Self::undefined(fx, name)),
        };
        let (base, len) = match &sym {
            GSym::NilChan(ty) if idx.is_none() => {
                self.emit(fx, Instr::Push(0), e.span);
                return Ok(Obj::Chan(*ty, Ref::Dyn));
            }
            GSym::NilChan(_) => return err(e.span, format!("`{name}` is not an array")),
            GSym::Sync { base, len, .. } | GSym::Chan { base, len, .. } => (*base, *len),
            // a struct's channel field (`#T.c[k]`): a variable holding one
            GSym::Plain {
                ty: Ty::Chan(c), ..
            } => {
                let c = *c;
                self.expr(fx, e)?;
                return Ok(Obj::Chan(c, Ref::Dyn));
            }
            GSym::Plain { .. }
            | GSym::Const(..)
            | GSym::Func(_)
            | GSym::Map(..)
            | GSym::NilMap(_) => {
                return err(
                    e.span,
                    format!("`{name}` is not a channel, sync object or atomic"),
                );
            }
        };
        let r = match (idx, len) {
            (None, None) => Ref::Fixed(base),
            (Some(i), Some(len)) => {
                self.index_expr(fx, i, len)?;
                Ref::Indexed { base, len }
            }
            (None, Some(_)) => return err(e.span, format!("`{name}` is an array: index it")),
            (Some(_), None) => return err(e.span, format!("`{name}` is not an array")),
        };
        Ok(match sym {
            GSym::Sync { kind, .. } => Obj::Sync(kind, r),
            GSym::Chan { ty, .. } => Obj::Chan(ty, r),
            _ => unreachable!(),
        })
    }

    /// Type an expression and emit the code that pushes its value.
    pub(super) fn expr(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Ty> {
        if let Some(t) = self.folded(fx, e)? {
            return Ok(t);
        }
        match &e.kind {
            ExprKind::Int(v) => {
                self.emit(fx, Instr::Push(*v), e.span);
                Ok(Ty::UntypedInt)
            }
            ExprKind::Bool(b) => {
                self.emit(fx, Instr::Push(*b as i64), e.span);
                Ok(Ty::Bool)
            }
            ExprKind::Unit => {
                self.emit(fx, Instr::Push(0), e.span);
                Ok(Ty::Unit)
            }
            ExprKind::MinIntMagnitude => Err(min_int_literal(e.span)),
            ExprKind::Str(s) => {
                let k = self.string_id(s);
                self.emit(fx, Instr::PushStr(k), e.span);
                Ok(Ty::Str)
            }
            ExprKind::Type(_) => err(e.span, "a type is not a value"),
            ExprKind::PtrTo(t, k) => {
                if let ExprKind::Int(k) = k.kind {
                    self.emit(fx, Instr::Push(k + 1), e.span);
                } else {
                    self.expr(fx, k)?;
                    self.emit(fx, Instr::Push(1), e.span);
                    self.emit(fx, Instr::Bin(BinOp::Add), e.span);
                }
                Ok(Ty::StructPtr(*t))
            }
            ExprKind::New(t, site) => self.new_struct(fx, *t, site, e.span),
            ExprKind::CheckIndex(i, len) => {
                self.index_expr(fx, i, *len)?;
                self.emit(fx, Instr::CheckIndex(*len), e.span);
                Ok(Ty::Int)
            }
            ExprKind::Deref(p) => {
                let t = self.expr(fx, p)?;
                if !matches!(t, Ty::StructPtr(_)) {
                    return err(p.span, format!("{} is not a pointer to a struct", t.name()));
                }
                self.emit(fx, Instr::Deref, e.span);
                Ok(Ty::Int)
            }
            // (front::structs rewrites or refuses each literal of a
            // declared type: a file without types leaves them here)
            ExprKind::Composite(_, ty, _) => err(
                ty.span,
                crate::front::parse::feature_message(&ty.name)
                    .unwrap_or_else(|| format!("undefined type `{}`", ty.name)),
            ),
            ExprKind::StructLit(k, fields) => self.struct_lit(fx, *k, fields, e.span),
            ExprKind::MapLit(t, entries) => self.map_lit(fx, t, entries, e),
            ExprKind::SliceLit(..) => err(e.span, super::slices::SLICES),
            ExprKind::Name(n) => self.name(fx, n, e.span),
            ExprKind::Index(a, i) => self.index(fx, a, i, e.span),
            ExprKind::Unary(UnOp::Recv, c) => self.recv(fx, c, false, e.span),
            ExprKind::Unary(UnOp::Addr, x) => self.address(fx, x, e.span),
            ExprKind::Unary(op, a) => {
                let t = self.expr(fx, a)?;
                let rt =
                    unary_type(*op, t, Wording::Full).map_err(|m| Diagnostic::new(e.span, m))?;
                let instr = if *op == UnOp::Neg {
                    Instr::Neg
                } else {
                    Instr::Not
                };
                self.emit(fx, instr, e.span);
                if rt.is_narrow() {
                    self.emit(fx, Instr::Wrap(rt), e.span);
                }
                Ok(rt)
            }
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                self.expect_ty(fx, a, Ty::Bool, &format!("left operand of {}", op.symbol()))?;
                self.emit(fx, Instr::Dup, e.span);
                let j = self.emit(fx, Instr::JumpIf(*op == BinOp::Or, 0), e.span);
                self.emit(fx, Instr::Pop, e.span);
                self.expect_ty(
                    fx,
                    b,
                    Ty::Bool,
                    &format!("right operand of {}", op.symbol()),
                )?;
                let h = Self::here(fx);
                Self::patch(fx, j, h);
                Ok(Ty::Bool)
            }
            ExprKind::Binary(op, a, b) => {
                if let Some(t) = self.nil_compare(fx, *op, a, b, e.span)? {
                    return Ok(t);
                }
                let ta = self.expr(fx, a)?;
                let tb = self.expr(fx, b)?;
                if self.is_const(fx, b) {
                    check_divisor(&self.env(fx), *op, b)?;
                }
                self.integer_operands(fx, e, (*op, a, b), ta, tb)?;
                let rt = binary_type(*op, ta, tb, Wording::Full)
                    .map_err(|m| Diagnostic::new(e.span, m))?;
                // equal strings are equal numbers: == and != compare those
                if ta == Ty::Str && *op == BinOp::Add {
                    self.emit(fx, Instr::Concat, e.span);
                } else {
                    let ot = operand_type(ta, tb).unwrap_or(rt);
                    self.emit_bin(fx, *op, ot, e.span);
                }
                Ok(rt)
            }
            ExprKind::Call(..) => match self.call(fx, e)? {
                Some(t) => Ok(t),
                None => err(
                    e.span,
                    "this call has no value and cannot be used in an expression",
                ),
            },
            ExprKind::Selector(p, m)
                if matches!(&p.kind, ExprKind::Name(n) if n == "time" && Self::lookup_local(fx, n).is_none())
                    && time_unit(&m.name).is_some() =>
            {
                self.emit(fx, Instr::Push(time_unit(&m.name).unwrap_or(0)), e.span);
                Ok(Ty::Int)
            }
            ExprKind::Selector(base, f) if self.may_be_struct(fx, base) => {
                let t = self.expr(fx, base)?;
                let (i, ft) = self.field_of(t, f)?;
                self.emit(fx, Instr::Field(i), e.span);
                Ok(ft)
            }
            ExprKind::Selector(_, m) => {
                err(e.span, format!("`{}` must be called: add `()`", m.name))
            }
        }
    }

    /// Can `base.f` be a field of a struct value? A package's name is not.
    fn may_be_struct(&self, fx: &Fx, base: &Expr) -> bool {
        match &base.kind {
            ExprKind::Name(n) => Self::lookup_local(fx, n).is_some() || fx.up.contains_key(n),
            _ => true,
        }
    }

    /// Field `f` of a value of type `t`: its number and type.
    pub(super) fn field_of(&self, t: Ty, f: &Ident) -> DResult<(u16, Ty)> {
        if let Ty::StructPtr(_) = t {
            // a pointer whose struct the struct pass could not follow
            return err(
                f.span,
                format!(
                    "grace cannot follow this {} to its struct here (it came from a struct's channel field, or a channel received from another): receive it from a variable or parameter of type `chan {}` (`jobs := p.jobs`, then `j := <-jobs`), then use `j.{}`",
                    t.name(),
                    t.name(),
                    f.name
                ),
            );
        }
        let Ty::Struct(k) = t else {
            return err(
                f.span,
                format!(
                    "{}.{} undefined ({} has no fields)",
                    t.name(),
                    f.name,
                    t.name()
                ),
            );
        };
        match self.struct_fields[k as usize]
            .iter()
            .position(|(n, _)| *n == f.name)
        {
            Some(i) => Ok((i as u16, self.struct_fields[k as usize][i].1)),
            None => err(
                f.span,
                format!(
                    "{}.{} undefined (type {} has no field or method {})",
                    t.name(),
                    f.name,
                    t.name(),
                    f.name
                ),
            ),
        }
    }

    /// `T{…}` as a value: its fields' values in order, then the struct.
    fn struct_lit(
        &mut self,
        fx: &mut Fx,
        k: u16,
        fields: &[Option<Expr>],
        span: Span,
    ) -> DResult<Ty> {
        let tys = self.struct_fields[k as usize].clone();
        for ((name, t), v) in tys.iter().zip(fields) {
            match v {
                Some(v) => self.expect_ty(fx, v, *t, &format!("field {name}"))?,
                None => {
                    self.emit(fx, Instr::Push(0), span);
                }
            }
        }
        self.emit(fx, Instr::MakeStruct(k, tys.len() as u16), span);
        Ok(Ty::Struct(k))
    }

    /// A name as a value: a local, a constant or a plain shared variable.
    fn name(&mut self, fx: &mut Fx, n: &str, span: Span) -> DResult<Ty> {
        if let Some((v, t)) = Self::lookup_konst(fx, n) {
            let push = match t {
                Ty::Str => Instr::PushStr(v as u32),
                _ => Instr::Push(v),
            };
            self.emit(fx, push, span);
            return Ok(t);
        }
        if let Some(l) = self.captured(fx, n, span)? {
            self.emit(fx, Instr::LoadUp(l.slot), span);
            return Ok(l.ty);
        }
        Self::no_capture(fx, n, span)?;
        if let Some(l) = Self::lookup_local(fx, n) {
            if l.func.is_some() {
                return err(span, super::funcval::not_a_value(n));
            }
            if l.len.is_some() {
                return Self::whole_array(fx, n, l, span, format!("`{n}` is an array: index it"));
            }
            if let Some((kind, _)) = l.object {
                self.plain_use_of_local_atomic(fx, n, kind, span)?;
                return err(
                    span,
                    format!(
                        "`{n}` is a {}, not a value: use its methods, or `&{n}` for a pointer to it",
                        super::sync_type_name(kind)
                    ),
                );
            }
            let load = match l.shared {
                Some(s) => Instr::Read(Ref::Fixed(s)),
                None => Instr::Load(l.slot),
            };
            self.emit(fx, load, span);
            return Ok(l.ty);
        }
        match self.g.syms.get(n) {
            None if n == "nil" => {
                self.emit(fx, Instr::Push(0), span);
                Ok(Ty::Nil)
            }
            None => err(span, format!("undefined: {n}")),
            Some((GSym::Const(k, Ty::Str), _)) => {
                let g = self.g;
                let k = self.string_id(&g.strs[*k as usize]);
                self.emit(fx, Instr::PushStr(k), span);
                Ok(Ty::Str)
            }
            Some((GSym::Const(v, t), _)) => {
                self.emit(fx, Instr::Push(*v), span);
                Ok(*t)
            }
            Some((
                GSym::Plain {
                    base,
                    len: None,
                    ty,
                },
                _,
            )) => {
                self.emit(fx, Instr::Read(Ref::Fixed(*base)), span);
                Ok(*ty)
            }
            Some((GSym::Plain { .. }, _)) => err(span, format!("`{n}` is an array: index it")),
            Some((GSym::Sync { kind, .. }, _)) => self.plain_use_of_atomic(n, span).and(err(
                span,
                format!(
                    "`{n}` is a {}, not a value: use its methods",
                    sync_type_name(*kind)
                ),
            )),
            Some((
                GSym::Chan {
                    base,
                    len: None,
                    ty,
                },
                _,
            )) => {
                self.emit(fx, Instr::Push(*base as i64 + 1), span);
                Ok(Ty::Chan(*ty))
            }
            Some((GSym::Chan { .. }, _)) => err(span, format!("`{n}` is an array: index it")),
            Some((GSym::NilChan(ty), _)) => {
                self.emit(fx, Instr::Push(0), span);
                Ok(Ty::Chan(*ty))
            }
            Some((GSym::Func(_), _)) => err(span, format!("`{n}` is a function: call it")),
            Some((GSym::Map(id, ty), _)) => {
                self.emit(fx, Instr::Push(*id as i64 + 1), span);
                Ok(Ty::Map(*ty))
            }
            Some((GSym::NilMap(ty), _)) => {
                self.emit(fx, Instr::Push(0), span);
                Ok(Ty::Map(*ty))
            }
        }
    }

    /// `a[i]` as a value: an element of a local or shared array.
    fn index(&mut self, fx: &mut Fx, a: &Expr, i: &Expr, span: Span) -> DResult<Ty> {
        if let Some(t) = self.map_get(fx, a, i, false, span)? {
            return Ok(t);
        }
        let ExprKind::Name(n) = &a.kind else {
            return err(a.span, "only named arrays can be indexed");
        };
        Self::no_capture(fx, n, a.span)?;
        if let Some(l) = Self::lookup_local(fx, n) {
            let Some(len) = l.len else {
                if l.ty == Ty::Str {
                    return err(a.span, STRING_OPS);
                }
                return err(a.span, format!("`{n}` is not an array"));
            };
            self.index_expr(fx, i, len as u32)?;
            self.emit(fx, Instr::LoadIdx { base: l.slot, len }, span);
            return Ok(l.ty);
        }
        match self.g.syms.get(n) {
            None => err(a.span, Self::undefined(fx, n)),
            Some((
                GSym::Plain {
                    base,
                    len: Some(len),
                    ty,
                },
                _,
            )) => {
                let (base, len, ty) = (*base, *len, *ty);
                self.index_expr(fx, i, len)?;
                self.emit(fx, Instr::Read(Ref::Indexed { base, len }), span);
                Ok(ty)
            }
            Some((
                GSym::Sync {
                    len: Some(_), kind, ..
                },
                _,
            )) => self.plain_use_of_atomic(n, a.span).and(err(
                span,
                format!(
                    "`{n}[…]` is a {}, not a value: use its methods",
                    sync_type_name(*kind)
                ),
            )),
            Some((
                GSym::Chan {
                    base,
                    len: Some(len),
                    ty,
                },
                _,
            )) => {
                let (base, len, ty) = (*base, *len, *ty);
                self.index_expr(fx, i, len)?;
                self.emit(fx, Instr::ObjValue { base, len }, span);
                Ok(Ty::Chan(ty))
            }
            Some((GSym::Const(_, Ty::Str), _)) => err(a.span, STRING_OPS),
            _ => err(a.span, format!("`{n}` is not an array")),
        }
    }
}

impl Lowerer<'_> {
    /// `&x`: a pointer to the sync object `x` (a top-level one, an element
    /// of a top-level array, or one declared in main); elsewhere `&` is
    /// only the first argument of a sync/atomic function.
    fn address(&mut self, fx: &mut Fx, x: &Expr, span: Span) -> DResult<Ty> {
        let not_here = || {
            err(
                span,
                "`&x` is supported for sync objects (`&wg`, `&mu`) and as the first argument of a sync/atomic function (`atomic.AddInt64(&n, 1)`); grace has no other pointers",
            )
        };
        let (name, idx) = match &x.kind {
            ExprKind::Name(n) => (n, None),
            ExprKind::Index(a, i) => match &a.kind {
                ExprKind::Name(n) => (n, Some(i)),
                _ => return not_here(),
            },
            _ => return not_here(),
        };
        let (kind, base, len) = match Self::lookup_local(fx, name) {
            Some(super::Local {
                object: Some((kind, base)),
                ..
            }) => (kind, base, None),
            Some(_) => return not_here(),
            None if fx.outer.contains(name) => return not_here(),
            None => match self.g.syms.get(name) {
                Some((GSym::Sync { base, len, kind }, _)) => (*kind, *base, *len),
                _ => return not_here(),
            },
        };
        let Some(p) = SyncPtr::to(kind) else {
            return not_here();
        };
        match (idx, len) {
            (None, None) => {
                self.emit(fx, Instr::Push(base as i64 + 1), span);
            }
            (Some(i), Some(len)) => {
                self.index_expr(fx, i, len)?;
                self.emit(fx, Instr::ObjValue { base, len }, span);
            }
            (None, Some(_)) => return err(x.span, format!("`{name}` is an array: index it")),
            (Some(_), None) => return err(x.span, format!("`{name}` is not an array")),
        }
        Ok(Ty::Ptr(p))
    }
}

/// `time.Second` and friends, in nanoseconds (only `time.Sleep` uses them).
fn time_unit(name: &str) -> Option<i64> {
    Some(match name {
        "Nanosecond" => 1,
        "Microsecond" => 1_000,
        "Millisecond" => 1_000_000,
        "Second" => 1_000_000_000,
        "Minute" => 60_000_000_000,
        "Hour" => 3_600_000_000_000,
        _ => return None,
    })
}

/// The error for `e` where a channel, sync object or atomic is needed:
/// `time.After(d)` and its kin, Go's timer channels, are named.
fn not_an_object(e: &Expr) -> String {
    if let ExprKind::Call(f, _) = &e.kind
        && let ExprKind::Selector(pkg, name) = &f.kind
        && matches!(&pkg.kind, ExprKind::Name(p) if p == "time")
    {
        return format!(
            "time.{} is not supported: grace has no clock (time.Sleep orders nothing); \
             for a timeout, use a `default` case, or a channel that a goroutine closes",
            name.name
        );
    }
    NOT_AN_OBJECT.into()
}

/// The error where a channel, sync object or atomic is needed.
const NOT_AN_OBJECT: &str = "expected a channel, sync object or atomic";

impl Lowerer<'_> {
    /// `&T{…}`: push a pointer to its instance (a static one, or the next
    /// of its pool), then set each field the literal gives, in order,
    /// through the pointer, leaving the pointer.
    fn new_struct(&mut self, fx: &mut Fx, t: u16, site: &NewSite, span: Span) -> DResult<Ty> {
        match &site.at {
            NewAt::Static(k) => {
                self.emit(fx, Instr::Push(*k as i64 + 1), span);
            }
            NewAt::Pool {
                counter,
                first,
                count,
            } => {
                let Some((GSym::Sync { base, .. }, _)) = self.g.syms.get(counter) else {
                    unreachable!("front::structs declares each pool's counter")
                };
                let (l, c) = self.src.line_col(span.start);
                let k = self.struct_sites.len() as u32;
                self.struct_sites.push(StructSite {
                    ty: t,
                    sync: *base,
                    first: *first,
                    count: *count,
                    loc: (l as u32, c as u32),
                    slots: None,
                });
                self.emit(fx, Instr::New(k), span);
            }
        }
        for (array, v) in &site.fields {
            let Some((
                GSym::Plain {
                    base,
                    len: Some(len),
                    ty,
                },
                _,
            )) = self.g.syms.get(array).cloned()
            else {
                return err(
                    v.span,
                    format!("the field {array} cannot be set in a literal"),
                );
            };
            self.emit(fx, Instr::Dup, v.span);
            self.emit(fx, Instr::Deref, v.span);
            // a channel made for a field is named after it (`s.reqs`)
            if matches!(ty, Ty::Chan(_)) && super::assign::is_make(v) {
                self.naming = Some(match site.at {
                    NewAt::Static(k) => self.g.plain_names[(base + k) as usize].clone(),
                    NewAt::Pool { .. } => array.trim_start_matches('#').to_string(),
                });
            }
            self.expect_ty(fx, v, ty, "struct literal")?;
            self.naming = None;
            self.emit(fx, Instr::Write(Ref::Indexed { base, len }), v.span);
        }
        Ok(Ty::StructPtr(t))
    }
}
