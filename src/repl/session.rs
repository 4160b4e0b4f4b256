//! One REPL session: the loaded program, its running world, the tick
//! history for `:back`, and the execution of one input (a command or a
//! Myco line). Results go to standard output, errors and notices to
//! standard error (see `docs/repl.md`, "Transcript").

use std::collections::VecDeque;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use myco::compiler::diagnostic::ColorChoice;
use myco::vm::runtime::EventKind;
use myco::{
    CellId, CheckOptions, Compiled, Event, NoImports, RunOptions, Simulation, Value, World,
};

use super::command::{self, COMMANDS, CellRef, Command};
use super::eval::{LineError, LineOutcome, Locals, eval_line};
use super::interrupt::Interrupt;
use super::view;

/// How many ticks `:back` can undo: older snapshots are dropped so a long
/// `:tick` keeps memory bounded.
pub const MAX_HISTORY: usize = 10_000;

/// `:tick` runs of at least this many ticks show a progress bar (on a terminal).
const PROGRESS_MIN_TICKS: u64 = 200;

/// What to do after an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Read the next input.
    Continue,
    /// End the session.
    Quit,
}

/// Names tab completion offers: cell kinds, gradients and living cell ids.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Cell kind names.
    pub kinds: Vec<String>,
    /// Gradient names.
    pub gradients: Vec<String>,
    /// Living cells' ids, as `#7`.
    pub ids: Vec<String>,
}

/// A running session.
pub struct Session {
    sim: Simulation,
    /// World states before each of the last ticks (newest last).
    history: VecDeque<World>,
    /// The `let`s of earlier lines (kept across `:tick` and `:back`,
    /// cleared by `:load`).
    locals: Locals,
    interrupt: Interrupt,
    color: ColorChoice,
    /// How worlds are built (`--set` overrides), also on `:load`.
    options: RunOptions,
}

/// Writes `text` to standard output (a closed pipe is ignored: the session
/// ends when its input does).
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` to standard error.
fn err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

fn lines(list: &[String]) -> String {
    let mut s = String::new();
    for line in list {
        s.push_str(line);
        s.push('\n');
    }
    s
}

impl Session {
    /// Starts a session on `file` (or an empty program), running its
    /// ecosystem block and showing what it printed. On failure the
    /// diagnostics or message are shown and the exit status returned.
    pub fn start(
        file: Option<&Path>,
        interrupt: Interrupt,
        options: RunOptions,
    ) -> Result<Session, u8> {
        let compiled = match file {
            Some(path) => crate::cli::compile::compile_path(path)?,
            None => myco::compile_source("", "<empty>", &NoImports, &CheckOptions::default())
                .map_err(|e| {
                    err(&e.to_string());
                    crate::cli::EXIT_COMPILE
                })?,
        };
        let sim = instantiate(&compiled, &options).map_err(|m| {
            err(&format!("error: {m}\n"));
            crate::cli::EXIT_COMPILE
        })?;
        let mut session = Session {
            sim,
            history: VecDeque::new(),
            locals: Locals::default(),
            interrupt,
            color: ColorChoice::auto_stderr(),
            options,
        };
        let prints = session.sim.take_prints();
        out(&lines(&prints));
        Ok(session)
    }

    /// The world as it stands.
    pub fn world(&self) -> &World {
        self.sim.world()
    }

    /// The names completion offers now.
    pub fn vocabulary(&self) -> Vocabulary {
        let program = &self.sim.compiled().program;
        Vocabulary {
            kinds: program.kinds.iter().map(|k| k.name.clone()).collect(),
            gradients: program.gradients.iter().map(|g| g.name.clone()).collect(),
            ids: self.world().cells().map(|c| c.id().to_string()).collect(),
        }
    }

    /// Runs one input: a `:` command, or a Myco line (possibly several
    /// lines of one statement). Blank input does nothing.
    pub fn execute(&mut self, input: &str) -> Flow {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Flow::Continue;
        }
        if trimmed.starts_with(':') {
            match command::parse(trimmed) {
                Ok(cmd) => self.command(cmd),
                Err(message) => {
                    err(&format!("error: {message}\n"));
                    Flow::Continue
                }
            }
        } else {
            self.line(input);
            Flow::Continue
        }
    }

    fn command(&mut self, cmd: Command) -> Flow {
        match cmd {
            Command::Quit => return Flow::Quit,
            Command::Help => out(&help()),
            Command::Costs => out(&crate::cli::costs::render()),
            Command::Tick(n) => self.tick(n),
            Command::Back(n) => self.back(n),
            Command::Load(path) => self.load(&path),
            Command::Save(path) => match self.sim.save_checkpoint(&path) {
                Ok(()) => err(&format!("saved {} to {}\n", self.status(), path.display())),
                Err(e) => err(&format!("error: {e}\n")),
            },
            Command::Restore(path) => self.restore(&path),
            Command::Cells(kind) => {
                if let Some(k) = &kind
                    && !self.knows_kind(k)
                {
                    err(&format!("error: no cell kind named `{k}`\n"));
                } else {
                    out(&view::cells_table(self.world(), kind.as_deref()));
                }
            }
            Command::Inspect(cell) => match self.resolve(&cell) {
                Ok(id) => match view::inspect(self.world(), id) {
                    Some(text) => out(&text),
                    None => err(&format!("error: no living cell {id}\n")),
                },
                Err(m) => err(&format!("error: {m}\n")),
            },
            Command::Sense(cell, g) => {
                match self
                    .resolve(&cell)
                    .and_then(|id| view::sense(self.world(), id, &g))
                {
                    Ok(text) => out(&text),
                    Err(m) => err(&format!("error: {m}\n")),
                }
            }
            Command::Disasm(kind) => match self.disasm(&kind) {
                Some(text) => out(&text),
                None => err(&format!("error: no cell kind named `{kind}`\n")),
            },
        }
        Flow::Continue
    }

    /// The id a command's cell argument stands for: an id, or the value of
    /// a local of the session (read by running the line `NAME`).
    fn resolve(&mut self, cell: &CellRef) -> Result<CellId, String> {
        let name = match cell {
            CellRef::Id(id) => return Ok(*id),
            CellRef::Local(name) => name,
        };
        let not_a_cell = || format!("`{name}` is not a cell id or a local holding a cell");
        match eval_line(&mut self.sim, &mut self.locals, name, ColorChoice::Never) {
            Ok(LineOutcome {
                value: Some(Value::Cell(id)),
                ..
            }) => Ok(id),
            _ => Err(not_a_cell()),
        }
    }

    fn knows_kind(&self, kind: &str) -> bool {
        self.sim.compiled().program.kind_named(kind).is_some()
    }

    /// The disassembly of every chunk of `kind` (methods, metabolism,
    /// `on spawn`, `on apoptosis`, handlers: their chunks are named `KIND.…`).
    fn disasm(&self, kind: &str) -> Option<String> {
        if !self.knows_kind(kind) {
            return None;
        }
        let program = &self.sim.compiled().program;
        let prefix = format!("{kind}.");
        let mut text = String::new();
        for (i, chunk) in program.functions.iter().enumerate() {
            if chunk.name.starts_with(&prefix) {
                text.push_str(&format!("[fn {i}] "));
                text.push_str(&myco::vm::bytecode::disassemble(chunk, Some(program)));
                text.push('\n');
            }
        }
        Some(text)
    }

    fn line(&mut self, text: &str) {
        match eval_line(&mut self.sim, &mut self.locals, text, self.color) {
            Ok(outcome) => {
                if let Some(w) = outcome.warnings {
                    err(&w);
                }
                out(&lines(&outcome.prints));
                if let Some(value) = outcome.value {
                    let world = self.sim.world();
                    out(&format!(
                        "{}\n",
                        view::show_value(&value, world.names(), true)
                    ));
                }
            }
            Err(LineError::Compile(rendered)) => err(&rendered),
            Err(LineError::Runtime(message)) => err(&format!("error: {message}\n")),
        }
    }

    fn status(&self) -> String {
        let world = self.world();
        let n = world.len();
        let cells = if n == 1 { "cell" } else { "cells" };
        format!("tick {}, {n} {cells} alive", world.tick_count())
    }

    fn tick(&mut self, n: u64) {
        let bar = progress_bar(n);
        let stdout = std::io::stdout();
        let to_terminal = stdout.is_terminal();
        let mut sink = BufWriter::new(stdout.lock());
        let (born, died) = {
            let c = self.world().counters();
            (c.born, c.died())
        };
        self.interrupt.begin_ticking();
        let mut interrupted = false;
        for _ in 0..n {
            if self.interrupt.requested() {
                interrupted = true;
                break;
            }
            if self.history.len() >= MAX_HISTORY {
                self.history.pop_front();
            }
            self.history.push_back(self.sim.snapshot());
            let report = self.sim.tick();
            if !report.prints.is_empty() {
                let mut write = || {
                    for line in &report.prints {
                        let _ = writeln!(sink, "{line}");
                    }
                    if to_terminal {
                        let _ = sink.flush();
                    }
                };
                match &bar {
                    Some(bar) => bar.suspend(write),
                    None => write(),
                }
            }
            let faults = fault_lines(&report.events);
            if !faults.is_empty() {
                match &bar {
                    Some(bar) => bar.suspend(|| err(&faults)),
                    None => err(&faults),
                }
            }
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
        self.interrupt.end_ticking();
        let _ = sink.flush();
        drop(sink);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let c = self.world().counters();
        let (born, died) = (c.born - born.min(c.born), c.died() - died.min(c.died()));
        let changes = match (born, died) {
            (0, 0) => String::new(),
            (b, 0) => format!(" ({b} born)"),
            (0, d) => format!(" ({d} died)"),
            (b, d) => format!(" ({b} born, {d} died)"),
        };
        let status = self.status();
        if interrupted {
            err(&format!("interrupted: {status}{changes}\n"));
        } else {
            err(&format!("{status}{changes}\n"));
        }
    }

    fn back(&mut self, n: u64) {
        let available = self.history.len() as u64;
        if n == 0 {
            err(&format!("{}\n", self.status()));
            return;
        }
        if n > available {
            err(&format!(
                "error: cannot go back {n} tick(s): the history holds {available}\n"
            ));
            return;
        }
        let keep = (available - n) as usize;
        let mut dropped = self.history.split_off(keep);
        if let Some(state) = dropped.pop_front() {
            self.sim.restore(state);
        }
        err(&format!("back at {}\n", self.status()));
    }

    fn restore(&mut self, path: &Path) {
        let restored = std::fs::read(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
            .and_then(|bytes| {
                Simulation::resume(self.sim.compiled(), &bytes, &self.options)
                    .map_err(|e| e.to_string())
            });
        match restored {
            Ok(sim) => {
                self.sim = sim;
                self.history.clear();
                err(&format!("restored {}: {}\n", path.display(), self.status()));
            }
            Err(m) => err(&format!(
                "error: {m}\nerror: nothing restored; the session goes on as before\n"
            )),
        }
    }

    fn load(&mut self, path: &Path) {
        let Ok(compiled) = crate::cli::compile::compile_path(path) else {
            err("error: nothing loaded; the session goes on as before\n");
            return;
        };
        match instantiate(&compiled, &self.options) {
            Ok(mut sim) => {
                let prints = sim.take_prints();
                self.sim = sim;
                self.history.clear();
                self.locals = Locals::default();
                out(&lines(&prints));
                err(&format!("loaded {}: {}\n", path.display(), self.status()));
            }
            Err(m) => err(&format!(
                "error: {m}\nerror: nothing loaded; the session goes on as before\n"
            )),
        }
    }
}

/// One stderr line per fault among `events`: `tick T: #ID faulted: message at file:line:col`.
fn fault_lines(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        if let EventKind::Fault {
            cell,
            message,
            location,
        } = &event.kind
        {
            text.push_str(&format!("tick {}: {cell} faulted: {message}", event.tick));
            if let Some(loc) = location {
                text.push_str(&format!(" at {loc}"));
            }
            text.push('\n');
        }
    }
    text
}

fn instantiate(compiled: &Compiled, options: &RunOptions) -> Result<Simulation, String> {
    Simulation::new(compiled, options).map_err(|e| e.to_string())
}

fn progress_bar(ticks: u64) -> Option<indicatif::ProgressBar> {
    if ticks < PROGRESS_MIN_TICKS || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(ticks);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} tick {pos}/{len} [{bar:30}] {per_sec} eta {eta} (Ctrl-C stops)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// The `:help` text.
pub fn help() -> String {
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + 1 + c.args.len())
        .max()
        .unwrap_or(0);
    let mut s = String::from("Commands (an ID is 7, #7, or a local holding a cell):\n");
    for c in COMMANDS {
        let head = format!("{} {}", c.name, c.args);
        s.push_str(&format!("  {head:<width$}  {}\n", c.about));
    }
    s.push_str(
        "Any other line is Myco run in the ecosystem's context (spawn, world.*, print, let);\n\
         an expression without `;` at the end shows its value. An unclosed `{` continues\n\
         on the next line.\n",
    );
    s
}
