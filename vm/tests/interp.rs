//! Interpreter tests on hand-assembled chunks.

use myco_vm::bytecode::op::{FUEL_PER_ENERGY, MAX_CALL_DEPTH};
use myco_vm::bytecode::{Chunk, Op, SourceLoc, disassemble};
use myco_vm::interp::{Exit, RunInput, StandaloneHost, Vm};
use myco_vm::program::Program;
use myco_vm::value::Value;

fn at(line: u32, col: u32) -> SourceLoc {
    SourceLoc { file: 0, line, col }
}

fn chunk(name: &str, params: u16, registers: u16, code: &[Op]) -> Chunk {
    let mut c = Chunk::new(name, params);
    for (i, op) in code.iter().enumerate() {
        c.push(*op, at(i as u32 + 1, 5));
    }
    c.registers = registers;
    c
}

fn program(functions: Vec<Chunk>) -> Program {
    let p = Program {
        files: vec!["test.myco".into()],
        functions,
        ..Program::default()
    };
    p.validate().expect("valid program");
    p
}

fn run(p: &Program, args: &[Value], host: &mut StandaloneHost) -> Exit {
    let mut vm = Vm::new();
    vm.begin_turn(u64::MAX);
    vm.run(
        RunInput {
            program: p,
            function: 0,
            args,
            sender: Value::None,
        },
        &mut [],
        host,
    )
}

/// fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), as function 0.
fn fib_chunk() -> Chunk {
    chunk(
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
    )
}

#[test]
fn arithmetic_follows_int_and_float_rules() {
    // (7 * 6 - 2) / 3 = 13 (truncating); -7 % 3 = -1 (toward zero)
    let p = program(vec![chunk(
        "main",
        0,
        6,
        &[
            Op::LoadInt { dst: 0, value: 7 },
            Op::LoadInt { dst: 1, value: 6 },
            Op::MulInt { dst: 2, a: 0, b: 1 },
            Op::AddIntImm {
                dst: 2,
                a: 2,
                imm: -2,
            },
            Op::LoadInt { dst: 3, value: 3 },
            Op::DivInt { dst: 2, a: 2, b: 3 },
            Op::LoadInt { dst: 4, value: -7 },
            Op::ModInt { dst: 4, a: 4, b: 3 },
            Op::NewList {
                dst: 5,
                start: 2,
                count: 3,
            },
            Op::Return { src: 5 },
        ],
    )]);
    let mut host = StandaloneHost::new(10.0);
    let Exit::Returned(Value::List(items)) = run(&p, &[], &mut host) else {
        panic!("expected a list");
    };
    let got: Vec<Value> = items.iter().cloned().collect();
    assert_eq!(got, vec![Value::Int(13), Value::Int(3), Value::Int(-1)]);
}

#[test]
fn float_division_by_zero_is_inf_not_a_fault() {
    let mut c = chunk(
        "main",
        0,
        3,
        &[
            Op::LoadConst { dst: 0, k: 0 },
            Op::LoadConst { dst: 1, k: 1 },
            Op::DivFloat { dst: 2, a: 0, b: 1 },
            Op::Return { src: 2 },
        ],
    );
    c.consts = vec![Value::Float(1.0), Value::Float(0.0)];
    let p = program(vec![c]);
    let exit = run(&p, &[], &mut StandaloneHost::new(1.0));
    assert_eq!(exit, Exit::Returned(Value::Float(f64::INFINITY)));
}

#[test]
fn int_overflow_is_a_runtime_error_with_its_location() {
    let mut c = chunk(
        "main",
        0,
        2,
        &[
            Op::LoadConst { dst: 0, k: 0 },
            Op::AddIntImm {
                dst: 1,
                a: 0,
                imm: 1,
            },
            Op::Return { src: 1 },
        ],
    );
    c.consts = vec![Value::Int(i64::MAX)];
    let p = program(vec![c]);
    let Exit::Fault(e) = run(&p, &[], &mut StandaloneHost::new(1.0)) else {
        panic!("expected a fault");
    };
    assert!(e.message.contains("overflow"), "{}", e.message);
    // The second instruction sits on line 2 (see `chunk`).
    assert_eq!(e.loc, at(2, 5));
    assert_eq!(e.rendered, format!("test.myco:2:5: {}", e.message));
}

#[test]
fn int_division_by_zero_faults() {
    let p = program(vec![chunk(
        "main",
        0,
        3,
        &[
            Op::LoadInt { dst: 0, value: 1 },
            Op::LoadInt { dst: 1, value: 0 },
            Op::DivInt { dst: 2, a: 0, b: 1 },
            Op::Return { src: 2 },
        ],
    )]);
    let Exit::Fault(e) = run(&p, &[], &mut StandaloneHost::new(1.0)) else {
        panic!("expected a fault");
    };
    assert_eq!(e.message, "division by zero");
}

#[test]
fn for_range_loop_sums() {
    // s = 0; for i in 0..10 { s += i }  => 45
    let p = program(vec![chunk(
        "main",
        0,
        3,
        &[
            Op::LoadInt { dst: 0, value: 0 },  // s
            Op::LoadInt { dst: 1, value: 0 },  // counter
            Op::LoadInt { dst: 2, value: 10 }, // end
            Op::JumpIfNotLtInt {
                a: 1,
                b: 2,
                target: 6,
            },
            Op::AddInt { dst: 0, a: 0, b: 1 },
            Op::ForRange {
                counter: 1,
                end: 2,
                target: 4,
            },
            Op::Return { src: 0 },
        ],
    )]);
    assert_eq!(
        run(&p, &[], &mut StandaloneHost::new(1.0)),
        Exit::Returned(Value::Int(45))
    );
}

#[test]
fn recursive_calls_compute_fib() {
    let p = program(vec![fib_chunk()]);
    let exit = run(&p, &[Value::Int(20)], &mut StandaloneHost::new(1e9));
    assert_eq!(exit, Exit::Returned(Value::Int(6765)));
}

#[test]
fn unbounded_recursion_hits_the_call_depth_limit() {
    // f(n) = f(n + 1): never returns.
    let p = program(vec![chunk(
        "f",
        1,
        2,
        &[
            Op::AddIntImm {
                dst: 1,
                a: 0,
                imm: 1,
            },
            Op::Call {
                dst: 0,
                func: 0,
                args: 1,
            },
            Op::Return { src: 0 },
        ],
    )]);
    let Exit::Fault(e) = run(&p, &[Value::Int(0)], &mut StandaloneHost::new(1e9)) else {
        panic!("expected a fault");
    };
    assert!(e.message.contains("call depth"), "{}", e.message);
    assert!(e.message.contains(&MAX_CALL_DEPTH.to_string()));
}

#[test]
fn metering_charges_each_instruction_from_the_table() {
    let p = program(vec![chunk(
        "main",
        0,
        2,
        &[
            Op::LoadInt { dst: 0, value: 1 },
            Op::AddIntImm {
                dst: 1,
                a: 0,
                imm: 1,
            },
            Op::Return { src: 1 },
        ],
    )]);
    let mut host = StandaloneHost::new(1.0);
    assert_eq!(run(&p, &[], &mut host), Exit::Returned(Value::Int(2)));
    let expected: i64 = p.functions[0].code.iter().map(Op::cost).sum();
    let spent = (1.0 - host.energy) * FUEL_PER_ENERGY as f64;
    assert!(
        (spent - expected as f64).abs() < 1e-3,
        "spent {spent}, expected {expected}"
    );
}

#[test]
fn an_endless_loop_exhausts_the_fuel() {
    let p = program(vec![chunk(
        "main",
        0,
        1,
        &[
            Op::LoadInt { dst: 0, value: 0 },
            Op::AddIntImm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            Op::Jump { target: 1 },
        ],
    )]);
    let mut host = StandaloneHost::new(0.5);
    assert_eq!(run(&p, &[], &mut host), Exit::OutOfEnergy);
}

#[test]
fn the_instruction_limit_is_a_runtime_error() {
    let p = program(vec![chunk(
        "main",
        0,
        1,
        &[
            Op::LoadInt { dst: 0, value: 0 },
            Op::AddIntImm {
                dst: 0,
                a: 0,
                imm: 1,
            },
            Op::Jump { target: 1 },
        ],
    )]);
    let mut vm = Vm::new();
    vm.begin_turn(10_000);
    let exit = vm.run(
        RunInput {
            program: &p,
            function: 0,
            args: &[],
            sender: Value::None,
        },
        &mut [],
        &mut StandaloneHost::new(1e12),
    );
    let Exit::Fault(e) = exit else {
        panic!("expected a fault, got {exit:?}");
    };
    assert!(e.message.contains("instruction limit"), "{}", e.message);
}

#[test]
fn fields_are_read_and_written_in_place() {
    let p = program(vec![chunk(
        "main",
        0,
        1,
        &[
            Op::GetField { dst: 0, field: 1 },
            Op::AddIntImm {
                dst: 0,
                a: 0,
                imm: 5,
            },
            Op::SetField { field: 0, src: 0 },
            Op::ReturnNone,
        ],
    )]);
    let mut fields = vec![Value::Int(0), Value::Int(10)];
    let mut vm = Vm::new();
    vm.begin_turn(u64::MAX);
    let exit = vm.run(
        RunInput {
            program: &p,
            function: 0,
            args: &[],
            sender: Value::None,
        },
        &mut fields,
        &mut StandaloneHost::new(1.0),
    );
    assert_eq!(exit, Exit::Returned(Value::None));
    assert_eq!(fields, vec![Value::Int(15), Value::Int(10)]);
}

#[test]
fn print_joins_arguments_with_spaces() {
    let mut c = chunk(
        "main",
        0,
        3,
        &[
            Op::LoadConst { dst: 0, k: 0 },
            Op::LoadConst { dst: 1, k: 1 },
            Op::LoadInt { dst: 2, value: 3 },
            Op::Print { start: 0, count: 3 },
            Op::ReturnNone,
        ],
    );
    c.consts = vec![Value::Str("a b".into()), Value::Float(1.0)];
    let p = program(vec![c]);
    let mut host = StandaloneHost::new(1.0);
    run(&p, &[], &mut host);
    assert_eq!(host.printed, vec!["a b 1.0 3".to_string()]);
}

#[test]
fn disassembly_lists_every_instruction_with_its_cost() {
    let p = program(vec![fib_chunk()]);
    let text = disassemble(&p.functions[0], Some(&p));
    assert!(text.contains("== fib (params 1, registers 5) =="));
    assert!(text.contains("Call r3, fn0 (fib), r2.."), "{text}");
    assert!(text.contains("cost 0.05"), "{text}");
    assert_eq!(text.lines().count(), 1 + p.functions[0].code.len());
}

/// s = 0; for i in 0..n { s += i }; return s — as function 0.
fn sum_program() -> Program {
    program(vec![chunk(
        "sum",
        1,
        4,
        &[
            Op::Move { dst: 2, src: 0 },      // end
            Op::LoadInt { dst: 0, value: 0 }, // s
            Op::LoadInt { dst: 1, value: 0 }, // i
            Op::JumpIfNotLtInt {
                a: 1,
                b: 2,
                target: 6,
            },
            Op::AddInt { dst: 0, a: 0, b: 1 },
            Op::ForRange {
                counter: 1,
                end: 2,
                target: 4,
            },
            Op::Return { src: 0 },
        ],
    )])
}

#[test]
fn loops_charge_every_iteration_exactly() {
    let p = sum_program();
    let mut host = StandaloneHost::new(1.0);
    assert_eq!(
        run(&p, &[Value::Int(10)], &mut host),
        Exit::Returned(Value::Int(45))
    );
    // 3 loads, the loop test, 10 adds, 10 loop steps, the return.
    let basic = myco_vm::bytecode::op::BASIC_COST;
    let expected = (3 + 1 + 10 + 10 + 1) * basic;
    let spent = ((1.0 - host.energy) * FUEL_PER_ENERGY as f64).round() as i64;
    assert_eq!(spent, expected);
}

#[test]
fn a_long_loop_stops_exactly_when_the_energy_is_out() {
    let p = sum_program();
    let basic = myco_vm::bytecode::op::BASIC_COST;
    // Energy for 4 setup instructions and 100 iterations of 2, not more.
    let energy = ((4 + 200) * basic) as f64 / FUEL_PER_ENERGY as f64;
    let mut host = StandaloneHost::new(energy);
    assert_eq!(run(&p, &[Value::Int(1000)], &mut host), Exit::OutOfEnergy);
    // Enough for the whole loop of 100 (4 + 200 + return).
    let energy = ((4 + 200 + 1) * basic) as f64 / FUEL_PER_ENERGY as f64;
    let mut host = StandaloneHost::new(energy);
    assert_eq!(
        run(&p, &[Value::Int(100)], &mut host),
        Exit::Returned(Value::Int(4950))
    );
}
