//! The panes of the cockpit. Each is one module that owns its rows, their cells (drawn
//! and searched alike, so the filter finds what the screen shows), its details and its
//! drawing, behind [`Pane`]; [`pane`] is the registry. Numbered 1 Overview … 5 Alerts,
//! 6 Follow-ups, 7 Data health, as the number keys focus them.

mod alerts;
mod cost;
mod decisions;
mod followups;
mod health;
mod listing;
mod overview;
mod revenue;

pub use alerts::{severity_style, state_text};
pub use health::{HealthItem, health_items, item_cells};
use listing::{Listed, Signals};

use super::state::{AppState, Data};
use super::ui::details::Doc;
use super::ui::table::{self, Cell, Col};
use super::ui::widgets::{pane_block, placeholder};
use crate::config::theme::Theme;
use crate::engine::Views;
use crate::engine::direction::Direction;
use crate::engine::series::Series;
use crate::keys::Action;
use crate::refresh::Triage;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::collections::BTreeSet;

/// The registry: each pane's module, by id.
pub fn pane(id: PaneId) -> &'static dyn Pane {
    match id {
        PaneId::Overview => &overview::Overview,
        PaneId::Revenue => &Signals(revenue::Revenue),
        PaneId::Cost => &Signals(cost::Cost),
        PaneId::Decisions => &Signals(decisions::Decisions),
        PaneId::Alerts => &Listed(alerts::Alerts),
        PaneId::FollowUps => &Listed(followups::FollowUps),
        PaneId::Health => &Signals(health::Health),
    }
}

/// Where every pane's rows come from, and what their cells depend on.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    pub data: Option<&'a Data>,
    pub triage: &'a Triage,
    /// The alerts the Alerts pane lists: positions in `triage.alerts`.
    pub alerts: &'a [u32],
    /// The needs-attention view's rows.
    pub attention: &'a [crate::tui::lists::AttentionRow],
    /// The rows marked for a bulk action in this pane (alert or follow-up ids).
    pub marked: &'a BTreeSet<String>,
    pub today: NaiveDate,
}

/// What a pane is called and the columns of its table.
pub struct Meta {
    pub id: PaneId,
    /// The title on its border.
    pub title: &'static str,
    /// The name on its tab.
    pub short: &'static str,
    pub columns: &'static [Col],
    /// Lines it draws above its rows, inside its border: the column header, and what
    /// the pane draws above it.
    pub top: u16,
}

impl Meta {
    const fn new(
        id: PaneId,
        title: &'static str,
        short: &'static str,
        columns: &'static [Col],
    ) -> Meta {
        Meta {
            id,
            title,
            short,
            columns,
            top: 1,
        }
    }

    const fn top(self, lines: u16) -> Meta {
        Meta { top: lines, ..self }
    }
}

/// One pane: what it is called, its rows and how they read, its details and its drawing.
pub trait Pane: Sync {
    fn meta(&self) -> &'static Meta;
    fn count(&self, src: Rows) -> usize;
    /// The cells of row `row`: what the table draws and what the filter searches.
    fn cells(&self, src: Rows, row: usize) -> Vec<Cell>;
    /// A `key:value` filter word on one of the row's fields: None when the pane has no
    /// such field (the word is then searched as text).
    fn field(&self, _src: Rows, _row: usize, _key: &str, _value: &str) -> Option<bool> {
        None
    }
    /// The id a triage row is known by (for marks and for the store).
    fn row_id(&self, _src: Rows, _row: usize) -> Option<String> {
        None
    }
    /// Whether its rows can be triaged.
    fn is_triage(&self) -> bool {
        false
    }
    /// What follows the title on the border.
    fn subtitle(&self, state: &AppState) -> String;
    fn draw_top(&self, _frame: &mut Frame, _area: Rect, _state: &AppState, _theme: &Theme) {}
    /// Writes the details of row `row` into `d`; returns their title.
    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String>;
    /// The actions the hint bar offers here, in order.
    fn hints(&self) -> &'static [Action] {
        &DATA_HINTS
    }
    /// The hint word of an action here, when it differs from the action's own.
    fn hint_word(&self, action: Action) -> Option<&'static str> {
        action.hint()
    }

    fn render(&self, frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
        let id = self.meta().id;
        frame.render_widget(pane_block(state, id, theme, &self.subtitle(state)), area);
        if placeholder(frame, area, state, id, theme) {
            return;
        }
        self.draw_top(frame, area, state, theme);
        let src = state.rows(id);
        table::draw(frame, area, state, id, theme, self.meta().columns, |i| {
            self.cells(src, i)
        });
    }
}

/// The border subtitle of a pane of the period's signals: the period.
fn period_label(state: &AppState) -> String {
    state
        .data
        .as_ref()
        .map_or(String::new(), |d| d.views.period.label.clone())
}

/// The details' opening of a row of signals: this period against the one before.
fn comparison(d: &mut Doc, v: &Views, what: &str, series: &Series, direction: Direction) {
    d.heading(format!("{} vs {}", v.period.label, v.previous.label));
    d.kv(
        what,
        format!("{} now, {} before", series.current, series.previous),
    );
    d.kv("Direction", direction.label());
}

/// A count worth attention, or a quiet dot when it is zero.
fn unless_zero(n: u32, text: impl Fn(u32) -> String, style: fn(&Theme) -> Style) -> Cell {
    if n > 0 {
        Cell::styled(text(n), style)
    } else {
        Cell::glyph("·", Theme::muted)
    }
}

/// The mark of a row selected for a bulk action.
fn mark(src: Rows, id: &str) -> Cell {
    Cell::glyph(
        if src.marked.contains(id) { "●" } else { " " },
        Theme::accent,
    )
}

/// The hints of the data panes: the first keys of these actions fill the bar left to
/// right until it is full.
const DATA_HINTS: [Action; 9] = [
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

/// The id a triage row is known by (for marks and for the store).
pub fn row_id(src: Rows, id: PaneId, row: usize) -> Option<String> {
    pane(id).row_id(src, row)
}

/// The text a filter is matched against: the row's cells as drawn.
pub fn haystack(src: Rows, id: PaneId, row: usize) -> String {
    let cells = pane(id).cells(src, row);
    let words: Vec<&str> = cells
        .iter()
        .filter(|c| c.search)
        .map(|c| c.text.as_str())
        .collect();
    words.join(" ")
}

/// Rows passing a filter: every word must appear, in any case; a `key:value` word must
/// match that field exactly where the pane has the field, `key:a,b` either value.
pub fn filter(src: Rows, id: PaneId, filter: &str) -> Vec<u32> {
    let p = pane(id);
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    (0..p.count(src))
        .filter(|&i| {
            let mut hay: Option<String> = None;
            words.iter().all(|w| {
                if let Some((key, values)) = w
                    .split_once(':')
                    .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                {
                    let hits: Vec<Option<bool>> = values
                        .split(',')
                        .filter(|v| !v.is_empty())
                        .map(|v| p.field(src, i, key, v))
                        .collect();
                    if hits.iter().any(Option::is_some) {
                        return hits.contains(&Some(true));
                    }
                }
                hay.get_or_insert_with(|| haystack(src, id, i).to_lowercase())
                    .contains(w.as_str())
            })
        })
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    Overview,
    Revenue,
    Cost,
    Decisions,
    Alerts,
    FollowUps,
    Health,
}

pub const PANES: usize = 7;

impl PaneId {
    pub const ALL: [PaneId; PANES] = [
        PaneId::Overview,
        PaneId::Revenue,
        PaneId::Cost,
        PaneId::Decisions,
        PaneId::Alerts,
        PaneId::FollowUps,
        PaneId::Health,
    ];

    pub fn title(self) -> &'static str {
        pane(self).meta().title
    }

    /// The short name in the tab row.
    pub fn short(self) -> &'static str {
        pane(self).meta().short
    }

    /// The number key that focuses the pane.
    pub fn number(self) -> u8 {
        self.index() as u8 + 1
    }

    pub fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn from_action(a: Action) -> Option<PaneId> {
        match a {
            Action::PaneOverview => Some(PaneId::Overview),
            Action::PaneRevenue => Some(PaneId::Revenue),
            Action::PaneCost => Some(PaneId::Cost),
            Action::PaneDecisions => Some(PaneId::Decisions),
            Action::PaneAlerts => Some(PaneId::Alerts),
            Action::PaneFollowUps => Some(PaneId::FollowUps),
            Action::PaneHealth => Some(PaneId::Health),
            _ => None,
        }
    }

    pub fn next(self) -> PaneId {
        PaneId::ALL[(self.index() + 1) % PANES]
    }

    pub fn prev(self) -> PaneId {
        PaneId::ALL[(self.index() + PANES - 1) % PANES]
    }

    /// Panes whose rows can be triaged.
    pub fn is_triage(self) -> bool {
        pane(self).is_triage()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_gives_each_id_its_own_pane() {
        for id in PaneId::ALL {
            assert_eq!(pane(id).meta().id, id);
        }
        let titles: BTreeSet<&str> = PaneId::ALL.iter().map(|p| p.title()).collect();
        assert_eq!(titles.len(), PANES, "two panes share a title");
    }
}
