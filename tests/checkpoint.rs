//! Checkpoints (`myco run --checkpoint/--every/--resume`): a run killed with
//! SIGKILL at seeded random moments (by wall time, and after seeded ticks
//! whatever the machine's speed) and resumed from its last checkpoint
//! ends byte-identical to the run that was never killed; bad checkpoints
//! (damaged, truncated, of another program or version) are refused with
//! exit status 1 and nothing run; Ctrl-C writes the checkpoint and exits 130.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const COLONY: &str = "tests/checkpoint/colony.myco";
const TICKS: u64 = 300;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("myco-checkpoint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn myco() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_myco"));
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
    cmd
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    myco()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start myco: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The run never killed: its stdout and final dump.
fn unkilled(dir: &Path) -> (String, String) {
    let dump = dir.join("full.json");
    let out = run(&[
        "run".as_ref(),
        COLONY.as_ref(),
        "--ticks".as_ref(),
        TICKS.to_string().as_ref(),
        "--dump-json".as_ref(),
        dump.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dump = std::fs::read_to_string(dump).unwrap_or_else(|e| panic!("{e}"));
    (text(&out.stdout), dump)
}

/// The lines of `stdout` printed after tick `tick` (each line starts with
/// its tick: see colony.myco).
fn after_tick(stdout: &str, tick: u64) -> String {
    stdout
        .lines()
        .filter(|line| {
            let t: u64 = line
                .split(' ')
                .next()
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("a line without its tick: {line}"));
            t > tick
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The tick a resumed run says it started from.
fn resumed_tick(stderr: &str) -> u64 {
    stderr
        .lines()
        .find_map(|l| l.split(" at tick ").nth(1))
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `resumed ... at tick N` in\n{stderr}"))
}

/// A small seeded generator for the kill moments (SplitMix64).
struct Moments(u64);

impl Moments {
    fn next_fraction(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn a_run_killed_at_random_moments_resumes_byte_identical() {
    let dir = scratch("kill");
    let (full_stdout, full_dump) = unkilled(&dir);
    assert!(
        full_stdout.lines().count() > 500,
        "the colony should be busy"
    );

    // How long a checkpointing run takes, to spread the kills over it.
    let cp = dir.join("colony.ckpt");
    let checkpointing = |cp: &Path| {
        let mut cmd = myco();
        cmd.args([
            "run",
            COLONY,
            "--ticks",
            &TICKS.to_string(),
            "--every",
            "50",
        ])
        .arg("--checkpoint")
        .arg(cp);
        cmd
    };
    let started = Instant::now();
    let out = checkpointing(&cp)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        full_stdout,
        "checkpointing changes nothing"
    );
    let duration = started.elapsed();

    let mut moments = Moments(2026);
    let mut resumed_mid_run = 0;
    for round in 0..8 {
        let cp = dir.join(format!("kill-{round}.ckpt"));
        let mut child = checkpointing(&cp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let wait = if round < 4 {
            // Anywhere in the run, by wall time (early kills included).
            let wait = duration.mul_f64(0.05 + 0.9 * moments.next_fraction());
            std::thread::sleep(wait);
            wait
        } else {
            // Whatever the machine's speed: once the run has printed a line
            // of a seeded tick between 100 and 200 (so checkpoints at 50 and
            // 100 are on disk), then a few milliseconds more: mid-tick, or
            // mid-way through writing a checkpoint.
            let target = 100 + (moments.next_fraction() * 100.0) as u64;
            let stdout = child.stdout.take().unwrap_or_else(|| panic!("piped"));
            let seen = std::io::BufRead::lines(std::io::BufReader::new(stdout))
                .map_while(Result::ok)
                .any(|line| {
                    line.split(' ')
                        .next()
                        .and_then(|t| t.parse::<u64>().ok())
                        .is_some_and(|t| t >= target)
                });
            assert!(seen, "round {round}: the run ended before tick {target}");
            let extra = Duration::from_micros((moments.next_fraction() * 15_000.0) as u64);
            std::thread::sleep(extra);
            extra
        };
        // `Child::kill` is SIGKILL on Unix: no handler runs, no buffer is flushed.
        let _ = child.kill();
        let _ = child.wait();

        let dump = dir.join(format!("resumed-{round}.json"));
        let mut resume = myco();
        resume
            .args(["run", COLONY, "--ticks", &TICKS.to_string()])
            .arg("--dump-json")
            .arg(&dump);
        // Killed before even the first checkpoint was written: start over.
        let from_checkpoint = cp.exists();
        if from_checkpoint {
            resume.arg("--resume").arg(&cp);
        }
        let out = resume.output().unwrap_or_else(|e| panic!("{e}"));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
        let tick = if from_checkpoint {
            resumed_tick(&stderr)
        } else {
            0
        };
        assert!(
            tick.is_multiple_of(50),
            "checkpoints are every 50 ticks: {tick}"
        );
        if tick > 0 && tick < TICKS {
            resumed_mid_run += 1;
        }
        eprintln!("round {round}: killed after {wait:?}, resumed at tick {tick}");
        assert_eq!(
            text(&out.stdout),
            after_tick(&full_stdout, tick),
            "round {round}: killed after {wait:?}, resumed at tick {tick}: stdout"
        );
        let resumed_dump = std::fs::read_to_string(&dump).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            resumed_dump, full_dump,
            "round {round}: resumed at tick {tick}: final dump"
        );
    }
    assert!(
        resumed_mid_run >= 4,
        "only {resumed_mid_run} kills landed mid-run: the test did not test"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn resuming_on_more_threads_and_in_several_legs_changes_nothing() {
    let dir = scratch("legs");
    let (full_stdout, full_dump) = unkilled(&dir);
    let cp = dir.join("legs.ckpt");
    let mut stdout = String::new();
    for (leg, end) in [40u64, 170, 171, 300].iter().enumerate() {
        let mut cmd = myco();
        cmd.args(["run", COLONY, "--ticks", &end.to_string(), "--every", "7"])
            .args(["--threads", if leg % 2 == 0 { "1" } else { "2" }])
            .arg("--checkpoint")
            .arg(&cp);
        if leg > 0 {
            cmd.arg("--resume").arg(&cp);
        }
        if *end == TICKS {
            cmd.arg("--dump-json").arg(dir.join("legs.json"));
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        stdout.push_str(&text(&out.stdout));
    }
    assert_eq!(stdout, full_stdout);
    let dump = std::fs::read_to_string(dir.join("legs.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dump, full_dump);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A valid checkpoint of the colony at tick 20.
fn checkpoint_at_20(dir: &Path) -> Vec<u8> {
    let cp = dir.join("good.ckpt");
    let out = myco()
        .args(["run", COLONY, "--ticks", "20", "--checkpoint"])
        .arg(&cp)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::read(&cp).unwrap_or_else(|e| panic!("{e}"))
}

/// Resumes the colony from `bytes`; checks exit 1, `message` in stderr,
/// nothing on stdout (nothing was run), no panic.
#[track_caller]
fn refused(dir: &Path, name: &str, bytes: &[u8], message: &str) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = myco()
        .args(["run", COLONY, "--ticks", "40", "--resume"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
    assert!(
        stderr.contains(message),
        "{name}: want {message:?} in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "{name}: something ran");
}

#[test]
fn damaged_checkpoints_are_refused_whole() {
    let dir = scratch("damaged");
    let good = checkpoint_at_20(&dir);
    assert!(good.len() > 10_000);

    // Flipped bytes anywhere in the payload: the checksum catches them.
    let mut moments = Moments(7);
    for i in 0..12 {
        let mut bad = good.clone();
        let at = 24 + (moments.next_fraction() * (good.len() - 24) as f64) as usize;
        bad[at] ^= 1 << (i % 8);
        refused(&dir, &format!("flip-{i}.ckpt"), &bad, "corrupted");
    }
    // The header itself: the magic, the version, the length, the checksum.
    let mut bad = good.clone();
    bad[0] ^= 0x20;
    refused(&dir, "magic.ckpt", &bad, "not a Myco checkpoint");
    let mut bad = good.clone();
    bad[8..12].copy_from_slice(&99u32.to_le_bytes());
    refused(&dir, "version.ckpt", &bad, "format version 99");
    let mut bad = good.clone();
    bad[12] ^= 0x01;
    refused(&dir, "length.ckpt", &bad, "checkpoint");
    let mut bad = good.clone();
    bad[21] ^= 0x10;
    refused(&dir, "crc.ckpt", &bad, "corrupted");

    // Truncated anywhere (and empty), or with bytes appended.
    for cut in [0, 5, 8, 15, 24, 100, good.len() / 2, good.len() - 1] {
        let message = if cut < 8 {
            "not a Myco checkpoint"
        } else {
            "truncated"
        };
        refused(&dir, &format!("cut-{cut}.ckpt"), &good[..cut], message);
    }
    let mut longer = good.clone();
    longer.extend_from_slice(b"junk");
    refused(&dir, "longer.ckpt", &longer, "after the payload");

    // A program file, or random bytes, given as a checkpoint.
    let program = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(COLONY))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(&dir, "program.ckpt", &program, "not a Myco checkpoint");

    // The good one still works.
    let path = dir.join("good-again.ckpt");
    std::fs::write(&path, &good).unwrap_or_else(|e| panic!("{e}"));
    let out = myco()
        .args(["run", COLONY, "--ticks", "25", "--resume"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Already past --ticks: nothing runs, and it says so.
    let out = myco()
        .args(["run", COLONY, "--ticks", "10", "--resume"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("the checkpoint is at tick 20, not before --ticks 10"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_checkpoint_of_another_program_is_refused() {
    let dir = scratch("other");
    let cp = dir.join("hello.ckpt");
    let out = myco()
        .args(["run", "examples/hello.myco", "--ticks", "3", "--checkpoint"])
        .arg(&cp)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(&cp).unwrap_or_else(|e| panic!("{e}"));
    refused(
        &dir,
        "hello.ckpt",
        &bytes,
        "another program (`examples/hello.myco`)",
    );

    // The same program with one character changed is another program too.
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(COLONY))
        .unwrap_or_else(|e| panic!("{e}"));
    let edited = dir.join("colony.myco");
    std::fs::write(
        &edited,
        source.replace("ROAMERS: int = 300", "ROAMERS: int = 301"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let good = checkpoint_at_20(&dir);
    let path = dir.join("good.ckpt");
    std::fs::write(&path, &good).unwrap_or_else(|e| panic!("{e}"));
    let out = myco()
        .arg("run")
        .arg(&edited)
        .args(["--ticks", "30", "--resume"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("another program"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn checkpoint_usage_errors_exit_2() {
    let dir = scratch("usage");
    let expect = |args: &[&std::ffi::OsStr], message: &str| {
        let out = run(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: want {message:?} in\n{stderr}"
        );
    };
    let missing = dir.join("missing.ckpt");
    expect(
        &[
            "run".as_ref(),
            COLONY.as_ref(),
            "--resume".as_ref(),
            missing.as_os_str(),
        ],
        "no such file",
    );
    expect(
        &[
            "run".as_ref(),
            COLONY.as_ref(),
            "--resume".as_ref(),
            dir.as_os_str(),
        ],
        "is a directory",
    );
    let nowhere = dir.join("no/such/dir/x.ckpt");
    expect(
        &[
            "run".as_ref(),
            COLONY.as_ref(),
            "--checkpoint".as_ref(),
            nowhere.as_os_str(),
        ],
        "cannot write the checkpoint",
    );
    for flag in [&["--seed", "3"][..], &["--set", "world.income=1.0"]] {
        let mut args: Vec<&std::ffi::OsStr> = vec!["run".as_ref(), COLONY.as_ref()];
        args.extend(["--resume".as_ref(), missing.as_os_str()]);
        args.extend(flag.iter().map(std::ffi::OsStr::new));
        expect(&args, "cannot be used with");
    }
    expect(
        &[
            "run".as_ref(),
            COLONY.as_ref(),
            "--every".as_ref(),
            "0".as_ref(),
        ],
        "invalid value",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A long run of cheap ticks, for Ctrl-C.
const FOREVER: &str = "
signal Ping { n: int }
cell Pinger {
    peer: cell? = none;
    n: int = 0;
    metabolism {
        self.n += 1;
        if let p = self.peer { send Ping { n: self.n } to p; }
        if now() % 1000 == 0 { print(now(), self, self.n); }
    }
    on Ping(p) { self.n += p.n % 3; report 1.0; }
}
ecosystem {
    spawn Pinger { peer: none } at (0.0, 0.0);
    spawn Pinger { peer: none } at (1.0, 0.0);
}
";

#[test]
fn ctrl_c_writes_the_checkpoint_of_the_last_complete_tick_and_exits_130() {
    let dir = scratch("ctrl-c");
    let file = dir.join("forever.myco");
    std::fs::write(&file, FOREVER).unwrap_or_else(|e| panic!("{e}"));
    let cp = dir.join("forever.ckpt");
    let child = myco()
        .arg("run")
        .arg(&file)
        .args(["--ticks", "100000000", "--every", "1000000"])
        .arg("--checkpoint")
        .arg(&cp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // The first checkpoint is written after the ecosystem block, once the
    // Ctrl-C handler is in place; then let it tick a while.
    let waiting = Instant::now();
    while !cp.exists() && waiting.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sent.success());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let tick: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("myco: interrupted after tick "))
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `interrupted after tick N` in\n{stderr}"));
    assert!(tick > 0, "{stderr}");
    let first_leg = text(&out.stdout);

    // The checkpoint holds that tick: resuming it to tick + 2500 gives the
    // output and state of an uninterrupted run to the same tick.
    let end = (tick + 2500).to_string();
    let resumed = myco()
        .arg("run")
        .arg(&file)
        .args(["--ticks", &end, "--dump-json", "-", "--resume"])
        .arg(&cp)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stderr));
    assert_eq!(resumed_tick(&text(&resumed.stderr)), tick);
    let whole = myco()
        .arg("run")
        .arg(&file)
        .args(["--ticks", &end, "--dump-json", "-"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        format!("{first_leg}{}", text(&resumed.stdout)),
        text(&whole.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
