//! Alerts: what fired, how severe, and where its triage stands. Marked rows (Space)
//! take bulk actions.

use super::listing::{Item, Listing, MARK, OWNER, TENANT, owner_is, owner_line, title};
use super::{Meta, PaneId, Rows};
use crate::config::theme::Theme;
use crate::engine::alerts::Severity;
use crate::keys::action::Action;
use crate::store::alerts::AlertRow;
use crate::triage::{Status, TriageState};
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

pub struct Alerts;

const COLS: [Col; 7] = [
    MARK,
    Col::left("Severity", Constraint::Length(8)),
    Col::left("State", Constraint::Length(9)),
    TENANT,
    title("Alert"),
    Col::left("Period", Constraint::Length(7)).drop(2),
    OWNER.drop(3),
];

const HINTS: [Action; 12] = [
    Action::Help,
    Action::Quit,
    Action::Acknowledge,
    Action::Snooze,
    Action::Resolve,
    Action::Dismiss,
    Action::Owner,
    Action::Note,
    Action::FollowUp,
    Action::Select,
    Action::Undo,
    Action::Details,
];

pub fn severity_style(s: Severity) -> fn(&Theme) -> Style {
    match s {
        Severity::Critical => |t| t.bad().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        Severity::High => |t| t.bad().add_modifier(Modifier::BOLD),
        Severity::Medium => Theme::warn,
        Severity::Low => Theme::muted,
        Severity::Info => Theme::accent,
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

fn state_style(s: Status) -> fn(&Theme) -> Style {
    match s {
        Status::New => |t| t.accent().add_modifier(Modifier::BOLD),
        Status::Acknowledged => |_| Style::default(),
        Status::Snoozed | Status::Resolved | Status::Dismissed | Status::Cleared => Theme::muted,
    }
}

/// `state:new`, `severity:high`, `owner:ana`, `rule:cost_roi`: exact fields of an alert.
impl Item for AlertRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn field(&self, key: &str, v: &str) -> Option<bool> {
        Some(match key {
            "state" | "status" => {
                self.triage.status.name() == v
                    || (v == "ack" && self.triage.status == Status::Acknowledged)
            }
            "severity" | "sev" => self.severity.name() == v,
            "owner" => owner_is(self.triage.owner.as_deref(), v),
            "rule" => self.rule.id() == v,
            "tenant" => self.tenant.to_lowercase() == v,
            "period" => self.period.to_lowercase() == v,
            _ => return None,
        })
    }
}

impl Listing for Alerts {
    const META: Meta = Meta::new(PaneId::Alerts, "Alerts", "Alerts", &COLS);
    type Item = AlertRow;
    fn hints(&self) -> &'static [Action] {
        &HINTS
    }
    fn item<'a>(&self, src: Rows<'a>, i: usize) -> Option<&'a AlertRow> {
        src.triage.alerts.get(*src.alerts.get(i)? as usize)
    }
    fn len(&self, src: Rows) -> usize {
        src.alerts.len()
    }

    fn cells(&self, src: Rows, a: &AlertRow) -> Vec<Cell> {
        vec![
            super::mark(src, &a.id),
            Cell::styled(a.severity.name(), severity_style(a.severity)),
            Cell::styled(short_state(&a.triage), state_style(a.triage.status)),
            Cell::new(a.tenant.clone()),
            Cell::new(a.title.clone()),
            Cell::styled(a.period.clone(), Theme::muted),
            Cell::new(a.triage.owner.clone().unwrap_or_default()),
        ]
    }

    fn subtitle(&self, state: &AppState) -> String {
        let listed = || {
            state
                .alert_rows
                .iter()
                .filter_map(|&i| state.triage.alerts.get(i as usize))
        };
        let open = listed().filter(|a| a.triage.status.is_open()).count();
        let view = crate::tui::lists::view_label(state);
        let mut text = format!("{view} · {open} open");
        let older = state
            .triage
            .alerts
            .iter()
            .filter(|a| crate::tui::lists::is_older_untouched(a, state.params.today))
            .count();
        if older > 0 && state.alert_view != crate::tui::lists::AlertView::Older {
            text.push_str(&format!(" · {older} older folded"));
        }
        if let n @ 1.. = state.pane(PaneId::Alerts).marked.len() {
            text.push_str(&format!(" · {n} selected"));
        }
        text
    }

    fn details(&self, d: &mut Doc, state: &AppState, a: &AlertRow) -> String {
        d.heading("Alert");
        d.kv(
            "Rule",
            format!("{} ({:?} review)", a.rule, a.rule.cadence()).to_lowercase(),
        );
        d.kv("Tenant", a.tenant.clone());
        if let Some(s) = &a.subject {
            d.kv("Subject", s.clone());
        }
        d.kv("Period", a.period.clone());
        d.kv("Severity", a.severity.name());
        d.kv("Identity", a.id.clone());
        d.heading("Triage");
        d.kv("State", a.triage.status.name());
        if a.triage.status == Status::Snoozed {
            d.kv(
                "Snoozed until",
                a.triage
                    .snoozed_until
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
            );
            d.kv(
                "Then back to",
                a.triage.snoozed_from.map_or("new", Status::name),
            );
        }
        if let Some(r) = &a.triage.dismiss_reason {
            d.kv("Dismissed because", r.clone());
        }
        owner_line(d, state, a.triage.owner.as_deref());
        d.kv("Follow-up", followup_line(state, a));
        if a.first_seen.is_empty() {
            d.kv("Saved", "no: the database cannot be written");
        } else {
            let zone = state.params.zone;
            d.kv(
                "First fired",
                crate::tui::ui::details::when(zone, &a.first_seen),
            );
            // Set by every refresh whose data raises the alert: when it was last
            // raised, not when its newest event happened (the evidence shows those).
            d.kv(
                "Last raised",
                crate::tui::ui::details::when(zone, &a.last_seen),
            );
        }
        d.heading("Evidence");
        for (k, v) in &a.evidence.figures {
            d.kv(k, v.clone());
        }
        // Over PostHog the events come on demand: fetched when the details open.
        let fetched = crate::tui::feed_alerts::evidence_of(state, &a.id);
        let events = match fetched {
            Some(e) if a.evidence.events.is_empty() => e,
            _ => &a.evidence.events[..],
        };
        if !events.is_empty() {
            d.lines.push(Line::raw(""));
        }
        for e in events {
            let date = e.date.map(|x| x.to_string()).unwrap_or_default();
            let uuid = e
                .uuid
                .as_deref()
                .map(|u| format!(" [{}]", &u[..u.len().min(8)]))
                .unwrap_or_default();
            d.bullet(format!("{date} {}{uuid}: {}", e.event, e.summary));
        }
        let shown = events.len() as u32;
        if let Some(note) =
            crate::tui::feed_alerts::missing_note(state, &a.id, shown, a.evidence.total_events)
        {
            d.muted(&note);
        } else if a.evidence.total_events > shown {
            let more = a.evidence.total_events - shown;
            let key = state.key_name(Action::More);
            d.muted(&format!("… and {more} more events ({key} shows more)"));
        }
        d.notes(&a.notes, &state.key_name(Action::Note), state.params.zone);
        a.title.clone()
    }
}

/// The alert's follow-up as a person reads it: what, its state and when it is due
/// (the id alone told nothing); how to create one when there is none.
fn followup_line(state: &AppState, a: &AlertRow) -> String {
    let Some(id) = &a.followup else {
        return format!("— ({} creates one)", state.key_name(Action::FollowUp));
    };
    match state.triage.followups.iter().find(|f| &f.id == id) {
        Some(f) => {
            let status = if f.state.is_overdue(state.params.today) {
                "OVERDUE"
            } else {
                f.state.status.name()
            };
            let owner = f
                .state
                .owner
                .as_deref()
                .map(|o| format!(", {o}"))
                .unwrap_or_default();
            format!("{} ({status}, due {}{owner})", f.title, f.state.due)
        }
        None => id.clone(),
    }
}
