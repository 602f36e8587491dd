//! Cost opportunities: per tenant and optimization type, the approximate savings of
//! the period, how many need strategic review, and which vendors they concern. With
//! the period set to the current quarter this is the seed's quarterly cost query,
//! with parsed ranges in place of its `LIKE '%500%'` guesses.

use super::direction::Direction;
use super::impact::{Impact, RangeCache};
use super::series::{MonthAxis, Series, Window, ranked};
use crate::domain::{Dataset, Details, Sym};
use rustc_hash::FxHashMap;

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

#[derive(Default)]
struct Acc {
    series: Series,
    savings: Impact,
    reviews: u32,
    vendors: FxHashMap<Sym, u32>,
    feasibility: FxHashMap<Sym, u32>,
}

pub fn cost_opportunities(
    ds: &Dataset,
    axis: &MonthAxis,
    window: &Window,
    dead_band: f64,
) -> Vec<CostRow> {
    let mut cache = RangeCache::default();
    let mut groups: FxHashMap<(Sym, Sym), Acc> = FxHashMap::default();
    for e in &ds.events {
        let Details::Cost(c) = &e.details else {
            continue;
        };
        if e.at == i64::MIN {
            continue;
        }
        let acc = groups.entry((e.tenant, c.optimization)).or_default();
        if !acc.series.count(e.at, axis, window) {
            continue;
        }
        acc.savings.add(cache.get(&ds.strings, c.savings));
        if c.review_required == Some(true) {
            acc.reviews += 1;
        }
        if !c.vendor.is_empty() {
            *acc.vendors.entry(c.vendor).or_default() += 1;
        }
        if !c.feasibility.is_empty() {
            *acc.feasibility.entry(c.feasibility).or_default() += 1;
        }
    }
    let mut rows: Vec<CostRow> = groups
        .into_iter()
        .filter(|(_, a)| a.series.is_visible())
        .map(|((tenant, optimization), a)| CostRow {
            tenant,
            optimization,
            direction: a.series.direction(dead_band),
            series: a.series,
            savings: a.savings,
            reviews_required: a.reviews,
            vendors: ranked(&a.vendors),
            feasibility: ranked(&a.feasibility),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.savings
            .high
            .total_cmp(&a.savings.high)
            .then(b.series.current.cmp(&a.series.current))
            .then_with(|| ds.resolve(a.tenant).cmp(ds.resolve(b.tenant)))
            .then_with(|| ds.resolve(a.optimization).cmp(ds.resolve(b.optimization)))
    });
    rows
}
