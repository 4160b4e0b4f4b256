//! Test helpers: a fully parenthesized printer for expressions.

#![allow(dead_code)]

use myco_compiler::ast::*;

/// Prints an expression with every operator application in parentheses, so
/// a test can state the tree shape it expects as text.
pub fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Float(v) => format!("{v:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::None => "none".into(),
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::SelfRef => "self".into(),
        ExprKind::Sender => "sender".into(),
        ExprKind::World(n) => format!("world.{}", n.name),
        ExprKind::Field { base, field } => format!("({}.{})", show(base), field.name),
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => format!("({}.{}({}))", show(receiver), method.name, list(args)),
        ExprKind::Call { callee, args } => format!("{}({})", callee.name, list(args)),
        ExprKind::Index { base, index } => format!("({}[{}])", show(base), show(index)),
        ExprKind::Unary { op, operand } => format!("({}{})", op.symbol(), show(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", show(lhs), op.symbol(), show(rhs))
        }
        ExprKind::Vec { x, y } => format!("vec({}, {})", show(x), show(y)),
        ExprKind::List(items) => format!("[{}]", list(items)),
        ExprKind::SignalLit { name, fields } => format!("{}{{{}}}", name.name, inits(fields)),
        ExprKind::Sense(g) => format!("(sense {})", g.name),
        ExprKind::Emit { gradient, strength } => match strength {
            Some(s) => format!("(emit {} {})", gradient.name, show(s)),
            None => format!("(emit {})", gradient.name),
        },
        ExprKind::Bind(x) => format!("(bind {})", show(x)),
        ExprKind::Unbind(x) => format!("(unbind {})", show(x)),
        ExprKind::Move(x) => format!("(move {})", show(x)),
        ExprKind::Send { signal, target } => {
            format!("(send {} to {})", show(signal), show(target))
        }
        ExprKind::Spawn(s) => {
            let mut out = format!("(spawn {}{{{}}}", s.cell.name, inits(&s.inits));
            if let Some(at) = &s.at {
                out += &format!(" at {}", show(at));
            }
            if let Some(m) = &s.membrane {
                out += &format!(" in {}", m.name);
            }
            out + ")"
        }
        ExprKind::Error => "<error>".into(),
    }
}

fn list(items: &[Expr]) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn inits(fields: &[FieldInit]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.name.name, show(&f.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `src` as one REPL expression and prints it; panics (failing the
/// test) on diagnostics.
pub fn expr(src: &str) -> String {
    let (line, diags) = myco_compiler::parser::parse_repl_line(src);
    assert!(diags.is_empty(), "{src}: {diags:#?}");
    let line = line.expect("a tree");
    assert!(line.stmts.is_empty(), "{src}: parsed as statements");
    show(line.tail.as_ref().expect("a trailing expression"))
}
