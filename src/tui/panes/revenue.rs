//! Revenue trends: per tenant and trend category, a 12-month sparkline, the signals in
//! the period with their direction, and the approximate impact.

use super::listing::{SignalList, signal_columns};
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::direction::Direction;
use crate::engine::trends::TrendRow;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::sparkline;
use ratatui::style::Style;
use std::borrow::Cow;

pub struct Revenue;

const COLS: [Col; 7] = signal_columns("Category", "Impact", "Urgent");

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
            super::unless_zero(r.urgent, |n| format!("{n} !"), Theme::bad),
        ]
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
