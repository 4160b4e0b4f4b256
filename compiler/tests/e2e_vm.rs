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

/// Runs the file at `MYCO_RUN_FILE` (a debugging aid; skipped without it).
#[test]
fn run_file_from_env() {
    let Ok(path) = std::env::var("MYCO_RUN_FILE") else {
        return;
    };
    let source = std::fs::read_to_string(&path).expect("readable");
    let ticks = std::env::var("MYCO_TICKS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(5);
    for line in run(&source, ticks) {
        println!("{line}");
    }
}

#[test]
fn the_spec_program_runs_as_specified() {
    let source = r#"
gradient TASK { range: 80.0, falloff: 0.05 }
gradient DATA;
signal Claim { worker: cell, bid: float }
const QUOTA: int = 3;
fn clamp01(x: float) -> float {
    if x < 0.0 { return 0.0; }
    if x > 1.0 { return 1.0; }
    return x;
}
cell Producer {
    handed_out: int = 0;
    metabolism { emit TASK 1.0; }
    on Claim(c) {
        self.handed_out += 1;
        print("claim from", c.worker, "bid", c.bid);
        report 1.0;
    }
}
cell Worker {
    done: int = 0;
    boss: cell? = none;
    metabolism {
        let readings = sense TASK;
        if let r = readings.first() {
            if self.boss == none {
                bind r.source;
                self.boss = r.source;
            }
            send Claim { worker: self, bid: clamp01(r.strength) } to r.source;
            self.done += 1;
            report 1.0;
        }
        if self.done >= QUOTA { die; }
    }
    on apoptosis {
        print("worker", self, "retiring after", self.done);
    }
}
ecosystem {
    world.seed = 42;
    world.income = 50.0;
    spawn Producer at (0.0, 0.0);
    for i in 0..4 {
        spawn Worker { done: 0 } at (10.0 * float(i + 1), 0.0);
    }
}
"#;
    // Tick 1: the producer emits. Tick 2: the workers sense it at
    // exp(-0.05 d), bind and claim. Tick 3: the claims arrive; bonded now,
    // the workers sense full strength. Tick 4: third claim, they retire.
    // Tick 5: the last claims arrive.
    let mut expected = Vec::new();
    for bid in [
        (-0.5f64).exp(),
        (-1.0f64).exp(),
        (-1.5f64).exp(),
        (-2.0f64).exp(),
    ] {
        expected.push(bid);
    }
    let mut want: Vec<String> = (2..=5)
        .zip(&expected)
        .map(|(w, b)| format!("claim from #{w} bid {b:?}"))
        .collect();
    for w in 2..=5 {
        want.push(format!("claim from #{w} bid 1.0"));
    }
    for w in 2..=5 {
        want.push(format!("worker #{w} retiring after 3"));
    }
    for w in 2..=5 {
        want.push(format!("claim from #{w} bid 1.0"));
    }
    assert_eq!(run(source, 6), want);
}

#[test]
fn spawn_signals_differentiate_sleep_and_sensing() {
    let source = r#"
gradient G { range: 50.0, falloff: 0.1, persist: 2 }
signal Ping { n: int, tag: str }

cell Child {
    label: str = "child";
    on spawn { print(self, "born of", self.parent, "at", self.pos, "label", self.label); }
    metabolism {
        send Ping { tag: "hi", n: 7 } to self.parent ?? self;
        differentiate Adult { years: 1 };
    }
}

cell Adult {
    years: int = 0;
    metabolism {
        print(self, "adult", self.years, "age", self.age);
        sleep 2;
    }
}

cell Mother {
    kids: [cell] = [];
    on Ping(p) {
        print(self, "got", p, "from", sender, "n+1", p.n + 1);
    }
    metabolism {
        if now() == 1 {
            spawn Child { label: "kid" } at self.pos + (1.0, 0.0);
            emit G 2.0;
        }
        let rs = sense G;
        print(self, "senses", rs.len());
    }
}

cell Sensor {
    metabolism {
        for r in sense G {
            print(self, "reading", r);
        }
    }
}

ecosystem {
    world.seed = 7;
    spawn Mother at (0.0, 0.0);
    spawn Sensor at (10.0, 0.0);
}
"#;
    let reading = format!(
        "#2 reading reading {{ source: #1, strength: {:?}, distance: 10.0, pos: (0.0, 0.0), bonded: false }}",
        2.0 * (-0.1f64 * 10.0).exp()
    );
    let want = vec![
        // tick 1: the mother spawns and emits; nothing is sensed yet.
        "#1 senses 0".to_string(),
        // tick 2: the sensor senses the emission; the child's first turn.
        "#1 senses 0".to_string(),
        reading.clone(),
        "#3 born of #1 at (1.0, 0.0) label kid".to_string(),
        // tick 3: the ping arrives; the emission persists 2 ticks; #3 is an Adult.
        "#1 got Ping { n: 7, tag: \"hi\" } from #3 n+1 8".to_string(),
        "#1 senses 0".to_string(),
        reading,
        "#3 adult 1 age 1".to_string(),
        // ticks 4, 5: #3 sleeps; tick 6: it wakes.
        "#1 senses 0".to_string(),
        "#1 senses 0".to_string(),
        "#1 senses 0".to_string(),
        "#3 adult 1 age 4".to_string(),
    ];
    assert_eq!(run(source, 6), want);
}

/// Compiles `source`, instantiates it with `options` and ticks `ticks`
/// times; returns the prints and the events.
fn run_with_events(
    source: &str,
    ticks: u64,
    options: &RunOptions,
) -> (Vec<String>, Vec<myco_vm::runtime::EventKind>) {
    let (program, _) =
        myco_compiler::compile(source, "test.myco", &NoImports, &CheckOptions::default())
            .unwrap_or_else(|d| panic!("does not compile: {d:#?}"));
    let mut instance = instantiate(program, options).expect("instantiates");
    let mut prints = std::mem::take(&mut instance.prints);
    let mut events: Vec<_> = instance
        .world
        .take_events()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    for _ in 0..ticks {
        let report = instance.world.tick();
        prints.extend(report.prints);
        events.extend(report.events.into_iter().map(|e| e.kind));
    }
    (prints, events)
}

#[test]
fn a_runtime_error_is_a_fault_event_with_its_source_location() {
    let source = "cell Bad {\n    xs: [int] = [1, 2];\n    metabolism {\n        print(\"before\");\n        let i = 5;\n        print(self.xs[i]);\n    }\n    on apoptosis { print(\"cleanup\", self.xs); }\n}\necosystem { spawn Bad; }\n";
    let (prints, events) = run_with_events(source, 2, &RunOptions::default());
    // The turn is rolled back (its print too); `on apoptosis` runs.
    assert_eq!(prints, vec!["cleanup [1, 2]".to_string()]);
    let fault = events.iter().find_map(|e| match e {
        myco_vm::runtime::EventKind::Fault {
            cell,
            message,
            location,
        } => Some((cell.0, message.clone(), location.clone())),
        _ => None,
    });
    let (cell, message, location) = fault.expect("a fault event");
    assert_eq!(cell, 1);
    assert!(message.contains("index out of range"), "{message}");
    // `self.xs[i]` is on line 6, column 15.
    assert_eq!(location.as_deref(), Some("test.myco:6:15"));
}

#[test]
fn a_runaway_loop_starves_and_the_host_limit_faults() {
    let source = "cell Spin {\n    metabolism {\n        let mut i = 0;\n        while true { i += 1; }\n    }\n}\necosystem { spawn Spin; }\n";
    // Default energy: the loop exhausts the cell: starvation, no fault.
    let (_, events) = run_with_events(source, 1, &RunOptions::default());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, myco_vm::runtime::EventKind::Starved { .. })),
        "{events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, myco_vm::runtime::EventKind::Fault { .. }))
    );
    // A host cap below what the energy allows: a fault at the loop.
    let capped = RunOptions {
        max_instructions_per_turn: 1000,
        ..RunOptions::default()
    };
    let (_, events) = run_with_events(source, 1, &capped);
    let fault = events.iter().find_map(|e| match e {
        myco_vm::runtime::EventKind::Fault {
            message, location, ..
        } => Some((message.clone(), location.clone())),
        _ => None,
    });
    let (message, location) = fault.expect("a fault event");
    assert!(message.contains("instruction limit"), "{message}");
    assert!(
        location
            .as_deref()
            .is_some_and(|l| l.starts_with("test.myco:4:")),
        "{location:?}"
    );
}

#[test]
fn int_overflow_and_division_by_zero_fault_but_float_does_not() {
    let source = "fn big() -> int { return 9223372036854775807; }\ncell C {\n    metabolism {\n        print(1.0 / 0.0, -1.0 / 0.0);\n        let z = now() - now();\n        print(7 / z);\n    }\n}\necosystem { spawn C; }\n";
    let (prints, events) = run_with_events(source, 1, &RunOptions::default());
    assert!(prints.is_empty(), "rolled back: {prints:?}");
    let fault = events.iter().find_map(|e| match e {
        myco_vm::runtime::EventKind::Fault {
            message, location, ..
        } => Some((message.clone(), location.clone())),
        _ => None,
    });
    let (message, location) = fault.expect("a fault");
    assert_eq!(message, "division by zero");
    assert_eq!(location.as_deref(), Some("test.myco:6:15"));
    let source = "cell C {\n    metabolism {\n        print(1.0 / 0.0, -1.0 / 0.0);\n        let m = 9223372036854775807;\n        print(m + now());\n    }\n}\necosystem { spawn C; }\n";
    let (prints, events) = run_with_events(source, 1, &RunOptions::default());
    assert!(prints.is_empty());
    assert!(events.iter().any(|e| matches!(
        e,
        myco_vm::runtime::EventKind::Fault { message, .. } if message.contains("overflow")
    )));
    let source = "cell C {\n    metabolism { print(1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0); }\n}\necosystem { spawn C; }\n";
    let (prints, _) = run_with_events(source, 1, &RunOptions::default());
    assert_eq!(prints, vec!["inf -inf NaN".to_string()]);
}

#[test]
fn repl_lines_run_in_the_ecosystem_context() {
    use myco_vm::value::{CellId, Value};
    let source = "cell Counter {\n    n: int = 0;\n    metabolism { self.n += 1; }\n}\necosystem { spawn Counter; }\n";
    let options = CheckOptions::default();
    let (hir, _) =
        myco_compiler::check_program(source, "test.myco", &NoImports, &options).expect("checks");
    let program = std::sync::Arc::new(myco_compiler::lower::lower(&hir).expect("lowers"));
    let mut instance = instantiate(program.clone(), &RunOptions::default()).expect("runs");
    instance.world.tick();
    let mut eval = |line: &str| {
        let (checked, _) =
            myco_compiler::check_repl_line(&hir, line, &options).expect("line checks");
        let mut with_line = (*program).clone();
        let file = with_line.files.len() as u32;
        let chunk = myco_compiler::lower::repl::lower_repl_line(&hir, &checked, line, file, &[])
            .expect("lowers");
        with_line.files.push("<repl>".into());
        with_line.functions.push(chunk);
        let f = (with_line.functions.len() - 1) as u32;
        let mut run = myco_vm::interp::run_in_world(
            &mut instance.world,
            &std::sync::Arc::new(with_line),
            f,
            &instance.script_options,
        )
        .expect("runs");
        // The chunk returns `[value, kept slots...]`.
        if let Value::List(items) = &run.value {
            run.value = items.front().cloned().unwrap_or(Value::None);
        }
        run
    };
    assert_eq!(eval("1 + 2 * 3").value, Value::Int(7));
    // A spawn from the REPL takes the next id at once.
    assert_eq!(
        eval("spawn Counter { n: 10 } at (1.0, 1.0)").value,
        Value::Cell(CellId(2))
    );
    let out = eval("print(\"hello\", now()); world.income = 5.0;");
    assert_eq!(out.prints, vec!["hello 1".to_string()]);
    assert_eq!(instance.world.settings().income, 5.0);
    instance.world.tick();
    let fields: Vec<_> = instance
        .world
        .cells()
        .map(|c| (c.id().0, c.fields()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (1, vec![("n".to_string(), Value::Int(2))]),
            (2, vec![("n".to_string(), Value::Int(11))]),
        ]
    );
}

#[test]
fn host_functions_are_called_from_cells_and_the_ecosystem() {
    use myco_compiler::check::HostFnSig;
    use myco_compiler::types::Type;
    use myco_vm::interp::HostFunctions;
    use myco_vm::value::Value;
    let options = CheckOptions {
        host_functions: vec![HostFnSig {
            name: "triple".into(),
            params: vec![Type::Int],
            ret: Type::Int,
        }],
    };
    let source = "cell C { metabolism { print(\"cell\", triple(now())); } }\necosystem { print(\"eco\", triple(14)); spawn C; }\n";
    let (program, _) =
        myco_compiler::compile(source, "test.myco", &NoImports, &options).expect("compiles");
    let mut host_functions = HostFunctions::new();
    host_functions.register("triple", |args: &[Value]| match args {
        [Value::Int(i)] => Ok(Value::Int(i * 3)),
        _ => Err("triple expects an int".into()),
    });
    let run_options = RunOptions {
        host_functions,
        ..RunOptions::default()
    };
    let mut instance = instantiate(program, &run_options).expect("runs");
    assert_eq!(instance.prints, vec!["eco 42".to_string()]);
    assert_eq!(instance.world.tick().prints, vec!["cell 3".to_string()]);
}

#[test]
fn lists_vecs_strings_records_calls_and_builtins() {
    let source = r#"
gradient G;
signal S { xs: [int], v: vec }

fn add3(a: int, b: int, c: int) -> int { return a * 100 + b * 10 + c; }
fn pick(flag: bool, a: str, b: str) -> str { if flag { return a; } else { return b; } }

cell K {
    xs: [int] = [5, 6];
    name: str = "k";
    metabolism {
        self.xs.push(7);
        let first = self.xs.remove(0);
        let last = self.xs.pop() ?? -1;
        print(first, last, self.xs, self.twice(self.xs.len()));
        let v = (3.0, 4.0);
        let w = v * 2.0 + (1.0, 1.0) - (0.5, 0.5);
        print(w, w.x, v.len(), v.norm(), v.dist((0.0, 0.0)), -v, 2.0 * v);
        print("a" < "b", "b" <= "a", "x" + str(1) + str(2.5), str([1, 2]), pick(false, "p", "q"));
        print(add3(1, 2, 3), add3(add3(0, 0, 1), 2, 3));
        let mut n = 0;
        while n < 10 && !(n == 4) { n += 1; }
        print(n, 7 % -3, -7 / 2, min(3, 4), max(2.5, 1.0), abs(-3), floor(2.7), round(-2.5), int(-2.9), float(3));
        let s = S { v: (1.0, 2.0), xs: [1, 2, 3] };
        print(s, s.xs[2], s.v.y, [s] == [s], s.xs.contains(2));
        let o: int? = none;
        print(o ?? 5, o == none, [1, 2].get(5) ?? 0, [1, 2].last());
        die;
    }
    fn twice(k: int) -> int { return k * 2; }
}
ecosystem { spawn K; }
"#;
    // Each expected value worked out by hand from LANGUAGE.md §3-§5b.
    let want = lines(&[
        // [5, 6] + 7, remove(0) = 5, pop() = 7, [6], twice(1) = 2
        "5 7 [6] 2",
        // (3,4)*2 + (1,1) - (0.5,0.5); |v| = 5; unit vector; negation; float * vec
        "(6.5, 8.5) 6.5 5.0 (0.6, 0.8) 5.0 (-3.0, -4.0) (6.0, 8.0)",
        "true false x12.5 [1, 2] q",
        "123 123",
        // the loop stops at 4; % and / truncate toward zero; round half away
        "4 1 -3 3 2.5 3 2.0 -3.0 -2 3.0",
        // signal fields in declaration order, whatever the literal's order
        "S { xs: [1, 2, 3], v: (1.0, 2.0) } 3 2.0 true true",
        "5 true 0 2",
    ]);
    assert_eq!(run(source, 2), want);
}

#[test]
fn a_body_too_big_for_the_register_file_is_a_diagnostic_not_a_panic() {
    let items: Vec<String> = (0..70_000).map(|i| i.to_string()).collect();
    let source = format!(
        "ecosystem {{ let xs = [now(), {}]; print(xs.len()); }}\n",
        items.join(", ")
    );
    match myco_compiler::compile(&source, "big.myco", &NoImports, &CheckOptions::default()) {
        Ok(_) => panic!("70,000 list elements cannot fit one frame"),
        Err(diags) => assert!(
            diags.iter().any(|d| d.code == "E0900"),
            "{:?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        ),
    }
}

#[test]
fn printing_a_huge_shared_value_is_a_runtime_error_not_a_host_blowup() {
    // 1000 copies of one 1000-element list: cheap to build (shared), but
    // its text would be millions of bytes.
    let source = "ecosystem {\n    let mut xs: [int] = [];\n    for i in 0..1000 { xs.push(i); }\n    let mut ys: [[int]] = [];\n    for i in 0..1000 { ys.push(xs); }\n    print(ys.len());\n    print(ys);\n}\n";
    let (program, _) =
        myco_compiler::compile(source, "big.myco", &NoImports, &CheckOptions::default())
            .expect("compiles");
    match instantiate(program, &RunOptions::default()) {
        Err(myco_vm::interp::InstantiateError::Fault { message, location }) => {
            assert!(message.contains("too large"), "{message}");
            assert!(location.starts_with("big.myco:7:"), "{location}");
        }
        other => panic!("expected a fault, got {other:?}"),
    }
}
