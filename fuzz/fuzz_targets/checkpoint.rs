//! Resuming from damaged checkpoints of a fixed program (the kill-and-resume
//! colony). The fuzzer's bytes are the payload; the header and its CRC are
//! made to match, so the decoder and every structural and type check behind
//! the checksum are what gets exercised. Whatever the payload, resuming must
//! either refuse it with an error or give a world that ticks without a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn compiled() -> &'static myco::Compiled {
    static COMPILED: OnceLock<myco::Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let source = include_str!("../../tests/checkpoint/colony.myco");
        myco::compile_source(
            source,
            "tests/checkpoint/colony.myco",
            &myco::NoImports,
            &myco::CheckOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    })
}

fuzz_target!(|payload: &[u8]| {
    let mut bytes = Vec::with_capacity(24 + payload.len());
    bytes.extend_from_slice(myco::vm::runtime::MAGIC);
    bytes.extend_from_slice(&myco::checkpoint::FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    let options = myco::RunOptions {
        max_instructions_per_turn: 100_000,
        max_cells: Some(2_000),
        threads: 1,
        ..myco::RunOptions::default()
    };
    if let Ok(mut sim) = myco::Simulation::resume(compiled(), &bytes, &options) {
        for _ in 0..3 {
            let _ = sim.tick();
        }
        let _ = sim.world().dump_json();
        let _ = sim.checkpoint();
    }
});
