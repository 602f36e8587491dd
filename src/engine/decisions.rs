//! The decision log: every strategic decision, newest first, with the date its outcome
//! is due for review (tracking date + review timeframe).

use super::rollup::{DecisionEntry, DecisionRollup, TenantDecisions};
use crate::domain::Zone;
use crate::domain::values::ReviewTimeframe;
use crate::domain::{Interner, Sym};
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// The review date was before the current month.
    Past,
    /// The review date falls in the current month (passed or not): this month's
    /// process review must cover it.
    DueThisMonth,
    Upcoming,
    /// No readable tracking date or review timeframe.
    Unknown,
}

impl ReviewStatus {
    pub fn word(self) -> &'static str {
        match self {
            ReviewStatus::Past => "passed",
            ReviewStatus::DueThisMonth => "due",
            ReviewStatus::Upcoming => "upcoming",
            ReviewStatus::Unknown => "unknown",
        }
    }
}

/// A decision with its review worked out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionRow {
    pub entry: DecisionEntry,
    pub next_review: Option<NaiveDate>,
    pub status: ReviewStatus,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionLog {
    /// Newest first; with PostHog, the pages fetched so far.
    pub rows: Vec<DecisionRow>,
    /// Every decision, fetched or not.
    pub total: u32,
    /// Decisions in the selected period.
    pub in_period: u32,
    pub due_this_month: u32,
    pub tenants: Vec<TenantDecisions>,
    /// Where the next page starts, while rows are still to fetch.
    pub cursor: Option<(i64, [u8; 16])>,
    /// The first day the log reaches back to (`engine::scan`).
    pub since: Option<NaiveDate>,
    /// Decisions whose review date went unchecked (see `DecisionRollup::unchecked`).
    pub unchecked: u32,
}

impl DecisionLog {
    pub fn tenant(&self, tenant: Sym) -> Option<&TenantDecisions> {
        self.tenants.iter().find(|t| t.tenant == tenant)
    }
}

pub fn status_of(next: Option<NaiveDate>, today: NaiveDate) -> ReviewStatus {
    match next {
        None => ReviewStatus::Unknown,
        Some(d) if d.year() == today.year() && d.month() == today.month() => {
            ReviewStatus::DueThisMonth
        }
        Some(d) if d < today => ReviewStatus::Past,
        Some(_) => ReviewStatus::Upcoming,
    }
}

/// When a decision's outcome is due for review: its tracking date (else the day it
/// was recorded, in the zone) plus its review timeframe.
pub fn next_review(
    e: &DecisionEntry,
    tf: Option<ReviewTimeframe>,
    zone: Zone,
) -> Option<NaiveDate> {
    e.tracked
        .or_else(|| zone.date_of(e.at))
        .zip(tf)
        .and_then(|(date, tf)| tf.after(date))
}

/// Builds the pane from its rollup.
pub fn decision_log(
    r: &DecisionRollup,
    strings: &Interner,
    today: NaiveDate,
    zone: Zone,
) -> DecisionLog {
    let mut timeframes: FxHashMap<Sym, Option<ReviewTimeframe>> = FxHashMap::default();
    let rows = r
        .rows
        .iter()
        .map(|e| {
            let tf = *timeframes
                .entry(e.timeframe)
                .or_insert_with(|| ReviewTimeframe::parse(strings.resolve(e.timeframe)));
            let next = next_review(e, tf, zone);
            DecisionRow {
                entry: *e,
                next_review: next,
                status: status_of(next, today),
            }
        })
        .collect();
    DecisionLog {
        rows,
        total: r.total,
        in_period: r.in_period,
        due_this_month: r.due_this_month,
        tenants: r.tenants.clone(),
        cursor: r.cursor,
        since: zone.date_of(r.since),
        unchecked: r.unchecked,
    }
}
