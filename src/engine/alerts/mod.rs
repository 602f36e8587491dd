//! Alert rules, pure: the eight rules of the monthly and quarterly review cycles. Each rule follows a review cycle of the seed, monthly
//! or quarterly, and yields candidates with a stable identity
//! `rule:tenant[:subject]:period`, a severity from priority and impact, and the
//! evidence (events and figures) that made it fire. The store keeps their triage state
//! across refreshes; a condition that recurs next period has a new identity.

pub mod local;
pub mod rollup;
pub mod rules;

use crate::domain::values::Cadence;
use crate::domain::{Dataset, Priority, Zone};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    DeliverabilityTrend,
    CostOpportunity,
    DecisionReviewDue,
    CustomEvent,
    RevenuePattern,
    CostRoi,
    PlanningInsight,
    VendorTrend,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::DeliverabilityTrend,
        Rule::CostOpportunity,
        Rule::DecisionReviewDue,
        Rule::CustomEvent,
        Rule::RevenuePattern,
        Rule::CostRoi,
        Rule::PlanningInsight,
        Rule::VendorTrend,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::DeliverabilityTrend => "deliverability_trend",
            Rule::CostOpportunity => "cost_opportunity",
            Rule::DecisionReviewDue => "decision_review_due",
            Rule::CustomEvent => "custom_event",
            Rule::RevenuePattern => "revenue_pattern",
            Rule::CostRoi => "cost_roi",
            Rule::PlanningInsight => "planning_insight",
            Rule::VendorTrend => "vendor_trend",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == s)
    }

    pub fn cadence(self) -> Cadence {
        match self {
            Rule::DeliverabilityTrend
            | Rule::CostOpportunity
            | Rule::DecisionReviewDue
            | Rule::CustomEvent => Cadence::Monthly,
            Rule::RevenuePattern | Rule::CostRoi | Rule::PlanningInsight | Rule::VendorTrend => {
                Cadence::Quarterly
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        let s = s.trim().to_ascii_lowercase();
        Severity::ALL.into_iter().find(|v| v.name() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Thresholds and switches of the rules; `[alerts]` in the config.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertConfig {
    /// Events that raise a `custom_event` alert (the rule is off while this is empty).
    pub custom_events: Vec<String>,
    /// An impact or saving (high end, dollars) from which an alert is high severity.
    pub impact_high: f64,
    /// … and critical.
    pub impact_critical: f64,
    /// `revenue_pattern`: signals in at least this many months of the quarter …
    pub revenue_pattern_months: u32,
    /// … or a quarter's impact (high end) above this.
    pub revenue_pattern_impact: f64,
    /// `cost_roi`: estimated quarterly savings (sum of range midpoints) above this.
    pub cost_roi_savings: f64,
    /// `planning_insight`: decisions in the quarter from which a tenant is reported.
    pub planning_min_decisions: u32,
    /// `vendor_trend`: cost signals in the quarter below this never count as rising.
    pub vendor_min_events: u32,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            custom_events: Vec::new(),
            impact_high: 15_000.0,
            impact_critical: 50_000.0,
            revenue_pattern_months: 2,
            revenue_pattern_impact: 25_000.0,
            cost_roi_savings: 10_000.0,
            planning_min_decisions: 3,
            vendor_min_events: 2,
        }
    }
}

impl AlertConfig {
    /// Severity from the most urgent priority seen and the impact's high end.
    pub fn severity(&self, priority: Option<Priority>, impact_high: f64) -> Severity {
        let by_impact = if impact_high >= self.impact_critical {
            Severity::Critical
        } else if impact_high >= self.impact_high {
            Severity::High
        } else if impact_high >= self.impact_high / 3.0 {
            Severity::Medium
        } else {
            Severity::Low
        };
        let by_priority = match priority {
            Some(Priority::Critical) => Severity::Critical,
            Some(Priority::High) => Severity::High,
            Some(Priority::Medium) => Severity::Medium,
            _ => Severity::Low,
        };
        by_impact.max(by_priority)
    }
}

/// An event that made an alert fire, as shown in its details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub date: Option<NaiveDate>,
    pub event: String,
    pub summary: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What was measured, as (name, value) pairs in the order to show them.
    pub figures: Vec<(String, String)>,
    /// The first [`EVIDENCE_EVENTS`] events, newest first.
    pub events: Vec<EvidenceEvent>,
    /// How many events matched in all.
    pub total_events: u32,
}

/// Events kept per alert; the count says how many there were in all.
pub const EVIDENCE_EVENTS: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertCandidate {
    pub id: String,
    pub rule: Rule,
    pub tenant: String,
    pub subject: Option<String>,
    /// `2026-11` or `2026-Q4`.
    pub period: String,
    pub severity: Severity,
    pub title: String,
    pub evidence: Evidence,
}

impl AlertCandidate {
    pub fn identity(rule: Rule, tenant: &str, subject: Option<&str>, period: &str) -> String {
        match subject {
            Some(s) => format!("{rule}:{tenant}:{s}:{period}"),
            None => format!("{rule}:{tenant}:{period}"),
        }
    }
}

/// Every alert the data supports now, for the current and the previous month and
/// quarter, with its evidence events. Sorted by identity.
pub fn evaluate(
    ds: &Dataset,
    today: NaiveDate,
    zone: Zone,
    dead_band: f64,
    cfg: &AlertConfig,
) -> Vec<AlertCandidate> {
    let w = rollup::Windows::new(today, zone);
    evaluate_on(ds, &w, &local::rollup(ds, &w), dead_band, cfg)
}

/// [`evaluate`] over a rollup already made from `ds` for the windows `w`.
pub fn evaluate_on(
    ds: &Dataset,
    w: &rollup::Windows,
    r: &rollup::AlertRollup,
    dead_band: f64,
    cfg: &AlertConfig,
) -> Vec<AlertCandidate> {
    let fired = rules::evaluate(r, &ds.strings, w, dead_band, cfg);
    let keys: Vec<rules::Key> = fired.iter().map(|f| f.key).collect();
    with_evidence(fired, local::evidence(ds, w, &keys))
}

/// The alerts raised, each with its evidence events, in identity order.
pub fn with_evidence(
    fired: Vec<rules::Fired>,
    mut events: rustc_hash::FxHashMap<rules::Key, Vec<EvidenceEvent>>,
) -> Vec<AlertCandidate> {
    let out = fired
        .into_iter()
        .map(|mut f| {
            f.alert.evidence.events = events.remove(&f.key).unwrap_or_default();
            f.alert
        })
        .collect();
    sorted(out)
}

/// One alert per identity, in identity order.
pub fn sorted(mut alerts: Vec<AlertCandidate>) -> Vec<AlertCandidate> {
    alerts.sort_by(|a, b| a.id.cmp(&b.id));
    alerts.dedup_by(|a, b| a.id == b.id);
    alerts
}

#[cfg(test)]
mod tests;
