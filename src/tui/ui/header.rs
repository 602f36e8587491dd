//! The header: where the data comes from, as of when, the period, alert counts by
//! state, and mode badges. When it does not fit, the least important parts go first.

use crate::config::theme::Theme;
use crate::domain::Origin;
use crate::triage::Status;
use crate::tui::state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

fn width(spans: &[Span]) -> usize {
    spans.iter().map(|s| s.content.width()).sum()
}

/// "4 new · 2 ack · 1 snoozed", the open alerts by state.
pub fn alert_counts(state: &AppState) -> Option<String> {
    let count = |s: Status| {
        state
            .triage
            .alerts
            .iter()
            .filter(|a| a.triage.status == s)
            .count()
    };
    let parts: Vec<String> = [
        (Status::New, "new"),
        (Status::Acknowledged, "ack"),
        (Status::Snoozed, "snoozed"),
    ]
    .into_iter()
    .map(|(s, word)| (count(s), word))
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}"))
    .collect();
    (!state.triage.alerts.is_empty()).then(|| {
        if parts.is_empty() {
            "alerts: all handled".to_owned()
        } else {
            format!("alerts: {}", parts.join(" · "))
        }
    })
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let head = theme.header();
    let mut essential = vec![Span::styled(" bearing ", head.add_modifier(Modifier::BOLD))];
    match &state.origin {
        Origin::Demo => essential.push(Span::styled(" DEMO DATA ", theme.badge())),
        other => essential.push(Span::styled(format!(" {} ", other.label()), head)),
    }
    // `--today` moves every period: the date in use is never hidden.
    if let Some(d) = state.feed.today_fixed {
        essential.push(Span::styled(format!(" today {d} "), theme.badge()));
    }
    let (as_of, period, compare) = match &state.data {
        Some(d) => (
            // A PostHog cockpit whose first answer was unreadable has no time yet.
            (d.loaded_at != chrono::DateTime::<chrono::Utc>::MIN_UTC)
                .then(|| format!(" as of {}", state.params.zone.stamp(d.loaded_at))),
            Some(format!(" · {}", d.views.period.label)),
            Some(format!(" vs {}", d.views.previous.label)),
        ),
        None => (None, None, None),
    };
    let mut right: Vec<Span> = Vec::new();
    if let Some(counts) = alert_counts(state) {
        let new = state
            .triage
            .alerts
            .iter()
            .any(|a| a.triage.status == Status::New);
        right.push(Span::styled(
            format!("{counts} "),
            if new {
                head.add_modifier(Modifier::BOLD)
            } else {
                head
            },
        ));
    }
    if state.in_flight.is_some() || state.syncing.is_some() {
        let what = if state.data.is_some() {
            " REFRESHING "
        } else {
            " LOADING "
        };
        right.push(Span::styled(what, theme.badge()));
        right.push(Span::styled(" ", head));
    }
    if state.feed.offline.is_some() {
        let age = crate::tui::feed::oldest_shown(state)
            .map(|t| format!(" · {} old", age(chrono::Utc::now() - t)))
            .unwrap_or_default();
        right.push(Span::styled(format!(" OFFLINE{age} "), theme.badge_alert()));
        right.push(Span::styled(" ", head));
    }
    if !state.store.is_writable() {
        right.push(Span::styled(" READ-ONLY ", theme.badge_alert()));
        right.push(Span::styled(" ", head));
    }
    let total = usize::from(area.width);
    // Drop the least important parts until everything fits: the comparison, then
    // the time, and the period last (what the numbers are of matters most).
    let mut optional: Vec<Option<String>> = vec![as_of, period, compare];
    const DROP_ORDER: [usize; 3] = [2, 0, 1];
    loop {
        let mut left = essential.clone();
        left.extend(
            optional
                .iter()
                .flatten()
                .map(|t| Span::styled(t.clone(), head)),
        );
        if width(&left) + width(&right) < total || optional.iter().all(Option::is_none) {
            let gap = total.saturating_sub(width(&left) + width(&right));
            left.push(Span::styled(" ".repeat(gap), head));
            left.extend(right);
            frame.render_widget(Paragraph::new(Line::from(left)).style(head), area);
            return;
        }
        if let Some(i) = DROP_ORDER.into_iter().find(|i| optional[*i].is_some()) {
            optional[i] = None;
        }
    }
}

/// "45 s", "12 min", "3 h", "2 d": how old the data on screen is.
pub fn age(d: chrono::TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..172_800 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Zone;
    use crate::tui::fixture::loaded;
    use ratatui::{Terminal, backend::TestBackend};

    fn header_text(state: &AppState) -> String {
        let width = state.size.0;
        let mut terminal = Terminal::new(TestBackend::new(width, 1)).unwrap_or_else(|e| {
            panic!("{e}");
        });
        let theme = &state.themes[0];
        let _ = terminal.draw(|f| render(f, f.area(), state, theme));
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol()).collect()
    }

    #[test]
    fn the_header_names_a_zone_that_is_not_utc_and_shows_its_time() {
        let mut s = loaded((160, 40));
        // Loaded at 09:30 UTC.
        let utc = header_text(&s);
        assert!(utc.contains("as of 2026-11-28 09:30 UTC"), "{utc}");
        s.params.zone = Zone::parse("Asia/Kolkata").unwrap_or_default();
        let kolkata = header_text(&s);
        assert!(
            kolkata.contains("as of 2026-11-28 15:00 Asia/Kolkata"),
            "{kolkata}"
        );
        s.params.zone = Zone::parse("America/New_York").unwrap_or_default();
        let ny = header_text(&s);
        assert!(
            ny.contains("as of 2026-11-28 04:30 America/New_York"),
            "{ny}"
        );
    }

    #[test]
    fn a_date_fixed_with_today_is_shown_even_at_80_columns() {
        let mut s = loaded((80, 24));
        assert!(!header_text(&s).contains("today "));
        s.feed.today_fixed = chrono::NaiveDate::from_ymd_opt(2027, 1, 2);
        let h = header_text(&s);
        assert!(h.contains(" today 2027-01-02 "), "{h}");
    }

    /// At 80 columns a longer count of alerts (after a triage action) drops the time
    /// before the period: what the numbers are of stays in view.
    #[test]
    fn the_period_outlasts_the_time_when_the_header_is_short_of_room() {
        let mut s = loaded((80, 24));
        for a in s.triage.alerts.iter_mut().take(3) {
            a.triage.status = crate::triage::Status::Acknowledged;
        }
        s.triage.alerts[3].triage.status = crate::triage::Status::Snoozed;
        let h = header_text(&s);
        assert!(h.contains("alerts: 124 new · 3 ack · 1 snoozed"), "{h}");
        assert!(h.contains("last 90 days"), "{h}");
    }
}
