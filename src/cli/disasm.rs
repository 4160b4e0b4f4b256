//! `myco disasm FILE`: the program's bytecode with each opcode's energy cost.

use std::path::Path;
use std::process::ExitCode;

use super::compile::compile_path;

/// Runs `disasm`.
pub fn run(path: &Path) -> ExitCode {
    match compile_path(path) {
        Ok(compiled) => {
            print!(
                "{}",
                myco::vm::bytecode::disassemble_program(&compiled.program)
            );
            ExitCode::SUCCESS
        }
        Err(code) => ExitCode::from(code),
    }
}
