//! The one time zone bearing cuts days, months and quarters in. PostHog's insights
//! cut them in the project's zone, so a month here must start at the same instant as
//! the team's month there; UTC only when nothing says otherwise.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// An IANA time zone (`Asia/Kolkata`, `America/New_York`), or UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Zone(Tz);

/// Names that are UTC under another spelling: they are read as UTC, so that the header
/// does not name a zone that is no zone.
const UTC_ALIASES: [&str; 9] = [
    "UTC",
    "Etc/UTC",
    "Etc/UCT",
    "UCT",
    "Etc/Universal",
    "Universal",
    "Etc/Zulu",
    "Zulu",
    "Z",
];

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// An IANA name as PostHog and the tz database spell it; the error says what a
    /// zone name looks like.
    pub fn parse(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        if UTC_ALIASES.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            return Ok(Zone::UTC);
        }
        name.parse::<Tz>().map(Zone).map_err(|_| {
            format!(
                "unknown time zone {:?}: use an IANA name such as UTC, Europe/Berlin, \
                 America/New_York or Asia/Kolkata",
                crate::domain::sanitize::sanitize(name)
            )
        })
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn is_utc(self) -> bool {
        self == Zone::UTC
    }

    /// The local calendar date of a Unix timestamp; out-of-range values give None.
    pub fn date_of(self, ts: i64) -> Option<NaiveDate> {
        DateTime::from_timestamp(ts, 0).map(|dt| dt.with_timezone(&self.0).date_naive())
    }

    /// Today here, at `now`.
    pub fn today(self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.0).date_naive()
    }

    /// A UTC instant as local wall-clock time, for what the cockpit prints.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.0).naive_local()
    }

    /// A time as the cockpit states it: local date and minute, and the zone's name
    /// (`2026-11-28 14:02 Asia/Kolkata`; in UTC, `… UTC`).
    pub fn stamp(self, at: DateTime<Utc>) -> String {
        format!(
            "{} {}",
            self.local(at).format("%Y-%m-%d %H:%M"),
            self.name()
        )
    }

    /// The local wall-clock minute of `at` (`14:02`), for the panes' badges.
    pub fn clock(self, at: DateTime<Utc>) -> String {
        self.local(at).format("%H:%M").to_string()
    }

    /// Seconds east of UTC in force at `ts`.
    pub fn offset_at(self, ts: i64) -> i64 {
        DateTime::from_timestamp(ts, 0).map_or(0, |dt| {
            i64::from(
                self.0
                    .offset_from_utc_datetime(&dt.naive_utc())
                    .fix()
                    .local_minus_utc(),
            )
        })
    }

    /// Unix seconds of the first instant of a local day. Where a clock change skips
    /// midnight, the day starts at the change (the first local time that exists);
    /// where midnight happens twice, at the first. A day may so last 23 or 25 hours.
    pub fn midnight(self, d: NaiveDate) -> i64 {
        let Some(naive) = d.and_hms_opt(0, 0, 0) else {
            return 0;
        };
        match self.0.from_local_datetime(&naive).earliest() {
            Some(t) => t.timestamp(),
            // A gap: midnight read with the offset in force just before it is the
            // instant of the change.
            None => {
                let wall = naive.and_utc().timestamp();
                let before = d.checked_sub_days(Days::new(1)).map_or(wall, |p| {
                    p.and_hms_opt(0, 0, 0)
                        .map_or(wall, |n| n.and_utc().timestamp())
                });
                wall - self.offset_at(before)
            }
        }
    }

    /// The offsets in force over `[from, to)` as (instant it starts, seconds east of
    /// UTC), oldest first; the first starts at `from`. A fixed-offset zone has one.
    pub fn offsets(self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let mut out = vec![(from, self.offset_at(from))];
        // Every offset change the tz database knows lasts more than a day, so a daily
        // scan finds each one; the exact instant by bisection within that day.
        let mut t = from;
        while t < to {
            let next = (t + 86_400).min(to);
            let (a, b) = (self.offset_at(t), self.offset_at(next));
            if a != b {
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if self.offset_at(mid) == a {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                out.push((hi, b));
            }
            t = next;
        }
        out
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_default()
    }

    #[test]
    fn names_read_and_utc_spellings_are_utc() {
        assert_eq!(zone("Asia/Kolkata").name(), "Asia/Kolkata");
        assert!(Zone::parse("Etc/UTC").is_ok_and(Zone::is_utc));
        assert!(Zone::parse("utc").is_ok_and(Zone::is_utc));
        let e = Zone::parse("Mars/Olympus").unwrap_err();
        assert!(e.contains("Mars/Olympus") && e.contains("IANA"), "{e}");
        assert!(Zone::default().is_utc());
    }

    #[test]
    fn new_york_days_last_23_or_25_hours_around_dst() {
        let ny = zone("America/New_York");
        // 2026-03-08 springs forward, 2026-11-01 falls back.
        assert_eq!(
            ny.midnight(d(2026, 3, 9)) - ny.midnight(d(2026, 3, 8)),
            23 * 3600
        );
        assert_eq!(
            ny.midnight(d(2026, 11, 2)) - ny.midnight(d(2026, 11, 1)),
            25 * 3600
        );
        // Midnight of Nov 1 is still daylight time: 04:00 UTC.
        assert_eq!(ny.midnight(d(2026, 11, 1)), 1_793_505_600);
        // 23:30 on Oct 31 is Oct 31 there, Nov 1 in UTC.
        let late = ny.midnight(d(2026, 11, 1)) - 1800;
        assert_eq!(ny.date_of(late), Some(d(2026, 10, 31)));
        assert_eq!(Zone::UTC.date_of(late), Some(d(2026, 11, 1)));
    }

    #[test]
    fn kolkata_is_five_and_a_half_hours_ahead() {
        let k = zone("Asia/Kolkata");
        let utc = Zone::UTC.midnight(d(2026, 12, 31));
        assert_eq!(k.midnight(d(2026, 12, 31)), utc - 19_800);
        assert_eq!(k.offsets(0, 2_000_000_000).len(), 1);
    }

    #[test]
    fn a_midnight_that_does_not_exist_starts_at_the_change() {
        // Santiago springs forward at 24:00 on the first Saturday of September.
        let s = zone("America/Santiago");
        let start = s.midnight(d(2026, 9, 6));
        assert_eq!(s.date_of(start), Some(d(2026, 9, 6)));
        assert_eq!(s.date_of(start - 1), Some(d(2026, 9, 5)));
    }

    #[test]
    fn offsets_list_each_change_at_its_instant() {
        let ny = zone("America/New_York");
        let from = ny.midnight(d(2026, 1, 1));
        let to = ny.midnight(d(2027, 1, 1));
        let o = ny.offsets(from, to);
        assert_eq!(o.len(), 3, "{o:?}");
        assert_eq!(o[0].1, -5 * 3600);
        assert_eq!((o[1].0, o[1].1), (1_772_953_200, -4 * 3600));
        assert_eq!(o[2].1, -5 * 3600);
        assert_eq!(ny.offset_at(o[2].0 - 1), -4 * 3600);
    }
}
