//! Interpreter throughput with metering on: an arithmetic loop and fib.

use criterion::{Criterion, criterion_group, criterion_main};
use myco_vm::interp::{Exit, RunInput, StandaloneHost, Vm};
use myco_vm::program::Program;
use myco_vm::value::Value;

#[path = "shared/programs.rs"]
mod programs;

use programs::{fib_program, loop_program};

fn run(vm: &mut Vm, p: &Program, arg: i64) -> Exit {
    let mut host = StandaloneHost::new(1e12);
    vm.begin_turn(u64::MAX);
    vm.run(
        RunInput {
            program: p,
            function: 0,
            args: &[Value::Int(arg)],
            sender: Value::None,
        },
        &mut [],
        &mut host,
    )
}

fn benches(c: &mut Criterion) {
    let mut vm = Vm::new();
    let looped = loop_program();
    let fib = fib_program();
    let mut group = c.benchmark_group("interp");
    group.sample_size(10);
    group.bench_function("loop_10M", |b| {
        b.iter(|| run(&mut vm, &looped, 10_000_000));
    });
    group.bench_function("fib_27", |b| b.iter(|| run(&mut vm, &fib, 27)));
    group.bench_function("fib_30", |b| b.iter(|| run(&mut vm, &fib, 30)));
    group.finish();
}

criterion_group!(interp, benches);
criterion_main!(interp);
