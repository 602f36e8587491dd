//! The alert rollup and the evidence events from a dataset in memory (demo data, an
//! exported file). PostHog's executor answers the same two questions in HogQL
//! (`crate::posthog::queries::alerts`).

use super::rollup::{AlertRollup, CostCell, CostKey, Due, DueCell, RevenueCell, Win, Windows};
use super::rules::Key;
use super::{EVIDENCE_EVENTS, EvidenceEvent, Rule};
use crate::domain::period::first_of_month;
use crate::domain::values::ReviewTimeframe;
use crate::domain::{Dataset, Details, Event, EventKind, Priority, Sym, Zone};
use crate::engine::rollup::bump;
use chrono::Datelike;
use rustc_hash::FxHashMap;

/// Every count the rules read, in one pass over the events.
pub fn rollup(ds: &Dataset, w: &Windows) -> AlertRollup {
    let mut revenue: FxHashMap<(Win, Sym, Sym), RevenueCell> = FxHashMap::default();
    let mut cost: FxHashMap<CostKey, CostCell> = FxHashMap::default();
    let mut decisions: FxHashMap<(Win, Sym, Sym), u32> = FxHashMap::default();
    let mut due: FxHashMap<Due, DueCell> = FxHashMap::default();
    let mut timeframes: FxHashMap<Sym, Option<ReviewTimeframe>> = FxHashMap::default();
    let (due_from, due_to) = w.due_span();
    let reach = crate::engine::scan::decision_reach(w.today, w.zone);
    for e in &ds.events {
        if e.at == i64::MIN {
            continue;
        }
        match &e.details {
            Details::Revenue(r) => {
                for win in w.of(e.at) {
                    let c = revenue.entry((win, e.tenant, r.category)).or_default();
                    c.count += 1;
                    if let Some(d) = w.zone.date_of(e.at) {
                        c.months[(d.month0() % 3) as usize] += 1;
                    }
                    if win.is_reviewed() {
                        bump(&mut c.impacts, r.impact, 1);
                        bump(&mut c.priorities, r.priority, 1);
                        bump(&mut c.follow_ups, r.follow_up, 1);
                    }
                }
            }
            Details::Cost(k) => {
                for win in w.of(e.at) {
                    let key = (win, e.tenant, k.optimization, k.review_required);
                    let c = cost.entry(key).or_default();
                    c.count += 1;
                    if win.is_reviewed() {
                        bump(&mut c.savings, k.savings, 1);
                    }
                    bump(&mut c.vendors, k.vendor, 1);
                }
            }
            Details::Decision(d) => {
                for win in w.of(e.at) {
                    *decisions.entry((win, e.tenant, d.category)).or_default() += 1;
                }
                if e.at < reach {
                    continue;
                }
                let tf = *timeframes
                    .entry(d.timeframe)
                    .or_insert_with(|| ReviewTimeframe::parse(ds.resolve(d.timeframe)));
                let made = e.tracked_date().or_else(|| w.zone.date_of(e.at));
                let Some(review) = made.zip(tf).and_then(|(m, tf)| tf.after(m)) else {
                    continue;
                };
                if review >= due_from && review < due_to {
                    let key = Due {
                        tenant: e.tenant,
                        month: first_of_month(review),
                        category: d.category,
                        level: d.maker_level,
                        follow_up: d.follow_up,
                    };
                    let cell = DueCell::one(review, w.today);
                    due.entry(key).and_modify(|c| c.add(cell)).or_insert(cell);
                }
            }
        }
    }
    let mut custom: FxHashMap<(Win, Sym, Sym), u32> = FxHashMap::default();
    for c in &ds.custom {
        for win in w.of(c.at) {
            *custom.entry((win, c.tenant, c.name)).or_default() += 1;
        }
    }
    AlertRollup {
        revenue: revenue.into_iter().collect(),
        cost: cost.into_iter().collect(),
        decisions: decisions.into_iter().collect(),
        due: due.into_iter().collect(),
        due_unchecked: 0,
        custom: custom.into_iter().collect(),
        ..AlertRollup::default()
    }
}

/// The keys an event is evidence for, given the rule's own filters.
fn keys_of(ds: &Dataset, w: &Windows, e: &Event, out: &mut Vec<Key>) {
    let key = |rule, win, tenant, subject| Key {
        rule,
        win,
        tenant,
        subject,
    };
    for win in w.of(e.at) {
        let month = Win::MONTHS.contains(&win);
        let quarter = Win::QUARTERS.contains(&win);
        match &e.details {
            Details::Revenue(r) => {
                let deliverability = ds
                    .resolve(r.category)
                    .to_ascii_lowercase()
                    .contains("deliverability");
                if month && deliverability {
                    out.push(key(Rule::DeliverabilityTrend, win, Some(e.tenant), None));
                }
                if quarter {
                    out.push(key(Rule::RevenuePattern, win, Some(e.tenant), None));
                }
            }
            Details::Cost(c) => {
                if month && c.review_required == Some(true) {
                    let subject = Some(c.optimization);
                    out.push(key(Rule::CostOpportunity, win, Some(e.tenant), subject));
                }
                if quarter {
                    out.push(key(Rule::CostRoi, win, Some(e.tenant), None));
                    if !c.vendor.is_empty() {
                        out.push(key(Rule::VendorTrend, win, None, Some(c.vendor)));
                    }
                }
            }
            Details::Decision(_) => {
                if quarter {
                    out.push(key(Rule::PlanningInsight, win, Some(e.tenant), None));
                }
            }
        }
    }
}

/// The month a decision's review falls due in, when it is one the rules look at.
fn due_month(ds: &Dataset, w: &Windows, e: &Event) -> Option<Win> {
    let Details::Decision(d) = &e.details else {
        return None;
    };
    if e.at < crate::engine::scan::decision_reach(w.today, w.zone) {
        return None;
    }
    let made = e.tracked_date().or_else(|| w.zone.date_of(e.at))?;
    let review = ReviewTimeframe::parse(ds.resolve(d.timeframe))?.after(made)?;
    Win::MONTHS.into_iter().find(|m| {
        let start = w.period(*m).start;
        review >= start && review < crate::domain::values::next_month_start(start)
    })
}

/// The evidence events of each key asked for: the newest [`EVIDENCE_EVENTS`], in one
/// pass over the events.
pub fn evidence(ds: &Dataset, w: &Windows, keys: &[Key]) -> FxHashMap<Key, Vec<EvidenceEvent>> {
    evidence_upto(ds, w, keys, EVIDENCE_EVENTS)
}

/// [`evidence`], the newest `per` events of each key (a further page of them).
pub fn evidence_upto(
    ds: &Dataset,
    w: &Windows,
    keys: &[Key],
    per: usize,
) -> FxHashMap<Key, Vec<EvidenceEvent>> {
    let wanted: rustc_hash::FxHashSet<Key> = keys.iter().copied().collect();
    let mut found: FxHashMap<Key, Vec<&Event>> = FxHashMap::default();
    let mut scratch = Vec::new();
    for e in &ds.events {
        if e.at == i64::MIN {
            continue;
        }
        scratch.clear();
        keys_of(ds, w, e, &mut scratch);
        if let Some(m) = due_month(ds, w, e) {
            scratch.push(Key {
                rule: Rule::DecisionReviewDue,
                win: m,
                tenant: Some(e.tenant),
                subject: None,
            });
        }
        for k in &scratch {
            if wanted.contains(k) {
                found.entry(*k).or_default().push(e);
            }
        }
    }
    let mut out: FxHashMap<Key, Vec<EvidenceEvent>> = found
        .into_iter()
        .map(|(k, mut events)| {
            newest_first(&mut events);
            let shown = events
                .into_iter()
                .take(per)
                .map(|e| describe(ds, w.zone, e))
                .collect();
            (k, shown)
        })
        .collect();
    custom_evidence(ds, w, &wanted, per, &mut out);
    out
}

/// Newest first; one instant's events by uuid, highest first, as PostHog orders them.
pub fn newest_first(events: &mut [&Event]) {
    events.sort_by_key(|e| std::cmp::Reverse((e.at, e.uuid)));
}

fn custom_evidence(
    ds: &Dataset,
    w: &Windows,
    wanted: &rustc_hash::FxHashSet<Key>,
    per: usize,
    out: &mut FxHashMap<Key, Vec<EvidenceEvent>>,
) {
    let mut times: FxHashMap<Key, Vec<i64>> = FxHashMap::default();
    for c in &ds.custom {
        for win in w.of(c.at) {
            let k = Key {
                rule: Rule::CustomEvent,
                win,
                tenant: Some(c.tenant),
                subject: Some(c.name),
            };
            if wanted.contains(&k) {
                times.entry(k).or_default().push(c.at);
            }
        }
    }
    for (k, mut t) in times {
        t.sort_unstable_by(|a, b| b.cmp(a));
        let name = ds.shown(k.subject.unwrap_or(Sym::EMPTY)).to_owned();
        let shown = t
            .iter()
            .take(per)
            .map(|at| EvidenceEvent {
                uuid: None,
                date: w.zone.date_of(*at),
                event: name.clone(),
                summary: String::new(),
            })
            .collect();
        out.insert(k, shown);
    }
}

/// One line of evidence: what the event said.
pub fn describe(ds: &Dataset, zone: Zone, e: &Event) -> EvidenceEvent {
    let s = |sym| ds.shown(sym);
    let fields = match &e.details {
        Details::Revenue(r) => [
            s(r.signal),
            s(r.category),
            s(r.impact),
            r.priority.map_or("—", Priority::name),
        ],
        Details::Cost(c) => [
            s(c.optimization),
            s(c.savings),
            s(c.vendor),
            review_word(c.review_required),
        ],
        Details::Decision(d) => [
            s(d.category),
            s(d.maker_level),
            s(d.outcome),
            s(d.timeframe),
        ],
    };
    EvidenceEvent {
        uuid: e.uuid_string(),
        date: zone.date_of(e.at),
        event: e.kind().event_name().to_owned(),
        summary: summary(e.kind(), fields),
    }
}

/// `strategic_review_required` as the evidence says it.
pub fn review_word(flag: Option<bool>) -> &'static str {
    flag.map_or("—", |b| if b { "required" } else { "not required" })
}

/// An evidence line from an event's four shown fields: signal, category, impact and
/// priority; optimization, savings, vendor and review; category, level, outcome and
/// review timeframe.
pub fn summary(kind: EventKind, [a, b, c, d]: [&str; 4]) -> String {
    match kind {
        EventKind::Revenue => format!("{a} · {b} · impact {c} · priority {d}"),
        EventKind::Cost => format!("{a} · savings {b} · {c} · review {d}"),
        EventKind::Decision => format!("{a} · {b} level · outcome {c} · review {d}"),
    }
}
