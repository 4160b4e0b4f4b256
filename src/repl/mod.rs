//! `myco repl [FILE]`: an interactive session on a running ecosystem
//! (LANGUAGE.md §8). Commands start with `:`; any other input is Myco run in
//! the ecosystem's context. On a terminal the input is edited with
//! rustyline (history, completion, `...` continuation); otherwise it is read
//! line by line, so sessions can be scripted. See `docs/repl.md`.

mod command;
mod eval;
mod helper;
mod history_file;
mod interactive;
mod interrupt;
mod piped;
mod session;
mod view;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use interrupt::Interrupt;
use session::Session;

/// Runs the REPL on `file` (or an empty program). Exit status 0 when the
/// session ends; 1 or 2 when `file` does not compile or cannot be read.
pub fn run(file: Option<&Path>) -> ExitCode {
    let terminal = std::io::stdin().is_terminal();
    let interrupt = Interrupt::install(!terminal);
    let mut session = match Session::start(file, interrupt) {
        Ok(s) => s,
        Err(code) => return ExitCode::from(code),
    };
    if terminal {
        interactive::run(&mut session);
    } else {
        piped::run(&mut session, std::io::stdin().lock());
    }
    ExitCode::SUCCESS
}
