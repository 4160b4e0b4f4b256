//! The Myco front end: lexer → parser → checker → lowering.
//!
//! Each phase lives in its own module; [`diagnostic`] is shared by all of them.

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod hir;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod types;

use check::{CheckOptions, CheckOutput, SourceLoader};
use diagnostic::Diagnostic;

/// Parses and checks a program: `source` is the main file's text,
/// `file_name` its name (diagnostics show it; imports are relative to it),
/// `loader` reads `use "path";` imports.
///
/// `Ok((program, warnings))`, or `Err(diagnostics)` with every error and
/// warning (those of imported files carry their `file`; use
/// [`check_source`] to also get the imported files' text for rendering).
pub fn check_program(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    options: &CheckOptions,
) -> Result<(hir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let out = check_source(source, file_name, loader, options);
    match out.program {
        Some(program) => Ok((program, out.diagnostics)),
        None => Err(out.diagnostics),
    }
}

/// Parses, checks and lowers a program to bytecode: the whole front end.
///
/// `Ok((program, warnings))` ready for [`myco_vm::interp::instantiate`], or
/// `Err(diagnostics)` (errors and warnings; render them with
/// [`diagnostic::render`], using [`check_source`] for imported files' text).
pub fn compile(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    options: &CheckOptions,
) -> Result<(std::sync::Arc<myco_vm::program::Program>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (hir, warnings) = check_program(source, file_name, loader, options)?;
    match lower::lower(&hir) {
        Ok(program) => Ok((std::sync::Arc::new(program), warnings)),
        Err(mut errors) => {
            errors.extend(warnings);
            Err(errors)
        }
    }
}

/// Like [`check_program`], but returns everything: the program (if no
/// error), all diagnostics, and the imported files' names and texts (the
/// `extra_sources` of [`diagnostic::render`]).
pub fn check_source(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    options: &CheckOptions,
) -> CheckOutput {
    check::with_front_end_stack(|| {
        check::check_source(source, file_name, loader, options, parser::parse)
    })
}

/// Parses and checks one REPL line against a checked program, without
/// locals from earlier lines (see [`check::check_repl_line`]).
pub fn check_repl_line(
    program: &hir::Program,
    line: &str,
    options: &CheckOptions,
) -> Result<(check::ReplLine, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut scope = check::ReplScope::default();
    check::with_front_end_stack(|| repl_line(program, line, options, &mut scope))
}

/// Parses and checks one REPL line, seeing (and extending, on success) the
/// locals of earlier lines kept in `scope` (see [`check::ReplScope`]).
pub fn check_repl_line_in(
    program: &hir::Program,
    line: &str,
    options: &CheckOptions,
    scope: &mut check::ReplScope,
) -> Result<(check::ReplLine, Vec<Diagnostic>), Vec<Diagnostic>> {
    check::with_front_end_stack(|| repl_line(program, line, options, scope))
}

fn repl_line(
    program: &hir::Program,
    line: &str,
    options: &CheckOptions,
    scope: &mut check::ReplScope,
) -> Result<(check::ReplLine, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (input, mut diags) = parser::parse_repl_line(line);
    let Some(input) = input else {
        return Err(diags);
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    match check::check_repl_line_in(program, &input, line, options, scope) {
        Ok((l, mut w)) => {
            diags.append(&mut w);
            Ok((l, diags))
        }
        Err(mut e) => {
            diags.append(&mut e);
            Err(diags)
        }
    }
}
