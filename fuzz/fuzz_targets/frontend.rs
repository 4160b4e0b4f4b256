//! Lexer + parser + checker (and lowering) on arbitrary bytes: any input
//! gets diagnostics or a program, never a panic, a hang or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match myco::compile(source) {
        Ok(compiled) => {
            let _ = compiled.sources.render(&compiled.warnings, myco::ColorChoice::Never);
        }
        Err(err) => {
            let _ = err.render(myco::ColorChoice::Never);
        }
    }
});
