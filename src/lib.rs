//! `myco`: the library facade for embedding Myco in a Rust program.
//!
//! ```no_run
//! let compiled = myco::compile_file("examples/hello.myco").map_err(|e| e.to_string())?;
//! let mut sim = myco::Simulation::new(&compiled, &myco::RunOptions::default())
//!     .map_err(|e| e.to_string())?;
//! for line in sim.take_prints() { println!("{line}"); }
//! let report = sim.tick();
//! for line in report.prints { println!("{line}"); }
//! # Ok::<(), String>(())
//! ```
//!
//! The phases are re-exported as [`compiler`] and [`vm`] for hosts that need
//! more than this facade.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub mod checkpoint;
pub mod memory;
mod value_check;

pub use myco_compiler as compiler;
pub use myco_vm as vm;

pub use myco_compiler::check::{CheckOptions, FsLoader, MemoryLoader, NoImports, SourceLoader};
pub use myco_compiler::diagnostic::{ColorChoice, Diagnostic};
pub use myco_compiler::types::Type;
pub use myco_vm::interp::{HostFunctions, InstantiateError, InterruptHandle, RunOptions};
pub use myco_vm::runtime::{
    Cell, CellContext, CellInfo, Event, EventKind, MetabolismResult, SpawnOptions, TickReport,
    World,
};
pub use myco_vm::value::{CellId, GradientId, Reading, Record, SignalKindId, Value, Vec2};

/// A program that compiled: its bytecode, its checked form (for the REPL's
/// lines) and any warnings.
#[derive(Clone)]
pub struct Compiled {
    /// The bytecode program every script cell shares.
    pub program: Arc<myco_vm::program::Program>,
    /// The checked program (REPL lines are checked against it).
    pub hir: Arc<myco_compiler::hir::Program>,
    /// Warnings (the program compiled anyway).
    pub warnings: Vec<Diagnostic>,
    /// The main file's name and text and the imported files' (to render warnings).
    pub sources: Sources,
}

/// The texts diagnostics point into.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The main file's name.
    pub main_name: String,
    /// The main file's text.
    pub main_text: String,
    /// Imported files' names and texts.
    pub imported: Vec<(String, String)>,
}

impl Sources {
    /// Renders `diagnostics` against these texts, as `myco check` shows them.
    pub fn render(&self, diagnostics: &[Diagnostic], color: ColorChoice) -> String {
        myco_compiler::diagnostic::render(
            &self.main_name,
            &self.main_text,
            &self.imported,
            diagnostics,
            color,
        )
    }
}

/// A program that did not compile. `Display` renders its diagnostics as the
/// CLI does (plain text); [`CompileError::render`] can add colour.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// What they point into.
    pub sources: Sources,
}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compiled")
            .field("file", &self.sources.main_name)
            .field("functions", &self.program.functions.len())
            .field("warnings", &self.warnings.len())
            .finish_non_exhaustive()
    }
}

impl Compiled {
    /// Whether a value made in Rust is a value of Myco type `ty` in this
    /// program (lists element by element, signal records field by field,
    /// gradients among the declared ones): what the type checker would
    /// have guaranteed for a value made in Myco.
    pub fn value_fits(&self, value: &Value, ty: &Type) -> bool {
        value_check::ValueCheck::new(self).fits(value, ty)
    }
}

impl CompileError {
    /// The diagnostics rendered with source excerpts.
    pub fn render(&self, color: ColorChoice) -> String {
        self.sources.render(&self.diagnostics, color)
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(ColorChoice::Never))
    }
}

impl std::error::Error for CompileError {}

/// Compiles a program from its text; `use "path";` imports are read by `loader`.
pub fn compile_source(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    options: &CheckOptions,
) -> Result<Compiled, CompileError> {
    let out = myco_compiler::check_source(source, file_name, loader, options);
    let sources = Sources {
        main_name: file_name.to_string(),
        main_text: source.to_string(),
        imported: out.sources,
    };
    let Some(hir) = out.program else {
        return Err(CompileError {
            diagnostics: out.diagnostics,
            sources,
        });
    };
    // Lowering recurses over expressions as deep as the parser accepts: give
    // it the same big stack the checker runs on.
    let lowered = myco_compiler::check::with_front_end_stack(|| myco_compiler::lower::lower(&hir));
    match lowered {
        Ok(program) => Ok(Compiled {
            program: Arc::new(program),
            hir: Arc::new(hir),
            warnings: out.diagnostics,
            sources,
        }),
        Err(mut errors) => {
            errors.extend(out.diagnostics);
            Err(CompileError {
                diagnostics: errors,
                sources,
            })
        }
    }
}

/// Compiles a program from a string with no file imports.
pub fn compile(source: &str) -> Result<Compiled, CompileError> {
    compile_source(source, "<source>", &NoImports, &CheckOptions::default())
}

/// Why a file could not be compiled: it could not be read, or it has errors.
#[derive(Debug)]
pub enum FileError {
    /// The file could not be read (missing, a directory, not UTF-8).
    Read(String),
    /// The program has errors.
    Compile(CompileError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Read(m) => f.write_str(m),
            FileError::Compile(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads and compiles a `.myco` file; its imports are relative to it.
pub fn compile_file(path: impl AsRef<Path>) -> Result<Compiled, FileError> {
    let path = path.as_ref();
    let source = std::fs::read_to_string(path)
        .map_err(|e| FileError::Read(format!("cannot read `{}`: {e}", path.display())))?;
    compile_source(
        &source,
        &path.display().to_string(),
        &FsLoader,
        &CheckOptions::default(),
    )
    .map_err(FileError::Compile)
}

/// An embedder's Myco: the host functions it adds to the language, used to
/// compile programs (their signatures are type-checked) and to run them
/// (their code is called).
///
/// ```
/// use myco::{Engine, Type, Value};
/// let mut engine = Engine::new();
/// engine.register_fn("twice", &[Type::Int], Type::Int, |args| match args {
///     [Value::Int(n)] => n.checked_mul(2).map(Value::Int).ok_or("overflow".to_string()),
///     _ => Err("twice: expected an int".to_string()),
/// });
/// let compiled = engine
///     .compile("cell A { metabolism { print(twice(21)); die; } } ecosystem { spawn A; }")
///     .map_err(|e| e.to_string())?;
/// let mut sim = engine.simulate(&compiled, myco::RunOptions::default()).map_err(|e| e.to_string())?;
/// assert_eq!(sim.tick().prints, vec!["42".to_string()]);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Engine {
    check: CheckOptions,
    host: HostFunctions,
}

impl Engine {
    /// An engine with no host functions.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Makes `name(params) -> ret` callable from Myco code. The function must
    /// be pure: turns run in parallel, and a run must stay deterministic. An
    /// `Err(message)` is a runtime error of the calling cell (it faults).
    pub fn register_fn(
        &mut self,
        name: &str,
        params: &[Type],
        ret: Type,
        f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> &mut Engine {
        self.check.host_functions.retain(|h| h.name != name);
        self.check
            .host_functions
            .push(myco_compiler::check::HostFnSig {
                name: name.to_string(),
                params: params.to_vec(),
                ret,
            });
        self.host.register(name, f);
        self
    }

    /// Compiles a program from a string (no file imports).
    pub fn compile(&self, source: &str) -> Result<Compiled, CompileError> {
        compile_source(source, "<source>", &NoImports, &self.check)
    }

    /// Compiles a program from a string named `file_name`, reading imports with `loader`.
    pub fn compile_with(
        &self,
        source: &str,
        file_name: &str,
        loader: &dyn SourceLoader,
    ) -> Result<Compiled, CompileError> {
        compile_source(source, file_name, loader, &self.check)
    }

    /// Reads and compiles a `.myco` file; its imports are relative to it.
    pub fn compile_file(&self, path: impl AsRef<Path>) -> Result<Compiled, FileError> {
        let path = path.as_ref();
        let source = std::fs::read_to_string(path)
            .map_err(|e| FileError::Read(format!("cannot read `{}`: {e}", path.display())))?;
        compile_source(&source, &path.display().to_string(), &FsLoader, &self.check)
            .map_err(FileError::Compile)
    }

    /// Builds the world of a compiled program with this engine's host functions.
    pub fn simulate(
        &self,
        compiled: &Compiled,
        mut options: RunOptions,
    ) -> Result<Simulation, InstantiateError> {
        options.host_functions = self.host.clone();
        Simulation::new(compiled, &options)
    }
}

/// Why [`Simulation::try_tick`] did not run a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The interrupt ([`RunOptions::interrupt`]) was raised.
    Interrupted,
    /// [`RunOptions::time_limit`] passed.
    TimeLimit,
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stopped::Interrupted => "interrupted",
            Stopped::TimeLimit => "time limit reached",
        })
    }
}

/// A running ecosystem: a world built from a compiled program.
pub struct Simulation {
    compiled: Compiled,
    instance: myco_vm::interp::Instance,
}

impl Simulation {
    /// Builds the world: declarations, then the `ecosystem` block.
    pub fn new(compiled: &Compiled, options: &RunOptions) -> Result<Simulation, InstantiateError> {
        let instance = myco_vm::interp::instantiate(compiled.program.clone(), options)?;
        Ok(Simulation {
            compiled: compiled.clone(),
            instance,
        })
    }

    /// The program this simulation runs.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The lines printed by the ecosystem block (empty after the first call).
    pub fn take_prints(&mut self) -> Vec<String> {
        std::mem::take(&mut self.instance.prints)
    }

    /// Runs one tick.
    pub fn tick(&mut self) -> TickReport {
        self.instance.world.tick()
    }

    /// Runs one tick unless the run's interrupt is raised or its
    /// [`RunOptions::time_limit`] passes before or while its turns run:
    /// then the world stays as it was before this tick (a tick cut short is
    /// discarded whole) and the reason comes back. With neither an
    /// interrupt nor a time limit it is [`Simulation::tick`].
    pub fn try_tick(&mut self) -> Result<TickReport, Stopped> {
        if let Some(why) = self.stopped() {
            return Err(why);
        }
        let Some(handle) = self.instance.script_options.limits.interrupt.clone() else {
            return Ok(self.tick());
        };
        // Abandoned after the turns if the flag went up during them (some
        // turn may have been cut short); raised later, the tick is whole.
        match self.instance.world.tick_unless(&|| handle.is_set()) {
            Some(report) => Ok(report),
            None => Err(self.stopped().unwrap_or(Stopped::Interrupted)),
        }
    }

    /// Why the run must stop, if it must: the interrupt was raised, or the
    /// time limit passed.
    pub fn stopped(&self) -> Option<Stopped> {
        let handle = self.instance.script_options.limits.interrupt.as_ref()?;
        if handle.is_interrupted() {
            Some(Stopped::Interrupted)
        } else if handle.deadline_passed() {
            Some(Stopped::TimeLimit)
        } else {
            None
        }
    }

    /// The world (cells, settings, counters, dumps).
    pub fn world(&self) -> &World {
        &self.instance.world
    }

    /// The world, mutably (host spawns, settings).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.instance.world
    }

    /// An O(1) snapshot of the whole ecosystem.
    pub fn snapshot(&self) -> World {
        self.instance.world.snapshot()
    }

    /// Goes back to a snapshot; ticking on gives the same states as before.
    pub fn restore(&mut self, snapshot: World) {
        self.instance.world.restore(snapshot);
    }

    /// Puts a cell written in Rust into the ecosystem (its first turn is the
    /// next tick). It pays the same costs as Myco cells. `None` when refused
    /// (`world.max_cells`, a non-finite position or energy).
    pub fn spawn_native(
        &mut self,
        cell: impl Cell + 'static,
        options: SpawnOptions,
    ) -> Option<CellId> {
        self.instance.world.spawn(Box::new(cell), options, None)
    }

    /// Spawns a cell of a Myco kind from the host, with its fields at their
    /// defaults except `overrides` (by field name). `None` for an unknown
    /// kind or field, a refused spawn, or a value not of the field's type.
    pub fn spawn_kind(
        &mut self,
        kind: &str,
        overrides: &[(&str, Value)],
        options: SpawnOptions,
    ) -> Option<CellId> {
        let program = &self.compiled.program;
        let kind_id = program.kind_named(kind)?;
        let decl = self.compiled.hir.cells.get(kind_id as usize)?;
        let mut fields: Vec<Value> = decl.fields.iter().map(|f| f.default.clone()).collect();
        for (name, value) in overrides {
            let index = decl.fields.iter().position(|f| f.name == *name)?;
            if !self.compiled.value_fits(value, &decl.fields[index].ty) {
                return None;
            }
            fields[index] = value.clone();
        }
        let cell = myco_vm::interp::ScriptCell::new(
            program.clone(),
            self.instance.script_options.clone(),
            kind_id,
            fields,
        );
        self.instance.world.spawn(Box::new(cell), options, None)
    }

    /// A living cell's field by name.
    pub fn field(&self, id: CellId, name: &str) -> Option<Value> {
        let cell = self.instance.world.cell(id)?;
        cell.fields()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// The options script cells share (for cells a host spawns later).
    pub fn script_options(&self) -> &Arc<myco_vm::interp::ScriptOptions> {
        &self.instance.script_options
    }
}
