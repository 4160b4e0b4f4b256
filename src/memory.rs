//! Bounding the memory a run holds: a counting global allocator and a
//! watcher that raises the interrupt when the count passes a limit.
//!
//! Energy meters what a turn *builds*, and the value size limit bounds one
//! value, but a program that gives its cells huge energies can still keep a
//! near-limit list in a field of each of a million cells. A host running
//! untrusted programs bounds the product with a memory limit: the `myco`
//! binary installs [`CountingAlloc`] and `myco run --max-memory MB` starts a
//! [`MemoryWatch`]. Like the time limit, the limit is a guard of the host,
//! not part of the program's semantics: where exactly a run stops depends on
//! the allocator, so the stopped tick is discarded and the run ends with its
//! own exit status.
//!
//! An embedding host does the same: put
//! `#[global_allocator] static A: myco::memory::CountingAlloc = myco::memory::CountingAlloc;`
//! in its binary and call [`MemoryWatch::start`] with the interrupt handle it
//! passes in [`crate::RunOptions::interrupt`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use crate::InterruptHandle;

/// Bytes allocated and not yet freed, as flushed by the threads.
static LIVE: AtomicI64 = AtomicI64::new(0);
/// Whether [`CountingAlloc`] is the global allocator (it sets this on first use).
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// A thread's changes are added up locally and flushed to [`LIVE`] when they
/// reach this many bytes, so the hot paths of parallel turns never contend
/// on one counter. The count is off by at most this much per thread.
const FLUSH_BYTES: i64 = 256 << 10;

thread_local! {
    // `const` and without a destructor: using it never allocates.
    static PENDING: Cell<i64> = const { Cell::new(0) };
}

fn note(delta: i64) {
    let flushed = PENDING.try_with(|pending| {
        let sum = pending.get() + delta;
        if sum.abs() >= FLUSH_BYTES {
            LIVE.fetch_add(sum, Ordering::Relaxed);
            pending.set(0);
        } else {
            pending.set(sum);
        }
    });
    if flushed.is_err() {
        // The thread is being torn down: count directly.
        LIVE.fetch_add(delta, Ordering::Relaxed);
    }
}

/// The system allocator, counting the bytes it hands out.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAlloc;

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counting only reads sizes.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note(layout.size() as i64);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            note(layout.size() as i64);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        note(-(layout.size() as i64));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            note(new_size as i64 - layout.size() as i64);
        }
        p
    }
}

impl CountingAlloc {
    /// Marks the allocator as installed (the binary calls this at start, so
    /// a watch can tell a real count from a zero).
    pub fn mark_installed() {
        INSTALLED.store(true, Ordering::Relaxed);
    }
}

/// Bytes allocated and not freed, if [`CountingAlloc`] is the global
/// allocator (within 256 KiB per thread).
pub fn allocated_bytes() -> Option<u64> {
    INSTALLED
        .load(Ordering::Relaxed)
        .then(|| LIVE.load(Ordering::Relaxed).max(0) as u64)
}

/// A thread that raises an interrupt once the allocated bytes pass a limit.
#[derive(Debug, Clone)]
pub struct MemoryWatch {
    tripped: Arc<AtomicBool>,
}

/// How often the watch looks at the count.
const POLL: Duration = Duration::from_millis(5);

impl MemoryWatch {
    /// Starts watching: past `limit` bytes, `interrupt` is raised (every
    /// running turn stops within a few thousand instructions) and
    /// [`MemoryWatch::tripped`] turns true. `None` if [`CountingAlloc`] is
    /// not installed (nothing could be watched).
    pub fn start(limit: u64, interrupt: InterruptHandle) -> Option<MemoryWatch> {
        allocated_bytes()?;
        let tripped = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&tripped);
        std::thread::Builder::new()
            .name("myco-memory-watch".into())
            .spawn(move || {
                // Detached: it only polls, and the process may end first.
                loop {
                    if allocated_bytes().is_some_and(|n| n > limit) {
                        flag.store(true, Ordering::SeqCst);
                        interrupt.interrupt();
                        return;
                    }
                    std::thread::sleep(POLL);
                }
            })
            .ok()?;
        Some(MemoryWatch { tripped })
    }

    /// Whether the limit was passed.
    pub fn tripped(&self) -> bool {
        self.tripped.load(Ordering::SeqCst)
    }
}
