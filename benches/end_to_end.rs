//! End to end: Myco source compiled by the real compiler and run by the
//! real runtime, metered (the VM-only benchmarks on hand-built bytecode are
//! `vm/benches/interp.rs`; the runtime with Rust cells `vm/benches/runtime.rs`).
//!
//! - `vm/loop`: VM instructions per second on `s = (s + i*i) % 1000003`;
//! - `vm/fib30`: `fib(30)` by naive recursion;
//! - `vm/lists`: list-heavy code (build, push, index, iterate, pop);
//! - `sense_100k`: a tick of a 100,000-cell world where every cell senses;
//! - `chemotaxis`: a full tick of `bench/workloads/chemotaxis.myco` at 10,000
//!   and 100,000 cells (grazers + a tenth as many food sources), 1 and 2 threads.
//!
//! `cargo bench --bench end_to_end` (a few minutes; sample sizes are small).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use myco::{RunOptions, Simulation};

/// Enough per-turn instructions for the VM workloads (energy meters them all).
const MAX_INSTRUCTIONS: u64 = 1_000_000_000;

fn simulation(source: &str, threads: usize) -> Simulation {
    let compiled = match myco::compile(source) {
        Ok(c) => c,
        Err(e) => panic!("benchmark program does not compile:\n{e}"),
    };
    let options = RunOptions {
        threads,
        max_instructions_per_turn: MAX_INSTRUCTIONS,
        ..RunOptions::default()
    };
    match Simulation::new(&compiled, &options) {
        Ok(sim) => sim,
        Err(e) => panic!("benchmark program does not instantiate: {e}"),
    }
}

/// A program whose one cell runs `body` every tick with plenty of energy.
fn one_cell(items: &str, body: &str) -> String {
    format!(
        "{items}\n\
         cell Main {{ metabolism {{ {body} }} }}\n\
         ecosystem {{ world.grace = 1000000000; spawn Main {{ energy: 1000000000000000.0 }} at (0.0, 0.0); }}\n"
    )
}

/// Ticks once, checks the one cell printed `expected` and is still alive,
/// and returns the instructions that tick counted.
fn calibrate(sim: &mut Simulation, expected: &str) -> u64 {
    let before = sim.world().counters().instructions;
    let report = sim.tick();
    assert_eq!(report.prints, vec![expected.to_string()], "wrong result");
    assert_eq!(sim.world().len(), 1, "the cell must survive its turn");
    sim.world().counters().instructions - before
}

fn bench_vm(c: &mut Criterion) {
    let mut group = c.benchmark_group("vm");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));

    // 1,000,000 iterations: s ends at sum(i*i for i < 10^6) mod 1000003,
    // computed here independently of Myco.
    let expected = (0..1_000_000i64).fold(0i64, |s, i| (s + i * i) % 1_000_003);
    let mut sim = simulation(
        &one_cell(
            "",
            "let mut s = 0; for i in 0..1000000 { s = (s + i * i) % 1000003; } print(s);",
        ),
        1,
    );
    let instructions = calibrate(&mut sim, &expected.to_string());
    group.throughput(Throughput::Elements(instructions));
    group.bench_function("loop_1m", |b| b.iter(|| black_box(sim.tick())));

    let mut sim = simulation(
        &one_cell(
            "fn fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }",
            "print(fib(30));",
        ),
        1,
    );
    let instructions = calibrate(&mut sim, "832040");
    group.throughput(Throughput::Elements(instructions));
    group.bench_function("fib30", |b| b.iter(|| black_box(sim.tick())));

    // Lists: build 1,000 squares by push, sum them by index and by iteration,
    // pop them all; 100 rounds. Sum of i*i for i < 1000 is 332,833,500; two
    // sums per round, 100 rounds: 66,566,700,000.
    let mut sim = simulation(
        &one_cell(
            "",
            "let mut total = 0;
             for _r in 0..100 {
                 let mut xs: [int] = [];
                 for i in 0..1000 { xs.push(i * i); }
                 for i in 0..xs.len() { total += xs[i]; }
                 for x in xs { total += x; }
                 while !xs.is_empty() { xs.pop(); }
             }
             print(total);",
        ),
        1,
    );
    let instructions = calibrate(&mut sim, "66566700000");
    group.throughput(Throughput::Elements(instructions));
    group.bench_function("lists", |b| b.iter(|| black_box(sim.tick())));
    group.finish();
}

/// 100,000 static cells in a disc of radius 10·√N, each emitting one
/// gradient of range 40 and sensing it every tick.
fn bench_sense(c: &mut Criterion) {
    let source = "gradient G { range: 40.0, falloff: 0.05 }
        cell Sensor {
            seen: int = 0;
            metabolism {
                emit G 1.0;
                self.seen = (sense G).len();
            }
        }
        ecosystem {
            world.seed = 7;
            world.max_cells = 2000000;
            world.grace = 1000000000;
            world.starve_ticks = 1000000000;
            for _i in 0..100000 { spawn Sensor at rand_vec(10.0 * sqrt(100000.0)); }
        }";
    let mut group = c.benchmark_group("sense_100k");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.throughput(Throughput::Elements(100_000));
    let mut sim = simulation(source, 1);
    // Fill the field: from the second tick on, every cell senses its neighbours.
    sim.tick();
    sim.tick();
    assert_eq!(sim.world().len(), 100_000);
    group.bench_function("tick", |b| b.iter(|| black_box(sim.tick())));
    group.finish();
}

/// The chemotaxis workload of bench/compare.sh at `grazers` grazers.
fn chemotaxis_source(grazers: usize) -> String {
    let template = include_str!("../bench/workloads/chemotaxis.myco");
    let line = "const GRAZERS: int = 1000;";
    assert!(
        template.contains(line),
        "chemotaxis.myco's GRAZERS line moved"
    );
    template.replace(line, &format!("const GRAZERS: int = {grazers};"))
}

fn bench_chemotaxis(c: &mut Criterion) {
    let mut group = c.benchmark_group("chemotaxis");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    for grazers in [10_000usize, 100_000] {
        let cells = grazers + grazers / 10;
        group.throughput(Throughput::Elements(cells as u64));
        for threads in [1, 2] {
            let mut sim = simulation(&chemotaxis_source(grazers), threads);
            sim.tick();
            assert_eq!(sim.world().len(), cells);
            group.bench_function(format!("{cells}_cells/{threads}_threads"), |b| {
                b.iter(|| black_box(sim.tick()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_vm, bench_sense, bench_chemotaxis);
criterion_main!(benches);
