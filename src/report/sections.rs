//! The tables of a review: each template's sections (monthly: deliverability trends,
//! cost opportunities, decision reviews due, custom events; quarterly: revenue
//! patterns, cost ROI, planning insights, vendor trends) and the triage and health
//! tables every review ends with. Cells are the text the cockpit shows.

use super::json::{self, Report};
use super::review::Table;
use crate::engine::alerts::Rule;
use crate::engine::direction::Direction;
use crate::store::alerts::AlertRow;
use crate::triage::Status;

pub(super) fn dir(d: Direction) -> String {
    match d {
        Direction::Rising => "▲ rising",
        Direction::Falling => "▼ falling",
        Direction::Flat => "► flat",
    }
    .to_owned()
}

pub(super) fn or_dash(s: Option<&str>) -> String {
    s.unwrap_or("—").to_owned()
}

pub(super) fn money(x: f64) -> String {
    format!("${}", crate::domain::range::short_number(x))
}

pub(super) type Ours<'a> = dyn Fn(Option<&str>) -> bool + 'a;

pub(super) fn monthly(r: &Report, alerts: &[&AlertRow], ours: &Ours) -> Vec<Table> {
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

pub(super) fn quarterly(r: &Report, alerts: &[&AlertRow], ours: &Ours) -> Vec<Table> {
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
pub(super) fn range(i: &json::ImpactJson) -> String {
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
fn alerts_of(name: &'static str, title: &str, alerts: &[&AlertRow], rules: &[Rule]) -> Table {
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

pub(super) fn alert_table(alerts: &[&AlertRow]) -> Table {
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

pub(super) fn followup_table(
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

pub(super) fn health_table(r: &Report) -> Table {
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
