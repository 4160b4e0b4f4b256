//! Lowering one checked REPL line to a chunk that runs in the ecosystem's
//! context, against the function table of the program it was checked with.
//!
//! A REPL session keeps its locals from line to line (see
//! [`crate::check::ReplScope`]): the line's first `body.params` slots are
//! those of earlier lines. The chunk takes no arguments: it starts by
//! loading the kept values into those slots, and it ends by returning a
//! list `[value, slot 0, slot 1, ...]`: the trailing expression's value (or
//! `none`), then every slot's value, which the REPL keeps for the next line.

use myco_vm::bytecode::Chunk;
use myco_vm::value::Value;

use super::Layout;
use super::body::BodyLowerer;
use super::lines::LineIndex;
use crate::check::ReplLine;
use crate::diagnostic::Diagnostic;
use crate::hir::{self, Expr, ExprKind, LocalId, Stmt};
use crate::types::Type;

/// Lowers `line` (checked against `program`; `source` is its text) to one
/// chunk named `<repl>`, with `kept` the values of the slots of earlier
/// lines (missing ones start as `none`). See the module documentation for
/// what it returns. Its source locations name file number `file`: the
/// caller appends the chunk to the program's function table and the line's
/// name (e.g. `<repl>`) to its `files`, at that index. Errors are limits (a
/// line too long for the instruction format).
pub fn lower_repl_line(
    program: &hir::Program,
    line: &ReplLine,
    source: &str,
    file: u32,
    kept: &[Value],
) -> Result<Chunk, Vec<Diagnostic>> {
    let layout = Layout::new(program);
    let lines = LineIndex::new(file, source);
    let mut body = line.body.clone();
    let earlier = body.params;
    body.params = 0;
    let expr = |kind: ExprKind, ty: Type| Expr {
        kind,
        ty,
        span: 0..0,
    };
    let mut stmts: Vec<Stmt> = (0..earlier)
        .map(|i| {
            let ty = body
                .locals
                .get(i as usize)
                .map_or(Type::Error, |l| l.ty.clone());
            let value = kept.get(i as usize).cloned().unwrap_or(Value::None);
            Stmt::Let {
                local: LocalId(i),
                value: expr(ExprKind::Value(value), ty),
                span: 0..0,
            }
        })
        .collect();
    stmts.append(&mut body.block.stmts);
    let shown = match &line.value {
        Some(value) if matches!(value.ty, Type::Unit | Type::Error) => {
            stmts.push(Stmt::Expr(value.clone()));
            expr(ExprKind::Value(Value::None), Type::Error)
        }
        Some(value) => value.clone(),
        None => expr(ExprKind::Value(Value::None), Type::Error),
    };
    let end = shown.span.clone();
    // The list mixes types: the checker's types do not matter past here.
    let mut items = vec![shown];
    items.extend((0..body.locals.len() as u32).map(|i| {
        let ty = body
            .locals
            .get(i as usize)
            .map_or(Type::Error, |l| l.ty.clone());
        expr(ExprKind::Local(LocalId(i)), ty)
    }));
    let ret = Type::List(Box::new(Type::Error));
    stmts.push(Stmt::Return(
        Some(Expr {
            kind: ExprKind::MakeList(items),
            ty: ret.clone(),
            span: end.clone(),
        }),
        end,
    ));
    body.block.stmts = stmts;
    let lowerer = BodyLowerer::new(
        "<repl>".to_string(),
        &body,
        &layout,
        &lines,
        None,
        0..source.len(),
    );
    lowerer.finish(&body, &ret).map_err(|d| vec![*d])
}
