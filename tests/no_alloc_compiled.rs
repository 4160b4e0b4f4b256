//! Compiled Myco code allocates nothing per executed instruction: a turn
//! that runs 100 times more loop iterations (arithmetic on ints and floats,
//! locals, field reads and writes, jumps, calls) makes exactly as many heap
//! allocations as a short one. (`vm/tests/no_alloc.rs` checks the same on
//! hand-built bytecode.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use myco::{RunOptions, Simulation};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// Every thread counts while this is on: turns run on the runtime's worker
// pool. This file has one test, so nothing else runs meanwhile.
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A cell whose metabolism runs `iterations` rounds of plain work each tick.
fn program(iterations: u32) -> String {
    format!(
        "fn step(a: int, b: int) -> int {{ return (a * 31 + b) % 1000003; }}
         cell Main {{
             acc: int = 0;
             x: float = 0.5;
             metabolism {{
                 let mut s = self.acc;
                 let mut f = self.x;
                 for i in 0..{iterations} {{
                     s = step(s, i);
                     if s % 2 == 0 {{ f = f * 0.5 + 1.0; }} else {{ f -= 0.25; }}
                     self.acc = s;
                 }}
                 self.x = f;
             }}
         }}
         ecosystem {{ world.grace = 1000000000; spawn Main {{ energy: 1000000000000.0 }} at (0.0, 0.0); }}"
    )
}

/// Allocations made by the third tick (the first two warm the VM up).
fn allocations_of_a_warm_tick(iterations: u32) -> usize {
    let compiled = match myco::compile(&program(iterations)) {
        Ok(c) => c,
        Err(e) => panic!("does not compile:\n{e}"),
    };
    let options = RunOptions {
        threads: 1,
        max_instructions_per_turn: 100_000_000,
        ..RunOptions::default()
    };
    let Ok(mut sim) = Simulation::new(&compiled, &options) else {
        panic!("does not instantiate")
    };
    sim.tick();
    sim.tick();
    let instructions = sim.world().counters().instructions;
    COUNTING.store(true, Ordering::SeqCst);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let report = sim.tick();
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.store(false, Ordering::SeqCst);
    drop(report);
    assert_eq!(sim.world().len(), 1, "the cell must live through its turns");
    let ran = sim.world().counters().instructions - instructions;
    assert!(
        ran >= u64::from(iterations) * 5,
        "the loop must have run: {ran} instructions"
    );
    after - before
}

#[test]
fn allocations_do_not_grow_with_instructions() {
    let short = allocations_of_a_warm_tick(1_000);
    let long = allocations_of_a_warm_tick(100_000);
    assert_eq!(
        short, long,
        "a tick running 100x the instructions made {long} allocations instead of {short}"
    );
}
