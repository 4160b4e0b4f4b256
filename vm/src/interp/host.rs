//! What the interpreter needs from its surroundings: the cell's energy, the
//! metabolic constructs, randomness and output.
//!
//! The script cell implements it over the runtime's `CellContext`; the
//! ecosystem block over the world being built; tests over a recorder. The
//! interpreter is generic over it, so construct calls are static calls.

use std::sync::Arc;

use crate::bytecode::{Intrinsic, WorldSetting};
use crate::program::CellKindId;
use crate::value::{CellId, GradientId, MembraneId, Record, Value, Vec2};

/// Why a host call could not complete.
#[derive(Debug, Clone, PartialEq)]
pub enum HostError {
    /// A charge would take the energy below zero: the turn aborts (§5 step 3).
    OutOfEnergy,
    /// A runtime error (the message; the interpreter adds the location).
    Fault(String),
}

/// A `spawn` request, fields fully resolved (defaults plus overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct SpawnRequest {
    /// The kind to spawn.
    pub kind: CellKindId,
    /// `at p`, if given.
    pub at: Option<Vec2>,
    /// `energy:`, if given.
    pub energy: Option<f64>,
    /// `priority:`, if given.
    pub priority: Option<f64>,
    /// `in M`, if given (ecosystem only).
    pub membrane: Option<MembraneId>,
    /// Every field of the kind, in declaration order.
    pub fields: Vec<Value>,
}

/// How a turn ended early.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnEnd {
    /// `sleep n;`
    Sleep(i64),
    /// `sleep until G > e;`
    SleepUntil(GradientId, f64),
    /// `die;`
    Die,
    /// `differentiate T { ... };`: the new kind and its fields.
    Differentiate(CellKindId, Vec<Value>),
}

fn unavailable<T>(what: &str) -> Result<T, HostError> {
    Err(HostError::Fault(format!("`{what}` is not available here")))
}

/// The interpreter's view of the cell (or ecosystem) it runs for.
///
/// Constructs charge their own cost; the interpreter has already synced the
/// instructions' fuel before calling them. The defaults refuse, so a host
/// implements only what its context allows.
pub trait Host {
    /// `self`: the cell's id (`Value::Cell`), or `Value::None` outside a cell.
    fn self_value(&self) -> Value;
    /// The energy left, in fuel (`energy * FUEL_PER_ENERGY`, rounded to the nearest unit).
    fn available_fuel(&self) -> i64;
    /// Deducts `fuel` already consumed by instructions. Never more than
    /// [`Host::available_fuel`] returned since the last sync.
    fn spend_fuel(&mut self, fuel: i64) -> Result<(), HostError>;
    /// Reads an intrinsic (`self.pos`, `now()`, ...).
    fn intrinsic(&mut self, which: Intrinsic) -> Result<Value, HostError> {
        unavailable(which.name())
    }
    /// `emit g s`.
    fn emit(&mut self, _gradient: GradientId, _strength: f64) -> Result<bool, HostError> {
        unavailable("emit")
    }
    /// `sense g`: a list of readings.
    fn sense(&mut self, _gradient: GradientId) -> Result<Value, HostError> {
        unavailable("sense")
    }
    /// `(sense g).first()`: the strongest reading (`Value::Reading`) or
    /// `Value::None`, charged exactly like `sense g`. The default builds the
    /// list; a host that can find the strongest reading directly should.
    fn sense_first(&mut self, gradient: GradientId) -> Result<Value, HostError> {
        match self.sense(gradient)? {
            Value::List(items) => Ok(items.front().cloned().unwrap_or_default()),
            other => Err(HostError::Fault(format!(
                "internal error: sense gave {other:?}, not a list"
            ))),
        }
    }
    /// `bind c`.
    fn bind(&mut self, _target: CellId) -> Result<bool, HostError> {
        unavailable("bind")
    }
    /// `unbind c`.
    fn unbind(&mut self, _target: CellId) -> Result<bool, HostError> {
        unavailable("unbind")
    }
    /// `send record to c`.
    fn send(&mut self, _record: Arc<Record>, _target: CellId) -> Result<bool, HostError> {
        unavailable("send")
    }
    /// `report v`.
    fn report(&mut self, _value: f64) -> Result<(), HostError> {
        unavailable("report")
    }
    /// `spawn`: the new cell's id in the ecosystem, `Value::None` in a cell.
    fn spawn(&mut self, _request: SpawnRequest) -> Result<Value, HostError> {
        unavailable("spawn")
    }
    /// `move v`.
    fn move_by(&mut self, _by: Vec2) -> Result<bool, HostError> {
        unavailable("move")
    }
    /// `sleep`, `die`, `differentiate`: the interpreter stops after this.
    fn end_turn(&mut self, _how: TurnEnd) -> Result<(), HostError> {
        unavailable("this statement")
    }
    /// `print(...)`: one line.
    fn print(&mut self, line: String) -> Result<(), HostError>;
    /// `world.setting = value` (ecosystem block).
    fn set_world(&mut self, setting: WorldSetting, _value: Value) -> Result<(), HostError> {
        unavailable(&format!("world.{}", setting.name()))
    }
    /// Calls host function `index` (see [`crate::program::Program::host_functions`]).
    fn call_host(&mut self, _index: u32, _args: &[Value]) -> Result<Value, HostError> {
        unavailable("host functions")
    }
    /// `rand()`: a float in [0, 1).
    fn rand_float(&mut self) -> Result<f64, HostError> {
        unavailable("rand")
    }
    /// `rand_int(lo, hi)` with lo < hi already checked.
    fn rand_int(&mut self, _lo: i64, _hi: i64) -> Result<i64, HostError> {
        unavailable("rand_int")
    }
    /// `rand_vec(r)`.
    fn rand_vec(&mut self, _radius: f64) -> Result<Vec2, HostError> {
        unavailable("rand_vec")
    }
}
