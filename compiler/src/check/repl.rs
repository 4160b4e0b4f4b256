//! Checking one REPL line against an already checked program.
//!
//! A line runs in the ecosystem's context (`spawn` gives a `cell`,
//! `world.*` can be set, `print` works; `self`, `emit`... do not). With a
//! [`ReplScope`], the `let`s of one line are seen by the next ones. A
//! trailing expression without `;` is the value the REPL shows.
//! Declarations (`fn`, `gradient` ...) on a REPL line are not supported:
//! load a file instead.

use std::collections::HashMap;

use super::body::{BodyCx, Ctx};
use super::{
    CellInfo, CheckOptions, Checker, ConstInfo, ConstState, FnSig, Global, GlobalEntry, SignalInfo,
};
use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::hir::{self, CellKindId, FileId, FnId, GradientId, MembraneId, SignalKindId};
use crate::types::Type;

/// The locals a REPL session keeps from one line to the next.
///
/// The REPL keeps one value per slot in [`ReplScope::locals`] (in order);
/// a checked line's body starts with those slots (its `params`), so its code
/// reads and writes them, and its new slots follow.
#[derive(Debug, Clone, Default)]
pub struct ReplScope {
    /// Every slot the session has used so far.
    pub locals: Vec<hir::LocalInfo>,
    /// Names the next line sees, and their slots.
    visible: HashMap<String, hir::LocalId>,
}

/// A checked REPL line.
#[derive(Debug, Clone)]
pub struct ReplLine {
    /// The statements, as an ecosystem-context body (its `locals` are the
    /// line's own slots, shared with `value`).
    pub body: hir::Body,
    /// The trailing expression whose value is shown, if any.
    pub value: Option<hir::Expr>,
}

/// Checks a parsed REPL line (`source` is its text, for diagnostics) against
/// `program`, with no locals from earlier lines. Errors, or the line and its
/// warnings.
pub fn check_repl_line(
    program: &hir::Program,
    input: &ast::ReplInput,
    source: &str,
    options: &CheckOptions,
) -> Result<(ReplLine, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_repl_line_in(program, input, source, options, &mut ReplScope::default())
}

/// Like [`check_repl_line`], seeing the locals of earlier lines in `scope`;
/// on success the line's top-level `let`s join `scope` (on error it is left
/// as it was).
pub fn check_repl_line_in(
    program: &hir::Program,
    input: &ast::ReplInput,
    source: &str,
    options: &CheckOptions,
    scope: &mut ReplScope,
) -> Result<(ReplLine, Vec<Diagnostic>), Vec<Diagnostic>> {
    let files = vec![hir::SourceFile {
        name: "<repl>".to_string(),
        text: source.to_string(),
    }];
    let mut ck = Checker::new(options, files);
    rebuild(&mut ck, program);
    for item in &input.items {
        ck.emit(
            Diagnostic::error(
                "E0518",
                "declarations cannot be made on a REPL line",
                item.span().clone(),
            )
            .with_label("declaration")
            .with_help("put it in a file and `:load` it"),
        );
    }
    let mut cx = BodyCx::new(Ctx::Ecosystem, Type::Unit);
    cx.preload(&scope.locals, &scope.visible);
    let block = ast::Block {
        stmts: input.stmts.clone(),
        span: 0..source.len(),
    };
    let (block, _) = ck.block_in_scope(&mut cx, &block);
    let value = input.tail.as_ref().map(|e| match &e.kind {
        ast::ExprKind::Spawn(s) => ck.spawn_expr(&mut cx, s, e.span.clone(), false),
        _ => ck.expr(&mut cx, e, None),
    });
    let visible = cx.visible_map();
    let (body, warnings) = cx.finish(scope.locals.len() as u32, block);
    // Unused-local warnings are noise on a one-line scratch pad.
    let _ = warnings;
    if ck.has_errors() {
        return Err(ck.diags);
    }
    scope.locals = body.locals.clone();
    scope.visible = visible;
    Ok((ReplLine { body, value }, ck.diags))
}

/// Fills the checker's tables from a checked program.
fn rebuild<'a>(ck: &mut Checker<'a>, p: &hir::Program) {
    let put = |ck: &mut Checker<'a>,
               name: &str,
               what: Global,
               span: &std::ops::Range<usize>,
               file: FileId| {
        ck.globals.insert(
            name.to_string(),
            GlobalEntry {
                what,
                span: span.clone(),
                file,
            },
        );
    };
    ck.gradients = p.gradients.clone();
    for (i, g) in p.gradients.iter().enumerate() {
        put(
            ck,
            &g.name,
            Global::Gradient(GradientId(i as u32)),
            &g.span,
            g.file,
        );
    }
    for (i, s) in p.signals.iter().enumerate() {
        put(
            ck,
            &s.name,
            Global::Signal(SignalKindId(i as u32)),
            &s.span,
            s.file,
        );
        let fields: Vec<(String, Type)> = s
            .field_names
            .iter()
            .cloned()
            .zip(s.field_types.iter().cloned())
            .collect();
        let index = s
            .field_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        ck.signal_names.push(s.name.clone());
        ck.signals.push(SignalInfo {
            name: s.name.clone(),
            fields,
            index,
            span: s.span.clone(),
            file: s.file,
        });
    }
    ck.membranes = p.membranes.clone();
    for (i, m) in p.membranes.iter().enumerate() {
        put(
            ck,
            &m.name,
            Global::Membrane(MembraneId(i as u32)),
            &m.span,
            m.file,
        );
    }
    for (i, c) in p.consts.iter().enumerate() {
        put(ck, &c.name, Global::Const(i as u32), &c.span, c.file);
        ck.consts.push(ConstInfo {
            name: c.name.clone(),
            span: c.span.clone(),
            decl: None,
            file: c.file,
            ty: c.ty.clone(),
            state: ConstState::Done(c.value.clone()),
        });
    }
    for (i, f) in p.functions.iter().enumerate() {
        put(ck, &f.name, Global::Fn(FnId(i as u32)), &f.span, f.file);
        ck.fns.push(FnSig {
            name: f.name.clone(),
            params: f.params.iter().map(|p| p.ty.clone()).collect(),
            ret: f.ret.clone(),
        });
    }
    for (i, c) in p.cells.iter().enumerate() {
        put(
            ck,
            &c.name,
            Global::Cell(CellKindId(i as u32)),
            &c.span,
            c.file,
        );
        let field_index: HashMap<String, u32> = c
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i as u32))
            .collect();
        let methods: Vec<FnSig> = c
            .methods
            .iter()
            .map(|m| FnSig {
                name: m.name.clone(),
                params: m.params.iter().map(|p| p.ty.clone()).collect(),
                ret: m.ret.clone(),
            })
            .collect();
        let method_index = methods
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i as u32))
            .collect();
        ck.cells.push(CellInfo {
            name: c.name.clone(),
            fields: c.fields.clone(),
            field_index,
            methods,
            method_index,
        });
    }
}
