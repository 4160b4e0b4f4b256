//! The `:` commands: their names (LANGUAGE.md §8) and argument parsing.

use std::path::PathBuf;

use myco::CellId;

/// One parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `:load FILE`.
    Load(PathBuf),
    /// `:tick [N]` (default 1).
    Tick(u64),
    /// `:cells [KIND]`.
    Cells(Option<String>),
    /// `:inspect ID`.
    Inspect(CellRef),
    /// `:sense ID G`.
    Sense(CellRef, String),
    /// `:back [N]` (default 1).
    Back(u64),
    /// `:disasm KIND`.
    Disasm(String),
    /// `:save PATH`: write a checkpoint of the ecosystem.
    Save(PathBuf),
    /// `:restore PATH`: continue from a checkpoint of the loaded program.
    Restore(PathBuf),
    /// `:costs`.
    Costs,
    /// `:help`.
    Help,
    /// `:quit`.
    Quit,
}

/// How a command names a cell: `7`, `#7`, or a local of the session
/// holding a `cell` (`let w = spawn W;` then `:inspect w`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellRef {
    /// An id.
    Id(CellId),
    /// A local's name.
    Local(String),
}

/// A command's name, its arguments' synopsis and what it does (for `:help`,
/// completion and hints).
pub struct CommandInfo {
    /// With the colon: `:tick`.
    pub name: &'static str,
    /// The arguments: `[N]`.
    pub args: &'static str,
    /// One line of help.
    pub about: &'static str,
}

/// Every command, in `:help` order.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: ":load",
        args: "FILE",
        about: "compile FILE and start its ecosystem afresh (history is cleared)",
    },
    CommandInfo {
        name: ":tick",
        args: "[N]",
        about: "run N ticks (default 1); Ctrl-C stops between ticks",
    },
    CommandInfo {
        name: ":cells",
        args: "[KIND]",
        about: "living cells (of KIND): id, kind, pos, energy, W/E, bonds, asleep",
    },
    CommandInfo {
        name: ":inspect",
        args: "ID",
        about: "one cell: fields, energy, position, bonds, W/E, sleep, inbox, last fault",
    },
    CommandInfo {
        name: ":sense",
        args: "ID G",
        about: "what cell ID senses of gradient G on its next turn",
    },
    CommandInfo {
        name: ":back",
        args: "[N]",
        about: "step the ecosystem back N ticks (default 1)",
    },
    CommandInfo {
        name: ":save",
        args: "PATH",
        about: "write a checkpoint of the ecosystem to PATH (as myco run --checkpoint does)",
    },
    CommandInfo {
        name: ":restore",
        args: "PATH",
        about: "continue from checkpoint PATH of the loaded program (history is cleared)",
    },
    CommandInfo {
        name: ":disasm",
        args: "KIND",
        about: "bytecode of KIND's methods, metabolism and handlers",
    },
    CommandInfo {
        name: ":costs",
        args: "",
        about: "the energy cost table and the world.* defaults",
    },
    CommandInfo {
        name: ":help",
        args: "",
        about: "this list",
    },
    CommandInfo {
        name: ":quit",
        args: "",
        about: "leave (also Ctrl-D)",
    },
];

/// Parses a line that starts with `:`. Errors are messages for the user.
pub fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or(":");
    let args: Vec<&str> = words.collect();
    let arity = |min: usize, max: usize| -> Result<(), String> {
        if args.len() < min || args.len() > max {
            let usage = COMMANDS
                .iter()
                .find(|c| c.name == name)
                .map_or(String::new(), |c| format!("{} {}", c.name, c.args));
            Err(format!("usage: {}", usage.trim_end()))
        } else {
            Ok(())
        }
    };
    let arg = |i: usize| args.get(i).copied().unwrap_or("");
    match name {
        ":load" | ":l" => {
            arity(1, usize::MAX)?;
            // A path may contain spaces: take the rest of the line.
            let rest = line.trim_start().get(name.len()..).unwrap_or("").trim();
            Ok(Command::Load(PathBuf::from(rest)))
        }
        ":save" | ":restore" => {
            arity(1, usize::MAX)?;
            let rest = PathBuf::from(line.trim_start().get(name.len()..).unwrap_or("").trim());
            Ok(if name == ":save" {
                Command::Save(rest)
            } else {
                Command::Restore(rest)
            })
        }
        ":tick" | ":t" => {
            arity(0, 1)?;
            if args.is_empty() {
                Ok(Command::Tick(1))
            } else {
                count(arg(0)).map(Command::Tick)
            }
        }
        ":cells" | ":c" => {
            arity(0, 1)?;
            Ok(Command::Cells(args.first().map(|s| s.to_string())))
        }
        ":inspect" | ":i" => {
            arity(1, 1)?;
            cell_ref(arg(0)).map(Command::Inspect)
        }
        ":sense" | ":s" => {
            arity(2, 2)?;
            Ok(Command::Sense(cell_ref(arg(0))?, arg(1).to_string()))
        }
        ":back" | ":b" => {
            arity(0, 1)?;
            if args.is_empty() {
                Ok(Command::Back(1))
            } else {
                count(arg(0)).map(Command::Back)
            }
        }
        ":disasm" | ":d" => {
            arity(1, 1)?;
            Ok(Command::Disasm(arg(0).to_string()))
        }
        ":costs" => arity(0, 0).map(|_| Command::Costs),
        ":help" | ":h" | ":?" => arity(0, 0).map(|_| Command::Help),
        ":quit" | ":q" | ":exit" => arity(0, 0).map(|_| Command::Quit),
        _ => Err(format!("unknown command `{name}` (`:help` lists them)")),
    }
}

/// A tick count: a non-negative integer (`_` separators allowed).
fn count(word: &str) -> Result<u64, String> {
    word.replace('_', "")
        .parse::<u64>()
        .map_err(|_| format!("`{word}` is not a number of ticks"))
}

/// A cell id (`7`, `#7`) or a local's name.
fn cell_ref(word: &str) -> Result<CellRef, String> {
    let is_name = word.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_alphanumeric() || c == '_');
    if is_name {
        Ok(CellRef::Local(word.to_string()))
    } else {
        cell_id(word).map(CellRef::Id)
    }
}

/// A cell id, written `7` or `#7`.
pub fn cell_id(word: &str) -> Result<CellId, String> {
    let digits = word.strip_prefix('#').unwrap_or(word);
    digits
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .map(CellId)
        .ok_or_else(|| format!("`{word}` is not a cell id (write `7` or `#7`)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_take_an_optional_hash() {
        let id = |n| Command::Inspect(CellRef::Id(CellId(n)));
        assert_eq!(parse(":inspect #7"), Ok(id(7)));
        assert_eq!(parse(":inspect 7"), Ok(id(7)));
        assert_eq!(
            parse(":inspect w_2"),
            Ok(Command::Inspect(CellRef::Local("w_2".into())))
        );
        assert!(parse(":inspect 7x").is_err());
        assert!(parse(":inspect #x").is_err());
        assert!(parse(":inspect #0").is_err());
    }

    #[test]
    fn counts_default_to_one() {
        assert_eq!(parse(":tick"), Ok(Command::Tick(1)));
        assert_eq!(parse(":tick 1_000"), Ok(Command::Tick(1000)));
        assert_eq!(parse(":back"), Ok(Command::Back(1)));
        assert!(parse(":tick -1").is_err());
        assert!(parse(":tick 1 2").is_err());
    }

    #[test]
    fn load_keeps_spaces_in_the_path() {
        assert_eq!(
            parse(":load my dir/a.myco"),
            Ok(Command::Load(PathBuf::from("my dir/a.myco")))
        );
        assert!(parse(":load").is_err());
    }

    #[test]
    fn unknown_commands_are_errors() {
        assert!(parse(":frobnicate").is_err());
        assert_eq!(
            parse(":sense #2 TASK"),
            Ok(Command::Sense(CellRef::Id(CellId(2)), "TASK".into()))
        );
    }
}
