//! Runtime values: what fields, locals, signal payloads and host functions hold.
//!
//! `Value` is 24 bytes: a vec is stored inline so vector arithmetic never
//! allocates; everything bigger lives behind an `Arc` (lists are persistent
//! `imbl` vectors, so copying a list, as assigning or sending does, is O(1)).

use std::fmt;
use std::sync::Arc;

/// A cell's id: 1, 2, 3, ... in spawn order. Never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CellId(pub u64);

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A declared gradient kind, by index into the world's gradient table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct GradientId(pub u32);

/// A declared signal kind, by index into the program's signal table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct SignalKindId(pub u32);

/// A declared membrane, by index into the world's membrane table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct MembraneId(pub u32);

/// A 2-D float vector (`vec` in Myco).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Vec2 {
    /// x
    pub x: f64,
    /// y
    pub y: f64,
}

impl Vec2 {
    /// `(x, y)`.
    pub const fn new(x: f64, y: f64) -> Self {
        Vec2 { x, y }
    }
    /// Euclidean distance to `other`.
    pub fn dist(self, other: Vec2) -> f64 {
        (self - other).len()
    }
    /// Length: `sqrt(x² + y²)`, falling back to `hypot` (slower, but immune
    /// to overflow and underflow) only when the squares leave the normal range.
    pub fn len(self) -> f64 {
        let squares = self.x * self.x + self.y * self.y;
        if squares.is_finite() && squares > 1e-290 {
            squares.sqrt()
        } else {
            self.x.hypot(self.y)
        }
    }
}

// Vec arithmetic, component-wise: the one place the interpreter's general
// loop, its fast path and the runtime compute it.
impl std::ops::Add for Vec2 {
    type Output = Vec2;
    fn add(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x + o.x, self.y + o.y)
    }
}

impl std::ops::Sub for Vec2 {
    type Output = Vec2;
    fn sub(self, o: Vec2) -> Vec2 {
        Vec2::new(self.x - o.x, self.y - o.y)
    }
}

impl std::ops::Mul<f64> for Vec2 {
    type Output = Vec2;
    fn mul(self, k: f64) -> Vec2 {
        Vec2::new(self.x * k, self.y * k)
    }
}

impl std::ops::Div<f64> for Vec2 {
    type Output = Vec2;
    fn div(self, k: f64) -> Vec2 {
        Vec2::new(self.x / k, self.y / k)
    }
}

impl std::ops::Neg for Vec2 {
    type Output = Vec2;
    fn neg(self) -> Vec2 {
        Vec2::new(-self.x, -self.y)
    }
}

/// A gradient reading (`reading` in Myco): one emitting cell as sensed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// The emitter.
    pub source: CellId,
    /// Summed attenuated strength of its live emissions of this kind.
    pub strength: f64,
    /// Distance to its latest emission of this kind.
    pub distance: f64,
    /// Position of its latest emission of this kind.
    pub pos: Vec2,
    /// Sensed through a bond (full strength).
    pub bonded: bool,
}

/// A signal record: its kind and its fields in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Which signal.
    pub kind: SignalKindId,
    /// Field values, in declaration order.
    pub fields: Box<[Value]>,
}

/// A Myco value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `none` (and the value of statements).
    #[default]
    None,
    /// `int`.
    Int(i64),
    /// `float`.
    Float(f64),
    /// `bool`.
    Bool(bool),
    /// `str`.
    Str(Arc<str>),
    /// `vec`, inline.
    Vec(Vec2),
    /// `cell`.
    Cell(CellId),
    /// `gradient`.
    Gradient(GradientId),
    /// `[T]`.
    List(Arc<imbl::Vector<Value>>),
    /// A signal record.
    Record(Arc<Record>),
    /// `reading`.
    Reading(Arc<Reading>),
}

/// Names a value's display needs: gradient and signal names.
pub trait Names {
    /// A gradient's declared name.
    fn gradient_name(&self, id: GradientId) -> &str;
    /// A signal's declared name.
    fn signal_name(&self, id: SignalKindId) -> &str;
    /// A signal's field names in declaration order.
    fn signal_fields(&self, id: SignalKindId) -> &[String];
}

/// Formats a float as LANGUAGE.md §5 "Display" says: Rust's `{:?}` for `f64`.
pub fn format_float(x: f64) -> String {
    format!("{x:?}")
}

impl Value {
    /// A vec value.
    pub fn vec(x: f64, y: f64) -> Value {
        Value::Vec(Vec2::new(x, y))
    }

    /// The `int`, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The `float`, if this is one.
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }

    /// The `bool`, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text, if this is a `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The cell id, if this is a `cell`.
    pub fn as_cell(&self) -> Option<CellId> {
        match self {
            Value::Cell(c) => Some(*c),
            _ => None,
        }
    }

    /// The vector, if this is a `vec`.
    pub fn as_vec(&self) -> Option<Vec2> {
        match self {
            Value::Vec(v) => Some(*v),
            _ => None,
        }
    }

    /// The elements, if this is a list.
    pub fn as_list(&self) -> Option<&imbl::Vector<Value>> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// Writes the value as `print` shows it. `nested` quotes strings (inside
    /// lists and records).
    pub fn display(&self, names: &dyn Names, nested: bool, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::None => out.push_str("none"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(x) => {
                let _ = write!(out, "{x:?}");
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Str(s) => {
                if nested {
                    let _ = write!(out, "{:?}", &**s);
                } else {
                    out.push_str(s);
                }
            }
            Value::Vec(v) => {
                let _ = write!(out, "({:?}, {:?})", v.x, v.y);
            }
            Value::Cell(c) => {
                let _ = write!(out, "{c}");
            }
            Value::Gradient(g) => out.push_str(names.gradient_name(*g)),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.display(names, true, out);
                }
                out.push(']');
            }
            Value::Record(r) => {
                out.push_str(names.signal_name(r.kind));
                let fields = names.signal_fields(r.kind);
                if r.fields.is_empty() {
                    out.push_str(" {}");
                    return;
                }
                out.push_str(" { ");
                for (i, v) in r.fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(fields.get(i).map_or("?", |s| s.as_str()));
                    out.push_str(": ");
                    v.display(names, true, out);
                }
                out.push_str(" }");
            }
            Value::Reading(r) => {
                let _ = write!(
                    out,
                    "reading {{ source: {}, strength: {:?}, distance: {:?}, pos: ({:?}, {:?}), bonded: {} }}",
                    r.source, r.strength, r.distance, r.pos.x, r.pos.y, r.bonded
                );
            }
        }
    }

    /// The number of nodes this value has (itself, every nested list item
    /// and record field, one per string byte), counting shared parts each
    /// time they occur, as a walk (`==`, display, JSON) would visit them;
    /// `None` once over `limit`. Iterative, and it stops at the limit: a
    /// list of 1,000 copies of a list of 1,000 copies of a 1,000-element
    /// list is a few kilobytes in memory but 10⁹ nodes.
    pub fn deep_size(&self, limit: usize) -> Option<usize> {
        let mut count = 0usize;
        let mut stack: Vec<&Value> = vec![self];
        while let Some(v) = stack.pop() {
            count += 1;
            match v {
                Value::Str(s) => count += s.len(),
                Value::List(items) => {
                    if count + items.len() > limit {
                        return None;
                    }
                    stack.extend(items.iter());
                }
                Value::Record(r) => stack.extend(r.fields.iter()),
                _ => {}
            }
            if count > limit {
                return None;
            }
        }
        Some(count)
    }

    /// [`Value::to_json`], unless the value has more than `max_nodes` nodes
    /// ([`Value::deep_size`]): then `{"too_large": {"nodes_over": max_nodes}}`,
    /// so a dump stays proportional to the memory the values occupy (shared
    /// structure is cheap to hold but not to write out in full).
    pub fn to_json_capped(&self, names: &dyn Names, max_nodes: usize) -> serde_json::Value {
        match self.deep_size(max_nodes) {
            Some(_) => self.to_json(names),
            None => serde_json::json!({ "too_large": { "nodes_over": max_nodes } }),
        }
    }

    /// The value as `--dump-json` writes it (LANGUAGE.md §5b).
    pub fn to_json(&self, names: &dyn Names) -> serde_json::Value {
        use serde_json::Value as J;
        fn float(x: f64) -> J {
            if x.is_nan() {
                J::from("NaN")
            } else if x == f64::INFINITY {
                J::from("inf")
            } else if x == f64::NEG_INFINITY {
                J::from("-inf")
            } else {
                J::from(x)
            }
        }
        match self {
            Value::None => J::Null,
            Value::Int(i) => J::from(*i),
            Value::Float(x) => float(*x),
            Value::Bool(b) => J::from(*b),
            Value::Str(s) => J::from(&**s),
            Value::Vec(v) => J::Array(vec![float(v.x), float(v.y)]),
            Value::Cell(c) => J::from(c.0),
            Value::Gradient(g) => J::from(names.gradient_name(*g)),
            Value::List(items) => J::Array(items.iter().map(|v| v.to_json(names)).collect()),
            Value::Record(r) => {
                let fields = names.signal_fields(r.kind);
                let mut map = serde_json::Map::new();
                for (i, v) in r.fields.iter().enumerate() {
                    let name = fields.get(i).cloned().unwrap_or_else(|| format!("_{i}"));
                    map.insert(name, v.to_json(names));
                }
                J::Object(map)
            }
            Value::Reading(r) => serde_json::json!({
                "source": r.source.0,
                "strength": float(r.strength),
                "distance": float(r.distance),
                "pos": [float(r.pos.x), float(r.pos.y)],
                "bonded": r.bonded,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoNames;
    impl Names for NoNames {
        fn gradient_name(&self, _: GradientId) -> &str {
            "G"
        }
        fn signal_name(&self, _: SignalKindId) -> &str {
            "Claim"
        }
        fn signal_fields(&self, _: SignalKindId) -> &[String] {
            &[]
        }
    }

    fn show(v: &Value) -> String {
        let mut s = String::new();
        v.display(&NoNames, false, &mut s);
        s
    }

    #[test]
    fn value_stays_small() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }

    #[test]
    fn floats_display_as_spec() {
        assert_eq!(show(&Value::Float(1.0)), "1.0");
        assert_eq!(show(&Value::Float(0.1)), "0.1");
        assert_eq!(show(&Value::Float(-0.0)), "-0.0");
        assert_eq!(show(&Value::Float(1e-7)), "1e-7");
        assert_eq!(show(&Value::Float(1.5e300)), "1.5e300");
        assert_eq!(show(&Value::Float(f64::NAN)), "NaN");
        assert_eq!(show(&Value::Float(f64::NEG_INFINITY)), "-inf");
    }

    #[test]
    fn strings_quote_only_when_nested() {
        let list = Value::List(Arc::new(imbl::vector![
            Value::Str("a".into()),
            Value::Str("b\n".into())
        ]));
        assert_eq!(show(&list), r#"["a", "b\n"]"#);
        assert_eq!(show(&Value::Str("a b".into())), "a b");
        assert_eq!(show(&Value::vec(1.0, 2.0)), "(1.0, 2.0)");
        assert_eq!(show(&Value::Cell(CellId(7))), "#7");
    }
}
