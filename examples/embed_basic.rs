//! Embedding Myco in a Rust program: compile a program that calls a host
//! function, tick it, read cells' fields as typed values, read the event log,
//! and step back with a snapshot.
//!
//! Run: `cargo run --example embed_basic`

use myco::{Engine, EventKind, RunOptions, Type, Value};

const PROGRAM: &str = r#"
gradient FOOD;

cell Counter {
    count: int = 0;
    metabolism {
        self.count += 1;
        // `bonus` is a host function, registered by the Rust program below.
        if self.count == bonus(2) { print(self, "reached", self.count); }
        if self.count >= 5 { die; }
        report 1.0;
    }
}

ecosystem {
    world.seed = 7;
    spawn Counter at (0.0, 0.0);
    spawn Counter { count: 2 } at (5.0, 0.0);
}
"#;

/// Runs the example; returns the lines it printed (the test checks them).
pub fn run() -> Result<Vec<String>, String> {
    let mut engine = Engine::new();
    // Host functions are pure: turns run in parallel and stay deterministic.
    engine.register_fn("bonus", &[Type::Int], Type::Int, |args| match args {
        [Value::Int(n)] => n
            .checked_add(1)
            .map(Value::Int)
            .ok_or_else(|| "overflow".to_string()),
        _ => Err("bonus: expected one int".to_string()),
    });
    let compiled = engine.compile(PROGRAM).map_err(|e| e.to_string())?;
    let mut sim = engine
        .simulate(&compiled, RunOptions::default())
        .map_err(|e| e.to_string())?;

    let mut out = Vec::new();
    let first = sim.tick();
    out.extend(first.prints);
    let ids: Vec<_> = sim.world().cells().map(|c| c.id()).collect();
    for id in &ids {
        let count = sim.field(*id, "count").and_then(|v| v.as_int());
        out.push(format!("after tick 1: {id} count {count:?}"));
    }

    // A snapshot is O(1): the state is persistent.
    let snapshot = sim.snapshot();
    for _ in 0..5 {
        let report = sim.tick();
        out.extend(report.prints);
        for event in report.events {
            if let EventKind::Died { cell, cause, .. } = event.kind {
                out.push(format!("tick {}: {cell} died ({cause:?})", event.tick));
            }
        }
    }
    out.push(format!("alive after tick 6: {}", sim.world().len()));
    sim.restore(snapshot);
    out.push(format!(
        "back at tick {}: alive {}",
        sim.world().tick_count(),
        sim.world().len()
    ));
    Ok(out)
}

#[allow(dead_code)] // `main` is unused when the test includes this file as a module.
fn main() {
    match run() {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
