//! Myco's standard library: `std::` modules written in Myco.

/// The Myco source of the standard module `std::NAME`, or `None` if there is
/// no such module.
pub fn module_source(name: &str) -> Option<&'static str> {
    match name {
        "math" => Some(MATH),
        _ => None,
    }
}

/// `std::math`: small numeric helpers written in Myco.
const MATH: &str = r#"/// The constant pi.
const PI: float = 3.141592653589793;

/// `x` squared.
fn sq(x: float) -> float {
    return x * x;
}

/// Linear interpolation between `a` and `b` (`t` in [0, 1]).
fn lerp(a: float, b: float, t: float) -> float {
    return a + (b - a) * t;
}

/// The sign of `x`: -1.0, 0.0 or 1.0.
fn sign(x: float) -> float {
    if x > 0.0 { return 1.0; }
    if x < 0.0 { return -1.0; }
    return 0.0;
}
"#;
