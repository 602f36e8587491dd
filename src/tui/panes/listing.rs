//! The panes that are one list: the store's triage items (alerts, follow-ups) and the
//! period's signal rows (revenue, cost, decisions). Each says which list it shows and
//! how one row reads; [`Listed`] and [`Signals`] make a [`Pane`] of it, so counting,
//! ids, `key:value` fields and the missing-row cases are written once.

use super::{Meta, Pane, Rows};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::keys::Action;
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use std::borrow::Cow;

/// The columns every triage list has: its mark, tenant, title and owner.
pub(super) const MARK: Col = Col::left("", Constraint::Length(1));
pub(super) const TENANT: Col = Col::left("Tenant", Constraint::Fill(2)).min(10);
pub(super) const OWNER: Col = Col::left("Owner", Constraint::Length(10));

pub(super) const fn title(name: &'static str) -> Col {
    Col::left(name, Constraint::Fill(4)).min(16)
}

/// One triage item: the id the store and the marks know it by, and its exact fields.
pub(super) trait Item {
    fn id(&self) -> &str;
    /// Whether field `key` is `value` (lowercase); None when it has no such field.
    fn field(&self, key: &str, value: &str) -> Option<bool>;
}

/// A pane over one list of triage items.
pub(super) trait Listing: Sync {
    const META: Meta;
    type Item: Item;
    /// Its `i`th item as listed, and how many it lists.
    fn item<'a>(&self, src: Rows<'a>, i: usize) -> Option<&'a Self::Item>;
    fn len(&self, src: Rows) -> usize;
    fn cells(&self, src: Rows, item: &Self::Item) -> Vec<Cell>;
    fn subtitle(&self, state: &AppState) -> String;
    /// Writes the item's details into `d`; returns their title.
    fn details(&self, d: &mut Doc, state: &AppState, item: &Self::Item) -> String;
    fn hints(&self) -> &'static [Action];
    fn hint_word(&self, action: Action) -> Option<&'static str> {
        action.hint()
    }
}

/// The pane of a [`Listing`].
pub(super) struct Listed<L>(pub L);

impl<L: Listing> Pane for Listed<L> {
    fn meta(&self) -> &'static Meta {
        &L::META
    }
    fn is_triage(&self) -> bool {
        true
    }
    fn count(&self, src: Rows) -> usize {
        self.0.len(src)
    }
    fn row_id(&self, src: Rows, row: usize) -> Option<String> {
        Some(self.0.item(src, row)?.id().to_owned())
    }
    fn field(&self, src: Rows, row: usize, key: &str, value: &str) -> Option<bool> {
        let item = self.0.item(src, row)?;
        item.field(key, &value.to_lowercase())
    }
    fn cells(&self, src: Rows, row: usize) -> Vec<Cell> {
        self.0
            .item(src, row)
            .map_or_else(Vec::new, |item| self.0.cells(src, item))
    }
    fn subtitle(&self, state: &AppState) -> String {
        self.0.subtitle(state)
    }
    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String> {
        let item = self.0.item(state.rows(L::META.id), row)?;
        Some(self.0.details(d, state, item))
    }
    fn hints(&self) -> &'static [Action] {
        self.0.hints()
    }
    fn hint_word(&self, action: Action) -> Option<&'static str> {
        self.0.hint_word(action)
    }
}

/// `owner:ana` (any case) or `owner:none`.
pub(super) fn owner_is(owner: Option<&str>, value: &str) -> bool {
    match owner {
        Some(o) => o.to_lowercase() == value,
        None => value == "none",
    }
}

/// The owner line of an item's details, or the key that sets one.
pub(super) fn owner_line(d: &mut Doc, state: &AppState, owner: Option<&str>) {
    d.kv(
        "Owner",
        owner.map_or_else(
            || format!("— ({} sets one)", state.key_name(Action::Owner)),
            str::to_owned,
        ),
    );
}

/// The columns of a trend pane (revenue, cost): tenant and group, the sparkline, this
/// period's count and direction, the money figure, and a count that needs attention.
/// One layout, so the two panes read alike side by side.
pub(super) const fn signal_columns(
    group: &'static str,
    money: &'static str,
    attention: &'static str,
) -> [Col; 7] {
    [
        Col::left("Tenant", Constraint::Fill(2)).min(12),
        Col::left(group, Constraint::Fill(2)).min(12),
        Col::left("12 months", Constraint::Length(12)).drop(2),
        Col::right("Now", Constraint::Length(4)),
        Col::left("Trend", Constraint::Length(9)),
        Col::right(money, Constraint::Length(10)),
        Col::right(attention, Constraint::Length(6)).drop(3),
    ]
}

/// A pane over one list of the period's views.
pub(super) trait SignalList: Sync {
    const META: Meta;
    type Row: Clone;
    /// Its rows: held in the views, or made from them.
    fn rows<'a>(&self, views: &'a Views) -> Cow<'a, [Self::Row]>;
    /// The row's cells; its symbols resolve in `ds`.
    fn cells(&self, ds: &Dataset, views: &Views, row: &Self::Row) -> Vec<Cell>;
    fn subtitle(&self, state: &AppState) -> String {
        super::period_label(state)
    }
    /// Draws what stands above the rows (the `Meta::top` lines before the header).
    fn draw_top(&self, _frame: &mut Frame, _area: Rect, _state: &AppState, _theme: &Theme) {}
    /// Writes the row's details into `d`; returns their title.
    fn details(&self, d: &mut Doc, ds: &Dataset, views: &Views, row: &Self::Row) -> String;
}

/// The pane of a [`SignalList`].
pub(super) struct Signals<L>(pub L);

impl<L: SignalList> Pane for Signals<L> {
    fn meta(&self) -> &'static Meta {
        &L::META
    }
    fn count(&self, src: Rows) -> usize {
        src.data.map_or(0, |d| self.0.rows(&d.views).len())
    }
    fn cells(&self, src: Rows, row: usize) -> Vec<Cell> {
        let Some(data) = src.data else {
            return Vec::new();
        };
        self.0
            .rows(&data.views)
            .get(row)
            .map_or_else(Vec::new, |r| self.0.cells(&data.dataset, &data.views, r))
    }
    fn subtitle(&self, state: &AppState) -> String {
        self.0.subtitle(state)
    }
    fn draw_top(&self, frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
        self.0.draw_top(frame, area, state, theme);
    }
    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String> {
        let data = state.data.as_ref()?;
        let r = self.0.rows(&data.views).get(row)?.clone();
        Some(self.0.details(d, &data.dataset, &data.views, &r))
    }
}
