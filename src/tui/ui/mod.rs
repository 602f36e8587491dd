//! Drawing. Every function here borrows the state and never changes it.

pub mod details;
pub mod footer;
pub mod header;
pub mod help;
pub mod overlay;
pub mod table;
pub mod tabs;
pub mod too_small;
pub mod widgets;

use super::layout;
use super::state::{AppState, Mode};
use crate::config::theme::Theme;
use ratatui::Frame;
use ratatui::widgets::Block;

pub fn draw(frame: &mut Frame, state: &AppState) {
    let fallback;
    let theme = match state.theme() {
        Some(t) => t,
        None => {
            fallback = crate::config::theme::parse_theme(
                crate::config::theme::BUILTIN[0].1,
                crate::config::theme::ColorDepth::None,
            )
            .unwrap_or_else(|_| unreachable_theme());
            &fallback
        }
    };
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.base()), area);
    let Some(screen) = layout::screen((area.width, area.height), state.focus, state.zoom) else {
        too_small::render(frame, area, state);
        return;
    };
    header::render(frame, screen.header, state, theme);
    if let Some(tabs) = screen.tabs {
        tabs::render(frame, tabs, state, theme);
    }
    for (pane, rect) in &screen.panes {
        super::panes::pane(*pane).render(frame, *rect, state, theme);
    }
    footer::render(frame, screen.footer, state, theme);
    match &state.mode {
        Mode::Help { scroll } => overlay::render(
            frame,
            area,
            state,
            theme,
            "Keys",
            help::lines(state, theme),
            *scroll,
        ),
        Mode::Details { scroll } => {
            if let Some((title, lines)) = details::content(state, theme) {
                overlay::render(frame, area, state, theme, &title, lines, *scroll);
            }
        }
        Mode::Normal
        | Mode::Filter { .. }
        | Mode::Prompt { .. }
        | Mode::Confirm { .. }
        | Mode::Snooze { .. } => {}
    }
}

/// The built-in dark theme is covered by tests; if it ever failed to parse, draw in
/// the terminal's own colours rather than fail.
fn unreachable_theme() -> Theme {
    use ratatui::style::Color::Reset;
    Theme {
        name: "plain".into(),
        monochrome: true,
        background: Reset,
        foreground: Reset,
        muted: Reset,
        accent: Reset,
        border: Reset,
        border_focused: Reset,
        title: Reset,
        header_bg: Reset,
        header_fg: Reset,
        badge_fg: Reset,
        badge_bg: Reset,
        badge_alert_bg: Reset,
        selection_bg: Reset,
        selection_fg: Reset,
        good: Reset,
        warn: Reset,
        bad: Reset,
        spark: Reset,
    }
}
