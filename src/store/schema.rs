//! Schema migrations by `PRAGMA user_version`: each step runs once, in order, inside
//! one transaction with the version bump.

use crate::domain::PeriodSpec;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

pub const VERSION: i64 = 5;
/// The oldest schema a read-only store can read: V3 only adds indexes and the id, V4
/// only renames snapshot keys (read from a V2 or V3 file, an old key just finds no
/// snapshot, and the panes wait for PostHog as they would without one), V5 only adds
/// sources (read from an older file, every row is shown, as that bearing did).
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

/// Snapshots were keyed by the period's `Debug` text (`Trailing(90)`,
/// `Month { year: 2026, month: 11 }`), which renaming a variant or a field would have
/// silently orphaned. They are keyed by the period as the user writes it (`90d`,
/// `2026-11`), which `PeriodSpec` displays and parses alike. A key that is not one of
/// the old spellings is left as it is: a cache row that no period reads is harmless.
fn v4(tx: &Transaction) -> rusqlite::Result<()> {
    let keys: Vec<String> = tx
        .prepare("SELECT DISTINCT period FROM snapshots")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // OR IGNORE: a row already under the new key (none at V3, but a migration must not
    // fail on a cache) keeps its place, and the old one stays unread.
    let mut rename = tx.prepare("UPDATE OR IGNORE snapshots SET period = ?2 WHERE period = ?1")?;
    for old in keys {
        if let Some(spec) = from_debug(&old) {
            rename.execute(params![old, spec.to_string()])?;
        }
    }
    Ok(())
}

/// Reads back what `format!("{:?}", spec)` printed for `PeriodSpec` up to schema V3
/// (the derived `Debug`; the test holds this to the enum's real output).
fn from_debug(old: &str) -> Option<PeriodSpec> {
    match old {
        "ThisMonth" => return Some(PeriodSpec::ThisMonth),
        "LastMonth" => return Some(PeriodSpec::LastMonth),
        "ThisQuarter" => return Some(PeriodSpec::ThisQuarter),
        "LastQuarter" => return Some(PeriodSpec::LastQuarter),
        _ => {}
    }
    if let Some(n) = old.strip_prefix("Trailing(") {
        return n.strip_suffix(')')?.parse().ok().map(PeriodSpec::Trailing);
    }
    let (variant, fields) = old.strip_suffix(" }")?.split_once(" { ")?;
    let (year, rest) = fields.strip_prefix("year: ")?.split_once(", ")?;
    let year = year.parse().ok()?;
    match variant {
        "Month" => Some(PeriodSpec::Month {
            year,
            month: rest.strip_prefix("month: ")?.parse().ok()?,
        }),
        "Quarter" => Some(PeriodSpec::Quarter {
            year,
            quarter: rest.strip_prefix("quarter: ")?.parse().ok()?,
        }),
        _ => None,
    }
}

/// Triage state per data source (`scope.rs`): each alert and follow-up names its
/// source. The rows already here were triaged on one source, chosen by
/// `legacy_source`; they keep their ids, so every audit record still names them as
/// they are and `audit verify` replays the log onto the same rows. Nothing in the
/// audit log is touched.
fn v5(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT '';
         ALTER TABLE followups ADD COLUMN source TEXT NOT NULL DEFAULT '';
         CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    )?;
    let legacy = super::scope::legacy_source(tx)?;
    tx.execute("UPDATE alerts SET source = ?1", [&legacy])?;
    tx.execute("UPDATE followups SET source = ?1", [&legacy])?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
        params![super::scope::BARE_SOURCE, legacy],
    )?;
    tx.execute_batch(
        "CREATE INDEX alerts_source ON alerts(source);
         CREATE INDEX followups_source ON followups(source);",
    )
}

/// A step is SQL, or code where the change needs Rust's reading of the old values.
enum Step {
    Sql(&'static str),
    Code(fn(&Transaction) -> rusqlite::Result<()>),
}

const STEPS: [Step; 5] = [
    Step::Sql(V1),
    Step::Sql(V2),
    Step::Sql(V3),
    Step::Code(v4),
    Step::Code(v5),
];

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    migrate_to(conn, VERSION)
}

/// Migrates up to schema `to`: `migrate` goes all the way; tests stop earlier to build
/// the files an older bearing left behind.
pub(super) fn migrate_to(conn: &mut Connection, to: i64) -> rusqlite::Result<()> {
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
        if version < target && target <= to {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Code(run) => run(&tx)?,
            }
            tx.pragma_update(None, "user_version", target)?;
        }
    }
    tx.commit()
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
