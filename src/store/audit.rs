//! The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained.
//! Each record's hash is SHA-256 over its fields, each length-prefixed, and the
//! previous record's hash; `verify` recomputes the chain, checks that every record
//! starts from the state the record before it (of the same target) left, checks that
//! the state tables equal a replay of the log, and names the first record that does
//! not fit. The second check is what catches a lost update: two writers that both read
//! the same old state and both wrote would leave a record whose `before` is a state its
//! target no longer had.

use super::{Actor, StoreError, now_text};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The hash the first record chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    pub seq: i64,
    pub at: String,
    pub who: String,
    pub host: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub note: Option<String>,
    pub batch: i64,
    pub prev_hash: String,
    pub hash: String,
}

impl Record {
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: Option<&str>| match s {
            Some(s) => {
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            // A distinct marker, so that an absent value never equals an empty one.
            None => h.update(u64::MAX.to_le_bytes()),
        };
        field(Some(&self.seq.to_string()));
        field(Some(&self.at));
        field(Some(&self.who));
        field(Some(&self.host));
        field(Some(&self.action));
        field(Some(&self.target));
        field(self.before.as_deref());
        field(self.after.as_deref());
        field(self.note.as_deref());
        field(Some(&self.batch.to_string()));
        field(Some(&self.prev_hash));
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A change to append: what happened to which target, before and after.
pub struct Change<'a> {
    pub action: &'a str,
    pub target: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub note: Option<String>,
}

/// A new batch number: the records of one user action (a bulk action too) share it,
/// and undo reverses a batch as a whole.
pub fn next_batch(tx: &Transaction) -> Result<i64, StoreError> {
    let max: Option<i64> = tx.query_row("SELECT max(batch) FROM audit", [], |r| r.get(0))?;
    Ok(max.unwrap_or(0) + 1)
}

/// The last record's sequence number and hash, if there is one.
pub fn last(tx: &Transaction) -> Result<Option<(i64, String)>, StoreError> {
    Ok(tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn append(
    tx: &Transaction,
    actor: &Actor,
    batch: i64,
    change: Change,
) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_owned()));
    let mut rec = Record {
        seq: prev_seq + 1,
        at: now_text(),
        who: actor.user.clone(),
        host: actor.host.clone(),
        action: change.action.to_owned(),
        target: change.target.to_owned(),
        before: change.before,
        after: change.after,
        note: change.note,
        batch,
        prev_hash,
        hash: String::new(),
    };
    rec.hash = rec.compute_hash();
    tx.execute(
        "INSERT INTO audit (seq, at, who, host, action, target, before, after, note, batch, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            rec.seq,
            rec.at,
            rec.who,
            rec.host,
            rec.action,
            rec.target,
            rec.before,
            rec.after,
            rec.note,
            rec.batch,
            rec.prev_hash,
            rec.hash
        ],
    )?;
    Ok(rec.seq)
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Record> {
    Ok(Record {
        seq: r.get(0)?,
        at: r.get(1)?,
        who: r.get(2)?,
        host: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        note: r.get(8)?,
        batch: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const COLUMNS: &str =
    "seq, at, who, host, action, target, before, after, note, batch, prev_hash, hash";

pub fn records(conn: &Connection) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq"))?;
    let rows = stmt
        .query_map([], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn batch_records(tx: &Transaction, batch: i64) -> Result<Vec<Record>, StoreError> {
    let mut stmt = tx.prepare(&format!(
        "SELECT {COLUMNS} FROM audit WHERE batch = ?1 ORDER BY seq DESC"
    ))?;
    let rows = stmt
        .query_map([batch], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The state of every target as the log tells it: each record's `after` in order.
/// Targets whose last record has no `after` (deleted) are absent.
pub fn replay(records: &[Record]) -> BTreeMap<String, String> {
    let mut state = BTreeMap::new();
    for r in records {
        match &r.after {
            Some(a) => {
                state.insert(r.target.clone(), a.clone());
            }
            None => {
                state.remove(&r.target);
            }
        }
    }
    state
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub records: usize,
    pub last_hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("audit row {seq} has been changed: its hash does not match its contents")]
    Altered { seq: i64 },
    #[error(
        "audit row {seq} does not follow row {prev}: the chain is broken there (a row before it was changed or removed)"
    )]
    Broken { seq: i64, prev: i64 },
    #[error("audit rows {from} to {to} are missing: the log jumps from row {prev} to row {next}")]
    Missing {
        from: i64,
        to: i64,
        prev: i64,
        next: i64,
    },
    #[error(
        "audit row {seq} changes {target} from a state it no longer had ({}): an update was lost",
        match .prev { Some(p) => format!("row {p} had changed it"), None => "it did not exist".to_owned() }
    )]
    LostUpdate {
        seq: i64,
        target: String,
        /// The row that last changed the target, if any.
        prev: Option<i64>,
    },
    #[error("the audit table's append-only protection ({0}) has been removed")]
    Unprotected(String),
    #[error(
        "{target} does not match the audit log (last recorded in row {seq}): it was changed outside bearing"
    )]
    StateMismatch { target: String, seq: i64 },
    #[error("cannot read the audit log: {0}")]
    Unreadable(String),
}

/// Checks the chain and that the current state tables equal the replay of the log.
pub fn verify(conn: &Connection) -> Result<Verified, VerifyError> {
    let unreadable = |e: StoreError| VerifyError::Unreadable(e.to_string());
    for trigger in ["audit_no_update", "audit_no_delete"] {
        let present: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name=?1",
                [trigger],
                |r| r.get(0),
            )
            .map_err(|e| unreadable(e.into()))?;
        if present == 0 {
            return Err(VerifyError::Unprotected(trigger.to_owned()));
        }
    }
    let records = records(conn).map_err(unreadable)?;
    let mut prev_seq = 0;
    let mut prev_hash = GENESIS.to_owned();
    // Per target: the row that last changed it and the state it left.
    let mut last: BTreeMap<&str, (i64, Option<&str>)> = BTreeMap::new();
    for r in &records {
        if r.seq != prev_seq + 1 {
            return Err(VerifyError::Missing {
                from: prev_seq + 1,
                to: r.seq - 1,
                prev: prev_seq,
                next: r.seq,
            });
        }
        if r.hash != r.compute_hash() {
            return Err(VerifyError::Altered { seq: r.seq });
        }
        if r.prev_hash != prev_hash {
            return Err(VerifyError::Broken {
                seq: r.seq,
                prev: prev_seq,
            });
        }
        let (prev, left) = last.get(r.target.as_str()).copied().unzip();
        if r.before.as_deref() != left.flatten() {
            return Err(VerifyError::LostUpdate {
                seq: r.seq,
                target: r.target.clone(),
                prev,
            });
        }
        last.insert(&r.target, (r.seq, r.after.as_deref()));
        prev_seq = r.seq;
        prev_hash = r.hash.clone();
    }
    check_state(conn, &records)?;
    Ok(Verified {
        records: records.len(),
        last_hash: prev_hash,
    })
}

/// Compares the state tables with the replay of the log.
fn check_state(conn: &Connection, records: &[Record]) -> Result<(), VerifyError> {
    let unreadable = |e: StoreError| VerifyError::Unreadable(e.to_string());
    let replayed = replay(records);
    let current = super::undo::current_states(conn).map_err(unreadable)?;
    let last_seq = |target: &str| {
        records
            .iter()
            .rev()
            .find(|r| r.target == target)
            .map_or(0, |r| r.seq)
    };
    for (target, state) in &current {
        if replayed.get(target) != Some(state) {
            return Err(VerifyError::StateMismatch {
                target: target.clone(),
                seq: last_seq(target),
            });
        }
    }
    if let Some(target) = replayed.keys().find(|t| !current.contains_key(*t)) {
        return Err(VerifyError::StateMismatch {
            target: target.clone(),
            seq: last_seq(target),
        });
    }
    Ok(())
}
