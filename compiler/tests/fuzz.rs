//! Property tests: no input makes the lexer or parser panic, and what they
//! report is well-formed.

use myco_compiler::parser::{is_incomplete, lex, parse, parse_repl_line};
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
    "x",
    "Claim",
    "int",
    "std",
    "1",
    "2.5",
    "1e-7",
    "\"s\"",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    ":",
    "::",
    ".",
    "..",
    "->",
    "?",
    "??",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "+=",
    "-=",
    "*=",
    "/=",
    "@",
    "\"",
    "/*",
    "*/",
    "//",
];

fn check(src: &str) {
    let (tokens, lex_diags) = lex(src);
    for (_, span) in &tokens {
        assert!(span.start <= span.end && span.end <= src.len());
    }
    let (program, diags) = parse(src);
    assert!(diags.len() >= lex_diags.len());
    for d in &diags {
        assert!(d.primary.span.start <= d.primary.span.end);
        assert!(d.primary.span.end <= src.len(), "{d:?} past the end");
        assert!(!d.message.is_empty());
    }
    if diags.is_empty() {
        let program = program.expect("no diagnostics means a tree");
        // Ids are dense: every id is below the count.
        let _ = program.expr_count;
    }
    let (line, line_diags) = parse_repl_line(src);
    if line_diags.is_empty() {
        assert!(line.is_some());
    }
    let _ = is_incomplete(src);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,200}") {
        check(&src);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_sequences_never_panic(
        picks in proptest::collection::vec(0..VOCABULARY.len(), 0..120)
    ) {
        let src = picks.iter().map(|&i| VOCABULARY[i]).collect::<Vec<_>>().join(" ");
        check(&src);
    }

    #[test]
    fn random_statements_in_a_cell_never_panic(
        picks in proptest::collection::vec(0..VOCABULARY.len(), 0..60)
    ) {
        let body = picks.iter().map(|&i| VOCABULARY[i]).collect::<Vec<_>>().join(" ");
        check(&format!("cell A {{ metabolism {{ {body} }} }} ecosystem {{ spawn A; }}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The spec program with a few tokens deleted or duplicated: still no
    /// panic, and an edit that breaks the syntax is reported.
    #[test]
    fn edited_spec_program_never_panics(
        edits in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>()), 1..4)
    ) {
        let src = include_str!("data/spec_example.myco");
        let (tokens, _) = lex(src);
        let mut pieces: Vec<&str> = tokens.iter().map(|(_, s)| &src[s.clone()]).collect();
        for (delete, at) in &edits {
            if pieces.is_empty() {
                break;
            }
            let i = at.index(pieces.len());
            if *delete {
                pieces.remove(i);
            } else {
                let piece = pieces[i];
                pieces.insert(i, piece);
            }
        }
        check(&pieces.join(" "));
    }
}

#[test]
fn deleting_any_semicolon_of_the_spec_program_is_reported() {
    let src = include_str!("data/spec_example.myco");
    let (tokens, _) = lex(src);
    let semis: Vec<usize> = tokens
        .iter()
        .filter(|(t, _)| *t == myco_compiler::lexer::Token::Semi)
        .map(|(_, s)| s.start)
        .collect();
    assert!(semis.len() > 20);
    for at in semis {
        let edited = format!("{}{}", &src[..at], &src[at + 1..]);
        let (_, diags) = parse(&edited);
        assert!(
            !diags.is_empty(),
            "no diagnostic without the `;` at byte {at}"
        );
    }
}
