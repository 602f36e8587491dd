//! The logical queries behind the panes, one per pane, as plain data. Each has two
//! executors: [`super::local`] computes it from a dataset (demo, file, snapshot) and
//! `crate::posthog::queries` asks PostHog for it in HogQL. The panes are built from
//! these rollups alone, so both executors must agree on them and tests hold them to it.
//!
//! Values that bearing parses (ranges, priorities, booleans, review timeframes,
//! tracking dates) travel as the strings the tracker sent and are read by bearing's own
//! tolerant parsers on this side; counts that only need grouping are done by the
//! executor. What a rollup holds grows with tenants and distinct values, never with
//! the number of events.

use super::series::Series;
use crate::domain::{Priority, Subscription, Sym};
use chrono::NaiveDate;

/// Counts of distinct values, in no particular order (the builders sort).
pub type Counts<K> = Vec<(K, u32)>;

/// Adds `n` to a value's count, keeping one entry per value (executors that see the
/// same value under two spellings, e.g. before and after unescaping, merge here).
pub fn bump<K: PartialEq>(counts: &mut Counts<K>, key: K, n: u32) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => *c += n,
        None => counts.push((key, n)),
    }
}

/// The overview pane: per tenant, the three events in the last 90 days, the money
/// ranges of those 90 days, and the subscriptions table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverviewRollup {
    /// Tenant → [revenue, cost, decisions] in the last 90 days.
    pub tenants: Counts3,
    pub revenue_ranges: Counts<Sym>,
    pub cost_ranges: Counts<Sym>,
    pub subscriptions: Option<Vec<Subscription>>,
    /// Rows of a large subscriptions table PostHog's answer left out.
    pub subscriptions_left_out: u32,
}

pub type Counts3 = Vec<(Sym, [u32; 3])>;

/// A (tenant, group) of revenue trends or cost opportunities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupRow {
    pub tenant: Sym,
    /// `trend_category` or `optimization_type`.
    pub group: Sym,
    pub series: Series,
    /// The group's latest event, Unix seconds.
    pub last_seen: i64,
    /// The rest count only events of the selected period.
    /// `approximate_impact_range` or `approximate_savings_range`.
    pub ranges: Counts<Sym>,
    /// `directional_signal` or `esp_vendor_context`.
    pub labels: Counts<Sym>,
    /// `follow_up_action` or `implementation_feasibility`.
    pub labels2: Counts<Sym>,
    /// `strategic_priority`, parsed (revenue only).
    pub priorities: Counts<Option<Priority>>,
    /// `strategic_review_required`, parsed (cost only).
    pub flags: Counts<Option<bool>>,
}

/// The revenue trends or cost opportunities pane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupsRollup {
    pub groups: Vec<GroupRow>,
}

/// One strategic decision, as the decision log lists it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionEntry {
    pub at: i64,
    pub uuid: [u8; 16],
    pub tenant: Sym,
    pub category: Sym,
    pub maker_level: Sym,
    pub justification: Sym,
    pub outcome: Sym,
    pub timeframe: Sym,
    pub follow_up: Sym,
    /// `tracking_date`, when readable.
    pub tracked: Option<NaiveDate>,
}

/// A position in the decision log: the (time, uuid) of the last row held.
pub type Cursor = (i64, [u8; 16]);

/// A tenant's decisions, for the executive summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantDecisions {
    pub tenant: Sym,
    pub in_period: u32,
    pub due_this_month: u32,
    /// In the period, by `decision_category` and by `decision_maker_level`.
    pub categories: Counts<Sym>,
    pub levels: Counts<Sym>,
}

/// The decision log: totals over every decision, and the rows newest first, which a
/// remote executor pages in lazily.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionRollup {
    pub total: u32,
    pub in_period: u32,
    pub due_this_month: u32,
    pub tenants: Vec<TenantDecisions>,
    /// Newest first (then uuid, highest first).
    pub rows: Vec<DecisionEntry>,
    /// Where the next page starts, when `rows` does not hold every decision yet.
    pub cursor: Option<Cursor>,
    /// The log's first instant (`engine::scan`); further pages go no further back.
    pub since: i64,
    /// Decisions whose review date could not be checked: PostHog brought back only
    /// the most recent oddly spelled ones (their totals are still counted).
    pub unchecked: u32,
}

/// Data health per event kind: events, conforming events, and per property (in the
/// order of `EventKind::properties`) how many lacked it or had it unreadable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KindCounts {
    pub total: u64,
    pub conforming: u64,
    pub missing: [u64; 16],
    pub invalid: [u64; 16],
    /// Events whose rarer values PostHog's answer left out, so they were not checked
    /// (the largest such count among the values read): conforming and invalid
    /// counts are then lower bounds.
    pub unchecked: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthRollup {
    /// Revenue, cost, decisions.
    pub kinds: [KindCounts; 3],
    /// What reading the source line by line met (demo, files); None for PostHog,
    /// whose events arrive already parsed.
    pub ingest: Option<crate::domain::IngestStats>,
}

/// Every pane's rollup.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rollups {
    pub overview: OverviewRollup,
    pub revenue: GroupsRollup,
    pub cost: GroupsRollup,
    pub decisions: DecisionRollup,
    pub health: HealthRollup,
    /// What the alert rules read (`super::alerts::rollup`).
    pub alerts: super::alerts::rollup::AlertRollup,
}
