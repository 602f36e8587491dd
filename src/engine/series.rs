//! What revenue trends and cost opportunities share: counting a group's events per
//! month for the 12-month sparkline and in the period and the period before it.

use super::direction::Direction;
use crate::domain::period::month_starts;
use crate::domain::{Interner, Period, Sym, Zone};
use chrono::NaiveDate;
use serde::Serialize;

pub const SPARK_MONTHS: usize = 12;

/// The twelve calendar months ending with today's, as timestamp boundaries: local
/// month starts in the zone.
#[derive(Clone, Debug)]
pub struct MonthAxis {
    /// 13 boundaries: the start of each month and the end of the last.
    bounds: Vec<i64>,
    pub starts: Vec<NaiveDate>,
}

impl MonthAxis {
    pub fn new(today: NaiveDate, zone: Zone) -> MonthAxis {
        let starts = month_starts(today, SPARK_MONTHS as u32);
        let mut bounds: Vec<i64> = starts.iter().map(|d| zone.midnight(*d)).collect();
        let end = starts
            .last()
            .map_or(today, |d| crate::domain::values::next_month_start(*d));
        bounds.push(zone.midnight(end));
        MonthAxis { bounds, starts }
    }

    /// The 13 boundaries, Unix seconds.
    pub fn bounds(&self) -> &[i64] {
        &self.bounds
    }

    pub fn index(&self, ts: i64) -> Option<usize> {
        let first = *self.bounds.first()?;
        let last = *self.bounds.last()?;
        if ts < first || ts >= last {
            return None;
        }
        Some(self.bounds.partition_point(|b| *b <= ts) - 1)
    }
}

/// Period boundaries resolved to timestamps once, not per event.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub start: i64,
    pub end: i64,
    pub prev_start: i64,
    pub prev_end: i64,
}

impl Window {
    pub fn new(period: &Period) -> Window {
        let prev = period.previous();
        Window {
            start: period.start_ts(),
            end: period.end_ts(),
            prev_start: prev.start_ts(),
            prev_end: prev.end_ts(),
        }
    }

    pub fn current(&self, ts: i64) -> bool {
        ts >= self.start && ts < self.end
    }

    pub fn previous(&self, ts: i64) -> bool {
        ts >= self.prev_start && ts < self.prev_end
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Series {
    /// Events per month, oldest first, ending with today's month.
    pub monthly: [u32; SPARK_MONTHS],
    /// Events in the selected period and in the one before it.
    pub current: u32,
    pub previous: u32,
}

impl Series {
    /// Counts one event; returns whether it falls in the current period.
    pub fn count(&mut self, ts: i64, axis: &MonthAxis, window: &Window) -> bool {
        if let Some(i) = axis.index(ts) {
            self.monthly[i] += 1;
        }
        if window.previous(ts) {
            self.previous += 1;
        }
        let current = window.current(ts);
        if current {
            self.current += 1;
        }
        current
    }

    pub fn direction(&self, dead_band: f64) -> Direction {
        Direction::between(f64::from(self.current), f64::from(self.previous), dead_band)
    }

    /// Whether the group belongs on screen at all: seen in the window or the period.
    pub fn is_visible(&self) -> bool {
        self.current > 0 || self.previous > 0 || self.monthly.iter().any(|n| *n > 0)
    }
}

/// Sorted (name, count) pairs, most frequent first and then by name, for "top
/// signals" lists; missing values are left out. By name, not by symbol, so the order
/// does not depend on the order strings were first seen in.
pub fn ranked(strings: &Interner, counts: &[(Sym, u32)]) -> Vec<(Sym, u32)> {
    let mut v: Vec<(Sym, u32)> = counts
        .iter()
        .filter(|(s, n)| !s.is_empty() && *n > 0)
        .copied()
        .collect();
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| strings.resolve(a.0).cmp(strings.resolve(b.0)))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maps_timestamps_to_months() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let axis = MonthAxis::new(today, Zone::UTC);
        let ts = |y, m, d| Zone::UTC.midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(axis.index(ts(2025, 12, 1)), Some(0));
        assert_eq!(axis.index(ts(2026, 11, 28) + 3600), Some(11));
        assert_eq!(axis.index(ts(2025, 11, 30)), None);
        assert_eq!(axis.index(ts(2026, 12, 1)), None);
        assert_eq!(axis.index(i64::MIN), None);
    }
}
