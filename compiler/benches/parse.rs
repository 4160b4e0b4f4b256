//! Parses a generated 10,000-line program (lexing included).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A program of about `lines` lines: declarations, then many cells whose
/// bodies use most of the statement and expression forms.
fn generate(lines: usize) -> String {
    let mut src = String::from(
        "gradient TASK { range: 80.0, falloff: 0.05 }\n\
         signal Claim { worker: cell, bid: float }\n\
         const QUOTA: int = 3;\n",
    );
    let mut i = 0;
    while src.lines().count() < lines {
        src.push_str(&format!(
            "cell Worker{i} {{\n\
             \x20   done: int = 0;\n\
             \x20   boss: cell? = none;\n\
             \x20   metabolism {{\n\
             \x20       let readings = sense TASK;\n\
             \x20       if let r = readings.first() {{\n\
             \x20           if self.boss == none {{ bind r.source; self.boss = r.source; }}\n\
             \x20           send Claim {{ worker: self, bid: r.strength * 0.5 + 1.0 }} to r.source;\n\
             \x20           self.done += 1;\n\
             \x20       }}\n\
             \x20       for k in 0..QUOTA {{ emit TASK float(k) / 2.0; }}\n\
             \x20       if self.done >= QUOTA && !(self.energy < 1.0) {{ die; }}\n\
             \x20   }}\n\
             \x20   on Claim(c) {{ print(\"claim\", c.worker, [1, 2, 3]); report 1.0; }}\n\
             }}\n"
        ));
        i += 1;
    }
    src.push_str("ecosystem { world.seed = 42; spawn Worker0 at (0.0, 0.0); }\n");
    src
}

fn bench_parse(c: &mut Criterion) {
    let src = generate(10_000);
    let (program, diags) = myco_compiler::parser::parse(&src);
    assert!(
        diags.is_empty(),
        "the generated program must be valid: {diags:?}"
    );
    assert!(program.is_some());
    c.bench_function("parse 10k lines", |b| {
        b.iter(|| myco_compiler::parser::parse(black_box(&src)))
    });
    c.bench_function("lex 10k lines", |b| {
        b.iter(|| myco_compiler::parser::lex(black_box(&src)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_parse
}
criterion_main!(benches);
