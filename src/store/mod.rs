//! The local store: one SQLite database (bundled SQLite) in the XDG data dir, created
//! 0600 inside a 0700 dir. WAL with `synchronous=FULL`, `BEGIN IMMEDIATE` for every
//! write, a busy timeout so two bearing processes take turns instead of failing, and
//! schema migrations by `user_version`. It holds triage state, follow-ups, notes and
//! the audit log. Every change is one transaction that also appends its audit record.
//! No API key is ever stored here.

pub mod alerts;
pub mod audit;
pub mod followups;
mod lifecycle;
pub mod open;
pub mod path;
mod schema;
pub mod scope;
pub mod snapshots;
pub mod undo;

use crate::triage::Refusal;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another bearing process to finish its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// Who makes a change, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub host: String,
}

impl Actor {
    /// The OS user and host running this process.
    pub fn current() -> Actor {
        let clean = |s: String| crate::triage::clean_text(&s, 64);
        Actor {
            user: whoami::account()
                .map(clean)
                .unwrap_or_else(|_| "unknown".into()),
            host: whoami::hostname()
                .map(clean)
                .unwrap_or_else(|_| "unknown".into()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Writes are refused: read-only mode, or the database cannot be written.
    #[error("read-only: {0}")]
    ReadOnly(String),
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    NotFound(String),
    /// A database error, kept whole so `write` can tell a full disk from a bad query.
    #[error("{}", describe(.0))]
    Db(#[from] rusqlite::Error),
    /// The database at `path` could not be opened or set up.
    #[error("{} ({path})", describe(.source))]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    /// A write failed and was rolled back.
    #[error("not saved: {}; nothing was changed", describe(.0))]
    NotSaved(#[source] rusqlite::Error),
    /// A write committed, but no other reader of the file finds it.
    #[error("cannot confirm this change was saved: {0}")]
    Unconfirmed(#[source] ChangeLost),
    /// An undo met a state in the audit log it cannot read back.
    #[error("the audit log holds an unreadable state for {target}")]
    UnreadableState { target: String },
    /// What is at the database's path is not a file bearing may use.
    #[error("{0}")]
    Path(#[from] path::PathRefused),
}

/// The last change is not in the database as another connection reads it: the
/// database's files were changed under bearing (its -wal removed or replaced while it
/// was open, the file swapped), so the commit went where other readers may never look.
/// Holds what that connection met, if it failed rather than finding the change gone.
#[derive(Debug, thiserror::Error)]
#[error(
    "the database's files were changed under bearing (its -wal file removed or replaced?): the last change is not in the database{}",
    .0.as_ref().map(|e| format!(" ({})", describe(e))).unwrap_or_default()
)]
pub struct ChangeLost(#[source] Option<rusqlite::Error>);

/// A database error in words a user can act on.
pub fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full".into(),
        Some(ErrorCode::ReadOnly) => {
            "the database cannot be written (read-only file or folder)".into()
        }
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            "the database file is damaged or is not a bearing database".into()
        }
        Some(ErrorCode::CannotOpen) => {
            "the database cannot be opened (missing folder or no permission)".into()
        }
        Some(ErrorCode::PermissionDenied) => "permission denied".into(),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "another bearing kept the database busy for too long".into()
        }
        Some(ErrorCode::SystemIoFailure) => "the disk could not be written".into(),
        _ => e.to_string(),
    }
}

/// Errors after which further writes would fail the same way.
fn is_fatal_for_writes(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::DiskFull
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::DatabaseCorrupt
        )
    )
}

pub struct Store {
    conn: Connection,
    pub path: PathBuf,
    pub actor: Actor,
    /// Why writes are refused, if they are.
    read_only: Option<String>,
    /// The data source whose triage state this session reads and writes.
    scope: scope::Scope,
}

/// Where the database lives unless `--db` or `BEARING_DB` say otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "bearing").map(|d| d.data_dir().join("bearing.db"))
}

/// bearing's mark in the SQLite header ("bear"), so that another program's database is
/// never taken for bearing's.
pub const APPLICATION_ID: i64 = 0x6265_6172;

/// Refuses a SQLite database that is not bearing's before anything is changed in it: a
/// database with another program's application id, or with tables but not bearing's.
/// An empty database is bearing's to set up; one made before bearing set its id is
/// known by its tables.
fn ensure_ours(conn: &Connection, shown: &str) -> Result<(), StoreError> {
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app == APPLICATION_ID {
        return Ok(());
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let bearing_tables = ["alerts", "audit"]
        .iter()
        .all(|t| tables.iter().any(|n| n == t));
    if app == 0 && (tables.is_empty() || bearing_tables) {
        return Ok(());
    }
    let what = if app != 0 {
        format!("application id {app:#x}")
    } else {
        let listed: Vec<String> = tables
            .iter()
            .take(5)
            .map(|t| crate::domain::sanitize::sanitize(t).into_owned())
            .collect();
        format!("tables {}", listed.join(", "))
    };
    Err(StoreError::Path(path::PathRefused {
        path: shown.to_owned(),
        why: format!("is another program's SQLite database ({what}); bearing will not change it"),
    }))
}

impl Store {
    /// Opens (creating if needed) the database for reading and writing.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned();
        let checked = path::check(path, true)?;
        let failed = |source: rusqlite::Error| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_NOFOLLOW,
        )
        .map_err(failed)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        // Nothing is changed (no WAL, no tables, no mode) until the file is known to be
        // bearing's.
        ensure_ours(&conn, &shown).map_err(|e| match e {
            StoreError::Db(e) => failed(e),
            other => other,
        })?;
        if !checked.created && checked.make_private().unwrap_or(false) {
            tracing::warn!("the database was readable by others; made it private (0600) again");
        }
        let setup = |conn: &Connection| -> rusqlite::Result<()> {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                    Some(format!("journal mode {mode}")),
                ));
            }
            conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        };
        setup(&conn).map_err(failed)?;
        schema::migrate(&mut conn).map_err(failed)?;
        // Test hook: cap the database at its current size, which makes SQLite answer
        // SQLITE_FULL exactly as it does on a full disk.
        #[cfg(feature = "test-hooks")]
        if let Some(extra) = std::env::var("BEARING_DEBUG_MAX_PAGES")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
        {
            let pages: i64 = conn
                .query_row("PRAGMA page_count", [], |r| r.get(0))
                .unwrap_or(0);
            let _ = conn.query_row(
                &format!("PRAGMA max_page_count = {}", pages + extra),
                [],
                |r| r.get::<_, i64>(0),
            );
        }
        let scope = scope::Scope::read(&conn, scope::DEMO).map_err(failed)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            actor: Actor::current(),
            read_only: None,
            scope,
        })
    }

    /// Opens the database to read only, e.g. when it cannot be written. `reason` is
    /// what the user is told when they try to change something.
    pub fn open_read_only(path: &Path, reason: String) -> Result<Store, StoreError> {
        Store::open_reading(path, reason, false)
    }

    /// Opens the database to read it once, for a command that only reads: a database
    /// closed cleanly (no -wal beside it) is read as the immutable file it is, so not
    /// even SQLite's -wal and -shm files appear; one in use is read through its WAL.
    pub fn open_to_read_once(path: &Path) -> Result<Store, StoreError> {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let closed = !Path::new(&wal).exists();
        Store::open_reading(path, "this command only reads".into(), closed)
    }

    fn open_reading(
        path: &Path,
        reason: String,
        immutable_first: bool,
    ) -> Result<Store, StoreError> {
        let shown = crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned();
        path::check(path, false)?;
        let try_open = |immutable: bool| -> rusqlite::Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NOFOLLOW;
            let conn = if immutable {
                // A WAL database in a folder we cannot write has no -shm to map; read
                // the file as it is.
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?
            } else {
                Connection::open_with_flags(path, flags)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if !(schema::READABLE_FROM..=schema::VERSION).contains(&version) {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
                    Some(format!("schema version {version}")),
                ));
            }
            conn.query_row("SELECT count(*) FROM alerts", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        };
        let conn = try_open(immutable_first)
            .or_else(|_| try_open(!immutable_first))
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?;
        ensure_ours(&conn, &shown)?;
        let scope = scope::Scope::read(&conn, scope::DEMO)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            actor: Actor::current(),
            read_only: Some(reason),
            scope,
        })
    }

    /// Confines this session to the triage state of data source `key` (the demo's
    /// until this is called).
    pub fn set_source(&mut self, key: &str) -> Result<(), StoreError> {
        self.scope = scope::Scope::read(&self.conn, key)?;
        Ok(())
    }

    pub fn scope(&self) -> &scope::Scope {
        &self.scope
    }

    /// Why writes are refused, if they are.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    pub fn set_read_only(&mut self, reason: impl Into<String>) {
        self.read_only = Some(reason.into());
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Closes the connection. The last connection to close checkpoints the WAL and
    /// removes the -wal and -shm files; a failure leaves them for the next open, which
    /// recovers from them, so there is nothing to report.
    pub fn close(self) {
        if let Err((_, e)) = self.conn.close() {
            tracing::warn!(error = %e, "the database did not close cleanly");
        }
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it. A failure that
    /// will not go away (disk full, read-only file) switches the store to read-only so
    /// the cockpit can say so once instead of failing on every key.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if let Some(r) = &self.read_only {
            return Err(StoreError::ReadOnly(r.clone()));
        }
        let actor = self.actor.clone();
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // On error the transaction is dropped, which rolls it back.
            let value = f(&tx, &actor)?;
            let last = audit::last(&tx)?;
            #[cfg(feature = "test-hooks")]
            hooks::inside_transaction();
            tx.commit()?;
            Ok((value, last))
        })();
        match result {
            Ok((value, last)) => {
                // Copy the commit into the database file itself at once, so it does
                // not live only in the -wal, which anything may remove (a full
                // checkpoint waits for no one: readers and writers are not blocked).
                let _ = self
                    .conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0));
                match self.confirm(last.as_ref()) {
                    Ok(()) => Ok(value),
                    Err(why) => {
                        self.read_only = Some(format!("{why}; changes cannot be saved"));
                        Err(StoreError::Unconfirmed(why))
                    }
                }
            }
            Err(StoreError::Db(e)) => {
                if is_fatal_for_writes(&e) {
                    self.read_only = Some(format!("{}; changes cannot be saved", describe(&e)));
                }
                Err(StoreError::NotSaved(e))
            }
            Err(other) => Err(other),
        }
    }

    /// "Saved" means another reader of the file sees it: after each commit, a new
    /// connection must find the last audit record as written. It does not when the
    /// database's files were changed under bearing; bearing then stops writing and
    /// says so.
    fn confirm(&self, last: Option<&(i64, String)>) -> Result<(), ChangeLost> {
        let Some((seq, hash)) = last else {
            return Ok(());
        };
        let reader = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NOFOLLOW,
        )
        .and_then(|c| {
            c.busy_timeout(BUSY_TIMEOUT)?;
            c.query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| {
                r.get::<_, String>(0)
            })
        });
        match reader {
            Ok(h) if &h == hash => Ok(()),
            Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => Err(ChangeLost(None)),
            Err(e) => Err(ChangeLost(Some(e))),
        }
    }
}

#[cfg(feature = "test-hooks")]
pub mod hooks {
    //! Test hooks (the `test-hooks` feature): what the crash and concurrency tests need
    //! to see inside a transaction.

    use std::time::Duration;

    /// Called with every write transaction open, its changes made, just before COMMIT.
    /// `BEARING_DEBUG_COMMIT_DELAY_MS` holds it open that long, so the crash test can
    /// kill a writer inside it; `BEARING_DEBUG_ANNOUNCE_TX` prints `open <n>` on
    /// standard output first, so the test knows a kill landed inside one.
    pub fn inside_transaction() {
        use std::io::Write;
        if std::env::var_os("BEARING_DEBUG_ANNOUNCE_TX").is_some() {
            static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "open {n}").and_then(|()| out.flush());
        }
        if let Some(ms) = std::env::var("BEARING_DEBUG_COMMIT_DELAY_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }
}

/// Now, as stored: RFC 3339 UTC with milliseconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod attack_tests;
#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod source_tests;
#[cfg(test)]
mod tests;
