//! A centred, bordered box drawn over the cockpit, used by help and details.

use crate::config::theme::Theme;
use crate::keys::action::Action;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

pub fn centered(area: Rect, max_width: u16, margin: u16) -> Rect {
    let width = area.width.saturating_sub(margin * 2).min(max_width);
    let height = area.height.saturating_sub(margin);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Draws `lines` in a box; the scroll is clamped so the last line stays reachable but
/// never scrolls past.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: u16,
) {
    let rect = centered(area, 96, 2);
    frame.render_widget(Clear, rect);
    let key = |a| state.key_name(a);
    let hint = format!(
        " {}/{} scroll · {} close ",
        key(Action::Down),
        key(Action::Up),
        key(Action::Close)
    );
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.border(true))
        .title(Line::from(Span::styled(
            format!(" {title} "),
            theme.title(true),
        )))
        .title_bottom(Line::from(Span::styled(hint, theme.muted())).right_aligned())
        .style(theme.base());
    let inner_height = rect.height.saturating_sub(2);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = paragraph.line_count(rect.width.saturating_sub(2)) as u16;
    let scroll = scroll.min(total.saturating_sub(inner_height));
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), rect);
}
