//! Host functions: Rust code an embedder makes callable from Myco.
//!
//! The checker knows their signatures (`myco_compiler::check::HostFnSig`);
//! the program records their names ([`crate::program::HostFnDecl`]); this
//! module holds their code. Turns may run in parallel, so a host function
//! must be pure (same arguments, same result) or the run is no longer
//! deterministic; one that wants to change the world should return a value
//! the cell acts on.

use std::fmt;
use std::sync::Arc;

use crate::program::Program;
use crate::value::Value;

/// The code of a host function: arguments in, a value (or a runtime error
/// message, which faults the calling cell) out.
pub type HostFnImpl = dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync;

/// Host functions by name, as an embedder registers them.
#[derive(Clone, Default)]
pub struct HostFunctions {
    entries: Vec<(String, Arc<HostFnImpl>)>,
}

impl HostFunctions {
    /// No host functions.
    pub fn new() -> HostFunctions {
        HostFunctions::default()
    }

    /// Registers (or replaces) `name`.
    pub fn register(
        &mut self,
        name: impl Into<String>,
        f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) {
        let name = name.into();
        let f: Arc<HostFnImpl> = Arc::new(f);
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = f,
            None => self.entries.push((name, f)),
        }
    }

    /// The registered names, in registration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The code for each host function `program` calls, in the program's
    /// order; an error names a function the program declares but nobody
    /// registered.
    pub fn resolve(&self, program: &Program) -> Result<ResolvedHostFns, String> {
        let mut out = Vec::with_capacity(program.host_functions.len());
        for decl in &program.host_functions {
            match self.entries.iter().find(|(n, _)| *n == decl.name) {
                Some((_, f)) => out.push(f.clone()),
                None => {
                    return Err(format!(
                        "the program calls host function `{}`, which the host did not register",
                        decl.name
                    ));
                }
            }
        }
        Ok(ResolvedHostFns(out.into()))
    }
}

impl fmt::Debug for HostFunctions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl PartialEq for HostFunctions {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| a.0 == b.0 && Arc::ptr_eq(&a.1, &b.1))
    }
}

impl Eq for HostFunctions {}

/// Host functions indexed as the program calls them (`CallHost index`).
#[derive(Clone, Default)]
pub struct ResolvedHostFns(Arc<[Arc<HostFnImpl>]>);

impl ResolvedHostFns {
    /// Calls function `index`; an error message becomes a fault of the caller.
    pub fn call(&self, index: u32, args: &[Value]) -> Result<Value, String> {
        match self.0.get(index as usize) {
            Some(f) => f(args),
            None => Err(format!("host function #{index} is not available")),
        }
    }
}

impl fmt::Debug for ResolvedHostFns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResolvedHostFns({} functions)", self.0.len())
    }
}

impl PartialEq for ResolvedHostFns {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ResolvedHostFns {}
