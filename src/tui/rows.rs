//! The rows of each pane as the filter and the details view see them.

use super::pane::PaneId;
use crate::domain::values::date_of;
use crate::domain::{Dataset, EventKind};
use crate::engine::Views;
use crate::engine::health::Health;

/// A line of the data health pane.
#[derive(Clone, Debug, PartialEq)]
pub enum HealthItem {
    Kind(usize),
    Property { kind: usize, property: usize },
    Lines,
    Broken(usize),
    OtherEvents,
    Untimed,
    Subscriptions,
}

pub fn health_items(h: &Health) -> Vec<HealthItem> {
    let mut items = Vec::new();
    for (k, kind) in h.kinds.iter().enumerate() {
        items.push(HealthItem::Kind(k));
        // Every property with a problem, worst first (a kind has at most eight).
        for p in 0..kind.properties.len() {
            items.push(HealthItem::Property {
                kind: k,
                property: p,
            });
        }
    }
    items.push(HealthItem::Lines);
    items.push(HealthItem::OtherEvents);
    items.push(HealthItem::Untimed);
    items.push(HealthItem::Subscriptions);
    items.extend((0..h.ingest.broken_samples.len()).map(HealthItem::Broken));
    items
}

pub fn count(ds: &Dataset, v: &Views, pane: PaneId) -> usize {
    let _ = ds;
    match pane {
        PaneId::Overview => v.overview.rows.len(),
        PaneId::Revenue => v.revenue.len(),
        PaneId::Cost => v.cost.len(),
        PaneId::Decisions => v.decisions.rows.len(),
        PaneId::Health => health_items(&v.health).len(),
    }
}

/// The text a filter is matched against: what the row shows.
pub fn haystack(ds: &Dataset, v: &Views, pane: PaneId, row: usize) -> String {
    let s = |sym| ds.shown(sym);
    match pane {
        PaneId::Overview => v.overview.rows.get(row).map_or_else(String::new, |r| {
            format!(
                "{} {} {} {}",
                ds.tenant(r.tenant),
                r.level.label(),
                r.plan.map_or("", s),
                r.status.map_or("", s)
            )
        }),
        PaneId::Revenue => v.revenue.get(row).map_or_else(String::new, |r| {
            let signals: Vec<&str> = r.signals.iter().map(|(x, _)| s(*x)).collect();
            format!(
                "{} {} {} {}",
                ds.tenant(r.tenant),
                s(r.category),
                r.direction.word(),
                signals.join(" ")
            )
        }),
        PaneId::Cost => v.cost.get(row).map_or_else(String::new, |r| {
            let vendors: Vec<&str> = r.vendors.iter().map(|(x, _)| s(*x)).collect();
            format!(
                "{} {} {} {}",
                s(r.optimization),
                ds.tenant(r.tenant),
                r.direction.word(),
                vendors.join(" ")
            )
        }),
        PaneId::Decisions => v.decisions.rows.get(row).map_or_else(String::new, |r| {
            format!(
                "{} {} {} {} {} {} {}",
                date_of(r.at).map(|d| d.to_string()).unwrap_or_default(),
                ds.tenant(r.tenant),
                s(r.category),
                s(r.maker_level),
                s(r.outcome),
                s(r.timeframe),
                r.status.word()
            )
        }),
        PaneId::Health => health_items(&v.health)
            .get(row)
            .map_or_else(String::new, |item| match item {
                HealthItem::Kind(k) | HealthItem::Property { kind: k, .. } => {
                    let kind = EventKind::ALL.get(*k).map_or("", |k| k.event_name());
                    match item {
                        HealthItem::Property { kind: k, property } => format!(
                            "{kind} {}",
                            v.health
                                .kinds
                                .get(*k)
                                .and_then(|h| h.properties.get(*property))
                                .map_or("", |p| p.property)
                        ),
                        _ => kind.to_owned(),
                    }
                }
                HealthItem::Lines => "lines broken".to_owned(),
                HealthItem::Broken(i) => v
                    .health
                    .ingest
                    .broken_samples
                    .get(*i)
                    .map_or_else(String::new, |b| {
                        format!("broken line {} {}", b.line, b.reason)
                    }),
                HealthItem::OtherEvents => "other events".to_owned(),
                HealthItem::Untimed => "untimed events".to_owned(),
                HealthItem::Subscriptions => "subscriptions".to_owned(),
            }),
    }
}

/// Rows passing a filter: every word of the filter must appear, in any case.
pub fn filter(ds: &Dataset, v: &Views, pane: PaneId, filter: &str) -> Vec<u32> {
    let n = count(ds, v, pane);
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    (0..n)
        .filter(|&i| {
            if words.is_empty() {
                return true;
            }
            let hay = haystack(ds, v, pane, i).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}
