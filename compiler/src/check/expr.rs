//! Expressions: resolution, typing, operator and method selection, folding.
//!
//! `expr(cx, e, expected)` checks `e` and builds its HIR; `expected` is the
//! type the context wants, used only to type `none` and `[]` and the
//! elements of list literals. The caller still checks the result against
//! what it needs with [`Checker::expect_type`], which reports mismatches.

use super::body::{BodyCx, CellPart, Ctx};
use super::{Checker, Global, fold, suggest};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{
    Axis, BinOp, Builtin, Callee, Expr, ExprKind, GradientRef, Intrinsic, ListMethod, LogicOp,
    Place, ReadingField, Spawn, UnOp, Value, VecMethod,
};
use crate::types::Type;

/// The builtin functions' names, for lookups and suggestions.
pub(crate) const BUILTINS: &[&str] = &[
    "abs", "min", "max", "clamp", "sqrt", "floor", "ceil", "round", "pow", "sin", "cos", "atan2",
    "rand", "rand_int", "rand_vec", "print", "now", "int", "float", "str",
];

const LIST_METHODS: &[&str] = &[
    "len", "is_empty", "first", "last", "get", "contains", "push", "pop", "remove",
];
const INTRINSICS: &[&str] = &["energy", "pos", "age", "bonds", "priority", "parent"];

fn mk(kind: ExprKind, ty: Type, span: Span) -> Expr {
    Expr { kind, ty, span }
}

/// An expression standing for something that already failed to check.
pub(crate) fn error_expr(span: Span) -> Expr {
    mk(ExprKind::Value(Value::None), Type::Error, span)
}

fn value(v: Value, ty: Type, span: Span) -> Expr {
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

    fn none_literal(&mut self, expected: Option<&Type>, span: Span) -> Expr {
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
                } else if cx.ctx.cell().is_some()
                    && let Some(kind) = cx.ctx.cell()
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

    /// Checks call arguments against parameter types (E0303 on a count
    /// mismatch; every argument is checked either way).
    fn args(
        &mut self,
        cx: &mut BodyCx,
        args: &[ast::Expr],
        params: &[Type],
        name: &str,
        span: &Span,
    ) -> Vec<Expr> {
        if args.len() != params.len() {
            let plural = if params.len() == 1 { "" } else { "s" };
            self.emit(
                Diagnostic::error(
                    "E0303",
                    format!(
                        "`{name}` takes {} argument{plural} but {} {} given",
                        params.len(),
                        args.len(),
                        if args.len() == 1 { "was" } else { "were" }
                    ),
                    span.clone(),
                )
                .with_label(format!("expected {} argument{plural}", params.len())),
            );
        }
        args.iter()
            .enumerate()
            .map(|(i, a)| match params.get(i) {
                Some(t) => self.expr_as(cx, a, t),
                None => self.expr(cx, a, None),
            })
            .collect()
    }

    fn method_expr(
        &mut self,
        cx: &mut BodyCx,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        if matches!(receiver.kind, ast::ExprKind::SelfRef) {
            if !self.require_cell(cx, "`self`", &receiver.span, "E0501") {
                return error_expr(span);
            }
            let Some(kind) = cx.ctx.cell() else {
                return error_expr(span);
            };
            let cell = self.cells.get(kind.0 as usize);
            let found = cell.and_then(|c| {
                let i = *c.method_index.get(&method.name)?;
                Some((i, c.methods.get(i as usize)?.clone()))
            });
            if let Some((i, sig)) = found {
                let args = self.args(cx, args, &sig.params, &method.name, &span);
                return mk(
                    ExprKind::Call {
                        callee: Callee::Method(kind, i),
                        args,
                    },
                    sig.ret,
                    span,
                );
            }
            let cell_name = cell.map_or(String::new(), |c| c.name.clone());
            let is_field = cell.is_some_and(|c| c.field_index.contains_key(&method.name));
            let suggestion = cell.and_then(|c| {
                suggest::closest(&method.name, c.methods.iter().map(|m| m.name.as_str()))
                    .map(str::to_string)
            });
            let mut d = Diagnostic::error(
                "E0209",
                format!("cell `{cell_name}` has no method `{}`", method.name),
                method.span.clone(),
            )
            .with_label("unknown method");
            if is_field {
                d = d.with_help(format!(
                    "`{0}` is a field: read it with `self.{0}`",
                    method.name
                ));
            } else if let Some(s) = suggestion {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.emit(d);
            for a in args {
                self.expr(cx, a, None);
            }
            return error_expr(span);
        }
        let recv = self.expr(cx, receiver, None);
        let ty = recv.ty.clone();
        match &ty {
            Type::List(elem) => {
                let Some(m) = ListMethod::from_name(&method.name) else {
                    let mut d = Diagnostic::error(
                        "E0209",
                        format!("lists have no method `{}`", method.name),
                        method.span.clone(),
                    )
                    .with_label("unknown method");
                    d = match suggest::closest(&method.name, LIST_METHODS.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_note(format!("list methods: {}", LIST_METHODS.join(" "))),
                    };
                    self.emit(d);
                    return error_expr(span);
                };
                let elem = (**elem).clone();
                let params: Vec<Type> = match m {
                    ListMethod::Get | ListMethod::Remove => vec![Type::Int],
                    ListMethod::Contains | ListMethod::Push => vec![elem.clone()],
                    _ => vec![],
                };
                let result = match m {
                    ListMethod::Len => Type::Int,
                    ListMethod::IsEmpty | ListMethod::Contains => Type::Bool,
                    ListMethod::First | ListMethod::Last | ListMethod::Get | ListMethod::Pop => {
                        Type::optional(elem.clone())
                    }
                    ListMethod::Push => Type::Unit,
                    ListMethod::Remove => elem.clone(),
                };
                let args = self.args(cx, args, &params, &method.name, &span);
                if m.mutates() {
                    match self.mutable_place(cx, receiver, &method.name) {
                        Some(place) => mk(
                            ExprKind::ListMutate {
                                method: m,
                                place,
                                args,
                            },
                            result,
                            span,
                        ),
                        None => error_expr(span),
                    }
                } else {
                    mk(
                        ExprKind::ListMethod {
                            method: m,
                            receiver: Box::new(recv),
                            args,
                        },
                        result,
                        span,
                    )
                }
            }
            Type::Vec => {
                let (m, params, result) = match method.name.as_str() {
                    "len" => (VecMethod::Len, vec![], Type::Float),
                    "dist" => (VecMethod::Dist, vec![Type::Vec], Type::Float),
                    "norm" => (VecMethod::Norm, vec![], Type::Vec),
                    _ => {
                        self.emit(
                            Diagnostic::error(
                                "E0209",
                                format!("`vec` has no method `{}`", method.name),
                                method.span.clone(),
                            )
                            .with_label("unknown method")
                            .with_note("vec methods: len dist norm"),
                        );
                        return error_expr(span);
                    }
                };
                let args = self.args(cx, args, &params, &method.name, &span);
                mk(
                    ExprKind::VecMethod {
                        method: m,
                        receiver: Box::new(recv),
                        args,
                    },
                    result,
                    span,
                )
            }
            Type::Error => {
                for a in args {
                    self.expr(cx, a, None);
                }
                error_expr(span)
            }
            Type::Cell => {
                self.emit(
                    Diagnostic::error(
                        "E0309",
                        format!("cannot call method `{}` of another cell", method.name),
                        span.clone(),
                    )
                    .with_label("a `cell` value is only an id")
                    .with_note("only gradients and signals cross between cells")
                    .with_help("send it a signal instead"),
                );
                error_expr(span)
            }
            other => {
                let shown = self.show(other);
                let mut d = Diagnostic::error(
                    "E0209",
                    format!("`{shown}` has no method `{}`", method.name),
                    method.span.clone(),
                )
                .with_label("unknown method");
                if other.optional_inner().is_some() {
                    let text = self.text(&recv.span).to_string();
                    d = d.with_help(format!(
                        "it may be `none`: unwrap it first with `if let x = {text} {{ ... }}`"
                    ));
                }
                self.emit(d);
                error_expr(span)
            }
        }
    }

    /// The place `push`/`pop`/`remove` write back to: a `let mut` local or
    /// `self.field` (E0403 otherwise).
    fn mutable_place(
        &mut self,
        cx: &mut BodyCx,
        receiver: &ast::Expr,
        method: &str,
    ) -> Option<Place> {
        match &receiver.kind {
            ast::ExprKind::Name(id) => {
                let local = cx.peek(&id.name)?;
                let info = cx.info(local)?;
                if info.mutable {
                    return Some(Place::Local(local));
                }
                let decl = info.span.clone();
                self.emit(
                    Diagnostic::error(
                        "E0403",
                        format!("cannot `{method}` on `{}`: it is not mutable", id.name),
                        receiver.span.clone(),
                    )
                    .with_label(format!("`{method}` changes the list"))
                    .with_secondary(decl, "declared here without `mut`")
                    .with_help(format!("declare it `let mut {}`", id.name)),
                );
                None
            }
            ast::ExprKind::Field { base, field } if matches!(base.kind, ast::ExprKind::SelfRef) => {
                let kind = cx.ctx.cell()?;
                let idx = *self
                    .cells
                    .get(kind.0 as usize)?
                    .field_index
                    .get(&field.name)?;
                Some(Place::Field(idx))
            }
            _ => {
                self.emit(
                    Diagnostic::error(
                        "E0403",
                        format!("`{method}` needs a mutable place"),
                        receiver.span.clone(),
                    )
                    .with_label("this is a temporary value")
                    .with_help("call it on a `let mut` local or on `self.field`"),
                );
                None
            }
        }
    }

    fn call_expr(
        &mut self,
        cx: &mut BodyCx,
        callee: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        match self.globals.get(&callee.name).map(|g| g.what) {
            Some(Global::Fn(id)) => {
                let Some(sig) = self.fns.get(id.0 as usize).cloned() else {
                    return error_expr(span);
                };
                let args = self.args(cx, args, &sig.params, &callee.name, &span);
                return mk(
                    ExprKind::Call {
                        callee: Callee::Fn(id),
                        args,
                    },
                    sig.ret,
                    span,
                );
            }
            Some(other) => {
                let help = match other {
                    Global::Cell(_) => format!("spawn one: `spawn {} at (0.0, 0.0)`", callee.name),
                    Global::Signal(_) => {
                        format!("build one with braces: `{} {{ ... }}`", callee.name)
                    }
                    _ => "only functions can be called".to_string(),
                };
                self.emit(
                    Diagnostic::error(
                        "E0203",
                        format!("`{}` is {}, not a function", callee.name, other.describe()),
                        callee.span.clone(),
                    )
                    .with_label("called here")
                    .with_help(help),
                );
                for a in args {
                    self.expr(cx, a, None);
                }
                return error_expr(span);
            }
            None => {}
        }
        if let Some(&h) = self.hosts.get(&callee.name) {
            let Some(sig) = self.options.host_functions.get(h as usize).cloned() else {
                return error_expr(span);
            };
            let args = self.args(cx, args, &sig.params, &callee.name, &span);
            return mk(
                ExprKind::Call {
                    callee: Callee::HostFn(h),
                    args,
                },
                sig.ret,
                span,
            );
        }
        if BUILTINS.contains(&callee.name.as_str()) {
            return self.builtin_call(cx, callee, args, span);
        }
        let mut d = Diagnostic::error(
            "E0203",
            format!("cannot find function `{}`", callee.name),
            callee.span.clone(),
        )
        .with_label("not found");
        let fns = self
            .globals
            .iter()
            .filter_map(|(k, g)| matches!(g.what, Global::Fn(_)).then_some(k.as_str()));
        let hosts = self.hosts.keys().map(String::as_str);
        let suggestion = suggest::closest(
            &callee.name,
            fns.chain(hosts).chain(BUILTINS.iter().copied()),
        )
        .map(str::to_string);
        if let Some(s) = suggestion {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else if cx
            .ctx
            .cell()
            .and_then(|k| self.cells.get(k.0 as usize))
            .is_some_and(|c| c.method_index.contains_key(&callee.name))
        {
            d = d.with_help(format!(
                "methods are called on `self`: `self.{}(...)`",
                callee.name
            ));
        }
        self.emit(d);
        for a in args {
            self.expr(cx, a, None);
        }
        error_expr(span)
    }

    fn builtin_call(
        &mut self,
        cx: &mut BodyCx,
        callee: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        let name = callee.name.as_str();
        let call = |b: Builtin, args: Vec<Expr>, ty: Type, span: Span| {
            mk(
                ExprKind::Call {
                    callee: Callee::Builtin(b),
                    args,
                },
                ty,
                span,
            )
        };
        let fixed = |ck: &mut Self, cx: &mut BodyCx, b: Builtin, params: &[Type], ret: Type| {
            let args = ck.args(cx, args, params, name, &span);
            call(b, args, ret, span.clone())
        };
        let f = Type::Float;
        match name {
            "print" => {
                let args: Vec<Expr> = args
                    .iter()
                    .map(|a| {
                        let e = self.expr(cx, a, None);
                        self.require_value(&e);
                        e
                    })
                    .collect();
                call(Builtin::Print, args, Type::Unit, span)
            }
            "now" => fixed(self, cx, Builtin::Now, &[], Type::Int),
            "rand" => fixed(self, cx, Builtin::Rand, &[], Type::Float),
            "rand_int" => fixed(
                self,
                cx,
                Builtin::RandInt,
                &[Type::Int, Type::Int],
                Type::Int,
            ),
            "rand_vec" => fixed(self, cx, Builtin::RandVec, &[Type::Float], Type::Vec),
            "sqrt" => fixed(self, cx, Builtin::Sqrt, &[f], Type::Float),
            "floor" => fixed(self, cx, Builtin::Floor, &[f], Type::Float),
            "ceil" => fixed(self, cx, Builtin::Ceil, &[f], Type::Float),
            "round" => fixed(self, cx, Builtin::Round, &[f], Type::Float),
            "sin" => fixed(self, cx, Builtin::Sin, &[f], Type::Float),
            "cos" => fixed(self, cx, Builtin::Cos, &[f], Type::Float),
            "pow" => fixed(
                self,
                cx,
                Builtin::Pow,
                &[Type::Float, Type::Float],
                Type::Float,
            ),
            "atan2" => fixed(
                self,
                cx,
                Builtin::Atan2,
                &[Type::Float, Type::Float],
                Type::Float,
            ),
            "abs" | "min" | "max" | "clamp" => {
                let arity = match name {
                    "abs" => 1,
                    "clamp" => 3,
                    _ => 2,
                };
                let Some(first) = args.first() else {
                    return fixed(
                        self,
                        cx,
                        Builtin::AbsFloat,
                        &vec![Type::Float; arity],
                        Type::Error,
                    );
                };
                let first = self.expr(cx, first, None);
                let ty = match &first.ty {
                    Type::Int => Type::Int,
                    Type::Float => Type::Float,
                    Type::Error => Type::Error,
                    other => {
                        let shown = self.show(other);
                        self.emit(
                            Diagnostic::error("E0301", "mismatched types", first.span.clone())
                                .with_label(format!("expected `int` or `float`, found `{shown}`"))
                                .with_note(format!("`{name}` works on ints or on floats")),
                        );
                        Type::Error
                    }
                };
                let b = match (name, &ty) {
                    ("abs", Type::Int) => Builtin::AbsInt,
                    ("abs", _) => Builtin::AbsFloat,
                    ("min", Type::Int) => Builtin::MinInt,
                    ("min", _) => Builtin::MinFloat,
                    ("max", Type::Int) => Builtin::MaxInt,
                    ("max", _) => Builtin::MaxFloat,
                    (_, Type::Int) => Builtin::ClampInt,
                    _ => Builtin::ClampFloat,
                };
                if args.len() != arity {
                    self.emit(
                        Diagnostic::error(
                            "E0303",
                            format!(
                                "`{name}` takes {arity} argument{} but {} were given",
                                if arity == 1 { "" } else { "s" },
                                args.len()
                            ),
                            span.clone(),
                        )
                        .with_label(format!("expected {arity}")),
                    );
                }
                let mut checked = vec![first];
                for a in args.iter().skip(1) {
                    checked.push(self.expr_as(cx, a, &ty));
                }
                call(b, checked, ty, span)
            }
            "int" | "float" | "str" => {
                if args.len() != 1 {
                    return fixed(self, cx, Builtin::ToStr, &[Type::Error], Type::Error);
                }
                let Some(arg) = args.first() else {
                    return error_expr(span);
                };
                let arg = self.expr(cx, arg, None);
                let conversion = match (name, &arg.ty) {
                    (_, Type::Error) => return error_expr(span),
                    ("int", Type::Int) | ("float", Type::Float) | ("str", Type::Str) => {
                        return Expr { span, ..arg };
                    }
                    ("int", Type::Float) => Some((Builtin::IntOfFloat, Type::Int)),
                    ("float", Type::Int) => Some((Builtin::FloatOfInt, Type::Float)),
                    ("str", t) if *t != Type::Unit => Some((Builtin::ToStr, Type::Str)),
                    _ => None,
                };
                match conversion {
                    Some((b, ty)) => {
                        if let (Builtin::FloatOfInt, Some(Value::Int(i))) =
                            (b, fold::value_of(&arg))
                        {
                            return value(Value::Float(*i as f64), ty, span);
                        }
                        call(b, vec![arg], ty, span)
                    }
                    None => {
                        let shown = self.show(&arg.ty);
                        self.emit(
                            Diagnostic::error(
                                "E0301",
                                format!("cannot convert `{shown}` with `{name}(...)`"),
                                arg.span.clone(),
                            )
                            .with_label(format!("this is `{shown}`"))
                            .with_note(match name {
                                "int" => "`int(x)` converts a float (truncating toward zero)",
                                "float" => "`float(x)` converts an int",
                                _ => "`str(x)` converts any value",
                            }),
                        );
                        error_expr(span)
                    }
                }
            }
            _ => error_expr(span),
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

    fn binary_expr(
        &mut self,
        cx: &mut BodyCx,
        op: ast::BinaryOp,
        lhs_ast: &ast::Expr,
        rhs_ast: &ast::Expr,
        span: Span,
    ) -> Expr {
        use ast::BinaryOp as B;
        match op {
            B::And | B::Or => {
                let lhs = self.expr_as(cx, lhs_ast, &Type::Bool);
                let rhs = self.expr_as(cx, rhs_ast, &Type::Bool);
                if let (Some(Value::Bool(a)), Some(Value::Bool(b))) =
                    (fold::value_of(&lhs), fold::value_of(&rhs))
                {
                    let v = if op == B::And { *a && *b } else { *a || *b };
                    return value(Value::Bool(v), Type::Bool, span);
                }
                let op = if op == B::And {
                    LogicOp::And
                } else {
                    LogicOp::Or
                };
                mk(
                    ExprKind::Logic {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    Type::Bool,
                    span,
                )
            }
            B::Coalesce => {
                let opt = self.expr(cx, lhs_ast, None);
                let inner = match &opt.ty {
                    Type::Optional(t) => (**t).clone(),
                    Type::Error => {
                        self.expr(cx, rhs_ast, None);
                        return error_expr(span);
                    }
                    other => {
                        let shown = self.show(other);
                        self.emit(
                            Diagnostic::error(
                                "E0307",
                                "`??` needs an optional on its left",
                                opt.span.clone(),
                            )
                            .with_label(format!("this is `{shown}`, never `none`"))
                            .with_help("remove `?? ...`: the value is always there"),
                        );
                        self.expr(cx, rhs_ast, None);
                        return error_expr(span);
                    }
                };
                let default = self.expr(cx, rhs_ast, Some(&opt.ty));
                let ty = if default.ty.accepts_as(&inner) {
                    inner
                } else {
                    self.expect_type(&default, &opt.ty);
                    opt.ty.clone()
                };
                mk(
                    ExprKind::Coalesce {
                        opt: Box::new(opt),
                        default: Box::new(default),
                    },
                    ty,
                    span,
                )
            }
            B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge => {
                if let ast::ExprKind::Binary { op: inner, .. } = &lhs_ast.kind
                    && matches!(inner, B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge)
                    && !self
                        .text(&(lhs_ast.span.end..span.end))
                        .trim_start()
                        .starts_with(')')
                {
                    self.emit(
                        Diagnostic::error(
                            "E0305",
                            "comparison operators cannot be chained",
                            span.clone(),
                        )
                        .with_label("chained comparison")
                        .with_help("join two comparisons with `&&`: `a < b && b < c`"),
                    );
                    return error_expr(span);
                }
                let (lhs, rhs) = if matches!(lhs_ast.kind, ast::ExprKind::None) {
                    let rhs = self.expr(cx, rhs_ast, None);
                    let want = Type::optional(rhs.ty.clone());
                    (self.expr(cx, lhs_ast, Some(&want)), rhs)
                } else {
                    let lhs = self.expr(cx, lhs_ast, None);
                    let want = lhs.ty.clone();
                    let rhs = self.expr(cx, rhs_ast, Some(&want));
                    (lhs, rhs)
                };
                self.comparison(op, lhs, rhs, span)
            }
            B::Add | B::Sub | B::Mul | B::Div | B::Rem => {
                let lhs = self.expr(cx, lhs_ast, None);
                let want = lhs.ty.clone();
                let rhs = self.expr(
                    cx,
                    rhs_ast,
                    if want == Type::Vec { None } else { Some(&want) },
                );
                match self.arith(op, &lhs, &rhs, &span) {
                    Some((bop, ty)) => {
                        if let (Some(a), Some(b)) = (fold::value_of(&lhs), fold::value_of(&rhs))
                            && let Some(v) = fold::binary(bop, a, b)
                        {
                            return value(v, ty, span);
                        }
                        mk(
                            ExprKind::Binary {
                                op: bop,
                                lhs: Box::new(lhs),
                                rhs: Box::new(rhs),
                            },
                            ty,
                            span,
                        )
                    }
                    None => error_expr(span),
                }
            }
        }
    }

    /// Resolves an arithmetic operator for operand types; reports E0302
    /// (with a `float(...)` help for int/float mixes) when none applies.
    pub(crate) fn arith(
        &mut self,
        op: ast::BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        span: &Span,
    ) -> Option<(BinOp, Type)> {
        use Type::{Float, Int, Str};
        use ast::BinaryOp as B;
        let resolved = match (op, &lhs.ty, &rhs.ty) {
            (_, Type::Error, _) | (_, _, Type::Error) => return None,
            (B::Add, Int, Int) => (BinOp::AddInt, Int),
            (B::Add, Float, Float) => (BinOp::AddFloat, Float),
            (B::Add, Type::Vec, Type::Vec) => (BinOp::AddVec, Type::Vec),
            (B::Add, Str, Str) => (BinOp::ConcatStr, Str),
            (B::Sub, Int, Int) => (BinOp::SubInt, Int),
            (B::Sub, Float, Float) => (BinOp::SubFloat, Float),
            (B::Sub, Type::Vec, Type::Vec) => (BinOp::SubVec, Type::Vec),
            (B::Mul, Int, Int) => (BinOp::MulInt, Int),
            (B::Mul, Float, Float) => (BinOp::MulFloat, Float),
            (B::Mul, Type::Vec, Float) => (BinOp::MulVecFloat, Type::Vec),
            (B::Mul, Float, Type::Vec) => (BinOp::MulFloatVec, Type::Vec),
            (B::Div, Int, Int) => (BinOp::DivInt, Int),
            (B::Div, Float, Float) => (BinOp::DivFloat, Float),
            (B::Div, Type::Vec, Float) => (BinOp::DivVecFloat, Type::Vec),
            (B::Rem, Int, Int) => (BinOp::RemInt, Int),
            (B::Rem, Float, Float) => (BinOp::RemFloat, Float),
            (op, l, r) => {
                let (ls, rs) = (self.show(l), self.show(r));
                let mut d = Diagnostic::error(
                    "E0302",
                    format!("cannot apply `{}` to `{ls}` and `{rs}`", op.symbol()),
                    span.clone(),
                )
                .with_label(format!("`{ls}` {} `{rs}`", op.symbol()))
                .with_note("there are no implicit conversions between types");
                let int_side = match (l, r) {
                    (Int, Float) => Some(lhs),
                    (Float, Int) => Some(rhs),
                    (Int, Type::Vec) => Some(lhs),
                    (Type::Vec, Int) => Some(rhs),
                    _ => None,
                };
                if let Some(side) = int_side {
                    let text = self.text(&side.span).to_string();
                    d = d.with_help(format!("convert the int to a float: `float({text})`"));
                } else if matches!((l, r), (Str, _) | (_, Str)) && op == B::Add {
                    let other = if *l == Str { rhs } else { lhs };
                    let text = self.text(&other.span).to_string();
                    d = d.with_help(format!("convert it to text: `str({text})`"));
                } else if *l == Type::Vec || *r == Type::Vec {
                    d = d.with_help(
                        "vecs add and subtract with vecs, and multiply or divide by a float",
                    );
                }
                self.emit(d);
                return None;
            }
        };
        Some(resolved)
    }

    fn comparison(&mut self, op: ast::BinaryOp, lhs: Expr, rhs: Expr, span: Span) -> Expr {
        use ast::BinaryOp as B;
        if lhs.ty.is_error() || rhs.ty.is_error() {
            return error_expr(span);
        }
        let bop = match op {
            B::Eq | B::Ne => {
                if !(rhs.ty.accepts_as(&lhs.ty) || lhs.ty.accepts_as(&rhs.ty))
                    || lhs.ty == Type::Unit
                {
                    self.compare_error(op, &lhs, &rhs, &span);
                    return error_expr(span);
                }
                let eq = op == B::Eq;
                match (&lhs.ty, &rhs.ty) {
                    (Type::Int, Type::Int) => {
                        if eq {
                            BinOp::EqInt
                        } else {
                            BinOp::NeInt
                        }
                    }
                    (Type::Float, Type::Float) => {
                        if eq {
                            BinOp::EqFloat
                        } else {
                            BinOp::NeFloat
                        }
                    }
                    (Type::Bool, Type::Bool) => {
                        if eq {
                            BinOp::EqBool
                        } else {
                            BinOp::NeBool
                        }
                    }
                    (Type::Str, Type::Str) => {
                        if eq {
                            BinOp::EqStr
                        } else {
                            BinOp::NeStr
                        }
                    }
                    _ => {
                        if eq {
                            BinOp::EqValue
                        } else {
                            BinOp::NeValue
                        }
                    }
                }
            }
            _ => {
                let table = match (&lhs.ty, &rhs.ty) {
                    (Type::Int, Type::Int) => {
                        [BinOp::LtInt, BinOp::LeInt, BinOp::GtInt, BinOp::GeInt]
                    }
                    (Type::Float, Type::Float) => [
                        BinOp::LtFloat,
                        BinOp::LeFloat,
                        BinOp::GtFloat,
                        BinOp::GeFloat,
                    ],
                    (Type::Str, Type::Str) => {
                        [BinOp::LtStr, BinOp::LeStr, BinOp::GtStr, BinOp::GeStr]
                    }
                    _ => {
                        self.compare_error(op, &lhs, &rhs, &span);
                        return error_expr(span);
                    }
                };
                match op {
                    B::Lt => table[0],
                    B::Le => table[1],
                    B::Gt => table[2],
                    _ => table[3],
                }
            }
        };
        if let (Some(a), Some(b)) = (fold::value_of(&lhs), fold::value_of(&rhs))
            && let Some(v) = fold::binary(bop, a, b)
        {
            return value(v, Type::Bool, span);
        }
        mk(
            ExprKind::Binary {
                op: bop,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            Type::Bool,
            span,
        )
    }

    fn compare_error(&mut self, op: ast::BinaryOp, lhs: &Expr, rhs: &Expr, span: &Span) {
        let (ls, rs) = (self.show(&lhs.ty), self.show(&rhs.ty));
        let ordering = !matches!(op, ast::BinaryOp::Eq | ast::BinaryOp::Ne);
        let mut d = Diagnostic::error(
            "E0302",
            format!("cannot compare `{ls}` with `{rs}` using `{}`", op.symbol()),
            span.clone(),
        )
        .with_label(format!("`{ls}` {} `{rs}`", op.symbol()));
        let int_side = match (&lhs.ty, &rhs.ty) {
            (Type::Int, Type::Float) => Some(lhs),
            (Type::Float, Type::Int) => Some(rhs),
            _ => None,
        };
        if let Some(side) = int_side {
            let text = self.text(&side.span).to_string();
            d = d.with_help(format!("convert the int to a float: `float({text})`"));
        } else if ordering && lhs.ty == rhs.ty {
            d = d.with_note("`< <= > >=` compare ints, floats or strs");
        } else {
            d = d.with_note("`==` and `!=` compare two values of the same type (or an optional with its value or `none`)");
        }
        self.emit(d);
    }

    fn list_expr(
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

    fn signal_literal(
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
        let fields = fields
            .into_iter()
            .map(|f| f.unwrap_or_else(|| error_expr(span.clone())))
            .collect();
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
