//! The cockpit driven headless through `update`, as a user would drive it.

use super::error_tests::gone;
use super::fixture::loaded;
use super::panes::PaneId;
use super::state::{AppState, Mode, PaneLoad};
use super::update::{Effect, Msg, start, update};
use crate::domain::PeriodSpec;
use crate::keys::Action;
use crate::keys::keymap::Keymap;
use crate::posthog::client::Freshness;
use crate::posthog::queries::Part;
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use std::sync::Arc;

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn chars(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

#[test]
fn loading_fills_every_pane() {
    let s = loaded((120, 40));
    for p in PaneId::ALL {
        assert!(matches!(s.pane_load(p), PaneLoad::Loaded { .. }), "{p:?}");
        assert!(!s.pane(p).visible.is_empty(), "{p:?} is empty");
    }
    assert!(s.in_flight.is_none());
}

#[test]
fn number_keys_tab_and_arrows_focus_panes() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('4'));
    assert_eq!(s.focus, PaneId::Decisions);
    key(&mut s, KeyCode::Char('7'));
    assert_eq!(s.focus, PaneId::Health);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, PaneId::Overview, "tab wraps around");
    key(&mut s, KeyCode::BackTab);
    assert_eq!(s.focus, PaneId::Health);
    key(&mut s, KeyCode::Left);
    assert_eq!(s.focus, PaneId::FollowUps);
    key(&mut s, KeyCode::Char('5'));
    assert_eq!(s.focus, PaneId::Alerts);
}

#[test]
fn vim_keys_move_and_scroll_keeps_the_selection_on_screen() {
    let mut s = loaded((80, 24));
    key(&mut s, KeyCode::Char('4'));
    let rows = super::layout::visible_rows(s.size, s.focus, s.zoom, PaneId::Decisions);
    for _ in 0..rows + 3 {
        key(&mut s, KeyCode::Char('j'));
    }
    let p = s.pane(PaneId::Decisions);
    assert_eq!(p.selected, rows + 3);
    assert!(
        p.selected >= p.offset && p.selected < p.offset + rows,
        "{p:?}"
    );
    key(&mut s, KeyCode::Char('G'));
    let n = s.pane(PaneId::Decisions).visible.len();
    assert_eq!(s.pane(PaneId::Decisions).selected, n - 1);
    key(&mut s, KeyCode::Char('g'));
    assert_eq!(
        (
            s.pane(PaneId::Decisions).selected,
            s.pane(PaneId::Decisions).offset
        ),
        (0, 0)
    );
    key(&mut s, KeyCode::PageDown);
    assert_eq!(s.pane(PaneId::Decisions).selected, rows - 1);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Char('k'));
    assert_eq!(s.pane(PaneId::Decisions).selected, rows - 3);
}

#[test]
fn filter_as_you_type_escape_restores_enter_keeps() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('2'));
    let all = s.pane(PaneId::Revenue).visible.len();
    key(&mut s, KeyCode::Char('/'));
    assert!(matches!(
        s.mode,
        Mode::Filter {
            pane: PaneId::Revenue,
            ..
        }
    ));
    chars(&mut s, "NORTH deliv");
    let hits = s.pane(PaneId::Revenue).visible.len();
    assert!(hits > 0 && hits < all, "{hits} of {all}");
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.should_quit, "q is text while filtering");
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Esc);
    assert_eq!(
        s.pane(PaneId::Revenue).filter,
        "",
        "esc restores the filter before editing"
    );
    assert_eq!(s.pane(PaneId::Revenue).visible.len(), all);
    key(&mut s, KeyCode::Char('/'));
    chars(&mut s, "north");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.pane(PaneId::Revenue).filter, "north");
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.text.starts_with("filter \"north\":"))
    );
    key(&mut s, KeyCode::Esc);
    assert_eq!(
        s.pane(PaneId::Revenue).filter,
        "",
        "esc in normal mode clears the filter"
    );
}

#[test]
fn a_filter_matching_nothing_leaves_no_selection() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('/'));
    chars(&mut s, "zzzz-no-such-tenant");
    assert!(s.pane(PaneId::Overview).visible.is_empty());
    assert_eq!(s.selected_row(PaneId::Overview), None);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.mode, Mode::Normal, "details need a selection");
    key(&mut s, KeyCode::Char('j'));
}

#[test]
fn zoom_help_and_details_overlays() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('z'));
    assert!(s.zoom);
    key(&mut s, KeyCode::Char('?'));
    assert_eq!(s.mode, Mode::Help { scroll: 0 });
    key(&mut s, KeyCode::Char('j'));
    assert_eq!(s.mode, Mode::Help { scroll: 1 });
    let effects = key(&mut s, KeyCode::Char('q'));
    assert!(
        effects.is_empty() && !s.should_quit,
        "q closes the help, it does not quit"
    );
    assert_eq!(s.mode, Mode::Normal);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.mode, Mode::Details { scroll: 0 });
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    key(&mut s, KeyCode::Esc);
    assert!(!s.zoom, "esc unzooms");
}

/// The messages the workers would send for an effect.
fn answers(s: &AppState, effect: Effect) -> Vec<Msg> {
    super::fixture::answer(s, effect)
}

fn the_fetch(effects: Vec<Effect>) -> Effect {
    effects
        .into_iter()
        .find(|e| matches!(e, Effect::Fetch { .. }))
        .expect("a fetch")
}

#[test]
fn period_cycles_and_recomputes_dropping_stale_results() {
    let mut s = loaded((120, 40));
    let first = the_fetch(key(&mut s, KeyCode::Char('p')));
    let Effect::Fetch { params, fresh, .. } = &first else {
        unreachable!()
    };
    assert_eq!(params.period, PeriodSpec::ThisMonth);
    assert_eq!(
        *fresh,
        Freshness::Cached,
        "a period change reads nothing again"
    );
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.text == "period: 2026-11 to date")
    );
    // Another press before the first answers arrive: they are stale.
    let second = the_fetch(key(&mut s, KeyCode::Char('p')));
    let shown = Arc::clone(&s.data.as_ref().unwrap().views);
    let (panes, load) = (s.panes.clone(), s.load.clone());
    let stale = answers(&s, first);
    let parts: usize = stale
        .iter()
        .map(|m| match m {
            Msg::FetchedTogether { answers, .. } => answers.len(),
            _ => 1,
        })
        .sum();
    assert_eq!(parts, 6, "every part answers");
    for m in stale {
        assert!(update(&mut s, m).is_empty(), "a stale answer raised alerts");
    }
    // Nothing the user sees changed: the same views, rows, selection and load state.
    let views = &s.data.as_ref().unwrap().views;
    assert!(
        Arc::ptr_eq(views, &shown),
        "a stale answer was shown: period {}",
        views.period.label
    );
    assert_eq!(s.panes, panes);
    assert_eq!(s.load, load);
    for m in answers(&s, second) {
        update(&mut s, m);
    }
    assert_eq!(s.data.as_ref().unwrap().views.period.label, "2026-10");
}

#[test]
fn a_refresh_in_flight_is_not_started_twice() {
    let mut s = loaded((120, 40));
    let first = key(&mut s, KeyCode::Char('R'));
    assert!(matches!(
        first.as_slice(),
        [Effect::Fetch {
            fresh: Freshness::Fresh,
            ..
        }]
    ));
    let second = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    assert!(second.is_empty());
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.text.contains("already running"))
    );
}

/// Every part failed with the source's error, as the local executor reports a file
/// it cannot read.
fn fail_every_part(s: &mut AppState, generation: u64) {
    for part in Part::ALL {
        update(
            s,
            Msg::Fetched {
                generation,
                part,
                result: Err(gone().into()),
                at: Utc::now(),
            },
        );
    }
}

fn generation_of(effect: &Effect) -> u64 {
    match effect {
        Effect::Fetch { generation, .. } => *generation,
        _ => panic!("not a fetch"),
    }
}

#[test]
fn a_failed_reload_keeps_the_data_a_failed_first_load_says_why() {
    let mut s = loaded((120, 40));
    let generation = generation_of(&the_fetch(key(&mut s, KeyCode::Char('R'))));
    fail_every_part(&mut s, generation);
    assert!(s.data.is_some());
    assert!(!s.pane(PaneId::Cost).visible.is_empty());
    assert!(matches!(s.pane_load(PaneId::Cost), PaneLoad::Stale { .. }));
    assert!(s.status.as_ref().is_some_and(|st| {
        st.text
            .starts_with("refresh failed: cannot read x: gone; showing data from 2026-11-28")
    }));

    let mut fresh = super::fixture::fresh((120, 40));
    let generation = generation_of(&the_fetch(start(&mut fresh)));
    fail_every_part(&mut fresh, generation);
    for p in PaneId::ALL {
        assert_eq!(
            fresh.pane_load(p),
            &PaneLoad::Failed(gone().into()),
            "{p:?}"
        );
    }
}

#[test]
fn mouse_click_focuses_and_selects_wheel_scrolls() {
    let mut s = loaded((120, 40));
    let screen = super::layout::screen(s.size, s.focus, s.zoom).unwrap();
    let cost = screen.rect(PaneId::Cost).unwrap();
    let rows = super::layout::rows_area(PaneId::Cost, cost);
    let click = |x, y| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, click(rows.x + 2, rows.y + 3));
    assert_eq!(s.focus, PaneId::Cost);
    assert_eq!(s.pane(PaneId::Cost).selected, 3);
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: rows.x,
        row: rows.y,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Msg::Mouse(wheel));
    assert_eq!(s.pane(PaneId::Cost).selected, 4);

    let mut narrow = loaded((80, 24));
    update(&mut narrow, click(14, 1));
    assert_eq!(narrow.focus, PaneId::Revenue, "a click on a tab focuses it");
}

#[test]
fn theme_cycles_and_quit_quits() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('t'));
    assert_eq!(s.theme().map(|t| t.name.as_str()), Some("light"));
    let effects = key(&mut s, KeyCode::Char('q'));
    assert!(s.should_quit);
    assert!(matches!(effects.as_slice(), [Effect::Quit]));
}

#[test]
fn remapped_keys_drive_the_same_actions() {
    let mut user = std::collections::BTreeMap::new();
    user.insert(
        Action::Quit,
        vec![crate::keys::keymap::Key::parse("x").unwrap()],
    );
    let mut s = loaded((120, 40));
    s.keymap = Arc::new(Keymap::build(&user));
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.should_quit);
    key(&mut s, KeyCode::Char('x'));
    assert!(s.should_quit);
}

#[test]
fn a_reload_is_announced_once_its_alerts_are_back_from_the_store() {
    let mut s = loaded((120, 40));
    let fetch = the_fetch(key(&mut s, KeyCode::Char('R')));
    assert_eq!(s.status.as_ref().unwrap().text, "refreshing DEMO DATA");
    let mut syncs = Vec::new();
    for m in answers(&s, fetch) {
        syncs.extend(update(&mut s, m));
    }
    // The panes are back, but the alerts are not yet: nothing announced.
    assert_eq!(s.status.as_ref().unwrap().text, "refreshing DEMO DATA");
    let [sync @ Effect::SyncStore { .. }] = <[Effect; 1]>::try_from(syncs).unwrap() else {
        panic!("the alert rollup raised no sync");
    };
    let mut synced = answers(&s, sync);
    let Some(Msg::Synced { synced: inner, .. }) = synced.first() else {
        panic!("no store answer");
    };
    let (alerts, followups) = (inner.triage.alerts.len(), inner.triage.followups.len());
    update(&mut s, synced.remove(0));
    assert_eq!(
        s.status.as_ref().unwrap().text,
        format!("refreshed from DEMO DATA: {alerts} alerts, {followups} follow-ups")
    );
    assert!(alerts > 0 && s.reload.is_none());
}

/// The first refresh's answers through `update`, the store's syncs held back.
fn answered_but_not_synced(s: &mut AppState) -> Vec<Effect> {
    let fetch = the_fetch(start(s));
    let mut held = Vec::new();
    for m in answers(s, fetch) {
        held.extend(update(s, m));
    }
    held
}

#[test]
fn a_triage_key_that_finds_no_row_says_why() {
    // The panes are loaded, the store has not answered yet: the alerts are not there.
    let mut s = super::fixture::fresh((120, 40));
    answered_but_not_synced(&mut s);
    key(&mut s, KeyCode::Char('5'));
    for k in ['a', ' ', 'F'] {
        assert!(key(&mut s, KeyCode::Char(k)).is_empty(), "{k} acted");
        assert_eq!(
            s.status.as_ref().unwrap().text,
            "Alerts are still loading: nothing was changed",
            "{k}"
        );
    }
    // Loaded, but a filter leaves no row.
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('5'));
    key(&mut s, KeyCode::Char('/'));
    chars(&mut s, "tenant:nobody-at-all");
    key(&mut s, KeyCode::Enter);
    assert!(key(&mut s, KeyCode::Char('a')).is_empty());
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "no row in Alerts to act on: nothing was changed"
    );
}

#[test]
fn stored_alerts_show_while_the_data_loads_and_never_over_a_sync() {
    let all = loaded((120, 40)).triage;
    let stored = |triage: crate::refresh::Triage| {
        Msg::Stored(Box::new(super::update::Synced {
            triage,
            store: crate::store::open::StoreStatus::Writable,
            warning: None,
            fired: 0,
        }))
    };
    let mut s = super::fixture::fresh((120, 40));
    let fetch = the_fetch(start(&mut s));
    update(&mut s, stored(all.clone()));
    // The stored alerts are there before the data, marked as still refreshing.
    assert!(s.data.is_none());
    assert_eq!(s.pane(PaneId::Alerts).visible.len(), all.alerts.len());
    assert!(matches!(
        s.pane_load(PaneId::Alerts),
        PaneLoad::Refreshing { .. }
    ));
    let mut syncs = Vec::new();
    for m in answers(&s, fetch) {
        syncs.extend(update(&mut s, m));
    }
    let Some(Effect::SyncStore { generation, .. }) = syncs.pop() else {
        panic!("no sync");
    };
    let mut newer = all.clone();
    newer.alerts.truncate(3);
    update(
        &mut s,
        Msg::Synced {
            generation,
            synced: Box::new(super::update::Synced {
                triage: newer,
                store: crate::store::open::StoreStatus::Writable,
                warning: None,
                fired: 0,
            }),
        },
    );
    assert_eq!(s.pane(PaneId::Alerts).visible.len(), 3);
    assert!(matches!(
        s.pane_load(PaneId::Alerts),
        PaneLoad::Loaded { .. }
    ));
    // A late read of the store never replaces what the sync brought.
    update(&mut s, stored(all));
    assert_eq!(s.pane(PaneId::Alerts).visible.len(), 3);
}
