//! Revenue trends: per tenant and trend category, the 12-month sparkline, the
//! direction against the previous period, the approximate impact and what the signals
//! ask for.

use super::direction::Direction;
use super::impact::{Impact, RangeCache};
use super::series::{MonthAxis, Series, Window, ranked};
use crate::domain::{Dataset, Details, Priority, Sym};
use rustc_hash::FxHashMap;

/// Follow-up actions that ask for a process task (DESIGN §5).
pub const FOLLOW_UP_ACTIONS: [&str; 2] = ["process_review_required", "strategic_review_required"];

#[derive(Clone, Debug, PartialEq)]
pub struct TrendRow {
    pub tenant: Sym,
    pub category: Sym,
    pub series: Series,
    pub direction: Direction,
    /// Over the selected period.
    pub impact: Impact,
    /// High or critical signals in the period.
    pub urgent: u32,
    /// Signals in the period whose follow-up action asks for a review.
    pub follow_ups: u32,
    /// Directional signals in the period, most frequent first.
    pub signals: Vec<(Sym, u32)>,
    pub highest_priority: Option<Priority>,
    pub last_seen: i64,
}

#[derive(Default)]
struct Acc {
    series: Series,
    impact: Impact,
    urgent: u32,
    follow_ups: u32,
    signals: FxHashMap<Sym, u32>,
    highest: Option<Priority>,
    last_seen: i64,
}

pub fn revenue_trends(
    ds: &Dataset,
    axis: &MonthAxis,
    window: &Window,
    dead_band: f64,
) -> Vec<TrendRow> {
    let follow_up_syms: Vec<Sym> = FOLLOW_UP_ACTIONS
        .iter()
        .filter_map(|a| ds.strings.get(a))
        .collect();
    let mut cache = RangeCache::default();
    let mut groups: FxHashMap<(Sym, Sym), Acc> = FxHashMap::default();
    for e in &ds.events {
        let Details::Revenue(r) = &e.details else {
            continue;
        };
        if e.at == i64::MIN {
            continue;
        }
        let acc = groups.entry((e.tenant, r.category)).or_default();
        acc.last_seen = acc.last_seen.max(e.at);
        if !acc.series.count(e.at, axis, window) {
            continue;
        }
        acc.impact.add(cache.get(&ds.strings, r.impact));
        if r.priority.is_some_and(Priority::is_urgent) {
            acc.urgent += 1;
        }
        acc.highest = acc.highest.max(r.priority);
        if follow_up_syms.contains(&r.follow_up) {
            acc.follow_ups += 1;
        }
        if !r.signal.is_empty() {
            *acc.signals.entry(r.signal).or_default() += 1;
        }
    }
    let mut rows: Vec<TrendRow> = groups
        .into_iter()
        .filter(|(_, a)| a.series.is_visible())
        .map(|((tenant, category), a)| TrendRow {
            tenant,
            category,
            direction: a.series.direction(dead_band),
            series: a.series,
            impact: a.impact,
            urgent: a.urgent,
            follow_ups: a.follow_ups,
            signals: ranked(&a.signals),
            highest_priority: a.highest,
            last_seen: a.last_seen,
        })
        .collect();
    // Biggest exposure first; names break ties so the order is stable.
    rows.sort_by(|a, b| {
        b.impact
            .high
            .total_cmp(&a.impact.high)
            .then(b.series.current.cmp(&a.series.current))
            .then_with(|| ds.resolve(a.tenant).cmp(ds.resolve(b.tenant)))
            .then_with(|| ds.resolve(a.category).cmp(ds.resolve(b.category)))
    });
    rows
}
