//! Lowers one HIR body (function, method, handler, metabolism, `on spawn`,
//! `on apoptosis`, ecosystem) to a bytecode chunk.
//!
//! Register layout: the body's local slots are registers `0..locals`
//! (parameters first, as the calling convention wants); temporaries live
//! above them in a stack that is reset after each statement. A call's
//! arguments are evaluated into consecutive temporaries at the top of that
//! stack, which become the callee's first registers.

use myco_vm::bytecode::op::MAX_CHUNK_LEN;
use myco_vm::bytecode::{Chunk, Intrinsic as VmIntrinsic, Member, Native, Op, Reg, SpawnDesc};
use myco_vm::value::Value;

use super::Layout;
use super::lines::LineIndex;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{
    Axis, BinOp, Block, Body, Builtin, Callee, Expr, ExprKind, GradientRef, Intrinsic, ListMethod,
    LocalId, LogicOp, Place, ReadingField, Stmt, UnOp, VecMethod,
};
use crate::types::Type;

/// Breaks and continues waiting for their loop's targets.
#[derive(Default)]
struct LoopPatches {
    breaks: Vec<u32>,
    continues: Vec<u32>,
}

/// Lowers one body.
///
/// Register arithmetic wraps rather than overflowing: a body that needs
/// more than `REG_LIMIT` registers is rejected by `finish` anyway.
pub(super) struct BodyLowerer<'a> {
    layout: &'a Layout,
    lines: &'a LineIndex,
    file_name: Option<String>,
    chunk: Chunk,
    next_temp: u32,
    floor: u32,
    max_reg: u32,
    loops: Vec<LoopPatches>,
    loc_span: Span,
    error: Option<Diagnostic>,
}

const REG_LIMIT: u32 = u16::MAX as u32 - 4;

impl<'a> BodyLowerer<'a> {
    pub(super) fn new(
        name: String,
        body: &Body,
        layout: &'a Layout,
        lines: &'a LineIndex,
        file_name: Option<String>,
        span: Span,
    ) -> BodyLowerer<'a> {
        let params = body.params.min(u32::from(u16::MAX)) as u16;
        let slots = body.slot_count();
        BodyLowerer {
            layout,
            lines,
            file_name,
            chunk: Chunk::new(name, params),
            next_temp: slots,
            floor: slots,
            max_reg: slots,
            loops: Vec::new(),
            loc_span: span,
            error: None,
        }
    }

    /// Lowers the body; `ret` is its declared return type (a missing
    /// `return` in a function with a value is a runtime error, though the
    /// checker should have caught it).
    pub(super) fn finish(mut self, body: &Body, ret: &Type) -> Result<Chunk, Box<Diagnostic>> {
        self.block(&body.block);
        if matches!(ret, Type::Unit | Type::Error) {
            self.emit(Op::ReturnNone);
        } else {
            let k = self.konst(Value::Str(
                "function ended without returning a value".into(),
            ));
            self.emit(Op::Fault { message: k });
        }
        if let Some(e) = self.error {
            return Err(Box::new(e));
        }
        if self.chunk.code.len() > MAX_CHUNK_LEN {
            return Err(Box::new(self.limit_error(format!(
                "`{}` is too long: it compiles to more than {MAX_CHUNK_LEN} instructions",
                self.chunk.name
            ))));
        }
        if self.max_reg > REG_LIMIT {
            return Err(Box::new(self.limit_error(format!(
                "`{}` needs too many registers (locals and temporaries)",
                self.chunk.name
            ))));
        }
        self.chunk.registers = self.max_reg.max(1) as u16;
        Ok(self.chunk)
    }

    fn limit_error(&self, message: String) -> Diagnostic {
        let mut d = Diagnostic::error("E0900", message, self.loc_span.clone());
        d.file = self.file_name.clone();
        d.help = Some("split it into smaller functions".into());
        d
    }

    // ----- emission helpers -------------------------------------------------

    fn at(&mut self, span: &Span) {
        self.loc_span = span.clone();
    }

    fn emit(&mut self, op: Op) -> u32 {
        let loc = self.lines.loc(self.loc_span.start);
        self.chunk.push(op, loc)
    }

    fn here(&self) -> u32 {
        self.chunk.code.len() as u32
    }

    fn patch(&mut self, at: u32, target: u32) {
        if let Some(op) = self.chunk.code.get_mut(at as usize) {
            op.set_jump_target(target);
        }
    }

    fn patch_here(&mut self, at: u32) {
        let here = self.here();
        self.patch(at, here);
    }

    fn konst(&mut self, value: Value) -> u16 {
        if self.chunk.consts.len() >= usize::from(u16::MAX) && self.error.is_none() {
            self.error =
                Some(self.limit_error(format!("`{}` has too many constants", self.chunk.name)));
            return 0;
        }
        self.chunk.add_const(value)
    }

    fn temps(&mut self, n: u32) -> Reg {
        let first = self.next_temp;
        self.next_temp += n;
        self.max_reg = self.max_reg.max(self.next_temp);
        first.min(REG_LIMIT) as Reg
    }

    fn temp(&mut self) -> Reg {
        self.temps(1)
    }

    fn local(l: LocalId) -> Reg {
        l.0.min(REG_LIMIT) as Reg
    }

    // ----- statements -------------------------------------------------------

    fn block(&mut self, block: &Block) {
        let saved = (self.floor, self.next_temp);
        self.floor = self.next_temp;
        for stmt in &block.stmts {
            self.stmt(stmt);
            self.next_temp = self.floor;
        }
        (self.floor, self.next_temp) = saved;
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Let { local, value, span } => {
                self.at(span);
                self.expr_to(value, Self::local(*local));
            }
            Stmt::Assign {
                place,
                op,
                value,
                span,
            } => {
                self.at(span);
                self.assign(*place, *op, value);
            }
            Stmt::Expr(e) => {
                self.expr_any(e);
            }
            Stmt::If {
                cond,
                then,
                else_,
                span,
            } => {
                self.at(span);
                let skip = self.jump_if_false(cond);
                self.block(then);
                self.else_part(skip, else_.as_ref());
            }
            Stmt::IfLet {
                local,
                value,
                then,
                else_,
                span,
            } => {
                self.at(span);
                let dst = Self::local(*local);
                self.expr_to(value, dst);
                let skip = self.emit(Op::JumpIfNone {
                    src: dst,
                    target: 0,
                });
                self.block(then);
                self.else_part(skip, else_.as_ref());
            }
            Stmt::While { cond, body, span } => {
                self.at(span);
                let start = self.here();
                let exit = self.jump_if_false(cond);
                self.loops.push(LoopPatches::default());
                self.block(body);
                self.at(span);
                self.emit(Op::Jump { target: start });
                self.close_loop(exit, start);
            }
            Stmt::ForList {
                local,
                list,
                body,
                span,
            } => {
                self.at(span);
                let iter = self.temps(2);
                self.expr_to(list, iter);
                self.emit(Op::LoadInt {
                    dst: iter + 1,
                    value: 0,
                });
                let head = self.emit(Op::ForList {
                    iter,
                    var: Self::local(*local),
                    target: 0,
                });
                self.loops.push(LoopPatches::default());
                self.block(body);
                self.at(span);
                self.emit(Op::Jump { target: head });
                self.close_loop(head, head);
            }
            Stmt::ForRange {
                local,
                start,
                end,
                body,
                span,
            } => {
                self.at(span);
                let counter = Self::local(*local);
                let end_reg = self.temp();
                // Both bounds are evaluated once, start first.
                let start_tmp = self.temp();
                self.expr_to(start, start_tmp);
                self.expr_to(end, end_reg);
                self.emit(Op::Move {
                    dst: counter,
                    src: start_tmp,
                });
                let exit = self.emit(Op::JumpIfNotLtInt {
                    a: counter,
                    b: end_reg,
                    target: 0,
                });
                let body_start = self.here();
                self.loops.push(LoopPatches::default());
                self.block(body);
                self.at(span);
                let step = self.emit(Op::ForRange {
                    counter,
                    end: end_reg,
                    target: body_start.min(u32::from(u16::MAX)) as u16,
                });
                self.close_loop(exit, step);
            }
            Stmt::Break(span) => {
                self.at(span);
                let j = self.emit(Op::Jump { target: 0 });
                if let Some(l) = self.loops.last_mut() {
                    l.breaks.push(j);
                }
            }
            Stmt::Continue(span) => {
                self.at(span);
                let j = self.emit(Op::Jump { target: 0 });
                if let Some(l) = self.loops.last_mut() {
                    l.continues.push(j);
                }
            }
            Stmt::Return(value, span) => {
                self.at(span);
                match value {
                    Some(e) => {
                        let r = self.expr_any(e);
                        self.emit(Op::Return { src: r });
                    }
                    None => {
                        self.emit(Op::ReturnNone);
                    }
                }
            }
            Stmt::Report(e, span) => {
                self.at(span);
                let r = self.expr_any(e);
                self.at(span);
                self.emit(Op::Report { value: r });
            }
            Stmt::Differentiate { kind, fields, span } => {
                self.at(span);
                let desc = SpawnDesc {
                    kind: kind.0,
                    fields: fields.iter().map(|(f, _)| *f as u16).collect(),
                    ..SpawnDesc::default()
                };
                let args = self.temps(fields.len() as u32);
                for (i, (_, e)) in fields.iter().enumerate() {
                    self.expr_to(e, args.wrapping_add(i as Reg));
                }
                let d = self.spawn_desc(desc);
                self.at(span);
                self.emit(Op::Differentiate { desc: d, args });
            }
            Stmt::Sleep(e, span) => {
                self.at(span);
                let r = self.expr_any(e);
                self.at(span);
                self.emit(Op::Sleep { ticks: r });
            }
            Stmt::SleepUntil {
                gradient,
                threshold,
                span,
            } => {
                self.at(span);
                let g = self.gradient(*gradient);
                let t = self.expr_any(threshold);
                self.at(span);
                self.emit(Op::SleepUntil {
                    gradient: g,
                    threshold: t,
                });
            }
            Stmt::Die(span) => {
                self.at(span);
                self.emit(Op::Die);
            }
            Stmt::SetWorld {
                setting,
                value,
                span,
            } => {
                self.at(span);
                let r = self.expr_any(value);
                self.at(span);
                self.emit(Op::SetWorld {
                    setting: *setting,
                    src: r,
                });
            }
        }
    }

    fn else_part(&mut self, skip: u32, else_: Option<&Block>) {
        match else_ {
            Some(block) => {
                let over = self.emit(Op::Jump { target: 0 });
                self.patch_here(skip);
                self.block(block);
                self.patch_here(over);
            }
            None => self.patch_here(skip),
        }
    }

    /// Ends the innermost loop: `exit_jump` and the breaks go past it, the
    /// continues go to `continue_target`.
    fn close_loop(&mut self, exit_jump: u32, continue_target: u32) {
        let patches = self.loops.pop().unwrap_or_default();
        let exit = self.here();
        self.patch(exit_jump, exit);
        for b in patches.breaks {
            self.patch(b, exit);
        }
        for c in patches.continues {
            self.patch(c, continue_target);
        }
    }

    fn assign(&mut self, place: Place, op: Option<BinOp>, value: &Expr) {
        match (place, op) {
            (Place::Local(l), None) => {
                let dst = Self::local(l);
                if writes_early(value) {
                    // `x = y ?? x`: don't clobber x before reading it.
                    let t = self.temp();
                    self.expr_to(value, t);
                    self.emit(Op::Move { dst, src: t });
                } else {
                    self.expr_to(value, dst);
                }
            }
            (Place::Local(l), Some(op)) => {
                let r = Self::local(l);
                self.binary_with(op, r, value, r);
            }
            (Place::Field(f), None) => {
                let r = self.expr_any(value);
                self.emit(Op::SetField {
                    field: f as u16,
                    src: r,
                });
            }
            (Place::Field(f), Some(op)) => {
                let t = self.temp();
                self.emit(Op::GetField {
                    dst: t,
                    field: f as u16,
                });
                self.binary_with(op, t, value, t);
                self.emit(Op::SetField {
                    field: f as u16,
                    src: t,
                });
            }
        }
    }

    /// Emits a jump taken when `cond` is false; returns it for patching.
    fn jump_if_false(&mut self, cond: &Expr) -> u32 {
        if let ExprKind::Binary { op, lhs, rhs } = &cond.kind
            && matches!(op, BinOp::LtInt | BinOp::GtInt)
        {
            {
                let a = self.expr_any(lhs);
                let b = self.expr_any(rhs);
                self.at(&cond.span);
                let (a, b) = if *op == BinOp::LtInt { (a, b) } else { (b, a) };
                return self.emit(Op::JumpIfNotLtInt { a, b, target: 0 });
            }
        }
        if let ExprKind::Unary {
            op: UnOp::Not,
            operand,
        } = &cond.kind
        {
            let r = self.expr_any(operand);
            self.at(&cond.span);
            return self.emit(Op::JumpIfTrue { cond: r, target: 0 });
        }
        let r = self.expr_any(cond);
        self.at(&cond.span);
        self.emit(Op::JumpIfFalse { cond: r, target: 0 })
    }

    // ----- expressions ------------------------------------------------------

    /// Evaluates `e` into some register (a local's own, or a new temporary).
    fn expr_any(&mut self, e: &Expr) -> Reg {
        match &e.kind {
            ExprKind::Local(l) => Self::local(*l),
            _ => {
                let t = self.temp();
                self.expr_to(e, t);
                t
            }
        }
    }

    /// Evaluates `e` into `dst`.
    fn expr_to(&mut self, e: &Expr, dst: Reg) {
        self.at(&e.span);
        match &e.kind {
            ExprKind::Value(v) => self.load_value(v, dst),
            ExprKind::Local(l) => {
                let src = Self::local(*l);
                if src != dst {
                    self.emit(Op::Move { dst, src });
                }
            }
            ExprKind::SelfId => {
                self.emit(Op::LoadSelf { dst });
            }
            ExprKind::Sender => {
                self.emit(Op::LoadSender { dst });
            }
            ExprKind::Field(f) => {
                self.emit(Op::GetField {
                    dst,
                    field: *f as u16,
                });
            }
            ExprKind::Intrinsic(i) => {
                self.emit(Op::GetIntrinsic {
                    dst,
                    which: intrinsic(*i),
                });
            }
            ExprKind::Unary { op, operand } => {
                let src = self.expr_any(operand);
                self.at(&e.span);
                let op = match op {
                    UnOp::NegInt => Op::NegInt { dst, src },
                    UnOp::NegFloat => Op::NegFloat { dst, src },
                    UnOp::NegVec => Op::NegVec { dst, src },
                    UnOp::Not => Op::Not { dst, src },
                };
                self.emit(op);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let a = self.expr_any(lhs);
                self.at(&e.span);
                self.binary_with(*op, a, rhs, dst);
            }
            ExprKind::Logic { op, lhs, rhs } => {
                self.expr_to(lhs, dst);
                self.at(&e.span);
                let j = match op {
                    LogicOp::And => self.emit(Op::JumpIfFalse {
                        cond: dst,
                        target: 0,
                    }),
                    LogicOp::Or => self.emit(Op::JumpIfTrue {
                        cond: dst,
                        target: 0,
                    }),
                };
                self.expr_to(rhs, dst);
                self.patch_here(j);
            }
            ExprKind::Coalesce { opt, default } => {
                self.expr_to(opt, dst);
                self.at(&e.span);
                let if_none = self.emit(Op::JumpIfNone {
                    src: dst,
                    target: 0,
                });
                let done = self.emit(Op::Jump { target: 0 });
                self.patch_here(if_none);
                self.expr_to(default, dst);
                self.patch_here(done);
            }
            ExprKind::Index { list, index } => {
                let l = self.expr_any(list);
                let i = self.expr_any(index);
                self.at(&e.span);
                self.emit(Op::Index {
                    dst,
                    list: l,
                    index: i,
                });
            }
            ExprKind::VecComponent { vec, axis } => {
                let src = self.expr_any(vec);
                let member = match axis {
                    Axis::X => Member::X,
                    Axis::Y => Member::Y,
                };
                self.emit(Op::GetMember { dst, src, member });
            }
            ExprKind::ReadingField { reading, field } => {
                let src = self.expr_any(reading);
                let member = match field {
                    ReadingField::Source => Member::Source,
                    ReadingField::Strength => Member::Strength,
                    ReadingField::Distance => Member::Distance,
                    ReadingField::Pos => Member::Pos,
                    ReadingField::Bonded => Member::Bonded,
                };
                self.emit(Op::GetMember { dst, src, member });
            }
            ExprKind::SignalField { record, field, .. } => {
                let src = self.expr_any(record);
                self.emit(Op::RecordField {
                    dst,
                    src,
                    field: *field as u16,
                });
            }
            ExprKind::Call { callee, args } => self.call(*callee, args, dst, &e.span),
            ExprKind::ListMethod {
                method,
                receiver,
                args,
            } => {
                // `(sense G).first()` needs only the strongest reading: one
                // fused instruction, charged as the two it replaces, that
                // never builds the list.
                if let (ListMethod::First, ExprKind::Sense(g), true) =
                    (method, &receiver.kind, args.is_empty())
                {
                    self.at(&receiver.span);
                    let gradient = self.gradient(*g);
                    self.at(&receiver.span);
                    self.emit(Op::SenseFirst { dst, gradient });
                    // What follows keeps the location `first()` would leave.
                    self.at(&e.span);
                    return;
                }
                let native = match method {
                    ListMethod::Len => Native::ListLen,
                    ListMethod::IsEmpty => Native::ListIsEmpty,
                    ListMethod::First => Native::ListFirst,
                    ListMethod::Last => Native::ListLast,
                    ListMethod::Get => Native::ListGet,
                    // The mutating ones arrive as `ListMutate`; treat a
                    // stray one as `contains` would be wrong, so fault.
                    ListMethod::Contains => Native::ListContains,
                    ListMethod::Push | ListMethod::Pop | ListMethod::Remove => {
                        let k = self.konst(Value::Str(
                            "internal error: mutating list method on a value".into(),
                        ));
                        self.emit(Op::Fault { message: k });
                        return;
                    }
                };
                self.native_call(native, Some(receiver), args, dst, &e.span);
            }
            ExprKind::ListMutate {
                method,
                place,
                args,
            } => self.list_mutate(*method, *place, args, dst, &e.span),
            ExprKind::VecMethod {
                method,
                receiver,
                args,
            } => {
                let native = match method {
                    VecMethod::Len => Native::VecLen,
                    VecMethod::Dist => Native::VecDist,
                    VecMethod::Norm => Native::VecNorm,
                };
                self.native_call(native, Some(receiver), args, dst, &e.span);
            }
            ExprKind::MakeVec(x, y) => {
                let x = self.expr_any(x);
                let y = self.expr_any(y);
                self.at(&e.span);
                self.emit(Op::NewVec { dst, x, y });
            }
            ExprKind::MakeList(items) => {
                let start = self.temps(items.len() as u32);
                for (i, item) in items.iter().enumerate() {
                    self.expr_to(item, start.wrapping_add(i as Reg));
                }
                self.at(&e.span);
                self.emit(Op::NewList {
                    dst,
                    start,
                    count: items.len() as u16,
                });
            }
            ExprKind::MakeSignal {
                signal,
                fields,
                eval_order,
            } => {
                let start = self.temps(fields.len() as u32);
                for &k in eval_order {
                    if let Some(f) = fields.get(k as usize) {
                        self.expr_to(f, start.wrapping_add(k as Reg));
                    }
                }
                self.at(&e.span);
                self.emit(Op::NewRecord {
                    dst,
                    signal: signal.0 as u16,
                    start,
                });
            }
            ExprKind::Sense(g) => {
                let gradient = self.gradient(*g);
                self.at(&e.span);
                self.emit(Op::Sense { dst, gradient });
            }
            ExprKind::Emit { gradient, strength } => {
                let g = self.gradient(*gradient);
                let s = self.expr_any(strength);
                self.at(&e.span);
                self.emit(Op::Emit {
                    dst,
                    gradient: g,
                    strength: s,
                });
            }
            ExprKind::Bind(target) => {
                let t = self.expr_any(target);
                self.at(&e.span);
                self.emit(Op::Bind { dst, target: t });
            }
            ExprKind::Unbind(target) => {
                let t = self.expr_any(target);
                self.at(&e.span);
                self.emit(Op::Unbind { dst, target: t });
            }
            ExprKind::Send { record, to } => {
                let r = self.expr_any(record);
                let t = self.expr_any(to);
                self.at(&e.span);
                self.emit(Op::Send {
                    dst,
                    record: r,
                    target: t,
                });
            }
            ExprKind::Move(by) => {
                let v = self.expr_any(by);
                self.at(&e.span);
                self.emit(Op::MoveBy { dst, by: v });
            }
            ExprKind::Spawn(spawn) => {
                let desc = SpawnDesc {
                    kind: spawn.kind.0,
                    fields: spawn.fields.iter().map(|(f, _)| *f as u16).collect(),
                    has_at: spawn.at.is_some(),
                    has_energy: spawn.energy.is_some(),
                    has_priority: spawn.priority.is_some(),
                    membrane: spawn.membrane,
                };
                let args = self.temps(desc.operand_count() as u32);
                let mut slot = args;
                // Source order: the `{...}` overrides, then `at`.
                let field_base = args
                    .wrapping_add(Reg::from(desc.has_at))
                    .wrapping_add(Reg::from(desc.has_energy))
                    .wrapping_add(Reg::from(desc.has_priority));
                for (i, (_, value)) in spawn.fields.iter().enumerate() {
                    self.expr_to(value, field_base.wrapping_add(i as Reg));
                }
                for part in [&spawn.at, &spawn.energy, &spawn.priority]
                    .into_iter()
                    .flatten()
                {
                    self.expr_to(part, slot);
                    slot = slot.wrapping_add(1);
                }
                let d = self.spawn_desc(desc);
                self.at(&e.span);
                self.emit(Op::Spawn { dst, desc: d, args });
            }
        }
    }

    fn load_value(&mut self, v: &Value, dst: Reg) {
        match v {
            Value::Int(i) if i32::try_from(*i).is_ok() => {
                self.emit(Op::LoadInt {
                    dst,
                    value: *i as i32,
                });
            }
            Value::Bool(b) => {
                self.emit(Op::LoadBool { dst, value: *b });
            }
            Value::None => {
                self.emit(Op::LoadNone { dst });
            }
            other => {
                let k = self.konst(other.clone());
                self.emit(Op::LoadConst { dst, k });
            }
        }
    }

    fn gradient(&mut self, g: GradientRef) -> Reg {
        match g {
            GradientRef::Local(l) => Self::local(l),
            GradientRef::Static(id) => {
                let t = self.temp();
                self.load_value(&Value::Gradient(id), t);
                t
            }
        }
    }

    fn spawn_desc(&mut self, desc: SpawnDesc) -> u16 {
        self.chunk.spawns.push(desc);
        (self.chunk.spawns.len() - 1) as u16
    }

    /// `dst = a op rhs` with `a` already in a register.
    fn binary_with(&mut self, op: BinOp, a: Reg, rhs: &Expr, dst: Reg) {
        // Small int constants fold into the instruction.
        if let ExprKind::Value(Value::Int(k)) = rhs.kind {
            let imm = match op {
                BinOp::AddInt => i16::try_from(k).ok(),
                BinOp::SubInt => k.checked_neg().and_then(|n| i16::try_from(n).ok()),
                _ => None,
            };
            if let Some(imm) = imm {
                self.emit(Op::AddIntImm { dst, a, imm });
                return;
            }
        }
        let b = self.expr_any(rhs);
        let op = match op {
            BinOp::AddInt => Op::AddInt { dst, a, b },
            BinOp::AddFloat => Op::AddFloat { dst, a, b },
            BinOp::AddVec => Op::AddVec { dst, a, b },
            BinOp::ConcatStr => Op::Concat { dst, a, b },
            BinOp::SubInt => Op::SubInt { dst, a, b },
            BinOp::SubFloat => Op::SubFloat { dst, a, b },
            BinOp::SubVec => Op::SubVec { dst, a, b },
            BinOp::MulInt => Op::MulInt { dst, a, b },
            BinOp::MulFloat => Op::MulFloat { dst, a, b },
            BinOp::MulVecFloat => Op::MulVec { dst, a, b },
            BinOp::MulFloatVec => Op::MulVec { dst, a: b, b: a },
            BinOp::DivInt => Op::DivInt { dst, a, b },
            BinOp::DivFloat => Op::DivFloat { dst, a, b },
            BinOp::DivVecFloat => Op::DivVec { dst, a, b },
            BinOp::RemInt => Op::ModInt { dst, a, b },
            BinOp::RemFloat => Op::ModFloat { dst, a, b },
            BinOp::EqInt | BinOp::EqFloat | BinOp::EqBool | BinOp::EqStr | BinOp::EqValue => {
                Op::Eq { dst, a, b }
            }
            BinOp::NeInt | BinOp::NeFloat | BinOp::NeBool | BinOp::NeStr | BinOp::NeValue => {
                Op::Ne { dst, a, b }
            }
            BinOp::LtInt => Op::LtInt { dst, a, b },
            BinOp::LeInt => Op::LeInt { dst, a, b },
            BinOp::GtInt => Op::LtInt { dst, a: b, b: a },
            BinOp::GeInt => Op::LeInt { dst, a: b, b: a },
            BinOp::LtFloat => Op::LtFloat { dst, a, b },
            BinOp::LeFloat => Op::LeFloat { dst, a, b },
            BinOp::GtFloat => Op::LtFloat { dst, a: b, b: a },
            BinOp::GeFloat => Op::LeFloat { dst, a: b, b: a },
            BinOp::LtStr => Op::LtStr { dst, a, b },
            BinOp::LeStr => Op::LeStr { dst, a, b },
            BinOp::GtStr => Op::LtStr { dst, a: b, b: a },
            BinOp::GeStr => Op::LeStr { dst, a: b, b: a },
        };
        self.emit(op);
    }

    fn call(&mut self, callee: Callee, args: &[Expr], dst: Reg, span: &Span) {
        match callee {
            Callee::Fn(id) => {
                let func = self.layout.fn_index(id.0);
                self.user_call(func, args, dst, span);
            }
            Callee::Method(kind, index) => {
                let func = self.layout.method_index(kind.0, index);
                self.user_call(func, args, dst, span);
            }
            Callee::HostFn(index) => {
                let start = self.args_block(args);
                self.at(span);
                self.emit(Op::CallHost {
                    dst,
                    index: index as u16,
                    args: start,
                });
            }
            Callee::Builtin(b) => {
                let native = match b {
                    Builtin::Print => {
                        let start = self.args_block(args);
                        self.at(span);
                        self.emit(Op::Print {
                            start,
                            count: args.len() as u16,
                        });
                        return;
                    }
                    Builtin::Now => {
                        self.emit(Op::GetIntrinsic {
                            dst,
                            which: VmIntrinsic::Now,
                        });
                        return;
                    }
                    Builtin::AbsInt => Native::AbsInt,
                    Builtin::AbsFloat => Native::AbsFloat,
                    Builtin::MinInt => Native::MinInt,
                    Builtin::MinFloat => Native::MinFloat,
                    Builtin::MaxInt => Native::MaxInt,
                    Builtin::MaxFloat => Native::MaxFloat,
                    Builtin::ClampInt => Native::ClampInt,
                    Builtin::ClampFloat => Native::ClampFloat,
                    Builtin::Sqrt => Native::Sqrt,
                    Builtin::Floor => Native::Floor,
                    Builtin::Ceil => Native::Ceil,
                    Builtin::Round => Native::Round,
                    Builtin::Pow => Native::Pow,
                    Builtin::Sin => Native::Sin,
                    Builtin::Cos => Native::Cos,
                    Builtin::Atan2 => Native::Atan2,
                    Builtin::Rand => Native::Rand,
                    Builtin::RandInt => Native::RandInt,
                    Builtin::RandVec => Native::RandVec,
                    Builtin::IntOfFloat => Native::IntOfFloat,
                    Builtin::FloatOfInt => Native::FloatOfInt,
                    Builtin::ToStr => Native::ToStr,
                };
                self.native_call(native, None, args, dst, span);
            }
        }
    }

    fn user_call(&mut self, func: u32, args: &[Expr], dst: Reg, span: &Span) {
        let start = self.args_block(args);
        self.at(span);
        self.emit(Op::Call {
            dst,
            func: func.min(u32::from(u16::MAX)) as u16,
            args: start,
        });
    }

    /// Evaluates `args` into fresh consecutive temporaries; returns the first.
    fn args_block(&mut self, args: &[Expr]) -> Reg {
        let start = self.temps(args.len() as u32);
        for (i, a) in args.iter().enumerate() {
            self.expr_to(a, start.wrapping_add(i as Reg));
        }
        start
    }

    fn native_call(
        &mut self,
        native: Native,
        receiver: Option<&Expr>,
        args: &[Expr],
        dst: Reg,
        span: &Span,
    ) {
        let n = args.len() + usize::from(receiver.is_some());
        let start = self.temps(n as u32);
        for (slot, a) in (start..).zip(receiver.into_iter().chain(args)) {
            self.expr_to(a, slot);
        }
        self.at(span);
        self.emit(Op::CallNative {
            dst,
            native,
            args: start,
        });
    }

    fn list_mutate(
        &mut self,
        method: ListMethod,
        place: Place,
        args: &[Expr],
        dst: Reg,
        span: &Span,
    ) {
        // Arguments first: they may read the list's place.
        let arg = args.first().map(|a| self.expr_any(a));
        self.at(span);
        let list = match place {
            Place::Local(l) => Self::local(l),
            Place::Field(f) => {
                let t = self.temp();
                self.emit(Op::TakeField {
                    dst: t,
                    field: f as u16,
                });
                t
            }
        };
        match (method, arg) {
            (ListMethod::Push, Some(value)) => {
                self.emit(Op::ListPush { list, value });
            }
            (ListMethod::Pop, _) => {
                self.emit(Op::ListPop { dst, list });
            }
            (ListMethod::Remove, Some(index)) => {
                self.emit(Op::ListRemove { dst, list, index });
            }
            _ => {
                let k = self.konst(Value::Str("internal error: bad list method".into()));
                self.emit(Op::Fault { message: k });
            }
        }
        if let Place::Field(f) = place {
            self.emit(Op::SetField {
                field: f as u16,
                src: list,
            });
        }
    }
}

/// Expressions that write their destination before reading all their
/// operands (so the destination must not be one of those operands).
fn writes_early(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Logic { .. } | ExprKind::Coalesce { .. })
}

fn intrinsic(i: Intrinsic) -> VmIntrinsic {
    match i {
        Intrinsic::Energy => VmIntrinsic::Energy,
        Intrinsic::Pos => VmIntrinsic::Pos,
        Intrinsic::Age => VmIntrinsic::Age,
        Intrinsic::Bonds => VmIntrinsic::Bonds,
        Intrinsic::Priority => VmIntrinsic::Priority,
        Intrinsic::Parent => VmIntrinsic::Parent,
    }
}
