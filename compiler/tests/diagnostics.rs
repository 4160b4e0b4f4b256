//! The diagnostics corpus (`tests/diagnostics/`): every `NNN_name.myco` must
//! produce, first, the error its first line announces
//! (`// expect: E0301 at 3:12`; a `W` code means the program has no error and
//! that warning comes first), and render exactly as `NNN_name.stderr`.
//! Every program in `tests/diagnostics/ok/` must check without errors.
//!
//! `UPDATE_GOLDEN=1 cargo test -p myco-compiler --test diagnostics` rewrites
//! the goldens (read them before committing).

use std::path::{Path, PathBuf};

use myco_compiler::check::{CheckOptions, SourceLoader, loader::normalize};
use myco_compiler::diagnostic::{ColorChoice, Diagnostic, Severity, render};

/// Loads imports from the corpus directory; names stay relative to it so
/// goldens do not depend on where the repository is.
struct DirLoader {
    base: PathBuf,
}

impl SourceLoader for DirLoader {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), String> {
        let parent = Path::new(from).parent().unwrap_or(Path::new(""));
        let name = normalize(&parent.join(path).to_string_lossy());
        std::fs::read_to_string(self.base.join(&name))
            .map(|text| (name.clone(), text))
            .map_err(|_| format!("cannot read `{name}`"))
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diagnostics")
}

fn myco_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "myco"));
    files.sort();
    files
}

/// Checks one file the way `myco check` does; returns all diagnostics and
/// the rendered text.
fn check(base: &Path, name: &str, source: &str) -> (Vec<Diagnostic>, String) {
    let loader = DirLoader {
        base: base.to_path_buf(),
    };
    let out = myco_compiler::check_source(source, name, &loader, &CheckOptions::default());
    let text = render(
        name,
        source,
        &out.sources,
        &out.diagnostics,
        ColorChoice::Never,
    );
    (out.diagnostics, text)
}

fn parse_expect(first_line: &str) -> Option<(String, usize, usize)> {
    let rest = first_line.trim().strip_prefix("// expect:")?.trim();
    let (code, pos) = rest.split_once(" at ")?;
    let (line, col) = pos.trim().split_once(':')?;
    Some((
        code.trim().to_string(),
        line.parse().ok()?,
        col.parse().ok()?,
    ))
}

#[test]
fn corpus_reports_the_expected_first_diagnostic_and_renders_as_golden() {
    let dir = corpus_dir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let files = myco_files(&dir);
    assert!(files.len() >= 45, "the corpus has {} programs", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let Some((code, line, col)) = parse_expect(source.lines().next().unwrap_or("")) else {
            failures.push(format!(
                "{name}: first line is not `// expect: CODE at LINE:COL`"
            ));
            continue;
        };
        let (diags, text) = check(&dir, &name, &source);
        let wanted = if code.starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        };
        if wanted == Severity::Warning && diags.iter().any(Diagnostic::is_error) {
            failures.push(format!("{name}: expected only warnings, got:\n{text}"));
            continue;
        }
        let Some(first) = diags.iter().find(|d| d.severity == wanted) else {
            failures.push(format!(
                "{name}: expected {code}, got no such diagnostic:\n{text}"
            ));
            continue;
        };
        let (l, c) = match &first.file {
            None => first.line_col(&source),
            Some(_) => (0, 0),
        };
        if first.code != code || (l, c) != (line, col) {
            failures.push(format!(
                "{name}: expected {code} at {line}:{col}, got {} at {l}:{c} ({:?}):\n{text}",
                first.code, first.file
            ));
            continue;
        }
        let golden = path.with_extension("stderr");
        if update {
            let _ = std::fs::write(&golden, &text);
        } else {
            let expected = std::fs::read_to_string(&golden).unwrap_or_default();
            if expected != text {
                failures.push(format!(
                    "{name}: rendering differs from {}:\n--- expected\n{expected}\n--- got\n{text}",
                    golden.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn valid_programs_check_without_errors() {
    let dir = corpus_dir().join("ok");
    let files = myco_files(&dir);
    assert!(files.len() >= 3);
    for path in files {
        let name = format!(
            "ok/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        let (diags, text) = check(&corpus_dir(), &name, &source);
        assert!(!diags.iter().any(Diagnostic::is_error), "{name}:\n{text}");
    }
}
