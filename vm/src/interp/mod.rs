//! The interpreter: the metered dispatch loop ([`machine`]), the built-ins
//! ([`natives`]) and the [`host`] interface constructs go through.

pub mod host;
pub mod machine;
pub mod natives;
pub mod standalone;

pub use host::{Host, HostError, SpawnRequest, TurnEnd};
pub use machine::{Exit, RunInput, RuntimeError, Vm};
pub use standalone::StandaloneHost;
