//! Readable listings of bytecode, with each instruction's energy cost.

use std::fmt::Write;

use super::chunk::Chunk;
use super::op::{FUEL_PER_ENERGY, Op};
use crate::program::Program;
use crate::value::Names;

/// Lists one chunk: `pc  line:col  mnemonic operands  ; cost`.
pub fn disassemble(chunk: &Chunk, names: Option<&Program>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "== {} (params {}, registers {}) ==",
        chunk.name, chunk.params, chunk.registers
    );
    for (pc, op) in chunk.code.iter().enumerate() {
        let loc = chunk.loc(pc);
        let text = operands(op, chunk, names);
        let cost = op.cost() as f64 / FUEL_PER_ENERGY as f64;
        let _ = writeln!(
            out,
            "{pc:>5}  {:>4}:{:<3} {:<44} ; cost {cost:?}",
            loc.line, loc.col, text
        );
    }
    out
}

/// Lists every chunk of a program, kinds first then free functions.
pub fn disassemble_program(program: &Program) -> String {
    let mut out = String::new();
    for (i, chunk) in program.functions.iter().enumerate() {
        let _ = write!(out, "[fn {i}] ");
        out.push_str(&disassemble(chunk, Some(program)));
        out.push('\n');
    }
    out
}

fn operands(op: &Op, chunk: &Chunk, program: Option<&Program>) -> String {
    let name = op_name(op);
    let konst = |k: u16| {
        chunk
            .consts
            .get(usize::from(k))
            .map_or("?".to_string(), |v| {
                let mut s = String::new();
                match program {
                    Some(p) => v.display(p, true, &mut s),
                    None => s = format!("{v:?}"),
                }
                s
            })
    };
    match *op {
        Op::LoadConst { dst, k } => format!("{name} r{dst}, k{k} ({})", konst(k)),
        Op::Fault { message } => format!("{name} k{message} ({})", konst(message)),
        Op::Call { dst, func, args } => {
            let callee = program
                .and_then(|p| p.functions.get(usize::from(func)))
                .map_or(String::new(), |c| format!(" ({})", c.name));
            format!("{name} r{dst}, fn{func}{callee}, r{args}..")
        }
        Op::NewRecord { dst, signal, start } => {
            let sig = program.map_or("?".to_string(), |p| {
                p.signal_name(crate::value::SignalKindId(u32::from(signal)))
                    .to_string()
            });
            format!("{name} r{dst}, {sig}, r{start}..")
        }
        Op::Spawn { dst, desc, args } => {
            format!(
                "{name} r{dst}, {}, r{args}..",
                spawn_text(chunk, desc, program)
            )
        }
        Op::Differentiate { desc, args } => {
            format!("{name} {}, r{args}..", spawn_text(chunk, desc, program))
        }
        _ => {
            // Generic form from the Debug text: `name=value` pairs, with
            // registers as `rN` and jump targets as `@N`.
            let dbg = format!("{op:?}");
            let Some((_, rest)) = dbg.split_once(' ') else {
                return name.to_string();
            };
            let literal_value = matches!(op, Op::LoadInt { .. } | Op::LoadBool { .. });
            // `target` is a cell register for these, a jump target elsewhere.
            let cell_target = matches!(op, Op::Bind { .. } | Op::Unbind { .. } | Op::Send { .. });
            let parts: Vec<String> = rest
                .trim_matches(|c| c == '{' || c == '}' || c == ' ')
                .split(", ")
                .map(|field| match field.split_once(": ") {
                    Some(("target", v)) if cell_target => format!("r{v}"),
                    Some(("target", v)) => format!("@{v}"),
                    Some(("value", v)) if literal_value => v.to_string(),
                    Some((
                        "dst" | "src" | "a" | "b" | "cond" | "list" | "index" | "value"
                        | "gradient" | "strength" | "record" | "by" | "ticks" | "threshold"
                        | "counter" | "end" | "iter" | "var" | "x" | "y" | "start" | "args",
                        v,
                    )) => format!("r{v}"),
                    Some((_, v)) => v.to_string(),
                    None => field.to_string(),
                })
                .collect();
            format!("{name} {}", parts.join(", "))
        }
    }
}

fn spawn_text(chunk: &Chunk, desc: u16, program: Option<&Program>) -> String {
    let Some(d) = chunk.spawns.get(usize::from(desc)) else {
        return "?".into();
    };
    let kind = program
        .and_then(|p| p.kinds.get(d.kind as usize))
        .map_or(format!("kind{}", d.kind), |k| k.name.clone());
    let mut parts = Vec::new();
    if d.has_at {
        parts.push("at".to_string());
    }
    if d.has_energy {
        parts.push("energy".to_string());
    }
    if d.has_priority {
        parts.push("priority".to_string());
    }
    for &f in &d.fields {
        let field = program
            .and_then(|p| p.kinds.get(d.kind as usize))
            .and_then(|k| k.fields.get(usize::from(f)))
            .map_or(format!("f{f}"), |f| f.name.clone());
        parts.push(field);
    }
    format!("{kind} [{}]", parts.join(", "))
}

fn op_name(op: &Op) -> &'static str {
    super::op::OPCODES
        .get(op.opcode() as usize)
        .map_or("?", |i| i.name)
}
