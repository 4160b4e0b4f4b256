//! Keeps `grammar/myco.ebnf` true to the lexer: every quoted terminal of
//! the syntactic grammar must lex as exactly one valid token, and every
//! keyword of LANGUAGE.md §5b must appear in the grammar.

use myco_compiler::lexer::{Token, lex};

const EBNF: &str = include_str!("../../grammar/myco.ebnf");

/// The syntactic part of the grammar, comments removed.
fn syntactic_rules() -> String {
    let start = EBNF
        .find("===== Syntactic grammar =====")
        .expect("syntactic section marker");
    let end = EBNF
        .find("===== Lexical grammar =====")
        .expect("lexical section marker");
    let section = &EBNF[start..end];
    // Drop the marker comment's tail and every /* ... */ comment.
    let section = section.split_once("*/").map_or(section, |(_, rest)| rest);
    let mut out = String::new();
    let mut rest = section;
    while let Some(open) = rest.find("/*") {
        out.push_str(&rest[..open]);
        rest = rest[open..].split_once("*/").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

fn terminals() -> Vec<String> {
    let rules = syntactic_rules();
    let mut found = Vec::new();
    let mut parts = rules.split('\'');
    parts.next();
    while let (Some(term), Some(_)) = (parts.next(), parts.next()) {
        if !found.iter().any(|t| t == term) {
            found.push(term.to_owned());
        }
    }
    found
}

#[test]
fn every_terminal_is_one_token() {
    let terms = terminals();
    assert!(terms.len() > 60, "too few terminals found: {terms:?}");
    for term in &terms {
        let (tokens, diags) = lex(term);
        assert!(diags.is_empty(), "`{term}`: {diags:?}");
        assert_eq!(tokens.len(), 1, "`{term}` lexes as {tokens:?}");
        assert_ne!(tokens[0].0, Token::Error, "`{term}`");
        assert_eq!(
            tokens[0].1,
            0..term.len(),
            "`{term}` is not one whole token"
        );
    }
}

#[test]
fn every_keyword_is_in_the_grammar() {
    // LANGUAGE.md §5b's keyword list.
    let keywords = "cell metabolism on spawn apoptosis fn let mut if else while for in \
        break continue return emit sense bind unbind send to report differentiate \
        move sleep until die gradient signal membrane const use ecosystem world self \
        sender at none true false";
    let terms = terminals();
    for kw in keywords.split_whitespace() {
        let (tokens, _) = lex(kw);
        assert!(
            tokens.len() == 1 && tokens[0].0.is_keyword(),
            "`{kw}` is not lexed as a keyword: {tokens:?}"
        );
        assert!(
            terms.iter().any(|t| t == kw),
            "keyword `{kw}` is missing from grammar/myco.ebnf"
        );
    }
}
