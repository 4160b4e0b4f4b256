//! Myco's standard library: `std::` modules written in Myco.
