//! `CellContext`: what a handler sees of the world and how it acts on it.
//!
//! Reads see the world as it stood at the end of the previous tick; every
//! action is charged at once from the cell's energy and queued as an effect,
//! applied after all turns (LANGUAGE.md §5).

use super::cell::{Cell, MetabolismResult, OutOfEnergy, SpawnOptions};
use super::field::{GradientField, SenseScratch, Sensor};
use super::record::CellRecord;
use super::rng::{CellRng, Phase};
use super::settings::{Declarations, WorldSettings};
use crate::costs;
use crate::value::{CellId, GradientId, MembraneId, Names, Reading, Record, Vec2};

/// The world as turns see it: read-only, shared by all turns of a tick.
pub(crate) struct View<'a> {
    pub settings: &'a WorldSettings,
    pub decls: &'a Declarations,
    pub fields: &'a [GradientField],
    /// Living cells in id order.
    pub cells: &'a [&'a CellRecord],
    pub tick: u64,
}

impl<'a> View<'a> {
    /// The living cell `id`, as of the end of the previous tick.
    pub fn find(&self, id: CellId) -> Option<&'a CellRecord> {
        self.cells
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .and_then(|i| self.cells.get(i).copied())
    }

    /// What `me` senses of `gradient` (strongest first), into `out`.
    pub fn sense_into(
        &self,
        me: &CellRecord,
        gradient: GradientId,
        scratch: &mut SenseScratch,
        out: &mut Vec<Reading>,
    ) -> bool {
        let (Some(field), Some(spec)) = (
            self.fields.get(gradient.0 as usize),
            self.decls.gradients.get(gradient.0 as usize),
        ) else {
            out.clear();
            return false;
        };
        field.sense_into(spec, &sensor(me), scratch, out);
        true
    }

    /// The strongest reading `me` senses of `gradient`, and how many
    /// readings there are; `None` for an unknown gradient.
    pub fn strongest(
        &self,
        me: &CellRecord,
        gradient: GradientId,
        scratch: &mut SenseScratch,
    ) -> Option<(Option<Reading>, usize)> {
        let field = self.fields.get(gradient.0 as usize)?;
        let spec = self.decls.gradients.get(gradient.0 as usize)?;
        Some(field.strongest(spec, &sensor(me), scratch))
    }
}

fn sensor(me: &CellRecord) -> Sensor<'_> {
    Sensor {
        id: me.id,
        pos: me.pos,
        membrane: me.membrane,
        bonds: &me.bonds,
    }
}

/// A queued effect on the world.
pub(crate) enum Effect {
    Emit {
        gradient: GradientId,
        strength: f64,
        pos: Vec2,
        membrane: Option<MembraneId>,
    },
    Bind(CellId),
    Unbind(CellId),
    /// `blocked`: different membranes and no bond — dropped at apply time.
    Send {
        to: CellId,
        signal: Record,
        blocked: bool,
    },
    Spawn {
        cell: Box<dyn Cell>,
        pos: Vec2,
        energy: f64,
        priority: f64,
    },
    /// Already applied (its payload moved out).
    Done,
}

/// Buffers a batch of turns appends to (reused: no per-turn allocation).
#[derive(Default)]
pub(crate) struct Buffers {
    pub effects: Vec<Effect>,
    pub prints: Vec<String>,
    pub scratch: SenseScratch,
    /// Readings lent to `sense_gradient_with`.
    pub readings: Vec<Reading>,
}

/// What a handler sees of the world and how it acts on it.
pub struct CellContext<'a> {
    view: &'a View<'a>,
    me: &'a CellRecord,
    buffers: &'a mut Buffers,
    energy: f64,
    /// Charged this turn (transfers to children excluded): the E of W/E.
    spent: f64,
    reported: f64,
    instructions: u64,
    rng: CellRng,
    exhausted: bool,
    fault: Option<(String, Option<String>)>,
    /// The sum of this turn's moves (a move touches only the mover, so it
    /// is kept here rather than queued).
    moved: Option<Vec2>,
    /// Sends and spawns queued so far (bounded per turn; see `costs`).
    queued_sends: u32,
    queued_spawns: u32,
    /// See [`CellContext::turn_word`].
    turn_word: Option<i64>,
}

impl<'a> CellContext<'a> {
    pub(crate) fn new(
        view: &'a View<'a>,
        me: &'a CellRecord,
        buffers: &'a mut Buffers,
        phase: Phase,
    ) -> Self {
        CellContext {
            view,
            me,
            buffers,
            energy: me.energy,
            spent: 0.0,
            reported: 0.0,
            instructions: 0,
            rng: CellRng::new(view.settings.seed, me.id.0, view.tick, phase),
            exhausted: false,
            fault: None,
            moved: None,
            queued_sends: 0,
            queued_spawns: 0,
            turn_word: None,
        }
    }

    /// A word the cell's implementation keeps across the handlers of one
    /// turn (the script cell keeps its instruction budget here, so that its
    /// state need not change during a turn): `None` at the start of each
    /// turn and of each `on apoptosis`, a context living exactly that long.
    pub fn turn_word(&self) -> Option<i64> {
        self.turn_word
    }

    /// Sets [`CellContext::turn_word`].
    pub fn set_turn_word(&mut self, word: i64) {
        self.turn_word = Some(word);
    }

    /// (energy, spent, reported, instructions, exhausted, pending fault).
    pub(crate) fn finish(self) -> ContextTotals {
        ContextTotals {
            energy: self.energy,
            spent: self.spent,
            reported: self.reported,
            instructions: self.instructions,
            exhausted: self.exhausted,
            fault: self.fault,
            moved: self.moved,
        }
    }

    // ---- read-only intrinsics ----

    /// `self`: this cell's id.
    pub fn id(&self) -> CellId {
        self.me.id
    }

    /// `self.pos`: the position as the turn sees it (moves apply later).
    pub fn position(&self) -> Vec2 {
        self.me.pos
    }

    /// `self.energy`: what is left now, after this turn's charges so far.
    pub fn energy(&self) -> f64 {
        self.energy
    }

    /// `self.age`: ticks since its first turn (0 during it).
    pub fn age(&self) -> u64 {
        self.me.age(self.view.tick)
    }

    /// `self.bonds`: bonded cells in id order (as of the end of the last tick).
    pub fn bonds(&self) -> &[CellId] {
        &self.me.bonds
    }

    /// `self.priority`.
    pub fn priority(&self) -> f64 {
        self.me.priority
    }

    /// `self.parent` (none for host/ecosystem spawns).
    pub fn parent(&self) -> Option<CellId> {
        self.me.parent
    }

    /// The membrane this cell lives in.
    pub fn membrane(&self) -> Option<MembraneId> {
        self.me.membrane
    }

    /// `now()`: the current tick.
    pub fn tick(&self) -> u64 {
        self.view.tick
    }

    /// The world's settings (read-only).
    pub fn settings(&self) -> &WorldSettings {
        self.view.settings
    }

    /// Gradient and signal names, for displaying values.
    pub fn names(&self) -> &dyn Names {
        self.view.decls
    }

    /// Whether a charge failed this turn (the turn is being aborted).
    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    // ---- energy ----

    /// Pays `amount` (the bytecode VM's per-instruction costs, or anything a
    /// Rust cell wants metered). If the energy is not there, the turn is
    /// aborted: energy drops to 0 and `Err` comes back; the handler should
    /// return at once (whatever it returns, the runtime rolls back).
    pub fn charge(&mut self, amount: f64) -> Result<(), OutOfEnergy> {
        if self.exhausted {
            return Err(OutOfEnergy);
        }
        if amount.is_nan() || amount < 0.0 || amount.is_infinite() {
            self.set_fault(format!("invalid energy charge {amount:?}"));
            return Ok(());
        }
        if amount > self.energy {
            self.spent += self.energy;
            self.energy = 0.0;
            self.exhausted = true;
            return Err(OutOfEnergy);
        }
        self.energy -= amount;
        self.spent += amount;
        Ok(())
    }

    /// Whether `amount` could be paid now.
    fn affords(&self, amount: f64) -> bool {
        !self.exhausted && amount <= self.energy
    }

    /// Pays the attempt of a `bool` construct, then `rest` if affordable.
    /// `Some(true)`: all paid; `Some(false)`: only the attempt; `None`: not
    /// even the attempt (the turn is aborted).
    fn pay_bool_construct(&mut self, attempt: f64, rest: f64) -> Option<bool> {
        self.charge(attempt).ok()?;
        if self.affords(rest) {
            let _ = self.charge(rest);
            Some(true)
        } else {
            Some(false)
        }
    }

    /// Whether a construct recorded a runtime error this turn.
    pub(crate) fn has_fault(&self) -> bool {
        self.fault.is_some()
    }

    /// The handler returned `OutOfEnergy` without a failed charge: treat it
    /// as one.
    pub(crate) fn mark_exhausted(&mut self) {
        if !self.exhausted {
            self.spent += self.energy;
            self.energy = 0.0;
            self.exhausted = true;
        }
    }

    /// Adds `n` to the instructions-executed counter (for the summary).
    pub fn count_instructions(&mut self, n: u64) {
        self.instructions = self.instructions.wrapping_add(n);
    }

    /// Records a runtime error found inside a construct (an unknown gradient,
    /// a non-finite argument): the handler's result is then replaced by a
    /// fault when it returns.
    fn set_fault(&mut self, message: String) {
        if self.fault.is_none() {
            self.fault = Some((message, None));
        }
    }

    /// A fault result: `return ctx.fault("index out of range", Some("f.myco:3:5"))`.
    pub fn fault(&self, message: impl Into<String>, location: Option<String>) -> MetabolismResult {
        MetabolismResult::Fault {
            message: message.into(),
            location,
        }
    }

    // ---- sensing ----

    /// `sense G`: one reading per emitter this cell senses, strongest first,
    /// ties by smaller source id. Costs `sense + sense_per_reading × n`.
    pub fn sense_gradient(&mut self, gradient: GradientId) -> Result<Vec<Reading>, OutOfEnergy> {
        let mut out = Vec::new();
        self.sense_gradient_into(gradient, &mut out)?;
        Ok(out)
    }

    /// `sense G` into a caller's buffer (cleared first): no allocation once
    /// the buffer has grown.
    pub fn sense_gradient_into(
        &mut self,
        gradient: GradientId,
        out: &mut Vec<Reading>,
    ) -> Result<(), OutOfEnergy> {
        if !self
            .view
            .sense_into(self.me, gradient, &mut self.buffers.scratch, out)
        {
            self.set_fault(format!("unknown gradient id {}", gradient.0));
        }
        let cost = costs::SENSE_BASE + costs::SENSE_PER_READING * out.len() as f64;
        if let Err(e) = self.charge(cost) {
            out.clear();
            return Err(e);
        }
        Ok(())
    }

    /// `sense G`, handing the readings (strongest first) to `f` in a buffer
    /// the runtime reuses: no allocation per call. Charged like `sense G`.
    pub fn sense_gradient_with<R>(
        &mut self,
        gradient: GradientId,
        f: impl FnOnce(&[Reading]) -> R,
    ) -> Result<R, OutOfEnergy> {
        let mut out = std::mem::take(&mut self.buffers.readings);
        let sensed = self.sense_gradient_into(gradient, &mut out);
        let result = sensed.map(|()| f(&out));
        out.clear();
        self.buffers.readings = out;
        result
    }

    /// `(sense G).first()`, charged like the full `sense G` (also for an
    /// unknown gradient: a fault, and the base cost, as `sense G`), without
    /// building the list.
    pub fn sense_gradient_strongest(
        &mut self,
        gradient: GradientId,
    ) -> Result<Option<Reading>, OutOfEnergy> {
        let (best, count) = match self
            .view
            .strongest(self.me, gradient, &mut self.buffers.scratch)
        {
            Some(found) => found,
            None => {
                self.set_fault(format!("unknown gradient id {}", gradient.0));
                (None, 0)
            }
        };
        // The same expression as `sense_gradient_into`'s, so the same bits.
        self.charge(costs::SENSE_BASE + costs::SENSE_PER_READING * count as f64)?;
        Ok(best)
    }

    // ---- the bool constructs ----

    /// `emit G s`: queues an emission of strength `s` from this cell's
    /// position (sensed from the next tick). False, charging only the
    /// attempt, when unaffordable. Costs `attempt + emit + emit_per_strength × |s|`.
    pub fn emit(&mut self, gradient: GradientId, strength: f64) -> bool {
        if self.view.decls.gradients.get(gradient.0 as usize).is_none() {
            self.set_fault(format!("unknown gradient id {}", gradient.0));
            return false;
        }
        if !strength.is_finite() {
            self.set_fault(format!("emit strength must be finite, not {strength:?}"));
            return false;
        }
        let rest = costs::EMIT_BASE + costs::EMIT_PER_STRENGTH * strength.abs();
        if self.pay_bool_construct(costs::ATTEMPT, rest) != Some(true) {
            return false;
        }
        self.buffers.effects.push(Effect::Emit {
            gradient,
            strength,
            pos: self.me.pos,
            membrane: self.me.membrane,
        });
        true
    }

    /// Same as [`CellContext::emit`] (the construct already reports
    /// unaffordability as `false`).
    pub fn try_emit(&mut self, gradient: GradientId, strength: f64) -> bool {
        self.emit(gradient, strength)
    }

    /// `send S {...} to target`: delivered next tick. Free between bonded
    /// cells; otherwise `attempt + send + send_per_distance × distance`.
    /// False (attempt charged) when the target is gone or it is
    /// unaffordable. A send across membranes without a bond is charged and
    /// returns true, but is dropped at apply time, as an event.
    pub fn send(&mut self, target: CellId, signal: Record) -> bool {
        if self.queued_sends >= costs::MAX_SENDS_PER_TURN {
            let _ = self.charge(costs::ATTEMPT);
            return false;
        }
        self.queued_sends += 1;
        if self.me.bonded_to(target) {
            if self.exhausted {
                return false;
            }
            self.buffers.effects.push(Effect::Send {
                to: target,
                signal,
                blocked: false,
            });
            return true;
        }
        let Some(other) = self.view.find(target) else {
            let _ = self.charge(costs::ATTEMPT);
            return false;
        };
        let rest = costs::SEND_BASE + costs::SEND_PER_DISTANCE * other.pos.dist(self.me.pos);
        if self.pay_bool_construct(costs::ATTEMPT, rest) != Some(true) {
            return false;
        }
        let blocked = other.membrane != self.me.membrane;
        self.buffers.effects.push(Effect::Send {
            to: target,
            signal,
            blocked,
        });
        true
    }

    /// `bind target`: false (attempt charged) when the target is this cell,
    /// gone, already bonded, either side has `world.max_bonds` bonds, or it
    /// is unaffordable. Costs `attempt + bind`.
    pub fn bind_to(&mut self, target: CellId) -> bool {
        let max = self.view.settings.max_bonds.max(0) as usize;
        let possible = target != self.me.id
            && !self.me.bonded_to(target)
            && self.me.bonds.len() < max
            && self.view.find(target).is_some_and(|o| o.bonds.len() < max);
        if !possible {
            let _ = self.charge(costs::ATTEMPT);
            return false;
        }
        if self.pay_bool_construct(costs::ATTEMPT, costs::BIND) != Some(true) {
            return false;
        }
        self.buffers.effects.push(Effect::Bind(target));
        true
    }

    /// `unbind target`: false (attempt charged) when not bonded or
    /// unaffordable. Costs `attempt + unbind`.
    pub fn unbind(&mut self, target: CellId) -> bool {
        if !self.me.bonded_to(target) {
            let _ = self.charge(costs::ATTEMPT);
            return false;
        }
        if self.pay_bool_construct(costs::ATTEMPT, costs::UNBIND) != Some(true) {
            return false;
        }
        self.buffers.effects.push(Effect::Unbind(target));
        true
    }

    /// `move v`: moves by `v` at the end of the tick (moves add up).
    /// Costs `attempt + move + move_per_distance × |v|`; false when unaffordable.
    pub fn move_by(&mut self, v: Vec2) -> bool {
        if !(v.x.is_finite() && v.y.is_finite()) {
            self.set_fault(format!(
                "move by a non-finite vector ({:?}, {:?})",
                v.x, v.y
            ));
            return false;
        }
        let rest = costs::MOVE_BASE + costs::MOVE_PER_DISTANCE * v.len();
        if self.pay_bool_construct(costs::ATTEMPT, rest) != Some(true) {
            return false;
        }
        let m = self.moved.get_or_insert_default();
        m.x += v.x;
        m.y += v.y;
        true
    }

    // ---- the other constructs ----

    /// `report e`: declares `e` units of value produced (the W of W/E).
    /// A non-finite value counts as 0. Costs `report`.
    pub fn report_value(&mut self, value: f64) -> Result<(), OutOfEnergy> {
        self.charge(costs::REPORT)?;
        if value.is_finite() {
            self.reported += value;
        }
        Ok(())
    }

    /// `spawn T {...} at p`: queues a child (its id is given at apply time;
    /// its first turn is next tick). The parent pays `spawn` plus the
    /// child's starting energy (`world.spawn_energy` unless given), which
    /// passes to the child; unaffordable aborts the turn. The child is
    /// placed at `pos` (default: this cell's position as the turn sees it),
    /// lives in this cell's membrane, with priority 1.0 unless given.
    pub fn spawn(&mut self, cell: Box<dyn Cell>, options: SpawnOptions) -> Result<(), OutOfEnergy> {
        let energy = options.energy.unwrap_or(self.view.settings.spawn_energy);
        let priority = options.priority.unwrap_or(1.0);
        let pos = options.pos.unwrap_or(self.me.pos);
        if !(energy.is_finite() && energy >= 0.0) {
            self.set_fault(format!(
                "a child's energy must be finite and >= 0.0, not {energy:?}"
            ));
            return Ok(());
        }
        if !(priority.is_finite() && priority >= 0.0) {
            self.set_fault(format!(
                "a priority must be finite and >= 0.0, not {priority:?}"
            ));
            return Ok(());
        }
        if !(pos.x.is_finite() && pos.y.is_finite()) {
            self.set_fault("a spawn position must be finite".to_string());
            return Ok(());
        }
        if self.queued_spawns >= costs::MAX_SPAWNS_PER_TURN {
            self.set_fault(format!(
                "spawn limit per turn reached ({} spawns)",
                costs::MAX_SPAWNS_PER_TURN
            ));
            return Ok(());
        }
        self.queued_spawns += 1;
        self.charge(costs::SPAWN)?;
        self.charge(energy)?;
        // The child's energy is a transfer, not consumption.
        self.spent -= energy;
        let pos = self.view.settings.clamp(pos);
        self.buffers.effects.push(Effect::Spawn {
            cell,
            pos,
            energy,
            priority,
        });
        Ok(())
    }

    /// `print(...)`: queues one output line. Costs `print + print_per_byte × len`.
    pub fn print(&mut self, line: String) -> Result<(), OutOfEnergy> {
        self.charge(costs::PRINT + costs::PRINT_PER_BYTE * line.len() as f64)?;
        self.buffers.prints.push(line);
        Ok(())
    }

    // ---- randomness (counter-based; see `rng`) ----

    /// `rand()`: a float in `[0, 1)`.
    pub fn rand_f64(&mut self) -> f64 {
        self.rng.next_f64()
    }

    /// `rand_int(lo, hi)`: an int with `lo <= n < hi`; `None` when `hi <= lo`
    /// (the caller's runtime error).
    pub fn rand_int(&mut self, lo: i64, hi: i64) -> Option<i64> {
        self.rng.next_int(lo, hi)
    }

    /// `rand_vec(r)`: uniform in the disc of radius `|r|`.
    pub fn rand_vec(&mut self, r: f64) -> Vec2 {
        self.rng.next_vec(r)
    }
}

/// What a finished context leaves behind.
pub(crate) struct ContextTotals {
    pub energy: f64,
    pub spent: f64,
    pub reported: f64,
    pub instructions: u64,
    pub exhausted: bool,
    pub fault: Option<(String, Option<String>)>,
    pub moved: Option<Vec2>,
}
