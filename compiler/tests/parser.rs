//! Parser tests: the spec program, precedence, the head rule, statements,
//! recovery, nesting limits and the REPL entry points.

mod common;

use common::{expr, show};
use myco_compiler::ast::*;
use myco_compiler::diagnostic::Diagnostic;
use myco_compiler::parser::{is_incomplete, parse, parse_repl_line};

const SPEC: &str = include_str!("data/spec_example.myco");

fn parse_ok(src: &str) -> Program {
    let (program, diags) = parse(src);
    assert!(diags.is_empty(), "{diags:#?}");
    program.expect("a tree")
}

/// Statements of the body of the only function in `src`.
fn fn_body(src: &str) -> Vec<Stmt> {
    let program = parse_ok(src);
    match program.items.into_iter().next() {
        Some(Item::Fn(f)) => f.body.stmts,
        other => panic!("expected a function, got {other:?}"),
    }
}

fn codes_and_positions(src: &str, diags: &[Diagnostic]) -> Vec<(&'static str, usize, usize)> {
    diags
        .iter()
        .map(|d| {
            let (line, col) = d.line_col(src);
            (d.code, line, col)
        })
        .collect()
}

#[test]
fn spec_program_parses_without_diagnostics() {
    let program = parse_ok(SPEC);
    let kinds: Vec<&str> = program
        .items
        .iter()
        .map(|i| match i {
            Item::Use(_) => "use",
            Item::Gradient(_) => "gradient",
            Item::Signal(_) => "signal",
            Item::Membrane(_) => "membrane",
            Item::Const(_) => "const",
            Item::Fn(_) => "fn",
            Item::Cell(_) => "cell",
            Item::Ecosystem(_) => "ecosystem",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "gradient",
            "gradient",
            "signal",
            "const",
            "fn",
            "cell",
            "cell",
            "ecosystem"
        ]
    );
    let Item::Gradient(task) = &program.items[0] else {
        unreachable!()
    };
    assert_eq!(task.name.name, "TASK");
    assert!(task.range.is_some() && task.falloff.is_some() && task.persist.is_none());
    let Item::Cell(worker) = &program.items[6] else {
        unreachable!()
    };
    assert_eq!(worker.name.name, "Worker");
    // done, boss, metabolism, on apoptosis
    assert_eq!(worker.members.len(), 4);
    match &worker.members[1] {
        CellMember::Field(f) => {
            assert_eq!(f.name.name, "boss");
            assert!(
                matches!(&f.ty.kind, TypeKind::Optional(inner) if inner.kind == TypeKind::Cell)
            );
        }
        other => panic!("{other:?}"),
    }
    // The span of an identifier points at its text.
    assert_eq!(&SPEC[worker.name.span.clone()], "Worker");
}

#[test]
fn expr_ids_are_dense_and_unique() {
    fn collect(e: &Expr, out: &mut Vec<u32>) {
        out.push(e.id.0);
        match &e.kind {
            ExprKind::Binary { lhs, rhs, .. } => {
                collect(lhs, out);
                collect(rhs, out);
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|a| collect(a, out)),
            _ => {}
        }
    }
    let (line, diags) = parse_repl_line("f(1 + 2, 3) * 4");
    assert!(diags.is_empty());
    let line = line.unwrap();
    let mut ids = Vec::new();
    collect(line.tail.as_ref().unwrap(), &mut ids);
    // *, f(..), +, 1, 2, 3, 4 in pre-order.
    assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(line.expr_count, 7);

    let program = parse_ok(SPEC);
    assert!(program.expr_count > 50);
}

#[test]
fn precedence_follows_the_spec() {
    assert_eq!(expr("1 + 2 * 3"), "(1 + (2 * 3))");
    assert_eq!(expr("1 - 2 - 3"), "((1 - 2) - 3)");
    assert_eq!(expr("8 / 4 % 3 * 2"), "(((8 / 4) % 3) * 2)");
    assert_eq!(expr("a || b && c"), "(a || (b && c))");
    assert_eq!(expr("a && b || c && d"), "((a && b) || (c && d))");
    assert_eq!(expr("a == b && c < d"), "((a == b) && (c < d))");
    assert_eq!(expr("a ?? b ?? c"), "(a ?? (b ?? c))");
    assert_eq!(expr("a ?? b + 1"), "(a ?? (b + 1))");
    assert_eq!(expr("a ?? b == c"), "((a ?? b) == c)");
    assert_eq!(expr("-a * b"), "((-a) * b)");
    assert_eq!(expr("!a && b"), "((!a) && b)");
    assert_eq!(expr("- - a"), "(-(-a))");
    assert_eq!(expr("-x.f"), "(-(x.f))");
    assert_eq!(expr("!xs[0]"), "(!(xs[0]))");
    assert_eq!(expr("a.b.c(1)[2]"), "(((a.b).c(1))[2])");
    assert_eq!(expr("(1 + 2) * 3"), "((1 + 2) * 3)");
    assert_eq!(expr("self.done >= QUOTA"), "((self.done) >= QUOTA)");
}

#[test]
fn primaries() {
    assert_eq!(expr("(1.0, 2.5)"), "vec(1.0, 2.5)");
    assert_eq!(expr("[1, 2, 3,]"), "[1, 2, 3]");
    assert_eq!(expr("[]"), "[]");
    assert_eq!(
        expr("Claim { worker: self, bid: 0.5 }"),
        "Claim{worker: self, bid: 0.5}"
    );
    assert_eq!(expr("sense G.first()"), "((sense G).first())");
    assert_eq!(expr("now()"), "now()");
    assert_eq!(expr("world.seed"), "world.seed");
    assert_eq!(expr("none ?? sender"), "(none ?? sender)");
    assert_eq!(expr(r#""a\tb""#), r#""a\tb""#);
    assert_eq!(expr("1e-7"), "1e-7");
    assert_eq!(expr("true"), "true");
}

#[test]
fn metabolic_expressions_extend_as_far_as_an_expression_can() {
    assert_eq!(expr("emit G 1.0 + x"), "(emit G (1.0 + x))");
    assert_eq!(expr("emit G"), "(emit G)");
    assert_eq!(expr("bind r.source"), "(bind (r.source))");
    assert_eq!(expr("unbind a ?? b"), "(unbind (a ?? b))");
    assert_eq!(
        expr("move (1.0, 0.0) * 2.0"),
        "(move (vec(1.0, 0.0) * 2.0))"
    );
    assert_eq!(
        expr("send Claim { worker: self, bid: 1.0 } to r.source"),
        "(send Claim{worker: self, bid: 1.0} to (r.source))"
    );
    assert_eq!(
        expr("spawn Worker { done: 0, energy: 5.0 } at (1.0, 2.0) in M"),
        "(spawn Worker{done: 0, energy: 5.0} at vec(1.0, 2.0) in M)"
    );
    assert_eq!(expr("spawn Producer"), "(spawn Producer{})");
    // Inside a larger expression they need parentheses.
    assert_eq!(
        expr("(emit G 2.0) && (bind x)"),
        "((emit G 2.0) && (bind x))"
    );
    let (_, diags) = parse_repl_line("1 + emit G");
    assert_eq!(diags.len(), 1, "{diags:#?}");
}

#[test]
fn chained_comparison_is_a_diagnostic() {
    let (_, diags) = parse_repl_line("a < b < c");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "E0012");
    // Parenthesized, it is a (type) matter for the checker, not syntax.
    let (_, diags) = parse_repl_line("(a < b) == c");
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn head_of_if_while_for_ends_at_name_brace() {
    let body = fn_body(
        "fn f() {
            for x in xs { print(x); }
            if ok { return; } else if let y = opt { y; } else { die; }
            while go { break; }
            for i in 0..n + 1 { continue; }
            if (Claim { worker: self, bid: 1.0 }) == c { }
        }",
    );
    assert_eq!(body.len(), 5);
    match &body[0].kind {
        StmtKind::For {
            var,
            iter: ForIter::Expr(e),
            body,
        } => {
            assert_eq!(var.name, "x");
            assert_eq!(show(e), "xs");
            assert_eq!(body.stmts.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    match &body[1].kind {
        StmtKind::If(i) => {
            assert!(matches!(&i.cond, Condition::Expr(e) if show(e) == "ok"));
            match &i.else_branch {
                Some(ElseBranch::If(inner)) => {
                    assert!(
                        matches!(&inner.cond, Condition::Let { name, value } if name.name == "y" && show(value) == "opt")
                    );
                    assert!(matches!(inner.else_branch, Some(ElseBranch::Block(_))));
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&body[2].kind, StmtKind::While { cond, .. } if show(cond) == "go"));
    match &body[3].kind {
        StmtKind::For {
            iter: ForIter::Range { start, end },
            ..
        } => {
            assert_eq!(show(start), "0");
            assert_eq!(show(end), "(n + 1)");
        }
        other => panic!("{other:?}"),
    }
    match &body[4].kind {
        StmtKind::If(i) => assert!(
            matches!(&i.cond, Condition::Expr(e) if show(e) == "(Claim{worker: self, bid: 1.0} == c)")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn statements() {
    let body = fn_body(
        "fn f() {
            let x = 1;
            let mut y: [int]? = none;
            x = 2;
            y += 3;
            self.done -= 1;
            xs[0] *= 2;
            v.x /= 2.0;
            world.income = 50.0;
            report 1.0;
            differentiate Worker { done: 0 };
            differentiate Worker;
            sleep 2;
            sleep until FOOD > 0.5;
            emit TASK;
            send c to sender;
            spawn Worker;
            return x;
            ;
        }",
    );
    let kinds: Vec<String> = body
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Let {
                mutable, name, ty, ..
            } => format!("let {mutable} {} {}", name.name, ty.is_some()),
            StmtKind::Assign { target, op, value } => {
                let place = match &target.kind {
                    PlaceKind::Local(n) => n.name.clone(),
                    PlaceKind::SelfField(f) => format!("self.{}", f.name),
                    PlaceKind::Index { base, index } => match &base.kind {
                        PlaceKind::Local(n) => format!("{}[{}]", n.name, show(index)),
                        other => format!("{other:?}"),
                    },
                    PlaceKind::Field { field, .. } => format!("_.{}", field.name),
                };
                format!("{place} {op:?} {}", show(value))
            }
            StmtKind::WorldSet { setting, value } => {
                format!("world.{} = {}", setting.name, show(value))
            }
            StmtKind::Report(e) => format!("report {}", show(e)),
            StmtKind::Differentiate { target, inits } => {
                format!("differentiate {} {}", target.name, inits.len())
            }
            StmtKind::Sleep(SleepKind::Ticks(n)) => format!("sleep {}", show(n)),
            StmtKind::Sleep(SleepKind::Until {
                gradient,
                threshold,
            }) => format!("sleep until {} > {}", gradient.name, show(threshold)),
            StmtKind::Expr(e) => show(e),
            StmtKind::Return(e) => format!("return {}", e.as_ref().map_or("".into(), show)),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "let false x false",
            "let true y true",
            "x Set 2",
            "y Add 3",
            "self.done Sub 1",
            "xs[0] Mul 2",
            "_.x Div 2.0",
            "world.income = 50.0",
            "report 1.0",
            "differentiate Worker 1",
            "differentiate Worker 0",
            "sleep 2",
            "sleep until FOOD > 0.5",
            "(emit TASK)",
            "(send c to sender)",
            "(spawn Worker{})",
            "return x",
        ]
    );
}

#[test]
fn items() {
    let program = parse_ok(
        r#"use std::math;
        use "lib/util.myco";
        membrane M;
        gradient G { persist: 3 }
        signal Ping { n: int, from: cell?, tags: [str], }
        const K: float = 2.0 * 3.0;
        fn g(a: int, b: [float]?) -> int { return a; }
        cell C {
            n: int = 0;
            on spawn { }
            on apoptosis { }
            on Ping(p) { self.n += p.n; }
            fn helper(self_n: int) -> bool { return true; }
            metabolism { }
        }
        ecosystem { }"#,
    );
    assert_eq!(program.items.len(), 9);
    assert!(
        matches!(&program.items[0], Item::Use(UseDecl { target: UseTarget::Std(n), .. }) if n.name == "math")
    );
    assert!(
        matches!(&program.items[1], Item::Use(UseDecl { target: UseTarget::Path { path, .. }, .. }) if path == "lib/util.myco")
    );
    let Item::Signal(sig) = &program.items[4] else {
        panic!()
    };
    assert_eq!(sig.fields.len(), 3);
    assert!(matches!(&sig.fields[2].ty.kind, TypeKind::List(t) if t.kind == TypeKind::Str));
    let Item::Fn(g) = &program.items[6] else {
        panic!()
    };
    assert_eq!(g.params.len(), 2);
    assert!(g.ret.is_some());
    let Item::Cell(c) = &program.items[7] else {
        panic!()
    };
    let shapes: Vec<&str> = c
        .members
        .iter()
        .map(|m| match m {
            CellMember::Field(_) => "field",
            CellMember::Metabolism(_) => "metabolism",
            CellMember::Handler(h) => match &h.trigger {
                HandlerTrigger::Spawn => "on spawn",
                HandlerTrigger::Apoptosis => "on apoptosis",
                HandlerTrigger::Signal { .. } => "on signal",
            },
            CellMember::Method(_) => "method",
        })
        .collect();
    assert_eq!(
        shapes,
        [
            "field",
            "on spawn",
            "on apoptosis",
            "on signal",
            "method",
            "metabolism"
        ]
    );
}

#[test]
fn three_separate_errors_give_three_diagnostics() {
    let src = "fn f() {
    let x = ;
    print(x);
}
cell C {
    n: int = 0
    metabolism { emit G 1.0; }
}
ecosystem {
    spawn C at (1.0 2.0);
}
";
    let (program, diags) = parse(src);
    assert!(program.is_some());
    assert_eq!(
        codes_and_positions(src, &diags),
        [("E0010", 2, 13), ("E0010", 6, 15), ("E0010", 10, 21)],
        "{diags:#?}"
    );
    assert_eq!(diags[0].message, "expected expression, found `;`");
    assert_eq!(diags[1].message, "expected `;`, found `metabolism`");
    // The missing `;` is shown after the `0`, and what was found at `metabolism`.
    assert_eq!(diags[1].secondary.len(), 1);
    assert_eq!(
        diags[1].secondary[0].span.start,
        src.find("metabolism").unwrap()
    );
    assert_eq!(diags[2].message, "expected `,` or `)`, found float `2.0`");
}

#[test]
fn end_of_input_points_at_the_unclosed_delimiter() {
    let src = "fn f() {\n    let x = 1;\n";
    let (_, diags) = parse(src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].message,
        "expected statement or `}`, found end of input"
    );
    assert_eq!(diags[0].secondary.len(), 1);
    assert_eq!(diags[0].secondary[0].span, 7..8);
}

#[test]
fn recovery_across_members_and_items() {
    let src = "cell A {
    x: int = ;
    y int = 2;
    on Ping(p) { self.x += 1; }
    metabolism { emit G; }
}
garbage here;
fn ok() -> int { return 1; }
const K: int = 3 +;
signal S { a: int }
";
    let (program, diags) = parse(src);
    let lines: Vec<usize> = codes_and_positions(src, &diags)
        .into_iter()
        .map(|(_, line, _)| line)
        .collect();
    assert_eq!(lines, [2, 3, 7, 9], "{diags:#?}");
    let program = program.unwrap();
    let names: Vec<&str> = program
        .items
        .iter()
        .filter_map(|i| i.name())
        .map(|n| n.name.as_str())
        .collect();
    // A declaration whose value is broken survives with an error value, so
    // later phases still know its name; `garbage here;` is skipped.
    assert_eq!(names, ["A", "ok", "K", "S"]);
    let Item::Const(k) = &program.items[2] else {
        panic!()
    };
    assert_eq!(k.value.kind, ExprKind::Error);
    let Item::Cell(a) = &program.items[0] else {
        panic!()
    };
    // x (error default), the handler and the metabolism; `y int = 2;` is skipped.
    assert_eq!(a.members.len(), 3);
    assert!(
        matches!(&a.members[0], CellMember::Field(f) if f.name.name == "x" && f.default.kind == ExprKind::Error)
    );
}

#[test]
fn a_missing_semicolon_keeps_the_declaration_and_its_value() {
    let src = "const K: int = 3
fn f() {
    let z = 3
    if z > K { }
    let w = f(1, 2;
    print(w);
}
cell C { n: int = 0 }
";
    let (program, diags) = parse(src);
    assert_eq!(
        codes_and_positions(src, &diags),
        [
            ("E0010", 1, 17),
            ("E0010", 3, 14),
            ("E0010", 5, 19),
            ("E0010", 8, 20)
        ],
        "{diags:#?}"
    );
    let program = program.unwrap();
    assert!(matches!(&program.items[0], Item::Const(k) if show(&k.value) == "3"));
    let Item::Fn(f) = &program.items[1] else {
        panic!()
    };
    let kinds: Vec<String> = f
        .body
        .stmts
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Let { name, value, .. } => format!("let {} = {}", name.name, show(value)),
            StmtKind::If(_) => "if".to_owned(),
            StmtKind::Expr(e) => show(e),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["let z = 3", "if", "let w = <error>", "print(w)"]);
    let Item::Cell(c) = &program.items[2] else {
        panic!()
    };
    assert!(matches!(&c.members[0], CellMember::Field(n) if show(&n.default) == "0"));
}

#[test]
fn recovery_keeps_the_good_parts() {
    let src = "fn a() { let = 1; return 2; }\nfn b() { }";
    let (program, diags) = parse(src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let program = program.unwrap();
    assert_eq!(program.items.len(), 2);
    let Item::Fn(a) = &program.items[0] else {
        panic!()
    };
    // The bad `let` is dropped, the `return` kept.
    assert_eq!(a.body.stmts.len(), 1);
    assert!(matches!(a.body.stmts[0].kind, StmtKind::Return(Some(_))));

    // A `let` with a broken value keeps its name.
    let (program, diags) = parse("fn a() { let x = 1 + ; return x; }");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let Some(Item::Fn(a)) = program.unwrap().items.into_iter().next() else {
        panic!()
    };
    assert_eq!(a.body.stmts.len(), 2);
    assert!(
        matches!(&a.body.stmts[0].kind, StmtKind::Let { name, value, .. } if name.name == "x" && value.kind == ExprKind::Error)
    );
}

#[test]
fn lexical_errors_are_reported_once() {
    let src = "fn f() { let x = 1 @ 2; let y = \"a\\q\"; }";
    let (_, diags) = parse(src);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0001", "E0003"], "{diags:#?}");
}

#[test]
fn an_unterminated_string_is_one_diagnostic() {
    let src = "fn f() {\n    print(\"hello);\n}\n";
    let (_, diags) = parse(src);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0002"], "{diags:#?}");
    let (_, diags) = parse("fn f() { /* not closed }");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0004"], "{diags:#?}");
}

#[test]
fn the_smallest_int_can_be_written_negated() {
    assert_eq!(expr("-9223372036854775808"), "-9223372036854775808");
    assert_eq!(expr("-9_223_372_036_854_775_808"), "-9223372036854775808");
    assert_eq!(
        expr("- 9223372036854775808 + 1"),
        "(-9223372036854775808 + 1)"
    );
    // Negated twice it is the magnitude again: overflow, left to the checker
    // or the runtime, but it is not folded twice.
    assert_eq!(expr("-(-9223372036854775808)"), "(--9223372036854775808)");
    // Anywhere else the literal is too large.
    for src in [
        "9223372036854775808",
        "1 - 9223372036854775808",
        "-9223372036854775808.abs()",
        "-9223372036854775809",
    ] {
        let (_, diags) = parse_repl_line(src);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0005"], "{src}: {diags:#?}");
    }
}

#[test]
fn gradient_settings_are_checked() {
    let (_, diags) = parse("gradient G { range: 1.0, rnage: 2.0, range: 3.0 }");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0014", "E0015"]);
}

#[test]
fn invalid_assignment_target() {
    let (_, diags) = parse("fn f() { f() = 3; a + b += 1; }");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0013", "E0013"]);
}

fn assert_too_deep(src: &str) {
    let (program, diags) = parse(src);
    assert!(program.is_none());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "E0011");
}

#[test]
fn ten_thousand_nested_delimiters_are_a_diagnostic() {
    let n = 10_000;
    assert_too_deep(&format!(
        "fn f() {{ let x = {}1{}; }}",
        "(".repeat(n),
        ")".repeat(n)
    ));
    assert_too_deep(&format!(
        "fn f() {{ let x = {}1{}; }}",
        "[".repeat(n),
        "]".repeat(n)
    ));
    assert_too_deep(&format!("fn f() {}{}", "{".repeat(n), "}".repeat(n)));
    // Unclosed, too.
    assert_too_deep(&"(".repeat(n));
}

#[test]
fn long_operator_chains_are_a_diagnostic() {
    let n = 10_000;
    assert_too_deep(&format!("fn f() {{ let x = {}1; }}", "- ".repeat(n)));
    assert_too_deep(&format!("fn f() {{ let x = {}true; }}", "!".repeat(n)));
    assert_too_deep(&format!("fn f() {{ let x = 1{}; }}", " + 1".repeat(n)));
    assert_too_deep(&format!("fn f() {{ let x = a{}; }}", ".b".repeat(n)));
    assert_too_deep(&format!("fn f() {{ let x = a{}; }}", " ?? a".repeat(n)));
    assert_too_deep(&format!(
        "fn f() {{ if a {{ }}{} }}",
        " else if a { }".repeat(n)
    ));
}

#[test]
fn moderate_nesting_is_fine() {
    let n = 200;
    let src = format!(
        "fn f() {{ let x = {}1{}; let y = [{}]; }}",
        "(".repeat(n),
        ")".repeat(n),
        vec!["-1"; 5000].join(", ")
    );
    let (program, diags) = parse(&src);
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(program.is_some());
}

#[test]
fn repl_lines() {
    let (line, diags) = parse_repl_line("gradient X;");
    assert!(diags.is_empty());
    let line = line.unwrap();
    assert_eq!(line.items.len(), 1);
    assert!(line.stmts.is_empty() && line.tail.is_none());

    let (line, diags) = parse_repl_line("let a = 2; spawn W at (1.0, 0.0); a * 3");
    assert!(diags.is_empty(), "{diags:#?}");
    let line = line.unwrap();
    assert_eq!(line.stmts.len(), 2);
    assert_eq!(show(line.tail.as_ref().unwrap()), "(a * 3)");

    let (line, diags) = parse_repl_line("world.seed = 3;");
    assert!(diags.is_empty(), "{diags:#?}");
    let line = line.unwrap();
    assert!(matches!(line.stmts[0].kind, StmtKind::WorldSet { .. }));
    assert!(line.tail.is_none());

    let (_, diags) = parse_repl_line("let = 3");
    assert!(!diags.is_empty());

    // The last statement may leave out its `;`.
    for src in [
        "world.seed = 3",
        "let x = 2",
        "x += 1  ",
        "print(1); report 2.0",
    ] {
        let (line, diags) = parse_repl_line(src);
        assert!(diags.is_empty(), "{src}: {diags:#?}");
        let line = line.unwrap();
        assert!(line.tail.is_none(), "{src}");
        let last = line.stmts.last().unwrap();
        assert!(last.span.end <= src.len(), "{src}: span past the input");
    }
    let (line, diags) = parse_repl_line("gradient X");
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(line.unwrap().items[0].span().end <= "gradient X".len());
    // ... but an expression stays an expression (its value is shown).
    let (line, _) = parse_repl_line("spawn W");
    assert!(line.unwrap().tail.is_some());
}

#[test]
fn incomplete_input_for_the_repl() {
    assert!(is_incomplete("cell A {\n  metabolism {"));
    assert!(is_incomplete("print(\"hello"));
    assert!(is_incomplete("/* a /* b */"));
    assert!(!is_incomplete("print(1);"));
    assert!(!is_incomplete("print(1));"));
}

#[test]
fn long_programs_are_not_too_deep() {
    // Many items, and many block statements in a row without `;`.
    let mut src = String::new();
    for i in 0..2000 {
        src += &format!("cell C{i} {{ metabolism {{ }} }}\n");
    }
    src += "fn f() {\n";
    for _ in 0..2000 {
        src += "for i in 0..3 { } while x { } if a { } else { }\n";
    }
    src += "}\n";
    let (program, diags) = parse(&src);
    assert!(diags.is_empty(), "{:?}", diags.first());
    assert_eq!(program.unwrap().items.len(), 2001);
}

#[test]
fn spans_cover_what_was_written() {
    let src = "fn f() { let v = (a + b) * c.m(1); self.n += 2; }";
    let body = fn_body(src);
    let text = |s: &std::ops::Range<usize>| &src[s.clone()];
    assert_eq!(text(&body[0].span), "let v = (a + b) * c.m(1);");
    assert_eq!(text(&body[1].span), "self.n += 2;");
    let StmtKind::Let { value, .. } = &body[0].kind else {
        panic!()
    };
    assert_eq!(text(&value.span), "(a + b) * c.m(1)");
    let ExprKind::Binary { lhs, rhs, .. } = &value.kind else {
        panic!()
    };
    // A parenthesized expression's span leaves the parentheses out.
    assert_eq!(text(&lhs.span), "a + b");
    assert_eq!(text(&rhs.span), "c.m(1)");
    let StmtKind::Assign { target, value, .. } = &body[1].kind else {
        panic!()
    };
    assert_eq!(text(&target.span), "self.n");
    assert!(matches!(&target.kind, PlaceKind::SelfField(f) if text(&f.span) == "n"));
    assert_eq!(text(&value.span), "2");
}
