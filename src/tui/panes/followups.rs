//! Follow-ups: process tasks with owners and due dates; overdue ones stand out.

use super::listing::{Item, Listing, MARK, OWNER, TENANT, owner_is, owner_line, title};
use super::{Meta, PaneId, Rows};
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
    MARK,
    Col::left("Due", Constraint::Length(10)),
    Col::left("Status", Constraint::Length(8)),
    TENANT,
    title("Follow-up"),
    OWNER.drop(2),
];

const HINTS: [Action; 10] = [
    Action::Help,
    Action::Quit,
    Action::Resolve,
    Action::Dismiss,
    Action::Due,
    Action::Owner,
    Action::Note,
    Action::Select,
    Action::Undo,
    Action::Details,
];

impl Item for FollowUpRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn field(&self, key: &str, v: &str) -> Option<bool> {
        Some(match key {
            "state" | "status" => self.state.status.name() == v,
            "owner" => owner_is(self.state.owner.as_deref(), v),
            "tenant" => self.tenant.to_lowercase() == v,
            _ => return None,
        })
    }
}

fn overdue(t: &Theme) -> Style {
    t.bad().add_modifier(Modifier::BOLD)
}

impl Listing for FollowUps {
    const META: Meta = Meta::new(PaneId::FollowUps, "Follow-ups", "Follow-ups", &COLS);
    type Item = FollowUpRow;
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
    fn item<'a>(&self, src: Rows<'a>, i: usize) -> Option<&'a FollowUpRow> {
        src.triage.followups.get(i)
    }
    fn len(&self, src: Rows) -> usize {
        src.triage.followups.len()
    }

    fn cells(&self, src: Rows, f: &FollowUpRow) -> Vec<Cell> {
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

    fn details(&self, d: &mut Doc, state: &AppState, f: &FollowUpRow) -> String {
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
        owner_line(d, state, f.state.owner.as_deref());
        if !f.created.is_empty() {
            d.kv(
                "Created",
                crate::tui::ui::details::when(state.params.zone, &f.created),
            );
        }
        d.notes(&f.notes, &state.key_name(Action::Note), state.params.zone);
        f.title.clone()
    }
}
