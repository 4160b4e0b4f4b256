//! Every row of `docs/bad-input.md`: a bad input, the exit status it gets
//! (0/1/2 per LANGUAGE.md §7) and a piece of its message. Nothing may hang,
//! panic or take more than a few seconds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A scratch directory for this test process.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("myco-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Writes `bytes` to a scratch file called `name` and returns its path.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn myco(args: &[&std::ffi::OsStr]) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_myco"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start myco: {e}"));
    (out, started.elapsed())
}

/// Runs myco and checks the status and that stderr contains `message`.
#[track_caller]
fn expect(args: &[&dyn AsRef<std::ffi::OsStr>], status: i32, message: &str) -> Output {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    let (out, took) = myco(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(status), "{args:?}\n{stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}: want {message:?} in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(took < Duration::from_secs(30), "{args:?} took {took:?}");
    out
}

const HELLO: &str = "examples/hello.myco";

#[test]
fn command_line_usage_errors_exit_2() {
    expect(&[], 2, "Usage");
    expect(&[&"frobnicate"], 2, "unrecognized subcommand");
    expect(&[&"run"], 2, "required arguments");
    expect(&[&"check"], 2, "required arguments");
    expect(&[&"run", &HELLO, &"--bogus"], 2, "unexpected argument");
    expect(
        &[&"run", &HELLO, &"--ticks", &"-1"],
        2,
        "unexpected argument",
    );
    expect(&[&"run", &HELLO, &"--ticks", &"abc"], 2, "invalid value");
    expect(
        &[&"run", &HELLO, &"--ticks", &"99999999999999999999"],
        2,
        "too large",
    );
    expect(&[&"run", &HELLO, &"--threads", &"0"], 2, "not in 1..=1024");
    expect(
        &[&"run", &HELLO, &"--threads", &"5000"],
        2,
        "not in 1..=1024",
    );
    expect(&[&"run", &HELLO, &"--seed", &"x"], 2, "invalid value");
    expect(
        &[&"run", &HELLO, &"--seed", &"99999999999999999999999"],
        2,
        "too large",
    );
}

#[test]
fn unreadable_files_exit_2() {
    expect(&[&"run", &"no/such/file.myco"], 2, "no such file");
    expect(&[&"check", &"no/such/file.myco"], 2, "no such file");
    expect(&[&"disasm", &"no/such/file.myco"], 2, "no such file");
    let dir = scratch();
    expect(&[&"run", &dir], 2, "is a directory");
    expect(&[&"check", &dir], 2, "is a directory");
}

#[test]
fn unwritable_outputs_exit_2_before_running() {
    let dir = scratch();
    expect(
        &[&"run", &HELLO, &"--dump-json", &"/nonexistent/dir/out.json"],
        2,
        "cannot write",
    );
    expect(&[&"run", &HELLO, &"--dump-json", &dir], 2, "cannot write");
    expect(
        &[&"run", &HELLO, &"--events", &"/nonexistent/dir/ev.jsonl"],
        2,
        "cannot write",
    );
}

#[test]
fn files_that_are_not_programs_exit_1() {
    let binary = file("binary.myco", &[0xff, 0xfe, 0x00, 0x41, 0x80]);
    expect(&[&"run", &binary], 1, "not UTF-8");
    expect(&[&"check", &binary], 1, "not UTF-8");
    // Valid UTF-8 but NUL bytes: one diagnostic for the whole run of them.
    let nuls = file("nuls.myco", &[0u8; 100_000]);
    let out = expect(&[&"check", &nuls], 1, "unexpected character");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("Error").count(), 1, "{stderr}");
    let type_error = file("type.myco", b"const X: int = 1 + 2.0;\n");
    expect(&[&"run", &type_error], 1, "cannot apply `+`");
    expect(&[&"check", &type_error], 1, "float(1)");
}

#[test]
fn many_errors_render_at_most_a_hundred() {
    let text = "const X: int = 1 + 2.0;\n".repeat(5000);
    let many = file("many.myco", text.as_bytes());
    let out = expect(&[&"check", &many], 1, "more diagnostics not shown");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let headlines = stderr
        .lines()
        .filter(|l| l.starts_with("[E") || l.starts_with("[W"))
        .count();
    assert_eq!(headlines, 100, "{stderr}");
}

#[test]
fn oversized_and_endless_files_are_refused_at_once() {
    // 5 MiB of garbage: over the 4 MiB cap, refused before it is parsed.
    let big = file("big.myco", &vec![b'{'; 5 << 20]);
    expect(&[&"run", &big], 1, "too large");
    // A file that never ends: read no further than the cap.
    if Path::new("/dev/zero").exists() {
        expect(&[&"check", &"/dev/zero"], 1, "too large");
    }
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    let n = 100_000;
    let parens = format!("const X: int = {}1{};\n", "(".repeat(n), ")".repeat(n));
    expect(
        &[&"check", &file("parens.myco", parens.as_bytes())],
        1,
        "nest",
    );
    let blocks = format!("fn f() {{ {}{} }}\n", "{ ".repeat(n), "}".repeat(n));
    expect(
        &[&"check", &file("blocks.myco", blocks.as_bytes())],
        1,
        "nest",
    );
    let sum = format!("const X: int = {};\n", vec!["1"; n].join(" + "));
    expect(
        &[&"check", &file("sum.myco", sum.as_bytes())],
        1,
        "nested too deeply",
    );
    let types = format!("const X: {}int{} = 1;\n", "[".repeat(n), "]".repeat(n));
    expect(
        &[&"check", &file("types.myco", types.as_bytes())],
        1,
        "nest",
    );
    // Nested block comments are fine, however deep.
    let comments = format!("{}{}\n", "/*".repeat(n), "*/".repeat(n));
    expect(
        &[&"check", &file("comments.myco", comments.as_bytes())],
        0,
        "",
    );
}

#[test]
fn odd_but_valid_programs_run() {
    // An empty file is a valid, empty program: no cells, nothing printed.
    let empty = file("empty.myco", b"");
    let out = expect(&[&"run", &empty, &"--ticks", &"3"], 0, "alive 0");
    assert!(out.stdout.is_empty());
    expect(&[&"check", &empty], 0, "");
    let comments = file("comments-only.myco", b"// nothing here\n/* at all */\n");
    expect(&[&"run", &comments], 0, "alive 0");
    // A byte-order mark and CRLF line ends.
    let bom = file(
        "bom.myco",
        b"\xef\xbb\xbfcell C { metabolism { print(\"hi\"); die; } }\r\necosystem { spawn C; }\r\n",
    );
    let out = expect(&[&"run", &bom], 0, "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
    // --ticks 0 runs the ecosystem block only.
    expect(&[&"run", &HELLO, &"--ticks", &"0"], 0, "ticks 0");
}

#[test]
fn a_large_valid_program_compiles_in_seconds() {
    // 3,000 functions, ~270 KB (a debug build checks ~0.5 ms per function).
    let text: String = (0..3000)
        .map(|i| {
            format!(
                "fn f{i}(x: int) -> int {{ let y = x * 2 + {i}; if y > 10 {{ return y - 1; }} return y; }}\n"
            )
        })
        .collect();
    let big = file("large.myco", text.as_bytes());
    expect(&[&"check", &big], 0, "");
}

#[test]
fn a_faulting_ecosystem_block_exits_1() {
    let fault = file("eco-fault.myco", b"ecosystem { let _x = 1 / 0; }\n");
    expect(&[&"run", &fault], 1, "division by zero");
}

#[test]
fn imports_have_the_same_caps_as_the_main_file() {
    let dir = scratch().join("imports");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        path
    };
    // One import over 4 MiB, one that never ends, one that is not UTF-8,
    // one that is a directory: each an E0214 diagnostic, at once.
    write("big.myco", &vec![b'/'; 5 << 20]);
    write("binary.myco", b"const A: int = 1;\xff\xfe");
    std::fs::create_dir_all(dir.join("folder.myco")).unwrap_or_else(|e| panic!("{e}"));
    for (import, message) in [
        (
            "big.myco",
            "is too large (a file may have at most 4194304 bytes)",
        ),
        ("/dev/zero", "is too large"),
        ("binary.myco", "is not UTF-8 text"),
        ("folder.myco", "is a directory"),
    ] {
        let main = write("main.myco", format!("use \"{import}\";\n").as_bytes());
        let out = expect(&[&"check", &main], 1, message);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("E0214"), "{stderr}");
    }

    // Five imports of 3.9 MB each: the fifth would take the program past
    // 16 MiB of source.
    let mut comment = Vec::with_capacity(3_900_000);
    while comment.len() < 3_900_000 - 100 {
        comment.extend_from_slice(b"// ");
        comment.extend(std::iter::repeat_n(b'x', 96));
        comment.push(b'\n');
    }
    let mut main = String::new();
    for i in 0..5 {
        write(&format!("part{i}.myco"), &comment);
        main.push_str(&format!("use \"part{i}.myco\";\n"));
    }
    let main = write("parts.myco", main.as_bytes());
    let out = expect(&[&"check", &main], 1, "more than 16777216 bytes of source");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("part4.myco"), "{stderr}");
}
