//! Overview: tenants by strategic activity over the last 90 days (the seed's strategic
//! overview), with the key figures above.

use super::listing::SignalList;
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::domain::Sym;
use crate::engine::Views;
use crate::engine::overview::{ActivityLevel, OverviewRow};
use crate::engine::summaries::executive_summary;
use crate::tui::state::AppState;
use crate::tui::ui::details::{Doc, yes_no};
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::count;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::borrow::Cow;

pub struct Overview;

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(3)).min(13),
    Col::left("Activity", Constraint::Length(12)),
    Col::right("Rev", Constraint::Length(3)),
    Col::right("Cost", Constraint::Length(4)),
    Col::right("Dec", Constraint::Length(3)),
    Col::left("Plan", Constraint::Fill(1)).min(9).drop(2),
    Col::left("Status", Constraint::Fill(1)).min(8).drop(3),
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

impl SignalList for Overview {
    /// Three lines of key figures, then the column header.
    const META: Meta = Meta::new(PaneId::Overview, "Overview", "Overview", &COLS).top(4);
    type Row = OverviewRow;

    fn rows<'a>(&self, v: &'a Views) -> Cow<'a, [OverviewRow]> {
        Cow::Borrowed(&v.overview.rows)
    }

    fn cells(&self, ds: &Dataset, _: &Views, r: &OverviewRow) -> Vec<Cell> {
        let name = |s: Option<Sym>| s.map_or("—", |s| ds.shown(s)).to_owned();
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::styled(level_mark(r.level), level_style(r.level)),
            Cell::new(r.revenue.to_string()),
            Cell::new(r.cost.to_string()),
            Cell::new(r.decisions.to_string()),
            Cell::new(name(r.plan)),
            Cell::styled(name(r.status), Theme::muted),
        ]
    }

    fn subtitle(&self, _state: &AppState) -> String {
        "last 90 days".to_owned()
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
        let levels = |l| o.rows.iter().filter(|r| r.level == l).count() as u64;
        let bold = theme.accent().add_modifier(Modifier::BOLD);
        let kpi1 = Line::from(vec![
            Span::styled(count(o.rows.len() as u64), bold),
            Span::raw(" tenants, "),
            Span::styled(count(u64::from(o.events)), bold),
            Span::raw(" events: "),
            Span::styled(levels(ActivityLevel::High).to_string(), bold),
            Span::raw(" High · "),
            Span::styled(levels(ActivityLevel::Moderate).to_string(), theme.accent()),
            Span::raw(" Moderate · "),
            Span::styled(levels(ActivityLevel::Low).to_string(), theme.accent()),
            Span::raw(" Low"),
        ]);
        let kpi2 = Line::from(vec![
            Span::raw("Revenue at risk "),
            Span::styled(o.revenue_impact.range(), theme.bad()),
            Span::raw(" · savings "),
            Span::styled(o.savings.range(), theme.good()),
        ]);
        let mut kpi3 = vec![
            Span::styled(v.decisions.due_this_month.to_string(), theme.warn()),
            Span::raw(" reviews due this month"),
        ];
        if o.without_active_subscription > 0 {
            kpi3.push(Span::styled(
                format!(" · {} inactive not shown", o.without_active_subscription),
                theme.muted(),
            ));
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

    fn details(&self, d: &mut Doc, ds: &Dataset, v: &Views, r: &OverviewRow) -> String {
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
        format!("{} · executive summary", s.tenant_id)
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
