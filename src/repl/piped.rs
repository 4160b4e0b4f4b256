//! Input that is not a terminal: read line by line, no prompt, no echo, so a
//! session can be scripted (`myco repl < session.txt`).

use std::io::BufRead;

use super::session::{Flow, Session};

/// Runs every input of `input` (until `:quit` or its end). A Myco line
/// whose brackets, string or comment are still open takes the next lines
/// too, as the interactive `...` prompt would.
pub fn run(session: &mut Session, input: impl BufRead) {
    let mut pending = String::new();
    for line in input.lines() {
        let Ok(line) = line else {
            break;
        };
        if pending.is_empty() && line.trim_start().starts_with(':') {
            if session.execute(&line) == Flow::Quit {
                return;
            }
            continue;
        }
        pending.push_str(&line);
        pending.push('\n');
        if myco::compiler::parser::is_incomplete(&pending) {
            continue;
        }
        let text = std::mem::take(&mut pending);
        if session.execute(&text) == Flow::Quit {
            return;
        }
    }
    if !pending.trim().is_empty() {
        // End of input inside an open bracket: the checker says what is missing.
        session.execute(&pending);
    }
}
