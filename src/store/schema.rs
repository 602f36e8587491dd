//! Schema migrations by `PRAGMA user_version`: each step runs once, in order, inside
//! one transaction with the version bump.

use rusqlite::{Connection, TransactionBehavior};

pub const VERSION: i64 = 3;
/// The oldest schema a read-only store can read: V3 only adds indexes and the id.
pub const READABLE_FROM: i64 = 2;

const V1: &str = "
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    tenant TEXT NOT NULL,
    subject TEXT,
    period TEXT NOT NULL,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    evidence TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    snoozed_until TEXT,
    snoozed_from TEXT,
    dismiss_reason TEXT,
    owner TEXT
);
CREATE INDEX alerts_status ON alerts(status);

CREATE TABLE followups (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    alert_id TEXT,
    tenant TEXT NOT NULL,
    title TEXT NOT NULL,
    cadence TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    due TEXT NOT NULL,
    owner TEXT
);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX notes_target ON notes(target);

-- Append-only and hash-chained: each row's hash covers its fields and the previous
-- row's hash, so changing or removing any row breaks the chain from there on.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    host TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT,
    note TEXT,
    batch INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_batch ON audit(batch);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Offline snapshots: the last answer PostHog gave for each pane and period, so the
/// cockpit starts at once and still shows something when PostHog cannot be reached.
/// A cache, not a record: not audited, replaced on every successful refresh.
const V2: &str = "
CREATE TABLE snapshots (
    source TEXT NOT NULL,
    part TEXT NOT NULL,
    period TEXT NOT NULL,
    today TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (source, part, period)
);
";

/// Indexes for every lookup the store makes, so loading N alerts is linear in N: each
/// alert's follow-up is found by `alert_id`. And bearing's mark in the file's header.
const V3: &str = "
CREATE INDEX followups_alert ON followups(alert_id);
PRAGMA application_id = 1650811250;
";

const STEPS: [&str; 3] = [V1, V2, V3];

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
            Some(format!(
                "the database is from a newer bearing (schema {version}, this one knows {VERSION})"
            )),
        ));
    }
    for (i, step) in STEPS.iter().enumerate() {
        let target = i as i64 + 1;
        if version < target {
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", target)?;
        }
    }
    tx.commit()
}
