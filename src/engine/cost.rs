//! Cost opportunities: per tenant and optimization type, the approximate savings of
//! the period, how many need strategic review, and which vendors they concern. With
//! the period set to the current quarter this is the seed's quarterly cost query,
//! with parsed ranges in place of its `LIKE '%500%'` guesses.

use super::direction::Direction;
use super::impact::{Impact, RangeCache};
use super::rollup::GroupsRollup;
use super::series::{Series, ranked};
use crate::domain::{Interner, Sym};

#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub tenant: Sym,
    pub optimization: Sym,
    pub series: Series,
    pub direction: Direction,
    pub savings: Impact,
    pub reviews_required: u32,
    pub vendors: Vec<(Sym, u32)>,
    pub feasibility: Vec<(Sym, u32)>,
}

/// Builds the pane from its rollup.
pub fn cost_opportunities(
    r: &GroupsRollup,
    strings: &Interner,
    dead_band: f64,
    ranges: &mut RangeCache,
) -> Vec<CostRow> {
    let mut rows: Vec<CostRow> = r
        .groups
        .iter()
        .filter(|g| g.series.is_visible())
        .map(|g| CostRow {
            tenant: g.tenant,
            optimization: g.group,
            direction: g.series.direction(dead_band),
            series: g.series.clone(),
            savings: Impact::sum_with(ranges, strings, &g.ranges),
            reviews_required: g
                .flags
                .iter()
                .filter(|(f, _)| *f == Some(true))
                .map(|(_, n)| n)
                .sum(),
            vendors: ranked(strings, &g.labels),
            feasibility: ranked(strings, &g.labels2),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.savings
            .high
            .total_cmp(&a.savings.high)
            .then(b.series.current.cmp(&a.series.current))
            .then_with(|| strings.resolve(a.tenant).cmp(strings.resolve(b.tenant)))
            .then_with(|| {
                strings
                    .resolve(a.optimization)
                    .cmp(strings.resolve(b.optimization))
            })
    });
    rows
}
