//! Ctrl-C handling: a long `:tick` stops cleanly between ticks; at the
//! prompt rustyline reads Ctrl-C as a key (the terminal is in raw mode), so
//! the handler only matters while the session is busy.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Flags shared with the signal handler.
#[derive(Debug, Default)]
struct Flags {
    /// A `:tick` loop is running and polls `requested`.
    ticking: AtomicBool,
    /// Ctrl-C arrived while ticking.
    requested: AtomicBool,
    /// Outside a tick loop, Ctrl-C ends the process (piped sessions, which
    /// otherwise could not be stopped while waiting for input).
    exit_when_idle: AtomicBool,
}

/// Exit status after Ctrl-C (128 + SIGINT), as shells expect.
pub const EXIT_INTERRUPTED: i32 = 130;

/// The session's view of Ctrl-C.
#[derive(Debug, Clone)]
pub struct Interrupt {
    flags: Arc<Flags>,
}

impl Interrupt {
    /// Installs the process's Ctrl-C handler. `exit_when_idle`: Ctrl-C
    /// outside a `:tick` ends the process with status 130 (for piped input);
    /// otherwise it is ignored there. If no handler can be installed, Ctrl-C
    /// keeps its default effect.
    pub fn install(exit_when_idle: bool) -> Interrupt {
        let flags = Arc::new(Flags::default());
        flags.exit_when_idle.store(exit_when_idle, Ordering::SeqCst);
        let shared = flags.clone();
        let _ = ctrlc::set_handler(move || {
            if shared.ticking.load(Ordering::SeqCst) {
                shared.requested.store(true, Ordering::SeqCst);
            } else if shared.exit_when_idle.load(Ordering::SeqCst) {
                std::process::exit(EXIT_INTERRUPTED);
            }
        });
        Interrupt { flags }
    }

    /// A tick loop starts: forget any earlier request.
    pub fn begin_ticking(&self) {
        self.flags.requested.store(false, Ordering::SeqCst);
        self.flags.ticking.store(true, Ordering::SeqCst);
    }

    /// Whether Ctrl-C was pressed since [`Interrupt::begin_ticking`].
    pub fn requested(&self) -> bool {
        self.flags.requested.load(Ordering::SeqCst)
    }

    /// The tick loop is over.
    pub fn end_ticking(&self) {
        self.flags.ticking.store(false, Ordering::SeqCst);
        self.flags.requested.store(false, Ordering::SeqCst);
    }
}
