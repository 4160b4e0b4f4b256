//! The parser: tokens → [`Program`], built with chumsky over the
//! lexer's token slice.
//!
//! - Expressions use chumsky's Pratt parser with LANGUAGE.md §5b's
//!   precedence (loosest first): `||`; `&&`; comparisons (not chained);
//!   `??` (right-assoc.); `+ -`; `* / %`; unary `- !`; postfix.
//! - In the head of `if`, `if let`, `while` and `for`, a name followed by `{`
//!   is not a signal literal (the `{` opens the block), as in Rust.
//! - The metabolic expressions `emit`, `bind`, `unbind`, `send`, `move` and
//!   `spawn` stand only in "whole expression" slots (a statement, a `let` or
//!   assignment value, `return`, an argument, a list element, a field value,
//!   inside parentheses); as an operand they need parentheses.
//! - Errors are recovered at statement (`;`), member and item level and at
//!   balanced delimiters, so one run reports several independent errors.
//! - Before parsing, [`check_nesting`] rejects input nested deeper than
//!   [`MAX_DELIMITER_DEPTH`] delimiters or [`MAX_EXPR_DEPTH`] operators, so no
//!   input can overflow the stack here or in later tree walks.

use chumsky::input::MappedInput;
use chumsky::pratt::{infix, left, prefix, right};
use chumsky::prelude::*;

use crate::ast::*;
use crate::diagnostic::{Diagnostic, Span};
use crate::lexer::{self, Token};

mod errors;
mod grammar;
mod nesting;
mod numbering;

use errors::*;
use grammar::*;
pub use nesting::check_nesting;
use numbering::*;

/// Diagnostic codes of the parser (documented in `docs/diagnostics.md`).
pub mod codes {
    /// A syntax error: something else was expected here.
    pub const SYNTAX: &str = "E0010";
    /// Input nested too deeply (delimiters or operator chains).
    pub const TOO_DEEP: &str = "E0011";
    /// `a < b < c`: comparisons do not chain.
    pub const CHAINED_COMPARISON: &str = "E0012";
    /// The left side of `=` / `+=` ... is not a place.
    pub const INVALID_ASSIGN_TARGET: &str = "E0013";
    /// A gradient setting other than `range`, `falloff`, `persist`.
    pub const UNKNOWN_GRADIENT_SETTING: &str = "E0014";
    /// A gradient setting given twice.
    pub const DUPLICATE_GRADIENT_SETTING: &str = "E0015";
}

/// Most delimiters (`(` `[` `{`) open at once.
pub const MAX_DELIMITER_DEPTH: usize = 256;
/// Most operators (and other depth-adding tokens) chained in one
/// expression; bounds the depth of every expression tree.
pub const MAX_EXPR_DEPTH: usize = 512;

type Tok<'t> = MappedInput<'t, Token, SimpleSpan, &'t [(Token, SimpleSpan)]>;
type Extra<'t> = extra::Err<Rich<'t, Token, SimpleSpan>>;
type P<'t, O> = Boxed<'t, 't, Tok<'t>, O, Extra<'t>>;

/// Parses a whole source file. Returns the best-effort tree (`None` only
/// when the input could not be parsed at all, e.g. nested too deeply) and
/// every lexical and syntax diagnostic.
pub fn parse(source: &str) -> (Option<Program>, Vec<Diagnostic>) {
    let (tokens, mut diags) = lexer::lex(source);
    let deep = check_nesting(&tokens);
    if !deep.is_empty() {
        diags.extend(deep);
        return (None, diags);
    }
    let tokens = to_chumsky(tokens);
    let eoi = SimpleSpan::from(source.len()..source.len());
    let input = tokens.as_slice().split_token_span(eoi);
    let min_literals = min_int_literals(&tokens);
    let (output, errors) = program_parser(min_literals.clone())
        .parse(input)
        .into_output_errors();
    convert_errors(errors, &tokens, &mut diags);
    let program = output.map(|mut p| {
        let mut next = Numbering {
            count: 0,
            min_literals: &min_literals,
            diags: Vec::new(),
        };
        for item in &mut p.items {
            number_item(item, &mut next);
        }
        p.expr_count = next.count;
        p.span = 0..source.len();
        diags.append(&mut next.diags);
        p
    });
    diags.sort_by_key(|d| d.primary.span.start);
    (program, diags)
}

/// Parses one REPL line: declarations, or statements optionally followed by
/// an expression without `;` (whose value the REPL shows).
///
/// The last statement of a line may leave out its `;` (`world.seed = 3`,
/// `let x = 2`): a line that does not parse as written but parses with a
/// `;` appended is taken that way.
pub fn parse_repl_line(source: &str) -> (Option<ReplInput>, Vec<Diagnostic>) {
    let (line, diags) = parse_repl_line_exact(source);
    let trimmed = source.trim_end();
    if diags.is_empty() || trimmed.is_empty() || trimmed.ends_with([';', '}']) {
        return (line, diags);
    }
    let (patched_line, patched_diags) = parse_repl_line_exact(&format!("{source};"));
    match patched_line {
        Some(mut patched) if patched_diags.is_empty() => {
            // Keep every span inside the text the user typed.
            if let Some(last) = patched.stmts.last_mut() {
                last.span.end = last.span.end.min(source.len());
            }
            if let Some(last) = patched.items.last_mut() {
                let span = match last {
                    Item::Use(d) => &mut d.span,
                    Item::Gradient(d) => &mut d.span,
                    Item::Signal(d) => &mut d.span,
                    Item::Membrane(d) => &mut d.span,
                    Item::Const(d) => &mut d.span,
                    Item::Fn(d) => &mut d.span,
                    Item::Cell(d) => &mut d.span,
                    Item::Ecosystem(d) => &mut d.span,
                };
                span.end = span.end.min(source.len());
            }
            (Some(patched), patched_diags)
        }
        _ => (line, diags),
    }
}

fn parse_repl_line_exact(source: &str) -> (Option<ReplInput>, Vec<Diagnostic>) {
    let (tokens, mut diags) = lexer::lex(source);
    let deep = check_nesting(&tokens);
    if !deep.is_empty() {
        diags.extend(deep);
        return (None, diags);
    }
    let tokens = to_chumsky(tokens);
    let eoi = SimpleSpan::from(source.len()..source.len());
    let input = tokens.as_slice().split_token_span(eoi);
    let min_literals = min_int_literals(&tokens);
    let (output, errors) = repl_parser(min_literals.clone())
        .parse(input)
        .into_output_errors();
    convert_errors(errors, &tokens, &mut diags);
    let line = output.map(|mut line| {
        let mut next = Numbering {
            count: 0,
            min_literals: &min_literals,
            diags: Vec::new(),
        };
        for item in &mut line.items {
            number_item(item, &mut next);
        }
        for stmt in &mut line.stmts {
            number_stmt(stmt, &mut next);
        }
        if let Some(tail) = &mut line.tail {
            number_expr(tail, &mut next);
        }
        line.expr_count = next.count;
        diags.append(&mut next.diags);
        line
    });
    diags.sort_by_key(|d| d.primary.span.start);
    (line, diags)
}

/// Lexes `source` (re-exported from [`lexer::lex`] for convenience).
pub fn lex(source: &str) -> (Vec<(Token, Span)>, Vec<Diagnostic>) {
    lexer::lex(source)
}

/// True when `source` ends inside an unclosed delimiter, string or block
/// comment (see [`lexer::is_incomplete`]).
pub fn is_incomplete(source: &str) -> bool {
    lexer::is_incomplete(source)
}

/// Spans of the `9223372036854775808` literals the lexer accepted after a
/// `-` (lexed as `i64::MIN`; every other int literal is non-negative).
fn min_int_literals(tokens: &[(Token, SimpleSpan)]) -> std::rc::Rc<Vec<Span>> {
    std::rc::Rc::new(
        tokens
            .iter()
            .filter(|(t, _)| *t == Token::Int(i64::MIN))
            .map(|(_, s)| s.into_range())
            .collect(),
    )
}

fn to_chumsky(tokens: Vec<(Token, Span)>) -> Vec<(Token, SimpleSpan)> {
    tokens
        .into_iter()
        .map(|(t, s)| (t, SimpleSpan::from(s)))
        .collect()
}
