//! What an attack on the store's path and files found (issue 9): each case is refused
//! with its reason and leaves what it found exactly as it was.

use super::tests::{seeded, today};
use super::{Store, StoreError};
use crate::triage::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

fn refused(path: &Path) -> String {
    match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_store_path_a_symlink_is_refused_and_its_target_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("notes.txt");
    std::fs::write(&target, "mine").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = dir.path().join("bearing.db");
    std::os::unix::fs::symlink(&target, &db).unwrap();
    let e = refused(&db);
    assert!(
        e.ends_with("is a symbolic link; bearing opens its database only at its real path"),
        "{e}"
    );
    assert_eq!(mode(&target), 0o644, "the link's target was chmodded");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    // Nor through a read-only open.
    assert!(Store::open_read_only(&db, "x".into()).is_err());
}

#[test]
fn the_store_path_a_folder_a_device_or_a_fifo_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(refused(&folder).ends_with("is a folder, not a database file"));
    assert_eq!(mode(&folder), 0o755);

    // /dev/null: run as root, the old code made it 0600 for the whole machine.
    let null = Path::new("/dev/null");
    let before = mode(null);
    assert!(refused(null).ends_with("is a device, not a database file"));
    assert_eq!(mode(null), before);

    // A FIFO is refused at once, never waited on.
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    assert!(refused(&fifo).ends_with("is a FIFO, not a database file"));
    assert!(Store::open_read_only(&fifo, "x".into()).is_err());
}

#[test]
fn the_store_path_another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bearing.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ana');")
            .unwrap();
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let e = refused(&db);
    assert!(
        e.ends_with(
            "is another program's SQLite database (tables users); bearing will not change it"
        ),
        "{e}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the file was changed");
    assert_eq!(mode(&db), 0o644, "the file was chmodded");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "something was created beside it: {names:?}");

    // A database another program marked as its own is refused as well.
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("PRAGMA application_id = 42;").unwrap();
    }
    assert!(refused(&other).contains("application id 0x2a"));

    // A file that is not SQLite at all is not written over.
    let text = dir.path().join("text.db");
    std::fs::write(&text, "hello, this is not a database").unwrap();
    assert!(
        refused(&text)
            .ends_with("is damaged or is not a SQLite database; bearing will not write over it")
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "hello, this is not a database"
    );
}

#[test]
fn the_store_path_a_hard_link_or_another_users_file_is_refused() {
    let (dir, store, _) = seeded(1);
    let db = store.path.clone();
    drop(store);
    let link = dir.path().join("second-name.db");
    std::fs::hard_link(&db, &link).unwrap();
    assert!(
        refused(&db)
            .ends_with("has other hard links; bearing uses only a database file with one name")
    );
    std::fs::remove_file(&link).unwrap();
    Store::open(&db).unwrap();
    // Only root can give a file away; other users skip this part.
    if rustix::process::geteuid().is_root() {
        assert!(
            std::process::Command::new("chown")
                .args(["65534:65534", db.to_str().unwrap()])
                .status()
                .unwrap()
                .success()
        );
        assert!(refused(&db).contains("belongs to another user (uid 65534)"));
    }
}

#[test]
fn the_store_path_a_loosened_bearing_database_is_made_private_through_its_open_file() {
    let (_d, store, _) = seeded(1);
    let db = store.path.clone();
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    let app: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, super::APPLICATION_ID);
}

/// The alerts acknowledged, as a new reader of the file sees them.
fn acknowledged(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    super::audit::verify(&c).unwrap();
    c.prepare("SELECT id FROM alerts WHERE status = 'acknowledged' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_wal_removed_under_a_second_connection_loses_nothing_called_saved() {
    let (_d, mut store, ids) = seeded(3);
    // Another connection holds the database open and writes, as a second bearing would.
    let mut other = Store::open(&store.path).unwrap();
    store
        .triage(&ids[..1], &Command::Acknowledge, today())
        .unwrap();
    std::fs::remove_file(store.path.with_extension("db-wal")).unwrap();
    let mut saved = vec![ids[0].clone()];
    for (who, id) in [(0, &ids[1]), (1, &ids[2])] {
        let s = if who == 0 { &mut store } else { &mut other };
        match s.triage(std::slice::from_ref(id), &Command::Acknowledge, today()) {
            Ok(_) => saved.push(id.clone()),
            Err(e) => {
                // Not called saved: then it says why and takes no more changes.
                assert!(
                    e.to_string()
                        .starts_with("cannot confirm this change was saved"),
                    "{e}"
                );
                assert!(s.read_only().is_some());
            }
        }
    }
    let path = store.path.clone();
    drop((store, other));
    // Every change called saved is in the file, which is whole and verifies.
    let found = acknowledged(&path);
    for id in &saved {
        assert!(
            found.contains(id),
            "{id} was called saved and is lost: {found:?}"
        );
    }
}

#[test]
fn a_change_nobody_else_can_read_is_not_called_saved() {
    let (_d, mut store, ids) = seeded(2);
    // The database is deleted while bearing runs (a clean-up script, a sync tool):
    // this connection still writes to the unlinked file, which no one will read again.
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", store.path.display());
        let _ = std::fs::remove_file(p);
    }
    let e = store
        .triage(&ids[..1], &Command::Acknowledge, today())
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Unconfirmed(_))
            && e.to_string().starts_with("cannot confirm this change was saved: the database's files were changed under bearing"),
        "{e}"
    );
    assert!(
        store
            .read_only()
            .is_some_and(|r| r.contains("changes cannot be saved"))
    );
    let e = store
        .triage(&ids[1..], &Command::Acknowledge, today())
        .unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly(_)), "{e}");
}

#[test]
fn a_quadratic_alert_load_costs_sqlite_steps_in_proportion_to_alerts() {
    // Loading N alerts looked up each one's follow-up by scanning every follow-up:
    // N × M row reads (21,436 alerts took 28 s). Count the virtual machine steps SQLite
    // takes to load N and 4N alerts, one in three with a follow-up: linear is ~4×,
    // the old load was ~16×. Steps, not seconds: the same on every machine.
    fn steps_to_load(n: usize) -> u64 {
        let (_d, mut store, ids) = seeded(n);
        for id in ids.iter().step_by(3) {
            store.followup_from_alert(id, today()).unwrap();
        }
        // Called every 100 instructions: the count is in hundreds.
        let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let c2 = std::sync::Arc::clone(&count);
        store
            .conn()
            .progress_handler(
                100,
                Some(move || {
                    c2.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    false
                }),
            )
            .unwrap();
        let alerts = store.alerts().unwrap();
        store
            .conn()
            .progress_handler(100, None::<fn() -> bool>)
            .unwrap();
        assert_eq!(alerts.len(), n);
        assert_eq!(
            alerts.iter().filter(|a| a.followup.is_some()).count(),
            n.div_ceil(3)
        );
        count.load(std::sync::atomic::Ordering::Relaxed)
    }
    let (small, large) = (steps_to_load(300), steps_to_load(1200));
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 6.0,
        "4x the alerts took {ratio:.1}x the SQLite steps ({small} -> {large} hundreds)"
    );
}
