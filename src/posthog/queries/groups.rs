//! Revenue trends and cost opportunities: per (tenant, group) the sparkline months, the
//! period and the one before, the latest event, and the period's values of the
//! properties bearing reads itself, counted.

use super::text::{prop, tenant};
use super::{Bounds, Rows, count, int, property, sym, text};
use crate::domain::values::{Priority, parse_bool};
use crate::domain::{EventKind, Interner, Sym};
use crate::engine::rollup::{GroupRow, GroupsRollup, bump};
use crate::posthog::client::HogQl;
use rustc_hash::FxHashMap;
use serde_json::Map;

/// Which properties play which role for one pane.
pub struct Shape {
    pub kind: EventKind,
    pub group: &'static str,
    pub range: &'static str,
    pub label: &'static str,
    pub label2: &'static str,
    /// `strategic_priority` (revenue) or `strategic_review_required` (cost).
    pub flag: &'static str,
}

pub const REVENUE: &Shape = &Shape {
    kind: EventKind::Revenue,
    group: "trend_category",
    range: "approximate_impact_range",
    label: "directional_signal",
    label2: "follow_up_action",
    flag: "strategic_priority",
};

pub const COST: &Shape = &Shape {
    kind: EventKind::Cost,
    group: "optimization_type",
    range: "approximate_savings_range",
    label: "esp_vendor_context",
    label2: "implementation_feasibility",
    flag: "strategic_review_required",
};

const FACETS: [&str; 4] = ["rng", "l1", "l2", "flag"];

pub fn query(s: &Shape, b: &Bounds) -> HogQl {
    let mut v = Map::new();
    v.insert("event".into(), s.kind.event_name().into());
    v.insert("lo".into(), b.lo.into());
    b.period_values(&mut v);
    for (i, m) in b.months.iter().enumerate() {
        v.insert(format!("m{i}"), (*m).into());
    }
    let months: Vec<String> = (0..b.months.len().saturating_sub(1))
        .map(|i| format!("countIf(ts >= {{m{i}}} AND ts < {{m{}}}) AS n{i}", i + 1))
        .collect();
    let zeros: Vec<String> = (0..months.len()).map(|i| format!("0 AS n{i}")).collect();
    let mut parts = vec![format!(
        "SELECT 's' AS part, tenant, grp, NULL AS val, {}, \
         countIf(ts >= {{cs}} AND ts < {{ce}}) AS cur, \
         countIf(ts >= {{ps}} AND ts < {{pe}}) AS prev, max(ts) AS last \
         FROM e GROUP BY tenant, grp",
        months.join(", ")
    )];
    for f in FACETS {
        parts.push(format!(
            "SELECT '{f}' AS part, tenant, grp, {f} AS val, {}, count() AS cur, 0 AS prev, 0 AS last \
             FROM e WHERE ts >= {{cs}} AND ts < {{ce}} GROUP BY tenant, grp, {f}",
            zeros.join(", ")
        ));
    }
    let text = format!(
        "WITH e AS (SELECT {} AS tenant, {} AS grp, {} AS rng, {} AS l1, {} AS l2, {} AS flag, \
         toUnixTimestamp(timestamp) AS ts FROM events \
         WHERE event = {{event}} AND timestamp >= toDateTime({{lo}}) LIMIT 1 BY uuid) \
         SELECT * FROM ({}) LIMIT {}",
        tenant(),
        prop(s.group),
        prop(s.range),
        prop(s.label),
        prop(s.label2),
        prop(s.flag),
        parts.join(" UNION ALL "),
        super::ROW_LIMIT
    );
    HogQl {
        name: match s.kind {
            EventKind::Revenue => super::Part::Revenue,
            _ => super::Part::Cost,
        }
        .query_name()
        .to_owned(),
        text,
        values: v,
    }
}

pub fn read(s: &Shape, rows: &Rows, strings: &mut Interner) -> Result<GroupsRollup, String> {
    let part = rows.col("part")?;
    let (tenant, grp, val) = (rows.col("tenant")?, rows.col("grp")?, rows.col("val")?);
    let n: Vec<usize> = (0..crate::engine::series::SPARK_MONTHS)
        .map(|i| rows.col(&format!("n{i}")))
        .collect::<Result<_, _>>()?;
    let (cur, prev, last) = (rows.col("cur")?, rows.col("prev")?, rows.col("last")?);
    let mut groups: FxHashMap<(Sym, Sym), GroupRow> = FxHashMap::default();
    for row in rows.iter() {
        let key = (
            sym(strings, text(row, tenant)),
            sym(strings, text(row, grp)),
        );
        let g = groups.entry(key).or_default();
        let c = count(row, cur);
        match text(row, part) {
            Some("s") => {
                for (i, col) in n.iter().enumerate() {
                    g.series.monthly[i] += count(row, *col);
                }
                g.series.current += c;
                g.series.previous += count(row, prev);
                g.last_seen = g.last_seen.max(int(row, last).unwrap_or(0));
            }
            Some("rng") => bump(&mut g.ranges, sym(strings, text(row, val)), c),
            Some("l1") => bump(&mut g.labels, sym(strings, text(row, val)), c),
            Some("l2") => bump(&mut g.labels2, sym(strings, text(row, val)), c),
            Some("flag") => {
                let value = property(text(row, val));
                match s.kind {
                    EventKind::Revenue => bump(
                        &mut g.priorities,
                        value.as_deref().and_then(Priority::parse),
                        c,
                    ),
                    _ => bump(&mut g.flags, value.as_deref().and_then(parse_bool), c),
                }
            }
            other => return Err(format!("unexpected part {other:?}")),
        }
    }
    Ok(GroupsRollup {
        groups: groups
            .into_iter()
            .map(|((tenant, group), g)| GroupRow { tenant, group, ..g })
            .collect(),
    })
}
