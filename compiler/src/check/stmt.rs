//! Statements and blocks: scoping, assignment rules, control flow, the
//! metabolic statements, and the flow facts behind "missing return" and
//! "unreachable code".

use super::body::{BodyCx, CellPart, Ctx};
use super::expr::error_expr;
use super::{Checker, Global, suggest};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{self, Place, WorldSetting};
use crate::types::Type;

/// How control leaves a statement or block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// It may continue with the next statement.
    Falls,
    /// It never does: `break` or `continue`.
    Jumps,
    /// The body ends: `return`, `die`, `sleep`, `differentiate`.
    Ends,
}

impl Exit {
    /// Both branches of an `if`/`else`.
    fn join(self, other: Exit) -> Exit {
        match (self, other) {
            (Exit::Ends, Exit::Ends) => Exit::Ends,
            (Exit::Falls, _) | (_, Exit::Falls) => Exit::Falls,
            _ => Exit::Jumps,
        }
    }
}

impl<'a> Checker<'a> {
    /// Checks a block in a new scope.
    pub(crate) fn block(&mut self, cx: &mut BodyCx, b: &ast::Block) -> (hir::Block, Exit) {
        cx.push_scope();
        let result = self.block_in_scope(cx, b);
        for w in cx.pop_scope() {
            self.emit(w);
        }
        result
    }

    /// Checks a block's statements in the current scope.
    pub(crate) fn block_in_scope(&mut self, cx: &mut BodyCx, b: &ast::Block) -> (hir::Block, Exit) {
        let mut stmts = Vec::with_capacity(b.stmts.len());
        let mut exit = Exit::Falls;
        let mut warned = false;
        let mut ended_at: Option<Span> = None;
        for s in &b.stmts {
            if exit != Exit::Falls && !warned {
                warned = true;
                let mut d = Diagnostic::warning("W0602", "unreachable code", s.span.clone())
                    .with_label("this never runs");
                if let Some(prev) = ended_at.clone() {
                    d = d.with_secondary(prev, "control never gets past this");
                }
                self.emit(d);
            }
            let (stmt, e) = self.stmt(cx, s);
            if let Some(stmt) = stmt {
                stmts.push(stmt);
            }
            if exit == Exit::Falls && e != Exit::Falls {
                exit = e;
                ended_at = Some(s.span.clone());
            }
        }
        (
            hir::Block {
                stmts,
                span: b.span.clone(),
            },
            exit,
        )
    }

    fn not_in_apoptosis(&mut self, cx: &BodyCx, what: &str, span: &Span) -> bool {
        if matches!(
            cx.ctx,
            Ctx::Cell {
                part: CellPart::OnApoptosis,
                ..
            }
        ) {
            self.emit(
                Diagnostic::error(
                    "E0512",
                    format!("`{what}` cannot be used in `on apoptosis`"),
                    span.clone(),
                )
                .with_label("the cell is already dying")
                .with_note("`on apoptosis` runs once, as the cell is removed"),
            );
            return false;
        }
        true
    }

    fn stmt(&mut self, cx: &mut BodyCx, s: &ast::Stmt) -> (Option<hir::Stmt>, Exit) {
        let span = s.span.clone();
        match &s.kind {
            ast::StmtKind::Let {
                mutable,
                name,
                ty,
                value,
            } => {
                let (value, local_ty) = match ty {
                    Some(t) => {
                        let t = self.resolve_type(t);
                        (self.expr_as(cx, value, &t), t)
                    }
                    None => {
                        let v = self.expr(cx, value, None);
                        let t = if self.require_value(&v) {
                            v.ty.clone()
                        } else {
                            Type::Error
                        };
                        (v, t)
                    }
                };
                let local = cx.declare(&name.name, local_ty, *mutable, name.span.clone(), true);
                (Some(hir::Stmt::Let { local, value, span }), Exit::Falls)
            }
            ast::StmtKind::Assign { target, op, value } => {
                (self.assign(cx, target, *op, value, span), Exit::Falls)
            }
            ast::StmtKind::WorldSet { setting, value } => {
                let known = WorldSetting::from_name(&setting.name);
                if cx.ctx != Ctx::Ecosystem {
                    self.emit(
                        Diagnostic::error(
                            "E0505",
                            "`world.*` can only be set in the ecosystem block",
                            span.clone(),
                        )
                        .with_label("not allowed here"),
                    );
                    self.expr(cx, value, None);
                    return (None, Exit::Falls);
                }
                let Some(setting_id) = known else {
                    let mut d = Diagnostic::error(
                        "E0212",
                        format!("unknown world setting `world.{}`", setting.name),
                        setting.span.clone(),
                    )
                    .with_label("no such setting");
                    d = match suggest::closest(
                        &setting.name,
                        WorldSetting::ALL.iter().map(|s| s.name()),
                    ) {
                        Some(sg) => d.with_help(format!("did you mean `world.{sg}`?")),
                        None => d.with_note(format!(
                            "the settings are: {}",
                            WorldSetting::ALL
                                .iter()
                                .map(|s| s.name())
                                .collect::<Vec<_>>()
                                .join(" ")
                        )),
                    };
                    self.emit(d);
                    self.expr(cx, value, None);
                    return (None, Exit::Falls);
                };
                let value = self.expr_as(cx, value, &setting_id.ty());
                (
                    Some(hir::Stmt::SetWorld {
                        setting: setting_id,
                        value,
                        span,
                    }),
                    Exit::Falls,
                )
            }
            ast::StmtKind::If(i) => {
                let (stmt, exit) = self.if_stmt(cx, i);
                (Some(stmt), exit)
            }
            ast::StmtKind::While { cond, body } => {
                let cond = self.expr_as(cx, cond, &Type::Bool);
                cx.loops.push(false);
                let (body, _) = self.block(cx, body);
                let breaks = cx.loops.pop().unwrap_or(true);
                // `while true` without a `break` never falls through.
                let forever = matches!(cond.kind, hir::ExprKind::Value(hir::Value::Bool(true)));
                let exit = if forever && !breaks {
                    Exit::Ends
                } else {
                    Exit::Falls
                };
                (Some(hir::Stmt::While { cond, body, span }), exit)
            }
            ast::StmtKind::For { var, iter, body } => {
                let stmt = match iter {
                    ast::ForIter::Expr(list) => {
                        let list = self.expr(cx, list, None);
                        let elem = match &list.ty {
                            Type::List(t) => (**t).clone(),
                            Type::Error => Type::Error,
                            other => {
                                let shown = self.show(other);
                                self.emit(
                                    Diagnostic::error(
                                        "E0308",
                                        format!("cannot iterate over `{shown}`"),
                                        list.span.clone(),
                                    )
                                    .with_label("not a list")
                                    .with_help("`for` goes over a list or an int range `a..b`"),
                                );
                                Type::Error
                            }
                        };
                        cx.push_scope();
                        let local = cx.declare(&var.name, elem, false, var.span.clone(), true);
                        cx.loops.push(false);
                        let (body, _) = self.block(cx, body);
                        cx.loops.pop();
                        for w in cx.pop_scope() {
                            self.emit(w);
                        }
                        hir::Stmt::ForList {
                            local,
                            list,
                            body,
                            span,
                        }
                    }
                    ast::ForIter::Range { start, end } => {
                        let start = self.expr_as(cx, start, &Type::Int);
                        let end = self.expr_as(cx, end, &Type::Int);
                        cx.push_scope();
                        let local = cx.declare(&var.name, Type::Int, false, var.span.clone(), true);
                        cx.loops.push(false);
                        let (body, _) = self.block(cx, body);
                        cx.loops.pop();
                        for w in cx.pop_scope() {
                            self.emit(w);
                        }
                        hir::Stmt::ForRange {
                            local,
                            start,
                            end,
                            body,
                            span,
                        }
                    }
                };
                (Some(stmt), Exit::Falls)
            }
            ast::StmtKind::Break | ast::StmtKind::Continue => {
                let is_break = matches!(s.kind, ast::StmtKind::Break);
                let word = if is_break { "break" } else { "continue" };
                if cx.loops.is_empty() {
                    self.emit(
                        Diagnostic::error(
                            "E0507",
                            format!("`{word}` outside of a loop"),
                            span.clone(),
                        )
                        .with_label("not inside `while` or `for`"),
                    );
                    return (None, Exit::Jumps);
                }
                if is_break && let Some(innermost) = cx.loops.last_mut() {
                    *innermost = true;
                }
                let stmt = if is_break {
                    hir::Stmt::Break(span)
                } else {
                    hir::Stmt::Continue(span)
                };
                (Some(stmt), Exit::Jumps)
            }
            ast::StmtKind::Return(value) => {
                (Some(self.return_stmt(cx, value.as_ref(), span)), Exit::Ends)
            }
            ast::StmtKind::Report(e) => {
                let allowed = self.require_cell(cx, "`report`", &span, "E0503");
                let e = self.expr_as(cx, e, &Type::Float);
                (allowed.then_some(hir::Stmt::Report(e, span)), Exit::Falls)
            }
            ast::StmtKind::Differentiate { target, inits } => {
                let allowed = self.require_cell(cx, "`differentiate`", &span, "E0503")
                    && self.not_in_apoptosis(cx, "differentiate", &span);
                let kind = match self.globals.get(&target.name).map(|g| g.what) {
                    Some(Global::Cell(k)) => Some(k),
                    other => {
                        let message = match other {
                            Some(o) => {
                                format!("`{}` is {}, not a cell kind", target.name, o.describe())
                            }
                            None => format!("cannot find cell kind `{}`", target.name),
                        };
                        let mut d = Diagnostic::error("E0204", message, target.span.clone())
                            .with_label("not a cell kind");
                        if let Some(sg) = suggest::closest(
                            &target.name,
                            self.cells.iter().map(|c| c.name.as_str()),
                        ) {
                            d = d.with_help(format!("did you mean `{sg}`?"));
                        }
                        self.emit(d);
                        None
                    }
                };
                let mut fields = Vec::new();
                let mut seen: std::collections::HashMap<&str, Span> =
                    std::collections::HashMap::new();
                for init in inits {
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
                    match kind.and_then(|k| self.cell_field(k, name)) {
                        Some((i, ty)) => {
                            let e = self.expr_as(cx, &init.value, &ty);
                            fields.push((i, e));
                        }
                        None => {
                            if let Some(k) = kind {
                                self.unknown_init(k, &init.name, false);
                            }
                            self.expr(cx, &init.value, None);
                        }
                    }
                }
                let stmt = match kind {
                    Some(kind) if allowed => Some(hir::Stmt::Differentiate { kind, fields, span }),
                    _ => None,
                };
                (stmt, Exit::Ends)
            }
            ast::StmtKind::Sleep(kind) => {
                let allowed = self.require_cell(cx, "`sleep`", &span, "E0503")
                    && self.not_in_apoptosis(cx, "sleep", &span);
                let stmt = match kind {
                    ast::SleepKind::Ticks(n) => {
                        let n = self.expr_as(cx, n, &Type::Int);
                        hir::Stmt::Sleep(n, span)
                    }
                    ast::SleepKind::Until {
                        gradient,
                        threshold,
                    } => {
                        let g = if allowed {
                            self.gradient_ref(cx, gradient)
                        } else {
                            None
                        };
                        let threshold = self.expr_as(cx, threshold, &Type::Float);
                        match g {
                            Some(gradient) => hir::Stmt::SleepUntil {
                                gradient,
                                threshold,
                                span,
                            },
                            None => return (None, Exit::Ends),
                        }
                    }
                };
                (allowed.then_some(stmt), Exit::Ends)
            }
            ast::StmtKind::Die => {
                let allowed = self.require_cell(cx, "`die`", &span, "E0503")
                    && self.not_in_apoptosis(cx, "die", &span);
                (allowed.then_some(hir::Stmt::Die(span)), Exit::Ends)
            }
            ast::StmtKind::Expr(e) => {
                let e = match &e.kind {
                    ast::ExprKind::Spawn(sp) => self.spawn_expr(cx, sp, e.span.clone(), true),
                    _ => self.expr(cx, e, None),
                };
                if has_no_effect(&e) {
                    self.emit(
                        Diagnostic::warning(
                            "W0603",
                            "this expression has no effect",
                            e.span.clone(),
                        )
                        .with_label("its value is computed and dropped")
                        .with_help("use it (`let x = ...;`) or remove it"),
                    );
                }
                (Some(hir::Stmt::Expr(e)), Exit::Falls)
            }
        }
    }

    fn return_stmt(&mut self, cx: &mut BodyCx, value: Option<&ast::Expr>, span: Span) -> hir::Stmt {
        let ret = cx.ret.clone();
        match (value, &ret) {
            (None, Type::Unit | Type::Error) => hir::Stmt::Return(None, span),
            (None, t) => {
                let shown = self.show(t);
                self.emit(
                    Diagnostic::error(
                        "E0508",
                        format!("`return;` in a function that returns `{shown}`"),
                        span.clone(),
                    )
                    .with_label(format!("expected a value of type `{shown}`"))
                    .with_help("return a value: `return e;`"),
                );
                hir::Stmt::Return(None, span)
            }
            (Some(e), Type::Unit) => {
                let e = self.expr(cx, e, None);
                let place = match cx.ctx {
                    Ctx::FreeFn
                    | Ctx::Cell {
                        part: CellPart::Method,
                        ..
                    } => "this function has no return type",
                    _ => "handlers, `metabolism` and the ecosystem block return no value",
                };
                self.emit(
                    Diagnostic::error(
                        "E0508",
                        "`return` with a value where none is expected",
                        e.span.clone(),
                    )
                    .with_label(place)
                    .with_help("declare the type with `-> T`, or write `return;`"),
                );
                hir::Stmt::Return(None, span)
            }
            (Some(e), t) => {
                let t = t.clone();
                let e = self.expr_as(cx, e, &t);
                hir::Stmt::Return(Some(e), span)
            }
        }
    }

    fn if_stmt(&mut self, cx: &mut BodyCx, i: &ast::IfStmt) -> (hir::Stmt, Exit) {
        let span = i.span.clone();
        enum Head {
            Cond(hir::Expr),
            Let(hir::LocalId, hir::Expr),
        }
        let (head, then, then_exit) = match &i.cond {
            ast::Condition::Expr(c) => {
                let cond = self.expr_as(cx, c, &Type::Bool);
                let (then, then_exit) = self.block(cx, &i.then_block);
                (Head::Cond(cond), then, then_exit)
            }
            ast::Condition::Let { name, value } => {
                let v = self.expr(cx, value, None);
                let inner = match &v.ty {
                    Type::Optional(t) => (**t).clone(),
                    Type::Error => Type::Error,
                    other => {
                        let shown = self.show(other);
                        self.emit(
                            Diagnostic::error(
                                "E0307",
                                "`if let` needs an optional value",
                                v.span.clone(),
                            )
                            .with_label(format!("this is `{shown}`, never `none`"))
                            .with_help("use `let` or a plain `if`"),
                        );
                        Type::Error
                    }
                };
                cx.push_scope();
                let local = cx.declare(&name.name, inner, false, name.span.clone(), true);
                let (then, then_exit) = self.block(cx, &i.then_block);
                for w in cx.pop_scope() {
                    self.emit(w);
                }
                (Head::Let(local, v), then, then_exit)
            }
        };
        let (else_, else_exit) = match &i.else_branch {
            None => (None, Exit::Falls),
            Some(ast::ElseBranch::Block(b)) => {
                let (b, e) = self.block(cx, b);
                (Some(b), e)
            }
            Some(ast::ElseBranch::If(inner)) => {
                let (stmt, e) = self.if_stmt(cx, inner);
                (
                    Some(hir::Block {
                        stmts: vec![stmt],
                        span: inner.span.clone(),
                    }),
                    e,
                )
            }
        };
        let exit = if else_.is_some() {
            then_exit.join(else_exit)
        } else {
            Exit::Falls
        };
        let stmt = match head {
            Head::Cond(cond) => hir::Stmt::If {
                cond,
                then,
                else_,
                span,
            },
            Head::Let(local, value) => hir::Stmt::IfLet {
                local,
                value,
                then,
                else_,
                span,
            },
        };
        (stmt, exit)
    }

    fn assign(
        &mut self,
        cx: &mut BodyCx,
        target: &ast::Place,
        op: ast::AssignOp,
        value: &ast::Expr,
        span: Span,
    ) -> Option<hir::Stmt> {
        let resolved: Option<(Place, Type)> = match &target.kind {
            ast::PlaceKind::Local(id) => match cx.peek(&id.name) {
                Some(local) => {
                    let info = cx.info(local).cloned();
                    match info {
                        Some(info) if info.mutable => Some((Place::Local(local), info.ty)),
                        Some(info) => {
                            self.emit(
                                Diagnostic::error(
                                    "E0401",
                                    format!("cannot assign to `{}`: it is not mutable", id.name),
                                    target.span.clone(),
                                )
                                .with_label("assigned here")
                                .with_secondary(info.span.clone(), "declared here without `mut`")
                                .with_help(format!("declare it mutable: `let mut {}`", id.name)),
                            );
                            None
                        }
                        None => None,
                    }
                }
                None => {
                    match self.globals.get(&id.name).map(|g| g.what) {
                        Some(g) => self.emit(
                            Diagnostic::error(
                                "E0402",
                                format!("cannot assign to `{}`: it is {}", id.name, g.describe()),
                                target.span.clone(),
                            )
                            .with_label("not assignable"),
                        ),
                        None => {
                            let mut d = Diagnostic::error(
                                "E0201",
                                format!("cannot find `{}` in this scope", id.name),
                                id.span.clone(),
                            )
                            .with_label("not found");
                            let kind_has_field = cx
                                .ctx
                                .cell()
                                .and_then(|k| self.cells.get(k.0 as usize))
                                .is_some_and(|c| c.field_index.contains_key(&id.name));
                            if kind_has_field {
                                d = d.with_help(format!(
                                    "assign the field through `self`: `self.{}`",
                                    id.name
                                ));
                            } else if let Some(sg) = suggest::closest(&id.name, cx.visible_names())
                            {
                                d = d.with_help(format!("did you mean `{sg}`?"));
                            } else {
                                d = d.with_help(format!(
                                    "declare it first: `let mut {} = ...;`",
                                    id.name
                                ));
                            }
                            self.emit(d);
                        }
                    }
                    None
                }
            },
            ast::PlaceKind::SelfField(f) => {
                if !self.require_cell(cx, "`self`", &target.span, "E0501") {
                    None
                } else if crate::hir::Intrinsic::from_name(&f.name).is_some() {
                    self.emit(
                        Diagnostic::error(
                            "E0402",
                            format!("`self.{}` is read-only", f.name),
                            target.span.clone(),
                        )
                        .with_label("cannot be assigned")
                        .with_note(
                            "`energy pos age bonds priority parent` are kept by the runtime",
                        ),
                    );
                    None
                } else {
                    let kind = cx.ctx.cell();
                    match kind.and_then(|k| self.cell_field(k, &f.name)) {
                        Some((i, ty)) => Some((Place::Field(i), ty)),
                        None => {
                            let cell = kind.and_then(|k| self.cells.get(k.0 as usize));
                            let cell_name = cell.map_or(String::new(), |c| c.name.clone());
                            let sg = cell.and_then(|c| {
                                suggest::closest(&f.name, c.fields.iter().map(|x| x.name.as_str()))
                                    .map(str::to_string)
                            });
                            let mut d = Diagnostic::error(
                                "E0208",
                                format!("cell `{cell_name}` has no field `{}`", f.name),
                                f.span.clone(),
                            )
                            .with_label("unknown field");
                            d = match sg {
                                Some(sg) => d.with_help(format!("did you mean `{sg}`?")),
                                None => d.with_help(format!(
                                    "declare it in the cell: `{}: TYPE = VALUE;`",
                                    f.name
                                )),
                            };
                            self.emit(d);
                            None
                        }
                    }
                }
            }
            ast::PlaceKind::Field { .. } | ast::PlaceKind::Index { .. } => {
                self.emit(
                    Diagnostic::error(
                        "E0402",
                        "cannot assign to a part of a value",
                        target.span.clone(),
                    )
                    .with_label("only a local or `self.field` can be assigned")
                    .with_help("values are immutable: build a new one and assign it whole"),
                );
                None
            }
        };
        let Some((place, ty)) = resolved else {
            self.expr(cx, value, None);
            return None;
        };
        let bin = match op {
            ast::AssignOp::Set => None,
            ast::AssignOp::Add => Some(ast::BinaryOp::Add),
            ast::AssignOp::Sub => Some(ast::BinaryOp::Sub),
            ast::AssignOp::Mul => Some(ast::BinaryOp::Mul),
            ast::AssignOp::Div => Some(ast::BinaryOp::Div),
        };
        match bin {
            None => {
                let v = self.expr_as(cx, value, &ty);
                Some(hir::Stmt::Assign {
                    place,
                    op: None,
                    value: v,
                    span,
                })
            }
            Some(bop) => {
                let v = self.expr(cx, value, if ty == Type::Vec { None } else { Some(&ty) });
                let current = hir::Expr {
                    kind: hir::ExprKind::Value(hir::Value::None),
                    ty: ty.clone(),
                    span: target.span.clone(),
                };
                let (resolved, result) = self.arith(bop, &current, &v, &span)?;
                if !result.accepts_as(&ty) {
                    let e = hir::Expr {
                        ty: result,
                        ..error_expr(span.clone())
                    };
                    self.expect_type(&e, &ty);
                    return None;
                }
                Some(hir::Stmt::Assign {
                    place,
                    op: Some(resolved),
                    value: v,
                    span,
                })
            }
        }
    }
}

/// True for an expression statement that only computes a value: no call,
/// no metabolic construct, no list mutation.
fn has_no_effect(e: &hir::Expr) -> bool {
    use hir::ExprKind as K;
    !e.ty.is_error()
        && matches!(
            e.kind,
            K::Value(_)
                | K::Local(_)
                | K::SelfId
                | K::Sender
                | K::Field(_)
                | K::Intrinsic(_)
                | K::Unary { .. }
                | K::Binary { .. }
                | K::Logic { .. }
                | K::VecComponent { .. }
                | K::ReadingField { .. }
                | K::SignalField { .. }
                | K::MakeVec(..)
                | K::MakeList(_)
                | K::MakeSignal { .. }
        )
}
