//! A generator of random *well-typed* Myco programs, shared by the proptest
//! (`tests/gen_programs.rs`) and the fuzz target (`fuzz/fuzz_targets/pipeline.rs`).
//!
//! It builds programs from a stream of random numbers, keeping track of the
//! locals in scope and their types, so every program it writes passes the
//! checker: cells with fields, metabolisms with arithmetic, `if`s, bounded
//! `for` loops, lists, `emit`/`sense`, `send`s and their handlers, `spawn`s,
//! `print`s and `report`s. Runtime faults (division by zero, overflow, an
//! index out of range) are allowed: they are events, never panics.

#![allow(dead_code)]

use std::fmt::Write;

/// A tiny deterministic source of randomness (splitmix64), seeded by a
/// proptest value or by fuzzer bytes.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator from arbitrary bytes (the fuzzer's input).
    pub fn from_bytes(bytes: &[u8]) -> Rng {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for &b in bytes {
            seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Int,
    Float,
    Bool,
    Str,
    IntList,
}

const FIELD_TYPES: [Ty; 5] = [Ty::Int, Ty::Float, Ty::Bool, Ty::Str, Ty::IntList];

struct CellKind {
    name: String,
    fields: Vec<(String, Ty)>,
}

/// One program's generation state.
struct Gen<'r> {
    rng: &'r mut Rng,
    out: String,
    kinds: Vec<CellKind>,
    /// Locals in scope: name, type, mutable.
    locals: Vec<(String, Ty, bool)>,
    /// The fields of the cell being written (empty outside cells).
    fields: Vec<(String, Ty)>,
    next_local: usize,
    depth: usize,
    /// Helper functions `h0..` written so far.
    helpers: u64,
    /// Inside a cell (constructs available) or a plain function.
    in_cell: bool,
}

/// A random well-typed program.
pub fn program(rng: &mut Rng) -> String {
    let mut g = Gen {
        rng,
        out: String::new(),
        kinds: Vec::new(),
        locals: Vec::new(),
        fields: Vec::new(),
        next_local: 0,
        depth: 0,
        helpers: 0,
        in_cell: false,
    };
    g.write_program();
    g.out
}

impl Gen<'_> {
    fn write_program(&mut self) {
        let _ = writeln!(self.out, "gradient G0 {{ range: 50.0, falloff: 0.1 }}");
        let _ = writeln!(self.out, "gradient G1;");
        let _ = writeln!(self.out, "signal S {{ n: int, x: float }}");
        let _ = writeln!(self.out, "const K: int = {};", self.rng.below(5) + 1);
        // Helper functions: pure int arithmetic on their parameters.
        let helpers = self.rng.below(3);
        for h in 0..helpers {
            self.helpers = h;
            self.locals = vec![("a".into(), Ty::Int, false), ("b".into(), Ty::Int, false)];
            self.in_cell = false;
            let _ = writeln!(self.out, "fn h{h}(a: int, b: int) -> int {{");
            self.block_body(2);
            let e = self.expr(Ty::Int, 2);
            let _ = writeln!(self.out, "    return {e};\n}}");
        }
        self.helpers = helpers;
        let n_kinds = self.rng.below(3) + 1;
        for k in 0..n_kinds {
            let n_fields = self.rng.below(4) as usize;
            let fields = (0..n_fields)
                .map(|i| {
                    let t = FIELD_TYPES[self.rng.below(FIELD_TYPES.len() as u64) as usize];
                    (format!("f{i}"), t)
                })
                .collect();
            self.kinds.push(CellKind {
                name: format!("C{k}"),
                fields,
            });
        }
        for k in 0..self.kinds.len() {
            self.write_cell(k);
        }
        let _ = writeln!(self.out, "ecosystem {{");
        let _ = writeln!(self.out, "    world.seed = {};", self.rng.below(1000));
        if self.rng.chance(30) {
            let _ = writeln!(
                self.out,
                "    world.max_cells = {};",
                self.rng.below(50) + 1
            );
        }
        for k in 0..self.kinds.len() {
            let count = self.rng.below(3) + 1;
            let name = self.kinds[k].name.clone();
            let _ = writeln!(
                self.out,
                "    for i in 0..{count} {{ spawn {name} at (float(i) * 3.0, {}.0); }}",
                self.rng.below(20)
            );
        }
        let _ = writeln!(self.out, "}}");
    }

    fn write_cell(&mut self, k: usize) {
        let name = self.kinds[k].name.clone();
        self.fields = self.kinds[k].fields.clone();
        self.in_cell = true;
        let _ = writeln!(self.out, "cell {name} {{");
        for (f, t) in self.fields.clone() {
            let init = self.default_of(t);
            let _ = writeln!(self.out, "    {f}: {} = {init};", type_name(t));
        }
        self.locals.clear();
        let _ = writeln!(self.out, "    metabolism {{");
        self.block_body(10);
        let _ = writeln!(self.out, "    }}");
        if self.rng.chance(60) {
            self.locals = vec![("m".into(), Ty::Int, false)];
            let _ = writeln!(self.out, "    on S(sig) {{");
            let _ = writeln!(self.out, "        let m = sig.n;");
            self.block_body(4);
            let _ = writeln!(self.out, "    }}");
        }
        if self.rng.chance(30) {
            self.locals.clear();
            let _ = writeln!(self.out, "    on apoptosis {{ print(\"bye\", self); }}");
        }
        let _ = writeln!(self.out, "}}");
        self.in_cell = false;
        self.fields.clear();
    }

    fn default_of(&mut self, t: Ty) -> String {
        match t {
            Ty::Int => format!("{}", self.rng.below(10)),
            Ty::Float => format!("{}.5", self.rng.below(10)),
            Ty::Bool => "false".into(),
            Ty::Str => "\"s\"".into(),
            Ty::IntList => "[1, 2]".into(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..(self.depth + 2) {
            self.out.push_str("    ");
        }
    }

    /// Up to `max` statements, in a fresh scope.
    fn block_body(&mut self, max: u64) {
        let scope = self.locals.len();
        let n = self.rng.below(max + 1);
        for _ in 0..n {
            self.stmt();
        }
        self.locals.truncate(scope);
    }

    fn fresh(&mut self) -> String {
        self.next_local += 1;
        format!("v{}", self.next_local)
    }

    fn stmt(&mut self) {
        let nested_ok = self.depth < 3;
        let choice = self.rng.below(if self.in_cell { 14 } else { 6 });
        match choice {
            0 | 1 => {
                let t = [Ty::Int, Ty::Float, Ty::Bool, Ty::Str, Ty::IntList]
                    [self.rng.below(5) as usize];
                let e = self.expr(t, 2);
                let v = self.fresh();
                self.indent();
                let _ = writeln!(self.out, "let mut {v}: {} = {e};", type_name(t));
                self.locals.push((v, t, true));
            }
            2 => {
                // Assign to a mutable local.
                let mutable: Vec<(String, Ty)> = self
                    .locals
                    .iter()
                    .filter(|l| l.2)
                    .map(|l| (l.0.clone(), l.1))
                    .collect();
                if let Some((v, t)) = self.pick(&mutable) {
                    if t == Ty::IntList {
                        let e = self.expr(Ty::Int, 1);
                        self.indent();
                        let _ = writeln!(self.out, "{v}.push({e});");
                    } else {
                        let e = self.expr(t, 2);
                        self.indent();
                        let _ = writeln!(self.out, "{v} = {e};");
                    }
                }
            }
            3 if nested_ok => {
                let c = self.expr(Ty::Bool, 2);
                self.indent();
                let _ = writeln!(self.out, "if {c} {{");
                self.depth += 1;
                self.block_body(3);
                self.depth -= 1;
                self.indent();
                if self.rng.chance(50) {
                    let _ = writeln!(self.out, "}} else {{");
                    self.depth += 1;
                    self.block_body(2);
                    self.depth -= 1;
                    self.indent();
                }
                let _ = writeln!(self.out, "}}");
            }
            4 if nested_ok => {
                let i = self.fresh();
                let hi = self.rng.below(6);
                self.indent();
                let _ = writeln!(self.out, "for {i} in 0..{hi} {{");
                self.locals.push((i.clone(), Ty::Int, false));
                self.depth += 1;
                self.block_body(3);
                self.depth -= 1;
                self.locals.retain(|l| l.0 != i);
                self.indent();
                let _ = writeln!(self.out, "}}");
            }
            5 => {
                let e = self.expr(Ty::Int, 2);
                let f = self.expr(Ty::Float, 1);
                self.indent();
                let _ = writeln!(self.out, "print(\"p\", {e}, {f});");
            }
            // The constructs, inside cells only.
            6 => {
                let fields: Vec<(String, Ty)> = self.fields.clone();
                if let Some((f, t)) = self.pick(&fields) {
                    if t == Ty::IntList {
                        let e = self.expr(Ty::Int, 1);
                        self.indent();
                        let _ = writeln!(self.out, "self.{f}.push({e});");
                    } else if t == Ty::Int && self.rng.chance(50) {
                        let e = self.expr(Ty::Int, 1);
                        self.indent();
                        let _ = writeln!(self.out, "self.{f} += {e};");
                    } else {
                        let e = self.expr(t, 2);
                        self.indent();
                        let _ = writeln!(self.out, "self.{f} = {e};");
                    }
                }
            }
            7 => {
                let g = self.rng.below(2);
                let e = self.expr(Ty::Float, 1);
                self.indent();
                let _ = writeln!(self.out, "emit G{g} {e};");
            }
            8 => {
                let g = self.rng.below(2);
                let n = self.expr(Ty::Int, 1);
                let x = self.expr(Ty::Float, 1);
                self.indent();
                let _ = writeln!(
                    self.out,
                    "if let r = (sense G{g}).first() {{ send S {{ n: {n}, x: {x} }} to r.source; }}"
                );
            }
            9 => {
                let e = self.expr(Ty::Float, 1);
                self.indent();
                let _ = writeln!(self.out, "report {e};");
            }
            10 if self.rng.chance(30) => {
                let k = self.rng.below(self.kinds.len() as u64) as usize;
                let name = self.kinds[k].name.clone();
                self.indent();
                let _ = writeln!(self.out, "spawn {name} {{ energy: 5.0 }};");
            }
            11 => {
                self.indent();
                let _ = writeln!(self.out, "move rand_vec(1.0);");
            }
            12 if self.rng.chance(20) => {
                self.indent();
                let _ = writeln!(self.out, "if rand() < 0.1 {{ die; }}");
            }
            13 => {
                self.indent();
                let _ = writeln!(
                    self.out,
                    "if self.bonds.is_empty() {{ if let r = (sense G0).first() {{ bind r.source; }} }}"
                );
            }
            _ => {}
        }
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            items
                .get(self.rng.below(items.len() as u64) as usize)
                .cloned()
        }
    }

    fn var_of(&mut self, t: Ty) -> Option<String> {
        let mut names: Vec<String> = self
            .locals
            .iter()
            .filter(|l| l.1 == t)
            .map(|l| l.0.clone())
            .collect();
        names.extend(
            self.fields
                .iter()
                .filter(|f| f.1 == t)
                .map(|f| format!("self.{}", f.0)),
        );
        self.pick(&names)
    }

    /// An expression of type `t`, at most `depth` operators deep.
    fn expr(&mut self, t: Ty, depth: u32) -> String {
        if depth == 0 || self.rng.chance(30) {
            if self.rng.chance(60)
                && let Some(v) = self.var_of(t)
            {
                return v;
            }
            return self.literal(t);
        }
        let d = depth - 1;
        match t {
            Ty::Int => match self.rng.below(10) {
                0 => format!("({} + {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                1 => format!("({} - {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                2 => format!("({} * {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                3 => format!("({} / {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                4 => format!("({} % {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                5 => format!("{}.len()", self.expr(Ty::IntList, d)),
                6 => format!(
                    "({}.get({}) ?? K)",
                    self.expr(Ty::IntList, d),
                    self.expr(Ty::Int, d)
                ),
                7 if self.helpers > 0 => {
                    let h = self.rng.below(self.helpers);
                    format!("h{h}({}, {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d))
                }
                8 => format!("max({}, {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                9 if self.in_cell => "now()".into(),
                _ => format!("int({})", self.expr(Ty::Float, d)),
            },
            Ty::Float => match self.rng.below(7) {
                0 => format!(
                    "({} + {})",
                    self.expr(Ty::Float, d),
                    self.expr(Ty::Float, d)
                ),
                1 => format!(
                    "({} * {})",
                    self.expr(Ty::Float, d),
                    self.expr(Ty::Float, d)
                ),
                2 => format!(
                    "({} / {})",
                    self.expr(Ty::Float, d),
                    self.expr(Ty::Float, d)
                ),
                3 => format!("float({})", self.expr(Ty::Int, d)),
                4 => format!("sqrt({})", self.expr(Ty::Float, d)),
                5 if self.in_cell => "self.energy".into(),
                _ => "rand()".into(),
            },
            Ty::Bool => match self.rng.below(5) {
                0 => format!("({} < {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                1 => format!(
                    "({} == {})",
                    self.expr(Ty::IntList, d),
                    self.expr(Ty::IntList, d)
                ),
                2 => format!("!{}", self.expr(Ty::Bool, d)),
                3 => format!("({} && {})", self.expr(Ty::Bool, d), self.expr(Ty::Bool, d)),
                _ => format!(
                    "({} >= {})",
                    self.expr(Ty::Float, d),
                    self.expr(Ty::Float, d)
                ),
            },
            Ty::Str => match self.rng.below(3) {
                0 => format!("({} + {})", self.expr(Ty::Str, d), self.expr(Ty::Str, d)),
                1 => format!("str({})", self.expr(Ty::Int, d)),
                _ => format!("str({})", self.expr(Ty::IntList, d)),
            },
            Ty::IntList => match self.rng.below(2) {
                0 => format!("[{}, {}]", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
                _ => format!("[{}]", self.expr(Ty::Int, d)),
            },
        }
    }

    fn literal(&mut self, t: Ty) -> String {
        match t {
            Ty::Int => format!("{}", self.rng.below(20) as i64 - 5),
            Ty::Float => format!("{}.25", self.rng.below(20)),
            Ty::Bool => if self.rng.chance(50) { "true" } else { "false" }.into(),
            Ty::Str => format!("\"t{}\"", self.rng.below(10)),
            Ty::IntList => format!("[{}]", self.rng.below(9)),
        }
    }
}

fn type_name(t: Ty) -> &'static str {
    match t {
        Ty::Int => "int",
        Ty::Float => "float",
        Ty::Bool => "bool",
        Ty::Str => "str",
        Ty::IntList => "[int]",
    }
}
