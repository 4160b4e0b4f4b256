//! The checker: name resolution, type checking, constant folding and imports.
//! It turns the parser's AST into the [`crate::hir`] program.
//!
//! Phases, each in its own module:
//! 1. [`imports`]: load the main file and everything it `use`s (cycles are
//!    errors), each file parsed once.
//! 2. [`items`]: declare every item in one global namespace (duplicates are
//!    errors), then resolve signatures: signal fields, function and method
//!    signatures, cell fields, constant types.
//! 3. [`fold`]: constants, gradient settings and field defaults are folded to
//!    values.
//! 4. [`stmt`] and [`expr`]: bodies are checked and lowered to HIR.
//!
//! Error codes are documented in `docs/diagnostics.md` ("Types and names").

mod body;
mod calls;
mod expr;
mod fold;
mod imports;
mod items;
mod literals;
pub mod loader;
mod operators;
mod repl;
mod stmt;
mod suggest;

pub use loader::{
    FsLoader, MAX_PROGRAM_BYTES, MAX_SOURCE_BYTES, MemoryLoader, NoImports, SourceLoader,
};
pub use repl::{ReplLine, ReplScope, check_repl_line, check_repl_line_in};

use std::collections::HashMap;

use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{self, CellKindId, FileId, FnId, GradientId, MembraneId, SignalKindId, Value};
use crate::types::Type;

/// A host function an embedder makes callable from Myco, with its signature.
/// Calls resolve to [`crate::hir::Callee::HostFn`] with the index of the
/// signature in [`CheckOptions::host_functions`].
#[derive(Debug, Clone, PartialEq)]
pub struct HostFnSig {
    /// The name Myco code calls it by. A program `fn` or a builtin with the
    /// same name is an error.
    pub name: String,
    /// Parameter types.
    pub params: Vec<Type>,
    /// Return type ([`Type::Unit`] for none).
    pub ret: Type,
}

/// What the embedder adds to the language.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Host functions, callable by name from any code.
    pub host_functions: Vec<HostFnSig>,
}

/// How the checker parses a file (the parser's `parse`).
pub type ParseFn = fn(&str) -> (Option<ast::Program>, Vec<Diagnostic>);

/// Everything a check produces, whether it succeeded or not.
#[derive(Debug, Clone, Default)]
pub struct CheckOutput {
    /// The checked program, when there was no error.
    pub program: Option<hir::Program>,
    /// Errors and warnings, in the order found (errors of imported files
    /// carry their `file`).
    pub diagnostics: Vec<Diagnostic>,
    /// The imported files' names and texts, for
    /// [`crate::diagnostic::render`]'s `extra_sources`.
    pub sources: Vec<(String, String)>,
}

/// Stack for parsing and checking: both recurse once per nesting level of an
/// expression, and the parser accepts up to a few hundred levels, more than
/// a 2 MiB thread (or a debug build's frames) can take. Only the pages used
/// are ever touched, so reserving a lot costs nothing.
const FRONT_END_STACK: usize = 256 << 20;

/// Runs `f` on a thread with a stack big enough for the deepest input the
/// parser accepts (inline if no thread can be started).
pub fn with_front_end_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    // The closure is shared so that it can still run inline if no thread
    // can be started (spawning consumes what it is given).
    let task = std::sync::Mutex::new(Some(f));
    let take = || task.lock().ok().and_then(|mut t| t.take());
    let from_thread = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("myco-front-end".into())
            .stack_size(FRONT_END_STACK)
            .spawn_scoped(scope, || take().map(|f| f()));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        }
    });
    match from_thread.or_else(|| take().map(|f| f())) {
        Some(r) => r,
        None => unreachable!("the front-end closure runs exactly once"),
    }
}

/// Parses `source` (named `file_name`) with `parse`, loads its imports with
/// `loader` and checks everything.
pub fn check_source(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    options: &CheckOptions,
    parse: ParseFn,
) -> CheckOutput {
    let mut loaded = imports::load_all(source, file_name, loader, parse);
    let sources = loaded
        .files
        .iter()
        .skip(1)
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let program = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        let parsed: Vec<(FileId, &ast::Program)> =
            loaded.asts.iter().map(|(f, p)| (*f, p)).collect();
        let mut checker = Checker::new(options, loaded.files.clone());
        let program = checker.check(&parsed);
        diagnostics.append(&mut checker.diags);
        program
    };
    let has_error = diagnostics.iter().any(Diagnostic::is_error);
    CheckOutput {
        program: if has_error { None } else { program },
        diagnostics,
        sources,
    }
}

/// What a global name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Global {
    Gradient(GradientId),
    Signal(SignalKindId),
    Membrane(MembraneId),
    Const(u32),
    Fn(FnId),
    Cell(CellKindId),
}

impl Global {
    /// What the thing is, for messages ("a gradient").
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Global::Gradient(_) => "a gradient",
            Global::Signal(_) => "a signal",
            Global::Membrane(_) => "a membrane",
            Global::Const(_) => "a constant",
            Global::Fn(_) => "a function",
            Global::Cell(_) => "a cell kind",
        }
    }
}

/// A global name's entry: what it is and where it was declared.
#[derive(Debug, Clone)]
pub(crate) struct GlobalEntry {
    pub what: Global,
    pub span: Span,
    pub file: FileId,
}

/// A signal's resolved fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignalInfo {
    pub name: String,
    pub fields: Vec<(String, Type)>,
    pub index: HashMap<String, u32>,
    pub span: Span,
    pub file: FileId,
}

/// A function's (or method's) signature.
#[derive(Debug, Clone)]
pub(crate) struct FnSig {
    pub name: String,
    pub params: Vec<Type>,
    pub ret: Type,
}

/// A constant: its declaration, type and (once folded) value.
#[derive(Debug, Clone)]
pub(crate) struct ConstInfo<'a> {
    pub name: String,
    pub span: Span,
    /// The declaration (absent for constants rebuilt from a checked program).
    pub decl: Option<&'a ast::ConstDecl>,
    pub file: FileId,
    pub ty: Type,
    pub state: ConstState,
}

/// Folding progress of a constant (on demand, so order does not matter;
/// `InProgress` detects cycles).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstState {
    Pending,
    InProgress,
    Done(Value),
    Failed,
}

/// A cell kind's resolved members.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellInfo {
    pub name: String,
    pub fields: Vec<hir::FieldDecl>,
    pub field_index: HashMap<String, u32>,
    pub methods: Vec<FnSig>,
    pub method_index: HashMap<String, u32>,
}

/// The checker's state across a whole program.
pub(crate) struct Checker<'a> {
    pub options: &'a CheckOptions,
    pub files: Vec<hir::SourceFile>,
    /// The file whose code is being checked (for diagnostics and spans).
    pub file: FileId,
    pub diags: Vec<Diagnostic>,
    pub globals: HashMap<String, GlobalEntry>,
    pub gradients: Vec<hir::GradientDecl>,
    pub signals: Vec<SignalInfo>,
    pub signal_names: Vec<String>,
    pub membranes: Vec<hir::MembraneDecl>,
    pub consts: Vec<ConstInfo<'a>>,
    pub fns: Vec<FnSig>,
    pub cells: Vec<CellInfo>,
    pub hosts: HashMap<String, u32>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(options: &'a CheckOptions, files: Vec<hir::SourceFile>) -> Self {
        let hosts = options
            .host_functions
            .iter()
            .enumerate()
            .map(|(i, h)| (h.name.clone(), i as u32))
            .collect();
        Checker {
            options,
            files,
            file: FileId(0),
            diags: Vec::new(),
            globals: HashMap::new(),
            gradients: Vec::new(),
            signals: Vec::new(),
            signal_names: Vec::new(),
            membranes: Vec::new(),
            consts: Vec::new(),
            fns: Vec::new(),
            cells: Vec::new(),
            hosts,
        }
    }

    /// Records a diagnostic in the current file.
    pub(crate) fn emit(&mut self, mut d: Diagnostic) {
        if self.file != FileId(0) {
            d.file = self.files.get(self.file.0 as usize).map(|f| f.name.clone());
        }
        self.diags.push(d);
    }

    /// True once any error was reported.
    pub(crate) fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }

    /// A type as Myco writes it.
    pub(crate) fn show(&self, ty: &Type) -> String {
        ty.display(&self.signal_names).to_string()
    }

    /// The source text of `span` in the current file (empty if out of range).
    pub(crate) fn text(&self, span: &Span) -> &str {
        self.files
            .get(self.file.0 as usize)
            .and_then(|f| f.text.get(span.clone()))
            .unwrap_or("")
    }

    /// Resolves a written type.
    pub(crate) fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        match &t.kind {
            ast::TypeKind::Int => Type::Int,
            ast::TypeKind::Float => Type::Float,
            ast::TypeKind::Bool => Type::Bool,
            ast::TypeKind::Str => Type::Str,
            ast::TypeKind::Vec => Type::Vec,
            ast::TypeKind::Cell => Type::Cell,
            ast::TypeKind::Gradient => Type::Gradient,
            ast::TypeKind::Reading => Type::Reading,
            ast::TypeKind::List(inner) => Type::list(self.resolve_type(inner)),
            ast::TypeKind::Optional(inner) => Type::optional(self.resolve_type(inner)),
            ast::TypeKind::Error => Type::Error,
            ast::TypeKind::Named(id) => match self.globals.get(&id.name).map(|g| g.what) {
                Some(Global::Signal(s)) => Type::Signal(s),
                Some(other) => {
                    self.emit(
                        Diagnostic::error(
                            "E0202",
                            format!("`{}` is {}, not a type", id.name, other.describe()),
                            id.span.clone(),
                        )
                        .with_label("expected a type")
                        .with_note(
                            "types are int float bool str vec cell gradient reading [T] T? and signal names",
                        ),
                    );
                    Type::Error
                }
                None => {
                    let mut d = Diagnostic::error(
                        "E0202",
                        format!("unknown type `{}`", id.name),
                        id.span.clone(),
                    )
                    .with_label("not a type");
                    let candidates = self
                        .signal_names
                        .iter()
                        .map(String::as_str)
                        .chain(suggest::BUILTIN_TYPES.iter().copied());
                    if let Some(s) = suggest::closest(&id.name, candidates) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    self.emit(d);
                    Type::Error
                }
            },
        }
    }

    /// Runs every phase over the parsed files and builds the program.
    fn check(&mut self, parsed: &[(FileId, &'a ast::Program)]) -> Option<hir::Program> {
        let decls = items::declare(self, parsed);
        items::resolve_signatures(self, &decls);
        items::fold_gradients(self, &decls);
        for i in 0..self.consts.len() {
            fold::const_value(self, i as u32);
        }
        let functions = items::check_functions(self, &decls);
        let cells = items::check_cells(self, &decls);
        let ecosystem = items::check_ecosystem(self, &decls);
        let program = hir::Program {
            files: self.files.clone(),
            gradients: self.gradients.clone(),
            signals: self
                .signals
                .iter()
                .map(|s| hir::SignalDecl {
                    name: s.name.clone(),
                    field_names: s.fields.iter().map(|(n, _)| n.clone()).collect(),
                    field_types: s.fields.iter().map(|(_, t)| t.clone()).collect(),
                    span: s.span.clone(),
                    file: s.file,
                })
                .collect(),
            membranes: self.membranes.clone(),
            consts: self
                .consts
                .iter()
                .map(|c| hir::ConstDecl {
                    name: c.name.clone(),
                    ty: c.ty.clone(),
                    value: match &c.state {
                        ConstState::Done(v) => v.clone(),
                        _ => Value::None,
                    },
                    span: c.span.clone(),
                    file: c.file,
                })
                .collect(),
            functions,
            cells,
            ecosystem,
            host_functions: self.options.host_functions.clone(),
        };
        if self.has_errors() {
            None
        } else {
            Some(program)
        }
    }
}
