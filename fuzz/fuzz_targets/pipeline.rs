//! The whole pipeline on generated well-typed programs (the generator of
//! `tests/progen`, seeded by the fuzzer's bytes): every program must check,
//! and running it for a few ticks under host limits must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/progen/mod.rs"]
mod progen;

fuzz_target!(|data: &[u8]| {
    let source = progen::program(&mut progen::Rng::from_bytes(data));
    let compiled = match myco::compile(&source) {
        Ok(c) => c,
        Err(e) => panic!("a generated program does not compile:\n{source}\n{e}"),
    };
    let options = myco::RunOptions {
        max_instructions_per_turn: 100_000,
        max_cells: Some(200),
        ..myco::RunOptions::default()
    };
    if let Ok(mut sim) = myco::Simulation::new(&compiled, &options) {
        for _ in 0..4 {
            let _ = sim.tick();
        }
        let _ = sim.world().dump_json();
    }
});
