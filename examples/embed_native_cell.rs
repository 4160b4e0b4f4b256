//! A cell written in Rust living in the same ecosystem as cells written in
//! Myco: the Rust `Beacon` emits a gradient and answers `Ping` signals; the
//! Myco `Seeker`s sense it, bind to it and ping it. Both pay the same costs.
//!
//! Run: `cargo run --example embed_native_cell`

use myco::{
    Cell, CellContext, CellId, MetabolismResult, Record, RunOptions, SignalKindId, SpawnOptions,
    Value, Vec2,
};

const PROGRAM: &str = r#"
gradient BEACON { range: 50.0, falloff: 0.1 }
signal Ping { from: cell, n: int }
signal Pong { n: int }

cell Seeker {
    sent: int = 0;
    metabolism {
        if let r = (sense BEACON).first() {
            if !r.bonded { bind r.source; }
            self.sent += 1;
            send Ping { from: self, n: self.sent } to r.source;
        }
    }
    on Pong(p) {
        print(self, "got pong", p.n, "from", sender);
        report 1.0;
    }
}

ecosystem {
    world.autobind = 1000;
    spawn Seeker at (10.0, 0.0);
    spawn Seeker at (0.0, 20.0);
}
"#;

/// A beacon written in Rust. Its state is `Clone`: the runtime keeps the
/// pre-turn state to roll a turn back, and snapshots it.
#[derive(Clone)]
struct Beacon {
    gradient: myco::GradientId,
    ping: SignalKindId,
    pong: SignalKindId,
    answered: i64,
}

impl Cell for Beacon {
    fn kind_name(&self) -> &str {
        "Beacon"
    }

    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }

    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        ctx.emit(self.gradient, 1.0);
        MetabolismResult::Continue
    }

    fn handles(&self, kind: SignalKindId) -> bool {
        kind == self.ping
    }

    fn on_signal(
        &mut self,
        ctx: &mut CellContext<'_>,
        sender: CellId,
        signal: &Record,
    ) -> MetabolismResult {
        // Ping { from: cell, n: int }: answer with Pong { n }.
        let n = signal.fields.get(1).and_then(Value::as_int).unwrap_or(0);
        self.answered += 1;
        let pong = Record {
            kind: self.pong,
            fields: vec![Value::Int(n)].into(),
        };
        ctx.send(sender, pong);
        if ctx.report_value(1.0).is_err() {
            return MetabolismResult::OutOfEnergy;
        }
        MetabolismResult::Continue
    }

    fn fields(&self) -> Vec<(String, Value)> {
        vec![("answered".to_string(), Value::Int(self.answered))]
    }
}

/// Runs the example; returns the lines it printed (the test checks them).
pub fn run() -> Result<Vec<String>, String> {
    let compiled = myco::compile(PROGRAM).map_err(|e| e.to_string())?;
    let mut sim =
        myco::Simulation::new(&compiled, &RunOptions::default()).map_err(|e| e.to_string())?;
    let world = sim.world();
    let (Some(gradient), Some(ping), Some(pong)) = (
        world.gradient_id("BEACON"),
        world.signal_id("Ping"),
        world.signal_id("Pong"),
    ) else {
        return Err("the program lacks BEACON, Ping or Pong".to_string());
    };
    let beacon = Beacon {
        gradient,
        ping,
        pong,
        answered: 0,
    };
    let beacon_id = sim
        .spawn_native(
            beacon,
            SpawnOptions {
                pos: Some(Vec2::new(0.0, 0.0)),
                ..Default::default()
            },
        )
        .ok_or("the beacon was refused")?;

    let mut out = vec![format!("beacon is {beacon_id}")];
    for _ in 0..5 {
        out.extend(sim.tick().prints);
    }
    let answered = sim.field(beacon_id, "answered").and_then(|v| v.as_int());
    out.push(format!("beacon answered {answered:?}"));
    if let Some(cell) = sim.world().cell(beacon_id) {
        let bonds: Vec<String> = cell.bonds().iter().map(|b| b.to_string()).collect();
        out.push(format!("beacon bonds [{}]", bonds.join(", ")));
    }
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
