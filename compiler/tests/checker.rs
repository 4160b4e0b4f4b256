//! The checker's output: resolution, operator selection, folding, scoping,
//! imports, host functions and REPL lines, checked on the HIR it builds.

use myco_compiler::check::{CheckOptions, HostFnSig, MemoryLoader, NoImports};
use myco_compiler::diagnostic::Diagnostic;
use myco_compiler::hir::*;
use myco_compiler::types::Type;

fn check_ok(src: &str) -> Program {
    check_with(src, &CheckOptions::default())
}

fn check_with(src: &str, options: &CheckOptions) -> Program {
    match myco_compiler::check_program(src, "test.myco", &NoImports, options) {
        Ok((p, _)) => p,
        Err(diags) => panic!("unexpected errors: {:#?}", diags),
    }
}

fn errors(src: &str) -> Vec<Diagnostic> {
    match myco_compiler::check_program(src, "test.myco", &NoImports, &CheckOptions::default()) {
        Ok(_) => panic!("expected errors for:\n{src}"),
        Err(d) => d.into_iter().filter(|d| d.is_error()).collect(),
    }
}

fn codes(src: &str) -> Vec<&'static str> {
    errors(src).iter().map(|d| d.code).collect()
}

fn function<'p>(p: &'p Program, name: &str) -> &'p Function {
    p.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fn {name}"))
}

fn returned(f: &Function) -> &Expr {
    for s in f.body.block.stmts.iter().rev() {
        if let Stmt::Return(Some(e), _) = s {
            return e;
        }
    }
    panic!("no return in {}", f.name)
}

#[test]
fn arithmetic_resolves_by_operand_type_and_params_are_the_first_slots() {
    let p =
        check_ok("fn f(a: int, b: float) -> float { let c = a + 1; return b * 2.0 + float(c); }");
    let f = function(&p, "f");
    assert_eq!(f.body.params, 2);
    assert_eq!(f.body.slot_count(), 3);
    let Stmt::Let { local, value, .. } = &f.body.block.stmts[0] else {
        panic!()
    };
    assert_eq!(*local, LocalId(2));
    let ExprKind::Binary { op, lhs, rhs } = &value.kind else {
        panic!("{value:?}")
    };
    assert_eq!(*op, BinOp::AddInt);
    assert!(matches!(lhs.kind, ExprKind::Local(LocalId(0))));
    assert!(matches!(rhs.kind, ExprKind::Value(Value::Int(1))));
    let ret = returned(f);
    assert_eq!(ret.ty, Type::Float);
    let ExprKind::Binary {
        op: BinOp::AddFloat,
        lhs,
        rhs,
    } = &ret.kind
    else {
        panic!("{ret:?}")
    };
    assert!(matches!(
        lhs.kind,
        ExprKind::Binary {
            op: BinOp::MulFloat,
            ..
        }
    ));
    let ExprKind::Call { callee, args } = &rhs.kind else {
        panic!()
    };
    assert_eq!(*callee, Callee::Builtin(Builtin::FloatOfInt));
    assert!(matches!(args[0].kind, ExprKind::Local(LocalId(2))));
}

#[test]
fn constants_fold_and_overflow_in_a_constant_is_an_error() {
    let p = check_ok(
        "const A: int = 2 * 3 + 1; const V: vec = (1.0, 2.0) * 2.0; const L: [int?] = [A, none];
         const S: str = \"a\" + \"b\"; const Q: int = -7 / 2;
         cell C { x: float = -1.5; v: vec = V; metabolism { } }",
    );
    let value = |n: &str| {
        p.consts
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.value.clone())
    };
    assert_eq!(value("A"), Some(Value::Int(7)));
    assert_eq!(value("V"), Some(Value::vec(2.0, 4.0)));
    assert_eq!(value("S"), Some(Value::Str("ab".into())));
    // Truncating division: -7 / 2 is -3.
    assert_eq!(value("Q"), Some(Value::Int(-3)));
    let Some(Value::List(items)) = value("L") else {
        panic!()
    };
    assert_eq!(
        items.iter().cloned().collect::<Vec<_>>(),
        vec![Value::Int(7), Value::None]
    );
    assert_eq!(p.cells[0].fields[0].default, Value::Float(-1.5));
    assert_eq!(p.cells[0].fields[1].default, Value::vec(2.0, 4.0));
    assert_eq!(
        codes("const BIG: int = 9223372036854775807 + 1;"),
        vec!["E0513"]
    );
    assert_eq!(codes("const Z: int = 1 / 0;"), vec!["E0513"]);
}

#[test]
fn fields_methods_and_intrinsics_resolve_to_indices() {
    let p = check_ok(
        "cell A { a: int = 0; b: float = 1.0;
            metabolism { self.b += self.energy; let n = self.twice(self.a); self.a = n; }
            fn unused() { }
            fn twice(x: int) -> int { return 2 * x; } }",
    );
    let cell = &p.cells[0];
    assert_eq!(cell.methods.len(), 2);
    let stmts = &cell.metabolism.block.stmts;
    let Stmt::Assign {
        place, op, value, ..
    } = &stmts[0]
    else {
        panic!()
    };
    assert_eq!(*place, Place::Field(1));
    assert_eq!(*op, Some(BinOp::AddFloat));
    assert!(matches!(value.kind, ExprKind::Intrinsic(Intrinsic::Energy)));
    let Stmt::Let { value, .. } = &stmts[1] else {
        panic!()
    };
    let ExprKind::Call { callee, args } = &value.kind else {
        panic!()
    };
    assert_eq!(*callee, Callee::Method(CellKindId(0), 1));
    assert!(matches!(args[0].kind, ExprKind::Field(0)));
    assert_eq!(value.ty, Type::Int);
}

#[test]
fn gradient_operands_resolve_statically_or_to_locals() {
    let p = check_ok(
        "gradient A; gradient B { range: 10.0, persist: 3 }; const G: gradient = B;
         cell C { metabolism { emit A; emit G 2.0; let g = A; let r = sense g; sleep until g > 0.5; } }",
    );
    assert_eq!(p.gradients[1].range, 10.0);
    assert_eq!(p.gradients[1].falloff, 0.05);
    assert_eq!(p.gradients[1].persist, 3);
    assert_eq!(p.gradients[0].range, 100.0);
    let stmts = &p.cells[0].metabolism.block.stmts;
    let Stmt::Expr(Expr {
        kind: ExprKind::Emit { gradient, strength },
        ty,
        ..
    }) = &stmts[0]
    else {
        panic!()
    };
    assert_eq!(*gradient, GradientRef::Static(GradientId(0)));
    assert_eq!(*ty, Type::Bool);
    assert!(matches!(strength.kind, ExprKind::Value(Value::Float(x)) if x == 1.0));
    let Stmt::Expr(Expr {
        kind: ExprKind::Emit { gradient, .. },
        ..
    }) = &stmts[1]
    else {
        panic!()
    };
    assert_eq!(*gradient, GradientRef::Static(GradientId(1)));
    let Stmt::Let { value, .. } = &stmts[3] else {
        panic!()
    };
    assert!(matches!(
        value.kind,
        ExprKind::Sense(GradientRef::Local(LocalId(0)))
    ));
    assert_eq!(value.ty, Type::list(Type::Reading));
    assert!(matches!(
        &stmts[4],
        Stmt::SleepUntil {
            gradient: GradientRef::Local(LocalId(0)),
            ..
        }
    ));
}

#[test]
fn spawn_is_a_cell_in_the_ecosystem_and_world_settings_are_typed() {
    let p = check_ok(
        "membrane M; cell W { n: int = 0; metabolism { spawn W { n: 1, energy: 5.0 }; } }
         ecosystem { world.seed = 3; world.size = (10.0, 10.0); let c = spawn W at (1.0, 0.0) in M; print(c); }",
    );
    let eco = p.ecosystem.as_ref().unwrap();
    let stmts = &eco.body.block.stmts;
    assert!(matches!(
        &stmts[0],
        Stmt::SetWorld {
            setting: WorldSetting::Seed,
            ..
        }
    ));
    assert!(matches!(
        &stmts[1],
        Stmt::SetWorld {
            setting: WorldSetting::Size,
            ..
        }
    ));
    let Stmt::Let { value, .. } = &stmts[2] else {
        panic!()
    };
    assert_eq!(value.ty, Type::Cell);
    let ExprKind::Spawn(s) = &value.kind else {
        panic!()
    };
    assert_eq!(s.membrane, Some(MembraneId(0)));
    assert_eq!(s.kind, CellKindId(0));
    let Stmt::Expr(e) = &p.cells[0].metabolism.block.stmts[0] else {
        panic!()
    };
    assert_eq!(e.ty, Type::Unit);
    let ExprKind::Spawn(s) = &e.kind else {
        panic!()
    };
    assert_eq!(s.fields.len(), 1);
    assert_eq!(s.fields[0].0, 0);
    assert!(s.energy.is_some() && s.priority.is_none() && s.at.is_none());
    assert_eq!(codes("ecosystem { world.seed = 1.5; }"), vec!["E0301"]);
    assert_eq!(codes("ecosystem { world.income = 1; }"), vec!["E0301"]);
}

#[test]
fn host_functions_are_called_by_index_with_checked_arguments() {
    let options = CheckOptions {
        host_functions: vec![
            HostFnSig {
                name: "log_value".into(),
                params: vec![Type::Float],
                ret: Type::Bool,
            },
            HostFnSig {
                name: "tick_budget".into(),
                params: vec![],
                ret: Type::Int,
            },
        ],
    };
    let p = check_with(
        "fn f() -> int { let ok = log_value(1.0); return tick_budget(); }",
        &options,
    );
    let ret = returned(function(&p, "f"));
    assert!(matches!(
        ret.kind,
        ExprKind::Call {
            callee: Callee::HostFn(1),
            ..
        }
    ));
    assert_eq!(p.host_functions.len(), 2);
    let err = myco_compiler::check_program("fn f() { log_value(1); }", "t", &NoImports, &options);
    let diags = err.err().unwrap_or_default();
    assert_eq!(diags.first().map(|d| d.code), Some("E0301"));
}

#[test]
fn blocks_scope_locals_and_shadowing_gets_a_new_slot() {
    let p = check_ok(
        "fn f() -> int { let x = 1; if true { let x = 2.0; print(x); } let y = x + 1; return y; }",
    );
    let f = function(&p, "f");
    let names: Vec<(&str, &Type)> = f
        .body
        .locals
        .iter()
        .map(|l| (l.name.as_str(), &l.ty))
        .collect();
    assert_eq!(
        names,
        vec![("x", &Type::Int), ("x", &Type::Float), ("y", &Type::Int)]
    );
    let Stmt::Let { value, .. } = &f.body.block.stmts[2] else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinOp::AddInt,
        lhs,
        ..
    } = &value.kind
    else {
        panic!("{value:?}")
    };
    assert!(matches!(lhs.kind, ExprKind::Local(LocalId(0))));
    // The inner `x` is gone after its block.
    assert_eq!(
        codes("fn f() { if true { let z = 1; print(z); } print(z); }"),
        vec!["E0201"]
    );
}

#[test]
fn equality_picks_typed_ops_and_optionals_compare_with_none() {
    let p = check_ok(
        "fn f(a: int, o: cell?, s: str) -> bool { return a == 1 && o != none && s < \"b\" && none == o; }",
    );
    let mut ops = Vec::new();
    fn collect(e: &Expr, ops: &mut Vec<BinOp>) {
        match &e.kind {
            ExprKind::Logic { lhs, rhs, .. } => {
                collect(lhs, ops);
                collect(rhs, ops);
            }
            ExprKind::Binary { op, .. } => ops.push(*op),
            _ => {}
        }
    }
    collect(returned(function(&p, "f")), &mut ops);
    assert_eq!(
        ops,
        vec![BinOp::EqInt, BinOp::NeValue, BinOp::LtStr, BinOp::EqValue]
    );
}

#[test]
fn list_methods_resolve_and_mutation_targets_places() {
    let p = check_ok(
        "cell C { xs: [int] = []; metabolism { let mut ys: [float] = [1.0]; ys.push(2.0);
            let p = self.xs.pop(); let n = ys.len(); let f = ys.first() ?? 0.0; let r = self.xs.remove(0);
            print(p, n, f, r); } }",
    );
    let stmts = &p.cells[0].metabolism.block.stmts;
    let Stmt::Expr(e) = &stmts[1] else { panic!() };
    assert!(matches!(
        e.kind,
        ExprKind::ListMutate {
            method: ListMethod::Push,
            place: Place::Local(LocalId(0)),
            ..
        }
    ));
    let Stmt::Let { value, .. } = &stmts[2] else {
        panic!()
    };
    assert!(matches!(
        value.kind,
        ExprKind::ListMutate {
            method: ListMethod::Pop,
            place: Place::Field(0),
            ..
        }
    ));
    assert_eq!(value.ty, Type::optional(Type::Int));
    let Stmt::Let { value, .. } = &stmts[4] else {
        panic!()
    };
    assert_eq!(value.ty, Type::Float);
    assert!(matches!(value.kind, ExprKind::Coalesce { .. }));
    let Stmt::Let { value, .. } = &stmts[5] else {
        panic!()
    };
    assert_eq!(value.ty, Type::Int);
}

#[test]
fn signal_literals_keep_declaration_order_and_source_evaluation_order() {
    let p = check_ok(
        "signal S { a: int, b: float } cell C { metabolism { send S { b: self.energy, a: now() } to self; } on S(s) { print(s.b, sender); } }",
    );
    let Stmt::Expr(e) = &p.cells[0].metabolism.block.stmts[0] else {
        panic!()
    };
    let ExprKind::Send { record, .. } = &e.kind else {
        panic!()
    };
    let ExprKind::MakeSignal {
        fields, eval_order, ..
    } = &record.kind
    else {
        panic!()
    };
    assert!(matches!(
        fields[0].kind,
        ExprKind::Call {
            callee: Callee::Builtin(Builtin::Now),
            ..
        }
    ));
    assert_eq!(eval_order, &vec![1, 0]);
    let h = &p.cells[0].on_signal[0];
    assert_eq!(h.signal, SignalKindId(0));
    assert_eq!(h.body.params, 1);
    assert_eq!(h.body.locals[0].ty, Type::Signal(SignalKindId(0)));
}

#[test]
fn imports_merge_into_one_namespace_and_cycles_are_reported_in_the_right_file() {
    let loader = MemoryLoader::default()
        .with(
            "lib/a.myco",
            "use \"b.myco\"; fn fa() -> int { return fb(); }",
        )
        .with("lib/b.myco", "fn fb() -> int { return 1; }");
    let src = "use \"lib/a.myco\"; use std::math; fn g() -> float { return float(fa()) * PI; }";
    let ok = myco_compiler::check_program(src, "main.myco", &loader, &CheckOptions::default());
    let (p, _) = ok.unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(p.files.len(), 4);
    assert_eq!(p.files[0].name, "main.myco");
    assert!(p.files.iter().any(|f| f.name == "std::math"));

    let cyclic = MemoryLoader::default()
        .with("a.myco", "use \"b.myco\";")
        .with("b.myco", "use \"a.myco\";");
    let out = myco_compiler::check_source(
        "use \"a.myco\";",
        "main.myco",
        &cyclic,
        &CheckOptions::default(),
    );
    assert!(out.program.is_none());
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "E0215");
    assert_eq!(d.file.as_deref(), Some("b.myco"));
    assert_eq!(out.sources.len(), 2);

    let dup = MemoryLoader::default().with("x.myco", "gradient G;");
    let out = myco_compiler::check_source(
        "use \"x.myco\"; gradient G;",
        "m.myco",
        &dup,
        &CheckOptions::default(),
    );
    assert_eq!(out.diagnostics[0].code, "E0210");
    assert!(
        out.diagnostics[0]
            .notes
            .iter()
            .any(|n| n.contains("x.myco"))
    );
}

#[test]
fn repl_lines_check_in_ecosystem_context() {
    let p = check_ok("gradient G; cell W { metabolism { } }");
    let options = CheckOptions::default();
    let (line, _) = myco_compiler::check_repl_line(&p, "spawn W at (1.0, 2.0)", &options)
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(line.value.as_ref().map(|v| v.ty.clone()), Some(Type::Cell));
    let (line, _) = myco_compiler::check_repl_line(&p, "let x = 2; print(x); x * 3", &options)
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(line.body.block.stmts.len(), 2);
    assert!(matches!(
        line.value.map(|v| v.kind),
        Some(ExprKind::Binary {
            op: BinOp::MulInt,
            ..
        })
    ));
    let (line, _) = myco_compiler::check_repl_line(&p, "world.seed = 4;", &options)
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(line.value.is_none());
    let errs = myco_compiler::check_repl_line(&p, "emit G;", &options)
        .err()
        .unwrap_or_default();
    assert_eq!(errs.first().map(|d| d.code), Some("E0503"));
}

#[test]
fn a_ten_thousand_line_program_checks_quickly() {
    // (A `const` between functions: the parser's nesting pre-scan, as of
    // this writing, counts top-level items as one chain until a `;`.)
    let mut src = String::from("gradient G;\nsignal S { n: int }\n");
    for i in 0..2000 {
        src.push_str(&format!(
            "const K{i}: int = {i};\nfn f{i}(x: int) -> int {{\n    let mut y = x * K{i};\n    if y > 10 {{ y -= 1; }}\n    return y + f{}(1);\n}}\n",
            if i == 0 { 0 } else { i - 1 }
        ));
    }
    src.push_str("cell C { metabolism { emit G; } }\necosystem { spawn C; }\n");
    assert!(src.lines().count() >= 10_000);
    let start = std::time::Instant::now();
    let p = check_ok(&src);
    let took = start.elapsed();
    assert_eq!(p.functions.len(), 2000);
    // Debug builds are several times slower than release; the bound is loose
    // for them and still catches quadratic behaviour (which would take minutes).
    let limit = if cfg!(debug_assertions) { 5.0 } else { 1.0 };
    assert!(took.as_secs_f64() < limit, "checking took {took:?}");
}

#[test]
fn errors_do_not_cascade_from_one_mistake() {
    // One unknown name used three times in one expression tree gives three
    // errors at most, never type errors about the `{unknown}` results.
    let d = codes("fn f() -> float { let a = nope + 1.0; let b = a * 2.0; return b; }");
    assert_eq!(d, vec!["E0201"]);
    let d = codes("fn f(c: cell) -> int { return c.missing.deeper + 1; }");
    assert_eq!(d, vec!["E0309"]);
}

#[test]
fn return_paths_follow_if_else_and_endless_loops() {
    check_ok("fn a(x: int) -> int { if x > 0 { return 1; } else { return 2; } }");
    check_ok("fn b() -> int { while true { if rand() < 0.5 { return 1; } } }");
    check_ok("cell C { metabolism { } fn m() -> int { die; } }");
    assert_eq!(
        codes("fn c() -> int { while true { break; } }"),
        vec!["E0509"]
    );
    assert_eq!(
        codes("fn d(x: int) -> int { if x > 0 { return 1; } }"),
        vec!["E0509"]
    );
    assert_eq!(
        codes("fn e(xs: [int]) -> int { for x in xs { return x; } }"),
        vec!["E0509"]
    );
}

#[test]
fn the_deepest_expressions_the_parser_accepts_do_not_overflow_the_stack() {
    // Tests run on 2 MiB threads: a realistic bound for an embedder's thread.
    let chain = vec!["x"; 500].join(" + ");
    let src = format!("fn f(x: int) -> int {{ return {chain}; }}");
    check_ok(&src);
    let nested = format!("{}1.0{}", "(".repeat(250), ")".repeat(250));
    check_ok(&format!("fn g() -> float {{ return {nested}; }}"));
    let lists = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    check_ok(&format!("fn h() {{ let deep = {lists}; print(deep); }}"));
    let negs = format!("{}x", "-".repeat(500));
    check_ok(&format!("fn k(x: int) -> int {{ return {negs}; }}"));
}

#[test]
fn int_where_float_is_expected_suggests_the_fix() {
    let d = errors("gradient G { range: 80 }");
    assert_eq!(d[0].code, "E0301");
    assert_eq!(d[0].help.as_deref(), Some("write a float literal: `80.0`"));
    let d = errors("fn f(n: int) -> float { return n; }");
    assert_eq!(d[0].help.as_deref(), Some("convert it: `float(n)`"));
    let d = errors("fn f() -> float { return 1 + 2.0; }");
    assert_eq!(d[0].code, "E0302");
    assert_eq!(
        d[0].help.as_deref(),
        Some("convert the int to a float: `float(1)`")
    );
}

#[test]
fn repl_scope_keeps_locals_between_lines() {
    let p = check_ok("cell W { metabolism { } }");
    let options = CheckOptions::default();
    let mut scope = myco_compiler::check::ReplScope::default();
    let (first, _) = myco_compiler::check_repl_line_in(
        &p,
        "let w = spawn W; let mut n = 1;",
        &options,
        &mut scope,
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(first.body.params, 0);
    assert_eq!(scope.locals.len(), 2);
    let (second, _) =
        myco_compiler::check_repl_line_in(&p, "n += 1; print(w); n", &options, &mut scope)
            .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(second.body.params, 2);
    assert!(matches!(
        second.body.block.stmts[0],
        Stmt::Assign {
            place: Place::Local(LocalId(1)),
            ..
        }
    ));
    assert!(matches!(
        second.value.as_ref().map(|v| &v.kind),
        Some(ExprKind::Local(LocalId(1)))
    ));
    // A failing line leaves the scope alone.
    assert!(myco_compiler::check_repl_line_in(&p, "let q = nope;", &options, &mut scope).is_err());
    assert_eq!(scope.locals.len(), 2);
    assert!(myco_compiler::check_repl_line_in(&p, "w = 1;", &options, &mut scope).is_err());
}

#[test]
fn repl_lines_cannot_declare_items() {
    let p = check_ok("cell W { metabolism { } }");
    let errs = myco_compiler::check_repl_line(&p, "gradient NEW;", &CheckOptions::default())
        .err()
        .unwrap_or_default();
    assert_eq!(errs.first().map(|d| d.code), Some("E0518"));
}

#[test]
fn errors_in_imported_files_render_with_that_file() {
    let loader =
        MemoryLoader::default().with("lib/util.myco", "fn f() -> int {\n    return 1.5;\n}\n");
    let src = "use \"lib/util.myco\";\n";
    let out = myco_compiler::check_source(src, "main.myco", &loader, &CheckOptions::default());
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.code, d.file.as_deref()),
        ("E0301", Some("lib/util.myco"))
    );
    let text = myco_compiler::diagnostic::render(
        "main.myco",
        src,
        &out.sources,
        &out.diagnostics,
        myco_compiler::diagnostic::ColorChoice::Never,
    );
    assert!(text.contains("lib/util.myco:2:12"), "{text}");
    assert!(text.contains("return 1.5;"), "{text}");
}

#[test]
fn numeric_builtins_pick_the_float_overload_when_any_argument_is_a_float() {
    let p = check_ok(
        "fn f(a: int, b: float) -> float { return min(b, 1.0) + abs(b) + float(max(a, 2) + clamp(a, 0, 9)); }",
    );
    let mut seen = Vec::new();
    fn walk(e: &Expr, seen: &mut Vec<Builtin>) {
        match &e.kind {
            ExprKind::Call {
                callee: Callee::Builtin(b),
                args,
            } => {
                seen.push(*b);
                args.iter().for_each(|a| walk(a, seen));
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                walk(lhs, seen);
                walk(rhs, seen);
            }
            _ => {}
        }
    }
    walk(returned(function(&p, "f")), &mut seen);
    assert_eq!(
        seen,
        vec![
            Builtin::MinFloat,
            Builtin::AbsFloat,
            Builtin::FloatOfInt,
            Builtin::MaxInt,
            Builtin::ClampInt
        ]
    );
    let d = errors("fn g() -> float { return min(1, 2.0); }");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].help.as_deref(), Some("write a float literal: `1.0`"));
}

#[test]
fn conversions_and_signal_records_of_constants_fold() {
    let p = check_ok(
        "signal S { a: int, b: float } const R: S = S { b: 0.5, a: int(-2.9) }; const F: float = float(3);",
    );
    let value = |n: &str| {
        p.consts
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.value.clone())
    };
    assert_eq!(value("F"), Some(Value::Float(3.0)));
    let Some(Value::Record(r)) = value("R") else {
        panic!("{:?}", value("R"))
    };
    assert_eq!(r.kind, SignalKindId(0));
    // Fields in declaration order; int() truncates toward zero.
    assert_eq!(r.fields.to_vec(), vec![Value::Int(-2), Value::Float(0.5)]);
    // Out of range: left to the runtime, so not a constant.
    assert_eq!(codes("const I: int = int(1e300);"), vec!["E0513"]);
}
