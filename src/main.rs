//! The `myco` command line: `run`, `check`, `repl`, `disasm`, `costs`.
//!
//! Exit status (LANGUAGE.md §7): 0 success, 1 a program that does not compile,
//! 2 a usage error (bad arguments, a missing file). Only the program's `print`
//! lines go to standard output; everything else goes to standard error.

mod cli;
mod repl;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
