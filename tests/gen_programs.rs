//! Random well-typed programs (from `tests/gen`) must pass the checker and
//! run a few ticks under host limits without panicking.

mod progen;

use proptest::prelude::*;

/// The host limits generated programs run under.
fn host_limits() -> myco::RunOptions {
    myco::RunOptions {
        max_instructions_per_turn: 100_000,
        max_cells: Some(200),
        ..myco::RunOptions::default()
    }
}

fn run_ticks(source: &str, ticks: u32) {
    let compiled = match myco::compile(source) {
        Ok(c) => c,
        Err(e) => panic!("a generated program does not compile:\n{source}\n{e}"),
    };
    let options = host_limits();
    // The ecosystem block may fault (a generated expression): that is an
    // error value, not a panic.
    let Ok(mut sim) = myco::Simulation::new(&compiled, &options) else {
        return;
    };
    for _ in 0..ticks {
        let _ = sim.tick();
    }
    let _ = sim.world().dump_json();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_check_and_run(seed in any::<u64>()) {
        let source = progen::program(&mut progen::Rng::new(seed));
        run_ticks(&source, 4);
    }
}

#[test]
fn the_generator_is_deterministic_and_varied() {
    let a = progen::program(&mut progen::Rng::new(7));
    let b = progen::program(&mut progen::Rng::new(7));
    let c = progen::program(&mut progen::Rng::new(8));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.contains("cell C0") && a.contains("ecosystem"));
}

/// `PRINT_GENERATED=SEED cargo test --test gen_programs print_one -- --nocapture`
/// shows one generated program.
#[test]
fn print_one() {
    if let Ok(seed) = std::env::var("PRINT_GENERATED") {
        let seed = seed.parse().unwrap_or(0);
        println!("{}", progen::program(&mut progen::Rng::new(seed)));
    }
}

/// Runs `before` ticks, checkpoints, resumes the checkpoint in a second
/// simulation and ticks both `after` more: every tick's report and the final
/// state must be the same (so the checkpoint kept everything a tick reads).
fn checkpoint_round_trip(source: &str, before: u32, after: u32) {
    let Ok(compiled) = myco::compile(source) else {
        panic!("a generated program does not compile:\n{source}");
    };
    let options = host_limits();
    let Ok(mut sim) = myco::Simulation::new(&compiled, &options) else {
        return;
    };
    for _ in 0..before {
        let _ = sim.tick();
    }
    let bytes = sim
        .checkpoint()
        .unwrap_or_else(|e| panic!("cannot checkpoint:\n{source}\n{e}"));
    let mut resumed = myco::Simulation::resume(&compiled, &bytes, &options)
        .unwrap_or_else(|e| panic!("cannot resume:\n{source}\n{e}"));
    assert_eq!(
        resumed.world().state_hash(),
        sim.world().state_hash(),
        "{source}"
    );
    for _ in 0..after {
        assert_eq!(resumed.tick(), sim.tick(), "{source}");
    }
    assert_eq!(
        resumed.world().state_hash(),
        sim.world().state_hash(),
        "{source}"
    );
    assert_eq!(resumed.world().dump_json(), sim.world().dump_json());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_resume_from_checkpoints_exactly(seed in any::<u64>(), before in 0u32..5) {
        let source = progen::program(&mut progen::Rng::new(seed));
        checkpoint_round_trip(&source, before, 4);
    }
}
