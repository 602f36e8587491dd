//! Small drawing helpers every pane uses: fitting text to a width, sparklines,
//! numbers, column widths and the pane frame.

use crate::config::theme::Theme;
use crate::tui::layout;
use crate::tui::panes::PaneId;
use crate::tui::state::{AppState, PaneLoad};
use ratatui::Frame;
use ratatui::buffer::CellWidth;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// How wide a terminal that adds up code points (tmux 3.3, xterm, the Linux console)
/// draws `s`.
fn code_point_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Whether every grapheme of `s` is as wide for ratatui as for such a terminal.
fn agrees(s: &str) -> bool {
    Span::raw(s)
        .styled_graphemes(Style::default())
        .all(|g| usize::from(g.symbol.cell_width()) == code_point_width(g.symbol))
}

/// A grapheme in a form every terminal draws at the width ratatui gives it. ratatui
/// measures a cluster whole (`❤` with VS16 is 2 cells, a thumbs-up with a skin tone 2,
/// a ZWJ family 2, a keycap 2) where tmux and most terminals add up its code points
/// (1, 4, 6, 1): the rest of the row then lands where ratatui did not put it, or
/// overwrites it. Where the two disagree, the code points that make them disagree
/// (presentation selectors, joiners, skin-tone modifiers) are dropped, which every
/// terminal draws alike; failing that, the cluster's first code point stands for it.
fn drawable(g: &str) -> Cow<'_, str> {
    if usize::from(g.cell_width()) == code_point_width(g) {
        return Cow::Borrowed(g);
    }
    let plain: String = g
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}'
            )
        })
        .collect();
    if !plain.is_empty() && agrees(&plain) {
        return Cow::Owned(plain);
    }
    match g.chars().next() {
        Some(c) if agrees(c.encode_utf8(&mut [0; 4])) => Cow::Owned(c.to_string()),
        _ => Cow::Borrowed("\u{FFFD}"),
    }
}

/// The cells `s` takes when ratatui draws it, grapheme by grapheme (controls are not
/// drawn). Text from [`fit`] takes as many on the terminal.
pub fn cells(s: &str) -> usize {
    if printable_ascii(s) {
        return s.len();
    }
    Span::raw(s)
        .styled_graphemes(Style::default())
        .map(|g| usize::from(g.symbol.cell_width()))
        .sum()
}

/// `s` cut where a code-point-adding terminal starts a new cell inside one of ratatui's
/// graphemes: between a flag's two regional indicators, before a Devanagari vowel sign.
/// ratatui keeps such a grapheme in one buffer cell and takes the next for empty; tmux
/// puts the parts in two cells, and the second stays on screen when ratatui later
/// redraws only the first. Drawn as separate spans (graphemes never cross spans), each
/// part gets the cell the terminal gives it, and ratatui's picture is the terminal's.
pub fn terminal_pieces(s: &str) -> Vec<String> {
    if printable_ascii(s) {
        return vec![s.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for g in Span::raw(s).styled_graphemes(Style::default()) {
        let parts = g.symbol.chars().filter(|c| c.width().unwrap_or(0) > 0);
        if parts.count() <= 1 {
            piece.push_str(g.symbol);
            continue;
        }
        // Each part on its own, the last too: a regional indicator left next to the
        // following one would pair with it into another flag.
        for c in g.symbol.chars() {
            if c.width().unwrap_or(0) > 0 && !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        pieces.push(std::mem::take(&mut piece));
    }
    if !piece.is_empty() || pieces.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// Cuts `s` to `width` terminal cells, ending with `…` when it had to cut. Measured and
/// cut by grapheme, as ratatui draws and a terminal shows it, so a flag or a wide
/// character is never split and a column never ends anywhere but at `width`.
pub fn fit(s: &str, width: usize) -> String {
    if printable_ascii(s) {
        return match s.len() {
            n if n <= width => s.to_owned(),
            _ if width == 0 => String::new(),
            _ => format!("{}…", &s[..width - 1]),
        };
    }
    let span = Span::raw(s);
    let parts: Vec<(Cow<'_, str>, usize)> = span
        .styled_graphemes(Style::default())
        .map(|g| {
            let part = drawable(g.symbol);
            let w = code_point_width(&part);
            (part, w)
        })
        .collect();
    let total: usize = parts.iter().map(|(_, w)| w).sum();
    if total <= width {
        return parts.into_iter().map(|(p, _)| p).collect();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for (part, w) in parts {
        if used + w > width - 1 {
            break;
        }
        out.push_str(&part);
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
    // Each pane has its own state: refreshing, why its last refresh failed (the data
    // stays), or the time of its data when it is older than another pane's (PostHog
    // answers pane by pane; a snapshot can stand in for some).
    match state.pane_load(pane) {
        PaneLoad::Refreshing { .. } => {
            right.push(Span::styled(" ↻ refreshing ", theme.muted()));
        }
        // The reason is in the status line and the details; the title stays short.
        PaneLoad::Stale { as_of, .. } => right.push(Span::styled(
            format!(" ⚠ not refreshed · {} ", state.params.zone.clock(*as_of)),
            theme.bad(),
        )),
        PaneLoad::Loaded { as_of } => {
            let clock = state.params.zone.clock(*as_of);
            let newest = crate::tui::panes::PaneId::ALL
                .iter()
                .filter_map(|p| state.pane_load(*p).as_of())
                .max()
                .map(|t| state.params.zone.clock(t));
            if newest.is_some_and(|n| n != clock) {
                right.push(Span::styled(format!(" {clock} "), theme.muted()));
            }
        }
        PaneLoad::Loading | PaneLoad::Failed(_) => {}
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
                    "No rows match \"{}\". {} clears the filter.",
                    state.pane(pane).filter,
                    state.key_name(crate::keys::action::Action::Close)
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
    fn fit_cuts_by_grapheme_as_the_terminal_draws_it() {
        // A flag is never cut in half; where tmux and ratatui disagree on a cluster's
        // width, the parts that make them disagree are left out.
        assert_eq!(fit("🇺🇸🇩🇪", 3), "🇺🇸…");
        assert_eq!(fit("❤\u{fe0f}❤\u{fe0f}", 10), "❤❤");
        assert_eq!(fit("👍🏽 ok", 10), "👍 ok");
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(cells(&fit(&"1\u{fe0f}\u{20e3}".repeat(9), 6)), 6);
        assert_eq!(terminal_pieces("a🇺🇸b"), ["a", "🇺", "🇸", "b"]);
        assert_eq!(terminal_pieces("कि"), ["क", "ि"]);
        assert_eq!(terminal_pieces("plain"), ["plain"]);
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
