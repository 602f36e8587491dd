//! Revenue trends: per tenant and trend category, a 12-month sparkline, the signals in
//! the period with their direction, and the approximate impact.

use super::listing::SignalList;
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::direction::Direction;
use crate::engine::trends::TrendRow;
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::sparkline;
use ratatui::layout::Constraint;
use ratatui::style::Style;
use std::borrow::Cow;

pub struct Revenue;

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Category", Constraint::Fill(2)).min(12),
    Col::left("12 months", Constraint::Length(12)).drop(2),
    Col::right("Now", Constraint::Length(4)),
    Col::left("Trend", Constraint::Length(9)),
    Col::right("Impact", Constraint::Length(10)),
    Col::right("Urgent", Constraint::Length(6)).drop(3),
];

/// For risk signals, rising is bad news.
pub fn risk_style(d: Direction) -> fn(&Theme) -> Style {
    match d {
        Direction::Rising => Theme::bad,
        Direction::Falling => Theme::good,
        Direction::Flat => Theme::muted,
    }
}

impl SignalList for Revenue {
    const META: Meta = Meta::new(PaneId::Revenue, "Revenue trends", "Revenue", &COLS);
    type Row = TrendRow;

    fn rows<'a>(&self, v: &'a Views) -> Cow<'a, [TrendRow]> {
        Cow::Borrowed(&v.revenue)
    }

    fn cells(&self, ds: &Dataset, _: &Views, r: &TrendRow) -> Vec<Cell> {
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::new(ds.shown(r.category)),
            Cell::glyph(sparkline(&r.series.monthly), Theme::spark),
            Cell::new(r.series.current.to_string()),
            Cell::styled(r.direction.label(), risk_style(r.direction)),
            Cell::new(r.impact.range()),
            if r.urgent > 0 {
                Cell::styled(format!("{} !", r.urgent), Theme::bad)
            } else {
                Cell::glyph("·", Theme::muted)
            },
        ]
    }

    fn subtitle(&self, state: &AppState) -> String {
        super::period_label(state)
    }

    fn details(&self, d: &mut Doc, ds: &Dataset, v: &Views, r: &TrendRow) -> String {
        super::comparison(d, v, "Signals", &r.series, r.direction);
        d.kv("Approximate impact", r.impact.phrase("potential impact"));
        d.kv("High or critical", r.urgent.to_string());
        d.kv(
            "Highest priority",
            r.highest_priority.map_or("—", |p| p.name()),
        );
        d.kv("Asking for review", r.follow_ups.to_string());
        d.kv(
            "Last seen",
            v.zone
                .date_of(r.last_seen)
                .map_or("—".to_owned(), |x| x.to_string()),
        );
        d.counted("Directional signals in the period", ds, &r.signals);
        d.months(v, &r.series.monthly);
        format!("{} · {}", ds.tenant(r.tenant), ds.shown(r.category))
    }
}
