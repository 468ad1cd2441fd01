//! Maps (`map[K]V`, LANGUAGE.md *Maps*): their declaration at top level
//! and where a body runs once, and every operation on them — `m[k]`,
//! `v, ok := m[k]`, `m[k] = v`, `m[k] op= v`, `delete(m, k)`, `len(m)` and
//! `range`. A map value is the map's number + 1 (0 for nil), as a channel
//! is; its contents live in the sync table (`ir/maps.rs`), each operation
//! a step (`semantics/maps.rs`).

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::{DResult, Diagnostic};
use crate::front::globals::{GSym, Globals, value_type};
use crate::front::types::{assignable, const_eval, untyped_overflow};
use crate::ir::*;

/// The `base` of a nil top-level map's [`GlobalInfo`]: no map of the table.
pub(crate) const NIL_MAP: u32 = u32::MAX;

/// At most this many maps in a program (each is in every state).
const MAX_MAPS: usize = 64;

/// Where a map may be made, for the messages that refuse it elsewhere.
const WHERE_MAPS: &str = "grace keeps every map in each state, so a map is made once per run: at top level (`var m = make(map[K]V)`), or in main, an init, a function called once or a func literal that `go` or `defer` starts there, outside loops";

/// The type `map[K]V` names, or why grace has no such map.
pub(crate) fn map_type(k: &TypeExpr, v: &TypeExpr, span: Span) -> DResult<MapTy> {
    let (kt, vt) = (value_type(k, span)?, value_type(v, span)?);
    MapTy::of(kt, vt).ok_or_else(|| {
        Diagnostic::new(
            span,
            format!(
                "map[{}]{} is not supported: a map's keys and values must each be an integer type, bool or string",
                kt.name(),
                vt.name()
            ),
        )
    })
}

/// A top-level `var` of a map type: `var m map[K]V` (nil, as in Go),
/// `var m = make(map[K]V)` or `var m = map[K]V{k: v, …}` with constant
/// entries. `None` when `v` is not a map.
pub(crate) fn global_map(g: &mut Globals, v: &VarDecl) -> DResult<Option<GSym>> {
    let declared = match &v.ty {
        Some((TypeExpr::Map(k, val), s)) => Some(map_type(k, val, *s)?),
        _ => None,
    };
    let (made, entries) = match v.init.as_ref().map(|e| &e.kind) {
        Some(ExprKind::Call(f, args)) if matches!(&f.kind, ExprKind::Name(n) if n == "make") => {
            match args.first().map(|a| &a.kind) {
                Some(ExprKind::Type(TypeExpr::Map(k, val))) => {
                    let span = args[0].span;
                    if args.len() > 2 {
                        return Err(Diagnostic::new(
                            v.init.as_ref().map_or(span, |e| e.span),
                            "make(map[K]V) takes at most a size hint",
                        ));
                    }
                    (Some((map_type(k, val, span)?, span)), Vec::new())
                }
                _ => return Ok(None),
            }
        }
        Some(ExprKind::MapLit(TypeExpr::Map(k, val), entries)) => {
            let span = v.init.as_ref().map_or(v.span, |e| e.span);
            (Some((map_type(k, val, span)?, span)), entries.clone())
        }
        None if declared.is_some() => (None, Vec::new()),
        _ => return Ok(None),
    };
    let Some((ty, span)) = made else {
        // listed in outcomes as fmt prints it, `map[]`
        if let Some(t) = declared {
            g.globals.push(GlobalInfo {
                name: v.name.name.clone(),
                ty: Ty::Map(t),
                len: None,
                place: Place::Map,
                base: NIL_MAP,
            });
        }
        return Ok(declared.map(GSym::NilMap));
    };
    if let Some(d) = declared
        && d != ty
    {
        return Err(Diagnostic::new(
            span,
            format!(
                "cannot use {} value as {} value in variable declaration",
                ty.name(),
                d.name()
            ),
        ));
    }
    let mut init: Vec<(i64, i64)> = Vec::new();
    for (k, val) in &entries {
        let key = const_entry(g, k, ty.key())?;
        if init.iter().any(|(x, _)| *x == key) {
            return Err(Diagnostic::new(
                k.span,
                format!("duplicate key {} in map literal", g_text(g, k)),
            ));
        }
        init.push((key, const_entry(g, val, ty.val())?));
    }
    if init.len() > MAP_CAP {
        return Err(Diagnostic::new(
            span,
            format!(
                "a map holds at most {MAP_CAP} entries in grace, and this literal has {}",
                init.len()
            ),
        ));
    }
    let id = add_map(&mut g.maps, &mut g.globals, &v.name.name, ty, init, v.span)?;
    Ok(Some(GSym::Map(id, ty)))
}

/// The source text of an expression, for a message.
fn g_text(g: &Globals, e: &Expr) -> String {
    match g.const_string(e) {
        Ok(Some(s)) => format!("{s:?}"),
        _ => match const_eval(g, e) {
            Ok((v, _)) => v.to_string(),
            Err(_) => "(this key)".into(),
        },
    }
}

/// A constant key or value of a top-level map literal, of type `t` (a
/// string as its number in the top level's constant strings, renumbered
/// into the program's when the lowering starts).
fn const_entry(g: &mut Globals, e: &Expr, t: Ty) -> DResult<i64> {
    let what = "a top-level map literal's keys and values must be constants";
    if t == Ty::Str {
        return match g.const_string(e)? {
            Some(s) => Ok(g.intern_const(s)),
            None => Err(Diagnostic::new(e.span, format!("{what} (of type string)"))),
        };
    }
    let (v, vt) =
        const_eval(g, e).map_err(|d| Diagnostic::new(d.span, format!("{what}: {}", d.message)))?;
    if !assignable(t, vt) {
        return Err(Diagnostic::new(
            e.span,
            format!(
                "cannot use {} value as {} in map literal",
                vt.name(),
                t.name()
            ),
        ));
    }
    if vt == Ty::UntypedInt && !t.fits(v) {
        return Err(Diagnostic::new(
            e.span,
            untyped_overflow(v, t, "map literal"),
        ));
    }
    Ok(v)
}

/// Add a map to the table (listed in outcomes under `name`); its number.
fn add_map(
    maps: &mut Vec<MapInfo>,
    globals: &mut Vec<GlobalInfo>,
    name: &str,
    ty: MapTy,
    init: Vec<(i64, i64)>,
    span: Span,
) -> DResult<u32> {
    if maps.len() >= MAX_MAPS {
        return Err(Diagnostic::new(
            span,
            format!("too many maps: at most {MAX_MAPS}"),
        ));
    }
    let id = maps.len() as u32;
    maps.push(MapInfo {
        name: name.to_string(),
        ty,
        init,
    });
    globals.push(GlobalInfo {
        name: name.to_string(),
        ty: Ty::Map(ty),
        len: None,
        place: Place::Map,
        base: id,
    });
    Ok(id)
}

impl Lowerer<'_> {
    /// The top level's map literals name their strings by the top level's
    /// numbers: renumber them into the program's string table.
    pub(super) fn map_strings(&mut self) {
        let g = self.g;
        let mut maps = std::mem::take(&mut self.maps);
        for m in &mut maps {
            for (k, v) in &mut m.init {
                if m.ty.key() == Ty::Str {
                    *k = self.string_id(&g.strs[*k as usize]) as i64;
                }
                if m.ty.val() == Ty::Str {
                    *v = self.string_id(&g.strs[*v as usize]) as i64;
                }
            }
        }
        self.maps = maps;
    }

    /// The map type of `e` if it is a name that holds a map (nothing emitted).
    pub(super) fn map_ty_of(&self, fx: &Fx, e: &Expr) -> Option<MapTy> {
        // a struct's map field, `#T.f[k]` (`front::structs`)
        if let ExprKind::Index(a, _) = &e.kind
            && let ExprKind::Name(n) = &a.kind
            && n.starts_with('#')
            && let Some((GSym::Plain { ty: Ty::Map(t), .. }, _)) = self.g.syms.get(n)
        {
            return Some(*t);
        }
        let ExprKind::Name(n) = &e.kind else {
            return None;
        };
        if Self::lookup_konst(fx, n).is_some() {
            return None;
        }
        let local = Self::lookup_local(fx, n).or_else(|| fx.up.get(n).copied().flatten());
        if let Some(l) = local {
            return match (l.ty, l.len) {
                (Ty::Map(t), None) => Some(t),
                _ => None,
            };
        }
        match self.g.syms.get(n) {
            Some((GSym::Map(_, t) | GSym::NilMap(t), _)) => Some(*t),
            _ => None,
        }
    }

    /// `make(map[K]V[, hint])` as a value: a map of the table, where the
    /// code runs once per run.
    pub(super) fn make_map(&mut self, fx: &mut Fx, args: &[Expr], e: &Expr) -> DResult<Ty> {
        let Some(ExprKind::Type(TypeExpr::Map(k, v))) = args.first().map(|a| &a.kind) else {
            unreachable!("called on make(map…)")
        };
        let ty = map_type(k, v, args[0].span)?;
        match args.get(1..).unwrap_or_default() {
            [] => {}
            [hint] => {
                let t = self.expr(fx, hint)?;
                if !t.is_int() {
                    return err(hint.span, "make(map[K]V, n): n must be an integer");
                }
                self.emit(fx, Instr::Pop, hint.span);
            }
            _ => return err(e.span, "make(map[K]V) takes at most a size hint"),
        }
        self.new_map(fx, ty, e.span)?;
        Ok(Ty::Map(ty))
    }

    /// A new map of type `ty` made at `span`, its value pushed; refused
    /// where the code may run more than once per run.
    fn new_map(&mut self, fx: &mut Fx, ty: MapTy, span: Span) -> DResult<()> {
        if !(fx.once && fx.loop_depth == 0) {
            let why = if fx.loop_depth > 0 {
                "this map is made in a loop"
            } else {
                "this map is made in a function that may run more than once (called twice, from a loop or a func literal, started by several `go`s, or a func literal in a loop or in such a function)"
            };
            return err(span, format!("{why}: {WHERE_MAPS}"));
        }
        let name = self.naming.take().unwrap_or_else(|| {
            let (l, c) = self.src.line_col(span.start);
            format!("map@{l}:{c}")
        });
        let taken = self.g.syms.contains_key(&name) || self.globals.iter().any(|g| g.name == name);
        let shown = if taken {
            let (l, c) = self.src.line_col(span.start);
            format!("{name}@{l}:{c}")
        } else {
            name
        };
        let id = add_map(
            &mut self.maps,
            &mut self.globals,
            &shown,
            ty,
            Vec::new(),
            span,
        )?;
        self.emit(fx, Instr::Push(id as i64 + 1), span);
        Ok(())
    }

    /// `map[K]V{k: v, …}` in a body: a new map, then a write per entry.
    pub(super) fn map_lit(
        &mut self,
        fx: &mut Fx,
        ty: &TypeExpr,
        entries: &[(Expr, Expr)],
        e: &Expr,
    ) -> DResult<Ty> {
        let TypeExpr::Map(k, v) = ty else {
            return err(e.span, "a composite literal needs a map type");
        };
        let ty = map_type(k, v, e.span)?;
        if entries.len() > MAP_CAP {
            return err(
                e.span,
                format!(
                    "a map holds at most {MAP_CAP} entries in grace, and this literal has {}",
                    entries.len()
                ),
            );
        }
        // Go refuses a constant key written twice
        let mut seen = Vec::new();
        for (key, _) in entries {
            let k = match self.const_text(fx, key)? {
                Some(s) => Some(format!("{s:?}")),
                None if self.is_const(fx, key) => Some(self.constant_here(fx, key)?.0.to_string()),
                None => None,
            };
            if let Some(k) = k {
                if seen.contains(&k) {
                    return err(key.span, format!("duplicate key {k} in map literal"));
                }
                seen.push(k);
            }
        }
        self.new_map(fx, ty, e.span)?;
        for (key, val) in entries {
            self.emit(fx, Instr::Dup, key.span);
            self.expect_ty(fx, key, ty.key(), "map key")?;
            self.expect_ty(fx, val, ty.val(), "map value")?;
            self.emit(fx, Instr::MapWrite { delete: false }, key.span);
            self.emit(fx, Instr::MapStore { delete: false }, key.span);
        }
        Ok(Ty::Map(ty))
    }

    /// `m[k]` (or `m[k]` with `ok` as its second value) if `a` is a map:
    /// its value type; `None` when `a` is no map.
    pub(super) fn map_get(
        &mut self,
        fx: &mut Fx,
        a: &Expr,
        i: &Expr,
        ok: bool,
        span: Span,
    ) -> DResult<Option<Ty>> {
        let Some(ty) = self.map_ty_of(fx, a) else {
            return Ok(None);
        };
        self.expr(fx, a)?;
        self.expect_ty(fx, i, ty.key(), "map key")?;
        self.emit(fx, Instr::MapGet { ok }, span);
        Ok(Some(ty.val()))
    }

    /// `v, ok := m[k]` / `v, ok = m[k]`: the types of the two values, if
    /// `e` reads a map.
    pub(super) fn map_get_ok(&mut self, fx: &mut Fx, e: &Expr) -> DResult<Option<[Ty; 2]>> {
        let ExprKind::Index(a, i) = &e.kind else {
            return Ok(None);
        };
        Ok(self.map_get(fx, a, i, true, e.span)?.map(|t| [t, Ty::Bool]))
    }

    /// The target `m[k]` of an assignment, if `lv` is one: the map and the
    /// key are pushed; the value comes next, then [`Lowerer::map_store`].
    pub(super) fn map_lvalue(&mut self, fx: &mut Fx, lv: &LValue) -> DResult<Option<Ty>> {
        let Some(i) = &lv.index else {
            return Ok(None);
        };
        let name = Expr {
            kind: ExprKind::Name(lv.name.name.clone()),
            span: lv.name.span,
        };
        let Some(ty) = self.map_ty_of(fx, &name) else {
            return Ok(None);
        };
        self.expr(fx, &name)?;
        self.expect_ty(fx, i, ty.key(), "map key")?;
        Ok(Some(ty.val()))
    }

    /// A map write: Go's runtime marks the map, stores, and unmarks —
    /// two steps, so that another goroutine's access can meet the mark.
    pub(super) fn map_store(&self, fx: &mut Fx, delete: bool, span: Span) {
        self.emit(fx, Instr::MapWrite { delete }, span);
        self.emit(fx, Instr::MapStore { delete }, span);
    }

    /// `m[k] op= e`, `m[k]++`: as Go compiles it, `m[k] = m[k] op e` (a
    /// read step, then the write's two); `false` if `lv` is no map entry.
    pub(super) fn map_update(
        &mut self,
        fx: &mut Fx,
        lv: &LValue,
        op: BinOp,
        e: Option<&Expr>,
        span: Span,
    ) -> DResult<bool> {
        let Some(t) = self.map_lvalue(fx, lv)? else {
            return Ok(false);
        };
        if !(t.is_int() || t == Ty::Str && op == BinOp::Add && e.is_some()) {
            return err(
                lv.span,
                format!("operator {} needs an integer map value", op.symbol()),
            );
        }
        let (m, k) = (self.temp(fx, span)?, self.temp(fx, span)?);
        self.emit(fx, Instr::Store(k.slot), span);
        self.emit(fx, Instr::Store(m.slot), span);
        for _ in 0..2 {
            self.emit(fx, Instr::Load(m.slot), span);
            self.emit(fx, Instr::Load(k.slot), span);
        }
        self.emit(fx, Instr::MapGet { ok: false }, lv.span);
        match e {
            Some(e) => self.expect_ty(fx, e, t, "operand")?,
            None => {
                self.emit(fx, Instr::Push(1), span);
            }
        }
        if t == Ty::Str {
            self.emit(fx, Instr::Concat, span);
        } else {
            self.emit_bin(fx, op, t, span);
        }
        self.map_store(fx, false, span);
        Ok(true)
    }

    /// `delete(m, k)`.
    pub(super) fn delete_call(&mut self, fx: &mut Fx, args: &[Expr], span: Span) -> DResult<()> {
        let [m, k] = args else {
            return err(span, "delete takes a map and a key: delete(m, k)");
        };
        let Ty::Map(ty) = self.expr(fx, m)? else {
            return err(m.span, "the first argument of delete must be a map");
        };
        self.expect_ty(fx, k, ty.key(), "map key")?;
        self.map_store(fx, true, span);
        Ok(())
    }

    /// `for k, v := range m`, in key order (LANGUAGE.md *Maps*): each
    /// iteration's step finds the entry after the last key seen, so an
    /// entry deleted before it is reached is not produced, as in Go.
    pub(super) fn range_map(
        &mut self,
        fx: &mut Fx,
        (k, v): (Option<&Ident>, Option<&Ident>),
        e: &Expr,
        body: &Block,
        span: Span,
    ) -> DResult<super::loops::RangeLoop> {
        let Ty::Map(ty) = self.expr(fx, e)? else {
            unreachable!("called on a map")
        };
        let [m, last, started, val, found] = [(); 5].map(|_| self.temp(fx, span));
        let [m, last, started, val, found] = [m?, last?, started?, val?, found?];
        self.emit(fx, Instr::Store(m.slot), e.span);
        for l in [last, started] {
            self.emit(fx, Instr::Push(0), span);
            self.emit(fx, Instr::Store(l.slot), span);
        }
        let top = Self::here(fx);
        for l in [m, last, started] {
            self.emit(fx, Instr::Load(l.slot), span);
        }
        self.emit(fx, Instr::MapNext, e.span);
        for l in [found, val, last] {
            self.emit(fx, Instr::Store(l.slot), span);
        }
        self.emit(fx, Instr::Load(found.slot), span);
        let exit = self.emit(fx, Instr::JumpIf(false, 0), span);
        self.emit(fx, Instr::Push(1), span);
        self.emit(fx, Instr::Store(started.slot), span);
        for (name, from, t) in [(k, last, ty.key()), (v, val, ty.val())] {
            if let Some(n) = name
                && n.name != "_"
            {
                let l: Local = self.declare(fx, n, t, None)?;
                self.emit(fx, Instr::Load(from.slot), n.span);
                self.emit(fx, Instr::Store(l.slot), n.span);
            }
        }
        self.loop_body(fx, body)?;
        self.emit(fx, Instr::Jump(top), span);
        Ok(super::loops::RangeLoop {
            top,
            exit,
            pop_on_exit: false,
        })
    }
}
