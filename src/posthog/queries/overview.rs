//! The overview: per tenant the three events of the last 90 days, the money ranges of
//! those days, and the subscriptions table when the project has one.

use super::text::{prop, tenant};
use super::{Bounds, Rows, Scope, count, plain_sym, sym, text};
use crate::domain::values::{parse_timestamp, utc_date};
use crate::domain::{EventKind, Interner, Subscription, Sym};
use crate::engine::rollup::{OverviewRollup, bump};
use crate::posthog::client::HogQl;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

/// Rows of the subscriptions table brought back.
pub const SUBSCRIPTION_ROWS: usize = 10_000;

pub fn query(b: &Bounds, scope: &Scope) -> HogQl {
    let mut v = Map::new();
    v.insert("s90".into(), b.recent.0.into());
    v.insert("e90".into(), b.recent.1.into());
    let names: Vec<Value> = EventKind::ALL
        .iter()
        .map(|k| Value::from(k.event_name()))
        .collect();
    v.insert("events".into(), Value::Array(names));
    for k in EventKind::ALL {
        v.insert(format!("ev{}", k as usize), k.event_name().into());
    }
    let mut parts = vec![
        "SELECT 't' AS part, tenant, NULL AS v1, NULL AS v2, NULL AS v3, \
         countIf(event = {ev0}) AS a, countIf(event = {ev1}) AS b, countIf(event = {ev2}) AS c \
         FROM e GROUP BY tenant"
            .to_owned(),
        "SELECT 'ir', NULL, ir, NULL, NULL, count(), 0, 0 FROM e WHERE event = {ev0} GROUP BY ir"
            .to_owned(),
        "SELECT 'sr', NULL, sr, NULL, NULL, count(), 0, 0 FROM e WHERE event = {ev1} GROUP BY sr"
            .to_owned(),
    ];
    if let Some(table) = &scope.subscriptions_table {
        // The table name was checked to be a plain identifier (settings::check_table).
        // A large table is read in part: active rows first, the rest reported as
        // left out (the overview then lists a tenant it found no row for rather than
        // hide it as inactive), with 'subn' counting every row.
        parts.push(format!(
            "SELECT * FROM (SELECT 'sub' AS s_part, toString(tenant_id) AS s_tenant, \
             toString(plan_name) AS s_plan, toString(status) AS s_status, \
             toString(current_period_start) AS s_start, 0 AS s_a, 0 AS s_b, 0 AS s_c \
             FROM {table} ORDER BY s_status = 'active' DESC, s_tenant, s_start DESC LIMIT {})",
            scope.cap(SUBSCRIPTION_ROWS)
        ));
        parts.push(format!(
            "SELECT 'subn', NULL, NULL, NULL, NULL, count(), 0, 0 FROM {table}"
        ));
    }
    let text = format!(
        "WITH e AS (SELECT {} AS tenant, event, {} AS ir, {} AS sr FROM events \
         WHERE event IN {{events}} AND timestamp >= toDateTime({{s90}}) \
         AND timestamp < toDateTime({{e90}}) LIMIT 1 BY uuid, event) \
         SELECT * FROM ({}) LIMIT {}",
        tenant(),
        prop("approximate_impact_range"),
        prop("approximate_savings_range"),
        parts.join(" UNION ALL "),
        super::ROW_LIMIT
    );
    HogQl {
        name: super::Part::Overview.query_name().to_owned(),
        text,
        values: v,
    }
}

pub fn read(rows: &Rows, strings: &mut Interner, scope: &Scope) -> Result<OverviewRollup, String> {
    let part = rows.col("part")?;
    let (tenant, v1, v2, v3) = (
        rows.col("tenant")?,
        rows.col("v1")?,
        rows.col("v2")?,
        rows.col("v3")?,
    );
    let (a, b, c) = (rows.col("a")?, rows.col("b")?, rows.col("c")?);
    let mut out = OverviewRollup {
        subscriptions: scope.subscriptions_table.as_ref().map(|_| Vec::new()),
        ..OverviewRollup::default()
    };
    let mut tenants: FxHashMap<Sym, [u32; 3]> = FxHashMap::default();
    // The table's rows in all, and those that came back.
    let (mut table_rows, mut read) = (0u32, 0u32);
    for row in rows.iter() {
        match text(row, part) {
            Some("t") => {
                let t = tenants.entry(sym(strings, text(row, tenant))).or_default();
                t[0] += count(row, a);
                t[1] += count(row, b);
                t[2] += count(row, c);
            }
            Some("ir") => bump(
                &mut out.revenue_ranges,
                sym(strings, text(row, v1)),
                count(row, a),
            ),
            Some("sr") => bump(
                &mut out.cost_ranges,
                sym(strings, text(row, v1)),
                count(row, a),
            ),
            Some("subn") => table_rows += count(row, a),
            Some("sub") => {
                // Counted read even when skipped below for a blank tenant.
                read += 1;
                // Warehouse columns are plain values, not property JSON.
                let tenant = plain_sym(strings, text(row, tenant));
                if tenant.is_empty() {
                    continue;
                }
                let sub = Subscription {
                    tenant,
                    plan: plain_sym(strings, text(row, v1)),
                    status: plain_sym(strings, text(row, v2)),
                    // As the file reader reads it: the date as written (UTC).
                    current_period_start: text(row, v3)
                        .and_then(parse_timestamp)
                        .and_then(utc_date),
                };
                if let Some(subs) = out.subscriptions.as_mut() {
                    subs.push(sub);
                }
            }
            other => return Err(format!("unexpected part {other:?}")),
        }
    }
    out.tenants = tenants.into_iter().collect();
    out.subscriptions_left_out = table_rows.saturating_sub(read);
    Ok(out)
}
