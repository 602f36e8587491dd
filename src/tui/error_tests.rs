//! Errors travel typed from the workers to the screen (a source's, PostHog's, the
//! store's), and read there exactly as they did when they travelled as text.

use super::feed::{Feed, pane_of};
use super::fixture::today;
use super::panes::PaneId;
use super::state::{AppState, LoadError, PaneLoad};
use super::update::{Effect, Msg, start, update};
use crate::domain::Origin;
use crate::engine::EngineParams;
use crate::keys::keymap::Keymap;
use crate::posthog::error::PostHogError;
use crate::posthog::queries::{Part, Scope};
use crate::source::SourceError;
use crate::store::StoreError;
use crate::store::open::StoreStatus;
use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A source that cannot be read, as the file source reports it.
pub fn gone() -> SourceError {
    SourceError::Io {
        path: "x".into(),
        source: std::io::Error::other("gone"),
    }
}

fn fresh(origin: Origin) -> AppState {
    let mut s = AppState::new(
        origin,
        Keymap::default(),
        Vec::new(),
        "dark",
        EngineParams::new(today()),
    );
    s.size = (120, 40);
    s
}

fn status(s: &AppState) -> Option<&str> {
    s.status.as_ref().map(|st| st.text.as_str())
}

fn screen_text(s: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| super::ui::draw(f, s)).unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .chunks(usize::from(buffer.area.width))
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

/// Starts the cockpit; the generation of its first refresh.
fn first_fetch(s: &mut AppState) -> u64 {
    start(s)
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a fetch")
}

#[test]
fn a_failed_first_load_holds_the_sources_error_and_shows_its_words() {
    let mut s = fresh(Origin::Demo);
    let generation = first_fetch(&mut s);
    // The local executor fails every part with the source's error.
    let e = LoadError::from(gone());
    for part in Part::ALL {
        update(
            &mut s,
            Msg::Fetched {
                generation,
                part,
                result: Err(e.clone()),
                at: Utc::now(),
            },
        );
    }
    for pane in PaneId::ALL {
        let PaneLoad::Failed(e) = s.pane_load(pane) else {
            panic!("{pane:?} is not failed")
        };
        assert!(matches!(e, LoadError::Source(_)), "{e:?}");
        assert_eq!(e.to_string(), "cannot read x: gone");
    }
    assert_eq!(
        status(&s),
        Some("refresh failed: cannot read x: gone; nothing to show yet. R retries")
    );
    assert!(screen_text(&s).contains("Could not load: cannot read x: gone"));
}

#[test]
fn a_pane_posthog_never_answered_holds_posthogs_error() {
    let mut s = fresh(Origin::PostHog {
        host: "https://eu.posthog.com".into(),
        project: "1".into(),
    });
    s.feed = Feed::new(Scope::default());
    let generation = first_fetch(&mut s);
    let e = PostHogError::Timeout(30);
    update(
        &mut s,
        Msg::Fetched {
            generation,
            part: Part::Cost,
            result: Err(e.clone().into()),
            at: Utc::now(),
        },
    );
    assert_eq!(
        s.pane_load(pane_of(Part::Cost)),
        &PaneLoad::Failed(LoadError::PostHog(e))
    );
    assert!(screen_text(&s).contains("Could not load: PostHog did not answer within 30 s"));
}

#[test]
fn a_store_error_reaches_the_status_line_in_the_stores_words() {
    let mut s = fresh(Origin::Demo);
    // A write rolled back on a full disk, as the store worker answers it.
    let full =
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
    let store = StoreStatus::ReadOnly("the disk is full; changes cannot be saved".into());
    update(
        &mut s,
        Msg::TriageDone {
            result: Err(StoreError::NotSaved(full)),
            store: store.clone(),
        },
    );
    assert_eq!(
        status(&s),
        Some("not saved: the disk is full; nothing was changed")
    );
    assert_eq!(s.store, store);
}

#[test]
fn two_failures_are_the_same_to_a_pane_when_they_read_the_same() {
    // An I/O error has no equality of its own; a pane shows only the words.
    assert_eq!(LoadError::from(gone()), LoadError::from(gone()));
    assert_ne!(
        LoadError::from(gone()),
        LoadError::from(SourceError::Unavailable("x is missing".into()))
    );
    assert_ne!(
        LoadError::from(PostHogError::Timeout(30)),
        LoadError::from(PostHogError::Timeout(31))
    );
}
