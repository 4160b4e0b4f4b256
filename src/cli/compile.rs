//! Reading and compiling the program a subcommand was given, reporting
//! failures the same way everywhere.

use std::path::Path;

use myco::{CheckOptions, ColorChoice, Compiled, FsLoader};

use super::EXIT_COMPILE;
use super::source::read_program;

/// Reads and compiles `path`; on failure prints the message or the rendered
/// diagnostics to standard error and returns the exit status. Warnings of a
/// program that compiles are printed too.
pub fn compile_path(path: &Path) -> Result<Compiled, u8> {
    let source = read_program(path).map_err(|(msg, code)| {
        eprintln!("{msg}");
        code
    })?;
    let name = path.display().to_string();
    match myco::compile_source(&source, &name, &FsLoader, &CheckOptions::default()) {
        Ok(compiled) => {
            if !compiled.warnings.is_empty() {
                eprint!(
                    "{}",
                    compiled
                        .sources
                        .render(&compiled.warnings, ColorChoice::auto_stderr())
                );
            }
            Ok(compiled)
        }
        Err(err) => {
            eprint!("{}", err.render(ColorChoice::auto_stderr()));
            Err(EXIT_COMPILE)
        }
    }
}
