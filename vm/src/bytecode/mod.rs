//! Myco bytecode: a register machine with fixed-size (8-byte) instructions.
//!
//! - [`op`]: the instruction set and the ONE opcode cost table ([`op::OPCODES`]).
//! - [`native`]: built-in functions and methods (math, rand, list, vec, conversions).
//! - [`chunk`]: a compiled function body: code, constants, source locations.
//! - [`disasm`]: a readable listing with each instruction's energy cost.

pub mod chunk;
pub mod disasm;
pub mod native;
pub mod op;

pub use chunk::{Chunk, SourceLoc, SpawnDesc};
pub use disasm::{disassemble, disassemble_program};
pub use native::Native;
pub use op::{Intrinsic, Member, OPCODES, Op, OpInfo, Opcode, Reg, WorldSetting, opcode_table};
