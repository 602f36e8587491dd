//! Alerts: what fired, how severe, and where its triage stands. Marked rows (Space)
//! take bulk actions.

use super::table::{self, Cell, Col};
use super::widgets::{pane_block, placeholder};
use crate::config::theme::Theme;
use crate::engine::alerts::Severity;
use crate::triage::{Status, TriageState};
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};

const COLS: [Col; 7] = [
    Col::left("", Constraint::Length(1)),
    Col::left("Severity", Constraint::Length(8)),
    Col::left("State", Constraint::Length(9)),
    Col::left("Tenant", Constraint::Fill(2)).min(10),
    Col::left("Alert", Constraint::Fill(4)).min(16),
    Col::left("Period", Constraint::Length(7)).drop(2),
    Col::left("Owner", Constraint::Length(10)).drop(3),
];

pub fn severity_style(s: Severity, theme: &Theme) -> Style {
    match s {
        Severity::Critical => theme
            .bad()
            .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        Severity::High => theme.bad().add_modifier(Modifier::BOLD),
        Severity::Medium => theme.warn(),
        Severity::Low => theme.muted(),
        Severity::Info => theme.accent(),
    }
}

/// "new", "ack", "snoozed→12-01": short enough for a column.
pub fn state_text(t: &TriageState) -> String {
    match t.status {
        Status::Acknowledged => "ack".into(),
        Status::Snoozed => t.snoozed_until.map_or("snoozed".into(), |u| {
            format!("snoozed→{}", u.format("%m-%d"))
        }),
        s => s.name().into(),
    }
}

/// The state in a narrow column; the snooze date is in the details.
fn short_state(t: &TriageState) -> &'static str {
    match t.status {
        Status::Acknowledged => "ack",
        s => s.name(),
    }
}

pub fn state_style(s: Status, theme: &Theme) -> Style {
    match s {
        Status::New => theme.accent().add_modifier(Modifier::BOLD),
        Status::Acknowledged => Style::default(),
        Status::Snoozed | Status::Resolved | Status::Dismissed => theme.muted(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Alerts;
    let open = state
        .triage
        .alerts
        .iter()
        .filter(|a| a.triage.status.is_open())
        .count();
    let marked = state.pane(pane).marked.len();
    let subtitle = match marked {
        0 => format!("{open} open"),
        n => format!("{open} open · {n} selected"),
    };
    frame.render_widget(pane_block(state, pane, theme, &subtitle), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let view = state.pane(pane);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        let Some(a) = state.triage.alerts.get(i) else {
            return Vec::new();
        };
        let mark = if view.marked.contains(&a.id) {
            "●"
        } else {
            " "
        };
        vec![
            Cell::styled(mark, theme.accent()),
            Cell::styled(a.severity.name(), severity_style(a.severity, theme)),
            Cell::styled(short_state(&a.triage), state_style(a.triage.status, theme)),
            Cell::new(a.tenant.clone()),
            Cell::new(a.title.clone()),
            Cell::styled(a.period.clone(), theme.muted()),
            Cell::new(a.triage.owner.clone().unwrap_or_default()),
        ]
    });
}
