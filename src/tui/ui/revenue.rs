//! Revenue trends: per tenant and trend category, a 12-month sparkline, the signals in
//! the period with their direction, and the approximate impact.

use super::table::{self, Cell, Col};
use super::widgets::{pane_block, placeholder, sparkline};
use crate::config::theme::Theme;
use crate::engine::direction::Direction;
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Category", Constraint::Fill(2)).min(12),
    Col::left("12 months", Constraint::Length(12)).drop(2),
    Col::right("Now", Constraint::Length(4)),
    Col::left("Trend", Constraint::Length(9)),
    Col::right("Impact", Constraint::Length(10)),
    Col::right("Urgent", Constraint::Length(6)).drop(3),
];

/// For risk signals, rising is bad news.
pub fn risk_style(d: Direction, theme: &Theme) -> Style {
    match d {
        Direction::Rising => theme.bad(),
        Direction::Falling => theme.good(),
        Direction::Flat => theme.muted(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Revenue;
    let subtitle = state
        .data
        .as_ref()
        .map_or(String::new(), |d| d.views.period.label.clone());
    frame.render_widget(pane_block(state, pane, theme, &subtitle), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let Some(data) = &state.data else { return };
    let (ds, v) = (&data.dataset, &data.views);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        let Some(r) = v.revenue.get(i) else {
            return Vec::new();
        };
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::new(ds.shown(r.category)),
            Cell::styled(sparkline(&r.series.monthly), theme.spark()),
            Cell::new(r.series.current.to_string()),
            Cell::styled(r.direction.label(), risk_style(r.direction, theme)),
            Cell::new(r.impact.range()),
            if r.urgent > 0 {
                Cell::styled(format!("{} !", r.urgent), theme.bad())
            } else {
                Cell::styled("·", theme.muted())
            },
        ]
    });
}
