//! `myco repl` driven through pipes (the scripted transcript: results on
//! standard output, errors and notices on standard error) and, once, through
//! a real pseudo-terminal (completion, Ctrl-C during a long `:tick`).

use std::io::Write;
use std::process::{Command, Stdio};

const WORKERS: &str = "tests/repl/workers.myco";

/// What a piped session wrote.
struct Transcript {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

/// Runs `myco repl ARGS` with `input` piped in.
fn session(args: &[&str], input: &str) -> Transcript {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("repl")
        .args(args)
        .env("NO_COLOR", "1")
        .env(
            "MYCO_HISTORY",
            std::env::temp_dir().join("myco-repl-test-history"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myco runs");
    // A session that ends early (a bad argument, `:quit`) may close its
    // input before all of it is written: a broken pipe is not a failure.
    if let Some(mut stdin) = child.stdin.take()
        && let Err(e) = stdin.write_all(input.as_bytes())
    {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing the input: {e}"
        );
    }
    let out = child.wait_with_output().expect("myco finishes");
    Transcript {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code(),
    }
}

/// The text between two marker lines printed by `print("MARK")`-free means:
/// the transcript split at lines equal to `marker`.
fn sections<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.split(&format!("{marker}\n")).collect()
}

#[test]
fn ticks_write_the_print_lines_in_order() {
    let t = session(&[WORKERS], ":tick 4\n");
    // The ecosystem block prints first; the counter's first turn is tick 1; it
    // senses the beacon's tick-1 emission at tick 2 and pings it, and the
    // beacon handles each ping the tick after (its lines come first: lower id).
    assert_eq!(
        t.stdout,
        "ready\ncount 1 at 1\ncount 2 at 2\nping 2 from #2\ncount 3 at 3\nping 3 from #2\ncount 4 at 4\n"
    );
    assert!(t.stderr.contains("tick 4, 2 cells alive"), "{}", t.stderr);
    assert_eq!(t.status, Some(0));
}

#[test]
fn inspect_shows_fields_bonds_age_and_inbox() {
    let t = session(&[WORKERS], ":tick 4\n:inspect #1\n:inspect 2\n");
    let beacon = t.stdout.split("#1 Beacon\n").nth(1).expect("beacon shown");
    // Pings 2 and 3 were handled (ticks 3 and 4); ping 4 waits in the inbox.
    assert!(beacon.contains("    pings = 5\n"), "{beacon}");
    assert!(beacon.contains("  inbox      1 signal(s)\n"), "{beacon}");
    assert!(beacon.contains("  bonds      [#2]\n"), "{beacon}");
    assert!(beacon.contains("  position   (0.0, 0.0)\n"), "{beacon}");
    let counter = t
        .stdout
        .split("#2 Counter\n")
        .nth(1)
        .expect("counter shown");
    assert!(counter.contains("    count = 4\n"), "{counter}");
    assert!(counter.contains("    beacon = #1\n"), "{counter}");
    // First turn at tick 1 is age 0, so at tick 4 it is 3.
    assert!(counter.contains("  age        3\n"), "{counter}");
    assert!(counter.contains("  sleep      awake\n"), "{counter}");
    assert!(counter.contains("  last fault none\n"), "{counter}");
    assert!(counter.contains("  parent     none\n"), "{counter}");
}

#[test]
fn inspect_of_a_dead_or_bad_id_is_an_error_and_the_session_goes_on() {
    let t = session(&[WORKERS], ":inspect #9\n:inspect x\n1 + 1\n");
    assert!(t.stderr.contains("no living cell #9"), "{}", t.stderr);
    assert!(t.stderr.contains("is not a cell id"), "{}", t.stderr);
    assert_eq!(t.stdout, "ready\n2\n");
}

#[test]
fn cells_lists_living_cells_and_filters_by_kind() {
    let t = session(&[WORKERS], ":cells\n:cells Counter\n:cells Nope\n");
    let tables = sections(&t.stdout, "ready");
    let text = tables.get(1).copied().unwrap_or("");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["id", "kind", "pos", "energy", "W/E", "bonds", "asleep"]
    );
    let row = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    // Nothing ran yet: full initial energy, no ratio, no bonds.
    let beacon = row(lines[1]);
    assert_eq!(beacon[0], "#1");
    assert_eq!(beacon[1], "Beacon");
    assert_eq!(beacon[2..4], ["(0.00,", "0.00)"]);
    assert_eq!(beacon[6..], ["[]", "no"]);
    let counter = row(lines[2]);
    assert_eq!(counter[..4], ["#2", "Counter", "(10.00,", "0.00)"]);
    // The filtered table: the header and the counter only.
    assert!(lines[3].starts_with("id"));
    assert!(lines[4].starts_with("#2  Counter"), "{}", lines[4]);
    assert!(
        t.stderr.contains("no cell kind named `Nope`"),
        "{}",
        t.stderr
    );
}

#[test]
fn sense_shows_readings_as_print_does() {
    let t = session(
        &[WORKERS],
        ":sense 2 BEACON\n:tick\n:sense #2 BEACON\n:tick\n:sense 2 BEACON\n:sense 2 NOPE\n",
    );
    let out: Vec<&str> = t.stdout.lines().collect();
    // Nothing emitted before tick 1.
    assert_eq!(out[1], "#2 senses no BEACON");
    // Tick 1's emission (2.0 at distance 10, falloff 0.1): 2 e^-1.
    let expected = 2.0 * (-0.1f64 * 10.0).exp();
    assert_eq!(
        out[3],
        format!(
            "reading {{ source: #1, strength: {expected:?}, distance: 10.0, pos: (0.0, 0.0), bonded: false }}"
        )
    );
    // The counter bound the beacon at tick 2: sensed at full strength.
    assert_eq!(
        out[5],
        "reading { source: #1, strength: 2.0, distance: 10.0, pos: (0.0, 0.0), bonded: true }"
    );
    assert!(
        t.stderr.contains("no gradient named `NOPE`"),
        "{}",
        t.stderr
    );
}

#[test]
fn back_then_tick_again_gives_the_same_states() {
    let script = "\
:tick 5
:inspect 1
:inspect 2
:cells
:back 3
:inspect 2
:tick 3
:inspect 1
:inspect 2
:cells
";
    let t = session(&[WORKERS], script);
    let first_start = t.stdout.find("#1 Beacon").expect("first inspect");
    let after_back = t.stdout[first_start..]
        .find("ping 2 from #2")
        .expect("ticks re-run")
        + first_start;
    let first = &t.stdout[first_start..after_back];
    // What :inspect 2 showed after going back (tick 2): count 2.
    let back_view_end = first.find("id  kind").expect("table");
    let table_and_back = &first[back_view_end..];
    let (table1, back_inspect) = table_and_back
        .split_once("#2 Counter")
        .expect("inspect after back");
    assert!(back_inspect.contains("    count = 2\n"), "{back_inspect}");
    // After re-ticking: ticks 3..5 print the same lines again.
    let rerun = &t.stdout[after_back..];
    assert!(rerun.starts_with(
        "ping 2 from #2\ncount 3 at 3\nping 3 from #2\ncount 4 at 4\nping 4 from #2\ncount 5 at 5\n"
    ));
    let second_start = rerun.find("#1 Beacon").expect("second inspect");
    let second = &rerun[second_start..];
    let inspects1 = &first[..back_view_end];
    let second_table = second.find("id  kind").expect("second table");
    assert_eq!(
        &second[..second_table],
        inspects1,
        "inspect differs after :back + :tick"
    );
    assert_eq!(
        &second[second_table..],
        table1,
        ":cells differs after :back + :tick"
    );
    assert!(t.stderr.contains("back at tick 2"), "{}", t.stderr);
}

#[test]
fn back_further_than_the_history_is_refused() {
    let t = session(&[WORKERS], ":tick 2\n:back 3\n:back 2\n:back\n");
    assert!(
        t.stderr
            .contains("cannot go back 3 tick(s): the history holds 2"),
        "{}",
        t.stderr
    );
    assert!(t.stderr.contains("back at tick 0"), "{}", t.stderr);
    assert!(t.stderr.contains("the history holds 0"), "{}", t.stderr);
}

#[test]
fn a_compile_error_is_rendered_and_the_session_continues() {
    let t = session(&[WORKERS], "1 + 2.0\n40 + 2\n");
    assert!(t.stderr.contains("E0302"), "{}", t.stderr);
    assert!(t.stderr.contains("<repl>:1:1"), "{}", t.stderr);
    assert!(t.stderr.contains("float(1)"), "{}", t.stderr);
    assert_eq!(t.stdout, "ready\n42\n");
    assert_eq!(t.status, Some(0));
}

#[test]
fn a_runtime_error_undoes_the_line_and_the_session_continues() {
    // The spawn happened before the fault: the whole line is rolled back.
    let t = session(
        &[WORKERS],
        "spawn Counter at (1.0, 1.0); print(1 / 0);\n:cells Counter\n",
    );
    assert!(t.stderr.contains("division by zero"), "{}", t.stderr);
    assert!(t.stderr.contains("<repl>:1:"), "{}", t.stderr);
    let rows: Vec<&str> = t.stdout.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(rows.len(), 1, "{}", t.stdout);
}

#[test]
fn a_spawn_from_a_line_shows_in_cells_and_ticks() {
    let t = session(
        &[WORKERS],
        "spawn Counter { count: 10 } at (5.0, -5.0)\n:cells Counter\n:tick\n",
    );
    let out: Vec<&str> = t.stdout.lines().collect();
    // The next id after the block's two cells; the value of the spawn is shown.
    assert_eq!(out[1], "#3");
    assert!(
        out[4].starts_with("#3  Counter  (5.00, -5.00)"),
        "{}",
        out[4]
    );
    assert_eq!(out[5..], ["count 1 at 1", "count 11 at 1"]);
}

#[test]
fn expression_values_are_shown_and_statements_are_not() {
    let t = session(
        &[WORKERS],
        "\"my\" + \"co\"\n[1, 2][1] * 3\n(1.0, 2.0)\nnow()\nlet a = 2;\nprint(\"p\", 1.5)\nclamp(2.0, 0.0, 1.0)\n",
    );
    assert_eq!(t.stdout, "ready\n\"myco\"\n6\n(1.0, 2.0)\n0\np 1.5\n1.0\n");
}

#[test]
fn world_settings_from_a_line_apply_at_once() {
    // A world of 4 x 4 clamps the next spawn into [-2, 2] on each axis; a
    // cap of 3 cells refuses a fourth (a runtime error of the line).
    let t = session(
        &[WORKERS],
        "world.size = (4.0, 4.0);\nspawn Counter at (10.0, -10.0)\n:cells Counter\nworld.max_cells = 3;\nspawn Counter\n:cells\n",
    );
    let out: Vec<&str> = t.stdout.lines().collect();
    assert_eq!(out[1], "#3");
    assert!(
        out[4].starts_with("#3  Counter  (2.00, -2.00)"),
        "{}",
        t.stdout
    );
    assert!(t.stderr.contains("spawn refused"), "{}", t.stderr);
    assert_eq!(
        out.iter().filter(|l| l.starts_with('#')).count(),
        6,
        "{}",
        t.stdout
    );
}

#[test]
fn an_open_brace_continues_on_the_next_lines() {
    let t = session(
        &[],
        "for i in 0..3 {\n  print(\"i\", i);\n}\n:quit\nprint(\"not run\");\n",
    );
    assert_eq!(t.stdout, "i 0\ni 1\ni 2\n");
    assert_eq!(t.status, Some(0));
}

#[test]
fn load_replaces_the_ecosystem() {
    let t = session(
        &[],
        ":cells\n:load tests/repl/workers.myco\n:cells\n:load nowhere.myco\n:tick\n",
    );
    let out: Vec<&str> = t.stdout.lines().collect();
    assert_eq!(out[0], "(no living cells)");
    assert_eq!(out[1], "ready");
    assert!(out[3].starts_with("#1  Beacon"), "{}", t.stdout);
    assert!(out[4].starts_with("#2  Counter"), "{}", t.stdout);
    // The failed load keeps the session as it was.
    assert!(t.stderr.contains("nowhere.myco"), "{}", t.stderr);
    assert_eq!(out[5], "count 1 at 1");
}

#[test]
fn disasm_shows_a_kinds_chunks_and_costs_match_myco_costs() {
    let t = session(&[WORKERS], ":disasm Counter\n:disasm Ghost\n");
    assert!(t.stdout.contains("== Counter.metabolism"), "{}", t.stdout);
    assert!(!t.stdout.contains("Beacon.metabolism"), "{}", t.stdout);
    assert!(
        t.stderr.contains("no cell kind named `Ghost`"),
        "{}",
        t.stderr
    );

    let t = session(&[], ":costs\n");
    let costs = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("costs")
        .output()
        .expect("myco costs");
    assert_eq!(t.stdout, String::from_utf8_lossy(&costs.stdout));
}

#[test]
fn unknown_commands_and_help() {
    let t = session(&[], ":frob\n:help\n");
    assert!(t.stderr.contains("unknown command `:frob`"), "{}", t.stderr);
    for name in [
        ":load", ":tick", ":cells", ":inspect", ":sense", ":back", ":disasm", ":costs", ":help",
        ":quit",
    ] {
        assert!(t.stdout.contains(name), "help lacks {name}");
    }
}

#[test]
fn a_file_that_does_not_compile_or_exist_fails_at_start() {
    let t = session(&["tests/repl/missing.myco"], ":tick\n");
    assert_eq!(t.status, Some(2));
    assert!(t.stderr.contains("missing.myco"), "{}", t.stderr);
    assert_eq!(t.stdout, "");

    let t = session(&["tests/repl/broken.myco"], ":tick\n");
    assert_eq!(t.status, Some(1));
    assert!(t.stderr.contains("E0302"), "{}", t.stderr);
    assert!(
        t.stderr.contains("tests/repl/broken.myco:4:"),
        "{}",
        t.stderr
    );
    assert_eq!(t.stdout, "");
}

/// The interactive mode in a real pseudo-terminal: `:ti<TAB>` completes to
/// `:tick`; Ctrl-C during `:tick 1000000` returns to the prompt with the
/// world stopped part-way and the session alive; the history is saved.
#[test]
fn interactive_completion_and_ctrl_c_in_a_pty() {
    let history = std::env::temp_dir().join(format!("myco-repl-pty-{}", std::process::id()));
    let _ = std::fs::remove_file(&history);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_myco"));
    cmd.arg("repl")
        .arg("tests/repl/busy.myco")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("MYCO_HISTORY", &history);
    let options = rexpect::reader::Options::new()
        .timeout_ms(Some(30_000))
        .strip_ansi_escape_codes(true);
    let mut p = rexpect::session::spawn_with_options(cmd, options).expect("pty session");
    p.exp_string("myco> ").expect("first prompt");

    // Completion: `:ti` alone is not a command; TAB makes it `:tick`.
    p.send(":ti").expect("typed");
    p.send("\t").expect("tab");
    p.flush().expect("flushed");
    p.exp_string(":tick").expect("completed on screen");
    p.send_line("").expect("enter");
    p.exp_string("tick 1, 200 cells alive")
        .expect("one tick ran");
    p.exp_string("myco> ").expect("prompt after :tick");

    // Ctrl-C stops a long run between ticks.
    p.send_line(":tick 1000000").expect("long tick");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.send_control('c').expect("ctrl-c");
    let (_, stopped) = p
        .exp_regex(r"interrupted: tick \d+")
        .expect("interrupted notice");
    let tick: u64 = stopped
        .trim_start_matches("interrupted: tick ")
        .parse()
        .expect("a tick number");
    assert!(tick > 1 && tick < 1_000_001, "stopped at tick {tick}");
    p.exp_string("myco> ").expect("prompt after Ctrl-C");

    // An open brace continues on the next line with the `...` prompt.
    p.send_line("for i in 0..2 {").expect("open brace");
    p.exp_string("...   ").expect("continuation prompt");
    p.send_line("print(\"i\", i * 7);").expect("body");
    p.exp_string("...   ").expect("still open");
    p.send_line("}").expect("close");
    p.exp_string("i 0\r\ni 7\r\n")
        .expect("loop ran once closed");
    p.exp_string("myco> ").expect("prompt after the loop");

    // The session is alive and the world is where it stopped.
    p.send_line("now() + 0").expect("expression");
    p.exp_string(&format!("{tick}\r\n"))
        .expect("now() is the tick it stopped at");
    p.exp_string("myco> ").expect("prompt");
    p.send_line(":quit").expect("quit");
    p.exp_eof().expect("session ends");

    let saved = std::fs::read_to_string(&history).unwrap_or_default();
    assert!(saved.contains(":tick 1000000"), "history: {saved:?}");
    let _ = std::fs::remove_file(&history);
}

#[test]
fn faults_during_ticks_are_reported_with_their_location() {
    // Turns 1 and 2 print 10 / 2 and 10 / 1; turn 3 divides by zero, so both
    // cells fault at tick 3 and are gone.
    let t = session(&["tests/repl/faulty.myco"], ":tick 5\n:cells\n");
    assert_eq!(
        t.stdout,
        "turn 1 5\nturn 1 5\nturn 2 10\nturn 2 10\n(no living cells)\n"
    );
    assert!(
        t.stderr
            .contains("tick 3: #1 faulted: division by zero at tests/repl/faulty.myco:8:"),
        "{}",
        t.stderr
    );
    assert!(t.stderr.contains("tick 3: #2 faulted"), "{}", t.stderr);
    assert!(
        t.stderr.contains("tick 5, 0 cells alive (2 died)"),
        "{}",
        t.stderr
    );
}

#[test]
fn lets_are_kept_from_line_to_line_until_load() {
    let script = "\
let w = spawn Counter at (1.0, 2.0); let mut n = 1;
n += 1; print(w); n
:tick
n * 10
let q = 1 / 0;
for i in 0..4 { n += i; }
n
:inspect w
:sense w BEACON
:inspect n
:load tests/repl/workers.myco
n
";
    let t = session(&[WORKERS], script);
    // #3 is the spawned counter; n is 2, then 2 + 0 + 1 + 2 + 3 = 8. The
    // failing `let q` declares nothing. A local holding a cell names it in
    // :inspect and :sense. After :load the locals are gone.
    let (before, inspected) = t.stdout.split_once("#3 Counter\n").expect("inspect w");
    assert_eq!(
        before, "ready\n#3\n2\ncount 1 at 1\ncount 1 at 1\n20\n8\n",
        "{}",
        t.stderr
    );
    assert!(
        inspected.contains("  position   (1.0, 2.0)\n"),
        "{inspected}"
    );
    assert!(inspected.contains("    count = 1\n"), "{inspected}");
    // The beacon emitted at tick 1 from distance sqrt(1 + 4).
    let strength = 2.0 * (-0.1 * 5f64.sqrt()).exp();
    assert!(
        inspected.contains(&format!("reading {{ source: #1, strength: {strength:?}, ")),
        "{inspected}"
    );
    assert!(inspected.ends_with("ready\n"), "{inspected}");
    assert!(t.stderr.contains("division by zero"), "{}", t.stderr);
    assert!(
        t.stderr
            .contains("`n` is not a cell id or a local holding a cell"),
        "{}",
        t.stderr
    );
    assert!(t.stderr.contains("cannot find `n`"), "{}", t.stderr);
}

#[test]
fn set_overrides_world_settings_for_the_session_and_bad_ones_are_usage_errors() {
    // `--set world.initial_energy=7` reaches the cells the ecosystem block
    // spawns (before tick 1 nothing has been charged yet).
    let t = session(
        &[WORKERS, "--set", "world.initial_energy=7"],
        ":inspect 1\n",
    );
    assert!(t.stdout.contains("energy     7.0\n"), "{}", t.stdout);
    assert_eq!(t.status, Some(0));
    let bad = session(&[WORKERS, "--set", "world.nope=1"], ":quit\n");
    assert_eq!(bad.status, Some(2), "{}", bad.stderr);
    assert!(bad.stderr.contains("nope"), "{}", bad.stderr);
}

#[test]
fn save_and_restore_go_back_to_a_checkpoint_also_one_written_by_myco_run() {
    let dir = std::env::temp_dir().join(format!("myco-repl-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let saved = dir.join("repl.ckpt");
    let input = format!(
        ":tick 5\n:inspect 2\n:save {}\n:tick 3\n:restore {}\n:inspect 2\n:restore {}\n:back\n",
        saved.display(),
        saved.display(),
        dir.join("missing.ckpt").display()
    );
    let t = session(&["examples/ecosystem.myco"], &input);
    assert_eq!(t.status, Some(0), "{}", t.stderr);
    assert!(t.stderr.contains("saved tick 5"), "{}", t.stderr);
    assert!(t.stderr.contains("restored"), "{}", t.stderr);
    assert!(t.stderr.contains("nothing restored"), "{}", t.stderr);
    // History is cleared by a restore: `:back` has nothing to go back to.
    assert!(t.stderr.contains("the history holds 0"), "{}", t.stderr);
    // The cell as inspected at tick 5 and after the restore: the same.
    let inspect = |text: &str, nth: usize| -> String {
        // The indented lines after the cell's title.
        text.split("#2 Producer\n")
            .nth(nth)
            .map(|rest| {
                rest.lines()
                    .take_while(|l| l.starts_with("  "))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let at_five = inspect(&t.stdout, 1);
    assert!(at_five.contains("age        4"), "{}", t.stdout);
    assert_eq!(inspect(&t.stdout, 2), at_five);

    // A checkpoint `myco run` wrote at tick 5 restores to the same cell.
    let run_ckpt = dir.join("run.ckpt");
    let run = Command::new(env!("CARGO_BIN_EXE_myco"))
        .args([
            "run",
            "examples/ecosystem.myco",
            "--ticks",
            "5",
            "--checkpoint",
        ])
        .arg(&run_ckpt)
        .output()
        .expect("myco run");
    assert_eq!(run.status.code(), Some(0));
    let t = session(
        &["examples/ecosystem.myco"],
        &format!(":restore {}\n:inspect 2\n", run_ckpt.display()),
    );
    assert_eq!(inspect(&t.stdout, 1), at_five, "{}", t.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}
