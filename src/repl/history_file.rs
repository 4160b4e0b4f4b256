//! Where the line history is kept across sessions.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The history file: `$MYCO_HISTORY` if set (and not empty), else
/// `$XDG_STATE_HOME/myco/history`, else `~/.myco_history`; `None` when
/// there is no home directory either.
pub fn history_path() -> Option<PathBuf> {
    history_path_from(|name| std::env::var_os(name))
}

/// [`history_path`] with the environment given as a lookup function.
fn history_path_from(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
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
pub fn prepare_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(vars: &[(&str, &str)]) -> Option<PathBuf> {
        history_path_from(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn myco_history_then_xdg_state_then_home() {
        let all = [
            ("MYCO_HISTORY", "/tmp/h"),
            ("XDG_STATE_HOME", "/s"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(path(&all), Some(PathBuf::from("/tmp/h")));
        assert_eq!(path(&all[1..]), Some(PathBuf::from("/s/myco/history")));
        assert_eq!(
            path(&all[2..]),
            Some(PathBuf::from("/home/u/.myco_history"))
        );
        // Empty variables count as unset.
        assert_eq!(
            path(&[("MYCO_HISTORY", ""), ("HOME", "/h")]),
            Some(PathBuf::from("/h/.myco_history"))
        );
        assert_eq!(path(&[]), None);
    }
}
