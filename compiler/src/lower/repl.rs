//! Lowering one checked REPL line to a chunk that runs in the ecosystem's
//! context, against the function table of the program it was checked with.

use myco_vm::bytecode::Chunk;

use super::Layout;
use super::body::BodyLowerer;
use super::lines::LineIndex;
use crate::check::ReplLine;
use crate::diagnostic::Diagnostic;
use crate::hir::{self, Stmt};
use crate::types::Type;

/// Lowers `line` (checked against `program`; `source` is its text) to one
/// chunk named `<repl>`. The chunk returns the trailing expression's value,
/// or `none` when there is none or it has no value. Its source locations
/// name file number `file`: the caller appends the chunk to the program's
/// function table and the line's name (e.g. `<repl>`) to its `files`, at
/// that index. Errors are limits (a line too long for the instruction format).
pub fn lower_repl_line(
    program: &hir::Program,
    line: &ReplLine,
    source: &str,
    file: u32,
) -> Result<Chunk, Vec<Diagnostic>> {
    let layout = Layout::new(program);
    let lines = LineIndex::new(file, source);
    let mut body = line.body.clone();
    let mut ret = Type::Unit;
    if let Some(value) = &line.value {
        let span = value.span.clone();
        if matches!(value.ty, Type::Unit | Type::Error) {
            body.block.stmts.push(Stmt::Expr(value.clone()));
        } else {
            ret = value.ty.clone();
            body.block
                .stmts
                .push(Stmt::Return(Some(value.clone()), span));
        }
    }
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
