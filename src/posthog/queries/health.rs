//! Data health: per event kind, events grouped by which properties are missing (a
//! bitmask computed in PostHog) and by the raw text of the properties bearing must
//! read itself to call them valid. Tracking dates in a form the query recognises as
//! valid come back as NULL; only odd ones travel.

use super::text::{blank, canonical_date, prop, regex_values};
use super::{Rows, count, property, text};
use crate::domain::EventKind;
use crate::domain::range::{RangeParse, parse_range};
use crate::domain::sanitize::sanitize;
use crate::domain::values::{Priority, ReviewTimeframe, parse_bool, parse_timestamp};
use crate::engine::rollup::HealthRollup;
use crate::posthog::client::HogQl;
use serde_json::Map;

/// The properties of a kind bearing validates, besides `tracking_date`: a range, and a
/// priority, boolean or timeframe.
fn validated(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::Revenue => ("approximate_impact_range", "strategic_priority"),
        EventKind::Cost => ("approximate_savings_range", "strategic_review_required"),
        EventKind::Decision => ("expected_outcome_range", "review_timeframe"),
    }
}

pub fn query() -> HogQl {
    let mut v = Map::new();
    regex_values(&mut v);
    let parts: Vec<String> = EventKind::ALL
        .iter()
        .map(|&kind| {
            v.insert(format!("ev{}", kind as usize), kind.event_name().into());
            let mask: Vec<String> = kind
                .properties()
                .iter()
                .enumerate()
                .map(|(bit, p)| format!("{} * {}", blank(&prop(p)), 1u32 << bit))
                .collect();
            let (v1, v2) = validated(kind);
            let td = prop("tracking_date");
            format!(
                "SELECT {k} AS kind, {mask} AS mask, {v1} AS v1, {v2} AS v2, \
                 if({canon}, NULL, {td}) AS td, count() AS n \
                 FROM events WHERE event = {{ev{k}}} GROUP BY mask, v1, v2, td",
                k = kind as usize,
                mask = mask.join(" + "),
                v1 = prop(v1),
                v2 = prop(v2),
                canon = canonical_date(&td),
            )
        })
        .collect();
    HogQl {
        name: super::Part::Health.query_name().to_owned(),
        text: format!(
            "SELECT * FROM ({}) LIMIT {}",
            parts.join(" UNION ALL "),
            super::ROW_LIMIT
        ),
        values: v,
    }
}

/// Whether bearing's reader accepts a present value of the second validated property.
fn second_ok(kind: EventKind, text: &str) -> bool {
    match kind {
        EventKind::Revenue => Priority::parse(text).is_some(),
        EventKind::Cost => parse_bool(text).is_some(),
        EventKind::Decision => ReviewTimeframe::parse(&sanitize(text)).is_some(),
    }
}

pub fn read(rows: &Rows) -> Result<HealthRollup, String> {
    let (kind, mask, v1, v2, td, n) = (
        rows.col("kind")?,
        rows.col("mask")?,
        rows.col("v1")?,
        rows.col("v2")?,
        rows.col("td")?,
        rows.col("n")?,
    );
    let mut out = HealthRollup::default();
    for row in rows.iter() {
        let k = super::int(row, kind)
            .and_then(|k| usize::try_from(k).ok())
            .and_then(|k| EventKind::ALL.get(k).copied())
            .ok_or("a health row without a known kind")?;
        let missing = u16::try_from(super::int(row, mask).unwrap_or(0)).unwrap_or(0);
        let (p1, p2) = validated(k);
        let mut invalid = 0u16;
        if let Some(t) = property(text(row, v1))
            && parse_range(&sanitize(&t)) == RangeParse::Invalid
        {
            invalid |= k.bit(p1);
        }
        if let Some(t) = property(text(row, v2))
            && !second_ok(k, &t)
        {
            invalid |= k.bit(p2);
        }
        if let Some(t) = property(text(row, td))
            && parse_timestamp(&t).is_none()
        {
            invalid |= k.bit("tracking_date");
        }
        let n = u64::from(count(row, n));
        let c = &mut out.kinds[k as usize];
        c.total += n;
        if missing == 0 && invalid == 0 {
            c.conforming += n;
            continue;
        }
        for bit in 0..16 {
            c.missing[bit] += n * u64::from(missing >> bit & 1);
            c.invalid[bit] += n * u64::from(invalid >> bit & 1);
        }
    }
    Ok(out)
}
