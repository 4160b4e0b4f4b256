//! The Myco front end: lexer → parser → checker → lowering.
//!
//! Each phase lives in its own module; [`diagnostic`] is shared by all of them.

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod hir;
pub mod lower;
pub mod types;
