//! Crash safety: a process doing triage is killed with SIGKILL at random points, 200
//! times, once it is triaging, and many times inside a transaction (the test counts
//! them: the process announces each open transaction through a test hook). After every
//! kill the database passes `PRAGMA integrity_check`, the audit chain verifies (no lost
//! update, state equal to the replay), every action the process reported as committed
//! is there, and a transaction the kill interrupted left nothing behind.
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
            "--save",
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

/// The largest batch number in the audit log.
fn max_batch(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT coalesce(max(batch), 0) FROM audit", [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Reads the storm's standard output line by line on a thread of its own, so the test
/// can wait for "ready" and still collect everything after the kill.
fn lines(stdout: std::process::ChildStdout) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn two_hundred_kills_lose_nothing_that_was_committed() {
    let home = tempfile::tempdir().unwrap();
    let db = seed_database(home.path());
    let mut rng = Lcg(0xbea1);
    let (mut total_committed, mut inside, mut rolled_back) = (0, 0, 0);
    for i in 0..200u64 {
        let before = max_batch(&rusqlite::Connection::open(&db).unwrap());
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
            // Each transaction says "open" once its changes are made, then stays open
            // a moment before COMMIT, so kills often land inside one.
            .env("BEARING_DEBUG_ANNOUNCE_TX", "1")
            .env(
                "BEARING_DEBUG_COMMIT_DELAY_MS",
                (1 + rng.below(3)).to_string(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let rx = lines(child.stdout.take().unwrap());
        // Start the clock only once the storm is triaging, so no kill is spent on
        // start-up, where nothing is written.
        let first = rx.recv_timeout(Duration::from_secs(60)).unwrap();
        assert!(first.starts_with("ready "), "the storm said {first:?}");
        std::thread::sleep(Duration::from_millis(rng.below(60)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let out: Vec<String> = rx.iter().collect();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(stderr.is_empty(), "kill {i}: the storm reported: {stderr}");
        let done = committed(&out.join("\n"));
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
        // The last word before the kill was "open": the kill landed with a transaction
        // open. Its batch is then either absent (rolled back) or, if the COMMIT had
        // finished before the kill, present as the one batch after the last reported.
        if out.last().is_some_and(|l| l.starts_with("open ")) {
            inside += 1;
            let reported = done.last().map_or(before, |d| d.0);
            let now = max_batch(&conn);
            assert!(
                now == reported || now == reported + 1,
                "kill {i}: batches jumped from {reported} to {now}"
            );
            if now == reported {
                rolled_back += 1;
            }
        }
        if let Err(e) = bearing::store::audit::verify(&conn) {
            panic!("after kill {i}: {e}");
        }
    }
    assert!(
        total_committed > 200,
        "the storms committed only {total_committed} actions"
    );
    // The point of the test: many kills landed inside a transaction and SQLite rolled
    // the transaction back, leaving a database that verifies.
    assert!(
        inside >= 50 && rolled_back >= 25,
        "only {inside} of 200 kills landed inside a transaction ({rolled_back} rolled back)"
    );
    eprintln!(
        "{total_committed} actions committed; {inside} of 200 kills inside a transaction, {rolled_back} of them rolled back"
    );
}
