//! Loading the main file and everything it imports, each file once.
//!
//! `use std::NAME;` reads [`myco_stdlib::module_source`]; `use "path";` asks
//! the caller's [`SourceLoader`], relative to the importing file. A file that
//! imports itself, directly or through others, is an import cycle (E0215);
//! a file imported twice along different paths is loaded once.

use std::collections::HashMap;

use super::loader::MAX_PROGRAM_BYTES;
use super::{ParseFn, SourceLoader};
use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::hir::{FileId, SourceFile};

/// The files of a program, parsed.
pub(crate) struct Loaded {
    /// Every file: the main one first.
    pub files: Vec<SourceFile>,
    /// The parsed files (those that parsed), with their ids.
    pub asts: Vec<(FileId, ast::Program)>,
    /// Parse and import errors.
    pub diagnostics: Vec<Diagnostic>,
}

struct Loading<'l> {
    loader: &'l dyn SourceLoader,
    parse: ParseFn,
    out: Loaded,
    by_name: HashMap<String, FileId>,
    /// Files being loaded (their imports are being followed), for cycles.
    stack: Vec<FileId>,
    /// Source bytes loaded so far (at most [`MAX_PROGRAM_BYTES`]).
    bytes: u64,
}

/// Loads and parses `source` and, transitively, its imports.
pub(crate) fn load_all(
    source: &str,
    file_name: &str,
    loader: &dyn SourceLoader,
    parse: ParseFn,
) -> Loaded {
    let mut l = Loading {
        loader,
        parse,
        out: Loaded {
            files: Vec::new(),
            asts: Vec::new(),
            diagnostics: Vec::new(),
        },
        by_name: HashMap::new(),
        stack: Vec::new(),
        bytes: 0,
    };
    l.load(file_name.to_string(), source.to_string());
    l.out
}

impl Loading<'_> {
    fn load(&mut self, name: String, text: String) -> FileId {
        let id = FileId(self.out.files.len() as u32);
        self.bytes += text.len() as u64;
        self.by_name.insert(name.clone(), id);
        self.out.files.push(SourceFile {
            name: name.clone(),
            text: text.clone(),
        });
        let (program, diags) = (self.parse)(&text);
        let file_tag = (id != FileId(0)).then(|| name.clone());
        self.out.diagnostics.extend(diags.into_iter().map(|mut d| {
            d.file = d.file.or_else(|| file_tag.clone());
            d
        }));
        let Some(program) = program else { return id };
        self.stack.push(id);
        for item in &program.items {
            let ast::Item::Use(u) = item else { continue };
            let loaded = match &u.target {
                ast::UseTarget::Std(module) => match myco_stdlib::module_source(&module.name) {
                    Some(src) => Ok((format!("std::{}", module.name), src.to_string())),
                    None => {
                        self.error(
                            id,
                            Diagnostic::error(
                                "E0213",
                                format!("unknown standard module `std::{}`", module.name),
                                module.span.clone(),
                            )
                            .with_label("no such module")
                            .with_help("the standard modules are: std::math"),
                        );
                        continue;
                    }
                },
                ast::UseTarget::Path { path, span } => self
                    .loader
                    .load(&name, path)
                    .map_err(|why| (why, span.clone())),
            };
            match loaded {
                Ok((import_name, import_text))
                    if !self.by_name.contains_key(&import_name)
                        && self.bytes + import_text.len() as u64 > MAX_PROGRAM_BYTES =>
                {
                    self.error(
                        id,
                        Diagnostic::error(
                            "E0214",
                            "cannot load the imported file",
                            u.span.clone(),
                        )
                        .with_label(format!(
                            "with `{import_name}` the program would have more than {MAX_PROGRAM_BYTES} bytes of source"
                        )),
                    );
                }
                Ok((import_name, import_text)) => match self.by_name.get(&import_name) {
                    Some(&existing) if self.stack.contains(&existing) => {
                        let chain: Vec<&str> = self
                            .stack
                            .iter()
                            .skip_while(|f| **f != existing)
                            .filter_map(|f| self.out.files.get(f.0 as usize))
                            .map(|f| f.name.as_str())
                            .collect();
                        let d = Diagnostic::error(
                            "E0215",
                            format!("import cycle: `{import_name}` imports itself"),
                            u.span.clone(),
                        )
                        .with_label("this import closes the cycle")
                        .with_note(format!("{} -> {import_name}", chain.join(" -> ")));
                        self.error(id, d);
                    }
                    Some(_) => {}
                    None => {
                        self.load(import_name, import_text);
                    }
                },
                Err((why, span)) => {
                    self.error(
                        id,
                        Diagnostic::error("E0214", "cannot load the imported file", span)
                            .with_label(why),
                    );
                }
            }
        }
        self.stack.pop();
        self.out.asts.push((id, program));
        id
    }

    fn error(&mut self, file: FileId, mut d: Diagnostic) {
        if file != FileId(0) {
            d.file = self.out.files.get(file.0 as usize).map(|f| f.name.clone());
        }
        self.out.diagnostics.push(d);
    }
}
