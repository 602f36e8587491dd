//! Opening the database for a session, and what the session may do with it: write,
//! only read (and why), or nothing at all. The cockpit and the command line open it
//! the same way, so a store that cannot be written is described the same way in both.

use super::Store;
use std::path::PathBuf;

/// Whether triage changes can be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreStatus {
    Writable,
    /// Readable, not writable: `--read-only`, a read-only file, a full disk.
    ReadOnly(String),
    /// No database at all (damaged, or cannot be created); alerts are not saved.
    Unavailable(String),
}

impl StoreStatus {
    pub fn is_writable(&self) -> bool {
        *self == StoreStatus::Writable
    }

    /// Why changes cannot be saved, if they cannot.
    pub fn reason(&self) -> Option<&str> {
        match self {
            StoreStatus::Writable => None,
            StoreStatus::ReadOnly(r) | StoreStatus::Unavailable(r) => Some(r),
        }
    }
}

/// Opens the database at `path` (None: the default): writable unless `read_only`
/// gives a reason not to (then read-only, saying that reason), falling back to
/// reading it, and saying why, when it cannot be written. Never deletes or recreates
/// a damaged file. The session reads and writes the triage state of `source`
/// (`Config::triage_key`).
pub fn open_store(
    path: Option<PathBuf>,
    read_only: Option<String>,
    source: &str,
) -> (Option<Store>, StoreStatus) {
    let (mut store, status) = open_any(path, read_only);
    if let Some(s) = store.as_mut()
        && let Err(e) = s.set_source(source)
    {
        let reason = format!("cannot read the database: {e}");
        return (None, StoreStatus::Unavailable(reason));
    }
    (store, status)
}

fn open_any(path: Option<PathBuf>, read_only: Option<String>) -> (Option<Store>, StoreStatus) {
    let Some(path) = path.or_else(super::default_path) else {
        return (
            None,
            StoreStatus::Unavailable("no data directory (is HOME set?); pass --db FILE".into()),
        );
    };
    if let Some(reason) = read_only {
        return match Store::open_read_only(&path, reason.clone()) {
            Ok(s) => (Some(s), StoreStatus::ReadOnly(reason)),
            Err(_) => (None, StoreStatus::ReadOnly(reason)),
        };
    }
    match Store::open(&path) {
        Ok(s) => (Some(s), StoreStatus::Writable),
        Err(e) => {
            let reason = format!("cannot save changes: {e}");
            match Store::open_read_only(&path, reason.clone()) {
                Ok(s) => (Some(s), StoreStatus::ReadOnly(reason)),
                Err(_) => (None, StoreStatus::Unavailable(reason)),
            }
        }
    }
}

/// Opens the database for a command that only reads it; None when there is none
/// yet (an empty store) or it cannot be read (said in the second value).
pub fn open_to_read(path: Option<PathBuf>, source: &str) -> (Option<Store>, Option<String>) {
    let Some(path) = path.or_else(super::default_path) else {
        return (None, None);
    };
    if !path.exists() {
        return (None, None);
    }
    match Store::open_to_read_once(&path).and_then(|mut s| s.set_source(source).map(|()| s)) {
        Ok(s) => (Some(s), None),
        Err(e) => (None, Some(format!("triage state not shown: {e}"))),
    }
}

pub fn status_of(store: Option<&Store>, before: &StoreStatus) -> StoreStatus {
    match (store, before) {
        (Some(s), _) => s.read_only().map_or(StoreStatus::Writable, |r| {
            StoreStatus::ReadOnly(r.to_owned())
        }),
        (None, other) => other.clone(),
    }
}
