//! Work bounds for operations whose cost depends on a value's *logical*
//! size rather than on what it occupies in memory.
//!
//! Lists are persistent and share structure, so a list of 1,000 copies of a
//! list of 1,000 copies of a 1,000-element list takes a few kilobytes but
//! has 10⁹ elements. Building it is cheap (and metered as such); comparing
//! it with `==`, `contains`, or displaying it with `print`/`str` would walk
//! every element. Those walks are bounded here: at most [`MAX_WALK`] nodes
//! per operation (a runtime error beyond), each charged like an element
//! created, so no single instruction can hang or exhaust the host.

use crate::bytecode::op::MAX_VALUE_LEN;
use crate::value::Value;

/// Most nodes (values, nested ones included, and string bytes for display)
/// one comparison or display may visit.
pub const MAX_WALK: usize = MAX_VALUE_LEN;

/// The walk would visit more than [`MAX_WALK`] nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// `a == b` (the language's equality: structural, IEEE for floats) visiting
/// at most `limit` pairs of nodes. Returns the answer and the pairs visited.
pub fn bounded_eq(a: &Value, b: &Value, limit: usize) -> Result<(bool, usize), TooLarge> {
    let mut visited = 0usize;
    let mut stack: Vec<(&Value, &Value)> = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        visited += 1;
        if visited > limit {
            return Err(TooLarge);
        }
        match (a, b) {
            (Value::List(x), Value::List(y)) => {
                if x.len() != y.len() {
                    return Ok((false, visited));
                }
                // Push in reverse so elements compare front to back.
                stack.extend(x.iter().zip(y.iter()).rev());
            }
            (Value::Record(x), Value::Record(y)) => {
                if x.kind != y.kind || x.fields.len() != y.fields.len() {
                    return Ok((false, visited));
                }
                stack.extend(x.fields.iter().zip(y.fields.iter()).rev());
            }
            (Value::Str(x), Value::Str(y)) => {
                // Bytes compare fast: one node per 16.
                visited += x.len().min(y.len()) / 16;
                if x != y {
                    return Ok((false, visited));
                }
            }
            _ => {
                if a != b {
                    return Ok((false, visited));
                }
            }
        }
    }
    Ok((true, visited))
}

/// True for values whose comparison is O(1) (no walk needed).
pub fn is_flat(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Record(_) | Value::Str(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items.into_iter().collect()))
    }

    #[test]
    fn deep_size_counts_shared_parts_each_time() {
        let a = list((0..10).map(Value::Int).collect());
        let b = list(vec![a.clone(); 10]);
        // b itself + 10 lists + 100 ints.
        assert_eq!(b.deep_size(1000), Some(111));
        assert_eq!(b.deep_size(110), None);
        assert_eq!(Value::Str("abc".into()).deep_size(10), Some(4));
    }

    #[test]
    fn shared_bomb_is_refused_quickly() {
        let a = list((0..1000).map(Value::Int).collect());
        let b = list(vec![a; 1000]);
        let c = list(vec![b; 1000]);
        assert_eq!(c.deep_size(MAX_WALK), None);
        assert_eq!(bounded_eq(&c, &c.clone(), MAX_WALK), Err(TooLarge));
    }

    #[test]
    fn equality_matches_structural_equality() {
        let x = list(vec![Value::Int(1), Value::Float(f64::NAN)]);
        assert_eq!(bounded_eq(&x, &x, 100).map(|r| r.0), Ok(false));
        let y = list(vec![Value::Str("a".into()), Value::Int(2)]);
        let z = list(vec![Value::Str("a".into()), Value::Int(2)]);
        assert_eq!(bounded_eq(&y, &z, 100).map(|r| r.0), Ok(true));
        let w = list(vec![Value::Str("a".into()), Value::Int(3)]);
        assert_eq!(bounded_eq(&y, &w, 100).map(|r| r.0), Ok(false));
        assert_eq!(
            bounded_eq(&Value::Int(1), &Value::Float(1.0), 10).map(|r| r.0),
            Ok(false)
        );
    }
}

/// Instructions between two looks at the interrupt flag (when one is set).
pub const INTERRUPT_CHECK_EVERY: u64 = 10_000;

/// A flag another thread raises to stop the running tick (cheap to clone:
/// every clone is the same flag), and an optional deadline that raises it by
/// itself: running turns look at both every [`INTERRUPT_CHECK_EVERY`]
/// instructions, so a wall-time limit needs no timer thread.
#[derive(Debug, Clone, Default)]
pub struct InterruptHandle {
    flag: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Nanoseconds after [`epoch`] at which the handle counts as raised
    /// (0: no deadline).
    deadline: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// The process-wide origin deadlines are measured from.
fn epoch() -> std::time::Instant {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(std::time::Instant::now)
}

impl InterruptHandle {
    /// A new, lowered flag with no deadline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Raises the flag: running turns stop within
    /// [`INTERRUPT_CHECK_EVERY`] instructions.
    pub fn interrupt(&self) {
        self.flag.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Lowers the flag again (before the next tick); a deadline stays.
    pub fn reset(&self) {
        self.flag.store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// From `after` from now on, the handle counts as raised (a wall-time
    /// limit). Replaces an earlier deadline.
    pub fn set_deadline(&self, after: std::time::Duration) {
        let at = epoch().elapsed().saturating_add(after).as_nanos();
        let at = u64::try_from(at).unwrap_or(u64::MAX).max(1);
        self.deadline.store(at, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the flag was raised by [`InterruptHandle::interrupt`].
    pub fn is_interrupted(&self) -> bool {
        self.flag.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the deadline, if any, has passed.
    pub fn deadline_passed(&self) -> bool {
        match self.deadline.load(std::sync::atomic::Ordering::Relaxed) {
            0 => false,
            at => epoch().elapsed().as_nanos() >= u128::from(at),
        }
    }

    /// Whether the flag is raised or the deadline passed.
    pub fn is_set(&self) -> bool {
        self.is_interrupted() || self.deadline_passed()
    }
}

/// Two handles are equal when they are the same flag.
impl PartialEq for InterruptHandle {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.flag, &other.flag)
    }
}

impl Eq for InterruptHandle {}

/// The limits a host imposes on every run of the interpreter, beyond the
/// instruction budget (see [`crate::interp::Vm::set_limits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmLimits {
    /// Longest string (bytes) or list (elements) a run may build.
    pub max_value_len: usize,
    /// Raised by another thread to stop the running turn: it is looked at
    /// every [`INTERRUPT_CHECK_EVERY`] instructions, and a turn that sees it
    /// raised ends as if out of energy (rolled back).
    pub interrupt: Option<InterruptHandle>,
}

impl Default for VmLimits {
    fn default() -> Self {
        VmLimits {
            max_value_len: MAX_VALUE_LEN,
            interrupt: None,
        }
    }
}

impl VmLimits {
    /// Fuel between two looks at the interrupt flag (`i64::MAX`: never).
    pub(crate) fn slice(&self) -> i64 {
        if self.interrupt.is_some() {
            INTERRUPT_CHECK_EVERY as i64 * crate::bytecode::op::BASIC_COST
        } else {
            i64::MAX
        }
    }

    /// Whether the interrupt flag is raised.
    pub(crate) fn interrupted(&self) -> bool {
        self.interrupt.as_ref().is_some_and(InterruptHandle::is_set)
    }
}
