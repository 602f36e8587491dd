//! Triage driven through the real binary in tmux: decisions survive a restart and a
//! refresh, undo reverses the last change, and a database that cannot be written
//! (read-only folder, full disk, damaged file) leaves a read-only cockpit with a badge
//! and nothing else damaged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::process::Command;
use support::{BIN, Tmux};

const POPULATED: &str = "reviews due this month";

/// `bearing alerts --json` in the test's environment, as (id, status) in pane order.
fn alerts(t: &Tmux, extra: &[&str]) -> Vec<(String, String, Vec<String>)> {
    let h = t.home.path();
    let out = Command::new(BIN)
        .args(["alerts", "--json", "--today", "2026-11-28"])
        .args(extra)
        .env("HOME", h)
        .env("XDG_CONFIG_HOME", h.join("config"))
        .env("XDG_DATA_HOME", h.join("data"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let notes = a["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["text"].as_str().unwrap().to_owned())
                .collect();
            (
                a["id"].as_str().unwrap().to_owned(),
                a["triage"]["status"].as_str().unwrap().to_owned(),
                notes,
            )
        })
        .collect()
}

fn status_of<'a>(all: &'a [(String, String, Vec<String>)], id: &str) -> &'a str {
    &all.iter().find(|a| a.0 == id).unwrap().1
}

const ALERTS: &str = "5 Alerts";
const FOLLOWUPS: &str = "6 Follow-ups";

/// The header's alert counts, e.g. "alerts: 127 new · 1 ack".
fn counts(screen: &str) -> String {
    let head = screen.lines().next().unwrap_or_default();
    head.find("alerts: ")
        .map(|i| head[i..].trim_end().to_owned())
        .unwrap_or_default()
}

/// Opens the Alerts pane zoomed and waits until the store's alerts are in it with the
/// first one selected; returns how many are new.
fn open_alerts(t: &Tmux) -> usize {
    t.wait_for(POPULATED);
    t.keys(&["5", "z"]);
    t.wait_for("zoomed: Alerts");
    let s = t.wait_row(ALERTS, 1);
    let c = counts(&s);
    c.strip_prefix("alerts: ")
        .and_then(|c| c.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of new alerts in {c:?}:\n{s}"))
}

/// Waits until the header's alert counts read exactly `want`.
fn wait_counts(t: &Tmux, want: &str) -> String {
    t.wait_until(&format!("the header to read {want:?}"), |s| {
        counts(s) == want
    })
}

/// No -wal or -shm file beside the database: it was closed cleanly.
fn assert_closed_cleanly(t: &Tmux) {
    let dir = t.home.path().join("data/bearing");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["bearing.db".to_owned()], "left in {dir:?}");
}

#[test]
fn triage_survives_a_restart_and_a_refresh_and_undo_reverses_the_last_change() {
    let t = Tmux::start(120, 40);
    let before = alerts(&t, &[]);
    assert!(before.len() > 10 && before.iter().all(|a| a.1 == "new"));
    let (first, second, third) = (
        before[0].0.clone(),
        before[1].0.clone(),
        before[2].0.clone(),
    );

    t.run_bearing("--today 2026-11-28 --save");
    let n = open_alerts(&t);
    // Acknowledge the first alert and note it.
    t.keys(&["a"]);
    wait_counts(&t, &format!("alerts: {} new · 1 ack", n - 1));
    t.keys(&["n"]);
    t.text("checked with the ESP");
    t.keys(&["Enter"]);
    t.wait_for("note added");
    // Snooze the second until the next monthly review.
    t.keys(&["j"]);
    t.wait_row(ALERTS, 2);
    t.keys(&["s"]);
    t.wait_for("next monthly review");
    t.keys(&["m"]);
    t.wait_for("snoozed until 2026-12-01: 1 alert");
    wait_counts(&t, &format!("alerts: {} new · 1 ack · 1 snoozed", n - 2));
    // Acknowledge the third, then undo that.
    t.keys(&["j"]);
    t.wait_row(ALERTS, 3);
    t.keys(&["a"]);
    wait_counts(&t, &format!("alerts: {} new · 2 ack · 1 snoozed", n - 3));
    t.keys(&["u"]);
    t.wait_for("undone");
    let kept = format!("alerts: {} new · 1 ack · 1 snoozed", n - 2);
    wait_counts(&t, &kept);
    // A refresh keeps every state: wait for this refresh to start and to end (its
    // alerts read back from the store), then look.
    t.keys(&["R"]);
    let s = t.wait_until("the reload to start or end", |s| {
        s.contains("refreshing DEMO DATA") || s.contains("refreshed from DEMO DATA")
    });
    assert!(!s.contains("panicked"), "{s}");
    let s = t.wait_for("refreshed from DEMO DATA: ");
    assert_eq!(counts(&s), kept, "the refresh changed triage state:\n{s}");
    assert!(s.contains(" ack "), "{s}");
    // Mark a follow-up done.
    t.keys(&["6"]);
    t.wait_row(FOLLOWUPS, 1);
    t.keys(&["x"]);
    t.wait_for("marked done: 1 follow-up");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.assert_restored();
    assert_closed_cleanly(&t);

    let after = alerts(&t, &[]);
    assert_eq!(status_of(&after, &first), "acknowledged");
    assert_eq!(
        after.iter().find(|a| a.0 == first).unwrap().2,
        vec!["checked with the ESP".to_owned()]
    );
    assert_eq!(status_of(&after, &second), "snoozed");
    assert_eq!(status_of(&after, &third), "new", "the undo persisted");

    // Start again: all of it is still there, on screen.
    t.run("clear");
    t.run_bearing("--today 2026-11-28 --save");
    open_alerts(&t);
    let s = wait_counts(&t, &kept);
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| {
            l.starts_with('┃')
                && (l.contains(" new ") || l.contains(" ack ") || l.contains(" snoozed "))
        })
        .collect();
    assert!(rows[0].contains(" ack "), "{s}");
    assert!(rows[1].contains(" snoozed "), "{s}");
    assert!(rows[2].contains(" new "), "{s}");
    t.keys(&["Enter"]);
    t.wait_for("Evidence");
    // The notes come last, after the evidence.
    t.keys(&["G"]);
    t.wait_for("checked with the ESP");
    t.keys(&["Escape", "6"]);
    t.wait_row(FOLLOWUPS, 1);
    t.keys(&["/"]);
    t.text("state:done");
    t.keys(&["Enter"]);
    let s = t.wait_for("filter \"state:done\": 1 row");
    assert!(s.contains(" done "), "{s}");
    t.keys(&["u"]);
    t.wait_for("nothing to undo in this session");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.assert_restored();

    let verify = Command::new(BIN)
        .args(["audit", "verify"])
        .env("XDG_DATA_HOME", t.home.path().join("data"))
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn bulk_actions_ask_first() {
    let t = Tmux::start(120, 40);
    t.run_bearing("--today 2026-11-28 --save");
    let n = open_alerts(&t);
    for (i, marked) in ["1 selected", "2 selected", "3 selected"]
        .iter()
        .enumerate()
    {
        t.keys(&["Space"]);
        t.wait_for(marked);
        t.wait_row(ALERTS, i + 2);
    }
    t.keys(&["a"]);
    t.wait_for("Acknowledge 3 alerts? y/n");
    t.keys(&["n"]);
    t.wait_for("cancelled");
    t.keys(&["x"]);
    t.wait_for("Resolve 3 alerts? y/n");
    t.keys(&["y"]);
    t.wait_for("resolved 3 alerts");
    wait_counts(&t, &format!("alerts: {} new", n - 3));
    t.keys(&["u"]);
    t.wait_for("undone");
    let s = wait_counts(&t, &format!("alerts: {n} new"));
    assert!(
        !s.lines()
            .any(|l| l.starts_with('┃') && l.contains(" resolved ")),
        "{s}"
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn a_triage_key_before_the_alerts_arrive_or_on_no_row_says_so() {
    let t = Tmux::start(120, 40);
    // A filter that matches nothing leaves the pane without a row to act on.
    t.run_bearing("--today 2026-11-28 --save");
    open_alerts(&t);
    t.keys(&["/"]);
    t.text("tenant:no-such-tenant");
    t.keys(&["Enter"]);
    t.wait_for("filter \"tenant:no-such-tenant\": 0 rows");
    t.keys(&["a"]);
    t.wait_for("no row in Alerts to act on: nothing was changed");
    t.keys(&["Space"]);
    t.wait_for("no row in Alerts to act on: nothing was changed");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(alerts(&t, &[]).iter().all(|a| a.1 == "new"));
}

#[test]
fn read_only_flag_shows_a_badge_and_refuses_changes() {
    let t = Tmux::start(120, 40);
    // The store the cockpit opens, as `alerts --save` leaves it.
    alerts(&t, &["--save"]);
    t.run_bearing("--today 2026-11-28 --read-only");
    t.wait_for("READ-ONLY");
    open_alerts(&t);
    t.keys(&["a"]);
    t.wait_for("nothing was changed: read-only, read-only mode");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert!(alerts(&t, &[]).iter().all(|a| a.1 == "new"));
}

/// A look at another day stores nothing unless asked (`--save`): the cockpit once
/// stored for ever the alerts and follow-ups `--today 2026-03-31` raised.
#[test]
fn another_day_stores_nothing_without_save() {
    let t = Tmux::start(120, 40);
    // The store the cockpit opens, as `alerts --save` leaves it.
    alerts(&t, &["--save"]);
    let db = t.home.path().join("data/bearing/bearing.db");
    let bytes = std::fs::read(&db).unwrap();
    t.run_bearing("--today 2026-03-31");
    t.wait_for("READ-ONLY");
    open_alerts(&t);
    t.keys(&["a"]);
    t.wait_for("nothing was changed");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the database is untouched"
    );
}

/// Runs bearing as an unprivileged user when the tests run as root, since root
/// writes through any permission bits.
fn as_unprivileged(t: &Tmux) -> String {
    let uid = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        .unwrap();
    if uid != "0" {
        return String::new();
    }
    let home = t.home.path().display().to_string();
    assert!(
        Command::new("chown")
            .args(["-R", "65534:65534", &home])
            .status()
            .unwrap()
            .success()
    );
    "setpriv --reuid=65534 --regid=65534 --clear-groups ".to_owned()
}

#[test]
fn a_read_only_database_folder_gives_a_read_only_cockpit() {
    let t = Tmux::start(120, 40);
    // The store the cockpit opens, as `alerts --save` leaves it.
    alerts(&t, &["--save"]);
    let dir = t.home.path().join("data/bearing");
    let db = dir.join("bearing.db");
    let bytes = std::fs::read(&db).unwrap();
    let prefix = as_unprivileged(&t);
    // The home itself must be reachable for the unprivileged user.
    for p in [t.home.path().to_path_buf(), t.home.path().join("data")] {
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o500)).unwrap();
    t.run(&format!(
        "s=$(stty -g); {prefix}'{BIN}' --today 2026-11-28 --save; printf '\\105XIT=%s\\n' $?"
    ));
    t.wait_for(POPULATED);
    t.wait_until("the READ-ONLY badge and why", |s| {
        s.contains("READ-ONLY")
            && s.contains("read-only: cannot save changes: the database cannot be")
    });
    open_alerts(&t);
    t.keys(&["a"]);
    t.wait_for("nothing was changed");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the database is untouched"
    );
}

#[test]
fn a_full_disk_fails_the_write_and_switches_to_read_only() {
    let t = Tmux::start(120, 40);
    // The store the cockpit opens, as `alerts --save` leaves it.
    alerts(&t, &["--save"]);
    t.run("export BEARING_DEBUG_MAX_PAGES=0");
    t.run_bearing("--today 2026-11-28 --save");
    open_alerts(&t);
    let long = "x".repeat(450);
    let mut full = false;
    for _ in 0..20 {
        t.keys(&["n"]);
        t.text(&long);
        t.keys(&["Enter"]);
        let s = t.wait_until("the note's outcome", |s| {
            s.contains("note added") || s.contains("disk is full")
        });
        if s.contains("not saved: the disk is full; nothing was changed") {
            full = true;
            break;
        }
        // Clear the status line, so the next wait sees the next note's outcome.
        t.keys(&["Escape"]);
        t.wait_gone("note added");
    }
    assert!(full, "the capped database never filled up");
    t.wait_for("READ-ONLY");
    t.keys(&["a"]);
    t.wait_for("nothing was changed: read-only, the disk is full; changes cannot be saved");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.run("unset BEARING_DEBUG_MAX_PAGES");
    let db = t.home.path().join("data/bearing/bearing.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
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

#[test]
fn a_damaged_database_file_is_reported_and_left_as_it_was() {
    let t = Tmux::start(120, 40);
    let dir = t.home.path().join("data/bearing");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bearing.db");
    let garbage: Vec<u8> = (0..65536u32).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    t.run_bearing("--today 2026-11-28 --save");
    t.wait_for(POPULATED);
    t.wait_until("the READ-ONLY badge and why", |s| {
        s.contains("READ-ONLY") && s.contains("damaged")
    });
    t.keys(&["5"]);
    let s = t.wait_row(ALERTS, 1);
    assert!(s.contains(" new "), "the alerts are still shown:\n{s}");
    t.keys(&["a"]);
    t.wait_for("nothing was changed");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.assert_restored();
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["bearing.db".to_owned()],
        "nothing created beside it"
    );
}
