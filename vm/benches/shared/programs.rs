//! Hand-assembled bytecode programs shared by the interpreter benchmark
//! (`benches/interp.rs`) and its quick timing example
//! (`examples/interp_timing.rs`), so both measure exactly the same code.

use myco_vm::bytecode::{Chunk, Op, SourceLoc};
use myco_vm::program::Program;
use myco_vm::value::Value;

fn chunk(name: &str, params: u16, registers: u16, code: &[Op]) -> Chunk {
    let mut c = Chunk::new(name, params);
    for op in code {
        c.push(*op, SourceLoc::default());
    }
    c.registers = registers;
    c
}

/// `let mut s = 0; for i in 0..n { s = (s + i * i) % 1000003; } return s;`
pub fn loop_program() -> Program {
    let mut main = chunk(
        "loop",
        1,
        5,
        &[
            Op::LoadInt { dst: 1, value: 0 },
            Op::Move { dst: 2, src: 0 },
            Op::LoadInt { dst: 0, value: 0 },
            Op::LoadConst { dst: 3, k: 0 },
            Op::JumpIfNotLtInt {
                a: 1,
                b: 2,
                target: 9,
            },
            Op::MulInt { dst: 4, a: 1, b: 1 },
            Op::AddInt { dst: 4, a: 0, b: 4 },
            Op::ModInt { dst: 0, a: 4, b: 3 },
            Op::ForRange {
                counter: 1,
                end: 2,
                target: 5,
            },
            Op::Return { src: 0 },
        ],
    );
    main.consts.push(Value::Int(1_000_003));
    Program {
        functions: vec![main],
        ..Program::default()
    }
}

pub fn fib_program() -> Program {
    let fib = chunk(
        "fib",
        1,
        5,
        &[
            Op::LoadInt { dst: 1, value: 2 },
            Op::JumpIfNotLtInt {
                a: 0,
                b: 1,
                target: 3,
            },
            Op::Return { src: 0 },
            Op::AddIntImm {
                dst: 2,
                a: 0,
                imm: -1,
            },
            Op::Call {
                dst: 3,
                func: 0,
                args: 2,
            },
            Op::AddIntImm {
                dst: 4,
                a: 0,
                imm: -2,
            },
            Op::Call {
                dst: 4,
                func: 0,
                args: 4,
            },
            Op::AddInt { dst: 0, a: 3, b: 4 },
            Op::Return { src: 0 },
        ],
    );
    Program {
        functions: vec![fib],
        ..Program::default()
    }
}
