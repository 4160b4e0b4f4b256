//! The rustyline helper: completion of commands, cell kinds, gradient names
//! and cell ids; a hint with a command's arguments; the coloured prompt.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::command::COMMANDS;
use super::session::Vocabulary;

/// The session's helper. `vocabulary` is refreshed after every input.
pub struct ReplHelper {
    /// Names to complete.
    pub vocabulary: Rc<RefCell<Vocabulary>>,
    /// Whether to colour the prompt and hints.
    pub color: bool,
    files: FilenameCompleter,
}

impl ReplHelper {
    /// A helper completing from `vocabulary`.
    pub fn new(vocabulary: Rc<RefCell<Vocabulary>>, color: bool) -> ReplHelper {
        ReplHelper {
            vocabulary,
            color,
            files: FilenameCompleter::new(),
        }
    }
}

/// What the word under the cursor is, judged from the words before it.
#[derive(Debug, PartialEq, Eq)]
enum Slot {
    Command,
    Kind,
    Id,
    Gradient,
    File,
    Code,
    Nothing,
}

fn slot(before: &str) -> Slot {
    let trimmed = before.trim_start();
    if !trimmed.starts_with(':') {
        return Slot::Code;
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    // Words already finished before the one being typed.
    let done = if trimmed.ends_with(char::is_whitespace) {
        words.len()
    } else {
        words.len().saturating_sub(1)
    };
    if done == 0 {
        return Slot::Command;
    }
    let name = words.first().copied().unwrap_or("");
    match (name, done) {
        (":cells" | ":c" | ":disasm" | ":d", 1) => Slot::Kind,
        (":inspect" | ":i" | ":sense" | ":s", 1) => Slot::Id,
        (":sense" | ":s", 2) => Slot::Gradient,
        (":load" | ":l", _) => Slot::File,
        _ => Slot::Nothing,
    }
}

fn candidates<'a>(prefix: &str, names: impl IntoIterator<Item = &'a String>) -> Vec<Pair> {
    let mut out: Vec<Pair> = names
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .map(|n| Pair {
            display: n.clone(),
            replacement: n.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    out
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        let kind = slot(before);
        if kind == Slot::File {
            return self.files.complete(line, pos, ctx);
        }
        let is_word = |c: char| {
            if kind == Slot::Code {
                c.is_alphanumeric() || c == '_'
            } else {
                !c.is_whitespace()
            }
        };
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = before.get(start..).unwrap_or("");
        let vocabulary = self.vocabulary.borrow();
        let found = match kind {
            Slot::Command => {
                let names: Vec<String> = COMMANDS.iter().map(|c| c.name.to_string()).collect();
                candidates(prefix, &names)
            }
            Slot::Kind => candidates(prefix, &vocabulary.kinds),
            Slot::Gradient => candidates(prefix, &vocabulary.gradients),
            Slot::Id => {
                // `7` completes to `7…`, `#7` to `#7…`.
                let bare = prefix.strip_prefix('#');
                let ids: Vec<String> = match bare {
                    Some(_) => vocabulary.ids.clone(),
                    None => vocabulary
                        .ids
                        .iter()
                        .map(|i| i.trim_start_matches('#').to_string())
                        .collect(),
                };
                candidates(prefix, &ids)
            }
            Slot::Code if before.get(..start).is_some_and(|b| b.ends_with("world.")) => {
                let settings: Vec<String> = myco::vm::runtime::SETTING_NAMES
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                candidates(prefix, &settings)
            }
            Slot::Code if !prefix.is_empty() => {
                candidates(prefix, vocabulary.kinds.iter().chain(&vocabulary.gradients))
            }
            Slot::Code | Slot::File | Slot::Nothing => Vec::new(),
        };
        Ok((start, found))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    /// After a unique command prefix at the end of the line: the rest of
    /// its name and its arguments (`:ti` → `ck [N]`).
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos != line.len() || !line.starts_with(':') || line.contains(char::is_whitespace) {
            return None;
        }
        let mut matching = COMMANDS.iter().filter(|c| c.name.starts_with(line));
        let only = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        let rest = only.name.get(line.len()..).unwrap_or("");
        let hint = if only.args.is_empty() {
            rest.to_string()
        } else {
            format!("{rest} {}", only.args)
        };
        (!hint.is_empty()).then_some(hint)
    }
}

impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        default: bool,
    ) -> Cow<'b, str> {
        if self.color && default {
            Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Only the prompt and hints are coloured; the line itself is not.
        false
    }
}

impl Validator for ReplHelper {
    /// Every line is accepted: continuation of an unclosed `{` is done by the
    /// session with a `...` prompt (rustyline has no continuation prompt),
    /// and an input recalled from history, which may span lines, is whole.
    fn validate(&self, _ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    fn helper() -> ReplHelper {
        let vocabulary = Vocabulary {
            kinds: vec!["Worker".into(), "Producer".into()],
            gradients: vec!["TASK".into(), "DATA".into()],
            ids: vec!["#1".into(), "#2".into(), "#12".into()],
        };
        ReplHelper::new(Rc::new(RefCell::new(vocabulary)), false)
    }

    fn complete(line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, found) = helper()
            .complete(line, line.len(), &ctx)
            .unwrap_or((0, Vec::new()));
        (start, found.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_commands_kinds_ids_gradients_and_settings() {
        assert_eq!(complete(":ti"), (0, vec![":tick".to_string()]));
        assert_eq!(complete(":c"), (0, vec![":cells".into(), ":costs".into()]));
        assert_eq!(complete(":cells W"), (7, vec!["Worker".to_string()]));
        assert_eq!(
            complete(":inspect #1"),
            (9, vec!["#1".into(), "#12".into()])
        );
        assert_eq!(complete(":inspect 1"), (9, vec!["1".into(), "12".into()]));
        assert_eq!(complete(":sense #2 T"), (10, vec!["TASK".to_string()]));
        assert_eq!(complete("spawn Pro"), (6, vec!["Producer".to_string()]));
        assert_eq!(complete("world.inc"), (6, vec!["income".to_string()]));
        assert_eq!(complete(":tick 5 "), (8, Vec::<String>::new()));
    }

    #[test]
    fn hints_show_the_rest_of_a_unique_command() {
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let h = helper();
        assert_eq!(h.hint(":ins", 4, &ctx), Some("pect ID".to_string()));
        assert_eq!(h.hint(":qu", 3, &ctx), Some("it".to_string()));
        assert_eq!(h.hint(":c", 2, &ctx), None);
        assert_eq!(h.hint(":tick 3", 7, &ctx), None);
    }

    #[test]
    fn the_slot_follows_the_command() {
        assert_eq!(slot(":ti"), Slot::Command);
        assert_eq!(slot(":cells "), Slot::Kind);
        assert_eq!(slot(":cells Wor"), Slot::Kind);
        assert_eq!(slot(":sense #3 "), Slot::Gradient);
        assert_eq!(slot(":sense #"), Slot::Id);
        assert_eq!(slot(":load ex"), Slot::File);
        assert_eq!(slot("spawn Wo"), Slot::Code);
        assert_eq!(slot(":tick 5 "), Slot::Nothing);
    }
}
