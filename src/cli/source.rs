//! Reading a program file, with the clear messages and exit statuses that
//! bad input gets (see `docs/bad-input.md`).

use std::path::Path;

use super::{EXIT_COMPILE, EXIT_USAGE};

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
    let bytes = std::fs::read(path)
        .map_err(|e| (format!("myco: cannot read `{shown}`: {e}"), EXIT_USAGE))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (
            format!("myco: `{shown}` is not UTF-8 text (invalid byte at offset {at}); a Myco program must be UTF-8"),
            EXIT_COMPILE,
        )
    })
}
