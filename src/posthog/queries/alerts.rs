//! The alert rollup (`crate::engine::alerts::rollup`) in one HogQL query: per review
//! window, tenant and subject, the counts the rules read and the raw text of the values
//! bearing parses itself. An event counts in every window it falls in (they overlap),
//! by `arrayJoin` over the windows, so the events are read once. What comes back grows
//! with tenants and distinct values, never with the number of events.

use super::text::{nested, prop, tenant};
use super::{Bounds, Rows, Scope, count, int, property, sym, text};
use crate::domain::period::first_of_month;
use crate::domain::values::{ReviewTimeframe, parse_bool, utc_date};
use crate::domain::{EventKind, Interner, Priority, Sym};
use crate::engine::alerts::rollup::{
    AlertRollup, CostCell, CostKey, Due, DueCell, RevenueCell, Win, Windows, add_due,
};
use crate::engine::rollup::bump;
use crate::posthog::client::HogQl;
use chrono::Months;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

/// The query's name in PostHog's query log.
pub const NAME: &str = "bearing_alert_rollup";

/// Groups of oddly spelled decisions read back for their review dates.
pub const ODD_ROWS: usize = 10_000;

/// A property of each strategic event, by the role it plays (custom events have none).
fn by_kind(v: &[&str; 3]) -> String {
    format!(
        "multiIf(event = {{ev_r}}, {}, event = {{ev_c}}, {}, event = {{ev_d}}, {}, NULL)",
        prop(v[0]),
        prop(v[1]),
        prop(v[2])
    )
}

/// The columns every alert query reads, one row per uuid: `g` the group (trend
/// category, optimization type, decision category, or a custom event's name), `r` the
/// range (impact, savings, expected outcome), `x` priority / review flag / maker level,
/// `y` follow-up action / vendor / review timeframe, `z` directional signal /
/// feasibility / tracking date, `u` a decision's outcome follow-up.
pub fn events(v: &mut Map<String, Value>, scope: &Scope, since: &str) -> String {
    v.insert("ev_r".into(), EventKind::Revenue.event_name().into());
    v.insert("ev_c".into(), EventKind::Cost.event_name().into());
    v.insert("ev_d".into(), EventKind::Decision.event_name().into());
    let mut names: Vec<Value> = EventKind::ALL
        .iter()
        .map(|k| k.event_name().into())
        .collect();
    // A custom event's tenant is its tenant_id, else its distinct_id (as the file
    // reader takes it).
    let tenant = if scope.custom_events.is_empty() {
        tenant()
    } else {
        v.insert("custom".into(), scope.custom_events.clone().into());
        names.extend(scope.custom_events.iter().map(|n| Value::from(n.as_str())));
        format!(
            "if(event IN {{custom}}, multiIf({}, NULL, isNotNull({}), {}, distinct_id), {})",
            nested("tenant_id"),
            prop("tenant_id"),
            prop("tenant_id"),
            tenant()
        )
    };
    v.insert("names".into(), Value::Array(names));
    format!(
        "SELECT toUnixTimestamp(timestamp) AS ts, uuid, event AS ev, {tenant} AS tenant, \
         if(event IN ({{ev_r}}, {{ev_c}}, {{ev_d}}), {}, event) AS g, {} AS r, {} AS x, \
         {} AS y, {} AS z, if(event = {{ev_d}}, {}, NULL) AS u FROM events WHERE event IN {{names}} \
         AND {since} LIMIT 1 BY uuid",
        by_kind(&["trend_category", "optimization_type", "decision_category"]),
        by_kind(&[
            "approximate_impact_range",
            "approximate_savings_range",
            "expected_outcome_range"
        ]),
        by_kind(&[
            "strategic_priority",
            "strategic_review_required",
            "decision_maker_level"
        ]),
        by_kind(&["follow_up_action", "esp_vendor_context", "review_timeframe"]),
        by_kind(&[
            "directional_signal",
            "implementation_feasibility",
            "tracking_date"
        ]),
        prop("outcome_follow_up"),
    )
}

/// The windows' bounds as values: starts, ends, and the starts of each window's
/// second and third month (for "months with signals").
pub fn window_values(w: &Windows, v: &mut Map<String, Value>) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let (mut m1, mut m2) = (Vec::new(), Vec::new());
    for win in Win::ALL {
        let p = w.period(win);
        starts.push(Value::from(p.start_ts()));
        ends.push(Value::from(p.end_ts()));
        let month = |n| {
            p.start
                .checked_add_months(Months::new(n))
                .map_or(i64::MAX, |d| w.zone.midnight(d))
        };
        m1.push(Value::from(month(1)));
        m2.push(Value::from(month(2)));
    }
    v.insert("ws".into(), Value::Array(starts));
    v.insert("we".into(), Value::Array(ends));
    v.insert("wm1".into(), Value::Array(m1));
    v.insert("wm2".into(), Value::Array(m2));
    v.insert("lo".into(), w.lo().into());
    let hi = Win::ALL.iter().map(|x| w.bounds(*x).1).max().unwrap_or(0);
    v.insert("hi".into(), hi.into());
}

/// Each event once per window it falls in, as `wi` (1-based) with `mo`, its month
/// counted from the window's start.
pub fn windowed(events: &str) -> String {
    let each = "arrayJoin(arrayFilter(i -> ts >= arrayElement({ws}, i) AND ts < \
                arrayElement({we}, i), [1, 2, 3, 4, 5, 6, 7, 8]))";
    format!(
        "SELECT ts, uuid, ev, tenant, g, r, x, y, z, u, wi, \
         (ts >= arrayElement({{wm1}}, wi)) + (ts >= arrayElement({{wm2}}, wi)) AS mo \
         FROM (SELECT ts, uuid, ev, tenant, g, r, x, y, z, u, {each} AS wi FROM ({events}))"
    )
}

pub fn query(b: &Bounds, w: &Windows, scope: &Scope) -> HogQl {
    let mut v = Map::new();
    window_values(w, &mut v);
    let windows = events(
        &mut v,
        scope,
        "timestamp >= toDateTime({lo}) AND timestamp < toDateTime({hi})",
    );
    // The decisions read from the decision log's reach, further back than the
    // windows: a review falls due months after the decision.
    let decisions = events(&mut v, scope, "timestamp >= toDateTime({reach})");
    let reach = crate::engine::scan::decision_reach(w.today, w.zone);
    v.insert("reach".into(), reach.into());
    let (from, to) = w.due_span();
    v.insert("due_from".into(), from.to_string().into());
    v.insert("due_to".into(), to.to_string().into());
    v.insert("today".into(), w.today.to_string().into());
    let review = super::review::dates("d", "tenant, cat, lvl, fu", b, &mut v);
    let (readable, dated, day) = (&review.readable, &review.dated, &review.day);
    let rev = "FROM aw WHERE ev = {ev_r}";
    let cost = "FROM aw WHERE ev = {ev_c}";
    // The values the rules read are counted in the months and quarters alerts are
    // raised for; the windows before them are only compared by count.
    let rev_values = "FROM aw WHERE ev = {ev_r} AND wi IN (1, 3, 5, 7)";
    let mut parts = vec![
        format!(
            "SELECT 'r' AS part, wi AS w, tenant, g, NULL AS k, NULL AS val, NULL AS aux, NULL AS fu, \
             count() AS n, countIf(mo = 0) AS m0, countIf(mo = 1) AS m1, countIf(mo = 2) AS m2 \
             {rev} GROUP BY wi, tenant, g"
        ),
        // The other members leave their constants unnamed (only the first names the
        // columns), so no alias shadows a column of `aw`.
        format!(
            "SELECT 'ri', wi, tenant, g, NULL, r, NULL, NULL, count(), 0, 0, 0 {rev_values} GROUP BY wi, tenant, g, r"
        ),
        format!(
            "SELECT 'rp', wi, tenant, g, NULL, x, NULL, NULL, count(), 0, 0, 0 {rev_values} GROUP BY wi, tenant, g, x"
        ),
        format!(
            "SELECT 'rf', wi, tenant, g, NULL, y, NULL, NULL, count(), 0, 0, 0 {rev_values} GROUP BY wi, tenant, g, y"
        ),
        format!(
            "SELECT 'c', wi, tenant, g, x, NULL, NULL, NULL, count(), 0, 0, 0 {cost} GROUP BY wi, tenant, g, x"
        ),
        format!(
            "SELECT 'cs', wi, tenant, g, x, r, NULL, NULL, count(), 0, 0, 0 {cost} \
             AND wi IN (1, 3, 5, 7) GROUP BY wi, tenant, g, x, r"
        ),
        format!(
            "SELECT 'cv', wi, tenant, g, x, y, NULL, NULL, count(), 0, 0, 0 {cost} GROUP BY wi, tenant, g, x, y"
        ),
        "SELECT 'd', wi, tenant, g, NULL, NULL, NULL, NULL, count(), 0, 0, 0 FROM aw \
         WHERE ev = {ev_d} GROUP BY wi, tenant, g"
            .to_owned(),
        // Reviews the query dates itself, due from the first of last month to the end
        // of this one.
        format!(
            "SELECT 'due', 0, tenant, cat, lvl, toString(mon), toString(min(rv)), fu, count(), \
             countIf(rv < toDate({{today}})), 0, 0 FROM (SELECT tenant, cat, lvl, fu, rv, \
             toStartOfMonth(rv) AS mon FROM (SELECT tenant, cat, lvl, fu, {} AS rv FROM ({dated}))) \
             WHERE rv >= toDate({{due_from}}) AND rv < toDate({{due_to}}) \
             GROUP BY tenant, cat, lvl, fu, mon",
            super::review::REVIEW
        ),
        // Oddly spelled ones go back raw, the most recent first, capped (and counted).
        format!(
            "SELECT * FROM (SELECT 'odd' AS o_part, {day} AS o_day, tenant, cat, lvl, tf, td, \
             fu, count() AS o_n, 0 AS o_0, 0 AS o_1, 0 AS o_2 FROM d WHERE NOT {readable} \
             GROUP BY tenant, cat, lvl, tf, td, fu, o_day \
             ORDER BY o_day DESC, tenant, cat, lvl, tf, td, fu LIMIT {cap})",
            cap = scope.cap(ODD_ROWS)
        ),
        format!(
            "SELECT 'oddn', 0, NULL, NULL, NULL, NULL, NULL, NULL, count(), 0, 0, 0 FROM d \
             WHERE NOT {readable}"
        ),
    ];
    if !scope.custom_events.is_empty() {
        parts.push(
            "SELECT 'u', wi, tenant, g, NULL, NULL, NULL, NULL, count(), 0, 0, 0 FROM aw \
             WHERE ev IN {custom} GROUP BY wi, tenant, g"
                .to_owned(),
        );
    }
    let decisions = format!(
        "SELECT ts, tenant, g AS cat, x AS lvl, y AS tf, z AS td, u AS fu FROM ({decisions}) \
         WHERE ev = {{ev_d}}"
    );
    HogQl {
        name: NAME.to_owned(),
        text: format!(
            "WITH aw AS ({}), d AS ({decisions}) SELECT * FROM ({}) LIMIT {}",
            windowed(&windows),
            parts.join(" UNION ALL "),
            super::ROW_LIMIT
        ),
        values: v,
    }
}

/// The raw texts PostHog sent for each string read, to ask about the same events again
/// (the evidence query filters on them).
pub type Raw = FxHashMap<Sym, Vec<String>>;

fn interned(strings: &mut Interner, raws: &mut Raw, raw: Option<&str>) -> Sym {
    let s = sym(strings, raw);
    let text = raw.unwrap_or_default().to_owned();
    let seen = raws.entry(s).or_default();
    if !seen.contains(&text) {
        seen.push(text);
    }
    s
}

/// Reads the answer into the rollup, with the raw texts behind its tenants and subjects.
pub fn read(rows: &Rows, strings: &mut Interner, w: &Windows) -> Result<AlertRollup, String> {
    let col = |n: &str| rows.col(n);
    let (part, wc, tenant, g, k, val, aux, fu) = (
        col("part")?,
        col("w")?,
        col("tenant")?,
        col("g")?,
        col("k")?,
        col("val")?,
        col("aux")?,
        col("fu")?,
    );
    let (n, m) = (col("n")?, [col("m0")?, col("m1")?, col("m2")?]);
    let mut raws = Raw::default();
    let mut review_true: Vec<String> = Vec::new();
    let mut revenue: FxHashMap<(Win, Sym, Sym), RevenueCell> = FxHashMap::default();
    let mut cost: FxHashMap<CostKey, CostCell> = FxHashMap::default();
    let mut out = AlertRollup::default();
    let (mut odd, mut odd_read) = (0u64, 0u64);
    let (due_from, due_to) = w.due_span();
    for row in rows.iter() {
        let c = count(row, n);
        let p = text(row, part);
        if p == Some("oddn") {
            odd += u64::from(c);
            continue;
        }
        let t = interned(strings, &mut raws, text(row, tenant));
        let grp = interned(strings, &mut raws, text(row, g));
        let win = || {
            int(row, wc)
                .and_then(|i| usize::try_from(i - 1).ok())
                .and_then(Win::from_index)
                .ok_or_else(|| format!("unexpected window {:?}", row.get(wc)))
        };
        let value = |strings: &mut Interner| sym(strings, text(row, val));
        match p {
            Some("r") => {
                let cell = revenue.entry((win()?, t, grp)).or_default();
                cell.count += c;
                for (i, col) in m.iter().enumerate() {
                    cell.months[i] += count(row, *col);
                }
            }
            Some("ri") => bump(
                &mut revenue.entry((win()?, t, grp)).or_default().impacts,
                value(strings),
                c,
            ),
            Some("rp") => bump(
                &mut revenue.entry((win()?, t, grp)).or_default().priorities,
                property(text(row, val))
                    .as_deref()
                    .and_then(Priority::parse),
                c,
            ),
            Some("rf") => bump(
                &mut revenue.entry((win()?, t, grp)).or_default().follow_ups,
                value(strings),
                c,
            ),
            Some(kind @ ("c" | "cs" | "cv")) => {
                let flag = property(text(row, k)).as_deref().and_then(parse_bool);
                if let (Some(true), Some(raw)) = (flag, text(row, k))
                    && !review_true.iter().any(|t| t == raw)
                {
                    review_true.push(raw.to_owned());
                }
                let cell = cost.entry((win()?, t, grp, flag)).or_default();
                match kind {
                    "c" => cell.count += c,
                    "cs" => bump(&mut cell.savings, value(strings), c),
                    _ => {
                        let vendor = interned(strings, &mut raws, text(row, val));
                        bump(&mut cell.vendors, vendor, c);
                    }
                }
            }
            Some("d") => bump(&mut out.decisions, (win()?, t, grp), c),
            Some("u") => bump(&mut out.custom, (win()?, t, grp), c),
            Some("due") => {
                let date = |i: usize| {
                    text(row, i)
                        .and_then(|d| d.parse().ok())
                        .ok_or_else(|| format!("unreadable review date {:?}", row.get(i)))
                };
                let key = Due {
                    tenant: t,
                    month: date(val)?,
                    category: grp,
                    level: sym(strings, text(row, k)),
                    follow_up: sym(strings, text(row, fu)),
                };
                let cell = DueCell {
                    count: c,
                    passed: count(row, m[0]),
                    first: date(aux)?,
                };
                add_due(&mut out.due, key, cell);
            }
            Some("odd") => {
                // Read as the local executor reads them: the made day is the tracking
                // date, else the event's local day (given as days since 1970).
                odd_read += u64::from(c);
                let day = int(row, wc).unwrap_or(0);
                let made = super::decisions::tracked(text(row, aux))
                    .or_else(|| utc_date(day.saturating_mul(86_400)));
                let tf = value(strings);
                let tf = ReviewTimeframe::parse(strings.resolve(tf));
                let Some(review) = made.zip(tf).and_then(|(m, tf)| tf.after(m)) else {
                    continue;
                };
                if review >= due_from && review < due_to {
                    let key = Due {
                        tenant: t,
                        month: first_of_month(review),
                        category: grp,
                        level: sym(strings, text(row, k)),
                        follow_up: sym(strings, text(row, fu)),
                    };
                    let cell = DueCell {
                        count: c,
                        passed: if review < w.today { c } else { 0 },
                        first: review,
                    };
                    add_due(&mut out.due, key, cell);
                }
            }
            other => return Err(format!("unexpected part {other:?}")),
        }
    }
    out.due_unchecked = u32::try_from(odd.saturating_sub(odd_read)).unwrap_or(u32::MAX);
    out.revenue = revenue.into_iter().collect();
    out.cost = cost.into_iter().collect();
    out.raw = raws;
    out.review_true = review_true;
    Ok(out)
}
