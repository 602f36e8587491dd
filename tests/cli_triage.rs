//! `bearing alerts`, `bearing followups` and `bearing audit verify` as scripts use them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::process::{Command, Output};
use support::BIN;

fn run(db: &std::path::Path, args: &[&str]) -> Output {
    run_on(db, args, "2026-11-28")
}

/// `bearing ARGS --today TODAY` on the store `db`, with `db`'s folder as home.
fn run_on(db: &std::path::Path, args: &[&str], today: &str) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--today", today, "--db", db.to_str().unwrap()])
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn alerts_exit_code_says_whether_new_urgent_alerts_wait() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let out = run(&db, &["alerts", "--save"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("SEVERITY  STATE"), "{table}");
    assert!(table.lines().last().unwrap().ends_with("open"));

    // Handle every new high or critical alert: the exit code turns 0.
    let mut store = bearing::store::Store::open(&db).unwrap();
    let urgent: Vec<String> = store
        .alerts()
        .unwrap()
        .into_iter()
        .filter(|a| a.severity >= bearing::engine::alerts::Severity::High)
        .map(|a| a.id)
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    store
        .triage(&urgent, &bearing::triage::Command::Acknowledge, today)
        .unwrap();
    drop(store);
    let out = run(&db, &["alerts"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let out = run(&db, &["alerts", "--json", "--state", "acknowledged"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), urgent.len());
    assert!(rows.iter().all(|r| r["triage"]["status"] == "acknowledged"));
    assert!(
        rows[0]["evidence"]["figures"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );

    let out = run(&db, &["alerts", "--state", "sleeping"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown state \"sleeping\""));
}

#[test]
fn followups_list_with_due_dates() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let out = run(&db, &["followups", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 10);
    assert!(
        rows.iter()
            .all(|r| r["state"]["status"] == "open" && r["state"]["due"].is_string())
    );
    let out = run(&db, &["followups"]);
    let table = text(&out.stdout);
    assert!(
        table.contains("OVERDUE"),
        "last month's reviews are overdue"
    );
    // Each heading sits over its column: the tenant under TENANT, the owner under
    // OWNER (OWNER once sat over the tenants).
    let head = table.lines().next().unwrap();
    let row = table.lines().nth(1).unwrap();
    let tenant_at = head.find("TENANT").unwrap();
    let owner_at = head.find("OWNER").unwrap();
    let tenant = &rows[0]["tenant"].as_str().unwrap();
    assert_eq!(row.find(tenant), Some(tenant_at), "{head}\n{row}");
    assert_eq!(&row[owner_at..owner_at + 1], "-", "{head}\n{row}");
}

#[test]
fn audit_verify_passes_then_names_a_tampered_row() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let out = run(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no audit log at"),
        "{}",
        text(&out.stderr)
    );

    run(&db, &["alerts", "--save"]);
    let out = run(&db, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("audit log verified: "),
        "{}",
        text(&out.stdout)
    );

    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET who = 'mallory' WHERE seq = 5;
         CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;",
    )
    .unwrap();
    let out = run(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "bearing: audit verification FAILED: audit row 5 has been changed: its hash does not match its contents"
    );
}

#[test]
fn audit_verify_names_a_forged_stale_before() {
    use bearing::store::audit::{self, Change};
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    run(&db, &["alerts", "--save"]);
    let mut store = bearing::store::Store::open(&db).unwrap();
    let id = store.alerts().unwrap()[0].id.clone();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    store
        .triage(
            std::slice::from_ref(&id),
            &bearing::triage::Command::Acknowledge,
            today,
        )
        .unwrap();
    let acked = audit::records(store.conn()).unwrap().last().unwrap().seq;
    // A second writer that read the alert while it was still new, and resolved it:
    // a record with a valid hash, chained right, whose `before` is stale.
    let actor = store.actor.clone();
    drop(store);
    let mut c = rusqlite::Connection::open(&db).unwrap();
    let tx = c.transaction().unwrap();
    let new = r#"{"status":"new"}"#;
    let resolved = r#"{"status":"resolved"}"#;
    tx.execute("UPDATE alerts SET status = 'resolved' WHERE id = ?1", [&id])
        .unwrap();
    let batch = audit::next_batch(&tx).unwrap();
    let change = Change {
        action: "resolve",
        target: &format!("alert:{id}"),
        before: Some(new.to_owned()),
        after: Some(resolved.to_owned()),
        note: None,
    };
    let forged = audit::append(&tx, &actor, batch, change).unwrap();
    tx.commit().unwrap();
    let out = run(&db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "bearing: audit verification FAILED: audit row {forged} changes alert:{id} from a state it no longer had (row {acked} had changed it): an update was lost"
        )
    );
}

/// Every file in `dir` with its bytes: what a run must leave as it found.
fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = if p.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

/// From cron, over PostHog: no terminal, nothing on stdin, PostHog unreachable. One
/// line says why, the exit code is 1, and the store is exactly as it was.
#[test]
fn a_cron_run_with_posthog_unreachable_exits_1_with_one_line_and_leaves_the_store() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    // A store with alerts and one of them acknowledged.
    assert_eq!(run(&db, &["alerts", "--save"]).status.code(), Some(3));
    let mut store = bearing::store::Store::open(&db).unwrap();
    let id = store.alerts().unwrap()[0].id.clone();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    store
        .triage(&[id], &bearing::triage::Command::Acknowledge, today)
        .unwrap();
    drop(store);
    let before = files(home.path());
    // A port nothing listens on: connections are refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for command in [&["alerts"][..], &["followups"], &["alerts", "--save"]] {
        let out = Command::new(BIN)
            .args(["--source", "posthog"])
            .args(command)
            .args(["--today", "2026-11-28"])
            .args(["--db", db.to_str().unwrap()])
            .env("HOME", home.path())
            .env_remove("XDG_CONFIG_HOME")
            .env("POSTHOG_HOST", format!("http://127.0.0.1:{port}"))
            .env("POSTHOG_PROJECT_ID", "1")
            .env("POSTHOG_PERSONAL_API_KEY", "phx_cron_key")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{command:?}: {err}");
        assert!(
            err.starts_with("bearing: cannot reach PostHog at http://127.0.0.1:"),
            "{command:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{command:?}");
        assert!(
            files(home.path()) == before,
            "{command:?} changed the store's folder"
        );
    }
}

/// Commands that read never write: `bearing alerts --today 2027-01-02` (and the other
/// reading commands) leave the database byte for byte as it was, with nothing beside
/// it, and a plain `bearing alerts` afterwards lists no alert of 2027-01. Only
/// `--save` (or the cockpit) stores.
#[test]
fn commands_that_read_leave_the_database_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    assert_eq!(run(&db, &["alerts", "--save"]).status.code(), Some(3));
    let before = files(home.path());
    assert_eq!(before.len(), 1, "only the database: {:?}", names(&before));
    let reading: [&[&str]; 5] = [
        &["alerts"],
        &["alerts", "--json"],
        &["followups"],
        &["followups", "--json"],
        &["report"],
    ];
    for args in reading {
        let out = in_2027(&db, args);
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let after = files(home.path());
        assert!(after == before, "{args:?} wrote: {:?}", names(&after));
    }
    // What --today 2027-01-02 saw was 2027's; nothing of it stayed.
    let out = in_2027(&db, &["alerts"]);
    assert!(text(&out.stdout).contains(" 2027-01 "), "not vacuous");
    let plain = run(&db, &["alerts"]);
    assert!(
        !text(&plain.stdout).contains(" 2027-01 "),
        "{}",
        text(&plain.stdout)
    );
    // With --save the same command stores.
    let before = files(home.path());
    let saved = in_2027(&db, &["alerts", "--save"]);
    assert!(matches!(saved.status.code(), Some(0 | 3)));
    assert!(files(home.path()) != before, "--save stored nothing");
    assert!(text(&run(&db, &["alerts"]).stdout).contains(" 2027-01 "));
}

/// `bearing ARGS --today 2027-01-02` on the store `db`.
fn in_2027(db: &std::path::Path, args: &[&str]) -> Output {
    run_on(db, args, "2027-01-02")
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

/// A theme the config names but no file has changes how the cockpit would look, so it
/// never fails a command: `alerts` says it on stderr and answers; `config check`
/// calls it an error.
#[test]
fn a_bad_theme_in_the_config_never_fails_a_cron_job() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let dir = home.path().join(".config/bearing");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[general]\ntheme = \"neon\"\n").unwrap();
    let out = run(&db, &["alerts"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("SEVERITY"));
    let err = text(&out.stderr);
    assert!(
        err.contains("config.toml:2:9: unknown theme \"neon\"") && err.contains("using dark"),
        "{err}"
    );
    let check = run(&db, &["config", "check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    assert!(
        text(&check.stdout).contains("error: "),
        "{}",
        text(&check.stdout)
    );
}
