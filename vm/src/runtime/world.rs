//! `World`: the whole ecosystem — settings, declarations, cells, gradient
//! fields, signal traffic — as persistent data. Cloning it is the O(1)
//! snapshot; a restored snapshot continues exactly as the original would.

use std::sync::Arc;

use super::cell::{Cell, SpawnOptions};
use super::context::View;
use super::events::{Counters, Event, EventKind, SpawnRefusal};
use super::field::{GradientField, SenseScratch};
use super::record::{CellRecord, FaultInfo, SleepState};
use super::settings::{Declarations, SignalSpec, WorldSettings};
use crate::value::{CellId, GradientId, MembraneId, Names, Reading, SignalKindId, Value, Vec2};

/// The most nodes one field value may have in a dump (the value size
/// limit's default): beyond, [`Value::to_json_capped`] writes a marker.
pub const MAX_DUMP_NODES: usize = crate::bytecode::op::MAX_VALUE_LEN;

/// Delivered-signal counts of one tick, per unordered pair, sorted.
pub(crate) type TrafficTick = Vec<((CellId, CellId), u32)>;

/// What one tick produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickReport {
    /// The tick just completed.
    pub tick: u64,
    /// `print` lines, in output order (LANGUAGE.md §5 step 4).
    pub prints: Vec<String>,
    /// Events, in order (host spawns made since the previous tick first).
    pub events: Vec<Event>,
    /// Value the turns of this tick reported (`report`), summed in cell-id
    /// order; what `on apoptosis` handlers report is not included.
    pub reported: f64,
}

/// The ecosystem.
#[derive(Clone)]
pub struct World {
    pub(crate) decls: Arc<Declarations>,
    pub(crate) settings: WorldSettings,
    pub(crate) threads: usize,
    pub(crate) pool: Option<Arc<rayon::ThreadPool>>,
    /// The last completed tick (0 before the first).
    pub(crate) tick: u64,
    pub(crate) next_id: u64,
    /// Living cells in id order.
    pub(crate) cells: imbl::Vector<CellRecord>,
    /// One field per gradient kind: what turns of tick `tick + 1` sense.
    pub(crate) fields: Arc<Vec<GradientField>>,
    /// Delivered-signal counts per unordered pair, one entry per tick of the
    /// window (oldest first), each sorted by pair.
    pub(crate) traffic: imbl::Vector<Arc<TrafficTick>>,
    pub(crate) counters: Counters,
    /// Events of host spawns since the last tick.
    pub(crate) pending_events: Vec<Event>,
    /// The host's cap on `world.max_cells` (a program can only lower it).
    pub(crate) host_max_cells: Option<i64>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("tick", &self.tick)
            .field("cells", &self.cells.len())
            .finish_non_exhaustive()
    }
}

/// Read access to one living cell (for `:cells`, `:inspect`, dumps).
#[derive(Clone, Copy)]
pub struct CellInfo<'a> {
    rec: &'a CellRecord,
    tick: u64,
}

impl<'a> CellInfo<'a> {
    /// Its id.
    pub fn id(&self) -> CellId {
        self.rec.id
    }
    /// Its type name.
    pub fn kind(&self) -> &'a str {
        self.rec.state.kind_name()
    }
    /// Its position.
    pub fn pos(&self) -> Vec2 {
        self.rec.pos
    }
    /// Its energy.
    pub fn energy(&self) -> f64 {
        self.rec.energy
    }
    /// Its priority.
    pub fn priority(&self) -> f64 {
        self.rec.priority
    }
    /// Its parent (none for host spawns).
    pub fn parent(&self) -> Option<CellId> {
        self.rec.parent
    }
    /// Its membrane.
    pub fn membrane(&self) -> Option<MembraneId> {
        self.rec.membrane
    }
    /// Its age at the last completed tick (0 before its first turn).
    pub fn age(&self) -> u64 {
        self.rec.age(self.tick)
    }
    /// Its fields, in declaration order.
    pub fn fields(&self) -> Vec<(String, Value)> {
        self.rec.state.fields()
    }
    /// Its bonds, in id order.
    pub fn bonds(&self) -> &'a [CellId] {
        &self.rec.bonds
    }
    /// Whether it is asleep.
    pub fn asleep(&self) -> bool {
        self.rec.asleep()
    }
    /// Its sleep state.
    pub fn sleep_state(&self) -> SleepState {
        self.rec.sleep
    }
    /// W/E over the window, as of the last economy step.
    pub fn work_ratio(&self) -> f64 {
        self.rec.ratio
    }
    /// Starving ticks in a row.
    pub fn starving(&self) -> i64 {
        self.rec.starving
    }
    /// Immune flags in a row.
    pub fn strikes(&self) -> i64 {
        self.rec.strikes
    }
    /// Signals waiting for its next turn.
    pub fn mail_len(&self) -> usize {
        self.rec.mail.len()
    }
    /// Its last fault in `on apoptosis` (a turn's fault kills it), if any.
    pub fn last_fault(&self) -> Option<&'a FaultInfo> {
        self.rec.last_fault.as_deref()
    }
    /// Its state (for hosts that know the concrete type).
    pub fn state(&self) -> &'a dyn Cell {
        &*self.rec.state
    }
}

impl World {
    /// A world with these settings and declarations, no cells, at tick 0.
    /// Errors for a gradient with a negative or NaN range, a non-finite or
    /// negative falloff, or a persistence of 0.
    pub fn new(settings: WorldSettings, decls: Declarations) -> Result<World, String> {
        for g in &decls.gradients {
            if g.range.is_nan() || g.range < 0.0 {
                return Err(format!(
                    "gradient {}: range must be >= 0.0, not {:?}",
                    g.name, g.range
                ));
            }
            if !(g.falloff.is_finite() && g.falloff >= 0.0) {
                return Err(format!(
                    "gradient {}: falloff must be finite and >= 0.0, not {:?}",
                    g.name, g.falloff
                ));
            }
            if g.persist == 0 {
                return Err(format!("gradient {}: persist must be at least 1", g.name));
            }
        }
        let fields = Arc::new(vec![GradientField::default(); decls.gradients.len()]);
        Ok(World {
            decls: Arc::new(decls),
            settings,
            threads: 1,
            pool: None,
            tick: 0,
            next_id: 1,
            cells: imbl::Vector::new(),
            fields,
            traffic: imbl::Vector::new(),
            counters: Counters::default(),
            pending_events: Vec::new(),
            host_max_cells: None,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &WorldSettings {
        &self.settings
    }

    /// The settings, to change (the ecosystem block, the REPL, `--seed`).
    pub fn settings_mut(&mut self) -> &mut WorldSettings {
        &mut self.settings
    }

    /// `world.name = value` (see [`WorldSettings::set`]).
    pub fn set_setting(&mut self, name: &str, value: &Value) -> Result<(), String> {
        self.settings.set(name, value)?;
        if let Some(cap) = self.host_max_cells {
            self.settings.max_cells = self.settings.max_cells.min(cap);
        }
        Ok(())
    }

    /// The host's cap on living cells: `world.max_cells` is lowered to it
    /// now, and a program's `world.max_cells` can lower it but never raise it.
    pub fn set_host_max_cells(&mut self, cap: i64) {
        self.host_max_cells = Some(cap);
        self.settings.max_cells = self.settings.max_cells.min(cap);
    }

    /// The declarations (gradients, membranes, signals).
    pub fn declarations(&self) -> &Declarations {
        &self.decls
    }

    /// Replaces the signal declarations (names for display).
    pub fn set_signals(&mut self, signals: Vec<SignalSpec>) {
        Arc::make_mut(&mut self.decls).signals = signals;
    }

    /// Names for `Value::display` / `Value::to_json`.
    pub fn names(&self) -> &dyn Names {
        &*self.decls
    }

    /// The id of gradient `name`.
    pub fn gradient_id(&self, name: &str) -> Option<GradientId> {
        self.decls
            .gradients
            .iter()
            .position(|g| g.name == name)
            .map(|i| GradientId(i as u32))
    }

    /// The id of membrane `name`.
    pub fn membrane_id(&self, name: &str) -> Option<MembraneId> {
        self.decls
            .membranes
            .iter()
            .position(|m| m == name)
            .map(|i| MembraneId(i as u32))
    }

    /// The id of signal kind `name`.
    pub fn signal_id(&self, name: &str) -> Option<SignalKindId> {
        self.decls
            .signals
            .iter()
            .position(|s| s.name == name)
            .map(|i| SignalKindId(i as u32))
    }

    /// Runs turns and the parallel parts of the apply phase on `threads`
    /// threads of a dedicated pool (1: one worker, everything sequential).
    /// Results are identical for every count.
    pub fn set_threads(&mut self, threads: usize) {
        let threads = threads.max(1);
        if threads != self.threads {
            self.threads = threads;
            self.pool = None;
        }
    }

    /// The pool ticks run on, built on first use; `None` if no thread could
    /// be started.
    pub(crate) fn pool_for_tick(&mut self) -> Option<Arc<rayon::ThreadPool>> {
        if self.pool.is_none() {
            self.pool = rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .build()
                .ok()
                .map(Arc::new);
        }
        self.pool.clone()
    }

    /// The thread count.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The last completed tick (0 before the first).
    pub fn tick_count(&self) -> u64 {
        self.tick
    }

    /// Running totals.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Living cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether no cell lives.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Spawns a cell from the host (the `ecosystem` block, the REPL): the
    /// next id, at `options.pos` (default the origin; clamped when
    /// `world.size` is set), with `options.energy` (default
    /// `world.initial_energy`), `options.priority` (default 1.0), in
    /// `membrane`. Its first turn is the next tick. `None` (and a
    /// `spawn_refused` event, no id used) at `world.max_cells`, or for a
    /// non-finite position/energy/priority or an unknown membrane.
    pub fn spawn(
        &mut self,
        cell: Box<dyn Cell>,
        options: SpawnOptions,
        membrane: Option<MembraneId>,
    ) -> Option<CellId> {
        let pos = options.pos.unwrap_or_default();
        let energy = options.energy.unwrap_or(self.settings.initial_energy);
        let priority = options.priority.unwrap_or(1.0);
        let valid = pos.x.is_finite()
            && pos.y.is_finite()
            && energy.is_finite()
            && energy >= 0.0
            && priority.is_finite()
            && priority >= 0.0
            && membrane.is_none_or(|m| (m.0 as usize) < self.decls.membranes.len());
        if !valid {
            return None;
        }
        if self.cells.len() as i64 >= self.settings.max_cells {
            self.counters.spawns_refused += 1;
            self.pending_events.push(Event {
                tick: self.tick,
                kind: EventKind::SpawnRefused {
                    parent: None,
                    kind: cell.kind_name().to_string(),
                    reason: SpawnRefusal::MaxCells,
                },
            });
            return None;
        }
        let id = CellId(self.next_id);
        self.next_id += 1;
        self.counters.born += 1;
        self.pending_events.push(Event {
            tick: self.tick,
            kind: EventKind::Spawned {
                cell: id,
                kind: cell.kind_name().to_string(),
                parent: None,
            },
        });
        let pos = self.settings.clamp(pos);
        self.cells.push_back(CellRecord::new(
            id, cell, pos, energy, priority, None, membrane, self.tick,
        ));
        Some(id)
    }

    /// Takes the events of host spawns made since the last tick (otherwise
    /// they open the next tick's report).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.pending_events)
    }

    /// Runs one tick (LANGUAGE.md §5).
    pub fn tick(&mut self) -> TickReport {
        // Never stopped, so always a report (the fallback is unreachable).
        super::tick::run(self, &|| false).unwrap_or_else(|| TickReport {
            tick: self.tick,
            ..TickReport::default()
        })
    }

    /// Runs one tick unless `stop()` is true once every turn has run (the
    /// host's interrupt, looked at by the turns, was raised): then the tick
    /// is abandoned before any of it is applied, the world is exactly as it
    /// was, and `None` comes back. A host that must discard interrupted
    /// ticks needs no snapshot (holding one would make every tick copy
    /// every record on write).
    pub fn tick_unless(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> Option<TickReport> {
        super::tick::run(self, stop)
    }

    fn index_of(&self, id: CellId) -> Option<usize> {
        // Ids increase along the vector: binary search by position.
        let (mut lo, mut hi) = (0usize, self.cells.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.cells.get(mid).map(|r| r.id.cmp(&id)) {
                Some(std::cmp::Ordering::Less) => lo = mid + 1,
                Some(std::cmp::Ordering::Greater) => hi = mid,
                Some(std::cmp::Ordering::Equal) => return Some(mid),
                None => return None,
            }
        }
        None
    }

    /// The living cell `id`.
    pub fn cell(&self, id: CellId) -> Option<CellInfo<'_>> {
        let i = self.index_of(id)?;
        self.cells.get(i).map(|rec| CellInfo {
            rec,
            tick: self.tick,
        })
    }

    /// Living cells in id order.
    pub fn cells(&self) -> impl Iterator<Item = CellInfo<'_>> + '_ {
        let tick = self.tick;
        self.cells.iter().map(move |rec| CellInfo { rec, tick })
    }

    /// What cell `id` would sense of `gradient` at the next tick (strongest
    /// first); `None` for an unknown cell or gradient. Charges nothing.
    pub fn sense(&self, id: CellId, gradient: GradientId) -> Option<Vec<Reading>> {
        let me = self.cells.get(self.index_of(id)?)?;
        self.decls.gradients.get(gradient.0 as usize)?;
        let view = View {
            settings: &self.settings,
            decls: &self.decls,
            fields: &self.fields,
            cells: &[],
            tick: self.tick + 1,
        };
        let mut out = Vec::new();
        view.sense_into(me, gradient, &mut SenseScratch::default(), &mut out);
        Some(out)
    }

    /// The live emissions of `gradient` that the next tick's turns sense,
    /// as (position, strength) in emitter order (empty for an unknown
    /// gradient). For visualizations: membranes and bonds are not applied.
    pub fn emissions(&self, gradient: GradientId) -> Vec<(Vec2, f64)> {
        self.fields
            .get(gradient.0 as usize)
            .map(|f| f.emissions().iter().map(|e| (e.pos, e.strength)).collect())
            .unwrap_or_default()
    }

    /// An O(1) snapshot of the whole ecosystem.
    pub fn snapshot(&self) -> World {
        self.clone()
    }

    /// Goes back to `snapshot` (keeping this world's thread count).
    pub fn restore(&mut self, snapshot: World) {
        let (threads, pool) = (self.threads, self.pool.take());
        *self = snapshot;
        self.threads = threads;
        self.pool = pool;
    }

    /// A stable 64-bit hash of the full state (cells, fields, mail, traffic,
    /// settings, counters), for determinism tests.
    pub fn state_hash(&self) -> u64 {
        super::hash::state_hash(self)
    }

    /// The `--dump-json` form (LANGUAGE.md §7): `{"tick", "cells": [{"id",
    /// "kind", "pos", "energy", "fields", "bonds", "asleep"}...]}` in id order.
    /// A field value of more than [`MAX_DUMP_NODES`] nodes (only possible
    /// through shared structure) is written as `{"too_large": ...}`.
    pub fn dump_json(&self) -> serde_json::Value {
        let names: &dyn Names = &*self.decls;
        let cells: Vec<serde_json::Value> = self
            .cells()
            .map(|c| {
                let mut fields = serde_json::Map::new();
                for (name, value) in c.fields() {
                    fields.insert(name, value.to_json_capped(names, MAX_DUMP_NODES));
                }
                serde_json::json!({
                    "id": c.id().0,
                    "kind": c.kind(),
                    "pos": Value::Vec(c.pos()).to_json(names),
                    "energy": Value::Float(c.energy()).to_json(names),
                    "fields": fields,
                    "bonds": c.bonds().iter().map(|b| b.0).collect::<Vec<_>>(),
                    "asleep": c.asleep(),
                })
            })
            .collect();
        serde_json::json!({ "tick": self.tick, "cells": cells })
    }
}
