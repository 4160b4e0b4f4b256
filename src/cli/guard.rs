//! What stops a `myco run` early: Ctrl-C, `--time-limit` and `--max-memory`.
//! All raise one interrupt flag that the interpreter looks at every few
//! thousand instructions, so even a tick of long turns stops promptly; a
//! tick whose turns saw it is abandoned before anything is applied
//! (`World::tick_unless`), so the output and the dump end at a complete tick.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use myco::InterruptHandle;

/// Why the run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Ctrl-C (exit 130).
    Interrupted,
    /// `--time-limit` ran out (exit [`EXIT_TIME_LIMIT`]).
    TimeLimit,
    /// `--max-memory` was passed (exit [`EXIT_MEMORY_LIMIT`]).
    MemoryLimit,
}

/// Exit status when `--time-limit` stopped the run.
pub const EXIT_TIME_LIMIT: u8 = 3;

/// Exit status when `--max-memory` stopped the run.
pub const EXIT_MEMORY_LIMIT: u8 = 4;

/// What Ctrl-C, the time limit and the memory watch raise.
pub struct Guard {
    /// Raised by Ctrl-C or the memory watch, and counting as raised once
    /// its deadline (the time limit) passes; handed to the interpreter
    /// (`RunOptions::interrupt`).
    pub stop: InterruptHandle,
    ctrl_c: Arc<AtomicBool>,
    memory: Option<myco::memory::MemoryWatch>,
}

impl Guard {
    /// Installs the Ctrl-C handler, the time limit as the handle's deadline
    /// (looked at where the interrupt flag is: no timer thread), and a
    /// memory watch (`max_memory` in bytes).
    pub fn install(time_limit: Option<Duration>, max_memory: Option<u64>) -> Guard {
        let stop = InterruptHandle::new();
        if let Some(limit) = time_limit {
            stop.set_deadline(limit);
        }
        let memory =
            max_memory.and_then(|limit| myco::memory::MemoryWatch::start(limit, stop.clone()));
        let guard = Guard {
            stop,
            ctrl_c: Arc::new(AtomicBool::new(false)),
            memory,
        };
        {
            let (stop, flag) = (guard.stop.clone(), guard.ctrl_c.clone());
            // If a handler cannot be installed, Ctrl-C just ends the process as usual.
            let _ = ctrlc::set_handler(move || {
                flag.store(true, Ordering::SeqCst);
                stop.interrupt();
            });
        }
        guard
    }

    /// Why to stop, if a flag is up (Ctrl-C wins, then memory, then time).
    pub fn reason(&self) -> Option<StopReason> {
        if self.ctrl_c.load(Ordering::SeqCst) {
            Some(StopReason::Interrupted)
        } else if self.memory.as_ref().is_some_and(|m| m.tripped()) {
            Some(StopReason::MemoryLimit)
        } else if self.stop.deadline_passed() {
            Some(StopReason::TimeLimit)
        } else {
            None
        }
    }
}

/// Parses `--time-limit SECONDS` (a positive, finite number of seconds).
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= 1e9) {
        return Err(format!(
            "`{text}`: the time limit must be a positive number of seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Parses `--max-memory MB` (mebibytes, at least 16) into bytes.
pub fn parse_megabytes(text: &str) -> Result<u64, String> {
    let mb: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of megabytes"))?;
    if !(16..=(1 << 24)).contains(&mb) {
        return Err(format!(
            "`{text}`: the memory limit must be between 16 and 16777216 megabytes"
        ));
    }
    Ok(mb << 20)
}
