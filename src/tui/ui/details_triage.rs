//! Details of an alert (with its evidence and notes) and of a follow-up.

use super::details::Doc;
use crate::store::alerts::{AlertRow, Note};
use crate::store::followups::FollowUpRow;
use crate::triage::Status;
use ratatui::text::Line;

fn notes(d: &mut Doc, notes: &[Note]) {
    d.heading("Notes");
    if notes.is_empty() {
        d.muted("none yet: n adds one");
    }
    for n in notes {
        d.bullet(format!(
            "{} {}: {}",
            n.at.get(..16).unwrap_or(&n.at).replace('T', " "),
            n.who,
            n.text
        ));
    }
}

pub fn alert(d: &mut Doc, a: &AlertRow) -> String {
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
    d.kv(
        "Owner",
        a.triage
            .owner
            .clone()
            .unwrap_or_else(|| "— (o sets one)".into()),
    );
    d.kv(
        "Follow-up",
        a.followup
            .clone()
            .unwrap_or_else(|| "— (F creates one)".into()),
    );
    if a.first_seen.is_empty() {
        d.kv("Saved", "no: the database cannot be written");
    } else {
        d.kv("First fired", a.first_seen.clone());
        d.kv("Last seen in the data", a.last_seen.clone());
    }
    d.heading("Evidence");
    for (k, v) in &a.evidence.figures {
        d.kv(k, v.clone());
    }
    if !a.evidence.events.is_empty() {
        d.lines.push(Line::raw(""));
    }
    for e in &a.evidence.events {
        let date = e.date.map(|x| x.to_string()).unwrap_or_default();
        let uuid = e
            .uuid
            .as_deref()
            .map(|u| format!(" [{}]", &u[..u.len().min(8)]))
            .unwrap_or_default();
        d.bullet(format!("{date} {}{uuid}: {}", e.event, e.summary));
    }
    let shown = a.evidence.events.len() as u32;
    if a.evidence.total_events > shown {
        d.muted(&format!(
            "… and {} more events",
            a.evidence.total_events - shown
        ));
    }
    notes(d, &a.notes);
    a.title.clone()
}

pub fn followup(d: &mut Doc, f: &FollowUpRow, today: chrono::NaiveDate) -> String {
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
        if f.state.is_overdue(today) {
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
            .unwrap_or_else(|| "— (o sets one)".into()),
    );
    if !f.created.is_empty() {
        d.kv("Created", f.created.clone());
    }
    notes(d, &f.notes);
    f.title.clone()
}
