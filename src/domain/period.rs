//! Review periods: calendar month, calendar quarter and trailing days, each with the
//! previous period of the same length, which is what a direction compares against.

use super::zone::Zone;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use std::fmt;

/// A period as the user names it; resolved against "today" into a [`Period`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodSpec {
    /// The last N days including today.
    Trailing(u32),
    /// The calendar month holding today (to date).
    ThisMonth,
    LastMonth,
    ThisQuarter,
    LastQuarter,
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
}

/// The periods `p` cycles through in the cockpit.
pub const CYCLE: [PeriodSpec; 5] = [
    PeriodSpec::Trailing(90),
    PeriodSpec::ThisMonth,
    PeriodSpec::LastMonth,
    PeriodSpec::ThisQuarter,
    PeriodSpec::LastQuarter,
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown period {0:?}: use YYYY-MM (2026-11), YYYY-Qn (2026-Q4) or Nd (90d)")]
pub struct PeriodError(pub String);

impl PeriodSpec {
    pub fn parse(raw: &str) -> Result<PeriodSpec, PeriodError> {
        let s = raw.trim().to_ascii_lowercase();
        let err = || PeriodError(raw.to_owned());
        match s.as_str() {
            "month" | "this-month" => return Ok(PeriodSpec::ThisMonth),
            "last-month" => return Ok(PeriodSpec::LastMonth),
            "quarter" | "this-quarter" => return Ok(PeriodSpec::ThisQuarter),
            "last-quarter" => return Ok(PeriodSpec::LastQuarter),
            _ => {}
        }
        if let Some(days) = s.strip_suffix('d') {
            let n: u32 = days.parse().map_err(|_| err())?;
            return if (1..=3660).contains(&n) {
                Ok(PeriodSpec::Trailing(n))
            } else {
                Err(err())
            };
        }
        let (y, rest) = s.split_once('-').ok_or_else(err)?;
        let year: i32 = y.parse().map_err(|_| err())?;
        if !(1970..=9999).contains(&year) {
            return Err(err());
        }
        if let Some(q) = rest.strip_prefix('q') {
            let quarter: u32 = q.parse().map_err(|_| err())?;
            return if (1..=4).contains(&quarter) {
                Ok(PeriodSpec::Quarter { year, quarter })
            } else {
                Err(err())
            };
        }
        let month: u32 = rest.parse().map_err(|_| err())?;
        if (1..=12).contains(&month) {
            Ok(PeriodSpec::Month { year, month })
        } else {
            Err(err())
        }
    }

    /// The period holding `today` (a date in `zone`), cut at local midnights of `zone`.
    pub fn resolve(self, today: NaiveDate, zone: Zone) -> Period {
        let mut p = self.resolve_dates(today);
        p.zone = zone;
        p
    }

    /// A month or quarter named that has not begun by `today` (a day's grace for a
    /// zone ahead of it): its name and first day. It holds no data and no "to date",
    /// so it is refused rather than shown empty.
    pub fn not_begun(self, today: NaiveDate) -> Option<(String, NaiveDate)> {
        if !matches!(self, PeriodSpec::Month { .. } | PeriodSpec::Quarter { .. }) {
            return None;
        }
        let start = self.resolve_dates(today).start;
        let label = match self {
            PeriodSpec::Month { .. } => month_label(start),
            _ => quarter_label(start),
        };
        (start > today.succ_opt().unwrap_or(today)).then_some((label, start))
    }

    fn resolve_dates(self, today: NaiveDate) -> Period {
        let tomorrow = today.succ_opt().unwrap_or(today);
        let month_start = first_of_month(today);
        let quarter_start = first_of_quarter(today);
        match self {
            PeriodSpec::Trailing(n) => {
                let start = today
                    .checked_sub_days(Days::new(u64::from(n.saturating_sub(1))))
                    .unwrap_or(today);
                let label = match n {
                    1 => "last day".to_owned(),
                    n => format!("last {n} days"),
                };
                Period::new(start, tomorrow, PeriodUnit::Days, label)
            }
            PeriodSpec::ThisMonth => calendar(month_start, 1, tomorrow),
            PeriodSpec::LastMonth => calendar(sub_months(month_start, 1), 1, tomorrow),
            PeriodSpec::ThisQuarter => calendar(quarter_start, 3, tomorrow),
            PeriodSpec::LastQuarter => calendar(sub_months(quarter_start, 3), 3, tomorrow),
            PeriodSpec::Month { year, month } => {
                let start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(month_start);
                calendar(start, 1, tomorrow)
            }
            PeriodSpec::Quarter { year, quarter } => {
                let start = NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)
                    .unwrap_or(quarter_start);
                calendar(start, 3, tomorrow)
            }
        }
    }
}

/// The period in the words `parse` reads (`90d`, `this-month`, `2026-11`, `2026-Q4`),
/// so that text written down, such as the store's snapshot keys, reads back as the same
/// period whatever becomes of the enum's names or its `Debug` form.
impl fmt::Display for PeriodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodSpec::Trailing(n) => write!(f, "{n}d"),
            PeriodSpec::ThisMonth => f.write_str("this-month"),
            PeriodSpec::LastMonth => f.write_str("last-month"),
            PeriodSpec::ThisQuarter => f.write_str("this-quarter"),
            PeriodSpec::LastQuarter => f.write_str("last-quarter"),
            PeriodSpec::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PeriodSpec::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Days,
    Month,
    Quarter,
}

/// A half-open span of calendar days `[start, end)` of a zone: it starts and ends at
/// local midnights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub unit: PeriodUnit,
    pub label: String,
    /// The report names its zone once, at the top.
    #[serde(skip)]
    pub zone: Zone,
}

impl Period {
    fn new(start: NaiveDate, end: NaiveDate, unit: PeriodUnit, label: String) -> Period {
        Period {
            start,
            end,
            unit,
            label,
            zone: Zone::UTC,
        }
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    pub fn start_ts(&self) -> i64 {
        self.zone.midnight(self.start)
    }

    pub fn end_ts(&self) -> i64 {
        self.zone.midnight(self.end)
    }

    pub fn contains(&self, ts: i64) -> bool {
        ts >= self.start_ts() && ts < self.end_ts()
    }

    /// The period just before this one. A finished calendar month or quarter compares
    /// with the whole previous one (November with all of October's 31 days); one to
    /// date with the same number of days at the start of the previous one, so that
    /// November 1–10 compares with October 1–10, never with all of October.
    pub fn previous(&self) -> Period {
        match self.unit {
            PeriodUnit::Days => {
                let start = self
                    .start
                    .checked_sub_days(Days::new(self.days().max(0) as u64))
                    .unwrap_or(self.start);
                let label = match self.days() {
                    1 => "previous day".to_owned(),
                    n => format!("previous {n} days"),
                };
                Period {
                    zone: self.zone,
                    ..Period::new(start, self.start, PeriodUnit::Days, label)
                }
            }
            PeriodUnit::Month | PeriodUnit::Quarter => {
                let months = if self.unit == PeriodUnit::Month { 1 } else { 3 };
                let start = sub_months(self.start, months);
                let full_end = self.start;
                let finished = self
                    .start
                    .checked_add_months(Months::new(months))
                    .is_some_and(|natural_end| self.end >= natural_end);
                let end = if finished {
                    full_end
                } else {
                    start
                        .checked_add_days(Days::new(self.days().max(0) as u64))
                        .map_or(full_end, |e| e.min(full_end))
                };
                let label = match self.unit {
                    PeriodUnit::Month => month_label(start),
                    _ => quarter_label(start),
                };
                Period {
                    zone: self.zone,
                    ..Period::new(start, end, self.unit, label)
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

fn calendar(start: NaiveDate, months: u32, tomorrow: NaiveDate) -> Period {
    let natural_end = start
        .checked_add_months(Months::new(months))
        .unwrap_or(start);
    let (unit, label) = if months == 1 {
        (PeriodUnit::Month, month_label(start))
    } else {
        (PeriodUnit::Quarter, quarter_label(start))
    };
    let end = natural_end.min(tomorrow).max(start);
    let label = if end < natural_end {
        format!("{label} to date")
    } else {
        label
    };
    Period::new(start, end, unit, label)
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

pub fn first_of_quarter(d: NaiveDate) -> NaiveDate {
    let m = (d.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(d.year(), m, 1).unwrap_or(d)
}

pub fn sub_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n)).unwrap_or(d)
}

pub fn month_label(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

pub fn quarter_label(d: NaiveDate) -> String {
    format!("{}-Q{}", d.year(), d.month0() / 3 + 1)
}

/// The first days of the `n` calendar months ending with the month of `today`,
/// oldest first: the x axis of every 12-month sparkline.
pub fn month_starts(today: NaiveDate, n: u32) -> Vec<NaiveDate> {
    let last = first_of_month(today);
    (0..n).rev().map(|i| sub_months(last, i)).collect()
}

/// One of each variant at the edges `parse` accepts, and some in between.
#[cfg(test)]
pub(crate) fn every_kind() -> Vec<PeriodSpec> {
    let mut all = vec![
        PeriodSpec::ThisMonth,
        PeriodSpec::LastMonth,
        PeriodSpec::ThisQuarter,
        PeriodSpec::LastQuarter,
    ];
    all.extend([1, 7, 90, 365, 3660].map(PeriodSpec::Trailing));
    for year in [1970, 2026, 9999] {
        all.extend((1..=12).map(|month| PeriodSpec::Month { year, month }));
        all.extend((1..=4).map(|quarter| PeriodSpec::Quarter { year, quarter }));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn parses_the_report_forms() {
        assert_eq!(
            PeriodSpec::parse("2026-11"),
            Ok(PeriodSpec::Month {
                year: 2026,
                month: 11
            })
        );
        assert_eq!(
            PeriodSpec::parse("2026-Q4"),
            Ok(PeriodSpec::Quarter {
                year: 2026,
                quarter: 4
            })
        );
        assert_eq!(PeriodSpec::parse("90d"), Ok(PeriodSpec::Trailing(90)));
        assert!(PeriodSpec::parse("2026-13").is_err());
        assert!(PeriodSpec::parse("2026-Q5").is_err());
        assert!(PeriodSpec::parse("0d").is_err());
        assert!(PeriodSpec::parse("soon").is_err());
    }

    #[test]
    fn display_reads_back_as_the_same_period() {
        for p in every_kind() {
            let text = p.to_string();
            assert_eq!(PeriodSpec::parse(&text), Ok(p), "{text}");
        }
        // The forms a user types, unchanged.
        let shown: Vec<String> = CYCLE.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "90d",
                "this-month",
                "last-month",
                "this-quarter",
                "last-quarter"
            ]
        );
        let nov = PeriodSpec::Month {
            year: 2026,
            month: 11,
        };
        assert_eq!(nov.to_string(), "2026-11");
        let q4 = PeriodSpec::Quarter {
            year: 2026,
            quarter: 4,
        };
        assert_eq!(q4.to_string(), "2026-Q4");
    }

    #[test]
    fn trailing_days_and_previous() {
        let p = PeriodSpec::Trailing(90).resolve(d(2026, 11, 28), Zone::UTC);
        assert_eq!(p.days(), 90);
        assert_eq!(p.end, d(2026, 11, 29));
        let prev = p.previous();
        assert_eq!(prev.days(), 90);
        assert_eq!(prev.end, p.start);
    }

    #[test]
    fn month_to_date_compares_with_same_days_of_last_month() {
        let p = PeriodSpec::ThisMonth.resolve(d(2026, 11, 10), Zone::UTC);
        assert_eq!((p.start, p.end), (d(2026, 11, 1), d(2026, 11, 11)));
        assert_eq!(p.label, "2026-11 to date");
        let prev = p.previous();
        assert_eq!((prev.start, prev.end), (d(2026, 10, 1), d(2026, 10, 11)));
    }

    #[test]
    fn complete_quarter_previous_is_whole_quarter() {
        let p = PeriodSpec::LastQuarter.resolve(d(2026, 11, 28), Zone::UTC);
        assert_eq!((p.start, p.end), (d(2026, 7, 1), d(2026, 10, 1)));
        assert_eq!(p.label, "2026-Q3");
        let prev = p.previous();
        assert_eq!((prev.start, prev.end), (d(2026, 4, 1), d(2026, 7, 1)));
        // March 31 + a 31-day span is capped at the end of the previous month.
        let march = PeriodSpec::Month {
            year: 2026,
            month: 3,
        }
        .resolve(d(2026, 11, 28), Zone::UTC);
        assert_eq!(march.previous().end, d(2026, 3, 1));
    }

    /// A finished month or quarter is compared with the whole one before, however
    /// many fewer days this one has: February, 28 days, and November, 30, were once
    /// compared with January 1–28 and October 1–30.
    #[test]
    fn a_finished_period_compares_with_the_whole_previous_one() {
        let today = d(2026, 12, 3);
        for (spec, prev) in [
            (
                PeriodSpec::Month {
                    year: 2026,
                    month: 11,
                },
                (d(2026, 10, 1), d(2026, 11, 1)),
            ),
            (PeriodSpec::LastMonth, (d(2026, 10, 1), d(2026, 11, 1))),
            (
                PeriodSpec::Month {
                    year: 2026,
                    month: 2,
                },
                (d(2026, 1, 1), d(2026, 2, 1)),
            ),
            (
                PeriodSpec::Quarter {
                    year: 2026,
                    quarter: 1,
                },
                (d(2025, 10, 1), d(2026, 1, 1)),
            ),
        ] {
            let p = spec.resolve(today, Zone::UTC).previous();
            assert_eq!((p.start, p.end), prev, "{spec:?}");
        }
        // To date: the same days, also when this one is as long as the last.
        let p = PeriodSpec::ThisQuarter.resolve(today, Zone::UTC).previous();
        assert_eq!((p.start, p.end), (d(2026, 7, 1), d(2026, 9, 3)));
    }

    #[test]
    fn a_month_or_quarter_not_begun_is_named_and_a_begun_one_is_not() {
        let today = d(2026, 12, 3);
        let month = |year, month| PeriodSpec::Month { year, month };
        let quarter = |year, quarter| PeriodSpec::Quarter { year, quarter };
        assert_eq!(
            month(2027, 5).not_begun(today),
            Some(("2027-05".into(), d(2027, 5, 1)))
        );
        assert_eq!(
            quarter(9999, 4).not_begun(today),
            Some(("9999-Q4".into(), d(9999, 10, 1)))
        );
        for begun in [month(2026, 12), quarter(2026, 4), month(2020, 1)] {
            assert_eq!(begun.not_begun(today), None, "{begun:?}");
        }
        // A zone a day ahead may already be in next month.
        assert_eq!(month(2027, 1).not_begun(d(2026, 12, 31)), None);
        assert_eq!(
            PeriodSpec::Trailing(1).resolve(today, Zone::UTC).label,
            "last day"
        );
    }

    #[test]
    fn twelve_month_axis() {
        let m = month_starts(d(2026, 11, 28), 12);
        assert_eq!(m.first(), Some(&d(2025, 12, 1)));
        assert_eq!(m.last(), Some(&d(2026, 11, 1)));
    }
}

#[cfg(test)]
#[path = "period_zone_tests.rs"]
mod zone_tests;
