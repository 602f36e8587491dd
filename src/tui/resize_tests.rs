//! The cockpit resized to anything: its state stays sane, and behind the too-small
//! screen no key acts but quit.

use super::fixture::loaded;
use super::panes::PaneId;
use super::state::{AppState, Mode};
use super::update::{Effect, Msg, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn resizing_to_anything_keeps_state_sane() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('4'));
    key(&mut s, KeyCode::Char('G'));
    for (w, h) in [(10, 3), (0, 0), (80, 24), (300, 100), (50, 12), (120, 40)] {
        update(&mut s, Msg::Resize(w, h));
        let p = s.pane(PaneId::Decisions);
        assert!(p.offset <= p.selected);
        assert!(p.selected < p.visible.len());
    }
}

/// Behind the too-small screen a key does nothing but quit: an alert acknowledged or
/// dismissed there was changed unseen.
#[test]
fn behind_the_too_small_screen_only_quit_does_anything() {
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('5'));
    update(&mut s, Msg::Resize(30, 8));
    for c in ['a', 'd', 'x', 's', 'n', 'o', 'F', '/', '4', '?'] {
        let effects = key(&mut s, KeyCode::Char(c));
        assert!(effects.is_empty(), "{c}: {effects:?}");
        assert!(matches!(s.mode, Mode::Normal), "{c}: {:?}", s.mode);
    }
    assert_eq!(s.focus, PaneId::Alerts);
    update(&mut s, Msg::Resize(120, 40));
    let acted = key(&mut s, KeyCode::Char('a'));
    assert!(
        acted.iter().any(|e| matches!(e, Effect::Triage(_))),
        "{acted:?}"
    );
    update(&mut s, Msg::Resize(30, 8));
    assert!(matches!(
        key(&mut s, KeyCode::Char('q'))[..],
        [Effect::Quit]
    ));
}
