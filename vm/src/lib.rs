//! Myco's virtual machine and runtime.
//!
//! - [`runtime`]: the ecosystem — cells, the tick, gradients, morphology,
//!   signals, energy, the immune system, snapshots. It knows nothing of the
//!   language; cells written in Rust drive it directly.
//! - [`costs`]: every energy cost and `world.*` default, in one table.
//! - [`value`]: the values fields, locals and signals hold.

pub mod bytecode;
pub mod interp;
pub mod program;
pub mod value;
