//! The seed's `StrategicExecutiveIntelligence`: for one tenant and timeframe, a revenue
//! protection summary, a cost optimization summary and a strategic planning summary,
//! each with risk indicators, an approximate impact, rule-based recommendations and
//! whether a process follow-up is required. Built from the pane rollups, so the same
//! summaries come out whichever executor produced them.

use super::Views;
use super::direction::Direction;
use super::impact::Impact;
use crate::domain::{Dataset, Sym};
use serde::Serialize;

/// Impacts above this (the high end, in dollars) are called out in the recommendations.
const NOTABLE_IMPACT: f64 = 15_000.0;
const NOTABLE_SAVINGS: f64 = 5_000.0;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueProtectionSummary {
    pub directional_risk_indicators: Vec<String>,
    pub approximate_impact: String,
    pub strategic_recommendations: Vec<String>,
    pub process_follow_up_required: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostOptimizationSummary {
    pub optimization_opportunities: Vec<String>,
    pub approximate_savings: String,
    pub strategic_recommendations: Vec<String>,
    pub process_follow_up_required: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategicPlanningSummary {
    pub decisions_tracked: u32,
    pub decision_patterns: Vec<String>,
    pub strategic_recommendations: Vec<String>,
    pub process_follow_up_required: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutiveSummary {
    pub tenant_id: String,
    pub timeframe: String,
    pub revenue_protection: RevenueProtectionSummary,
    pub cost_optimization: CostOptimizationSummary,
    pub strategic_planning: StrategicPlanningSummary,
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn revenue_protection(ds: &Dataset, views: &Views, tenant: Sym) -> RevenueProtectionSummary {
    let rows: Vec<_> = views
        .revenue
        .iter()
        .filter(|r| r.tenant == tenant)
        .collect();
    let mut impact = Impact::default();
    let mut indicators = Vec::new();
    let mut recs = Vec::new();
    let (mut urgent, mut follow_ups) = (0, 0);
    for r in &rows {
        impact.merge(&r.impact);
        urgent += r.urgent;
        follow_ups += r.follow_ups;
        let category = ds.resolve(r.category);
        for (signal, n) in r.signals.iter().take(3) {
            indicators.push(format!("{} ×{n} ({category})", ds.resolve(*signal)));
        }
        if r.direction == Direction::Rising {
            recs.push(format!(
                "Investigate rising {category} signals ({} → {}) before the next monthly review.",
                r.series.previous, r.series.current
            ));
        }
    }
    if urgent > 0 {
        recs.insert(
            0,
            format!(
                "Escalate {} to the monthly process review.",
                plural(urgent, "high-priority signal", "high-priority signals")
            ),
        );
    }
    if impact.high >= NOTABLE_IMPACT {
        recs.push(format!(
            "Quantify the exposure: up to {} potential impact this period.",
            impact.range()
        ));
    }
    if follow_ups > 0 {
        recs.push(format!(
            "Assign owners: {} ask for a process review.",
            plural(follow_ups, "signal", "signals")
        ));
    }
    if recs.is_empty() {
        recs.push("No action needed: revenue-protection signals are flat or falling.".to_owned());
    }
    RevenueProtectionSummary {
        directional_risk_indicators: indicators,
        approximate_impact: impact.phrase("potential impact"),
        strategic_recommendations: recs,
        process_follow_up_required: urgent > 0 || follow_ups > 0,
    }
}

pub fn cost_optimization(ds: &Dataset, views: &Views, tenant: Sym) -> CostOptimizationSummary {
    let mut savings = Impact::default();
    let mut opportunities = Vec::new();
    let mut recs = Vec::new();
    let mut reviews = 0;
    for r in views
        .cost
        .iter()
        .filter(|r| r.tenant == tenant && r.series.current > 0)
    {
        savings.merge(&r.savings);
        reviews += r.reviews_required;
        let kind = ds.resolve(r.optimization);
        opportunities.push(format!(
            "{kind}: {} ({} estimated savings)",
            r.series.current,
            r.savings.range()
        ));
        if r.savings.high >= NOTABLE_SAVINGS {
            recs.push(format!(
                "Prioritise {kind}: {} estimated savings.",
                r.savings.range()
            ));
        }
        if let Some((vendor, _)) = r.vendors.first() {
            let vendor = ds.resolve(*vendor);
            if vendor.contains("contract")
                || vendor.contains("renewal")
                || vendor.contains("overage")
            {
                recs.push(format!(
                    "Review vendor terms ({vendor}) before the next renewal."
                ));
            }
        }
    }
    if reviews > 0 {
        recs.insert(
            0,
            format!(
                "Bring {} to the quarterly executive review.",
                plural(
                    reviews,
                    "opportunity that requires strategic review",
                    "opportunities that require strategic review"
                )
            ),
        );
    }
    recs.dedup();
    if recs.is_empty() {
        recs.push("No action needed: no cost opportunity awaits review.".to_owned());
    }
    CostOptimizationSummary {
        optimization_opportunities: opportunities,
        approximate_savings: savings.phrase("estimated savings"),
        strategic_recommendations: recs,
        process_follow_up_required: reviews > 0,
    }
}

pub fn strategic_planning(ds: &Dataset, views: &Views, tenant: Sym) -> StrategicPlanningSummary {
    let empty = super::rollup::TenantDecisions::default();
    let t = views.decisions.tenant(tenant).unwrap_or(&empty);
    let (in_period, due) = (t.in_period, t.due_this_month);
    let ranked = super::series::ranked(&ds.strings, &t.categories);
    let mut patterns: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|(c, n)| format!("{} ×{n}", ds.resolve(*c)))
        .collect();
    // The count above is every decision: say what the three categories leave out,
    // so the bullets add up to it.
    if ranked.len() > 3 {
        let rest: u32 = ranked[3..].iter().map(|(_, n)| *n).sum();
        patterns.push(format!(
            "{} in {} other categories",
            plural(rest, "decision", "decisions"),
            ranked.len() - 3
        ));
    }
    if let Some((level, n)) = super::series::ranked(&ds.strings, &t.levels).first() {
        patterns.push(format!(
            "most decided at {} level ({n})",
            ds.resolve(*level)
        ));
    }
    let mut recs = Vec::new();
    if due > 0 {
        recs.push(format!(
            "Schedule outcome reviews for {} due this month.",
            plural(due, "decision", "decisions")
        ));
    }
    if in_period == 0 {
        recs.push(
            "No decisions tracked this period: confirm decision tracking is in place.".to_owned(),
        );
    }
    if recs.is_empty() {
        recs.push("No action needed: no decision review is due this month.".to_owned());
    }
    StrategicPlanningSummary {
        decisions_tracked: in_period,
        decision_patterns: patterns,
        strategic_recommendations: recs,
        process_follow_up_required: due > 0,
    }
}

pub fn executive_summary(ds: &Dataset, views: &Views, tenant: Sym) -> ExecutiveSummary {
    ExecutiveSummary {
        tenant_id: ds.tenant(tenant).to_owned(),
        timeframe: views.period.label.clone(),
        revenue_protection: revenue_protection(ds, views, tenant),
        cost_optimization: cost_optimization(ds, views, tenant),
        strategic_planning: strategic_planning(ds, views, tenant),
    }
}
