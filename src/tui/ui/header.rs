//! The header: where the data comes from, as of when, the period, and mode badges.

use crate::config::theme::Theme;
use crate::domain::Origin;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    frame.render_widget(Paragraph::new("").style(theme.header()), area);
    let mut left = vec![Span::styled(
        " bearing ",
        theme.header().add_modifier(Modifier::BOLD),
    )];
    match &state.origin {
        Origin::Demo => left.push(Span::styled(" DEMO DATA ", theme.badge())),
        other => left.push(Span::styled(format!(" {} ", other.label()), theme.header())),
    }
    if let Some(d) = &state.data {
        left.push(Span::styled(
            format!(" as of {} ", d.loaded_at.format("%Y-%m-%d %H:%M UTC")),
            theme.header(),
        ));
        // On narrow screens the comparison is in each pane's details instead.
        let period = if area.width >= 100 {
            format!("· {} vs {} ", d.views.period.label, d.views.previous.label)
        } else {
            format!("· {} ", d.views.period.label)
        };
        left.push(Span::styled(period, theme.header()));
    }
    frame.render_widget(Paragraph::new(Line::from(left)), area);

    let mut right = Vec::new();
    if state.in_flight.is_some() {
        let what = if state.data.is_some() {
            " REFRESHING "
        } else {
            " LOADING "
        };
        right.push(Span::styled(what, theme.badge()));
        right.push(Span::raw(" "));
    }
    if state.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.badge()));
        right.push(Span::raw(" "));
    }
    if !right.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(right)).alignment(Alignment::Right),
            area,
        );
    }
}
