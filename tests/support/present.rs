//! Helpers for the review meeting's end-to-end tests: a store with triage to hide,
//! the slide counter, a walk through every slide.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::support::{self, Tmux};
use std::path::Path;

pub const TODAY: &str = "2026-11-28";
pub const OWNER: &str = "zed-owner";
pub const NOTE: &str = "meeting-secret-note";
pub const REASON: &str = "dismiss-secret-reason";

/// The store of `home` with the demo's alerts, the period's first one owned and noted,
/// the second dismissed with a reason.
pub fn triaged(home: &Path) {
    let db = home.join("bearing.db");
    let out = support::bearing_in(home, &db, &["alerts", "--save"]);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 3));
    support::triage_two(&db, (OWNER, NOTE, REASON));
}

/// "k/n" of the slide counter.
pub fn counter(s: &str) -> Option<(usize, usize)> {
    let first = s.lines().next()?;
    let (k, n) = first.trim_end().rsplit(' ').next()?.split_once('/')?;
    Some((k.parse().ok()?, n.parse().ok()?))
}

/// Walks every slide, returning each screen.
pub fn walk(t: &Tmux) -> Vec<String> {
    let s = t.wait_until("the first slide", |s| {
        counter(s).is_some_and(|(k, _)| k == 1)
    });
    let (_, n) = counter(&s).unwrap();
    assert!(n >= 6, "an agenda of {n} slides:\n{s}");
    let mut screens = vec![s];
    for k in 2..=n {
        t.keys(&["Right"]);
        screens.push(t.wait_until(&format!("slide {k}"), |s| counter(s) == Some((k, n))));
    }
    screens
}

/// No owner, note or dismissal reason on any of the screens.
pub fn assert_hidden(screens: &[String], also: &[&str]) {
    for (i, s) in screens.iter().enumerate() {
        for secret in [OWNER, NOTE, REASON].iter().chain(also) {
            assert!(
                !s.contains(secret),
                "slide {}: {secret} on screen:\n{s}",
                i + 1
            );
        }
    }
}

/// A meeting in two tmux servers linked through a runtime folder of the test's own
/// (0700): the room's shared screen (`present --redact`, waited for on its first
/// slide) and the presenter's desk (`present --presenter`, waited for), over the
/// room's triaged store.
pub struct Linked {
    pub room: Tmux,
    pub desk: Tmux,
    /// The runtime folder; the socket is `bearing/present.sock` in it.
    pub run: tempfile::TempDir,
    pub db: std::path::PathBuf,
    /// How many slides the agenda has.
    pub slides: usize,
}

pub fn linked(room: (u16, u16), desk: (u16, u16)) -> Linked {
    linked_at(room, desk, 1)
}

/// As [`linked`], the room moved on to slide `at` before the presenter joins.
pub fn linked_at(room: (u16, u16), desk: (u16, u16), at: usize) -> Linked {
    use std::os::unix::fs::PermissionsExt;
    let (room, desk) = (Tmux::start(room.0, room.1), Tmux::start(desk.0, desk.1));
    triaged(room.home.path());
    let run = tempfile::tempdir().unwrap();
    std::fs::set_permissions(run.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let env = format!("XDG_RUNTIME_DIR={}", run.path().display());
    let db = room.home.path().join("bearing.db");
    let args = format!("--today {TODAY} --db {}", db.display());
    room.run_bearing_with(&env, &format!("{args} present --redact"));
    let first = room.wait_until("the room's first slide", |s| {
        counter(s).is_some_and(|(k, _)| k == 1)
    });
    let (_, slides) = counter(&first).unwrap();
    for k in 2..=at {
        room.keys(&["Right"]);
        room.wait_until(&format!("the room on slide {k}"), |s| {
            counter(s) == Some((k, slides))
        });
    }
    desk.run_bearing_with(&env, &format!("{args} present --presenter"));
    desk.wait_for("PRESENTER");
    Linked {
        room,
        desk,
        run,
        db,
        slides,
    }
}
