//! How `:cells`, `:inspect` and `:sense` show the world (text only; the
//! session decides where it goes).

use std::fmt::Write;

use myco::vm::runtime::SleepState;
use myco::vm::value::{Names, Value, Vec2, format_float};
use myco::{CellId, World};

/// A value as `print` shows it (strings quoted when `quoted`); one whose
/// text would pass the display limit (only possible through shared
/// structure) as a short note instead, so `:inspect` cannot hang.
pub fn show_value(value: &Value, names: &dyn Names, quoted: bool) -> String {
    if !myco::vm::interp::natives::fits_display(value) {
        return "<too large to show>".to_string();
    }
    let mut s = String::new();
    value.display(names, quoted, &mut s);
    s
}

fn show_vec(v: Vec2) -> String {
    format!("({}, {})", format_float(v.x), format_float(v.y))
}

fn show_bonds(bonds: &[CellId]) -> String {
    let ids: Vec<String> = bonds.iter().map(ToString::to_string).collect();
    format!("[{}]", ids.join(", "))
}

/// The `:cells` table: one row per living cell (of `kind`, if given), in id
/// order, under a header; energy and W/E with two decimals.
pub fn cells_table(world: &World, kind: Option<&str>) -> String {
    let header = ["id", "kind", "pos", "energy", "W/E", "bonds", "asleep"];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for cell in world.cells() {
        if kind.is_some_and(|k| k != cell.kind()) {
            continue;
        }
        let pos = cell.pos();
        rows.push([
            cell.id().to_string(),
            cell.kind().to_string(),
            format!("({:.2}, {:.2})", pos.x, pos.y),
            format!("{:.2}", cell.energy()),
            format!("{:.2}", cell.work_ratio()),
            show_bonds(cell.bonds()),
            if cell.asleep() { "yes" } else { "no" }.to_string(),
        ]);
    }
    if rows.is_empty() {
        return match kind {
            Some(k) => format!("(no living {k} cells)\n"),
            None => "(no living cells)\n".to_string(),
        };
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            // Numbers right-aligned, text left-aligned.
            if matches!(i, 0 | 3 | 4) {
                let _ = write!(text, "{cell:>w$}");
            } else {
                let _ = write!(text, "{cell:<w$}");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&mut out, &cells);
    }
    out
}

/// The `:inspect` view of cell `id`, or `None` if it is not alive.
pub fn inspect(world: &World, id: CellId) -> Option<String> {
    let cell = world.cell(id)?;
    let names = world.names();
    let decls = world.declarations();
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", cell.id(), cell.kind());
    let mut row = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<10} {value}");
    };
    row("position", show_vec(cell.pos()));
    row("energy", format_float(cell.energy()));
    row("priority", format_float(cell.priority()));
    row("age", cell.age().to_string());
    row(
        "parent",
        cell.parent().map_or("none".to_string(), |p| p.to_string()),
    );
    row(
        "membrane",
        cell.membrane().map_or("none".to_string(), |m| {
            decls
                .membranes
                .get(m.0 as usize)
                .cloned()
                .unwrap_or_else(|| format!("membrane {}", m.0))
        }),
    );
    row("bonds", show_bonds(cell.bonds()));
    row("W/E", format_float(cell.work_ratio()));
    let sleep = match cell.sleep_state() {
        SleepState::Awake => "awake".to_string(),
        SleepState::Ticks { wake_at } => format!("asleep, next turn at tick {wake_at}"),
        SleepState::Until {
            gradient,
            threshold,
        } => format!(
            "asleep until {} > {}",
            names.gradient_name(gradient),
            format_float(threshold)
        ),
    };
    row("sleep", sleep);
    row("inbox", format!("{} signal(s)", cell.mail_len()));
    row("starving", format!("{} tick(s) in a row", cell.starving()));
    row(
        "strikes",
        format!("{} immune flag(s) in a row", cell.strikes()),
    );
    let fault = match cell.last_fault() {
        None => "none".to_string(),
        Some(f) => match &f.location {
            Some(loc) => format!("tick {}: {} at {loc}", f.tick, f.message),
            None => format!("tick {}: {}", f.tick, f.message),
        },
    };
    row("last fault", fault);
    let fields = cell.fields();
    if fields.is_empty() {
        out.push_str("  fields     (none)\n");
    } else {
        out.push_str("  fields\n");
        for (name, value) in &fields {
            let _ = writeln!(out, "    {name} = {}", show_value(value, names, true));
        }
    }
    Some(out)
}

/// The `:sense` view: one reading a line as `print` shows it, strongest
/// first; `None` for an unknown cell or gradient.
pub fn sense(world: &World, id: CellId, gradient: &str) -> Result<String, String> {
    let g = world
        .gradient_id(gradient)
        .ok_or_else(|| format!("no gradient named `{gradient}`"))?;
    let readings = world
        .sense(id, g)
        .ok_or_else(|| format!("no living cell {id}"))?;
    if readings.is_empty() {
        return Ok(format!("{id} senses no {gradient}\n"));
    }
    let names = world.names();
    let mut out = String::new();
    for r in readings {
        out.push_str(&show_value(
            &Value::Reading(std::sync::Arc::new(r)),
            names,
            false,
        ));
        out.push('\n');
    }
    Ok(out)
}
