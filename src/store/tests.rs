//! The store on real database files: permissions, durability settings, sync, triage,
//! undo, the audit chain and its tampering, replay, and what happens when it cannot
//! be written.

use super::*;
use crate::engine::alerts::{AlertCandidate, Evidence, Rule, Severity};
use crate::triage::{Command, Status};
use chrono::NaiveDate;
use std::os::unix::fs::PermissionsExt;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn candidate(tenant: &str, period: &str) -> AlertCandidate {
    AlertCandidate {
        id: AlertCandidate::identity(Rule::DeliverabilityTrend, tenant, None, period),
        rule: Rule::DeliverabilityTrend,
        tenant: tenant.into(),
        subject: None,
        period: period.into(),
        severity: Severity::High,
        title: format!("Deliverability signals rising at {tenant}"),
        evidence: Evidence::default(),
    }
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data/bearing/bearing.db")).unwrap();
    (dir, store)
}

/// From here on the database cannot grow: SQLite reports SQLITE_FULL, as on a full disk.
pub fn fill_the_disk(store: &Store) {
    let pages: i64 = store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
}

pub fn seeded(n: usize) -> (tempfile::TempDir, Store, Vec<String>) {
    let (dir, mut store) = fresh();
    let cands: Vec<_> = (0..n)
        .map(|i| candidate(&format!("t{i}"), "2026-11"))
        .collect();
    store.sync(&cands, &[], today(), false).unwrap();
    let ids = cands.into_iter().map(|c| c.id).collect();
    (dir, store, ids)
}

fn status(store: &Store, id: &str) -> Status {
    store
        .alerts()
        .unwrap()
        .into_iter()
        .find(|a| a.id == id)
        .unwrap()
        .triage
        .status
}

#[test]
fn created_private_with_durable_settings() {
    let (dir, store) = fresh();
    let db = dir.path().join("data/bearing/bearing.db");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    let c = store.conn();
    let journal: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (journal.as_str(), sync, version),
        ("wal", 2, schema::VERSION)
    );
    drop(store);
    // Reopening migrates nothing and keeps the data.
    let again = Store::open(&db).unwrap();
    assert_eq!(again.alerts().unwrap().len(), 0);
}

#[test]
fn a_loosened_database_file_is_made_private_again() {
    let (dir, store) = fresh();
    drop(store);
    let db = dir.path().join("data/bearing/bearing.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _store = Store::open(&db).unwrap();
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn alerts_fire_once_and_keep_their_state_across_refreshes() {
    let (_d, mut store, ids) = seeded(2);
    store
        .triage(&ids[..1], &Command::Acknowledge, today())
        .unwrap();
    // The same data refreshed: nothing fires again, the acknowledgement stays.
    let report = store
        .sync(
            &[candidate("t0", "2026-11"), candidate("t1", "2026-11")],
            &[],
            today(),
            false,
        )
        .unwrap();
    assert_eq!(report.fired, 0);
    assert_eq!(status(&store, &ids[0]), Status::Acknowledged);
    // Next month's recurrence is a new alert.
    let report = store
        .sync(&[candidate("t0", "2026-12")], &[], today(), false)
        .unwrap();
    assert_eq!(report.fired, 1);
    assert_eq!(
        status(&store, "deliverability_trend:t0:2026-12"),
        Status::New
    );
    let fires = audit::records(store.conn())
        .unwrap()
        .iter()
        .filter(|r| r.action == "fire")
        .count();
    assert_eq!(fires, 3);
}

#[test]
fn due_snoozes_wake_on_sync() {
    let (_d, mut store, ids) = seeded(1);
    store.triage(&ids, &Command::Acknowledge, today()).unwrap();
    let until = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    store
        .triage(&ids, &Command::Snooze { until }, today())
        .unwrap();
    assert_eq!(store.sync(&[], &[], today(), false).unwrap().woken, 0);
    assert_eq!(store.sync(&[], &[], until, false).unwrap().woken, 1);
    assert_eq!(
        status(&store, &ids[0]),
        Status::Acknowledged,
        "back to its former state"
    );
}

#[test]
fn bulk_actions_apply_where_legal_and_refuse_wholesale_otherwise() {
    let (_d, mut store, ids) = seeded(3);
    store.triage(&ids[..1], &Command::Resolve, today()).unwrap();
    let out = store.triage(&ids, &Command::Acknowledge, today()).unwrap();
    assert_eq!(out.changed, ids[1..].to_vec());
    assert_eq!(out.refused.len(), 1);
    let before = audit::records(store.conn()).unwrap().len();
    let err = store
        .triage(&ids[..1], &Command::Acknowledge, today())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot acknowledge a resolved alert; reopen it first"
    );
    assert_eq!(
        audit::records(store.conn()).unwrap().len(),
        before,
        "a refusal writes nothing"
    );
}

#[test]
fn undo_reverses_a_batch_and_is_itself_audited_and_undoable() {
    let (_d, mut store, ids) = seeded(2);
    let out = store.triage(&ids, &Command::Acknowledge, today()).unwrap();
    let undo = store.undo(out.batch).unwrap();
    assert!(ids.iter().all(|id| status(&store, id) == Status::New));
    let last = audit::records(store.conn()).unwrap();
    assert!(
        last.iter()
            .rev()
            .take(2)
            .all(|r| r.action == "undo acknowledge")
    );
    store.undo(undo).unwrap();
    assert!(
        ids.iter()
            .all(|id| status(&store, id) == Status::Acknowledged),
        "undo of the undo"
    );
    audit::verify(store.conn()).unwrap();
}

#[test]
fn undo_refuses_when_someone_changed_the_alert_since() {
    let (_d, mut store, ids) = seeded(1);
    let out = store.triage(&ids, &Command::Acknowledge, today()).unwrap();
    store.triage(&ids, &Command::Resolve, today()).unwrap();
    let err = store.undo(out.batch).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "cannot undo: alert:deliverability_trend:t0:2026-11 was changed since (by "
        ),
        "{err}"
    );
    assert_eq!(status(&store, &ids[0]), Status::Resolved);
}

#[test]
fn notes_and_follow_ups_are_audited_and_undoable() {
    let (_d, mut store, ids) = seeded(1);
    let batch = store
        .note(&alerts::target(&ids[0]), "called the ESP \x1b[2J")
        .unwrap();
    assert_eq!(
        store.alerts().unwrap()[0].notes[0].text,
        "called the ESP \\x1b[2J"
    );
    let (fb, fid) = store.followup_from_alert(&ids[0], today()).unwrap();
    let f = store.followups().unwrap();
    assert_eq!(
        f[0].state.due,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        "the next monthly review"
    );
    assert!(
        store.followup_from_alert(&ids[0], today()).is_err(),
        "one follow-up per alert"
    );
    store
        .followup_command(
            std::slice::from_ref(&fid),
            &crate::triage::followup::FollowCommand::Done,
        )
        .unwrap();
    let err = store.undo(fb).unwrap_err().to_string();
    assert!(err.starts_with("cannot undo"), "{err}");
    store.undo(batch).unwrap();
    assert!(store.alerts().unwrap()[0].notes.is_empty());
    audit::verify(store.conn()).unwrap();
}

#[test]
fn a_read_only_store_refuses_writes_with_its_reason() {
    let (_d, store, ids) = seeded(1);
    let path = store.path.clone();
    drop(store);
    let mut ro = Store::open_read_only(&path, "opened with --read-only".into()).unwrap();
    assert_eq!(ro.alerts().unwrap().len(), 1);
    let e = ro.triage(&ids, &Command::Acknowledge, today()).unwrap_err();
    assert_eq!(e.to_string(), "read-only: opened with --read-only");
}

#[test]
fn a_full_disk_fails_the_write_cleanly_and_switches_to_read_only() {
    let (_d, mut store, ids) = seeded(1);
    fill_the_disk(&store);
    let big = "x".repeat(200_000);
    let e = store
        .note(&alerts::target(&ids[0]), &big)
        .err()
        .map(|e| e.to_string());
    let e = e.unwrap_or_default();
    assert_eq!(e, "not saved: the disk is full; nothing was changed");
    assert_eq!(
        store.read_only(),
        Some("the disk is full; changes cannot be saved")
    );
    let ok: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert!(store.alerts().unwrap()[0].notes.is_empty());
    audit::verify(store.conn()).unwrap();
}

#[test]
fn a_damaged_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bearing.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    let e = Store::open(&db)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.ends_with(
            "bearing.db is damaged or is not a SQLite database; bearing will not write over it"
        ),
        "{e}"
    );
    assert!(Store::open_read_only(&db, String::new()).is_err());
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

#[test]
fn two_connections_take_turns_without_losing_writes() {
    let (_d, store, ids) = seeded(4);
    let path = store.path.clone();
    drop(store);
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let (path, ids) = (path.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                for i in 0..50 {
                    let id = &ids[(i + w) % ids.len()];
                    s.note(&alerts::target(id), &format!("worker {w} note {i}"))
                        .unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let notes: usize = store.alerts().unwrap().iter().map(|a| a.notes.len()).sum();
    assert_eq!(notes, 100);
    audit::verify(store.conn()).unwrap();
}

#[test]
fn alerts_sort_open_first_then_severity_then_recent_period_then_identity() {
    use crate::store::alerts::{AlertRow, sort_alerts};
    let mut rows: Vec<AlertRow> = Vec::new();
    let mut seed = 7u64;
    for i in 0..500 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = |n: u64| ((seed >> 33) % n) as usize;
        let mut c = candidate(
            &format!("t{}", pick(9)),
            ["2026-09", "2026-10", "2026-11"][pick(3)],
        );
        c.id = format!("{}:{i}", c.id);
        c.severity = [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ][pick(4)];
        let mut row = AlertRow::unsaved(&c);
        row.triage.status = [Status::New, Status::Resolved, Status::Acknowledged][pick(3)];
        rows.push(row);
    }
    let mut expected = rows.clone();
    expected.sort_by(|a, b| {
        b.triage
            .status
            .is_open()
            .cmp(&a.triage.status.is_open())
            .then(b.severity.cmp(&a.severity))
            .then(b.period.cmp(&a.period))
            .then(a.id.cmp(&b.id))
    });
    sort_alerts(&mut rows);
    assert_eq!(rows, expected);
    // Already in order: unchanged.
    sort_alerts(&mut rows);
    assert_eq!(rows, expected);
}
