//! The details of the selected row (Enter), written by its pane (`Pane::details`) into
//! a [`Doc`]: headings, key/value lines and bullets, drawn in the overlay.

use crate::config::theme::Theme;
use crate::domain::{Dataset, Zone};
use crate::engine::Views;
use crate::store::alerts::Note;
use crate::tui::panes;
use crate::tui::state::AppState;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

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
        // A key as wide as the column still keeps a space before its value.
        let key = if key.width() >= 22 {
            format!("  {key} ")
        } else {
            format!("  {key:<22}")
        };
        self.lines.push(Line::from(vec![
            Span::styled(key, self.theme.muted()),
            Span::raw(value.into()),
        ]));
    }

    pub fn bullet(&mut self, text: impl Into<String>) {
        self.lines.push(Line::raw(format!("  • {}", text.into())));
    }

    /// A heading and a "name ×count" bullet per entry.
    pub fn counted(&mut self, title: &str, ds: &Dataset, list: &[(crate::domain::Sym, u32)]) {
        self.heading(title);
        let items: Vec<String> = list
            .iter()
            .map(|(s, n)| format!("{} ×{n}", ds.resolve(*s)))
            .collect();
        self.bullets(&items, "none");
    }

    /// The month-by-month counts behind a sparkline.
    pub fn months(&mut self, v: &Views, monthly: &[u32]) {
        self.heading("Last 12 months");
        self.lines
            .push(Line::raw(format!("  {}", months_line(v, monthly))));
    }

    pub fn bullets(&mut self, items: &[String], empty: &str) {
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

    /// The notes of an alert or a follow-up; `add` is the key that adds one.
    pub fn notes(&mut self, notes: &[Note], add: &str, zone: Zone) {
        self.heading("Notes");
        if notes.is_empty() {
            self.muted(&format!("none yet: {add} adds one"));
        }
        for n in notes {
            self.bullet(format!("{} {}: {}", when(zone, &n.at), n.who, n.text));
        }
    }
}

/// A time the store keeps (RFC 3339, UTC) as the cockpit shows times: to the minute,
/// in the zone in use, named. Anything else is shown as it is.
pub fn when(zone: Zone, stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_owned(),
        |t| zone.stamp(t.with_timezone(&chrono::Utc)),
    )
}

pub fn yes_no(b: bool) -> &'static str {
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
    let title = panes::pane(state.focus).details(&mut d, state, row)?;
    Some((title, d.lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_show_to_the_minute_in_the_zone_in_use() {
        let at = "2026-12-01T07:39:54.093Z";
        assert_eq!(when(Zone::UTC, at), "2026-12-01 07:39 UTC");
        let kolkata = Zone::parse("Asia/Kolkata").unwrap_or_default();
        assert_eq!(when(kolkata, at), "2026-12-01 13:09 Asia/Kolkata");
        assert_eq!(when(Zone::UTC, "yesterday"), "yesterday");
    }

    #[test]
    fn a_key_as_wide_as_its_column_keeps_a_space_before_the_value() {
        let theme = crate::tui::fixture::loaded((80, 24)).themes[0].clone();
        let mut d = Doc {
            theme: &theme,
            lines: Vec::new(),
        };
        d.kv("estimated savings (sum of midpoints)", "$24K");
        d.kv("Tenant", "acme");
        let text = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        assert_eq!(
            text(&d.lines[0]),
            "  estimated savings (sum of midpoints) $24K"
        );
        assert_eq!(text(&d.lines[1]), format!("  {:<22}acme", "Tenant"));
    }
}
