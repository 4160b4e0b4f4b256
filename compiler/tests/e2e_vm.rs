//! End to end: Myco source → check → lower → instantiate → tick, with the
//! exact print output.

use myco_compiler::check::{CheckOptions, NoImports};
use myco_vm::interp::{RunOptions, instantiate};

/// Compiles and runs `source` for `ticks` ticks; returns every print line
/// (the ecosystem block's first, then each tick's).
fn run(source: &str, ticks: u64) -> Vec<String> {
    let (program, _warnings) =
        match myco_compiler::compile(source, "test.myco", &NoImports, &CheckOptions::default()) {
            Ok(p) => p,
            Err(diags) => panic!("does not compile: {diags:#?}"),
        };
    let mut instance = instantiate(program, &RunOptions::default()).expect("instantiates");
    let mut lines = std::mem::take(&mut instance.prints);
    for _ in 0..ticks {
        lines.extend(instance.world.tick().prints);
    }
    lines
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|s| s.to_string()).collect()
}

#[test]
fn ecosystem_block_prints_and_computes() {
    let out = run(
        r#"
fn fib(n: int) -> int {
    if n < 2 { return n; }
    return fib(n - 1) + fib(n - 2);
}
ecosystem {
    let mut s = 0;
    for i in 0..10 { s += i; }
    print("sum", s, "fib", fib(15));
    print(1.0 / 4.0, 7 / 2, -7 % 3, "a" + "b", [1, 2], (1.0, 2.5));
}
"#,
        0,
    );
    assert_eq!(
        out,
        lines(&["sum 45 fib 610", "0.25 3 -1 ab [1, 2] (1.0, 2.5)"])
    );
}

#[test]
fn control_flow_break_continue_while_and_optionals() {
    let out = run(
        r#"
ecosystem {
    let mut xs: [int] = [];
    let mut i = 0;
    while true {
        i += 1;
        if i % 2 == 0 { continue; }
        if i > 9 { break; }
        xs.push(i);
    }
    print(xs, xs.len(), xs.first() ?? -1, xs.get(10) ?? -1);
    let mut total = 0;
    for x in xs { total += x; }
    if let last = xs.pop() { print("popped", last, "left", xs); }
    print(total, xs.contains(3), xs.contains(9), true && false || !false);
}
"#,
        0,
    );
    assert_eq!(
        out,
        lines(&[
            "[1, 3, 5, 7, 9] 5 1 -1",
            "popped 9 left [1, 3, 5, 7]",
            "25 true false true"
        ])
    );
}

#[test]
fn cells_run_metabolism_fields_and_die_each_tick() {
    let out = run(
        r#"
cell Counter {
    n: int = 0;
    metabolism {
        self.n += 1;
        print(self, "tick", now(), "n", self.n);
        if self.n >= 2 { die; }
    }
    on apoptosis { print(self, "bye", self.n); }
}
ecosystem {
    let a = spawn Counter at (0.0, 0.0);
    let b = spawn Counter { n: 5 } at (1.0, 0.0);
    print("spawned", a, b);
}
"#,
        3,
    );
    assert_eq!(
        out,
        lines(&[
            "spawned #1 #2",
            "#1 tick 1 n 1",
            "#2 tick 1 n 6",
            // #2 died in tick 1: its `on apoptosis` line ends tick 1.
            "#2 bye 6",
            "#1 tick 2 n 2",
            "#1 bye 2",
        ])
    );
}
