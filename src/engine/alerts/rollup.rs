//! What the alert rules read, as plain data: per tenant (and subject) counts over the
//! eight review windows, and the values bearing parses itself (ranges, priorities,
//! review flags) counted by their raw text. The local executor (`super::local`) and
//! PostHog's (`crate::posthog::queries::alerts`) both produce it, and the rules
//! (`super::rules`) are functions of it alone, so an alert is the same whichever
//! source the events live in. It grows with tenants and distinct values, not events.

use crate::domain::period::{Period, PeriodSpec};
use crate::domain::{Priority, Sym, Zone};
use crate::engine::rollup::Counts;
use chrono::NaiveDate;

/// The windows the rules compare: this and last month and quarter, each with the
/// same days of the period before it ("rising" compares like with like).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Win {
    ThisMonth,
    ThisMonthBefore,
    LastMonth,
    LastMonthBefore,
    ThisQuarter,
    ThisQuarterBefore,
    LastQuarter,
    LastQuarterBefore,
}

impl Win {
    pub const ALL: [Win; 8] = [
        Win::ThisMonth,
        Win::ThisMonthBefore,
        Win::LastMonth,
        Win::LastMonthBefore,
        Win::ThisQuarter,
        Win::ThisQuarterBefore,
        Win::LastQuarter,
        Win::LastQuarterBefore,
    ];

    /// The two months and two quarters an alert can be raised for.
    pub const MONTHS: [Win; 2] = [Win::ThisMonth, Win::LastMonth];
    pub const QUARTERS: [Win; 2] = [Win::ThisQuarter, Win::LastQuarter];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Win> {
        Win::ALL.get(i).copied()
    }

    /// A month or quarter alerts are raised for (not one only compared with).
    pub fn is_reviewed(self) -> bool {
        Win::MONTHS.contains(&self) || Win::QUARTERS.contains(&self)
    }

    /// The window of the same days before this one.
    pub fn before(self) -> Win {
        match self {
            Win::ThisMonth => Win::ThisMonthBefore,
            Win::LastMonth => Win::LastMonthBefore,
            Win::ThisQuarter => Win::ThisQuarterBefore,
            Win::LastQuarter => Win::LastQuarterBefore,
            other => other,
        }
    }
}

/// The windows' periods for one "today", cut in one zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Windows {
    pub today: NaiveDate,
    pub zone: Zone,
    periods: Vec<Period>,
    /// Each period's `[start, end)` in Unix seconds, worked out once: every event read
    /// is placed in windows, and each bound is a time-zone lookup.
    bounds: Vec<(i64, i64)>,
}

impl Windows {
    pub fn new(today: NaiveDate, zone: Zone) -> Windows {
        let base = [
            PeriodSpec::ThisMonth,
            PeriodSpec::LastMonth,
            PeriodSpec::ThisQuarter,
            PeriodSpec::LastQuarter,
        ];
        let mut periods = Vec::with_capacity(8);
        for spec in base {
            let p = spec.resolve(today, zone);
            periods.push(p.clone());
            periods.push(p.previous());
        }
        let bounds = periods.iter().map(|p| (p.start_ts(), p.end_ts())).collect();
        Windows {
            today,
            zone,
            periods,
            bounds,
        }
    }

    pub fn period(&self, w: Win) -> &Period {
        &self.periods[w.index()]
    }

    /// Unix seconds `[start, end)` of a window.
    pub fn bounds(&self, w: Win) -> (i64, i64) {
        self.bounds[w.index()]
    }

    /// The windows an instant falls in (they overlap: last month is also the month
    /// before this one's same days).
    pub fn of(&self, ts: i64) -> impl Iterator<Item = Win> + '_ {
        Win::ALL.into_iter().filter(move |w| {
            let (start, end) = self.bounds(*w);
            ts != i64::MIN && start <= ts && ts < end
        })
    }

    /// The first instant any window holds.
    pub fn lo(&self) -> i64 {
        Win::ALL
            .iter()
            .map(|w| self.bounds(*w).0)
            .min()
            .unwrap_or(0)
    }

    /// Decision reviews are raised for last month and this one: due dates from the
    /// first of last month to the end of this one.
    pub fn due_span(&self) -> (NaiveDate, NaiveDate) {
        let last = self.period(Win::LastMonth).start;
        let this = self.period(Win::ThisMonth).start;
        (
            last,
            crate::domain::values::next_month_start(this).max(last),
        )
    }
}

/// Revenue-protection signals of one tenant and trend category in one window; the
/// values (impacts, priorities, follow-ups) only for the windows alerts are raised for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RevenueCell {
    pub count: u32,
    /// By month of the quarter (meaningful for quarter windows).
    pub months: [u32; 3],
    /// `approximate_impact_range` texts.
    pub impacts: Counts<Sym>,
    pub priorities: Counts<Option<Priority>>,
    /// `follow_up_action` texts.
    pub follow_ups: Counts<Sym>,
}

/// Cost opportunities of one tenant, optimization type and review flag in one window;
/// savings only for the windows alerts are raised for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostCell {
    pub count: u32,
    /// `approximate_savings_range` texts.
    pub savings: Counts<Sym>,
    /// `esp_vendor_context` texts.
    pub vendors: Counts<Sym>,
}

/// Decisions whose review (tracking date plus review timeframe) falls due in the
/// span of [`Windows::due_span`], by tenant, month of the review, category, level and
/// `outcome_follow_up` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Due {
    pub tenant: Sym,
    /// The first day of the review's month.
    pub month: NaiveDate,
    pub category: Sym,
    pub level: Sym,
    pub follow_up: Sym,
}

/// How many decisions of a [`Due`] group, how many of their review dates have passed,
/// and the earliest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueCell {
    pub count: u32,
    pub passed: u32,
    pub first: NaiveDate,
}

impl DueCell {
    pub fn one(review: NaiveDate, today: NaiveDate) -> DueCell {
        DueCell {
            count: 1,
            passed: u32::from(review < today),
            first: review,
        }
    }

    pub fn add(&mut self, other: DueCell) {
        self.count += other.count;
        self.passed += other.passed;
        self.first = self.first.min(other.first);
    }
}

/// Adds a group's decisions to the rollup's.
pub fn add_due(due: &mut Vec<(Due, DueCell)>, key: Due, cell: DueCell) {
    match due.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => c.add(cell),
        None => due.push((key, cell)),
    }
}

/// A cost cell's key: window, tenant, optimization type, review flag (parsed).
pub type CostKey = (Win, Sym, Sym, Option<bool>);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlertRollup {
    /// (window, tenant, trend_category).
    pub revenue: Vec<((Win, Sym, Sym), RevenueCell)>,
    /// (window, tenant, optimization_type, strategic_review_required parsed).
    pub cost: Vec<(CostKey, CostCell)>,
    /// (window, tenant, decision_category) → decisions made in the window.
    pub decisions: Counts<(Win, Sym, Sym)>,
    pub due: Vec<(Due, DueCell)>,
    /// Decisions whose review date could not be checked (PostHog brought back only
    /// the most recent oddly spelled ones).
    pub due_unchecked: u32,
    /// (window, tenant, event name) → configured custom events.
    pub custom: Counts<(Win, Sym, Sym)>,
    /// The raw texts PostHog sent for each tenant and subject, to find the same
    /// events again when an alert's evidence is asked for (empty for a file, whose
    /// events are at hand).
    pub raw: rustc_hash::FxHashMap<Sym, Vec<String>>,
    /// The raw `strategic_review_required` texts read as true, likewise.
    pub review_true: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn windows_compare_the_same_days_and_overlap_where_the_calendar_does() {
        let w = Windows::new(d(2026, 11, 10), Zone::UTC);
        let p = |x| {
            let p = w.period(x);
            (p.start, p.end)
        };
        assert_eq!(p(Win::ThisMonth), (d(2026, 11, 1), d(2026, 11, 11)));
        assert_eq!(p(Win::ThisMonthBefore), (d(2026, 10, 1), d(2026, 10, 11)));
        assert_eq!(p(Win::LastMonth), (d(2026, 10, 1), d(2026, 11, 1)));
        assert_eq!(p(Win::LastMonthBefore), (d(2026, 9, 1), d(2026, 10, 1)));
        assert_eq!(p(Win::ThisQuarter), (d(2026, 10, 1), d(2026, 11, 11)));
        assert_eq!(p(Win::LastQuarterBefore), (d(2026, 4, 1), d(2026, 7, 1)));
        assert_eq!(w.lo(), Zone::UTC.midnight(d(2026, 4, 1)));
        let oct5 = Zone::UTC.midnight(d(2026, 10, 5));
        let wins: Vec<Win> = w.of(oct5).collect();
        assert_eq!(
            wins,
            [Win::ThisMonthBefore, Win::LastMonth, Win::ThisQuarter]
        );
        assert_eq!(p(Win::ThisQuarterBefore), (d(2026, 7, 1), d(2026, 8, 11)));
        assert_eq!(w.due_span(), (d(2026, 10, 1), d(2026, 12, 1)));
    }
}
