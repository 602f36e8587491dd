//! The events an alert stands on, asked for once its rule has fired: one query for any
//! set of alerts, the newest `per` of each (`LIMIT … BY`), found again by
//! the raw texts PostHog sent for their tenants and subjects. What comes back grows
//! with the alerts asked about, never with the events.

use super::alerts::{events, window_values, windowed};
use super::{Bounds, Rows, Scope, int, property, sym, text};
use crate::domain::event::parse_uuid;
use crate::domain::sanitize::sanitize;
use crate::domain::values::{Priority, ReviewTimeframe, parse_bool};
use crate::domain::{EventKind, Interner, Sym};
use crate::engine::alerts::local::{review_word, summary};
use crate::engine::alerts::rollup::{AlertRollup, Win, Windows};
use crate::engine::alerts::rules::Key;
use crate::engine::alerts::{EvidenceEvent, Rule};
use crate::posthog::client::HogQl;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const NAME: &str = "bearing_alert_evidence";

/// Oddly spelled decisions of a tenant read back to judge their review dates.
const ODD_ROWS: usize = 2_000;

const COLUMNS: &str = "ts, toString(uuid) AS id, ev, g, r, x, y, z";

/// The raw texts of some strings, as a list value.
fn raws(answer: &AlertRollup, syms: impl Iterator<Item = Sym>) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for s in syms {
        for t in answer.raw.get(&s).into_iter().flatten() {
            out.push(t.as_str().into());
        }
    }
    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    out.dedup();
    Value::Array(out)
}

/// The evidence query for `keys`, or None when there is nothing to ask.
pub fn query(
    keys: &[Key],
    answer: &AlertRollup,
    strings: &Interner,
    b: &Bounds,
    w: &Windows,
    scope: &Scope,
    per: usize,
) -> Option<HogQl> {
    let mut v = Map::new();
    window_values(w, &mut v);
    let mut groups: BTreeMap<(Rule, Win), Vec<&Key>> = BTreeMap::new();
    for k in keys {
        groups.entry((k.rule, k.win)).or_default().push(k);
    }
    let mut members = Vec::new();
    for (i, ((rule, win), keys)) in groups.iter().enumerate() {
        let tenants = format!("t{i}");
        v.insert(
            tenants.clone(),
            raws(answer, keys.iter().filter_map(|k| k.tenant)),
        );
        let subjects = format!("s{i}");
        v.insert(
            subjects.clone(),
            raws(answer, keys.iter().filter_map(|k| k.subject)),
        );
        let wi = win.index() + 1;
        let head = format!("SELECT '{rule}' AS rule, {wi} AS w");
        let each = |kind: &str, filter: String| {
            format!(
                "{head}, tenant AS kt, NULL AS ks, {COLUMNS} FROM aw \
                 WHERE wi = {wi} AND ev = {{{kind}}} AND {filter}"
            )
        };
        let tenant_in = format!("coalesce(tenant, '') IN {{{tenants}}}");
        // Tenants and subjects each among the alerts'; a pair no alert names comes back
        // too (at most its newest events) and is left out on reading.
        let pair_in = format!("{tenant_in} AND coalesce(g, '') IN {{{subjects}}}");
        members.push(match rule {
            Rule::DeliverabilityTrend => {
                let cats = format!("c{i}");
                let deliverability = answer
                    .raw
                    .keys()
                    .copied()
                    .filter(|s| {
                        strings
                            .resolve(*s)
                            .to_ascii_lowercase()
                            .contains("deliverability")
                    })
                    .collect::<Vec<_>>();
                v.insert(cats.clone(), raws(answer, deliverability.into_iter()));
                each("ev_r", format!("{tenant_in} AND g IN {{{cats}}}"))
            }
            Rule::RevenuePattern => each("ev_r", tenant_in),
            Rule::CostRoi => each("ev_c", tenant_in),
            Rule::PlanningInsight => each("ev_d", tenant_in),
            Rule::CostOpportunity => {
                v.insert("review_true".into(), answer.review_true.clone().into());
                let review = "x IN {review_true}";
                format!(
                    "{head}, tenant AS kt, g AS ks, {COLUMNS} FROM aw WHERE wi = {wi} \
                     AND ev = {{ev_c}} AND {review} AND {pair_in}"
                )
            }
            Rule::CustomEvent => format!(
                "{head}, tenant AS kt, g AS ks, {COLUMNS} FROM aw WHERE wi = {wi} \
                 AND ev NOT IN ({{ev_r}}, {{ev_c}}, {{ev_d}}) AND {pair_in}"
            ),
            Rule::VendorTrend => format!(
                "{head}, NULL AS kt, y AS ks, {COLUMNS} FROM aw WHERE wi = {wi} \
                 AND ev = {{ev_c}} AND y IN {{{subjects}}}"
            ),
            Rule::DecisionReviewDue => due(&mut v, b, w, *win, &head, &tenant_in, scope),
        });
    }
    if members.is_empty() {
        return None;
    }
    let windows = events(
        &mut v,
        scope,
        "timestamp >= toDateTime({lo}) AND timestamp < toDateTime({hi})",
    );
    let decisions = events(&mut v, scope, "timestamp >= toDateTime({reach})");
    v.insert(
        "reach".into(),
        crate::engine::scan::decision_reach(w.today, w.zone).into(),
    );
    v.insert("per".into(), per.into());
    let text = format!(
        "WITH aw AS ({}), d AS (SELECT ts, uuid, ev, tenant, g AS cat, x AS lvl, r, \
             y AS tf, z AS td FROM ({decisions}) WHERE ev = {{ev_d}}) \
             SELECT * FROM ({}) ORDER BY rule, w, kt, ks, ts DESC, id DESC \
             LIMIT {{per}} BY rule, w, kt, ks LIMIT {}",
        windowed(&windows),
        members.join(" UNION ALL "),
        super::ROW_LIMIT
    );
    // Each group's tenants and subjects were bound whether or not its rule filters on
    // them; PostHog is sent only the values the query uses.
    v.retain(|name, _| {
        let per_group = name.starts_with(['t', 's']) && name[1..].parse::<usize>().is_ok();
        !per_group || text.contains(&format!("{{{name}}}"))
    });
    Some(HogQl {
        name: NAME.to_owned(),
        text,
        values: v,
    })
}

/// Decisions whose review falls due in the month: those the query dates itself, and
/// the oddly spelled ones of the same tenants for bearing to judge (each its own group,
/// so the per-alert limit leaves them all).
fn due(
    v: &mut Map<String, Value>,
    b: &Bounds,
    w: &Windows,
    win: Win,
    head: &str,
    tenant_in: &str,
    scope: &Scope,
) -> String {
    let review = super::review::dates("d", "uuid, tenant, cat, lvl, r, tf", b, v);
    let p = w.period(win);
    let (from, to) = (p.start, crate::domain::values::next_month_start(p.start));
    let (f, t) = (
        format!("due_from{}", win.index()),
        format!("due_to{}", win.index()),
    );
    v.insert(f.clone(), from.to_string().into());
    v.insert(t.clone(), to.to_string().into());
    format!(
        "{head}, tenant AS kt, NULL AS ks, ts, toString(uuid) AS id, {{ev_d}} AS ev, cat AS g, \
         r, lvl AS x, tf AS y, NULL AS z FROM (SELECT ts, uuid, tenant, cat, lvl, r, tf, \
         {} AS rv FROM ({})) WHERE {tenant_in} AND rv >= toDate({{{f}}}) AND rv < toDate({{{t}}}) \
         UNION ALL SELECT * FROM (SELECT 'odd' AS o_rule, {} AS o_w, tenant AS o_kt, \
         toString(uuid) AS o_ks, ts, toString(uuid) AS o_id, {{ev_d}} AS o_ev, cat, r, lvl, tf, \
         td FROM d WHERE NOT {} AND {tenant_in} ORDER BY ts DESC, o_id DESC LIMIT {})",
        super::review::REVIEW,
        review.dated,
        win.index() + 1,
        review.readable,
        scope.cap(ODD_ROWS),
    )
}

/// A property as the evidence shows it: sanitised, a dash when missing.
fn shown(raw: Option<&str>) -> String {
    property(raw).map_or_else(|| "—".to_owned(), |t| sanitize(&t).into_owned())
}

/// Reads the answer: each key's events, newest first, at most the `per` the query
/// asked for (the oddly spelled decisions read with them can be more).
pub fn read(
    rows: &Rows,
    strings: &mut Interner,
    w: &Windows,
    per: usize,
) -> Result<FxHashMap<Key, Vec<EvidenceEvent>>, String> {
    let col = |n: &str| rows.col(n);
    let (rule, wc, kt, ks, ts, id, ev) = (
        col("rule")?,
        col("w")?,
        col("kt")?,
        col("ks")?,
        col("ts")?,
        col("id")?,
        col("ev")?,
    );
    let f = [col("g")?, col("r")?, col("x")?, col("y")?, col("z")?];
    let mut found: FxHashMap<Key, Vec<(i64, [u8; 16], EvidenceEvent)>> = FxHashMap::default();
    for row in rows.iter() {
        let win = int(row, wc)
            .and_then(|i| usize::try_from(i - 1).ok())
            .and_then(Win::from_index)
            .ok_or("unexpected window")?;
        let at = int(row, ts).unwrap_or(i64::MIN);
        let tenant = sym(strings, text(row, kt));
        let field = |i: usize| text(row, f[i]);
        let odd = text(row, rule) == Some("odd");
        let rule = if odd {
            // Due in this month by bearing's own reading, or not evidence at all.
            let made = super::decisions::tracked(field(4)).or_else(|| w.zone.date_of(at));
            let tf = ReviewTimeframe::parse(&shown(field(3)));
            let review = made.zip(tf).and_then(|(m, tf)| tf.after(m));
            let start = w.period(win).start;
            let end = crate::domain::values::next_month_start(start);
            if !review.is_some_and(|r| r >= start && r < end) {
                continue;
            }
            Rule::DecisionReviewDue
        } else {
            text(row, rule)
                .and_then(Rule::parse)
                .ok_or("unexpected rule")?
        };
        let subject = match rule {
            Rule::CostOpportunity | Rule::CustomEvent | Rule::VendorTrend => {
                Some(sym(strings, text(row, ks)))
            }
            _ => None,
        };
        let key = Key {
            rule,
            win,
            tenant: (rule != Rule::VendorTrend).then_some(tenant),
            subject,
        };
        let event = text(row, ev).unwrap_or_default();
        let fields = match EventKind::from_event_name(event) {
            Some(EventKind::Revenue) => {
                let p = property(field(2)).as_deref().and_then(Priority::parse);
                Some((
                    EventKind::Revenue,
                    [
                        shown(field(4)),
                        shown(field(0)),
                        shown(field(1)),
                        p.map_or("—", Priority::name).to_owned(),
                    ],
                ))
            }
            Some(EventKind::Cost) => {
                let flag = property(field(2)).as_deref().and_then(parse_bool);
                Some((
                    EventKind::Cost,
                    [
                        shown(field(0)),
                        shown(field(1)),
                        shown(field(3)),
                        review_word(flag).to_owned(),
                    ],
                ))
            }
            Some(EventKind::Decision) => Some((
                EventKind::Decision,
                [
                    shown(field(0)),
                    shown(field(2)),
                    shown(field(1)),
                    shown(field(3)),
                ],
            )),
            None => None,
        };
        let uuid = text(row, id).and_then(parse_uuid).unwrap_or_default();
        let shown_event = match &fields {
            Some((kind, f)) => EvidenceEvent {
                uuid: crate::domain::event::uuid_text(&uuid),
                date: w.zone.date_of(at),
                event: kind.event_name().to_owned(),
                summary: summary(*kind, [&f[0], &f[1], &f[2], &f[3]]),
            },
            // A watched custom event: its name and day.
            None => EvidenceEvent {
                uuid: None,
                date: w.zone.date_of(at),
                event: {
                    let name = sym(strings, field(0));
                    strings.resolve(name).to_owned()
                },
                summary: String::new(),
            },
        };
        found.entry(key).or_default().push((at, uuid, shown_event));
    }
    Ok(found
        .into_iter()
        .map(|(k, mut events)| {
            events.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
            let shown = events.into_iter().take(per).map(|(_, _, e)| e).collect();
            (k, shown)
        })
        .collect())
}
