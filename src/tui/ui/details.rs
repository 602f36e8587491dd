//! The details of the selected row (Enter). For a tenant on the overview, the seed's
//! executive summary: revenue protection, cost optimization and strategic planning.

use super::widgets::{count, percent};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::domain::values::date_of;
use crate::engine::Views;
use crate::engine::health::TARGET;
use crate::engine::summaries::executive_summary;
use crate::tui::pane::PaneId;
use crate::tui::rows::{HealthItem, health_items};
use crate::tui::state::AppState;
use chrono::Datelike;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// A details document being written: headings, key/value lines and bullets.
pub struct Doc<'t> {
    pub theme: &'t Theme,
    pub lines: Vec<Line<'static>>,
}

impl Doc<'_> {
    pub fn muted(&mut self, text: &str) {
        self.lines.push(Line::from(Span::styled(
            format!("  {text}"),
            self.theme.muted(),
        )));
    }

    pub fn heading(&mut self, text: impl Into<String>) {
        if !self.lines.is_empty() {
            self.lines.push(Line::raw(""));
        }
        self.lines.push(Line::from(Span::styled(
            text.into(),
            self.theme.accent().add_modifier(Modifier::BOLD),
        )));
    }

    pub fn kv(&mut self, key: &str, value: impl Into<String>) {
        self.lines.push(Line::from(vec![
            Span::styled(format!("  {key:<22}"), self.theme.muted()),
            Span::raw(value.into()),
        ]));
    }

    pub fn bullet(&mut self, text: impl Into<String>) {
        self.lines.push(Line::raw(format!("  • {}", text.into())));
    }

    /// A heading and a "name ×count" bullet per entry.
    fn counted(&mut self, title: &str, ds: &Dataset, list: &[(crate::domain::Sym, u32)]) {
        self.heading(title);
        let items: Vec<String> = list
            .iter()
            .map(|(s, n)| format!("{} ×{n}", ds.resolve(*s)))
            .collect();
        self.bullets(&items, "none");
    }

    /// The month-by-month counts behind a sparkline.
    fn months(&mut self, v: &Views, monthly: &[u32]) {
        self.heading("Last 12 months");
        self.lines
            .push(Line::raw(format!("  {}", months_line(v, monthly))));
    }

    fn bullets(&mut self, items: &[String], empty: &str) {
        if items.is_empty() {
            self.lines.push(Line::from(Span::styled(
                format!("  {empty}"),
                self.theme.muted(),
            )));
        }
        for i in items {
            self.bullet(i.clone());
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn months_line(v: &Views, monthly: &[u32]) -> String {
    v.months
        .iter()
        .zip(monthly)
        .map(|(m, n)| format!("{} {n}", m.format("%b")))
        .collect::<Vec<_>>()
        .join("  ")
}

pub fn content(state: &AppState, theme: &Theme) -> Option<(String, Vec<Line<'static>>)> {
    let row = state.selected_row(state.focus)?;
    let mut d = Doc {
        theme,
        lines: Vec::new(),
    };
    match state.focus {
        PaneId::Alerts => {
            let title = super::details_triage::alert(&mut d, state.triage.alerts.get(row)?);
            return Some((title, d.lines));
        }
        PaneId::FollowUps => {
            let title = super::details_triage::followup(
                &mut d,
                state.triage.followups.get(row)?,
                state.params.today,
            );
            return Some((title, d.lines));
        }
        _ => {}
    }
    let data = state.data.as_ref()?;
    let (ds, v) = (&*data.dataset, &*data.views);
    let title = match state.focus {
        PaneId::Alerts | PaneId::FollowUps => return None,
        PaneId::Overview => overview(&mut d, ds, v, row)?,
        PaneId::Revenue => revenue(&mut d, ds, v, row)?,
        PaneId::Cost => cost(&mut d, ds, v, row)?,
        PaneId::Decisions => decision(&mut d, ds, v, row)?,
        PaneId::Health => health(&mut d, v, row)?,
    };
    Some((title, d.lines))
}

fn overview(d: &mut Doc, ds: &Dataset, v: &Views, row: usize) -> Option<String> {
    let r = v.overview.rows.get(row)?;
    let s = executive_summary(ds, v, r.tenant);
    d.heading("Last 90 days");
    d.kv(
        "Strategic activity",
        format!("{} ({} events)", r.level.label(), r.total()),
    );
    d.kv("Revenue trends", r.revenue.to_string());
    d.kv("Cost optimization", r.cost.to_string());
    d.kv("Strategic decisions", r.decisions.to_string());
    d.kv("Plan", r.plan.map_or("—", |p| ds.resolve(p)));
    d.kv("Subscription", r.status.map_or("—", |p| ds.resolve(p)));
    d.kv(
        "Current period start",
        r.current_period_start
            .map_or("—".to_owned(), |p| p.to_string()),
    );
    let rp = &s.revenue_protection;
    d.heading(format!("Revenue protection · {}", s.timeframe));
    d.kv("Approximate impact", rp.approximate_impact.clone());
    d.kv("Process follow-up", yes_no(rp.process_follow_up_required));
    d.lines.push(Line::raw("  Directional risk indicators:"));
    d.bullets(&rp.directional_risk_indicators, "none in this period");
    d.lines.push(Line::raw("  Recommendations:"));
    d.bullets(&rp.strategic_recommendations, "");
    let co = &s.cost_optimization;
    d.heading(format!("Cost optimization · {}", s.timeframe));
    d.kv("Approximate savings", co.approximate_savings.clone());
    d.kv("Process follow-up", yes_no(co.process_follow_up_required));
    d.lines.push(Line::raw("  Opportunities:"));
    d.bullets(&co.optimization_opportunities, "none in this period");
    d.lines.push(Line::raw("  Recommendations:"));
    d.bullets(&co.strategic_recommendations, "");
    let sp = &s.strategic_planning;
    d.heading(format!("Strategic planning · {}", s.timeframe));
    d.kv("Decisions tracked", sp.decisions_tracked.to_string());
    d.kv("Process follow-up", yes_no(sp.process_follow_up_required));
    d.lines.push(Line::raw("  Patterns:"));
    d.bullets(&sp.decision_patterns, "no decisions in this period");
    d.lines.push(Line::raw("  Recommendations:"));
    d.bullets(&sp.strategic_recommendations, "");
    Some(format!("{} · executive summary", s.tenant_id))
}

fn revenue(d: &mut Doc, ds: &Dataset, v: &Views, row: usize) -> Option<String> {
    let r = v.revenue.get(row)?;
    d.heading(format!("{} vs {}", v.period.label, v.previous.label));
    d.kv(
        "Signals",
        format!("{} now, {} before", r.series.current, r.series.previous),
    );
    d.kv("Direction", r.direction.label());
    d.kv("Approximate impact", r.impact.phrase("potential impact"));
    d.kv("High or critical", r.urgent.to_string());
    d.kv(
        "Highest priority",
        r.highest_priority.map_or("—", |p| p.name()),
    );
    d.kv("Asking for review", r.follow_ups.to_string());
    d.kv(
        "Last seen",
        date_of(r.last_seen).map_or("—".to_owned(), |x| x.to_string()),
    );
    d.counted("Directional signals in the period", ds, &r.signals);
    d.months(v, &r.series.monthly);
    Some(format!(
        "{} · {}",
        ds.tenant(r.tenant),
        ds.shown(r.category)
    ))
}

fn cost(d: &mut Doc, ds: &Dataset, v: &Views, row: usize) -> Option<String> {
    let r = v.cost.get(row)?;
    d.heading(format!("{} vs {}", v.period.label, v.previous.label));
    d.kv(
        "Opportunities",
        format!("{} now, {} before", r.series.current, r.series.previous),
    );
    d.kv("Direction", r.direction.label());
    d.kv("Approximate savings", r.savings.phrase("estimated savings"));
    d.kv(
        "Average estimate",
        r.savings.average().map_or("—".to_owned(), |a| {
            format!(
                "${} (midpoint of the ranges)",
                crate::domain::range::short_number(a)
            )
        }),
    );
    d.kv(
        "Strategic review",
        format!("{} require it", r.reviews_required),
    );
    d.counted("Vendor contexts", ds, &r.vendors);
    d.counted("Implementation feasibility", ds, &r.feasibility);
    d.months(v, &r.series.monthly);
    Some(format!(
        "{} · {}",
        ds.tenant(r.tenant),
        ds.shown(r.optimization)
    ))
}

fn decision(d: &mut Doc, ds: &Dataset, v: &Views, row: usize) -> Option<String> {
    let r = v.decisions.rows.get(row)?;
    let or_dash = |s| ds.shown(s).to_owned();
    d.heading("Decision");
    d.kv(
        "Date",
        date_of(r.entry.at).map_or("—".to_owned(), |x| x.to_string()),
    );
    d.kv("Tenant", ds.tenant(r.entry.tenant));
    d.kv("Category", or_dash(r.entry.category));
    d.kv("Decision maker level", or_dash(r.entry.maker_level));
    d.kv("Justification", or_dash(r.entry.justification));
    d.kv("Expected outcome", or_dash(r.entry.outcome));
    d.kv("Outcome follow-up", or_dash(r.entry.follow_up));
    d.heading("Review");
    d.kv("Review timeframe", or_dash(r.entry.timeframe));
    d.kv(
        "Tracking date",
        r.entry.tracked.map_or("—".to_owned(), |x| x.to_string()),
    );
    d.kv(
        "Review on",
        r.next_review
            .map_or("— (no readable timeframe)".to_owned(), |x| x.to_string()),
    );
    let when = match r.next_review {
        Some(n) if n.year() == v.today.year() && n.month() == v.today.month() => {
            "due in this month's review"
        }
        Some(n) if n < v.today => "review date passed",
        Some(_) => "upcoming",
        None => "unknown",
    };
    d.kv("Status", when);
    d.heading("Event");
    let uuid = crate::domain::event::uuid_text(&r.entry.uuid);
    d.kv("uuid", uuid.unwrap_or_else(|| "—".to_owned()));
    // Which properties were missing or unreadable is known for events held in memory
    // (demo, files); PostHog's rollups only count them, in data health.
    let held = (r.entry.uuid != [0; 16])
        .then(|| {
            ds.events
                .iter()
                .find(|e| e.uuid == r.entry.uuid && e.at == r.entry.at)
        })
        .flatten();
    if let Some(e) = held.filter(|e| e.missing != 0 || e.invalid != 0) {
        let kind = e.kind();
        let names = |mask: u16| -> Vec<&str> {
            kind.properties()
                .iter()
                .enumerate()
                .filter(|(i, _)| mask >> i & 1 == 1)
                .map(|(_, p)| *p)
                .collect()
        };
        d.kv("Missing", names(e.missing).join(", "));
        d.kv("Unreadable", names(e.invalid).join(", "));
    }
    Some(format!(
        "{} · {}",
        ds.tenant(r.entry.tenant),
        ds.shown(r.entry.category)
    ))
}

fn health(d: &mut Doc, v: &Views, row: usize) -> Option<String> {
    let h = &v.health;
    let item = health_items(h).get(row)?.clone();
    match item {
        HealthItem::Kind(k) | HealthItem::Property { kind: k, .. } => {
            let kind = h.kinds.get(k)?;
            d.heading(format!(
                "Schema conformance against the {:.0}% target",
                TARGET * 100.0
            ));
            d.kv("Events", count(kind.total));
            d.kv("Conforming", count(kind.conforming));
            d.kv("Rate", kind.rate().map_or("—".to_owned(), percent));
            d.kv("Meets target", yes_no(kind.meets_target()));
            d.heading("Properties with problems");
            let props: Vec<String> = kind
                .properties
                .iter()
                .map(|p| {
                    format!(
                        "{}: {} missing, {} unreadable",
                        p.property,
                        count(p.missing),
                        count(p.invalid)
                    )
                })
                .collect();
            d.bullets(&props, "none: every event has every property");
            d.heading("Expected properties");
            d.lines.push(Line::raw(format!(
                "  {}",
                kind.kind.properties().join(", ")
            )));
            Some(kind.event.to_owned())
        }
        HealthItem::Lines | HealthItem::Broken(_) => {
            let i = &h.ingest;
            d.heading("Lines");
            d.kv("Read", count(i.lines));
            d.kv("Blank", count(i.blank));
            d.kv("Broken", count(i.broken));
            d.heading(format!(
                "Broken lines (first {})",
                crate::domain::dataset::BROKEN_SAMPLES
            ));
            let b: Vec<String> = i
                .broken_samples
                .iter()
                .map(|b| format!("line {}: {}", b.line, b.reason))
                .collect();
            d.bullets(&b, "none");
            Some("Lines that could not be read".to_owned())
        }
        HealthItem::OtherEvents | HealthItem::Untimed | HealthItem::Subscriptions => {
            d.heading("What this counts");
            d.bullet(
                "Other events: well-formed events that are not one of the three strategic events.",
            );
            d.bullet("Events without a date: neither timestamp nor tracking_date could be read; they count for data health but fall in no period.");
            d.bullet("Subscriptions table: joins plans to tenants; without one, the overview lists every tenant with activity.");
            d.bullet("Unreadable subscription rows (not UTF-8, not JSON, or without a tenant_id) are skipped and counted; their tenants show no plan.");
            Some("Data health".to_owned())
        }
    }
}
