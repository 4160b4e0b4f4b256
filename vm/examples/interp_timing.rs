//! Times the interpreter benchmarks once each (a quick check without
//! criterion): `cargo run --release -p myco-vm --example interp_timing [loop|fib27|fib30]`.

use std::time::Instant;

use myco_vm::bytecode::{Chunk, Op, SourceLoc};
use myco_vm::interp::{RunInput, StandaloneHost, Vm};
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

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let mut looped = chunk(
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
    looped.consts.push(Value::Int(1_000_003));
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
                func: 1,
                args: 2,
            },
            Op::AddIntImm {
                dst: 4,
                a: 0,
                imm: -2,
            },
            Op::Call {
                dst: 4,
                func: 1,
                args: 4,
            },
            Op::AddInt { dst: 0, a: 3, b: 4 },
            Op::Return { src: 0 },
        ],
    );
    let program = Program {
        functions: vec![looped, fib],
        ..Program::default()
    };
    if let Err(e) = program.validate() {
        eprintln!("invalid: {e}");
        return;
    }
    let mut vm = Vm::new();
    let cases: &[(&str, u32, i64)] = &[
        ("loop", 0, 10_000_000),
        ("fib27", 1, 27),
        ("fib30", 1, 30),
        // Small sizes, for instruction counting under callgrind.
        ("loop1m", 0, 1_000_000),
        ("fib20", 1, 20),
    ];
    let reps: usize = std::env::var("MYCO_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    for &(name, function, arg) in cases {
        if (which != "all" || name.starts_with("loop1") || name == "fib20") && which != name {
            continue;
        }
        // The best of several runs: the machine may be shared.
        let mut best = f64::INFINITY;
        let mut exit = None;
        for _ in 0..reps {
            let mut host = StandaloneHost::new(1e12);
            vm.begin_turn(u64::MAX);
            let start = Instant::now();
            exit = Some(vm.run(
                RunInput {
                    program: &program,
                    function,
                    args: &[Value::Int(arg)],
                    sender: Value::None,
                },
                &mut [],
                &mut host,
            ));
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!("{name}: {exit:?} best of {reps}: {best:.3} s");
    }
}
