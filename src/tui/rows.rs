//! The rows of each pane as the filter and the details view see them.

use super::pane::PaneId;
use super::state::Data;
use crate::domain::EventKind;
use crate::domain::values::date_of;
use crate::engine::health::Health;
use crate::refresh::Triage;
use crate::store::alerts::AlertRow;
use crate::store::followups::FollowUpRow;

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
    // What reading lines came to means nothing for PostHog, which aggregates in place.
    if h.from_lines {
        items.push(HealthItem::Lines);
        items.push(HealthItem::OtherEvents);
        items.push(HealthItem::Untimed);
    }
    items.push(HealthItem::Subscriptions);
    items.extend((0..h.ingest.broken_samples.len()).map(HealthItem::Broken));
    items
}

/// Where every pane's rows come from.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    pub data: Option<&'a Data>,
    pub triage: &'a Triage,
}

pub fn count(src: Rows, pane: PaneId) -> usize {
    match pane {
        PaneId::Alerts => src.triage.alerts.len(),
        PaneId::FollowUps => src.triage.followups.len(),
        _ => src.data.map_or(0, |d| {
            let v = &d.views;
            match pane {
                PaneId::Overview => v.overview.rows.len(),
                PaneId::Revenue => v.revenue.len(),
                PaneId::Cost => v.cost.len(),
                PaneId::Decisions => v.decisions.rows.len(),
                _ => health_items(&v.health).len(),
            }
        }),
    }
}

/// The id a triage row is known by (for marks and for the store).
pub fn row_id(src: Rows, pane: PaneId, row: usize) -> Option<String> {
    match pane {
        PaneId::Alerts => src.triage.alerts.get(row).map(|a| a.id.clone()),
        PaneId::FollowUps => src.triage.followups.get(row).map(|f| f.id.clone()),
        _ => None,
    }
}

fn alert_haystack(a: &AlertRow) -> String {
    format!(
        "{} {} {} {} {} {} {} {}",
        a.title,
        a.tenant,
        a.rule,
        a.period,
        a.severity,
        a.triage.status,
        a.subject.as_deref().unwrap_or(""),
        a.triage.owner.as_deref().unwrap_or("")
    )
}

/// `state:new`, `severity:high`, `owner:ana`, `rule:cost_roi`: exact fields of an alert.
fn alert_field(a: &AlertRow, key: &str, value: &str) -> Option<bool> {
    let v = value.to_lowercase();
    Some(match key {
        "state" | "status" => {
            a.triage.status.name() == v || (v == "ack" && a.triage.status.name() == "acknowledged")
        }
        "severity" | "sev" => a.severity.name() == v,
        "owner" => {
            a.triage
                .owner
                .as_deref()
                .is_some_and(|o| o.to_lowercase() == v)
                || (v == "none" && a.triage.owner.is_none())
        }
        "rule" => a.rule.id() == v,
        "tenant" => a.tenant.to_lowercase() == v,
        "period" => a.period.to_lowercase() == v,
        _ => return None,
    })
}

fn followup_field(f: &FollowUpRow, key: &str, value: &str) -> Option<bool> {
    let v = value.to_lowercase();
    Some(match key {
        "state" | "status" => f.state.status.name() == v,
        "owner" => {
            f.state
                .owner
                .as_deref()
                .is_some_and(|o| o.to_lowercase() == v)
                || (v == "none" && f.state.owner.is_none())
        }
        "tenant" => f.tenant.to_lowercase() == v,
        _ => return None,
    })
}

/// The text a filter is matched against: what the row shows.
pub fn haystack(src: Rows, pane: PaneId, row: usize) -> String {
    match pane {
        PaneId::Alerts => {
            return src
                .triage
                .alerts
                .get(row)
                .map_or_else(String::new, alert_haystack);
        }
        PaneId::FollowUps => {
            return src.triage.followups.get(row).map_or_else(String::new, |f| {
                format!(
                    "{} {} {} {} {}",
                    f.title,
                    f.tenant,
                    f.state.status,
                    f.state.due,
                    f.state.owner.as_deref().unwrap_or("")
                )
            });
        }
        _ => {}
    }
    let Some(d) = src.data else {
        return String::new();
    };
    let (ds, v) = (&*d.dataset, &*d.views);
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
                date_of(r.entry.at)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                ds.tenant(r.entry.tenant),
                s(r.entry.category),
                s(r.entry.maker_level),
                s(r.entry.outcome),
                s(r.entry.timeframe),
                r.status.word()
            )
        }),
        PaneId::Alerts | PaneId::FollowUps => String::new(),
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

/// Rows passing a filter: every word must appear, in any case; on the triage panes a
/// `key:value` word must match that field exactly.
pub fn filter(src: Rows, pane: PaneId, filter: &str) -> Vec<u32> {
    let n = count(src, pane);
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    (0..n)
        .filter(|&i| {
            if words.is_empty() {
                return true;
            }
            let mut hay: Option<String> = None;
            words.iter().all(|w| {
                if let Some((key, value)) = w
                    .split_once(':')
                    .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                {
                    let field = match pane {
                        PaneId::Alerts => src
                            .triage
                            .alerts
                            .get(i)
                            .and_then(|a| alert_field(a, key, value)),
                        PaneId::FollowUps => src
                            .triage
                            .followups
                            .get(i)
                            .and_then(|f| followup_field(f, key, value)),
                        _ => None,
                    };
                    if let Some(hit) = field {
                        return hit;
                    }
                }
                hay.get_or_insert_with(|| haystack(src, pane, i).to_lowercase())
                    .contains(w.as_str())
            })
        })
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}
