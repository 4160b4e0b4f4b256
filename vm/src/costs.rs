//! Every energy cost and every `world.*` default, in one documented table.
//!
//! The scale: `world.initial_energy` is 100.0 and a plain instruction costs
//! 0.01, so a typical metabolism (a few dozen instructions, one `sense`, one
//! `emit`) plus the basal cost comes to about 1.0 — 1% of a new cell's
//! energy — while a runaway loop exhausts any cell with the default energies
//! within one turn (at most `max_energy / INSTRUCTION` = 20,000 instructions).
//!
//! Constructs that return a `bool` (`emit`, `bind`, `unbind`, `send`, `move`)
//! first pay [`ATTEMPT`]; when the rest is not affordable they return false
//! and nothing more is charged. Every other charge that would go below zero
//! aborts the turn (LANGUAGE.md §5 step 3).
//!
//! `myco costs` prints [`table`].

/// One row of the cost table.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CostEntry {
    /// The cost's name as `myco costs` shows it.
    pub name: &'static str,
    /// Its value (energy units, or the setting's value for defaults).
    pub value: f64,
    /// What it means.
    pub meaning: &'static str,
}

// ---- interpreter (charged by the bytecode VM per executed instruction) ----

/// A plain bytecode instruction (arithmetic, load, store, jump, call...).
pub const INSTRUCTION: f64 = 0.01;
/// Per element (list item, record field) a list or record operation creates.
pub const ALLOC_PER_ELEMENT: f64 = 0.001;
/// Per byte a string operation creates.
pub const ALLOC_PER_BYTE: f64 = 0.0001;

// ---- metabolic constructs (charged by `CellContext`) ----

/// Paid up front by every `bool` construct (`emit bind unbind send move`),
/// even when it then returns false. Not charged for a send between bonded cells.
pub const ATTEMPT: f64 = 0.01;
/// `sense G`: base cost.
pub const SENSE_BASE: f64 = 0.2;
/// `sense G`: per reading returned.
pub const SENSE_PER_READING: f64 = 0.01;
/// `emit G s`: base cost (on top of the attempt).
pub const EMIT_BASE: f64 = 0.1;
/// `emit G s`: per unit of `|s|`.
pub const EMIT_PER_STRENGTH: f64 = 0.1;
/// `send`: base cost between unbonded cells (bonded: free).
pub const SEND_BASE: f64 = 0.05;
/// `send`: per unit of distance between unbonded cells.
pub const SEND_PER_DISTANCE: f64 = 0.002;
/// `bind e`.
pub const BIND: f64 = 0.5;
/// `unbind e`.
pub const UNBIND: f64 = 0.1;
/// `spawn`: paid by the parent on top of the child's starting energy.
pub const SPAWN: f64 = 2.0;
/// `move v`: base cost.
pub const MOVE_BASE: f64 = 0.05;
/// `move v`: per unit of distance moved.
pub const MOVE_PER_DISTANCE: f64 = 0.02;
/// `report e`.
pub const REPORT: f64 = 0.01;
/// `print(...)`: per line.
pub const PRINT: f64 = 0.01;
/// `print(...)`: per byte of the line.
pub const PRINT_PER_BYTE: f64 = 0.0001;
/// `differentiate T`.
pub const DIFFERENTIATE: f64 = 1.0;
/// `sleep n` / `sleep until`.
pub const SLEEP: f64 = 0.01;
/// A random draw (`rand rand_int rand_vec`) beyond the call instruction.
pub const RANDOM: f64 = 0.0;

// ---- economy (step 5) ----

/// Basal cost of a sleeping cell, as a fraction of `world.basal`.
pub const ASLEEP_BASAL_FACTOR: f64 = 0.1;
/// Upkeep per bond per tick, paid by each of its two cells.
pub const BOND_UPKEEP: f64 = 0.02;
/// The base share in the income formula `priority × (BASE + W/E)`.
pub const INCOME_BASE_SHARE: f64 = 1.0;
/// W/E above this counts as this much in the income share (so one cell
/// reporting huge values cannot take all the income).
pub const INCOME_RATIO_CAP: f64 = 10.0;
/// Energy spent below this counts as this much in W/E (no division by 0).
pub const MIN_SPENT: f64 = 1e-9;

// ---- world.* defaults (LANGUAGE.md §6) ----

/// `world.seed`.
pub const DEFAULT_SEED: i64 = 0;
/// `world.income`: energy shared among living cells each tick.
pub const DEFAULT_INCOME: f64 = 10.0;
/// `world.initial_energy`: energy of cells the ecosystem block spawns.
pub const DEFAULT_INITIAL_ENERGY: f64 = 100.0;
/// `world.spawn_energy`: default starting energy of a child spawned by a cell.
pub const DEFAULT_SPAWN_ENERGY: f64 = 50.0;
/// `world.max_energy`: income never lifts a cell above this.
pub const DEFAULT_MAX_ENERGY: f64 = 200.0;
/// `world.basal`: basal cost per tick of an awake cell.
pub const DEFAULT_BASAL: f64 = 0.2;
/// `world.starve_ticks`: starving ticks in a row that kill.
pub const DEFAULT_STARVE_TICKS: i64 = 5;
/// `world.grace`: ticks of age before the immune system judges a cell.
pub const DEFAULT_GRACE: i64 = 50;
/// `world.immune_window`: ticks over which W/E and traffic are counted.
pub const DEFAULT_IMMUNE_WINDOW: i64 = 20;
/// `world.immune_threshold`: W/E under this flags a parasite.
pub const DEFAULT_IMMUNE_THRESHOLD: f64 = 0.01;
/// `world.immune_strikes`: flags in a row that trigger apoptosis.
pub const DEFAULT_IMMUNE_STRIKES: i64 = 3;
/// `world.autobind`: delivered signals (both directions) over the window
/// that bond a pair automatically.
pub const DEFAULT_AUTOBIND: i64 = 8;
/// `world.max_bonds`: bonds per cell.
pub const DEFAULT_MAX_BONDS: i64 = 8;
/// `world.max_cells`: living cells; spawns beyond are refused (an event).
pub const DEFAULT_MAX_CELLS: i64 = 1_000_000;

// ---- per-turn limits (hostile programs; see docs/limits.md) ----

/// Signals one cell may queue in one turn (or one `on apoptosis`); a `send`
/// beyond returns false (a limit reached, LANGUAGE.md §5b), paying the attempt.
pub const MAX_SENDS_PER_TURN: u32 = 1000;
/// Children one cell may queue in one turn; a `spawn` beyond is a runtime error.
pub const MAX_SPAWNS_PER_TURN: u32 = 100;

// ---- gradient declaration defaults (LANGUAGE.md §1) ----

/// `range` of a gradient declared without one.
pub const DEFAULT_GRADIENT_RANGE: f64 = 100.0;
/// `falloff` of a gradient declared without one.
pub const DEFAULT_GRADIENT_FALLOFF: f64 = 0.05;
/// `persist` of a gradient declared without one.
pub const DEFAULT_GRADIENT_PERSIST: u32 = 1;

/// The whole table, in a stable order, for `myco costs` and the docs.
pub fn table() -> Vec<CostEntry> {
    macro_rules! rows {
        ($($name:literal => $value:expr, $meaning:literal;)*) => {
            vec![$(CostEntry { name: $name, value: $value as f64, meaning: $meaning }),*]
        };
    }
    rows! {
        "instruction" => INSTRUCTION, "a plain bytecode instruction";
        "alloc_per_element" => ALLOC_PER_ELEMENT, "per list item / record field created";
        "alloc_per_byte" => ALLOC_PER_BYTE, "per string byte created";
        "attempt" => ATTEMPT, "paid by emit/bind/unbind/send/move even when they return false";
        "sense" => SENSE_BASE, "sense G: base";
        "sense_per_reading" => SENSE_PER_READING, "sense G: per reading returned";
        "emit" => EMIT_BASE, "emit G s: base (plus attempt)";
        "emit_per_strength" => EMIT_PER_STRENGTH, "emit G s: per unit of |s|";
        "send" => SEND_BASE, "send to an unbonded cell: base (plus attempt); bonded: free";
        "send_per_distance" => SEND_PER_DISTANCE, "send to an unbonded cell: per unit of distance";
        "bind" => BIND, "bind e (plus attempt)";
        "unbind" => UNBIND, "unbind e (plus attempt)";
        "spawn" => SPAWN, "spawn inside a cell, plus the child's starting energy";
        "move" => MOVE_BASE, "move v: base (plus attempt)";
        "move_per_distance" => MOVE_PER_DISTANCE, "move v: per unit of |v|";
        "report" => REPORT, "report e";
        "print" => PRINT, "print(...): per line";
        "print_per_byte" => PRINT_PER_BYTE, "print(...): per byte";
        "differentiate" => DIFFERENTIATE, "differentiate T";
        "sleep" => SLEEP, "sleep n / sleep until";
        "random" => RANDOM, "a random draw, beyond its call instruction";
        "asleep_basal_factor" => ASLEEP_BASAL_FACTOR, "basal of a sleeping cell = world.basal x this";
        "bond_upkeep" => BOND_UPKEEP, "per bond per tick, paid by each end";
        "income_base_share" => INCOME_BASE_SHARE, "income weight = priority x (this + min(W/E, cap))";
        "income_ratio_cap" => INCOME_RATIO_CAP, "cap of W/E in the income weight";
        "world.seed" => DEFAULT_SEED, "default seed";
        "world.income" => DEFAULT_INCOME, "default income per tick, shared";
        "world.initial_energy" => DEFAULT_INITIAL_ENERGY, "default energy of ecosystem-spawned cells";
        "world.spawn_energy" => DEFAULT_SPAWN_ENERGY, "default energy of a cell's child";
        "world.max_energy" => DEFAULT_MAX_ENERGY, "income never lifts energy above this";
        "world.basal" => DEFAULT_BASAL, "default basal cost per tick (awake)";
        "world.starve_ticks" => DEFAULT_STARVE_TICKS, "starving ticks in a row that kill";
        "world.grace" => DEFAULT_GRACE, "ticks of age before immune judgement";
        "world.immune_window" => DEFAULT_IMMUNE_WINDOW, "ticks in the W/E and traffic window";
        "world.immune_threshold" => DEFAULT_IMMUNE_THRESHOLD, "W/E under this flags a parasite";
        "world.immune_strikes" => DEFAULT_IMMUNE_STRIKES, "flags in a row that kill";
        "world.autobind" => DEFAULT_AUTOBIND, "delivered signals per window that bond a pair";
        "world.max_bonds" => DEFAULT_MAX_BONDS, "bonds per cell";
        "world.max_cells" => DEFAULT_MAX_CELLS, "living cells at most";
        "gradient.range" => DEFAULT_GRADIENT_RANGE, "default gradient range";
        "gradient.falloff" => DEFAULT_GRADIENT_FALLOFF, "default gradient falloff";
        "gradient.persist" => DEFAULT_GRADIENT_PERSIST, "default gradient persistence (ticks)";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let table = table();
        let mut names: Vec<_> = table.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), table.len());
    }

    #[test]
    fn typical_metabolism_costs_about_one_percent() {
        // 30 instructions, one sense with 3 readings, one emit at 1.0, basal.
        let turn = 30.0 * INSTRUCTION
            + SENSE_BASE
            + 3.0 * SENSE_PER_READING
            + ATTEMPT
            + EMIT_BASE
            + EMIT_PER_STRENGTH
            + DEFAULT_BASAL;
        let fraction = turn / DEFAULT_INITIAL_ENERGY;
        assert!((0.005..=0.015).contains(&fraction), "{fraction}");
    }
}
