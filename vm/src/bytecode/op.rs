//! The instruction set and its energy cost table.
//!
//! Every instruction is a small `Copy` enum of at most 8 bytes: a one-byte
//! tag and up to three 16-bit register operands (or a register and a 32-bit
//! jump target). Register operands are relative to the current frame's base,
//! so a call only moves the base (arguments are already in place, as in Lua).
//!
//! The [`define_ops!`] table below is the single source of every opcode's
//! name, energy cost and meaning: the interpreter charges from it, the
//! disassembler prints from it, and `myco costs` publishes it.

use super::native::Native;

/// A register operand, relative to the frame base.
pub type Reg = u16;

/// Fuel (the interpreter's fixed-point energy unit) per unit of energy.
/// Opcode costs are in fuel; the cell's `energy` is `fuel / FUEL_PER_ENERGY`.
pub const FUEL_PER_ENERGY: i64 = 1_000_000;

/// Fuel charged per element when a list or record is built or grown
/// (memory metering): `costs::ALLOC_PER_ELEMENT`.
pub const FUEL_PER_LIST_ELEMENT: i64 = to_fuel(crate::costs::ALLOC_PER_ELEMENT);
/// Fuel charged per byte when a string is built (memory metering):
/// `costs::ALLOC_PER_BYTE`.
pub const FUEL_PER_STR_BYTE: i64 = to_fuel(crate::costs::ALLOC_PER_BYTE);

/// Energy → fuel, rounded to the nearest unit.
pub const fn to_fuel(energy: f64) -> i64 {
    (energy * FUEL_PER_ENERGY as f64 + 0.5) as i64
}
/// The longest list or string (in elements / bytes) a single value may hold.
pub const MAX_VALUE_LEN: usize = 1 << 20;
/// The most instructions one chunk may hold (so 16-bit jump targets suffice).
pub const MAX_CHUNK_LEN: usize = u16::MAX as usize;
/// The deepest Myco call stack (frames); deeper is a runtime error.
pub const MAX_CALL_DEPTH: usize = 256;

/// One row of the published cost table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// Which opcode.
    pub opcode: Opcode,
    /// Its mnemonic, as the disassembler prints it.
    pub name: &'static str,
    /// Its base cost in fuel (see [`FUEL_PER_ENERGY`]).
    pub cost: i64,
    /// What it does.
    pub meaning: &'static str,
}

/// Read-only cell intrinsics (`self.energy`, `now()`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intrinsic {
    /// `self.energy: float`
    Energy,
    /// `self.pos: vec`
    Pos,
    /// `self.age: int`
    Age,
    /// `self.bonds: [cell]`
    Bonds,
    /// `self.priority: float`
    Priority,
    /// `self.parent: cell?`
    Parent,
    /// `now(): int`
    Now,
}

impl Intrinsic {
    /// Its surface name.
    pub fn name(self) -> &'static str {
        match self {
            Intrinsic::Energy => "self.energy",
            Intrinsic::Pos => "self.pos",
            Intrinsic::Age => "self.age",
            Intrinsic::Bonds => "self.bonds",
            Intrinsic::Priority => "self.priority",
            Intrinsic::Parent => "self.parent",
            Intrinsic::Now => "now()",
        }
    }
}

/// A named member of a built-in value type (`v.x`, `r.strength`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// `vec.x`
    X,
    /// `vec.y`
    Y,
    /// `reading.source`
    Source,
    /// `reading.strength`
    Strength,
    /// `reading.distance`
    Distance,
    /// `reading.pos`
    Pos,
    /// `reading.bonded`
    Bonded,
}

impl Member {
    /// Its surface name.
    pub fn name(self) -> &'static str {
        match self {
            Member::X => "x",
            Member::Y => "y",
            Member::Source => "source",
            Member::Strength => "strength",
            Member::Distance => "distance",
            Member::Pos => "pos",
            Member::Bonded => "bonded",
        }
    }
}

/// A `world.*` setting the ecosystem block may assign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldSetting {
    /// `world.seed: int`
    Seed,
    /// `world.size: vec`
    Size,
    /// `world.income: float`
    Income,
    /// `world.initial_energy: float`
    InitialEnergy,
    /// `world.spawn_energy: float`
    SpawnEnergy,
    /// `world.max_energy: float`
    MaxEnergy,
    /// `world.basal: float`
    Basal,
    /// `world.starve_ticks: int`
    StarveTicks,
    /// `world.grace: int`
    Grace,
    /// `world.immune_window: int`
    ImmuneWindow,
    /// `world.immune_threshold: float`
    ImmuneThreshold,
    /// `world.immune_strikes: int`
    ImmuneStrikes,
    /// `world.autobind: int`
    Autobind,
    /// `world.max_bonds: int`
    MaxBonds,
    /// `world.max_cells: int`
    MaxCells,
}

impl WorldSetting {
    /// Every setting, in documentation order.
    pub const ALL: [WorldSetting; 15] = [
        WorldSetting::Seed,
        WorldSetting::Size,
        WorldSetting::Income,
        WorldSetting::InitialEnergy,
        WorldSetting::SpawnEnergy,
        WorldSetting::MaxEnergy,
        WorldSetting::Basal,
        WorldSetting::StarveTicks,
        WorldSetting::Grace,
        WorldSetting::ImmuneWindow,
        WorldSetting::ImmuneThreshold,
        WorldSetting::ImmuneStrikes,
        WorldSetting::Autobind,
        WorldSetting::MaxBonds,
        WorldSetting::MaxCells,
    ];

    /// The name after `world.`.
    pub fn name(self) -> &'static str {
        match self {
            WorldSetting::Seed => "seed",
            WorldSetting::Size => "size",
            WorldSetting::Income => "income",
            WorldSetting::InitialEnergy => "initial_energy",
            WorldSetting::SpawnEnergy => "spawn_energy",
            WorldSetting::MaxEnergy => "max_energy",
            WorldSetting::Basal => "basal",
            WorldSetting::StarveTicks => "starve_ticks",
            WorldSetting::Grace => "grace",
            WorldSetting::ImmuneWindow => "immune_window",
            WorldSetting::ImmuneThreshold => "immune_threshold",
            WorldSetting::ImmuneStrikes => "immune_strikes",
            WorldSetting::Autobind => "autobind",
            WorldSetting::MaxBonds => "max_bonds",
            WorldSetting::MaxCells => "max_cells",
        }
    }

    /// The setting called `name` (after `world.`).
    pub fn from_name(name: &str) -> Option<WorldSetting> {
        WorldSetting::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Defines [`Op`], [`Opcode`] and [`OPCODES`] from one table so that the
/// interpreter, the disassembler and `myco costs` can never disagree.
macro_rules! define_ops {
    ($( $name:ident $({ $($field:ident : $fty:ty),* $(,)? })? = $cost:expr, $meaning:literal; )*) => {
        /// One instruction.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum Op {
            $(
                #[doc = $meaning]
                $name $({ $(
                    #[allow(missing_docs)]
                    $field: $fty
                ),* })?,
            )*
        }

        /// An instruction's kind, without operands (indexes [`OPCODES`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $(
                #[doc = $meaning]
                $name,
            )*
        }

        impl Op {
            /// This instruction's opcode.
            #[inline(always)]
            pub const fn opcode(&self) -> Opcode {
                match self {
                    $( Op::$name { .. } => Opcode::$name, )*
                }
            }
        }

        /// The published opcode table: name, base cost in fuel, meaning.
        pub const OPCODES: &[OpInfo] = &[
            $( OpInfo { opcode: Opcode::$name, name: stringify!($name), cost: $cost, meaning: $meaning }, )*
        ];

        /// Base cost in fuel of each opcode, indexed by `Opcode as usize`.
        pub const OP_COSTS: &[i64] = &[ $( $cost, )* ];
    };
}

/// Base cost of a simple instruction (a move, an add, a jump): `costs::INSTRUCTION`.
pub const BASIC_COST: i64 = to_fuel(crate::costs::INSTRUCTION);
const BASIC: i64 = BASIC_COST;

define_ops! {
    Move { dst: Reg, src: Reg } = BASIC, "dst = src";
    LoadConst { dst: Reg, k: u16 } = BASIC, "dst = constant k";
    LoadInt { dst: Reg, value: i32 } = BASIC, "dst = small int literal";
    LoadBool { dst: Reg, value: bool } = BASIC, "dst = true/false";
    LoadNone { dst: Reg } = BASIC, "dst = none";
    LoadSelf { dst: Reg } = BASIC, "dst = self (this cell's id)";
    LoadSender { dst: Reg } = BASIC, "dst = sender (inside a handler)";

    AddInt { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a + b (int; overflow is a runtime error)";
    AddIntImm { dst: Reg, a: Reg, imm: i16 } = BASIC, "dst = a + imm (int; overflow is a runtime error)";
    SubInt { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a - b (int; overflow is a runtime error)";
    MulInt { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a * b (int; overflow is a runtime error)";
    DivInt { dst: Reg, a: Reg, b: Reg } = 2 * BASIC, "dst = a / b (int, truncating; by zero is a runtime error)";
    ModInt { dst: Reg, a: Reg, b: Reg } = 2 * BASIC, "dst = a % b (int, truncating; by zero is a runtime error)";
    NegInt { dst: Reg, src: Reg } = BASIC, "dst = -src (int; overflow is a runtime error)";
    AddFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a + b (float)";
    SubFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a - b (float)";
    MulFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a * b (float)";
    DivFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a / b (float, IEEE 754)";
    ModFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a % b (float, IEEE 754)";
    NegFloat { dst: Reg, src: Reg } = BASIC, "dst = -src (float)";
    AddVec { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a + b (vec)";
    SubVec { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a - b (vec)";
    MulVec { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a * b (vec times float)";
    DivVec { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a / b (vec divided by float)";
    NegVec { dst: Reg, src: Reg } = BASIC, "dst = -src (vec)";
    Concat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a + b (str; plus memory per byte)";

    Eq { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a == b (any type)";
    Ne { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a != b (any type)";
    LtInt { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a < b (int)";
    LeInt { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a <= b (int)";
    LtFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a < b (float)";
    LeFloat { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a <= b (float)";
    LtStr { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a < b (str, bytewise)";
    LeStr { dst: Reg, a: Reg, b: Reg } = BASIC, "dst = a <= b (str, bytewise)";
    Not { dst: Reg, src: Reg } = BASIC, "dst = !src";

    Jump { target: u32 } = BASIC, "pc = target";
    JumpIfFalse { cond: Reg, target: u32 } = BASIC, "if !cond: pc = target";
    JumpIfTrue { cond: Reg, target: u32 } = BASIC, "if cond: pc = target";
    JumpIfNone { src: Reg, target: u32 } = BASIC, "if src is none: pc = target";
    JumpIfNotLtInt { a: Reg, b: Reg, target: u16 } = BASIC, "if !(a < b) (int): pc = target (chunks are at most 65535 instructions)";
    ForRange { counter: Reg, end: Reg, target: u16 } = BASIC, "counter += 1; if counter < end: pc = target (the back-edge of for i in a..b)";
    ForList { iter: Reg, var: Reg, target: u16 } = BASIC, "R[iter+1] indexes list R[iter]: past the end pc = target, else var = element and the index steps";

    Call { dst: Reg, func: u16, args: Reg } = 5 * BASIC, "dst = functions[func](R[args..]); arguments are the callee's first registers";
    CallHost { dst: Reg, index: u16, args: Reg } = 5 * BASIC, "dst = host function index (R[args..]) (embedder-provided)";
    Return { src: Reg } = BASIC, "return src to the caller";
    ReturnNone = BASIC, "return (no value)";

    GetField { dst: Reg, field: u16 } = BASIC, "dst = self.field";
    SetField { field: u16, src: Reg } = BASIC, "self.field = src";
    TakeField { dst: Reg, field: u16 } = BASIC, "dst = self.field, leaving none (to mutate a list field in place)";

    NewList { dst: Reg, start: Reg, count: u16 } = 2 * BASIC, "dst = [R[start], ..., R[start+count-1]] (plus memory per element)";
    NewVec { dst: Reg, x: Reg, y: Reg } = BASIC, "dst = (x, y)";
    NewRecord { dst: Reg, signal: u16, start: Reg } = 2 * BASIC, "dst = a record of signal kind `signal` from consecutive registers";
    Index { dst: Reg, list: Reg, index: Reg } = BASIC, "dst = list[index] (out of range is a runtime error)";
    GetMember { dst: Reg, src: Reg, member: Member } = BASIC, "dst = src.member (vec or reading)";
    RecordField { dst: Reg, src: Reg, field: u16 } = BASIC, "dst = src.field (signal record)";
    ListPush { list: Reg, value: Reg } = 2 * BASIC, "list.push(value) in place (plus memory per element)";
    ListPop { dst: Reg, list: Reg } = 2 * BASIC, "dst = list.pop() in place (T?)";
    ListRemove { dst: Reg, list: Reg, index: Reg } = 2 * BASIC, "dst = list.remove(index) in place (out of range is a runtime error)";
    CallNative { dst: Reg, native: Native, args: Reg } = 2 * BASIC, "dst = native(R[args..]) (math, rand, conversions, list/vec methods)";
    GetIntrinsic { dst: Reg, which: Intrinsic } = BASIC, "dst = self.energy / pos / age / bonds / priority / parent, or now()";

    Emit { dst: Reg, gradient: Reg, strength: Reg } = BASIC, "dst = emit gradient strength (plus the construct's cost)";
    Sense { dst: Reg, gradient: Reg } = BASIC, "dst = sense gradient (plus the construct's cost)";
    SenseFirst { dst: Reg, gradient: Reg } = 3 * BASIC, "dst = (sense gradient).first() without building the list: charged exactly as Sense then CallNative first (plus the construct's cost)";
    Bind { dst: Reg, target: Reg } = BASIC, "dst = bind target (plus the construct's cost)";
    Unbind { dst: Reg, target: Reg } = BASIC, "dst = unbind target (plus the construct's cost)";
    Send { dst: Reg, record: Reg, target: Reg } = BASIC, "dst = send record to target (plus the construct's cost)";
    Report { value: Reg } = BASIC, "report value (declares value produced)";
    Spawn { dst: Reg, desc: u16, args: Reg } = BASIC, "dst = spawn per spawn descriptor desc (plus the construct's cost and the child's energy)";
    Differentiate { desc: u16, args: Reg } = BASIC, "become another cell kind (descriptor desc); ends the turn";
    MoveBy { dst: Reg, by: Reg } = BASIC, "dst = move by (plus the construct's cost)";
    Sleep { ticks: Reg } = BASIC, "sleep ticks; ends the turn";
    SleepUntil { gradient: Reg, threshold: Reg } = BASIC, "sleep until gradient > threshold; ends the turn";
    Die = BASIC, "graceful apoptosis; ends the turn";
    Print { start: Reg, count: u16 } = 2 * BASIC, "print R[start..start+count] as one line (plus memory per byte)";
    SetWorld { setting: WorldSetting, src: Reg } = BASIC, "world.setting = src (ecosystem block)";
    Fault { message: u16 } = BASIC, "runtime error with constant message";
}

impl Op {
    /// This instruction's base cost in fuel.
    #[inline(always)]
    pub fn cost(&self) -> i64 {
        OP_COSTS[self.opcode() as usize]
    }

    /// Where a jump goes, if this is a jump.
    pub fn jump_target(&self) -> Option<u32> {
        match *self {
            Op::Jump { target }
            | Op::JumpIfFalse { target, .. }
            | Op::JumpIfTrue { target, .. }
            | Op::JumpIfNone { target, .. } => Some(target),
            Op::JumpIfNotLtInt { target, .. }
            | Op::ForRange { target, .. }
            | Op::ForList { target, .. } => Some(u32::from(target)),
            _ => None,
        }
    }

    /// Redirects a jump to `to` (used by the lowering's back-patching).
    pub fn set_jump_target(&mut self, to: u32) {
        match self {
            Op::Jump { target }
            | Op::JumpIfFalse { target, .. }
            | Op::JumpIfTrue { target, .. }
            | Op::JumpIfNone { target, .. } => *target = to,
            // Chunks never exceed `MAX_CHUNK_LEN` instructions (validation checks).
            Op::JumpIfNotLtInt { target, .. }
            | Op::ForRange { target, .. }
            | Op::ForList { target, .. } => *target = u16::try_from(to).unwrap_or(u16::MAX),
            _ => {}
        }
    }
}

/// The opcode cost table as rows `(mnemonic, cost in energy, meaning)`, for `myco costs`.
pub fn opcode_table() -> Vec<(&'static str, f64, &'static str)> {
    OPCODES
        .iter()
        .map(|info| {
            (
                info.name,
                info.cost as f64 / FUEL_PER_ENERGY as f64,
                info.meaning,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_stay_eight_bytes() {
        assert_eq!(std::mem::size_of::<Op>(), 8);
    }

    #[test]
    fn table_is_indexed_by_opcode() {
        for (i, info) in OPCODES.iter().enumerate() {
            assert_eq!(info.opcode as usize, i, "{}", info.name);
            assert!(info.cost > 0, "{} must cost something", info.name);
        }
        assert_eq!(Op::Die.cost(), BASIC);
        // The interpreter charges BASIC per instruction and the extra of
        // exactly these opcodes in their arms: keep this list in step.
        let dearer: Vec<&str> = OPCODES
            .iter()
            .filter(|i| i.cost != BASIC)
            .map(|i| i.name)
            .collect();
        assert_eq!(
            dearer,
            vec![
                "DivInt",
                "ModInt",
                "Call",
                "CallHost",
                "NewList",
                "NewRecord",
                "ListPush",
                "ListPop",
                "ListRemove",
                "CallNative",
                "SenseFirst",
                "Print"
            ]
        );
        assert_eq!(
            Op::Call {
                dst: 0,
                func: 0,
                args: 0
            }
            .cost(),
            5 * BASIC
        );
    }
}
