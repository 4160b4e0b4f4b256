//! The state of checking one body: where it is (which rules apply), its
//! local slots and their block scopes.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{self, CellKindId, LocalId};
use crate::types::Type;

/// Which part of a cell a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellPart {
    Metabolism,
    OnSpawn,
    OnApoptosis,
    OnSignal,
    Method,
}

/// Where a body stands; decides what it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// A `const`, a field default or a gradient setting: constants only.
    Const,
    /// The `ecosystem` block (and REPL lines).
    Ecosystem,
    /// A free function.
    FreeFn,
    /// Code of a cell kind.
    Cell { kind: CellKindId, part: CellPart },
}

impl Ctx {
    /// The cell kind whose code this is.
    pub(crate) fn cell(self) -> Option<CellKindId> {
        match self {
            Ctx::Cell { kind, .. } => Some(kind),
            _ => None,
        }
    }
}

/// One local's bookkeeping beyond [`hir::LocalInfo`].
struct LocalState {
    used: bool,
    /// Report it if never read (`let` and `if let` bindings).
    warn_unused: bool,
}

/// Locals and scopes of the body being checked.
pub(crate) struct BodyCx {
    pub ctx: Ctx,
    /// What `return` must give.
    pub ret: Type,
    pub locals: Vec<hir::LocalInfo>,
    state: Vec<LocalState>,
    /// Name → the stack of locals with that name (innermost last).
    names: HashMap<String, Vec<LocalId>>,
    /// The locals declared in each open scope.
    scopes: Vec<Vec<LocalId>>,
    /// Open loops, innermost last: whether a `break` leaves each.
    pub loops: Vec<bool>,
}

impl BodyCx {
    pub(crate) fn new(ctx: Ctx, ret: Type) -> Self {
        BodyCx {
            ctx,
            ret,
            locals: Vec::new(),
            state: Vec::new(),
            names: HashMap::new(),
            scopes: vec![Vec::new()],
            loops: Vec::new(),
        }
    }

    /// Declares a local in the innermost scope (shadowing outer ones).
    pub(crate) fn declare(
        &mut self,
        name: &str,
        ty: Type,
        mutable: bool,
        span: Span,
        warn_unused: bool,
    ) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(hir::LocalInfo {
            name: name.to_string(),
            ty,
            mutable,
            span,
        });
        self.state.push(LocalState {
            used: false,
            warn_unused,
        });
        self.names.entry(name.to_string()).or_default().push(id);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(id);
        }
        id
    }

    /// The innermost local called `name`, marked as used.
    pub(crate) fn lookup(&mut self, name: &str) -> Option<LocalId> {
        let id = *self.names.get(name)?.last()?;
        if let Some(s) = self.state.get_mut(id.0 as usize) {
            s.used = true;
        }
        Some(id)
    }

    /// The innermost local called `name` without marking it used.
    pub(crate) fn peek(&self, name: &str) -> Option<LocalId> {
        self.names.get(name)?.last().copied()
    }

    /// Information on a local.
    pub(crate) fn info(&self, id: LocalId) -> Option<&hir::LocalInfo> {
        self.locals.get(id.0 as usize)
    }

    /// Names of the locals in scope (for suggestions).
    pub(crate) fn visible_names(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, _)| k.as_str())
    }

    /// Starts the body with slots kept from earlier REPL lines: all of
    /// `locals` take their slots, and the names in `visible` resolve to them.
    pub(crate) fn preload(
        &mut self,
        locals: &[hir::LocalInfo],
        visible: &HashMap<String, LocalId>,
    ) {
        for info in locals {
            self.locals.push(info.clone());
            self.state.push(LocalState {
                used: true,
                warn_unused: false,
            });
        }
        for (name, id) in visible {
            self.names.entry(name.clone()).or_default().push(*id);
        }
    }

    /// Every name in scope and the local it resolves to.
    pub(crate) fn visible_map(&self) -> HashMap<String, LocalId> {
        self.names
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), *v.last()?)))
            .collect()
    }

    /// Opens a block scope.
    pub(crate) fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    /// Closes the innermost scope; returns warnings for its unused locals.
    pub(crate) fn pop_scope(&mut self) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        let Some(scope) = self.scopes.pop() else {
            return warnings;
        };
        for id in scope.into_iter().rev() {
            let Some(info) = self.locals.get(id.0 as usize) else {
                continue;
            };
            if let Some(stack) = self.names.get_mut(&info.name) {
                stack.pop();
            }
            let Some(state) = self.state.get(id.0 as usize) else {
                continue;
            };
            if state.warn_unused
                && !state.used
                && !info.name.starts_with('_')
                && !info.ty.is_error()
            {
                warnings.push(
                    Diagnostic::warning(
                        "W0601",
                        format!("unused local `{}`", info.name),
                        info.span.clone(),
                    )
                    .with_label("never read")
                    .with_help(format!(
                        "remove it, or name it `_{}` if it is meant to be unused",
                        info.name
                    )),
                );
            }
        }
        warnings
    }

    /// Finishes the body: closes the outer scope and builds the HIR body.
    pub(crate) fn finish(mut self, params: u32, block: hir::Block) -> (hir::Body, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        while !self.scopes.is_empty() {
            warnings.extend(self.pop_scope());
        }
        (
            hir::Body {
                params,
                locals: self.locals,
                block,
            },
            warnings,
        )
    }
}
