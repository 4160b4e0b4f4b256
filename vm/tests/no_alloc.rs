//! The interpreter allocates nothing per executed instruction: after a
//! warm-up run, arithmetic, locals, fields, jumps and calls run with zero
//! heap allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use myco_vm::bytecode::{Chunk, Op, SourceLoc};
use myco_vm::interp::{Exit, RunInput, StandaloneHost, Vm};
use myco_vm::program::Program;
use myco_vm::value::Value;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LAST_SIZE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Only the measuring thread counts (the test harness allocates on its own threads).
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count(size: usize) {
    if COUNTING.with(|c| c.get()) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LAST_SIZE.store(size, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn chunk(name: &str, params: u16, registers: u16, code: &[Op]) -> Chunk {
    let mut c = Chunk::new(name, params);
    for op in code {
        c.push(*op, SourceLoc::default());
    }
    c.registers = registers;
    c
}

/// Function 0: main(n): for i in 0..n { self.f0 = self.f0 + fib(i % 15) * 2.0-ish int math }.
/// Function 1: fib(n).
fn program() -> Program {
    let main = chunk(
        "main",
        1,
        6,
        &[
            Op::LoadInt { dst: 1, value: 0 }, // counter
            Op::Move { dst: 2, src: 0 },      // end
            Op::JumpIfNotLtInt {
                a: 1,
                b: 2,
                target: 11,
            },
            Op::LoadInt { dst: 3, value: 15 },
            Op::ModInt { dst: 4, a: 1, b: 3 },
            Op::Call {
                dst: 4,
                func: 1,
                args: 4,
            },
            Op::GetField { dst: 5, field: 0 },
            Op::AddInt { dst: 5, a: 5, b: 4 },
            Op::SetField { field: 0, src: 5 },
            Op::ForRange {
                counter: 1,
                end: 2,
                target: 3,
            },
            Op::Jump { target: 11 },
            Op::ReturnNone,
        ],
    );
    let fib = chunk(
        "fib",
        1,
        5,
        &[
            Op::LoadInt { dst: 1, value: 2 },
            Op::JumpIfNotLtInt {
                a: 0,
                b: 1,
                target: 3,
            },
            Op::Return { src: 0 },
            Op::AddIntImm {
                dst: 2,
                a: 0,
                imm: -1,
            },
            Op::Call {
                dst: 3,
                func: 1,
                args: 2,
            },
            Op::AddIntImm {
                dst: 4,
                a: 0,
                imm: -2,
            },
            Op::Call {
                dst: 4,
                func: 1,
                args: 4,
            },
            Op::AddInt { dst: 0, a: 3, b: 4 },
            Op::Return { src: 0 },
        ],
    );
    let p = Program {
        functions: vec![main, fib],
        ..Program::default()
    };
    p.validate().expect("valid");
    p
}

#[test]
fn hot_paths_do_not_allocate() {
    let p = program();
    let mut vm = Vm::new();
    let mut host = StandaloneHost::new(1e12);
    let mut fields = vec![Value::Int(0)];
    let mut turn = |vm: &mut Vm, fields: &mut Vec<Value>, n: i64| {
        vm.begin_turn(u64::MAX);
        vm.run(
            RunInput {
                program: &p,
                function: 0,
                args: &[Value::Int(n)],
                sender: Value::None,
            },
            fields,
            &mut host,
        )
    };
    // Warm-up: grows the register file and frame stack once.
    assert_eq!(turn(&mut vm, &mut fields, 30), Exit::Returned(Value::None));
    COUNTING.with(|c| c.set(true));
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let exit = turn(&mut vm, &mut fields, 300);
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(false));
    assert_eq!(exit, Exit::Returned(Value::None));
    assert_eq!(
        after - before,
        0,
        "allocations during a warm run (last size {})",
        LAST_SIZE.load(Ordering::Relaxed)
    );
    // sum of fib(i % 15) for i in 0..30 then 0..300: 2 + 20 full cycles of
    // sum(fib(0..15)) = fib(16) - 1 = 986.
    assert_eq!(fields[0], Value::Int(22 * 986));
}
