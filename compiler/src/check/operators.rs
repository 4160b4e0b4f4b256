//! Operators: `&& || ??`, comparisons (not chained), arithmetic resolved by
//! operand types, folded when both sides are constants.
use super::body::BodyCx;
use super::expr::{error_expr, mk, value};
use super::{Checker, fold};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{BinOp, Expr, ExprKind, LogicOp, Value};
use crate::types::Type;

impl<'a> Checker<'a> {
    pub(crate) fn binary_expr(
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

    pub(crate) fn comparison(
        &mut self,
        op: ast::BinaryOp,
        lhs: Expr,
        rhs: Expr,
        span: Span,
    ) -> Expr {
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

    pub(crate) fn compare_error(&mut self, op: ast::BinaryOp, lhs: &Expr, rhs: &Expr, span: &Span) {
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
}
