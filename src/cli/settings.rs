//! `--set world.NAME=VALUE`: command-line overrides of `world.*` settings.
//!
//! Precedence (highest first): `--seed`, then `--set`, then the program's
//! own `world.*` lines, then the defaults. Overrides apply after the
//! ecosystem block's settings and before its spawns take effect, so
//! `--set world.initial_energy=...` reaches the block's cells too.
//! A value is checked against the setting's type: `int`, `float` (an
//! integer literal is accepted) or `vec` written `(x,y)`.

use myco::vm::runtime::{SettingType, WorldSettings};
use myco::{RunOptions, Value};

/// One parsed `--set`: the setting's name (without `world.`) and its value.
pub type Override = (String, Value);

/// Splits `world.NAME=TEXT` into the setting name and the value text.
fn split(arg: &str) -> Result<(&str, &str), String> {
    let (lhs, rhs) = arg
        .split_once('=')
        .ok_or_else(|| format!("--set `{arg}`: expected world.NAME=VALUE"))?;
    let name = lhs.trim();
    let name = name
        .strip_prefix("world.")
        .ok_or_else(|| format!("--set `{arg}`: the name must start with `world.`"))?;
    if WorldSettings::setting_type(name).is_none() {
        return Err(format!(
            "--set `{arg}`: there is no setting `world.{name}` (known: {})",
            myco::vm::runtime::SETTING_NAMES.join(", ")
        ));
    }
    Ok((name, rhs.trim()))
}

/// Parses the value `text` of setting `name` by the setting's type, and
/// checks its range as the runtime would.
pub fn parse_value(name: &str, text: &str) -> Result<Value, String> {
    let ty = WorldSettings::setting_type(name)
        .ok_or_else(|| format!("there is no setting `world.{name}`"))?;
    let value = match ty {
        SettingType::Int => text
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| format!("world.{name} is an int, not `{text}`"))?,
        SettingType::Float => parse_float(text)
            .map(Value::Float)
            .ok_or_else(|| format!("world.{name} is a float, not `{text}`"))?,
        SettingType::Vec => parse_vec(text)
            .map(|(x, y)| Value::Vec(myco::vm::value::Vec2::new(x, y)))
            .ok_or_else(|| format!("world.{name} is a vec written (x,y), not `{text}`"))?,
    };
    // The runtime's own checks (ranges, finiteness) on a scratch copy.
    WorldSettings::default().set(name, &value)?;
    Ok(value)
}

fn parse_float(text: &str) -> Option<f64> {
    let text = text.trim();
    // Rust also parses `inf`/`nan`; the runtime refuses those with a message.
    text.parse::<f64>().ok()
}

fn parse_vec(text: &str) -> Option<(f64, f64)> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?;
    let (x, y) = inner.split_once(',')?;
    Some((parse_float(x)?, parse_float(y)?))
}

/// Parses one `--set world.NAME=VALUE`.
pub fn parse_override(arg: &str) -> Result<Override, String> {
    let (name, text) = split(arg)?;
    let value = parse_value(name, text).map_err(|m| format!("--set `{arg}`: {m}"))?;
    Ok((name.to_string(), value))
}

/// Parses every `--set` of a command line.
pub fn parse_overrides(args: &[String]) -> Result<Vec<Override>, String> {
    args.iter().map(|a| parse_override(a)).collect()
}

/// Parses a sweep's `--set world.NAME=V1,V2,...` into the name and its
/// values, with the text each value was written as (commas inside a
/// `(x,y)` vec do not split).
pub fn parse_sweep_override(arg: &str) -> Result<(String, Vec<(String, Value)>), String> {
    let (name, text) = split(arg)?;
    let mut values = Vec::new();
    for piece in split_top_level(text) {
        let piece = piece.trim();
        let value = parse_value(name, piece).map_err(|m| format!("--set `{arg}`: {m}"))?;
        values.push((piece.to_string(), value));
    }
    if values.is_empty() {
        return Err(format!("--set `{arg}`: no values"));
    }
    Ok((name.to_string(), values))
}

/// Splits at commas that are not inside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// Run options with the overrides and the seed: `--seed` beats
/// `--set world.seed`, which beats the program's `world.seed`.
pub fn run_options(seed: Option<i64>, overrides: Vec<Override>, threads: usize) -> RunOptions {
    let set_seed = overrides
        .iter()
        .rev()
        .find_map(|(n, v)| match (n.as_str(), v) {
            ("seed", Value::Int(s)) => Some(*s),
            _ => None,
        });
    RunOptions {
        // The seed is carried by `seed_override` so the ecosystem block's
        // random draws use it too.
        settings: overrides.into_iter().filter(|(n, _)| n != "seed").collect(),
        seed_override: seed.or(set_seed),
        threads,
        ..RunOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_type() {
        assert_eq!(
            parse_override("world.grace=7"),
            Ok(("grace".into(), Value::Int(7)))
        );
        assert_eq!(
            parse_override("world.income=10"),
            Ok(("income".into(), Value::Float(10.0)))
        );
        assert!(matches!(
            parse_override("world.size=(100, 50.5)"),
            Ok((_, Value::Vec(v))) if v.x == 100.0 && v.y == 50.5
        ));
    }

    #[test]
    fn refuses_bad_names_and_values() {
        assert!(parse_override("world.nope=1").is_err());
        assert!(parse_override("income=1").is_err());
        assert!(parse_override("world.grace=1.5").is_err());
        assert!(parse_override("world.income=-1").is_err());
        assert!(parse_override("world.income=abc").is_err());
        assert!(parse_override("world.size=3").is_err());
    }

    #[test]
    fn sweep_values_split_outside_parentheses() {
        let (name, values) = parse_sweep_override("world.size=(1,2),(3,4)").unwrap();
        assert_eq!(name, "size");
        assert_eq!(values.len(), 2);
        let (_, values) = parse_sweep_override("world.income=10,20,40").unwrap();
        let texts: Vec<&str> = values.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["10", "20", "40"]);
    }

    #[test]
    fn seed_precedence() {
        let o = parse_overrides(&["world.seed=5".into(), "world.grace=2".into()]).unwrap();
        let opts = run_options(None, o.clone(), 1);
        assert_eq!(opts.seed_override, Some(5));
        assert_eq!(opts.settings.len(), 1);
        assert_eq!(run_options(Some(9), o, 1).seed_override, Some(9));
    }
}
