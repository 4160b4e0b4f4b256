//! A scriptable Rust cell for the runtime tests: its behaviour is closures,
//! its state a few plain fields.
#![allow(dead_code)]

use std::sync::Arc;

use myco_vm::runtime::{
    Cell, CellContext, Declarations, GradientSpec, MetabolismResult, SignalSpec, SpawnOptions,
    World, WorldSettings,
};
use myco_vm::value::{CellId, Record, SignalKindId, Value, Vec2};

/// A scripted cell's own fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vars {
    pub n: i64,
    pub x: f64,
    pub other: Option<CellId>,
}

type Handler = Arc<dyn Fn(&mut Vars, &mut CellContext<'_>) -> MetabolismResult + Send + Sync>;
type SignalHandler =
    Arc<dyn Fn(&mut Vars, &mut CellContext<'_>, CellId, &Record) -> MetabolismResult + Send + Sync>;

/// A cell whose handlers are closures.
#[derive(Clone)]
pub struct Scripted {
    pub name: &'static str,
    pub vars: Vars,
    pub metabolism: Handler,
    pub on_spawn: Option<Handler>,
    pub on_apoptosis: Option<Handler>,
    pub on_signal: Option<SignalHandler>,
}

impl Scripted {
    pub fn new(
        name: &'static str,
        metabolism: impl Fn(&mut Vars, &mut CellContext<'_>) -> MetabolismResult + Send + Sync + 'static,
    ) -> Self {
        Scripted {
            name,
            vars: Vars::default(),
            metabolism: Arc::new(metabolism),
            on_spawn: None,
            on_apoptosis: None,
            on_signal: None,
        }
    }

    /// A cell that does nothing.
    pub fn idle(name: &'static str) -> Self {
        Self::new(name, |_, _| MetabolismResult::Continue)
    }

    pub fn with_vars(mut self, vars: Vars) -> Self {
        self.vars = vars;
        self
    }

    pub fn on_spawn(
        mut self,
        f: impl Fn(&mut Vars, &mut CellContext<'_>) -> MetabolismResult + Send + Sync + 'static,
    ) -> Self {
        self.on_spawn = Some(Arc::new(f));
        self
    }

    pub fn on_apoptosis(
        mut self,
        f: impl Fn(&mut Vars, &mut CellContext<'_>) -> MetabolismResult + Send + Sync + 'static,
    ) -> Self {
        self.on_apoptosis = Some(Arc::new(f));
        self
    }

    /// Handles signal kind 0 (`Ping`) with `f`.
    pub fn on_signal(
        mut self,
        f: impl Fn(&mut Vars, &mut CellContext<'_>, CellId, &Record) -> MetabolismResult
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.on_signal = Some(Arc::new(f));
        self
    }

    pub fn boxed(self) -> Box<dyn Cell> {
        Box::new(self)
    }
}

impl Cell for Scripted {
    fn kind_name(&self) -> &str {
        self.name
    }
    fn clone_cell(&self) -> Box<dyn Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        (self.metabolism)(&mut self.vars, ctx)
    }
    fn on_spawn(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match &self.on_spawn {
            Some(f) => f(&mut self.vars, ctx),
            None => MetabolismResult::Continue,
        }
    }
    fn on_apoptosis(&mut self, ctx: &mut CellContext<'_>) -> MetabolismResult {
        match &self.on_apoptosis {
            Some(f) => f(&mut self.vars, ctx),
            None => MetabolismResult::Continue,
        }
    }
    fn handles(&self, kind: SignalKindId) -> bool {
        self.on_signal.is_some() && kind == PING
    }
    fn on_signal(
        &mut self,
        ctx: &mut CellContext<'_>,
        sender: CellId,
        signal: &Record,
    ) -> MetabolismResult {
        match &self.on_signal {
            Some(f) => f(&mut self.vars, ctx, sender, signal),
            None => MetabolismResult::Continue,
        }
    }
    fn fields(&self) -> Vec<(String, Value)> {
        vec![
            ("n".to_string(), Value::Int(self.vars.n)),
            ("x".to_string(), Value::Float(self.vars.x)),
            (
                "other".to_string(),
                self.vars.other.map_or(Value::None, Value::Cell),
            ),
        ]
    }
}

/// Signal kind 0: `Ping { n: int }`.
pub const PING: SignalKindId = SignalKindId(0);
/// Signal kind 1: `Pong {}` (nobody handles it).
pub const PONG: SignalKindId = SignalKindId(1);

pub fn ping(n: i64) -> Record {
    Record {
        kind: PING,
        fields: vec![Value::Int(n)].into_boxed_slice(),
    }
}

pub fn pong() -> Record {
    Record {
        kind: PONG,
        fields: Vec::new().into_boxed_slice(),
    }
}

/// Settings with the economy and immune system out of the way: no income,
/// no basal cost, nobody judged, no automatic bonds.
pub fn quiet_settings() -> WorldSettings {
    WorldSettings {
        income: 0.0,
        basal: 0.0,
        grace: 1_000_000,
        autobind: 0,
        ..WorldSettings::default()
    }
}

/// A world with the given gradients and two signal kinds (Ping, Pong).
pub fn world(settings: WorldSettings, gradients: Vec<GradientSpec>, membranes: &[&str]) -> World {
    let decls = Declarations {
        gradients,
        membranes: membranes.iter().map(|m| m.to_string()).collect(),
        signals: vec![
            SignalSpec {
                name: "Ping".into(),
                fields: vec!["n".into()],
            },
            SignalSpec {
                name: "Pong".into(),
                fields: vec![],
            },
        ],
    };
    match World::new(settings, decls) {
        Ok(w) => w,
        Err(e) => panic!("bad world: {e}"),
    }
}

pub fn at(x: f64, y: f64) -> SpawnOptions {
    SpawnOptions {
        pos: Some(Vec2::new(x, y)),
        ..SpawnOptions::default()
    }
}

pub fn spawn(world: &mut World, cell: Scripted, x: f64, y: f64) -> CellId {
    match world.spawn(cell.boxed(), at(x, y), None) {
        Some(id) => id,
        None => panic!("spawn refused"),
    }
}

pub fn vars(world: &World, id: CellId) -> Vars {
    let Some(cell) = world.cell(id) else {
        panic!("cell {id} is gone")
    };
    let fields = cell.fields();
    let mut v = Vars::default();
    for (name, value) in fields {
        match (name.as_str(), value) {
            ("n", Value::Int(n)) => v.n = n,
            ("x", Value::Float(x)) => v.x = x,
            ("other", Value::Cell(c)) => v.other = Some(c),
            _ => {}
        }
    }
    v
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}
