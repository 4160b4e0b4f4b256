//! What `myco run` records besides prints and events: `--series` and
//! `--record`, fed the world after the ecosystem block and after each tick.

use myco::{Compiled, Event, World};

use super::RunArgs;
use super::record::Recorder;
use super::series::SeriesWriter;

/// The recorders a run was asked for.
pub struct Observers {
    series: Option<SeriesWriter>,
    record: Option<Recorder>,
    last_tick: u64,
}

/// The program's cell kinds, in declaration order (the series' columns).
pub fn kind_names(compiled: &Compiled) -> Vec<String> {
    compiled
        .program
        .kinds
        .iter()
        .map(|k| k.name.clone())
        .collect()
}

impl Observers {
    /// Opens the outputs `args` asks for (a bad path or gradient: a message).
    pub fn open(args: &RunArgs, compiled: &Compiled, world: &World) -> Result<Observers, String> {
        let kinds = kind_names(compiled);
        let series = match &args.series {
            Some(path) => Some(SeriesWriter::create(
                path,
                kinds.clone(),
                args.every.unwrap_or(1),
            )?),
            None => None,
        };
        let record = match &args.record {
            Some(path) => {
                let title = args.file.display().to_string();
                let recorder = Recorder::new(
                    path,
                    &title,
                    kinds,
                    world,
                    args.record_gradient.as_deref(),
                    args.ticks,
                )?;
                // Fail before a long run, not after it.
                std::fs::write(path, b"").map_err(|e| format!("cannot write `{path}`: {e}"))?;
                Some(recorder)
            }
            None => None,
        };
        Ok(Observers {
            series,
            record,
            last_tick: args.ticks,
        })
    }

    /// Takes in the world after the ecosystem block or a tick.
    pub fn observe(
        &mut self,
        world: &World,
        events: &[Event],
        reported: f64,
    ) -> Result<(), String> {
        if let Some(series) = self.series.as_mut() {
            series
                .observe(world, events, reported)
                .map_err(|e| format!("cannot write the series: {e}"))?;
        }
        if let Some(record) = self.record.as_mut() {
            record.observe(
                world,
                events,
                reported,
                world.tick_count() >= self.last_tick,
            );
        }
        Ok(())
    }

    /// Writes what is left (the series' last row, the replay page).
    pub fn finish(&mut self, world: &World) -> Result<(), String> {
        if let Some(series) = self.series.as_mut() {
            series
                .finish(world)
                .map_err(|e| format!("cannot write the series: {e}"))?;
        }
        if let Some(record) = self.record.as_ref() {
            let bytes = record.finish()?;
            eprintln!("myco: replay written ({bytes} bytes)");
        }
        Ok(())
    }
}
