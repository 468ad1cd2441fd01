//! `const` in a function body: each name is bound, in the block's scope,
//! to its value, computed when the program is checked (Go's constants);
//! it takes no slot. A body constant may not hide a top-level name or one
//! the language uses, so that every place that resolves a name without
//! asking for constants (assignments, calls, methods, channels) still
//! finds what Go would refuse or accept.

use super::{Fx, Local, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::front::globals::{GSym, RESERVED, declared_type};
use crate::ir::{BinOp, Ty};
use std::collections::{HashMap, HashSet};

impl Lowerer<'_> {
    pub(super) fn const_stmt(&mut self, fx: &mut Fx, decls: &[ConstDecl]) -> DResult<()> {
        for c in decls {
            let n = &c.name.name;
            let (v, ty) = match self.const_text(fx, &c.value)? {
                Some(s) => (self.string_id(&s) as i64, Ty::Str),
                None => self.constant_here(fx, &c.value)?,
            };
            let ty = declared_type(c, v, ty)?;
            if n == "_" {
                continue;
            }
            if self.g.syms.contains_key(n) || RESERVED.contains(&n.as_str()) || n == "recover" {
                return err(
                    c.name.span,
                    format!(
                        "a constant declared in a function may not hide the top-level or predeclared `{n}` in grace: give it another name"
                    ),
                );
            }
            let scope = fx.scopes.last_mut().expect("a function has a scope");
            if scope.contains_key(n) {
                return err(c.name.span, format!("{n} redeclared in this block"));
            }
            let local = Local {
                slot: 0,
                ty,
                len: None,
                konst: Some(v),
                shared: None,
                object: None,
                func: None,
            };
            scope.insert(n.clone(), local);
        }
        Ok(())
    }

    /// What a function made inside `fx` (a func literal, a deferred call's
    /// wrapper) sees of it: the names of its variables, which it may not
    /// use, and its constants, which it may; the nearest declaration wins.
    pub(super) fn seen_from_inside(fx: &Fx) -> (HashSet<String>, HashMap<String, (i64, Ty)>) {
        let mut outer = fx.outer.clone();
        let mut consts = fx.outer_consts.clone();
        for sc in &fx.scopes {
            for (n, l) in sc {
                match l.konst {
                    Some(v) => {
                        outer.remove(n);
                        consts.insert(n.clone(), (v, l.ty));
                    }
                    // a shared variable is visible inside: it is global
                    None if l.shared.is_some() || l.object.is_some() => {
                        consts.remove(n);
                        outer.remove(n);
                    }
                    None => {
                        consts.remove(n);
                        outer.insert(n.clone());
                    }
                }
            }
        }
        (outer, consts)
    }

    /// The text of a constant string expression here (a literal, a string
    /// constant of the body or the top level, `+` of those), `None` when
    /// `e` is not a string.
    pub(super) fn const_text(&self, fx: &Fx, e: &Expr) -> DResult<Option<String>> {
        Ok(match &e.kind {
            ExprKind::Str(s) => Some(s.clone()),
            ExprKind::Name(n) => match Self::lookup_konst(fx, n) {
                Some((k, Ty::Str)) => Some(self.strings[k as usize].clone()),
                Some(_) => None,
                None if Self::lookup_local(fx, n).is_some() => None,
                None => match self.g.syms.get(n) {
                    Some((GSym::Const(k, Ty::Str), _)) => Some(self.g.strs[*k as usize].clone()),
                    _ => None,
                },
            },
            ExprKind::Binary(BinOp::Add, a, b) => {
                match (self.const_text(fx, a)?, self.const_text(fx, b)?) {
                    (Some(x), Some(y)) => Some(x + &y),
                    (None, None) => None,
                    _ => {
                        return err(
                            e.span,
                            "mismatched types in a constant: string + a non-string",
                        );
                    }
                }
            }
            _ => None,
        })
    }
}
