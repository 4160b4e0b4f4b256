//! `--series PATH.csv [--every K]`: per-tick statistics of a run as CSV.
//!
//! Columns: `tick`, `alive_<Kind>` (one per declared kind, in declaration
//! order), `born`, `died_apoptosis`, `died_starved`, `died_parasite`,
//! `died_fault`, `energy`, `reported`, `instructions`, `bonds`.
//! `alive_*`, `energy` and `bonds` are the state at the end of the row's
//! tick; `born`, `died_*`, `reported` (value reported by `report`) and
//! `instructions` are summed over the ticks since the previous row, so
//! `sum(alive) = previous sum(alive) + born - died` holds row to row.
//! Row 0 is the world the ecosystem block built (its spawns are `born`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};

use myco::vm::runtime::{DeathCause, EventKind};
use myco::{Event, World};

/// Counts accumulated over a span of ticks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Cells born.
    pub born: u64,
    /// Deaths by `die`.
    pub died_apoptosis: u64,
    /// Deaths by starvation.
    pub died_starved: u64,
    /// Deaths by the immune system.
    pub died_parasite: u64,
    /// Deaths by a fault.
    pub died_fault: u64,
    /// Value reported.
    pub reported: f64,
    /// Instructions executed.
    pub instructions: u64,
}

impl Tally {
    /// Counts the births and deaths among `events`.
    pub fn add_events(&mut self, events: &[Event]) {
        for event in events {
            match &event.kind {
                EventKind::Spawned { .. } => self.born += 1,
                EventKind::Died { cause, .. } => match cause {
                    DeathCause::Apoptosis => self.died_apoptosis += 1,
                    DeathCause::Starvation => self.died_starved += 1,
                    DeathCause::Immune => self.died_parasite += 1,
                    DeathCause::Fault => self.died_fault += 1,
                },
                _ => {}
            }
        }
    }

    /// Adds another span's counts.
    pub fn add(&mut self, other: &Tally) {
        self.born += other.born;
        self.died_apoptosis += other.died_apoptosis;
        self.died_starved += other.died_starved;
        self.died_parasite += other.died_parasite;
        self.died_fault += other.died_fault;
        self.reported += other.reported;
        self.instructions = self.instructions.wrapping_add(other.instructions);
    }
}

/// The state of the world at one tick, as the series shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Living cells per kind, in the order of [`Stats::kinds`].
    pub alive: Vec<u64>,
    /// Total energy of the living cells.
    pub energy: f64,
    /// Bonds (each counted once).
    pub bonds: u64,
}

/// Turns worlds and tick reports into rows.
pub struct Stats {
    kinds: Vec<String>,
    index: HashMap<String, usize>,
    last_instructions: u64,
}

impl Stats {
    /// Statistics over the program's cell kinds (declaration order).
    pub fn new(kinds: Vec<String>) -> Stats {
        let index = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        Stats {
            kinds,
            index,
            last_instructions: 0,
        }
    }

    /// The kinds, in column order.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// The CSV header.
    pub fn header(&self) -> Vec<String> {
        let mut cols = vec!["tick".to_string()];
        cols.extend(self.kinds.iter().map(|k| format!("alive_{k}")));
        cols.extend(
            [
                "born",
                "died_apoptosis",
                "died_starved",
                "died_parasite",
                "died_fault",
                "energy",
                "reported",
                "instructions",
                "bonds",
            ]
            .map(String::from),
        );
        cols
    }

    /// The world's state now.
    pub fn state(&self, world: &World) -> State {
        let mut alive = vec![0u64; self.kinds.len()];
        let (mut energy, mut bond_ends) = (0.0, 0u64);
        for cell in world.cells() {
            if let Some(&i) = self.index.get(cell.kind())
                && let Some(n) = alive.get_mut(i)
            {
                *n += 1;
            }
            energy += cell.energy();
            bond_ends += cell.bonds().len() as u64;
        }
        State {
            alive,
            energy,
            bonds: bond_ends / 2,
        }
    }

    /// What one tick (or the ecosystem block, with `reported` 0) added.
    pub fn tally(&mut self, world: &World, events: &[Event], reported: f64) -> Tally {
        let instructions = world.counters().instructions;
        let mut tally = Tally {
            reported,
            instructions: instructions.wrapping_sub(self.last_instructions),
            ..Tally::default()
        };
        self.last_instructions = instructions;
        tally.add_events(events);
        tally
    }

    /// One CSV row.
    pub fn row(&self, tick: u64, state: &State, tally: &Tally) -> Vec<String> {
        let mut cols = vec![tick.to_string()];
        cols.extend(state.alive.iter().map(u64::to_string));
        cols.extend([
            tally.born.to_string(),
            tally.died_apoptosis.to_string(),
            tally.died_starved.to_string(),
            tally.died_parasite.to_string(),
            tally.died_fault.to_string(),
            number(state.energy),
            number(tally.reported),
            tally.instructions.to_string(),
            state.bonds.to_string(),
        ]);
        cols
    }
}

/// A float for CSV: plain digits (`100`, `0.5`), never exponent notation.
pub fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        format!("{x:?}")
    }
}

/// Quotes a CSV field when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One CSV line (without the line break).
pub fn csv_line(cols: &[String]) -> String {
    cols.iter()
        .map(|c| csv_field(c))
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes the series of one run, a row every `every` ticks (and the last).
pub struct SeriesWriter {
    stats: Stats,
    every: u64,
    pending: Tally,
    last_written: Option<u64>,
    out: BufWriter<File>,
}

impl SeriesWriter {
    /// Creates `path` and writes the header.
    pub fn create(path: &str, kinds: Vec<String>, every: u64) -> Result<SeriesWriter, String> {
        let file = File::create(path).map_err(|e| format!("cannot write `{path}`: {e}"))?;
        let stats = Stats::new(kinds);
        let mut out = BufWriter::new(file);
        writeln!(out, "{}", csv_line(&stats.header()))
            .map_err(|e| format!("cannot write `{path}`: {e}"))?;
        Ok(SeriesWriter {
            stats,
            every: every.max(1),
            pending: Tally::default(),
            last_written: None,
            out,
        })
    }

    /// Takes in the world after the ecosystem block (tick 0) or a tick.
    pub fn observe(
        &mut self,
        world: &World,
        events: &[Event],
        reported: f64,
    ) -> std::io::Result<()> {
        let tally = self.stats.tally(world, events, reported);
        self.pending.add(&tally);
        let tick = world.tick_count();
        if tick.is_multiple_of(self.every) {
            self.write_row(world)?;
        }
        Ok(())
    }

    fn write_row(&mut self, world: &World) -> std::io::Result<()> {
        let tick = world.tick_count();
        let state = self.stats.state(world);
        let row = self.stats.row(tick, &state, &self.pending);
        writeln!(self.out, "{}", csv_line(&row))?;
        self.pending = Tally::default();
        self.last_written = Some(tick);
        Ok(())
    }

    /// Writes the last tick's row if `--every` skipped it, and flushes.
    pub fn finish(&mut self, world: &World) -> std::io::Result<()> {
        if self.last_written != Some(world.tick_count()) {
            self.write_row(world)?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("10"), "10");
        assert_eq!(csv_field("(1,2)"), "\"(1,2)\"");
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn numbers_have_no_exponent() {
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(f64::INFINITY), "inf");
    }
}
