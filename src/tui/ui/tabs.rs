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

/// The labels as drawn in `width` columns: every name when they fit, else the
/// focused tab's name and the others' numbers, so the pane on screen is always named.
fn labels(width: u16, focus: PaneId) -> Vec<(PaneId, String)> {
    let full: Vec<_> = PaneId::ALL.iter().map(|&p| (p, label(p))).collect();
    let needed: usize = full.iter().map(|(_, l)| l.width()).sum();
    if needed <= usize::from(width) {
        return full;
    }
    full.into_iter()
        .map(|(p, l)| {
            if p == focus {
                (p, l)
            } else {
                (p, format!(" {} ", p.number()))
            }
        })
        .collect()
}

/// Seven tabs fit in 80 columns only without separators; the focused one is
/// highlighted, and the spaces around each label keep them apart.
const SEP: &str = "";

/// Which tab is under column `x`; the same arithmetic as the drawing.
pub fn tab_at(area: Rect, x: u16, focus: PaneId) -> Option<PaneId> {
    let mut left = area.x;
    for (p, l) in labels(area.width, focus) {
        let w = l.width() as u16;
        if x >= left && x < left + w {
            return Some(p);
        }
        left += w + SEP.width() as u16;
    }
    None
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut spans = Vec::new();
    for (i, (p, l)) in labels(area.width, state.focus).into_iter().enumerate() {
        if i > 0 && !SEP.is_empty() {
            spans.push(Span::styled(SEP, theme.muted()));
        }
        let style = if p == state.focus {
            theme.selection()
        } else {
            theme.muted()
        };
        spans.push(Span::styled(l, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_land_on_the_tab_drawn_there() {
        let area = Rect::new(0, 1, 80, 1);
        let at = |x| tab_at(area, x, PaneId::Overview);
        assert_eq!(at(0), Some(PaneId::Overview));
        assert_eq!(at(12), Some(PaneId::Overview));
        assert_eq!(at(13), Some(PaneId::Revenue));
        assert_eq!(at(78), Some(PaneId::Health));
        assert_eq!(at(79), None);
    }

    /// Narrower than every name, the focused tab keeps its name and the rest their
    /// numbers: at 60 columns the row once ended at "6 Fo" with pane 7 on screen.
    #[test]
    fn a_narrow_row_names_the_focused_tab_and_numbers_the_rest() {
        for width in [50, 60, 79] {
            let area = Rect::new(0, 1, width, 1);
            for focus in PaneId::ALL {
                let row: String = labels(width, focus).into_iter().map(|(_, l)| l).collect();
                assert!(row.width() <= usize::from(width), "{width}: {row}");
                assert!(row.contains(&label(focus)), "{width}, {focus:?}: {row}");
                // A click on each tab's number lands on that tab.
                for p in PaneId::ALL {
                    let x = row.find(&format!(" {} ", p.number())).unwrap() as u16 + 1;
                    assert_eq!(tab_at(area, x, focus), Some(p), "{width}: {row}");
                }
            }
        }
    }
}
