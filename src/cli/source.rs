//! Reading a program file, with the clear messages and exit statuses that
//! bad input gets (see `docs/bad-input.md`).

use std::io::Read;
use std::path::Path;

use super::{EXIT_COMPILE, EXIT_USAGE};

/// The largest program file `myco` reads (4 MiB; a 4 MB program takes 1.9 s
/// and 380 MB in a release build). Imports have the same cap, and a program
/// with its imports at most [`myco::compiler::check::MAX_PROGRAM_BYTES`].
pub use myco::compiler::check::MAX_SOURCE_BYTES;

/// A program's text, or the message and exit status to fail with.
pub fn read_program(path: &Path) -> Result<String, (String, u8)> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        (format!("myco: cannot read `{shown}`: {why}"), EXIT_USAGE)
    })?;
    if meta.is_dir() {
        return Err((
            format!("myco: `{shown}` is a directory, not a .myco file"),
            EXIT_USAGE,
        ));
    }
    // Read at most one byte past the limit: special files (`/dev/zero`, a
    // pipe) report no length up front and may never end.
    let too_large = |len: u64| {
        (
            format!(
                "myco: `{shown}` is too large ({len} bytes or more; a program may have at most {MAX_SOURCE_BYTES})"
            ),
            EXIT_COMPILE,
        )
    };
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| (format!("myco: cannot read `{shown}`: {e}"), EXIT_USAGE))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (
            format!("myco: `{shown}` is not UTF-8 text (invalid byte at offset {at}); a Myco program must be UTF-8"),
            EXIT_COMPILE,
        )
    })
}
