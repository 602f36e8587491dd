//! The review meeting as the team runs it, in tmux: started from the cockpit with `P`
//! (owners and notes hidden, `q` back to the cockpit as it was), and notes and
//! follow-ups taken in the presenter's view during the meeting: stored, audited, shown
//! to the presenter, never on the shared screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/present.rs"]
mod present;
mod support;
use present::{TODAY, counter, triaged, walk};
use std::path::Path;
use support::Tmux;

#[test]
fn p_in_the_cockpit_presents_its_period_and_q_comes_back() {
    let t = Tmux::start(120, 40);
    triaged(t.home.path());
    let db = t.home.path().join("bearing.db");
    t.run_bearing(&format!(
        "--today {TODAY} --save --db {} --period month",
        db.display()
    ));
    t.wait_for("reviews due this month");
    // Focus the alerts: the cockpit must come back as it was left.
    t.keys(&["5"]);
    t.wait_until("the alerts focused", |s| s.contains("┏ 5 Alerts"));
    t.keys(&["P"]);
    let screens = walk(&t);
    assert!(
        screens[0].contains("Monthly strategic review · 2026-11"),
        "the cockpit's period, its template:\n{}",
        screens[0]
    );
    // The screen is shared: owners are aliases, notes and reasons hidden.
    present::assert_hidden(&screens, &[]);
    assert!(screens.iter().any(|s| s.contains("owner-")));
    // A note cannot be typed on the shared screen.
    t.keys(&["Home", "Right", "n"]);
    t.wait_for("this screen hides notes");
    t.keys(&["q"]);
    let back = t.wait_for("the meeting has ended");
    assert!(
        back.contains("┏ 5 Alerts"),
        "the cockpit as it was:\n{back}"
    );
    assert!(counter(&back).is_none());
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

fn bearing(home: &Path, db: &Path, args: &[&str]) -> String {
    String::from_utf8(support::bearing_in(home, db, args).stdout).unwrap()
}

#[test]
fn notes_taken_in_the_presenters_view_are_stored_audited_and_never_on_the_wall() {
    const TAKEN: &str = "desk-only-decision-42";
    let present::Linked {
        room,
        desk,
        db,
        // Kept to the end: the link's folder is in it.
        run: _run,
        ..
    } = present::linked((120, 40), (160, 50));
    // On the first tenant's slide, the second alert: a note, then a follow-up.
    desk.keys(&["Right"]);
    desk.wait_until("the desk on slide 2", |s| {
        counter(s).is_some_and(|(k, _)| k == 2) && s.contains("▶ ")
    });
    desk.keys(&["j", "n"]);
    desk.wait_for("note on ");
    desk.text(TAKEN);
    desk.keys(&["Enter"]);
    let noted = desk.wait_for("note recorded");
    assert!(
        noted.contains(&format!("note: {TAKEN}")),
        "the presenter sees the note on its alert:\n{noted}"
    );
    desk.keys(&["f"]);
    let followed = desk.wait_for("follow-up created");
    assert!(followed.contains("follow-up made"), "{followed}");
    // The room, refreshed so its deck holds the note, then walked through every slide:
    // the note is nowhere, nor any owner.
    room.keys(&["R"]);
    room.wait_for("refreshed: as of");
    room.keys(&["Home"]);
    let screens = walk(&room);
    present::assert_hidden(&screens, &[TAKEN]);
    room.keys(&["q"]);
    room.wait_for("EXIT=0");
    desk.wait_for("the shared screen has ended");
    desk.keys(&["q"]);
    desk.wait_for("EXIT=0");

    // Stored on the alert, by its author, in the audit log, whose chain holds.
    let home = room.home.path();
    let alerts: serde_json::Value =
        serde_json::from_str(&bearing(home, &db, &["alerts", "--json"])).unwrap();
    let with_note: Vec<&serde_json::Value> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["notes"]
                .as_array()
                .is_some_and(|n| n.iter().any(|n| n["text"] == TAKEN))
        })
        .collect();
    assert_eq!(with_note.len(), 1, "one alert holds the note");
    assert!(
        with_note[0]["followup"].is_string(),
        "the follow-up is the noted alert's: {}",
        with_note[0]
    );
    let verify = bearing(home, &db, &["audit", "verify"]);
    assert!(verify.contains("hash chain intact"), "{verify}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'note' AND note = ?1",
            [TAKEN],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1, "the note is in the audit log");
}
