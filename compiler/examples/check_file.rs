//! Checks a Myco file and prints its diagnostics (a development aid until
//! the CLI's `myco check` is wired).

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: check_file FILE");
        std::process::exit(2);
    };
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let out = myco_compiler::check_source(
        &source,
        &path,
        &myco_compiler::check::FsLoader,
        &myco_compiler::check::CheckOptions::default(),
    );
    let text = myco_compiler::diagnostic::render(
        &path,
        &source,
        &out.sources,
        &out.diagnostics,
        myco_compiler::diagnostic::ColorChoice::Never,
    );
    eprint!("{text}");
    match out.program {
        Some(p) => eprintln!(
            "ok: {} functions, {} cell kinds, {} gradients, {} signals",
            p.functions.len(),
            p.cells.len(),
            p.gradients.len(),
            p.signals.len()
        ),
        None => std::process::exit(1),
    }
}
