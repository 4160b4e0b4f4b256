//! `myco run FILE`: run the ecosystem, write its print lines to standard
//! output, a summary (and a progress bar on a terminal) to standard error.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use myco::{Compiled, RunOptions, Simulation};

use super::compile::compile_path;
use super::guard::{EXIT_MEMORY_LIMIT, EXIT_TIME_LIMIT, Guard, StopReason};
use super::observers::Observers;
use super::{EXIT_COMPILE, EXIT_USAGE, RunArgs};

/// Exit status after Ctrl-C (128 + SIGINT), as shells expect.
const EXIT_INTERRUPTED: u8 = 130;

/// Where `--dump-json` / `--events` write.
enum Sink {
    Stdout,
    File(BufWriter<File>),
}

impl Sink {
    fn open(target: &str) -> Result<Sink, String> {
        if target == "-" {
            return Ok(Sink::Stdout);
        }
        File::create(target)
            .map(|f| Sink::File(BufWriter::new(f)))
            .map_err(|e| format!("myco: cannot write `{target}`: {e}"))
    }

    fn write_line(&mut self, out: &mut dyn Write, line: &str) -> std::io::Result<()> {
        match self {
            Sink::Stdout => writeln!(out, "{line}"),
            Sink::File(f) => writeln!(f, "{line}"),
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout => Ok(()),
            Sink::File(f) => f.flush(),
        }
    }
}

/// Runs `myco run`.
pub fn run(args: &RunArgs) -> ExitCode {
    match run_inner(args) {
        Ok(code) => ExitCode::from(code),
        Err(code) => ExitCode::from(code),
    }
}

fn run_inner(args: &RunArgs) -> Result<u8, u8> {
    let compiled = compile_path(&args.file)?;
    let mut events = match &args.events {
        Some(t) => Some(Sink::open(t).map_err(|m| {
            eprintln!("{m}");
            EXIT_USAGE
        })?),
        None => None,
    };
    // Open the dump target early so a bad path fails before a long run.
    let mut dump = match &args.dump_json {
        Some(t) => Some(Sink::open(t).map_err(|m| {
            eprintln!("{m}");
            EXIT_USAGE
        })?),
        None => None,
    };
    let overrides = super::settings::parse_overrides(&args.set).map_err(|m| {
        eprintln!("myco: {m}");
        EXIT_USAGE
    })?;
    let guard = Guard::install(args.time_limit, args.max_memory);
    let mut options = RunOptions {
        max_cells: args.max_cells.map(|n| n as i64),
        max_value_size: args.max_value_size.map(|n| n as usize),
        interrupt: Some(guard.stop.clone()),
        ..super::settings::run_options(args.seed, overrides, args.threads as usize)
    };
    if let Some(n) = args.max_instructions {
        options.max_instructions_per_turn = n;
    }
    let mut sim = match &args.resume {
        Some(path) => resume(&compiled, path, &options)?,
        None => Simulation::new(&compiled, &options).map_err(|e| match guard.reason() {
            // Stopped while the ecosystem block ran: not the program's fault.
            Some(StopReason::Interrupted) => {
                eprintln!("myco: interrupted in the ecosystem block");
                EXIT_INTERRUPTED
            }
            Some(StopReason::TimeLimit) => {
                eprintln!("myco: time limit reached in the ecosystem block");
                EXIT_TIME_LIMIT
            }
            Some(StopReason::MemoryLimit) => {
                eprintln!("myco: memory limit reached in the ecosystem block");
                EXIT_MEMORY_LIMIT
            }
            None => {
                eprintln!("myco: {e}");
                EXIT_COMPILE
            }
        })?,
    };
    let checkpoints = args.checkpoint.as_deref().map(|path| Checkpoints {
        path,
        every: args.every.unwrap_or(DEFAULT_CHECKPOINT_EVERY),
    });

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let io_err = |e: std::io::Error| {
        // A closed pipe (e.g. `| head`) ends the run quietly.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("myco: cannot write output: {e}");
        }
        EXIT_USAGE
    };
    let mut observers = Observers::open(args, &compiled, sim.world()).map_err(|m| {
        eprintln!("myco: {m}");
        EXIT_USAGE
    })?;
    let observe_err = |m: String| {
        eprintln!("myco: {m}");
        EXIT_USAGE
    };
    for line in sim.take_prints() {
        writeln!(out, "{line}").map_err(io_err)?;
    }
    let initial_events = sim.world_mut().take_events();
    observers
        .observe(sim.world(), &initial_events, 0.0)
        .map_err(observe_err)?;
    if let Some(sink) = events.as_mut() {
        for event in initial_events {
            sink.write_line(&mut out, &event.to_json_line())
                .map_err(io_err)?;
        }
    }

    let start_tick = sim.world().tick_count();
    if args.resume.is_some() && start_tick >= args.ticks {
        eprintln!(
            "myco: the checkpoint is at tick {start_tick}, not before --ticks {}: no tick to run",
            args.ticks
        );
    }
    if let Some(cp) = &checkpoints {
        // Fails early on a bad path, and makes even a run killed during its
        // first ticks resumable.
        out.flush().map_err(io_err)?;
        cp.save(&sim)?;
    }
    let progress = progress_bar(start_tick, args.ticks);
    let started = Instant::now();
    let mut status = 0;
    let mut stopped = None;
    let stop = guard.stop.clone();
    while sim.world().tick_count() < args.ticks {
        if let Some(reason) = guard.reason() {
            stopped = Some(reason);
            break;
        }
        // A tick whose turns saw the interrupt is abandoned before anything
        // is applied (see `guard`); one raised later completes the tick.
        let Some(report) = sim.world_mut().tick_unless(&|| stop.is_set()) else {
            stopped = Some(guard.reason().unwrap_or(StopReason::Interrupted));
            break;
        };
        for line in &report.prints {
            writeln!(out, "{line}").map_err(io_err)?;
        }
        if let Some(sink) = events.as_mut() {
            for event in &report.events {
                sink.write_line(&mut out, &event.to_json_line())
                    .map_err(io_err)?;
            }
        }
        observers
            .observe(sim.world(), &report.events, report.reported)
            .map_err(observe_err)?;
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        if let Some(cp) = &checkpoints
            && sim.world().tick_count().is_multiple_of(cp.every)
            && sim.world().tick_count() < args.ticks
        {
            // What the checkpoint holds is on disk first: the output of a
            // killed run up to its last checkpoint, then the resumed run's,
            // is the whole output.
            flush_outputs(&mut out, events.as_mut()).map_err(io_err)?;
            cp.save(&sim)?;
        }
    }
    if let Some(cp) = &checkpoints {
        // The last complete tick, whether the run ended or was stopped.
        flush_outputs(&mut out, events.as_mut()).map_err(io_err)?;
        cp.save(&sim)?;
    }
    observers.finish(sim.world()).map_err(observe_err)?;
    let elapsed = started.elapsed();
    status = match stopped {
        Some(StopReason::Interrupted) => EXIT_INTERRUPTED,
        Some(StopReason::TimeLimit) => EXIT_TIME_LIMIT,
        Some(StopReason::MemoryLimit) => EXIT_MEMORY_LIMIT,
        None => status,
    };
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(sink) = dump.as_mut() {
        let text = serde_json::to_string(&sim.world().dump_json()).unwrap_or_default();
        sink.write_line(&mut out, &text).map_err(io_err)?;
        sink.finish().map_err(io_err)?;
    }
    if let Some(sink) = events.as_mut() {
        sink.finish().map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    drop(out);
    print_summary(&sim, elapsed, stopped);
    Ok(status)
}

/// Checkpoints every `every` ticks are written to `path`: after the
/// ecosystem block (or the resumed tick), then at each multiple of `every`,
/// then at the end.
struct Checkpoints<'a> {
    path: &'a Path,
    every: u64,
}

/// Ticks between two checkpoints when `--every` is not given.
const DEFAULT_CHECKPOINT_EVERY: u64 = 100;

impl Checkpoints<'_> {
    fn save(&self, sim: &Simulation) -> Result<(), u8> {
        sim.save_checkpoint(self.path).map_err(|e| {
            eprintln!("myco: cannot write the checkpoint: {e}");
            EXIT_USAGE
        })
    }
}

/// Writes out what is buffered of standard output and the event log.
fn flush_outputs(out: &mut dyn Write, events: Option<&mut Sink>) -> std::io::Result<()> {
    out.flush()?;
    if let Some(sink) = events {
        sink.finish()?;
    }
    Ok(())
}

/// Loads checkpoint `path` of `compiled`: a missing or unreadable file is a
/// usage error (exit 2), a bad one (another program or version, truncated,
/// corrupted) exit 1, nothing loaded.
fn resume(compiled: &Compiled, path: &Path, options: &RunOptions) -> Result<Simulation, u8> {
    let shown = path.display();
    let bytes = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            eprintln!("myco: `{shown}` is a directory, not a checkpoint");
            return Err(EXIT_USAGE);
        }
        Ok(_) => std::fs::read(path),
        Err(e) => Err(e),
    }
    .map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string(),
        };
        eprintln!("myco: cannot read checkpoint `{shown}`: {why}");
        EXIT_USAGE
    })?;
    let sim = Simulation::resume(compiled, &bytes, options).map_err(|e| {
        eprintln!("myco: cannot resume from `{shown}`: {e}");
        EXIT_COMPILE
    })?;
    eprintln!(
        "myco: resumed from `{shown}` at tick {}",
        sim.world().tick_count()
    );
    Ok(sim)
}

fn progress_bar(from: u64, ticks: u64) -> Option<indicatif::ProgressBar> {
    if ticks.saturating_sub(from) < 200 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(ticks);
    bar.set_position(from);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} tick {pos}/{len} [{bar:30}] {per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

fn print_summary(sim: &Simulation, elapsed: std::time::Duration, stopped: Option<StopReason>) {
    let world = sim.world();
    let c = world.counters();
    let secs = elapsed.as_secs_f64();
    let energy = world.cells().fold(0.0, |sum, cell| sum + cell.energy());
    let rate = if secs > 0.0 {
        c.ticks as f64 / secs
    } else {
        0.0
    };
    let mips = if secs > 0.0 {
        c.instructions as f64 / secs / 1e6
    } else {
        0.0
    };
    let mut lines = Vec::new();
    match stopped {
        Some(StopReason::Interrupted) => {
            lines.push(format!("interrupted after tick {}", world.tick_count()));
        }
        Some(StopReason::TimeLimit) => lines.push(format!(
            "time limit reached: stopped after tick {}",
            world.tick_count()
        )),
        Some(StopReason::MemoryLimit) => lines.push(format!(
            "memory limit reached: stopped after tick {}",
            world.tick_count()
        )),
        None => {}
    }
    lines.push(format!(
        "ticks {}  alive {}  born {}  died {} (apoptosis {}, fault {}, starved {}, parasite {})",
        world.tick_count(),
        world.len(),
        c.born,
        c.died(),
        c.died_apoptosis,
        c.died_fault,
        c.died_starvation,
        c.died_immune
    ));
    lines.push(format!(
        "energy {energy:.2}  instructions {}  {:.1} ticks/s  {mips:.1} M instr/s  {:.6} s",
        c.instructions, rate, secs
    ));
    for line in lines {
        eprintln!("myco: {line}");
    }
}
