//! What the cockpit says about its keys follows the live keymap, and the filter finds
//! what each pane draws.

use super::fixture::loaded;
use super::panes::{self, PaneId};
use super::state::AppState;
use super::update::{Msg, update};
use crate::keys::Action;
use crate::keys::keymap::{Key, Keymap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

/// The screen as text, one line per row.
pub(super) fn screen(s: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| super::ui::draw(f, s)).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn press(s: &mut AppState, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The loaded cockpit with `keys` bound by the user.
fn bound(keys: &[(Action, &str)]) -> AppState {
    let user = keys
        .iter()
        .map(|(action, key)| (*action, vec![Key::parse(key).unwrap()]))
        .collect();
    let mut s = loaded((200, 50));
    s.keymap = Arc::new(Keymap::build(&user));
    s
}

/// What the status line says.
fn said(s: &AppState) -> String {
    s.status
        .as_ref()
        .map(|st| st.text.clone())
        .unwrap_or_default()
}

#[test]
fn rebinding_quit_resolve_and_dismiss_changes_every_message_and_hint_that_names_them() {
    let mut s = bound(&[
        (Action::Quit, "f10"),
        (Action::Resolve, "f11"),
        (Action::Dismiss, "f12"),
    ]);

    // The hint bar of a data pane, of the alerts and of the follow-ups.
    let data = screen(&s);
    assert!(data.contains("f10 quit"), "{data}");
    press(&mut s, KeyCode::Char('5'));
    let alerts = screen(&s);
    for hint in ["f10 quit", "f11 resolve", "f12 dismiss"] {
        assert!(alerts.contains(hint), "{hint} missing:\n{alerts}");
    }
    press(&mut s, KeyCode::Char('6'));
    let followups = screen(&s);
    for hint in ["f10 quit", "f11 done", "f12 cancel"] {
        assert!(followups.contains(hint), "{hint} missing:\n{followups}");
    }
    // A key the follow-ups do not take says which ones they do.
    press(&mut s, KeyCode::Char('a'));
    let said = said(&s);
    assert!(
        said.starts_with("follow-ups take f11 (done), f12 (cancel)"),
        "{said}"
    );
    // The too-small screen says how to leave.
    s.size = (40, 10);
    let small = screen(&s);
    let words = small.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("press f10 to quit"), "{small}");
    // What the default keys' words said: none may be left once the keys are rebound.
    for old in " q quit|press q|x (done)|d (cancel)| x resolve| d dismiss".split('|') {
        for text in [&data, &alerts, &followups, &small, &said] {
            assert!(!text.contains(old), "{old:?} still shown");
        }
    }
}

#[test]
fn moving_the_pane_keys_changes_the_message_that_names_them() {
    let mut s = bound(&[(Action::PaneAlerts, "f5"), (Action::PaneFollowUps, "f6")]);
    press(&mut s, KeyCode::Char('a'));
    let said = said(&s);
    assert_eq!(said, "triage keys work in Alerts (f5) and Follow-ups (f6)");
}

#[test]
fn filtering_by_a_word_a_row_shows_keeps_that_row_and_only_rows_showing_it() {
    let mut s = loaded((200, 50));
    for id in PaneId::ALL {
        let p = panes::pane(id);
        let src = s.rows(id);
        let n = p.count(src);
        assert!(n > 0, "{id:?} has no rows in the fixture");
        // The longest word of the last row's searchable cells: rare enough to narrow.
        let row = n - 1;
        let word = p
            .cells(src, row)
            .into_iter()
            .filter(|c| c.search)
            .flat_map(|c| {
                c.text
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .max_by_key(|w| w.chars().count())
            .unwrap();
        let kept = panes::filter(src, id, &word);
        assert!(
            kept.contains(&(row as u32)),
            "{id:?}: {word:?} lost its row"
        );
        for r in &kept {
            let shown: String = p
                .cells(src, *r as usize)
                .iter()
                .map(|c| c.text.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                shown.contains(&word),
                "{id:?}: row {r} kept for {word:?}: {shown}"
            );
        }
        // And the pane draws the row: the filter typed, the word is on screen.
        s.focus = id;
        s.zoom = true;
        s.pane_mut(id).filter = word.clone();
        super::navigate::refilter(&mut s, id);
        let text = screen(&s).to_lowercase();
        assert!(text.contains(&word), "{id:?}: {word:?} not on screen");
    }
}

/// At 80 columns the snooze prompt was cut before its last choices; it now takes the
/// widest wording that fits, every choice and the way out included.
#[test]
fn the_snooze_prompt_fits_at_80_columns() {
    for (w, want) in [
        (80, "q quarter  esc cancel"),
        (160, "q until the next quarterly review"),
    ] {
        let mut s = loaded((w, 24));
        press(&mut s, KeyCode::Char('5'));
        press(&mut s, KeyCode::Char('s'));
        let footer = screen(&s).lines().last().unwrap().to_owned();
        assert!(footer.contains(want), "{w}: {footer:?}");
        assert!(footer.contains(" day"), "{w}: {footer:?}");
    }
}
