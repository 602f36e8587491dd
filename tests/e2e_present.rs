//! `bearing present` driven in tmux at 80×24, 200×60 and 300×80 (on the dark,
//! high-contrast and light themes): every slide is reached, the key figures are whole,
//! `--redact` leaves no owner, note or dismissal reason on any screen, and new data
//! changes no slide until the presenter asks for it with R.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/present.rs"]
mod present;
mod support;
use present::{NOTE, OWNER, REASON, TODAY, counter, triaged, walk};
use std::path::Path;
use std::process::Command;
use support::{BIN, Tmux};

fn present_redacted((cols, rows): (u16, u16), theme: &str) {
    let t = Tmux::start(cols, rows);
    triaged(t.home.path());
    let db = t.home.path().join("bearing.db");
    t.run_bearing(&format!(
        "--today {TODAY} --db {} --theme {theme} present --redact",
        db.display()
    ));
    let screens = walk(&t);
    present::assert_hidden(&screens, &[]);
    // The key figures, whole: every one's label and its qualification, and the plain
    // ones complete on their line.
    let first = &screens[0];
    for label in [
        "Revenue at risk",
        "Estimated savings",
        "Open alerts",
        "Decision reviews due this month",
    ] {
        assert!(first.contains(label), "{label} missing:\n{first}");
    }
    assert!(
        first.contains("(+1 unquantified)") && first.contains("high or critical)"),
        "{first}"
    );
    assert!(
        first.contains("95.9% conform (meets the 95% target)"),
        "cut:\n{first}"
    );
    // A tenant slide and the triage status are among them.
    assert!(screens.iter().any(|s| s.contains("Revenue protection")));
    assert!(
        screens
            .iter()
            .any(|s| s.contains("Triage status") && s.contains("owner-"))
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn every_slide_at_80x24_without_an_owner_or_a_note() {
    present_redacted((80, 24), "dark");
}

#[test]
fn every_slide_at_200x60_without_an_owner_or_a_note() {
    present_redacted((200, 60), "high-contrast");
}

#[test]
fn every_slide_at_300x80_on_the_light_theme() {
    present_redacted((300, 80), "light");
}

#[test]
fn unredacted_the_owner_is_there_and_g_finds_a_tenant() {
    let t = Tmux::start(120, 40);
    triaged(t.home.path());
    let db = t.home.path().join("bearing.db");
    t.run_bearing(&format!("--today {TODAY} --db {} present", db.display()));
    let screens = walk(&t);
    assert!(
        screens.iter().any(|s| s.contains(OWNER)),
        "the owner shows when not redacted (the redacted runs prove something)"
    );
    t.keys(&["g"]);
    t.text("hooli");
    t.keys(&["Enter"]);
    t.wait_until("hooli-news's slide", |s| {
        s.lines().next().is_some_and(|l| l.contains("· hooli-news"))
    });
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn new_data_changes_no_slide_until_r() {
    let t = Tmux::start(80, 24);
    let home = t.home.path();
    let file = home.join("events.jsonl");
    let out = Command::new(BIN)
        .args(["--today", TODAY, "demo-data", "--events", "3000", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    t.run_bearing(&format!(
        "--today {TODAY} --db {} --source file:{} present",
        home.join("bearing.db").display(),
        file.display()
    ));
    let before = t.wait_until("the key figures", |s| s.contains("Revenue at risk:"));
    let figure = |s: &str| {
        s.lines()
            .find(|l| l.contains("Revenue at risk:"))
            .unwrap()
            .trim()
            .to_owned()
    };
    let was = figure(&before);
    // A large signal arrives in the meeting's month.
    let event = support::revenue_event(99, "acme-outdoor", "blocklist_listing", "$900K-990K");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push('\n');
    text.push_str(&event);
    std::fs::write(&file, text).unwrap();
    // The meeting goes on: on and back, the figures as they were.
    t.keys(&["Right"]);
    t.wait_until("slide 2", |s| counter(s).is_some_and(|(k, _)| k == 2));
    t.keys(&["Left"]);
    let again = t.wait_until("slide 1", |s| counter(s).is_some_and(|(k, _)| k == 1));
    assert_eq!(figure(&again), was, "a slide changed without R");
    t.keys(&["R"]);
    let after = t.wait_for("refreshed: as of");
    assert_ne!(figure(&after), was, "R brings the new signal");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

/// The shared screen and the presenter's view in two tmux servers, linked through a
/// runtime folder of the test's own.
#[test]
fn the_presenters_view_drives_the_room_and_sees_what_the_room_does_not() {
    use std::os::unix::fs::PermissionsExt;
    let present::Linked {
        room,
        desk,
        run,
        slides: n,
        ..
    } = present::linked((120, 40), (200, 50));
    // Only this user can reach the socket: the folder 0700, the socket 0600.
    let folder = run.path().join("bearing");
    let socket = folder.join("present.sock");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&socket), 0o600);

    // → on the presenter's desk moves the room; how long it takes, five times.
    let mut took = Vec::new();
    for k in 2..=6 {
        let start = std::time::Instant::now();
        desk.keys(&["Right"]);
        room.wait_until(&format!("the room on slide {k}"), |s| {
            counter(s) == Some((k, n))
        });
        took.push(start.elapsed().as_millis());
    }
    took.sort_unstable();
    println!("presenter → room, ms: {took:?}");
    assert!(
        took[2] < 200,
        "the room followed in {took:?} ms (median over 200)"
    );
    // To the triage status: the presenter sees the owner and the note, the room never.
    let triage = n - 1;
    desk.keys(&["End", "Left"]);
    let seen = desk.wait_until("the presenter on the triage slide", |s| {
        counter(s) == Some((triage, n)) && s.contains(OWNER)
    });
    assert!(seen.contains(NOTE), "the presenter sees the note:\n{seen}");
    let shared = room.wait_until("the room on the triage slide", |s| {
        counter(s) == Some((triage, n))
    });
    for secret in [OWNER, NOTE, REASON] {
        assert!(!shared.contains(secret), "{secret} in the room:\n{shared}");
    }
    assert!(
        seen.contains("elapsed") && seen.contains("next: "),
        "{seen}"
    );
    room.keys(&["q"]);
    room.wait_for("EXIT=0");
    desk.wait_for("the shared screen has ended");
    desk.keys(&["q"]);
    desk.wait_for("EXIT=0");
    assert!(
        !socket.exists(),
        "the socket is removed when the room's screen closes"
    );
}

/// A presenter who joins mid-meeting finds the room where it is, and the room stays
/// there: joining once sent the shared screen back to its first slide.
#[test]
fn a_presenter_who_joins_late_follows_the_room_without_moving_it() {
    let present::Linked {
        room,
        desk,
        slides: n,
        ..
    } = present::linked_at((120, 40), (200, 50), 3);
    desk.wait_until("the presenter on the room's slide 3", |s| {
        counter(s) == Some((3, n))
    });
    let shared = room.screen();
    assert_eq!(counter(&shared), Some((3, n)), "the room moved:\n{shared}");
    desk.keys(&["Right"]);
    room.wait_until("the room on slide 4", |s| counter(s) == Some((4, n)));
    room.keys(&["q"]);
    room.wait_for("EXIT=0");
    desk.wait_for("the shared screen has ended");
    desk.keys(&["q"]);
    desk.wait_for("EXIT=0");
}
