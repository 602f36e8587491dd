//! Follow-ups: process tasks with owners and due dates; overdue ones stand out.

use super::{Meta, Pane, PaneId, Rows};
use crate::config::theme::Theme;
use crate::keys::action::Action;
use crate::store::followups::FollowUpRow;
use crate::triage::followup::FollowStatus;
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};

pub struct FollowUps;

const COLS: [Col; 6] = [
    Col::left("", Constraint::Length(1)),
    Col::left("Due", Constraint::Length(10)),
    Col::left("Status", Constraint::Length(8)),
    Col::left("Tenant", Constraint::Fill(2)).min(10),
    Col::left("Follow-up", Constraint::Fill(4)).min(16),
    Col::left("Owner", Constraint::Length(10)).drop(2),
];

const HINTS: [Action; 9] = [
    Action::Help,
    Action::Quit,
    Action::Resolve,
    Action::Dismiss,
    Action::Owner,
    Action::Note,
    Action::Select,
    Action::Undo,
    Action::Details,
];

fn field(f: &FollowUpRow, key: &str, value: &str) -> Option<bool> {
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

fn overdue(t: &Theme) -> Style {
    t.bad().add_modifier(Modifier::BOLD)
}

const META: Meta = Meta {
    id: PaneId::FollowUps,
    title: "Follow-ups",
    short: "Follow-ups",
    columns: &COLS,
};

impl Pane for FollowUps {
    fn meta(&self) -> &'static Meta {
        &META
    }
    fn is_triage(&self) -> bool {
        true
    }
    fn hints(&self) -> &'static [Action] {
        &HINTS
    }
    /// Here resolving is "done" and dismissing is "cancel".
    fn hint_word(&self, action: Action) -> Option<&'static str> {
        match action {
            Action::Resolve => Some("done"),
            Action::Dismiss => Some("cancel"),
            _ => action.hint(),
        }
    }

    fn count(&self, src: Rows) -> usize {
        src.triage.followups.len()
    }

    fn row_id(&self, src: Rows, row: usize) -> Option<String> {
        src.triage.followups.get(row).map(|f| f.id.clone())
    }

    fn field(&self, src: Rows, row: usize, key: &str, value: &str) -> Option<bool> {
        src.triage
            .followups
            .get(row)
            .and_then(|f| field(f, key, value))
    }

    fn cells(&self, src: Rows, row: usize) -> Vec<Cell> {
        let Some(f) = src.triage.followups.get(row) else {
            return Vec::new();
        };
        let (status, style): (String, fn(&Theme) -> Style) = if f.state.is_overdue(src.today) {
            ("overdue".to_owned(), overdue)
        } else if f.state.status == FollowStatus::Open {
            ("open".to_owned(), Theme::accent)
        } else {
            (f.state.status.name().to_owned(), Theme::muted)
        };
        vec![
            super::mark(src, &f.id),
            Cell::styled(f.state.due.to_string(), style),
            Cell::styled(status, style),
            Cell::new(f.tenant.clone()),
            Cell::new(f.title.clone()),
            Cell::new(f.state.owner.clone().unwrap_or_default()),
        ]
    }

    fn subtitle(&self, state: &AppState) -> String {
        let today = state.params.today;
        let followups = &state.triage.followups;
        let open = followups
            .iter()
            .filter(|f| f.state.status == FollowStatus::Open)
            .count();
        let overdue = followups
            .iter()
            .filter(|f| f.state.is_overdue(today))
            .count();
        if overdue > 0 {
            format!("{open} open · {overdue} overdue")
        } else {
            format!("{open} open")
        }
    }

    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String> {
        let f = state.triage.followups.get(row)?;
        d.heading("Follow-up");
        d.kv("Tenant", f.tenant.clone());
        d.kv(
            "From",
            match &f.alert_id {
                Some(a) => format!("alert {a}"),
                None => "events that asked for it".into(),
            },
        );
        d.kv("Review cycle", format!("{:?}", f.cadence).to_lowercase());
        d.kv(
            "Due",
            if f.state.is_overdue(state.params.today) {
                format!("{} (overdue)", f.state.due)
            } else {
                f.state.due.to_string()
            },
        );
        d.kv("Status", f.state.status.name());
        d.kv(
            "Owner",
            f.state
                .owner
                .clone()
                .unwrap_or_else(|| format!("— ({} sets one)", state.key_name(Action::Owner))),
        );
        if !f.created.is_empty() {
            d.kv("Created", f.created.clone());
        }
        d.notes(&f.notes, &state.key_name(Action::Note));
        Some(f.title.clone())
    }
}
