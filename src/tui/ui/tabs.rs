//! The tab row shown when one pane fills the screen (narrow terminals, or zoom).

use crate::config::theme::Theme;
use crate::tui::panes::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

fn label(p: PaneId) -> String {
    format!(" {} {} ", p.number(), p.short())
}

/// Seven tabs fit in 80 columns only without separators; the focused one is
/// highlighted, and the spaces around each label keep them apart.
const SEP: &str = "";

/// Which tab is under column `x`; the same arithmetic as the drawing.
pub fn tab_at(area: Rect, x: u16) -> Option<PaneId> {
    let mut left = area.x;
    for p in PaneId::ALL {
        let w = label(p).width() as u16;
        if x >= left && x < left + w {
            return Some(p);
        }
        left += w + SEP.width() as u16;
    }
    None
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut spans = Vec::new();
    for (i, p) in PaneId::ALL.iter().enumerate() {
        if i > 0 && !SEP.is_empty() {
            spans.push(Span::styled(SEP, theme.muted()));
        }
        let style = if *p == state.focus {
            theme.selection()
        } else {
            theme.muted()
        };
        spans.push(Span::styled(label(*p), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_land_on_the_tab_drawn_there() {
        let area = Rect::new(0, 1, 80, 1);
        assert_eq!(tab_at(area, 0), Some(PaneId::Overview));
        assert_eq!(tab_at(area, 12), Some(PaneId::Overview));
        assert_eq!(tab_at(area, 13), Some(PaneId::Revenue));
        assert_eq!(tab_at(area, 78), Some(PaneId::Health));
        assert_eq!(tab_at(area, 79), None);
    }
}
