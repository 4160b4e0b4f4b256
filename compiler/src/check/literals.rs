//! Composite literals: lists (element type from context or first element),
//! signal records (every field exactly once) and `spawn` (field, `energy:`
//! and `priority:` overrides; `in M` in the ecosystem only).
use super::body::{BodyCx, Ctx};
use super::expr::{error_expr, mk, value};
use super::{Checker, Global, fold, suggest};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{Expr, ExprKind, Spawn};
use crate::types::Type;

impl<'a> Checker<'a> {
    pub(crate) fn list_expr(
        &mut self,
        cx: &mut BodyCx,
        items: &[ast::Expr],
        expected: Option<&Type>,
        span: Span,
    ) -> Expr {
        let mut elem = expected.and_then(|t| t.list_element()).cloned();
        if expected == Some(&Type::Error) {
            elem = Some(Type::Error);
        }
        let mut checked: Vec<Option<Expr>> = vec![None; items.len()];
        if elem.is_none() {
            // Infer from the first element that is not a bare `none`.
            if let Some((i, first)) = items
                .iter()
                .enumerate()
                .find(|(_, e)| !matches!(e.kind, ast::ExprKind::None))
            {
                let e = self.expr(cx, first, None);
                self.require_value(&e);
                elem = Some(if e.ty == Type::Unit {
                    Type::Error
                } else {
                    e.ty.clone()
                });
                if let Some(slot) = checked.get_mut(i) {
                    *slot = Some(e);
                }
            }
        }
        let Some(elem) = elem else {
            self.emit(
                Diagnostic::error(
                    "E0304",
                    "cannot infer the element type of this list",
                    span.clone(),
                )
                .with_label(if items.is_empty() {
                    "empty list"
                } else {
                    "only `none`s"
                })
                .with_help("write the type: `let xs: [int] = [];`"),
            );
            return error_expr(span);
        };
        let mut out = Vec::with_capacity(items.len());
        for (item, pre) in items.iter().zip(checked) {
            let e = match pre {
                Some(e) => e,
                None => self.expr_as(cx, item, &elem),
            };
            out.push(e);
        }
        let ty = Type::list(elem);
        if out.iter().all(|e| fold::value_of(e).is_some()) {
            let values = out.iter().filter_map(fold::value_of).cloned();
            return value(fold::list(values), ty, span);
        }
        mk(ExprKind::MakeList(out), ty, span)
    }

    pub(crate) fn signal_literal(
        &mut self,
        cx: &mut BodyCx,
        name: &ast::Ident,
        inits: &[ast::FieldInit],
        span: Span,
    ) -> Expr {
        let signal = match self.globals.get(&name.name).map(|g| g.what) {
            Some(Global::Signal(s)) => s,
            other => {
                let message = match other {
                    Some(o) => format!("`{}` is {}, not a signal", name.name, o.describe()),
                    None => format!("cannot find signal `{}`", name.name),
                };
                let mut d = Diagnostic::error("E0205", message, name.span.clone())
                    .with_label("not a signal");
                if matches!(other, Some(Global::Cell(_))) {
                    d = d.with_help(format!(
                        "to make a cell, use `spawn {} {{ ... }}`",
                        name.name
                    ));
                } else if let Some(s) =
                    suggest::closest(&name.name, self.signal_names.iter().map(String::as_str))
                {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.emit(d);
                for init in inits {
                    self.expr(cx, &init.value, None);
                }
                return error_expr(span);
            }
        };
        let Some(info) = self.signals.get(signal.0 as usize).cloned() else {
            return error_expr(span);
        };
        let mut fields: Vec<Option<Expr>> = vec![None; info.fields.len()];
        let mut first_span: Vec<Option<Span>> = vec![None; info.fields.len()];
        let mut order = Vec::with_capacity(inits.len());
        let mut unknown_given = false;
        for init in inits {
            let Some(&i) = info.index.get(&init.name.name) else {
                let mut d = Diagnostic::error(
                    "E0311",
                    format!("signal `{}` has no field `{}`", info.name, init.name.name),
                    init.name.span.clone(),
                )
                .with_label("unknown field");
                if let Some(s) =
                    suggest::closest(&init.name.name, info.fields.iter().map(|(n, _)| n.as_str()))
                {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.emit(d);
                self.expr(cx, &init.value, None);
                unknown_given = true;
                continue;
            };
            let ty = info
                .fields
                .get(i as usize)
                .map_or(Type::Error, |(_, t)| t.clone());
            let e = self.expr_as(cx, &init.value, &ty);
            if let Some(Some(first)) = first_span.get(i as usize) {
                let first = first.clone();
                self.emit(
                    Diagnostic::error(
                        "E0312",
                        format!("field `{}` is given twice", init.name.name),
                        init.name.span.clone(),
                    )
                    .with_label("given again here")
                    .with_secondary(first, "first given here"),
                );
                continue;
            }
            if let Some(slot) = first_span.get_mut(i as usize) {
                *slot = Some(init.name.span.clone());
            }
            if let Some(slot) = fields.get_mut(i as usize) {
                *slot = Some(e);
            }
            order.push(i);
        }
        let missing: Vec<String> = info
            .fields
            .iter()
            .zip(&fields)
            .filter(|(_, f)| f.is_none())
            .map(|((n, _), _)| format!("`{n}`"))
            .collect();
        if unknown_given {
            return error_expr(span);
        }
        if !missing.is_empty() {
            let plural = if missing.len() == 1 { "" } else { "s" };
            self.emit(
                Diagnostic::error(
                    "E0310",
                    format!(
                        "missing field{plural} {} in signal `{}`",
                        missing.join(", "),
                        info.name
                    ),
                    span.clone(),
                )
                .with_label(format!("missing {}", missing.join(", ")))
                .with_note("a signal literal gives every field of the signal"),
            );
            return error_expr(span);
        }
        let fields: Vec<Expr> = fields
            .into_iter()
            .map(|f| f.unwrap_or_else(|| error_expr(span.clone())))
            .collect();
        if fields.iter().all(|f| fold::value_of(f).is_some()) {
            let values = fields.iter().filter_map(fold::value_of).cloned().collect();
            let record = crate::hir::Value::Record(std::sync::Arc::new(myco_vm::value::Record {
                kind: signal,
                fields: values,
            }));
            return value(record, Type::Signal(signal), span);
        }
        mk(
            ExprKind::MakeSignal {
                signal,
                fields,
                eval_order: order,
            },
            Type::Signal(signal),
            span,
        )
    }

    /// `spawn T { ... } at p in M`. `as_statement`: the spawn stands alone
    /// as a statement (required inside a cell, where it has no value).
    pub(crate) fn spawn_expr(
        &mut self,
        cx: &mut BodyCx,
        s: &ast::SpawnExpr,
        span: Span,
        as_statement: bool,
    ) -> Expr {
        let ty = match cx.ctx {
            Ctx::Ecosystem => Type::Cell,
            Ctx::Cell { .. } => {
                if !as_statement {
                    self.emit(
                        Diagnostic::error("E0506", "inside a cell, `spawn` has no value", span.clone())
                            .with_label("used as a value")
                            .with_note("the child gets its id when the tick's effects are applied; it knows its parent through `self.parent`")
                            .with_help("write the spawn as a statement: `spawn Kind at p;`"),
                    );
                    Type::Error
                } else {
                    Type::Unit
                }
            }
            Ctx::FreeFn | Ctx::Const => {
                self.emit(
                    Diagnostic::error(
                        "E0503",
                        "`spawn` can only be used in a cell or in the ecosystem block",
                        span.clone(),
                    )
                    .with_label("not allowed here"),
                );
                Type::Error
            }
        };
        let kind = match self.globals.get(&s.cell.name).map(|g| g.what) {
            Some(Global::Cell(k)) => Some(k),
            other => {
                let message = match other {
                    Some(o) => format!("`{}` is {}, not a cell kind", s.cell.name, o.describe()),
                    None => format!("cannot find cell kind `{}`", s.cell.name),
                };
                let mut d = Diagnostic::error("E0204", message, s.cell.span.clone())
                    .with_label("not a cell kind");
                let cells = self.cells.iter().map(|c| c.name.as_str());
                if let Some(sg) = suggest::closest(&s.cell.name, cells) {
                    d = d.with_help(format!("did you mean `{sg}`?"));
                }
                self.emit(d);
                None
            }
        };
        let mut fields = Vec::new();
        let mut energy = None;
        let mut priority = None;
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for init in &s.inits {
            let name = init.name.name.as_str();
            if let Some(first) = seen.get(name) {
                let first = first.clone();
                self.emit(
                    Diagnostic::error(
                        "E0312",
                        format!("field `{name}` is given twice"),
                        init.name.span.clone(),
                    )
                    .with_label("given again here")
                    .with_secondary(first, "first given here"),
                );
                self.expr(cx, &init.value, None);
                continue;
            }
            seen.insert(name, init.name.span.clone());
            match name {
                "energy" => energy = Some(self.expr_as(cx, &init.value, &Type::Float)),
                "priority" => priority = Some(self.expr_as(cx, &init.value, &Type::Float)),
                _ => {
                    let Some(k) = kind else {
                        self.expr(cx, &init.value, None);
                        continue;
                    };
                    match self.cell_field(k, name) {
                        Some((i, fty)) => {
                            let e = self.expr_as(cx, &init.value, &fty);
                            fields.push((i, e));
                        }
                        None => {
                            self.unknown_init(k, &init.name, true);
                            self.expr(cx, &init.value, None);
                        }
                    }
                }
            }
        }
        let at = s.at.as_ref().map(|p| self.expr_as(cx, p, &Type::Vec));
        let membrane = match &s.membrane {
            None => None,
            Some(m) => {
                if cx.ctx != Ctx::Ecosystem {
                    self.emit(
                        Diagnostic::error(
                            "E0504",
                            "`in MEMBRANE` is only allowed in the ecosystem block",
                            m.span.clone(),
                        )
                        .with_label("not allowed here")
                        .with_note("a child lives in its parent's membrane"),
                    );
                    None
                } else {
                    match self.globals.get(&m.name).map(|g| g.what) {
                        Some(Global::Membrane(id)) => Some(id),
                        _ => {
                            let mut d = Diagnostic::error(
                                "E0207",
                                format!("cannot find membrane `{}`", m.name),
                                m.span.clone(),
                            )
                            .with_label("not a membrane");
                            let names = self.membranes.iter().map(|m| m.name.as_str());
                            d = match suggest::closest(&m.name, names) {
                                Some(sg) => d.with_help(format!("did you mean `{sg}`?")),
                                None => d.with_help(format!("declare it: `membrane {};`", m.name)),
                            };
                            self.emit(d);
                            None
                        }
                    }
                }
            }
        };
        match kind {
            Some(kind) if !ty.is_error() => mk(
                ExprKind::Spawn(Box::new(Spawn {
                    kind,
                    fields,
                    energy,
                    priority,
                    at,
                    membrane,
                })),
                ty,
                span,
            ),
            _ => error_expr(span),
        }
    }

    /// Field `name` of cell kind `k`: (index, type).
    pub(crate) fn cell_field(&self, k: crate::hir::CellKindId, name: &str) -> Option<(u32, Type)> {
        let c = self.cells.get(k.0 as usize)?;
        let i = *c.field_index.get(name)?;
        Some((i, c.fields.get(i as usize)?.ty.clone()))
    }

    /// Reports E0311 for an override naming no field of cell kind `k`.
    pub(crate) fn unknown_init(
        &mut self,
        k: crate::hir::CellKindId,
        name: &ast::Ident,
        in_spawn: bool,
    ) {
        let Some(c) = self.cells.get(k.0 as usize) else {
            return;
        };
        let cell_name = c.name.clone();
        let mut candidates: Vec<&str> = c.fields.iter().map(|f| f.name.as_str()).collect();
        if in_spawn {
            candidates.extend(["energy", "priority"]);
        }
        let suggestion = suggest::closest(&name.name, candidates).map(str::to_string);
        let mut d = Diagnostic::error(
            "E0311",
            format!("cell `{cell_name}` has no field `{}`", name.name),
            name.span.clone(),
        )
        .with_label("unknown field");
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else if in_spawn {
            d = d.with_note("`spawn` sets the kind's fields, `energy:` and `priority:`");
        }
        self.emit(d);
    }
}
