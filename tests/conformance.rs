//! The conformance suite: every `tests/conformance/NAME.myco` is run with
//! `myco run` and its standard output compared, byte for byte, with
//! `NAME.out` (the expected `print` lines, derived from LANGUAGE.md by
//! reasoning, never by running the implementation).
//!
//! For each program the harness:
//! - reads an optional `// args: ...` directive from the leading comment
//!   lines (extra `myco run` arguments; `--ticks 5` when there is none);
//! - runs it with `--threads 1` and with `--threads 2`, each time with
//!   `--dump-json` into a temporary file;
//! - checks the exit status (0), the stdout against `NAME.out`, that both
//!   thread counts give identical stdout and dump (LANGUAGE.md §5
//!   "Determinism"), and, when `NAME.dump.json` exists, that the dump
//!   contains it as a subset (objects: every expected key present with a
//!   matching value; arrays: same length, element-wise; an expected int
//!   needs an int, an expected float a float of the same value);
//! - reports every failing program at the end, then fails.
//!
//! `CONFORMANCE_FILTER=substr` runs only the programs whose file name
//! contains `substr`.

use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one `myco run` may take before it counts as hung.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The `myco run` arguments used when a program has no `// args:` directive.
const DEFAULT_ARGS: &[&str] = &["--ticks", "5"];

/// The thread counts every program runs with; their results must agree.
const THREAD_COUNTS: [u32; 2] = [1, 2];

/// What one run of the binary produced.
struct RunOutput {
    status: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    dump: Option<Vec<u8>>,
    timed_out: bool,
}

#[test]
fn conformance() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("conformance");
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let programs = find_programs(&dir, &filter);
    if programs.is_empty() {
        if filter.is_empty() {
            panic!("no conformance programs found in {}", dir.display());
        }
        eprintln!("CONFORMANCE_FILTER={filter:?} matched no program");
        return;
    }

    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-tmp");
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        panic!("cannot create {}: {e}", tmp.display());
    }

    let mut failures: Vec<(String, String)> = Vec::new();
    for program in &programs {
        let name = program
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match check_program(program, &name, &tmp) {
            Ok(()) => eprintln!("conformance: ok   {name}"),
            Err(report) => {
                eprintln!("conformance: FAIL {name}");
                failures.push((name, report));
            }
        }
    }

    if !failures.is_empty() {
        let mut message = String::new();
        for (name, report) in &failures {
            let _ = writeln!(message, "\n==== {name} ====\n{report}");
        }
        let names: Vec<&str> = failures.iter().map(|(n, _)| n.as_str()).collect();
        let _ = writeln!(
            message,
            "\n{} of {} conformance programs failed: {}",
            failures.len(),
            programs.len(),
            names.join(", ")
        );
        panic!("{message}");
    }
}

/// The `.myco` files directly in `dir` (not in subdirectories, which hold
/// modules that programs import), sorted, whose name contains `filter`.
fn find_programs(dir: &Path, filter: &str) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    let mut programs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "myco"))
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(filter))
        })
        .collect();
    programs.sort();
    programs
}

/// Runs one program with every thread count and checks everything; the
/// error is a readable report of all that went wrong.
fn check_program(program: &Path, name: &str, tmp: &Path) -> Result<(), String> {
    let source = std::fs::read_to_string(program)
        .map_err(|e| format!("cannot read {}: {e}", program.display()))?;
    let expected_out = std::fs::read(program.with_extension("out"))
        .map_err(|e| format!("missing expected output {name}.out: {e}"))?;
    let expected_dump = read_expected_dump(program, name)?;
    let args = directive_args(&source);

    let mut problems = String::new();
    let mut runs: Vec<(u32, RunOutput)> = Vec::new();
    for threads in THREAD_COUNTS {
        let dump_path = tmp.join(format!("{name}-t{threads}-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&dump_path);
        let run = run_myco(program, &args, threads, &dump_path)?;
        let _ = std::fs::remove_file(&dump_path);

        let label = format!("--threads {threads}");
        if run.timed_out {
            let _ = writeln!(problems, "[{label}] timed out after {RUN_TIMEOUT:?}");
        } else if run.status != Some(0) {
            let _ = writeln!(
                problems,
                "[{label}] exit status {:?} (expected 0); stderr:\n{}",
                run.status,
                tail(&String::from_utf8_lossy(&run.stderr), 40)
            );
        }
        runs.push((threads, run));
    }

    if let Some((threads, first)) = runs.first() {
        if first.stdout != expected_out {
            let _ = writeln!(
                problems,
                "[--threads {threads}] stdout differs from {name}.out (- expected, + actual):\n{}",
                line_diff(
                    &String::from_utf8_lossy(&expected_out),
                    &String::from_utf8_lossy(&first.stdout)
                )
            );
        }
        for (other_threads, other) in runs.iter().skip(1) {
            if other.stdout != first.stdout {
                let _ = writeln!(
                    problems,
                    "stdout differs between --threads {threads} and --threads {other_threads}:\n{}",
                    line_diff(
                        &String::from_utf8_lossy(&first.stdout),
                        &String::from_utf8_lossy(&other.stdout)
                    )
                );
            }
            if other.dump != first.dump {
                let _ = writeln!(
                    problems,
                    "--dump-json differs between --threads {threads} and --threads {other_threads}"
                );
            }
        }
        match (&first.dump, &expected_dump) {
            (_, None) => {}
            (None, Some(_)) => {
                let _ = writeln!(problems, "no --dump-json file was written");
            }
            (Some(bytes), Some(expected)) => match serde_json::from_slice(bytes) {
                Err(e) => {
                    let _ = writeln!(problems, "--dump-json is not JSON: {e}");
                }
                Ok(actual) => {
                    let mut mismatches = Vec::new();
                    subset_mismatches(expected, &actual, "$", &mut mismatches);
                    if !mismatches.is_empty() {
                        let _ = writeln!(
                            problems,
                            "dump does not contain {name}.dump.json:\n  {}",
                            mismatches.join("\n  ")
                        );
                    }
                }
            },
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Parses `NAME.dump.json` when it exists.
fn read_expected_dump(program: &Path, name: &str) -> Result<Option<serde_json::Value>, String> {
    let path = program.with_extension("dump.json");
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {name}.dump.json: {e}"))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{name}.dump.json is not valid JSON: {e}"))
}

/// The arguments of a `// args: ...` directive among the program's leading
/// comment lines, or the default ones.
fn directive_args(source: &str) -> Vec<String> {
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        if let Some(args) = comment.trim().strip_prefix("args:") {
            return args.split_whitespace().map(str::to_owned).collect();
        }
    }
    DEFAULT_ARGS.iter().map(|s| (*s).to_owned()).collect()
}

/// Runs `myco run PROGRAM ARGS --threads K --dump-json DUMP` with a timeout.
fn run_myco(
    program: &Path,
    args: &[String],
    threads: u32,
    dump_path: &Path,
) -> Result<RunOutput, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myco"))
        .arg("run")
        .arg(program)
        .args(args)
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--dump-json")
        .arg(dump_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start myco: {e}"))?;

    // Drain both pipes on their own threads so a chatty child never blocks.
    let stdout_reader = child.stdout.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    });
    let stderr_reader = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    });

    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                timed_out = true;
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for myco failed: {e}")),
        }
    };
    let stdout = stdout_reader
        .and_then(|h| h.join().ok())
        .unwrap_or_default();
    let stderr = stderr_reader
        .and_then(|h| h.join().ok())
        .unwrap_or_default();
    let dump = std::fs::read(dump_path).ok();
    Ok(RunOutput {
        status,
        stdout,
        stderr,
        dump,
        timed_out,
    })
}

/// Collects where `actual` fails to contain `expected` (see the module doc).
fn subset_mismatches(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    at: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    match (expected, actual) {
        (J::Object(want), J::Object(have)) => {
            for (key, want_value) in want {
                match have.get(key) {
                    Some(have_value) => {
                        subset_mismatches(want_value, have_value, &format!("{at}.{key}"), out)
                    }
                    None => out.push(format!("{at}: missing key {key:?}")),
                }
            }
        }
        (J::Array(want), J::Array(have)) => {
            if want.len() != have.len() {
                out.push(format!(
                    "{at}: expected {} elements, found {}: {}",
                    want.len(),
                    have.len(),
                    short(actual)
                ));
                return;
            }
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                subset_mismatches(w, h, &format!("{at}[{i}]"), out);
            }
        }
        (J::Number(want), J::Number(have)) => {
            let equal = if want.is_f64() {
                have.is_f64() && want.as_f64() == have.as_f64()
            } else {
                !have.is_f64() && want.as_i64() == have.as_i64() && want.as_u64() == have.as_u64()
            };
            if !equal {
                out.push(format!("{at}: expected {want}, found {have}"));
            }
        }
        _ => {
            if expected != actual {
                out.push(format!(
                    "{at}: expected {}, found {}",
                    short(expected),
                    short(actual)
                ));
            }
        }
    }
}

/// A JSON value shown on one line, cut when long.
fn short(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(200).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}

/// A line diff (longest common subsequence): `  ` common, `- ` only in
/// `expected`, `+ ` only in `actual`. A missing final newline is shown.
fn line_diff(expected: &str, actual: &str) -> String {
    let a = diff_lines(expected);
    let b = diff_lines(actual);
    // lcs[i][j] = length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

/// The lines of `text`, marking a last line that lacks its `\n`.
fn diff_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    match lines.last() {
        Some(last) if last.is_empty() => {
            lines.pop();
        }
        Some(_) => {
            if let Some(last) = lines.last_mut() {
                last.push_str("⏎ (no newline at end)");
            }
        }
        None => {}
    }
    lines
}

/// The harness's own helpers, checked so that a broken comparison cannot
/// make every program pass.
#[test]
fn harness_helpers() {
    use serde_json::json;

    let actual = json!({
        "tick": 3,
        "cells": [
            {"id": 1, "kind": "A", "pos": [1.0, 2.0], "fields": {"n": 1, "f": 0.5, "o": null}},
            {"id": 2, "kind": "B", "pos": [0.0, 0.0], "fields": {}}
        ]
    });
    let mut found = Vec::new();
    subset_mismatches(
        &json!({"tick": 3, "cells": [{"id": 1, "fields": {"n": 1, "f": 0.5, "o": null}}, {"kind": "B"}]}),
        &actual,
        "$",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");

    for wrong in [
        json!({"tick": 4}),
        json!({"cells": [{"id": 1}]}),
        json!({"cells": [{"id": 1, "fields": {"n": 1.0}}, {}]}),
        json!({"cells": [{"id": 1, "fields": {"f": 1}}, {}]}),
        json!({"cells": [{"id": 1, "missing": true}, {}]}),
        json!({"cells": [{"pos": [1.0, 2.5]}, {}]}),
    ] {
        let mut found = Vec::new();
        subset_mismatches(&wrong, &actual, "$", &mut found);
        assert!(!found.is_empty(), "{wrong} should not match");
    }

    assert_eq!(
        directive_args("// args: --ticks 3 --seed 7\ncell T {}"),
        ["--ticks", "3", "--seed", "7"]
    );
    assert!(directive_args("// header\n// args:\ncell T {}").is_empty());
    assert_eq!(
        directive_args("// header\ncell T {}\n// args: --ticks 9"),
        DEFAULT_ARGS
    );

    let diff = line_diff("a\nb\nc\n", "a\nx\nc");
    assert_eq!(diff, "  a\n- b\n- c\n+ x\n+ c⏎ (no newline at end)\n");
}
