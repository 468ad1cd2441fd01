//! Declarations and assignments: `var`, `:=`, `=` (to locals, array
//! elements and shared variables), `op=`, `++` and `--`. The two-value
//! forms `v, ok := <-ch` and `v, ok = <-ch` are here too; the receive itself
//! is in `chan.rs`.

use super::{Fx, Lowerer, err, sync_type_name};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::{GSym, MAX_ARRAY_LEN};
use crate::front::types::assignable;
use crate::ir::*;

impl Lowerer<'_> {
    /// The type of a local declared as `t` (int, bool or an array of them)
    /// and its length if it is an array.
    fn local_type(&self, fx: &Fx, t: &TypeExpr, span: Span) -> DResult<(Ty, Option<u16>)> {
        match t {
            TypeExpr::Int => Ok((Ty::Int, None)),
            TypeExpr::Integer(t) => Ok((*t, None)),
            TypeExpr::Bool => Ok((Ty::Bool, None)),
            TypeExpr::Str => Ok((Ty::Str, None)),
            TypeExpr::Named(n) if n.name == "error" => Ok((Ty::Error, None)),
            TypeExpr::Chan(..)
            | TypeExpr::Ptr(_)
            | TypeExpr::StructPtr(_)
            | TypeExpr::Map(..)
            | TypeExpr::StructVal(_) => Ok((crate::front::globals::value_type(t, span)?, None)),
            TypeExpr::Array(n, et) => {
                let (v, vt) = self.constant_here(fx, n).map_err(|d| {
                    Diagnostic::new(
                        d.span,
                        format!("array size must be a constant: {}", d.message),
                    )
                })?;
                if !vt.is_int() || !(0..=MAX_ARRAY_LEN).contains(&v) {
                    return err(
                        n.span,
                        format!("array size must be an int between 0 and {MAX_ARRAY_LEN}"),
                    );
                }
                match **et {
                    TypeExpr::Int => Ok((Ty::Int, Some(v as u16))),
                    TypeExpr::Integer(t) => Ok((t, Some(v as u16))),
                    TypeExpr::Bool => Ok((Ty::Bool, Some(v as u16))),
                    _ => err(
                        span,
                        "local arrays must hold int or bool; declare sync objects and channels at top level",
                    ),
                }
            }
            TypeExpr::Mutex
            | TypeExpr::RWMutex
            | TypeExpr::WaitGroup
            | TypeExpr::Once
            | TypeExpr::AtomicInt(_)
            | TypeExpr::AtomicBool => err(
                span,
                "sync objects and atomics must be declared at top level (they are shared)",
            ),
            TypeExpr::Struct => err(span, "struct{} is only allowed as a channel element type"),
            TypeExpr::Named(n) => err(
                n.span,
                crate::front::parse::feature_message(&n.name)
                    .unwrap_or_else(|| format!("undefined type `{}`", n.name)),
            ),
        }
    }

    /// `var name T`, `var name = e` or `var name T = e`.
    pub(super) fn var_stmt(
        &mut self,
        fx: &mut Fx,
        name: &Ident,
        ty: Option<&(TypeExpr, Span)>,
        init: Option<&Expr>,
        span: Span,
    ) -> DResult<()> {
        if fx.scopes.last().unwrap().contains_key(&name.name) {
            return err(
                name.span,
                format!("`{}` redeclared in this block", name.name),
            );
        }
        if let (Some((t, ts)), None) = (ty, init)
            && let Some(kind) = crate::front::globals::sync_kind(t)
        {
            return self.local_sync(fx, name, kind, *ts);
        }
        if let (None, Some(e)) = (ty, init)
            && let ExprKind::SliceLit(t, elems) = &e.kind
        {
            return self.slice_array(fx, name, (t, elems), e.span).map(|_| ());
        }
        self.naming = init.filter(|e| is_make(e)).map(|_| name.name.clone());
        let (t, len) = match (ty, init) {
            (Some((t, s)), _) => self.local_type(fx, t, *s)?,
            (None, Some(e)) => (self.expr(fx, e)?.declared(), None),
            (None, None) => unreachable!(),
        };
        self.naming = None;
        if t == Ty::Nil {
            return err(
                init.map_or(span, |e| e.span),
                "use of untyped nil in variable declaration",
            );
        }
        match (ty.is_some(), init) {
            (true, Some(e)) => {
                if len.is_some() {
                    return err(e.span, "array variables cannot have an initial value");
                }
                self.expect_ty(fx, e, t, "initial value")?;
            }
            (true, None) => {
                for _ in 0..len.unwrap_or(1) {
                    self.emit(fx, Instr::Push(0), span);
                }
            }
            (false, _) => {}
        }
        if t == Ty::Unit {
            return err(span, "a local cannot hold struct{}");
        }
        if len.is_none() && Self::is_atomic_var(fx, &name.name, t) {
            return self.declare_atomic_var(fx, name, (t, init), span);
        }
        if len.is_none() && self.shares(fx, &name.name) {
            return self.declare_shared(fx, name, t, span);
        }
        let local = self.declare(fx, name, t, len)?;
        for i in (0..len.unwrap_or(1)).rev() {
            self.emit(fx, Instr::Store(local.slot + i), span);
        }
        Ok(())
    }

    /// `a := e`, `a, b := e` (a receive with `ok`): at least one name must
    /// be new in this block; the others are assigned.
    pub(super) fn short_decl(
        &mut self,
        fx: &mut Fx,
        names: &[Ident],
        e: &Expr,
        span: Span,
    ) -> DResult<()> {
        let scope = fx.scopes.last().unwrap();
        if names
            .iter()
            .all(|n| n.name == "_" || scope.contains_key(&n.name))
        {
            return err(names[0].span, "no new variables on left side of :=");
        }
        if let ([n], ExprKind::SliceLit(t, elems)) = (names, &e.kind) {
            return self.slice_array(fx, n, (t, elems), e.span).map(|_| ());
        }
        self.naming = is_make(e).then(|| names[0].name.clone());
        let tys: Vec<Ty> = if names.len() == 2 {
            if let Some(tys) = self.map_get_ok(fx, e)? {
                return self.short_decl_stores(fx, names, tys.to_vec(), (e.span, span));
            }
            let ExprKind::Unary(UnOp::Recv, c) = &e.kind else {
                return err(
                    e.span,
                    "`v, ok :=` needs a receive `<-ch` or a map index `m[k]` on the right",
                );
            };
            vec![self.recv(fx, c, true, e.span)?, Ty::Bool]
        } else {
            vec![self.expr(fx, e)?.declared()]
        };
        self.naming = None;
        if let [n] = names
            && Self::is_atomic_var(fx, &n.name, tys[0])
        {
            return self.declare_atomic_var(fx, n, (tys[0], Some(e)), span);
        }
        self.short_decl_stores(fx, names, tys, (e.span, span))
    }

    /// The stores of `a, b := …` once its values are on the stack.
    fn short_decl_stores(
        &mut self,
        fx: &mut Fx,
        names: &[Ident],
        tys: Vec<Ty>,
        (e_span, span): (Span, Span),
    ) -> DResult<()> {
        if tys[0] == Ty::Nil {
            return err(e_span, "use of untyped nil in assignment");
        }
        // `_ := <-done` is fine: the value is discarded below
        if tys[0] == Ty::Unit && names[0].name != "_" {
            return err(
                names[0].span,
                "a local cannot hold struct{}; use `<-ch` or `_`",
            );
        }
        for (n, t) in names.iter().zip(tys).rev() {
            if n.name == "_" {
                self.emit(fx, Instr::Pop, span);
                continue;
            }
            let existing = fx.scopes.last().unwrap().get(&n.name).copied();
            let local = match existing {
                Some(l) => {
                    if l.ty != t || l.len.is_some() {
                        return err(
                            n.span,
                            format!("cannot assign {} to `{}`", t.name(), n.name),
                        );
                    }
                    l
                }
                None if names.len() == 1 && self.shares(fx, &n.name) => {
                    return self.declare_shared(fx, n, t, span);
                }
                None => self.declare(fx, n, t, None)?,
            };
            let store = match local.shared {
                Some(s) => Instr::Write(Ref::Fixed(s)),
                None => Instr::Store(local.slot),
            };
            self.emit(fx, store, span);
        }
        Ok(())
    }

    /// Where an assignment stores: emits the index (if any) and returns how
    /// to store the value and its type.
    pub(super) fn lvalue(&mut self, fx: &mut Fx, lv: &LValue) -> DResult<(Instr, Ty)> {
        let n = &lv.name.name;
        // (front::structs rewrites each field of a struct instance: any
        // left is a struct value's, in a local)
        if let Some(f) = &lv.field {
            if let (Some(l), None) = (Self::lookup_local(fx, n), &lv.index)
                && let (Ty::Struct(k), None, None) = (l.ty, l.shared, l.len)
            {
                let (i, t) = self.field_of(l.ty, f)?;
                return Ok((Instr::StoreField { slot: l.slot, k, i }, t));
            }
            return err(
                lv.name.span,
                format!("`{n}` is not a struct: {n}.{} cannot be assigned", f.name),
            );
        }
        if n == "_" && lv.index.is_none() {
            return Ok((Instr::Pop, Ty::Int));
        }
        if let Some(l) = self.captured(fx, n, lv.name.span)? {
            if let Some(i) = &lv.index {
                return err(i.span, format!("`{n}` is not an array"));
            }
            return Ok((Instr::StoreUp(l.slot), l.ty));
        }
        Self::no_capture(fx, n, lv.name.span)?;
        if let Some(l) = Self::lookup_local(fx, n) {
            if l.func.is_some() {
                return err(lv.name.span, super::funcval::not_assignable(n));
            }
            if let Some((kind, _)) = l.object {
                self.plain_use_of_local_atomic(fx, n, kind, lv.span)?;
                return err(
                    lv.span,
                    format!(
                        "cannot assign to `{n}`, a {}: use its methods",
                        sync_type_name(kind)
                    ),
                );
            }
            if let (Some(s), None) = (l.shared, &lv.index) {
                return Ok((Instr::Write(Ref::Fixed(s)), l.ty));
            }
            return match (&lv.index, l.len) {
                (None, None) => Ok((Instr::Store(l.slot), l.ty)),
                (Some(i), Some(len)) => {
                    self.index_expr(fx, i, len as u32)?;
                    Ok((Instr::StoreIdx { base: l.slot, len }, l.ty))
                }
                (None, Some(_)) => Self::whole_array(
                    fx,
                    n,
                    l,
                    lv.span,
                    format!("cannot assign to the whole array `{n}`: assign its elements"),
                ),
                (Some(_), None) => err(lv.span, format!("`{n}` is not an array")),
            };
        }
        match self.g.syms.get(n) {
            None => err(lv.name.span, Self::undefined(fx, n)),
            Some((GSym::Plain { base, len, ty }, _)) => match (&lv.index, len) {
                (None, None) => Ok((Instr::Write(Ref::Fixed(*base)), *ty)),
                (Some(i), Some(len)) => {
                    self.index_expr(fx, i, *len)?;
                    Ok((
                        Instr::Write(Ref::Indexed {
                            base: *base,
                            len: *len,
                        }),
                        *ty,
                    ))
                }
                (None, Some(_)) => err(
                    lv.span,
                    format!("cannot assign to the whole array `{n}`: assign its elements"),
                ),
                (Some(_), None) => err(lv.span, format!("`{n}` is not an array")),
            },
            Some((GSym::Const(..), _)) => {
                err(lv.span, format!("cannot assign to the constant `{n}`"))
            }
            Some((GSym::Func(_), _)) => {
                err(lv.span, format!("cannot assign to the function `{n}`"))
            }
            Some((GSym::Sync { kind, .. }, _)) => self.plain_use_of_atomic(n, lv.span).and(err(
                lv.span,
                format!(
                    "cannot assign to `{n}`, a {}: use its methods",
                    sync_type_name(*kind)
                ),
            )),
            Some((GSym::Map(..) | GSym::NilMap(_), _)) if lv.index.is_none() => err(
                lv.span,
                format!(
                    "cannot assign to the top-level map `{n}`: grace keeps a top-level map fixed; declare it `var {n} = make(map[K]V)` and delete its entries, or make it in main and pass it"
                ),
            ),
            Some((GSym::Map(..) | GSym::NilMap(_), _)) => {
                unreachable!("an entry of a map is assigned by map_lvalue")
            }
            Some((GSym::Chan { .. } | GSym::NilChan(_), _)) => err(
                lv.span,
                format!(
                    "cannot assign to the top-level channel `{n}`: grace keeps a top-level channel fixed; declare it `var {n} = make(chan T)`, or make it in main (`{n} := make(chan T)`) and pass it"
                ),
            ),
        }
    }

    /// `lv = e`, or `v, ok = <-ch`.
    pub(super) fn assign(
        &mut self,
        fx: &mut Fx,
        lvs: &[LValue],
        e: &Expr,
        span: Span,
    ) -> DResult<()> {
        if lvs.len() == 2 {
            for lv in lvs {
                if lv.index.is_some() {
                    return err(lv.span, "`v, ok = …` assigns to names only");
                }
            }
            let elem = match self.map_get_ok(fx, e)? {
                Some([t, _]) => t,
                None => {
                    let ExprKind::Unary(UnOp::Recv, c) = &e.kind else {
                        return err(
                            e.span,
                            "`v, ok =` needs a receive `<-ch` or a map index `m[k]` on the right",
                        );
                    };
                    self.recv(fx, c, true, e.span)?
                }
            };
            let (st_ok, t_ok) = self.lvalue(fx, &lvs[1])?;
            if t_ok != Ty::Bool && st_ok != Instr::Pop {
                return err(lvs[1].span, "the second value of a receive is a bool");
            }
            self.emit(fx, st_ok, lvs[1].span);
            let (st_v, t_v) = self.lvalue(fx, &lvs[0])?;
            if !assignable(t_v, elem) && st_v != Instr::Pop {
                return err(
                    lvs[0].span,
                    format!("cannot assign {} to {}", elem.name(), t_v.name()),
                );
            }
            self.emit(fx, st_v, lvs[0].span);
            return Ok(());
        }
        let lv = &lvs[0];
        if let Some(t) = self.map_lvalue(fx, lv)? {
            self.expect_ty(fx, e, t, "assignment")?;
            self.map_store(fx, false, span);
            return Ok(());
        }
        let (store, t) = self.lvalue(fx, lv)?;
        self.naming = (is_make(e) && matches!(t, Ty::Chan(_)))
            .then(|| field_channel_name(self.g, lv))
            .flatten();
        if store == Instr::Pop {
            self.expr(fx, e)?;
        } else {
            self.expect_ty(fx, e, t, "assignment")?;
        }
        self.naming = None;
        self.emit(fx, store, span);
        Ok(())
    }

    /// `x op= e`, `x++`, `x--`.
    pub(super) fn update(
        &mut self,
        fx: &mut Fx,
        lv: &LValue,
        op: BinOp,
        e: Option<&Expr>,
        span: Span,
    ) -> DResult<()> {
        if self.map_update(fx, lv, op, e, span)? {
            return Ok(());
        }
        let (store, t) = self.lvalue(fx, lv)?;
        // `s += t` on a string: a concatenation; else an int operation
        let concat = t == Ty::Str && op == BinOp::Add && e.is_some();
        if !(t.is_int() || concat) || store == Instr::Pop {
            return err(
                lv.span,
                format!("operator {} needs an int variable", op.symbol()),
            );
        }
        let load = match store {
            Instr::Store(s) => Instr::Load(s),
            Instr::StoreUp(s) => Instr::LoadUp(s),
            Instr::StoreField { slot, i, .. } => {
                self.emit(fx, Instr::Load(slot), lv.span);
                Instr::Field(i)
            }
            Instr::StoreIdx { base, len } => {
                self.emit(fx, Instr::Dup, lv.span);
                Instr::LoadIdx { base, len }
            }
            Instr::Write(r) => {
                if matches!(r, Ref::Indexed { .. }) {
                    self.emit(fx, Instr::Dup, lv.span);
                }
                Instr::Read(r)
            }
            _ => unreachable!(),
        };
        if let (true, Some(e)) = (concat, e) {
            self.emit(fx, load, lv.span);
            self.expect_ty(fx, e, Ty::Str, "operand")?;
            self.emit(fx, Instr::Concat, span);
            self.emit(fx, store, span);
            return Ok(());
        }
        self.emit(fx, load, lv.span);
        match e {
            Some(e) => self.expect_ty(fx, e, t, "operand")?,
            None => {
                self.emit(fx, Instr::Push(1), span);
            }
        }
        self.emit_bin(fx, op, t, span);
        self.emit(fx, store, span);
        Ok(())
    }
}

/// Is `e` a call of `make` (whose channel is named after the variable it
/// initialises)?
pub(super) fn is_make(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call(f, _) if matches!(&f.kind, ExprKind::Name(n) if n == "make"))
        || matches!(e.kind, ExprKind::MapLit(..))
}

/// The name of a channel made for a struct's field (`b.deposits =
/// make(…)`, as `front::structs` writes `&Bank{deposits: make(…)}`): the
/// field of the instance when it is known, else of the type.
fn field_channel_name(g: &crate::front::globals::Globals, lv: &LValue) -> Option<String> {
    let field = lv.name.name.strip_prefix('#')?;
    let k = match lv.index.as_ref().map(|i| &i.kind) {
        Some(ExprKind::Int(k)) => *k as u32,
        _ => return Some(field.to_string()),
    };
    match g.syms.get(&lv.name.name) {
        Some((GSym::Plain { base, .. }, _)) => g.plain_names.get((base + k) as usize).cloned(),
        _ => Some(field.to_string()),
    }
}
