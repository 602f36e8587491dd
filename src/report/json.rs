//! `bearing report --format json`: what the panes show, as JSON, with the seed's field
//! names where it has them. Strings are the sanitised ones the cockpit shows.

use crate::domain::values::date_of;
use crate::domain::{Dataset, Origin, Period, Sym};
use crate::engine::Views;
use crate::engine::decisions::ReviewStatus;
use crate::engine::direction::Direction;
use crate::engine::health::{Health, TARGET};
use crate::engine::impact::Impact;
use crate::engine::overview::ActivityLevel;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Serialize)]
pub struct Report<'a> {
    pub bearing_version: &'static str,
    pub source: Source<'a>,
    pub generated_at: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
    pub today: NaiveDate,
    pub period: &'a Period,
    pub previous_period: &'a Period,
    pub overview: Overview<'a>,
    pub revenue_trends: Vec<Trend<'a>>,
    pub cost_opportunities: Vec<CostOpportunity<'a>>,
    pub decision_log: DecisionLog<'a>,
    pub data_health: DataHealth<'a>,
}

#[derive(Serialize)]
pub struct Source<'a> {
    #[serde(flatten)]
    pub origin: Origin,
    pub label: String,
    /// What reading the source line by line came to (demo, file); absent for PostHog,
    /// which aggregates in place and hands bearing no lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<&'a crate::domain::IngestStats>,
}

#[derive(Serialize)]
pub struct ImpactJson {
    pub low: f64,
    pub high: f64,
    pub ranges_summed: u32,
    pub ranges_unquantified: u32,
    pub label: String,
}

fn impact(i: &Impact, noun: &str) -> ImpactJson {
    ImpactJson {
        low: i.low,
        high: i.high,
        ranges_summed: i.known,
        ranges_unquantified: i.unknown,
        label: i.phrase(noun),
    }
}

#[derive(Serialize)]
pub struct Overview<'a> {
    pub window: &'static str,
    pub has_subscriptions: bool,
    pub without_active_subscription: u32,
    pub events: u32,
    pub revenue_impact: ImpactJson,
    pub savings: ImpactJson,
    pub tenants: Vec<OverviewTenant<'a>>,
}

#[derive(Serialize)]
pub struct OverviewTenant<'a> {
    pub tenant_id: Option<&'a str>,
    pub revenue_trends_identified: u32,
    pub cost_optimization_trends: u32,
    pub strategic_decisions_tracked: u32,
    pub strategic_activity_level: &'static str,
    pub level: ActivityLevel,
    pub plan_name: Option<&'a str>,
    pub status: Option<&'a str>,
    pub current_period_start: Option<NaiveDate>,
}

#[derive(Serialize)]
pub struct Month {
    pub month: String,
    pub count: u32,
}

#[derive(Serialize)]
pub struct Named<'a> {
    pub name: &'a str,
    pub count: u32,
}

#[derive(Serialize)]
pub struct Trend<'a> {
    pub tenant_id: Option<&'a str>,
    pub trend_category: Option<&'a str>,
    pub monthly: Vec<Month>,
    pub current: u32,
    pub previous: u32,
    pub direction: Direction,
    pub approximate_impact: ImpactJson,
    pub high_priority: u32,
    pub follow_ups_requested: u32,
    pub signals: Vec<Named<'a>>,
}

#[derive(Serialize)]
pub struct CostOpportunity<'a> {
    pub tenant_id: Option<&'a str>,
    pub optimization_type: Option<&'a str>,
    pub monthly: Vec<Month>,
    pub optimization_opportunities_identified: u32,
    pub previous: u32,
    pub direction: Direction,
    pub approximate_savings: ImpactJson,
    pub avg_savings_estimate: Option<f64>,
    pub reviews_required: u32,
    pub vendors: Vec<Named<'a>>,
    pub feasibility: Vec<Named<'a>>,
}

#[derive(Serialize)]
pub struct DecisionLog<'a> {
    pub total: usize,
    pub in_period: u32,
    pub due_this_month: u32,
    pub rows_shown: usize,
    pub rows: Vec<Decision<'a>>,
}

#[derive(Serialize)]
pub struct Decision<'a> {
    pub date: Option<NaiveDate>,
    pub tenant_id: Option<&'a str>,
    pub decision_category: Option<&'a str>,
    pub decision_maker_level: Option<&'a str>,
    pub expected_outcome_range: Option<&'a str>,
    pub review_timeframe: Option<&'a str>,
    pub outcome_follow_up: Option<&'a str>,
    pub next_review: Option<NaiveDate>,
    pub review_status: ReviewStatus,
}

#[derive(Serialize)]
pub struct DataHealth<'a> {
    pub target: f64,
    pub overall_rate: Option<f64>,
    #[serde(flatten)]
    pub health: &'a Health,
}

fn named<'a>(ds: &'a Dataset, list: &[(Sym, u32)]) -> Vec<Named<'a>> {
    list.iter()
        .map(|(s, n)| Named {
            name: ds.resolve(*s),
            count: *n,
        })
        .collect()
}

fn months(v: &Views, monthly: &[u32]) -> Vec<Month> {
    v.months
        .iter()
        .zip(monthly)
        .map(|(m, n)| Month {
            month: m.format("%Y-%m").to_string(),
            count: *n,
        })
        .collect()
}

/// Builds the report; `decision_rows` caps the decision log (newest first).
pub fn build<'a>(
    ds: &'a Dataset,
    v: &'a Views,
    as_of: DateTime<Utc>,
    decision_rows: usize,
) -> Report<'a> {
    let s = |sym: Sym| ds.resolve(sym);
    // Missing properties are null, as in PostHog, not empty strings.
    let o = |sym: Sym| (!sym.is_empty()).then(|| ds.resolve(sym));
    Report {
        bearing_version: env!("CARGO_PKG_VERSION"),
        source: Source {
            origin: ds.origin.clone(),
            label: ds.origin.label(),
            read: v.health.from_lines.then_some(&v.health.ingest),
        },
        generated_at: Utc::now(),
        as_of,
        today: v.today,
        period: &v.period,
        previous_period: &v.previous,
        overview: Overview {
            window: "last 90 days",
            has_subscriptions: v.overview.has_subscriptions,
            without_active_subscription: v.overview.without_active_subscription,
            events: v.overview.events,
            revenue_impact: impact(&v.overview.revenue_impact, "potential impact"),
            savings: impact(&v.overview.savings, "estimated savings"),
            tenants: v
                .overview
                .rows
                .iter()
                .map(|r| OverviewTenant {
                    tenant_id: o(r.tenant),
                    revenue_trends_identified: r.revenue,
                    cost_optimization_trends: r.cost,
                    strategic_decisions_tracked: r.decisions,
                    strategic_activity_level: r.level.label(),
                    level: r.level,
                    plan_name: r.plan.map(s),
                    status: r.status.map(s),
                    current_period_start: r.current_period_start,
                })
                .collect(),
        },
        revenue_trends: v
            .revenue
            .iter()
            .map(|r| Trend {
                tenant_id: o(r.tenant),
                trend_category: o(r.category),
                monthly: months(v, &r.series.monthly),
                current: r.series.current,
                previous: r.series.previous,
                direction: r.direction,
                approximate_impact: impact(&r.impact, "potential impact"),
                high_priority: r.urgent,
                follow_ups_requested: r.follow_ups,
                signals: named(ds, &r.signals),
            })
            .collect(),
        cost_opportunities: v
            .cost
            .iter()
            .map(|r| CostOpportunity {
                tenant_id: o(r.tenant),
                optimization_type: o(r.optimization),
                monthly: months(v, &r.series.monthly),
                optimization_opportunities_identified: r.series.current,
                previous: r.series.previous,
                direction: r.direction,
                approximate_savings: impact(&r.savings, "estimated savings"),
                avg_savings_estimate: r.savings.average(),
                reviews_required: r.reviews_required,
                vendors: named(ds, &r.vendors),
                feasibility: named(ds, &r.feasibility),
            })
            .collect(),
        decision_log: DecisionLog {
            total: v.decisions.total as usize,
            in_period: v.decisions.in_period,
            due_this_month: v.decisions.due_this_month,
            rows_shown: v.decisions.rows.len().min(decision_rows),
            rows: v
                .decisions
                .rows
                .iter()
                .take(decision_rows)
                .map(|r| Decision {
                    date: date_of(r.entry.at),
                    tenant_id: o(r.entry.tenant),
                    decision_category: o(r.entry.category),
                    decision_maker_level: o(r.entry.maker_level),
                    expected_outcome_range: o(r.entry.outcome),
                    review_timeframe: o(r.entry.timeframe),
                    outcome_follow_up: o(r.entry.follow_up),
                    next_review: r.next_review,
                    review_status: r.status,
                })
                .collect(),
        },
        data_health: DataHealth {
            target: TARGET,
            overall_rate: v.health.overall_rate(),
            health: &v.health,
        },
    }
}
