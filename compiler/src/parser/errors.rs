//! Turning chumsky's errors into [`Diagnostic`]s with readable messages.

use super::*;

/// Custom parser errors carry their code as a `"E0012: "` prefix.
pub(super) fn custom_error(
    code: &str,
    span: SimpleSpan,
    message: impl std::fmt::Display,
) -> Rich<'static, Token> {
    Rich::custom(span, format!("{code}: {message}"))
}

pub(super) fn is_operator(tok: &Token) -> bool {
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
pub(super) fn convert_errors(
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
pub(super) fn starts_statement(tok: &Token) -> bool {
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
pub(super) fn rich_to_diagnostic(
    err: Rich<'_, Token>,
    tokens: &[(Token, SimpleSpan)],
) -> Option<Diagnostic> {
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
pub(super) fn innermost_unclosed(tokens: &[(Token, SimpleSpan)]) -> Option<(Token, SimpleSpan)> {
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

pub(super) fn static_code(code: &str) -> &'static str {
    match code {
        "E0011" => codes::TOO_DEEP,
        "E0012" => codes::CHAINED_COMPARISON,
        "E0013" => codes::INVALID_ASSIGN_TARGET,
        "E0014" => codes::UNKNOWN_GRADIENT_SETTING,
        "E0015" => codes::DUPLICATE_GRADIENT_SETTING,
        _ => codes::SYNTAX,
    }
}
