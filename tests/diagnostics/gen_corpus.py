#!/usr/bin/env python3
"""Writes the diagnostics corpus: each case is a program, the code of the
error it must produce first, and the text the error must point at (the
N-th occurrence of NEEDLE). The `// expect:` line is computed from that, so
the position is stated by intent, not copied from the checker's output."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
("001_unknown_name", "E0201", "cout", 1, """
fn f() -> int {
    let count = 1;
    return cout + 1;
}
"""),
("002_unknown_type", "E0202", "flaot", 1, """
signal Ping { strength: flaot }
"""),
("003_unknown_function", "E0203", "clamp02", 1, """
fn clamp01(x: float) -> float {
    return min(max(x, 0.0), 1.0);
}
fn g() -> float {
    return clamp02(2.0);
}
"""),
("004_unknown_cell_kind", "E0204", "Wroker", 1, """
cell Worker {
    metabolism { }
}
ecosystem {
    spawn Wroker at (0.0, 0.0);
}
"""),
("005_unknown_signal", "E0205", "Clam", 1, """
signal Claim { bid: float }
cell Worker {
    metabolism {
        send Clam { bid: 1.0 } to self;
    }
}
"""),
("006_unknown_gradient", "E0206", "DATE", 1, """
gradient DATA;
cell Emitter {
    metabolism {
        emit DATE 1.0;
    }
}
"""),
("007_unknown_membrane", "E0207", "Gutt", 1, """
membrane Gut;
cell A {
    metabolism { }
}
ecosystem {
    spawn A at (0.0, 0.0) in Gutt;
}
"""),
("008_unknown_field", "E0208", "don +=", 1, """
cell Worker {
    done: int = 0;
    metabolism {
        self.don += 1;
    }
}
"""),
("009_unknown_method", "E0209", "size", 1, """
fn count(xs: [int]) -> int {
    return xs.size();
}
"""),
("010_duplicate_item", "E0210", "TASK", 2, """
gradient TASK;
const TASK: int = 3;
"""),
("011_duplicate_field", "E0211", "done", 2, """
cell Worker {
    done: int = 0;
    done: bool = false;
    metabolism { }
}
"""),
("012_unknown_world_setting", "E0212", "incom", 1, """
ecosystem {
    world.seed = 42;
    world.incom = 50.0;
}
"""),
("013_unknown_std_module", "E0213", "maths", 1, """
use std::maths;
"""),
("014_missing_import", "E0214", "\"nowhere/helpers.myco\"", 1, """
use "nowhere/helpers.myco";
"""),
("015_import_cycle", "E0215", "use \"015_import_cycle.myco\";", 1, """
use "imports/helper.myco";
use "015_import_cycle.myco";
"""),
("016_const_cycle", "E0216", "A", 1, """
const A: int = B + 1;
const B: int = A * 2;
"""),
("017_not_a_value", "E0217", "Worker", 2, """
cell Worker {
    metabolism { }
}
ecosystem {
    let w = Worker;
}
"""),
("018_int_plus_float", "E0302", "1 + 2.0", 1, """
fn half() -> float {
    return 1 + 2.0;
}
"""),
("019_mismatched_let", "E0301", "1.5", 1, """
fn f() -> int {
    let x: int = 1.5;
    return x;
}
"""),
("020_wrong_arg_count", "E0303", "clamp01(0.5, 1.0)", 1, """
fn clamp01(x: float) -> float {
    return min(max(x, 0.0), 1.0);
}
fn g() -> float {
    return clamp01(0.5, 1.0);
}
"""),
("021_none_without_type", "E0304", "none", 1, """
fn f() {
    let x = none;
}
"""),
("022_empty_list", "E0304", "[]", 1, """
fn f() -> int {
    let xs = [];
    return xs.len();
}
"""),
("023_chained_comparison", "E0012", "0 < x < 10", 1, """
fn inside(x: int) -> bool {
    return 0 < x < 10;
}
"""),
("024_unit_value", "E0306", "print(\"hi\")", 1, """
fn f() {
    let x = print("hi");
}
"""),
("025_if_let_not_optional", "E0307", "count", 2, """
fn f(count: int) -> int {
    if let c = count {
        return c;
    }
    return 0;
}
"""),
("026_index_non_list", "E0308", "x", 2, """
fn f(x: float) -> float {
    return x[0];
}
"""),
("027_other_cell_field", "E0309", "r.source.done", 1, """
gradient TASK;
cell Worker {
    done: int = 0;
    metabolism {
        for r in sense TASK {
            let theirs = r.source.done;
        }
    }
}
"""),
("028_signal_missing_field", "E0310", "Claim { worker: self }", 1, """
signal Claim { worker: cell, bid: float }
cell Worker {
    metabolism {
        send Claim { worker: self } to self;
    }
}
"""),
("029_signal_unknown_field", "E0311", "bidd", 1, """
signal Claim { worker: cell, bid: float }
cell Worker {
    metabolism {
        send Claim { worker: self, bidd: 0.5 } to self;
    }
}
"""),
("030_signal_duplicate_field", "E0312", "bid", 3, """
signal Claim { worker: cell, bid: float }
cell Worker {
    metabolism {
        send Claim { worker: self, bid: 0.5, bid: 0.7 } to self;
    }
}
"""),
("031_assign_immutable", "E0401", "total", 2, """
fn sum(xs: [int]) -> int {
    let total = 0;
    for x in xs {
        total += x;
    }
    return total;
}
"""),
("032_assign_intrinsic", "E0402", "self.energy", 1, """
cell Greedy {
    metabolism {
        self.energy = 1000.0;
    }
}
"""),
("033_push_immutable", "E0403", "xs", 2, """
fn f() -> [int] {
    let xs: [int] = [];
    xs.push(1);
    return xs;
}
"""),
("034_self_outside_cell", "E0501", "self", 1, """
ecosystem {
    print(self);
}
"""),
("035_sender_outside_handler", "E0502", "sender", 1, """
cell Echo {
    metabolism {
        print(sender);
    }
}
"""),
("036_emit_in_ecosystem", "E0503", "emit TASK 1.0", 1, """
gradient TASK;
ecosystem {
    emit TASK 1.0;
}
"""),
("037_membrane_in_cell", "E0504", "Gut", 2, """
membrane Gut;
cell Mother {
    metabolism {
        spawn Mother at self.pos in Gut;
    }
}
"""),
("038_world_in_cell", "E0505", "world.income = 10.0;", 1, """
cell Banker {
    metabolism {
        world.income = 10.0;
    }
}
"""),
("039_spawn_value_in_cell", "E0506", "spawn Mother", 1, """
cell Mother {
    metabolism {
        let child = spawn Mother at self.pos;
    }
}
"""),
("040_break_outside_loop", "E0507", "break;", 1, """
fn f(x: int) -> int {
    if x > 3 {
        break;
    }
    return x;
}
"""),
("041_return_value_in_handler", "E0508", "1.0", 1, """
cell Worker {
    metabolism {
        return 1.0;
    }
}
"""),
("042_missing_return", "E0509", "sign", 1, """
fn sign(x: float) -> float {
    if x < 0.0 {
        return -1.0;
    } else if x > 0.0 {
        return 1.0;
    }
}
"""),
("043_no_metabolism", "E0510", "Lazy", 1, """
cell Lazy {
    energy_left: float = 1.0;
}
"""),
("044_two_ecosystems", "E0511", "ecosystem", 2, """
ecosystem {
    world.seed = 1;
}
ecosystem {
    world.seed = 2;
}
"""),
("045_die_in_apoptosis", "E0512", "die;", 1, """
cell Mortal {
    metabolism { }
    on apoptosis {
        die;
    }
}
"""),
("046_field_default_not_const", "E0513", "rand()", 1, """
cell Dice {
    luck: float = rand();
    metabolism { }
}
"""),
("047_bad_gradient_setting", "E0514", "0 }", 1, """
gradient SMOKE { range: 50.0, persist: 0 }
"""),
("048_condition_not_bool", "E0301", "self.done", 1, """
cell Worker {
    done: int = 0;
    metabolism {
        if self.done {
            die;
        }
    }
}
"""),
("049_optional_used_as_value", "E0301", "self.parent", 1, """
signal Hello { n: int }
cell Child {
    metabolism {
        send Hello { n: 1 } to self.parent;
    }
}
"""),
("050_sense_in_free_function", "E0503", "sense FOOD", 1, """
gradient FOOD;
fn strongest() -> int {
    return (sense FOOD).len();
}
"""),
("051_vec_times_int", "E0302", "self.pos * 2", 1, """
cell Runner {
    metabolism {
        move self.pos * 2;
    }
}
"""),
("052_two_metabolisms", "E0510", "metabolism", 2, """
cell Busy {
    metabolism { }
    metabolism { }
}
"""),
("053_return_without_value", "E0508", "return;", 1, """
fn f(x: int) -> int {
    if x > 0 {
        return;
    }
    return x;
}
"""),
("054_differentiate_unknown_field", "E0311", "speed", 1, """
cell Larva {
    metabolism {
        differentiate Adult { speed: 2.0 };
    }
}
cell Adult {
    wings: int = 2;
    metabolism { }
}
"""),
("055_compare_int_float", "E0302", "n == 1.0", 1, """
fn is_one(n: int) -> bool {
    return n == 1.0;
}
"""),
("056_read_world", "E0505", "world.seed", 1, """
fn f() -> int {
    return world.seed;
}
"""),
("057_none_for_non_optional", "E0301", "none", 1, """
cell Worker {
    boss: cell = none;
    metabolism { }
}
"""),
("058_duplicate_handler", "E0211", "on Ping(q)", 1, """
signal Ping { n: int }
cell Pong {
    metabolism { }
    on Ping(p) { print(p.n); }
    on Ping(q) { print(q.n); }
}
"""),
("059_call_cell_kind", "E0203", "Worker", 2, """
cell Worker {
    metabolism { }
}
ecosystem {
    Worker();
}
"""),
("060_unused_local", "W0601", "unused", 1, """
fn f() -> int {
    let unused = 3;
    return 4;
}
"""),
("061_unreachable", "W0602", "print(\"never\");", 1, """
cell Mortal {
    metabolism {
        die;
        print("never");
    }
}
"""),
("062_method_on_other_cell", "E0309", "r.source.help()", 1, """
gradient TASK;
cell Worker {
    metabolism {
        for r in sense TASK {
            r.source.help();
        }
    }
    fn help() { }
}
"""),
("063_sleep_until_not_gradient", "E0206", "n > 0.5", 1, """
cell Sleeper {
    metabolism {
        let n = 3;
        sleep until n > 0.5;
    }
}
"""),
("064_report_int", "E0301", "1;", 1, """
cell Worker {
    metabolism {
        report 1;
    }
}
"""),
("065_coalesce_non_optional", "E0307", "xs.len()", 1, """
fn f(xs: [int]) -> int {
    return xs.len() ?? 0;
}
"""),
("066_syntax_unexpected_character", "E0001", "@", 1, """
fn f() -> int {
    return 1 @ 2;
}
"""),
("067_syntax_unterminated_string", "E0002", "\"hello", 1, """
fn f() {
    print("hello);
}
"""),
("068_syntax_missing_semicolon", "E0010", "\n}", 1, """
fn f() -> int {
    let x = 1
}
"""),
("069_syntax_bad_assignment_target", "E0013", "1 + 2 = 3", 1, """
fn f() {
    1 + 2 = 3;
}
"""),
("070_syntax_unknown_gradient_setting", "E0014", "reach", 1, """
gradient SMOKE { reach: 10.0 }
"""),
("071_syntax_unterminated_comment", "E0004", "/*", 1, """
fn f() { }
/* never closed
"""),
("072_syntax_int_too_large", "E0005", "99999999999999999999", 1, """
const BIG: int = 99999999999999999999;
"""),
("073_expression_without_effect", "W0603", "self.done + 1", 1, """
cell Worker {
    done: int = 0;
    metabolism {
        self.done + 1;
    }
}
"""),
]

def line_col(text, offset):
    before = text[:offset]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    return line, col

def main():
    for name, code, needle, nth, body in CASES:
        body = body.lstrip("\n")
        # The expect line is line 1, so the body starts on line 2.
        header_len = len("// expect: EXXXX at 1:1\n")  # placeholder; recomputed below
        text_body = body
        idx = -1
        for _ in range(nth):
            idx = text_body.find(needle, idx + 1)
            if idx < 0:
                raise SystemExit(f"{name}: occurrence {nth} of {needle!r} not found")
        line, col = line_col(text_body, idx)
        header = f"// expect: {code} at {line + 1}:{col}\n"
        with open(os.path.join(HERE, name + ".myco"), "w") as f:
            f.write(header + text_body)

if __name__ == "__main__":
    main()
