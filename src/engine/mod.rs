//! The engine: pure functions from a dataset to what each pane shows. No IO, no clock:
//! "today" is a parameter, so every result is reproducible.

pub mod alerts;
pub mod cost;
pub mod decisions;
pub mod direction;
pub mod followups;
pub mod health;
pub mod impact;
pub mod local;
pub mod overview;
pub mod rollup;
pub mod scan;
pub mod series;
pub mod summaries;
pub mod trends;

use crate::domain::{Dataset, Interner, Period, PeriodSpec, Zone};
use chrono::NaiveDate;
use cost::CostRow;
use decisions::DecisionLog;
use health::Health;
use overview::{ActivityThresholds, Overview};
use rollup::Rollups;
use series::MonthAxis;
use trends::TrendRow;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EngineParams {
    /// Today in `zone`.
    pub today: NaiveDate,
    /// The zone every day, month and quarter is cut in.
    pub zone: Zone,
    pub period: PeriodSpec,
    /// Relative change inside which a direction is flat (0.1 = ±10%).
    pub dead_band: f64,
    pub activity: ActivityThresholds,
}

impl EngineParams {
    pub fn new(today: NaiveDate) -> EngineParams {
        EngineParams {
            today,
            zone: Zone::UTC,
            period: PeriodSpec::Trailing(90),
            dead_band: 0.10,
            activity: ActivityThresholds::default(),
        }
    }
}

/// Everything the panes show, computed in one go.
#[derive(Clone, Debug)]
pub struct Views {
    pub today: NaiveDate,
    pub zone: Zone,
    pub period: Period,
    pub previous: Period,
    pub months: Vec<NaiveDate>,
    pub overview: Overview,
    pub revenue: Vec<TrendRow>,
    pub cost: Vec<CostRow>,
    pub decisions: DecisionLog,
    pub health: Health,
}

/// Every pane from a dataset in memory, by the local executor.
pub fn compute(ds: &Dataset, params: &EngineParams) -> Views {
    let r = local::rollups(ds, params);
    build(&r, &ds.strings, params)
}

/// Every pane from rollups, whichever executor produced them.
pub fn build(r: &Rollups, strings: &Interner, params: &EngineParams) -> Views {
    let period = params.period.resolve(params.today, params.zone);
    let axis = MonthAxis::new(params.today, params.zone);
    let mut ranges = impact::RangeCache::default();
    Views {
        today: params.today,
        zone: params.zone,
        previous: period.previous(),
        overview: overview::overview(&r.overview, strings, params.activity, &mut ranges),
        revenue: trends::revenue_trends(&r.revenue, strings, params.dead_band, &mut ranges),
        cost: cost::cost_opportunities(&r.cost, strings, params.dead_band, &mut ranges),
        decisions: decisions::decision_log(&r.decisions, strings, params.today, params.zone),
        health: health::Health {
            since: Some(scan::Since::health_day(params)),
            ..health::health(
                &r.health,
                r.health.ingest.as_ref(),
                r.overview
                    .subscriptions
                    .as_ref()
                    .map(|s| s.len() + r.overview.subscriptions_left_out as usize),
            )
        },
        months: axis.starts,
        period,
    }
}

#[cfg(test)]
mod tests;
