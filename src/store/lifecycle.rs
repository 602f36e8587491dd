//! What the data does to stored alerts over time: an open alert of a cycle the rules
//! still look at that a complete evaluation no longer raises is cleared, and a cleared
//! one raised again recurs; both audited with why, neither ever deleted.

use super::alerts::{read_state, state_json, target, write_state};
use super::audit::{self, Change};
use super::{Actor, StoreError};
use crate::engine::alerts::AlertCandidate;
use crate::triage::{self, Command, Status};
use chrono::NaiveDate;
use rusqlite::Transaction;

/// Applies a lifecycle step the data brought (`Clear`, `Recur`), audited with why.
pub(super) fn step(
    tx: &Transaction,
    (actor, batch): (&Actor, i64),
    id: &str,
    command: Command,
    (why, today): (&str, NaiveDate),
) -> Result<bool, StoreError> {
    let Some(before) = read_state(tx, id)? else {
        return Ok(false);
    };
    let Ok(after) = triage::apply(&before, &command, today) else {
        return Ok(false);
    };
    write_state(tx, id, &after)?;
    let change = Change {
        action: command.verb(),
        target: &target(id),
        before: Some(state_json(&before)),
        after: Some(state_json(&after)),
        note: Some(why.into()),
    };
    audit::append(tx, actor, batch, change)?;
    Ok(true)
}

/// Marks cleared the open alerts of this source, of cycles the rules still look at,
/// that a complete evaluation did not raise: kept with their history, not deleted.
pub(super) fn clear_missing(
    tx: &Transaction,
    (actor, batch): (&Actor, i64),
    scope: &super::scope::Scope,
    candidates: &[AlertCandidate],
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let raised: rustc_hash::FxHashSet<String> = candidates
        .iter()
        .map(|c| scope.stored(&c.id).into_owned())
        .collect();
    let open: Vec<(String, String, String)> = tx
        .prepare(&format!(
            "SELECT id, status, period FROM alerts WHERE {} AND status IN ('new', 'acknowledged', 'snoozed')",
            scope.filter("source", 1)
        ))?
        .query_map([&scope.key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cleared = 0;
    for (id, status, period) in open {
        let status = Status::parse(&status).unwrap_or_default();
        let next = triage::cycle::after_refresh(status, &period, raised.contains(&id), today);
        if matches!(next, Some(Command::Clear)) {
            let why = "the data no longer shows it";
            cleared += usize::from(step(tx, (actor, batch), &id, Command::Clear, (why, today))?);
        }
    }
    Ok(cleared)
}
