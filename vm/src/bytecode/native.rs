//! Built-in functions and methods called through `CallNative`.
//!
//! Methods take their receiver as the first argument. The checker has
//! already resolved each call to one typed variant (e.g. `abs` on an `int`
//! is [`Native::AbsInt`]), so the interpreter never dispatches on types.

/// A built-in function or method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Native {
    /// `abs(int) -> int` (overflow is a runtime error)
    AbsInt,
    /// `abs(float) -> float`
    AbsFloat,
    /// `min(int, int) -> int`
    MinInt,
    /// `min(float, float) -> float`
    MinFloat,
    /// `max(int, int) -> int`
    MaxInt,
    /// `max(float, float) -> float`
    MaxFloat,
    /// `clamp(int, lo, hi) -> int`
    ClampInt,
    /// `clamp(float, lo, hi) -> float`
    ClampFloat,
    /// `sqrt(float) -> float`
    Sqrt,
    /// `floor(float) -> float`
    Floor,
    /// `ceil(float) -> float`
    Ceil,
    /// `round(float) -> float` (half away from zero)
    Round,
    /// `pow(float, float) -> float`
    Pow,
    /// `pow(int, int) -> int` (negative exponent or overflow is a runtime error)
    PowInt,
    /// `sin(float) -> float`
    Sin,
    /// `cos(float) -> float`
    Cos,
    /// `atan2(y: float, x: float) -> float`
    Atan2,
    /// `rand() -> float` in [0, 1)
    Rand,
    /// `rand_int(lo, hi) -> int` with lo <= n < hi
    RandInt,
    /// `rand_vec(r) -> vec` uniform in a disc of radius r
    RandVec,
    /// `int(float) -> int` (truncates; NaN or out of range is a runtime error)
    IntOfFloat,
    /// `float(int) -> float`
    FloatOfInt,
    /// `str(x) -> str` (as `print` shows x)
    ToStr,
    /// `list.len() -> int`
    ListLen,
    /// `list.is_empty() -> bool`
    ListIsEmpty,
    /// `list.first() -> T?`
    ListFirst,
    /// `list.last() -> T?`
    ListLast,
    /// `list.get(i) -> T?`
    ListGet,
    /// `list.contains(x) -> bool`
    ListContains,
    /// `vec.len() -> float`
    VecLen,
    /// `vec.dist(v) -> float`
    VecDist,
    /// `vec.norm() -> vec`
    VecNorm,
    /// `str.len() -> int` (bytes)
    StrLen,
}

impl Native {
    /// How many arguments (receiver included) it takes.
    pub fn arity(self) -> usize {
        use Native::*;
        match self {
            Rand => 0,
            AbsInt | AbsFloat | Sqrt | Floor | Ceil | Round | Sin | Cos | RandVec | IntOfFloat
            | FloatOfInt | ToStr | ListLen | ListIsEmpty | ListFirst | ListLast | VecLen
            | VecNorm | StrLen => 1,
            MinInt | MinFloat | MaxInt | MaxFloat | Pow | PowInt | Atan2 | RandInt | ListGet
            | ListContains | VecDist => 2,
            ClampInt | ClampFloat => 3,
        }
    }

    /// Whether it draws on the host (randomness), so fuel must be synced first.
    pub fn uses_host(self) -> bool {
        matches!(self, Native::Rand | Native::RandInt | Native::RandVec)
    }

    /// Its surface name.
    pub fn name(self) -> &'static str {
        use Native::*;
        match self {
            AbsInt | AbsFloat => "abs",
            MinInt | MinFloat => "min",
            MaxInt | MaxFloat => "max",
            ClampInt | ClampFloat => "clamp",
            Sqrt => "sqrt",
            Floor => "floor",
            Ceil => "ceil",
            Round => "round",
            Pow | PowInt => "pow",
            Sin => "sin",
            Cos => "cos",
            Atan2 => "atan2",
            Rand => "rand",
            RandInt => "rand_int",
            RandVec => "rand_vec",
            IntOfFloat => "int",
            FloatOfInt => "float",
            ToStr => "str",
            ListLen | StrLen => "len",
            ListIsEmpty => "is_empty",
            ListFirst => "first",
            ListLast => "last",
            ListGet => "get",
            ListContains => "contains",
            VecLen => "len",
            VecDist => "dist",
            VecNorm => "norm",
        }
    }
}
