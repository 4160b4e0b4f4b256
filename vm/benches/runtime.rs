//! The runtime's throughput on the chemotaxis workload of
//! `/work/shared/ANCHORS.md`: 100,000 grazers that each sense one gradient
//! (FOOD: move 2.0 toward the strongest reading within range 40, falloff
//! 0.05, or randomly within a disc of radius 3 when none) and emit one
//! (SCENT) per tick, plus 10,000 static food sources emitting FOOD, all
//! placed in a disc of radius 10·√N; on 1 and 2 threads.
//!
//! (Grazers chase FOOD, not each other's SCENT: a world where everyone
//! chases everyone collapses into clumps, and sensing then costs what the
//! clump size is, as it must.)
//!
//! `cargo bench -p myco-vm --bench runtime`. Throughput is in grazer steps
//! per second; ticks/s = that / 100,000.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use myco_vm::runtime::{
    Cell, CellContext, Declarations, GradientSpec, MetabolismResult, SpawnOptions, World,
    WorldSettings,
};
use myco_vm::value::{GradientId, Vec2};

const FOOD: GradientId = GradientId(0);
const SCENT: GradientId = GradientId(1);
const CELLS: usize = 100_000;

#[derive(Clone)]
struct Grazer {
    steps: i64,
}

impl Cell for Grazer {
    fn kind_name(&self) -> &str {
        "Grazer"
    }
    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        let Ok(best) = ctx.sense_gradient_strongest(FOOD) else {
            return MetabolismResult::OutOfEnergy;
        };
        let step = match best {
            Some(r) => {
                let here = ctx.position();
                let d = Vec2::new(r.pos.x - here.x, r.pos.y - here.y);
                let len = d.len();
                if len > 0.0 {
                    Vec2::new(d.x / len * 2.0, d.y / len * 2.0)
                } else {
                    Vec2::default()
                }
            }
            None => ctx.rand_vec(3.0),
        };
        ctx.move_by(step);
        ctx.emit(SCENT, 1.0);
        let _ = ctx.report_value(1.0);
        self.steps += 1;
        MetabolismResult::Continue
    }
}

#[derive(Clone)]
struct Food;

impl Cell for Food {
    fn kind_name(&self) -> &str {
        "Food"
    }
    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(Food)
    }
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        ctx.emit(FOOD, 1.0);
        let _ = ctx.report_value(1.0);
        MetabolismResult::Continue
    }
}

fn world(threads: usize) -> World {
    let settings = WorldSettings {
        income: CELLS as f64 * 2.0,
        max_cells: 2 * CELLS as i64,
        ..WorldSettings::default()
    };
    let decls = Declarations {
        gradients: vec![
            GradientSpec::new("FOOD").range(40.0).falloff(0.05),
            GradientSpec::new("SCENT").range(40.0).falloff(0.05),
        ],
        ..Declarations::default()
    };
    let Ok(mut w) = World::new(settings, decls) else {
        panic!("world")
    };
    w.set_threads(threads);
    let radius = 10.0 * (CELLS as f64).sqrt();
    let mut rng = myco_vm::runtime::CellRng::new(1, 1, 0, myco_vm::runtime::Phase::Turn);
    for i in 0..CELLS + CELLS / 10 {
        let p = rng.next_vec(radius);
        let options = SpawnOptions {
            pos: Some(p),
            ..SpawnOptions::default()
        };
        let cell: Box<dyn Cell> = if i % 11 == 10 {
            Box::new(Food)
        } else {
            Box::new(Grazer { steps: 0 })
        };
        w.spawn(cell, options, None);
    }
    // Fill the gradient field.
    w.tick();
    w.tick();
    w
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("chemotaxis_100k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CELLS as u64));
    for threads in [1, 2] {
        let mut w = world(threads);
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| black_box(w.tick().prints.len()));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
