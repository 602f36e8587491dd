//! Tolerant parsing of the small values events carry: booleans, priorities, dates and
//! review timeframes. Each returns `None` for a value it cannot read, so the caller can
//! count it as invalid rather than guess.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

/// `true`, `"true"`, `"yes"`, `1`, `"Y"` … and their negatives. Lowered in a buffer on
/// the stack (the longest word is five bytes), not a new String: read once per cost
/// event.
pub fn parse_bool(raw: &str) -> Option<bool> {
    let t = raw.trim().as_bytes();
    let mut buf = [0u8; 5];
    let low = buf.get_mut(..t.len())?;
    low.copy_from_slice(t);
    low.make_ascii_lowercase();
    match &*low {
        b"true" | b"yes" | b"y" | b"1" | b"t" | b"on" => Some(true),
        b"false" | b"no" | b"n" | b"0" | b"f" | b"off" => Some(false),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Critical,
    ];

    /// Priorities come in any case and with a few synonyms.
    /// Lowered in a buffer on the stack, not a new String: every revenue event has a
    /// priority, and no name is longer than the buffer.
    pub fn parse(raw: &str) -> Option<Priority> {
        let t = raw.trim().as_bytes();
        let mut buf = [0u8; 8];
        let low = buf.get_mut(..t.len())?;
        low.copy_from_slice(t);
        low.make_ascii_lowercase();
        match &*low {
            b"low" | b"p3" | b"minor" => Some(Priority::Low),
            b"medium" | b"med" | b"moderate" | b"normal" | b"p2" => Some(Priority::Medium),
            b"high" | b"p1" | b"major" => Some(Priority::High),
            b"critical" | b"crit" | b"urgent" | b"p0" | b"blocker" => Some(Priority::Critical),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }

    pub fn is_urgent(self) -> bool {
        self >= Priority::High
    }
}

/// PostHog writes `2025-12-19T10:30:00Z`, `2025-12-19T10:30:00.123000+00:00` or
/// `2025-12-19 10:30:00`; trackers also send bare dates and epoch seconds.
/// Returns Unix seconds (UTC).
pub fn parse_timestamp(raw: &str) -> Option<i64> {
    // Trimmed only when an end could be whitespace: Unicode's table is not needed for
    // the digits that nearly every timestamp starts and ends with.
    let s = match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(b'!'..=b'~'), Some(b'!'..=b'~')) => raw,
        _ => raw.trim(),
    };
    if s.is_empty() {
        return None;
    }
    if let Some(ts) = fast_utc(s.as_bytes()) {
        return Some(ts);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&dt).timestamp());
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(dt.timestamp());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|dt| Utc.from_utc_datetime(&dt).timestamp());
    }
    // Epoch seconds, if plausible (2000-01-01 … 2100-01-01).
    s.parse::<i64>()
        .ok()
        .filter(|n| (946_684_800..4_102_444_800).contains(n))
}

/// The common case, `YYYY-MM-DDTHH:MM:SS[.frac][Z|+00:00]` in UTC, without chrono's
/// general parser: a million-event export has two timestamps per line.
fn fast_utc(b: &[u8]) -> Option<i64> {
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        // A bare date: trackers often send tracking_date this way.
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let date =
            NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
        return Some(utc_midnight(date));
    }
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &b[19..];
    if let Some((b'.', tail)) = rest.split_first() {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &tail[digits..];
    }
    if !matches!(rest, b"" | b"Z" | b"z" | b"+00:00" | b"+0000" | b"-00:00") {
        return None;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo as u32, d as u32)?;
    Some(utc_midnight(date) + h * 3600 + mi * 60 + sec)
}

/// The calendar date of a Unix timestamp in UTC; out-of-range values give None. Only
/// for dates written as text (a `tracking_date`): an event's day is its day in the
/// configured zone, `Zone::date_of`.
pub fn utc_date(ts: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(ts, 0).map(|dt| dt.date_naive())
}

/// Unix seconds of a date's midnight in UTC: how a date written without a time is read.
/// Period bounds are local midnights, `Zone::midnight`.
pub fn utc_midnight(d: NaiveDate) -> i64 {
    // By day count (1970-01-01 is day 719,163 of the common era) rather than through
    // a date-time: read once per event.
    (i64::from(d.num_days_from_ce()) - 719_163) * 86_400
}

/// Review timeframes by name, after trimming, lower-casing and turning `-` and spaces
/// into `_`. Shared with the HogQL executor, which compiles it into its query.
pub const TIMEFRAME_WORDS: &[(&str, ReviewTimeframe)] = &[
    ("weekly", ReviewTimeframe::Days(7)),
    ("week", ReviewTimeframe::Days(7)),
    ("1_week", ReviewTimeframe::Days(7)),
    ("biweekly", ReviewTimeframe::Days(14)),
    ("fortnightly", ReviewTimeframe::Days(14)),
    ("2_weeks", ReviewTimeframe::Days(14)),
    ("monthly", ReviewTimeframe::Months(1)),
    ("month", ReviewTimeframe::Months(1)),
    ("1_month", ReviewTimeframe::Months(1)),
    ("quarterly", ReviewTimeframe::Months(3)),
    ("quarter", ReviewTimeframe::Months(3)),
    ("3_months", ReviewTimeframe::Months(3)),
    ("semi_annual", ReviewTimeframe::Months(6)),
    ("semiannual", ReviewTimeframe::Months(6)),
    ("half_yearly", ReviewTimeframe::Months(6)),
    ("biannual", ReviewTimeframe::Months(6)),
    ("6_months", ReviewTimeframe::Months(6)),
    ("annual", ReviewTimeframe::Months(12)),
    ("annually", ReviewTimeframe::Months(12)),
    ("yearly", ReviewTimeframe::Months(12)),
    ("year", ReviewTimeframe::Months(12)),
    ("12_months", ReviewTimeframe::Months(12)),
];

/// The range of N in "N_days", "N_weeks", "N_months".
pub const TIMEFRAME_MAX_N: u32 = 120;

/// How long after a decision its outcome should be reviewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewTimeframe {
    Days(u32),
    Months(u32),
}

impl ReviewTimeframe {
    pub fn parse(raw: &str) -> Option<ReviewTimeframe> {
        let s = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let named = TIMEFRAME_WORDS
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, tf)| *tf);
        named.or_else(|| {
            // "90_days", "2_months"
            let (n, unit) = s.split_once('_')?;
            let n: u32 = n
                .parse()
                .ok()
                .filter(|n| (1..=TIMEFRAME_MAX_N).contains(n))?;
            match unit {
                "day" | "days" => Some(ReviewTimeframe::Days(n)),
                "week" | "weeks" => Some(ReviewTimeframe::Days(n * 7)),
                "month" | "months" => Some(ReviewTimeframe::Months(n)),
                _ => None,
            }
        })
    }

    pub fn after(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            ReviewTimeframe::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
            ReviewTimeframe::Months(n) => date.checked_add_months(Months::new(n)),
        }
    }

    /// Monthly-or-shorter reviews belong to the monthly process review, longer
    /// ones to the quarterly executive review.
    pub fn cadence(self) -> Cadence {
        match self {
            ReviewTimeframe::Days(d) if d <= 31 => Cadence::Monthly,
            ReviewTimeframe::Months(1) => Cadence::Monthly,
            _ => Cadence::Quarterly,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Monthly,
    Quarterly,
}

/// The first day of the month after `d`: when the next monthly review happens.
pub fn next_month_start(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn booleans_as_they_arrive() {
        for t in ["true", "TRUE", "yes", "Y", "1", " on "] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "No", "0", "off"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("maybe"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn priorities_in_any_case() {
        assert_eq!(Priority::parse("HIGH"), Some(Priority::High));
        assert_eq!(Priority::parse(" Medium "), Some(Priority::Medium));
        assert_eq!(Priority::parse("critical"), Some(Priority::Critical));
        assert_eq!(Priority::parse("whenever"), None);
        assert!(Priority::Critical.is_urgent() && !Priority::Medium.is_urgent());
    }

    /// The reading by a lowered String that the stack buffer replaced.
    fn priority_by_string(raw: &str) -> Option<Priority> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "low" | "p3" | "minor" => Some(Priority::Low),
            "medium" | "med" | "moderate" | "normal" | "p2" => Some(Priority::Medium),
            "high" | "p1" | "major" => Some(Priority::High),
            "critical" | "crit" | "urgent" | "p0" | "blocker" => Some(Priority::Critical),
            _ => None,
        }
    }

    /// The reading by a lowered String that the stack buffer replaced.
    fn bool_by_string(raw: &str) -> Option<bool> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "t" | "on" => Some(true),
            "false" | "no" | "n" | "0" | "f" | "off" => Some(false),
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Every word in any case, padded, cut short or run on, and other words.
        #[test]
        fn booleans_read_as_a_lowered_string_reads_them(
            word in prop::sample::select(vec![
                "true", "yes", "y", "1", "t", "on", "false", "no", "n", "0", "f", "off",
                "", "falsey", "ｔrue", "İ", "TRUE!", "of",
            ]),
            upper in prop::collection::vec(any::<bool>(), 6),
            pad in "[ \t\n\u{a0}\u{3000}]{0,2}",
            cut in 0usize..6,
        ) {
            let cased: String = word
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c })
                .collect();
            let cut: String = cased.chars().take(cut).collect();
            for raw in [format!("{pad}{cased}{pad}"), cut, format!("{cased}e")] {
                prop_assert_eq!(parse_bool(&raw), bool_by_string(&raw), "{:?}", raw);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Every name in any case, padded, cut short or run on, and other words.
        #[test]
        fn priorities_read_as_a_lowered_string_reads_them(
            name in prop::sample::select(vec![
                "low", "p3", "minor", "medium", "med", "moderate", "normal", "p2", "high",
                "p1", "major", "critical", "crit", "urgent", "p0", "blocker", "",
                "criticall", "CRITICAL!", "hig", "ｈigh", "İ",
            ]),
            upper in prop::collection::vec(any::<bool>(), 9),
            pad in "[ \t\n\u{a0}\u{3000}]{0,2}",
            cut in 0usize..10,
        ) {
            let cased: String = name
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c })
                .collect();
            let cut: String = cased.chars().take(cut.max(cased.chars().count() / 2)).collect();
            for raw in [format!("{pad}{cased}{pad}"), cut, format!("{cased}x")] {
                prop_assert_eq!(Priority::parse(&raw), priority_by_string(&raw), "{:?}", raw);
            }
        }
    }

    #[test]
    fn timestamps_posthog_writes() {
        let want = 1_766_140_200; // 2025-12-19T10:30:00Z
        assert_eq!(parse_timestamp("2025-12-19T10:30:00Z"), Some(want));
        assert_eq!(
            parse_timestamp("2025-12-19T10:30:00.000000+00:00"),
            Some(want)
        );
        assert_eq!(parse_timestamp("2025-12-19 10:30:00"), Some(want));
        assert_eq!(parse_timestamp("2025-12-19T12:30:00+02:00"), Some(want));
        assert_eq!(parse_timestamp("2025-12-19"), Some(want - 37_800));
        assert_eq!(parse_timestamp("1766140200"), Some(want));
        assert_eq!(parse_timestamp("2025-12-19T10:30:00.123456"), Some(want));
        assert_eq!(parse_timestamp("2025-02-30T10:30:00Z"), None);
        assert_eq!(
            parse_timestamp("2025-12-19T10:30:00+01:00"),
            Some(want - 3600)
        );
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("99999999999999999999"), None);
    }

    /// The reading before midnight was found by day count.
    fn fast_utc_before(b: &[u8]) -> Option<i64> {
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            b[r].iter().try_fold(0i64, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
            })
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &b[19..];
        if let Some((b'.', tail)) = rest.split_first() {
            let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            rest = &tail[digits..];
        }
        if !matches!(rest, b"" | b"Z" | b"z" | b"+00:00" | b"+0000" | b"-00:00") {
            return None;
        }
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo as u32, d as u32)?;
        let midnight = date.and_hms_opt(0, 0, 0)?;
        Some(Utc.from_utc_datetime(&midnight).timestamp() + h * 3600 + mi * 60 + sec)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// Timestamps of every shape the fast path meets, some with a byte changed
        /// (a letter, a sign, a byte either side of the digits): read as before.
        #[test]
        fn timestamps_read_as_the_reading_before_them(
            (y, mo, d) in (0u32..10_000, 0u32..14, 0u32..33),
            (h, mi, s) in (0u32..26, 0u32..62, 0u32..62),
            sep in prop::sample::select(vec!['T', ' ', 't']),
            frac in prop::sample::select(vec!["", ".5", ".592", ".123456", "."]),
            zone in prop::sample::select(vec!["", "Z", "z", "+00:00", "+0000", "-00:00", "+01:00"]),
            edit in prop::option::of((0usize..26, prop::sample::select(vec![
                b'/', b'0', b'9', b':', b'a', b'-', b'+', b' ', 0x2f, 0x3a, 0xff,
            ]))),
            pad in prop::sample::select(vec!["", " ", "\u{a0}", "\t"]),
        ) {
            let mut t = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{zone}").into_bytes();
            if let Some((at, byte)) = edit
                && at < t.len()
            {
                t[at] = byte;
            }
            let t = String::from_utf8_lossy(&t).into_owned();
            prop_assert_eq!(fast_utc(t.as_bytes()), fast_utc_before(t.as_bytes()), "{:?}", t);
            let padded = format!("{pad}{t}{pad}");
            prop_assert_eq!(parse_timestamp(&padded), parse_timestamp(t.trim()), "{:?}", padded);
        }

        /// Midnight by day count is midnight as a date-time, over every year chrono
        /// holds.
        #[test]
        fn midnight_by_day_count(days in -100_000_000i32..100_000_000) {
            if let Some(d) = NaiveDate::from_num_days_from_ce_opt(days) {
                let by_time = d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t).timestamp());
                prop_assert_eq!(Some(utc_midnight(d)), by_time);
            }
        }
    }

    #[test]
    fn review_timeframes() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default();
        let q = ReviewTimeframe::parse("quarterly").unwrap_or(ReviewTimeframe::Days(0));
        assert_eq!(q.after(d), NaiveDate::from_ymd_opt(2026, 4, 30));
        assert_eq!(
            ReviewTimeframe::parse("90 days"),
            Some(ReviewTimeframe::Days(90))
        );
        assert_eq!(
            ReviewTimeframe::parse("Monthly"),
            Some(ReviewTimeframe::Months(1))
        );
        assert_eq!(ReviewTimeframe::parse("someday"), None);
        assert_eq!(q.cadence(), Cadence::Quarterly);
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in any::<String>()) {
            let _ = parse_bool(&s);
            let _ = Priority::parse(&s);
            let _ = parse_timestamp(&s);
            if let Some(tf) = ReviewTimeframe::parse(&s) {
                let _ = tf.after(NaiveDate::MAX);
            }
        }
    }
}
