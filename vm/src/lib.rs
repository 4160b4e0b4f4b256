//! Myco's virtual machine and runtime.
//!
//! - [`runtime`]: the ecosystem — cells, the tick, gradients, morphology,
//!   signals, energy, the immune system, snapshots. It knows nothing of the
//!   language; cells written in Rust drive it directly.
//! - [`costs`]: every energy cost and `world.*` default, in one table.
//! - [`value`]: the values fields, locals and signals hold.
//! - [`bytecode`]: the instruction set, chunks, the opcode cost table, the disassembler.
//! - [`interp`]: the metered interpreter, the script cell and the ecosystem block runner.
//! - [`program`]: a compiled program as the interpreter loads it.

pub mod bytecode;
pub mod costs;
pub mod interp;
pub mod program;
pub mod runtime;
pub mod value;
