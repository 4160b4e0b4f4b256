//! Parses a file and prints the tree and diagnostics (a debugging aid).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_file FILE");
        return;
    };
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let (ast, diags) = myco_compiler::parser::parse(&src);
    if std::env::args().nth(2).is_some() {
        println!("{ast:#?}");
    }
    print!(
        "{}",
        myco_compiler::diagnostic::render(
            &path,
            &src,
            &[],
            &diags,
            myco_compiler::diagnostic::ColorChoice::Never
        )
    );
    println!("{} diagnostics, ast: {}", diags.len(), ast.is_some());
}
