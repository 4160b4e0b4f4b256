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

/// Rejects token streams that would nest too deeply: more than
/// [`MAX_DELIMITER_DEPTH`] open delimiters, or an expression chaining more
/// than [`MAX_EXPR_DEPTH`] depth-adding tokens (operators, `.`, `[`, calls,
/// `else if`). Reports at most one diagnostic.
pub fn check_nesting(tokens: &[(Token, Span)]) -> Vec<Diagnostic> {
    // One counter per open delimiter level; a `,` or `;` starts a sibling.
    let mut levels: Vec<usize> = vec![0];
    let mut total = 0usize;
    let mut prev: Option<&Token> = None;
    for (index, (tok, span)) in tokens.iter().enumerate() {
        match tok {
            Token::LParen | Token::LBracket | Token::LBrace => {
                total += 1;
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                levels.push(0);
                if levels.len() > MAX_DELIMITER_DEPTH + 1 {
                    return vec![
                        Diagnostic::error(codes::TOO_DEEP, "nesting too deep", span.clone())
                            .with_label(format!(
                                "more than {MAX_DELIMITER_DEPTH} brackets, parentheses or braces open here"
                            ))
                            .with_help("split the expression or move parts into functions"),
                    ];
                }
            }
            Token::RParen | Token::RBracket | Token::RBrace => {
                if levels.len() > 1 {
                    let popped = levels.pop().unwrap_or(0);
                    total -= popped;
                }
                // A `}` that nothing continues ends a statement or item: the
                // next one starts a sibling chain. (`else` and operators
                // continue the chain: `} else if`, `C { .. } + x`.)
                let next = tokens.get(index + 1).map(|(t, _)| t);
                let continues = next.is_some_and(|t| *t == Token::Else || is_operator(t));
                if *tok == Token::RBrace
                    && !continues
                    && let Some(top) = levels.last_mut()
                {
                    total -= *top;
                    *top = 0;
                }
            }
            Token::Comma | Token::Semi => {
                if let Some(top) = levels.last_mut() {
                    total -= *top;
                    *top = 0;
                }
            }
            Token::If if prev != Some(&Token::Else) => {
                if let Some(top) = levels.last_mut() {
                    total -= *top;
                    *top = 0;
                }
            }
            Token::Ident(_)
            | Token::Int(_)
            | Token::Float(_)
            | Token::Str(_)
            | Token::True
            | Token::False
            | Token::None
            | Token::SelfKw
            | Token::Sender
            | Token::Colon
            | Token::If => {}
            _ => {
                total += 1;
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                if total > MAX_EXPR_DEPTH {
                    return vec![
                        Diagnostic::error(
                            codes::TOO_DEEP,
                            "expression nested too deeply",
                            span.clone(),
                        )
                        .with_label(format!(
                            "more than {MAX_EXPR_DEPTH} operators chained by here"
                        ))
                        .with_help("split the expression with `let`s"),
                    ];
                }
            }
        }
        prev = Some(tok);
    }
    Vec::new()
}

// ---------------------------------------------------------------------------
// Error conversion
// ---------------------------------------------------------------------------

/// Custom parser errors carry their code as a `"E0012: "` prefix.
fn custom_error(
    code: &str,
    span: SimpleSpan,
    message: impl std::fmt::Display,
) -> Rich<'static, Token> {
    Rich::custom(span, format!("{code}: {message}"))
}

fn is_operator(tok: &Token) -> bool {
    matches!(
        tok,
        Token::Plus
            | Token::Minus
            | Token::Star
            | Token::Slash
            | Token::Percent
            | Token::EqEq
            | Token::NotEq
            | Token::Lt
            | Token::LtEq
            | Token::Gt
            | Token::GtEq
            | Token::AndAnd
            | Token::OrOr
            | Token::QuestionQuestion
            | Token::Dot
            | Token::LBracket
            | Token::Question
            | Token::Eq
            | Token::PlusEq
            | Token::MinusEq
            | Token::StarEq
            | Token::SlashEq
            | Token::DotDot
    )
}

/// Adds the parser's errors to `diags` (which holds the lexer's). When the
/// lexer reported an unterminated string or comment, the parser's "found end
/// of input" is the same mistake and is left out.
fn convert_errors(
    errors: Vec<Rich<'_, Token>>,
    tokens: &[(Token, SimpleSpan)],
    diags: &mut Vec<Diagnostic>,
) {
    let unterminated = diags.iter().any(|d| {
        d.code == lexer::codes::UNTERMINATED_STRING || d.code == lexer::codes::UNTERMINATED_COMMENT
    });
    for err in errors {
        let at_end = matches!(
            err.reason(),
            chumsky::error::RichReason::ExpectedFound { found: None, .. }
        );
        if unterminated && at_end {
            continue;
        }
        if let Some(diag) = rich_to_diagnostic(err, tokens) {
            diags.push(diag);
        }
    }
}

/// Tokens that can only start a statement; when several are expected they
/// are summed up as "statement".
fn starts_statement(tok: &Token) -> bool {
    matches!(
        tok,
        Token::Let
            | Token::If
            | Token::While
            | Token::For
            | Token::Break
            | Token::Continue
            | Token::Die
            | Token::Return
            | Token::Report
            | Token::Differentiate
            | Token::Sleep
            | Token::World
    )
}

/// Converts a chumsky error; `tokens` (the whole stream) lets a missing `;`
/// point just after the previous token and an unexpected end of input point
/// back at the unclosed delimiter.
fn rich_to_diagnostic(err: Rich<'_, Token>, tokens: &[(Token, SimpleSpan)]) -> Option<Diagnostic> {
    let span = err.span().into_range();
    match err.reason() {
        chumsky::error::RichReason::Custom(msg) => {
            let (code, text) = match msg.split_once(": ") {
                Some((code, text)) if code.starts_with('E') && code.len() == 5 => {
                    (static_code(code), text.to_owned())
                }
                _ => (codes::SYNTAX, msg.clone()),
            };
            let diag = Diagnostic::error(code, text, span);
            Some(match code {
                codes::CHAINED_COMPARISON => diag
                    .with_label("two comparisons in a row")
                    .with_help("compare twice and join with `&&`: `a < b && b < c`"),
                codes::INVALID_ASSIGN_TARGET => diag.with_label("cannot be assigned to").with_help(
                    "assign to a local, to `self.field`, or to a field or element of one",
                ),
                codes::UNKNOWN_GRADIENT_SETTING => diag.with_label("unknown setting"),
                codes::DUPLICATE_GRADIENT_SETTING => diag.with_label("set again here"),
                _ => diag,
            })
        }
        chumsky::error::RichReason::ExpectedFound { expected, found } => {
            // The lexer has already reported an invalid token.
            if matches!(found.as_deref(), Some(Token::Error)) {
                return None;
            }
            let mut names: Vec<String> = Vec::new();
            let statement_starts = expected
                .iter()
                .filter(
                    |p| matches!(p, chumsky::error::RichPattern::Token(t) if starts_statement(t)),
                )
                .count();
            let as_statement = statement_starts >= 3;
            let structural = expected.iter().any(|p| match p {
                chumsky::error::RichPattern::Token(t) => !is_operator(t),
                _ => true,
            });
            for pattern in expected {
                let name = match pattern {
                    chumsky::error::RichPattern::Token(t) => {
                        if structural && is_operator(t) {
                            continue;
                        }
                        if as_statement && (starts_statement(t) || matches!(&**t, Token::Semi)) {
                            "statement".to_owned()
                        } else {
                            t.describe()
                        }
                    }
                    chumsky::error::RichPattern::Label(l) if as_statement && l == "expression" => {
                        "statement".to_owned()
                    }
                    chumsky::error::RichPattern::Label(l) => l.to_string(),
                    chumsky::error::RichPattern::Identifier(i) => format!("`{i}`"),
                    chumsky::error::RichPattern::EndOfInput => "end of input".to_owned(),
                    _ => continue,
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let found_text = found
                .as_deref()
                .map_or_else(|| "end of input".to_owned(), Token::describe);
            let expected_text = match names.as_slice() {
                [] => String::new(),
                [one] => one.clone(),
                [a, b] => format!("{a} or {b}"),
                [init @ .., last] => format!("one of {}, or {last}", init.join(", ")),
            };
            let message = if expected_text.is_empty() {
                format!("unexpected {found_text}")
            } else {
                format!("expected {expected_text}, found {found_text}")
            };
            let label = if expected_text.is_empty() {
                "unexpected here".to_owned()
            } else {
                format!("expected {expected_text}")
            };
            let found_eoi = found.is_none();
            let mut diag = Diagnostic::error(codes::SYNTAX, message, span.clone());
            if names == ["`;`"] && !found_eoi {
                // A missing `;`: point just after what it should follow.
                let previous_end = tokens
                    .iter()
                    .map(|(_, s)| s.end)
                    .take_while(|end| *end <= span.start)
                    .last();
                if let Some(end) = previous_end {
                    diag.primary.span = end..end;
                    diag = diag
                        .with_label("expected `;` here")
                        .with_secondary(span, format!("unexpected {found_text}"));
                    return Some(diag);
                }
            }
            diag = diag.with_label(label);
            if found_eoi && let Some((open, open_span)) = innermost_unclosed(tokens) {
                diag = diag.with_secondary(
                    open_span.into_range(),
                    format!("this `{}` is never closed", open.text().unwrap_or("?")),
                );
            }
            Some(diag)
        }
    }
}

/// The innermost delimiter still open at the end of the token stream.
fn innermost_unclosed(tokens: &[(Token, SimpleSpan)]) -> Option<(Token, SimpleSpan)> {
    let mut open: Vec<&(Token, SimpleSpan)> = Vec::new();
    for entry in tokens {
        match entry.0 {
            Token::LParen | Token::LBrace | Token::LBracket => open.push(entry),
            Token::RParen | Token::RBrace | Token::RBracket => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().map(|e| (e.0.clone(), e.1))
}

fn static_code(code: &str) -> &'static str {
    match code {
        "E0011" => codes::TOO_DEEP,
        "E0012" => codes::CHAINED_COMPARISON,
        "E0013" => codes::INVALID_ASSIGN_TARGET,
        "E0014" => codes::UNKNOWN_GRADIENT_SETTING,
        "E0015" => codes::DUPLICATE_GRADIENT_SETTING,
        _ => codes::SYNTAX,
    }
}

// ---------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------

fn sp(span: SimpleSpan) -> Span {
    span.into_range()
}

fn mk(kind: ExprKind, span: SimpleSpan) -> Expr {
    Expr {
        id: ExprId::UNASSIGNED,
        kind,
        span: sp(span),
    }
}

/// The parsers the grammar is made of, shared by files and REPL lines.
struct Grammar<'t> {
    /// A whole expression, metabolic constructs included.
    full: P<'t, Expr>,
    /// Statements with error recovery (`None` for an empty `;`).
    stmt: P<'t, Option<Stmt>>,
    /// Statements without recovery (REPL top level).
    stmt_strict: P<'t, Option<Stmt>>,
    /// Items with error recovery (`None` for a skipped erroneous item).
    item: P<'t, Option<Item>>,
}

fn ident<'t>() -> P<'t, Ident> {
    select! { Token::Ident(name) = e => Ident { name, span: sp(e.span()) } }
        .labelled("identifier")
        .boxed()
}

fn type_parser<'t>() -> P<'t, TypeExpr> {
    recursive(|ty| {
        let named = select! { Token::Ident(name) = e => {
            let span = sp(e.span());
            match name.as_str() {
                "int" => TypeKind::Int,
                "float" => TypeKind::Float,
                "bool" => TypeKind::Bool,
                "str" => TypeKind::Str,
                "vec" => TypeKind::Vec,
                "reading" => TypeKind::Reading,
                _ => TypeKind::Named(Ident { name, span }),
            }
        }};
        let base = choice((
            named,
            just(Token::Cell).to(TypeKind::Cell),
            just(Token::Gradient).to(TypeKind::Gradient),
            ty.delimited_by(just(Token::LBracket), just(Token::RBracket))
                .map(|t| TypeKind::List(Box::new(t))),
        ))
        .map_with(|kind, e| TypeExpr {
            kind,
            span: sp(e.span()),
        });
        let question = choice((
            just(Token::Question).to(1usize),
            just(Token::QuestionQuestion).to(2usize),
        ));
        base.foldl_with(question.repeated(), |mut t, n, e| {
            for _ in 0..n {
                t = TypeExpr {
                    kind: TypeKind::Optional(Box::new(t)),
                    span: sp(e.span()),
                };
            }
            t
        })
        .labelled("type")
    })
    .boxed()
}

/// Skips an erroneous stretch for error recovery: at least one token, then
/// up to (not including) a token of `stop` outside brackets. Tokens of
/// `hard` are never skipped outside brackets, not even as the first token.
/// Brackets are skipped as balanced groups. Written by hand so that
/// skipping records no parse errors of its own.
fn skip_bad<'t>(stop: Vec<Token>, hard: Vec<Token>) -> P<'t, ()> {
    custom(
        move |inp: &mut chumsky::input::InputRef<'t, '_, Tok<'t>, Extra<'t>>| {
            let start = inp.cursor();
            // Open brackets; a `(` or `[` left open when a `;` or `}` comes is
            // abandoned (it was the error), so the skip cannot run away.
            let mut open: Vec<Token> = Vec::new();
            let mut count = 0usize;
            while let Some(tok) = inp.peek() {
                if matches!(tok, Token::Semi | Token::RBrace) {
                    while matches!(open.last(), Some(Token::LParen | Token::LBracket)) {
                        open.pop();
                    }
                }
                if open.is_empty() && (hard.contains(&tok) || (count > 0 && stop.contains(&tok))) {
                    break;
                }
                match tok {
                    Token::LParen | Token::LBrace | Token::LBracket => open.push(tok),
                    Token::RParen if open.last() == Some(&Token::LParen) => {
                        open.pop();
                    }
                    Token::RBracket if open.last() == Some(&Token::LBracket) => {
                        open.pop();
                    }
                    Token::RBrace if open.last() == Some(&Token::LBrace) => {
                        open.pop();
                    }
                    _ => {}
                }
                inp.skip();
                count += 1;
            }
            if count == 0 {
                let span = inp.span_since(&start);
                return Err(Rich::custom(span, "nothing to skip"));
            }
            Ok(())
        },
    )
    .boxed()
}

fn grammar<'t>(min_literals: std::rc::Rc<Vec<Span>>) -> Grammar<'t> {
    let mut full: Recursive<chumsky::recursive::Indirect<'t, 't, Tok<'t>, Expr, Extra<'t>>> =
        Recursive::declare();
    let ident = ident();
    let ty = type_parser();

    let args = full
        .clone()
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LParen), just(Token::RParen))
        .boxed();

    let field_init = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(full.clone())
        .map_with(|(name, value), e| FieldInit {
            name,
            value,
            span: sp(e.span()),
        });
    let field_inits = field_init
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace))
        .boxed();

    let literal = select! {
        Token::Int(v) => ExprKind::Int(v),
        Token::Float(v) => ExprKind::Float(v),
        Token::Str(s) => ExprKind::Str(s),
        Token::True => ExprKind::Bool(true),
        Token::False => ExprKind::Bool(false),
        Token::None => ExprKind::None,
        Token::SelfKw => ExprKind::SelfRef,
        Token::Sender => ExprKind::Sender,
        Token::Error => ExprKind::Error,
    }
    .map_with(|k, e| mk(k, e.span()));

    let world = just(Token::World)
        .ignore_then(just(Token::Dot))
        .ignore_then(ident.clone())
        .map_with(|name, e| mk(ExprKind::World(name), e.span()));
    let sense = just(Token::Sense)
        .ignore_then(ident.clone())
        .map_with(|name, e| mk(ExprKind::Sense(name), e.span()));
    let call = ident
        .clone()
        .then(args.clone())
        .map_with(|(callee, args), e| mk(ExprKind::Call { callee, args }, e.span()));
    let signal_lit = ident
        .clone()
        .then(field_inits.clone())
        .map_with(|(name, fields), e| mk(ExprKind::SignalLit { name, fields }, e.span()));
    let name = ident
        .clone()
        .map_with(|name, e| mk(ExprKind::Name(name), e.span()));
    let paren = just(Token::LParen)
        .ignore_then(full.clone())
        .then(just(Token::Comma).ignore_then(full.clone()).or_not())
        .then_ignore(just(Token::RParen))
        .map_with(|(x, y), e| match y {
            Some(y) => mk(
                ExprKind::Vec {
                    x: Box::new(x),
                    y: Box::new(y),
                },
                e.span(),
            ),
            None => x,
        })
        .recover_with(via_parser(nested_delimiters(
            Token::LParen,
            Token::RParen,
            [
                (Token::LBracket, Token::RBracket),
                (Token::LBrace, Token::RBrace),
            ],
            |span| mk(ExprKind::Error, span),
        )));
    let list = full
        .clone()
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBracket), just(Token::RBracket))
        .map_with(|items, e| mk(ExprKind::List(items), e.span()))
        .recover_with(via_parser(nested_delimiters(
            Token::LBracket,
            Token::RBracket,
            [
                (Token::LParen, Token::RParen),
                (Token::LBrace, Token::RBrace),
            ],
            |span| mk(ExprKind::Error, span),
        )));

    let atom_with_struct = choice((
        literal,
        world.clone(),
        sense.clone(),
        call.clone(),
        signal_lit,
        name.clone(),
        paren.clone(),
        list.clone(),
    ))
    .labelled("expression")
    .boxed();
    let atom_no_struct = choice((literal, world, sense, call, name, paren, list))
        .labelled("expression")
        .boxed();

    enum Postfix {
        Field(Ident),
        Method(Ident, Vec<Expr>),
        Index(Expr),
    }
    let postfix_op = choice((
        just(Token::Dot)
            .ignore_then(ident.clone())
            .then(args.clone().or_not())
            .map(|(name, args)| match args {
                Some(args) => Postfix::Method(name, args),
                None => Postfix::Field(name),
            }),
        full.clone()
            .delimited_by(just(Token::LBracket), just(Token::RBracket))
            .map(Postfix::Index),
    ))
    .boxed();

    let with_postfix = |atom: P<'t, Expr>| -> P<'t, Expr> {
        atom.foldl_with(postfix_op.clone().repeated(), |base, op, e| {
            let kind = match op {
                Postfix::Field(field) => ExprKind::Field {
                    base: Box::new(base),
                    field,
                },
                Postfix::Method(method, args) => ExprKind::MethodCall {
                    receiver: Box::new(base),
                    method,
                    args,
                },
                Postfix::Index(index) => ExprKind::Index {
                    base: Box::new(base),
                    index: Box::new(index),
                },
            };
            mk(kind, e.span())
        })
        .boxed()
    };

    let operators = |operand: P<'t, Expr>| -> P<'t, Expr> {
        let min_literals = min_literals.clone();
        let binary = |lhs: Expr, op: BinaryOp, rhs: Expr, span: SimpleSpan| {
            mk(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            )
        };
        operand
            .pratt((
                prefix(
                    7,
                    select! { Token::Minus => UnaryOp::Neg, Token::Bang => UnaryOp::Not },
                    move |op, operand: Expr, e| {
                        // `-9223372036854775808` is the int `i64::MIN`.
                        if op == UnaryOp::Neg
                            && operand.kind == ExprKind::Int(i64::MIN)
                            && min_literals.contains(&operand.span)
                        {
                            return mk(ExprKind::Int(i64::MIN), e.span());
                        }
                        mk(
                            ExprKind::Unary {
                                op,
                                operand: Box::new(operand),
                            },
                            e.span(),
                        )
                    },
                ),
                infix(
                    left(6),
                    select! {
                        Token::Star => BinaryOp::Mul,
                        Token::Slash => BinaryOp::Div,
                        Token::Percent => BinaryOp::Rem,
                    },
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(5),
                    select! { Token::Plus => BinaryOp::Add, Token::Minus => BinaryOp::Sub },
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    right(4),
                    just(Token::QuestionQuestion).to(BinaryOp::Coalesce),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(3),
                    select! {
                        Token::EqEq => BinaryOp::Eq,
                        Token::NotEq => BinaryOp::Ne,
                        Token::Lt => BinaryOp::Lt,
                        Token::LtEq => BinaryOp::Le,
                        Token::Gt => BinaryOp::Gt,
                        Token::GtEq => BinaryOp::Ge,
                    },
                    move |l: Expr, op, r, e| {
                        let span: SimpleSpan = e.span();
                        let chained = matches!(
                            &l.kind,
                            ExprKind::Binary { op: inner, .. } if is_comparison(*inner)
                        ) && l.span.start == span.start;
                        if chained {
                            e.emit(custom_error(
                                codes::CHAINED_COMPARISON,
                                span,
                                "comparison operators cannot be chained",
                            ));
                        }
                        binary(l, op, r, span)
                    },
                ),
                infix(
                    left(2),
                    just(Token::AndAnd).to(BinaryOp::And),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
                infix(
                    left(1),
                    just(Token::OrOr).to(BinaryOp::Or),
                    move |l, op, r, e| binary(l, op, r, e.span()),
                ),
            ))
            .labelled("expression")
            .boxed()
    };

    let expr = operators(with_postfix(atom_with_struct));
    let expr_no_struct = operators(with_postfix(atom_no_struct));

    // The metabolic constructs that have a value.
    let emit = just(Token::Emit)
        .ignore_then(ident.clone())
        .then(expr.clone().or_not())
        .map_with(|(gradient, strength), e| {
            mk(
                ExprKind::Emit {
                    gradient,
                    strength: strength.map(Box::new),
                },
                e.span(),
            )
        });
    let bind = just(Token::Bind)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Bind(Box::new(x)), e.span()));
    let unbind = just(Token::Unbind)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Unbind(Box::new(x)), e.span()));
    let move_ = just(Token::Move)
        .ignore_then(expr.clone())
        .map_with(|x, e| mk(ExprKind::Move(Box::new(x)), e.span()));
    let send = just(Token::Send)
        .ignore_then(expr.clone())
        .then_ignore(just(Token::To))
        .then(expr.clone())
        .map_with(|(signal, target), e| {
            mk(
                ExprKind::Send {
                    signal: Box::new(signal),
                    target: Box::new(target),
                },
                e.span(),
            )
        });
    let spawn = just(Token::Spawn)
        .ignore_then(ident.clone())
        .then(field_inits.clone().or_not())
        .then(just(Token::At).ignore_then(expr.clone()).or_not())
        .then(just(Token::In).ignore_then(ident.clone()).or_not())
        .map_with(|(((cell, inits), at), membrane), e| {
            mk(
                ExprKind::Spawn(SpawnExpr {
                    cell,
                    inits: inits.unwrap_or_default(),
                    at: at.map(Box::new),
                    membrane,
                }),
                e.span(),
            )
        });
    full.define(
        choice((emit, bind, unbind, move_, send, spawn, expr.clone())).labelled("expression"),
    );
    let full = full.boxed();

    // ----- statements -----
    let mut block: Recursive<chumsky::recursive::Indirect<'t, 't, Tok<'t>, Block, Extra<'t>>> =
        Recursive::declare();
    let semi = just(Token::Semi);

    let let_stmt = just(Token::Let)
        .ignore_then(just(Token::Mut).or_not().map(|m| m.is_some()))
        .then(ident.clone())
        .then(just(Token::Colon).ignore_then(ty.clone()).or_not())
        .then_ignore(just(Token::Eq))
        .then(full.clone())
        .then_ignore(semi.clone())
        .map(|(((mutable, name), ty), value)| StmtKind::Let {
            mutable,
            name,
            ty,
            value,
        });

    let condition = choice((
        just(Token::Let)
            .ignore_then(ident.clone())
            .then_ignore(just(Token::Eq))
            .then(expr_no_struct.clone())
            .map(|(name, value)| Condition::Let { name, value }),
        expr_no_struct.clone().map(Condition::Expr),
    ));
    let if_stmt = recursive(|if_stmt| {
        just(Token::If)
            .ignore_then(condition)
            .then(block.clone())
            .then(
                just(Token::Else)
                    .ignore_then(choice((
                        if_stmt.map(|i| ElseBranch::If(Box::new(i))),
                        block.clone().map(ElseBranch::Block),
                    )))
                    .or_not(),
            )
            .map_with(|((cond, then_block), else_branch), e| IfStmt {
                cond,
                then_block,
                else_branch,
                span: sp(e.span()),
            })
    })
    .map(StmtKind::If);

    let while_stmt = just(Token::While)
        .ignore_then(expr_no_struct.clone())
        .then(block.clone())
        .map(|(cond, body)| StmtKind::While { cond, body });

    let for_stmt = just(Token::For)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::In))
        .then(
            expr_no_struct
                .clone()
                .then(
                    just(Token::DotDot)
                        .ignore_then(expr_no_struct.clone())
                        .or_not(),
                )
                .map(|(start, end)| match end {
                    Some(end) => ForIter::Range { start, end },
                    None => ForIter::Expr(start),
                }),
        )
        .then(block.clone())
        .map(|((var, iter), body)| StmtKind::For { var, iter, body });

    let simple = choice((
        just(Token::Break).to(StmtKind::Break),
        just(Token::Continue).to(StmtKind::Continue),
        just(Token::Die).to(StmtKind::Die),
        just(Token::Return)
            .ignore_then(full.clone().or_not())
            .map(StmtKind::Return),
        just(Token::Report)
            .ignore_then(expr.clone())
            .map(StmtKind::Report),
        just(Token::Differentiate)
            .ignore_then(ident.clone())
            .then(field_inits.clone().or_not())
            .map(|(target, inits)| StmtKind::Differentiate {
                target,
                inits: inits.unwrap_or_default(),
            }),
        just(Token::Sleep).ignore_then(choice((
            just(Token::Until)
                .ignore_then(ident.clone())
                .then_ignore(just(Token::Gt))
                .then(expr.clone())
                .map(|(gradient, threshold)| {
                    StmtKind::Sleep(SleepKind::Until {
                        gradient,
                        threshold,
                    })
                }),
            expr.clone().map(|n| StmtKind::Sleep(SleepKind::Ticks(n))),
        ))),
        just(Token::World)
            .ignore_then(just(Token::Dot))
            .ignore_then(ident.clone())
            .then_ignore(just(Token::Eq))
            .then(full.clone())
            .map(|(setting, value)| StmtKind::WorldSet { setting, value }),
    ))
    .then_ignore(semi.clone());

    let assign_op = select! {
        Token::Eq => AssignOp::Set,
        Token::PlusEq => AssignOp::Add,
        Token::MinusEq => AssignOp::Sub,
        Token::StarEq => AssignOp::Mul,
        Token::SlashEq => AssignOp::Div,
    };
    let assign_or_expr = full
        .clone()
        .then(assign_op.then(full.clone()).or_not())
        .then_ignore(semi.clone())
        .validate(|(lhs, rhs), _e, emitter| match rhs {
            None => StmtKind::Expr(lhs),
            Some((op, value)) => match expr_to_place(lhs) {
                Ok(target) => StmtKind::Assign { target, op, value },
                Err(span) => {
                    emitter.emit(custom_error(
                        codes::INVALID_ASSIGN_TARGET,
                        SimpleSpan::from(span),
                        "invalid left-hand side of assignment",
                    ));
                    StmtKind::Expr(value)
                }
            },
        });

    let stmt_kind = choice((
        let_stmt,
        if_stmt,
        while_stmt,
        for_stmt,
        simple,
        assign_or_expr,
    ))
    .map_with(|kind, e| {
        Some(Stmt {
            kind,
            span: sp(e.span()),
        })
    });
    let stmt_strict = choice((semi.clone().to(None), stmt_kind)).boxed();
    // Recovery: skip the bad statement up to its `;`, or up to a keyword
    // that can only start a statement (the usual case of a missing `;`).
    let stmt_starts = vec![
        Token::Semi,
        Token::RBrace,
        Token::Let,
        Token::If,
        Token::While,
        Token::For,
        Token::Return,
        Token::Break,
        Token::Continue,
        Token::Report,
        Token::Die,
        Token::Sleep,
        Token::Differentiate,
    ];
    let stmt = stmt_strict
        .clone()
        .recover_with(via_parser(
            skip_bad(stmt_starts, vec![Token::Semi, Token::RBrace])
                .then(semi.clone().or_not())
                .to(None),
        ))
        .boxed();

    block.define(
        stmt.clone()
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBrace), just(Token::RBrace))
            .map_with(|stmts, e| Block {
                stmts: stmts.into_iter().flatten().collect(),
                span: sp(e.span()),
            })
            .recover_with(via_parser(nested_delimiters(
                Token::LBrace,
                Token::RBrace,
                [
                    (Token::LParen, Token::RParen),
                    (Token::LBracket, Token::RBracket),
                ],
                |span| Block {
                    stmts: Vec::new(),
                    span: sp(span),
                },
            ))),
    );
    let block = block.boxed();

    // ----- items -----
    let param = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .map_with(|(name, ty), e| Param {
            name,
            ty,
            span: sp(e.span()),
        });
    let fn_decl = just(Token::Fn)
        .ignore_then(ident.clone())
        .then(
            param
                .separated_by(just(Token::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LParen), just(Token::RParen)),
        )
        .then(just(Token::Arrow).ignore_then(ty.clone()).or_not())
        .then(block.clone())
        .map_with(|(((name, params), ret), body), e| FnDecl {
            name,
            params,
            ret,
            body,
            span: sp(e.span()),
        })
        .boxed();

    let use_decl = just(Token::Use)
        .ignore_then(choice((
            select! { Token::Ident(n) if n == "std" => () }
                .ignore_then(just(Token::ColonColon))
                .ignore_then(ident.clone())
                .map(UseTarget::Std),
            select! { Token::Str(path) = e => UseTarget::Path { path, span: sp(e.span()) } },
        )))
        .then_ignore(semi.clone())
        .map_with(|target, e| {
            Item::Use(UseDecl {
                target,
                span: sp(e.span()),
            })
        });

    let gradient_settings = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(full.clone())
        .map_with(|(name, value), e| FieldInit {
            name,
            value,
            span: sp(e.span()),
        })
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace));
    let gradient = just(Token::Gradient)
        .ignore_then(ident.clone())
        .then(choice((
            semi.clone().to(Vec::new()),
            gradient_settings.then_ignore(semi.clone().or_not()),
        )))
        .validate(|(name, settings), e, emitter| {
            let mut decl = GradientDecl {
                name,
                range: None,
                falloff: None,
                persist: None,
                span: sp(e.span()),
            };
            for setting in settings {
                let slot = match setting.name.name.as_str() {
                    "range" => &mut decl.range,
                    "falloff" => &mut decl.falloff,
                    "persist" => &mut decl.persist,
                    other => {
                        emitter.emit(custom_error(
                            codes::UNKNOWN_GRADIENT_SETTING,
                            SimpleSpan::from(setting.name.span.clone()),
                            format!(
                                "unknown gradient setting `{other}` (expected `range`, `falloff` or `persist`)"
                            ),
                        ));
                        continue;
                    }
                };
                if slot.is_some() {
                    emitter.emit(custom_error(
                        codes::DUPLICATE_GRADIENT_SETTING,
                        SimpleSpan::from(setting.name.span.clone()),
                        format!("gradient setting `{}` given twice", setting.name.name),
                    ));
                    continue;
                }
                *slot = Some(setting.value);
            }
            Item::Gradient(decl)
        });

    let signal = just(Token::Signal)
        .ignore_then(ident.clone())
        .then(
            ident
                .clone()
                .then_ignore(just(Token::Colon))
                .then(ty.clone())
                .map_with(|(name, ty), e| SignalField {
                    name,
                    ty,
                    span: sp(e.span()),
                })
                .separated_by(just(Token::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
        )
        .then_ignore(semi.clone().or_not())
        .map_with(|(name, fields), e| {
            Item::Signal(SignalDecl {
                name,
                fields,
                span: sp(e.span()),
            })
        });

    let membrane = just(Token::Membrane)
        .ignore_then(ident.clone())
        .then_ignore(semi.clone())
        .map_with(|name, e| {
            Item::Membrane(MembraneDecl {
                name,
                span: sp(e.span()),
            })
        });

    let const_decl = just(Token::Const)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .then_ignore(just(Token::Eq))
        .then(full.clone())
        .then_ignore(semi.clone())
        .map_with(|((name, ty), value), e| {
            Item::Const(ConstDecl {
                name,
                ty,
                value,
                span: sp(e.span()),
            })
        });

    let field = ident
        .clone()
        .then_ignore(just(Token::Colon))
        .then(ty.clone())
        .then_ignore(just(Token::Eq))
        .then(full.clone())
        .then_ignore(semi.clone())
        .map_with(|((name, ty), default), e| {
            CellMember::Field(FieldDecl {
                name,
                ty,
                default,
                span: sp(e.span()),
            })
        });
    let metabolism = just(Token::Metabolism)
        .ignore_then(block.clone())
        .map_with(|body, e| {
            CellMember::Metabolism(Metabolism {
                body,
                span: sp(e.span()),
            })
        });
    let handler = just(Token::On)
        .ignore_then(choice((
            just(Token::Spawn).to(HandlerTrigger::Spawn),
            just(Token::Apoptosis).to(HandlerTrigger::Apoptosis),
            ident
                .clone()
                .then(
                    ident
                        .clone()
                        .delimited_by(just(Token::LParen), just(Token::RParen)),
                )
                .map(|(signal, binding)| HandlerTrigger::Signal { signal, binding }),
        )))
        .then(block.clone())
        .map_with(|(trigger, body), e| {
            CellMember::Handler(Handler {
                trigger,
                body,
                span: sp(e.span()),
            })
        });
    let member = choice((
        field,
        metabolism,
        handler,
        fn_decl.clone().map(CellMember::Method),
    ))
    .map(Some)
    .recover_with(via_parser(
        skip_bad(
            vec![
                Token::Semi,
                Token::RBrace,
                Token::Fn,
                Token::On,
                Token::Metabolism,
            ],
            vec![Token::Semi, Token::RBrace],
        )
        .then(semi.clone().or_not())
        .to(None),
    ));
    let cell = just(Token::Cell)
        .ignore_then(ident.clone())
        .then(
            member
                .repeated()
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
        )
        .map_with(|(name, members), e| {
            Item::Cell(CellDecl {
                name,
                members: members.into_iter().flatten().collect(),
                span: sp(e.span()),
            })
        });

    let ecosystem = just(Token::Ecosystem)
        .ignore_then(block.clone())
        .map_with(|body, e| {
            Item::Ecosystem(EcosystemDecl {
                body,
                span: sp(e.span()),
            })
        });

    let item_starts = vec![
        Token::Use,
        Token::Gradient,
        Token::Signal,
        Token::Membrane,
        Token::Const,
        Token::Fn,
        Token::Cell,
        Token::Ecosystem,
    ];
    let item = choice((
        use_decl,
        gradient,
        signal,
        membrane,
        const_decl,
        fn_decl.map(Item::Fn),
        cell,
        ecosystem,
    ))
    .labelled("item")
    .map(Some)
    .recover_with(via_parser(skip_bad(item_starts, Vec::new()).to(None)))
    .boxed();

    Grammar {
        full,
        stmt,
        stmt_strict,
        item,
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

/// Turns the left side of an assignment into a place, or gives the span of
/// the part that is not one.
fn expr_to_place(expr: Expr) -> Result<Place, Span> {
    let span = expr.span.clone();
    let kind = match expr.kind {
        ExprKind::Name(name) => PlaceKind::Local(name),
        ExprKind::Field { base, field } => match base.kind {
            ExprKind::SelfRef => PlaceKind::SelfField(field),
            _ => PlaceKind::Field {
                base: Box::new(expr_to_place(*base)?),
                field,
            },
        },
        ExprKind::Index { base, index } => PlaceKind::Index {
            base: Box::new(expr_to_place(*base)?),
            index,
        },
        _ => return Err(span),
    };
    Ok(Place { kind, span })
}

fn program_parser<'t>(
    min_literals: std::rc::Rc<Vec<Span>>,
) -> impl Parser<'t, Tok<'t>, Program, Extra<'t>> {
    let g = grammar(min_literals);
    g.item
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| Program {
            items: items.into_iter().flatten().collect(),
            expr_count: 0,
            span: 0..0,
        })
}

fn repl_parser<'t>(
    min_literals: std::rc::Rc<Vec<Span>>,
) -> impl Parser<'t, Tok<'t>, ReplInput, Extra<'t>> {
    let g = grammar(min_literals);
    let item_line = g
        .item
        .repeated()
        .at_least(1)
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| ReplInput {
            items: items.into_iter().flatten().collect(),
            stmts: Vec::new(),
            tail: None,
            expr_count: 0,
        });
    let stmt_line = g
        .stmt_strict
        .repeated()
        .collect::<Vec<_>>()
        .then(g.full.or_not())
        .then_ignore(end())
        .map(|(stmts, tail)| ReplInput {
            items: Vec::new(),
            stmts: stmts.into_iter().flatten().collect(),
            tail,
            expr_count: 0,
        });
    let starts_item = any::<Tok<'t>, Extra<'t>>()
        .filter(|t: &Token| {
            matches!(
                t,
                Token::Use
                    | Token::Gradient
                    | Token::Signal
                    | Token::Membrane
                    | Token::Const
                    | Token::Fn
                    | Token::Cell
                    | Token::Ecosystem
            )
        })
        .rewind();
    // Statements inside blocks still recover; the top level is strict so a
    // trailing expression is not mistaken for a statement missing its `;`.
    let _ = g.stmt;
    choice((starts_item.ignore_then(item_line), stmt_line))
}

// ---------------------------------------------------------------------------
// Expression numbering (pre-order, source order)
// ---------------------------------------------------------------------------

/// State of the numbering pass, which also reports a bare
/// `9223372036854775808` (one not folded into `i64::MIN` by a unary `-`).
struct Numbering<'a> {
    count: u32,
    min_literals: &'a [Span],
    diags: Vec<Diagnostic>,
}

fn number_item(item: &mut Item, next: &mut Numbering<'_>) {
    match item {
        Item::Use(_) | Item::Membrane(_) => {}
        Item::Gradient(g) => {
            for e in [&mut g.range, &mut g.falloff, &mut g.persist]
                .into_iter()
                .flatten()
            {
                number_expr(e, next);
            }
        }
        Item::Signal(_) => {}
        Item::Const(c) => number_expr(&mut c.value, next),
        Item::Fn(f) => number_block(&mut f.body, next),
        Item::Cell(c) => {
            for m in &mut c.members {
                match m {
                    CellMember::Field(f) => number_expr(&mut f.default, next),
                    CellMember::Metabolism(m) => number_block(&mut m.body, next),
                    CellMember::Handler(h) => number_block(&mut h.body, next),
                    CellMember::Method(f) => number_block(&mut f.body, next),
                }
            }
        }
        Item::Ecosystem(e) => number_block(&mut e.body, next),
    }
}

fn number_block(block: &mut Block, next: &mut Numbering<'_>) {
    for stmt in &mut block.stmts {
        number_stmt(stmt, next);
    }
}

fn number_place(place: &mut Place, next: &mut Numbering<'_>) {
    match &mut place.kind {
        PlaceKind::Local(_) | PlaceKind::SelfField(_) => {}
        PlaceKind::Field { base, .. } => number_place(base, next),
        PlaceKind::Index { base, index } => {
            number_place(base, next);
            number_expr(index, next);
        }
    }
}

fn number_if(stmt: &mut IfStmt, next: &mut Numbering<'_>) {
    match &mut stmt.cond {
        Condition::Expr(e) => number_expr(e, next),
        Condition::Let { value, .. } => number_expr(value, next),
    }
    number_block(&mut stmt.then_block, next);
    match &mut stmt.else_branch {
        None => {}
        Some(ElseBranch::Block(b)) => number_block(b, next),
        Some(ElseBranch::If(i)) => number_if(i, next),
    }
}

fn number_stmt(stmt: &mut Stmt, next: &mut Numbering<'_>) {
    match &mut stmt.kind {
        StmtKind::Let { value, .. } => number_expr(value, next),
        StmtKind::Assign { target, value, .. } => {
            number_place(target, next);
            number_expr(value, next);
        }
        StmtKind::WorldSet { value, .. } => number_expr(value, next),
        StmtKind::If(i) => number_if(i, next),
        StmtKind::While { cond, body } => {
            number_expr(cond, next);
            number_block(body, next);
        }
        StmtKind::For { iter, body, .. } => {
            match iter {
                ForIter::Expr(e) => number_expr(e, next),
                ForIter::Range { start, end } => {
                    number_expr(start, next);
                    number_expr(end, next);
                }
            }
            number_block(body, next);
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Die => {}
        StmtKind::Return(e) => {
            if let Some(e) = e {
                number_expr(e, next);
            }
        }
        StmtKind::Report(e) => number_expr(e, next),
        StmtKind::Differentiate { inits, .. } => {
            for init in inits {
                number_expr(&mut init.value, next);
            }
        }
        StmtKind::Sleep(SleepKind::Ticks(e)) => number_expr(e, next),
        StmtKind::Sleep(SleepKind::Until { threshold, .. }) => number_expr(threshold, next),
        StmtKind::Expr(e) => number_expr(e, next),
    }
}

fn number_expr(expr: &mut Expr, next: &mut Numbering<'_>) {
    expr.id = ExprId(next.count);
    next.count += 1;
    if let ExprKind::Int(i64::MIN) = expr.kind
        && next.min_literals.contains(&expr.span)
    {
        // `9223372036854775808` is only an int right after a unary `-`.
        next.diags.push(lexer::int_too_large(expr.span.clone()));
    }
    match &mut expr.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_)
        | ExprKind::SelfRef
        | ExprKind::Sender
        | ExprKind::World(_)
        | ExprKind::Sense(_)
        | ExprKind::Error => {}
        ExprKind::Field { base, .. } => number_expr(base, next),
        ExprKind::MethodCall { receiver, args, .. } => {
            number_expr(receiver, next);
            for a in args {
                number_expr(a, next);
            }
        }
        ExprKind::Call { args, .. } | ExprKind::List(args) => {
            for a in args {
                number_expr(a, next);
            }
        }
        ExprKind::Index { base, index } => {
            number_expr(base, next);
            number_expr(index, next);
        }
        ExprKind::Unary { operand, .. } => number_expr(operand, next),
        ExprKind::Binary { lhs, rhs, .. } => {
            number_expr(lhs, next);
            number_expr(rhs, next);
        }
        ExprKind::Vec { x, y } => {
            number_expr(x, next);
            number_expr(y, next);
        }
        ExprKind::SignalLit { fields, .. } => {
            for f in fields {
                number_expr(&mut f.value, next);
            }
        }
        ExprKind::Emit { strength, .. } => {
            if let Some(s) = strength {
                number_expr(s, next);
            }
        }
        ExprKind::Bind(e) | ExprKind::Unbind(e) | ExprKind::Move(e) => number_expr(e, next),
        ExprKind::Send { signal, target } => {
            number_expr(signal, next);
            number_expr(target, next);
        }
        ExprKind::Spawn(s) => {
            for f in &mut s.inits {
                number_expr(&mut f.value, next);
            }
            if let Some(at) = &mut s.at {
                number_expr(at, next);
            }
        }
    }
}
