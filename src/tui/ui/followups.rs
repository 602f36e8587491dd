//! Follow-ups: process tasks with owners and due dates; overdue ones stand out.

use super::table::{self, Cell, Col};
use super::widgets::{pane_block, placeholder};
use crate::config::theme::Theme;
use crate::triage::followup::FollowStatus;
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;

const COLS: [Col; 6] = [
    Col::left("", Constraint::Length(1)),
    Col::left("Due", Constraint::Length(10)),
    Col::left("Status", Constraint::Length(8)),
    Col::left("Tenant", Constraint::Fill(2)).min(10),
    Col::left("Follow-up", Constraint::Fill(4)).min(16),
    Col::left("Owner", Constraint::Length(10)).drop(2),
];

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::FollowUps;
    let today = state.params.today;
    let open = state
        .triage
        .followups
        .iter()
        .filter(|f| f.state.status == FollowStatus::Open)
        .count();
    let overdue = state
        .triage
        .followups
        .iter()
        .filter(|f| f.state.is_overdue(today))
        .count();
    let subtitle = if overdue > 0 {
        format!("{open} open · {overdue} overdue")
    } else {
        format!("{open} open")
    };
    frame.render_widget(pane_block(state, pane, theme, &subtitle), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let view = state.pane(pane);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        let Some(f) = state.triage.followups.get(i) else {
            return Vec::new();
        };
        let mark = if view.marked.contains(&f.id) {
            "●"
        } else {
            " "
        };
        let (status, style) = if f.state.is_overdue(today) {
            (
                "overdue".to_owned(),
                theme.bad().add_modifier(Modifier::BOLD),
            )
        } else if f.state.status == FollowStatus::Open {
            ("open".to_owned(), theme.accent())
        } else {
            (f.state.status.name().to_owned(), theme.muted())
        };
        vec![
            Cell::styled(mark, theme.accent()),
            Cell::styled(f.state.due.to_string(), style),
            Cell::styled(status, style),
            Cell::new(f.tenant.clone()),
            Cell::new(f.title.clone()),
            Cell::new(f.state.owner.clone().unwrap_or_default()),
        ]
    });
}
