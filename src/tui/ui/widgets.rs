//! Small drawing helpers every pane uses: fitting text to a width, sparklines,
//! numbers, column widths and the pane frame.

use crate::config::theme::Theme;
use crate::tui::layout;
use crate::tui::pane::PaneId;
use crate::tui::state::{AppState, PaneLoad};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use unicode_width::UnicodeWidthChar;

/// Cuts `s` to `width` terminal cells, ending with `…` when it had to cut.
pub fn fit(s: &str, width: usize) -> String {
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of counts scaled to their own maximum; `·` marks a month with none.
pub fn sparkline(counts: &[u32]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&n| {
            if n == 0 || max == 0 {
                '·'
            } else {
                let level = ((u64::from(n) * 8).div_ceil(u64::from(max))).clamp(1, 8) as usize;
                BARS[level - 1]
            }
        })
        .collect()
}

/// 1204 → "1,204".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// Widths for a table's columns inside `width`, one cell of space between columns.
pub fn widths(width: u16, constraints: &[Constraint]) -> Vec<u16> {
    Layout::horizontal(constraints.iter().copied())
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width)
        .collect()
}

/// The frame of a pane: a border, its number and title, the filter and position.
pub fn pane_block<'a>(state: &AppState, pane: PaneId, theme: &Theme, subtitle: &str) -> Block<'a> {
    let focused = state.focus == pane;
    let view = state.pane(pane);
    let mut title = vec![
        Span::styled(format!(" {} ", pane.number()), theme.accent()),
        Span::styled(pane.title().to_owned(), theme.title(focused)),
    ];
    if !subtitle.is_empty() {
        title.push(Span::styled(format!(" · {subtitle}"), theme.muted()));
    }
    title.push(Span::raw(" "));
    let mut right = Vec::new();
    // With PostHog each pane has its own state: refreshing, the time of its data, or
    // why its last refresh failed (the data stays).
    if state.remote.is_some() {
        match state.pane_load(pane) {
            PaneLoad::Refreshing { .. } => {
                right.push(Span::styled(" ↻ refreshing ", theme.muted()));
            }
            // The reason is in the status line and the details; the title stays short.
            PaneLoad::Stale { as_of, .. } => right.push(Span::styled(
                format!(" ⚠ not refreshed · {} ", as_of.format("%H:%M")),
                theme.bad(),
            )),
            PaneLoad::Loaded { as_of } => right.push(Span::styled(
                format!(" {} ", as_of.format("%H:%M")),
                theme.muted(),
            )),
            PaneLoad::Loading | PaneLoad::Failed(_) => {}
        }
    }
    if !view.filter.is_empty() {
        right.push(Span::styled(
            format!(" /{} ", fit(&view.filter, 20)),
            theme.warn(),
        ));
    }
    if !view.visible.is_empty() {
        right.push(Span::styled(
            format!(" {}/{} ", view.selected + 1, view.visible.len()),
            theme.muted(),
        ));
    }
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.border(focused))
        .title(Line::from(title))
        .title(Line::from(right).alignment(Alignment::Right))
}

/// When a pane has nothing to draw yet (loading, failed, or empty), says so and
/// returns true.
pub fn placeholder(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    pane: PaneId,
    theme: &Theme,
) -> bool {
    let text = match state.pane_load(pane) {
        PaneLoad::Loading => Some(("loading…".to_owned(), theme.muted())),
        PaneLoad::Failed(e) => Some((format!("Could not load: {e}"), theme.bad())),
        PaneLoad::Loaded { .. } | PaneLoad::Refreshing { .. } | PaneLoad::Stale { .. }
            if state.pane(pane).visible.is_empty() =>
        {
            let why = if state.pane(pane).filter.is_empty() {
                "Nothing to show: no events of this kind.".to_owned()
            } else {
                format!(
                    "No rows match \"{}\". Esc clears the filter.",
                    state.pane(pane).filter
                )
            };
            Some((why, theme.muted()))
        }
        PaneLoad::Loaded { .. } | PaneLoad::Refreshing { .. } | PaneLoad::Stale { .. } => None,
    };
    let Some((text, style)) = text else {
        return false;
    };
    let inner = layout::rows_area(pane, area);
    let inner = Rect {
        y: inner.y.saturating_sub(layout::top_lines(pane)),
        height: inner.height + layout::top_lines(pane),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(text).style(style).wrap(Wrap { trim: true }),
        inner,
    );
    true
}

/// The style of a row: only the focused pane shows its selection, so the eye finds
/// the one place keys act on.
pub fn row_style(state: &AppState, pane: PaneId, position: usize, theme: &Theme) -> Style {
    if state.focus == pane && position == state.pane(pane).selected {
        theme.selection()
    } else {
        Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_cells_not_bytes() {
        assert_eq!(fit("northwind-mail", 20), "northwind-mail");
        assert_eq!(fit("northwind-mail", 8), "northwi…");
        assert_eq!(fit("zürich-reisen", 6), "züric…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn sparkline_scales_to_its_max() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "·▁▂▄█");
        assert_eq!(sparkline(&[0, 0]), "··");
        assert_eq!(sparkline(&[3]), "█");
    }

    #[test]
    fn counts_get_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1204), "1,204");
        assert_eq!(count(1_000_000), "1,000,000");
    }
}
