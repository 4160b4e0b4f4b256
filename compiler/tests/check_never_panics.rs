//! Whatever the input, parsing and checking give diagnostics, never a panic:
//! random bytes, random token soups, and valid programs with random edits
//! (the last reach deep into the checker, since most of them still parse).

use myco_compiler::check::{CheckOptions, MemoryLoader};
use proptest::prelude::*;

const VOCABULARY: &[&str] = &[
    "cell",
    "metabolism",
    "on",
    "spawn",
    "apoptosis",
    "fn",
    "let",
    "mut",
    "if",
    "else",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "emit",
    "sense",
    "bind",
    "unbind",
    "send",
    "to",
    "report",
    "differentiate",
    "move",
    "sleep",
    "until",
    "die",
    "gradient",
    "signal",
    "membrane",
    "const",
    "use",
    "ecosystem",
    "world",
    "self",
    "sender",
    "at",
    "none",
    "true",
    "false",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    ",",
    ".",
    "..",
    "->",
    "=",
    "+=",
    "-=",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&&",
    "||",
    "!",
    "??",
    "?",
    "x",
    "y",
    "G",
    "S",
    "C",
    "int",
    "float",
    "str",
    "vec",
    "cell",
    "bool",
    "reading",
    "0",
    "1",
    "2.5",
    "\"s\"",
    "print",
    "len",
    "push",
    "pop",
    "first",
    "std",
    "::",
    "energy",
    "pos",
    "abs",
    "min",
    "int",
    "float",
];

const BASE: &str = include_str!("../../tests/diagnostics/ok/features.myco");

fn run(src: &str) {
    let loader = MemoryLoader::default().with("a.myco", "use \"b.myco\"; fn fa() {}");
    let out = myco_compiler::check_source(src, "fuzz.myco", &loader, &CheckOptions::default());
    // Rendering must not panic either (spans stay inside the source).
    let _ = myco_compiler::diagnostic::render(
        "fuzz.myco",
        src,
        &out.sources,
        &out.diagnostics,
        myco_compiler::diagnostic::ColorChoice::Never,
    );
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES=20000` for a long hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_soup(tokens in proptest::collection::vec(0..VOCABULARY.len(), 0..120)) {
        let src: Vec<&str> = tokens.iter().map(|&i| VOCABULARY[i]).collect();
        run(&src.join(" "));
    }

    #[test]
    fn edited_valid_programs(edits in proptest::collection::vec((0usize..10_000, 0..VOCABULARY.len(), 0u8..3), 1..4)) {
        let mut words: Vec<String> = BASE.split_whitespace().map(str::to_string).collect();
        for (at, token, kind) in edits {
            if words.is_empty() {
                break;
            }
            let at = at % words.len();
            match kind {
                0 => {
                    words.remove(at);
                }
                1 => words.insert(at, VOCABULARY[token].to_string()),
                _ => words[at] = VOCABULARY[token].to_string(),
            }
        }
        run(&words.join(" "));
    }
}

#[test]
fn the_base_program_is_valid() {
    let out = myco_compiler::check_source(
        BASE,
        "base.myco",
        &MemoryLoader::default(),
        &CheckOptions::default(),
    );
    assert!(out.program.is_some(), "{:#?}", out.diagnostics);
}
