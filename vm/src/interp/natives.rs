//! Built-in functions and methods (LANGUAGE.md §4, §5b).

use super::host::{Host, HostError};
use crate::bytecode::Native;
use crate::bytecode::op::{FUEL_PER_LIST_ELEMENT, FUEL_PER_STR_BYTE, MAX_VALUE_LEN};
use crate::program::Program;
use crate::value::{Value, Vec2};

fn fault<T>(message: impl Into<String>) -> Result<T, HostError> {
    Err(HostError::Fault(message.into()))
}

fn int(v: &Value) -> Result<i64, HostError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => fault(format!("internal error: expected an int, found {other:?}")),
    }
}

fn float(v: &Value) -> Result<f64, HostError> {
    match v {
        Value::Float(x) => Ok(*x),
        other => fault(format!("internal error: expected a float, found {other:?}")),
    }
}

fn vector(v: &Value) -> Result<Vec2, HostError> {
    match v {
        Value::Vec(x) => Ok(*x),
        other => fault(format!("internal error: expected a vec, found {other:?}")),
    }
}

fn list(v: &Value) -> Result<&imbl::Vector<Value>, HostError> {
    match v {
        Value::List(items) => Ok(items),
        other => fault(format!("internal error: expected a list, found {other:?}")),
    }
}

fn arg(args: &[Value], i: usize) -> Result<&Value, HostError> {
    match args.get(i) {
        Some(v) => Ok(v),
        None => fault("internal error: missing native argument"),
    }
}

/// Whether `value`'s display stays under [`MAX_VALUE_LEN`] bytes, judged
/// before building it: a list holding many copies of a big list is cheap to
/// make (they are shared) but its text is not. Walks at most about
/// `MAX_VALUE_LEN` elements.
pub fn fits_display(value: &Value) -> bool {
    fn walk(v: &Value, budget: &mut usize) -> bool {
        // At least a byte or two per element shown.
        let cost = match v {
            Value::Str(s) => s.len() + 2,
            Value::Reading(_) => 100,
            _ => 2,
        };
        if *budget < cost {
            return false;
        }
        *budget -= cost;
        match v {
            Value::List(items) => items.iter().all(|x| walk(x, budget)),
            Value::Record(r) => r.fields.iter().all(|x| walk(x, budget)),
            _ => true,
        }
    }
    let mut budget = MAX_VALUE_LEN;
    walk(value, &mut budget)
}

/// Calls `native` on `args`; returns its value and the extra fuel it costs
/// (memory metering for what it builds).
pub fn call_native<H: Host>(
    native: Native,
    args: &[Value],
    program: &Program,
    host: &mut H,
) -> Result<(Value, i64), HostError> {
    use Native::*;
    let a = || arg(args, 0);
    let b = || arg(args, 1);
    let c = || arg(args, 2);
    let v = match native {
        AbsInt => match int(a()?)?.checked_abs() {
            Some(v) => Value::Int(v),
            None => return fault("integer overflow in `abs`"),
        },
        AbsFloat => Value::Float(float(a()?)?.abs()),
        MinInt => Value::Int(int(a()?)?.min(int(b()?)?)),
        MaxInt => Value::Int(int(a()?)?.max(int(b()?)?)),
        MinFloat => Value::Float(float(a()?)?.min(float(b()?)?)),
        MaxFloat => Value::Float(float(a()?)?.max(float(b()?)?)),
        ClampInt => {
            let (x, lo, hi) = (int(a()?)?, int(b()?)?, int(c()?)?);
            if lo > hi {
                return fault(format!("clamp: lower bound {lo} is above upper bound {hi}"));
            }
            Value::Int(x.clamp(lo, hi))
        }
        ClampFloat => {
            let (x, lo, hi) = (float(a()?)?, float(b()?)?, float(c()?)?);
            // `f64::clamp` panics on lo > hi or NaN bounds: spell it out.
            if lo > hi || lo.is_nan() || hi.is_nan() {
                return fault(format!("clamp: invalid bounds {lo:?} and {hi:?}"));
            }
            Value::Float(if x < lo {
                lo
            } else if x > hi {
                hi
            } else {
                x
            })
        }
        Sqrt => Value::Float(float(a()?)?.sqrt()),
        Floor => Value::Float(float(a()?)?.floor()),
        Ceil => Value::Float(float(a()?)?.ceil()),
        Round => Value::Float(float(a()?)?.round()),
        Pow => Value::Float(float(a()?)?.powf(float(b()?)?)),
        PowInt => {
            let (x, e) = (int(a()?)?, int(b()?)?);
            let Ok(e) = u32::try_from(e) else {
                return fault(format!("pow: negative or too large exponent {e}"));
            };
            match x.checked_pow(e) {
                Some(v) => Value::Int(v),
                None => return fault("integer overflow in `pow`"),
            }
        }
        Sin => Value::Float(float(a()?)?.sin()),
        Cos => Value::Float(float(a()?)?.cos()),
        Atan2 => Value::Float(float(a()?)?.atan2(float(b()?)?)),
        Rand => Value::Float(host.rand_float()?),
        RandInt => {
            let (lo, hi) = (int(a()?)?, int(b()?)?);
            if lo >= hi {
                return fault(format!("rand_int: empty range {lo}..{hi}"));
            }
            Value::Int(host.rand_int(lo, hi)?)
        }
        RandVec => Value::Vec(host.rand_vec(float(a()?)?)?),
        IntOfFloat => {
            let x = float(a()?)?;
            // i64::MAX as f64 rounds up to 2^63, which is out of range.
            if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
                return fault(format!("int(): {x:?} is out of the int range"));
            }
            Value::Int(x.trunc() as i64)
        }
        FloatOfInt => Value::Float(int(a()?)? as f64),
        ToStr => {
            if !fits_display(a()?) {
                return fault(format!(
                    "str(): the value is too large to show (the limit is {MAX_VALUE_LEN} bytes)"
                ));
            }
            let mut s = String::new();
            a()?.display(program, false, &mut s);
            if s.len() > MAX_VALUE_LEN {
                return fault(format!(
                    "string too long (the limit is {MAX_VALUE_LEN} bytes)"
                ));
            }
            let extra = s.len() as i64 * FUEL_PER_STR_BYTE;
            return Ok((Value::Str(s.into()), extra));
        }
        ListLen => Value::Int(list(a()?)?.len() as i64),
        ListIsEmpty => Value::Bool(list(a()?)?.is_empty()),
        ListFirst => list(a()?)?.front().cloned().unwrap_or_default(),
        ListLast => list(a()?)?.back().cloned().unwrap_or_default(),
        ListGet => {
            let items = list(a()?)?;
            let i = int(b()?)?;
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .unwrap_or_default()
        }
        ListContains => {
            let items = list(a()?)?;
            let x = b()?;
            if super::limits::is_flat(x) {
                let extra = items.len() as i64 * (FUEL_PER_LIST_ELEMENT / 10);
                return Ok((Value::Bool(items.iter().any(|v| v == x)), extra));
            }
            // Nested values compare by walking them: bounded over the whole call.
            let mut left = super::limits::MAX_WALK;
            for item in items.iter() {
                match super::limits::bounded_eq(item, x, left) {
                    Ok((true, _)) => {
                        let visited = super::limits::MAX_WALK - left;
                        return Ok((Value::Bool(true), visited as i64 * FUEL_PER_LIST_ELEMENT));
                    }
                    Ok((false, visited)) => left -= visited,
                    Err(_) => {
                        return fault(format!(
                            "values too large to compare (over {} elements)",
                            super::limits::MAX_WALK
                        ));
                    }
                }
            }
            let visited = super::limits::MAX_WALK - left;
            return Ok((Value::Bool(false), visited as i64 * FUEL_PER_LIST_ELEMENT));
        }
        VecLen => Value::Float(vector(a()?)?.len()),
        VecDist => Value::Float(vector(a()?)?.dist(vector(b()?)?)),
        VecNorm => {
            let v = vector(a()?)?;
            let len = v.len();
            if len == 0.0 || len.is_nan() {
                Value::vec(0.0, 0.0)
            } else {
                Value::vec(v.x / len, v.y / len)
            }
        }
        StrLen => match a()? {
            Value::Str(s) => Value::Int(s.len() as i64),
            other => return fault(format!("internal error: expected a str, found {other:?}")),
        },
    };
    Ok((v, 0))
}
