//! Lowering: the checked HIR → a bytecode [`myco_vm::program::Program`].
//!
//! Function table layout: the free functions first (so `FnId(i)` is
//! function `i`), then for each cell kind its methods, metabolism,
//! `on spawn`, `on apoptosis` and signal handlers, then the ecosystem block.

mod body;
pub mod lines;
pub mod repl;

use myco_vm::program::{CellKind, FieldDecl, GradientDecl, HostFnDecl, Program, SignalDecl};

use crate::diagnostic::{Diagnostic, Span};
use crate::hir;
use crate::types::Type;
use body::BodyLowerer;
use lines::LineIndex;

/// Where each HIR function, method and body lands in the function table.
pub(crate) struct Layout {
    methods_start: Vec<u32>,
}

impl Layout {
    fn new(hir: &hir::Program) -> Layout {
        let mut next = hir.functions.len() as u32;
        let mut methods_start = Vec::with_capacity(hir.cells.len());
        for kind in &hir.cells {
            methods_start.push(next);
            next += kind.methods.len() as u32
                + 1
                + u32::from(kind.on_spawn.is_some())
                + u32::from(kind.on_apoptosis.is_some())
                + kind.on_signal.len() as u32;
        }
        Layout { methods_start }
    }

    /// The function index of free function `FnId(id)`.
    pub(crate) fn fn_index(&self, id: u32) -> u32 {
        id
    }

    /// The function index of method `index` of cell kind `kind`.
    pub(crate) fn method_index(&self, kind: u32, index: u32) -> u32 {
        self.methods_start.get(kind as usize).copied().unwrap_or(0) + index
    }
}

/// Lowers a checked program. Errors are limits (a body too long for the
/// instruction format), reported as diagnostics.
pub fn lower(hir: &hir::Program) -> Result<Program, Vec<Diagnostic>> {
    let layout = Layout::new(hir);
    let lines: Vec<LineIndex> = hir
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| LineIndex::new(i as u32, &f.text))
        .collect();
    let empty = LineIndex::new(0, "");
    let mut errors = Vec::new();
    let mut functions = Vec::new();

    let file_name = |file: hir::FileId| -> Option<String> {
        if file.0 == 0 {
            None
        } else {
            hir.files.get(file.0 as usize).map(|f| f.name.clone())
        }
    };
    let mut lower_body = |name: String,
                          body: &hir::Body,
                          ret: &Type,
                          file: hir::FileId,
                          span: &Span,
                          functions: &mut Vec<myco_vm::bytecode::Chunk>| {
        let idx = lines.get(file.0 as usize).unwrap_or(&empty);
        let lowerer = BodyLowerer::new(name, body, &layout, idx, file_name(file), span.clone());
        match lowerer.finish(body, ret) {
            Ok(chunk) => functions.push(chunk),
            Err(d) => {
                errors.push(*d);
                // Keep indices aligned; the program is rejected anyway.
                functions.push(myco_vm::bytecode::Chunk::new("<error>", 0));
            }
        }
    };

    for f in &hir.functions {
        lower_body(
            f.name.clone(),
            &f.body,
            &f.ret,
            f.file,
            &f.span,
            &mut functions,
        );
    }
    let mut kinds = Vec::with_capacity(hir.cells.len());
    for kind in &hir.cells {
        for m in &kind.methods {
            lower_body(
                format!("{}.{}", kind.name, m.name),
                &m.body,
                &m.ret,
                m.file,
                &m.span,
                &mut functions,
            );
        }
        let metabolism = functions.len() as u32;
        lower_body(
            format!("{}.metabolism", kind.name),
            &kind.metabolism,
            &Type::Unit,
            kind.file,
            &kind.span,
            &mut functions,
        );
        let on_spawn = kind.on_spawn.as_ref().map(|b| {
            let id = functions.len() as u32;
            lower_body(
                format!("{}.on spawn", kind.name),
                b,
                &Type::Unit,
                kind.file,
                &kind.span,
                &mut functions,
            );
            id
        });
        let on_apoptosis = kind.on_apoptosis.as_ref().map(|b| {
            let id = functions.len() as u32;
            lower_body(
                format!("{}.on apoptosis", kind.name),
                b,
                &Type::Unit,
                kind.file,
                &kind.span,
                &mut functions,
            );
            id
        });
        let mut handlers = vec![None; hir.signals.len()];
        for h in &kind.on_signal {
            let id = functions.len() as u32;
            let signal = hir
                .signals
                .get(h.signal.0 as usize)
                .map_or("?", |s| s.name.as_str());
            lower_body(
                format!("{}.on {}", kind.name, signal),
                &h.body,
                &Type::Unit,
                kind.file,
                &h.span,
                &mut functions,
            );
            if let Some(slot) = handlers.get_mut(h.signal.0 as usize) {
                *slot = Some(id);
            }
        }
        kinds.push(CellKind {
            name: kind.name.clone(),
            fields: kind
                .fields
                .iter()
                .map(|f| FieldDecl {
                    name: f.name.clone(),
                    default: f.default.clone(),
                })
                .collect(),
            metabolism,
            on_spawn,
            on_apoptosis,
            handlers,
        });
    }
    let ecosystem = hir.ecosystem.as_ref().map(|eco| {
        let id = functions.len() as u32;
        lower_body(
            "ecosystem".to_string(),
            &eco.body,
            &Type::Unit,
            eco.file,
            &eco.span,
            &mut functions,
        );
        id
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let program = Program {
        files: hir.files.iter().map(|f| f.name.clone()).collect(),
        functions,
        gradients: hir
            .gradients
            .iter()
            .map(|g| GradientDecl {
                name: g.name.clone(),
                range: g.range,
                falloff: g.falloff,
                persist: g.persist.clamp(0, i64::from(u32::MAX)) as u32,
            })
            .collect(),
        signals: hir
            .signals
            .iter()
            .map(|s| SignalDecl {
                name: s.name.clone(),
                fields: s.field_names.clone(),
            })
            .collect(),
        membranes: hir.membranes.iter().map(|m| m.name.clone()).collect(),
        kinds,
        ecosystem,
        host_functions: hir
            .host_functions
            .iter()
            .map(|h| HostFnDecl {
                name: h.name.clone(),
                arity: h.params.len(),
            })
            .collect(),
    };
    if let Err(message) = program.validate() {
        return Err(vec![Diagnostic::error(
            "E0901",
            format!("internal compiler error: {message}"),
            0..0,
        )]);
    }
    Ok(program)
}
