//! The decision log: totals, the month's due reviews and the period's mix per tenant,
//! computed in PostHog, plus the first page of rows, newest first; later pages come
//! with a (timestamp, uuid) cursor as the analyst scrolls.
//!
//! A review is due this month when tracking date (else the event's day) plus the
//! review timeframe lands in it. The query computes that for tracking dates and
//! timeframes in the forms it can read exactly (see `text.rs`); decisions with any
//! other spelling come back grouped by their raw text and bearing reads them itself.

use super::text::{prop, tenant};
use super::{Bounds, Rows, Scope, count, int, property, sym, text};
use crate::domain::event::parse_uuid;
use crate::domain::values::{ReviewTimeframe, parse_timestamp, utc_date};
use crate::domain::{EventKind, Interner, Sym};
use crate::engine::EngineParams;
use crate::engine::decisions::{ReviewStatus, next_review, status_of};
use crate::engine::rollup::{Cursor, DecisionEntry, DecisionRollup, TenantDecisions, bump};
use crate::posthog::client::HogQl;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

const ROW_COLUMNS: &str = "ts, toString(uuid) AS id, tenant, cat, lvl, why, outcome, tf, fu, td";

/// The decisions since `since` (the log's reach, `engine::scan`), one row per uuid.
fn cte(v: &mut Map<String, Value>, since: i64) -> String {
    v.insert("event".into(), EventKind::Decision.event_name().into());
    v.insert("since".into(), since.into());
    format!(
        "SELECT toUnixTimestamp(timestamp) AS ts, uuid, {} AS tenant, {} AS cat, {} AS lvl, \
         {} AS why, {} AS outcome, {} AS tf, {} AS fu, {} AS td \
         FROM events WHERE event = {{event}} AND timestamp >= toDateTime({{since}}) \
         LIMIT 1 BY uuid",
        tenant(),
        prop("decision_category"),
        prop("decision_maker_level"),
        prop("strategic_justification"),
        prop("expected_outcome_range"),
        prop("review_timeframe"),
        prop("outcome_follow_up"),
        prop("tracking_date"),
    )
}

pub fn query(b: &Bounds, scope: &Scope) -> HogQl {
    let mut v = Map::new();
    let events = cte(&mut v, b.since.decisions);
    v.insert("cs".into(), b.cur.0.into());
    v.insert("ce".into(), b.cur.1.into());
    v.insert("month".into(), b.this_month.to_string().into());
    v.insert("page".into(), scope.page.max(1).into());
    let super::review::Review {
        readable,
        dated,
        day,
    } = super::review::dates("d", "tenant", b, &mut v);
    let due = format!(
        "ifNull(toStartOfMonth({}) = toDate({{month}}), 0)",
        super::review::REVIEW
    );
    let in_period = "(ts >= {cs} AND ts < {ce})";
    let nulls7 = "NULL, NULL, NULL, NULL, NULL, NULL, NULL";
    let parts = [
        format!(
            "SELECT * FROM (SELECT 'row' AS part, {ROW_COLUMNS}, 1 AS n, 0 AS cur, 0 AS due FROM d \
             ORDER BY ts DESC, id DESC LIMIT {{page}})"
        ),
        // Only the first part names the columns. The others leave their constants
        // unnamed: an alias such as `NULL AS td` would shadow the CTE's column in
        // their own WHERE and aggregates.
        format!(
            "SELECT 'agg', 0, NULL, tenant, {nulls7}, count(), countIf({in_period}), \
             countIf({due}) FROM ({dated}) GROUP BY tenant"
        ),
        // Decisions spelled oddly grow with the project: the most recent `cap`
        // groups come back for bearing to read their review dates, and 'oddn' counts
        // them all per tenant, so totals stay exact and the rest is reported as
        // unchecked rather than failing the pane.
        // Under `*` every column is named (PostHog expands it to named columns only).
        format!(
            "SELECT * FROM (SELECT 'odd' AS o_part, {day} * 86400 AS day, NULL AS o_id, tenant, \
             NULL AS o_cat, NULL AS o_lvl, NULL AS o_why, NULL AS o_outcome, tf, NULL AS o_fu, \
             td, count() AS o_n, 0 AS o_cur, 0 AS o_due FROM d WHERE NOT {readable} \
             GROUP BY tenant, tf, td, day ORDER BY day DESC, tenant, tf, td LIMIT {cap})",
            cap = scope.cap(ODD_ROWS)
        ),
        format!(
            "SELECT 'oddn', 0, NULL, tenant, {nulls7}, count(), countIf({in_period}), 0 \
             FROM d WHERE NOT {readable} GROUP BY tenant"
        ),
        format!(
            "SELECT 'cat', 0, NULL, tenant, cat, NULL, NULL, NULL, NULL, NULL, NULL, count(), 0, 0 \
             FROM d WHERE {in_period} GROUP BY tenant, cat"
        ),
        format!(
            "SELECT 'lvl', 0, NULL, tenant, NULL, lvl, NULL, NULL, NULL, NULL, NULL, count(), 0, 0 \
             FROM d WHERE {in_period} GROUP BY tenant, lvl"
        ),
    ];
    HogQl {
        name: super::Part::Decisions.query_name().to_owned(),
        text: format!(
            "WITH d AS ({events}) SELECT * FROM ({}) LIMIT {}",
            parts.join(" UNION ALL "),
            super::ROW_LIMIT
        ),
        values: v,
    }
}

/// The name of a further page's query in PostHog's query log.
pub const PAGE_NAME: &str = "bearing_decision_log_page";

/// Groups of oddly spelled decisions read back for their review dates.
pub const ODD_ROWS: usize = 10_000;

/// The page of decision rows after `cursor`, no further back than `since`.
pub fn page_query(cursor: Cursor, page: usize, since: i64) -> HogQl {
    let mut v = Map::new();
    let events = cte(&mut v, since);
    v.insert("cts".into(), cursor.0.into());
    v.insert(
        "cid".into(),
        crate::domain::event::uuid_text(&cursor.1)
            .unwrap_or_default()
            .into(),
    );
    v.insert("page".into(), page.max(1).into());
    HogQl {
        name: PAGE_NAME.to_owned(),
        text: format!(
            "WITH d AS ({events}) SELECT 'row' AS part, {ROW_COLUMNS}, 1 AS n, 0 AS cur, 0 AS due \
             FROM d WHERE ts < {{cts}} OR (ts = {{cts}} AND toString(uuid) < {{cid}}) \
             ORDER BY ts DESC, id DESC LIMIT {{page}}"
        ),
        values: v,
    }
}

#[derive(Default)]
struct TenantAcc {
    in_period: u32,
    due: u32,
    categories: Vec<(Sym, u32)>,
    levels: Vec<(Sym, u32)>,
}

pub fn read(
    rows: &Rows,
    strings: &mut Interner,
    params: &EngineParams,
    scope: &Scope,
) -> Result<DecisionRollup, String> {
    let c = Cols::new(rows)?;
    let mut out = DecisionRollup::default();
    let mut tenants: FxHashMap<Sym, TenantAcc> = FxHashMap::default();
    // Oddly spelled decisions in all, and those whose review date was read back.
    let (mut odd, mut odd_read) = (0u64, 0u64);
    for row in rows.iter() {
        let tenant = sym(strings, text(row, c.tenant));
        let n = count(row, c.n);
        match text(row, c.part) {
            Some("row") => out.rows.push(c.entry(row, strings)),
            Some("agg") => {
                let t = tenants.entry(tenant).or_default();
                let (cur, due) = (count(row, c.cur), count(row, c.due));
                out.total += n;
                out.in_period += cur;
                out.due_this_month += due;
                t.in_period += cur;
                t.due += due;
            }
            Some("oddn") => {
                let cur = count(row, c.cur);
                let t = tenants.entry(tenant).or_default();
                out.total += n;
                out.in_period += cur;
                t.in_period += cur;
                odd += u64::from(n);
            }
            Some("odd") => {
                // Read here as the local executor reads them. The query gives the
                // event's local day as that date's UTC midnight; it stands here as
                // the day's local midnight, which `Zone::date_of` reads back.
                odd_read += u64::from(n);
                let day = int(row, c.ts).unwrap_or(0);
                let at = utc_date(day).map_or(day, |d| params.zone.midnight(d));
                let tracked = tracked(text(row, c.td));
                let tf_sym = sym(strings, text(row, c.tf));
                let tf = ReviewTimeframe::parse(strings.resolve(tf_sym));
                let e = DecisionEntry {
                    at,
                    tracked,
                    ..DecisionEntry::blank()
                };
                let t = tenants.entry(tenant).or_default();
                if status_of(next_review(&e, tf, params.zone), params.today)
                    == ReviewStatus::DueThisMonth
                {
                    out.due_this_month += n;
                    t.due += n;
                }
            }
            Some("cat") => {
                let cat = sym(strings, text(row, c.cat));
                bump(&mut tenants.entry(tenant).or_default().categories, cat, n);
            }
            Some("lvl") => {
                let lvl = sym(strings, text(row, c.lvl));
                bump(&mut tenants.entry(tenant).or_default().levels, lvl, n);
            }
            other => return Err(format!("unexpected part {other:?}")),
        }
    }
    out.unchecked = u32::try_from(odd.saturating_sub(odd_read)).unwrap_or(u32::MAX);
    out.since = crate::engine::scan::Since::new(params).decisions;
    out.rows.sort_by(crate::engine::local::order);
    if out.rows.len() < out.total as usize && out.rows.len() >= scope.page.max(1) {
        out.cursor = out.rows.last().map(|r| (r.at, r.uuid));
    }
    out.tenants = tenants
        .into_iter()
        .map(|(tenant, t)| TenantDecisions {
            tenant,
            in_period: t.in_period,
            due_this_month: t.due,
            categories: t.categories,
            levels: t.levels,
        })
        .collect();
    Ok(out)
}

/// Reads a page of rows; returns them and the cursor of the next page, if any.
pub fn read_page(
    rows: &Rows,
    strings: &mut Interner,
    page: usize,
) -> Result<(Vec<DecisionEntry>, Option<Cursor>), String> {
    let c = Cols::new(rows)?;
    let mut out: Vec<DecisionEntry> = rows.iter().map(|r| c.entry(r, strings)).collect();
    out.sort_by(crate::engine::local::order);
    let cursor = (out.len() >= page.max(1))
        .then(|| out.last().map(|r| (r.at, r.uuid)))
        .flatten();
    Ok((out, cursor))
}

/// A raw `tracking_date` read as the file reader reads it.
pub(super) fn tracked(raw: Option<&str>) -> Option<chrono::NaiveDate> {
    property(raw)
        .and_then(|t| parse_timestamp(&t))
        .and_then(utc_date)
}

struct Cols {
    part: usize,
    ts: usize,
    id: usize,
    tenant: usize,
    cat: usize,
    lvl: usize,
    why: usize,
    outcome: usize,
    tf: usize,
    fu: usize,
    td: usize,
    n: usize,
    cur: usize,
    due: usize,
}

impl Cols {
    fn new(r: &Rows) -> Result<Cols, String> {
        Ok(Cols {
            part: r.col("part")?,
            ts: r.col("ts")?,
            id: r.col("id")?,
            tenant: r.col("tenant")?,
            cat: r.col("cat")?,
            lvl: r.col("lvl")?,
            why: r.col("why")?,
            outcome: r.col("outcome")?,
            tf: r.col("tf")?,
            fu: r.col("fu")?,
            td: r.col("td")?,
            n: r.col("n")?,
            cur: r.col("cur")?,
            due: r.col("due")?,
        })
    }

    fn entry(&self, row: &[Value], strings: &mut Interner) -> DecisionEntry {
        DecisionEntry {
            at: int(row, self.ts).unwrap_or(0),
            uuid: text(row, self.id).and_then(parse_uuid).unwrap_or_default(),
            tenant: sym(strings, text(row, self.tenant)),
            category: sym(strings, text(row, self.cat)),
            maker_level: sym(strings, text(row, self.lvl)),
            justification: sym(strings, text(row, self.why)),
            outcome: sym(strings, text(row, self.outcome)),
            timeframe: sym(strings, text(row, self.tf)),
            follow_up: sym(strings, text(row, self.fu)),
            tracked: tracked(text(row, self.td)),
        }
    }
}

impl DecisionEntry {
    pub fn blank() -> DecisionEntry {
        DecisionEntry {
            at: 0,
            uuid: [0; 16],
            tenant: Sym::EMPTY,
            category: Sym::EMPTY,
            maker_level: Sym::EMPTY,
            justification: Sym::EMPTY,
            outcome: Sym::EMPTY,
            timeframe: Sym::EMPTY,
            follow_up: Sym::EMPTY,
            tracked: None,
        }
    }
}
