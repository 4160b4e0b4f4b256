//! `myco`: the library facade for embedding Myco in a Rust program.
pub use myco_compiler as compiler;
pub use myco_vm as vm;
