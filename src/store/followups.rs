//! Follow-ups in the store: created from an alert (`F`) or because events asked for
//! one, then done, cancelled, reopened, given an owner or a new due date, each change
//! audited.

use super::alerts::{Note, Outcome, inert, inert_opt, read_state};
use super::audit::{self, Change};
use super::scope::Scope;
use super::{Actor, Store, StoreError, now_text};
use crate::domain::values::Cadence;
use crate::engine::followups::{FollowUpCandidate, due_after};
use crate::triage::Refusal;
use crate::triage::followup::{self, FollowCommand, FollowState, FollowStatus};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FollowUpRow {
    pub id: String,
    pub origin: String,
    pub alert_id: Option<String>,
    pub tenant: String,
    pub title: String,
    pub cadence: Cadence,
    pub created: String,
    pub state: FollowState,
    pub notes: Vec<Note>,
}

pub fn target(id: &str) -> String {
    format!("followup:{id}")
}

pub fn state_json(s: &FollowState) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn cadence_name(c: Cadence) -> &'static str {
    match c {
        Cadence::Monthly => "monthly",
        Cadence::Quarterly => "quarterly",
    }
}

pub(super) fn read(tx: &Transaction, id: &str) -> Result<Option<FollowState>, StoreError> {
    let row = tx
        .query_row(
            "SELECT status, due, owner FROM followups WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(|(status, due, owner)| FollowState {
        status: parse_status(&status),
        due: due.parse().unwrap_or_default(),
        owner,
    }))
}

fn parse_status(s: &str) -> FollowStatus {
    match s {
        "done" => FollowStatus::Done,
        "cancelled" => FollowStatus::Cancelled,
        _ => FollowStatus::Open,
    }
}

pub(super) fn write(tx: &Transaction, id: &str, s: &FollowState) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE followups SET status = ?2, due = ?3, owner = ?4 WHERE id = ?1",
        params![id, s.status.name(), s.due.to_string(), s.owner],
    )?;
    Ok(())
}

/// Stores a follow-up of `scope`'s source; `c` names it and its alert by the ids the
/// user knows.
fn insert(
    tx: &Transaction,
    (actor, batch): (&Actor, i64),
    scope: &Scope,
    c: &FollowUpCandidate,
    owner: Option<String>,
) -> Result<(), StoreError> {
    let state = FollowState {
        status: FollowStatus::Open,
        due: c.due,
        owner,
    };
    let id = scope.stored(&c.id);
    let alert_id = c.alert_id.as_deref().map(|a| scope.stored(a));
    tx.execute(
        "INSERT INTO followups (id, origin, alert_id, tenant, title, cadence, created, status, due, owner, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10)",
        params![id, c.origin, alert_id, c.tenant, c.title, cadence_name(c.cadence), now_text(), c.due.to_string(), state.owner, scope.key],
    )?;
    let change = Change {
        action: "create follow-up",
        target: &target(&id),
        before: None,
        after: Some(state_json(&state)),
        note: Some(c.title.clone()),
    };
    audit::append(tx, actor, batch, change)?;
    Ok(())
}

/// Adds the follow-ups events ask for that the store does not have yet.
pub(super) fn insert_missing(
    tx: &Transaction,
    actor: &Actor,
    batch: i64,
    scope: &Scope,
    cands: &[FollowUpCandidate],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for c in cands {
        let exists: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM followups WHERE id = ?1",
                [&*scope.stored(&c.id)],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            insert(tx, (actor, batch), scope, c, None)?;
            added += 1;
        }
    }
    Ok(added)
}

impl Store {
    /// A follow-up from an alert: its title and owner, due at the next review of the
    /// alert's cadence. Returns the batch and the follow-up's id.
    pub fn followup_from_alert(
        &mut self,
        alert_id: &str,
        today: NaiveDate,
    ) -> Result<(i64, String), StoreError> {
        let scope = self.scope.clone();
        self.write(|tx, actor| {
            let stored_alert = scope.stored(alert_id);
            let row: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT rule, tenant, title FROM alerts WHERE id = ?1",
                    [&*stored_alert],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((rule, tenant, title)) = row else {
                return Err(StoreError::NotFound(format!("no alert {alert_id}")));
            };
            let id = format!("alert:{alert_id}");
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM followups WHERE id = ?1",
                    [&*scope.stored(&id)],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::Refused(Refusal(
                    "this alert already has a follow-up".into(),
                )));
            }
            let cadence =
                crate::engine::alerts::Rule::parse(&rule).map_or(Cadence::Monthly, |r| r.cadence());
            let owner = read_state(tx, &stored_alert)?.and_then(|s| s.owner);
            let batch = audit::next_batch(tx)?;
            let c = FollowUpCandidate {
                id: id.clone(),
                origin: "alert".into(),
                alert_id: Some(alert_id.to_owned()),
                tenant,
                title: format!("Follow up: {title}"),
                cadence,
                due: due_after(cadence, today),
            };
            insert(tx, (actor, batch), &scope, &c, owner)?;
            Ok((batch, id))
        })
    }

    /// Applies a command to each follow-up of a selection, as `triage` does for alerts.
    pub fn followup_command(
        &mut self,
        ids: &[String],
        command: &FollowCommand,
    ) -> Result<Outcome, StoreError> {
        let scope = self.scope.clone();
        self.write(|tx, actor| {
            let batch = audit::next_batch(tx)?;
            let mut out = Outcome {
                batch,
                ..Outcome::default()
            };
            for shown in ids {
                let id = &*scope.stored(shown);
                let Some(before) = read(tx, id)? else {
                    out.refused
                        .push((shown.clone(), "no such follow-up".into()));
                    continue;
                };
                match followup::apply(&before, command) {
                    Ok(after) => {
                        write(tx, id, &after)?;
                        let change = Change {
                            action: command.verb(),
                            target: &target(id),
                            before: Some(state_json(&before)),
                            after: Some(state_json(&after)),
                            note: None,
                        };
                        audit::append(tx, actor, batch, change)?;
                        out.changed.push(shown.clone());
                    }
                    Err(r) => out.refused.push((shown.clone(), r.0)),
                }
            }
            match (out.changed.is_empty(), out.refused.first()) {
                (true, Some((_, why))) => Err(StoreError::Refused(Refusal(why.clone()))),
                _ => Ok(out),
            }
        })
    }

    /// Open follow-ups first (soonest due first), then done and cancelled ones.
    pub fn followups(&self) -> Result<Vec<FollowUpRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, origin, alert_id, tenant, title, cadence, created, status, due, owner FROM followups WHERE {}",
            self.scope.filter("source", 1)
        ))?;
        let mut rows: Vec<FollowUpRow> = stmt
            .query_map([&self.scope.key], |r| {
                // Every text made inert as it leaves the database (a shared or copied
                // file can hold anything); the id once its notes are found by it.
                Ok(FollowUpRow {
                    id: r.get(0)?,
                    origin: inert(r.get(1)?),
                    alert_id: r.get(2)?,
                    tenant: inert(r.get(3)?),
                    title: inert(r.get(4)?),
                    cadence: if r.get::<_, String>(5)? == "quarterly" {
                        Cadence::Quarterly
                    } else {
                        Cadence::Monthly
                    },
                    created: inert(r.get(6)?),
                    state: FollowState {
                        status: parse_status(&r.get::<_, String>(7)?),
                        due: r.get::<_, String>(8)?.parse().unwrap_or_default(),
                        owner: inert_opt(r.get(9)?),
                    },
                    notes: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut notes = self.all_notes("followup:")?;
        for row in &mut rows {
            row.notes = notes.remove(row.id.as_str()).unwrap_or_default();
            row.id = inert(self.scope.shown(std::mem::take(&mut row.id)));
            row.alert_id = row.alert_id.take().map(|a| inert(self.scope.shown(a)));
        }
        sort_followups(&mut rows);
        Ok(rows)
    }
}

/// Open follow-ups first, soonest due (so overdue) first, then done and cancelled ones.
pub fn sort_followups(rows: &mut [FollowUpRow]) {
    rows.sort_by(|a, b| {
        (a.state.status != FollowStatus::Open)
            .cmp(&(b.state.status != FollowStatus::Open))
            .then(a.state.due.cmp(&b.state.due))
            .then(a.id.cmp(&b.id))
    });
}
