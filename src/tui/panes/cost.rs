//! Cost opportunities: per tenant and optimization type, the approximate savings of
//! the period and how many need strategic review.

use super::listing::{SignalList, signal_columns};
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::cost::CostRow;
use crate::engine::direction::Direction;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::sparkline;
use std::borrow::Cow;

pub struct Cost;

const COLS: [Col; 7] = signal_columns("Optimization", "Savings", "Review");

impl SignalList for Cost {
    const META: Meta = Meta::new(PaneId::Cost, "Cost opportunities", "Cost", &COLS);
    type Row = CostRow;

    fn rows<'a>(&self, v: &'a Views) -> Cow<'a, [CostRow]> {
        Cow::Borrowed(&v.cost)
    }

    fn cells(&self, ds: &Dataset, _: &Views, r: &CostRow) -> Vec<Cell> {
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
            super::unless_zero(r.reviews_required, |n| n.to_string(), Theme::warn),
        ]
    }

    fn details(&self, d: &mut Doc, ds: &Dataset, v: &Views, r: &CostRow) -> String {
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
        format!("{} · {}", ds.tenant(r.tenant), ds.shown(r.optimization))
    }
}
