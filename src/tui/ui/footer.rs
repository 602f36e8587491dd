//! The footer: key hints generated from the keymap, and the last action echoed.

use crate::config::theme::Theme;
use crate::tui::action::Action;
use crate::tui::state::{AppState, Level, Mode};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The order of the hints; the first keys of these actions fill the bar left to right.
const HINTS: [Action; 9] = [
    Action::Help,
    Action::Quit,
    Action::Filter,
    Action::Details,
    Action::Zoom,
    Action::NextPane,
    Action::Period,
    Action::Theme,
    Action::Refresh,
];

pub fn hint_spans(state: &AppState, theme: &Theme, width: usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    for action in HINTS {
        let (Some(key), Some(word)) = (state.keymap.first_key(action), action.hint()) else {
            continue;
        };
        let key = key.to_string();
        let w = key.width() + word.width() + 3;
        if used + w > width {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key}"), theme.accent()));
        spans.push(Span::styled(format!(" {word} "), theme.muted()));
    }
    spans
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if let Mode::Filter { pane, .. } = &state.mode {
        let filter = &state.pane(*pane).filter;
        let line = Line::from(vec![
            Span::styled(" / ", theme.accent()),
            Span::raw(filter.clone()),
            Span::styled("▏", theme.accent()),
            Span::styled("   enter keep · esc cancel · ctrl-u clear", theme.muted()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let status = state.status.as_ref().map(|s| {
        let style = match s.level {
            Level::Info => theme.accent(),
            Level::Warn => theme.warn(),
            Level::Error => theme.bad(),
        };
        let text = super::widgets::fit(&s.text, usize::from(area.width) / 2);
        Span::styled(format!("{text} "), style)
    });
    let status_width = status.as_ref().map_or(0, |s| s.content.width());
    let hints = hint_spans(
        state,
        theme,
        usize::from(area.width).saturating_sub(status_width + 1),
    );
    frame.render_widget(Paragraph::new(Line::from(hints)), area);
    if let Some(s) = status {
        frame.render_widget(
            Paragraph::new(Line::from(s)).alignment(Alignment::Right),
            area,
        );
    }
}
