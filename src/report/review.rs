//! The review reports: the monthly strategic review and the quarterly executive review
//! the seed's cycles call for, as one model every format renders (Markdown, CSV,
//! HTML). Built from the JSON report's figures, so the formats and `--format json`
//! can never disagree, and from the triage state of the same source.

use super::json::{self, Report};
use super::sections;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::direction::Direction;
use crate::engine::summaries::{ExecutiveSummary, executive_summary};
use crate::refresh::Triage;
use crate::store::alerts::AlertRow;
use crate::triage::cycle;
use crate::triage::followup::FollowStatus;
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
    pub(super) fn new(name: &'static str, title: &str, columns: &[(&'static str, bool)]) -> Table {
        Table {
            name,
            title: title.to_owned(),
            note: None,
            columns: columns.iter().map(|c| c.0).collect(),
            rows: Vec::new(),
            numeric: columns.iter().map(|c| c.1).collect(),
        }
    }

    pub(super) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// One of a tenant's open alerts on its page, with its triage: what a presenter
/// takes notes on during the meeting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageAlert {
    pub id: String,
    pub severity: String,
    pub state: String,
    pub title: String,
    pub period: String,
    pub owner: Option<String>,
    /// Each note as "text (who)", oldest first.
    pub notes: Vec<String>,
    /// The follow-up made from it, if any.
    pub followup: Option<String>,
}

impl PageAlert {
    pub fn of(a: &AlertRow) -> PageAlert {
        PageAlert {
            id: a.id.clone(),
            severity: a.severity.name().to_owned(),
            state: a.triage.status.name().to_owned(),
            title: a.title.clone(),
            period: a.period.clone(),
            owner: a.triage.owner.clone(),
            notes: a
                .notes
                .iter()
                .map(|n| format!("{} ({})", n.text, n.who))
                .collect(),
            followup: a.followup.clone(),
        }
    }
}

/// A tenant's page of the review: its executive summary and what needs doing.
#[derive(Clone, Debug, Serialize)]
pub struct TenantPage {
    pub summary: ExecutiveSummary,
    pub open_alerts: usize,
    /// Its open alerts of the period, the worst first.
    pub alerts: Vec<PageAlert>,
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
    // The tenant's own reviews due, as its table lists them, not every tenant's.
    let due = match tenant {
        None => r.decision_log.due_this_month,
        Some(_) => v
            .decisions
            .tenants
            .iter()
            .filter(|t| ours(Some(ds.strings.resolve(t.tenant))))
            .map(|t| t.due_this_month)
            .sum(),
    };
    let sections = match template {
        Template::Monthly => sections::monthly(&r, &alerts, &ours),
        Template::Quarterly => sections::quarterly(&r, &alerts, &ours),
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
        figures: figures(&r, &ours, (&alerts, &followups, due), v.today),
        sections,
        tenants: pages(ds, v, &r, (&alerts, &followups), tenant),
        alerts: sections::alert_table(&alerts),
        followups: sections::followup_table(&followups, v.today),
        health: sections::health_table(&r),
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
    ours: &sections::Ours,
    (alerts, followups, due): (&[&AlertRow], &[&crate::store::followups::FollowUpRow], u32),
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
        ("Decision reviews due this month", due.to_string()),
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

/// The tenants needing attention in the period (open alerts or rising revenue risk),
/// the worst first, each with its executive summary; only `tenant` when narrowed.
fn pages(
    ds: &Dataset,
    v: &Views,
    r: &Report,
    (alerts, followups): (&[&AlertRow], &[&crate::store::followups::FollowUpRow]),
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
                alerts: alerts
                    .iter()
                    .filter(|a| a.tenant == name && a.triage.status.is_open())
                    .map(|a| PageAlert::of(a))
                    .collect(),
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
