//! How `use "path";` finds the imported file's text.

use std::collections::HashMap;
use std::path::Path;

/// Loads the files `use "path";` imports. The checker calls it with the
/// importing file's name and the path as written (from the front end's own
/// thread, hence `Sync`).
pub trait SourceLoader: Sync {
    /// Resolves `path` relative to the file `from` and returns the imported
    /// file's name (used in diagnostics and to detect cycles: the same file
    /// must always get the same name) and its text, or a message saying why
    /// it cannot be read.
    fn load(&self, from: &str, path: &str) -> Result<(String, String), String>;
}

/// Reads imports from the file system, relative to the importing file's
/// directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsLoader;

/// The largest source file read (4 MiB), the main one or an import. Real
/// programs are a few kilobytes; the front end needs ~90 bytes of memory per
/// byte of source, so this bounds both before anything is parsed.
pub const MAX_SOURCE_BYTES: u64 = 4 << 20;

/// The most source text one program may have, its imports included (16 MiB).
pub const MAX_PROGRAM_BYTES: u64 = 16 << 20;

impl SourceLoader for FsLoader {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), String> {
        use std::io::Read;
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let full = base.join(path);
        let name = normalize(&full.to_string_lossy());
        let shown = full.display();
        if full.is_dir() {
            return Err(format!("`{shown}` is a directory"));
        }
        // At most one byte past the limit: a special file may never end.
        let mut bytes = Vec::new();
        std::fs::File::open(&full)
            .and_then(|f| f.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        if bytes.len() as u64 > MAX_SOURCE_BYTES {
            return Err(format!(
                "`{shown}` is too large (a file may have at most {MAX_SOURCE_BYTES} bytes)"
            ));
        }
        String::from_utf8(bytes)
            .map(|text| (name, text))
            .map_err(|_| format!("`{shown}` is not UTF-8 text"))
    }
}

/// Refuses every import (for sources that have no file, such as a REPL line
/// or a string handed to the library).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoImports;

impl SourceLoader for NoImports {
    fn load(&self, _from: &str, path: &str) -> Result<(String, String), String> {
        Err(format!(
            "cannot import `{path}`: this source has no file system"
        ))
    }
}

/// Files held in memory, by normalized path (for tests and embedders).
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    /// Normalized path → text.
    pub files: HashMap<String, String>,
}

impl MemoryLoader {
    /// Adds a file.
    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files.insert(normalize(path), text.to_string());
        self
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), String> {
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let name = normalize(&base.join(path).to_string_lossy());
        self.files
            .get(&name)
            .map(|text| (name.clone(), text.clone()))
            .ok_or_else(|| format!("cannot read `{name}`: no such file"))
    }
}

/// Removes `.` and resolves `..` components lexically, so `a/./b/../c.myco`
/// and `a/c.myco` name the same file.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize("a/./b/../c.myco"), "a/c.myco");
        assert_eq!(normalize("../x.myco"), "../x.myco");
        assert_eq!(normalize("/r/a/../b"), "/r/b");
    }

    #[test]
    fn memory_loader_resolves_relative_to_importer() {
        let l = MemoryLoader::default().with("lib/util.myco", "fn f() {}");
        let (name, text) = l.load("lib/main.myco", "util.myco").unwrap_or_default();
        assert_eq!(name, "lib/util.myco");
        assert_eq!(text, "fn f() {}");
        assert!(l.load("main.myco", "util.myco").is_err());
    }
}
