//! Myco's static types (LANGUAGE.md §3) and how they are written.

use std::fmt;

pub use myco_vm::value::SignalKindId;

/// A Myco type, as the checker infers it and the HIR records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `int`: 64-bit signed.
    Int,
    /// `float`: f64.
    Float,
    /// `bool`.
    Bool,
    /// `str`.
    Str,
    /// `vec`: a 2-D float vector.
    Vec,
    /// `cell`: a cell's id.
    Cell,
    /// `gradient`: a declared gradient kind.
    Gradient,
    /// `reading`: one sensed emitter.
    Reading,
    /// `[T]`.
    List(Box<Type>),
    /// `T?`. Never nested: [`Type::optional`] flattens `T??` to `T?`.
    Optional(Box<Type>),
    /// A declared signal, as a record type.
    Signal(SignalKindId),
    /// The "no value" of statements, `print(...)` and functions without
    /// `-> T`. Not writable in source.
    Unit,
    /// The type of an expression that already produced an error. It is
    /// compatible with everything, so one mistake gives one diagnostic.
    Error,
}

impl Type {
    /// `T?`, flattening: the optional of an optional is the same optional
    /// (`none` is the only "absent" value, so `T??` could not be told apart).
    pub fn optional(inner: Type) -> Type {
        match inner {
            Type::Optional(_) | Type::Error => inner,
            other => Type::Optional(Box::new(other)),
        }
    }

    /// `[T]`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// True for [`Type::Error`] (and types containing it): no further
    /// diagnostics should be reported about such a value.
    pub fn is_error(&self) -> bool {
        match self {
            Type::Error => true,
            Type::List(t) | Type::Optional(t) => t.is_error(),
            _ => false,
        }
    }

    /// True for `int` and `float`.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Float)
    }

    /// The `T` of a `T?`, or `None`.
    pub fn optional_inner(&self) -> Option<&Type> {
        match self {
            Type::Optional(t) => Some(t),
            _ => None,
        }
    }

    /// The `T` of a `[T]`, or `None`.
    pub fn list_element(&self) -> Option<&Type> {
        match self {
            Type::List(t) => Some(t),
            _ => None,
        }
    }

    /// Whether a value of type `self` is accepted where `expected` is wanted:
    /// equal types, `T` where `T?` is expected (also inside lists is *not*
    /// allowed: `[int]` is not a `[int?]`), and anything involving
    /// [`Type::Error`].
    pub fn accepts_as(&self, expected: &Type) -> bool {
        if self.is_error() || expected.is_error() || self == expected {
            return true;
        }
        match expected {
            Type::Optional(inner) => self.accepts_as(inner),
            _ => false,
        }
    }

    /// A value that displays this type, resolving signal names with `names`
    /// (`names[i]` is the name of `SignalKindId(i)`).
    pub fn display<'a>(&'a self, names: &'a [String]) -> TypeDisplay<'a> {
        TypeDisplay { ty: self, names }
    }
}

/// [`Type`] written as Myco writes it: `int`, `[float]`, `cell?`, `Claim`.
pub struct TypeDisplay<'a> {
    ty: &'a Type,
    names: &'a [String],
}

impl fmt::Display for TypeDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            Type::Int => f.write_str("int"),
            Type::Float => f.write_str("float"),
            Type::Bool => f.write_str("bool"),
            Type::Str => f.write_str("str"),
            Type::Vec => f.write_str("vec"),
            Type::Cell => f.write_str("cell"),
            Type::Gradient => f.write_str("gradient"),
            Type::Reading => f.write_str("reading"),
            Type::List(t) => write!(f, "[{}]", t.display(self.names)),
            Type::Optional(t) => write!(f, "{}?", t.display(self.names)),
            Type::Signal(id) => match self.names.get(id.0 as usize) {
                Some(name) => f.write_str(name),
                None => write!(f, "signal#{}", id.0),
            },
            Type::Unit => f.write_str("()"),
            Type::Error => f.write_str("{unknown}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_display_as_written_in_myco() {
        let names = vec!["Claim".to_string()];
        let t = Type::list(Type::optional(Type::Signal(SignalKindId(0))));
        assert_eq!(t.display(&names).to_string(), "[Claim?]");
        assert_eq!(
            Type::optional(Type::Cell).display(&names).to_string(),
            "cell?"
        );
        assert_eq!(
            Type::list(Type::list(Type::Float)).display(&[]).to_string(),
            "[[float]]"
        );
    }

    #[test]
    fn optional_never_nests() {
        let once = Type::optional(Type::Int);
        assert_eq!(Type::optional(once.clone()), once);
    }

    #[test]
    fn t_is_accepted_as_optional_t_but_not_the_reverse() {
        let opt = Type::optional(Type::Int);
        assert!(Type::Int.accepts_as(&opt));
        assert!(!opt.accepts_as(&Type::Int));
        assert!(!Type::Float.accepts_as(&opt));
        assert!(!Type::list(Type::Int).accepts_as(&Type::list(opt.clone())));
        assert!(Type::Error.accepts_as(&Type::Str));
    }
}
