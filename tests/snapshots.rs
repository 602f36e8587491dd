//! Whole-screen snapshots of every pane at 120×40 (the grid) and 80×24 (one pane with a
//! tab row), on the demo at a fixed date, plus the overlays and the too-small screen.
//! A change to any screen shows up as a reviewable diff (`cargo insta review`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bearing::tui::fixture::{loaded, send};
use bearing::tui::panes::PaneId;
use bearing::tui::state::AppState;
use bearing::tui::ui::draw;
use bearing::tui::update::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(state: &AppState) -> String {
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal.draw(|f| draw(f, state)).expect("draw");
    terminal.backend().to_string()
}

fn press(state: &mut AppState, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            ' ' => KeyCode::Char(' '),
            c => KeyCode::Char(c),
        };
        // Through the fixture's workers: Enter on an alert fetches its evidence.
        send(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn focused(size: (u16, u16), pane: PaneId) -> AppState {
    let mut s = loaded(size);
    press(&mut s, &pane.number().to_string());
    s
}

macro_rules! pane_snapshots {
    ($($name:ident => $pane:expr),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(concat!(stringify!($name), "_120x40"), screen(&focused((120, 40), $pane)));
            insta::assert_snapshot!(concat!(stringify!($name), "_80x24"), screen(&focused((80, 24), $pane)));
        }
    )*};
}

pane_snapshots! {
    overview => PaneId::Overview,
    revenue => PaneId::Revenue,
    cost => PaneId::Cost,
    decisions => PaneId::Decisions,
    alerts => PaneId::Alerts,
    follow_ups => PaneId::FollowUps,
    health => PaneId::Health,
}

#[test]
fn alert_details_with_evidence() {
    let mut s = focused((120, 40), PaneId::Alerts);
    press(&mut s, "\n");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn a_bulk_action_asks_first() {
    let mut s = focused((120, 40), PaneId::Alerts);
    press(&mut s, "   a");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn zoomed_revenue() {
    let mut s = focused((120, 40), PaneId::Revenue);
    press(&mut s, "z");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn help_overlay() {
    let mut s = loaded((120, 40));
    press(&mut s, "?");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn executive_summary_details() {
    let mut s = loaded((120, 40));
    press(&mut s, "\n");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn filtering_the_cost_pane() {
    let mut s = focused((80, 24), PaneId::Cost);
    press(&mut s, "/vendor");
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn terminal_too_small() {
    let s = loaded((40, 10));
    insta::assert_snapshot!(screen(&s));
}
