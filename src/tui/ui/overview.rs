//! Overview: tenants by strategic activity over the last 90 days (the seed's strategic
//! overview), with the key figures above.

use super::table::{self, Cell, Col};
use super::widgets::{count, pane_block, placeholder};
use crate::config::theme::Theme;
use crate::engine::overview::ActivityLevel;
use crate::tui::pane::PaneId;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const COLS: [Col; 7] = [
    Col::left("Tenant", Constraint::Fill(3)).min(13),
    Col::left("Activity", Constraint::Length(12)),
    Col::right("Rev", Constraint::Length(3)),
    Col::right("Cost", Constraint::Length(4)),
    Col::right("Dec", Constraint::Length(3)),
    Col::left("Plan", Constraint::Fill(1)).min(9).drop(2),
    Col::left("Status", Constraint::Fill(1)).min(8).drop(3),
];

pub fn level_style(level: ActivityLevel, theme: &Theme) -> Style {
    match level {
        ActivityLevel::High => theme.accent().add_modifier(Modifier::BOLD),
        ActivityLevel::Moderate => theme.accent(),
        ActivityLevel::Low => theme.muted(),
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

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let pane = PaneId::Overview;
    frame.render_widget(pane_block(state, pane, theme, "last 90 days"), area);
    if placeholder(frame, area, state, pane, theme) {
        return;
    }
    let Some(data) = &state.data else { return };
    let (ds, v) = (&data.dataset, &data.views);
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
    if !o.has_subscriptions {
        kpi3.push(Span::styled(
            " · no plans (no subscriptions table)",
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(vec![kpi1, kpi2, Line::from(kpi3)]), inner);
    table::draw(frame, area, state, pane, theme, &COLS, |i| {
        let Some(r) = o.rows.get(i) else {
            return Vec::new();
        };
        let name = |s: Option<crate::domain::Sym>| s.map_or("—", |s| ds.shown(s)).to_owned();
        vec![
            Cell::new(ds.tenant(r.tenant)),
            Cell::styled(level_mark(r.level), level_style(r.level, theme)),
            Cell::new(r.revenue.to_string()),
            Cell::new(r.cost.to_string()),
            Cell::new(r.decisions.to_string()),
            Cell::new(name(r.plan)),
            Cell::styled(name(r.status), theme.muted()),
        ]
    });
}
