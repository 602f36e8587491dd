//! The seed's 90-day strategic activity overview: per tenant, the count of each
//! strategic event in the last 90 days, joined to the tenant's subscription, with an
//! activity level (High > 10 events, Moderate > 5, Low). Like the seed's query, only
//! tenants with an active subscription are listed when a subscriptions table exists;
//! unlike it, levels are ordered High, Moderate, Low rather than alphabetically.

use super::impact::{Impact, RangeCache};
use super::rollup::OverviewRollup;
use crate::domain::{Interner, Subscription, Sym};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityLevel {
    Low,
    Moderate,
    High,
}

impl ActivityLevel {
    /// The seed's wording.
    pub fn label(self) -> &'static str {
        match self {
            ActivityLevel::High => "High Strategic Activity",
            ActivityLevel::Moderate => "Moderate Strategic Activity",
            ActivityLevel::Low => "Low Strategic Activity",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            ActivityLevel::High => "High",
            ActivityLevel::Moderate => "Moderate",
            ActivityLevel::Low => "Low",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityThresholds {
    /// More than this many events in 90 days is High.
    pub high: u32,
    /// More than this many is Moderate.
    pub moderate: u32,
}

impl Default for ActivityThresholds {
    fn default() -> Self {
        ActivityThresholds {
            high: 10,
            moderate: 5,
        }
    }
}

impl ActivityThresholds {
    pub fn level(&self, total: u32) -> ActivityLevel {
        if total > self.high {
            ActivityLevel::High
        } else if total > self.moderate {
            ActivityLevel::Moderate
        } else {
            ActivityLevel::Low
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct OverviewRow {
    pub tenant: Sym,
    pub revenue: u32,
    pub cost: u32,
    pub decisions: u32,
    pub level: ActivityLevel,
    pub plan: Option<Sym>,
    pub status: Option<Sym>,
    pub current_period_start: Option<NaiveDate>,
}

impl OverviewRow {
    pub fn total(&self) -> u32 {
        self.revenue + self.cost + self.decisions
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
    /// Tenants with activity but no active subscription, left out as the seed does.
    pub without_active_subscription: u32,
    /// Those tenants' rows: out of the seed's overview, but a `past_due` tenant with
    /// rising risk is what a review must see first (the needs-attention view).
    pub inactive: Vec<OverviewRow>,
    pub has_subscriptions: bool,
    /// Rows of the subscriptions table not read (a large table over PostHog): a tenant
    /// with no row read is then listed without a plan rather than hidden.
    pub subscriptions_left_out: u32,
    pub events: u32,
    pub revenue_impact: Impact,
    pub savings: Impact,
}

/// Builds the pane from its rollup.
pub fn overview(
    r: &OverviewRollup,
    strings: &Interner,
    thresholds: ActivityThresholds,
    ranges: &mut RangeCache,
) -> Overview {
    let mut out = Overview {
        revenue_impact: Impact::sum_with(ranges, strings, &r.revenue_ranges),
        savings: Impact::sum_with(ranges, strings, &r.cost_ranges),
        has_subscriptions: r.subscriptions.is_some(),
        subscriptions_left_out: r.subscriptions_left_out,
        ..Overview::default()
    };
    let active = strings.get("active");
    let subs: Option<FxHashMap<Sym, &Subscription>> = r.subscriptions.as_ref().map(|subs| {
        // With several rows for one tenant an active one wins, as in the seed's join;
        // among the rest the latest period, so the choice never depends on row order.
        let rank = |s: &Subscription| {
            (
                Some(s.status) == active,
                s.current_period_start,
                strings.resolve(s.plan),
                strings.resolve(s.status),
            )
        };
        let mut m: FxHashMap<Sym, &Subscription> = FxHashMap::default();
        for s in subs {
            let better = m.get(&s.tenant).is_none_or(|old| rank(s) > rank(old));
            if better {
                m.insert(s.tenant, s);
            }
        }
        m
    });
    for &(tenant, [revenue, cost, decisions]) in &r.tenants {
        let sub = subs.as_ref().and_then(|m| m.get(&tenant)).copied();
        let unknown = sub.is_none() && r.subscriptions_left_out > 0;
        let total = revenue + cost + decisions;
        let row = OverviewRow {
            tenant,
            revenue,
            cost,
            decisions,
            level: thresholds.level(total),
            plan: sub.map(|s| s.plan),
            status: sub.map(|s| s.status),
            current_period_start: sub.and_then(|s| s.current_period_start),
        };
        if subs.is_some() && !unknown && sub.is_none_or(|s| Some(s.status) != active) {
            out.without_active_subscription += 1;
            out.inactive.push(row);
            continue;
        }
        out.events += total;
        out.rows.push(row);
    }
    // Both lists in one order whatever the rollup's (a map's, or PostHog's rows').
    let order = |a: &OverviewRow, b: &OverviewRow| {
        b.level
            .cmp(&a.level)
            .then(b.total().cmp(&a.total()))
            .then_with(|| strings.resolve(a.tenant).cmp(strings.resolve(b.tenant)))
    };
    out.rows.sort_by(order);
    out.inactive.sort_by(order);
    out
}
