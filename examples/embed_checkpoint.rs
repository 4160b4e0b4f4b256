//! Checkpoints from Rust: run a world, save it, drop it, resume it from the
//! bytes in a fresh `Simulation`, and go on exactly as the original would.
//! A host that runs long simulations saves with `save_checkpoint(path)`
//! (atomic) every so often and resumes with `Simulation::resume` after a
//! crash; a wall-time limit comes from `RunOptions::time_limit` and
//! `try_tick`, which discards a tick cut short.
//!
//! Run: `cargo run --example embed_checkpoint`

use myco::{RunOptions, Simulation};

const PROGRAM: &str = r#"
signal Gift { amount: int }

cell Giver {
    given: int = 0;
    peer: cell? = none;
    metabolism {
        if let p = self.peer {
            self.given += 1;
            send Gift { amount: self.given } to p;
        }
    }
    on Gift(g) {
        print(self, "got", g.amount, "from", sender, "at", now());
        report 1.0;
    }
}

ecosystem {
    spawn Giver { peer: none } at (0.0, 0.0);
    spawn Giver at (3.0, 4.0);
}
"#;

/// Runs the example; returns the lines it printed (the test checks them).
pub fn run() -> Result<Vec<String>, String> {
    let compiled = myco::compile(PROGRAM).map_err(|e| e.to_string())?;
    let options = RunOptions::default();
    let mut sim = Simulation::new(&compiled, &options).map_err(|e| e.to_string())?;
    // #2 has no peer yet: give it one from the host, then run 2 ticks.
    let spawned = sim
        .spawn_kind(
            "Giver",
            &[("peer", myco::Value::Cell(myco::CellId(2)))],
            myco::SpawnOptions::default(),
        )
        .ok_or("spawn refused")?;
    let mut out = vec![format!("host spawned {spawned}")];
    for _ in 0..2 {
        out.extend(sim.tick().prints);
    }

    // Save at tick 2 (a Gift sent at tick 2 is in flight: delivered at 3).
    let bytes = sim.checkpoint().map_err(|e| e.to_string())?;
    out.push(format!("saved tick {}", sim.world().tick_count()));
    let mut original = sim;

    // Resume from the bytes alone: the same program, new process state.
    let mut resumed = Simulation::resume(&compiled, &bytes, &options).map_err(|e| e.to_string())?;
    out.push(format!("resumed at tick {}", resumed.world().tick_count()));
    for _ in 0..2 {
        let report = resumed.tick();
        if report != original.tick() {
            return Err("the resumed run went its own way".into());
        }
        out.extend(report.prints);
    }
    out.push(format!(
        "same state: {}",
        resumed.world().state_hash() == original.world().state_hash()
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
