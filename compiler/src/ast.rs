//! The abstract syntax tree: what the parser produces and the checker reads.
//!
//! Shape in brief:
//! - a [`Program`] is a list of [`Item`]s (`use`, `gradient`, `signal`,
//!   `membrane`, `const`, `fn`, `cell`, `ecosystem`);
//! - bodies are [`Block`]s of [`Stmt`]s; a statement is a [`StmtKind`]
//!   (`let`, assignment, `world.x = e`, control flow, the metabolic
//!   statements `report`/`differentiate`/`sleep`/`die`, or an expression);
//! - an [`Expr`] is an [`ExprKind`]; the metabolic constructs that have a
//!   value (`emit`, `bind`, `unbind`, `send`, `move`, `spawn`) are
//!   expressions, so `emit G 1.0;` is a [`StmtKind::Expr`] holding an
//!   [`ExprKind::Emit`].
//!
//! Every node carries a `span` (a byte range into the source). Every
//! [`Expr`] carries an [`ExprId`], unique within one parse and dense
//! (`0..expr_count`), assigned in source order after parsing, so later phases
//! can keep side tables (types, resolved names) in a `Vec` indexed by it.
//!
//! The parser builds a best-effort tree even for erroneous input: a part it
//! could not parse becomes [`ExprKind::Error`] (or is left out), and a
//! diagnostic has been reported for it. Later phases should stay silent about
//! `Error` nodes.

use crate::diagnostic::Span;

/// Identifies one expression within one parse; dense from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExprId(pub u32);

impl ExprId {
    /// The id every expression has before the numbering pass.
    pub const UNASSIGNED: ExprId = ExprId(u32::MAX);

    /// The id as an index into a side table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name's text.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A whole source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The items in source order.
    pub items: Vec<Item>,
    /// Number of expressions: every [`ExprId`] in this program is below it.
    pub expr_count: u32,
    /// The whole file.
    pub span: Span,
}

/// A top-level declaration.
// Items are few per program; boxing the large variants would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `use std::NAME;` or `use "path";`
    Use(UseDecl),
    /// `gradient NAME;` or `gradient NAME { range: F, falloff: F, persist: I }`
    Gradient(GradientDecl),
    /// `signal NAME { field: type, ... }`
    Signal(SignalDecl),
    /// `membrane NAME;`
    Membrane(MembraneDecl),
    /// `const NAME: type = expr;`
    Const(ConstDecl),
    /// `fn name(a: type, ...) -> type { ... }`
    Fn(FnDecl),
    /// `cell NAME { member* }`
    Cell(CellDecl),
    /// `ecosystem { ... }`
    Ecosystem(EcosystemDecl),
}

impl Item {
    /// The whole item's span.
    pub fn span(&self) -> &Span {
        match self {
            Item::Use(d) => &d.span,
            Item::Gradient(d) => &d.span,
            Item::Signal(d) => &d.span,
            Item::Membrane(d) => &d.span,
            Item::Const(d) => &d.span,
            Item::Fn(d) => &d.span,
            Item::Cell(d) => &d.span,
            Item::Ecosystem(d) => &d.span,
        }
    }

    /// The declared name, for items that declare one.
    pub fn name(&self) -> Option<&Ident> {
        match self {
            Item::Gradient(d) => Some(&d.name),
            Item::Signal(d) => Some(&d.name),
            Item::Membrane(d) => Some(&d.name),
            Item::Const(d) => Some(&d.name),
            Item::Fn(d) => Some(&d.name),
            Item::Cell(d) => Some(&d.name),
            Item::Use(_) | Item::Ecosystem(_) => None,
        }
    }
}

/// An import.
#[derive(Debug, Clone, PartialEq)]
pub struct UseDecl {
    /// What is imported.
    pub target: UseTarget,
    /// The whole `use ...;`.
    pub span: Span,
}

/// What a `use` names.
#[derive(Debug, Clone, PartialEq)]
pub enum UseTarget {
    /// `use std::NAME;`: a standard-library module.
    Std(Ident),
    /// `use "path/file.myco";`: a file relative to the importing file.
    Path {
        /// The path, escapes already decoded.
        path: String,
        /// The string literal's span (quotes included).
        span: Span,
    },
}

/// A gradient kind. Settings left out take the defaults (range 100.0,
/// falloff 0.05, persist 1); the parser rejects unknown or repeated keys.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientDecl {
    /// The kind's name.
    pub name: Ident,
    /// `range: F`
    pub range: Option<Expr>,
    /// `falloff: F`
    pub falloff: Option<Expr>,
    /// `persist: I`
    pub persist: Option<Expr>,
    /// The whole declaration.
    pub span: Span,
}

/// A signal kind: a record type sent to one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalDecl {
    /// The signal's name (also a type name).
    pub name: Ident,
    /// Its fields in declaration order.
    pub fields: Vec<SignalField>,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type` in a signal declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalField {
    /// The field's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// `name: type`.
    pub span: Span,
}

/// `membrane NAME;`
#[derive(Debug, Clone, PartialEq)]
pub struct MembraneDecl {
    /// The membrane's name.
    pub name: Ident,
    /// The whole declaration.
    pub span: Span,
}

/// `const NAME: type = expr;`
#[derive(Debug, Clone, PartialEq)]
pub struct ConstDecl {
    /// The constant's name.
    pub name: Ident,
    /// Its declared type.
    pub ty: TypeExpr,
    /// Its value (a constant expression).
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// A function, or a method when it is a cell member.
#[derive(Debug, Clone, PartialEq)]
pub struct FnDecl {
    /// The function's name.
    pub name: Ident,
    /// Its parameters in order.
    pub params: Vec<Param>,
    /// `-> type`, when written.
    pub ret: Option<TypeExpr>,
    /// The body.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type` in a parameter list.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// `name: type`.
    pub span: Span,
}

/// `cell NAME { member* }`
#[derive(Debug, Clone, PartialEq)]
pub struct CellDecl {
    /// The cell type's name.
    pub name: Ident,
    /// Members in source order (the checker enforces exactly one metabolism).
    pub members: Vec<CellMember>,
    /// The whole declaration.
    pub span: Span,
}

/// One member of a cell declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum CellMember {
    /// `name: type = expr;`
    Field(FieldDecl),
    /// `metabolism { ... }`
    Metabolism(Metabolism),
    /// `on SIGNAL(x) { ... }`, `on spawn { ... }`, `on apoptosis { ... }`
    Handler(Handler),
    /// `fn name(...) -> type { ... }`, called as `self.name(...)`.
    Method(FnDecl),
}

impl CellMember {
    /// The member's span.
    pub fn span(&self) -> &Span {
        match self {
            CellMember::Field(m) => &m.span,
            CellMember::Metabolism(m) => &m.span,
            CellMember::Handler(m) => &m.span,
            CellMember::Method(m) => &m.span,
        }
    }
}

/// A cell field: `name: type = default;`
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// The field's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Its initial value (a constant expression).
    pub default: Expr,
    /// The whole member, `;` included.
    pub span: Span,
}

/// `metabolism { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct Metabolism {
    /// The body, run once per turn.
    pub body: Block,
    /// The whole member.
    pub span: Span,
}

/// An `on ...` handler.
#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    /// What triggers it.
    pub trigger: HandlerTrigger,
    /// The body.
    pub body: Block,
    /// The whole member.
    pub span: Span,
}

/// What an `on` handler reacts to.
#[derive(Debug, Clone, PartialEq)]
pub enum HandlerTrigger {
    /// `on SIGNAL(binding)`: once per delivered signal of that kind.
    Signal {
        /// The signal kind.
        signal: Ident,
        /// The local that holds the signal's record.
        binding: Ident,
    },
    /// `on spawn`: the cell's first turn.
    Spawn,
    /// `on apoptosis`: the cell is dying.
    Apoptosis,
}

/// `ecosystem { ... }`
#[derive(Debug, Clone, PartialEq)]
pub struct EcosystemDecl {
    /// The body, run once before tick 1.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    /// Which type.
    pub kind: TypeKind,
    /// Where it is written.
    pub span: Span,
}

/// The forms of a written type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `int`
    Int,
    /// `float`
    Float,
    /// `bool`
    Bool,
    /// `str`
    Str,
    /// `vec`
    Vec,
    /// `cell`
    Cell,
    /// `gradient`
    Gradient,
    /// `reading`
    Reading,
    /// `[T]`
    List(Box<TypeExpr>),
    /// `T?`
    Optional(Box<TypeExpr>),
    /// Any other name: a signal type (the checker resolves it).
    Named(Ident),
    /// A type the parser could not read (already reported).
    Error,
}

/// `{ stmt* }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The statements in order.
    pub stmts: Vec<Stmt>,
    /// From `{` to `}`.
    pub span: Span,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// Which statement.
    pub kind: StmtKind,
    /// The whole statement, `;` included when there is one.
    pub span: Span,
}

/// The forms of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `let x = e;`, `let mut x: T = e;`
    Let {
        /// `mut` was written.
        mutable: bool,
        /// The new local.
        name: Ident,
        /// The declared type, when written.
        ty: Option<TypeExpr>,
        /// The initial value.
        value: Expr,
    },
    /// `place = e;`, `place += e;` (and `-=` `*=` `/=`)
    Assign {
        /// What is assigned.
        target: Place,
        /// `=` or a compound operator.
        op: AssignOp,
        /// The right-hand side.
        value: Expr,
    },
    /// `world.NAME = e;`: a world setting (only in `ecosystem` and the REPL).
    WorldSet {
        /// The setting's name (`seed`, `income`, ...).
        setting: Ident,
        /// Its value.
        value: Expr,
    },
    /// `if ... { } else if ... { } else { }`
    If(IfStmt),
    /// `while c { }`
    While {
        /// The condition.
        cond: Expr,
        /// The loop body.
        body: Block,
    },
    /// `for x in e { }` or `for i in a..b { }`
    For {
        /// The loop variable.
        var: Ident,
        /// What it ranges over.
        iter: ForIter,
        /// The loop body.
        body: Block,
    },
    /// `break;`
    Break,
    /// `continue;`
    Continue,
    /// `return;` or `return e;`
    Return(Option<Expr>),
    /// `report e;`: declare value produced.
    Report(Expr),
    /// `differentiate T { f: e, ... };`: become type `T`.
    Differentiate {
        /// The new cell type.
        target: Ident,
        /// Field overrides (empty when no `{...}` is written).
        inits: Vec<FieldInit>,
    },
    /// `sleep n;` or `sleep until G > e;`
    Sleep(SleepKind),
    /// `die;`
    Die,
    /// An expression evaluated for its effect: a call, or one of the
    /// metabolic expressions (`emit`, `bind`, `unbind`, `send`, `move`,
    /// `spawn`) whose value is dropped.
    Expr(Expr),
}

/// `if` with its optional `else` chain.
#[derive(Debug, Clone, PartialEq)]
pub struct IfStmt {
    /// `c` or `let x = opt`.
    pub cond: Condition,
    /// The block run when the condition holds.
    pub then_block: Block,
    /// `else { }` or `else if ...`.
    pub else_branch: Option<ElseBranch>,
    /// From `if` to the end of the last branch.
    pub span: Span,
}

/// The head of an `if`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `if c`: a `bool` expression.
    Expr(Expr),
    /// `if let x = opt`: runs the block with `x` bound when `opt` is not `none`.
    Let {
        /// The binding.
        name: Ident,
        /// The optional value.
        value: Expr,
    },
}

/// What follows `else`.
#[derive(Debug, Clone, PartialEq)]
pub enum ElseBranch {
    /// `else { ... }`
    Block(Block),
    /// `else if ...`
    If(Box<IfStmt>),
}

/// What a `for` loop ranges over.
#[derive(Debug, Clone, PartialEq)]
pub enum ForIter {
    /// `for x in list`
    Expr(Expr),
    /// `for i in start..end` (end excluded).
    Range {
        /// First value.
        start: Expr,
        /// One past the last value.
        end: Expr,
    },
}

/// The two forms of `sleep`.
#[derive(Debug, Clone, PartialEq)]
pub enum SleepKind {
    /// `sleep n;`: skip the next `n` turns.
    Ticks(Expr),
    /// `sleep until G > e;`
    Until {
        /// The gradient sensed (a declared kind or a `gradient` value).
        gradient: Ident,
        /// The strength to exceed.
        threshold: Expr,
    },
}

/// `=` or a compound assignment operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
}

/// The left-hand side of an assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Which place.
    pub kind: PlaceKind,
    /// Where it is written.
    pub span: Span,
}

/// The forms of an assignable place. The parser accepts all of them; the
/// checker decides which are assignable (e.g. a `let` without `mut`).
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceKind {
    /// `x`
    Local(Ident),
    /// `self.f`
    SelfField(Ident),
    /// `place.f` (e.g. `v.x`, `self.rec.f`)
    Field {
        /// The place whose field is assigned.
        base: Box<Place>,
        /// The field.
        field: Ident,
    },
    /// `place[i]`
    Index {
        /// The list.
        base: Box<Place>,
        /// The position.
        index: Box<Expr>,
    },
}

/// `name: e` in a signal literal, `spawn` or `differentiate`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInit {
    /// The field (in `spawn`, also `energy` or `priority`).
    pub name: Ident,
    /// Its value.
    pub value: Expr,
    /// `name: e`.
    pub span: Span,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// Unique within the parse; see [`ExprId`].
    pub id: ExprId,
    /// Which expression.
    pub kind: ExprKind,
    /// Where it is written (for a parenthesized expression, without the
    /// parentheses).
    pub span: Span,
}

/// The forms of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `42`
    Int(i64),
    /// `1.5`, `1e-7`
    Float(f64),
    /// `"text"`, escapes decoded.
    Str(String),
    /// `true`, `false`
    Bool(bool),
    /// `none`
    None,
    /// A local, parameter, constant, gradient or other named thing.
    Name(Ident),
    /// `self`
    SelfRef,
    /// `sender` (inside `on S(x)`).
    Sender,
    /// `world.NAME` read as a value (the checker decides where it is allowed).
    World(Ident),
    /// `base.field` (also `self.f` and the intrinsics `self.energy` ...).
    Field {
        /// The record, vec, reading or `self`.
        base: Box<Expr>,
        /// The field.
        field: Ident,
    },
    /// `receiver.method(args)` (also `self.method(...)`).
    MethodCall {
        /// The value the method is called on.
        receiver: Box<Expr>,
        /// The method.
        method: Ident,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `name(args)`: a function, builtin (`print`, `now`, `int` ...) or host call.
    Call {
        /// The function's name.
        callee: Ident,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `base[index]`
    Index {
        /// The list.
        base: Box<Expr>,
        /// The position.
        index: Box<Expr>,
    },
    /// `-e`, `!e`
    Unary {
        /// Which operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `a op b` (including `&&`, `||` and `??`).
    Binary {
        /// Which operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `(x, y)`
    Vec {
        /// First component.
        x: Box<Expr>,
        /// Second component.
        y: Box<Expr>,
    },
    /// `[a, b, ...]`
    List(Vec<Expr>),
    /// `Name { f: e, ... }`
    SignalLit {
        /// The signal kind.
        name: Ident,
        /// Field values as written.
        fields: Vec<FieldInit>,
    },
    /// `sense G`: `[reading]`.
    Sense(Ident),
    /// `emit G e` / `emit G`: `bool`.
    Emit {
        /// The gradient emitted.
        gradient: Ident,
        /// The strength (1.0 when left out).
        strength: Option<Box<Expr>>,
    },
    /// `bind e`: `bool`.
    Bind(Box<Expr>),
    /// `unbind e`: `bool`.
    Unbind(Box<Expr>),
    /// `send signal to target`: `bool`.
    Send {
        /// The signal value (usually a signal literal).
        signal: Box<Expr>,
        /// The receiving cell.
        target: Box<Expr>,
    },
    /// `move v`: `bool`.
    Move(Box<Expr>),
    /// `spawn T { ... } at p in M`: `cell` in `ecosystem`, no value in a cell.
    Spawn(SpawnExpr),
    /// Something that could not be parsed (already reported).
    Error,
}

/// `spawn T { f: e, energy: e, priority: e } at p in M`
#[derive(Debug, Clone, PartialEq)]
pub struct SpawnExpr {
    /// The cell type.
    pub cell: Ident,
    /// Field overrides plus `energy:` / `priority:` (the checker tells them apart).
    pub inits: Vec<FieldInit>,
    /// `at p`, when written.
    pub at: Option<Box<Expr>>,
    /// `in M`, when written.
    pub membrane: Option<Ident>,
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-`
    Neg,
    /// `!`
    Not,
}

/// An infix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `??`
    Coalesce,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Coalesce => "??",
        }
    }
}

impl UnaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "!",
        }
    }
}

/// One REPL line, parsed: either declarations (`gradient X;`, `fn f() {}`)
/// or statements, optionally followed by an expression without `;` whose
/// value the REPL shows. (A line holds items or statements, not both.)
#[derive(Debug, Clone, PartialEq)]
pub struct ReplInput {
    /// Declarations, in order.
    pub items: Vec<Item>,
    /// Statements, in order.
    pub stmts: Vec<Stmt>,
    /// The trailing expression, if any.
    pub tail: Option<Expr>,
    /// Number of expressions: every [`ExprId`] in this line is below it.
    pub expr_count: u32,
}
