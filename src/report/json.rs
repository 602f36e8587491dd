//! `bearing report --format json`: what the panes show, as JSON, with the seed's field
//! names where it has them. Strings are the sanitised ones the cockpit shows.

use crate::domain::{Dataset, Origin, Period, Sym};
use crate::engine::Views;
use crate::engine::decisions::ReviewStatus;
use crate::engine::direction::Direction;
use crate::engine::health::{Health, TARGET};
use crate::engine::impact::Impact;
use crate::engine::overview::ActivityLevel;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io;

/// serde_json's pretty printer, with every character the sanitiser calls a hazard
/// written as `\uXXXX`. serde_json escapes only C0 controls; C1 codes (U+009B starts a
/// CSI on many terminals), DEL, bidi overrides and invisible characters would reach
/// whoever runs `bearing … --json` in a terminal or `cat`s the file. Escaped, they are
/// still the same JSON strings to any parser. A second layer: bearing's strings are
/// already inert, this holds even where one was missed.
pub struct InertFormatter(PrettyFormatter<'static>);

impl Formatter for InertFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Below DEL every character serde_json passes here is printable ASCII: the
        // common case costs one scan, not a table lookup per character.
        if fragment.bytes().all(|b| b < 0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut plain = 0;
        for (at, c) in fragment.char_indices() {
            if crate::domain::sanitize::is_hazard(c) {
                w.write_all(&fragment.as_bytes()[plain..at])?;
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
                plain = at + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[plain..])
    }

    // The layout is the pretty printer's.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as pretty JSON with no character a terminal could act on or hide
/// (see [`InertFormatter`]); every JSON output of bearing goes through here.
pub fn write_pretty<W: io::Write, T: ?Sized + Serialize>(w: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, InertFormatter(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::from)
}

#[derive(Serialize)]
pub struct Report<'a> {
    pub bearing_version: &'static str,
    pub source: Source<'a>,
    pub generated_at: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
    pub today: NaiveDate,
    /// The zone `today`, the periods and every date are in (an IANA name, or UTC).
    pub timezone: &'static str,
    pub period: &'a Period,
    pub previous_period: &'a Period,
    pub overview: Overview<'a>,
    pub revenue_trends: Vec<Trend<'a>>,
    pub cost_opportunities: Vec<CostOpportunity<'a>>,
    pub decision_log: DecisionLog<'a>,
    pub data_health: DataHealth<'a>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
    /// Rows of a large subscriptions table PostHog's capped answer left out.
    #[serde(skip_serializing_if = "is_zero")]
    pub subscriptions_left_out: u32,
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
    /// Written as "2026-11" without a string of its own: a report of 500,000 tenants
    /// has millions of these.
    #[serde(serialize_with = "year_month")]
    pub month: NaiveDate,
    pub count: u32,
}

fn year_month<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m"))
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
    /// The first day the log reaches back to.
    pub since: Option<NaiveDate>,
    pub total: usize,
    pub in_period: u32,
    pub due_this_month: u32,
    /// Decisions whose review date PostHog's capped answer left unchecked.
    #[serde(skip_serializing_if = "is_zero")]
    pub due_unchecked: u32,
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
            month: *m,
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
        timezone: v.zone.name(),
        period: &v.period,
        previous_period: &v.previous,
        overview: Overview {
            window: "last 90 days",
            has_subscriptions: v.overview.has_subscriptions,
            without_active_subscription: v.overview.without_active_subscription,
            subscriptions_left_out: v.overview.subscriptions_left_out,
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
            since: v.decisions.since,
            due_unchecked: v.decisions.unchecked,
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
                    date: v.zone.date_of(r.entry.at),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_escapes_every_control_and_invisible_character() {
        let hostile = "a\u{1b}[2J\u{7}\u{7f}\u{85}\u{9b}2J\u{ad}\u{200b}\u{202e}\u{2066}\u{feff}\u{e0041}b ü 日本 ❤\u{fe0f}";
        let mut out = Vec::new();
        write_pretty(&mut out, &serde_json::json!({ hostile: [hostile] }))
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
        for c in text.chars() {
            assert!(
                c == '\n' || !crate::domain::sanitize::is_hazard(c),
                "U+{:04X} raw in {text}",
                c as u32
            );
        }
        assert!(text.contains(r"a\u001b[2J\u0007\u007f\u0085\u009b2J\u00ad\u200b\u202e\u2066\ufeff\udb40\udc41b ü 日本 ❤\ufe0f"), "{text}");
        assert!(text.starts_with("{\n  \""), "pretty, as before: {text}");
        // The same strings to any JSON reader.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back[hostile][0], hostile);
    }
}
