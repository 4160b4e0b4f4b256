//! The `myco` command line: run, check, repl, disasm, costs.
fn main() {}
