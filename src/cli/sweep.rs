//! `myco sweep FILE --set world.NAME=V1,V2 ... --seeds A..B --ticks N --out PATH
//! [--jobs J]`: runs the cross product of the settings' values and the
//! seeds, in parallel, one CSV row per run.
//!
//! Runs are numbered in a fixed order (the first `--set` varies slowest,
//! the seed fastest) and the rows are written in that order whatever order
//! they finish in, so the file is byte-identical for any `--jobs`. Each run
//! uses one thread for its turns.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

use myco::{Compiled, Simulation};

use super::compile::compile_path;
use super::observers::kind_names;
use super::series::{Stats, Tally, csv_line};
use super::settings::{Override, parse_sweep_override, run_options};
use super::{EXIT_COMPILE, EXIT_USAGE};

/// Arguments of `myco sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The `.myco` file.
    pub file: PathBuf,
    /// A setting and its values, e.g. `--set world.income=10,20,40` (repeatable;
    /// vecs are written `(x,y)`).
    #[arg(long = "set", value_name = "world.NAME=V1,V2,...")]
    pub set: Vec<String>,
    /// Seeds: `A..B` (inclusive), or a list `1,5,9`. Default: the program's own seed.
    #[arg(long, value_name = "A..B|LIST")]
    pub seeds: Option<String>,
    /// Ticks per run.
    #[arg(long, default_value_t = 100)]
    pub ticks: u64,
    /// Where to write the CSV (`-` for standard output).
    #[arg(long, short = 'o', default_value = "-", value_name = "PATH|-")]
    pub out: String,
    /// Runs at once (default: the number of CPUs). The CSV is the same for any value.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
}

/// One run of the sweep: its settings (text and value) and its seed.
struct RunSpec {
    settings: Vec<(String, Override)>,
    seed: Option<i64>,
}

/// Parses `A..B` (inclusive), `A..=B`, `A,B,C` or `A`.
fn parse_seeds(text: &str) -> Result<Vec<i64>, String> {
    let bad = || format!("--seeds `{text}`: expected A..B or a list like 1,2,3");
    if let Some((a, b)) = text.split_once("..") {
        let b = b.strip_prefix('=').unwrap_or(b);
        let a: i64 = a.trim().parse().map_err(|_| bad())?;
        let b: i64 = b.trim().parse().map_err(|_| bad())?;
        if b < a || b - a >= 1_000_000 {
            return Err(format!("--seeds `{text}`: empty or too long a range"));
        }
        return Ok((a..=b).collect());
    }
    text.split(',')
        .map(|s| s.trim().parse::<i64>().map_err(|_| bad()))
        .collect()
}

/// The cross product, first `--set` slowest, seeds fastest.
fn plan(axes: &[(String, Vec<(String, myco::Value)>)], seeds: &[Option<i64>]) -> Vec<RunSpec> {
    let mut runs = vec![Vec::new()];
    for (name, values) in axes {
        let mut next = Vec::with_capacity(runs.len() * values.len());
        for prefix in &runs {
            for (text, value) in values {
                let mut row: Vec<(String, Override)> = prefix.clone();
                row.push((text.clone(), (name.clone(), value.clone())));
                next.push(row);
            }
        }
        runs = next;
    }
    runs.into_iter()
        .flat_map(|settings| {
            seeds.iter().map(move |&seed| RunSpec {
                settings: settings.clone(),
                seed,
            })
        })
        .collect()
}

/// Runs one combination; returns its final statistics (or a message).
fn run_one(compiled: &Compiled, spec: &RunSpec, ticks: u64) -> Result<Vec<String>, String> {
    let overrides: Vec<Override> = spec.settings.iter().map(|(_, o)| o.clone()).collect();
    let options = run_options(spec.seed, overrides, 1);
    let mut sim = Simulation::new(compiled, &options).map_err(|e| e.to_string())?;
    let mut stats = Stats::new(kind_names(compiled));
    let mut total = Tally::default();
    let initial = sim.world_mut().take_events();
    total.add(&stats.tally(sim.world(), &initial, 0.0));
    for _ in 0..ticks {
        let report = sim.tick();
        total.add(&stats.tally(sim.world(), &report.events, report.reported));
    }
    let state = stats.state(sim.world());
    let mut row: Vec<String> = spec.settings.iter().map(|(t, _)| t.clone()).collect();
    row.push(sim.world().settings().seed.to_string());
    row.extend(stats.row(sim.world().tick_count(), &state, &total));
    Ok(row)
}

/// Runs `myco sweep`.
pub fn run(args: &SweepArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(code),
    }
}

fn run_inner(args: &SweepArgs) -> Result<(), u8> {
    let usage = |m: String| {
        eprintln!("myco: {m}");
        EXIT_USAGE
    };
    let axes = args
        .set
        .iter()
        .map(|a| parse_sweep_override(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    let seeds: Vec<Option<i64>> = match &args.seeds {
        Some(text) => parse_seeds(text)
            .map_err(usage)?
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None],
    };
    let compiled = compile_path(&args.file)?;
    let runs = plan(&axes, &seeds);
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |j| j as usize,
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| usage(format!("cannot start {jobs} threads: {e}")))?;

    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(runs.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("sweep {pos}/{len} runs [{bar:30}] eta {eta}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Some(bar)
    } else {
        None
    };
    let results: Vec<Result<Vec<String>, String>> = pool.install(|| {
        runs.par_iter()
            .map(|spec| {
                let row = run_one(&compiled, spec, args.ticks);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                row
            })
            .collect()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let mut header = vec!["run".to_string()];
    header.extend(axes.iter().map(|(name, _)| format!("world.{name}")));
    header.push("seed".to_string());
    header.extend(Stats::new(kind_names(&compiled)).header());
    let mut text = csv_line(&header);
    text.push('\n');
    let mut failed = false;
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Ok(row) => {
                let mut cols = vec![(i + 1).to_string()];
                cols.extend(row);
                text.push_str(&csv_line(&cols));
                text.push('\n');
            }
            Err(m) => {
                eprintln!("myco: run {}: {m}", i + 1);
                failed = true;
            }
        }
    }
    let written = if args.out == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())
    } else {
        std::fs::write(&args.out, text.as_bytes())
    };
    written.map_err(|e| usage(format!("cannot write `{}`: {e}", args.out)))?;
    if failed {
        return Err(EXIT_COMPILE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_ranges_and_lists() {
        assert_eq!(parse_seeds("1..3"), Ok(vec![1, 2, 3]));
        assert_eq!(parse_seeds("1..=2"), Ok(vec![1, 2]));
        assert_eq!(parse_seeds("4,2"), Ok(vec![4, 2]));
        assert!(parse_seeds("3..1").is_err());
        assert!(parse_seeds("x").is_err());
    }

    #[test]
    fn plan_orders_first_setting_slowest() {
        let axes = vec![
            parse_sweep_override("world.income=1,2").unwrap(),
            parse_sweep_override("world.grace=5,6").unwrap(),
        ];
        let runs = plan(&axes, &[Some(1), Some(2)]);
        assert_eq!(runs.len(), 8);
        let labels: Vec<String> = runs
            .iter()
            .map(|r| {
                let mut s: Vec<String> = r.settings.iter().map(|(t, _)| t.clone()).collect();
                s.push(r.seed.unwrap_or(0).to_string());
                s.join("/")
            })
            .collect();
        assert_eq!(labels[0], "1/5/1");
        assert_eq!(labels[1], "1/5/2");
        assert_eq!(labels[2], "1/6/1");
        assert_eq!(labels[7], "2/6/2");
    }
}
