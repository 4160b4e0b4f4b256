//! Diagnostics: what every phase (lexer, parser, checker) reports, and their
//! rendering with `ariadne`.
//!
//! Spans are byte ranges into the source (what logos and chumsky produce), so
//! the renderer is configured with [`ariadne::IndexType::Byte`].

use std::fmt;
use std::ops::Range;

/// A byte range in one source file.
pub type Span = Range<usize>;

/// How serious a diagnostic is. Errors stop compilation; warnings don't.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The program is rejected.
    Error,
    /// The program compiles, but something looks wrong (unused, unreachable).
    Warning,
}

/// A labelled span: the primary label says what is wrong, secondary labels
/// point at related places ("declared here", "assigned here").
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
}

/// One diagnostic, independent of how it is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `E0308`; documented in `docs/diagnostics.md`.
    pub code: &'static str,
    /// The headline.
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Related places.
    pub secondary: Vec<Label>,
    /// A suggested fix, shown as `help: ...`.
    pub help: Option<String>,
    /// Extra explanation, shown as `note: ...`.
    pub notes: Vec<String>,
    /// The file the spans point into; `None` for the main file.
    /// Used when an imported file has the error.
    pub file: Option<String>,
}

impl Diagnostic {
    /// A new error with a primary label.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Error, code, message, span)
    }

    /// A new warning with a primary label.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Warning, code, message, span)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            file: None,
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based (line, column) of the primary span's start in `source`;
    /// columns count characters, as editors do.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.primary.span.start)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}[{}]: {}", self.code, self.message)
    }
}

/// 1-based (line, column) of byte `offset` in `source`; the column counts
/// characters. Offsets past the end (or inside a UTF-8 sequence) are clamped.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Whether rendered diagnostics use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// ANSI colours.
    Always,
    /// Plain text.
    Never,
}

impl ColorChoice {
    /// Colour when standard error is a terminal and `NO_COLOR` is unset.
    pub fn auto_stderr() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if !no_color && std::io::stderr().is_terminal() {
            ColorChoice::Always
        } else {
            ColorChoice::Never
        }
    }
}

/// Diagnostics [`render`] shows at most; the rest are counted in one line
/// (each rendering indexes its whole file: thousands would take minutes).
pub const MAX_RENDERED: usize = 100;

/// Renders diagnostics as a user sees them: headline, `file:line:col`, the
/// source excerpt with labels, help and notes.
///
/// `sources` maps a diagnostic's `file` (`None` = `main_name`) to its text;
/// a diagnostic whose file is unknown is rendered as its headline only.
pub fn render(
    main_name: &str,
    main_source: &str,
    extra_sources: &[(String, String)],
    diagnostics: &[Diagnostic],
    color: ColorChoice,
) -> String {
    use ariadne::{Config, IndexType, Label as ALabel, Report, ReportKind, Source};

    let mut out = Vec::new();
    for diag in diagnostics.iter().take(MAX_RENDERED) {
        let (name, text) = match &diag.file {
            None => (main_name, main_source),
            Some(f) => match extra_sources.iter().find(|(n, _)| n == f) {
                Some((n, t)) => (n.as_str(), t.as_str()),
                None => {
                    out.extend_from_slice(format!("{diag}\n").as_bytes());
                    continue;
                }
            },
        };
        let clamp = |s: &Span| -> Span {
            let end = s.end.min(text.len());
            s.start.min(end)..end
        };
        let kind = match diag.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let primary = clamp(&diag.primary.span);
        let config = Config::default()
            .with_index_type(IndexType::Byte)
            .with_color(color == ColorChoice::Always);
        let mut report = Report::build(kind, (name, primary.clone()))
            .with_config(config)
            .with_code(diag.code)
            .with_message(&diag.message);
        let mut label = ALabel::new((name, primary));
        if !diag.primary.message.is_empty() {
            label = label.with_message(&diag.primary.message);
        }
        if color == ColorChoice::Always {
            label = label.with_color(match diag.severity {
                Severity::Error => ariadne::Color::Red,
                Severity::Warning => ariadne::Color::Yellow,
            });
        }
        report = report.with_label(label.with_order(0));
        for (i, sec) in diag.secondary.iter().enumerate() {
            let mut l = ALabel::new((name, clamp(&sec.span))).with_message(&sec.message);
            if color == ColorChoice::Always {
                l = l.with_color(ariadne::Color::Blue);
            }
            report = report.with_label(l.with_order(i as i32 + 1));
        }
        if let Some(help) = &diag.help {
            report = report.with_help(help);
        }
        for note in &diag.notes {
            report = report.with_note(note);
        }
        let cache = (name, Source::from(text));
        // Writing into a Vec cannot fail.
        let _ = report.finish().write(cache, &mut out);
    }
    if diagnostics.len() > MAX_RENDERED {
        let rest = &diagnostics[MAX_RENDERED..];
        let errors = rest
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        out.extend_from_slice(
            format!(
                "... and {} more diagnostics not shown ({errors} errors)\n",
                rest.len()
            )
            .as_bytes(),
        );
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\ncé d\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        // 'd' is after "cé " — byte 7, character column 4.
        assert_eq!(line_col(src, 7), (2, 4));
    }

    #[test]
    fn render_plain_has_excerpt_and_position() {
        let src = "let x = 1 + 2.0;\n";
        let d = Diagnostic::error("E0001", "mismatched types", 8..15)
            .with_label("int + float")
            .with_help("write `float(1)`");
        let text = render("a.myco", src, &[], &[d], ColorChoice::Never);
        assert!(text.contains("E0001"), "{text}");
        assert!(text.contains("a.myco:1:9"), "{text}");
        assert!(text.contains("let x = 1 + 2.0;"), "{text}");
        assert!(text.contains("float(1)"), "{text}");
        assert!(
            !text.contains('\u{1b}'),
            "no ANSI escapes in plain mode: {text}"
        );
    }
}
