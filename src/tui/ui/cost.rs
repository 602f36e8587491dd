//! Cost opportunities: per tenant and optimization type, the approximate savings of
//! the period and how many need strategic review.

use super::table::{self, Cell, Col};
use super::widgets::{pane_block, placeholder, sparkline};
use crate::config::theme::Theme;
use crate::engine::direction::Direction;
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Optimization", Constraint::Fill(2)).min(12),
    Col::left("12 months", Constraint::Length(12)).drop(2),
    Col::right("Now", Constraint::Length(4)),
    Col::left("Trend", Constraint::Length(9)),
    Col::right("Savings", Constraint::Length(10)),
    Col::right("Review", Constraint::Length(6)).drop(3),
];

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Cost;
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
        let Some(r) = v.cost.get(i) else {
            return Vec::new();
        };
        // More opportunities is neither good nor bad news; only colour-code reviews.
        let trend_style = if r.direction == Direction::Flat {
            theme.muted()
        } else {
            theme.accent()
        };
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::new(ds.shown(r.optimization)),
            Cell::styled(sparkline(&r.series.monthly), theme.spark()),
            Cell::new(r.series.current.to_string()),
            Cell::styled(r.direction.label(), trend_style),
            Cell::styled(r.savings.range(), theme.good()),
            if r.reviews_required > 0 {
                Cell::styled(r.reviews_required.to_string(), theme.warn())
            } else {
                Cell::styled("·", theme.muted())
            },
        ]
    });
}
