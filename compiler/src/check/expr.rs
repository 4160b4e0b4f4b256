//! Expressions: dispatch, names, fields, unary operators, the metabolic
//! expressions and type expectations (calls, operators and composite
//! literals have their own modules).
//!
//! `expr(cx, e, expected)` checks `e` and builds its HIR; `expected` is the
//! type the context wants, used only to type `none` and `[]` and the
//! elements of list literals. The caller still checks the result against
//! what it needs with [`Checker::expect_type`], which reports mismatches.

use super::body::{BodyCx, CellPart, Ctx};
use super::{Checker, Global, fold, suggest};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{Axis, Expr, ExprKind, GradientRef, Intrinsic, ReadingField, UnOp, Value};
use crate::types::Type;

/// The builtin functions' names, for lookups and suggestions.
pub(crate) const BUILTINS: &[&str] = &[
    "abs", "min", "max", "clamp", "sqrt", "floor", "ceil", "round", "pow", "sin", "cos", "atan2",
    "rand", "rand_int", "rand_vec", "print", "now", "int", "float", "str",
];

pub(crate) const LIST_METHODS: &[&str] = &[
    "len", "is_empty", "first", "last", "get", "contains", "push", "pop", "remove",
];
pub(crate) const INTRINSICS: &[&str] = &["energy", "pos", "age", "bonds", "priority", "parent"];

pub(crate) fn mk(kind: ExprKind, ty: Type, span: Span) -> Expr {
    Expr { kind, ty, span }
}

/// An expression standing for something that already failed to check.
pub(crate) fn error_expr(span: Span) -> Expr {
    mk(ExprKind::Value(Value::None), Type::Error, span)
}

pub(crate) fn value(v: Value, ty: Type, span: Span) -> Expr {
    mk(ExprKind::Value(v), ty, span)
}

impl<'a> Checker<'a> {
    /// Checks `e` against `ty`: typed with `ty` as expectation, then
    /// required to be accepted as a `ty`.
    pub(crate) fn expr_as(&mut self, cx: &mut BodyCx, e: &ast::Expr, ty: &Type) -> Expr {
        let checked = self.expr(cx, e, Some(ty));
        self.expect_type(&checked, ty);
        checked
    }

    /// Reports E0301 unless `e` is accepted where a `expected` is wanted.
    pub(crate) fn expect_type(&mut self, e: &Expr, expected: &Type) -> bool {
        if e.ty.accepts_as(expected) {
            return true;
        }
        let text = self.text(&e.span).to_string();
        let mut d =
            Diagnostic::error("E0301", "mismatched types", e.span.clone()).with_label(format!(
                "expected `{}`, found `{}`",
                self.show(expected),
                self.show(&e.ty)
            ));
        let want = expected.optional_inner().unwrap_or(expected);
        match (want, &e.ty) {
            (Type::Float, Type::Int) => {
                let literal = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
                d = if literal {
                    d.with_help(format!("write a float literal: `{text}.0`"))
                } else {
                    d.with_help(format!("convert it: `float({text})`"))
                };
            }
            (Type::Int, Type::Float) => {
                d = d.with_help(format!("convert it: `int({text})` (truncates toward zero)"))
            }
            (Type::Str, t) if *t != Type::Unit => {
                d = d.with_help(format!("convert it: `str({text})`"))
            }
            (_, Type::Unit) => d = d.with_note("this expression has no value"),
            (w, Type::Optional(inner)) if **inner == *w => {
                d = d.with_help(format!(
                    "it may be `none`: unwrap it with `if let x = {text} {{ ... }}` or give a default with `{text} ?? ...`"
                ))
            }
            _ => {}
        }
        self.emit(d);
        false
    }

    /// Checks an expression; see the module documentation.
    pub(crate) fn expr(&mut self, cx: &mut BodyCx, e: &ast::Expr, expected: Option<&Type>) -> Expr {
        let span = e.span.clone();
        match &e.kind {
            ast::ExprKind::Int(i) => value(Value::Int(*i), Type::Int, span),
            ast::ExprKind::Float(x) => value(Value::Float(*x), Type::Float, span),
            ast::ExprKind::Str(s) => value(Value::Str(s.as_str().into()), Type::Str, span),
            ast::ExprKind::Bool(b) => value(Value::Bool(*b), Type::Bool, span),
            ast::ExprKind::None => self.none_literal(expected, span),
            ast::ExprKind::Name(id) => self.name_expr(cx, id),
            ast::ExprKind::SelfRef => {
                if self.require_cell(cx, "`self`", &span, "E0501") {
                    mk(ExprKind::SelfId, Type::Cell, span)
                } else {
                    error_expr(span)
                }
            }
            ast::ExprKind::Sender => {
                let in_handler = matches!(
                    cx.ctx,
                    Ctx::Cell {
                        part: CellPart::OnSignal,
                        ..
                    }
                );
                if in_handler {
                    mk(ExprKind::Sender, Type::Cell, span)
                } else {
                    self.emit(
                        Diagnostic::error(
                            "E0502",
                            "`sender` is only known inside `on SIGNAL(x) { ... }`",
                            span.clone(),
                        )
                        .with_label("no signal is being handled here"),
                    );
                    error_expr(span)
                }
            }
            ast::ExprKind::World(id) => {
                self.emit(
                    Diagnostic::error(
                        "E0505",
                        format!("`world.{}` cannot be read", id.name),
                        span.clone(),
                    )
                    .with_label("world settings are set, not read")
                    .with_note("set them in the ecosystem block: `world.seed = 42;`"),
                );
                error_expr(span)
            }
            ast::ExprKind::Field { base, field } => self.field_expr(cx, base, field, span),
            ast::ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => self.method_expr(cx, receiver, method, args, span),
            ast::ExprKind::Call { callee, args } => self.call_expr(cx, callee, args, span),
            ast::ExprKind::Index { base, index } => {
                let list = self.expr(cx, base, None);
                let index = self.expr_as(cx, index, &Type::Int);
                let ty = match &list.ty {
                    Type::List(t) => (**t).clone(),
                    Type::Error => Type::Error,
                    other => {
                        let shown = self.show(other);
                        self.emit(
                            Diagnostic::error(
                                "E0308",
                                format!("cannot index into a value of type `{shown}`"),
                                list.span.clone(),
                            )
                            .with_label("not a list"),
                        );
                        Type::Error
                    }
                };
                mk(
                    ExprKind::Index {
                        list: Box::new(list),
                        index: Box::new(index),
                    },
                    ty,
                    span,
                )
            }
            ast::ExprKind::Unary { op, operand } => {
                let inner = self.expr(cx, operand, expected);
                let resolved = match (op, &inner.ty) {
                    (_, Type::Error) => None,
                    (ast::UnaryOp::Neg, Type::Int) => Some((UnOp::NegInt, Type::Int)),
                    (ast::UnaryOp::Neg, Type::Float) => Some((UnOp::NegFloat, Type::Float)),
                    (ast::UnaryOp::Neg, Type::Vec) => Some((UnOp::NegVec, Type::Vec)),
                    (ast::UnaryOp::Not, Type::Bool) => Some((UnOp::Not, Type::Bool)),
                    (op, t) => {
                        let shown = self.show(t);
                        self.emit(
                            Diagnostic::error(
                                "E0302",
                                format!("cannot apply unary `{}` to `{shown}`", op.symbol()),
                                span.clone(),
                            )
                            .with_label(format!("`{}` on `{shown}`", op.symbol()))
                            .with_note(match op {
                                ast::UnaryOp::Neg => "`-` negates an int, a float or a vec",
                                ast::UnaryOp::Not => "`!` negates a bool",
                            }),
                        );
                        None
                    }
                };
                match resolved {
                    Some((op, ty)) => {
                        if let Some(v) = fold::value_of(&inner).and_then(|v| fold::unary(op, v)) {
                            return value(v, ty, span);
                        }
                        mk(
                            ExprKind::Unary {
                                op,
                                operand: Box::new(inner),
                            },
                            ty,
                            span,
                        )
                    }
                    None => error_expr(span),
                }
            }
            ast::ExprKind::Binary { op, lhs, rhs } => self.binary_expr(cx, *op, lhs, rhs, span),
            ast::ExprKind::Vec { x, y } => {
                let x = self.expr_as(cx, x, &Type::Float);
                let y = self.expr_as(cx, y, &Type::Float);
                if let (Some(Value::Float(a)), Some(Value::Float(b))) =
                    (fold::value_of(&x), fold::value_of(&y))
                {
                    return value(Value::vec(*a, *b), Type::Vec, span);
                }
                mk(ExprKind::MakeVec(Box::new(x), Box::new(y)), Type::Vec, span)
            }
            ast::ExprKind::List(items) => self.list_expr(cx, items, expected, span),
            ast::ExprKind::SignalLit { name, fields } => {
                self.signal_literal(cx, name, fields, span)
            }
            ast::ExprKind::Sense(g) => {
                if !self.require_cell(cx, "`sense`", &span, "E0503") {
                    return error_expr(span);
                }
                match self.gradient_ref(cx, g) {
                    Some(g) => mk(ExprKind::Sense(g), Type::list(Type::Reading), span),
                    None => error_expr(span),
                }
            }
            ast::ExprKind::Emit { gradient, strength } => {
                if !self.require_cell(cx, "`emit`", &span, "E0503") {
                    return error_expr(span);
                }
                let g = self.gradient_ref(cx, gradient);
                let strength = match strength {
                    Some(s) => self.expr_as(cx, s, &Type::Float),
                    None => value(Value::Float(1.0), Type::Float, gradient.span.clone()),
                };
                match g {
                    Some(gradient) => mk(
                        ExprKind::Emit {
                            gradient,
                            strength: Box::new(strength),
                        },
                        Type::Bool,
                        span,
                    ),
                    None => error_expr(span),
                }
            }
            ast::ExprKind::Bind(target) | ast::ExprKind::Unbind(target) => {
                let is_bind = matches!(e.kind, ast::ExprKind::Bind(_));
                let what = if is_bind { "`bind`" } else { "`unbind`" };
                let allowed = self.require_cell(cx, what, &span, "E0503");
                let target = Box::new(self.expr_as(cx, target, &Type::Cell));
                if !allowed {
                    return error_expr(span);
                }
                let kind = if is_bind {
                    ExprKind::Bind(target)
                } else {
                    ExprKind::Unbind(target)
                };
                mk(kind, Type::Bool, span)
            }
            ast::ExprKind::Send { signal, target } => {
                let allowed = self.require_cell(cx, "`send`", &span, "E0503");
                let record = self.expr(cx, signal, None);
                if !matches!(record.ty, Type::Signal(_) | Type::Error) {
                    let shown = self.show(&record.ty);
                    self.emit(
                        Diagnostic::error("E0301", "mismatched types", record.span.clone())
                            .with_label(format!("expected a signal, found `{shown}`"))
                            .with_help(
                                "send a signal literal: `send Name { field: value } to cell;`",
                            ),
                    );
                }
                let to = self.expr_as(cx, target, &Type::Cell);
                if !allowed {
                    return error_expr(span);
                }
                mk(
                    ExprKind::Send {
                        record: Box::new(record),
                        to: Box::new(to),
                    },
                    Type::Bool,
                    span,
                )
            }
            ast::ExprKind::Move(v) => {
                let allowed = self.require_cell(cx, "`move`", &span, "E0503");
                let v = self.expr_as(cx, v, &Type::Vec);
                if !allowed {
                    return error_expr(span);
                }
                mk(ExprKind::Move(Box::new(v)), Type::Bool, span)
            }
            ast::ExprKind::Spawn(s) => self.spawn_expr(cx, s, span, false),
            ast::ExprKind::Error => error_expr(span),
        }
    }

    /// Reports `code` unless the body is a cell's code.
    pub(crate) fn require_cell(
        &mut self,
        cx: &BodyCx,
        what: &str,
        span: &Span,
        code: &'static str,
    ) -> bool {
        if cx.ctx.cell().is_some() {
            return true;
        }
        let place = match cx.ctx {
            Ctx::Const => "a constant expression",
            Ctx::Ecosystem => "the ecosystem block",
            Ctx::FreeFn => "a free function",
            Ctx::Cell { .. } => "a cell",
        };
        let mut d = Diagnostic::error(
            code,
            format!("{what} can only be used inside a cell"),
            span.clone(),
        )
        .with_label(format!("not allowed in {place}"));
        if cx.ctx == Ctx::FreeFn {
            d = d.with_help("make it a method of the cell (`fn` inside `cell { ... }`), called as `self.name(...)`");
        }
        self.emit(d);
        false
    }

    pub(crate) fn none_literal(&mut self, expected: Option<&Type>, span: Span) -> Expr {
        match expected {
            Some(t @ Type::Optional(_)) => value(Value::None, t.clone(), span),
            Some(Type::Error) => error_expr(span),
            Some(other) => {
                let shown = self.show(other);
                self.emit(
                    Diagnostic::error("E0301", "mismatched types", span.clone())
                        .with_label(format!("expected `{shown}`, found `none`"))
                        .with_note(format!("only an optional such as `{shown}?` can be `none`")),
                );
                error_expr(span)
            }
            None => {
                self.emit(
                    Diagnostic::error("E0304", "cannot infer the type of `none`", span.clone())
                        .with_label("which optional type is this?")
                        .with_help("write the type: `let x: int? = none;`"),
                );
                error_expr(span)
            }
        }
    }

    fn name_expr(&mut self, cx: &mut BodyCx, id: &ast::Ident) -> Expr {
        let span = id.span.clone();
        if let Some(local) = cx.lookup(&id.name) {
            let ty = cx.info(local).map_or(Type::Error, |l| l.ty.clone());
            return mk(ExprKind::Local(local), ty, span);
        }
        match self.globals.get(&id.name).map(|g| g.what) {
            Some(Global::Const(i)) => {
                let ty = self
                    .consts
                    .get(i as usize)
                    .map_or(Type::Error, |c| c.ty.clone());
                match fold::const_value(self, i) {
                    Some(v) => value(v, ty, span),
                    None => error_expr(span),
                }
            }
            Some(Global::Gradient(g)) => value(Value::Gradient(g), Type::Gradient, span),
            Some(other) => {
                let help = match other {
                    Global::Fn(_) => format!("call it: `{}(...)`", id.name),
                    Global::Cell(_) => format!("spawn one: `spawn {} at (0.0, 0.0)`", id.name),
                    Global::Signal(_) => format!("build one: `{} {{ ... }}`", id.name),
                    _ => "membranes are only named in `spawn ... in MEMBRANE`".to_string(),
                };
                self.emit(
                    Diagnostic::error(
                        "E0217",
                        format!("`{}` is {}, not a value", id.name, other.describe()),
                        span.clone(),
                    )
                    .with_label("used as a value here")
                    .with_help(help),
                );
                error_expr(span)
            }
            None => {
                let mut d = Diagnostic::error(
                    "E0201",
                    format!("cannot find `{}` in this scope", id.name),
                    span.clone(),
                )
                .with_label("not found");
                let globals = self.globals.iter().filter_map(|(k, g)| {
                    matches!(g.what, Global::Const(_) | Global::Gradient(_)).then_some(k.as_str())
                });
                let suggestion = suggest::closest(&id.name, cx.visible_names().chain(globals))
                    .map(str::to_string);
                if let Some(s) = suggestion {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if let Some(kind) = cx.ctx.cell()
                    && self
                        .cells
                        .get(kind.0 as usize)
                        .is_some_and(|c| c.field_index.contains_key(&id.name))
                {
                    d = d.with_help(format!(
                        "a field is read through `self`: `self.{}`",
                        id.name
                    ));
                }
                self.emit(d);
                error_expr(span)
            }
        }
    }

    /// Resolves the `G` of `emit G`, `sense G`, `sleep until G > e`.
    pub(crate) fn gradient_ref(&mut self, cx: &mut BodyCx, g: &ast::Ident) -> Option<GradientRef> {
        if let Some(local) = cx.lookup(&g.name) {
            let ty = cx.info(local).map_or(Type::Error, |l| l.ty.clone());
            return match ty {
                Type::Gradient => Some(GradientRef::Local(local)),
                Type::Error => None,
                other => {
                    let shown = self.show(&other);
                    self.emit(
                        Diagnostic::error(
                            "E0206",
                            format!("`{}` is not a gradient", g.name),
                            g.span.clone(),
                        )
                        .with_label(format!("this local has type `{shown}`")),
                    );
                    None
                }
            };
        }
        match self.globals.get(&g.name).map(|e| e.what) {
            Some(Global::Gradient(id)) => Some(GradientRef::Static(id)),
            Some(Global::Const(i)) => match fold::const_value(self, i) {
                Some(Value::Gradient(id)) => Some(GradientRef::Static(id)),
                None => None,
                Some(_) => {
                    self.emit(
                        Diagnostic::error(
                            "E0206",
                            format!("`{}` is not a gradient", g.name),
                            g.span.clone(),
                        )
                        .with_label("this constant is not a `gradient`"),
                    );
                    None
                }
            },
            other => {
                let message = match other {
                    Some(o) => format!("`{}` is {}, not a gradient", g.name, o.describe()),
                    None => format!("cannot find gradient `{}`", g.name),
                };
                let mut d = Diagnostic::error("E0206", message, g.span.clone())
                    .with_label("expected a declared gradient or a `gradient` value");
                let names = self.globals.iter().filter_map(|(k, e)| {
                    matches!(e.what, Global::Gradient(_)).then_some(k.as_str())
                });
                if let Some(s) = suggest::closest(&g.name, names) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if other.is_none() {
                    d = d.with_help(format!("declare it: `gradient {};`", g.name));
                }
                self.emit(d);
                None
            }
        }
    }

    fn field_expr(
        &mut self,
        cx: &mut BodyCx,
        base: &ast::Expr,
        field: &ast::Ident,
        span: Span,
    ) -> Expr {
        if matches!(base.kind, ast::ExprKind::SelfRef) {
            if !self.require_cell(cx, "`self`", &base.span, "E0501") {
                return error_expr(span);
            }
            let Some(kind) = cx.ctx.cell() else {
                return error_expr(span);
            };
            if let Some(i) = Intrinsic::from_name(&field.name) {
                return mk(ExprKind::Intrinsic(i), i.ty(), span);
            }
            let cell = self.cells.get(kind.0 as usize);
            if let Some((idx, ty)) = cell.and_then(|c| {
                let i = *c.field_index.get(&field.name)?;
                Some((i, c.fields.get(i as usize)?.ty.clone()))
            }) {
                return mk(ExprKind::Field(idx), ty, span);
            }
            let cell_name = cell.map_or(String::new(), |c| c.name.clone());
            let is_method = cell.is_some_and(|c| c.method_index.contains_key(&field.name));
            let suggestion = cell.and_then(|c| {
                suggest::closest(
                    &field.name,
                    c.fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .chain(INTRINSICS.iter().copied()),
                )
                .map(str::to_string)
            });
            let mut d = Diagnostic::error(
                "E0208",
                format!("cell `{cell_name}` has no field `{}`", field.name),
                field.span.clone(),
            )
            .with_label("unknown field");
            if is_method {
                d = d.with_help(format!(
                    "`{0}` is a method: call it with `self.{0}(...)`",
                    field.name
                ));
            } else if let Some(s) = suggestion {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.emit(d);
            return error_expr(span);
        }
        let base = self.expr(cx, base, None);
        let ty = base.ty.clone();
        match &ty {
            Type::Error => error_expr(span),
            Type::Vec => {
                let axis = match field.name.as_str() {
                    "x" => Axis::X,
                    "y" => Axis::Y,
                    _ => {
                        self.emit(
                            Diagnostic::error(
                                "E0208",
                                format!("`vec` has no field `{}`", field.name),
                                field.span.clone(),
                            )
                            .with_label("unknown field")
                            .with_help("a vec has the fields `.x` and `.y`"),
                        );
                        return error_expr(span);
                    }
                };
                if let Some(Value::Vec(v)) = fold::value_of(&base) {
                    let x = if axis == Axis::X { v.x } else { v.y };
                    return value(Value::Float(x), Type::Float, span);
                }
                mk(
                    ExprKind::VecComponent {
                        vec: Box::new(base),
                        axis,
                    },
                    Type::Float,
                    span,
                )
            }
            Type::Reading => match ReadingField::from_name(&field.name) {
                Some(f) => mk(
                    ExprKind::ReadingField {
                        reading: Box::new(base),
                        field: f,
                    },
                    f.ty(),
                    span,
                ),
                None => {
                    let mut d = Diagnostic::error(
                        "E0208",
                        format!("`reading` has no field `{}`", field.name),
                        field.span.clone(),
                    )
                    .with_label("unknown field");
                    let names = ["source", "strength", "distance", "pos", "bonded"];
                    d = match suggest::closest(&field.name, names) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => {
                            d.with_help("a reading has source, strength, distance, pos and bonded")
                        }
                    };
                    self.emit(d);
                    error_expr(span)
                }
            },
            Type::Signal(s) => {
                let sig = self.signals.get(s.0 as usize);
                let found = sig.and_then(|info| {
                    let i = *info.index.get(&field.name)?;
                    Some((i, info.fields.get(i as usize)?.1.clone()))
                });
                match found {
                    Some((i, fty)) => mk(
                        ExprKind::SignalField {
                            record: Box::new(base),
                            signal: *s,
                            field: i,
                        },
                        fty,
                        span,
                    ),
                    None => {
                        let name = sig.map_or(String::new(), |i| i.name.clone());
                        let suggestion = sig.and_then(|i| {
                            suggest::closest(&field.name, i.fields.iter().map(|(n, _)| n.as_str()))
                                .map(str::to_string)
                        });
                        let mut d = Diagnostic::error(
                            "E0208",
                            format!("signal `{name}` has no field `{}`", field.name),
                            field.span.clone(),
                        )
                        .with_label("unknown field");
                        if let Some(s) = suggestion {
                            d = d.with_help(format!("did you mean `{s}`?"));
                        }
                        self.emit(d);
                        error_expr(span)
                    }
                }
            }
            Type::Cell => {
                self.emit(
                    Diagnostic::error(
                        "E0309",
                        format!("cannot read field `{}` of another cell", field.name),
                        span.clone(),
                    )
                    .with_label("a `cell` value is only an id")
                    .with_note("a cell can never read another cell's fields: only gradients and signals cross between cells")
                    .with_help("ask it with a signal, or read your own fields with `self.field`"),
                );
                error_expr(span)
            }
            other => {
                let shown = self.show(other);
                let mut d = Diagnostic::error(
                    "E0208",
                    format!("`{shown}` has no field `{}`", field.name),
                    field.span.clone(),
                )
                .with_label("unknown field");
                if other.optional_inner().is_some() {
                    let text = self.text(&base.span).to_string();
                    d = d.with_help(format!(
                        "it may be `none`: unwrap it first with `if let x = {text} {{ ... }}`"
                    ));
                }
                self.emit(d);
                error_expr(span)
            }
        }
    }

    /// Reports E0306 for a value of type `()` (a call that returns nothing).
    pub(crate) fn require_value(&mut self, e: &Expr) -> bool {
        if e.ty != Type::Unit {
            return true;
        }
        self.emit(
            Diagnostic::error("E0306", "this expression has no value", e.span.clone())
                .with_label("returns nothing")
                .with_note("functions without `-> T`, `print(...)` and `push(...)` give no value"),
        );
        false
    }
}
