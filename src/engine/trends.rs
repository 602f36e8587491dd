//! Revenue trends: per tenant and trend category, the 12-month sparkline, the
//! direction against the previous period, the approximate impact and what the signals
//! ask for.

use super::direction::Direction;
use super::impact::{Impact, RangeCache};
use super::rollup::GroupsRollup;
use super::series::{Series, ranked};
use crate::domain::{Interner, Priority, Sym};

/// The `follow_up_action` values that ask for a process task (a follow-up, due at the
/// next review).
pub const FOLLOW_UP_ACTIONS: [&str; 2] = ["process_review_required", "strategic_review_required"];

#[derive(Clone, Debug, PartialEq)]
pub struct TrendRow {
    pub tenant: Sym,
    pub category: Sym,
    pub series: Series,
    pub direction: Direction,
    /// Over the selected period.
    pub impact: Impact,
    /// High or critical signals in the period.
    pub urgent: u32,
    /// Signals in the period whose follow-up action asks for a review.
    pub follow_ups: u32,
    /// Directional signals in the period, most frequent first.
    pub signals: Vec<(Sym, u32)>,
    pub highest_priority: Option<Priority>,
    pub last_seen: i64,
}

/// Builds the pane from its rollup.
pub fn revenue_trends(
    r: &GroupsRollup,
    strings: &Interner,
    dead_band: f64,
    ranges: &mut RangeCache,
) -> Vec<TrendRow> {
    let mut rows: Vec<TrendRow> = r
        .groups
        .iter()
        .filter(|g| g.series.is_visible())
        .map(|g| {
            let count_of = |want: &dyn Fn(Option<Priority>) -> bool| {
                g.priorities
                    .iter()
                    .filter(|(p, _)| want(*p))
                    .map(|(_, n)| n)
                    .sum::<u32>()
            };
            TrendRow {
                tenant: g.tenant,
                category: g.group,
                direction: g.series.direction(dead_band),
                series: g.series.clone(),
                impact: Impact::sum_with(ranges, strings, &g.ranges),
                urgent: count_of(&|p| p.is_some_and(Priority::is_urgent)),
                follow_ups: g
                    .labels2
                    .iter()
                    .filter(|(s, _)| FOLLOW_UP_ACTIONS.contains(&strings.resolve(*s)))
                    .map(|(_, n)| n)
                    .sum(),
                signals: ranked(strings, &g.labels),
                highest_priority: g.priorities.iter().filter_map(|(p, _)| *p).max(),
                last_seen: g.last_seen,
            }
        })
        .collect();
    // Biggest exposure first; names break ties so the order is stable.
    rows.sort_by(|a, b| {
        b.impact
            .high
            .total_cmp(&a.impact.high)
            .then(b.series.current.cmp(&a.series.current))
            .then_with(|| strings.resolve(a.tenant).cmp(strings.resolve(b.tenant)))
            .then_with(|| strings.resolve(a.category).cmp(strings.resolve(b.category)))
    });
    rows
}
