//! The demo's uuids and timestamps as text, written digit by digit. `format!` with
//! chrono's `%Y-%m-%d` was over half of making the cockpit's demo data (9.5M of 16.7M
//! instructions for the 1,400 events), and the demo is made before its first screen.
//! Each writes exactly what that `format!` wrote (the tests hold them to it).

use chrono::{Datelike, NaiveDate};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `v` as `width` lower-case hex digits, as `{:0width$x}` writes a `v` below
/// `16^width`.
fn hex(out: &mut String, v: u64, width: u32) {
    for i in (0..width).rev() {
        out.push(char::from(HEX[(v >> (4 * i)) as usize & 15]));
    }
}

/// `v` as `width` decimal digits, as `{:0width$}` writes a `v` below `10^width`.
fn decimal(out: &mut String, v: u32, width: u32) {
    for i in (0..width).rev() {
        out.push(char::from(b'0' + (v / 10u32.pow(i) % 10) as u8));
    }
}

/// A version-4 uuid from two random words.
pub fn uuid(a: u64, b: u64) -> String {
    let mut s = String::with_capacity(36);
    hex(&mut s, a >> 32, 8);
    s.push('-');
    hex(&mut s, (a >> 16) & 0xffff, 4);
    s.push_str("-4");
    hex(&mut s, a & 0x0fff, 3);
    s.push('-');
    hex(&mut s, ((b >> 48) & 0x3fff) | 0x8000, 4);
    s.push('-');
    hex(&mut s, b & 0xffff_ffff_ffff, 12);
    s
}

/// `date` as `%Y-%m-%d`.
pub fn day(date: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    write_day(&mut s, date);
    s
}

/// Writes `date` as `%Y-%m-%d`. Years outside 0–9999 (a `--today` far off) are left
/// to chrono, which signs and widens them.
fn write_day(out: &mut String, date: NaiveDate) {
    match u32::try_from(date.year()) {
        Ok(year) if year <= 9999 => {
            decimal(out, year, 4);
            out.push('-');
            decimal(out, date.month(), 2);
            out.push('-');
            decimal(out, date.day(), 2);
        }
        _ => out.push_str(&date.format("%Y-%m-%d").to_string()),
    }
}

/// `date` at `secs` seconds (below 86,400) and `millis` (below 1,000) into the day,
/// as `{date}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z`.
pub fn timestamp(day: NaiveDate, secs: u32, millis: u32) -> String {
    let mut s = String::with_capacity(24);
    write_day(&mut s, day);
    s.push('T');
    decimal(&mut s, secs / 3600, 2);
    s.push(':');
    decimal(&mut s, secs / 60 % 60, 2);
    s.push(':');
    decimal(&mut s, secs % 60, 2);
    s.push('.');
    decimal(&mut s, millis, 3);
    s.push('Z');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How the generator wrote a uuid before (the oracle).
    fn uuid_by_format(a: u64, b: u64) -> String {
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// How the generator wrote a timestamp before (the oracle).
    fn timestamp_by_format(date: NaiveDate, secs: u32, millis: u32) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}.{:03}Z",
            date.format("%Y-%m-%d"),
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            millis
        )
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        #[test]
        fn uuids_read_as_format_wrote_them(a in any::<u64>(), b in any::<u64>()) {
            prop_assert_eq!(uuid(a, b), uuid_by_format(a, b));
        }

        #[test]
        fn timestamps_read_as_format_wrote_them(
            d in any_date(),
            secs in 0u32..86_400,
            millis in 0u32..1000,
        ) {
            prop_assert_eq!(timestamp(d, secs, millis), timestamp_by_format(d, secs, millis));
            prop_assert_eq!(day(d), d.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn the_edges_of_every_field() {
        for (a, b) in [(0, 0), (u64::MAX, u64::MAX), (1 << 63, 1 << 47)] {
            assert_eq!(uuid(a, b), uuid_by_format(a, b));
        }
        let days = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
            NaiveDate::MAX,
        ];
        for d in days {
            for (secs, millis) in [(0, 0), (86_399, 999), (3600, 7)] {
                assert_eq!(
                    timestamp(d, secs, millis),
                    timestamp_by_format(d, secs, millis)
                );
            }
        }
    }
}
