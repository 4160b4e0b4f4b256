//! `world.*` settings (LANGUAGE.md §6) and the declarations a world is built
//! from (gradient kinds, membranes, signal names for display).

use crate::costs;
use crate::value::{Value, Vec2};

/// The `world.*` settings. Defaults are in [`crate::costs`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorldSettings {
    /// `world.seed`: keys every cell's random stream.
    pub seed: i64,
    /// `world.size`: when set, positions are clamped to `[-size/2, size/2]`
    /// on each axis; unset, the plane is unbounded.
    pub size: Option<Vec2>,
    /// `world.income`: energy shared among living cells each tick.
    pub income: f64,
    /// `world.initial_energy`: energy of host/ecosystem-spawned cells.
    pub initial_energy: f64,
    /// `world.spawn_energy`: default starting energy of a cell's child.
    pub spawn_energy: f64,
    /// `world.max_energy`: income never lifts a cell above this.
    pub max_energy: f64,
    /// `world.basal`: basal cost per tick of an awake cell.
    pub basal: f64,
    /// `world.starve_ticks`: starving ticks in a row that kill.
    pub starve_ticks: i64,
    /// `world.grace`: ticks of age before the immune system judges a cell.
    pub grace: i64,
    /// `world.immune_window`: ticks over which W/E and traffic are counted.
    pub immune_window: i64,
    /// `world.immune_threshold`: W/E under this flags a parasite.
    pub immune_threshold: f64,
    /// `world.immune_strikes`: flags in a row that trigger apoptosis.
    pub immune_strikes: i64,
    /// `world.autobind`: delivered signals over the window that bond a pair
    /// (0 or less: never).
    pub autobind: i64,
    /// `world.max_bonds`: bonds per cell.
    pub max_bonds: i64,
    /// `world.max_cells`: living cells at most.
    pub max_cells: i64,
}

impl Default for WorldSettings {
    fn default() -> Self {
        WorldSettings {
            seed: costs::DEFAULT_SEED,
            size: None,
            income: costs::DEFAULT_INCOME,
            initial_energy: costs::DEFAULT_INITIAL_ENERGY,
            spawn_energy: costs::DEFAULT_SPAWN_ENERGY,
            max_energy: costs::DEFAULT_MAX_ENERGY,
            basal: costs::DEFAULT_BASAL,
            starve_ticks: costs::DEFAULT_STARVE_TICKS,
            grace: costs::DEFAULT_GRACE,
            immune_window: costs::DEFAULT_IMMUNE_WINDOW,
            immune_threshold: costs::DEFAULT_IMMUNE_THRESHOLD,
            immune_strikes: costs::DEFAULT_IMMUNE_STRIKES,
            autobind: costs::DEFAULT_AUTOBIND,
            max_bonds: costs::DEFAULT_MAX_BONDS,
            max_cells: costs::DEFAULT_MAX_CELLS,
        }
    }
}

/// The names `world.*` accepts, in LANGUAGE.md §6 order.
pub const SETTING_NAMES: &[&str] = &[
    "seed",
    "size",
    "income",
    "initial_energy",
    "spawn_energy",
    "max_energy",
    "basal",
    "starve_ticks",
    "grace",
    "immune_window",
    "immune_threshold",
    "immune_strikes",
    "autobind",
    "max_bonds",
    "max_cells",
];

/// The Myco type a setting has: `Int`, `Float` or `Vec` (for `size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingType {
    /// `int`
    Int,
    /// `float`
    Float,
    /// `vec`
    Vec,
}

impl WorldSettings {
    /// The type of setting `name`, or `None` if there is no such setting.
    pub fn setting_type(name: &str) -> Option<SettingType> {
        match name {
            "seed" | "starve_ticks" | "grace" | "immune_window" | "immune_strikes" | "autobind"
            | "max_bonds" | "max_cells" => Some(SettingType::Int),
            "size" => Some(SettingType::Vec),
            "income" | "initial_energy" | "spawn_energy" | "max_energy" | "basal"
            | "immune_threshold" => Some(SettingType::Float),
            _ => None,
        }
    }

    /// `world.name = value`. Errors (a message) for an unknown name, a value
    /// of the wrong type, or a value out of range (negative energies,
    /// non-finite floats, a window under 1...).
    pub fn set(&mut self, name: &str, value: &Value) -> Result<(), String> {
        fn int(name: &str, value: &Value, min: i64) -> Result<i64, String> {
            match value {
                Value::Int(i) if *i >= min => Ok(*i),
                Value::Int(i) => Err(format!("world.{name} must be at least {min}, not {i}")),
                _ => Err(format!("world.{name} is an int")),
            }
        }
        fn float(name: &str, value: &Value) -> Result<f64, String> {
            match value {
                Value::Float(x) if x.is_finite() && *x >= 0.0 => Ok(*x),
                Value::Float(x) => Err(format!(
                    "world.{name} must be a finite float >= 0.0, not {x:?}"
                )),
                _ => Err(format!("world.{name} is a float")),
            }
        }
        match name {
            "seed" => self.seed = int(name, value, i64::MIN)?,
            "size" => match value {
                Value::Vec(v) if v.x.is_finite() && v.y.is_finite() && v.x > 0.0 && v.y > 0.0 => {
                    self.size = Some(*v)
                }
                Value::Vec(_) => return Err("world.size must be a positive finite vec".into()),
                _ => return Err("world.size is a vec".into()),
            },
            "income" => self.income = float(name, value)?,
            "initial_energy" => self.initial_energy = float(name, value)?,
            "spawn_energy" => self.spawn_energy = float(name, value)?,
            "max_energy" => self.max_energy = float(name, value)?,
            "basal" => self.basal = float(name, value)?,
            "starve_ticks" => self.starve_ticks = int(name, value, 1)?,
            "grace" => self.grace = int(name, value, 0)?,
            "immune_window" => self.immune_window = int(name, value, 1)?.min(MAX_WINDOW),
            "immune_threshold" => self.immune_threshold = float(name, value)?,
            "immune_strikes" => self.immune_strikes = int(name, value, 1)?,
            "autobind" => self.autobind = int(name, value, 0)?,
            "max_bonds" => self.max_bonds = int(name, value, 0)?,
            "max_cells" => self.max_cells = int(name, value, 0)?,
            _ => return Err(format!("there is no setting `world.{name}`")),
        }
        Ok(())
    }

    /// The value of `world.name`, or `None` for an unknown name (an unset
    /// `size` reads as `none`).
    pub fn get(&self, name: &str) -> Option<Value> {
        Some(match name {
            "seed" => Value::Int(self.seed),
            "size" => self.size.map_or(Value::None, Value::Vec),
            "income" => Value::Float(self.income),
            "initial_energy" => Value::Float(self.initial_energy),
            "spawn_energy" => Value::Float(self.spawn_energy),
            "max_energy" => Value::Float(self.max_energy),
            "basal" => Value::Float(self.basal),
            "starve_ticks" => Value::Int(self.starve_ticks),
            "grace" => Value::Int(self.grace),
            "immune_window" => Value::Int(self.immune_window),
            "immune_threshold" => Value::Float(self.immune_threshold),
            "immune_strikes" => Value::Int(self.immune_strikes),
            "autobind" => Value::Int(self.autobind),
            "max_bonds" => Value::Int(self.max_bonds),
            "max_cells" => Value::Int(self.max_cells),
            _ => return None,
        })
    }

    /// The window length actually used (at least 1, at most [`MAX_WINDOW`]).
    pub(crate) fn window(&self) -> usize {
        self.immune_window.clamp(1, MAX_WINDOW) as usize
    }

    /// Clamps a position into the world when `size` is set.
    pub(crate) fn clamp(&self, p: Vec2) -> Vec2 {
        match self.size {
            None => p,
            Some(s) => Vec2::new(
                p.x.clamp(-s.x / 2.0, s.x / 2.0),
                p.y.clamp(-s.y / 2.0, s.y / 2.0),
            ),
        }
    }
}

/// The longest `world.immune_window` honoured (longer values are clamped):
/// every cell keeps one entry per window tick.
pub const MAX_WINDOW: i64 = 1000;

/// A declared gradient kind: `gradient NAME { range, falloff, persist }`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GradientSpec {
    /// The declared name.
    pub name: String,
    /// Beyond this distance an emission is not sensed (unless bonded).
    pub range: f64,
    /// Attenuation: sensed strength is `s * exp(-falloff * d)`.
    pub falloff: f64,
    /// Ticks after the emission during which it is sensed (at least 1).
    pub persist: u32,
}

impl GradientSpec {
    /// A gradient with the default range, falloff and persistence.
    pub fn new(name: impl Into<String>) -> Self {
        GradientSpec {
            name: name.into(),
            range: costs::DEFAULT_GRADIENT_RANGE,
            falloff: costs::DEFAULT_GRADIENT_FALLOFF,
            persist: costs::DEFAULT_GRADIENT_PERSIST,
        }
    }

    /// Builder: sets the range.
    pub fn range(mut self, range: f64) -> Self {
        self.range = range;
        self
    }

    /// Builder: sets the falloff.
    pub fn falloff(mut self, falloff: f64) -> Self {
        self.falloff = falloff;
        self
    }

    /// Builder: sets the persistence.
    pub fn persist(mut self, persist: u32) -> Self {
        self.persist = persist;
        self
    }
}

/// A declared signal kind, for display (`Claim { worker: #3, bid: 0.5 }`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignalSpec {
    /// The declared name.
    pub name: String,
    /// Field names in declaration order.
    pub fields: Vec<String>,
}

/// Everything a world is built from besides its settings.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Declarations {
    /// Gradient kinds; `GradientId(i)` is `gradients[i]`.
    pub gradients: Vec<GradientSpec>,
    /// Membrane names; `MembraneId(i)` is `membranes[i]`.
    pub membranes: Vec<String>,
    /// Signal kinds; `SignalKindId(i)` is `signals[i]`.
    pub signals: Vec<SignalSpec>,
}

impl crate::value::Names for Declarations {
    fn gradient_name(&self, id: crate::value::GradientId) -> &str {
        self.gradients
            .get(id.0 as usize)
            .map_or("?", |g| g.name.as_str())
    }
    fn signal_name(&self, id: crate::value::SignalKindId) -> &str {
        self.signals
            .get(id.0 as usize)
            .map_or("?", |s| s.name.as_str())
    }
    fn signal_fields(&self, id: crate::value::SignalKindId) -> &[String] {
        self.signals
            .get(id.0 as usize)
            .map_or(&[], |s| s.fields.as_slice())
    }
}
