//! Whether a value made outside the type checker (by a Rust host, or read
//! back from a checkpoint) is a value of a Myco type of the program: every
//! list element, every record field against its signal's declaration, every
//! gradient within the declared ones.

use std::collections::HashSet;
use std::sync::Arc;

use myco_compiler::types::Type;
use myco_vm::value::{Record, SignalKindId, Value};

use crate::Compiled;

/// Checks values against `compiled`'s types. Lists and records shared in
/// many places (values are persistent) are checked once per type, so a
/// value of 10⁹ logical elements that takes kilobytes takes microseconds.
pub(crate) struct ValueCheck<'a> {
    compiled: &'a Compiled,
    /// (address of the list or record, address of the type) already checked.
    checked: HashSet<(usize, usize)>,
}

impl<'a> ValueCheck<'a> {
    /// A checker for `compiled`'s declarations.
    pub fn new(compiled: &'a Compiled) -> Self {
        ValueCheck {
            compiled,
            checked: HashSet::new(),
        }
    }

    /// Whether `value` is a value of type `ty`.
    pub fn fits(&mut self, value: &Value, ty: &Type) -> bool {
        match (value, ty) {
            (Value::None, Type::Optional(_)) => true,
            (v, Type::Optional(inner)) => self.fits(v, inner),
            (Value::Int(_), Type::Int)
            | (Value::Float(_), Type::Float)
            | (Value::Bool(_), Type::Bool)
            | (Value::Str(_), Type::Str)
            | (Value::Vec(_), Type::Vec)
            | (Value::Cell(_), Type::Cell)
            | (Value::Reading(_), Type::Reading) => true,
            (Value::Gradient(g), Type::Gradient) => {
                (g.0 as usize) < self.compiled.program.gradients.len()
            }
            (Value::List(items), Type::List(inner)) => {
                let key = (
                    Arc::as_ptr(items) as usize,
                    inner.as_ref() as *const Type as usize,
                );
                if self.checked.contains(&key) {
                    return true;
                }
                let ok = items.iter().all(|v| self.fits(v, inner));
                if ok {
                    self.checked.insert(key);
                }
                ok
            }
            (Value::Record(r), Type::Signal(kind)) => {
                let key = (Arc::as_ptr(r) as usize, ty as *const Type as usize);
                if self.checked.contains(&key) {
                    return true;
                }
                let ok = self.record_fits(r, *kind);
                if ok {
                    self.checked.insert(key);
                }
                ok
            }
            _ => false,
        }
    }

    /// Whether `record` is a signal of kind `kind` with fields of its
    /// declared types.
    pub fn record_fits(&mut self, record: &Record, kind: SignalKindId) -> bool {
        let compiled: &Compiled = self.compiled;
        let Some(decl) = compiled.hir.signals.get(kind.0 as usize) else {
            return false;
        };
        record.kind == kind
            && decl.field_types.len() == record.fields.len()
            && decl
                .field_types
                .iter()
                .zip(record.fields.iter())
                .all(|(ty, v)| self.fits(v, ty))
    }
}
