//! The `myco` command line: `run`, `check`, `repl`, `disasm`, `costs`.
//!
//! Exit status (LANGUAGE.md §7): 0 success, 1 a program that does not compile,
//! 2 a usage error (bad arguments, a missing file). Only the program's `print`
//! lines go to standard output; everything else goes to standard error.

mod cli;
mod repl;

use std::process::ExitCode;

/// Counts heap bytes so `myco run --max-memory` can bound a run.
#[global_allocator]
static ALLOC: myco::memory::CountingAlloc = myco::memory::CountingAlloc;

fn main() -> ExitCode {
    myco::memory::CountingAlloc::mark_installed();
    cli::main()
}
