//! Shown instead of the cockpit when the terminal is below the minimum size.

use crate::keys::action::Action;
use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let text = format!(
        "Terminal too small: {}×{}.\nbearing needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\nEnlarge the window, or press {} to quit.",
        area.width,
        area.height,
        state.key_name(Action::Quit)
    );
    let lines = text.lines().count() as u16;
    let y = area.y + area.height.saturating_sub(lines) / 2;
    // Wrapped on a narrow terminal the text takes more lines than it has: let it use
    // every line below where it starts, so the way out is never cut off.
    let r = Rect {
        y,
        height: area.height - (y - area.y),
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}
