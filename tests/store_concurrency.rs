//! Two bearing processes triaging the same alerts at the same time, 600 actions each:
//! no update is lost (every audit record starts from the state the previous one of its
//! target left), the chain and the replay verify, and neither ever reports a locked
//! database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::process::{Command, Stdio};
use support::BIN;

fn storm(db: &std::path::Path, home: &std::path::Path, seed: u64) -> std::process::Child {
    Command::new(BIN)
        .args([
            "debug",
            "storm",
            "--actions",
            "600",
            "--pause-ms",
            "1",
            "--seed",
            &seed.to_string(),
            "--today",
            "2026-11-28",
        ])
        .args(["--db", db.to_str().unwrap()])
        .env("HOME", home)
        // Each transaction holds the write lock a moment: the two must take turns.
        .env("BEARING_DEBUG_COMMIT_DELAY_MS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_lose_no_update() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let out = Command::new(BIN)
        .args([
            "alerts",
            "--save",
            "--today",
            "2026-11-28",
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let before: i64 = conn
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();

    let a = storm(&db, home.path(), 11);
    let b = storm(&db, home.path(), 22);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut batches = Vec::new();
    for (who, out) in [(0, &a), (1, &b)] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "process {who}: {stderr}");
        assert!(stderr.is_empty(), "process {who} reported: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with("ready "), "{stdout}");
        assert_eq!(stdout.lines().count(), 1 + 600, "every action answered");
        assert!(!stdout.to_lowercase().contains("locked"));
        for line in stdout.lines().filter(|l| l.starts_with("committed ")) {
            let batch: i64 = line.split(' ').nth(1).unwrap().parse().unwrap();
            batches.push((batch, who));
        }
    }
    let after: i64 = conn
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        after - before,
        batches.len() as i64,
        "one audit record per committed action, none lost"
    );
    batches.sort();
    batches.dedup_by_key(|b| b.0);
    assert_eq!(
        after - before,
        batches.len() as i64,
        "no batch number was handed out twice"
    );
    let switches = batches.windows(2).filter(|w| w[0].1 != w[1].1).count();
    assert!(
        switches >= 10,
        "the two processes hardly overlapped ({switches} switches)"
    );
    // Each record starts from the state the one before it (of the same target) left:
    // had either process read an alert's state outside its transaction, the other's
    // change in between would show here as a lost update.
    if let Err(e) = bearing::store::audit::verify(&conn) {
        panic!("{e}");
    }
    let verify = Command::new(BIN)
        .args(["audit", "verify", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
