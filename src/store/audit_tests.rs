//! The audit log under attack: every row tampered with in every field, rows removed,
//! rows re-forged with a valid hash of their own, state edited behind bearing's back,
//! and the append-only protection dropped. Each is found and named.

use super::audit::{self, VerifyError};
use super::tests::{seeded, today};
use super::{Store, alerts};
use crate::triage::Command;

#[test]
fn the_audit_table_refuses_update_and_delete() {
    let (_d, store, _ids) = seeded(1);
    let e = store
        .conn()
        .execute("UPDATE audit SET who = 'mallory'", [])
        .unwrap_err()
        .to_string();
    assert!(e.contains("the audit log is append-only"), "{e}");
    let e = store
        .conn()
        .execute("DELETE FROM audit", [])
        .unwrap_err()
        .to_string();
    assert!(e.contains("append-only"), "{e}");
}

/// Opens the raw file, removes the protection, and changes the log.
fn tamper(store: &Store, sql: &str) {
    let c = rusqlite::Connection::open(&store.path).unwrap();
    c.execute_batch(&format!(
        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql};
         CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;"
    ))
    .unwrap();
}

fn busy_store() -> (tempfile::TempDir, Store) {
    let (d, mut store, ids) = seeded(3);
    store.triage(&ids, &Command::Acknowledge, today()).unwrap();
    store.note(&alerts::target(&ids[1]), "n").unwrap();
    store.triage(&ids[2..], &Command::Resolve, today()).unwrap();
    assert_eq!(audit::verify(store.conn()).unwrap().records, 8);
    (d, store)
}

#[test]
fn tampering_with_any_row_is_found_and_named() {
    for seq in 1..=8 {
        for field in [
            "who = 'mallory'",
            "after = NULL",
            "at = '2020-01-01T00:00:00.000Z'",
            "hash = 'x'",
        ] {
            let (_d, store) = busy_store();
            tamper(
                &store,
                &format!("UPDATE audit SET {field} WHERE seq = {seq}"),
            );
            let err = audit::verify(store.conn()).unwrap_err();
            assert_eq!(err, VerifyError::Altered { seq }, "{field} at row {seq}");
            assert!(
                err.to_string()
                    .starts_with(&format!("audit row {seq} has been changed"))
            );
        }
    }
}

#[test]
fn removed_rows_reforged_rows_and_edited_state_are_found() {
    let (_d, store) = busy_store();
    tamper(&store, "DELETE FROM audit WHERE seq = 4");
    assert_eq!(
        audit::verify(store.conn()).unwrap_err(),
        VerifyError::Missing {
            from: 4,
            to: 4,
            prev: 3,
            next: 5
        }
    );

    // A row rewritten with a correct hash of its own still breaks the chain after it.
    let (_d, store) = busy_store();
    let mut recs = audit::records(store.conn()).unwrap();
    recs[2].who = "mallory".into();
    let forged = recs[2].compute_hash();
    tamper(
        &store,
        &format!("UPDATE audit SET who = 'mallory', hash = '{forged}' WHERE seq = 3"),
    );
    assert_eq!(
        audit::verify(store.conn()).unwrap_err(),
        VerifyError::Broken { seq: 4, prev: 3 }
    );

    // The last row removed: the state no longer matches the log.
    let (_d, store) = busy_store();
    tamper(&store, "DELETE FROM audit WHERE seq = 8");
    let err = audit::verify(store.conn()).unwrap_err();
    assert_eq!(
        err,
        VerifyError::StateMismatch {
            target: "alert:deliverability_trend:t2:2026-11".into(),
            seq: 6
        }
    );

    // A state changed behind bearing's back.
    let (_d, store) = busy_store();
    store
        .conn()
        .execute("UPDATE alerts SET status = 'new'", [])
        .unwrap();
    let err = audit::verify(store.conn()).unwrap_err();
    assert!(matches!(err, VerifyError::StateMismatch { .. }), "{err}");

    let (_d, store) = busy_store();
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_no_delete")
        .unwrap();
    assert_eq!(
        audit::verify(store.conn()).unwrap_err(),
        VerifyError::Unprotected("audit_no_delete".into())
    );
}

/// A change recorded from a state its target no longer had, as a writer that read
/// outside its transaction would record it: the chain is intact, every hash is right,
/// and the state tables equal the replay, yet an update was lost.
pub fn forge_stale_write(store: &Store, id: &str) -> i64 {
    use super::audit::Change;
    use crate::triage::{Status, TriageState};
    let mut c = rusqlite::Connection::open(&store.path).unwrap();
    let tx = c.transaction().unwrap();
    let new = TriageState::default();
    let resolved = TriageState {
        status: Status::Resolved,
        ..TriageState::default()
    };
    super::alerts::write_state(&tx, id, &resolved).unwrap();
    let change = Change {
        action: "resolve",
        target: &alerts::target(id),
        before: Some(alerts::state_json(&new)),
        after: Some(alerts::state_json(&resolved)),
        note: None,
    };
    let batch = audit::next_batch(&tx).unwrap();
    let seq = audit::append(&tx, &store.actor, batch, change).unwrap();
    tx.commit().unwrap();
    seq
}

#[test]
fn a_change_from_a_stale_state_is_a_lost_update_and_is_named() {
    let (_d, store) = busy_store();
    // Rows 4..=6 acknowledged the three alerts; a writer that still saw the first as
    // "new" resolves it.
    let id = alerts::target(&seeded_ids(&store)[0]);
    let acked_in = audit::records(store.conn())
        .unwrap()
        .iter()
        .rev()
        .find(|r| r.target == id)
        .unwrap()
        .seq;
    let seq = forge_stale_write(&store, id.strip_prefix("alert:").unwrap());
    let err = audit::verify(store.conn()).unwrap_err();
    assert_eq!(
        err,
        VerifyError::LostUpdate {
            seq,
            target: id.clone(),
            prev: Some(acked_in)
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "audit row {seq} changes {id} from a state it no longer had (row {acked_in} had changed it): an update was lost"
        )
    );
}

fn seeded_ids(store: &Store) -> Vec<String> {
    let mut ids: Vec<String> = store.alerts().unwrap().into_iter().map(|a| a.id).collect();
    ids.sort();
    ids
}
