//! The same chemotaxis workload run by cells written in Myco (the bytecode
//! VM) and by equivalent cells written in Rust, in the same runtime, from the
//! same starting positions: the ratio is what the interpreter costs.
//!
//! Run: `cargo run --release --example vm_vs_rust [GRAZERS] [TICKS] [THREADS]`
//! (defaults 10000, 20, 1). Prints ticks/s for each and the ratio.

use std::time::Instant;

use myco::{
    Cell, CellContext, GradientId, MetabolismResult, RunOptions, Simulation, SpawnOptions, Vec2,
};

const WORKLOAD: &str = include_str!("../bench/workloads/chemotaxis.myco");
const STEP: f64 = 2.0;
const WANDER: f64 = 3.0;

/// A food source: emits FOOD every tick.
#[derive(Clone)]
struct Food {
    food: GradientId,
}

impl Cell for Food {
    fn kind_name(&self) -> &str {
        "Food"
    }
    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        ctx.emit(self.food, 1.0);
        MetabolismResult::Continue
    }
}

/// A grazer: moves STEP toward the strongest FOOD reading, or a random step.
#[derive(Clone)]
struct Grazer {
    food: GradientId,
}

impl Cell for Grazer {
    fn kind_name(&self) -> &str {
        "Grazer"
    }
    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        let step = match ctx.sense_gradient_strongest(self.food) {
            Ok(Some(r)) => {
                let d = Vec2::new(r.pos.x - ctx.position().x, r.pos.y - ctx.position().y);
                let len = d.len();
                if len > 0.0 {
                    Vec2::new(d.x / len * STEP, d.y / len * STEP)
                } else {
                    Vec2::new(0.0, 0.0)
                }
            }
            Ok(None) => ctx.rand_vec(WANDER),
            Err(_) => return MetabolismResult::OutOfEnergy,
        };
        ctx.move_by(step);
        MetabolismResult::Continue
    }
}

fn ticks_per_second(sim: &mut Simulation, ticks: u64) -> f64 {
    let started = Instant::now();
    for _ in 0..ticks {
        sim.tick();
    }
    ticks as f64 / started.elapsed().as_secs_f64()
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().ok());
    let grazers = args.next().flatten().unwrap_or(10_000);
    let ticks = args.next().flatten().unwrap_or(20);
    let threads = args.next().flatten().unwrap_or(1) as usize;
    let source = WORKLOAD.replace(
        "const GRAZERS: int = 1000;",
        &format!("const GRAZERS: int = {grazers};"),
    );
    let options = RunOptions {
        threads,
        ..RunOptions::default()
    };

    // Myco cells, placed by the program's ecosystem block.
    let compiled = myco::compile(&source).map_err(|e| e.to_string())?;
    let mut script = Simulation::new(&compiled, &options).map_err(|e| e.to_string())?;

    // Rust cells at the same positions, in a world with the same settings.
    let decls_only = source
        .split("ecosystem {")
        .next()
        .unwrap_or_default()
        .to_string()
        + "ecosystem { world.seed = 2026; world.max_cells = 2000000; world.grace = 1000000; world.starve_ticks = 1000000; }";
    let compiled_rust = myco::compile(&decls_only).map_err(|e| e.to_string())?;
    let mut native = Simulation::new(&compiled_rust, &options).map_err(|e| e.to_string())?;
    let food = native
        .world()
        .gradient_id("FOOD")
        .ok_or("no FOOD gradient")?;
    let placed: Vec<(String, Vec2)> = script
        .world()
        .cells()
        .map(|c| (c.kind().to_string(), c.pos()))
        .collect();
    for (kind, pos) in placed {
        let at = SpawnOptions {
            pos: Some(pos),
            ..SpawnOptions::default()
        };
        let spawned = if kind == "Food" {
            native.spawn_native(Food { food }, at)
        } else {
            native.spawn_native(Grazer { food }, at)
        };
        spawned.ok_or("a spawn was refused")?;
    }

    let vm = ticks_per_second(&mut script, ticks);
    let rust = ticks_per_second(&mut native, ticks);
    println!(
        "{grazers} grazers + {} food, {ticks} ticks, {threads} thread(s): Myco cells {vm:.1} ticks/s, Rust cells {rust:.1} ticks/s, Rust/Myco {:.2}x",
        grazers / 10,
        rust / vm
    );
    Ok(())
}
