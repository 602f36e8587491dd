//! Data health: schema conformance per event kind against the seed's 95% target, the
//! properties missing most, and what could not be read at all.

use super::table::{self, Cell, Col};
use super::widgets::{count, pane_block, percent, placeholder};
use crate::config::theme::Theme;
use crate::engine::health::{Health, TARGET};
use crate::tui::pane::PaneId;
use crate::tui::rows::{HealthItem, health_items};
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

const COLS: [Col; 2] = [
    Col::left("", Constraint::Fill(2)).min(16),
    Col::left("", Constraint::Fill(3)).min(20),
];

/// The target as people say it: 95%, not 95.0%.
fn target() -> String {
    format!("{:.0}%", TARGET * 100.0)
}

pub fn item_cells(h: &Health, item: &HealthItem, theme: &Theme) -> Vec<Cell> {
    match item {
        HealthItem::Kind(k) => {
            let Some(kind) = h.kinds.get(*k) else {
                return Vec::new();
            };
            let of = count(kind.total);
            let (text, style) = match kind.rate() {
                None => ("no events".to_owned(), theme.muted()),
                Some(r) if kind.meets_target() => (
                    format!("{} of {of} ✓ meets {}", percent(r), target()),
                    theme.good(),
                ),
                Some(r) => (
                    format!("{} of {of} ✗ below {}", percent(r), target()),
                    theme.bad(),
                ),
            };
            vec![
                Cell::styled(kind.event, theme.accent()),
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
                Cell::styled(format!(" └ {}", p.property), theme.muted()),
                Cell::new(what.join(" · ")),
            ]
        }
        HealthItem::Lines => {
            let i = &h.ingest;
            let style = if i.broken > 0 {
                theme.bad()
            } else {
                Style::default()
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
                Cell::styled(format!(" ✗ line {}", b.line), theme.bad()),
                Cell::styled(b.reason.clone(), theme.muted()),
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
                    theme.bad(),
                ),
            ],
            Some(n) => vec![
                Cell::new("Subscriptions"),
                Cell::new(format!("{} rows", count(n as u64))),
            ],
            None => vec![
                Cell::new("Subscriptions"),
                Cell::styled("none: plans unknown", theme.muted()),
            ],
        },
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Health;
    let subtitle = state
        .data
        .as_ref()
        .and_then(|d| d.views.health.overall_rate())
        .map_or(String::new(), |r| format!("{} conform", percent(r)));
    frame.render_widget(pane_block(state, pane, theme, &subtitle), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let Some(data) = &state.data else { return };
    let h = &data.views.health;
    let items = health_items(h);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        items
            .get(i)
            .map_or_else(Vec::new, |item| item_cells(h, item, theme))
    });
}
