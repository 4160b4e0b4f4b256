//! The pre-parse check that bounds nesting depth (so nothing recurses too deep).

use super::*;

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
