//! Decision log: every strategic decision, newest first, with its review date.

use super::table::{self, Cell, Col};
use super::widgets::{count, pane_block, placeholder};
use crate::config::theme::Theme;
use crate::domain::values::date_of;
use crate::engine::decisions::ReviewStatus;
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 7] = [
    Col::left("Date", Constraint::Length(10)),
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Decision", Constraint::Fill(2)).min(12),
    Col::left("Level", Constraint::Length(9)).drop(2),
    Col::left("Outcome", Constraint::Fill(1)).min(10).drop(3),
    Col::left("Review on", Constraint::Length(10)),
    Col::left("Review", Constraint::Length(8)),
];

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Decisions;
    let subtitle = state.data.as_ref().map_or(String::new(), |d| {
        format!(
            "{} due this month",
            count(u64::from(d.views.decisions.due_this_month))
        )
    });
    frame.render_widget(pane_block(state, pane, theme, &subtitle), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let Some(data) = &state.data else { return };
    let (ds, v) = (&data.dataset, &data.views);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        let Some(r) = v.decisions.rows.get(i) else {
            return Vec::new();
        };
        let status_style = match r.status {
            ReviewStatus::DueThisMonth => theme.warn(),
            ReviewStatus::Upcoming => theme.accent(),
            ReviewStatus::Past | ReviewStatus::Unknown => theme.muted(),
        };
        vec![
            Cell::new(
                date_of(r.entry.at)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            Cell::new(ds.tenant(r.entry.tenant)),
            Cell::new(ds.shown(r.entry.category)),
            Cell::new(ds.shown(r.entry.maker_level)),
            Cell::new(ds.shown(r.entry.outcome)),
            Cell::new(r.next_review.map_or("—".to_owned(), |d| d.to_string())),
            Cell::styled(r.status.word(), status_style),
        ]
    });
}
