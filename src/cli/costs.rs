//! `myco costs`: the energy cost table and the `world.*` defaults.

use std::process::ExitCode;

use myco::vm::runtime::{SettingType, WorldSettings};

/// Prints the tables.
pub fn run() -> ExitCode {
    print!("{}", render());
    ExitCode::SUCCESS
}

/// The tables as text: runtime costs and defaults, then per-opcode costs.
pub(crate) fn render() -> String {
    let mut out = String::from("# Runtime costs, limits and world defaults\n\n");
    let table = myco::vm::costs::table();
    let width = table.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for e in &table {
        let value = match e
            .name
            .strip_prefix("world.")
            .and_then(WorldSettings::setting_type)
        {
            // Integer settings read as integers (`world.grace 50`, not `50.0`).
            Some(SettingType::Int) => format!("{}", e.value as i64),
            _ => fmt_num(e.value),
        };
        out.push_str(&format!("{:<width$}  {value:>12}  {}\n", e.name, e.meaning));
    }
    out.push_str("\n# Bytecode instructions (energy per executed instruction)\n\n");
    let ops = myco::vm::bytecode::opcode_table();
    let width = ops.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    for (name, cost, meaning) in ops {
        out.push_str(&format!(
            "{name:<width$}  {:>12}  {meaning}\n",
            fmt_num(cost)
        ));
    }
    out
}

fn fmt_num(x: f64) -> String {
    format!("{x:?}")
}
