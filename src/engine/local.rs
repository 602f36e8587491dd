//! The local executor: every pane's rollup computed from a dataset in memory (demo
//! data, an exported file, an offline snapshot's events). PostHog's executor answers
//! the same questions in HogQL (`crate::posthog::queries`).

use super::EngineParams;
use super::decisions::{ReviewStatus, next_review, status_of};
use super::rollup::{
    Counts, DecisionEntry, DecisionRollup, GroupRow, GroupsRollup, HealthRollup, KindCounts,
    OverviewRollup, Rollups, TenantDecisions,
};
use super::scan::Since;
use super::series::{MonthAxis, Window};
use crate::domain::values::ReviewTimeframe;
use crate::domain::{Dataset, Details, PeriodSpec, Sym, Zone};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::hash::Hash;

fn counts<K: Eq + Hash>(m: FxHashMap<K, u32>) -> Counts<K> {
    m.into_iter().collect()
}

pub fn rollups(ds: &Dataset, params: &EngineParams) -> Rollups {
    let period = params.period.resolve(params.today, params.zone);
    let window = Window::new(&period);
    let axis = MonthAxis::new(params.today, params.zone);
    let since = Since::new(params);
    Rollups {
        overview: overview(ds, params.today, params.zone),
        revenue: revenue(ds, &axis, &window),
        cost: cost(ds, &axis, &window),
        decisions: decisions(ds, params, &window, since.decisions),
        health: health(ds, since.health),
        // The rules' rollup is made where they run (`crate::refresh::rules`), not
        // each time the period changes.
        alerts: Default::default(),
    }
}

pub fn overview(ds: &Dataset, today: NaiveDate, zone: Zone) -> OverviewRollup {
    let since = PeriodSpec::Trailing(90).resolve(today, zone);
    let (start, end) = (since.start_ts(), since.end_ts());
    let mut tenants: FxHashMap<Sym, [u32; 3]> = FxHashMap::default();
    let mut revenue: FxHashMap<Sym, u32> = FxHashMap::default();
    let mut cost: FxHashMap<Sym, u32> = FxHashMap::default();
    for e in &ds.events {
        if e.at < start || e.at >= end {
            continue;
        }
        tenants.entry(e.tenant).or_default()[e.kind() as usize] += 1;
        match &e.details {
            Details::Revenue(r) => *revenue.entry(r.impact).or_default() += 1,
            Details::Cost(c) => *cost.entry(c.savings).or_default() += 1,
            Details::Decision(_) => {}
        }
    }
    OverviewRollup {
        tenants: tenants.into_iter().collect(),
        revenue_ranges: counts(revenue),
        cost_ranges: counts(cost),
        subscriptions: ds.subscriptions.clone(),
        subscriptions_left_out: 0,
    }
}

#[derive(Default)]
struct GroupAcc {
    row: GroupRow,
    ranges: FxHashMap<Sym, u32>,
    labels: FxHashMap<Sym, u32>,
    labels2: FxHashMap<Sym, u32>,
    priorities: FxHashMap<Option<crate::domain::Priority>, u32>,
    flags: FxHashMap<Option<bool>, u32>,
}

impl GroupAcc {
    fn finish(self) -> GroupRow {
        GroupRow {
            ranges: counts(self.ranges),
            labels: counts(self.labels),
            labels2: counts(self.labels2),
            priorities: counts(self.priorities),
            flags: counts(self.flags),
            ..self.row
        }
    }
}

/// Groups events by (tenant, group), counting each into the series and, when it falls
/// in the period, handing it to `facets`.
fn grouped(
    ds: &Dataset,
    axis: &MonthAxis,
    window: &Window,
    key: impl Fn(&Details) -> Option<Sym>,
    facets: impl Fn(&Details, &mut GroupAcc),
) -> GroupsRollup {
    let mut groups: FxHashMap<(Sym, Sym), GroupAcc> = FxHashMap::default();
    for e in &ds.events {
        let Some(group) = key(&e.details) else {
            continue;
        };
        if e.at == i64::MIN {
            continue;
        }
        let acc = groups.entry((e.tenant, group)).or_default();
        acc.row.last_seen = acc.row.last_seen.max(e.at);
        if acc.row.series.count(e.at, axis, window) {
            facets(&e.details, acc);
        }
    }
    GroupsRollup {
        groups: groups
            .into_iter()
            .filter(|(_, a)| a.row.series.is_visible())
            .map(|((tenant, group), mut a)| {
                a.row.tenant = tenant;
                a.row.group = group;
                a.finish()
            })
            .collect(),
    }
}

pub fn revenue(ds: &Dataset, axis: &MonthAxis, window: &Window) -> GroupsRollup {
    grouped(
        ds,
        axis,
        window,
        |d| match d {
            Details::Revenue(r) => Some(r.category),
            _ => None,
        },
        |d, acc| {
            if let Details::Revenue(r) = d {
                *acc.ranges.entry(r.impact).or_default() += 1;
                *acc.labels.entry(r.signal).or_default() += 1;
                *acc.labels2.entry(r.follow_up).or_default() += 1;
                *acc.priorities.entry(r.priority).or_default() += 1;
            }
        },
    )
}

pub fn cost(ds: &Dataset, axis: &MonthAxis, window: &Window) -> GroupsRollup {
    grouped(
        ds,
        axis,
        window,
        |d| match d {
            Details::Cost(c) => Some(c.optimization),
            _ => None,
        },
        |d, acc| {
            if let Details::Cost(c) = d {
                *acc.ranges.entry(c.savings).or_default() += 1;
                *acc.labels.entry(c.vendor).or_default() += 1;
                *acc.labels2.entry(c.feasibility).or_default() += 1;
                *acc.flags.entry(c.review_required).or_default() += 1;
            }
        },
    )
}

/// The decisions made since `since` (see `scan.rs`).
pub fn decisions(
    ds: &Dataset,
    params: &EngineParams,
    window: &Window,
    since: i64,
) -> DecisionRollup {
    let (today, zone) = (params.today, params.zone);
    let mut timeframes: FxHashMap<Sym, Option<ReviewTimeframe>> = FxHashMap::default();
    let mut out = DecisionRollup::default();
    let mut tenants: FxHashMap<Sym, TenantAcc> = FxHashMap::default();
    // Counted first, so the rows are held once at their size: growing them by
    // doubling held half again as much, with every event, at the peak of a report.
    let count = ds
        .events
        .iter()
        .filter(|e| matches!(e.details, Details::Decision(_)) && e.at != i64::MIN && e.at >= since)
        .count();
    let mut rows: Vec<(DecisionEntry, usize)> = Vec::with_capacity(count);
    for (i, e) in ds.events.iter().enumerate() {
        let Details::Decision(d) = &e.details else {
            continue;
        };
        if e.at == i64::MIN || e.at < since {
            continue;
        }
        let entry = DecisionEntry {
            at: e.at,
            uuid: e.uuid,
            tenant: e.tenant,
            category: d.category,
            maker_level: d.maker_level,
            justification: d.justification,
            outcome: d.outcome,
            timeframe: d.timeframe,
            follow_up: d.follow_up,
            tracked: e.tracked_date(),
        };
        let tf = *timeframes
            .entry(d.timeframe)
            .or_insert_with(|| ReviewTimeframe::parse(ds.resolve(d.timeframe)));
        let t = tenants.entry(e.tenant).or_default();
        out.total += 1;
        if status_of(next_review(&entry, tf, zone), today) == ReviewStatus::DueThisMonth {
            out.due_this_month += 1;
            t.due += 1;
        }
        if window.current(e.at) {
            out.in_period += 1;
            t.in_period += 1;
            *t.categories.entry(d.category).or_default() += 1;
            *t.levels.entry(d.maker_level).or_default() += 1;
        }
        rows.push((entry, i));
    }
    out.since = since;
    rows.sort_by(|(a, i), (b, j)| order(a, b).then(i.cmp(j)));
    out.rows = rows.into_iter().map(|(e, _)| e).collect();
    out.tenants = tenants
        .into_iter()
        .map(|(tenant, t)| TenantDecisions {
            tenant,
            in_period: t.in_period,
            due_this_month: t.due,
            categories: counts(t.categories),
            levels: counts(t.levels),
        })
        .collect();
    out
}

/// The decision log's order, which PostHog's pages follow too: newest first, then the
/// highest uuid first.
pub fn order(a: &DecisionEntry, b: &DecisionEntry) -> std::cmp::Ordering {
    b.at.cmp(&a.at).then(b.uuid.cmp(&a.uuid))
}

#[derive(Default)]
struct TenantAcc {
    in_period: u32,
    due: u32,
    categories: FxHashMap<Sym, u32>,
    levels: FxHashMap<Sym, u32>,
}

/// Data health of the events since `since` (see `scan.rs`). An event a file gave no
/// time is still counted: it cannot be placed before the cut, and PostHog stamps such
/// an event with its arrival.
pub fn health(ds: &Dataset, since: i64) -> HealthRollup {
    let mut out = HealthRollup {
        ingest: Some(ds.ingest.clone()),
        ..HealthRollup::default()
    };
    for e in &ds.events {
        if e.at != i64::MIN && e.at < since {
            continue;
        }
        let k = &mut out.kinds[e.kind() as usize];
        k.total += 1;
        if e.conforms() {
            k.conforming += 1;
            continue;
        }
        for bit in 0..16 {
            k.missing[bit] += u64::from(e.missing >> bit & 1);
            k.invalid[bit] += u64::from(e.invalid >> bit & 1);
        }
    }
    out
}

impl KindCounts {
    pub fn merge(&mut self, other: &KindCounts) {
        self.total += other.total;
        self.conforming += other.conforming;
        self.unchecked += other.unchecked;
        for bit in 0..16 {
            self.missing[bit] += other.missing[bit];
            self.invalid[bit] += other.invalid[bit];
        }
    }
}
