//! How long a snooze lasts: a day, a week, or until the next monthly or quarterly
//! review (the first day of the next month or quarter).

use crate::domain::period::first_of_quarter;
use crate::domain::values::next_month_start;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnoozeFor {
    Day,
    Week,
    NextMonthlyReview,
    NextQuarterlyReview,
}

impl SnoozeFor {
    pub const ALL: [SnoozeFor; 4] = [
        SnoozeFor::Day,
        SnoozeFor::Week,
        SnoozeFor::NextMonthlyReview,
        SnoozeFor::NextQuarterlyReview,
    ];

    pub fn until(self, today: NaiveDate) -> NaiveDate {
        match self {
            SnoozeFor::Day => today.checked_add_days(Days::new(1)).unwrap_or(today),
            SnoozeFor::Week => today.checked_add_days(Days::new(7)).unwrap_or(today),
            SnoozeFor::NextMonthlyReview => next_monthly_review(today),
            SnoozeFor::NextQuarterlyReview => next_quarterly_review(today),
        }
    }

    /// The key that picks it in the snooze prompt, and its label.
    pub fn key(self) -> char {
        match self {
            SnoozeFor::Day => 'd',
            SnoozeFor::Week => 'w',
            SnoozeFor::NextMonthlyReview => 'm',
            SnoozeFor::NextQuarterlyReview => 'q',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SnoozeFor::Day => "1 day",
            SnoozeFor::Week => "1 week",
            SnoozeFor::NextMonthlyReview => "until the next monthly review",
            SnoozeFor::NextQuarterlyReview => "until the next quarterly review",
        }
    }

    /// [`SnoozeFor::label`] for a narrow footer.
    pub fn short(self) -> &'static str {
        match self {
            SnoozeFor::Day => "day",
            SnoozeFor::Week => "week",
            SnoozeFor::NextMonthlyReview => "next monthly review",
            SnoozeFor::NextQuarterlyReview => "next quarterly review",
        }
    }

    /// The narrowest label.
    pub fn word(self) -> &'static str {
        match self {
            SnoozeFor::Day => "day",
            SnoozeFor::Week => "week",
            SnoozeFor::NextMonthlyReview => "month",
            SnoozeFor::NextQuarterlyReview => "quarter",
        }
    }

    pub fn parse(s: &str) -> Option<SnoozeFor> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1d" | "day" | "d" => Some(SnoozeFor::Day),
            "1w" | "week" | "w" => Some(SnoozeFor::Week),
            "month" | "monthly" | "m" => Some(SnoozeFor::NextMonthlyReview),
            "quarter" | "quarterly" | "q" => Some(SnoozeFor::NextQuarterlyReview),
            _ => None,
        }
    }
}

/// The monthly process review happens on the first day of each month.
pub fn next_monthly_review(today: NaiveDate) -> NaiveDate {
    next_month_start(today)
}

/// The quarterly executive review happens on the first day of each quarter.
pub fn next_quarterly_review(today: NaiveDate) -> NaiveDate {
    first_of_quarter(today)
        .checked_add_months(Months::new(3))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(SnoozeFor::Day.until(d(2026, 11, 30)), d(2026, 12, 1));
        assert_eq!(SnoozeFor::Week.until(d(2026, 11, 28)), d(2026, 12, 5));
        assert_eq!(
            SnoozeFor::NextMonthlyReview.until(d(2026, 12, 15)),
            d(2027, 1, 1)
        );
        assert_eq!(
            SnoozeFor::NextQuarterlyReview.until(d(2026, 11, 28)),
            d(2027, 1, 1)
        );
        assert_eq!(
            SnoozeFor::NextQuarterlyReview.until(d(2026, 1, 1)),
            d(2026, 4, 1)
        );
    }
}
