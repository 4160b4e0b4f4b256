//! The script cell: a [`Cell`] whose behaviour is a Myco cell kind, run by
//! the interpreter over the runtime's [`CellContext`].

use std::cell::RefCell;
use std::sync::Arc;

use super::host::{Host, HostError, SpawnRequest, TurnEnd};
use super::machine::{Exit, RunInput, Vm};
use crate::bytecode::Intrinsic;
use crate::bytecode::op::{BASIC_COST, FUEL_PER_ENERGY};
use crate::program::{CellKindId, FunctionId, Program};
use crate::runtime::{Cell, CellContext, MetabolismResult, SavedCell, SharedTurn, SpawnOptions};
use crate::value::{CellId, GradientId, Reading, Record, SignalKindId, Value, Vec2};

/// Per-run options every script cell of a world shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptOptions {
    /// The host's cap on instructions per turn (in basic-instruction units;
    /// see [`Vm::begin_turn`]). Hitting it is a runtime error.
    pub max_instructions_per_turn: u64,
    /// The code of the host functions the program calls.
    pub host_functions: super::host_fn::ResolvedHostFns,
    /// The host's other limits (value size, interrupt flag).
    pub limits: super::limits::VmLimits,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions {
            max_instructions_per_turn: DEFAULT_MAX_INSTRUCTIONS_PER_TURN,
            host_functions: Default::default(),
            limits: super::limits::VmLimits::default(),
        }
    }
}

/// The default host cap on instructions per turn. With the default
/// energies a runaway loop starves long before (20,000 instructions).
pub const DEFAULT_MAX_INSTRUCTIONS_PER_TURN: u64 = 10_000_000;

thread_local! {
    /// One interpreter per worker thread, reused by every turn it runs.
    static SCRATCH_VM: RefCell<Vm> = RefCell::new(Vm::new());
    /// The last reading `(sense G).first()` gave on this thread: reused in
    /// place when nothing holds it any more (the turn's registers are reset
    /// when it ends), so the common sense-then-use turn allocates nothing
    /// for it. Which allocation holds a reading is not observable.
    static LAST_READING: RefCell<Option<Arc<Reading>>> = const { RefCell::new(None) };
}

/// `r` as a value, in [`LAST_READING`]'s allocation when it is free.
fn reading_value(r: Reading) -> Value {
    LAST_READING.with(|slot| {
        let Ok(mut slot) = slot.try_borrow_mut() else {
            return Value::Reading(Arc::new(r));
        };
        if let Some(shared) = slot.as_mut()
            && let Some(inner) = Arc::get_mut(shared)
        {
            *inner = r;
            return Value::Reading(Arc::clone(shared));
        }
        let fresh = Arc::new(r);
        *slot = Some(Arc::clone(&fresh));
        Value::Reading(fresh)
    })
}

/// A cell running a Myco cell kind.
#[derive(Debug, Clone)]
pub struct ScriptCell {
    program: Arc<Program>,
    options: Arc<ScriptOptions>,
    kind: CellKindId,
    fields: Vec<Value>,
}

impl ScriptCell {
    /// A cell of `kind` with `fields` (all of them, in declaration order).
    pub fn new(
        program: Arc<Program>,
        options: Arc<ScriptOptions>,
        kind: CellKindId,
        fields: Vec<Value>,
    ) -> ScriptCell {
        ScriptCell {
            program,
            options,
            kind,
            fields,
        }
    }

    /// A cell of `kind` with its fields at their defaults.
    pub fn with_defaults(
        program: Arc<Program>,
        options: Arc<ScriptOptions>,
        kind: CellKindId,
    ) -> ScriptCell {
        let fields = program
            .kinds
            .get(kind as usize)
            .map(|k| k.default_fields())
            .unwrap_or_default();
        ScriptCell::new(program, options, kind, fields)
    }

    /// Its kind.
    pub fn kind(&self) -> CellKindId {
        self.kind
    }

    /// Its field values.
    pub fn field_values(&self) -> &[Value] {
        &self.fields
    }

    /// The host instruction budget of a new turn, in fuel units.
    fn fresh_budget(&self) -> i64 {
        let fuel = u128::from(self.options.max_instructions_per_turn) * BASIC_COST as u128;
        i64::try_from(fuel).unwrap_or(i64::MAX).min(i64::MAX / 4)
    }

    /// Runs one chunk as part of this tick's turn (or in `on apoptosis`),
    /// on `fields` (this cell's, or an empty slice for a kind without
    /// fields run through `&self`). The turn's remaining instruction budget
    /// lives in the context ([`CellContext::turn_word`]), fresh for each
    /// turn and each `on apoptosis`, so running changes nothing but fields.
    fn run(
        &self,
        fields: &mut [Value],
        ctx: &mut CellContext<'_>,
        function: FunctionId,
        args: &[Value],
        sender: Value,
    ) -> MetabolismResult {
        let budget = ctx.turn_word().unwrap_or_else(|| self.fresh_budget());
        let program = &self.program;
        let mut host = ScriptHost {
            ctx,
            program,
            options: &self.options,
            ended: None,
        };
        let (exit, budget_after) = SCRATCH_VM.with(|cell| match cell.try_borrow_mut() {
            Ok(mut vm) => run_on(
                &mut vm, program, function, args, sender, fields, &mut host, budget,
            ),
            // Never expected (turns don't nest), but stay correct if they do.
            Err(_) => run_on(
                &mut Vm::new(),
                program,
                function,
                args,
                sender,
                fields,
                &mut host,
                budget,
            ),
        });
        let ended = host.ended.take();
        ctx.set_turn_word(budget_after);
        match exit {
            Exit::Returned(_) => MetabolismResult::Continue,
            Exit::TurnEnded => match ended {
                Some(TurnEnd::Sleep(n)) => MetabolismResult::Sleep(n.max(0) as u64),
                Some(TurnEnd::SleepUntil(gradient, threshold)) => MetabolismResult::SleepUntil {
                    gradient,
                    threshold,
                },
                Some(TurnEnd::Die) => MetabolismResult::Die,
                Some(TurnEnd::Differentiate(kind, fields)) => {
                    MetabolismResult::Differentiate(Box::new(ScriptCell::new(
                        Arc::clone(&self.program),
                        Arc::clone(&self.options),
                        kind,
                        fields,
                    )))
                }
                None => MetabolismResult::Continue,
            },
            Exit::OutOfEnergy => MetabolismResult::OutOfEnergy,
            Exit::Fault(e) => MetabolismResult::Fault {
                message: e.message,
                location: Some(program.describe_loc(e.loc)),
            },
        }
    }

    /// [`ScriptCell::run`] on this cell's own fields.
    fn run_mut(
        &mut self,
        ctx: &mut CellContext<'_>,
        function: FunctionId,
        args: &[Value],
        sender: Value,
    ) -> MetabolismResult {
        let mut fields = std::mem::take(&mut self.fields);
        let result = self.run(&mut fields, ctx, function, args, sender);
        self.fields = fields;
        result
    }

    fn on_spawn_fn(&self) -> Option<FunctionId> {
        self.program
            .kinds
            .get(self.kind as usize)
            .and_then(|k| k.on_spawn)
    }

    fn metabolism_fn(&self) -> Option<FunctionId> {
        self.program
            .kinds
            .get(self.kind as usize)
            .map(|k| k.metabolism)
    }

    fn handler_fn(&self, kind: SignalKindId) -> Option<FunctionId> {
        self.program
            .kinds
            .get(self.kind as usize)
            .and_then(|k| k.handler(kind))
    }
}

#[allow(clippy::too_many_arguments)]
fn run_on(
    vm: &mut Vm,
    program: &Program,
    function: FunctionId,
    args: &[Value],
    sender: Value,
    fields: &mut [Value],
    host: &mut ScriptHost<'_, '_>,
    budget: i64,
) -> (Exit, i64) {
    vm.set_budget(budget);
    vm.set_limits_from(&host.options.limits);
    let exit = vm.run(
        RunInput {
            program,
            function,
            args,
            sender,
        },
        fields,
        host,
    );
    (exit, vm.budget())
}

impl Cell for ScriptCell {
    fn kind_name(&self) -> &str {
        self.program
            .kinds
            .get(self.kind as usize)
            .map_or("?", |k| k.name.as_str())
    }

    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }

    fn save(&self) -> Option<SavedCell> {
        Some(SavedCell {
            kind: self.kind_name().to_string(),
            fields: self.fields.clone(),
        })
    }

    fn clone_arc(&self) -> Arc<dyn Cell> {
        Arc::new(self.clone())
    }

    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match self.metabolism_fn() {
            Some(f) => self.run_mut(ctx, f, &[], Value::None),
            None => MetabolismResult::Continue,
        }
    }

    fn on_spawn(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match self.on_spawn_fn() {
            Some(f) => self.run_mut(ctx, f, &[], Value::None),
            None => MetabolismResult::Continue,
        }
    }

    fn handles(&self, kind: SignalKindId) -> bool {
        self.handler_fn(kind).is_some()
    }

    fn on_signal(
        &mut self,
        ctx: &mut CellContext<'_>,
        sender: CellId,
        signal: &Record,
    ) -> MetabolismResult {
        match self.handler_fn(signal.kind) {
            Some(f) => {
                let record = Value::Record(Arc::new(signal.clone()));
                self.run_mut(ctx, f, &[record], Value::Cell(sender))
            }
            None => MetabolismResult::Continue,
        }
    }

    fn on_apoptosis(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        let on_apoptosis = self
            .program
            .kinds
            .get(self.kind as usize)
            .and_then(|k| k.on_apoptosis);
        match on_apoptosis {
            Some(f) => self.run_mut(ctx, f, &[], Value::None),
            None => MetabolismResult::Continue,
        }
    }

    fn shared_turns(&self) -> Option<&dyn SharedTurn> {
        // Without fields a turn has nothing to change (its budget is kept in
        // the context): no per-turn copy.
        if self.fields.is_empty() {
            Some(self)
        } else {
            None
        }
    }

    fn fields(&self) -> Vec<(String, Value)> {
        let Some(kind) = self.program.kinds.get(self.kind as usize) else {
            return Vec::new();
        };
        kind.fields
            .iter()
            .zip(&self.fields)
            .map(|(f, v)| (f.name.clone(), v.clone()))
            .collect()
    }
}

impl SharedTurn for ScriptCell {
    fn on_spawn_shared(&self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match self.on_spawn_fn() {
            Some(f) => self.run(&mut [], ctx, f, &[], Value::None),
            None => MetabolismResult::Continue,
        }
    }

    fn on_signal_shared(
        &self,
        ctx: &mut CellContext<'_>,
        sender: CellId,
        signal: &Record,
    ) -> MetabolismResult {
        match self.handler_fn(signal.kind) {
            Some(f) => {
                let record = Value::Record(Arc::new(signal.clone()));
                self.run(&mut [], ctx, f, &[record], Value::Cell(sender))
            }
            None => MetabolismResult::Continue,
        }
    }

    fn metabolism_shared(&self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match self.metabolism_fn() {
            Some(f) => self.run(&mut [], ctx, f, &[], Value::None),
            None => MetabolismResult::Continue,
        }
    }
}

/// The interpreter's host inside a cell's turn.
struct ScriptHost<'c, 'w> {
    ctx: &'c mut CellContext<'w>,
    program: &'c Arc<Program>,
    options: &'c Arc<ScriptOptions>,
    ended: Option<TurnEnd>,
}

impl ScriptHost<'_, '_> {
    /// A construct that charges through the context: a failed charge
    /// leaves the context exhausted.
    fn checked<T>(&self, value: T) -> Result<T, HostError> {
        if self.ctx.is_exhausted() {
            Err(HostError::OutOfEnergy)
        } else {
            Ok(value)
        }
    }
}

/// `x.round() as i64` for `0 < x < 2^61` (half away from zero, as
/// `f64::round`), without the libm call `round` is on x86-64's baseline:
/// the truncation is exact and so is `x - t` (both below 2^61; from 2^52
/// up `x` is an integer and the fraction is 0).
#[inline]
fn round_positive(x: f64) -> i64 {
    let t = x as i64;
    if x - t as f64 >= 0.5 { t + 1 } else { t }
}

fn out_of_energy<T>(_: crate::runtime::OutOfEnergy) -> Result<T, HostError> {
    Err(HostError::OutOfEnergy)
}

impl Host for ScriptHost<'_, '_> {
    fn self_value(&self) -> Value {
        Value::Cell(self.ctx.id())
    }

    fn available_fuel(&self) -> i64 {
        let fuel = self.ctx.energy() * FUEL_PER_ENERGY as f64;
        if fuel >= (i64::MAX / 4) as f64 {
            i64::MAX / 4
        } else if fuel > 0.0 {
            round_positive(fuel)
        } else {
            0
        }
    }

    #[inline]
    fn spend_fuel(&mut self, fuel: i64) -> Result<(), HostError> {
        if fuel <= 0 {
            return Ok(());
        }
        self.ctx.count_instructions((fuel / BASIC_COST) as u64);
        // Fuel is the energy rounded to the nearest unit: spending all of it
        // may exceed the energy by that rounding, which is not a shortfall.
        let mut amount = fuel as f64 / FUEL_PER_ENERGY as f64;
        let energy = self.ctx.energy();
        if amount > energy && amount - energy <= 1.0 / FUEL_PER_ENERGY as f64 {
            amount = energy;
        }
        match self.ctx.charge(amount) {
            Ok(()) => Ok(()),
            Err(e) => out_of_energy(e),
        }
    }

    fn intrinsic(&mut self, which: Intrinsic) -> Result<Value, HostError> {
        Ok(match which {
            Intrinsic::Energy => Value::Float(self.ctx.energy()),
            Intrinsic::Pos => Value::Vec(self.ctx.position()),
            Intrinsic::Age => Value::Int(i64::try_from(self.ctx.age()).unwrap_or(i64::MAX)),
            Intrinsic::Bonds => {
                let bonds: imbl::Vector<Value> =
                    self.ctx.bonds().iter().map(|&c| Value::Cell(c)).collect();
                Value::List(Arc::new(bonds))
            }
            Intrinsic::Priority => Value::Float(self.ctx.priority()),
            Intrinsic::Parent => self.ctx.parent().map_or(Value::None, Value::Cell),
            Intrinsic::Now => Value::Int(i64::try_from(self.ctx.tick()).unwrap_or(i64::MAX)),
        })
    }

    fn emit(&mut self, gradient: GradientId, strength: f64) -> Result<bool, HostError> {
        let ok = self.ctx.emit(gradient, strength);
        self.checked(ok)
    }

    fn sense(&mut self, gradient: GradientId) -> Result<Value, HostError> {
        // The runtime lends the readings in a reused buffer.
        let built = self.ctx.sense_gradient_with(gradient, |readings| {
            readings
                .iter()
                .map(|r| Value::Reading(Arc::new(*r)))
                .collect::<imbl::Vector<Value>>()
        });
        match built {
            Ok(list) => Ok(Value::List(Arc::new(list))),
            Err(e) => out_of_energy(e),
        }
    }

    fn sense_first(&mut self, gradient: GradientId) -> Result<Value, HostError> {
        // No list, no sort, no `Arc` per reading: only the strongest is kept
        // (same charge as `sense`, which is per reading sensed).
        match self.ctx.sense_gradient_strongest(gradient) {
            Ok(Some(r)) => Ok(reading_value(r)),
            Ok(None) => Ok(Value::None),
            Err(e) => out_of_energy(e),
        }
    }

    fn bind(&mut self, target: CellId) -> Result<bool, HostError> {
        let ok = self.ctx.bind_to(target);
        self.checked(ok)
    }

    fn unbind(&mut self, target: CellId) -> Result<bool, HostError> {
        let ok = self.ctx.unbind(target);
        self.checked(ok)
    }

    fn send(&mut self, record: Arc<Record>, target: CellId) -> Result<bool, HostError> {
        let record = Arc::try_unwrap(record).unwrap_or_else(|shared| (*shared).clone());
        let ok = self.ctx.send(target, record);
        self.checked(ok)
    }

    fn report(&mut self, value: f64) -> Result<(), HostError> {
        match self.ctx.report_value(value) {
            Ok(()) => Ok(()),
            Err(e) => out_of_energy(e),
        }
    }

    fn spawn(&mut self, request: SpawnRequest) -> Result<Value, HostError> {
        let child = ScriptCell::new(
            Arc::clone(self.program),
            Arc::clone(self.options),
            request.kind,
            request.fields,
        );
        let options = SpawnOptions {
            pos: request.at,
            energy: request.energy,
            priority: request.priority,
        };
        match self.ctx.spawn(Box::new(child), options) {
            // A refused spawn (a bad argument, the per-turn limit) ends the turn.
            Ok(()) if self.ctx.has_fault() => Err(HostError::Fault("spawn refused".into())),
            Ok(()) => Ok(Value::None),
            Err(e) => out_of_energy(e),
        }
    }

    fn move_by(&mut self, by: Vec2) -> Result<bool, HostError> {
        let ok = self.ctx.move_by(by);
        self.checked(ok)
    }

    fn end_turn(&mut self, how: TurnEnd) -> Result<(), HostError> {
        self.ended = Some(how);
        Ok(())
    }

    fn print(&mut self, line: String) -> Result<(), HostError> {
        match self.ctx.print(line) {
            Ok(()) => Ok(()),
            Err(e) => out_of_energy(e),
        }
    }

    fn call_host(&mut self, index: u32, args: &[Value]) -> Result<Value, HostError> {
        self.options
            .host_functions
            .call(index, args)
            .map_err(HostError::Fault)
    }

    fn rand_float(&mut self) -> Result<f64, HostError> {
        Ok(self.ctx.rand_f64())
    }

    fn rand_int(&mut self, lo: i64, hi: i64) -> Result<i64, HostError> {
        self.ctx
            .rand_int(lo, hi)
            .ok_or_else(|| HostError::Fault(format!("rand_int: empty range {lo}..{hi}")))
    }

    fn rand_vec(&mut self, radius: f64) -> Result<Vec2, HostError> {
        Ok(self.ctx.rand_vec(radius))
    }
}

#[cfg(test)]
mod tests {
    use super::round_positive;

    #[test]
    fn round_positive_is_f64_round() {
        let mut cases = vec![
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4503599627370495.5,
            4503599627370496.0,
            9007199254740993.0,
            2305843009213693000.0,
            1e-300,
            123456.4999999,
            123456.5,
        ];
        // A deterministic sweep of energies as the host sees them.
        let mut x = 0.37_f64;
        for _ in 0..100_000 {
            x = (x * 1.618_033_988_749_895 + 0.123_456_789) % 2.0e8;
            cases.push(x * 1_000_000.0 / 1_000.0);
            cases.push(x.floor() + 0.5);
        }
        for x in cases {
            if x > 0.0 && x < (i64::MAX / 4) as f64 {
                assert_eq!(round_positive(x), x.round() as i64, "{x:?}");
            }
        }
    }
}
