//! Data health: per event kind, events grouped by which properties are missing (a
//! bitmask computed in PostHog) and by the raw text of the properties bearing must
//! read itself to call them valid. Tracking dates in a form the query recognises as
//! valid come back as NULL; only odd ones travel.

use super::text::{blank, canonical_date, nested, prop, regex_values};
use super::{Bounds, Rows, Scope, count, property, text};
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

/// The mask bit of an event whose `tenant_id` is an object or an array.
const NESTED_TENANT: i64 = 1 << 16;

/// Distinct values of one property (or joint values) a kind brings back. Twelve such
/// parts stay well under PostHog's 50,000 rows; past the cap a part keeps its most
/// frequent values and the rest are reported as unchecked.
pub const VALUES: usize = 2_000;

/// Per kind, five small groupings rather than one joint one, so the answer saturates
/// quickly and stays flat as events grow: the missing-property masks (`m`), which also
/// count the events that have each read value; the raw values of each validated
/// property (`v1`, `v2`, `td`), whose invalid counts are marginal; and, for events
/// missing nothing, the joint values (`ok`), which decide whether each such event
/// conforms. Only events since `b.since.health` are read (`engine::scan`).
pub fn query(b: &Bounds, scope: &Scope) -> HogQl {
    let mut v = Map::new();
    regex_values(&mut v);
    v.remove("plain_re");
    v.insert("since".into(), b.since.health.into());
    let cap = scope.cap(VALUES);
    let mut parts: Vec<String> = Vec::new();
    let mut ctes: Vec<String> = Vec::new();
    for kind in EventKind::ALL {
        let k = kind as usize;
        v.insert(format!("ev{k}"), kind.event_name().into());
        let props = kind.properties();
        // Each property read once, as column p<bit>, then used by name.
        let col = |name: &str| {
            let bit = props.iter().position(|p| *p == name).unwrap_or(0);
            format!("p{bit}")
        };
        let read: Vec<String> = props
            .iter()
            .enumerate()
            .map(|(bit, p)| format!("{} AS p{bit}", prop(p)))
            .collect();
        let mut mask: Vec<String> = (0..props.len())
            .map(|bit| format!("{} * {}", blank(&format!("p{bit}")), 1u32 << bit))
            .collect();
        // A nested tenant is no tenant: counted invalid (the bit above the missing ones)
        // and so never conforming, as bearing's reader counts it.
        mask.push(format!("nested * {NESTED_TENANT}"));
        let (v1, v2) = validated(kind);
        let td = col("tracking_date");
        ctes.push(format!(
            "h{k} AS (SELECT {mask} AS mask, {v1} AS v1, {v2} AS v2, if({canon}, NULL, {td}) AS td \
             FROM (SELECT {read}, {nested} AS nested FROM events WHERE event = {{ev{k}}} \
             AND timestamp >= toDateTime({{since}}) LIMIT 1 BY uuid))",
            mask = mask.join(" + "),
            v1 = col(v1),
            v2 = col(v2),
            canon = canonical_date(&td),
            read = read.join(", "),
            nested = nested("tenant_id"),
        ));
        // The value columns are named r1..r3 here: an alias v1 would shadow the CTE's
        // column inside countIf. In 'm' rows they carry how many events have a value.
        parts.push(format!(
            "SELECT {k} AS kind, 'm' AS part, mask, toString(countIf(isNotNull(v1))) AS r1, \
             toString(countIf(isNotNull(v2))) AS r2, toString(countIf(isNotNull(td))) AS r3, \
             count() AS n FROM h{k} GROUP BY mask"
        ));
        // Capped parts are subqueries under `*`, which PostHog expands to the columns
        // a subquery names: every column is named, and never after a CTE column the
        // same select reads (`0 AS mask` would make `mask = 0` always true).
        for col in ["v1", "v2", "td"] {
            parts.push(format!(
                "SELECT * FROM (SELECT {k} AS x_kind, '{col}' AS x_part, 0 AS x_mask, \
                 {} AS x1, {} AS x2, {} AS x3, count() AS c FROM h{k} \
                 WHERE isNotNull({col}) GROUP BY {col} ORDER BY c DESC, {col} LIMIT {cap})",
                if col == "v1" { "v1" } else { "NULL" },
                if col == "v2" { "v2" } else { "NULL" },
                if col == "td" { "td" } else { "NULL" },
            ));
        }
        parts.push(format!(
            "SELECT * FROM (SELECT {k} AS x_kind, 'ok' AS x_part, 0 AS x_mask, v1 AS x1, \
             v2 AS x2, td AS x3, count() AS c FROM h{k} WHERE mask = 0 \
             GROUP BY v1, v2, td ORDER BY c DESC, v1, v2, td LIMIT {cap})"
        ));
    }
    HogQl {
        name: super::Part::Health.query_name().to_owned(),
        text: format!(
            "WITH {} SELECT * FROM ({}) LIMIT {}",
            ctes.join(", "),
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

/// Per kind, what the answer says was there and what it brought back, to tell how
/// many events went unchecked.
#[derive(Default)]
struct Tally {
    /// Events with a value of v1, v2, td; events missing nothing.
    present: [u64; 4],
    /// The same, summed over the rows that came back.
    read: [u64; 4],
}

pub fn read(rows: &Rows) -> Result<HealthRollup, String> {
    let (kind, part, mask, v1, v2, td, n) = (
        rows.col("kind")?,
        rows.col("part")?,
        rows.col("mask")?,
        rows.col("r1")?,
        rows.col("r2")?,
        rows.col("r3")?,
        rows.col("n")?,
    );
    let mut out = HealthRollup::default();
    let mut tallies: [Tally; 3] = Default::default();
    for row in rows.iter() {
        let k = super::int(row, kind)
            .and_then(|k| usize::try_from(k).ok())
            .and_then(|k| EventKind::ALL.get(k).copied())
            .ok_or("a health row without a known kind")?;
        let (p1, p2) = validated(k);
        let n = u64::from(count(row, n));
        let c = &mut out.kinds[k as usize];
        let tally = &mut tallies[k as usize];
        let part = text(row, part);
        if part == Some("m") {
            let bits = super::int(row, mask).unwrap_or(0);
            let missing = u16::try_from(bits & 0xFFFF).unwrap_or(0);
            c.total += n;
            for bit in 0..16 {
                c.missing[bit] += n * u64::from(missing >> bit & 1);
            }
            if bits & NESTED_TENANT != 0 {
                c.invalid[bit_of(k, "tenant_id")] += n;
            }
            for (i, col) in [v1, v2, td].into_iter().enumerate() {
                tally.present[i] += u64::from(count(row, col));
            }
            if bits == 0 {
                tally.present[3] += n;
            }
            continue;
        }
        let bad1 = property(text(row, v1)).is_some_and(|t| !range_ok(&t));
        let bad2 = property(text(row, v2)).is_some_and(|t| !second_ok(k, &t));
        let bad_td = property(text(row, td)).is_some_and(|t| parse_timestamp(&t).is_none());
        let (slot, bad, bit) = match part {
            Some("v1") => (0, bad1, Some(bit_of(k, p1))),
            Some("v2") => (1, bad2, Some(bit_of(k, p2))),
            Some("td") => (2, bad_td, Some(bit_of(k, "tracking_date"))),
            Some("ok") => (3, bad1 || bad2 || bad_td, None),
            other => return Err(format!("unexpected part {other:?}")),
        };
        tally.read[slot] += n;
        match bit {
            Some(bit) if bad => c.invalid[bit] += n,
            None if !bad => c.conforming += n,
            _ => {}
        }
    }
    for (c, t) in out.kinds.iter_mut().zip(&tallies) {
        c.unchecked = (0..4)
            .map(|i| t.present[i].saturating_sub(t.read[i]))
            .max()
            .unwrap_or(0);
    }
    Ok(out)
}

fn range_ok(text: &str) -> bool {
    parse_range(&sanitize(text)) != RangeParse::Invalid
}

fn bit_of(kind: EventKind, property: &str) -> usize {
    kind.bit(property).trailing_zeros() as usize
}
