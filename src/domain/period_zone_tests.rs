//! Periods and month axes in zones away from UTC: a summer-time zone
//! (America/New_York) and a half-hour offset (Asia/Kolkata), around a month and a
//! quarter boundary. An event at 23:30 local on a month's last day is in that month.

use super::*;
use crate::engine::series::MonthAxis;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn zone(name: &str) -> Zone {
    Zone::parse(name).unwrap_or_default()
}

/// Unix seconds of a local wall-clock time on a day without a clock change.
fn at(z: Zone, day: NaiveDate, h: i64, m: i64) -> i64 {
    z.midnight(day) + h * 3600 + m * 60
}

fn month(y: i32, m: u32) -> PeriodSpec {
    PeriodSpec::Month { year: y, month: m }
}

#[test]
fn late_on_the_last_day_of_a_month_is_that_month() {
    let today = d(2027, 2, 10);
    for name in ["America/New_York", "Asia/Kolkata"] {
        let z = zone(name);
        let oct = month(2026, 10).resolve(today, z);
        let nov = month(2026, 11).resolve(today, z);
        let late = at(z, d(2026, 10, 31), 23, 30);
        let early = at(z, d(2026, 11, 1), 0, 30);
        assert!(oct.contains(late) && !nov.contains(late), "{name}");
        assert!(nov.contains(early) && !oct.contains(early), "{name}");
        assert_eq!(z.date_of(late), Some(d(2026, 10, 31)), "{name}");
        // UTC would have put one of the two in the other month.
        let utc_oct = month(2026, 10).resolve(today, Zone::UTC);
        assert!(!utc_oct.contains(late) || utc_oct.contains(early), "{name}");
    }
}

#[test]
fn late_on_the_last_day_of_a_quarter_is_that_quarter() {
    let today = d(2027, 2, 10);
    for name in ["America/New_York", "Asia/Kolkata"] {
        let z = zone(name);
        let q4 = PeriodSpec::Quarter {
            year: 2026,
            quarter: 4,
        }
        .resolve(today, z);
        let q1 = PeriodSpec::ThisQuarter.resolve(today, z);
        assert_eq!(q1.label, "2027-Q1 to date");
        let late = at(z, d(2026, 12, 31), 23, 30);
        let early = at(z, d(2027, 1, 1), 0, 30);
        assert!(q4.contains(late) && !q1.contains(late), "{name}");
        assert!(q1.contains(early) && !q4.contains(early), "{name}");
        // The quarter to date compares with the same days of the one before, cut in
        // the same zone.
        let prev = q1.previous();
        assert_eq!(prev.zone, z);
        assert_eq!(prev.start_ts(), z.midnight(d(2026, 10, 1)));
    }
}

#[test]
fn bounds_are_local_midnights_and_a_dst_month_is_an_hour_longer() {
    let ny = zone("America/New_York");
    let nov = month(2026, 11).resolve(d(2026, 12, 5), ny);
    // 2026-11-01 00:00 EDT is 04:00 UTC; 2026-12-01 00:00 EST is 05:00 UTC.
    assert_eq!(nov.start_ts(), 1_793_505_600);
    assert_eq!(nov.end_ts() - nov.start_ts(), 30 * 86_400 + 3600);
    let k = zone("Asia/Kolkata");
    let dec = month(2026, 12).resolve(d(2027, 1, 5), k);
    assert_eq!(
        dec.start_ts(),
        Zone::UTC.midnight(d(2026, 12, 1)) - 5 * 3600 - 1800
    );
    // Trailing days end at tomorrow's local midnight.
    let t = PeriodSpec::Trailing(7).resolve(d(2026, 11, 28), k);
    assert_eq!(t.end_ts(), k.midnight(d(2026, 11, 29)));
}

#[test]
fn month_axis_slots_by_local_month() {
    for name in ["America/New_York", "Asia/Kolkata"] {
        let z = zone(name);
        let axis = MonthAxis::new(d(2027, 1, 15), z);
        // Twelve months, Feb 2026 … Jan 2027: Oct is slot 8, Nov 9, Dec 10, Jan 11.
        assert_eq!(
            axis.index(at(z, d(2026, 10, 31), 23, 30)),
            Some(8),
            "{name}"
        );
        assert_eq!(axis.index(at(z, d(2026, 11, 1), 0, 30)), Some(9), "{name}");
        assert_eq!(
            axis.index(at(z, d(2026, 12, 31), 23, 30)),
            Some(10),
            "{name}"
        );
        assert_eq!(axis.index(at(z, d(2027, 1, 1), 0, 30)), Some(11), "{name}");
        assert_eq!(axis.bounds().first(), Some(&z.midnight(d(2026, 2, 1))));
        assert_eq!(axis.bounds().last(), Some(&z.midnight(d(2027, 2, 1))));
    }
}
