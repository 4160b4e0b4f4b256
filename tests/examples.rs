//! Runs every program in `examples/` with the `myco` binary and checks that
//! its printed output shows the idea the example is about.
//!
//! Each example prints compact lines of `key value` pairs (`tick 12 parasites 0
//! work 37`); the helpers below pick values out of them by key. Expected
//! values come from the examples' constants and the semantics of
//! LANGUAGE.md, not from a recorded run.

use std::path::Path;
use std::process::Command;

/// Runs `myco run examples/NAME.myco --ticks TICKS` from the package root and
/// returns its standard output (only the program's `print` lines).
fn run_example(name: &str, ticks: u32) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = format!("examples/{name}.myco");
    let output = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(root)
        .args(["run", &file, "--ticks", &ticks.to_string()])
        .output()
        .unwrap_or_else(|err| panic!("cannot start `myco run {file}`: {err}"));
    assert!(
        output.status.success(),
        "`myco run {file} --ticks {ticks}` exited with {}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap_or_else(|err| panic!("`myco run {file}` printed invalid UTF-8: {err}"))
}

/// The whitespace-separated word that follows the first occurrence of the
/// word `key` in `line`.
fn word_after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let mut words = line.split_whitespace();
    while let Some(word) = words.next() {
        if word == key {
            return words.next();
        }
    }
    None
}

/// The integer after the word `key`; panics with the line if there is none.
fn int_after(line: &str, key: &str) -> i64 {
    word_after(line, key)
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("expected an integer after `{key}` in line: {line}"))
}

/// The float after the word `key`; panics with the line if there is none.
fn float_after(line: &str, key: &str) -> f64 {
    word_after(line, key)
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("expected a number after `{key}` in line: {line}"))
}

/// The tick a line starts with (`tick 12 ...`), if it does.
fn tick_of(line: &str) -> Option<i64> {
    line.strip_prefix("tick ")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The lines that start with a tick and contain every one of `needles`.
fn lines_with<'a>(output: &'a str, needles: &[&str]) -> Vec<(i64, &'a str)> {
    output
        .lines()
        .filter_map(|line| tick_of(line).map(|tick| (tick, line)))
        .filter(|(_, line)| needles.iter().all(|needle| line.contains(needle)))
        .collect()
}

/// The mean of `key`'s integer values over the lines whose tick is in `from..=to`.
fn mean_over(lines: &[(i64, &str)], from: i64, to: i64, key: &str) -> f64 {
    let values: Vec<i64> = lines
        .iter()
        .filter(|(tick, _)| (from..=to).contains(tick))
        .map(|(_, line)| int_after(line, key))
        .collect();
    assert!(
        !values.is_empty(),
        "no line between ticks {from} and {to} to average `{key}` over"
    );
    values.iter().sum::<i64>() as f64 / values.len() as f64
}

#[test]
fn every_example_passes_myco_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("examples"))
        .unwrap_or_else(|err| panic!("cannot list examples/: {err}"))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "myco"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 9,
        "expected the nine examples, found {files:?}"
    );
    for file in files {
        let output = Command::new(env!("CARGO_BIN_EXE_myco"))
            .current_dir(root)
            .arg("check")
            .arg(&file)
            .output()
            .unwrap_or_else(|err| panic!("cannot start `myco check {}`: {err}", file.display()));
        assert!(
            output.status.success(),
            "`myco check {}` failed with {}\n{}{}",
            file.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn hello_prints_one_line_and_the_cell_dies() {
    let out = run_example("hello", 3);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        ["hello, world from #1"],
        "the greeter (#1) prints once on its first turn, then is gone; got:\n{out}"
    );
}

#[test]
fn morphology_bond_makes_a_distant_source_adjacent() {
    let out = run_example("morphology", 8);

    // Before the bond (tick 4), the source 1000 units away is out of DATA's range.
    let before = lines_with(&out, &["bonds [] senses"]);
    assert!(
        before
            .iter()
            .filter(|(tick, _)| (2..=4).contains(tick))
            .count()
            == 3,
        "expected the unbonded consumer to print a sense line on ticks 2, 3 and 4; got:\n{out}"
    );
    for (_, line) in &before {
        assert_eq!(
            int_after(line, "senses"),
            0,
            "nothing is in range before the bond: {line}"
        );
    }

    assert!(
        out.lines().any(|line| line == "tick 4 bind #1 true"),
        "the consumer binds to the source (#1) on tick 4; got:\n{out}"
    );

    // From the next tick, the source is sensed through the bond at full strength.
    let full = "senses 1 reading { source: #1, strength: 1.0, distance: 1000.0, \
                pos: (1000.0, 0.0), bonded: true }";
    let after = lines_with(&out, &["bonds [#1]", full]);
    assert!(
        after.iter().any(|(tick, _)| *tick == 5),
        "on tick 5 the consumer must sense #1 at full strength, bonded, 1000 units away; got:\n{out}"
    );
    assert_eq!(
        lines_with(&out, &["bonds [#1] senses"]).len(),
        after.len(),
        "every bonded sense line must show the full-strength bonded reading; got:\n{out}"
    );

    // Requests over the bond arrive, and they cost less than the one sent by distance.
    assert!(
        out.lines()
            .any(|line| line == "tick 6 source #1 request 2 from #2"),
        "the request sent over the bond on tick 5 is handled on tick 6; got:\n{out}"
    );
    assert!(
        !lines_with(&out, &["reply", "payload"]).is_empty(),
        "no reply came back; got:\n{out}"
    );
    let bonded = lines_with(&out, &["send bonded"]);
    assert!(
        bonded.len() >= 3
            && bonded
                .iter()
                .all(|(_, line)| line.contains("send bonded true")),
        "every send over the bond (ticks 5 to 8) must succeed; got:\n{out}"
    );
    // The send across 1000 units may be refused as unaffordable (false); if it
    // went out, it must have cost more than the free ones over the bond.
    if let Some((_, far)) = lines_with(&out, &["send unbonded true"]).first() {
        let far_cost = float_after(far, "spent");
        for (_, line) in &bonded {
            assert!(
                float_after(line, "spent") < far_cost,
                "a bonded send must cost less than one across 1000 units ({far}): {line}"
            );
        }
    }
}

#[test]
fn ecosystem_immune_system_removes_parasites_while_work_goes_on() {
    let out = run_example("ecosystem", 30);
    let census = lines_with(&out, &["producers", "workers", "parasites", "work"]);
    assert!(
        census.len() >= 25,
        "expected a census line a tick; got:\n{out}"
    );

    let most = census
        .iter()
        .map(|(_, line)| int_after(line, "parasites"))
        .max();
    assert_eq!(
        most,
        Some(4),
        "all 4 parasites are counted before the immune system acts:\n{out}"
    );

    let (cleared_at, cleared_line) = *census
        .iter()
        .find(|(_, line)| int_after(line, "parasites") == 0 && int_after(line, "workers") > 0)
        .unwrap_or_else(|| panic!("the parasite count never reaches 0 while work goes on:\n{out}"));
    for (tick, line) in census.iter().filter(|(tick, _)| *tick > cleared_at) {
        assert_eq!(
            int_after(line, "parasites"),
            0,
            "parasites are back on tick {tick}: {line}"
        );
    }

    let (_, last) = census[census.len() - 1];
    assert!(
        cleared_at < 30,
        "parasites must be gone before the last tick:\n{out}"
    );
    assert_eq!(
        int_after(last, "workers"),
        10,
        "all 10 workers still work at the end: {last}"
    );
    assert!(
        int_after(last, "work") > int_after(cleared_line, "work"),
        "work must go on after the parasites are gone ({cleared_line} / {last})"
    );

    assert_eq!(
        lines_with(&out, &["removed parasite"]).len(),
        4,
        "each of the 4 parasites is removed once; got:\n{out}"
    );
    assert!(
        lines_with(&out, &["removed worker"]).is_empty(),
        "the immune system must spare the workers; got:\n{out}"
    );
}

#[test]
fn load_balancing_sleepers_wake_and_throughput_holds() {
    let out = run_example("load_balancing", 70);
    let status = lines_with(&out, &["alive", "claims", "done", "backlog"]);

    // 3 jobs arrive a tick; the alive count drops 12 -> 8 -> 4 as workers retire.
    for (from, to, alive) in [(10, 24, 12), (35, 44, 8), (60, 70, 4)] {
        for (tick, line) in status.iter().filter(|(tick, _)| (from..=to).contains(tick)) {
            assert_eq!(
                int_after(line, "alive"),
                alive,
                "alive workers on tick {tick}: {line}"
            );
        }
        let mean = mean_over(&status, from, to, "done");
        assert!(
            mean >= 2.5,
            "throughput must hold at ~3 jobs a tick with {alive} workers (ticks {from}..={to}), \
             got a mean of {mean}:\n{out}"
        );
    }

    // With spare capacity, idle workers sleep: far fewer claims than workers.
    let busiest = status
        .iter()
        .filter(|(tick, _)| (10..=24).contains(tick))
        .map(|(_, line)| int_after(line, "claims"))
        .max()
        .unwrap_or(0);
    assert!(
        busiest < 12,
        "idle workers must sleep instead of claiming (max claims {busiest})"
    );

    assert!(
        lines_with(&out, &["wakes"])
            .iter()
            .any(|(tick, _)| *tick > 25),
        "sleepers must wake on demand after the first workers retire; got:\n{out}"
    );
    assert_eq!(
        lines_with(&out, &["retires"]).len(),
        8,
        "8 workers retire; got:\n{out}"
    );

    // Income follows W/E: busy #2 ends richer than #5, idle since tick 7.
    let energy_at_retirement = |worker: &str| {
        lines_with(&out, &[&format!("worker {worker} retires")])
            .first()
            .map(|(_, line)| float_after(line, "energy"))
            .unwrap_or_else(|| panic!("worker {worker} never retires:\n{out}"))
    };
    let (busy, idle) = (energy_at_retirement("#2"), energy_at_retirement("#5"));
    assert!(
        busy > idle,
        "the busy worker #2 must retire with more energy ({busy}) than the idle #5 ({idle})"
    );
}

#[test]
fn service_discovery_clients_find_another_service_by_smell() {
    let out = run_example("service_discovery", 30);
    let deaths = lines_with(&out, &["service #1 dies"]);
    assert_eq!(deaths.len(), 1, "service #1 dies once; got:\n{out}");
    let outage = deaths[0].0;
    assert_eq!(outage, 12, "service #1 dies on tick OUTAGE (12)");

    for client in 4..=9 {
        let name = format!("client #{client}");
        let uses = lines_with(&out, &[&name, "uses"]);
        assert!(
            uses.iter()
                .any(|(tick, line)| *tick < outage && word_after(line, "uses") == Some("#1")),
            "{name} must first use the nearest service, #1; got:\n{out}"
        );
        assert!(
            uses.iter().any(|(tick, line)| {
                *tick > outage && matches!(word_after(line, "uses"), Some("#2" | "#3"))
            }),
            "{name} must move to #2 or #3 after #1 dies; got:\n{out}"
        );
        let answers = |at: i64| {
            lines_with(&out, &[&name, "answers"])
                .iter()
                .find(|(tick, _)| *tick == at)
                .map(|(_, line)| int_after(line, "answers"))
                .unwrap_or_else(|| panic!("{name} prints no answer count on tick {at}:\n{out}"))
        };
        assert!(
            answers(30) > answers(20),
            "{name} must keep getting answers after the outage; got:\n{out}"
        );
    }
    assert!(
        lines_with(&out, &["senses no service"]).is_empty(),
        "some service is always in range; got:\n{out}"
    );
}

#[test]
fn stem_cells_differentiate_into_missing_kinds() {
    let out = run_example("stem_cells", 40);
    let census: Vec<(i64, &str)> = lines_with(&out, &["muscle", "nerve", "skin", "stem"])
        .into_iter()
        .filter(|(_, line)| line.split_whitespace().nth(2) == Some("muscle"))
        .collect();
    assert!(
        census.len() >= 35,
        "expected a census line a tick; got:\n{out}"
    );

    // The injury on tick 25 removes every nerve cell; the census (one tick late) shows it.
    assert!(
        census
            .iter()
            .any(|(tick, line)| *tick > 25 && int_after(line, "nerve") == 0),
        "the census must show no nerve cells right after the injury; got:\n{out}"
    );
    assert!(
        lines_with(&out, &["becomes Nerve"])
            .iter()
            .any(|(tick, _)| *tick > 25),
        "stem cells must replace the lost nerve cells; got:\n{out}"
    );

    let (_, last) = census[census.len() - 1];
    for kind in ["muscle", "nerve", "skin"] {
        assert!(
            int_after(last, kind) >= 4,
            "the tissue must have 4 {kind} cells at the end: {last}"
        );
    }
    assert!(
        int_after(last, "stem") < 30,
        "stem cells are used up as they differentiate: {last}"
    );
}

#[test]
fn membranes_isolate_until_a_bond_bridges_them() {
    let out = run_example("membranes", 10);

    let probe_a = lines_with(&out, &["probe #3 in A"]);
    assert_eq!(
        probe_a.len(),
        10,
        "probe #3 prints once a tick; got:\n{out}"
    );
    for (tick, line) in &probe_a {
        if *tick <= 5 {
            assert!(
                line.contains("bonds [] ") && int_after(line, "cross") == 0,
                "before the bond, #3 (in A) must not smell beacon #2 (in B): {line}"
            );
        } else {
            assert!(
                line.contains("bonds [#2] ") && int_after(line, "cross") == 1,
                "through the bond, #3 must smell beacon #2: {line}"
            );
        }
    }

    let probe_b = lines_with(&out, &["probe #4 in B"]);
    assert_eq!(
        probe_b.len(),
        10,
        "probe #4 prints once a tick; got:\n{out}"
    );
    for (tick, line) in probe_b.iter().filter(|(tick, _)| *tick > 1) {
        assert!(
            line.contains("senses [#2] cross 0"),
            "tick {tick}: unbonded #4 (in B) smells only its own compartment: {line}"
        );
    }

    let pings = lines_with(&out, &["beacon #2 ping"]);
    assert!(
        !pings.is_empty(),
        "pings from #3 must reach #2 once bonded; got:\n{out}"
    );
    for (tick, line) in &pings {
        assert!(
            *tick >= 7,
            "a ping crossed the membrane before the bond: {line}"
        );
        assert_eq!(
            word_after(line, "from"),
            Some("#3"),
            "only the bonded probe gets through: {line}"
        );
    }
    assert!(
        lines_with(&out, &["beacon #1 ping"]).is_empty(),
        "pings from #4 (in B) to #1 (in A) must be dropped; got:\n{out}"
    );
    assert!(
        !lines_with(&out, &["probe #3 pong"]).is_empty(),
        "no pong came back over the bond"
    );
}

#[test]
fn autobind_traffic_grows_bonds() {
    let out = run_example("autobind", 8);
    for (cell, partner) in [(1, 2), (2, 1), (3, 4), (4, 3)] {
        let lines = lines_with(&out, &[&format!("cell #{cell} bonds")]);
        assert_eq!(
            lines.len(),
            8,
            "cell #{cell} prints once a tick; got:\n{out}"
        );
        let first_bonded = lines
            .iter()
            .find(|(_, line)| line.contains(&format!("bonds [#{partner}]")))
            .map(|(tick, _)| *tick)
            .unwrap_or_else(|| panic!("cell #{cell} never gets a bond with #{partner}:\n{out}"));
        // Chats sent on ticks 2 and 3 make 4 delivered signals by the end of
        // tick 3 (>= world.autobind = 3): the bond is seen from tick 4.
        assert_eq!(
            first_bonded, 4,
            "cell #{cell}: the traffic bond is first seen on tick 4"
        );
        for (tick, line) in &lines {
            if *tick < 4 {
                assert!(
                    line.contains("bonds []"),
                    "no bond before the traffic: {line}"
                );
            } else {
                assert!(
                    line.contains(&format!(
                        "bonds [#{partner}] talks to #{partner} bonded true"
                    )),
                    "the bond stays and the partner is sensed through it: {line}"
                );
            }
        }
    }
    let loner = lines_with(&out, &["cell #5 bonds"]);
    assert_eq!(loner.len(), 8, "cell #5 prints once a tick; got:\n{out}");
    assert!(
        loner
            .iter()
            .all(|(_, line)| line.contains("bonds [] talks to nobody")),
        "the lone cell has no traffic, so no bond; got:\n{out}"
    );
}

#[test]
fn chemotaxis_grazers_close_in_on_food() {
    let out = run_example("chemotaxis", 30);
    let summaries = lines_with(&out, &["grazers", "mean_dist", "at_food"]);
    let ticks: Vec<i64> = summaries.iter().map(|(tick, _)| *tick).collect();
    assert_eq!(
        ticks,
        [3, 10, 20, 30],
        "a summary on tick 3 and every 10 ticks; got:\n{out}"
    );
    for (_, line) in &summaries {
        assert_eq!(
            int_after(line, "grazers"),
            2000,
            "every grazer is counted: {line}"
        );
    }
    let (_, first) = summaries[0];
    let (_, last) = summaries[summaries.len() - 1];
    let start = float_after(first, "mean_dist");
    assert!(
        (15.0..=40.0).contains(&start),
        "scattered at random, a grazer starts on average 15-40 units from food: {first}"
    );
    assert!(
        float_after(last, "mean_dist") < 0.75 * start,
        "the mean distance to food must fall as grazers climb the gradient:\n{out}"
    );
    assert!(
        int_after(last, "at_food") > int_after(first, "at_food") + 500,
        "hundreds of grazers must reach food:\n{out}"
    );
}
