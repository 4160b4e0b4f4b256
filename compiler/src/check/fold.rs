//! Constant folding: `const`s, gradient settings and field defaults are
//! values, and any operator applied to constants is computed at compile time
//! (exactly as the VM would: IEEE floats, truncating int division). An
//! operation that would be a runtime error (int overflow, division by zero)
//! is not folded: in code it stays for the runtime to report; in a constant
//! it is an error.

use std::sync::Arc;

use super::body::{BodyCx, Ctx};
use super::{Checker, ConstState};
use crate::diagnostic::Diagnostic;
use crate::hir::{BinOp, Expr, ExprKind, UnOp, Value};
use crate::types::Type;

/// Folds a unary operator over a constant.
pub(crate) fn unary(op: UnOp, v: &Value) -> Option<Value> {
    Some(match (op, v) {
        (UnOp::NegInt, Value::Int(i)) => Value::Int(i.checked_neg()?),
        (UnOp::NegFloat, Value::Float(x)) => Value::Float(-x),
        (UnOp::NegVec, Value::Vec(v)) => Value::vec(-v.x, -v.y),
        (UnOp::Not, Value::Bool(b)) => Value::Bool(!b),
        _ => return None,
    })
}

/// Folds a binary operator over constants; `None` when it cannot be folded
/// (or would be a runtime error).
pub(crate) fn binary(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    use Value::{Bool, Float, Int, Str};
    Some(match (op, a, b) {
        (BinOp::AddInt, Int(x), Int(y)) => Int(x.checked_add(*y)?),
        (BinOp::SubInt, Int(x), Int(y)) => Int(x.checked_sub(*y)?),
        (BinOp::MulInt, Int(x), Int(y)) => Int(x.checked_mul(*y)?),
        (BinOp::DivInt, Int(x), Int(y)) => Int(x.checked_div(*y)?),
        (BinOp::RemInt, Int(x), Int(y)) => Int(x.checked_rem(*y)?),
        (BinOp::AddFloat, Float(x), Float(y)) => Float(x + y),
        (BinOp::SubFloat, Float(x), Float(y)) => Float(x - y),
        (BinOp::MulFloat, Float(x), Float(y)) => Float(x * y),
        (BinOp::DivFloat, Float(x), Float(y)) => Float(x / y),
        (BinOp::RemFloat, Float(x), Float(y)) => Float(x % y),
        (BinOp::AddVec, Value::Vec(v), Value::Vec(w)) => Value::vec(v.x + w.x, v.y + w.y),
        (BinOp::SubVec, Value::Vec(v), Value::Vec(w)) => Value::vec(v.x - w.x, v.y - w.y),
        (BinOp::MulVecFloat, Value::Vec(v), Float(k)) => Value::vec(v.x * k, v.y * k),
        (BinOp::MulFloatVec, Float(k), Value::Vec(v)) => Value::vec(k * v.x, k * v.y),
        (BinOp::DivVecFloat, Value::Vec(v), Float(k)) => Value::vec(v.x / k, v.y / k),
        (BinOp::ConcatStr, Str(x), Str(y)) => Str(Arc::from(format!("{x}{y}"))),
        (BinOp::EqInt, Int(x), Int(y)) => Bool(x == y),
        (BinOp::NeInt, Int(x), Int(y)) => Bool(x != y),
        (BinOp::LtInt, Int(x), Int(y)) => Bool(x < y),
        (BinOp::LeInt, Int(x), Int(y)) => Bool(x <= y),
        (BinOp::GtInt, Int(x), Int(y)) => Bool(x > y),
        (BinOp::GeInt, Int(x), Int(y)) => Bool(x >= y),
        (BinOp::EqFloat, Float(x), Float(y)) => Bool(x == y),
        (BinOp::NeFloat, Float(x), Float(y)) => Bool(x != y),
        (BinOp::LtFloat, Float(x), Float(y)) => Bool(x < y),
        (BinOp::LeFloat, Float(x), Float(y)) => Bool(x <= y),
        (BinOp::GtFloat, Float(x), Float(y)) => Bool(x > y),
        (BinOp::GeFloat, Float(x), Float(y)) => Bool(x >= y),
        (BinOp::EqBool, Bool(x), Bool(y)) => Bool(x == y),
        (BinOp::NeBool, Bool(x), Bool(y)) => Bool(x != y),
        (BinOp::EqStr, Str(x), Str(y)) => Bool(x == y),
        (BinOp::NeStr, Str(x), Str(y)) => Bool(x != y),
        (BinOp::LtStr, Str(x), Str(y)) => Bool(x < y),
        (BinOp::LeStr, Str(x), Str(y)) => Bool(x <= y),
        (BinOp::GtStr, Str(x), Str(y)) => Bool(x > y),
        (BinOp::GeStr, Str(x), Str(y)) => Bool(x >= y),
        (BinOp::EqValue, x, y) => Bool(x == y),
        (BinOp::NeValue, x, y) => Bool(x != y),
        _ => return None,
    })
}

/// The constant value of an expression that was folded.
pub(crate) fn value_of(e: &Expr) -> Option<&Value> {
    match &e.kind {
        ExprKind::Value(v) => Some(v),
        _ => None,
    }
}

/// A list value from constant elements.
pub(crate) fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(Arc::new(items.into_iter().collect()))
}

/// Folds `const` number `index` on demand and returns its value, reporting
/// a cycle (E0216) or a non-constant value (E0513).
pub(crate) fn const_value(ck: &mut Checker<'_>, index: u32) -> Option<Value> {
    let info = ck.consts.get(index as usize)?;
    match &info.state {
        ConstState::Done(v) => return Some(v.clone()),
        ConstState::Failed => return None,
        ConstState::InProgress => {
            let d = Diagnostic::error(
                "E0216",
                format!("constant `{}` depends on itself", info.name),
                info.span.clone(),
            )
            .with_label("defined in terms of itself");
            let file = info.file;
            let saved = std::mem::replace(&mut ck.file, file);
            ck.emit(d);
            ck.file = saved;
            if let Some(c) = ck.consts.get_mut(index as usize) {
                c.state = ConstState::Failed;
            }
            return None;
        }
        ConstState::Pending => {}
    }
    let decl = info.decl?;
    let ty = info.ty.clone();
    let file = info.file;
    if let Some(c) = ck.consts.get_mut(index as usize) {
        c.state = ConstState::InProgress;
    }
    let saved = std::mem::replace(&mut ck.file, file);
    let value = constant(ck, &decl.value, &ty, "a constant");
    ck.file = saved;
    let state = match &value {
        Some(v) => ConstState::Done(v.clone()),
        None => ConstState::Failed,
    };
    if let Some(c) = ck.consts.get_mut(index as usize) {
        // A cycle may already have marked it failed.
        if c.state == ConstState::InProgress {
            c.state = state;
        }
    }
    value
}

/// Checks `e` against `ty` in a constant context and folds it. Reports
/// E0513 when it is not a constant expression (nothing is reported twice:
/// if checking `e` reported an error, this stays silent).
pub(crate) fn constant(
    ck: &mut Checker<'_>,
    e: &crate::ast::Expr,
    ty: &Type,
    what: &str,
) -> Option<Value> {
    let errors_before = ck.diags.iter().filter(|d| d.is_error()).count();
    let mut cx = BodyCx::new(Ctx::Const, Type::Unit);
    let checked = ck.expr(&mut cx, e, Some(ty));
    let ok = ck.expect_type(&checked, ty);
    let errors_after = ck.diags.iter().filter(|d| d.is_error()).count();
    match value_of(&checked) {
        Some(v) if ok => Some(v.clone()),
        _ => {
            if errors_after == errors_before {
                ck.emit(
                    Diagnostic::error(
                        "E0513",
                        format!("{what} must be a constant expression"),
                        e.span.clone(),
                    )
                    .with_label("not constant")
                    .with_note(
                        "constant expressions are literals, `const`s, `none`, operators, and lists and vecs of those",
                    ),
                );
            }
            None
        }
    }
}
