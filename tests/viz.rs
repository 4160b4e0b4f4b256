//! The experiment tools of the `myco` binary: `--series`, `--set`, `sweep`,
//! `plot` and `--record`. Expected values come from the programs below and
//! LANGUAGE.md §5, or from another output of the same run (`--events`,
//! `--dump-json`), never from a recorded run of the tool itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory under the target directory, fresh for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("viz-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn myco(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("cannot start myco")
}

fn ok(args: &[&str]) -> Output {
    let out = myco(args);
    assert!(
        out.status.success(),
        "myco {args:?} exited with {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write program");
    path.display().to_string()
}

/// Seeds spawn a Sprout on their 3rd and 6th turn and die on their 8th;
/// a Sprout dies on its 4th turn. Nothing else kills (long grace).
const LIFECYCLE: &str = r#"
cell Seed {
    n: int = 0;
    metabolism {
        self.n += 1;
        if self.n % 3 == 0 { spawn Sprout; }
        if self.n == 8 { die; }
    }
}
cell Sprout {
    n: int = 0;
    metabolism {
        self.n += 1;
        if self.n == 4 { die; }
    }
}
ecosystem {
    world.grace = 1000;
    for i in 0..3 { spawn Seed at (5.0 * float(i), 0.0); }
}
"#;

/// A CSV as a header and rows of fields (no quoted fields expected here).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("read csv");
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("header")
        .split(',')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn int(row: &[String], i: usize) -> i64 {
    row[i]
        .parse()
        .unwrap_or_else(|_| panic!("not an int: {}", row[i]))
}

#[test]
fn series_agrees_with_events_and_dump() {
    let dir = scratch("series");
    let program = write(&dir, "life.myco", LIFECYCLE);
    let csv = dir.join("series.csv");
    let events = dir.join("events.jsonl");
    let dump = dir.join("dump.json");
    ok(&[
        "run",
        &program,
        "--ticks",
        "9",
        "--series",
        csv.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--dump-json",
        dump.to_str().unwrap(),
    ]);
    let (header, rows) = read_csv(&csv);
    assert_eq!(rows.len(), 10, "rows for ticks 0..=9");
    let kinds = ["Seed", "Sprout"];

    // Per kind and tick, from the event log: born - died.
    let mut delta: BTreeMap<(u64, String), i64> = BTreeMap::new();
    let mut born_at: BTreeMap<u64, i64> = BTreeMap::new();
    let mut died_at: BTreeMap<u64, i64> = BTreeMap::new();
    for line in std::fs::read_to_string(&events).unwrap().lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        let tick = e["tick"].as_u64().unwrap();
        let kind = e["kind"].as_str().unwrap_or("").to_string();
        match e["event"].as_str().unwrap() {
            "spawned" => {
                *delta.entry((tick, kind)).or_default() += 1;
                *born_at.entry(tick).or_default() += 1;
            }
            "died" => {
                assert_eq!(e["cause"], "apoptosis");
                *delta.entry((tick, kind)).or_default() -= 1;
                *died_at.entry(tick).or_default() += 1;
            }
            _ => {}
        }
    }
    let mut alive = [0i64; 2];
    for row in &rows {
        let tick = int(row, col(&header, "tick")) as u64;
        for (k, kind) in kinds.iter().enumerate() {
            alive[k] += delta.get(&(tick, kind.to_string())).copied().unwrap_or(0);
            assert_eq!(
                int(row, col(&header, &format!("alive_{kind}"))),
                alive[k],
                "alive {kind} at tick {tick}"
            );
        }
        assert_eq!(
            int(row, col(&header, "born")),
            born_at.get(&tick).copied().unwrap_or(0)
        );
        assert_eq!(
            int(row, col(&header, "died_apoptosis")),
            died_at.get(&tick).copied().unwrap_or(0)
        );
    }
    // Reasoned from the program: 3 seeds, 2 sprouts each (turns 3 and 6);
    // seeds die at tick 8, the first sprouts at tick 7 (spawned at 3, first
    // turn at 4), the second ones at tick 10: after tick 9, 3 sprouts live.
    let total_born: i64 = rows.iter().map(|r| int(r, col(&header, "born"))).sum();
    assert_eq!(total_born, 9);
    let last = rows.last().unwrap();
    assert_eq!(int(last, col(&header, "alive_Seed")), 0);
    assert_eq!(int(last, col(&header, "alive_Sprout")), 3);
    let dump: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&dump).unwrap()).unwrap();
    for kind in kinds {
        let n = dump["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .count() as i64;
        assert_eq!(int(last, col(&header, &format!("alive_{kind}"))), n);
    }
    let energy: f64 = last[col(&header, "energy")].parse().unwrap();
    let dumped: f64 = dump["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["energy"].as_f64().unwrap())
        .sum();
    assert!((energy - dumped).abs() < 1e-6 * dumped.max(1.0));
    assert!(int(last, col(&header, "instructions")) > 0);
}

#[test]
fn series_every_sums_the_skipped_ticks() {
    let dir = scratch("every");
    let program = write(&dir, "life.myco", LIFECYCLE);
    let csv = dir.join("series.csv");
    ok(&[
        "run",
        &program,
        "--ticks",
        "9",
        "--series",
        csv.to_str().unwrap(),
        "--every",
        "4",
    ]);
    let (header, rows) = read_csv(&csv);
    let ticks: Vec<i64> = rows.iter().map(|r| int(r, 0)).collect();
    assert_eq!(ticks, [0, 4, 8, 9], "every 4th tick and the last");
    let born: i64 = rows.iter().map(|r| int(r, col(&header, "born"))).sum();
    let died: i64 = rows
        .iter()
        .map(|r| int(r, col(&header, "died_apoptosis")))
        .sum();
    let last = rows.last().unwrap();
    let alive = int(last, col(&header, "alive_Seed")) + int(last, col(&header, "alive_Sprout"));
    assert_eq!(born - died, alive);
}

/// Prints whether its energy at its first turn exceeds 500 (the energy it
/// was spawned with, less one turn's small costs).
const ENERGY_PROBE: &str = r#"
cell Probe {
    metabolism { print("rich", self.energy > 500.0); die; }
}
ecosystem {
    world.initial_energy = 100.0;
    spawn Probe;
}
"#;

#[test]
fn set_overrides_the_program_and_applies_before_spawns() {
    let dir = scratch("set");
    let program = write(&dir, "probe.myco", ENERGY_PROBE);
    let plain = ok(&["run", &program, "--ticks", "1"]);
    assert_eq!(String::from_utf8_lossy(&plain.stdout), "rich false\n");
    let set = ok(&[
        "run",
        &program,
        "--ticks",
        "1",
        "--set",
        "world.initial_energy=1000",
    ]);
    assert_eq!(String::from_utf8_lossy(&set.stdout), "rich true\n");
}

#[test]
fn bad_set_is_a_usage_error() {
    let dir = scratch("badset");
    let program = write(&dir, "probe.myco", ENERGY_PROBE);
    for bad in [
        "world.nope=1",
        "world.grace=1.5",
        "world.income=lots",
        "world.size=3",
        "income=1",
        "world.income=-5",
    ] {
        let out = myco(&["run", &program, "--ticks", "1", "--set", bad]);
        assert_eq!(out.status.code(), Some(2), "--set {bad}");
        assert!(out.stdout.is_empty(), "nothing runs for --set {bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--set"),
            "the message names the flag"
        );
    }
}

#[test]
fn seed_flag_beats_set_seed() {
    let dir = scratch("seed");
    let program = write(
        &dir,
        "seed.myco",
        "cell C { metabolism { print(rand_int(0, 1000000)); die; } }\necosystem { world.seed = 1; spawn C; }\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["run", program.as_str(), "--ticks", "1"];
        args.extend_from_slice(extra);
        String::from_utf8(ok(&args).stdout).unwrap()
    };
    let program_seed = run(&[]);
    let set_seed = run(&["--set", "world.seed=2"]);
    let flag_seed = run(&["--seed", "2"]);
    let both = run(&["--seed", "1", "--set", "world.seed=2"]);
    assert_eq!(set_seed, flag_seed, "--set world.seed acts as --seed");
    assert_eq!(both, program_seed, "--seed wins over --set world.seed");
}

#[test]
fn sweep_is_the_same_for_any_jobs() {
    let dir = scratch("sweep");
    let program = write(&dir, "life.myco", LIFECYCLE);
    let out1 = dir.join("j1.csv");
    let out2 = dir.join("j2.csv");
    let sweep = |out: &Path, jobs: &str| {
        ok(&[
            "sweep",
            &program,
            "--set",
            "world.income=5,50",
            "--set",
            "world.grace=10,1000",
            "--seeds",
            "1..3",
            "--ticks",
            "9",
            "--out",
            out.to_str().unwrap(),
            "--jobs",
            jobs,
        ]);
    };
    sweep(&out1, "1");
    sweep(&out2, "2");
    let a = std::fs::read(&out1).unwrap();
    let b = std::fs::read(&out2).unwrap();
    assert_eq!(a, b, "byte-identical for --jobs 1 and 2");
    let (header, rows) = read_csv(&out1);
    assert_eq!(rows.len(), 2 * 2 * 3);
    assert_eq!(
        &header[..4],
        ["run", "world.income", "world.grace", "seed"].map(String::from)
    );
    // First setting slowest, seed fastest.
    assert_eq!(rows[0][1..4], ["5", "10", "1"].map(String::from));
    assert_eq!(rows[1][1..4], ["5", "10", "2"].map(String::from));
    assert_eq!(rows[3][1..4], ["5", "1000", "1"].map(String::from));
    assert_eq!(rows[11][1..4], ["50", "1000", "3"].map(String::from));
    // The lifecycle does not depend on income or seed: 9 born, 3 left.
    for row in &rows {
        assert_eq!(int(row, col(&header, "born")), 9);
        assert_eq!(int(row, col(&header, "alive_Sprout")), 3);
        assert_eq!(int(row, col(&header, "tick")), 9);
    }
}

#[test]
fn plot_writes_an_svg_with_the_series() {
    let dir = scratch("plot");
    let program = write(&dir, "life.myco", LIFECYCLE);
    let csv = dir.join("series.csv");
    let svg = dir.join("plot.svg");
    ok(&[
        "run",
        &program,
        "--ticks",
        "9",
        "--series",
        csv.to_str().unwrap(),
    ]);
    ok(&[
        "plot",
        csv.to_str().unwrap(),
        "--x",
        "tick",
        "--y",
        "alive_Seed,alive_Sprout",
        "-o",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.trim_start().starts_with("<svg") || text.starts_with("<?xml"));
    assert!(text.trim_end().ends_with("</svg>"));
    // The texts of the <text> elements: title, axis labels, ticks, legend.
    let labels: Vec<&str> = text
        .split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim())
        })
        .collect();
    assert!(
        labels.contains(&"alive_Seed") && labels.contains(&"alive_Sprout"),
        "legend: {labels:?}"
    );
    assert!(labels.contains(&"tick"), "x axis label: {labels:?}");
    assert!(
        labels.contains(&"alive_Seed, alive_Sprout"),
        "y axis label: {labels:?}"
    );
    assert!(
        text.matches("<polyline").count() >= 2,
        "one line per series"
    );
    let bad = myco(&[
        "plot",
        csv.to_str().unwrap(),
        "--x",
        "tick",
        "--y",
        "nope",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn replay_is_self_contained_and_holds_the_frames() {
    let dir = scratch("replay");
    let html = dir.join("replay.html");
    ok(&[
        "run",
        "examples/ecosystem.myco",
        "--ticks",
        "12",
        "--record",
        html.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(!text.contains("http://") && !text.contains("https://"));
    assert!(!text.contains("<script src") && !text.contains("<link"));
    let start = text.find("id=\"myco-data\">").expect("data element") + "id=\"myco-data\">".len();
    let end = start + text[start..].find("</script>").expect("end of data");
    let data: serde_json::Value = serde_json::from_str(&text[start..end]).expect("frame JSON");
    let frames = data["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 13, "ticks 0..=12");
    assert_eq!(frames[0]["t"], 0);
    assert_eq!(frames[12]["t"], 12);
    // Keyframe 0 holds all 16 cells of the ecosystem block (6 numbers each).
    assert_eq!(frames[0]["c"].as_array().unwrap().len(), 16 * 6);
    assert_eq!(
        data["meta"]["kinds"],
        serde_json::json!(["Producer", "Worker", "Parasite"])
    );
    assert_eq!(data["meta"]["gradient"], "TASK");
    assert!(frames[1]["h"].is_array(), "heatmap of TASK");
    assert!(frames[12]["f"]["3"].is_array(), "details of worker #3");
    let bad = myco(&[
        "run",
        "examples/ecosystem.myco",
        "--ticks",
        "1",
        "--record",
        html.to_str().unwrap(),
        "--record-gradient",
        "NOPE",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
