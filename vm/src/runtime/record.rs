//! What the world stores per living cell.

use std::sync::Arc;

use super::cell::Cell;
use crate::value::{CellId, GradientId, MembraneId, Record, Vec2};

/// A signal waiting in a cell's mailbox for its next turn.
#[derive(Debug, Clone)]
pub(crate) struct Mail {
    pub from: CellId,
    pub signal: Record,
}

/// A cell's sleep state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SleepState {
    /// Runs a turn every tick.
    Awake,
    /// Sleeps; its next turn is at tick `wake_at` (or earlier, with mail).
    Ticks {
        /// The tick of its next turn.
        wake_at: u64,
    },
    /// Sleeps until the strongest reading of `gradient` exceeds `threshold`
    /// (or mail arrives).
    Until {
        /// The gradient watched.
        gradient: GradientId,
        /// The threshold.
        threshold: f64,
    },
}

/// A fault as remembered for `:inspect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultInfo {
    /// The tick it happened in.
    pub tick: u64,
    /// The message.
    pub message: String,
    /// The source location, if known.
    pub location: Option<String>,
}

/// One living cell.
#[derive(Clone)]
pub(crate) struct CellRecord {
    pub id: CellId,
    /// Shared, not boxed: cloning a record (the copy-on-write of the
    /// world's cells while a snapshot holds them) then copies no state.
    pub state: Arc<dyn Cell>,
    pub pos: Vec2,
    pub energy: f64,
    pub priority: f64,
    pub parent: Option<CellId>,
    pub membrane: Option<MembraneId>,
    /// The tick it was spawned in (its first turn is the next one).
    pub born: u64,
    /// Whether its first turn (with `on spawn`) has run.
    pub started: bool,
    /// Bonds, sorted by id.
    pub bonds: Vec<CellId>,
    /// Signals to handle at its next turn, in sender id then send order.
    pub mail: Vec<Mail>,
    pub sleep: SleepState,
    /// Starving ticks in a row.
    pub starving: i64,
    /// Immune flags in a row.
    pub strikes: i64,
    /// Per-tick (reported, spent) over the window, a ring starting at `head`.
    pub history: Vec<(f64, f64)>,
    pub head: usize,
    /// Sums over `history`: kept up to date incrementally, recomputed
    /// exactly (oldest first) each time the ring wraps, so rounding cannot
    /// drift for long.
    pub window_sums: (f64, f64),
    /// Reported and spent so far this tick.
    pub tick_reported: f64,
    pub tick_spent: f64,
    /// Whether it ran a turn this tick (decides the basal rate).
    pub ran_turn: bool,
    /// Whether the turn this tick ran out of energy.
    pub exhausted: bool,
    /// W/E over the window, as of the last economy step.
    pub ratio: f64,
    pub last_fault: Option<Arc<FaultInfo>>,
}

impl CellRecord {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: CellId,
        state: Box<dyn Cell>,
        pos: Vec2,
        energy: f64,
        priority: f64,
        parent: Option<CellId>,
        membrane: Option<MembraneId>,
        born: u64,
    ) -> Self {
        CellRecord {
            id,
            state: Arc::from(state),
            pos,
            energy,
            priority,
            parent,
            membrane,
            born,
            started: false,
            bonds: Vec::new(),
            mail: Vec::new(),
            sleep: SleepState::Awake,
            starving: 0,
            strikes: 0,
            history: Vec::new(),
            head: 0,
            window_sums: (0.0, 0.0),
            tick_reported: 0.0,
            tick_spent: 0.0,
            ran_turn: false,
            exhausted: false,
            ratio: 0.0,
            last_fault: None,
        }
    }

    /// Whether `other` is bonded to this cell.
    pub fn bonded_to(&self, other: CellId) -> bool {
        self.bonds.binary_search(&other).is_ok()
    }

    /// Adds a bond (kept sorted); false if it was there.
    pub fn add_bond(&mut self, other: CellId) -> bool {
        match self.bonds.binary_search(&other) {
            Ok(_) => false,
            Err(at) => {
                self.bonds.insert(at, other);
                true
            }
        }
    }

    /// Removes a bond; false if there was none.
    pub fn remove_bond(&mut self, other: CellId) -> bool {
        match self.bonds.binary_search(&other) {
            Ok(at) => {
                self.bonds.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Age at tick `tick`: ticks since its first turn (0 during it).
    pub fn age(&self, tick: u64) -> u64 {
        tick.saturating_sub(self.born + 1)
    }

    /// Whether it is asleep (for dumps).
    pub fn asleep(&self) -> bool {
        self.sleep != SleepState::Awake
    }

    /// Pushes this tick's (reported, spent) into the window ring of length
    /// `window`, then returns W/E over the window.
    pub fn push_history(&mut self, window: usize, reported: f64, spent: f64) -> f64 {
        if self.history.is_empty() && window > 0 {
            // The first push: what the general case below builds, without
            // its temporary vector and rotation (the zero padding is older
            // than the entry, so the entry is last).
            let mut ring = vec![(0.0, 0.0); window];
            if let Some(last) = ring.last_mut() {
                *last = (reported, spent);
            }
            self.history = ring;
            self.head = 0;
            self.window_sums = self.exact_sums();
        } else if self.history.len() != window {
            // The window changed (or this is the first push): keep the most
            // recent entries in chronological order.
            let mut ordered: Vec<(f64, f64)> = Vec::with_capacity(window);
            let n = self.history.len();
            for i in 0..n {
                ordered.push(self.history[(self.head + i) % n]);
            }
            let skip = ordered.len().saturating_sub(window.saturating_sub(1));
            let mut ring: Vec<(f64, f64)> = ordered.into_iter().skip(skip).collect();
            ring.push((reported, spent));
            let filled = ring.len();
            ring.resize(window, (0.0, 0.0));
            // The ring's oldest entry is at `head`: the zero padding is
            // older than everything real, so rotate it to the front.
            ring.rotate_right(window - filled);
            self.history = ring;
            self.head = 0;
            self.window_sums = self.exact_sums();
        } else {
            let old = std::mem::replace(&mut self.history[self.head], (reported, spent));
            self.head = (self.head + 1) % window;
            if self.head == 0 {
                self.window_sums = self.exact_sums();
            } else {
                self.window_sums.0 += reported - old.0;
                self.window_sums.1 += spent - old.1;
            }
        }
        let (w, e) = self.window_sums;
        w / e.max(crate::costs::MIN_SPENT)
    }

    /// The window's sums, oldest entry first.
    fn exact_sums(&self) -> (f64, f64) {
        let (newer, older) = self.history.split_at(self.head.min(self.history.len()));
        let (mut w, mut e) = (0.0, 0.0);
        for &(r, s) in older.iter().chain(newer) {
            w += r;
            e += s;
        }
        (w, e)
    }
}
