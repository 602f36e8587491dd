//! An event's local day in HogQL, for the decision log's review dates: the day the
//! local executor gets from `Zone::date_of`.
//!
//! Computed by integer arithmetic on `toUnixTimestamp(timestamp)`: PostHog cannot type
//! that result, and `toDate`/`toDateTime` of an untyped value print as parsers
//! ClickHouse refuses. The zone's UTC offsets are bound as values, with the instants
//! they start at, so a zone with summer time gets the offset in force at each event.

use super::Bounds;
use crate::domain::period::sub_months;
use chrono::Days;
use serde_json::{Map, Value};

/// How far back a decision's own day can still matter: a review is due at most 120
/// months after it (`TIMEFRAME_MAX_N`), and a decision older than that is never due
/// this month, whatever its day.
const BACK_MONTHS: u32 = crate::domain::values::TIMEFRAME_MAX_N + 1;

/// The local day of `ts` (Unix seconds, a column of the query) as whole days since
/// 1970-01-01, with its offsets bound into `v`.
pub fn local_day_number(ts: &str, b: &Bounds, v: &mut Map<String, Value>) -> String {
    format!("intDiv({ts} + {}, 86400)", offset(ts, b, v))
}

/// The UTC offset in force at `ts`, as a HogQL expression.
fn offset(ts: &str, b: &Bounds, v: &mut Map<String, Value>) -> String {
    let from = b.zone.midnight(sub_months(b.this_month, BACK_MONTHS));
    // Decisions dated ahead of today (clocks, backfills) read right for a year.
    let to = b
        .this_month
        .checked_add_days(Days::new(400))
        .map_or(from, |d| b.zone.midnight(d));
    let offsets = b.zone.offsets(from, to);
    let Some(((_, last), earlier)) = offsets.split_last() else {
        return "0".to_owned();
    };
    v.insert(format!("tzo{}", earlier.len()), (*last).into());
    if earlier.is_empty() {
        return "{tzo0}".to_owned();
    }
    let mut arms = Vec::with_capacity(earlier.len());
    for (i, (_, off)) in earlier.iter().enumerate() {
        // Offset i is in force until offset i + 1 starts.
        let until = offsets[i + 1].0;
        v.insert(format!("tzt{i}"), until.into());
        v.insert(format!("tzo{i}"), (*off).into());
        arms.push(format!("{ts} < {{tzt{i}}}, {{tzo{i}}}"));
    }
    format!("multiIf({}, {{tzo{}}})", arms.join(", "), earlier.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PeriodSpec, Zone};
    use crate::engine::EngineParams;
    use chrono::NaiveDate;

    fn bounds(zone: &str) -> Bounds {
        let mut p = EngineParams::new(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default());
        p.zone = Zone::parse(zone).unwrap_or_default();
        p.period = PeriodSpec::ThisMonth;
        Bounds::new(&p)
    }

    #[test]
    fn a_fixed_offset_is_one_value() {
        let mut v = Map::new();
        let e = local_day_number("ts", &bounds("Asia/Kolkata"), &mut v);
        assert_eq!(e, "intDiv(ts + {tzo0}, 86400)");
        assert_eq!(v["tzo0"], 19_800);
        let mut v = Map::new();
        local_day_number("ts", &bounds("UTC"), &mut v);
        assert_eq!(v["tzo0"], 0);
    }

    #[test]
    fn summer_time_is_an_arm_per_change() {
        let mut v = Map::new();
        let b = bounds("America/New_York");
        let e = local_day_number("ts", &b, &mut v);
        assert!(
            e.starts_with("intDiv(ts + multiIf(ts < {tzt0}, {tzo0}, "),
            "{e}"
        );
        // Every offset bound gives the day `Zone::date_of` gives, at each change.
        let n = v.keys().filter(|k| k.starts_with("tzt")).count();
        assert!((20..30).contains(&n), "{n}");
        for i in 0..n {
            let t = v[&format!("tzt{i}")].as_i64().unwrap_or_default();
            for ts in [t - 1, t] {
                let off = if ts < t {
                    &v[&format!("tzo{i}")]
                } else {
                    &v[&format!("tzo{}", i + 1)]
                };
                let day = (ts + off.as_i64().unwrap_or_default()).div_euclid(86_400);
                let want = b.zone.date_of(ts).map(|d| {
                    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days()
                });
                assert_eq!(Some(day), want, "{ts}");
            }
        }
    }
}
