//! One table drawer for every pane: a header line, then only the rows that are on
//! screen (a million-row pane costs the same to draw as a ten-row one), each cell cut
//! to its column with an ellipsis, numbers right-aligned.

use super::widgets::{cells, fit, row_style, terminal_pieces, widths};
use crate::config::theme::Theme;
use crate::tui::layout;
use crate::tui::panes::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub struct Col {
    pub title: &'static str,
    pub width: Constraint,
    pub right: bool,
    /// The narrowest this column may get.
    pub min: u16,
    /// Columns with a higher number give way first when the pane is narrow; 0 never does.
    pub drop: u8,
}

impl Col {
    pub const fn left(title: &'static str, width: Constraint) -> Col {
        Col {
            title,
            width,
            right: false,
            min: min_of(width),
            drop: 0,
        }
    }

    pub const fn right(title: &'static str, width: Constraint) -> Col {
        Col {
            title,
            width,
            right: true,
            min: min_of(width),
            drop: 0,
        }
    }

    pub const fn min(mut self, min: u16) -> Col {
        self.min = min;
        self
    }

    pub const fn drop(mut self, order: u8) -> Col {
        self.drop = order;
        self
    }
}

const fn min_of(c: Constraint) -> u16 {
    match c {
        Constraint::Length(n) | Constraint::Min(n) => n,
        _ => 8,
    }
}

/// The columns that fit in `width`, dropping the most droppable first.
pub fn fitting(cols: &[Col], width: u16) -> Vec<usize> {
    fitting_without(cols, width, &[])
}

/// [`fitting`], leaving out the columns marked in `skip`.
fn fitting_without(cols: &[Col], width: u16, skip: &[bool]) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..cols.len())
        .filter(|i| !skip.get(*i).copied().unwrap_or(false))
        .collect();
    let need = |keep: &[usize]| -> u32 {
        keep.iter().map(|&i| u32::from(cols[i].min)).sum::<u32>()
            + keep.len().saturating_sub(1) as u32
    };
    while need(&keep) > u32::from(width) {
        let Some(pos) = keep
            .iter()
            .enumerate()
            .filter(|(_, i)| cols[**i].drop > 0)
            .max_by_key(|(_, i)| cols[**i].drop)
            .map(|(p, _)| p)
        else {
            break;
        };
        keep.remove(pos);
    }
    keep
}

/// A cell of a row: its text, its style in any theme, and whether the filter searches
/// it (a mark or a sparkline is drawn, not searched).
pub struct Cell {
    pub text: String,
    pub style: fn(&Theme) -> Style,
    pub search: bool,
}

fn plain(_: &Theme) -> Style {
    Style::default()
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell::styled(text, plain)
    }

    pub fn styled(text: impl Into<String>, style: fn(&Theme) -> Style) -> Cell {
        Cell {
            text: text.into(),
            style,
            search: true,
        }
    }

    /// A cell that is drawn but not searched.
    pub fn glyph(text: impl Into<String>, style: fn(&Theme) -> Style) -> Cell {
        Cell {
            search: false,
            ..Cell::styled(text, style)
        }
    }
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let cut = fit(text, width);
    // Measured as ratatui will draw it, so the next column starts where it should.
    let gap = width.saturating_sub(cells(&cut));
    if right {
        format!("{}{cut}", " ".repeat(gap))
    } else {
        format!("{cut}{}", " ".repeat(gap))
    }
}

fn line(
    cols: &[Col],
    keep: &[usize],
    widths: &[u16],
    cells: Vec<Cell>,
    theme: &Theme,
) -> Line<'static> {
    let mut cells: Vec<Option<Cell>> = cells.into_iter().map(Some).collect();
    let mut spans = Vec::with_capacity(keep.len() * 2);
    for (n, (&i, w)) in keep.iter().zip(widths).enumerate() {
        if n > 0 {
            spans.push(Span::raw(" "));
        }
        let cell = cells
            .get_mut(i)
            .and_then(Option::take)
            .unwrap_or_else(|| Cell::new(""));
        let text = pad(&cell.text, usize::from(*w), cols[i].right);
        spans.extend(
            terminal_pieces(&text)
                .into_iter()
                .map(|piece| Span::styled(piece, (cell.style)(theme))),
        );
    }
    Line::from(spans)
}

/// Draws the header and the visible rows of `pane` inside its frame `area`.
/// `cells(row)` gives the cells of a row by its index in the pane's data.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    pane: PaneId,
    theme: &Theme,
    cols: &[Col],
    cells: impl Fn(usize) -> Vec<Cell>,
) {
    let rows = layout::rows_area(pane, area);
    if rows.width == 0 {
        return;
    }
    let view = state.pane(pane);
    let end = (view.offset + usize::from(rows.height)).min(view.visible.len());
    let shown: Vec<(usize, Vec<Cell>)> = (view.offset..end)
        .filter_map(|position| {
            let row = *view.visible.get(position)?;
            Some((position, cells(row as usize)))
        })
        .collect();
    // A column that may give way and that no row on screen fills (no owner set yet)
    // gives its room to the others: an alert's title is not cut beside blank space.
    let blank: Vec<bool> = (0..cols.len())
        .map(|c| {
            cols[c].drop > 0
                && !shown.is_empty()
                && shown
                    .iter()
                    .all(|(_, cells)| cells.get(c).is_none_or(|x| x.text.trim().is_empty()))
        })
        .collect();
    let keep = fitting_without(cols, rows.width, &blank);
    let constraints: Vec<Constraint> = keep.iter().map(|&i| cols[i].width).collect();
    let w = widths(rows.width, &constraints);
    if rows.y > area.y + 1 && cols.iter().any(|c| !c.title.is_empty()) {
        let header = Rect {
            y: rows.y - 1,
            height: 1,
            ..rows
        };
        let titles = cols.iter().map(|c| Cell::new(c.title)).collect();
        let style = theme.muted().add_modifier(Modifier::BOLD);
        frame.render_widget(
            Paragraph::new(line(cols, &keep, &w, titles, theme)).style(style),
            header,
        );
    }
    for (i, (position, cells)) in shown.into_iter().enumerate() {
        let r = Rect {
            y: rows.y + i as u16,
            height: 1,
            ..rows
        };
        let mut l = line(cols, &keep, &w, cells, theme);
        let style = row_style(state, pane, position, theme);
        if style != Style::default() && !theme.monochrome {
            // The selected row is read in the selection's colours: a cell's own
            // colour (yellow for a warning) could be the selection's background.
            for span in &mut l.spans {
                span.style = span.style.fg(theme.selection_fg);
            }
        }
        let l = l.patch_style(style);
        frame.render_widget(Paragraph::new(l), r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_panes_drop_columns_in_order() {
        let cols = [
            Col::left("a", Constraint::Fill(1)).min(10),
            Col::left("b", Constraint::Length(10)).drop(2),
            Col::left("c", Constraint::Length(10)).drop(1),
        ];
        assert_eq!(fitting(&cols, 32), vec![0, 1, 2]);
        assert_eq!(fitting(&cols, 31), vec![0, 2]);
        assert_eq!(fitting(&cols, 20), vec![0]);
        assert_eq!(fitting(&cols, 5), vec![0], "the last columns stay, cut");
    }
}
