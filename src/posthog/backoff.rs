//! How long to wait before trying a query again.

use std::time::Duration;

pub(super) const BACKOFF_BASE: Duration = Duration::from_millis(250);
pub(super) const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Full-jitter exponential backoff (a uniform wait up to base·2ⁿ, capped), seeded from
/// the clock: no RNG crate is needed for a spread of retries.
pub(super) struct Jitter(u64);

impl Jitter {
    pub(super) fn seeded() -> Jitter {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter(t ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// A fixed seed, so that a test of the spread sees the same draws on every run.
    #[cfg(test)]
    pub(super) fn from_seed(seed: u64) -> Jitter {
        // xorshift never leaves zero; an odd seed keeps it away from it.
        Jitter(seed | 1)
    }

    pub(super) fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn backoff(&mut self, attempt: u32) -> Duration {
        let ceiling = BACKOFF_BASE
            .saturating_mul(1 << attempt.min(16))
            .min(BACKOFF_CAP);
        let ms = ceiling.as_millis() as u64;
        Duration::from_millis(if ms == 0 { 0 } else { self.next() % (ms + 1) })
    }
}
