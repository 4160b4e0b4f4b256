//! The `ecosystem` block runner and the public entry point that turns a
//! compiled program into a ready [`World`].

use std::sync::Arc;

use super::host::{Host, HostError, SpawnRequest};
use super::machine::{Exit, RunInput, Vm};
use super::script_cell::{ScriptCell, ScriptOptions};
use crate::bytecode::{Intrinsic, WorldSetting};
use crate::program::{FunctionId, Program};
use crate::runtime::{
    CellRng, Declarations, GradientSpec, Phase, SignalSpec, SpawnOptions, World, WorldSettings,
};
use crate::value::{CellId, MembraneId, Value, Vec2};

/// How to run a program.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// `world.NAME = value` overrides (the CLI's `--set`), applied in order
    /// after the ecosystem block's own settings and before its spawns take
    /// effect; `seed_override` still wins for the seed.
    pub settings: Vec<(String, Value)>,
    /// Replaces `world.seed` (the CLI's `--seed`), whatever the block sets.
    pub seed_override: Option<i64>,
    /// Threads that run turns (results are identical for any count).
    pub threads: usize,
    /// The host's cap on instructions per turn (a limit hit is a runtime
    /// error); it also bounds the ecosystem block.
    pub max_instructions_per_turn: u64,
    /// The code of host functions the program calls (registered by name).
    pub host_functions: super::host_fn::HostFunctions,
    /// The host's cap on living cells: `world.max_cells` can lower it, never
    /// raise it (`None`: the program's setting alone).
    pub max_cells: Option<i64>,
    /// The longest string (bytes) or list (elements) a turn may build
    /// (`None`: [`crate::bytecode::op::MAX_VALUE_LEN`]); beyond is a runtime error.
    pub max_value_size: Option<usize>,
    /// Raised from another thread to interrupt the running tick: every
    /// running turn stops within [`super::limits::INTERRUPT_CHECK_EVERY`]
    /// instructions and is rolled back like an energy abort. The host
    /// should then discard the tick: `World::tick_unless` (or the facade's
    /// `Simulation::try_tick`) does, leaving the world as it was.
    pub interrupt: Option<super::limits::InterruptHandle>,
    /// Wall time the run may take, from instantiation (or resumption): past
    /// it, the interrupt counts as raised (a handle is made if `interrupt`
    /// is `None`), so the running tick stops as for an interrupt and the
    /// ecosystem block too. `Simulation::try_tick` discards such a tick.
    pub time_limit: Option<std::time::Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            settings: Vec::new(),
            seed_override: None,
            threads: 1,
            max_instructions_per_turn: super::script_cell::DEFAULT_MAX_INSTRUCTIONS_PER_TURN,
            host_functions: Default::default(),
            max_cells: None,
            max_value_size: None,
            interrupt: None,
            time_limit: None,
        }
    }
}

/// A world ready to tick, and what its ecosystem block printed.
#[derive(Debug)]
pub struct Instance {
    /// The world, at tick 0, with the block's settings and cells.
    pub world: World,
    /// The block's `print` lines, in order (write them before tick 1's).
    pub prints: Vec<String>,
    /// The options every script cell shares (for cells spawned later, e.g. by a REPL).
    pub script_options: Arc<ScriptOptions>,
}

/// Why a program could not be instantiated.
#[derive(Debug, Clone, PartialEq)]
pub enum InstantiateError {
    /// The declarations were refused by the runtime (a bad gradient).
    World(String),
    /// The ecosystem block hit a runtime error.
    Fault {
        /// What went wrong.
        message: String,
        /// `file:line:col`.
        location: String,
    },
    /// The ecosystem block ran out of its instruction budget.
    OutOfEnergy,
    /// The ecosystem block was stopped by the interrupt or the time limit.
    Interrupted,
}

impl std::fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstantiateError::World(m) => write!(f, "{m}"),
            InstantiateError::Fault { message, location } => {
                write!(
                    f,
                    "{location}: runtime error in the ecosystem block: {message}"
                )
            }
            InstantiateError::OutOfEnergy => write!(f, "the ecosystem block ran out of energy"),
            InstantiateError::Interrupted => write!(
                f,
                "the ecosystem block was interrupted (interrupt or time limit)"
            ),
        }
    }
}

impl std::error::Error for InstantiateError {}

/// The runtime declarations (gradients, membranes, signals) of a program.
pub fn declarations(program: &Program) -> Declarations {
    Declarations {
        gradients: program
            .gradients
            .iter()
            .map(|g| {
                GradientSpec::new(g.name.clone())
                    .range(g.range)
                    .falloff(g.falloff)
                    .persist(g.persist)
            })
            .collect(),
        membranes: program.membranes.clone(),
        signals: program
            .signals
            .iter()
            .map(|s| SignalSpec {
                name: s.name.clone(),
                fields: s.fields.clone(),
            })
            .collect(),
    }
}

/// Builds the world of `program`: its declarations, default settings, then
/// the `ecosystem` block (its `world.*` settings apply before any of its
/// spawns take effect; spawned cells get ids 1, 2, 3, ... in spawn order).
pub fn instantiate(
    program: Arc<Program>,
    options: &RunOptions,
) -> Result<Instance, InstantiateError> {
    let mut world = World::new(WorldSettings::default(), declarations(&program))
        .map_err(InstantiateError::World)?;
    let script_options = script_options(&program, options)?;
    if let Some(cap) = options.max_cells {
        world.set_host_max_cells(cap);
    }
    let mut prints = Vec::new();
    if let Some(eco) = program.ecosystem {
        let mut host = EcosystemHost::new(
            &mut world,
            &program,
            &script_options,
            options.seed_override,
            true,
        );
        let exit = run_block(&program, eco, &mut host, options.max_instructions_per_turn);
        let pending = std::mem::take(&mut host.pending);
        prints = std::mem::take(&mut host.prints);
        if script_options
            .limits
            .interrupt
            .as_ref()
            .is_some_and(super::limits::InterruptHandle::is_set)
        {
            return Err(InstantiateError::Interrupted);
        }
        check_exit(&program, exit)?;
        apply_overrides(&mut world, &options.settings)?;
        if let Some(seed) = options.seed_override {
            world.settings_mut().seed = seed;
        }
        for (cell, spawn, membrane) in pending {
            // A refusal (world.max_cells) is an event; the refused spawns
            // are the last ones, so the ids handed out before stay right.
            let _ = world.spawn(Box::new(cell), spawn, membrane);
        }
    } else {
        apply_overrides(&mut world, &options.settings)?;
        if let Some(seed) = options.seed_override {
            world.settings_mut().seed = seed;
        }
    }
    world.set_threads(options.threads);
    Ok(Instance {
        world,
        prints,
        script_options,
    })
}

/// The options every script cell of a world run with `options` shares:
/// the host's limits and the code of the host functions `program` calls
/// (an error if one is not registered).
pub fn script_options(
    program: &Program,
    options: &RunOptions,
) -> Result<Arc<ScriptOptions>, InstantiateError> {
    let host_functions = options
        .host_functions
        .resolve(program)
        .map_err(InstantiateError::World)?;
    let mut interrupt = options.interrupt.clone();
    if let Some(limit) = options.time_limit {
        let handle = interrupt.get_or_insert_with(super::limits::InterruptHandle::new);
        handle.set_deadline(limit);
    }
    Ok(Arc::new(ScriptOptions {
        max_instructions_per_turn: options.max_instructions_per_turn,
        host_functions,
        limits: super::limits::VmLimits {
            max_value_len: options
                .max_value_size
                .unwrap_or(crate::bytecode::op::MAX_VALUE_LEN),
            interrupt,
        },
    }))
}

/// Applies the host's `world.*` overrides ([`RunOptions::settings`]).
fn apply_overrides(
    world: &mut World,
    settings: &[(String, Value)],
) -> Result<(), InstantiateError> {
    for (name, value) in settings {
        world
            .set_setting(name, value)
            .map_err(InstantiateError::World)?;
    }
    Ok(())
}

/// What [`run_in_world`] produced.
#[derive(Debug, Clone, PartialEq)]
pub struct HostRun {
    /// The chunk's return value (`none` for statements).
    pub value: Value,
    /// Its `print` lines.
    pub prints: Vec<String>,
}

/// Runs `function` of `program` in the ecosystem's context against an
/// existing world (the REPL's statements): `world.*` settings apply at
/// once, and spawns happen at once (returning the real id).
pub fn run_in_world(
    world: &mut World,
    program: &Arc<Program>,
    function: FunctionId,
    script_options: &Arc<ScriptOptions>,
) -> Result<HostRun, InstantiateError> {
    let mut host = EcosystemHost::new(world, program, script_options, None, false);
    let exit = run_block(
        program,
        function,
        &mut host,
        script_options.max_instructions_per_turn,
    );
    let prints = std::mem::take(&mut host.prints);
    let value = check_exit(program, exit)?;
    Ok(HostRun { value, prints })
}

fn run_block(
    program: &Program,
    function: FunctionId,
    host: &mut EcosystemHost<'_>,
    max_instructions: u64,
) -> Exit {
    let mut vm = Vm::new();
    vm.set_limits(host.script_options.limits.clone());
    vm.begin_turn(max_instructions);
    vm.run(
        RunInput {
            program,
            function,
            args: &[],
            sender: Value::None,
        },
        &mut [],
        host,
    )
}

fn check_exit(program: &Program, exit: Exit) -> Result<Value, InstantiateError> {
    match exit {
        Exit::Returned(v) => Ok(v),
        Exit::TurnEnded => Ok(Value::None),
        Exit::OutOfEnergy => Err(InstantiateError::OutOfEnergy),
        Exit::Fault(e) => Err(InstantiateError::Fault {
            message: e.message,
            location: program.describe_loc(e.loc),
        }),
    }
}

type PendingSpawn = (ScriptCell, SpawnOptions, Option<MembraneId>);

/// The interpreter's host for the ecosystem block: no energy (only the host
/// instruction budget), settings and spawns on the world.
struct EcosystemHost<'w> {
    world: &'w mut World,
    program: &'w Arc<Program>,
    script_options: &'w Arc<ScriptOptions>,
    seed_override: Option<i64>,
    /// Spawns wait for the end of the block (settings apply first).
    defer_spawns: bool,
    pending: Vec<PendingSpawn>,
    prints: Vec<String>,
    rng: Option<CellRng>,
}

impl<'w> EcosystemHost<'w> {
    fn new(
        world: &'w mut World,
        program: &'w Arc<Program>,
        script_options: &'w Arc<ScriptOptions>,
        seed_override: Option<i64>,
        defer_spawns: bool,
    ) -> EcosystemHost<'w> {
        EcosystemHost {
            world,
            program,
            script_options,
            seed_override,
            defer_spawns,
            pending: Vec::new(),
            prints: Vec::new(),
            rng: None,
        }
    }

    /// The block's random stream: keyed like a cell's with id 0 at tick 0,
    /// by the seed in force at the first draw.
    fn rng(&mut self) -> &mut CellRng {
        let seed = self.seed_override.unwrap_or(self.world.settings().seed);
        let tick = self.world.tick_count();
        self.rng
            .get_or_insert_with(|| CellRng::new(seed, 0, tick, Phase::Turn))
    }
}

fn finite(v: Option<f64>, what: &str) -> Result<(), HostError> {
    match v {
        Some(x) if !x.is_finite() || x < 0.0 => Err(HostError::Fault(format!(
            "spawn: {what} must be finite and >= 0.0, not {x:?}"
        ))),
        _ => Ok(()),
    }
}

impl Host for EcosystemHost<'_> {
    fn self_value(&self) -> Value {
        Value::None
    }

    fn available_fuel(&self) -> i64 {
        i64::MAX / 4
    }

    fn spend_fuel(&mut self, _fuel: i64) -> Result<(), HostError> {
        Ok(())
    }

    fn intrinsic(&mut self, which: Intrinsic) -> Result<Value, HostError> {
        match which {
            Intrinsic::Now => Ok(Value::Int(
                i64::try_from(self.world.tick_count()).unwrap_or(i64::MAX),
            )),
            other => Err(HostError::Fault(format!(
                "`{}` is only available inside a cell",
                other.name()
            ))),
        }
    }

    fn spawn(&mut self, request: SpawnRequest) -> Result<Value, HostError> {
        if let Some(p) = request.at
            && !(p.x.is_finite() && p.y.is_finite())
        {
            return Err(HostError::Fault(
                "spawn: the position must be finite".to_string(),
            ));
        }
        finite(request.energy, "energy")?;
        finite(request.priority, "priority")?;
        let cell = ScriptCell::new(
            Arc::clone(self.program),
            Arc::clone(self.script_options),
            request.kind,
            request.fields,
        );
        let options = SpawnOptions {
            pos: request.at,
            energy: request.energy,
            priority: request.priority,
        };
        if self.defer_spawns {
            self.pending.push((cell, options, request.membrane));
            // The world is fresh: ids follow spawn order from 1.
            let id = (self.world.len() + self.pending.len()) as u64;
            Ok(Value::Cell(CellId(id)))
        } else {
            match self.world.spawn(Box::new(cell), options, request.membrane) {
                Some(id) => Ok(Value::Cell(id)),
                None => Err(HostError::Fault("spawn refused".to_string())),
            }
        }
    }

    fn print(&mut self, line: String) -> Result<(), HostError> {
        self.prints.push(line);
        Ok(())
    }

    fn set_world(&mut self, setting: WorldSetting, value: Value) -> Result<(), HostError> {
        self.world
            .set_setting(setting.name(), &value)
            .map_err(HostError::Fault)
    }

    fn call_host(&mut self, index: u32, args: &[Value]) -> Result<Value, HostError> {
        self.script_options
            .host_functions
            .call(index, args)
            .map_err(HostError::Fault)
    }

    fn rand_float(&mut self) -> Result<f64, HostError> {
        Ok(self.rng().next_f64())
    }

    fn rand_int(&mut self, lo: i64, hi: i64) -> Result<i64, HostError> {
        self.rng()
            .next_int(lo, hi)
            .ok_or_else(|| HostError::Fault(format!("rand_int: empty range {lo}..{hi}")))
    }

    fn rand_vec(&mut self, radius: f64) -> Result<Vec2, HostError> {
        Ok(self.rng().next_vec(radius))
    }
}
