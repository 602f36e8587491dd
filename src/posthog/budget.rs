//! Keeps bearing inside PostHog's rate limits: at most three queries at once (PostHog's
//! per-team concurrency) and a rolling hourly count well below the smallest plan's.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

pub struct Budget {
    per_hour: u32,
    sent: Mutex<VecDeque<Instant>>,
    running: Semaphore,
}

const HOUR: Duration = Duration::from_secs(3600);

impl Budget {
    pub fn new(per_hour: u32, concurrent: usize) -> Budget {
        Budget {
            per_hour: per_hour.max(1),
            sent: Mutex::new(VecDeque::new()),
            running: Semaphore::new(concurrent.max(1)),
        }
    }

    /// Counts one request against the hour, or says how long until one is free.
    pub fn take(&self, now: Instant) -> Result<(), Duration> {
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        while sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= HOUR)
        {
            sent.pop_front();
        }
        if sent.len() >= self.per_hour as usize {
            let oldest = sent.front().copied().unwrap_or(now);
            return Err(HOUR.saturating_sub(now.saturating_duration_since(oldest)));
        }
        sent.push_back(now);
        Ok(())
    }

    /// Waits for one of the concurrent slots.
    pub async fn slot(&self) -> Option<SemaphorePermit<'_>> {
        self.running.acquire().await.ok()
    }

    pub fn per_hour(&self) -> u32 {
        self.per_hour
    }

    /// Requests left in the current hour.
    pub fn left(&self, now: Instant) -> u32 {
        let sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        let used = sent
            .iter()
            .filter(|t| now.saturating_duration_since(**t) < HOUR)
            .count();
        self.per_hour.saturating_sub(used as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_budget_refuses_then_frees_up() {
        let b = Budget::new(3, 3);
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(b.take(t0 + Duration::from_secs(i)).is_ok());
        }
        let wait = b.take(t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(3590));
        assert_eq!(b.left(t0 + Duration::from_secs(10)), 0);
        assert!(b.take(t0 + HOUR + Duration::from_secs(1)).is_ok());
    }
}
