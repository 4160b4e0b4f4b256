//! Times the interpreter benchmarks once each (a quick check without
//! criterion): `cargo run --release -p myco-vm --example interp_timing [loop|fib27|fib30]`.

use std::time::Instant;

use myco_vm::interp::{RunInput, StandaloneHost, Vm};
use myco_vm::program::Program;
use myco_vm::value::Value;

#[path = "../benches/shared/programs.rs"]
mod programs;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let looped = programs::loop_program();
    let fib = programs::fib_program();
    let mut vm = Vm::new();
    let cases: &[(&str, &Program, i64)] = &[
        ("loop", &looped, 10_000_000),
        ("fib27", &fib, 27),
        ("fib30", &fib, 30),
        // Small sizes, for instruction counting under callgrind.
        ("loop1m", &looped, 1_000_000),
        ("fib20", &fib, 20),
    ];
    let reps: usize = std::env::var("MYCO_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    for &(name, program, arg) in cases {
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
                    program,
                    function: 0,
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
