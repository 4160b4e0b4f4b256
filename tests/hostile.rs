//! Hostile programs (`tests/hostile/*.myco`): each tries to exhaust the host
//! (time, memory, stack, the event log). Every run must end in seconds with
//! exit status 0, peak memory well under 2 GiB, the offending cells faulting
//! or starving as events, and a well-behaved `Steady` cell (always id 1)
//! printing `steady N` on every tick.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The most memory (KiB of peak resident set) a hostile run may use.
const MAX_PEAK_KIB: u64 = 2 * 1024 * 1024;
/// The most wall time a hostile run may take (debug build, shared machine).
const MAX_SECONDS: u64 = 60;

/// What one run produced.
struct Outcome {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
    /// The event log's lines (`--events` to a file).
    events: Vec<String>,
    peak_kib: u64,
    elapsed: Duration,
}

impl Outcome {
    /// Event lines containing every one of `parts`.
    fn events_with(&self, parts: &[&str]) -> Vec<&String> {
        self.events
            .iter()
            .filter(|line| parts.iter().all(|p| line.contains(p)))
            .collect()
    }
}

/// Peak resident set (`VmHWM`, KiB) of a running process, if readable.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `myco run tests/hostile/NAME.myco --ticks TICKS EXTRA...`, polling
/// its memory, and returns what it did.
fn run_hostile(name: &str, ticks: u32, extra: &[&str]) -> Outcome {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("myco-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let (out_path, err_path, events_path) = (
        dir.join("stdout"),
        dir.join("stderr"),
        dir.join("events.jsonl"),
    );
    let file = format!("tests/hostile/{name}.myco");
    let create = |p: &Path| std::fs::File::create(p).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(root)
        .args(["run", &file, "--ticks", &ticks.to_string(), "--events"])
        .arg(&events_path)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(create(&out_path))
        .stderr(create(&err_path))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start myco: {e}"));
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(MAX_SECONDS) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`myco run {file}` took more than {MAX_SECONDS} s");
        }
        if peak > MAX_PEAK_KIB {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`myco run {file}` used more than {MAX_PEAK_KIB} KiB");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let outcome = Outcome {
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
        events: read(&events_path).lines().map(str::to_string).collect(),
        peak_kib: peak,
        elapsed: started.elapsed(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// The checks every hostile run shares: exit 0, the steady cell printed
/// every tick, memory bounded, and the log is well-formed JSON lines.
fn check_common(name: &str, outcome: &Outcome, ticks: u32) {
    assert!(
        outcome.status.success(),
        "{name}: exit {}\n{}",
        outcome.status,
        outcome.stderr
    );
    let expected: Vec<String> = (1..=ticks).map(|t| format!("steady {t}")).collect();
    let steady: Vec<&str> = outcome
        .stdout
        .lines()
        .filter(|l| l.starts_with("steady "))
        .collect();
    assert_eq!(steady, expected, "{name}: the steady cell must go on");
    assert!(
        outcome.peak_kib < MAX_PEAK_KIB,
        "{name}: peak {} KiB",
        outcome.peak_kib
    );
    for line in outcome.events.iter().take(2000) {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "{name}: bad event line {line}"
        );
    }
    eprintln!(
        "{name}: {:.2} s, peak {} KiB, {} events",
        outcome.elapsed.as_secs_f64(),
        outcome.peak_kib,
        outcome.events.len()
    );
}

#[test]
fn string_doubling_hits_the_value_size_limit() {
    let o = run_hostile("string_doubling", 4, &[]);
    check_common("string_doubling", &o, 4);
    // Cells 2 and 3 double with `+`, cell 4 with `str([s, s])`.
    for cell in [2, 3, 4] {
        let faults = o.events_with(&[
            "\"event\":\"fault\"",
            &format!("\"cell\":{cell},"),
            "string too long",
        ]);
        assert_eq!(faults.len(), 1, "cell {cell}: {:?}", o.events);
    }
}

#[test]
fn a_smaller_value_size_limit_stops_them_sooner() {
    let o = run_hostile("string_doubling", 2, &["--max-value-size", "1000"]);
    check_common("string_doubling", &o, 2);
    assert_eq!(
        o.events_with(&["\"event\":\"fault\"", "the limit is 1000"])
            .len(),
        3,
        "{:?}",
        o.events
    );
}

#[test]
fn endless_pushes_fault_or_starve() {
    let o = run_hostile("endless_push", 6, &[]);
    check_common("endless_push", &o, 6);
    // Cells 5 and 6 are rich: only a limit stops them (value size or the
    // host's instructions per turn), as a fault.
    for cell in [5, 6] {
        let faults = o.events_with(&["\"event\":\"fault\"", &format!("\"cell\":{cell},")]);
        assert_eq!(faults.len(), 1, "cell {cell}: {:?}", o.events);
    }
}

#[test]
fn unbounded_recursion_hits_the_call_depth_limit() {
    let o = run_hostile("recursion", 3, &[]);
    check_common("recursion", &o, 3);
    let faults = o.events_with(&["\"event\":\"fault\"", "call depth limit"]);
    assert_eq!(faults.len(), 2, "{:?}", o.events);
    assert!(!o.stdout.contains("never"));
}

#[test]
fn a_spawn_storm_is_refused_not_flooded() {
    let ticks = 5;
    let o = run_hostile("spawn_storm", ticks, &["--max-cells", "3000"]);
    check_common("spawn_storm", &o, ticks);
    // The Breeder (cell 2) asks for a million children in one turn.
    assert_eq!(
        o.events_with(&["\"event\":\"fault\"", "\"cell\":2,", "spawn limit per turn"])
            .len(),
        1
    );
    let born = o.events_with(&["\"event\":\"spawned\""]).len();
    assert!(born <= 3000 + 1, "{born} cells born with --max-cells 3000");
    let refused = o.events_with(&["\"event\":\"spawn_refused\"", "max_cells"]);
    assert!(!refused.is_empty());
    // At most one refusal event per parent per tick.
    assert!(refused.len() <= 3000 * ticks as usize, "{}", refused.len());
}

#[test]
fn a_signal_flood_between_bonded_cells_is_bounded() {
    let o = run_hostile("signal_flood", 4, &[]);
    check_common("signal_flood", &o, 4);
    assert_eq!(o.events_with(&["\"event\":\"bond_made\""]).len(), 10);
    // Sends are capped per turn (1000 per cell), so whatever is dropped is
    // bounded too: at most 20 cells x 1000 signals a tick.
    let dropped = o.events_with(&["\"event\":\"signal_dropped\""]).len();
    assert!(dropped <= 20 * 1000 * 4, "{dropped} dropped");
}

#[test]
fn endless_loops_in_200_cells_starve() {
    let o = run_hostile("loops_200", 3, &[]);
    check_common("loops_200", &o, 3);
    // Every spinner (cells 2..=201) starves on every tick.
    for tick in 1..=3 {
        let starved = o.events_with(&[&format!("\"tick\":{tick},"), "\"event\":\"starved\""]);
        assert_eq!(starved.len(), 200, "tick {tick}");
    }
}

#[test]
fn rich_endless_loops_hit_the_host_instruction_cap() {
    let o = run_hostile("rich_loops", 3, &["--max-instructions", "20000"]);
    check_common("rich_loops", &o, 3);
    let faults = o.events_with(&["\"event\":\"fault\"", "instruction limit per turn"]);
    assert_eq!(
        faults.len(),
        200,
        "{:?}",
        &o.events[..10.min(o.events.len())]
    );
}

#[test]
fn shared_nested_lists_cannot_be_walked_whole() {
    let o = run_hostile("share_bomb", 3, &["--dump-json", "-"]);
    check_common("share_bomb", &o, 3);
    let faults = o.events_with(&["\"event\":\"fault\"", "too large to compare"]);
    assert_eq!(faults.len(), 1, "{:?}", o.events);
    // The faulting turn is rolled back, its prints with it.
    assert!(!o.stdout.contains("built") && !o.stdout.contains("compared"));
}

#[test]
fn rich_hoarders_are_stopped_by_the_memory_limit() {
    let o = run_hostile(
        "rich_hoarders",
        50,
        &["--max-memory", "256", "--max-instructions", "100000000"],
    );
    // Exit 4, between ticks: whatever completed is on stdout, the tick under
    // way was discarded, and the process never held much more than the limit.
    assert_eq!(o.status.code(), Some(4), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("memory limit reached: stopped after tick"),
        "{}",
        o.stderr
    );
    assert!(o.peak_kib < 768 * 1024, "peak {} KiB", o.peak_kib);
    let steady = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("steady "))
        .count();
    assert!(steady < 50, "the run was stopped: {steady} ticks");
    eprintln!(
        "rich_hoarders: {:.2} s, peak {} KiB, stopped after {steady} ticks",
        o.elapsed.as_secs_f64(),
        o.peak_kib
    );
}

#[test]
fn a_kept_shared_bomb_is_dumped_checkpointed_and_resumed_in_bounded_time() {
    let dir = std::env::temp_dir().join(format!("myco-hostile-kept-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let (dump, ckpt) = (dir.join("dump.json"), dir.join("kept.ckpt"));
    let (dump_arg, ckpt_arg) = (dump.display().to_string(), ckpt.display().to_string());
    let o = run_hostile(
        "share_bomb_kept",
        3,
        &["--dump-json", &dump_arg, "--checkpoint", &ckpt_arg],
    );
    check_common("share_bomb_kept", &o, 3);
    assert_eq!(o.stdout.matches("kept 1000").count(), 3, "{}", o.stdout);
    // The dump writes a marker for the 10⁹-node field, not 10⁹ numbers.
    let text = std::fs::read_to_string(&dump).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.len() < 10_000, "dump of {} bytes", text.len());
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        json["cells"][1]["fields"]["big"],
        serde_json::json!({"too_large": {"nodes_over": 1_048_576}})
    );
    // The checkpoint stores each shared list once: kilobytes, not gigabytes.
    let size = std::fs::metadata(&ckpt).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0 && size < 100_000, "checkpoint of {size} bytes");
    // Resuming checks the field's type walking each shared list once.
    let started = Instant::now();
    let resumed = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args([
            "run",
            "tests/hostile/share_bomb_kept.myco",
            "--ticks",
            "5",
            "--resume",
        ])
        .arg(&ckpt)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert!(String::from_utf8_lossy(&resumed.stdout).contains("steady 5"));
    assert!(started.elapsed() < Duration::from_secs(MAX_SECONDS));
    // The REPL shows the field as too large instead of walking it.
    let mut repl = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["repl", "tests/hostile/share_bomb_kept.myco"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = repl.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(b":tick 2\n:inspect 2\n");
    }
    let out = repl.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("big = <too large to show>"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
