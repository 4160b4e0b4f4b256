//! Every ```myco block in README.md and docs/*.md is a whole program that
//! must compile; a block followed directly by an ```output block is also run
//! (for `// ticks: N` ticks, 3 by default) and its print lines compared.
//! Snippets that are not whole programs are fenced as ```myco-fragment.

use std::path::{Path, PathBuf};

use myco::{CheckOptions, FsLoader, RunOptions, Simulation};

struct Block {
    file: PathBuf,
    line: usize,
    code: String,
    expected: Option<String>,
}

fn blocks(file: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let fence = lines[i].trim();
        if fence.starts_with("```") {
            let lang = fence.trim_start_matches('`').trim().to_string();
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].trim().starts_with("```") {
                end += 1;
            }
            let body = lines[start..end.min(lines.len())].join("\n") + "\n";
            if lang == "myco" {
                out.push(Block {
                    file: file.to_path_buf(),
                    line: i + 1,
                    code: body,
                    expected: None,
                });
            } else if lang == "output"
                && let Some(last) = out.last_mut()
                && last.expected.is_none()
            {
                last.expected = Some(body);
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn doc_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut docs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        docs.sort();
        files.extend(docs);
    }
    files
}

fn ticks_of(code: &str) -> u64 {
    code.lines()
        .find_map(|l| l.trim().strip_prefix("// ticks:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(3)
}

#[test]
fn myco_blocks_in_readme_and_docs_compile_and_print_what_they_say() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in doc_files() {
        for block in blocks(&file) {
            checked += 1;
            let name = format!("{}:{}", block.file.display(), block.line);
            let compiled =
                match myco::compile_source(&block.code, &name, &FsLoader, &CheckOptions::default())
                {
                    Ok(c) => c,
                    Err(e) => {
                        failures.push(format!("{name}: does not compile\n{e}"));
                        continue;
                    }
                };
            let Some(expected) = block.expected else {
                continue;
            };
            let mut sim = match Simulation::new(&compiled, &RunOptions::default()) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{name}: cannot start: {e}"));
                    continue;
                }
            };
            let mut printed = sim.take_prints();
            for _ in 0..ticks_of(&block.code) {
                printed.extend(sim.tick().prints);
            }
            let got: String = printed.iter().map(|l| format!("{l}\n")).collect();
            if got != expected {
                failures.push(format!(
                    "{name}: output differs\n--- expected\n{expected}--- got\n{got}"
                ));
            }
        }
    }
    assert!(checked >= 5, "found only {checked} myco blocks");
    assert!(
        failures.is_empty(),
        "{} failing blocks:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
