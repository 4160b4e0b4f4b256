//! The embedding API, through the Rust examples in `examples/` (so they run
//! in CI) and a few direct checks. Expected lines are worked out by hand
//! from each program (see the comments).

#[path = "../examples/embed_basic.rs"]
mod embed_basic;
#[path = "../examples/embed_checkpoint.rs"]
mod embed_checkpoint;
#[path = "../examples/embed_native_cell.rs"]
mod embed_native_cell;

use myco::{Engine, RunOptions, SpawnOptions, Type, Value};

#[test]
fn embed_basic_example() {
    // #1 starts at count 0, #2 at 2; bonus(2) = 3. Tick 1: #2 reaches 3.
    // Tick 3: #1 reaches 3, #2 reaches 5 and dies; tick 5: #1 reaches 5 and dies.
    let lines = embed_basic::run().expect("example runs");
    assert_eq!(
        lines,
        [
            "#2 reached 3",
            "after tick 1: #1 count Some(1)",
            "after tick 1: #2 count Some(3)",
            "#1 reached 3",
            "tick 3: #2 died (Apoptosis)",
            "tick 5: #1 died (Apoptosis)",
            "alive after tick 6: 0",
            "back at tick 1: alive 2",
        ]
    );
}

#[test]
fn embed_checkpoint_example() {
    // #1 and #2 have no peer; the host's #3 gives to #2. Tick 1: #3 sends
    // Gift 1 (delivered at 2). Tick 2: #2 prints it, #3 sends Gift 2, which
    // is in flight when the checkpoint is taken; the resumed world delivers
    // it at 3 and Gift 3 at 4, exactly as the original does.
    let lines = embed_checkpoint::run().expect("example runs");
    assert_eq!(
        lines,
        [
            "host spawned #3",
            "#2 got 1 from #3 at 2",
            "saved tick 2",
            "resumed at tick 2",
            "#2 got 2 from #3 at 3",
            "#2 got 3 from #3 at 4",
            "same state: true",
        ]
    );
}

#[test]
fn embed_native_cell_example() {
    // Tick 1 the beacon (#3) emits; tick 2 the seekers sense it, bind and
    // ping (n = 1); tick 3 it answers both and they ping n = 2; tick 4 the
    // pongs for n = 1 arrive, ...; by tick 5 it answered pings 1, 2, 3 of both.
    let lines = embed_native_cell::run().expect("example runs");
    assert_eq!(
        lines,
        [
            "beacon is #3",
            "#1 got pong 1 from #3",
            "#2 got pong 1 from #3",
            "#1 got pong 2 from #3",
            "#2 got pong 2 from #3",
            "beacon answered Some(6)",
            "beacon bonds [#1, #2]",
        ]
    );
}

#[test]
fn host_function_signatures_are_type_checked() {
    let mut engine = Engine::new();
    engine.register_fn("half", &[Type::Float], Type::Float, |args| match args {
        [Value::Float(x)] => Ok(Value::Float(x / 2.0)),
        _ => Err("half: expected a float".into()),
    });
    let err = match engine.compile("cell A { metabolism { let x = half(1); } }") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("an int argument to a float parameter must not compile"),
    };
    assert!(err.contains("float(1)") || err.contains("float"), "{err}");
    // Without the engine, the name is unknown.
    assert!(myco::compile("cell A { metabolism { let x = half(1.0); } }").is_err());
}

#[test]
fn a_host_function_error_faults_the_calling_cell() {
    let mut engine = Engine::new();
    engine.register_fn("boom", &[], Type::Int, |_| Err("boom went off".into()));
    let compiled = engine
        .compile("cell A { metabolism { print(boom()); } on apoptosis { print(\"gone\"); } } ecosystem { spawn A; }")
        .expect("compiles");
    let mut sim = engine
        .simulate(&compiled, RunOptions::default())
        .expect("instantiates");
    let report = sim.tick();
    assert_eq!(report.prints, ["gone"]);
    let fault = report
        .events
        .iter()
        .map(|e| e.to_json_line())
        .find(|l| l.contains("boom went off"))
        .unwrap_or_default();
    assert!(
        fault.contains("fault"),
        "fault event expected: {:?}",
        report.events
    );
    assert_eq!(sim.world().len(), 0);
}

#[test]
fn a_missing_host_function_is_refused_at_instantiation() {
    let mut engine = Engine::new();
    engine.register_fn("f", &[], Type::Int, |_| Ok(Value::Int(1)));
    let compiled = engine
        .compile("cell A { metabolism { print(f()); } } ecosystem { spawn A; }")
        .expect("compiles");
    // Running it without the engine's host functions is an error, not a panic.
    let err = myco::Simulation::new(&compiled, &RunOptions::default()).err();
    assert!(err.is_some_and(|e| e.to_string().contains("`f`")));
}

#[test]
fn host_spawns_of_myco_kinds_check_field_types() {
    let compiled =
        myco::compile("cell A { n: int = 1; metabolism { print(self.n); } }").expect("compiles");
    let mut sim = myco::Simulation::new(&compiled, &RunOptions::default()).expect("instantiates");
    let ok = sim.spawn_kind("A", &[("n", Value::Int(5))], SpawnOptions::default());
    let bad = sim.spawn_kind("A", &[("n", Value::Float(5.0))], SpawnOptions::default());
    let unknown = sim.spawn_kind("B", &[], SpawnOptions::default());
    assert!(ok.is_some());
    assert!(bad.is_none() && unknown.is_none());
    assert_eq!(sim.tick().prints, ["5"]);
}

#[test]
fn compile_errors_render_like_the_cli() {
    let err = myco::compile("cell A { metabolism { let x = 1 + 2.0; } }").expect_err("type error");
    let text = err.to_string();
    assert!(text.contains("<source>:1:"), "{text}");
    assert!(text.contains("float(1)"), "{text}");
}

/// A Rust cell that counts its turns and can be checkpointed.
#[derive(Clone)]
struct Tally {
    turns: i64,
}

impl myco::Cell for Tally {
    fn kind_name(&self) -> &str {
        "Tally"
    }
    fn clone_cell(&self) -> Box<dyn myco::Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, _ctx: &mut myco::CellContext<'_>) -> myco::MetabolismResult {
        self.turns += 1;
        myco::MetabolismResult::Continue
    }
    fn fields(&self) -> Vec<(String, Value)> {
        vec![("turns".into(), Value::Int(self.turns))]
    }
    fn save(&self) -> Option<myco::checkpoint::SavedCell> {
        Some(myco::checkpoint::SavedCell {
            kind: "Tally".into(),
            fields: vec![Value::Int(self.turns)],
        })
    }
}

/// Like `Tally`, without checkpoint support.
#[derive(Clone)]
struct Opaque;

impl myco::Cell for Opaque {
    fn kind_name(&self) -> &str {
        "Opaque"
    }
    fn clone_cell(&self) -> Box<dyn myco::Cell> {
        Box::new(self.clone())
    }
    fn metabolism(&mut self, _ctx: &mut myco::CellContext<'_>) -> myco::MetabolismResult {
        myco::MetabolismResult::Continue
    }
}

const COUNTERS: &str = "
cell Count {
    n: int = 0;
    metabolism { self.n += 1; if self.n % 2 == 0 { print(self, self.n); } }
}
ecosystem { spawn Count; }
";

#[test]
fn rust_and_myco_cells_resume_from_a_checkpoint() {
    let compiled = myco::compile(COUNTERS).expect("compiles");
    let mut sim = myco::Simulation::new(&compiled, &RunOptions::default()).expect("runs");
    let tally = sim
        .spawn_native(Tally { turns: 0 }, SpawnOptions::default())
        .expect("spawned");
    for _ in 0..3 {
        sim.tick();
    }
    let bytes = sim.checkpoint().expect("both kinds can be saved");

    // Without the host's help the Rust kind is unknown: refused whole.
    let err = myco::Simulation::resume(&compiled, &bytes, &RunOptions::default())
        .err()
        .expect("refused");
    assert!(
        err.to_string().contains("unknown cell kind `Tally`"),
        "{err}"
    );

    let mut restore = |saved: &myco::checkpoint::SavedCell| -> Option<Box<dyn myco::Cell>> {
        match (saved.kind.as_str(), saved.fields.as_slice()) {
            ("Tally", [Value::Int(turns)]) => Some(Box::new(Tally { turns: *turns })),
            _ => None,
        }
    };
    let mut resumed =
        myco::Simulation::resume_with(&compiled, &bytes, &RunOptions::default(), &mut restore)
            .expect("resumes");
    assert_eq!(resumed.world().tick_count(), 3);
    for _ in 0..3 {
        // Ticks 4..6: the Myco counter prints at 4 and 6 in both.
        assert_eq!(resumed.tick(), sim.tick());
    }
    assert_eq!(resumed.field(tally, "turns"), Some(Value::Int(6)));
    assert_eq!(
        resumed.field(myco::CellId(1), "n"),
        Some(Value::Int(6)),
        "the Myco cell counted its 6 turns"
    );
    assert_eq!(resumed.world().state_hash(), sim.world().state_hash());
}

#[test]
fn a_rust_cell_without_save_makes_checkpoints_fail_clearly() {
    let compiled = myco::compile(COUNTERS).expect("compiles");
    let mut sim = myco::Simulation::new(&compiled, &RunOptions::default()).expect("runs");
    let id = sim
        .spawn_native(Opaque, SpawnOptions::default())
        .expect("spawned");
    let err = sim.checkpoint().expect_err("cannot be saved");
    assert_eq!(
        err.to_string(),
        format!("cannot checkpoint: cell {id} (Opaque) does not support checkpoints")
    );
}

#[test]
fn a_checkpoint_with_a_field_of_the_wrong_type_is_refused() {
    // A checkpoint of another program cannot pass the fingerprint, so make
    // the mismatch through the host: a Rust cell saved under the Myco
    // kind's name, with a float where the kind declares an int.
    #[derive(Clone)]
    struct Impostor;
    impl myco::Cell for Impostor {
        fn kind_name(&self) -> &str {
            "Count"
        }
        fn clone_cell(&self) -> Box<dyn myco::Cell> {
            Box::new(self.clone())
        }
        fn metabolism(&mut self, _ctx: &mut myco::CellContext<'_>) -> myco::MetabolismResult {
            myco::MetabolismResult::Continue
        }
        fn save(&self) -> Option<myco::checkpoint::SavedCell> {
            Some(myco::checkpoint::SavedCell {
                kind: "Count".into(),
                fields: vec![Value::Float(1.5)],
            })
        }
    }
    let compiled = myco::compile(COUNTERS).expect("compiles");
    let mut sim = myco::Simulation::new(&compiled, &RunOptions::default()).expect("runs");
    sim.spawn_native(Impostor, SpawnOptions::default())
        .expect("spawned");
    let bytes = sim.checkpoint().expect("saved");
    let err = myco::Simulation::resume(&compiled, &bytes, &RunOptions::default())
        .err()
        .expect("refused");
    assert_eq!(
        err.to_string(),
        "checkpoint is invalid: cell #2: field `n` of Count does not hold a value of type `int`"
    );
}

#[test]
fn host_values_are_checked_all_the_way_down() {
    let compiled = myco::compile(
        "gradient G;
         signal S { n: int, tags: [str] }
         cell A { last: S? = none; g: gradient? = none; metabolism { } }",
    )
    .expect("compiles");
    let s = myco::SignalKindId(0);
    let record = |fields: Vec<Value>| {
        Value::Record(std::sync::Arc::new(myco::Record {
            kind: s,
            fields: fields.into(),
        }))
    };
    let tags = |items: Vec<Value>| Value::List(std::sync::Arc::new(items.into_iter().collect()));
    let sig = Type::optional(Type::Signal(s));
    let good = record(vec![Value::Int(1), tags(vec![Value::Str("a".into())])]);
    assert!(compiled.value_fits(&good, &sig));
    assert!(compiled.value_fits(&Value::None, &sig));
    // A record whose fields do not fit its declaration, or are too few.
    let wrong_inner = record(vec![Value::Int(1), tags(vec![Value::Int(2)])]);
    assert!(!compiled.value_fits(&wrong_inner, &sig));
    assert!(!compiled.value_fits(&record(vec![Value::Int(1)]), &sig));
    // A gradient the program does not declare.
    let gradient = Type::optional(Type::Gradient);
    assert!(compiled.value_fits(&Value::Gradient(myco::GradientId(0)), &gradient));
    assert!(!compiled.value_fits(&Value::Gradient(myco::GradientId(1)), &gradient));

    let mut sim = myco::Simulation::new(&compiled, &RunOptions::default()).expect("runs");
    assert!(
        sim.spawn_kind("A", &[("last", good)], SpawnOptions::default())
            .is_some()
    );
    assert!(
        sim.spawn_kind("A", &[("last", wrong_inner)], SpawnOptions::default())
            .is_none()
    );
}
