//! The WAL removed under two processes (issue 9, item 7): the cockpit and a second
//! bearing write to one database, its -wal file is deleted, both go on writing. Every
//! change either says it was saved and is in the database afterwards, or says it cannot
//! confirm that; the file stays whole and its audit log verifies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::io::BufRead;
use std::process::{Command, Stdio};
use support::{BIN, Tmux};

const ALERTS: &str = "5 Alerts";

/// Notes with this text in the database.
fn notes(db: &std::path::Path, text: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("SELECT count(*) FROM notes WHERE text = ?1", [text], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Writes a note on the selected alert and returns what the status line said.
fn note(t: &Tmux, text: &str) -> String {
    t.keys(&["n"]);
    t.text(text);
    t.keys(&["Enter"]);
    let s = t.wait_until("the note's outcome", |s| {
        s.contains("note added") || s.contains("cannot confirm this change was saved")
    });
    // Clear the status line, so the next outcome is a new one.
    t.keys(&["Escape"]);
    t.wait_until("the status line to clear", |s| {
        !s.contains("note added") && !s.contains("cannot confirm")
    });
    s
}

#[test]
fn the_wal_removed_under_two_processes_loses_nothing_called_saved() {
    let t = Tmux::start(120, 40);
    let h = t.home.path();
    let db = h.join("data/bearing/bearing.db");
    let seeded = Command::new(BIN)
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
    assert_eq!(seeded.status.code(), Some(3));

    // A second bearing writing all along: a triage action every 50 ms.
    let mut storm = Command::new(BIN)
        .args(["debug", "storm", "--actions", "100000", "--pause-ms", "50"])
        .args(["--seed", "9", "--today", "2026-11-28"])
        .args(["--db", db.to_str().unwrap()])
        .env("HOME", h)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(storm.stdout.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().starts_with("ready "));

    t.run_bearing("--today 2026-11-28 --save");
    t.wait_for("reviews due this month");
    t.keys(&["5", "z"]);
    t.wait_row(ALERTS, 1);
    let before = note(&t, "written before the wal went");
    assert!(before.contains("note added"), "{before}");

    std::fs::remove_file(db.with_extension("db-wal")).unwrap();
    t.keys(&["j"]);
    t.wait_row(ALERTS, 2);
    let after = note(&t, "written after the wal went");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    storm.kill().unwrap();
    storm.wait().unwrap();
    let committed: Vec<i64> = lines
        .map_while(Result::ok)
        .filter_map(|l| {
            l.strip_prefix("committed ")?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .collect();

    let c = rusqlite::Connection::open(&db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "the database is malformed");
    assert_eq!(
        notes(&db, "written before the wal went"),
        1,
        "a saved note was lost"
    );
    if after.contains("note added") {
        assert_eq!(
            notes(&db, "written after the wal went"),
            1,
            "called saved, then lost:\n{after}"
        );
    } else {
        assert!(after.contains("READ-ONLY"), "{after}");
    }
    for batch in &committed {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM audit WHERE batch = ?1",
                [batch],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            n >= 1,
            "the other process's batch {batch} was called saved and is lost"
        );
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
