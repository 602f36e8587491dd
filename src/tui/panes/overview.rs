//! Needs attention: the first thing an analyst sees. Every tenant, the ones with open
//! alerts or rising risk in the review period first (whatever their subscription's
//! status), by their worst open alert and the money at risk; each with its open
//! alerts, the impact, the savings and its status. Enter gives its executive summary.
//! The key figures stand above.

use super::{Meta, Pane, PaneId, Rows};
use crate::config::theme::Theme;
use crate::engine::impact::Impact;
use crate::engine::overview::ActivityLevel;
use crate::engine::summaries::executive_summary;
use crate::tui::lists::AttentionRow;
use crate::tui::state::AppState;
use crate::tui::ui::details::{Doc, yes_no};
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::count;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub struct Overview;

const COLS: [Col; 8] = [
    Col::left("Tenant", Constraint::Fill(3)).min(12),
    Col::left("Alerts", Constraint::Length(8)),
    Col::left("Rising", Constraint::Length(6)).drop(1),
    Col::right("At risk", Constraint::Length(10)),
    Col::right("Savings", Constraint::Length(10)).drop(2),
    Col::left("Status", Constraint::Length(9)),
    Col::left("Activity", Constraint::Length(12)).drop(3),
    Col::left("Plan", Constraint::Fill(1)).min(9).drop(4),
];

fn level_style(level: ActivityLevel) -> fn(&Theme) -> Style {
    match level {
        ActivityLevel::High => |t| t.accent().add_modifier(Modifier::BOLD),
        ActivityLevel::Moderate => Theme::accent,
        ActivityLevel::Low => Theme::muted,
    }
}

/// Three marks and the word: readable without colour.
pub fn level_mark(level: ActivityLevel) -> &'static str {
    match level {
        ActivityLevel::High => "●●● High",
        ActivityLevel::Moderate => "●●○ Moderate",
        ActivityLevel::Low => "●○○ Low",
    }
}

/// A subscription status that is not plain active stands out.
fn status_style(status: &str) -> fn(&Theme) -> Style {
    match status {
        "active" | "—" => Theme::muted,
        "past_due" | "unpaid" | "canceled" | "cancelled" => Theme::bad,
        _ => Theme::warn,
    }
}

/// A severity in the Alerts column: short, so the grid's narrow pane keeps the tenant.
fn short(s: crate::engine::alerts::Severity) -> &'static str {
    use crate::engine::alerts::Severity as S;
    match s {
        S::Critical => "crit",
        S::Medium => "med",
        other => other.name(),
    }
}

fn cells(r: &AttentionRow, ds: &crate::domain::Dataset) -> Vec<Cell> {
    let alerts = match (r.open, r.worst) {
        (0, _) | (_, None) => Cell::glyph("·", Theme::muted),
        (n, Some(w)) => Cell::styled(format!("{n} {}", short(w)), super::severity_style(w)),
    };
    let risk = match r.rising {
        0 => Cell::glyph("·", Theme::muted),
        n => Cell::styled(format!("▲ {n}"), Theme::bad),
    };
    let money = |i: &crate::engine::impact::Impact, style: fn(&Theme) -> Style| {
        if i.is_known() {
            Cell::styled(i.range(), style)
        } else {
            Cell::glyph("·", Theme::muted)
        }
    };
    let a = r.activity.as_ref();
    let status = a
        .and_then(|a| a.status)
        .map_or("—", |s| ds.shown(s))
        .to_owned();
    let plan = a
        .and_then(|a| a.plan)
        .map_or("—", |s| ds.shown(s))
        .to_owned();
    vec![
        Cell::new(r.tenant.clone()),
        alerts,
        risk,
        money(&r.at_risk, Theme::bad),
        money(&r.savings, Theme::good),
        Cell::styled(status.clone(), status_style(&status)),
        a.map_or_else(
            || Cell::glyph("·", Theme::muted),
            |a| Cell::styled(level_mark(a.level), level_style(a.level)),
        ),
        Cell::styled(plan, Theme::muted),
    ]
}

static META: Meta = Meta::new(PaneId::Overview, "Needs attention", "Attention", &COLS).top(4);

impl Pane for Overview {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn count(&self, src: Rows) -> usize {
        if src.data.is_some() {
            src.attention.len()
        } else {
            0
        }
    }

    fn cells(&self, src: Rows, row: usize) -> Vec<Cell> {
        match (src.data, src.attention.get(row)) {
            (Some(d), Some(r)) => cells(r, &d.dataset),
            _ => Vec::new(),
        }
    }

    /// `status:past_due`, `severity:high` (its worst open alert), `tenant:acme`.
    fn field(&self, src: Rows, row: usize, key: &str, value: &str) -> Option<bool> {
        let r = src.attention.get(row)?;
        let data = src.data?;
        Some(match key {
            "status" => r
                .activity
                .as_ref()
                .and_then(|a| a.status)
                .is_some_and(|s| data.dataset.resolve(s).eq_ignore_ascii_case(value)),
            "severity" | "sev" => r.worst.is_some_and(|w| w.name() == value),
            "tenant" => r.tenant.eq_ignore_ascii_case(value),
            _ => return None,
        })
    }

    fn subtitle(&self, state: &AppState) -> String {
        super::period_label(state)
    }

    fn draw_top(&self, frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
        let Some(data) = &state.data else { return };
        let v = &data.views;
        let o = &v.overview;
        let inner = Rect {
            x: area.x + 1,
            y: area.y + 1,
            width: area.width.saturating_sub(2),
            height: 3.min(area.height.saturating_sub(2)),
        };
        let bold = theme.accent().add_modifier(Modifier::BOLD);
        let needs = state
            .attention
            .iter()
            .filter(|r| r.needs_attention())
            .count();
        let open: u32 = state.attention.iter().map(|r| r.open).sum();
        // Three short lines, so the key figures fit the grid's narrow pane uncut.
        let alerts = if *state.pane_load(PaneId::Alerts) == crate::tui::state::PaneLoad::Loading {
            Span::styled(" · alerts loading…", theme.muted())
        } else {
            Span::raw(format!(" · {} open alerts", count(u64::from(open))))
        };
        let kpi1 = Line::from(vec![
            Span::styled(format!("{needs} of {}", state.attention.len()), bold),
            Span::raw(" need attention"),
            alerts,
        ]);
        // The period's money, as the rows below and the review have it.
        let (mut risk, mut savings) = (Impact::default(), Impact::default());
        for r in &state.attention {
            risk.merge(&r.at_risk);
            savings.merge(&r.savings);
        }
        let kpi2 = Line::from(vec![
            Span::raw("At risk "),
            Span::styled(risk.range(), theme.bad()),
            Span::raw(" · savings "),
            Span::styled(savings.range(), theme.good()),
        ]);
        let mut kpi3 = vec![
            Span::styled(v.decisions.due_this_month.to_string(), theme.warn()),
            Span::raw(" reviews due this month"),
        ];
        // The overview counts the last 90 days' events, whatever the period: shown
        // only when that is the period, so no figure here belongs to another one. The
        // events of the tenants listed here, whatever their subscription's status (the
        // seed's overview, `o.events`, counts only active ones).
        if state.params.period == crate::domain::PeriodSpec::Trailing(90) {
            let events: u32 = state
                .attention
                .iter()
                .filter_map(|r| r.activity.as_ref())
                .map(|a| a.total())
                .sum();
            kpi3.push(Span::raw(" · "));
            kpi3.push(Span::styled(count(u64::from(events)), bold));
            kpi3.push(Span::raw(" events"));
        }
        if o.subscriptions_left_out > 0 {
            kpi3.push(Span::styled(
                format!(
                    " · {} subscription rows not read: plans may be missing",
                    o.subscriptions_left_out
                ),
                theme.warn(),
            ));
        }
        if !o.has_subscriptions {
            kpi3.push(Span::styled(
                " · no plans (no subscriptions table)",
                theme.muted(),
            ));
        }
        frame.render_widget(Paragraph::new(vec![kpi1, kpi2, Line::from(kpi3)]), inner);
    }

    fn details(&self, d: &mut Doc, state: &AppState, row: usize) -> Option<String> {
        let data = state.data.as_ref()?;
        let (ds, v) = (&data.dataset, &data.views);
        let r = state.attention.get(row)?;
        d.heading("Needs attention");
        d.kv(
            "Open alerts",
            match r.worst {
                Some(w) => format!("{} (worst {})", r.open, w.name()),
                None => "none".to_owned(),
            },
        );
        d.kv("Rising revenue risks", r.rising.to_string());
        d.kv("Revenue at risk", r.at_risk.range());
        d.kv("Estimated savings", r.savings.range());
        let today = state.params.today;
        let mut open: Vec<_> = state
            .triage
            .alerts
            .iter()
            .filter(|a| {
                a.tenant == r.tenant
                    && a.triage.status.is_open()
                    && crate::triage::cycle::is_current(&a.period, today)
            })
            .collect();
        open.sort_by_key(|a| std::cmp::Reverse(a.severity));
        for a in open.iter().take(8) {
            d.bullet(format!(
                "{} · {} · {}",
                a.severity.name(),
                a.triage.status,
                a.title
            ));
        }
        if open.len() > 8 {
            d.muted(&format!("… and {} more in the Alerts pane", open.len() - 8));
        }
        if let Some(a) = &r.activity {
            d.heading("Last 90 days");
            d.kv(
                "Strategic activity",
                format!("{} ({} events)", a.level.label(), a.total()),
            );
            d.kv("Revenue trends", a.revenue.to_string());
            d.kv("Cost optimization", a.cost.to_string());
            d.kv("Strategic decisions", a.decisions.to_string());
            d.kv("Plan", a.plan.map_or("—", |p| ds.resolve(p)));
            d.kv("Subscription", a.status.map_or("—", |p| ds.resolve(p)));
            d.kv(
                "Current period start",
                a.current_period_start
                    .map_or("—".to_owned(), |p| p.to_string()),
            );
        }
        let Some(tenant) = r.sym else {
            return Some(format!("{} · no events in the data", r.tenant));
        };
        let s = executive_summary(ds, v, tenant);
        let rp = &s.revenue_protection;
        part(
            d,
            format!("Revenue protection · {}", s.timeframe),
            ("Approximate impact", &rp.approximate_impact),
            rp.process_follow_up_required,
            (
                "Directional risk indicators:",
                &rp.directional_risk_indicators,
                "none in this period",
            ),
            &rp.strategic_recommendations,
        );
        let co = &s.cost_optimization;
        part(
            d,
            format!("Cost optimization · {}", s.timeframe),
            ("Approximate savings", &co.approximate_savings),
            co.process_follow_up_required,
            (
                "Opportunities:",
                &co.optimization_opportunities,
                "none in this period",
            ),
            &co.strategic_recommendations,
        );
        let sp = &s.strategic_planning;
        part(
            d,
            format!("Strategic planning · {}", s.timeframe),
            ("Decisions tracked", &sp.decisions_tracked.to_string()),
            sp.process_follow_up_required,
            (
                "Patterns:",
                &sp.decision_patterns,
                "no decisions in this period",
            ),
            &sp.strategic_recommendations,
        );
        Some(format!("{} · executive summary", s.tenant_id))
    }
}

/// One part of a tenant's executive summary: its figure, whether it needs a process
/// follow-up, what it found and what it recommends.
fn part(
    d: &mut Doc,
    heading: String,
    (name, figure): (&str, &str),
    follow_up: bool,
    (label, found, none): (&str, &[String], &str),
    recommendations: &[String],
) {
    d.heading(heading);
    d.kv(name, figure.to_owned());
    d.kv("Process follow-up", yes_no(follow_up));
    d.lines.push(Line::raw(format!("  {label}")));
    d.bullets(found, none);
    d.lines.push(Line::raw("  Recommendations:"));
    d.bullets(recommendations, "");
}
