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
    out.push_str("\n# Limits (a hit is a runtime error of the cell, or a refused effect)\n\n");
    let limits = limits();
    let width = limits.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    for (name, value, meaning) in limits {
        out.push_str(&format!("{name:<width$}  {value:>12}  {meaning}\n"));
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

/// Every fixed limit and host-limit default: (name, value, meaning).
fn limits() -> Vec<(&'static str, String, &'static str)> {
    use myco::vm::bytecode::op::{MAX_CALL_DEPTH, MAX_VALUE_LEN};
    use myco::vm::interp::{DEFAULT_MAX_INSTRUCTIONS_PER_TURN, limits};
    vec![
        (
            "call_depth",
            MAX_CALL_DEPTH.to_string(),
            "nested calls in one turn",
        ),
        (
            "value_size",
            MAX_VALUE_LEN.to_string(),
            "bytes of one string / elements of one list (--max-value-size lowers or raises it)",
        ),
        (
            "walk_nodes",
            limits::MAX_WALK.to_string(),
            "nodes one ==, != or contains may visit",
        ),
        (
            "shown_bytes",
            MAX_VALUE_LEN.to_string(),
            "bytes of the text of one print line or str(...)",
        ),
        (
            "sends_per_turn",
            myco::vm::costs::MAX_SENDS_PER_TURN.to_string(),
            "signals one cell queues in one turn (more: send returns false)",
        ),
        (
            "spawns_per_turn",
            myco::vm::costs::MAX_SPAWNS_PER_TURN.to_string(),
            "children one cell queues in one turn",
        ),
        (
            "instructions_per_turn",
            DEFAULT_MAX_INSTRUCTIONS_PER_TURN.to_string(),
            "host cap, basic instructions per turn (--max-instructions)",
        ),
        (
            "interrupt_check",
            limits::INTERRUPT_CHECK_EVERY.to_string(),
            "instructions between two looks at Ctrl-C / --time-limit",
        ),
        (
            "immune_window",
            myco::vm::runtime::MAX_WINDOW.to_string(),
            "longest world.immune_window honoured",
        ),
        (
            "source_file_bytes",
            myco::compiler::check::MAX_SOURCE_BYTES.to_string(),
            "bytes of one program or imported file",
        ),
        (
            "program_bytes",
            myco::compiler::check::MAX_PROGRAM_BYTES.to_string(),
            "bytes of source of a program with its imports",
        ),
    ]
}

fn fmt_num(x: f64) -> String {
    format!("{x:?}")
}
