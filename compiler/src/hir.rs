//! The HIR: the typed, fully resolved program the checker produces and the
//! lowering to bytecode consumes.
//!
//! Every name is resolved to an index into one of the [`Program`] tables or
//! into the enclosing [`Body`]'s local slots; every operator, builtin and
//! method is resolved to an explicit variant (`BinOp::AddFloat`,
//! `Builtin::Sqrt`, `ListMethod::Push`), so lowering never needs types.
//! Every [`Expr`] still carries its [`Type`] and span, for diagnostics and
//! for the REPL's display of values.
//!
//! Conventions:
//! - Spans are byte ranges into the file named by the enclosing item's
//!   `file` ([`FileId`] indexes [`Program::files`]; 0 is the main file).
//! - `T` → `T?` needs no runtime conversion: `Value::None` is `none` and any
//!   other value is "some". The checker inserts no node for it; the expression
//!   keeps its own type `T`.
//! - Constants are folded: a `const` reference, a literal and any constant
//!   operator tree become [`ExprKind::Value`].
//! - Additive changes only: lowering depends on this module.

use crate::diagnostic::Span;
use crate::types::Type;
pub use myco_vm::value::{GradientId, MembraneId, SignalKindId, Value};

/// A local slot in one [`Body`]: parameters first (`0..params`), then every
/// `let`, `for`, `if let` and handler binding in source order. Slots are never
/// reused between scopes, so a body needs `locals.len()` slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalId(pub u32);

/// A free function: index into [`Program::functions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FnId(pub u32);

/// A cell kind: index into [`Program::cells`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKindId(pub u32);

/// A source file: index into [`Program::files`]; `FileId(0)` is the main file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A whole checked program. Table indices are the ids used everywhere else.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// Source files: the main file first, then imports in load order.
    pub files: Vec<SourceFile>,
    /// Gradient kinds; index = [`GradientId`].
    pub gradients: Vec<GradientDecl>,
    /// Signal kinds; index = [`SignalKindId`].
    pub signals: Vec<SignalDecl>,
    /// Membranes; index = [`MembraneId`].
    pub membranes: Vec<MembraneDecl>,
    /// Constants, already folded (their uses are folded too; kept for the
    /// REPL and tools).
    pub consts: Vec<ConstDecl>,
    /// Free functions; index = [`FnId`].
    pub functions: Vec<Function>,
    /// Cell kinds; index = [`CellKindId`].
    pub cells: Vec<CellKind>,
    /// The `ecosystem` block, if the program has one.
    pub ecosystem: Option<Ecosystem>,
    /// Host functions the embedder declared ([`crate::check::CheckOptions`]);
    /// index = the `u32` of [`Callee::HostFn`].
    pub host_functions: Vec<crate::check::HostFnSig>,
}

impl Program {
    /// Signal names indexed by [`SignalKindId`], for [`Type::display`].
    pub fn signal_names(&self) -> Vec<String> {
        self.signals.iter().map(|s| s.name.clone()).collect()
    }

    /// The cell kind called `name`.
    pub fn cell_kind(&self, name: &str) -> Option<CellKindId> {
        self.cells
            .iter()
            .position(|c| c.name == name)
            .map(|i| CellKindId(i as u32))
    }

    /// The gradient called `name`.
    pub fn gradient(&self, name: &str) -> Option<GradientId> {
        self.gradients
            .iter()
            .position(|g| g.name == name)
            .map(|i| GradientId(i as u32))
    }
}

impl myco_vm::value::Names for Program {
    fn gradient_name(&self, id: GradientId) -> &str {
        self.gradients
            .get(id.0 as usize)
            .map_or("?", |g| g.name.as_str())
    }
    fn signal_name(&self, id: SignalKindId) -> &str {
        self.signals
            .get(id.0 as usize)
            .map_or("?", |s| s.name.as_str())
    }
    fn signal_fields(&self, id: SignalKindId) -> &[String] {
        self.signals
            .get(id.0 as usize)
            .map_or(&[], |s| s.field_names.as_slice())
    }
}

/// One source file of the program.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// The name diagnostics and runtime errors show (as given to the checker,
    /// or as resolved by the loader for imports).
    pub name: String,
    /// Its text (spans index into it).
    pub text: String,
}

/// `gradient NAME { range, falloff, persist }` with defaults filled in.
#[derive(Debug, Clone)]
pub struct GradientDecl {
    /// Declared name.
    pub name: String,
    /// Beyond this distance the gradient is not sensed (default 100.0).
    pub range: f64,
    /// Attenuation `exp(-falloff * d)` (default 0.05).
    pub falloff: f64,
    /// Ticks an emission stays sensed (default 1).
    pub persist: i64,
    /// Where it is declared.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

/// `signal NAME { field: type, ... }`.
#[derive(Debug, Clone)]
pub struct SignalDecl {
    /// Declared name.
    pub name: String,
    /// Field names in declaration order (a record's values follow it).
    pub field_names: Vec<String>,
    /// Field types, parallel to `field_names`.
    pub field_types: Vec<Type>,
    /// Where it is declared.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

/// `membrane NAME;`.
#[derive(Debug, Clone)]
pub struct MembraneDecl {
    /// Declared name.
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

/// `const NAME: type = expr;`, folded.
#[derive(Debug, Clone)]
pub struct ConstDecl {
    /// Declared name.
    pub name: String,
    /// Declared type.
    pub ty: Type,
    /// Folded value.
    pub value: Value,
    /// Where it is declared.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

/// A free function or a cell's method.
#[derive(Debug, Clone)]
pub struct Function {
    /// Declared name.
    pub name: String,
    /// Parameters; parameter `i` is local `LocalId(i)` of `body`.
    pub params: Vec<Param>,
    /// `-> T`, or [`Type::Unit`].
    pub ret: Type,
    /// The code.
    pub body: Body,
    /// The whole declaration.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

/// A function parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Declared type.
    pub ty: Type,
    /// Where.
    pub span: Span,
}

/// A code body: a function, method, handler, metabolism or the ecosystem.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// How many of the first locals are parameters (or the handler's binding).
    pub params: u32,
    /// Every local slot; `locals[i]` describes `LocalId(i)`.
    pub locals: Vec<LocalInfo>,
    /// The statements.
    pub block: Block,
}

impl Body {
    /// How many local slots a frame of this body needs.
    pub fn slot_count(&self) -> u32 {
        self.locals.len() as u32
    }
}

/// What is known of a local slot (for debugging, the REPL and disassembly).
#[derive(Debug, Clone)]
pub struct LocalInfo {
    /// Source name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Declared `let mut` (or a loop variable, which is not mutable).
    pub mutable: bool,
    /// Where it is declared.
    pub span: Span,
}

/// A kind of cell: `cell NAME { ... }`.
#[derive(Debug, Clone)]
pub struct CellKind {
    /// Declared name.
    pub name: String,
    /// Fields in declaration order; `self.f` is [`Place::Field`] with the
    /// index here.
    pub fields: Vec<FieldDecl>,
    /// `metabolism { ... }` (the checker requires exactly one).
    pub metabolism: Body,
    /// `on spawn { ... }`.
    pub on_spawn: Option<Body>,
    /// `on apoptosis { ... }`.
    pub on_apoptosis: Option<Body>,
    /// `on S(x) { ... }` handlers, in declaration order, at most one per
    /// signal kind. The binding `x` is `LocalId(0)` of the handler's body.
    pub on_signal: Vec<SignalHandler>,
    /// Methods; [`Callee::Method`] indexes this.
    pub methods: Vec<Function>,
    /// The whole declaration.
    pub span: Span,
    /// In which file.
    pub file: FileId,
}

impl CellKind {
    /// The handler for signal kind `signal`, if the kind has one.
    pub fn handler_for(&self, signal: SignalKindId) -> Option<&SignalHandler> {
        self.on_signal.iter().find(|h| h.signal == signal)
    }
}

/// A cell field: `name: type = default;`.
#[derive(Debug, Clone)]
pub struct FieldDecl {
    /// Name.
    pub name: String,
    /// Declared type.
    pub ty: Type,
    /// Folded default value (field defaults are constant expressions).
    pub default: Value,
    /// Where.
    pub span: Span,
}

/// `on S(x) { ... }`.
#[derive(Debug, Clone)]
pub struct SignalHandler {
    /// Which signal kind it handles.
    pub signal: SignalKindId,
    /// The body; local 0 holds the record (`params == 1`).
    pub body: Body,
    /// The whole handler.
    pub span: Span,
}

/// The `ecosystem { ... }` block.
#[derive(Debug, Clone)]
pub struct Ecosystem {
    /// The code; `world.*` settings are [`Stmt::SetWorld`] in it.
    pub body: Body,
    /// Where.
    pub span: Span,
    /// In which file (always the main file).
    pub file: FileId,
}

/// A `{ ... }` block of statements.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// In order.
    pub stmts: Vec<Stmt>,
    /// Where (the braces).
    pub span: Span,
}

/// An assignable place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A `let mut` local.
    Local(LocalId),
    /// `self.f`: field index in the running cell's kind.
    Field(u32),
}

/// A statement.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// `let x = e;` / `let mut x: T = e;`.
    Let {
        /// The new slot.
        local: LocalId,
        /// Initial value.
        value: Expr,
        /// The whole statement.
        span: Span,
    },
    /// `place = e;` (`op: None`) or `place op= e;` (`op` is the resolved
    /// operator: `x += 1.0` has `Some(BinOp::AddFloat)`; the place is read,
    /// combined with `value`, and written back).
    Assign {
        /// Target.
        place: Place,
        /// Compound operator, if any.
        op: Option<BinOp>,
        /// Right-hand side.
        value: Expr,
        /// The whole statement.
        span: Span,
    },
    /// An expression evaluated for its effect; its value (if any) is dropped.
    /// `emit`, `bind`, `unbind`, `send`, `move`, calls, `print(...)` and
    /// method calls such as `xs.push(1)` appear here.
    Expr(Expr),
    /// `if cond { then } else { else_ }`; `else if` is an `else_` block
    /// holding one `If`.
    If {
        /// Condition (`bool`).
        cond: Expr,
        /// Taken when true.
        then: Block,
        /// Taken when false.
        else_: Option<Block>,
        /// The whole statement.
        span: Span,
    },
    /// `if let x = opt { then } else { else_ }`: when `value` is not `none`,
    /// it is stored in `local` and `then` runs.
    IfLet {
        /// Slot for the unwrapped value.
        local: LocalId,
        /// The optional (type `T?`).
        value: Expr,
        /// Taken when `value` is not `none`.
        then: Block,
        /// Taken when it is.
        else_: Option<Block>,
        /// The whole statement.
        span: Span,
    },
    /// `while cond { body }`.
    While {
        /// Condition (`bool`).
        cond: Expr,
        /// Loop body.
        body: Block,
        /// The whole statement.
        span: Span,
    },
    /// `for x in list { body }`: the list is evaluated once.
    ForList {
        /// Slot of `x`.
        local: LocalId,
        /// The list (`[T]`).
        list: Expr,
        /// Loop body.
        body: Block,
        /// The whole statement.
        span: Span,
    },
    /// `for i in start..end { body }` over ints, end excluded; both bounds
    /// are evaluated once, before the first iteration.
    ForRange {
        /// Slot of `i`.
        local: LocalId,
        /// Start (`int`).
        start: Expr,
        /// End, excluded (`int`).
        end: Expr,
        /// Loop body.
        body: Block,
        /// The whole statement.
        span: Span,
    },
    /// `break;` (innermost loop).
    Break(Span),
    /// `continue;` (innermost loop).
    Continue(Span),
    /// `return;` / `return e;`. In a handler or metabolism, `return;` ends
    /// that handler only.
    Return(Option<Expr>, Span),
    /// `report e;` (`e: float`).
    Report(Expr, Span),
    /// `differentiate T { f: e, ... };`.
    Differentiate {
        /// The new kind.
        kind: CellKindId,
        /// Field overrides: (field index in `kind`, value), in source order.
        fields: Vec<(u32, Expr)>,
        /// The whole statement.
        span: Span,
    },
    /// `sleep n;` (`n: int`).
    Sleep(Expr, Span),
    /// `sleep until G > e;` (`e: float`, evaluated once).
    SleepUntil {
        /// Which gradient.
        gradient: GradientRef,
        /// The threshold.
        threshold: Expr,
        /// The whole statement.
        span: Span,
    },
    /// `die;`.
    Die(Span),
    /// `world.NAME = e;` (ecosystem only; `e` has [`WorldSetting::ty`]).
    SetWorld {
        /// Which setting.
        setting: WorldSetting,
        /// The value.
        value: Expr,
        /// The whole statement.
        span: Span,
    },
}

/// An expression with its type and span.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its static type.
    pub ty: Type,
    /// Where.
    pub span: Span,
}

/// What an expression computes.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A literal, a `const`, `none`, or a folded constant expression.
    Value(Value),
    /// A local or parameter.
    Local(LocalId),
    /// `self` (type `cell`).
    SelfId,
    /// `sender` (only inside `on S(x)`).
    Sender,
    /// `self.f`: field index in the running cell's kind.
    Field(u32),
    /// `self.energy`, `self.pos`, ...
    Intrinsic(Intrinsic),
    /// A unary operator.
    Unary {
        /// Resolved operator.
        op: UnOp,
        /// Operand.
        operand: Box<Expr>,
    },
    /// A strict binary operator (both sides are always evaluated, left first).
    Binary {
        /// Resolved operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `&&` / `||`: the right side runs only when needed.
    Logic {
        /// Which.
        op: LogicOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand (evaluated only if `lhs` does not decide).
        rhs: Box<Expr>,
    },
    /// `opt ?? default`: `default` is evaluated only when `opt` is `none`.
    Coalesce {
        /// The optional.
        opt: Box<Expr>,
        /// Used when it is `none`.
        default: Box<Expr>,
    },
    /// `xs[i]` on a list (`int` index; out of range is a runtime error).
    Index {
        /// The list.
        list: Box<Expr>,
        /// The index.
        index: Box<Expr>,
    },
    /// `v.x` / `v.y`.
    VecComponent {
        /// The vec.
        vec: Box<Expr>,
        /// Which component.
        axis: Axis,
    },
    /// `r.source`, `r.strength`, ... on a `reading`.
    ReadingField {
        /// The reading.
        reading: Box<Expr>,
        /// Which field.
        field: ReadingField,
    },
    /// `s.f` on a signal record: field index in its declaration.
    SignalField {
        /// The record.
        record: Box<Expr>,
        /// Its kind.
        signal: SignalKindId,
        /// Field index.
        field: u32,
    },
    /// A call of anything but a list/vec method.
    Call {
        /// What is called.
        callee: Callee,
        /// Arguments, in order (evaluated left to right).
        args: Vec<Expr>,
    },
    /// A non-mutating list method: `xs.len()`, `xs.get(i)`, ...
    ListMethod {
        /// Which method ([`ListMethod::mutates`] is false).
        method: ListMethod,
        /// The list.
        receiver: Box<Expr>,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `push`, `pop`, `remove` on a mutable place: the place's list is
    /// updated in place (persistent list: copy-on-write) and the method's
    /// result (`()` for push, `T?` for pop, `T` for remove) is the value.
    ListMutate {
        /// Which method ([`ListMethod::mutates`] is true).
        method: ListMethod,
        /// The list's place.
        place: Place,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `v.len()`, `v.dist(w)`, `v.norm()`.
    VecMethod {
        /// Which method.
        method: VecMethod,
        /// The vec.
        receiver: Box<Expr>,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `(x, y)` with non-constant parts.
    MakeVec(Box<Expr>, Box<Expr>),
    /// `[a, b, ...]` with non-constant elements.
    MakeList(Vec<Expr>),
    /// `Name { f: e, ... }`: values in the signal's field declaration order
    /// (each evaluated in *source* order: see `eval_order`).
    MakeSignal {
        /// Which signal.
        signal: SignalKindId,
        /// Field values, indexed by declaration order.
        fields: Vec<Expr>,
        /// The order the source wrote them in: `fields[eval_order[k]]` is
        /// the k-th written. Lowering evaluates in this order.
        eval_order: Vec<u32>,
    },
    /// `sense G` (type `[reading]`).
    Sense(GradientRef),
    /// `emit G e` (type `bool`); `strength` is `1.0` when omitted.
    Emit {
        /// Which gradient.
        gradient: GradientRef,
        /// Strength (`float`).
        strength: Box<Expr>,
    },
    /// `bind e` (type `bool`).
    Bind(Box<Expr>),
    /// `unbind e` (type `bool`).
    Unbind(Box<Expr>),
    /// `send r to c` (type `bool`); `record` has a signal type.
    Send {
        /// The record.
        record: Box<Expr>,
        /// The receiver (`cell`).
        to: Box<Expr>,
    },
    /// `move v` (type `bool`).
    Move(Box<Expr>),
    /// `spawn T { ... } at p in M`: type `cell` in the ecosystem block,
    /// `()` inside a cell (children get their ids when effects apply).
    Spawn(Box<Spawn>),
}

/// The operands of `spawn`.
#[derive(Debug, Clone)]
pub struct Spawn {
    /// The child's kind.
    pub kind: CellKindId,
    /// Field overrides: (field index in `kind`, value), in source order.
    pub fields: Vec<(u32, Expr)>,
    /// `energy:` override (`float`).
    pub energy: Option<Expr>,
    /// `priority:` override (`float`).
    pub priority: Option<Expr>,
    /// `at p` (`vec`); `None`: the spawner's position (origin in the
    /// ecosystem block).
    pub at: Option<Expr>,
    /// `in M` (ecosystem only).
    pub membrane: Option<MembraneId>,
}

/// The `G` of `emit G`, `sense G`, `sleep until G > e`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradientRef {
    /// A declared gradient (or a `const` of type `gradient`).
    Static(GradientId),
    /// A local or parameter of type `gradient`.
    Local(LocalId),
}

/// What a [`ExprKind::Call`] calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee {
    /// A free function.
    Fn(FnId),
    /// A method of the running cell: `self.m(...)`; (kind, index in
    /// [`CellKind::methods`]).
    Method(CellKindId, u32),
    /// A builtin (math, random, print, conversions, `now()`).
    Builtin(Builtin),
    /// A host function: index into [`Program::host_functions`].
    HostFn(u32),
}

/// Read-only facts about the running cell (`self.energy` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intrinsic {
    /// `self.energy: float`.
    Energy,
    /// `self.pos: vec`.
    Pos,
    /// `self.age: int`.
    Age,
    /// `self.bonds: [cell]`.
    Bonds,
    /// `self.priority: float`.
    Priority,
    /// `self.parent: cell?`.
    Parent,
}

impl Intrinsic {
    /// Looks up `self.NAME`.
    pub fn from_name(name: &str) -> Option<Intrinsic> {
        Some(match name {
            "energy" => Intrinsic::Energy,
            "pos" => Intrinsic::Pos,
            "age" => Intrinsic::Age,
            "bonds" => Intrinsic::Bonds,
            "priority" => Intrinsic::Priority,
            "parent" => Intrinsic::Parent,
            _ => return None,
        })
    }

    /// Its type.
    pub fn ty(self) -> Type {
        match self {
            Intrinsic::Energy | Intrinsic::Priority => Type::Float,
            Intrinsic::Pos => Type::Vec,
            Intrinsic::Age => Type::Int,
            Intrinsic::Bonds => Type::list(Type::Cell),
            Intrinsic::Parent => Type::optional(Type::Cell),
        }
    }
}

/// Unary operators, resolved by operand type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-i` (overflow on `i64::MIN` is a runtime error).
    NegInt,
    /// `-x`.
    NegFloat,
    /// `-v`.
    NegVec,
    /// `!b`.
    Not,
}

/// `&&` and `||`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicOp {
    /// `&&`.
    And,
    /// `||`.
    Or,
}

/// Strict binary operators, resolved by operand types. Int arithmetic
/// overflow, int division or remainder by zero are runtime errors; float
/// arithmetic follows IEEE 754.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// int + int
    AddInt,
    /// float + float
    AddFloat,
    /// vec + vec
    AddVec,
    /// str + str
    ConcatStr,
    /// int - int
    SubInt,
    /// float - float
    SubFloat,
    /// vec - vec
    SubVec,
    /// int * int
    MulInt,
    /// float * float
    MulFloat,
    /// vec * float
    MulVecFloat,
    /// float * vec
    MulFloatVec,
    /// int / int, truncating toward zero
    DivInt,
    /// float / float
    DivFloat,
    /// vec / float
    DivVecFloat,
    /// int % int, sign of the dividend
    RemInt,
    /// float % float (Rust's `%`)
    RemFloat,
    /// == on ints
    EqInt,
    /// != on ints
    NeInt,
    /// == on floats (IEEE: NaN != NaN)
    EqFloat,
    /// != on floats
    NeFloat,
    /// == on bools
    EqBool,
    /// != on bools
    NeBool,
    /// == on strs
    EqStr,
    /// != on strs
    NeStr,
    /// == on any other type (vec, cell, gradient, reading, list, signal,
    /// optional — `x == none` included): structural equality of values.
    EqValue,
    /// != counterpart of [`BinOp::EqValue`].
    NeValue,
    /// int <
    LtInt,
    /// int <=
    LeInt,
    /// int >
    GtInt,
    /// int >=
    GeInt,
    /// float <
    LtFloat,
    /// float <=
    LeFloat,
    /// float >
    GtFloat,
    /// float >=
    GeFloat,
    /// str < (byte-wise lexicographic)
    LtStr,
    /// str <=
    LeStr,
    /// str >
    GtStr,
    /// str >=
    GeStr,
}

/// Builtin functions. Overloads are resolved: `abs(1)` is
/// [`Builtin::AbsInt`], `abs(1.0)` is [`Builtin::AbsFloat`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `abs(int) -> int` (overflow on `i64::MIN`: runtime error)
    AbsInt,
    /// `abs(float) -> float`
    AbsFloat,
    /// `min(int, int) -> int`
    MinInt,
    /// `min(float, float) -> float`
    MinFloat,
    /// `max(int, int) -> int`
    MaxInt,
    /// `max(float, float) -> float`
    MaxFloat,
    /// `clamp(x: int, lo: int, hi: int) -> int`
    ClampInt,
    /// `clamp(x: float, lo: float, hi: float) -> float`
    ClampFloat,
    /// `sqrt(float) -> float`
    Sqrt,
    /// `floor(float) -> float`
    Floor,
    /// `ceil(float) -> float`
    Ceil,
    /// `round(float) -> float`, half away from zero
    Round,
    /// `pow(float, float) -> float`
    Pow,
    /// `sin(float) -> float`
    Sin,
    /// `cos(float) -> float`
    Cos,
    /// `atan2(y: float, x: float) -> float`
    Atan2,
    /// `rand() -> float` in [0, 1)
    Rand,
    /// `rand_int(lo: int, hi: int) -> int`, lo <= n < hi (lo >= hi: runtime error)
    RandInt,
    /// `rand_vec(r: float) -> vec`, uniform in the disc of radius r
    RandVec,
    /// `print(a, b, ...)`: any number of arguments of any type
    Print,
    /// `now() -> int`: the current tick
    Now,
    /// `int(float) -> int`: truncates toward zero; NaN/out of range: runtime error
    IntOfFloat,
    /// `float(int) -> float`
    FloatOfInt,
    /// `str(x) -> str`: `x` as `print` shows it (any type)
    ToStr,
}

/// List methods. `push pop remove` need a mutable place
/// ([`ExprKind::ListMutate`]); the rest are [`ExprKind::ListMethod`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListMethod {
    /// `len() -> int`
    Len,
    /// `is_empty() -> bool`
    IsEmpty,
    /// `first() -> T?`
    First,
    /// `last() -> T?`
    Last,
    /// `get(i: int) -> T?` (none when out of range)
    Get,
    /// `contains(x: T) -> bool`
    Contains,
    /// `push(x: T)`
    Push,
    /// `pop() -> T?` (removes the last)
    Pop,
    /// `remove(i: int) -> T` (out of range: runtime error)
    Remove,
}

impl ListMethod {
    /// Looks a list method up by name.
    pub fn from_name(name: &str) -> Option<ListMethod> {
        Some(match name {
            "len" => ListMethod::Len,
            "is_empty" => ListMethod::IsEmpty,
            "first" => ListMethod::First,
            "last" => ListMethod::Last,
            "get" => ListMethod::Get,
            "contains" => ListMethod::Contains,
            "push" => ListMethod::Push,
            "pop" => ListMethod::Pop,
            "remove" => ListMethod::Remove,
            _ => return None,
        })
    }

    /// True for `push pop remove`, which write the list back to its place.
    pub fn mutates(self) -> bool {
        matches!(
            self,
            ListMethod::Push | ListMethod::Pop | ListMethod::Remove
        )
    }
}

/// Vec methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VecMethod {
    /// `len() -> float`
    Len,
    /// `dist(w: vec) -> float`
    Dist,
    /// `norm() -> vec` (`(0.0, 0.0)` for the zero vector)
    Norm,
}

/// `.x` or `.y` of a vec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Axis {
    /// `.x`
    X,
    /// `.y`
    Y,
}

/// The fields of a `reading`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadingField {
    /// `source: cell`
    Source,
    /// `strength: float`
    Strength,
    /// `distance: float`
    Distance,
    /// `pos: vec`
    Pos,
    /// `bonded: bool`
    Bonded,
}

impl ReadingField {
    /// Looks a reading field up by name.
    pub fn from_name(name: &str) -> Option<ReadingField> {
        Some(match name {
            "source" => ReadingField::Source,
            "strength" => ReadingField::Strength,
            "distance" => ReadingField::Distance,
            "pos" => ReadingField::Pos,
            "bonded" => ReadingField::Bonded,
            _ => return None,
        })
    }

    /// Its type.
    pub fn ty(self) -> Type {
        match self {
            ReadingField::Source => Type::Cell,
            ReadingField::Strength | ReadingField::Distance => Type::Float,
            ReadingField::Pos => Type::Vec,
            ReadingField::Bonded => Type::Bool,
        }
    }
}

/// The `world.*` settings (LANGUAGE.md §6): the bytecode's own enum, so
/// lowering passes them through unchanged.
pub use myco_vm::bytecode::WorldSetting;

/// The type of a `world.*` setting: `int`, `vec` (size) or `float`, as the
/// runtime's settings table declares it.
pub fn world_setting_type(setting: WorldSetting) -> Type {
    use myco_vm::runtime::{SettingType, WorldSettings};
    match WorldSettings::setting_type(setting.name()) {
        Some(SettingType::Int) => Type::Int,
        Some(SettingType::Vec) => Type::Vec,
        _ => Type::Float,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_settings_round_trip_and_have_spec_types() {
        for s in WorldSetting::ALL {
            assert_eq!(WorldSetting::from_name(s.name()), Some(s));
        }
        assert_eq!(
            WorldSetting::from_name("max_cells").map(world_setting_type),
            Some(Type::Int)
        );
        assert_eq!(
            WorldSetting::from_name("size").map(world_setting_type),
            Some(Type::Vec)
        );
        assert_eq!(
            WorldSetting::from_name("income").map(world_setting_type),
            Some(Type::Float)
        );
        assert_eq!(WorldSetting::from_name("gravity"), None);
    }

    #[test]
    fn only_push_pop_remove_mutate() {
        let mutating: Vec<_> = [
            "len", "is_empty", "first", "last", "get", "contains", "push", "pop", "remove",
        ]
        .into_iter()
        .filter_map(ListMethod::from_name)
        .filter(|m| m.mutates())
        .collect();
        assert_eq!(
            mutating,
            vec![ListMethod::Push, ListMethod::Pop, ListMethod::Remove]
        );
    }
}
