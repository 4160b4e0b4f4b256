//! Host limits a program cannot raise (`RunOptions` and the `myco run`
//! flags): cells, value size, an interrupt from another thread, wall time.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use myco::{InterruptHandle, RunOptions, Simulation};

fn simulation(source: &str, options: &RunOptions) -> Simulation {
    let compiled = myco::compile(source).unwrap_or_else(|e| panic!("{e}"));
    Simulation::new(&compiled, options).unwrap_or_else(|e| panic!("{e}"))
}

const TWENTY_CELLS: &str = "
cell C { metabolism { } }
ecosystem {
    world.max_cells = MAX;
    for _i in 0..20 { spawn C; }
}
";

#[test]
fn a_program_cannot_raise_the_host_cell_cap() {
    let options = RunOptions {
        max_cells: Some(5),
        ..RunOptions::default()
    };
    let sim = simulation(&TWENTY_CELLS.replace("MAX", "1000"), &options);
    assert_eq!(sim.world().len(), 5);
    assert_eq!(sim.world().settings().max_cells, 5);
}

#[test]
fn a_program_can_lower_the_host_cell_cap() {
    let options = RunOptions {
        max_cells: Some(5),
        ..RunOptions::default()
    };
    let sim = simulation(&TWENTY_CELLS.replace("MAX", "3"), &options);
    assert_eq!(sim.world().len(), 3);
}

#[test]
fn without_a_host_cap_the_program_decides() {
    let sim = simulation(&TWENTY_CELLS.replace("MAX", "12"), &RunOptions::default());
    assert_eq!(sim.world().len(), 12);
}

#[test]
fn the_value_size_limit_is_the_hosts() {
    let source = "
cell D {
    s: str = \"ab\";
    metabolism { while true { self.s = self.s + self.s; } }
}
ecosystem { world.initial_energy = 1000000.0; world.max_energy = 1000000.0; spawn D; }
";
    let options = RunOptions {
        max_value_size: Some(64),
        ..RunOptions::default()
    };
    let mut sim = simulation(source, &options);
    let report = sim.tick();
    let faults: Vec<String> = report
        .events
        .iter()
        .map(|e| e.to_json_line())
        .filter(|l| l.contains("\"event\":\"fault\""))
        .collect();
    // "ab" doubles to 4, 8, ..., 64 bytes; the next doubling (128) is refused.
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(
        faults[0].contains("string too long (128 bytes; the limit is 64)"),
        "{}",
        faults[0]
    );
}

/// Rich cells that loop forever: a tick takes as long as the instruction
/// cap allows (10 million per turn by default: tens of seconds in a debug build).
const RICH_SPINNERS: &str = "
cell S { metabolism { let mut n = 0; while true { n += 1; } } }
ecosystem {
    world.initial_energy = 1000000000000.0;
    world.max_energy = 1000000000000.0;
    for _i in 0..20 { spawn S; }
}
";

#[test]
fn an_interrupt_from_another_thread_stops_a_long_tick() {
    let handle = InterruptHandle::new();
    // A budget no turn can finish before the interrupt (minutes of work).
    let options = RunOptions {
        interrupt: Some(handle.clone()),
        max_instructions_per_turn: 10_000_000_000,
        ..RunOptions::default()
    };
    let mut sim = simulation(RICH_SPINNERS, &options);
    let before = sim.snapshot();
    let raiser = {
        let handle = handle.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            handle.interrupt();
        })
    };
    let started = Instant::now();
    let report = sim.tick();
    let took = started.elapsed();
    let _ = raiser.join();
    assert!(took < Duration::from_secs(10), "the tick took {took:?}");
    // Every interrupted turn was rolled back like an energy abort: no
    // fault, and every cell counts a starving tick.
    let lines: Vec<String> = report.events.iter().map(|e| e.to_json_line()).collect();
    assert!(!lines.iter().any(|l| l.contains("\"fault\"")), "{lines:?}");
    assert_eq!(
        lines.iter().filter(|l| l.contains("\"starved\"")).count(),
        20
    );
    // The host discards the interrupted tick and can go on after a reset.
    sim.restore(before);
    assert_eq!(sim.world().tick_count(), 0);
    handle.reset();
    assert!(!handle.is_set());
}

#[test]
fn an_interrupt_handle_is_equal_only_to_its_clones() {
    let a = InterruptHandle::new();
    assert_eq!(a, a.clone());
    assert_ne!(a, InterruptHandle::new());
}

#[test]
fn the_time_limit_stops_a_run_between_ticks_with_status_3() {
    let dir = std::env::temp_dir().join(format!("myco-time-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("rich.myco");
    let program = RICH_SPINNERS.replace(
        "for _i in 0..20 { spawn S; }",
        "for _i in 0..20 { spawn S; }\n    spawn P;",
    ) + "cell P { metabolism { print(\"tick\", now()); } }\n";
    std::fs::write(&file, program).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("run")
        .arg(&file)
        .args(["--ticks", "100000000", "--time-limit", "0.5"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(3));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("time limit reached"), "{stderr}");
    // Only complete ticks were printed, in order.
    let stdout = String::from_utf8_lossy(&output.stdout);
    for (i, line) in stdout.lines().enumerate() {
        assert_eq!(line, format!("tick {}", i + 1));
    }
}

#[test]
fn bad_limit_flags_are_usage_errors() {
    for args in [
        ["--max-cells", "-1"],
        ["--max-instructions", "0"],
        ["--max-value-size", "0"],
        ["--time-limit", "0"],
        ["--time-limit", "soon"],
        ["--time-limit", "inf"],
        ["--max-memory", "0"],
        ["--max-memory", "15"],
        ["--max-memory", "lots"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_myco"))
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(["run", "examples/hello.myco"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn the_time_limit_also_stops_a_long_ecosystem_block() {
    let dir = std::env::temp_dir().join(format!("myco-time-limit-eco-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("eco.myco");
    std::fs::write(
        &file,
        "ecosystem { let mut n = 0; while true { n += 1; } }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("run")
        .arg(&file)
        .args(["--time-limit", "0.3", "--max-instructions", "1000000000000"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("time limit reached"), "{stderr}");
}

#[test]
fn ctrl_c_interrupts_a_long_tick_with_status_130() {
    let dir = std::env::temp_dir().join(format!("myco-ctrl-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("rich.myco");
    std::fs::write(&file, RICH_SPINNERS).unwrap_or_else(|e| panic!("{e}"));
    let child = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("run")
        .arg(&file)
        .args(["--ticks", "1000", "--max-instructions", "10000000000"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Let it get into the first tick, then send SIGINT as a terminal would.
    std::thread::sleep(Duration::from_millis(500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sent.success());
    let started = Instant::now();
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(started.elapsed() < Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
}

#[test]
fn an_interrupt_handle_that_is_never_raised_changes_nothing() {
    // Turns of ~60,000 instructions: several interrupt slices each.
    let source = "
cell W {
    total: int = 0;
    metabolism {
        let mut i = 0;
        while i < 20000 { i += 1; }
        self.total += i;
        print(self.energy);
    }
}
ecosystem {
    world.initial_energy = 10000.0;
    world.max_energy = 10000.0;
    for _i in 0..3 { spawn W; }
}
";
    let run = |interrupt: Option<InterruptHandle>| {
        let options = RunOptions {
            interrupt,
            ..RunOptions::default()
        };
        let mut sim = simulation(source, &options);
        let mut prints = Vec::new();
        for _ in 0..5 {
            prints.extend(sim.tick().prints);
        }
        (prints, sim.world().state_hash())
    };
    let plain = run(None);
    let sliced = run(Some(InterruptHandle::new()));
    assert_eq!(plain.0.len(), 15);
    assert_eq!(plain, sliced);
}

#[test]
fn a_time_limit_in_the_run_options_stops_a_long_tick_and_try_tick_discards_it() {
    // No interrupt handle given: the time limit makes one.
    let options = RunOptions {
        time_limit: Some(Duration::from_millis(300)),
        max_instructions_per_turn: 10_000_000_000,
        ..RunOptions::default()
    };
    let mut sim = simulation(RICH_SPINNERS, &options);
    let hash = sim.world().state_hash();
    let started = Instant::now();
    let result = sim.try_tick();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(result.err(), Some(myco::Stopped::TimeLimit));
    // The tick cut short is discarded whole: the world is as it was.
    assert_eq!(sim.world().tick_count(), 0);
    assert_eq!(sim.world().state_hash(), hash);
    assert_eq!(sim.stopped(), Some(myco::Stopped::TimeLimit));
    assert_eq!(sim.try_tick().err(), Some(myco::Stopped::TimeLimit));
}

#[test]
fn try_tick_without_limits_is_tick() {
    let source =
        "cell A { n: int = 0; metabolism { self.n += 1; print(self.n); } } ecosystem { spawn A; }";
    let mut a = simulation(source, &RunOptions::default());
    let mut b = simulation(source, &RunOptions::default());
    for _ in 0..3 {
        let report = a.try_tick().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report, b.tick());
    }
    assert_eq!(a.stopped(), None);
}

#[test]
fn a_time_limit_also_bounds_the_ecosystem_block_in_the_embedding_api() {
    let source = "
        ecosystem {
            let mut i = 0;
            while true { i += 1; }
        }";
    let compiled = myco::compile(source).unwrap_or_else(|e| panic!("{e}"));
    let options = RunOptions {
        time_limit: Some(Duration::from_millis(200)),
        max_instructions_per_turn: 100_000_000_000,
        ..RunOptions::default()
    };
    let started = Instant::now();
    let err = myco::Simulation::new(&compiled, &options)
        .err()
        .unwrap_or_else(|| panic!("the block cannot finish"));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err, myco::InstantiateError::Interrupted);
}

#[test]
fn an_abandoned_tick_leaves_the_world_exactly_as_it_was() {
    let source = "
        signal P { n: int }
        cell A {
            n: int = 0;
            metabolism { self.n += 1; send P { n: self.n } to self; print(self, self.n); }
            on P(p) { report 1.0; }
        }
        ecosystem { spawn A; spawn A at (3.0, 0.0); }";
    let mut sim = simulation(source, &RunOptions::default());
    let mut twin = simulation(source, &RunOptions::default());
    for _ in 0..3 {
        assert_eq!(sim.tick(), twin.tick());
    }
    // A host spawn whose event is still pending when a tick is abandoned.
    let spawned = sim.spawn_kind("A", &[], myco::SpawnOptions::default());
    let twin_spawned = twin.spawn_kind("A", &[], myco::SpawnOptions::default());
    assert_eq!(spawned, twin_spawned);
    let hash = sim.world().state_hash();
    assert!(sim.world_mut().tick_unless(&|| true).is_none());
    assert_eq!(sim.world().state_hash(), hash);
    assert_eq!(sim.world().tick_count(), 3);
    // Going on gives exactly what the twin, never stopped, gives: the
    // pending spawn event included.
    let next = sim.world_mut().tick_unless(&|| false);
    let twin_next = twin.tick();
    assert!(
        twin_next
            .events
            .iter()
            .any(|e| e.to_json_line().contains("\"spawned\""))
    );
    assert_eq!(next, Some(twin_next));
    assert_eq!(sim.world().state_hash(), twin.world().state_hash());
}

#[test]
fn myco_costs_lists_every_fixed_limit() {
    let output = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("costs")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&output.stdout);
    let section = text
        .split("# Limits")
        .nth(1)
        .and_then(|rest| rest.split("\n# ").next())
        .unwrap_or_else(|| panic!("no limits section in\n{text}"));
    for (name, value) in [
        ("call_depth", "256"),
        ("value_size", "1048576"),
        ("walk_nodes", "1048576"),
        ("sends_per_turn", "1000"),
        ("spawns_per_turn", "100"),
        ("instructions_per_turn", "10000000"),
        ("interrupt_check", "10000"),
        ("immune_window", "1000"),
        ("source_file_bytes", "4194304"),
        ("program_bytes", "16777216"),
    ] {
        let line = section
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no `{name}` in\n{section}"));
        assert_eq!(line.split_whitespace().nth(1), Some(value), "{line}");
    }
}
