//! Argument parsing and dispatch to one module per subcommand.

mod check;
pub(crate) mod compile;
pub(crate) mod costs;
mod disasm;
mod guard;
mod observers;
mod plot;
mod record;
mod run;
mod series;
pub(crate) mod settings;
mod source;
mod sweep;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for a program that does not compile (or a bad checkpoint).
pub const EXIT_COMPILE: u8 = 1;
/// Exit status for a usage error: bad arguments, a missing file.
pub const EXIT_USAGE: u8 = 2;

/// Myco: metabolic programming.
#[derive(Debug, Parser)]
#[command(name = "myco", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a program's ecosystem for a number of ticks.
    Run(RunArgs),
    /// Parse and type-check a program: diagnostics only.
    Check {
        /// The `.myco` file.
        file: PathBuf,
    },
    /// Interactive session: tick, inspect, sense, step back.
    Repl {
        /// A `.myco` file to load first.
        file: Option<PathBuf>,
        /// Overrides a `world.*` setting, e.g. `--set world.income=40` (repeatable;
        /// also applies to worlds built by `:load`).
        #[arg(long = "set", value_name = "world.NAME=VALUE")]
        set: Vec<String>,
    },
    /// Show a program's bytecode with per-opcode energy costs.
    Disasm {
        /// The `.myco` file.
        file: PathBuf,
    },
    /// Print the energy cost table and the `world.*` defaults.
    Costs,
    /// Run a program once per combination of settings and seeds; one CSV row per run.
    Sweep(sweep::SweepArgs),
    /// Plot columns of a CSV (a `--series` or a sweep) as an SVG line chart.
    Plot(plot::PlotArgs),
}

/// Arguments of `myco run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The `.myco` file.
    pub file: PathBuf,
    /// The tick to run to: N ticks from the start (with `--resume`, the
    /// original run's start, so the same command finishes the same run).
    #[arg(long, default_value_t = 100)]
    pub ticks: u64,
    /// Overrides `world.seed`.
    #[arg(long)]
    pub seed: Option<i64>,
    /// Worker threads for cell turns (1 = sequential). Results are identical for any value.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: u32,
    /// Write the final state as JSON to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH|-")]
    pub dump_json: Option<String>,
    /// Write the event log, one JSON object a line, to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH|-")]
    pub events: Option<String>,
    /// Host cap on instructions per turn (hitting it is a runtime error for that cell).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_instructions: Option<u64>,
    /// Host cap on living cells; `world.max_cells` can lower it, never raise it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=(i64::MAX as u64)))]
    pub max_cells: Option<u64>,
    /// Longest string (bytes) or list (elements) a turn may build.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=(1u64 << 32)))]
    pub max_value_size: Option<u64>,
    /// Stop after this much wall time (the tick under way is discarded); exit status 3.
    #[arg(long, value_name = "SECONDS", value_parser = guard::parse_seconds)]
    pub time_limit: Option<std::time::Duration>,
    /// Stop when the process holds more than MB mebibytes of heap (the tick under way is discarded); exit status 4.
    #[arg(long, value_name = "MB", value_parser = guard::parse_megabytes)]
    pub max_memory: Option<u64>,
    /// Overrides a `world.*` setting, e.g. `--set world.income=40` (repeatable).
    #[arg(long = "set", value_name = "world.NAME=VALUE")]
    pub set: Vec<String>,
    /// Write per-tick statistics as CSV to PATH.
    #[arg(long, value_name = "PATH")]
    pub series: Option<String>,
    /// Save the whole ecosystem to PATH (atomically) after the ecosystem block,
    /// every `--every` ticks, and when the run ends or is stopped.
    #[arg(long, value_name = "PATH")]
    pub checkpoint: Option<PathBuf>,
    /// Continue the run saved in checkpoint PATH (of this program) up to tick `--ticks`.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["seed", "set", "record"])]
    pub resume: Option<PathBuf>,
    /// With `--series`: one row every K ticks (and the last tick); with
    /// `--checkpoint`: a checkpoint every K ticks (default 100 for checkpoints).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub every: Option<u64>,
    /// Write a self-contained HTML replay of the run to PATH.
    #[arg(long, value_name = "PATH.html")]
    pub record: Option<String>,
    /// With `--record`: the gradient shown as a heatmap (default: the first declared; `none`: no heatmap).
    #[arg(long, value_name = "NAME")]
    pub record_gradient: Option<String>,
}

/// Parses the command line and runs the subcommand.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Check { file } => check::run(&file),
        Command::Run(args) => run::run(&args),
        Command::Disasm { file } => disasm::run(&file),
        Command::Costs => costs::run(),
        Command::Sweep(args) => sweep::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Repl { file, set } => match settings::parse_overrides(&set) {
            Ok(overrides) => {
                crate::repl::run(file.as_deref(), settings::run_options(None, overrides, 1))
            }
            Err(message) => {
                eprintln!("myco: {message}");
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}
