//! Labels (`L: for …`, `L: switch …`, `L: select …`) and `break L` /
//! `continue L`, with Go's rules: a label is known in its whole function,
//! defined once, and must be used; `break L` needs an enclosing `for`,
//! `switch` or `select` labelled `L`, `continue L` an enclosing `for`.

use super::{Fx, Lowerer, err};
use crate::front::ast::*;
use crate::front::diag::DResult;
use crate::ir::*;

/// A label met in the function being lowered.
pub(super) struct LabelCx {
    name: String,
    /// The index in `Fx::loops` of the context its statement pushes.
    depth: usize,
    /// What it labels: `break` needs a for, switch or select; `continue` a for.
    breakable: bool,
    is_for: bool,
    /// Its statement is being lowered (so `break L` is inside it).
    active: bool,
    used: bool,
}

impl Lowerer<'_> {
    /// `L: stmt`.
    pub(super) fn labeled(&mut self, fx: &mut Fx, label: &Ident, s: &Stmt) -> DResult<()> {
        if fx.labels.iter().any(|l| l.name == label.name) {
            return err(label.span, format!("label {} already defined", label.name));
        }
        let at = fx.labels.len();
        fx.labels.push(LabelCx {
            name: label.name.clone(),
            depth: fx.loops.len(),
            breakable: matches!(
                s.kind,
                StmtKind::For(..) | StmtKind::Switch(..) | StmtKind::Select(..)
            ),
            is_for: matches!(s.kind, StmtKind::For(..)),
            active: true,
            used: false,
        });
        self.stmt(fx, s)?;
        fx.labels[at].active = false;
        if !fx.labels[at].used {
            return err(
                label.span,
                format!("label {} declared and not used", label.name),
            );
        }
        Ok(())
    }

    /// `break L` (`is_break`) or `continue L`: a jump patched at the end,
    /// or the continue point, of the labelled statement.
    pub(super) fn jump_to_label(
        &mut self,
        fx: &mut Fx,
        label: &Ident,
        is_break: bool,
        span: Span,
    ) -> DResult<()> {
        let word = if is_break { "break" } else { "continue" };
        let Some(at) = fx.labels.iter().position(|l| l.name == label.name) else {
            return err(
                label.span,
                format!("{word} label not defined: {}", label.name),
            );
        };
        fx.labels[at].used = true;
        let l = &fx.labels[at];
        if !l.active || !l.breakable || (!is_break && !l.is_for) {
            let need = if is_break {
                "an enclosing `for`, `switch` or `select`"
            } else {
                "an enclosing `for`"
            };
            return err(
                label.span,
                format!(
                    "invalid {word} label {}: `{word} L` needs the label of {need}",
                    label.name
                ),
            );
        }
        let depth = l.depth;
        let j = self.emit(fx, Instr::Jump(0), span);
        if is_break {
            fx.loops[depth].breaks.push(j);
        } else {
            fx.loops[depth].continues.push(j);
        }
        Ok(())
    }
}
