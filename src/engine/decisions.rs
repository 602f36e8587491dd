//! The decision log: every strategic decision, newest first, with the date its outcome
//! is due for review (tracking date + review timeframe).

use crate::domain::values::{ReviewTimeframe, date_of};
use crate::domain::{Dataset, Details, Sym};
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

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionRow {
    /// Index of the event in the dataset, for the details view.
    pub event: u32,
    pub at: i64,
    pub tenant: Sym,
    pub category: Sym,
    pub maker_level: Sym,
    pub outcome: Sym,
    pub timeframe: Sym,
    pub follow_up: Sym,
    pub next_review: Option<NaiveDate>,
    pub status: ReviewStatus,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionLog {
    pub rows: Vec<DecisionRow>,
    /// Decisions in the selected period.
    pub in_period: u32,
    pub due_this_month: u32,
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

pub fn decision_log(ds: &Dataset, today: NaiveDate, window: &super::series::Window) -> DecisionLog {
    let mut timeframes: FxHashMap<Sym, Option<ReviewTimeframe>> = FxHashMap::default();
    let mut log = DecisionLog::default();
    for (i, e) in ds.events.iter().enumerate() {
        let Details::Decision(d) = &e.details else {
            continue;
        };
        if e.at == i64::MIN {
            continue;
        }
        let tf = *timeframes
            .entry(d.timeframe)
            .or_insert_with(|| ReviewTimeframe::parse(ds.resolve(d.timeframe)));
        let next_review = e
            .tracked_date()
            .or_else(|| date_of(e.at))
            .zip(tf)
            .and_then(|(date, tf)| tf.after(date));
        let status = status_of(next_review, today);
        if status == ReviewStatus::DueThisMonth {
            log.due_this_month += 1;
        }
        if window.current(e.at) {
            log.in_period += 1;
        }
        log.rows.push(DecisionRow {
            event: u32::try_from(i).unwrap_or(u32::MAX),
            at: e.at,
            tenant: e.tenant,
            category: d.category,
            maker_level: d.maker_level,
            outcome: d.outcome,
            timeframe: d.timeframe,
            follow_up: d.follow_up,
            next_review,
            status,
        });
    }
    log.rows
        .sort_by(|a, b| b.at.cmp(&a.at).then(a.event.cmp(&b.event)));
    log
}
