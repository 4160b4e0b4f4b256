//! The dispatch loop.
//!
//! One [`Vm`] is reused across turns (the script cell keeps one per worker
//! thread), so its register file and frame stack are allocated once and
//! only grow: arithmetic, locals, fields, jumps and calls never allocate.
//!
//! Metering: `fuel` is a local integer decremented by each instruction's
//! cost. It is only *tested* at back-edges, calls, returns, constructs and
//! runtime errors; straight-line code between two tests has no effects, so
//! finding the exhaustion a few instructions late aborts the same turn with
//! the same (rolled back) result. The fuel is synced with the cell's energy
//! before every construct and when the run ends.

use std::sync::Arc;

use super::host::{Host, HostError, SpawnRequest, TurnEnd};
use super::limits;
use super::natives::call_native;
use crate::bytecode::op::{BASIC_COST, FUEL_PER_LIST_ELEMENT, FUEL_PER_STR_BYTE, MAX_CALL_DEPTH};
use crate::bytecode::op::{OP_COSTS, Opcode};
use crate::bytecode::{Chunk, Member, Native, Op, SourceLoc};
use crate::program::{FunctionId, Program};
use crate::value::{Record, Value, Vec2};

/// A runtime error with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeError {
    /// What went wrong.
    pub message: String,
    /// Where (resolve with [`Program::describe_loc`]).
    pub loc: SourceLoc,
    /// `file:line:col: message`, ready for the event log.
    pub rendered: String,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Exit {
    /// The chunk returned (handlers and metabolism return none).
    Returned(Value),
    /// `sleep`, `die` or `differentiate` ended the turn (the host knows which).
    TurnEnded,
    /// A charge would have taken the energy below zero: roll the turn back.
    OutOfEnergy,
    /// A runtime error: roll the turn back, apoptosis.
    Fault(RuntimeError),
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    func: u32,
    pc: u32,
    base: u32,
    ret: u16,
}

/// A reusable interpreter: register file, frame stack and the turn's step budget.
#[derive(Debug, Default)]
pub struct Vm {
    regs: Vec<Value>,
    /// Registers at or above this index were never written since the last clear.
    high_water: usize,
    frames: Vec<Frame>,
    /// The host's instruction budget for the turn, in fuel units.
    budget_left: i64,
    /// The host's other limits (value size, interrupt flag).
    limits: limits::VmLimits,
}

/// Everything a run reads besides the host.
pub struct RunInput<'a> {
    /// The program.
    pub program: &'a Program,
    /// The chunk to run.
    pub function: FunctionId,
    /// Its arguments (a handler's record).
    pub args: &'a [Value],
    /// `sender` inside a handler (`Value::None` elsewhere).
    pub sender: Value,
}

impl Vm {
    /// A fresh interpreter.
    pub fn new() -> Vm {
        Vm::default()
    }

    /// Starts a turn allowing at most `max_instructions` instructions across
    /// all the runs of the turn (`on spawn`, handlers, metabolism). They are
    /// counted in basic-instruction units: an instruction whose cost is k
    /// times the basic cost counts k (so the limit shares the fuel counter
    /// and costs nothing per instruction).
    pub fn begin_turn(&mut self, max_instructions: u64) {
        let fuel = u128::from(max_instructions) * BASIC_COST as u128;
        self.budget_left = i64::try_from(fuel).unwrap_or(i64::MAX).min(i64::MAX / 4);
    }

    /// Sets the turn's remaining host budget, in fuel units (a cell keeps
    /// its own across the runs of one turn; see [`Vm::budget`]).
    pub fn set_budget(&mut self, fuel: i64) {
        self.budget_left = fuel;
    }

    /// Sets the host's limits for the following runs (value size, interrupt).
    pub fn set_limits(&mut self, limits: limits::VmLimits) {
        self.limits = limits;
    }

    /// [`Vm::set_limits`] from a reference, cloning only when they differ
    /// (the script cell sets the same limits before every run: no `Arc`
    /// increment and decrement of the interrupt handle per run).
    pub fn set_limits_from(&mut self, limits: &limits::VmLimits) {
        if self.limits != *limits {
            self.limits = limits.clone();
        }
    }

    /// The turn's remaining host budget, in fuel units.
    pub fn budget(&self) -> i64 {
        self.budget_left
    }

    /// Basic-instruction units still allowed this turn.
    pub fn instructions_left(&self) -> u64 {
        (self.budget_left.max(0) / BASIC_COST) as u64
    }

    /// Runs one chunk to completion with the cell's `fields`.
    pub fn run<H: Host>(
        &mut self,
        input: RunInput<'_>,
        fields: &mut [Value],
        host: &mut H,
    ) -> Exit {
        let Some(chunk) = input.program.function(input.function) else {
            return Exit::Fault(RuntimeError {
                message: "internal error: unknown function".into(),
                loc: SourceLoc::default(),
                rendered: "internal error: unknown function".into(),
            });
        };
        if self.regs.len() < FRAME_WINDOW {
            self.regs.resize(FRAME_WINDOW, Value::None);
        }
        for (slot, arg) in self.regs.iter_mut().zip(input.args) {
            *slot = arg.clone();
        }
        self.high_water = usize::from(chunk.registers).max(input.args.len());
        self.frames.clear();
        let exit = self.dispatch(
            input.program,
            input.function,
            chunk,
            &input.sender,
            fields,
            host,
        );
        // Drop what the registers hold so lists don't outlive the turn.
        // (Plain values are overwritten without a call to their drop: this
        // runs over every register a turn touched.)
        let used = self.high_water.min(self.regs.len());
        for r in &mut self.regs[..used] {
            if matches!(
                r,
                Value::Str(_) | Value::List(_) | Value::Record(_) | Value::Reading(_)
            ) {
                *r = Value::None;
            } else {
                std::mem::forget(std::mem::replace(r, Value::None));
            }
        }
        exit
    }

    // The budget macros reset counters that a returning path never reads again.
    #[allow(clippy::too_many_lines, unused_assignments)]
    fn dispatch<'p, H: Host>(
        &mut self,
        program: &'p Program,
        entry: FunctionId,
        entry_chunk: &'p Chunk,
        sender: &Value,
        fields: &mut [Value],
        host: &mut H,
    ) -> Exit {
        let mut func = entry;
        let mut chunk: &'p Chunk = entry_chunk;
        let mut code: &'p [Op] = &chunk.code;
        let mut pc: usize = 0;
        let mut base: usize = 0;
        let regs = &mut self.regs;
        let high_water = &mut self.high_water;
        let frames = &mut self.frames;
        // The current frame's register window: a fixed-size array, so a
        // 16-bit register operand can never index out of it (no bounds
        // checks in the hot path, and no `unsafe`).
        let mut frame: &mut Window = window(regs, 0);
        let budget_left = &mut self.budget_left;
        let vm_limits = &self.limits;
        let max_len = vm_limits.max_value_len;
        // With an interrupt flag the budget is handed out in slices; the
        // flag is looked at when one runs out.
        let slice = vm_limits.slice();
        // One counter meters both the cell's energy and the host's
        // instruction budget: it holds the smaller of the two (or of a
        // slice), as of the last sync with the host (`energy_cap`,
        // `budget_cap`); `synced - fuel` is what was consumed since.
        let mut energy_cap = host.available_fuel();
        let mut budget_cap = *budget_left;
        let mut fuel: i64 = energy_cap.min(budget_cap).min(slice);
        let mut synced: i64 = fuel;

        // The counter ran out: the energy (abort) or the host budget (fault).
        macro_rules! exhausted {
            () => {{
                let consumed = synced - fuel;
                let left = energy_cap.min(budget_cap) - consumed;
                if left >= 0 {
                    // Only a slice ran out: look at the interrupt flag and
                    // take the next slice. Nothing is handed to the host
                    // here, so energy is charged exactly as without slices.
                    if vm_limits.interrupted() {
                        return Exit::OutOfEnergy;
                    }
                    fuel = left.min(slice);
                    synced = fuel + consumed;
                } else if budget_cap < energy_cap {
                    *budget_left = -1;
                    return fault(
                        program,
                        chunk,
                        pc.saturating_sub(1),
                        "instruction limit per turn reached".to_string(),
                    );
                } else {
                    return Exit::OutOfEnergy;
                }
            }};
        }
        // A runtime error at the current instruction (exhaustion found at
        // the same time wins: the turn would have stopped first).
        macro_rules! fail {
            ($($msg:tt)*) => {{
                if fuel < 0 {
                    exhausted!();
                }
                let _ = host.spend_fuel(synced - fuel);
                *budget_left -= synced - fuel;
                return fault(program, chunk, pc.saturating_sub(1), format!($($msg)*));
            }};
        }
        // Budget test: at back-edges and calls.
        macro_rules! check_budget {
            () => {{
                if fuel < 0 {
                    exhausted!();
                }
            }};
        }
        // Hand the consumed fuel to the host before a construct.
        macro_rules! sync_out {
            () => {{
                check_budget!();
                match host.spend_fuel(synced - fuel) {
                    Ok(()) => {}
                    Err(HostError::OutOfEnergy) => return Exit::OutOfEnergy,
                    Err(HostError::Fault(m)) => fail!("{m}"),
                }
                *budget_left -= synced - fuel;
                synced = fuel;
            }};
        }
        // Re-read the energy after a construct charged it.
        macro_rules! sync_in {
            () => {{
                energy_cap = host.available_fuel();
                budget_cap = *budget_left;
                fuel = energy_cap.min(budget_cap).min(slice);
                synced = fuel;
            }};
        }
        macro_rules! host_call {
            ($e:expr) => {{
                sync_out!();
                let result = $e;
                sync_in!();
                match result {
                    Ok(v) => v,
                    Err(HostError::OutOfEnergy) => return Exit::OutOfEnergy,
                    Err(HostError::Fault(m)) => fail!("{m}"),
                }
            }};
        }
        // The part of an opcode's table cost above the basic cost.
        macro_rules! extra {
            ($opcode:ident) => {
                fuel -= const { OP_COSTS[Opcode::$opcode as usize] - BASIC_COST };
            };
        }
        macro_rules! reg {
            ($r:expr) => {
                frame[usize::from($r)]
            };
        }
        macro_rules! int {
            ($r:expr) => {
                match reg!($r) {
                    Value::Int(i) => i,
                    ref other => fail!("internal error: expected an int, found {other:?}"),
                }
            };
        }
        macro_rules! float {
            ($r:expr) => {
                match reg!($r) {
                    Value::Float(x) => x,
                    ref other => fail!("internal error: expected a float, found {other:?}"),
                }
            };
        }
        macro_rules! vector {
            ($r:expr) => {
                match reg!($r) {
                    Value::Vec(v) => v,
                    ref other => fail!("internal error: expected a vec, found {other:?}"),
                }
            };
        }
        macro_rules! boolean {
            ($r:expr) => {
                match reg!($r) {
                    Value::Bool(b) => b,
                    ref other => fail!("internal error: expected a bool, found {other:?}"),
                }
            };
        }
        macro_rules! cell {
            ($r:expr) => {
                match reg!($r) {
                    Value::Cell(c) => c,
                    ref other => fail!("internal error: expected a cell, found {other:?}"),
                }
            };
        }
        macro_rules! gradient {
            ($r:expr) => {
                match reg!($r) {
                    Value::Gradient(g) => g,
                    ref other => fail!("internal error: expected a gradient, found {other:?}"),
                }
            };
        }
        macro_rules! int_op {
            ($dst:expr, $a:expr, $b:expr, $method:ident, $what:literal) => {{
                let x = int!($a);
                let y = int!($b);
                match x.$method(y) {
                    Some(v) => put_int(&mut reg!($dst), v),
                    None => fail!($what),
                }
            }};
        }
        macro_rules! float_op {
            ($dst:expr, $a:expr, $b:expr, $op:tt) => {{
                let x = float!($a);
                let y = float!($b);
                put_float(&mut reg!($dst), x $op y);
            }};
        }

        loop {
            // The common instructions run in a small loop that keeps its
            // state in machine registers; it stops at anything else, or at
            // anything unusual (a fault, the budget), which runs below.
            fast_path(
                FastState {
                    program,
                    regs,
                    frames,
                    high_water,
                    fields,
                },
                &mut func,
                &mut base,
                &mut pc,
                &mut fuel,
            );
            // It may have called or returned: reload the frame.
            chunk = match program.functions.get(func as usize) {
                Some(c) => c,
                None => fail!("internal error: unknown function"),
            };
            code = &chunk.code;
            frame = window(regs, base);
            let Some(&op) = code.get(pc) else {
                fail!("internal error: ran past the end of {}", chunk.name);
            };
            pc += 1;
            // Every instruction costs at least the basic cost; the dearer
            // ones add their extra in their arm (`extra!`), all from the table.
            fuel -= BASIC_COST;
            match op {
                Op::Move { dst, src } => {
                    let v = reg!(src).clone();
                    reg!(dst) = v;
                }
                Op::LoadConst { dst, k } => {
                    let v = match chunk.consts.get(usize::from(k)) {
                        Some(v) => v.clone(),
                        None => fail!("internal error: constant out of range"),
                    };
                    reg!(dst) = v;
                }
                Op::LoadInt { dst, value } => {
                    let v = i64::from(value);
                    put_int(&mut reg!(dst), v);
                }
                Op::LoadBool { dst, value } => {
                    let v = value;
                    put_bool(&mut reg!(dst), v);
                }
                Op::LoadNone { dst } => reg!(dst) = Value::None,
                Op::LoadSelf { dst } => reg!(dst) = host.self_value(),
                Op::LoadSender { dst } => reg!(dst) = sender.clone(),

                Op::AddInt { dst, a, b } => {
                    int_op!(dst, a, b, checked_add, "integer overflow in `+`")
                }
                Op::AddIntImm { dst, a, imm } => {
                    let x = int!(a);
                    match x.checked_add(i64::from(imm)) {
                        Some(v) => put_int(&mut reg!(dst), v),
                        None => fail!("integer overflow in `+`"),
                    }
                }
                Op::SubInt { dst, a, b } => {
                    int_op!(dst, a, b, checked_sub, "integer overflow in `-`")
                }
                Op::MulInt { dst, a, b } => {
                    int_op!(dst, a, b, checked_mul, "integer overflow in `*`")
                }
                Op::DivInt { dst, a, b } => {
                    extra!(DivInt);
                    let y = int!(b);
                    if y == 0 {
                        fail!("division by zero");
                    }
                    int_op!(dst, a, b, checked_div, "integer overflow in `/`")
                }
                Op::ModInt { dst, a, b } => {
                    extra!(ModInt);
                    let y = int!(b);
                    if y == 0 {
                        fail!("remainder by zero");
                    }
                    int_op!(dst, a, b, checked_rem, "integer overflow in `%`")
                }
                Op::NegInt { dst, src } => match int!(src).checked_neg() {
                    Some(v) => reg!(dst) = Value::Int(v),
                    None => fail!("integer overflow in unary `-`"),
                },
                Op::AddFloat { dst, a, b } => float_op!(dst, a, b, +),
                Op::SubFloat { dst, a, b } => float_op!(dst, a, b, -),
                Op::MulFloat { dst, a, b } => float_op!(dst, a, b, *),
                Op::DivFloat { dst, a, b } => float_op!(dst, a, b, /),
                Op::ModFloat { dst, a, b } => float_op!(dst, a, b, %),
                Op::NegFloat { dst, src } => reg!(dst) = Value::Float(-float!(src)),
                Op::AddVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) + vector!(b)),
                Op::SubVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) - vector!(b)),
                Op::MulVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) * float!(b)),
                Op::DivVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) / float!(b)),
                Op::NegVec { dst, src } => reg!(dst) = Value::Vec(-vector!(src)),
                Op::Concat { dst, a, b } => {
                    let (Value::Str(x), Value::Str(y)) = (&reg!(a), &reg!(b)) else {
                        fail!("internal error: `+` on strings expects two strings");
                    };
                    let len = x.len() + y.len();
                    if len > max_len {
                        fail!("string too long ({len} bytes; the limit is {max_len})");
                    }
                    fuel -= len as i64 * FUEL_PER_STR_BYTE;
                    let mut s = String::with_capacity(len);
                    s.push_str(x);
                    s.push_str(y);
                    reg!(dst) = Value::Str(Arc::from(s));
                }

                Op::Eq { dst, a, b } | Op::Ne { dst, a, b } => {
                    // Lists, records and strings compare by walking them:
                    // bounded and charged per node (see `limits`).
                    let (x, y) = (&reg!(a), &reg!(b));
                    let same = if limits::is_flat(x) {
                        x == y
                    } else {
                        match limits::bounded_eq(x, y, limits::MAX_WALK) {
                            Ok((same, visited)) => {
                                fuel -= visited as i64 * FUEL_PER_LIST_ELEMENT;
                                same
                            }
                            Err(_) => fail!(
                                "values too large to compare (over {} elements)",
                                limits::MAX_WALK
                            ),
                        }
                    };
                    reg!(dst) = Value::Bool(same == matches!(op, Op::Eq { .. }));
                }
                Op::LtInt { dst, a, b } => {
                    let v = int!(a) < int!(b);
                    put_bool(&mut reg!(dst), v);
                }
                Op::LeInt { dst, a, b } => {
                    let v = int!(a) <= int!(b);
                    put_bool(&mut reg!(dst), v);
                }
                Op::LtFloat { dst, a, b } => {
                    let v = float!(a) < float!(b);
                    put_bool(&mut reg!(dst), v);
                }
                Op::LeFloat { dst, a, b } => {
                    let v = float!(a) <= float!(b);
                    put_bool(&mut reg!(dst), v);
                }
                Op::LtStr { dst, a, b } | Op::LeStr { dst, a, b } => {
                    let (Value::Str(x), Value::Str(y)) = (&reg!(a), &reg!(b)) else {
                        fail!("internal error: string comparison expects two strings");
                    };
                    let v = if matches!(op, Op::LtStr { .. }) {
                        x < y
                    } else {
                        x <= y
                    };
                    reg!(dst) = Value::Bool(v);
                }
                Op::Not { dst, src } => reg!(dst) = Value::Bool(!boolean!(src)),

                Op::Jump { target } => {
                    if (target as usize) < pc {
                        check_budget!();
                    }
                    pc = target as usize;
                }
                Op::JumpIfFalse { cond, target } => {
                    if !boolean!(cond) {
                        if (target as usize) < pc {
                            check_budget!();
                        }
                        pc = target as usize;
                    }
                }
                Op::JumpIfTrue { cond, target } => {
                    if boolean!(cond) {
                        if (target as usize) < pc {
                            check_budget!();
                        }
                        pc = target as usize;
                    }
                }
                Op::JumpIfNone { src, target } => {
                    if matches!(reg!(src), Value::None) {
                        if (target as usize) < pc {
                            check_budget!();
                        }
                        pc = target as usize;
                    }
                }
                Op::JumpIfNotLtInt { a, b, target } => {
                    if int!(a) >= int!(b) {
                        if usize::from(target) < pc {
                            check_budget!();
                        }
                        pc = usize::from(target);
                    }
                }
                Op::ForRange {
                    counter,
                    end,
                    target,
                } => {
                    let i = int!(counter);
                    let end = int!(end);
                    // i < end <= i64::MAX, so i + 1 cannot overflow.
                    if i < end {
                        let next = i + 1;
                        put_int(&mut reg!(counter), next);
                        if next < end {
                            check_budget!();
                            pc = usize::from(target);
                        }
                    }
                }
                Op::ForList { iter, var, target } => {
                    let index = int!(iter + 1);
                    let item = match &reg!(iter) {
                        Value::List(items) => usize::try_from(index)
                            .ok()
                            .and_then(|i| items.get(i))
                            .cloned(),
                        other => fail!("internal error: `for` over {other:?}"),
                    };
                    match item {
                        Some(v) => {
                            reg!(var) = v;
                            reg!(iter + 1) = Value::Int(index + 1);
                        }
                        None => pc = usize::from(target),
                    }
                }
                Op::CallHost { dst, index, args } => {
                    extra!(CallHost);
                    let arity = match program.host_functions.get(usize::from(index)) {
                        Some(h) => h.arity,
                        None => fail!("internal error: unknown host function"),
                    };
                    let s = usize::from(args);
                    if s + arity > FRAME_WINDOW {
                        fail!("internal error: host function arguments outside the frame");
                    }
                    let v = host_call!(host.call_host(u32::from(index), &frame[s..s + arity]));
                    reg!(dst) = v;
                }

                Op::Call {
                    dst,
                    func: callee_id,
                    args,
                } => {
                    extra!(Call);
                    check_budget!();
                    if frames.len() + 1 >= MAX_CALL_DEPTH {
                        fail!("call depth limit reached ({MAX_CALL_DEPTH} nested calls)");
                    }
                    let Some(callee) = program.functions.get(usize::from(callee_id)) else {
                        fail!("internal error: unknown function");
                    };
                    let new_base = base + usize::from(args);
                    *high_water = (*high_water).max(new_base + usize::from(callee.registers));
                    frame = window(regs, new_base);
                    frames.push(Frame {
                        func,
                        pc: pc as u32,
                        base: base as u32,
                        ret: dst,
                    });
                    func = u32::from(callee_id);
                    chunk = callee;
                    code = &chunk.code;
                    pc = 0;
                    base = new_base;
                }
                Op::Return { .. } | Op::ReturnNone => {
                    let value = match op {
                        Op::Return { src } => std::mem::take(&mut reg!(src)),
                        _ => Value::None,
                    };
                    match frames.pop() {
                        None => {
                            sync_out!();
                            return Exit::Returned(value);
                        }
                        Some(caller) => {
                            func = caller.func;
                            chunk = match program.functions.get(func as usize) {
                                Some(c) => c,
                                None => fail!("internal error: unknown function"),
                            };
                            code = &chunk.code;
                            pc = caller.pc as usize;
                            base = caller.base as usize;
                            frame = window(regs, base);
                            reg!(caller.ret) = value;
                        }
                    }
                }

                Op::GetField { dst, field } => {
                    let v = match fields.get(usize::from(field)) {
                        Some(v) => v.clone(),
                        None => fail!("internal error: unknown field"),
                    };
                    reg!(dst) = v;
                }
                Op::SetField { field, src } => {
                    let v = reg!(src).clone();
                    match fields.get_mut(usize::from(field)) {
                        Some(slot) => *slot = v,
                        None => fail!("internal error: unknown field"),
                    }
                }
                Op::TakeField { dst, field } => {
                    let v = match fields.get_mut(usize::from(field)) {
                        Some(slot) => std::mem::take(slot),
                        None => fail!("internal error: unknown field"),
                    };
                    reg!(dst) = v;
                }

                Op::NewList { dst, start, count } => {
                    extra!(NewList);
                    fuel -= i64::from(count) * FUEL_PER_LIST_ELEMENT;
                    let s = usize::from(start);
                    let Some(parts) = frame.get(s..s + usize::from(count)) else {
                        fail!("internal error: list operands outside the frame");
                    };
                    let items: imbl::Vector<Value> = parts.iter().cloned().collect();
                    reg!(dst) = Value::List(Arc::new(items));
                }
                Op::NewVec { dst, x, y } => {
                    let v = Vec2::new(float!(x), float!(y));
                    reg!(dst) = Value::Vec(v);
                }
                Op::NewRecord { dst, signal, start } => {
                    extra!(NewRecord);
                    let Some(decl) = program.signals.get(usize::from(signal)) else {
                        fail!("internal error: unknown signal kind");
                    };
                    let n = decl.fields.len();
                    fuel -= n as i64 * FUEL_PER_LIST_ELEMENT;
                    let s = usize::from(start);
                    let Some(parts) = frame.get(s..s + n) else {
                        fail!("internal error: record operands outside the frame");
                    };
                    let record = Record {
                        kind: crate::value::SignalKindId(u32::from(signal)),
                        fields: parts.to_vec().into_boxed_slice(),
                    };
                    reg!(dst) = Value::Record(Arc::new(record));
                }
                Op::Index { dst, list, index } => {
                    let i = int!(index);
                    let item = match &reg!(list) {
                        Value::List(items) => {
                            match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                                Some(v) => v.clone(),
                                None => fail!(
                                    "index out of range: the index is {i} but the length is {}",
                                    items.len()
                                ),
                            }
                        }
                        other => fail!("internal error: indexing {other:?}"),
                    };
                    reg!(dst) = item;
                }
                Op::GetMember { dst, src, member } => {
                    let v = match member_of(&reg!(src), member) {
                        Some(v) => v,
                        None => fail!(
                            "internal error: no member {} on {:?}",
                            member.name(),
                            reg!(src)
                        ),
                    };
                    reg!(dst) = v;
                }
                Op::RecordField { dst, src, field } => {
                    let v = match &reg!(src) {
                        Value::Record(r) => match r.fields.get(usize::from(field)) {
                            Some(v) => v.clone(),
                            None => fail!("internal error: unknown record field"),
                        },
                        other => fail!("internal error: record field of {other:?}"),
                    };
                    reg!(dst) = v;
                }
                Op::ListPush { list, value } => {
                    extra!(ListPush);
                    let v = reg!(value).clone();
                    fuel -= FUEL_PER_LIST_ELEMENT;
                    match &mut reg!(list) {
                        Value::List(items) => {
                            if items.len() >= max_len {
                                fail!("list too long (the limit is {max_len} elements)");
                            }
                            Arc::make_mut(items).push_back(v);
                        }
                        other => fail!("internal error: push on {other:?}"),
                    }
                }
                Op::ListPop { dst, list } => {
                    extra!(ListPop);
                    let v = match &mut reg!(list) {
                        Value::List(items) => {
                            if items.is_empty() {
                                Value::None
                            } else {
                                Arc::make_mut(items).pop_back().unwrap_or_default()
                            }
                        }
                        other => fail!("internal error: pop on {other:?}"),
                    };
                    reg!(dst) = v;
                }
                Op::ListRemove { dst, list, index } => {
                    extra!(ListRemove);
                    let i = int!(index);
                    let v = match &mut reg!(list) {
                        Value::List(items) => match usize::try_from(i) {
                            Ok(at) if at < items.len() => Arc::make_mut(items).remove(at),
                            _ => fail!(
                                "index out of range: the index is {i} but the length is {}",
                                items.len()
                            ),
                        },
                        other => fail!("internal error: remove on {other:?}"),
                    };
                    reg!(dst) = v;
                }
                Op::CallNative { dst, native, args } => {
                    extra!(CallNative);
                    let s = usize::from(args);
                    let needs_host = native.uses_host();
                    if needs_host {
                        sync_out!();
                    }
                    let result = match frame.get(s..s + native.arity()) {
                        Some(argv) => call_native(native, argv, program, host),
                        None => Err(HostError::Fault(
                            "internal error: native operands outside the frame".into(),
                        )),
                    };
                    if needs_host {
                        sync_in!();
                    }
                    match result {
                        Ok((v, extra)) => {
                            fuel -= extra;
                            if let Value::Str(s) = &v
                                && s.len() > max_len
                            {
                                fail!("string too long (the limit is {max_len} bytes)");
                            }
                            reg!(dst) = v;
                        }
                        Err(HostError::OutOfEnergy) => return Exit::OutOfEnergy,
                        Err(HostError::Fault(m)) => fail!("{m}"),
                    }
                }
                Op::GetIntrinsic { dst, which } => {
                    let v = host_call!(host.intrinsic(which));
                    reg!(dst) = v;
                }

                Op::Emit {
                    dst,
                    gradient,
                    strength,
                } => {
                    let (g, s) = (gradient!(gradient), float!(strength));
                    let ok = host_call!(host.emit(g, s));
                    reg!(dst) = Value::Bool(ok);
                }
                Op::Sense { dst, gradient } => {
                    let g = gradient!(gradient);
                    let v = host_call!(host.sense(g));
                    reg!(dst) = v;
                }
                Op::SenseFirst { dst, gradient } => {
                    // `Sense` then `CallNative first`: the sense's basic cost
                    // is synced before the construct, first's two units after
                    // it, so energy is charged in the same steps (the same
                    // float roundings) as the two instructions would.
                    let g = gradient!(gradient);
                    let v = host_call!(host.sense_first(g));
                    fuel -= const { OP_COSTS[Opcode::SenseFirst as usize] - BASIC_COST };
                    reg!(dst) = v;
                }
                Op::Bind { dst, target } => {
                    let c = cell!(target);
                    let ok = host_call!(host.bind(c));
                    reg!(dst) = Value::Bool(ok);
                }
                Op::Unbind { dst, target } => {
                    let c = cell!(target);
                    let ok = host_call!(host.unbind(c));
                    reg!(dst) = Value::Bool(ok);
                }
                Op::Send {
                    dst,
                    record,
                    target,
                } => {
                    let c = cell!(target);
                    let r = match &reg!(record) {
                        Value::Record(r) => Arc::clone(r),
                        other => fail!("internal error: sending {other:?}"),
                    };
                    let ok = host_call!(host.send(r, c));
                    reg!(dst) = Value::Bool(ok);
                }
                Op::Report { value } => {
                    let v = float!(value);
                    host_call!(host.report(v));
                }
                Op::Spawn { dst, desc, args } => {
                    let request =
                        match spawn_request(program, chunk, desc, &frame[usize::from(args)..]) {
                            Ok(r) => r,
                            Err(m) => fail!("{m}"),
                        };
                    let v = host_call!(host.spawn(request));
                    reg!(dst) = v;
                }
                Op::Differentiate { desc, args } => {
                    let request =
                        match spawn_request(program, chunk, desc, &frame[usize::from(args)..]) {
                            Ok(r) => r,
                            Err(m) => fail!("{m}"),
                        };
                    host_call!(host.end_turn(TurnEnd::Differentiate(request.kind, request.fields)));
                    return Exit::TurnEnded;
                }
                Op::MoveBy { dst, by } => {
                    let v = vector!(by);
                    let ok = host_call!(host.move_by(v));
                    reg!(dst) = Value::Bool(ok);
                }
                Op::Sleep { ticks } => {
                    let n = int!(ticks);
                    host_call!(host.end_turn(TurnEnd::Sleep(n)));
                    return Exit::TurnEnded;
                }
                Op::SleepUntil {
                    gradient,
                    threshold,
                } => {
                    let (g, e) = (gradient!(gradient), float!(threshold));
                    host_call!(host.end_turn(TurnEnd::SleepUntil(g, e)));
                    return Exit::TurnEnded;
                }
                Op::Die => {
                    host_call!(host.end_turn(TurnEnd::Die));
                    return Exit::TurnEnded;
                }
                Op::Print { start, count } => {
                    extra!(Print);
                    let s = usize::from(start);
                    let Some(parts) = frame.get(s..s + usize::from(count)) else {
                        fail!("internal error: print operands outside the frame");
                    };
                    if !parts.iter().all(super::natives::fits_display) {
                        fail!(
                            "print: a value is too large to show (the limit is {} bytes)",
                            crate::bytecode::op::MAX_VALUE_LEN
                        );
                    }
                    let mut line = String::new();
                    for (i, v) in parts.iter().enumerate() {
                        if i > 0 {
                            line.push(' ');
                        }
                        v.display(program, false, &mut line);
                        if line.len() > max_len {
                            fail!("printed line too long (the limit is {max_len} bytes)");
                        }
                    }
                    // The host charges the line per byte (`costs::PRINT_PER_BYTE`).
                    host_call!(host.print(line));
                }
                Op::SetWorld { setting, src } => {
                    let v = reg!(src).clone();
                    host_call!(host.set_world(setting, v));
                }
                Op::Fault { message } => {
                    let text = match chunk.consts.get(usize::from(message)) {
                        Some(Value::Str(s)) => s.to_string(),
                        _ => "runtime error".to_string(),
                    };
                    fail!("{text}");
                }
            }
        }
    }
}

/// Runs the common instructions (moves, int/float arithmetic, comparisons,
/// jumps, loops, fields) while they succeed. It returns, with `pc` at the
/// instruction and nothing of it done or charged, at any other instruction,
/// at a would-be fault (overflow, division by zero, an unexpected type) and
/// at a back-edge once the fuel is exhausted: the general loop then runs
/// that instruction with full error reporting. Semantics are identical.
#[inline(never)]
fn fast_path(
    state: FastState<'_, '_>,
    func_io: &mut u32,
    base_io: &mut usize,
    pc_io: &mut usize,
    fuel_io: &mut i64,
) {
    let FastState {
        program,
        regs,
        frames,
        high_water,
        fields,
    } = state;
    let mut pc = *pc_io;
    let mut fuel = *fuel_io;
    let mut func = *func_io;
    let mut base = *base_io;
    let Some(mut chunk) = program.functions.get(func as usize) else {
        return;
    };
    let mut code: &[Op] = &chunk.code;
    let mut consts: &[Value] = &chunk.consts;
    let mut frame: &mut Window = window(regs, base);
    macro_rules! reg {
        ($r:expr) => {
            frame[usize::from($r)]
        };
    }
    macro_rules! int {
        ($r:expr) => {
            match reg!($r) {
                Value::Int(i) => i,
                _ => break,
            }
        };
    }
    macro_rules! float {
        ($r:expr) => {
            match reg!($r) {
                Value::Float(x) => x,
                _ => break,
            }
        };
    }
    macro_rules! int_op {
        ($dst:expr, $a:expr, $b:expr, $method:ident) => {{
            let v = match int!($a).$method(int!($b)) {
                Some(v) => v,
                None => break,
            };
            put_int(&mut reg!($dst), v);
        }};
    }
    macro_rules! float_op {
        ($dst:expr, $a:expr, $b:expr, $op:tt) => {{
            let v = float!($a) $op float!($b);
            put_float(&mut reg!($dst), v);
        }};
    }
    macro_rules! cmp_op {
        ($dst:expr, $v:expr) => {{
            let v = $v;
            put_bool(&mut reg!($dst), v);
        }};
    }
    // A taken jump to `target`; back-edges stop when the fuel is out.
    macro_rules! jump {
        ($target:expr) => {{
            let t = usize::from($target);
            if t <= pc && fuel < BASIC_COST {
                break;
            }
            pc = t;
            fuel -= BASIC_COST;
            continue;
        }};
    }
    while let Some(&op) = code.get(pc) {
        match op {
            Op::Move { dst, src } => {
                let v = reg!(src).clone();
                reg!(dst) = v;
            }
            Op::LoadInt { dst, value } => put_int(&mut reg!(dst), i64::from(value)),
            Op::LoadBool { dst, value } => put_bool(&mut reg!(dst), value),
            Op::LoadConst { dst, k } => match consts.get(usize::from(k)) {
                Some(v) => reg!(dst) = v.clone(),
                None => break,
            },
            Op::AddInt { dst, a, b } => int_op!(dst, a, b, checked_add),
            Op::AddIntImm { dst, a, imm } => {
                let v = match int!(a).checked_add(i64::from(imm)) {
                    Some(v) => v,
                    None => break,
                };
                put_int(&mut reg!(dst), v);
            }
            Op::SubInt { dst, a, b } => int_op!(dst, a, b, checked_sub),
            Op::MulInt { dst, a, b } => int_op!(dst, a, b, checked_mul),
            Op::DivInt { dst, a, b } => {
                // checked_div is None for a zero divisor and for overflow.
                int_op!(dst, a, b, checked_div);
                fuel -= const { OP_COSTS[Opcode::DivInt as usize] - BASIC_COST };
            }
            Op::ModInt { dst, a, b } => {
                int_op!(dst, a, b, checked_rem);
                fuel -= const { OP_COSTS[Opcode::ModInt as usize] - BASIC_COST };
            }
            Op::AddFloat { dst, a, b } => float_op!(dst, a, b, +),
            Op::SubFloat { dst, a, b } => float_op!(dst, a, b, -),
            Op::MulFloat { dst, a, b } => float_op!(dst, a, b, *),
            Op::DivFloat { dst, a, b } => float_op!(dst, a, b, /),
            Op::LtInt { dst, a, b } => cmp_op!(dst, int!(a) < int!(b)),
            Op::LeInt { dst, a, b } => cmp_op!(dst, int!(a) <= int!(b)),
            Op::LtFloat { dst, a, b } => cmp_op!(dst, float!(a) < float!(b)),
            Op::LeFloat { dst, a, b } => cmp_op!(dst, float!(a) <= float!(b)),
            Op::Not { dst, src } => {
                let v = match reg!(src) {
                    Value::Bool(b) => !b,
                    _ => break,
                };
                put_bool(&mut reg!(dst), v);
            }
            Op::Jump { target } => jump!(target as usize),
            Op::JumpIfFalse { cond, target } => match reg!(cond) {
                Value::Bool(false) => jump!(target as usize),
                Value::Bool(true) => {}
                _ => break,
            },
            Op::JumpIfTrue { cond, target } => match reg!(cond) {
                Value::Bool(true) => jump!(target as usize),
                Value::Bool(false) => {}
                _ => break,
            },
            Op::JumpIfNotLtInt { a, b, target } => {
                if int!(a) >= int!(b) {
                    jump!(target);
                }
            }
            Op::ForRange {
                counter,
                end,
                target,
            } => {
                let (i, e) = (int!(counter), int!(end));
                if i < e {
                    let next = i + 1;
                    // Test the budget before the counter moves, so that the
                    // general loop can redo this instruction from scratch.
                    if next < e && fuel < BASIC_COST {
                        break;
                    }
                    put_int(&mut reg!(counter), next);
                    if next < e {
                        jump!(target);
                    }
                }
            }
            Op::GetField { dst, field } => match fields.get(usize::from(field)) {
                Some(v) => reg!(dst) = v.clone(),
                None => break,
            },
            Op::SetField { field, src } => {
                let v = reg!(src).clone();
                match fields.get_mut(usize::from(field)) {
                    Some(slot) => *slot = v,
                    None => break,
                }
            }
            Op::Call {
                dst,
                func: callee_id,
                args,
            } => {
                const CALL_COST: i64 = OP_COSTS[Opcode::Call as usize];
                if fuel < CALL_COST || frames.len() + 1 >= MAX_CALL_DEPTH {
                    break;
                }
                let Some(callee) = program.functions.get(usize::from(callee_id)) else {
                    break;
                };
                let new_base = base + usize::from(args);
                *high_water = (*high_water).max(new_base + usize::from(callee.registers));
                frames.push(Frame {
                    func,
                    pc: (pc + 1) as u32,
                    base: base as u32,
                    ret: dst,
                });
                func = u32::from(callee_id);
                chunk = callee;
                code = &chunk.code;
                consts = &chunk.consts;
                base = new_base;
                frame = window(regs, base);
                pc = 0;
                fuel -= CALL_COST;
                continue;
            }
            Op::Return { .. } | Op::ReturnNone => {
                // The outermost return (and anything odd) is the general loop's.
                let Some(&caller) = frames.last() else { break };
                let Some(caller_chunk) = program.functions.get(caller.func as usize) else {
                    break;
                };
                let value = match op {
                    Op::Return { src } => std::mem::take(&mut reg!(src)),
                    _ => Value::None,
                };
                frames.pop();
                func = caller.func;
                chunk = caller_chunk;
                code = &chunk.code;
                consts = &chunk.consts;
                base = caller.base as usize;
                frame = window(regs, base);
                pc = caller.pc as usize;
                reg!(caller.ret) = value;
                fuel -= BASIC_COST;
                continue;
            }
            // The rest of the pure instructions, out of line so that they
            // cost the hot loop above nothing (its state stays in machine
            // registers).
            _ => match fast_more(op, frame, program) {
                More::Next(extra) => fuel -= extra,
                More::Jump(t) => jump!(t),
                More::Exit => break,
            },
        }
        pc += 1;
        fuel -= BASIC_COST;
    }
    *pc_io = pc;
    *fuel_io = fuel;
    *func_io = func;
    *base_io = base;
}

/// `src.member` of a vec or a reading (`None`: no such member on it).
#[inline]
fn member_of(src: &Value, member: Member) -> Option<Value> {
    Some(match (src, member) {
        (Value::Vec(v), Member::X) => Value::Float(v.x),
        (Value::Vec(v), Member::Y) => Value::Float(v.y),
        (Value::Reading(r), Member::Source) => Value::Cell(r.source),
        (Value::Reading(r), Member::Strength) => Value::Float(r.strength),
        (Value::Reading(r), Member::Distance) => Value::Float(r.distance),
        (Value::Reading(r), Member::Pos) => Value::Vec(r.pos),
        (Value::Reading(r), Member::Bonded) => Value::Bool(r.bonded),
        _ => return None,
    })
}

/// What [`fast_more`] did with an instruction.
enum More {
    /// Done: go on with the next instruction (after charging this fuel
    /// beyond the basic cost).
    Next(i64),
    /// A taken jump to this target.
    Jump(usize),
    /// Not done (not one of its instructions, or a would-be fault): the
    /// general loop runs it.
    Exit,
}

/// The fast path's less frequent pure instructions: `JumpIfNone`,
/// `GetMember`, vec arithmetic, `NewVec`, `NegFloat` and the natives that
/// need no host. Like the fast path, it does nothing of an instruction it
/// does not finish, so the general loop can redo it from scratch.
#[inline(never)]
fn fast_more(op: Op, frame: &mut Window, program: &Program) -> More {
    macro_rules! reg {
        ($r:expr) => {
            frame[usize::from($r)]
        };
    }
    macro_rules! float {
        ($r:expr) => {
            match reg!($r) {
                Value::Float(x) => x,
                _ => return More::Exit,
            }
        };
    }
    macro_rules! vector {
        ($r:expr) => {
            match reg!($r) {
                Value::Vec(v) => v,
                _ => return More::Exit,
            }
        };
    }
    match op {
        Op::JumpIfNone { src, target } => {
            if matches!(reg!(src), Value::None) {
                return More::Jump(target as usize);
            }
        }
        Op::GetMember { dst, src, member } => match member_of(&reg!(src), member) {
            Some(v) => reg!(dst) = v,
            None => return More::Exit,
        },
        Op::AddVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) + vector!(b)),
        Op::SubVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) - vector!(b)),
        Op::MulVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) * float!(b)),
        Op::DivVec { dst, a, b } => reg!(dst) = Value::Vec(vector!(a) / float!(b)),
        Op::NegVec { dst, src } => reg!(dst) = Value::Vec(-vector!(src)),
        Op::NewVec { dst, x, y } => {
            let v = Vec2::new(float!(x), float!(y));
            reg!(dst) = Value::Vec(v);
        }
        Op::NegFloat { dst, src } => {
            let v = -float!(src);
            put_float(&mut reg!(dst), v);
        }
        // Natives that need no host (math, conversions, list and vec
        // methods) are pure: an error, or a string (whose length the
        // general loop checks), goes to the general loop, which redoes the
        // call. `str()` is left to it (costly to redo).
        Op::CallNative { dst, native, args } if !native.uses_host() && native != Native::ToStr => {
            let s = usize::from(args);
            let Some(argv) = frame.get(s..s + native.arity()) else {
                return More::Exit;
            };
            let (v, extra) = match call_native(native, argv, program, &mut NoHost) {
                Ok((v, extra)) if !matches!(v, Value::Str(_)) => (v, extra),
                _ => return More::Exit,
            };
            reg!(dst) = v;
            return More::Next(
                extra + const { OP_COSTS[Opcode::CallNative as usize] - BASIC_COST },
            );
        }
        _ => return More::Exit,
    }
    More::Next(0)
}

/// The host of the natives the fast path calls: they never use it.
struct NoHost;

impl Host for NoHost {
    fn self_value(&self) -> Value {
        Value::None
    }
    fn available_fuel(&self) -> i64 {
        0
    }
    fn spend_fuel(&mut self, _fuel: i64) -> Result<(), HostError> {
        Ok(())
    }
    fn print(&mut self, _line: String) -> Result<(), HostError> {
        Err(HostError::Fault(
            "internal error: print from a native".into(),
        ))
    }
}

/// What the fast path borrows from the machine.
struct FastState<'a, 'p> {
    program: &'p Program,
    regs: &'a mut Vec<Value>,
    frames: &'a mut Vec<Frame>,
    high_water: &'a mut usize,
    fields: &'a mut [Value],
}

/// Registers one frame can address: all a 16-bit operand can name.
const FRAME_WINDOW: usize = 1 << 16;

/// A frame's registers.
type Window = [Value; FRAME_WINDOW];

/// The register window starting at `base`, growing the file if needed
/// (only while the call stack deepens past its previous maximum).
#[inline(always)]
fn window(regs: &mut Vec<Value>, base: usize) -> &mut Window {
    let end = base + FRAME_WINDOW;
    if regs.len() < end {
        regs.resize(end, Value::None);
    }
    match regs
        .get_mut(base..end)
        .and_then(|w| <&mut Window>::try_from(w).ok())
    {
        Some(w) => w,
        // The file was just grown to `end`: this cannot happen.
        None => unreachable!("register window out of range"),
    }
}

/// Writes an int into a register, in place when it already holds one
/// (no drop, no 24-byte store: the hot arithmetic path).
#[inline(always)]
fn put_int(slot: &mut Value, v: i64) {
    if let Value::Int(x) = slot {
        *x = v;
    } else {
        *slot = Value::Int(v);
    }
}

/// [`put_int`] for floats.
#[inline(always)]
fn put_float(slot: &mut Value, v: f64) {
    if let Value::Float(x) = slot {
        *x = v;
    } else {
        *slot = Value::Float(v);
    }
}

/// [`put_int`] for bools.
#[inline(always)]
fn put_bool(slot: &mut Value, v: bool) {
    if let Value::Bool(x) = slot {
        *x = v;
    } else {
        *slot = Value::Bool(v);
    }
}

#[cold]
fn fault(program: &Program, chunk: &Chunk, pc: usize, message: String) -> Exit {
    let loc = chunk.loc(pc);
    let rendered = format!("{}: {message}", program.describe_loc(loc));
    Exit::Fault(RuntimeError {
        message,
        loc,
        rendered,
    })
}

/// Builds a spawn/differentiate request from its descriptor and operand registers.
fn spawn_request(
    program: &Program,
    chunk: &Chunk,
    desc: u16,
    operands: &[Value],
) -> Result<SpawnRequest, String> {
    let d = chunk
        .spawns
        .get(usize::from(desc))
        .ok_or("internal error: unknown spawn descriptor")?;
    let kind = program
        .kinds
        .get(d.kind as usize)
        .ok_or("internal error: unknown cell kind")?;
    let mut it = operands.iter();
    let mut next = || it.next().cloned().unwrap_or_default();
    let as_float = |v: Value| match v {
        Value::Float(x) => Ok(x),
        other => Err(format!("internal error: expected a float, found {other:?}")),
    };
    let at = if d.has_at {
        match next() {
            Value::Vec(v) => Some(v),
            other => {
                return Err(format!(
                    "internal error: `at` expects a vec, found {other:?}"
                ));
            }
        }
    } else {
        None
    };
    let energy = if d.has_energy {
        Some(as_float(next())?)
    } else {
        None
    };
    let priority = if d.has_priority {
        Some(as_float(next())?)
    } else {
        None
    };
    let mut fields = kind.default_fields();
    for &f in &d.fields {
        let v = next();
        if let Some(slot) = fields.get_mut(usize::from(f)) {
            *slot = v;
        }
    }
    Ok(SpawnRequest {
        kind: d.kind,
        at,
        energy,
        priority,
        membrane: d.membrane,
        fields,
    })
}
