//! The review reports: the monthly strategic review and the quarterly executive review
//! the seed's cycles call for, as one model every format renders (Markdown, CSV,
//! HTML). Built from the JSON report's figures, so the formats and `--format json`
//! can never disagree, and from the triage state of the same source.

use super::json::{self, Report};
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::alerts::Rule;
use crate::engine::direction::Direction;
use crate::engine::summaries::{ExecutiveSummary, executive_summary};
use crate::refresh::Triage;
use crate::triage::followup::FollowStatus;
use crate::triage::{Status, cycle};
use serde::Serialize;

/// Which review a report follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Deliverability trends needing attention, cost opportunities found, decision
    /// outcome reviews due, custom events.
    Monthly,
    /// Revenue protection patterns, cost ROI with range midpoints, planning insights,
    /// vendor trends.
    Quarterly,
}

impl Template {
    pub fn title(self) -> &'static str {
        match self {
            Template::Monthly => "Monthly strategic review",
            Template::Quarterly => "Quarterly executive review",
        }
    }
}

/// One table of a report: a name (the CSV file's, `--table`'s), a title, a header row
/// and rows of text. Every cell is the text the cockpit would show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    pub name: &'static str,
    pub title: String,
    /// What the table holds, in a sentence, or why it is empty.
    pub note: Option<String>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Which columns are numbers (right-aligned in Markdown and HTML).
    pub numeric: Vec<bool>,
}

impl Table {
    fn new(name: &'static str, title: &str, columns: &[(&'static str, bool)]) -> Table {
        Table {
            name,
            title: title.to_owned(),
            note: None,
            columns: columns.iter().map(|c| c.0).collect(),
            rows: Vec::new(),
            numeric: columns.iter().map(|c| c.1).collect(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A tenant's page of the review: its executive summary and what needs doing.
#[derive(Clone, Debug, Serialize)]
pub struct TenantPage {
    pub summary: ExecutiveSummary,
    pub open_alerts: usize,
    pub open_followups: usize,
    /// Its revenue signals by month, oldest first (the sparkline), and the money at
    /// risk and to save in the period, for the impact bars.
    pub monthly: Vec<u32>,
    pub at_risk: (f64, f64),
    pub savings: (f64, f64),
}

/// A whole review.
#[derive(Clone, Debug, Serialize)]
pub struct Review {
    pub template: Template,
    pub title: String,
    pub source: String,
    pub period: String,
    pub previous: String,
    pub today: String,
    pub as_of: String,
    pub timezone: String,
    /// The tenant the review was narrowed to, if it was.
    pub tenant: Option<String>,
    pub figures: Table,
    /// The template's own sections, in its order.
    pub sections: Vec<Table>,
    pub tenants: Vec<TenantPage>,
    pub alerts: Table,
    pub followups: Table,
    pub health: Table,
}

impl Review {
    /// Where the figures come from and when: the line under the title.
    pub fn byline(&self) -> String {
        let narrowed = self
            .tenant
            .as_deref()
            .map(|t| format!(" · tenant {t}"))
            .unwrap_or_default();
        format!(
            "Source: {} · period {} (against {}) · as of {} · today {} ({}){narrowed}",
            self.source, self.period, self.previous, self.as_of, self.today, self.timezone
        )
    }

    /// Every table in reading order.
    pub fn tables(&self) -> Vec<&Table> {
        let mut all = vec![&self.figures];
        all.extend(&self.sections);
        all.extend([&self.alerts, &self.followups, &self.health]);
        all
    }
}

/// A key figure's headline and its qualification: `$5K–15K potential impact (+1
/// unquantified)` is `$5K–15K` in large type, `potential impact (+1 unquantified)` below.
pub fn split_figure(value: &str) -> (&str, &str) {
    let head_end = value.find(" (").unwrap_or(value.len());
    match value[..head_end].find(' ') {
        Some(at) if value.starts_with('$') => (&value[..at], value[at..].trim_start()),
        _ => (&value[..head_end], value[head_end..].trim_start()),
    }
}

fn dir(d: Direction) -> String {
    match d {
        Direction::Rising => "▲ rising",
        Direction::Falling => "▼ falling",
        Direction::Flat => "► flat",
    }
    .to_owned()
}

fn or_dash(s: Option<&str>) -> String {
    s.unwrap_or("—").to_owned()
}

fn money(x: f64) -> String {
    format!("${}", crate::domain::range::short_number(x))
}

/// Builds the review of `template` for the views' period. `tenant` narrows every table
/// and page to one tenant.
pub fn build(
    ds: &Dataset,
    v: &Views,
    triage: &Triage,
    template: Template,
    tenant: Option<&str>,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Review {
    let r: Report = json::build(ds, v, as_of, usize::MAX);
    let ours = |t: Option<&str>| tenant.is_none_or(|want| t == Some(want));
    let in_period = |p: &str| cycle::overlaps(p, v.period.start, v.period.end);
    let alerts: Vec<_> = triage
        .alerts
        .iter()
        .filter(|a| ours(Some(&a.tenant)) && in_period(&a.period))
        .collect();
    let followups: Vec<_> = triage
        .followups
        .iter()
        .filter(|f| ours(Some(&f.tenant)) && f.state.status == FollowStatus::Open)
        .collect();
    let sections = match template {
        Template::Monthly => monthly(&r, &alerts, &ours),
        Template::Quarterly => quarterly(&r, &alerts, &ours),
    };
    Review {
        template,
        title: format!("{} · {}", template.title(), v.period.label),
        source: r.source.label.clone(),
        period: v.period.label.clone(),
        previous: v.previous.label.clone(),
        today: v.today.to_string(),
        as_of: as_of.format("%Y-%m-%d %H:%M UTC").to_string(),
        timezone: v.zone.name().to_owned(),
        tenant: tenant.map(str::to_owned),
        figures: figures(&r, &ours, &alerts, &followups, v.today),
        sections,
        tenants: pages(ds, v, &r, (&alerts, &followups), tenant),
        alerts: alert_table(&alerts),
        followups: followup_table(&followups, v.today),
        health: health_table(&r),
    }
}

/// The period's money: its trends' ranges summed, as the Revenue and Cost panes show
/// them row by row (the overview's figures are the last 90 days').
fn summed<'a>(ranges: impl Iterator<Item = &'a json::ImpactJson>, noun: &str) -> String {
    let mut i = crate::engine::impact::Impact::default();
    for r in ranges {
        i.merge(&crate::engine::impact::Impact {
            low: r.low,
            high: r.high,
            known: r.ranges_summed,
            unknown: r.ranges_unquantified,
            ..Default::default()
        });
    }
    i.phrase(noun)
}

fn figures(
    r: &Report,
    ours: &Ours,
    alerts: &[&crate::store::alerts::AlertRow],
    followups: &[&crate::store::followups::FollowUpRow],
    today: chrono::NaiveDate,
) -> Table {
    let mut t = Table::new(
        "key_figures",
        "Key figures",
        &[("Figure", false), ("Value", true)],
    );
    let open = alerts.iter().filter(|a| a.triage.status.is_open()).count();
    let urgent = alerts
        .iter()
        .filter(|a| {
            a.triage.status.is_open() && a.severity >= crate::engine::alerts::Severity::High
        })
        .count();
    let overdue = followups
        .iter()
        .filter(|f| f.state.is_overdue(today))
        .count();
    let trends: Vec<_> = r
        .revenue_trends
        .iter()
        .filter(|t| ours(t.tenant_id))
        .collect();
    let costs: Vec<_> = r
        .cost_opportunities
        .iter()
        .filter(|c| ours(c.tenant_id))
        .collect();
    let rising = trends
        .iter()
        .filter(|t| t.direction == Direction::Rising)
        .count();
    let rows = [
        (
            "Revenue at risk",
            summed(
                trends.iter().map(|t| &t.approximate_impact),
                "potential impact",
            ),
        ),
        (
            "Estimated savings",
            summed(
                costs.iter().map(|c| &c.approximate_savings),
                "estimated savings",
            ),
        ),
        ("Rising revenue trends", rising.to_string()),
        ("Open alerts", format!("{open} ({urgent} high or critical)")),
        (
            "Open follow-ups",
            format!("{} ({overdue} overdue)", followups.len()),
        ),
        (
            "Decision reviews due this month",
            r.decision_log.due_this_month.to_string(),
        ),
        (
            "Data health",
            r.data_health.overall_rate.map_or("—".into(), |x| {
                let meets = if x >= r.data_health.target {
                    "meets"
                } else {
                    "below"
                };
                format!("{:.1}% conform ({meets} the 95% target)", x * 100.0)
            }),
        ),
    ];
    for (k, val) in rows {
        t.push(vec![k.to_owned(), val]);
    }
    t
}

type Ours<'a> = dyn Fn(Option<&str>) -> bool + 'a;

fn monthly(r: &Report, alerts: &[&crate::store::alerts::AlertRow], ours: &Ours) -> Vec<Table> {
    let mut trends = Table::new(
        "deliverability_trends",
        "Deliverability trends needing attention",
        &[
            ("Tenant", false),
            ("Category", false),
            ("Now", true),
            ("Before", true),
            ("Direction", false),
            ("Approximate impact", true),
            ("High priority", true),
        ],
    );
    for t in r.revenue_trends.iter().filter(|t| ours(t.tenant_id)) {
        if t.direction == Direction::Rising || t.high_priority > 0 {
            trends.push(vec![
                or_dash(t.tenant_id),
                or_dash(t.trend_category),
                t.current.to_string(),
                t.previous.to_string(),
                dir(t.direction),
                range(&t.approximate_impact),
                t.high_priority.to_string(),
            ]);
        }
    }
    trends.note = Some("Rising against the previous period, or with high-priority signals.".into());
    let mut cost = Table::new(
        "cost_opportunities",
        "Cost opportunities found",
        &[
            ("Tenant", false),
            ("Optimization", false),
            ("Found", true),
            ("Direction", false),
            ("Estimated savings", true),
            ("Midpoint", true),
            ("Reviews required", true),
        ],
    );
    for c in r.cost_opportunities.iter().filter(|c| ours(c.tenant_id)) {
        if c.optimization_opportunities_identified == 0 {
            continue;
        }
        let s = &c.approximate_savings;
        cost.push(vec![
            or_dash(c.tenant_id),
            or_dash(c.optimization_type),
            c.optimization_opportunities_identified.to_string(),
            dir(c.direction),
            range(s),
            midpoint(s),
            c.reviews_required.to_string(),
        ]);
    }
    let mut due = Table::new(
        "decision_reviews_due",
        "Decision outcome reviews due",
        &[
            ("Decided", false),
            ("Tenant", false),
            ("Decision", false),
            ("Level", false),
            ("Expected outcome", false),
            ("Review on", false),
        ],
    );
    for d in r.decision_log.rows.iter().filter(|d| ours(d.tenant_id)) {
        if matches!(
            d.review_status,
            crate::engine::decisions::ReviewStatus::DueThisMonth
        ) {
            due.push(vec![
                d.date.map_or("—".into(), |x| x.to_string()),
                or_dash(d.tenant_id),
                or_dash(d.decision_category),
                or_dash(d.decision_maker_level),
                or_dash(d.expected_outcome_range),
                d.next_review.map_or("—".into(), |x| x.to_string()),
            ]);
        }
    }
    let custom = alerts_of(
        "custom_events",
        "Custom events",
        alerts,
        &[Rule::CustomEvent],
    );
    vec![trends, cost, due, custom]
}

fn quarterly(r: &Report, alerts: &[&crate::store::alerts::AlertRow], ours: &Ours) -> Vec<Table> {
    let patterns = alerts_of(
        "revenue_patterns",
        "Revenue protection patterns",
        alerts,
        &[Rule::RevenuePattern],
    );
    // Cost ROI: each tenant's estimated savings, summed over its opportunities, with
    // the sum of the ranges' midpoints the seed's ROI uses.
    let mut roi = Table::new(
        "cost_roi",
        "Cost ROI",
        &[
            ("Tenant", false),
            ("Opportunities", true),
            ("Estimated savings", true),
            ("Sum of midpoints", true),
        ],
    );
    let mut by: std::collections::BTreeMap<String, (u32, f64, f64, f64)> = Default::default();
    for c in r.cost_opportunities.iter().filter(|c| ours(c.tenant_id)) {
        let e = by.entry(or_dash(c.tenant_id)).or_default();
        let s = &c.approximate_savings;
        e.0 += c.optimization_opportunities_identified;
        e.1 += s.low;
        e.2 += s.high;
        e.3 += (s.low + s.high) / 2.0;
    }
    let mut rows: Vec<_> = by.into_iter().filter(|(_, e)| e.0 > 0).collect();
    rows.sort_by(|a, b| b.1.3.total_cmp(&a.1.3).then_with(|| a.0.cmp(&b.0)));
    for (tenant, (n, low, high, mid)) in rows {
        roi.push(vec![
            tenant,
            n.to_string(),
            crate::domain::range::format_range(low, high, crate::domain::range::Unit::Dollars),
            money(mid),
        ]);
    }
    let planning = alerts_of(
        "planning_insights",
        "Planning insights",
        alerts,
        &[Rule::PlanningInsight, Rule::DecisionReviewDue],
    );
    let vendors = alerts_of(
        "vendor_trends",
        "Vendor trends",
        alerts,
        &[Rule::VendorTrend],
    );
    vec![patterns, roi, planning, vendors]
}

/// `$5K–15K`, with how many ranges could not be read; a dash when none could.
fn range(i: &json::ImpactJson) -> String {
    let mut out = if i.ranges_summed == 0 {
        "—".to_owned()
    } else {
        crate::domain::range::format_range(i.low, i.high, crate::domain::range::Unit::Dollars)
    };
    if i.ranges_unquantified > 0 {
        out.push_str(&format!(" (+{} unquantified)", i.ranges_unquantified));
    }
    out
}

fn midpoint(s: &json::ImpactJson) -> String {
    if s.ranges_summed == 0 {
        "—".into()
    } else {
        money((s.low + s.high) / 2.0)
    }
}

/// The alerts of some rules, as a section of the template.
fn alerts_of(
    name: &'static str,
    title: &str,
    alerts: &[&crate::store::alerts::AlertRow],
    rules: &[Rule],
) -> Table {
    let mut t = Table::new(
        name,
        title,
        &[
            ("Severity", false),
            ("Tenant", false),
            ("Finding", false),
            ("Period", false),
            ("State", false),
        ],
    );
    for a in alerts.iter().filter(|a| rules.contains(&a.rule)) {
        t.push(vec![
            a.severity.name().to_owned(),
            a.tenant.clone(),
            a.title.clone(),
            a.period.clone(),
            a.triage.status.name().to_owned(),
        ]);
    }
    t
}

fn alert_table(alerts: &[&crate::store::alerts::AlertRow]) -> Table {
    let mut t = Table::new(
        "alerts",
        "Alerts and their triage",
        &[
            ("Severity", false),
            ("State", false),
            ("Tenant", false),
            ("Alert", false),
            ("Period", false),
            ("Owner", false),
            ("Notes", false),
            ("Dismissed because", false),
        ],
    );
    for a in alerts {
        let notes: Vec<String> = a
            .notes
            .iter()
            .map(|n| format!("{} ({})", n.text, n.who))
            .collect();
        t.push(vec![
            a.severity.name().to_owned(),
            a.triage.status.name().to_owned(),
            a.tenant.clone(),
            a.title.clone(),
            a.period.clone(),
            or_dash(a.triage.owner.as_deref()),
            if notes.is_empty() {
                "—".into()
            } else {
                notes.join("; ")
            },
            or_dash(a.triage.dismiss_reason.as_deref()),
        ]);
    }
    let open = alerts.iter().filter(|a| a.triage.status.is_open()).count();
    let cleared = alerts
        .iter()
        .filter(|a| a.triage.status == Status::Cleared)
        .count();
    t.note = Some(format!(
        "{} alerts of the period's review cycles: {open} open, {cleared} cleared by the data.",
        alerts.len()
    ));
    t
}

fn followup_table(
    followups: &[&crate::store::followups::FollowUpRow],
    today: chrono::NaiveDate,
) -> Table {
    let mut t = Table::new(
        "followups",
        "Open follow-ups",
        &[
            ("Due", false),
            ("Status", false),
            ("Tenant", false),
            ("Follow-up", false),
            ("Owner", false),
        ],
    );
    for f in followups {
        let status = if f.state.is_overdue(today) {
            "overdue"
        } else {
            "open"
        };
        t.push(vec![
            f.state.due.to_string(),
            status.to_owned(),
            f.tenant.clone(),
            f.title.clone(),
            or_dash(f.state.owner.as_deref()),
        ]);
    }
    t
}

fn health_table(r: &Report) -> Table {
    let mut t = Table::new(
        "data_health",
        "Data health against the 95% target",
        &[
            ("Event", false),
            ("Events", true),
            ("Conform", true),
            ("Target", false),
        ],
    );
    for k in &r.data_health.health.kinds {
        let rate = k.rate();
        t.push(vec![
            k.event.to_owned(),
            k.total.to_string(),
            rate.map_or("—".into(), |x| format!("{:.1}%", x * 100.0)),
            match rate {
                Some(x) if x >= r.data_health.target => "✓ meets 95%".to_owned(),
                Some(_) => "✗ below 95%".to_owned(),
                None => "no events".to_owned(),
            },
        ]);
    }
    t
}

/// The tenants needing attention in the period (open alerts or rising revenue risk),
/// the worst first, each with its executive summary; only `tenant` when narrowed.
fn pages(
    ds: &Dataset,
    v: &Views,
    r: &Report,
    (alerts, followups): (
        &[&crate::store::alerts::AlertRow],
        &[&crate::store::followups::FollowUpRow],
    ),
    tenant: Option<&str>,
) -> Vec<TenantPage> {
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut add = |name: &str| {
        if !names.iter().any(|(n, _)| n == name) {
            names.push((name.to_owned(), 0));
        }
    };
    for a in alerts.iter().filter(|a| a.triage.status.is_open()) {
        add(&a.tenant);
    }
    for t in r
        .revenue_trends
        .iter()
        .filter(|t| t.direction == Direction::Rising)
    {
        if let Some(name) = t.tenant_id {
            add(name);
        }
    }
    if let Some(t) = tenant {
        names.retain(|(n, _)| n == t);
        if names.is_empty() {
            names.push((t.to_owned(), 0));
        }
    }
    let mut out: Vec<TenantPage> = names
        .into_iter()
        .filter_map(|(name, _)| {
            let sym = ds.strings.get(&name)?;
            let mut monthly = vec![0u32; v.months.len()];
            let (mut at_risk, mut savings) = ((0.0, 0.0), (0.0, 0.0));
            for t in v.revenue.iter().filter(|t| t.tenant == sym) {
                for (m, n) in monthly.iter_mut().zip(t.series.monthly.iter()) {
                    *m += n;
                }
                at_risk.0 += t.impact.low;
                at_risk.1 += t.impact.high;
            }
            for c in v.cost.iter().filter(|c| c.tenant == sym) {
                savings.0 += c.savings.low;
                savings.1 += c.savings.high;
            }
            Some(TenantPage {
                summary: executive_summary(ds, v, sym),
                open_alerts: alerts
                    .iter()
                    .filter(|a| a.tenant == name && a.triage.status.is_open())
                    .count(),
                open_followups: followups.iter().filter(|f| f.tenant == name).count(),
                monthly,
                at_risk,
                savings,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.open_alerts
            .cmp(&a.open_alerts)
            .then(b.at_risk.1.total_cmp(&a.at_risk.1))
            .then_with(|| a.summary.tenant_id.cmp(&b.summary.tenant_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::split_figure;

    #[test]
    fn a_key_figure_is_its_headline_and_its_qualification() {
        assert_eq!(
            split_figure("$5K–15K potential impact (+1 unquantified)"),
            ("$5K–15K", "potential impact (+1 unquantified)")
        );
        assert_eq!(
            split_figure("59 (23 high or critical)"),
            ("59", "(23 high or critical)")
        );
        assert_eq!(split_figure("11"), ("11", ""));
    }
}
