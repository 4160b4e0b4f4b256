//! The `Cell` trait: what a cell (written in Rust, or the bytecode interpreter
//! running a Myco cell) implements, and what its handlers return.

use std::sync::Arc;

use super::context::CellContext;
use crate::value::{CellId, GradientId, Record, SignalKindId, Value, Vec2};

/// A cell's behaviour and state.
///
/// The runtime clones the state (`clone_arc`) before every turn, runs the
/// turn on the copy and keeps it only if the turn completes: that is how an
/// exhausted or faulting turn is rolled back. The world stores states
/// behind an `Arc`, so a snapshot (and the copy-on-write of the world's
/// cells while one is held) shares them instead of copying them. Handlers
/// must not touch anything but `self` and `ctx`, so turns can run in
/// parallel.
pub trait Cell: Send + Sync {
    /// The cell's type name (`Worker`), shown in dumps and events.
    fn kind_name(&self) -> &str;

    /// A boxed deep copy of this cell's state.
    fn clone_cell(&self) -> Box<dyn Cell>;

    /// A deep copy of this cell's state in a fresh, unshared `Arc` (the
    /// per-turn copy). The default moves [`Cell::clone_cell`]'s box into
    /// one (two allocations); `Arc::new(self.clone())` saves one.
    fn clone_arc(&self) -> Arc<dyn Cell> {
        Arc::from(self.clone_cell())
    }

    /// The metabolism: runs once per turn, after the signal handlers.
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult;

    /// `on spawn`: runs at the start of the cell's first turn only.
    fn on_spawn(&mut self, _ctx: &mut CellContext<'_>) -> MetabolismResult {
        MetabolismResult::Continue
    }

    /// Whether this cell has an `on S(x)` handler for signal kind `kind`.
    /// A signal it does not handle is dropped, as an event.
    fn handles(&self, _kind: SignalKindId) -> bool {
        false
    }

    /// `on S(x)`: runs once per delivered signal this cell handles, in order
    /// of sender id then send order, before the metabolism. A result other
    /// than `Continue` ends the turn; the signals not yet handled are dropped
    /// (as events).
    fn on_signal(
        &mut self,
        _ctx: &mut CellContext<'_>,
        _sender: CellId,
        _signal: &Record,
    ) -> MetabolismResult {
        MetabolismResult::Continue
    }

    /// `on apoptosis`: runs once when the cell dies (by `die`, a fault,
    /// starvation or the immune system). Only `Fault` is meaningful as a
    /// result (it is logged and ends the handler, its effects rolled back);
    /// any other result just ends it.
    fn on_apoptosis(&mut self, _ctx: &mut CellContext<'_>) -> MetabolismResult {
        MetabolismResult::Continue
    }

    /// The cell's fields, in declaration order, for dumps and `:inspect`.
    fn fields(&self) -> Vec<(String, Value)> {
        Vec::new()
    }

    /// The state a checkpoint keeps (kind and fields), or `None` if this
    /// cell cannot be checkpointed (the default: a world holding such a
    /// cell refuses to write a checkpoint, with a clear error). A cell that
    /// returns `Some` must be rebuilt from it by the host's
    /// [`Restorer`](super::Restorer) on resume.
    fn save(&self) -> Option<super::SavedCell> {
        None
    }
    /// For a state that no turn can change (a script cell whose kind has no
    /// fields): its handlers through `&self`, so the runtime runs the turn
    /// without the per-turn copy (nothing to roll back). `None`, the
    /// default: every turn runs on a copy.
    fn shared_turns(&self) -> Option<&dyn SharedTurn> {
        None
    }
}

/// A cell's turn handlers through `&self` (see [`Cell::shared_turns`]):
/// each behaves exactly as the `Cell` method of the same name.
pub trait SharedTurn {
    /// As [`Cell::on_spawn`].
    fn on_spawn_shared(&self, ctx: &mut CellContext<'_>) -> MetabolismResult;
    /// As [`Cell::on_signal`].
    fn on_signal_shared(
        &self,
        ctx: &mut CellContext<'_>,
        sender: CellId,
        signal: &Record,
    ) -> MetabolismResult;
    /// As [`Cell::metabolism`].
    fn metabolism_shared(&self, ctx: &mut CellContext<'_>) -> MetabolismResult;
}

impl Clone for Box<dyn Cell> {
    fn clone(&self) -> Self {
        self.clone_cell()
    }
}

impl std::fmt::Debug for dyn Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cell({})", self.kind_name())
    }
}

/// How a handler (metabolism, `on spawn`, `on S`) ended.
#[derive(Debug)]
pub enum MetabolismResult {
    /// Went to its end: the next handler (or the next tick) follows.
    Continue,
    /// `sleep n;`: end the turn and skip exactly the next `n` turns.
    Sleep(u64),
    /// `sleep until G > e;`: end the turn and sleep until the strongest
    /// reading of `gradient` this cell would sense is greater than
    /// `threshold` (nothing sensed: stays asleep). Mail wakes it too.
    SleepUntil {
        /// The gradient watched.
        gradient: GradientId,
        /// Wake when the strongest reading's strength is greater than this.
        threshold: f64,
    },
    /// `die;`: end the turn; its effects stand; `on apoptosis` runs in the
    /// apply phase and the cell is removed at the end of the tick.
    Die,
    /// `differentiate T {...};`: end the turn; from the next tick the cell
    /// is this new state (same id, position, energy, bonds, membrane, mail,
    /// age and parent; `on spawn` does not run again).
    Differentiate(Box<dyn Cell>),
    /// A runtime error: the turn is rolled back and the cell undergoes
    /// apoptosis, the message and location recorded in the event log.
    Fault {
        /// What went wrong.
        message: String,
        /// Where, in the program's source (`file:line:col`), if known.
        location: Option<String>,
    },
    /// The cell ran out of energy (a failed `CellContext::charge`). The
    /// runtime also detects this itself, whatever the handler returns after
    /// a failed charge: the turn is rolled back and the cell starves.
    OutOfEnergy,
}

/// The error `CellContext::charge` returns when the energy is not there.
/// The turn is then aborted: the handler should return promptly (any
/// result; the runtime knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfEnergy;

impl std::fmt::Display for OutOfEnergy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("out of energy")
    }
}

impl std::error::Error for OutOfEnergy {}

/// Options of a `spawn`: all optional; the defaults are the spawner's
/// position (as the turn sees it), `world.spawn_energy` (inside a cell) or
/// `world.initial_energy` (from the host / ecosystem block), priority 1.0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpawnOptions {
    /// Where the child appears.
    pub pos: Option<Vec2>,
    /// The child's starting energy (paid by the parent inside a cell).
    pub energy: Option<f64>,
    /// The child's priority (its weight in the income share).
    pub priority: Option<f64>,
}
