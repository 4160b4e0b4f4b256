//! Where the line history is kept across sessions.

use std::path::PathBuf;

/// The history file: `$MYCO_HISTORY` if set (and not empty), else
/// `$XDG_STATE_HOME/myco/history`, else `~/.myco_history`; `None` when
/// there is no home directory either.
pub fn history_path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = var("MYCO_HISTORY") {
        return Some(PathBuf::from(path));
    }
    if let Some(state) = var("XDG_STATE_HOME") {
        return Some(PathBuf::from(state).join("myco").join("history"));
    }
    var("HOME").map(|home| PathBuf::from(home).join(".myco_history"))
}

/// Makes sure the history file's directory exists (best effort: failing to
/// save the history is not an error).
pub fn prepare_dir(path: &std::path::Path) {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(dir);
    }
}
