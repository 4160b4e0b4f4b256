//! The checker: name resolution, type checking, constant folding and imports.
//! It turns the parser's AST into the [`crate::hir`] program.

pub mod loader;

pub use loader::{FsLoader, MemoryLoader, NoImports, SourceLoader};

use crate::types::Type;

/// A host function an embedder makes callable from Myco, with its signature.
/// Calls resolve to [`crate::hir::Callee::HostFn`] with the index of the
/// signature in [`CheckOptions::host_functions`].
#[derive(Debug, Clone, PartialEq)]
pub struct HostFnSig {
    /// The name Myco code calls it by (it shadows nothing: a clash with a
    /// builtin or a program's `fn` is an error).
    pub name: String,
    /// Parameter types.
    pub params: Vec<Type>,
    /// Return type ([`Type::Unit`] for none).
    pub ret: Type,
}

/// What the embedder adds to the language.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Host functions, callable by name from any code.
    pub host_functions: Vec<HostFnSig>,
}
