//! Every theme readable at every colour depth: the cockpit is drawn on the demo with
//! each built-in theme at truecolor, 256 and 16 colours, on every pane, the overlays
//! and the badges, and the contrast of every drawn cell's foreground against its
//! background is measured as WCAG 2 does. Text needs 4.5:1 (AA), graphics (borders,
//! sparklines, bars) 3:1. `reset` is judged as a dark terminal's own colours.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/contrast.rs"]
mod contrast;
use bearing::config::theme::{BUILTIN, ColorDepth, Theme, parse_theme};
use bearing::store::open::StoreStatus;
use bearing::tui::fixture::{loaded, send};
use bearing::tui::state::AppState;
use bearing::tui::ui::draw;
use bearing::tui::update::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::collections::BTreeSet;

const DEPTHS: [ColorDepth; 3] = [
    ColorDepth::TrueColor,
    ColorDepth::Ansi256,
    ColorDepth::Ansi16,
];

/// The screens drawn: each pane focused (its selected row included), the help, the
/// details of an alert, a decision and a tenant, and the header's alert badge.
const SCREENS: [&str; 11] = ["1", "2", "3", "4", "5", "6", "7", "?", "5\n", "4\n", "1\n"];

fn press(s: &mut AppState, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        send(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn screen(themes: &[Theme], theme: usize, keys: &str, read_only: bool) -> Buffer {
    let mut s = loaded((120, 40));
    s.themes = themes.to_vec();
    s.theme = theme;
    if read_only {
        s.store = StoreStatus::ReadOnly("the disk is full".into());
    }
    press(&mut s, keys);
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| draw(f, &s)).unwrap();
    t.backend().buffer().clone()
}

/// Every unreadable pair of colours (theme, depth, fg, bg, ratio), with an example.
fn unreadable(themes: &[Theme], depth: ColorDepth) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (i, theme) in themes.iter().enumerate() {
        for (keys, read_only) in SCREENS.iter().map(|k| (*k, false)).chain([("5", true)]) {
            let buf = screen(themes, i, keys, read_only);
            for (pair, symbol) in contrast::unreadable_cells(&buf) {
                let what = format!("{} at {depth:?}: {pair}", theme.name);
                if !out.iter().any(|(w, _)| *w == what) {
                    out.insert((what, format!("{symbol} after keys {keys:?}")));
                }
            }
        }
    }
    out
}

fn themes(depth: ColorDepth) -> Vec<Theme> {
    BUILTIN
        .iter()
        .map(|(_, text)| parse_theme(text, depth).unwrap())
        .collect()
}

#[test]
fn every_theme_is_readable_at_every_colour_depth() {
    let mut all = BTreeSet::new();
    for depth in DEPTHS {
        all.extend(unreadable(&themes(depth), depth));
    }
    assert!(
        all.is_empty(),
        "{} unreadable styles:\n{}",
        all.len(),
        all.into_iter()
            .map(|(what, e)| format!("{what}, e.g. {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Not vacuous: a theme whose muted text is dark grey on black fails. (So did the
/// high-contrast theme before a selected row took the selection's colours: its
/// warnings were yellow on the yellow selection.)
#[test]
fn the_check_fails_a_theme_that_cannot_be_read() {
    let old = BUILTIN[2]
        .1
        .replace("muted = \"#d0d0d0\"", "muted = \"#505050\"");
    let t = parse_theme(&old, ColorDepth::TrueColor).unwrap();
    let found = unreadable(&[t], ColorDepth::TrueColor);
    assert!(
        found.iter().any(|(f, _)| f.contains("Rgb(80, 80, 80)")),
        "{found:?}"
    );
}

/// A 16-colour terminal keeps the meaning of colours: bad is a red, good and warn
/// are colours of their own (never a grey, never bad's red). On a light background
/// no xterm green can be read, so good takes the nearest colour that can.
#[test]
fn sixteen_colours_keep_severity_and_direction() {
    use ratatui::style::Color::{self, *};
    let grey = |c: Color| matches!(c, Black | DarkGray | Gray | White | Reset);
    for t in themes(ColorDepth::Ansi16) {
        assert!(
            matches!(t.bad, Red | LightRed),
            "{}: bad {:?}",
            t.name,
            t.bad
        );
        for (slot, c) in [("good", t.good), ("warn", t.warn)] {
            assert!(!grey(c) && c != t.bad, "{}: {slot} {c:?}", t.name);
        }
        assert!(
            t.good != t.warn,
            "{}: good and warn are both {:?}",
            t.name,
            t.good
        );
    }
}
