//! Data health: schema conformance per event kind against the seed's 95% target, the
//! properties missing most, and what could not be read at all.

use super::listing::SignalList;
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::health::{Health as HealthView, TARGET};
use crate::tui::state::AppState;
use crate::tui::ui::details::{Doc, yes_no};
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::{count, percent};
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Line;
use std::borrow::Cow;

pub struct Health;

const COLS: [Col; 2] = [
    Col::left("", Constraint::Fill(2)).min(16),
    Col::left("", Constraint::Fill(3)).min(20),
];

/// A line of the data health pane.
#[derive(Clone, Debug, PartialEq)]
pub enum HealthItem {
    Kind(usize),
    Property {
        kind: usize,
        property: usize,
    },
    /// Events of a kind whose rarer values PostHog's capped answer left out.
    Unchecked(usize),
    Lines,
    Broken(usize),
    OtherEvents,
    Untimed,
    Subscriptions,
}

pub fn health_items(h: &HealthView) -> Vec<HealthItem> {
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
        if kind.unchecked > 0 {
            items.push(HealthItem::Unchecked(k));
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

/// The target as people say it: 95%, not 95.0%.
fn target() -> String {
    format!("{:.0}%", TARGET * 100.0)
}

pub fn item_cells(h: &HealthView, item: &HealthItem) -> Vec<Cell> {
    match item {
        HealthItem::Kind(k) => {
            let Some(kind) = h.kinds.get(*k) else {
                return Vec::new();
            };
            let of = count(kind.total);
            let (text, style): (String, fn(&Theme) -> Style) = match kind.rate() {
                None => ("no events".to_owned(), Theme::muted),
                Some(r) if kind.meets_target() => (
                    format!("{} of {of} ✓ meets {}", percent(r), target()),
                    Theme::good,
                ),
                Some(r) => (
                    format!("{} of {of} ✗ below {}", percent(r), target()),
                    Theme::bad,
                ),
            };
            vec![
                Cell::styled(kind.event, Theme::accent),
                Cell::styled(text, style),
            ]
        }
        HealthItem::Property { kind, property } => {
            let Some(p) = h.kinds.get(*kind).and_then(|k| k.properties.get(*property)) else {
                return Vec::new();
            };
            let mut what = Vec::new();
            if p.missing > 0 {
                what.push(format!("{} missing", count(p.missing)));
            }
            if p.invalid > 0 {
                what.push(format!("{} unreadable", count(p.invalid)));
            }
            vec![
                Cell::styled(format!(" └ {}", p.property), Theme::muted),
                Cell::new(what.join(" · ")),
            ]
        }
        HealthItem::Unchecked(k) => {
            let n = h.kinds.get(*k).map_or(0, |k| k.unchecked);
            vec![
                Cell::styled(" └ rarer values", Theme::muted),
                Cell::styled(
                    format!(
                        "{} events not checked (PostHog's answer capped): figures are at least",
                        count(n)
                    ),
                    Theme::warn,
                ),
            ]
        }
        HealthItem::Lines => {
            let i = &h.ingest;
            let style: fn(&Theme) -> Style = if i.broken > 0 {
                Theme::bad
            } else {
                |_| Style::default()
            };
            vec![
                Cell::new("Lines read"),
                Cell::styled(
                    format!(
                        "{} · {} broken · {} blank",
                        count(i.lines),
                        count(i.broken),
                        count(i.blank)
                    ),
                    style,
                ),
            ]
        }
        HealthItem::Broken(n) => {
            let Some(b) = h.ingest.broken_samples.get(*n) else {
                return Vec::new();
            };
            vec![
                Cell::styled(format!(" ✗ line {}", b.line), Theme::bad),
                Cell::styled(b.reason.clone(), Theme::muted),
            ]
        }
        HealthItem::OtherEvents => {
            vec![
                Cell::new("Other events"),
                Cell::new(format!("{} · ignored", count(h.ingest.other_events))),
            ]
        }
        HealthItem::Untimed => {
            vec![
                Cell::new("Without a date"),
                Cell::new(format!("{} · in no period", count(h.ingest.untimed))),
            ]
        }
        HealthItem::Subscriptions => match h.subscriptions {
            // Skipped rows leave their tenants without a plan: say so, as a problem.
            Some(n) if h.ingest.subscriptions_broken > 0 => vec![
                Cell::new("Subscriptions"),
                Cell::styled(
                    format!(
                        "{} rows · {} unreadable, skipped",
                        count(n as u64),
                        count(h.ingest.subscriptions_broken)
                    ),
                    Theme::bad,
                ),
            ],
            Some(n) => vec![
                Cell::new("Subscriptions"),
                Cell::new(format!("{} rows", count(n as u64))),
            ],
            None => vec![
                Cell::new("Subscriptions"),
                Cell::styled("none: plans unknown", Theme::muted),
            ],
        },
    }
}

impl SignalList for Health {
    /// No column header: each line says what it is.
    const META: Meta = Meta::new(PaneId::Health, "Data health", "Health", &COLS).top(0);
    type Row = HealthItem;

    fn rows<'a>(&self, v: &'a Views) -> Cow<'a, [HealthItem]> {
        Cow::Owned(health_items(&v.health))
    }

    fn cells(&self, _: &Dataset, v: &Views, item: &HealthItem) -> Vec<Cell> {
        item_cells(&v.health, item)
    }

    fn subtitle(&self, state: &AppState) -> String {
        state
            .data
            .as_ref()
            .and_then(|d| {
                let h = &d.views.health;
                let rate = h.overall_rate()?;
                Some(match h.since {
                    Some(day) => format!("{} conform since {}", percent(rate), day.format("%b %Y")),
                    None => format!("{} conform", percent(rate)),
                })
            })
            .unwrap_or_default()
    }

    fn details(&self, d: &mut Doc, _: &Dataset, v: &Views, item: &HealthItem) -> String {
        let h = &v.health;
        match *item {
            HealthItem::Kind(k)
            | HealthItem::Property { kind: k, .. }
            | HealthItem::Unchecked(k) => {
                let Some(kind) = h.kinds.get(k) else {
                    return "Data health".to_owned();
                };
                d.heading(format!(
                    "Schema conformance against the {:.0}% target",
                    TARGET * 100.0
                ));
                d.kv("Events", count(kind.total));
                d.kv("Conforming", count(kind.conforming));
                d.kv("Rate", kind.rate().map_or("—".to_owned(), percent));
                d.kv("Meets target", yes_no(kind.meets_target()));
                d.heading("Properties with problems");
                let props: Vec<String> = kind
                    .properties
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {} missing, {} unreadable",
                            p.property,
                            count(p.missing),
                            count(p.invalid)
                        )
                    })
                    .collect();
                d.bullets(&props, "none: every event has every property");
                d.heading("Expected properties");
                d.lines.push(Line::raw(format!(
                    "  {}",
                    kind.kind.properties().join(", ")
                )));
                kind.event.to_owned()
            }
            HealthItem::Lines | HealthItem::Broken(_) => {
                let i = &h.ingest;
                d.heading("Lines");
                d.kv("Read", count(i.lines));
                d.kv("Blank", count(i.blank));
                d.kv("Broken", count(i.broken));
                d.heading(format!(
                    "Broken lines (first {})",
                    crate::domain::dataset::BROKEN_SAMPLES
                ));
                let b: Vec<String> = i
                    .broken_samples
                    .iter()
                    .map(|b| format!("line {}: {}", b.line, b.reason))
                    .collect();
                d.bullets(&b, "none");
                "Lines that could not be read".to_owned()
            }
            HealthItem::OtherEvents | HealthItem::Untimed | HealthItem::Subscriptions => {
                d.heading("What this counts");
                d.bullet(
                    "Other events: well-formed events that are not one of the three strategic events.",
                );
                d.bullet("Events without a date: neither timestamp nor tracking_date could be read; they count for data health but fall in no period.");
                d.bullet("Subscriptions table: joins plans to tenants; without one, the overview lists every tenant with activity.");
                d.bullet("Unreadable subscription rows (not UTF-8, not JSON, or without a tenant_id) are skipped and counted; their tenants show no plan.");
                "Data health".to_owned()
            }
        }
    }
}
