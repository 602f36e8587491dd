//! Crash safety: a process doing triage is killed with SIGKILL at random points, 200
//! times, often in the middle of a transaction. After every kill the database passes
//! `PRAGMA integrity_check`, the audit chain verifies, and every action the process
//! reported as committed is there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::BIN;

pub fn seed_database(home: &std::path::Path) -> std::path::PathBuf {
    let db = home.join("bearing.db");
    let out = Command::new(BIN)
        .args([
            "alerts",
            "--today",
            "2026-11-28",
            "--db",
            db.to_str().unwrap(),
        ])
        .env("HOME", home)
        .output()
        .unwrap();
    // 3: new high alerts are waiting, which the demo has.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// (batch, action, target) of each line `committed …`.
fn committed(stdout: &str) -> Vec<(i64, String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            // The target is the rest of the line: identities can hold spaces.
            let mut parts = l.splitn(4, ' ');
            (parts.next() == Some("committed")).then_some(())?;
            let batch = parts.next()?.parse().ok()?;
            let action = parts.next()?.replace('_', " ");
            let target = parts.next()?.to_owned();
            Some((batch, action, target))
        })
        .collect()
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn two_hundred_kills_lose_nothing_that_was_committed() {
    let home = tempfile::tempdir().unwrap();
    let db = seed_database(home.path());
    let mut rng = Lcg(0xbea1);
    let mut total_committed = 0;
    for i in 0..200u64 {
        let mut child = Command::new(BIN)
            .args([
                "debug",
                "storm",
                "--actions",
                "100000",
                "--seed",
                &i.to_string(),
                "--today",
                "2026-11-28",
            ])
            .args(["--db", db.to_str().unwrap()])
            .env("HOME", home.path())
            // Hold each transaction open a moment so kills often land inside one.
            .env("BEARING_DEBUG_COMMIT_DELAY_MS", rng.below(3).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + rng.below(40)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let done = committed(&out);
        total_committed += done.len();

        let conn = rusqlite::Connection::open(&db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "after kill {i}");
        for (batch, action, target) in &done {
            let n: i64 = if action == "note" {
                conn.query_row(
                    "SELECT count(*) FROM audit WHERE batch = ?1 AND action = 'note'",
                    [batch],
                    |r| r.get(0),
                )
            } else {
                conn.query_row(
                    "SELECT count(*) FROM audit WHERE batch = ?1 AND action = ?2 AND target = ?3",
                    rusqlite::params![batch, action, target],
                    |r| r.get(0),
                )
            }
            .unwrap();
            assert_eq!(
                n, 1,
                "kill {i}: committed {action} {target} (batch {batch}) is missing"
            );
        }
        if let Err(e) = bearing::store::audit::verify(&conn) {
            panic!("after kill {i}: {e}");
        }
    }
    assert!(
        total_committed > 200,
        "the storms committed only {total_committed} actions"
    );
}
