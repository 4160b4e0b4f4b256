//! A compiled function body.

use super::op::{Op, Reg};
use crate::value::{MembraneId, Value};

/// A source position for runtime errors: `file:line:col` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SourceLoc {
    /// Index into [`crate::program::Program::files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
}

/// What a `spawn` or `differentiate` builds, and where its operands sit.
///
/// The instruction's `args` register starts a block laid out as:
/// `[at if has_at] [energy if has_energy] [priority if has_priority] [one per field in fields]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpawnDesc {
    /// The cell kind (index into the program's kinds).
    pub kind: u32,
    /// Field indices of the kind that the `{...}` overrides, in operand order.
    pub fields: Vec<u16>,
    /// An `at p` operand is present.
    pub has_at: bool,
    /// An `energy:` operand is present.
    pub has_energy: bool,
    /// A `priority:` operand is present.
    pub has_priority: bool,
    /// `in M` (ecosystem only).
    pub membrane: Option<MembraneId>,
}

impl SpawnDesc {
    /// How many consecutive registers its operands take.
    pub fn operand_count(&self) -> usize {
        usize::from(self.has_at)
            + usize::from(self.has_energy)
            + usize::from(self.has_priority)
            + self.fields.len()
    }
}

/// One function's code: a function, a method, a handler, a metabolism,
/// `on spawn`, `on apoptosis` or the ecosystem block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunk {
    /// For listings and error messages (`Worker.metabolism`, `clamp01`).
    pub name: String,
    /// Parameters: they arrive in registers `0..params`.
    pub params: u16,
    /// Registers the frame needs (parameters included).
    pub registers: u16,
    /// The instructions.
    pub code: Vec<Op>,
    /// The source position of each instruction (same length as `code`).
    pub locs: Vec<SourceLoc>,
    /// Constants referenced by `LoadConst` (and `Fault` messages, as `Str`).
    pub consts: Vec<Value>,
    /// Descriptors referenced by `Spawn` and `Differentiate`.
    pub spawns: Vec<SpawnDesc>,
}

impl Chunk {
    /// An empty chunk called `name` with `params` parameters.
    pub fn new(name: impl Into<String>, params: u16) -> Chunk {
        Chunk {
            name: name.into(),
            params,
            registers: params,
            ..Chunk::default()
        }
    }

    /// Appends an instruction at `loc`; returns its index.
    pub fn push(&mut self, op: Op, loc: SourceLoc) -> u32 {
        self.code.push(op);
        self.locs.push(loc);
        (self.code.len() - 1) as u32
    }

    /// Adds a constant (reusing an equal one); returns its index.
    pub fn add_const(&mut self, value: Value) -> u16 {
        if let Some(i) = self.consts.iter().position(|c| same_const(c, &value)) {
            return i as u16;
        }
        self.consts.push(value);
        (self.consts.len() - 1) as u16
    }

    /// Makes sure the frame has at least `reg + 1` registers.
    pub fn reserve_register(&mut self, reg: Reg) {
        self.registers = self.registers.max(reg.saturating_add(1));
    }

    /// The source position of instruction `pc` (the default if out of range).
    pub fn loc(&self, pc: usize) -> SourceLoc {
        self.locs.get(pc).copied().unwrap_or_default()
    }

    /// Checks the invariants the interpreter relies on: every register
    /// operand inside the frame, every jump inside the code, every constant
    /// and descriptor index valid. Lowering bugs show up here, not as panics.
    pub fn validate(&self, functions: &[Chunk]) -> Result<(), String> {
        let regs = usize::from(self.registers);
        let ok = |r: Reg| usize::from(r) < regs;
        if self.locs.len() != self.code.len() {
            return Err(format!("{}: locations do not match code", self.name));
        }
        if self.code.len() > super::op::MAX_CHUNK_LEN {
            return Err(format!(
                "{}: more than {} instructions",
                self.name,
                super::op::MAX_CHUNK_LEN
            ));
        }
        if self.code.is_empty() {
            return Err(format!("{}: empty code", self.name));
        }
        for (pc, op) in self.code.iter().enumerate() {
            let bad = |what: &str| Err(format!("{}: instruction {pc} ({op:?}): {what}", self.name));
            if let Some(t) = op.jump_target()
                && t as usize >= self.code.len()
            {
                return bad("jump outside the code");
            }
            let regs_ok = match *op {
                Op::Move { dst, src }
                | Op::NegInt { dst, src }
                | Op::NegFloat { dst, src }
                | Op::NegVec { dst, src }
                | Op::Not { dst, src } => ok(dst) && ok(src),
                Op::LoadConst { dst, k } => {
                    if usize::from(k) >= self.consts.len() {
                        return bad("constant out of range");
                    }
                    ok(dst)
                }
                Op::LoadInt { dst, .. }
                | Op::LoadBool { dst, .. }
                | Op::LoadNone { dst }
                | Op::LoadSelf { dst }
                | Op::LoadSender { dst }
                | Op::GetField { dst, .. }
                | Op::TakeField { dst, .. }
                | Op::GetIntrinsic { dst, .. } => ok(dst),
                Op::AddIntImm { dst, a, .. } => ok(dst) && ok(a),
                Op::AddInt { dst, a, b }
                | Op::SubInt { dst, a, b }
                | Op::MulInt { dst, a, b }
                | Op::DivInt { dst, a, b }
                | Op::ModInt { dst, a, b }
                | Op::AddFloat { dst, a, b }
                | Op::SubFloat { dst, a, b }
                | Op::MulFloat { dst, a, b }
                | Op::DivFloat { dst, a, b }
                | Op::ModFloat { dst, a, b }
                | Op::AddVec { dst, a, b }
                | Op::SubVec { dst, a, b }
                | Op::MulVec { dst, a, b }
                | Op::DivVec { dst, a, b }
                | Op::Concat { dst, a, b }
                | Op::Eq { dst, a, b }
                | Op::Ne { dst, a, b }
                | Op::LtInt { dst, a, b }
                | Op::LeInt { dst, a, b }
                | Op::LtFloat { dst, a, b }
                | Op::LeFloat { dst, a, b }
                | Op::LtStr { dst, a, b }
                | Op::LeStr { dst, a, b } => ok(dst) && ok(a) && ok(b),
                Op::Jump { .. } | Op::ReturnNone | Op::Die | Op::Fault { .. } => true,
                Op::JumpIfFalse { cond, .. } | Op::JumpIfTrue { cond, .. } => ok(cond),
                Op::JumpIfNone { src, .. } => ok(src),
                Op::JumpIfNotLtInt { a, b, .. } => ok(a) && ok(b),
                Op::ForRange { counter, end, .. } => ok(counter) && ok(end),
                Op::ForList { iter, var, .. } => usize::from(iter) + 1 < regs && ok(var),
                Op::CallHost { dst, args, .. } => ok(dst) && usize::from(args) <= regs,
                Op::Call { dst, func, args } => {
                    let Some(callee) = functions.get(usize::from(func)) else {
                        return bad("call to an unknown function");
                    };
                    ok(dst) && usize::from(args) + usize::from(callee.params) <= regs
                }
                Op::Return { src } => ok(src),
                Op::SetField { src, .. } => ok(src),
                Op::NewList { dst, start, count } => {
                    ok(dst) && usize::from(start) + usize::from(count) <= regs
                }
                Op::NewVec { dst, x, y } => ok(dst) && ok(x) && ok(y),
                Op::NewRecord { dst, start, .. } => ok(dst) && usize::from(start) <= regs,
                Op::Index { dst, list, index } | Op::ListRemove { dst, list, index } => {
                    ok(dst) && ok(list) && ok(index)
                }
                Op::GetMember { dst, src, .. } | Op::RecordField { dst, src, .. } => {
                    ok(dst) && ok(src)
                }
                Op::ListPush { list, value } => ok(list) && ok(value),
                Op::ListPop { dst, list } => ok(dst) && ok(list),
                Op::CallNative { dst, native, args } => {
                    ok(dst) && usize::from(args) + native.arity() <= regs
                }
                Op::Emit {
                    dst,
                    gradient,
                    strength,
                } => ok(dst) && ok(gradient) && ok(strength),
                Op::Sense { dst, gradient } | Op::SenseFirst { dst, gradient } => {
                    ok(dst) && ok(gradient)
                }
                Op::Bind { dst, target } | Op::Unbind { dst, target } => ok(dst) && ok(target),
                Op::Send {
                    dst,
                    record,
                    target,
                } => ok(dst) && ok(record) && ok(target),
                Op::Report { value } => ok(value),
                Op::Spawn { dst, desc, args } => {
                    let Some(d) = self.spawns.get(usize::from(desc)) else {
                        return bad("spawn descriptor out of range");
                    };
                    ok(dst) && usize::from(args) + d.operand_count() <= regs
                }
                Op::Differentiate { desc, args } => {
                    let Some(d) = self.spawns.get(usize::from(desc)) else {
                        return bad("spawn descriptor out of range");
                    };
                    usize::from(args) + d.operand_count() <= regs
                }
                Op::MoveBy { dst, by } => ok(dst) && ok(by),
                Op::Sleep { ticks } => ok(ticks),
                Op::SleepUntil {
                    gradient,
                    threshold,
                } => ok(gradient) && ok(threshold),
                Op::Print { start, count } => usize::from(start) + usize::from(count) <= regs,
                Op::SetWorld { src, .. } => ok(src),
            };
            if !regs_ok {
                return bad("register outside the frame");
            }
        }
        Ok(())
    }
}

/// Constants are shared only when identical in type and bits (so `0.0` and
/// `-0.0` stay distinct).
fn same_const(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Float(_), _) | (_, Value::Float(_)) => false,
        _ => a == b,
    }
}
