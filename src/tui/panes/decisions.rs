//! Decision log: every strategic decision, newest first, with its review date.

use super::listing::SignalList;
use super::{Meta, PaneId};
use crate::config::theme::Theme;
use crate::domain::Dataset;
use crate::engine::Views;
use crate::engine::decisions::DecisionRow;
use crate::engine::decisions::ReviewStatus;
use crate::tui::state::AppState;
use crate::tui::ui::details::Doc;
use crate::tui::ui::table::{Cell, Col};
use crate::tui::ui::widgets::count;
use chrono::Datelike;
use ratatui::layout::Constraint;
use std::borrow::Cow;

pub struct Decisions;

const COLS: [Col; 8] = [
    Col::left("Date", Constraint::Length(10)),
    Col::left("Tenant", Constraint::Fill(2)).min(12),
    Col::left("Decision", Constraint::Fill(2)).min(12),
    Col::left("Level", Constraint::Length(9)).drop(2),
    Col::left("Outcome", Constraint::Fill(1)).min(10).drop(3),
    Col::left("Timeframe", Constraint::Length(10)).drop(4),
    Col::left("Review on", Constraint::Length(10)),
    Col::left("Review", Constraint::Length(8)),
];

impl SignalList for Decisions {
    const META: Meta = Meta::new(PaneId::Decisions, "Decision log", "Decisions", &COLS);
    type Row = DecisionRow;

    fn rows<'a>(&self, v: &'a Views) -> Cow<'a, [DecisionRow]> {
        Cow::Borrowed(&v.decisions.rows)
    }

    fn cells(&self, ds: &Dataset, v: &Views, r: &DecisionRow) -> Vec<Cell> {
        let status_style = match r.status {
            ReviewStatus::DueThisMonth => Theme::warn,
            ReviewStatus::Upcoming => Theme::accent,
            ReviewStatus::Past | ReviewStatus::Unknown => Theme::muted,
        };
        vec![
            Cell::new(
                v.zone
                    .date_of(r.entry.at)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            Cell::new(ds.tenant(r.entry.tenant)),
            Cell::new(ds.shown(r.entry.category)),
            Cell::new(ds.shown(r.entry.maker_level)),
            Cell::new(ds.shown(r.entry.outcome)),
            Cell::new(ds.shown(r.entry.timeframe)),
            Cell::new(r.next_review.map_or("—".to_owned(), |d| d.to_string())),
            Cell::styled(r.status.word(), status_style),
        ]
    }

    fn subtitle(&self, state: &AppState) -> String {
        state.data.as_ref().map_or(String::new(), |d| {
            let log = &d.views.decisions;
            let mut s = format!("{} due this month", count(u64::from(log.due_this_month)));
            if log.unchecked > 0 {
                s.push_str(&format!(
                    " (+{} with odd dates unchecked)",
                    count(u64::from(log.unchecked))
                ));
            }
            if let Some(day) = log.since {
                s.push_str(&format!(" · since {}", day.format("%b %Y")));
            }
            s
        })
    }

    fn details(&self, d: &mut Doc, ds: &Dataset, v: &Views, r: &DecisionRow) -> String {
        let or_dash = |s| ds.shown(s).to_owned();
        d.heading("Decision");
        d.kv(
            "Date",
            v.zone
                .date_of(r.entry.at)
                .map_or("—".to_owned(), |x| x.to_string()),
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
        format!(
            "{} · {}",
            ds.tenant(r.entry.tenant),
            ds.shown(r.entry.category)
        )
    }
}
