//! Myco's standard library: `std::` modules written in Myco.
//!
//! `use std::NAME;` brings a module's items into the importing file, like
//! `use "file.myco";` does (see `docs/stdlib.md`). The modules' sources live
//! in `stdlib/std/NAME.myco`; the native functions (`sqrt`, `rand`, list and
//! vec methods, ...) are built into the compiler and VM and documented there
//! too.

/// The standard modules: name and Myco source.
pub const MODULES: &[(&str, &str)] = &[
    ("chemotaxis", include_str!("../std/chemotaxis.myco")),
    ("math", include_str!("../std/math.myco")),
    ("readings", include_str!("../std/readings.myco")),
    ("stats", include_str!("../std/stats.myco")),
];

/// The Myco source of the standard module `std::NAME`, or `None` if there is
/// no such module.
pub fn module_source(name: &str) -> Option<&'static str> {
    MODULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, src)| *src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_is_found_by_name() {
        for (name, src) in MODULES {
            assert_eq!(module_source(name), Some(*src));
            assert!(src.contains("fn "), "std::{name} defines functions");
        }
        assert_eq!(module_source("nope"), None);
    }
}
