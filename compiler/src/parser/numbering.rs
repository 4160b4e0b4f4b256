//! Gives every expression its dense [`ExprId`], in pre-order (source order).

use super::*;

/// State of the numbering pass, which also reports a bare
/// `9223372036854775808` (one not folded into `i64::MIN` by a unary `-`).
pub(super) struct Numbering<'a> {
    /// The next id to give out (the count so far).
    pub(super) count: u32,
    /// Spans of `9223372036854775808` tokens (see `min_int_literals`).
    pub(super) min_literals: &'a [Span],
    /// Reports made while numbering.
    pub(super) diags: Vec<Diagnostic>,
}

pub(super) fn number_item(item: &mut Item, next: &mut Numbering<'_>) {
    match item {
        Item::Use(_) | Item::Membrane(_) => {}
        Item::Gradient(g) => {
            for e in [&mut g.range, &mut g.falloff, &mut g.persist]
                .into_iter()
                .flatten()
            {
                number_expr(e, next);
            }
        }
        Item::Signal(_) => {}
        Item::Const(c) => number_expr(&mut c.value, next),
        Item::Fn(f) => number_block(&mut f.body, next),
        Item::Cell(c) => {
            for m in &mut c.members {
                match m {
                    CellMember::Field(f) => number_expr(&mut f.default, next),
                    CellMember::Metabolism(m) => number_block(&mut m.body, next),
                    CellMember::Handler(h) => number_block(&mut h.body, next),
                    CellMember::Method(f) => number_block(&mut f.body, next),
                }
            }
        }
        Item::Ecosystem(e) => number_block(&mut e.body, next),
    }
}

pub(super) fn number_block(block: &mut Block, next: &mut Numbering<'_>) {
    for stmt in &mut block.stmts {
        number_stmt(stmt, next);
    }
}

pub(super) fn number_place(place: &mut Place, next: &mut Numbering<'_>) {
    match &mut place.kind {
        PlaceKind::Local(_) | PlaceKind::SelfField(_) => {}
        PlaceKind::Field { base, .. } => number_place(base, next),
        PlaceKind::Index { base, index } => {
            number_place(base, next);
            number_expr(index, next);
        }
    }
}

pub(super) fn number_if(stmt: &mut IfStmt, next: &mut Numbering<'_>) {
    match &mut stmt.cond {
        Condition::Expr(e) => number_expr(e, next),
        Condition::Let { value, .. } => number_expr(value, next),
    }
    number_block(&mut stmt.then_block, next);
    match &mut stmt.else_branch {
        None => {}
        Some(ElseBranch::Block(b)) => number_block(b, next),
        Some(ElseBranch::If(i)) => number_if(i, next),
    }
}

pub(super) fn number_stmt(stmt: &mut Stmt, next: &mut Numbering<'_>) {
    match &mut stmt.kind {
        StmtKind::Let { value, .. } => number_expr(value, next),
        StmtKind::Assign { target, value, .. } => {
            number_place(target, next);
            number_expr(value, next);
        }
        StmtKind::WorldSet { value, .. } => number_expr(value, next),
        StmtKind::If(i) => number_if(i, next),
        StmtKind::While { cond, body } => {
            number_expr(cond, next);
            number_block(body, next);
        }
        StmtKind::For { iter, body, .. } => {
            match iter {
                ForIter::Expr(e) => number_expr(e, next),
                ForIter::Range { start, end } => {
                    number_expr(start, next);
                    number_expr(end, next);
                }
            }
            number_block(body, next);
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Die => {}
        StmtKind::Return(e) => {
            if let Some(e) = e {
                number_expr(e, next);
            }
        }
        StmtKind::Report(e) => number_expr(e, next),
        StmtKind::Differentiate { inits, .. } => {
            for init in inits {
                number_expr(&mut init.value, next);
            }
        }
        StmtKind::Sleep(SleepKind::Ticks(e)) => number_expr(e, next),
        StmtKind::Sleep(SleepKind::Until { threshold, .. }) => number_expr(threshold, next),
        StmtKind::Expr(e) => number_expr(e, next),
    }
}

pub(super) fn number_expr(expr: &mut Expr, next: &mut Numbering<'_>) {
    expr.id = ExprId(next.count);
    next.count += 1;
    if let ExprKind::Int(i64::MIN) = expr.kind
        && next.min_literals.contains(&expr.span)
    {
        // `9223372036854775808` is only an int right after a unary `-`.
        next.diags.push(lexer::int_too_large(expr.span.clone()));
    }
    match &mut expr.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_)
        | ExprKind::SelfRef
        | ExprKind::Sender
        | ExprKind::World(_)
        | ExprKind::Sense(_)
        | ExprKind::Error => {}
        ExprKind::Field { base, .. } => number_expr(base, next),
        ExprKind::MethodCall { receiver, args, .. } => {
            number_expr(receiver, next);
            for a in args {
                number_expr(a, next);
            }
        }
        ExprKind::Call { args, .. } | ExprKind::List(args) => {
            for a in args {
                number_expr(a, next);
            }
        }
        ExprKind::Index { base, index } => {
            number_expr(base, next);
            number_expr(index, next);
        }
        ExprKind::Unary { operand, .. } => number_expr(operand, next),
        ExprKind::Binary { lhs, rhs, .. } => {
            number_expr(lhs, next);
            number_expr(rhs, next);
        }
        ExprKind::Vec { x, y } => {
            number_expr(x, next);
            number_expr(y, next);
        }
        ExprKind::SignalLit { fields, .. } => {
            for f in fields {
                number_expr(&mut f.value, next);
            }
        }
        ExprKind::Emit { strength, .. } => {
            if let Some(s) = strength {
                number_expr(s, next);
            }
        }
        ExprKind::Bind(e) | ExprKind::Unbind(e) | ExprKind::Move(e) => number_expr(e, next),
        ExprKind::Send { signal, target } => {
            number_expr(signal, next);
            number_expr(target, next);
        }
        ExprKind::Spawn(s) => {
            for f in &mut s.inits {
                number_expr(&mut f.value, next);
            }
            if let Some(at) = &mut s.at {
                number_expr(at, next);
            }
        }
    }
}
