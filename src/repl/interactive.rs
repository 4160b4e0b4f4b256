//! The terminal session: rustyline editing, history across sessions,
//! completion, and a `...` prompt while a `{`, `(`, `[`, string or comment
//! is still open.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::rc::Rc;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};

use super::helper::ReplHelper;
use super::history_file::{history_path, prepare_dir};
use super::session::{Flow, Session};

/// The prompt for a new input.
pub const PROMPT: &str = "myco> ";
/// The prompt for the next line of an unfinished input.
pub const CONTINUATION: &str = "...   ";

/// Runs the session until `:quit`, Ctrl-D or a terminal error.
pub fn run(session: &mut Session) {
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot use the terminal ({e}); reading input line by line");
            super::piped::run(session, std::io::stdin().lock());
            return;
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = !no_color && std::io::stdout().is_terminal();
    let vocabulary = Rc::new(RefCell::new(session.vocabulary()));
    editor.set_helper(Some(ReplHelper::new(vocabulary.clone(), color)));
    let history = history_path();
    if let Some(path) = &history {
        // A missing or unreadable history file just means a fresh history.
        let _ = editor.load_history(path);
    }
    eprintln!("Myco REPL: `:help` lists the commands; `:quit` or Ctrl-D leaves.");
    while let Some(input) = read_input(&mut editor) {
        let entry = input.trim_end();
        if !entry.is_empty() {
            let _ = editor.add_history_entry(entry);
        }
        if session.execute(&input) == Flow::Quit {
            break;
        }
        *vocabulary.borrow_mut() = session.vocabulary();
    }
    if let Some(path) = &history {
        prepare_dir(path);
        // Failing to save the history is not an error.
        let _ = editor.save_history(path);
    }
}

/// Reads one input, over several lines while it is unfinished. `None` at
/// the end (Ctrl-D on an empty prompt, or a terminal error); Ctrl-C drops
/// what was typed and starts again.
fn read_input(editor: &mut Editor<ReplHelper, DefaultHistory>) -> Option<String> {
    let mut input = String::new();
    loop {
        let prompt = if input.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        match editor.readline(prompt) {
            Ok(line) => {
                input.push_str(&line);
                input.push('\n');
                let command = input.trim_start().starts_with(':');
                if command || !myco::compiler::parser::is_incomplete(&input) {
                    return Some(input);
                }
            }
            Err(ReadlineError::Interrupted) => input.clear(),
            Err(ReadlineError::Eof) => {
                if input.is_empty() {
                    return None;
                }
                // Ctrl-D inside an unfinished input: run it as it is (the
                // checker says what is missing).
                return Some(input);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return None;
            }
        }
    }
}
