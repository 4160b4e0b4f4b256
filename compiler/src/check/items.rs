//! Items: declaring every global name, resolving signatures, and checking
//! the bodies of functions, cells and the ecosystem block.

use std::collections::HashMap;

use super::body::{BodyCx, CellPart, Ctx};
use super::expr::BUILTINS;
use super::stmt::Exit;
use super::{
    CellInfo, Checker, ConstInfo, ConstState, FnSig, Global, GlobalEntry, SignalInfo, fold,
};
use crate::ast;
use crate::diagnostic::{Diagnostic, Span};
use crate::hir::{self, CellKindId, FileId, FnId, GradientId, MembraneId, SignalKindId, Value};
use crate::types::Type;

/// The declarations found, parallel to the checker's tables.
pub(crate) struct Decls<'a> {
    pub gradients: Vec<(FileId, &'a ast::GradientDecl)>,
    pub signals: Vec<(FileId, &'a ast::SignalDecl)>,
    pub fns: Vec<(FileId, &'a ast::FnDecl)>,
    pub cells: Vec<(FileId, &'a ast::CellDecl)>,
    pub ecosystem: Option<(FileId, &'a ast::EcosystemDecl)>,
}

/// Registers every item's name (E0210 on duplicates) and creates the
/// table entries, so any item can refer to any other whatever the order.
pub(crate) fn declare<'a>(
    ck: &mut Checker<'a>,
    parsed: &[(FileId, &'a ast::Program)],
) -> Decls<'a> {
    let mut decls = Decls {
        gradients: Vec::new(),
        signals: Vec::new(),
        fns: Vec::new(),
        cells: Vec::new(),
        ecosystem: None,
    };
    for &(file, program) in parsed {
        ck.file = file;
        for item in &program.items {
            let what = match item {
                ast::Item::Use(_) => continue,
                ast::Item::Ecosystem(e) => {
                    if file != FileId(0) {
                        ck.emit(
                            Diagnostic::error(
                                "E0511",
                                "an imported file cannot have an `ecosystem` block",
                                keyword(&e.span, "ecosystem"),
                            )
                            .with_label("only the main file sets up the ecosystem"),
                        );
                    } else if let Some((_, first)) = decls.ecosystem {
                        ck.emit(
                            Diagnostic::error(
                                "E0511",
                                "more than one `ecosystem` block",
                                keyword(&e.span, "ecosystem"),
                            )
                            .with_label("second ecosystem block")
                            .with_secondary(keyword(&first.span, "ecosystem"), "first one here"),
                        );
                    } else {
                        decls.ecosystem = Some((file, e));
                    }
                    continue;
                }
                ast::Item::Gradient(_) => {
                    Global::Gradient(GradientId(decls.gradients.len() as u32))
                }
                ast::Item::Signal(_) => Global::Signal(SignalKindId(decls.signals.len() as u32)),
                ast::Item::Membrane(_) => Global::Membrane(MembraneId(ck.membranes.len() as u32)),
                ast::Item::Const(_) => Global::Const(ck.consts.len() as u32),
                ast::Item::Fn(_) => Global::Fn(FnId(decls.fns.len() as u32)),
                ast::Item::Cell(_) => Global::Cell(CellKindId(decls.cells.len() as u32)),
            };
            let Some(name) = item.name() else { continue };
            if !register(ck, name, what, file) {
                continue;
            }
            match item {
                ast::Item::Gradient(g) => {
                    decls.gradients.push((file, g));
                    ck.gradients.push(hir::GradientDecl {
                        name: g.name.name.clone(),
                        range: 100.0,
                        falloff: 0.05,
                        persist: 1,
                        span: g.span.clone(),
                        file,
                    });
                }
                ast::Item::Signal(s) => {
                    decls.signals.push((file, s));
                    ck.signal_names.push(s.name.name.clone());
                    ck.signals.push(SignalInfo {
                        name: s.name.name.clone(),
                        span: s.span.clone(),
                        file,
                        ..Default::default()
                    });
                }
                ast::Item::Membrane(m) => ck.membranes.push(hir::MembraneDecl {
                    name: m.name.name.clone(),
                    span: m.span.clone(),
                    file,
                }),
                ast::Item::Const(c) => ck.consts.push(ConstInfo {
                    name: c.name.name.clone(),
                    span: c.name.span.clone(),
                    decl: Some(c),
                    file,
                    ty: Type::Error,
                    state: ConstState::Pending,
                }),
                ast::Item::Fn(f) => {
                    decls.fns.push((file, f));
                    ck.fns.push(FnSig {
                        name: f.name.name.clone(),
                        params: Vec::new(),
                        ret: Type::Unit,
                    });
                }
                ast::Item::Cell(c) => {
                    decls.cells.push((file, c));
                    ck.cells.push(CellInfo {
                        name: c.name.name.clone(),
                        ..Default::default()
                    });
                }
                ast::Item::Use(_) | ast::Item::Ecosystem(_) => {}
            }
        }
    }
    ck.file = FileId(0);
    decls
}

/// The leading keyword of an item's span (to point at `ecosystem` rather
/// than at the whole block).
fn keyword(span: &Span, word: &str) -> Span {
    span.start..(span.start + word.len()).min(span.end)
}

/// Adds a global name; reports E0210 (and returns false) when it is taken.
fn register(ck: &mut Checker<'_>, name: &ast::Ident, what: Global, file: FileId) -> bool {
    if let Some(prev) = ck.globals.get(&name.name) {
        let mut d = Diagnostic::error(
            "E0210",
            format!("`{}` is defined more than once", name.name),
            name.span.clone(),
        )
        .with_label(format!("`{}` redefined here", name.name));
        if prev.file == file {
            d = d.with_secondary(
                prev.span.clone(),
                format!("first defined here as {}", prev.what.describe()),
            );
        } else {
            let other = ck
                .files
                .get(prev.file.0 as usize)
                .map_or("another file", |f| f.name.as_str());
            d = d.with_note(format!(
                "first defined in `{other}` as {}",
                prev.what.describe()
            ));
        }
        ck.emit(d);
        return false;
    }
    let is_callable = matches!(what, Global::Fn(_));
    if is_callable && (BUILTINS.contains(&name.name.as_str()) || ck.hosts.contains_key(&name.name))
    {
        let kind = if ck.hosts.contains_key(&name.name) {
            "host"
        } else {
            "builtin"
        };
        ck.emit(
            Diagnostic::error(
                "E0210",
                format!("`{}` is already a {kind} function", name.name),
                name.span.clone(),
            )
            .with_label("this name is taken")
            .with_help("choose another name"),
        );
        return false;
    }
    ck.globals.insert(
        name.name.clone(),
        GlobalEntry {
            what,
            span: name.span.clone(),
            file,
        },
    );
    true
}

/// Reports E0211 for a member name seen before in the same scope.
fn duplicate_member(
    ck: &mut Checker<'_>,
    seen: &mut HashMap<String, Span>,
    name: &ast::Ident,
    what: &str,
) -> bool {
    if let Some(first) = seen.get(&name.name) {
        let first = first.clone();
        ck.emit(
            Diagnostic::error(
                "E0211",
                format!("{what} `{}` is declared twice", name.name),
                name.span.clone(),
            )
            .with_label("declared again here")
            .with_secondary(first, "first declared here"),
        );
        return true;
    }
    seen.insert(name.name.clone(), name.span.clone());
    false
}

/// Resolves signal fields, function and method signatures, cell field types
/// and constant types.
pub(crate) fn resolve_signatures(ck: &mut Checker<'_>, decls: &Decls<'_>) {
    for (i, &(file, s)) in decls.signals.iter().enumerate() {
        ck.file = file;
        let mut seen = HashMap::new();
        let mut fields = Vec::new();
        let mut index = HashMap::new();
        for f in &s.fields {
            let ty = ck.resolve_type(&f.ty);
            if duplicate_member(ck, &mut seen, &f.name, "field") {
                continue;
            }
            index.insert(f.name.name.clone(), fields.len() as u32);
            fields.push((f.name.name.clone(), ty));
        }
        if let Some(info) = ck.signals.get_mut(i) {
            info.fields = fields;
            info.index = index;
        }
    }
    reject_recursive_signals(ck);
    for (i, &(file, f)) in decls.fns.iter().enumerate() {
        ck.file = file;
        let sig = signature(ck, f);
        if let Some(slot) = ck.fns.get_mut(i) {
            *slot = sig;
        }
    }
    for i in 0..ck.consts.len() {
        let Some(c) = ck.consts.get(i) else { continue };
        let (Some(decl), file) = (c.decl, c.file) else {
            continue;
        };
        ck.file = file;
        let ty = ck.resolve_type(&decl.ty);
        if let Some(c) = ck.consts.get_mut(i) {
            c.ty = ty;
        }
    }
    for (i, &(file, c)) in decls.cells.iter().enumerate() {
        ck.file = file;
        let mut fields = Vec::new();
        let mut field_index = HashMap::new();
        let mut methods = Vec::new();
        let mut method_index = HashMap::new();
        let mut seen_fields = HashMap::new();
        let mut seen_methods = HashMap::new();
        for m in &c.members {
            match m {
                ast::CellMember::Field(f) => {
                    let ty = ck.resolve_type(&f.ty);
                    if hir::Intrinsic::from_name(&f.name.name).is_some() {
                        ck.emit(
                            Diagnostic::error(
                                "E0211",
                                format!("`{}` is a built-in property of every cell", f.name.name),
                                f.name.span.clone(),
                            )
                            .with_label("reserved name")
                            .with_note("`self.energy pos age bonds priority parent` are kept by the runtime"),
                        );
                        continue;
                    }
                    if duplicate_member(ck, &mut seen_fields, &f.name, "field") {
                        continue;
                    }
                    field_index.insert(f.name.name.clone(), fields.len() as u32);
                    fields.push(hir::FieldDecl {
                        name: f.name.name.clone(),
                        ty,
                        default: Value::None,
                        span: f.span.clone(),
                    });
                }
                ast::CellMember::Method(f) => {
                    let sig = signature(ck, f);
                    if duplicate_member(ck, &mut seen_methods, &f.name, "method") {
                        continue;
                    }
                    method_index.insert(f.name.name.clone(), methods.len() as u32);
                    methods.push(sig);
                }
                ast::CellMember::Metabolism(_) | ast::CellMember::Handler(_) => {}
            }
        }
        if let Some(info) = ck.cells.get_mut(i) {
            info.fields = fields;
            info.field_index = field_index;
            info.methods = methods;
            info.method_index = method_index;
        }
    }
    ck.file = FileId(0);
}

fn signature(ck: &mut Checker<'_>, f: &ast::FnDecl) -> FnSig {
    let params = f.params.iter().map(|p| ck.resolve_type(&p.ty)).collect();
    let ret = f.ret.as_ref().map_or(Type::Unit, |t| ck.resolve_type(t));
    FnSig {
        name: f.name.name.clone(),
        params,
        ret,
    }
}

/// Folds gradient settings (E0514 for out-of-range values).
pub(crate) fn fold_gradients(ck: &mut Checker<'_>, decls: &Decls<'_>) {
    for (i, &(file, g)) in decls.gradients.iter().enumerate() {
        ck.file = file;
        let setting = |ck: &mut Checker<'_>,
                       e: &Option<ast::Expr>,
                       ty: &Type,
                       what: &str|
         -> Option<Value> {
            e.as_ref().and_then(|e| {
                let v = fold::constant(ck, e, ty, what);
                let valid = match &v {
                    Some(Value::Float(x)) => x.is_finite() && *x >= 0.0,
                    Some(Value::Int(n)) => *n >= 1,
                    _ => true,
                };
                if !valid {
                    ck.emit(
                        Diagnostic::error("E0514", format!("invalid gradient setting: {what}"), e.span.clone())
                            .with_label("out of range")
                            .with_note("`range` and `falloff` are finite and at least 0.0; `persist` is at least 1"),
                    );
                    return None;
                }
                v
            })
        };
        let range = setting(ck, &g.range, &Type::Float, "`range`");
        let falloff = setting(ck, &g.falloff, &Type::Float, "`falloff`");
        let persist = setting(ck, &g.persist, &Type::Int, "`persist`");
        if let Some(decl) = ck.gradients.get_mut(i) {
            if let Some(Value::Float(x)) = range {
                decl.range = x;
            }
            if let Some(Value::Float(x)) = falloff {
                decl.falloff = x;
            }
            if let Some(Value::Int(n)) = persist {
                decl.persist = n;
            }
        }
    }
    ck.file = FileId(0);
}

/// Checks a code body with parameters.
fn body(
    ck: &mut Checker<'_>,
    ctx: Ctx,
    ret: Type,
    params: &[(&ast::Ident, Type)],
    block: &ast::Block,
) -> (hir::Body, Exit) {
    let mut cx = BodyCx::new(ctx, ret);
    let mut seen = HashMap::new();
    for (name, ty) in params {
        duplicate_member(ck, &mut seen, name, "parameter");
        cx.declare(&name.name, ty.clone(), false, name.span.clone(), false);
    }
    let (block, exit) = ck.block_in_scope(&mut cx, block);
    let (body, warnings) = cx.finish(params.len() as u32, block);
    for w in warnings {
        ck.emit(w);
    }
    (body, exit)
}

/// Checks a function or method body, with the missing-return check (E0509).
fn function(
    ck: &mut Checker<'_>,
    ctx: Ctx,
    f: &ast::FnDecl,
    sig: &FnSig,
    file: FileId,
) -> hir::Function {
    let params: Vec<(&ast::Ident, Type)> = f
        .params
        .iter()
        .zip(&sig.params)
        .map(|(p, t)| (&p.name, t.clone()))
        .collect();
    let (b, exit) = body(ck, ctx, sig.ret.clone(), &params, &f.body);
    if sig.ret != Type::Unit && !sig.ret.is_error() && exit != Exit::Ends {
        let shown = ck.show(&sig.ret);
        let end = f.body.span.end.saturating_sub(1)..f.body.span.end;
        ck.emit(
            Diagnostic::error(
                "E0509",
                format!(
                    "`{}` may reach its end without returning a `{shown}`",
                    f.name.name
                ),
                f.name.span.clone(),
            )
            .with_label(format!("declared to return `{shown}`"))
            .with_secondary(end, "control can reach the end here")
            .with_help("add a `return` on every path"),
        );
    }
    hir::Function {
        name: f.name.name.clone(),
        params: f
            .params
            .iter()
            .zip(&sig.params)
            .map(|(p, t)| hir::Param {
                name: p.name.name.clone(),
                ty: t.clone(),
                span: p.span.clone(),
            })
            .collect(),
        ret: sig.ret.clone(),
        body: b,
        span: f.span.clone(),
        file,
    }
}

/// Checks every free function.
pub(crate) fn check_functions(ck: &mut Checker<'_>, decls: &Decls<'_>) -> Vec<hir::Function> {
    let mut out = Vec::with_capacity(decls.fns.len());
    for (i, &(file, f)) in decls.fns.iter().enumerate() {
        ck.file = file;
        let Some(sig) = ck.fns.get(i).cloned() else {
            continue;
        };
        out.push(function(ck, Ctx::FreeFn, f, &sig, file));
    }
    ck.file = FileId(0);
    out
}

/// Checks every cell kind: field defaults, handlers, metabolism, methods.
pub(crate) fn check_cells(ck: &mut Checker<'_>, decls: &Decls<'_>) -> Vec<hir::CellKind> {
    let mut out = Vec::with_capacity(decls.cells.len());
    for (i, &(file, c)) in decls.cells.iter().enumerate() {
        ck.file = file;
        let kind = CellKindId(i as u32);
        let cell_ctx = |part| Ctx::Cell { kind, part };
        // Field defaults.
        let mut fields = ck
            .cells
            .get(i)
            .map(|c| c.fields.clone())
            .unwrap_or_default();
        for m in &c.members {
            let ast::CellMember::Field(f) = m else {
                continue;
            };
            let Some(&idx) = ck
                .cells
                .get(i)
                .and_then(|c| c.field_index.get(&f.name.name))
            else {
                continue;
            };
            let Some(field) = fields.get(idx as usize) else {
                continue;
            };
            if field.span != f.span {
                continue; // a duplicate: the first declaration wins
            }
            let ty = field.ty.clone();
            if let Some(v) = fold::constant(ck, &f.default, &ty, "a field default")
                && let Some(field) = fields.get_mut(idx as usize)
            {
                field.default = v;
            }
        }
        let mut metabolism: Option<(hir::Body, Span)> = None;
        let mut on_spawn: Option<(hir::Body, Span)> = None;
        let mut on_apoptosis: Option<(hir::Body, Span)> = None;
        let mut on_signal: Vec<hir::SignalHandler> = Vec::new();
        let mut handler_spans: HashMap<SignalKindId, Span> = HashMap::new();
        let mut methods = Vec::new();
        let mut method_no = 0usize;
        for m in &c.members {
            match m {
                ast::CellMember::Field(_) => {}
                ast::CellMember::Metabolism(mb) => {
                    let (b, _) = body(
                        ck,
                        cell_ctx(CellPart::Metabolism),
                        Type::Unit,
                        &[],
                        &mb.body,
                    );
                    if let Some((_, first)) = &metabolism {
                        ck.emit(
                            Diagnostic::error(
                                "E0510",
                                format!("cell `{}` has more than one `metabolism`", c.name.name),
                                keyword(&mb.span, "metabolism"),
                            )
                            .with_label("second metabolism")
                            .with_secondary(keyword(first, "metabolism"), "first one here")
                            .with_note("a cell has exactly one metabolism"),
                        );
                    } else {
                        metabolism = Some((b, mb.span.clone()));
                    }
                }
                ast::CellMember::Handler(h) => match &h.trigger {
                    ast::HandlerTrigger::Spawn | ast::HandlerTrigger::Apoptosis => {
                        let is_spawn = matches!(h.trigger, ast::HandlerTrigger::Spawn);
                        let part = if is_spawn {
                            CellPart::OnSpawn
                        } else {
                            CellPart::OnApoptosis
                        };
                        let (b, _) = body(ck, cell_ctx(part), Type::Unit, &[], &h.body);
                        let slot = if is_spawn {
                            &mut on_spawn
                        } else {
                            &mut on_apoptosis
                        };
                        if let Some((_, first)) = slot {
                            let first = first.clone();
                            let which = if is_spawn { "on spawn" } else { "on apoptosis" };
                            ck.emit(
                                Diagnostic::error(
                                    "E0211",
                                    format!("`{which}` is declared twice"),
                                    h.span.clone(),
                                )
                                .with_label("declared again here")
                                .with_secondary(first, "first declared here"),
                            );
                        } else {
                            *slot = Some((b, h.span.clone()));
                        }
                    }
                    ast::HandlerTrigger::Signal { signal, binding } => {
                        let sig = match ck.globals.get(&signal.name).map(|g| g.what) {
                            Some(Global::Signal(s)) => Some(s),
                            other => {
                                let message = match other {
                                    Some(o) => format!(
                                        "`{}` is {}, not a signal",
                                        signal.name,
                                        o.describe()
                                    ),
                                    None => format!("cannot find signal `{}`", signal.name),
                                };
                                let mut d =
                                    Diagnostic::error("E0205", message, signal.span.clone())
                                        .with_label("not a signal");
                                if let Some(s) = super::suggest::closest(
                                    &signal.name,
                                    ck.signal_names.iter().map(String::as_str),
                                ) {
                                    d = d.with_help(format!("did you mean `{s}`?"));
                                }
                                ck.emit(d);
                                None
                            }
                        };
                        let ty = sig.map_or(Type::Error, Type::Signal);
                        let (b, _) = body(
                            ck,
                            cell_ctx(CellPart::OnSignal),
                            Type::Unit,
                            &[(binding, ty)],
                            &h.body,
                        );
                        let Some(sig) = sig else { continue };
                        if let Some(first) = handler_spans.get(&sig) {
                            let first = first.clone();
                            ck.emit(
                                Diagnostic::error(
                                    "E0211",
                                    format!("handler `on {}` is declared twice", signal.name),
                                    h.span.clone(),
                                )
                                .with_label("declared again here")
                                .with_secondary(first, "first declared here")
                                .with_note("a cell has at most one handler per signal"),
                            );
                            continue;
                        }
                        handler_spans.insert(sig, h.span.clone());
                        on_signal.push(hir::SignalHandler {
                            signal: sig,
                            body: b,
                            span: h.span.clone(),
                        });
                    }
                },
                ast::CellMember::Method(f) => {
                    let registered = ck
                        .cells
                        .get(i)
                        .and_then(|info| info.method_index.get(&f.name.name).copied())
                        .filter(|&idx| idx as usize == method_no);
                    let sig = registered.and_then(|idx| {
                        ck.cells
                            .get(i)
                            .and_then(|info| info.methods.get(idx as usize))
                            .cloned()
                    });
                    match sig {
                        Some(sig) => {
                            method_no += 1;
                            methods.push(function(ck, cell_ctx(CellPart::Method), f, &sig, file));
                        }
                        None => {
                            // A duplicate method (already reported): still check its body.
                            let sig = signature(ck, f);
                            function(ck, cell_ctx(CellPart::Method), f, &sig, file);
                        }
                    }
                }
            }
        }
        let metabolism = match metabolism {
            Some((b, _)) => b,
            None => {
                ck.emit(
                    Diagnostic::error(
                        "E0510",
                        format!("cell `{}` has no `metabolism`", c.name.name),
                        c.name.span.clone(),
                    )
                    .with_label("no metabolism")
                    .with_help("add one: `metabolism { ... }` (it runs once per tick)"),
                );
                hir::Body::default()
            }
        };
        out.push(hir::CellKind {
            name: c.name.name.clone(),
            fields,
            metabolism,
            on_spawn: on_spawn.map(|(b, _)| b),
            on_apoptosis: on_apoptosis.map(|(b, _)| b),
            on_signal,
            methods,
            span: c.span.clone(),
            file,
        });
        if let Some(info) = ck.cells.get_mut(i) {
            info.fields = out.last().map(|k| k.fields.clone()).unwrap_or_default();
        }
    }
    ck.file = FileId(0);
    out
}

/// Checks the ecosystem block.
pub(crate) fn check_ecosystem(ck: &mut Checker<'_>, decls: &Decls<'_>) -> Option<hir::Ecosystem> {
    let (file, e) = decls.ecosystem?;
    ck.file = file;
    let (b, _) = body(ck, Ctx::Ecosystem, Type::Unit, &[], &e.body);
    ck.file = FileId(0);
    Some(hir::Ecosystem {
        body: b,
        span: e.span.clone(),
        file,
    })
}

/// The signals a type mentions (through lists, optionals and other records).
fn signals_in(ty: &Type, out: &mut Vec<u32>) {
    match ty {
        Type::Signal(id) => out.push(id.0),
        Type::List(inner) | Type::Optional(inner) => signals_in(inner, out),
        _ => {}
    }
}

/// A signal that contains itself, directly or through other signals, would
/// let a program build values nested without bound (and no host could
/// print, copy or free them without unbounded recursion): signals are flat
/// messages, so such a declaration is an error (E0219).
fn reject_recursive_signals(ck: &mut Checker<'_>) {
    let edges: Vec<Vec<u32>> = ck
        .signals
        .iter()
        .map(|info| {
            let mut out = Vec::new();
            for (_, ty) in &info.fields {
                signals_in(ty, &mut out);
            }
            out
        })
        .collect();
    for start in 0..edges.len() {
        // Depth-first search from `start` for a path back to it.
        let mut seen = vec![false; edges.len()];
        let mut stack: Vec<u32> = edges[start].clone();
        let mut cyclic = false;
        while let Some(next) = stack.pop() {
            if next as usize == start {
                cyclic = true;
                break;
            }
            if let Some(flag) = seen.get_mut(next as usize)
                && !*flag
            {
                *flag = true;
                if let Some(more) = edges.get(next as usize) {
                    stack.extend(more);
                }
            }
        }
        if !cyclic {
            continue;
        }
        let Some(info) = ck.signals.get(start) else {
            continue;
        };
        let d = Diagnostic::error(
            "E0219",
            format!("signal `{}` contains itself", info.name),
            info.span.clone(),
        )
        .with_label("a field of this signal holds a value of this signal")
        .with_note("signals are flat messages: a signal cannot hold itself, directly or through other signals")
        .with_help("send several signals, or send the data as lists of plain values");
        let file = info.file;
        let saved = std::mem::replace(&mut ck.file, file);
        ck.emit(d);
        ck.file = saved;
    }
}
