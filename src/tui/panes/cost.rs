//! Cost opportunities: per tenant and optimization type, the approximate savings of
//! the period and how many need strategic review.

use super::{Meta, Pane, PaneId, Rows};
use crate::config::theme::Theme;
use crate::engine::direction::Direction;
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::sparkline;
use ratatui::layout::Constraint;

pub struct Cost;

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Optimization", Constraint::Fill(2)).min(12),
    Col::left("12 months", Constraint::Length(12)).drop(2),
    Col::right("Now", Constraint::Length(4)),
    Col::left("Trend", Constraint::Length(9)),
    Col::right("Savings", Constraint::Length(10)),
    Col::right("Review", Constraint::Length(6)).drop(3),
];

const META: Meta = Meta {
    id: PaneId::Cost,
    title: "Cost opportunities",
    short: "Cost",
    columns: &COLS,
};

impl Pane for Cost {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn count(&self, src: Rows) -> usize {
        src.data.map_or(0, |d| d.views.cost.len())
    }

    fn cells(&self, src: Rows, row: usize) -> Vec<Cell> {
        let Some((ds, r)) = super::data_row(src, |v| &v.cost, row) else {
            return Vec::new();
        };
        // More opportunities is neither good nor bad news; only colour-code reviews.
        let trend_style = if r.direction == Direction::Flat {
            Theme::muted
        } else {
            Theme::accent
        };
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::new(ds.shown(r.optimization)),
            Cell::glyph(sparkline(&r.series.monthly), Theme::spark),
            Cell::new(r.series.current.to_string()),
            Cell::styled(r.direction.label(), trend_style),
            Cell::styled(r.savings.range(), Theme::good),
            if r.reviews_required > 0 {
                Cell::styled(r.reviews_required.to_string(), Theme::warn)
            } else {
                Cell::glyph("·", Theme::muted)
            },
        ]
    }

    fn subtitle(&self, state: &AppState) -> String {
        super::period_label(state)
    }

    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String> {
        let data = state.data.as_ref()?;
        let (ds, v) = (&*data.dataset, &*data.views);
        let r = v.cost.get(row)?;
        super::comparison(d, v, "Opportunities", &r.series, r.direction);
        d.kv("Approximate savings", r.savings.phrase("estimated savings"));
        d.kv(
            "Average estimate",
            r.savings.average().map_or("—".to_owned(), |a| {
                format!(
                    "${} (midpoint of the ranges)",
                    crate::domain::range::short_number(a)
                )
            }),
        );
        d.kv(
            "Strategic review",
            format!("{} require it", r.reviews_required),
        );
        d.counted("Vendor contexts", ds, &r.vendors);
        d.counted("Implementation feasibility", ds, &r.feasibility);
        d.months(v, &r.series.monthly);
        Some(format!(
            "{} · {}",
            ds.tenant(r.tenant),
            ds.shown(r.optimization)
        ))
    }
}
