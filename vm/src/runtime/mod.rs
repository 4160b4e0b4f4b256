//! The ecosystem runtime, independent of the language: cells (anything
//! implementing [`Cell`]), the tick of LANGUAGE.md §5, gradients and their
//! spatial index, the morphology graph of bonds, membranes, signals, the
//! energy economy, the immune system, snapshots, checkpoints and the event log.
//!
//! A host builds a [`World`] from [`WorldSettings`] and [`Declarations`],
//! [`World::spawn`]s the first cells and calls [`World::tick`].

mod cell;
mod checkpoint;
mod context;
mod events;
mod field;
mod hash;
mod record;
mod rng;
mod settings;
mod tick;
mod world;

pub use cell::{Cell, MetabolismResult, OutOfEnergy, SharedTurn, SpawnOptions};
pub use checkpoint::{
    Checkpoint, CheckpointError, CheckpointMeta, FORMAT_VERSION, MAGIC, Restorer, SavedCell,
    write_atomically,
};
pub use context::CellContext;
pub use events::{
    BondEnd, BondOrigin, BondRefusal, Counters, DeathCause, DropReason, Event, EventKind,
    SpawnRefusal,
};
pub use record::{FaultInfo, SleepState};
pub use rng::{CellRng, Phase};
pub use settings::{
    Declarations, GradientSpec, MAX_WINDOW, SETTING_NAMES, SettingType, SignalSpec, WorldSettings,
};
pub use world::{CellInfo, MAX_DUMP_NODES, TickReport, World};
