//! A loaded program: every compiled chunk plus the tables the runtime needs
//! (gradients, signals, membranes, cell kinds, the ecosystem block).
//!
//! The compiler's lowering builds it; the interpreter and the script cell
//! read it through an `Arc` shared by every cell of the world.

use crate::bytecode::Chunk;
use crate::value::{GradientId, Names, SignalKindId, Value};

/// Index into [`Program::functions`].
pub type FunctionId = u32;

/// Index into [`Program::kinds`].
pub type CellKindId = u32;

/// A `gradient` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientDecl {
    /// Its name.
    pub name: String,
    /// Beyond this distance it is not sensed.
    pub range: f64,
    /// Attenuation per unit of distance: `s * exp(-falloff * d)`.
    pub falloff: f64,
    /// Ticks an emission stays sensed.
    pub persist: u32,
}

/// A `signal` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalDecl {
    /// Its name.
    pub name: String,
    /// Field names, in declaration order.
    pub fields: Vec<String>,
}

/// A field of a cell kind.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// Its name.
    pub name: String,
    /// The value of its (constant) default expression.
    pub default: Value,
}

/// A `cell` declaration, compiled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellKind {
    /// Its name.
    pub name: String,
    /// Its fields, in declaration order (field indices index this).
    pub fields: Vec<FieldDecl>,
    /// `metabolism { }`.
    pub metabolism: FunctionId,
    /// `on spawn { }`, if any.
    pub on_spawn: Option<FunctionId>,
    /// `on apoptosis { }`, if any.
    pub on_apoptosis: Option<FunctionId>,
    /// `on S(x) { }` handlers: indexed by signal kind id (each takes the record as register 0).
    pub handlers: Vec<Option<FunctionId>>,
}

impl CellKind {
    /// The handler for signal kind `kind`, if the kind has one.
    pub fn handler(&self, kind: SignalKindId) -> Option<FunctionId> {
        self.handlers.get(kind.0 as usize).copied().flatten()
    }

    /// The fields at their defaults.
    pub fn default_fields(&self) -> Vec<Value> {
        self.fields.iter().map(|f| f.default.clone()).collect()
    }
}

/// A host function the program calls (the embedder supplies its code).
#[derive(Debug, Clone, PartialEq)]
pub struct HostFnDecl {
    /// The name Myco code calls it by.
    pub name: String,
    /// How many arguments it takes.
    pub arity: usize,
}

/// A whole compiled program.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Program {
    /// Source file names; [`crate::bytecode::SourceLoc::file`] indexes this.
    pub files: Vec<String>,
    /// Every chunk (functions, methods, handlers, metabolisms, the ecosystem block).
    pub functions: Vec<Chunk>,
    /// Gradient kinds; [`GradientId`] indexes this.
    pub gradients: Vec<GradientDecl>,
    /// Signal kinds; [`SignalKindId`] indexes this.
    pub signals: Vec<SignalDecl>,
    /// Membrane names; `MembraneId` indexes this.
    pub membranes: Vec<String>,
    /// Cell kinds; [`CellKindId`] indexes this.
    pub kinds: Vec<CellKind>,
    /// The `ecosystem { }` block, if any.
    pub ecosystem: Option<FunctionId>,
    /// Host functions called through `CallHost`, by index.
    pub host_functions: Vec<HostFnDecl>,
}

impl Program {
    /// The chunk `id`, if it exists.
    pub fn function(&self, id: FunctionId) -> Option<&Chunk> {
        self.functions.get(id as usize)
    }

    /// The kind called `name`.
    pub fn kind_named(&self, name: &str) -> Option<CellKindId> {
        self.kinds
            .iter()
            .position(|k| k.name == name)
            .map(|i| i as CellKindId)
    }

    /// `file:line:col` for a source location.
    pub fn describe_loc(&self, loc: crate::bytecode::SourceLoc) -> String {
        let file = self
            .files
            .get(loc.file as usize)
            .map_or("<unknown>", |s| s.as_str());
        format!("{file}:{}:{}", loc.line, loc.col)
    }

    /// Checks every chunk and table reference (see [`Chunk::validate`]), so
    /// a lowering bug is reported here rather than panicking mid-tick.
    pub fn validate(&self) -> Result<(), String> {
        for chunk in &self.functions {
            chunk.validate(&self.functions)?;
            for op in &chunk.code {
                if let crate::bytecode::Op::CallHost { index, args, .. } = *op {
                    let Some(decl) = self.host_functions.get(usize::from(index)) else {
                        return Err(format!("{}: unknown host function", chunk.name));
                    };
                    if usize::from(args) + decl.arity > usize::from(chunk.registers) {
                        return Err(format!(
                            "{}: host call operands outside the frame",
                            chunk.name
                        ));
                    }
                }
                if let crate::bytecode::Op::NewRecord { signal, start, .. } = *op {
                    let Some(decl) = self.signals.get(usize::from(signal)) else {
                        return Err(format!("{}: unknown signal kind", chunk.name));
                    };
                    if usize::from(start) + decl.fields.len() > usize::from(chunk.registers) {
                        return Err(format!("{}: record operands outside the frame", chunk.name));
                    }
                }
            }
            for d in &chunk.spawns {
                let Some(kind) = self.kinds.get(d.kind as usize) else {
                    return Err(format!("{}: spawn of an unknown kind", chunk.name));
                };
                if d.fields
                    .iter()
                    .any(|&f| usize::from(f) >= kind.fields.len())
                {
                    return Err(format!("{}: spawn sets an unknown field", chunk.name));
                }
            }
        }
        for kind in &self.kinds {
            let ids = [Some(kind.metabolism), kind.on_spawn, kind.on_apoptosis];
            for id in ids
                .into_iter()
                .flatten()
                .chain(kind.handlers.iter().flatten().copied())
            {
                if self.function(id).is_none() {
                    return Err(format!("{}: unknown function {id}", kind.name));
                }
            }
        }
        if let Some(eco) = self.ecosystem
            && self.function(eco).is_none()
        {
            return Err("the ecosystem block is missing".into());
        }
        Ok(())
    }
}

impl Names for Program {
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
            .map_or(&[], |s| s.fields.as_slice())
    }
}
