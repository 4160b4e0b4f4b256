//! The lexer: source text → tokens with byte spans, built on `logos`.
//!
//! Decisions (also in `grammar/myco.ebnf`):
//! - Whitespace, `//` line comments, `///` doc comments and nested
//!   `/* /* */ */` block comments are skipped: doc comments are not kept
//!   in the tree (yet).
//! - Integer literals are decimal digits, `_` allowed after the first digit
//!   (`1_000`); a value above `i64::MAX` is a diagnostic, except
//!   `9223372036854775808` right after a `-`, lexed as `Int(i64::MIN)`: the
//!   parser folds `-9223372036854775808` into one literal and reports that
//!   token anywhere else.
//! - Float literals need digits on both sides of the `.` (`1.0`, `0.5`) and
//!   may have an exponent (`1e-7`, `2.5e3`, `1.0E+3`); `1.` and `.5` are not
//!   floats (`1.` is the integer `1` then `.`), which keeps `0..4` as
//!   `0`, `..`, `4` and leaves room for `1.max(2)`.
//! - Strings are `"..."` with escapes `\n \t \r \\ \" \0 \u{XXXX}`; they may
//!   span lines. An unknown escape is a diagnostic (the string token is still
//!   produced, so parsing goes on).
//! - Anything that cannot start a token becomes [`Token::Error`] with a
//!   diagnostic; the parser accepts an error token silently where an
//!   expression may stand, so one bad character gives one diagnostic.

use std::fmt;

use logos::{Lexer, Logos};

use crate::diagnostic::{Diagnostic, Span};

/// Diagnostic codes of the lexer (documented in `docs/diagnostics.md`).
pub mod codes {
    /// A character that cannot start a token.
    pub const UNEXPECTED_CHAR: &str = "E0001";
    /// A string literal without its closing `"`.
    pub const UNTERMINATED_STRING: &str = "E0002";
    /// An unknown or malformed escape in a string.
    pub const BAD_ESCAPE: &str = "E0003";
    /// A block comment without its closing `*/`.
    pub const UNTERMINATED_COMMENT: &str = "E0004";
    /// An integer literal above `i64::MAX`.
    pub const INT_TOO_LARGE: &str = "E0005";
}

/// What went wrong inside one token; turned into a [`Diagnostic`] by [`lex`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LexError {
    /// A character that starts no token.
    #[default]
    UnexpectedChar,
    /// `"` without its closing quote.
    UnterminatedString,
    /// `/*` without its closing `*/`.
    UnterminatedComment,
    /// An integer literal too large for `i64`.
    IntTooLarge,
}

/// One token. Keywords and punctuation carry no data; literals carry their
/// decoded value.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Token {
    // ----- keywords (LANGUAGE.md §5b) -----
    /// `cell`
    #[token("cell")]
    Cell,
    /// `metabolism`
    #[token("metabolism")]
    Metabolism,
    /// `on`
    #[token("on")]
    On,
    /// `spawn`
    #[token("spawn")]
    Spawn,
    /// `apoptosis`
    #[token("apoptosis")]
    Apoptosis,
    /// `fn`
    #[token("fn")]
    Fn,
    /// `let`
    #[token("let")]
    Let,
    /// `mut`
    #[token("mut")]
    Mut,
    /// `if`
    #[token("if")]
    If,
    /// `else`
    #[token("else")]
    Else,
    /// `while`
    #[token("while")]
    While,
    /// `for`
    #[token("for")]
    For,
    /// `in`
    #[token("in")]
    In,
    /// `break`
    #[token("break")]
    Break,
    /// `continue`
    #[token("continue")]
    Continue,
    /// `return`
    #[token("return")]
    Return,
    /// `emit`
    #[token("emit")]
    Emit,
    /// `sense`
    #[token("sense")]
    Sense,
    /// `bind`
    #[token("bind")]
    Bind,
    /// `unbind`
    #[token("unbind")]
    Unbind,
    /// `send`
    #[token("send")]
    Send,
    /// `to`
    #[token("to")]
    To,
    /// `report`
    #[token("report")]
    Report,
    /// `differentiate`
    #[token("differentiate")]
    Differentiate,
    /// `move`
    #[token("move")]
    Move,
    /// `sleep`
    #[token("sleep")]
    Sleep,
    /// `until`
    #[token("until")]
    Until,
    /// `die`
    #[token("die")]
    Die,
    /// `gradient`
    #[token("gradient")]
    Gradient,
    /// `signal`
    #[token("signal")]
    Signal,
    /// `membrane`
    #[token("membrane")]
    Membrane,
    /// `const`
    #[token("const")]
    Const,
    /// `use`
    #[token("use")]
    Use,
    /// `ecosystem`
    #[token("ecosystem")]
    Ecosystem,
    /// `world`
    #[token("world")]
    World,
    /// `self`
    #[token("self")]
    SelfKw,
    /// `sender`
    #[token("sender")]
    Sender,
    /// `at`
    #[token("at")]
    At,
    /// `none`
    #[token("none")]
    None,
    /// `true`
    #[token("true")]
    True,
    /// `false`
    #[token("false")]
    False,

    // ----- literals and names -----
    /// A name that is not a keyword (`int`, `float`, `print` are names).
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_owned())]
    Ident(String),
    /// An integer literal.
    #[regex(r"[0-9][0-9_]*", lex_int)]
    Int(i64),
    /// A float literal.
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9][0-9_]*)?", lex_float)]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9][0-9_]*", lex_float)]
    Float(f64),
    /// A string literal, escapes decoded (bad escapes are reported by [`lex`]
    /// and kept as written).
    #[token("\"", lex_string)]
    Str(String),

    // ----- punctuation and operators -----
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `[`
    #[token("[")]
    LBracket,
    /// `]`
    #[token("]")]
    RBracket,
    /// `,`
    #[token(",")]
    Comma,
    /// `;`
    #[token(";")]
    Semi,
    /// `:`
    #[token(":")]
    Colon,
    /// `::`
    #[token("::")]
    ColonColon,
    /// `.`
    #[token(".")]
    Dot,
    /// `..`
    #[token("..")]
    DotDot,
    /// `->`
    #[token("->")]
    Arrow,
    /// `?`
    #[token("?")]
    Question,
    /// `??`
    #[token("??")]
    QuestionQuestion,
    /// `+`
    #[token("+")]
    Plus,
    /// `-`
    #[token("-")]
    Minus,
    /// `*`
    #[token("*")]
    Star,
    /// `/`
    #[token("/")]
    Slash,
    /// `%`
    #[token("%")]
    Percent,
    /// `!`
    #[token("!")]
    Bang,
    /// `=`
    #[token("=")]
    Eq,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `<`
    #[token("<")]
    Lt,
    /// `<=`
    #[token("<=")]
    LtEq,
    /// `>`
    #[token(">")]
    Gt,
    /// `>=`
    #[token(">=")]
    GtEq,
    /// `&&`
    #[token("&&")]
    AndAnd,
    /// `||`
    #[token("||")]
    OrOr,
    /// `+=`
    #[token("+=")]
    PlusEq,
    /// `-=`
    #[token("-=")]
    MinusEq,
    /// `*=`
    #[token("*=")]
    StarEq,
    /// `/=`
    #[token("/=")]
    SlashEq,

    /// A nested block comment; never produced (skipped by its callback).
    #[token("/*", lex_block_comment)]
    BlockComment,

    /// Something that is not a token (already reported by [`lex`]).
    Error,
}

fn lex_int(lex: &mut Lexer<'_, Token>) -> Result<i64, LexError> {
    let digits: String = lex.slice().chars().filter(|c| *c != '_').collect();
    digits.parse::<i64>().map_err(|_| LexError::IntTooLarge)
}

fn lex_float(lex: &mut Lexer<'_, Token>) -> Option<f64> {
    let text: String = lex.slice().chars().filter(|c| *c != '_').collect();
    text.parse::<f64>().ok()
}

/// Consumes a string body after its opening quote. The value keeps bad
/// escapes as written; [`lex`] re-scans the slice to report them.
fn lex_string(lex: &mut Lexer<'_, Token>) -> Result<String, LexError> {
    let rest = lex.remainder();
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                lex.bump(i + 1);
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((j, e)) => match decode_escape(e, &rest[j + e.len_utf8()..]) {
                    Some((ch, extra)) => {
                        out.push(ch);
                        // Skip the `{...}` of a `\u{...}` escape.
                        for _ in 0..extra {
                            chars.next();
                        }
                    }
                    None => {
                        out.push('\\');
                        out.push(e);
                    }
                },
                None => break,
            },
            _ => out.push(c),
        }
    }
    lex.bump(rest.len());
    Err(LexError::UnterminatedString)
}

/// Decodes the escape whose letter is `e`, with `after` the text following
/// it; returns the character and how many characters of `after` it used.
fn decode_escape(e: char, after: &str) -> Option<(char, usize)> {
    let simple = match e {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '0' => Some('\0'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, 0));
    }
    if e != 'u' {
        return None;
    }
    let body = after.strip_prefix('{')?;
    let close = body.find('}')?;
    let hex = body.get(..close)?;
    if hex.is_empty() || hex.len() > 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let code = u32::from_str_radix(hex, 16).ok()?;
    let ch = char::from_u32(code)?;
    Some((ch, hex.chars().count() + 2))
}

/// Skips a block comment after its `/*`, counting nested `/* */` pairs.
fn lex_block_comment(lex: &mut Lexer<'_, Token>) -> Result<logos::Skip, LexError> {
    let rest = lex.remainder().as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    while i + 1 < rest.len() {
        match (rest[i], rest[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    lex.bump(i);
                    return Ok(logos::Skip);
                }
            }
            _ => i += 1,
        }
    }
    lex.bump(rest.len());
    Err(LexError::UnterminatedComment)
}

/// Reports every malformed escape inside the string literal at `span`.
fn report_bad_escapes(source: &str, span: &Span, diags: &mut Vec<Diagnostic>) {
    let Some(text) = source.get(span.clone()) else {
        return;
    };
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let Some((j, e)) = chars.next() else {
            break;
        };
        let after = &text[j + e.len_utf8()..];
        match decode_escape(e, after) {
            Some((_, extra)) => {
                for _ in 0..extra {
                    chars.next();
                }
            }
            None => {
                let start = span.start + i;
                let end = span.start + j + e.len_utf8();
                let shown = if e == 'u' {
                    "\\u".to_owned()
                } else {
                    format!("\\{e}")
                };
                diags.push(
                    Diagnostic::error(
                        codes::BAD_ESCAPE,
                        format!("unknown escape `{shown}` in string"),
                        start..end,
                    )
                    .with_label("not a valid escape")
                    .with_help(r#"valid escapes are \n \t \r \\ \" \0 and \u{XXXX}"#),
                );
            }
        }
    }
}

/// Lexes `source` into tokens with byte spans. Never fails: every problem is
/// a diagnostic, and the token stream stays usable ([`Token::Error`] marks
/// bad input).
pub fn lex(source: &str) -> (Vec<(Token, Span)>, Vec<Diagnostic>) {
    let mut tokens = Vec::new();
    let mut diags = Vec::new();
    let mut lexer = Token::lexer(source);
    // A byte-order mark some editors write is not part of the program.
    if source.starts_with('\u{feff}') {
        lexer.bump('\u{feff}'.len_utf8());
    }
    let mut stray_run = false;
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        if result.is_ok() {
            stray_run = false;
        }
        match result {
            Ok(tok) => {
                if matches!(tok, Token::Str(_)) && lexer.slice().contains('\\') {
                    report_bad_escapes(source, &span, &mut diags);
                }
                tokens.push((tok, span));
            }
            Err(LexError::IntTooLarge)
                if is_min_magnitude(lexer.slice())
                    && tokens.last().map(|(t, _)| t) == Some(&Token::Minus) =>
            {
                // Only valid negated; the parser folds `-` and this into
                // `i64::MIN` and reports it anywhere else.
                tokens.push((Token::Int(i64::MIN), span));
            }
            // A run of stray characters (a binary file) is one error, not
            // one per byte.
            Err(LexError::UnexpectedChar)
                if matches!(tokens.last(), Some((Token::Error, s)) if s.end == span.start)
                    && stray_run =>
            {
                if let Some((_, s)) = tokens.last_mut() {
                    s.end = span.end;
                }
                if let Some(d) = diags.last_mut() {
                    d.primary.span.end = span.end;
                }
                continue;
            }
            Err(err) => {
                stray_run = matches!(err, LexError::UnexpectedChar);
                diags.push(lex_error_diagnostic(&err, source, span.clone()));
                match err {
                    // A comment is skipped even when unterminated.
                    LexError::UnterminatedComment => {}
                    LexError::UnterminatedString => {
                        report_bad_escapes(source, &span, &mut diags);
                        tokens.push((Token::Error, span));
                    }
                    _ => tokens.push((Token::Error, span)),
                }
            }
        }
    }
    (tokens, diags)
}

/// True for the digits of `i64::MIN`'s magnitude, `9223372036854775808`.
fn is_min_magnitude(text: &str) -> bool {
    text.chars()
        .filter(|c| *c != '_')
        .eq("9223372036854775808".chars())
}

/// The diagnostic for an integer literal that does not fit in an `int`.
pub fn int_too_large(span: Span) -> Diagnostic {
    Diagnostic::error(codes::INT_TOO_LARGE, "integer literal is too large", span)
        .with_label("does not fit in a 64-bit int")
        .with_help("the largest int is 9223372036854775807; for a float, write a `.0`")
}

fn lex_error_diagnostic(err: &LexError, source: &str, span: Span) -> Diagnostic {
    match err {
        LexError::UnexpectedChar => {
            let text = source.get(span.clone()).unwrap_or("");
            let shown = text.chars().next().map_or_else(String::new, |c| {
                if c.is_control() || c.is_whitespace() {
                    format!("{c:?}")
                } else {
                    format!("`{c}`")
                }
            });
            Diagnostic::error(
                codes::UNEXPECTED_CHAR,
                format!("unexpected character {shown}"),
                span,
            )
            .with_label("not part of any token")
        }
        LexError::UnterminatedString => {
            let open = span.start..(span.start + 1).min(span.end);
            Diagnostic::error(codes::UNTERMINATED_STRING, "unterminated string", open)
                .with_label("this string is never closed")
                .with_help("add a closing `\"`")
        }
        LexError::UnterminatedComment => {
            let open = span.start..(span.start + 2).min(span.end);
            Diagnostic::error(
                codes::UNTERMINATED_COMMENT,
                "unterminated block comment",
                open,
            )
            .with_label("this comment is never closed")
            .with_note("block comments nest: each `/*` needs its own `*/`")
        }
        LexError::IntTooLarge => int_too_large(span),
    }
}

impl Token {
    /// How the token is named in messages: keywords and punctuation quoted
    /// as written, literals by kind.
    pub fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("identifier `{name}`"),
            Token::Int(v) => format!("integer `{v}`"),
            Token::Float(v) => format!("float `{v:?}`"),
            Token::Str(_) => "string literal".to_owned(),
            Token::Error | Token::BlockComment => "invalid token".to_owned(),
            other => format!("`{}`", other.text().unwrap_or("?")),
        }
    }

    /// The fixed text of a keyword or punctuation token; `None` for
    /// literals, names and errors.
    pub fn text(&self) -> Option<&'static str> {
        Some(match self {
            Token::Cell => "cell",
            Token::Metabolism => "metabolism",
            Token::On => "on",
            Token::Spawn => "spawn",
            Token::Apoptosis => "apoptosis",
            Token::Fn => "fn",
            Token::Let => "let",
            Token::Mut => "mut",
            Token::If => "if",
            Token::Else => "else",
            Token::While => "while",
            Token::For => "for",
            Token::In => "in",
            Token::Break => "break",
            Token::Continue => "continue",
            Token::Return => "return",
            Token::Emit => "emit",
            Token::Sense => "sense",
            Token::Bind => "bind",
            Token::Unbind => "unbind",
            Token::Send => "send",
            Token::To => "to",
            Token::Report => "report",
            Token::Differentiate => "differentiate",
            Token::Move => "move",
            Token::Sleep => "sleep",
            Token::Until => "until",
            Token::Die => "die",
            Token::Gradient => "gradient",
            Token::Signal => "signal",
            Token::Membrane => "membrane",
            Token::Const => "const",
            Token::Use => "use",
            Token::Ecosystem => "ecosystem",
            Token::World => "world",
            Token::SelfKw => "self",
            Token::Sender => "sender",
            Token::At => "at",
            Token::None => "none",
            Token::True => "true",
            Token::False => "false",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Comma => ",",
            Token::Semi => ";",
            Token::Colon => ":",
            Token::ColonColon => "::",
            Token::Dot => ".",
            Token::DotDot => "..",
            Token::Arrow => "->",
            Token::Question => "?",
            Token::QuestionQuestion => "??",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::Bang => "!",
            Token::Eq => "=",
            Token::EqEq => "==",
            Token::NotEq => "!=",
            Token::Lt => "<",
            Token::LtEq => "<=",
            Token::Gt => ">",
            Token::GtEq => ">=",
            Token::AndAnd => "&&",
            Token::OrOr => "||",
            Token::PlusEq => "+=",
            Token::MinusEq => "-=",
            Token::StarEq => "*=",
            Token::SlashEq => "/=",
            Token::Ident(_)
            | Token::Int(_)
            | Token::Float(_)
            | Token::Str(_)
            | Token::BlockComment
            | Token::Error => return None,
        })
    }

    /// True for keywords (the words LANGUAGE.md §5b reserves).
    pub fn is_keyword(&self) -> bool {
        self.text()
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// True when `source` ends inside an unclosed `(`, `[`, `{`, string or block
/// comment: a REPL should read another line before parsing.
pub fn is_incomplete(source: &str) -> bool {
    let mut depth: i64 = 0;
    for result in Token::lexer(source) {
        match result {
            Ok(Token::LParen | Token::LBrace | Token::LBracket) => depth += 1,
            Ok(Token::RParen | Token::RBrace | Token::RBracket) => depth -= 1,
            Err(LexError::UnterminatedString | LexError::UnterminatedComment) => return true,
            _ => {}
        }
    }
    depth > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Token> {
        let (toks, diags) = lex(src);
        assert!(diags.is_empty(), "{diags:?}");
        toks.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn range_lexes_as_int_dotdot_int() {
        assert_eq!(
            kinds("0..4"),
            vec![Token::Int(0), Token::DotDot, Token::Int(4)]
        );
    }

    #[test]
    fn float_forms() {
        assert_eq!(
            kinds("1.0 1e-7 2.5e3 1_000.5"),
            vec![
                Token::Float(1.0),
                Token::Float(1e-7),
                Token::Float(2500.0),
                Token::Float(1000.5)
            ]
        );
        assert_eq!(kinds("1."), vec![Token::Int(1), Token::Dot]);
    }

    #[test]
    fn keywords_and_idents() {
        assert_eq!(
            kinds("cell cells int self"),
            vec![
                Token::Cell,
                Token::Ident("cells".into()),
                Token::Ident("int".into()),
                Token::SelfKw
            ]
        );
    }

    #[test]
    fn nested_block_comments_are_skipped() {
        assert_eq!(
            kinds("a /* x /* y */ z */ b /// doc\n c // d"),
            vec![
                Token::Ident("a".into()),
                Token::Ident("b".into()),
                Token::Ident("c".into())
            ]
        );
    }

    #[test]
    fn unterminated_comment_is_one_diagnostic() {
        let (toks, diags) = lex("a /* /* */");
        assert_eq!(toks.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::UNTERMINATED_COMMENT);
        assert_eq!(diags[0].primary.span, 2..4);
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            kinds(r#""a\n\t\\\"\0\u{48}é""#),
            vec![Token::Str("a\n\t\\\"\0Hé".into())]
        );
    }

    #[test]
    fn bad_escape_reported_and_string_kept() {
        let (toks, diags) = lex(r#"x = "a\qb";"#);
        assert_eq!(toks.len(), 4);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::BAD_ESCAPE);
        assert_eq!(diags[0].primary.span, 6..8);
        assert_eq!(toks[2].0, Token::Str("a\\qb".into()));
    }

    #[test]
    fn operators() {
        assert_eq!(
            kinds("?? ? .. . -> += -= *= /= && || :: : == != <= >="),
            vec![
                Token::QuestionQuestion,
                Token::Question,
                Token::DotDot,
                Token::Dot,
                Token::Arrow,
                Token::PlusEq,
                Token::MinusEq,
                Token::StarEq,
                Token::SlashEq,
                Token::AndAnd,
                Token::OrOr,
                Token::ColonColon,
                Token::Colon,
                Token::EqEq,
                Token::NotEq,
                Token::LtEq,
                Token::GtEq
            ]
        );
    }

    #[test]
    fn int_overflow_is_a_diagnostic() {
        let (toks, diags) = lex("9223372036854775807 9223372036854775808");
        assert_eq!(toks[0].0, Token::Int(i64::MAX));
        assert_eq!(toks[1].0, Token::Error);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::INT_TOO_LARGE);
    }

    #[test]
    fn bad_character_is_a_diagnostic() {
        let (toks, diags) = lex("a @ b");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[1], (Token::Error, 2..3));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::UNEXPECTED_CHAR);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let (toks, diags) = lex("\u{feff}cell");
        assert!(diags.is_empty());
        assert_eq!(toks, vec![(Token::Cell, 3..7)]);
    }

    #[test]
    fn incomplete_input() {
        assert!(is_incomplete("cell A {"));
        assert!(is_incomplete("print(\"abc"));
        assert!(is_incomplete("x /* y"));
        assert!(is_incomplete("[1, (2"));
        assert!(!is_incomplete("let x = 1;"));
        assert!(!is_incomplete("}"));
    }
}
