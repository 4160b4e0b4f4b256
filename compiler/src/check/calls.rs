//! Calls: functions, methods of the running cell, host functions, builtins
//! (overloads resolved), and list and vec methods (`push pop remove` on a
//! mutable place).
use super::body::BodyCx;
use super::expr::{BUILTINS, LIST_METHODS, error_expr, mk, value};
use super::{Checker, Global, fold, suggest};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{Builtin, Callee, Expr, ExprKind, ListMethod, Place, Value, VecMethod};
use crate::types::Type;

impl<'a> Checker<'a> {
    /// Checks call arguments against parameter types (E0303 on a count
    /// mismatch; every argument is checked either way).
    pub(crate) fn args(
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

    pub(crate) fn method_expr(
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
    pub(crate) fn mutable_place(
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

    pub(crate) fn call_expr(
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

    pub(crate) fn builtin_call(
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
                if args.is_empty() {
                    return fixed(
                        self,
                        cx,
                        Builtin::AbsFloat,
                        &vec![Type::Float; arity],
                        Type::Error,
                    );
                }
                // All ints or all floats: any float argument makes it the
                // float overload, and the ints are then the mistakes.
                let checked: Vec<Expr> = args.iter().map(|a| self.expr(cx, a, None)).collect();
                let mut ty = Type::Int;
                for arg in &checked {
                    match &arg.ty {
                        Type::Int => {}
                        Type::Float => {
                            if ty == Type::Int {
                                ty = Type::Float;
                            }
                        }
                        Type::Error => ty = Type::Error,
                        other => {
                            let shown = self.show(other);
                            self.emit(
                                Diagnostic::error("E0301", "mismatched types", arg.span.clone())
                                    .with_label(format!(
                                        "expected `int` or `float`, found `{shown}`"
                                    ))
                                    .with_note(format!("`{name}` works on ints or on floats")),
                            );
                            ty = Type::Error;
                        }
                    }
                }
                if !ty.is_error() {
                    for arg in &checked {
                        self.expect_type(arg, &ty);
                    }
                }
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
                        match (b, fold::value_of(&arg)) {
                            (Builtin::FloatOfInt, Some(Value::Int(i))) => {
                                return value(Value::Float(*i as f64), ty, span);
                            }
                            // In range (so no runtime error to preserve):
                            // -2^63 <= trunc(x) < 2^63.
                            (Builtin::IntOfFloat, Some(Value::Float(x)))
                                if x.trunc() >= i64::MIN as f64
                                    && x.trunc() < -(i64::MIN as f64) =>
                            {
                                return value(Value::Int(x.trunc() as i64), ty, span);
                            }
                            _ => {}
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
}
