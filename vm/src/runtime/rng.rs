//! Per-cell random streams: counter-based, so they need no state to snapshot
//! and give the same draws whatever the thread count.
//!
//! Draw number `n` (0, 1, 2, ... within one turn or one `on apoptosis`) of
//! cell `id` at tick `t` in phase `p` (0 = turn, 1 = `on apoptosis`) is
//!
//! ```text
//! key  = mix(mix(mix(mix(seed) ^ id) ^ t) ^ p)
//! draw = mix(key + (n + 1) * 0x9E3779B97F4A7C15)      (wrapping u64 arithmetic)
//! ```
//!
//! where `mix` is SplitMix64's finalizer (Steele, Lea & Flood 2014):
//! `z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) * 0x94D049BB133111EB; z ^ z>>31`.
//! Only integer arithmetic, so it is portable bit for bit.

use crate::value::Vec2;

/// The phase a draw belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A turn (`on spawn`, `on S`, metabolism).
    Turn = 0,
    /// An `on apoptosis` handler.
    Apoptosis = 1,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One cell's stream for one turn or handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRng {
    key: u64,
    draws: u64,
}

impl CellRng {
    /// The stream of cell `id` at tick `tick` in `phase`, under `seed`.
    pub fn new(seed: i64, id: u64, tick: u64, phase: Phase) -> Self {
        let key = mix(mix(mix(mix(seed as u64) ^ id) ^ tick) ^ phase as u64);
        CellRng { key, draws: 0 }
    }

    /// How many draws were made.
    pub fn draws(&self) -> u64 {
        self.draws
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.draws = self.draws.wrapping_add(1);
        mix(self.key.wrapping_add(self.draws.wrapping_mul(GOLDEN)))
    }

    /// A float uniform in `[0, 1)` (53 random bits).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An int uniform in `lo..hi` (`None` when the range is empty). Unbiased:
    /// Lemire's multiply-shift with rejection.
    pub fn next_int(&mut self, lo: i64, hi: i64) -> Option<i64> {
        if hi <= lo {
            return None;
        }
        let span = (hi as i128 - lo as i128) as u128; // 1 ..= 2^64 - 1
        let span64 = span as u64;
        let threshold = span64.wrapping_neg() % span64;
        loop {
            let m = self.next_u64() as u128 * span;
            if (m as u64) >= threshold {
                return Some((lo as i128 + (m >> 64) as i128) as i64);
            }
        }
    }

    /// A vector uniform in the disc of radius `r` (rejection sampling in the
    /// square: no trigonometry, so bit-portable). `r` is taken as `|r|`.
    pub fn next_vec(&mut self, r: f64) -> Vec2 {
        loop {
            let x = self.next_f64() * 2.0 - 1.0;
            let y = self.next_f64() * 2.0 - 1.0;
            if x * x + y * y < 1.0 {
                return Vec2::new(x * r.abs(), y * r.abs());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_every_key_part() {
        let base = CellRng::new(1, 2, 3, Phase::Turn).next_u64();
        assert_ne!(base, CellRng::new(0, 2, 3, Phase::Turn).next_u64());
        assert_ne!(base, CellRng::new(1, 1, 3, Phase::Turn).next_u64());
        assert_ne!(base, CellRng::new(1, 2, 4, Phase::Turn).next_u64());
        assert_ne!(base, CellRng::new(1, 2, 3, Phase::Apoptosis).next_u64());
        assert_eq!(base, CellRng::new(1, 2, 3, Phase::Turn).next_u64());
    }

    #[test]
    fn ints_stay_in_range_and_cover_it() {
        let mut rng = CellRng::new(7, 1, 1, Phase::Turn);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let n = rng.next_int(-2, 3).unwrap_or(99);
            assert!((-2..3).contains(&n));
            seen[(n + 2) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.next_int(3, 3), None);
        let full = rng.next_int(i64::MIN, i64::MAX);
        assert!(full.is_some());
    }

    #[test]
    fn floats_and_vecs_stay_in_range() {
        let mut rng = CellRng::new(7, 1, 1, Phase::Turn);
        for _ in 0..1000 {
            let x = rng.next_f64();
            assert!((0.0..1.0).contains(&x));
            let v = rng.next_vec(3.0);
            assert!(v.len() < 3.0);
        }
    }
}
