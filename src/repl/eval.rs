//! Evaluating a Myco line in the ecosystem's context: check it against the
//! loaded program, lower it to one extra chunk, run it on the world.

use std::sync::Arc;

use myco::compiler::check::ReplScope;
use myco::compiler::diagnostic::{ColorChoice, Diagnostic, render};
use myco::vm::interp::run_in_world;
use myco::vm::value::Value;
use myco::{CheckOptions, InstantiateError, Simulation};

/// The name a line's diagnostics and runtime errors point into.
pub const LINE_NAME: &str = "<repl>";

/// The locals a session keeps from line to line: their declarations (for
/// the checker) and their values (loaded by the next line's chunk).
#[derive(Debug, Clone, Default)]
pub struct Locals {
    scope: ReplScope,
    values: Vec<Value>,
}

/// What a line did.
pub struct LineOutcome {
    /// Warnings, rendered.
    pub warnings: Option<String>,
    /// Its `print` lines.
    pub prints: Vec<String>,
    /// The trailing expression's value, if it has one.
    pub value: Option<Value>,
}

/// Why a line did nothing.
pub enum LineError {
    /// It does not compile: the rendered diagnostics.
    Compile(String),
    /// It hit a runtime error: the message (the world is as before the
    /// line, and what it printed is discarded with its other effects).
    Runtime(String),
}

fn render_line(text: &str, diags: &[Diagnostic], color: ColorChoice) -> String {
    render(LINE_NAME, text, &[], diags, color)
}

/// Checks, lowers and runs `text` on `sim`'s world, seeing and updating
/// `locals`. A line that fails has no effect on the world or the locals.
pub fn eval_line(
    sim: &mut Simulation,
    locals: &mut Locals,
    text: &str,
    color: ColorChoice,
) -> Result<LineOutcome, LineError> {
    let compiled = sim.compiled().clone();
    let mut scope = locals.scope.clone();
    let (line, warnings) = myco::compiler::check_repl_line_in(
        &compiled.hir,
        text,
        &CheckOptions::default(),
        &mut scope,
    )
    .map_err(|diags| LineError::Compile(render_line(text, &diags, color)))?;
    let has_value = line
        .value
        .as_ref()
        .is_some_and(|v| !matches!(v.ty, myco::compiler::types::Type::Unit));
    let mut program = (*compiled.program).clone();
    let file = program.files.len() as u32;
    // Deeply nested expressions need the front end's big stack here too.
    let kept = &locals.values;
    let chunk = myco::compiler::check::with_front_end_stack(|| {
        myco::compiler::lower::repl::lower_repl_line(&compiled.hir, &line, text, file, kept)
    })
    .map_err(|diags| LineError::Compile(render_line(text, &diags, color)))?;
    let slots = line.body.locals.len();
    program.files.push(LINE_NAME.to_string());
    let function = program.functions.len() as u32;
    program.functions.push(chunk);
    if let Err(message) = program.validate() {
        return Err(LineError::Compile(format!(
            "internal error: the line did not lower to valid bytecode: {message}\n"
        )));
    }
    let program = Arc::new(program);
    let options = sim.script_options().clone();
    let before = sim.snapshot();
    match run_in_world(sim.world_mut(), &program, function, &options) {
        Ok(run) => {
            // The chunk returns `[value, slot 0, slot 1, ...]`. A line that
            // ended early (`return;`) returns `none`: its effects stand, but
            // its new locals are forgotten (their values are unknown).
            let value = match run.value {
                Value::List(list) => {
                    let mut items = list.iter().cloned();
                    let value = items.next().unwrap_or(Value::None);
                    let mut values: Vec<Value> = items.collect();
                    values.resize(slots, Value::None);
                    locals.scope = scope;
                    locals.values = values;
                    value
                }
                _ => Value::None,
            };
            Ok(LineOutcome {
                warnings: (!warnings.is_empty()).then(|| render_line(text, &warnings, color)),
                prints: run.prints,
                value: has_value.then_some(value),
            })
        }
        Err(err) => {
            sim.restore(before);
            let message = match err {
                InstantiateError::Fault { message, location } => {
                    format!("runtime error at {location}: {message}")
                }
                InstantiateError::OutOfEnergy => {
                    "runtime error: the line ran out of its instruction budget".to_string()
                }
                InstantiateError::World(m) => format!("runtime error: {m}"),
                InstantiateError::Interrupted => "the line was interrupted".to_string(),
            };
            Err(LineError::Runtime(message))
        }
    }
}
