//! What stops a `myco run` early: Ctrl-C and `--time-limit`. Both raise one
//! interrupt flag that the interpreter looks at every few thousand
//! instructions, so even a tick of long turns stops promptly; the
//! interrupted tick is then discarded (the world goes back to the snapshot
//! taken before it), so the output and the dump end at a complete tick.

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
}

/// Exit status when `--time-limit` stopped the run.
pub const EXIT_TIME_LIMIT: u8 = 3;

/// The flags Ctrl-C and the time limit raise.
pub struct Guard {
    /// Raised by either; handed to the interpreter (`RunOptions::interrupt`).
    pub stop: InterruptHandle,
    ctrl_c: Arc<AtomicBool>,
    timed_out: Arc<AtomicBool>,
}

impl Guard {
    /// Installs the Ctrl-C handler and, with a limit, a timer thread.
    pub fn install(time_limit: Option<Duration>) -> Guard {
        let guard = Guard {
            stop: InterruptHandle::new(),
            ctrl_c: Arc::new(AtomicBool::new(false)),
            timed_out: Arc::new(AtomicBool::new(false)),
        };
        {
            let (stop, flag) = (guard.stop.clone(), guard.ctrl_c.clone());
            // If a handler cannot be installed, Ctrl-C just ends the process as usual.
            let _ = ctrlc::set_handler(move || {
                flag.store(true, Ordering::SeqCst);
                stop.interrupt();
            });
        }
        if let Some(limit) = time_limit {
            let (stop, flag) = (guard.stop.clone(), guard.timed_out.clone());
            // Detached: it only sleeps, and the process may end before it wakes.
            std::thread::spawn(move || {
                std::thread::sleep(limit);
                flag.store(true, Ordering::SeqCst);
                stop.interrupt();
            });
        }
        guard
    }

    /// Why to stop, if a flag is up (Ctrl-C wins).
    pub fn reason(&self) -> Option<StopReason> {
        if self.ctrl_c.load(Ordering::SeqCst) {
            Some(StopReason::Interrupted)
        } else if self.timed_out.load(Ordering::SeqCst) {
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
