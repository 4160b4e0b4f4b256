//! The event log: everything that happens to cells besides their own prints,
//! one serializable record per event, in a deterministic order.

use crate::value::CellId;
use serde::Serialize;

/// One event, as `--events` writes it: `{"tick": 3, "event": "died", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The tick it happened in (0: before the first tick, from the host).
    pub tick: u64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// The event as one line of JSON.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a cell died.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DeathCause {
    /// `die;` (graceful apoptosis).
    Apoptosis,
    /// A runtime error (see the `fault` event just before).
    Fault,
    /// Starved `world.starve_ticks` ticks in a row.
    Starvation,
    /// Killed by the immune system.
    Immune,
}

/// How a bond came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BondOrigin {
    /// A `bind`.
    Bind,
    /// Signal traffic (`world.autobind`).
    Traffic,
}

/// Why a bond ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BondEnd {
    /// An `unbind`.
    Unbind,
    /// One of its cells died.
    Death,
}

/// Why a bond was refused at apply time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BondRefusal {
    /// One of the cells already has `world.max_bonds` bonds.
    MaxBonds,
    /// The other cell is gone.
    Gone,
}

/// Why a signal was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Sender and receiver are in different membranes and not bonded.
    Membrane,
    /// The receiver has no handler for the signal's kind.
    NoHandler,
    /// The receiver's turn ended (`die`, `sleep`, `differentiate`, a fault
    /// or exhaustion) before this signal was handled.
    TurnEnded,
    /// The receiver died (or was gone) before delivery.
    ReceiverGone,
}

/// Why a spawn was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpawnRefusal {
    /// `world.max_cells` living cells already.
    MaxCells,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A cell was born.
    Spawned {
        /// The new cell.
        cell: CellId,
        /// Its type.
        kind: String,
        /// Its parent (none for host/ecosystem spawns).
        parent: Option<CellId>,
    },
    /// A spawn was refused; no id was used.
    SpawnRefused {
        /// The would-be parent (none for the host).
        parent: Option<CellId>,
        /// The type requested.
        kind: String,
        /// Why.
        reason: SpawnRefusal,
    },
    /// A cell died (it is removed at the end of this tick).
    Died {
        /// The cell.
        cell: CellId,
        /// Its type.
        kind: String,
        /// Why.
        cause: DeathCause,
    },
    /// A cell starved this tick (its turn ran out of energy, or it could
    /// not pay its basal cost and bond upkeep).
    Starved {
        /// The cell.
        cell: CellId,
        /// Starving ticks in a row, this one included.
        ticks: i64,
    },
    /// The immune system flagged a cell as a parasite.
    ParasiteFlagged {
        /// The cell.
        cell: CellId,
        /// Its W/E over the window.
        ratio: f64,
        /// Flags in a row, this one included.
        strikes: i64,
    },
    /// A runtime error in a turn (the cell then undergoes apoptosis) or in
    /// an `on apoptosis` handler (which just ends).
    Fault {
        /// The cell.
        cell: CellId,
        /// The error.
        message: String,
        /// Its source location, when known.
        location: Option<String>,
    },
    /// A bond was made.
    BondMade {
        /// The smaller id.
        a: CellId,
        /// The larger id.
        b: CellId,
        /// By `bind` or by traffic.
        origin: BondOrigin,
    },
    /// A bond was broken.
    BondBroken {
        /// The smaller id.
        a: CellId,
        /// The larger id.
        b: CellId,
        /// By `unbind` or by a death.
        reason: BondEnd,
    },
    /// A bond was refused at apply time.
    BondRefused {
        /// The cell that asked (for traffic bonds: the smaller id).
        cell: CellId,
        /// The other cell.
        other: CellId,
        /// Why.
        reason: BondRefusal,
    },
    /// A signal was dropped, never handled.
    SignalDropped {
        /// The sender.
        from: CellId,
        /// The receiver.
        to: CellId,
        /// Why.
        reason: DropReason,
    },
}

/// Running totals for a summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counters {
    /// Ticks run.
    pub ticks: u64,
    /// Cells born (host spawns included).
    pub born: u64,
    /// Deaths by `die`.
    pub died_apoptosis: u64,
    /// Deaths by fault.
    pub died_fault: u64,
    /// Deaths by starvation.
    pub died_starvation: u64,
    /// Deaths by the immune system.
    pub died_immune: u64,
    /// Spawns refused.
    pub spawns_refused: u64,
    /// Turns run (aborted ones included).
    pub turns: u64,
    /// Turns aborted for lack of energy.
    pub turns_exhausted: u64,
    /// Faults (in turns and in `on apoptosis`).
    pub faults: u64,
    /// Signals delivered.
    pub signals_delivered: u64,
    /// Signals dropped.
    pub signals_dropped: u64,
    /// Bonds made.
    pub bonds_made: u64,
    /// Bonds broken.
    pub bonds_broken: u64,
    /// Bonds refused.
    pub bonds_refused: u64,
    /// Parasite flags raised.
    pub parasite_flags: u64,
    /// Instructions executed, as cells report them (`CellContext::count_instructions`).
    pub instructions: u64,
}

impl Counters {
    /// Deaths of every cause.
    pub fn died(&self) -> u64 {
        self.died_apoptosis + self.died_fault + self.died_starvation + self.died_immune
    }
}
