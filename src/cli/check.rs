//! `myco check FILE`: parse and type-check, diagnostics only.

use std::path::Path;
use std::process::ExitCode;

use myco_compiler::check::{CheckOptions, FsLoader};
use myco_compiler::diagnostic::{ColorChoice, render};

use super::EXIT_COMPILE;
use super::source::read_program;

/// Runs `check`: exit 0 and no output for a clean program (warnings are shown
/// but do not fail it), 1 with every diagnostic for a program with errors.
pub fn run(path: &Path) -> ExitCode {
    let source = match read_program(path) {
        Ok(s) => s,
        Err((msg, code)) => {
            eprintln!("{msg}");
            return ExitCode::from(code);
        }
    };
    let name = path.display().to_string();
    let out = myco_compiler::check_source(&source, &name, &FsLoader, &CheckOptions::default());
    if !out.diagnostics.is_empty() {
        let text = render(
            &name,
            &source,
            &out.sources,
            &out.diagnostics,
            ColorChoice::auto_stderr(),
        );
        eprint!("{text}");
    }
    if out.program.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_COMPILE)
    }
}
