//! The interpreter: the metered dispatch loop ([`machine`]), the built-ins
//! ([`natives`]), the [`host`] interface constructs go through, the
//! [`script_cell`] (a Myco cell kind as a runtime `Cell`) and the
//! [`ecosystem`] block runner with the public [`instantiate`] entry point.

pub mod ecosystem;
pub mod host;
pub mod host_fn;
pub mod limits;
pub mod machine;
pub mod natives;
pub mod script_cell;
pub mod standalone;

pub use ecosystem::{
    HostRun, Instance, InstantiateError, RunOptions, declarations, instantiate, run_in_world,
    script_options,
};
pub use host::{Host, HostError, SpawnRequest, TurnEnd};
pub use host_fn::{HostFnImpl, HostFunctions, ResolvedHostFns};
pub use limits::InterruptHandle;
pub use machine::{Exit, RunInput, RuntimeError, Vm};
pub use script_cell::{DEFAULT_MAX_INSTRUCTIONS_PER_TURN, ScriptCell, ScriptOptions};
pub use standalone::StandaloneHost;
