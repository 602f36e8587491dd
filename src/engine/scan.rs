//! How far back the panes that once read every event ever sent now reach. On a large
//! PostHog project the all-time scans of data health and the decision log were the
//! queries that ran into PostHog's time limit; both executors cut them here, so a
//! file and PostHog still agree event for event.

use super::EngineParams;
use super::series::{MonthAxis, Window};
use crate::domain::period::first_of_month;
use chrono::{Months, NaiveDate};

/// The decision log's reach in months before this one. Twice the longest named review
/// timeframe ("annual"), so every decision whose review a named timeframe can make due
/// this month, or next year, is in the log; "N_months" beyond 24 is rare enough to say
/// in the pane rather than scan all time for.
pub const DECISION_MONTHS: u32 = 24;

/// The first instant (Unix seconds) each bounded pane reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Since {
    /// Data health: the events the other panes read (the sparkline's 12 months, this
    /// one included, or from the previous period's start when that is earlier), so the
    /// health figures describe the data on the screen.
    pub health: i64,
    /// The decision log, its totals and due reviews.
    pub decisions: i64,
}

impl Since {
    pub fn new(p: &EngineParams) -> Since {
        let axis = MonthAxis::new(p.today, p.zone);
        let w = Window::new(&p.period.resolve(p.today, p.zone));
        let health = axis
            .bounds()
            .first()
            .copied()
            .unwrap_or(w.start)
            .min(w.prev_start)
            .min(w.start);
        let decisions = p.zone.midnight(decision_start(p.today)).min(health);
        Since { health, decisions }
    }

    /// The day data health starts on, for the pane to say.
    pub fn health_day(p: &EngineParams) -> NaiveDate {
        p.zone
            .date_of(Since::new(p).health)
            .unwrap_or_else(|| first_of_month(p.today))
    }
}

/// The first instant whose decisions the alert rules read for reviews falling due: the
/// decision log's reach, whatever period the panes show.
pub fn decision_reach(today: NaiveDate, zone: crate::domain::Zone) -> i64 {
    zone.midnight(decision_start(today))
}

fn decision_start(today: NaiveDate) -> NaiveDate {
    let month = first_of_month(today);
    month
        .checked_sub_months(Months::new(DECISION_MONTHS))
        .unwrap_or(month)
}
