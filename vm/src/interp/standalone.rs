//! A host without a world: an energy budget, captured print lines and a
//! deterministic random stream. For tests, benchmarks and evaluating code
//! that touches no cell.

use super::host::{Host, HostError};
use crate::bytecode::op::FUEL_PER_ENERGY;
use crate::value::{Value, Vec2};

/// A world-less host: constructs other than `print` and `rand*` refuse.
#[derive(Debug, Clone, Default)]
pub struct StandaloneHost {
    /// Energy left.
    pub energy: f64,
    /// Lines printed.
    pub printed: Vec<String>,
    /// State of the random stream (splitmix64).
    pub rand_state: u64,
}

impl StandaloneHost {
    /// A host with `energy`.
    pub fn new(energy: f64) -> StandaloneHost {
        StandaloneHost {
            energy,
            printed: Vec::new(),
            rand_state: 0x9E37_79B9_7F4A_7C15,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.rand_state = self.rand_state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rand_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Host for StandaloneHost {
    fn self_value(&self) -> Value {
        Value::None
    }
    fn available_fuel(&self) -> i64 {
        let fuel = (self.energy * FUEL_PER_ENERGY as f64).round();
        if fuel >= i64::MAX as f64 {
            i64::MAX / 2
        } else if fuel > 0.0 {
            fuel as i64
        } else {
            0
        }
    }
    fn spend_fuel(&mut self, fuel: i64) -> Result<(), HostError> {
        self.energy -= fuel as f64 / FUEL_PER_ENERGY as f64;
        Ok(())
    }
    fn print(&mut self, line: String) -> Result<(), HostError> {
        self.printed.push(line);
        Ok(())
    }
    fn rand_float(&mut self) -> Result<f64, HostError> {
        Ok((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn rand_int(&mut self, lo: i64, hi: i64) -> Result<i64, HostError> {
        let span = hi.wrapping_sub(lo) as u64;
        Ok(lo.wrapping_add((self.next_u64() % span) as i64))
    }
    fn rand_vec(&mut self, radius: f64) -> Result<Vec2, HostError> {
        let r = radius * self.rand_float()?.sqrt();
        let a = self.rand_float()? * std::f64::consts::TAU;
        Ok(Vec2::new(r * a.cos(), r * a.sin()))
    }
}
