//! The engine: pure functions from a dataset to what each pane shows. No IO, no clock:
//! "today" is a parameter, so every result is reproducible.

pub mod alerts;
pub mod cost;
pub mod decisions;
pub mod direction;
pub mod followups;
pub mod health;
pub mod impact;
pub mod overview;
pub mod series;
pub mod summaries;
pub mod trends;

use crate::domain::{Dataset, Period, PeriodSpec};
use chrono::NaiveDate;
use cost::CostRow;
use decisions::DecisionLog;
use health::Health;
use overview::{ActivityThresholds, Overview};
use series::{MonthAxis, Window};
use trends::TrendRow;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EngineParams {
    pub today: NaiveDate,
    pub period: PeriodSpec,
    /// Relative change inside which a direction is flat (0.1 = ±10%).
    pub dead_band: f64,
    pub activity: ActivityThresholds,
}

impl EngineParams {
    pub fn new(today: NaiveDate) -> EngineParams {
        EngineParams {
            today,
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
    pub period: Period,
    pub previous: Period,
    pub months: Vec<NaiveDate>,
    pub overview: Overview,
    pub revenue: Vec<TrendRow>,
    pub cost: Vec<CostRow>,
    pub decisions: DecisionLog,
    pub health: Health,
}

pub fn compute(ds: &Dataset, params: &EngineParams) -> Views {
    let period = params.period.resolve(params.today);
    let window = Window::new(&period);
    let axis = MonthAxis::new(params.today);
    Views {
        today: params.today,
        previous: period.previous(),
        overview: overview::overview(ds, params.today, params.activity),
        revenue: trends::revenue_trends(ds, &axis, &window, params.dead_band),
        cost: cost::cost_opportunities(ds, &axis, &window, params.dead_band),
        decisions: decisions::decision_log(ds, params.today, &window),
        health: health::health(ds),
        months: axis.starts,
        period,
    }
}

#[cfg(test)]
mod tests;
