//! `myco-bench-rhai FILE`: evaluates a Rhai script with a plain
//! `Engine::new()` and prints the value it ends with.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: myco-bench-rhai FILE.rhai");
        return ExitCode::from(2);
    };
    let engine = rhai::Engine::new();
    match engine.eval_file::<rhai::Dynamic>(path.into()) {
        Ok(value) => {
            println!("{value}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rhai: {e}");
            ExitCode::FAILURE
        }
    }
}
