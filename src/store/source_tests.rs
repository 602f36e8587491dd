//! Triage state per data source: one source's triage never reaches another's rows,
//! and a database from before sources migrates without losing or changing a record.

use super::audit::{self, Change};
use super::scope::DEMO;
use super::*;
use crate::engine::alerts::{AlertCandidate, Evidence, Rule, Severity};
use crate::triage::followup::{FollowState, FollowStatus};
use crate::triage::{Command, Status, TriageState};
use chrono::NaiveDate;

const FILE: &str = "file /exports/acme.jsonl";
const PROJECT: &str = "posthog https://eu.posthog.com 42";
const ID: &str = "deliverability_trend:acme:2026-11";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn candidate() -> AlertCandidate {
    AlertCandidate {
        id: ID.into(),
        rule: Rule::DeliverabilityTrend,
        tenant: "acme".into(),
        subject: None,
        period: "2026-11".into(),
        severity: Severity::High,
        title: "Deliverability signals rising at acme".into(),
        evidence: Evidence::default(),
    }
}

fn state(store: &Store) -> Option<TriageState> {
    store
        .alerts()
        .unwrap()
        .into_iter()
        .find(|a| a.id == ID)
        .map(|a| a.triage)
}

#[test]
fn triage_on_one_source_never_reaches_another() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bearing.db")).unwrap();
    // The same alert, raised by the demo and by a file.
    store.sync(&[candidate()], &[], today(), false).unwrap();
    store.set_source(FILE).unwrap();
    store.sync(&[candidate()], &[], today(), false).unwrap();

    store.set_source(DEMO).unwrap();
    let reason = "Decision reversed in Nov".to_owned();
    store
        .triage(&[ID.into()], &Command::Dismiss { reason }, today())
        .unwrap();
    store.note(&format!("alert:{ID}"), "demo note").unwrap();
    store.followup_from_alert(ID, today()).unwrap();
    assert_eq!(state(&store).unwrap().status, Status::Dismissed);

    store.set_source(FILE).unwrap();
    let file_alerts = store.alerts().unwrap();
    assert_eq!(file_alerts.len(), 1);
    let a = &file_alerts[0];
    // Shown by the id the user knows, untouched by the demo's triage.
    assert_eq!(a.id, ID);
    assert_eq!(a.triage, TriageState::default());
    assert!(a.notes.is_empty() && a.followup.is_none(), "{a:?}");
    assert!(store.followups().unwrap().is_empty());

    // The file's own triage, undone, leaves the demo's as it was.
    let out = store
        .triage(&[ID.into()], &Command::Acknowledge, today())
        .unwrap();
    assert_eq!(out.changed, [ID]);
    assert_eq!(state(&store).unwrap().status, Status::Acknowledged);
    store.undo(out.batch).unwrap();
    assert_eq!(state(&store).unwrap().status, Status::New);
    // A source with nothing stored sees nothing.
    store.set_source(PROJECT).unwrap();
    assert!(store.alerts().unwrap().is_empty());

    store.set_source(DEMO).unwrap();
    let demo = store.alerts().unwrap();
    assert_eq!(demo[0].triage.status, Status::Dismissed);
    assert_eq!(demo[0].notes[0].text, "demo note");
    assert_eq!(demo[0].followup.as_deref(), Some(&*format!("alert:{ID}")));
    let f = store.followups().unwrap();
    assert_eq!(f[0].alert_id.as_deref(), Some(ID));
    assert!(audit::verify(store.conn()).is_ok());
}

/// A database as bearing left it before sources (schema 4): an alert fired, dismissed,
/// noted and followed up on a PostHog project, each change audited.
fn v4_with_triage(path: &std::path::Path) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    super::schema::migrate_to(&mut conn, 4).unwrap();
    conn.execute(
        "INSERT INTO snapshots (source, part, period, today, fetched_at, body)
         VALUES (?1, 'bearing_revenue', '90d', '2026-11-28', '2026-11-28T09:00:00Z', '{}')",
        [PROJECT],
    )
    .unwrap();
    let actor = Actor {
        user: "ana".into(),
        host: "laptop".into(),
    };
    let tx = conn.transaction().unwrap();
    let change = |action, target: String, before: Option<String>, after: Option<String>| {
        audit::append(
            &tx,
            &actor,
            audit::next_batch(&tx).unwrap(),
            Change {
                action,
                target: &target,
                before,
                after,
                note: None,
            },
        )
        .unwrap();
    };
    tx.execute(
        "INSERT INTO alerts (id, rule, tenant, period, severity, title, evidence, first_seen, last_seen, status, dismiss_reason)
         VALUES (?1, 'deliverability_trend', 'acme', '2026-11', 'high', 'Deliverability signals rising at acme', '{}', 't', 't', 'dismissed', 'known outage')",
        [ID],
    )
    .unwrap();
    let fired = alerts::state_json(&TriageState::default());
    let dismissed = TriageState {
        status: Status::Dismissed,
        dismiss_reason: Some("known outage".into()),
        ..TriageState::default()
    };
    change("fire", alerts::target(ID), None, Some(fired.clone()));
    let after = Some(alerts::state_json(&dismissed));
    change("dismiss", alerts::target(ID), Some(fired), after);
    let on = alerts::target(ID);
    tx.execute(
        "INSERT INTO notes (target, at, who, text) VALUES (?1, 't', 'ana', 'vendor confirmed')",
        [&on],
    )
    .unwrap();
    let note = format!("note:{}", tx.last_insert_rowid());
    change(
        "note",
        note,
        None,
        Some(undo::note_json(&on, "vendor confirmed")),
    );
    let follow = format!("alert:{ID}");
    tx.execute(
        "INSERT INTO followups (id, origin, alert_id, tenant, title, cadence, created, status, due)
         VALUES (?1, 'alert', ?2, 'acme', 'Follow up', 'monthly', 't', 'open', '2026-12-31')",
        [&follow, ID],
    )
    .unwrap();
    let open = FollowState {
        status: FollowStatus::Open,
        due: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        owner: None,
    };
    let created = Some(followups::state_json(&open));
    change(
        "create follow-up",
        followups::target(&follow),
        None,
        created,
    );
    tx.commit().unwrap();
}

#[test]
fn the_migration_keeps_every_audit_record_and_the_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bearing.db");
    v4_with_triage(&path);
    let before = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(audit::verify(&conn).unwrap().records, 4);
        audit::records(&conn).unwrap()
    };

    let mut store = Store::open(&path).unwrap();
    // Every record as it was, the chain and its replay whole.
    assert_eq!(audit::records(store.conn()).unwrap(), before);
    let verified = audit::verify(store.conn()).unwrap();
    assert_eq!(verified.records, 4);

    // The rows were triaged on the one PostHog project the database knew: its triage,
    // notes and follow-up are all there for it, and for no other source.
    assert!(store.alerts().unwrap().is_empty(), "the demo sees none");
    store.set_source(PROJECT).unwrap();
    let rows = store.alerts().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].triage.status, Status::Dismissed);
    assert_eq!(rows[0].notes[0].text, "vendor confirmed");
    assert_eq!(rows[0].followup.as_deref(), Some(&*format!("alert:{ID}")));
    assert_eq!(store.followups().unwrap().len(), 1);

    // Undo of a change made before the migration still works, and the log verifies.
    store.undo(2).unwrap();
    assert_eq!(state(&store).unwrap().status, Status::New);
    assert_eq!(audit::verify(store.conn()).unwrap().records, 5);
}

#[test]
fn without_a_posthog_project_the_old_rows_are_the_demos() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bearing.db");
    v4_with_triage(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM snapshots", []).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(state(&store).unwrap().status, Status::Dismissed);
}

#[test]
fn an_alert_the_data_no_longer_shows_is_cleared_with_a_record_and_recurs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bearing.db")).unwrap();
    let old = AlertCandidate {
        id: "deliverability_trend:acme:2026-08".into(),
        period: "2026-08".into(),
        ..candidate()
    };
    store
        .sync(&[candidate(), old.clone()], &[], today(), true)
        .unwrap();
    store
        .triage(&[ID.into()], &Command::Acknowledge, today())
        .unwrap();
    // A partial evaluation (a snapshot's) clears nothing.
    let report = store.sync(&[], &[], today(), false).unwrap();
    assert_eq!(report.cleared, 0);
    // A complete one that no longer raises it: cleared, audited, kept. The August
    // alert's cycle is no longer evaluated: left as it is.
    let report = store.sync(&[], &[], today(), true).unwrap();
    assert_eq!(report.cleared, 1);
    assert_eq!(state(&store).unwrap().status, Status::Cleared);
    let old_state = store.alerts().unwrap();
    let august = old_state.iter().find(|a| a.id == old.id).unwrap();
    assert_eq!(august.triage.status, Status::New);
    let records = audit::records(store.conn()).unwrap();
    let last = records.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.note.as_deref()),
        ("clear", Some("the data no longer shows it"))
    );
    // The data shows it again: new again, audited.
    store.sync(&[candidate()], &[], today(), true).unwrap();
    assert_eq!(state(&store).unwrap().status, Status::New);
    let last = audit::records(store.conn()).unwrap().pop().unwrap();
    assert_eq!(last.action, "recur");
    assert!(audit::verify(store.conn()).is_ok());
}
