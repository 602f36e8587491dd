//! Undo: a batch of changes (one user action, a bulk action too) reversed as a whole,
//! in one transaction, itself audited. Refused when anything in the batch has changed
//! since, so an undo never overwrites someone else's work.

use super::audit::{self, Change};
use super::{Store, StoreError, alerts, followups};
use crate::triage::followup::FollowState;
use crate::triage::{Refusal, TriageState};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::BTreeMap;

/// What is stored for a note, as its audit records show it.
pub fn note_json(target: &str, text: &str) -> String {
    serde_json::json!({ "target": target, "text": text }).to_string()
}

/// The current state of every target (alerts, follow-ups, notes) in the form the audit
/// log records it, for replay checks.
pub fn current_states(conn: &Connection) -> Result<BTreeMap<String, String>, StoreError> {
    let mut out = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, status, snoozed_until, snoozed_from, dismiss_reason, owner FROM alerts",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            TriageState {
                status: crate::triage::Status::parse(&r.get::<_, String>(1)?).unwrap_or_default(),
                snoozed_until: r.get::<_, Option<String>>(2)?.and_then(|u| u.parse().ok()),
                snoozed_from: r
                    .get::<_, Option<String>>(3)?
                    .and_then(|f| crate::triage::Status::parse(&f)),
                dismiss_reason: r.get(4)?,
                owner: r.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (id, state) = row?;
        out.insert(alerts::target(&id), alerts::state_json(&state));
    }
    let mut stmt = conn.prepare("SELECT id, status, due, owner FROM followups")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, status, due, owner) = row?;
        let status = match status.as_str() {
            "done" => crate::triage::followup::FollowStatus::Done,
            "cancelled" => crate::triage::followup::FollowStatus::Cancelled,
            _ => crate::triage::followup::FollowStatus::Open,
        };
        let state = FollowState {
            status,
            due: due.parse().unwrap_or_default(),
            owner,
        };
        out.insert(followups::target(&id), followups::state_json(&state));
    }
    let mut stmt = conn.prepare("SELECT id, target, text FROM notes")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, target, text) = row?;
        out.insert(format!("note:{id}"), note_json(&target, &text));
    }
    Ok(out)
}

/// The current state of one target, as `current_states` would give it.
fn state_of(tx: &Transaction, target: &str) -> Result<Option<String>, StoreError> {
    if let Some(id) = target.strip_prefix("alert:") {
        return Ok(alerts::read_state(tx, id)?.map(|s| alerts::state_json(&s)));
    }
    if let Some(id) = target.strip_prefix("followup:") {
        return Ok(followups::read(tx, id)?.map(|s| followups::state_json(&s)));
    }
    if let Some(id) = target
        .strip_prefix("note:")
        .and_then(|n| n.parse::<i64>().ok())
    {
        let row: Option<(String, String)> = tx
            .query_row("SELECT target, text FROM notes WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        return Ok(row.map(|(t, text)| note_json(&t, &text)));
    }
    Ok(None)
}

/// Puts a target back to `state` (None removes it).
fn restore(tx: &Transaction, target: &str, state: Option<&str>) -> Result<(), StoreError> {
    let bad = || StoreError::UnreadableState {
        target: target.to_owned(),
    };
    if let Some(id) = target.strip_prefix("alert:") {
        let s: TriageState = serde_json::from_str(
            state.ok_or_else(|| Refusal("an alert firing cannot be undone".into()))?,
        )
        .map_err(|_| bad())?;
        return alerts::write_state(tx, id, &s);
    }
    if let Some(id) = target.strip_prefix("followup:") {
        return match state {
            None => {
                tx.execute("DELETE FROM followups WHERE id = ?1", [id])?;
                Ok(())
            }
            Some(json) => followups::write(tx, id, &serde_json::from_str(json).map_err(|_| bad())?),
        };
    }
    if let Some(id) = target
        .strip_prefix("note:")
        .and_then(|n| n.parse::<i64>().ok())
    {
        return match state {
            None => {
                tx.execute("DELETE FROM notes WHERE id = ?1", [id])?;
                Ok(())
            }
            // A note removed by an undo comes back when that undo is undone.
            Some(json) => {
                let v: serde_json::Value = serde_json::from_str(json).map_err(|_| bad())?;
                let (t, text) = (
                    v["target"].as_str().unwrap_or(""),
                    v["text"].as_str().unwrap_or(""),
                );
                tx.execute(
                    "INSERT INTO notes (id, target, at, who, text) VALUES (?1, ?2, ?3, 'undo', ?4)",
                    params![id, t, super::now_text(), text],
                )?;
                Ok(())
            }
        };
    }
    Err(bad())
}

impl Store {
    /// Reverses batch `batch`; returns the batch of the undo (itself undoable).
    pub fn undo(&mut self, batch: i64) -> Result<i64, StoreError> {
        self.write(|tx, actor| {
            let records = audit::batch_records(tx, batch)?;
            if records.is_empty() {
                return Err(StoreError::Refused(Refusal("nothing to undo".into())));
            }
            for r in &records {
                if state_of(tx, &r.target)? != r.after {
                    let who: Option<String> = tx
                        .query_row(
                            "SELECT who FROM audit WHERE target = ?1 ORDER BY seq DESC LIMIT 1",
                            [&r.target],
                            |row| row.get(0),
                        )
                        .optional()?;
                    return Err(StoreError::Refused(Refusal(format!(
                        "cannot undo: {} was changed since{}",
                        r.target,
                        who.map(|w| format!(" (by {w})")).unwrap_or_default()
                    ))));
                }
            }
            let undo_batch = audit::next_batch(tx)?;
            for r in &records {
                restore(tx, &r.target, r.before.as_deref())?;
                let change = Change {
                    action: &format!("undo {}", r.action),
                    target: &r.target,
                    before: r.after.clone(),
                    after: r.before.clone(),
                    note: Some(format!("undo of audit row {}", r.seq)),
                };
                audit::append(tx, actor, undo_batch, change)?;
            }
            Ok(undo_batch)
        })
    }
}
