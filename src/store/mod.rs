//! The local store: one SQLite database (bundled SQLite) in the XDG data dir, created
//! 0600 inside a 0700 dir. WAL with `synchronous=FULL`, `BEGIN IMMEDIATE` for every
//! write, a busy timeout so two bearing processes take turns instead of failing, and
//! schema migrations by `user_version`. It holds triage state, follow-ups, notes and
//! the audit log. Every change is one transaction that also appends its audit record.
//! No API key is ever stored here.

pub mod alerts;
pub mod audit;
pub mod followups;
mod schema;
pub mod snapshots;
pub mod undo;

use crate::triage::Refusal;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
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
    #[error("{0}")]
    Db(String),
    /// A database error, kept whole so `write` can tell a full disk from a bad query.
    #[error("{}", describe(.0))]
    Sqlite(rusqlite::Error),
}

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

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
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
}

/// Where the database lives unless `--db` or `BEARING_DB` say otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "bearing").map(|d| d.data_dir().join("bearing.db"))
}

fn prepare_files(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            // Our own file: keep it private even if something loosened it.
            let meta = std::fs::metadata(path)?;
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

impl Store {
    /// Opens (creating if needed) the database for reading and writing.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        prepare_files(path)
            .map_err(|e| StoreError::Db(format!("cannot create the database: {e} ({shown})")))?;
        let open = || -> rusqlite::Result<Connection> {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                    Some(format!("journal mode {mode}")),
                ));
            }
            conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
            Ok(conn)
        };
        let mut conn = open().map_err(|e| StoreError::Db(format!("{} ({shown})", describe(&e))))?;
        schema::migrate(&mut conn)
            .map_err(|e| StoreError::Db(format!("{} ({shown})", describe(&e))))?;
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
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            actor: Actor::current(),
            read_only: None,
        })
    }

    /// Opens the database to read only, e.g. when it cannot be written. `reason` is
    /// what the user is told when they try to change something.
    pub fn open_read_only(path: &Path, reason: String) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(StoreError::Db(format!("no database yet ({shown})")));
        }
        let try_open = |immutable: bool| -> rusqlite::Result<Connection> {
            let conn = if immutable {
                // A WAL database in a folder we cannot write has no -shm to map; read
                // the file as it is.
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(
                    uri,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
                )?
            } else {
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != schema::VERSION {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
                    Some(format!("schema version {version}")),
                ));
            }
            conn.query_row("SELECT count(*) FROM alerts", [], |r| r.get::<_, i64>(0))?;
            Ok(conn)
        };
        let conn = try_open(false)
            .or_else(|_| try_open(true))
            .map_err(|e| StoreError::Db(format!("{} ({shown})", describe(&e))))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            actor: Actor::current(),
            read_only: Some(reason),
        })
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
            #[cfg(feature = "test-hooks")]
            hooks::inside_transaction();
            tx.commit()?;
            Ok(value)
        })();
        match result {
            Err(StoreError::Sqlite(e)) => {
                let message = describe(&e);
                if is_fatal_for_writes(&e) {
                    self.read_only = Some(format!("{message}; changes cannot be saved"));
                }
                Err(StoreError::Db(format!(
                    "not saved: {message}; nothing was changed"
                )))
            }
            other => other,
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
mod audit_tests;
#[cfg(test)]
mod tests;
