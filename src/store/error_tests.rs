//! The store's errors keep their cause (a caller tells a full disk from a bad query
//! by the SQLite code, not by reading text) and read exactly as they did when they
//! were built as strings.

use super::tests::{fill_the_disk, seeded, today};
use super::{ChangeLost, StoreError, alerts};
use crate::triage::Command;
use rusqlite::ErrorCode;
use rusqlite::ffi;

fn sqlite(code: i32) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
}

#[test]
fn a_write_on_a_full_disk_keeps_sqlites_error() {
    let (_d, mut store, ids) = seeded(1);
    fill_the_disk(&store);
    let e = store
        .note(&alerts::target(&ids[0]), &"x".repeat(200_000))
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::NotSaved(s) if s.sqlite_error_code() == Some(ErrorCode::DiskFull)),
        "{e:?}"
    );
    // A read-only store refuses before SQLite is asked.
    let e = store
        .triage(&ids, &Command::Acknowledge, today())
        .unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly(_)), "{e:?}");
}

#[test]
fn every_store_error_reads_as_it_did_when_it_was_text() {
    let cases = [
        (
            StoreError::Open {
                path: "/x/bearing.db".into(),
                source: sqlite(ffi::SQLITE_CANTOPEN),
            },
            "the database cannot be opened (missing folder or no permission) (/x/bearing.db)",
        ),
        (
            StoreError::NotSaved(sqlite(ffi::SQLITE_FULL)),
            "not saved: the disk is full; nothing was changed",
        ),
        (
            StoreError::Unconfirmed(ChangeLost(None)),
            "cannot confirm this change was saved: the database's files were changed under bearing (its -wal file removed or replaced?): the last change is not in the database",
        ),
        (
            StoreError::Unconfirmed(ChangeLost(Some(sqlite(ffi::SQLITE_BUSY)))),
            "cannot confirm this change was saved: the database's files were changed under bearing (its -wal file removed or replaced?): the last change is not in the database (another bearing kept the database busy for too long)",
        ),
        (
            StoreError::UnreadableState {
                target: "alert:a1".into(),
            },
            "the audit log holds an unreadable state for alert:a1",
        ),
        (
            StoreError::Db(sqlite(ffi::SQLITE_CORRUPT)),
            "the database file is damaged or is not a bearing database",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
    }
}

#[test]
fn the_cause_of_a_store_error_is_its_source() {
    use std::error::Error;
    let e = StoreError::NotSaved(sqlite(ffi::SQLITE_FULL));
    let cause = e.source().and_then(|s| s.downcast_ref::<rusqlite::Error>());
    assert_eq!(
        cause.and_then(rusqlite::Error::sqlite_error_code),
        Some(ErrorCode::DiskFull)
    );
    let lost = StoreError::Unconfirmed(ChangeLost(Some(sqlite(ffi::SQLITE_BUSY))));
    assert!(lost.source().and_then(Error::source).is_some());
}
