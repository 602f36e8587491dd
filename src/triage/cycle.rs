//! Review cycles: an alert belongs to the month (`2026-11`) or quarter (`2026-Q4`) it
//! was raised for. The rules look at this cycle and the one before, of each cadence;
//! an alert of an older cycle is no longer evaluated, and one never touched is
//! folded under "older" rather than mixed with this month's.

use chrono::{Datelike, Months, NaiveDate};

/// The days of a cycle: `[start, end)`.
pub fn days(period: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, rest) = period.split_once('-')?;
    let year: i32 = year.parse().ok()?;
    let (start, months) = match rest.strip_prefix('Q') {
        Some(q) => {
            let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            (NaiveDate::from_ymd_opt(year, 3 * q - 2, 1)?, 3)
        }
        None => (NaiveDate::from_ymd_opt(year, rest.parse().ok()?, 1)?, 1),
    };
    Some((start, start.checked_add_months(Months::new(months))?))
}

/// Whether the cycle shares a day with `[start, end)`.
pub fn overlaps(period: &str, start: NaiveDate, end: NaiveDate) -> bool {
    days(period).is_some_and(|(s, e)| s < end && start < e)
}

/// Whether the rules still evaluate the cycle on `today`: this month or quarter, or the
/// one before. An unreadable period counts as current, so it is never hidden.
pub fn is_current(period: &str, today: NaiveDate) -> bool {
    let Some((start, end)) = days(period) else {
        return true;
    };
    let quarterly = end.signed_duration_since(start).num_days() > 31;
    let this = if quarterly {
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)
    } else {
        today.with_day(1)
    };
    let back = if quarterly { 3 } else { 1 };
    let first = this.and_then(|t| t.checked_sub_months(Months::new(back)));
    first.is_some_and(|f| start >= f)
}

/// What a fresh evaluation does to a stored alert of state `status` and cycle
/// `period`: a cleared one the rules raise again recurs; an open one of a cycle the
/// rules still look at that they no longer raise is cleared. An older cycle is not
/// evaluated any more, so its alerts are left as they are.
pub fn after_refresh(
    status: super::Status,
    period: &str,
    raised: bool,
    today: NaiveDate,
) -> Option<super::Command> {
    use super::{Command, Status};
    match (raised, status) {
        (true, Status::Cleared) => Some(Command::Recur),
        (false, s) if s.is_open() && is_current(period, today) => Some(Command::Clear),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_and_quarters_read_as_their_days() {
        assert_eq!(days("2026-11"), Some((d(2026, 11, 1), d(2026, 12, 1))));
        assert_eq!(days("2026-12"), Some((d(2026, 12, 1), d(2027, 1, 1))));
        assert_eq!(days("2026-Q4"), Some((d(2026, 10, 1), d(2027, 1, 1))));
        for bad in [
            "", "2026", "2026-13", "2026-Q5", "2026-Q0", "x-11", "2026-Qx",
        ] {
            assert_eq!(days(bad), None, "{bad:?}");
        }
        assert!(overlaps("2026-Q4", d(2026, 11, 1), d(2026, 12, 1)));
        assert!(!overlaps("2026-10", d(2026, 11, 1), d(2026, 12, 1)));
    }

    #[test]
    fn the_rules_look_at_this_cycle_and_the_one_before() {
        let today = d(2026, 12, 2);
        for current in ["2026-12", "2026-11", "2026-Q4", "2026-Q3", "garbled"] {
            assert!(is_current(current, today), "{current}");
        }
        for older in ["2026-10", "2025-12", "2026-Q2", "2025-Q4"] {
            assert!(!is_current(older, today), "{older}");
        }
        // Across a year's turn.
        assert!(is_current("2026-12", d(2027, 1, 5)));
        assert!(is_current("2026-Q4", d(2027, 2, 5)));
        assert!(!is_current("2026-11", d(2027, 1, 5)));
    }
}
