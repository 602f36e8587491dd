//! PostHog's answers kept in the store, shown while a refresh's fresh ones are on
//! their way (an offline start shows only them, marked not refreshed). A local source
//! is always at hand and keeps none.

use super::feed::{apply, pane_of, part_of, rebuild, say};
use super::state::{AppState, PaneLoad};
use super::update::Effect;
use crate::domain::{Origin, Zone};
use crate::executor::Answer;
use crate::posthog::client::QueryResult;
use crate::posthog::queries::Part;
use crate::store::snapshots::Snapshot;
use chrono::{DateTime, Utc};

/// The zone stored answers were cut in, when the user chose none: an offline start
/// then shows them in the project's zone, as they were fetched, not in UTC.
fn adopt_snapshot_zone(state: &mut AppState, snapshots: &[Snapshot], now: DateTime<Utc>) {
    if state.feed.zone_chosen {
        return;
    }
    let today_fixed = state.feed.today_fixed;
    let zone = snapshots.iter().find_map(|s| {
        let answer = serde_json::from_str::<QueryResult>(&s.body).ok()?;
        answer
            .timezone
            .as_deref()
            .map(|z| Zone::parse(z).unwrap_or_default())
    });
    if let Some(zone) = zone.filter(|z| *z != state.params.zone) {
        state.params.zone = zone;
        state.params.today = today_fixed.unwrap_or_else(|| zone.today(now));
    }
}

/// Shows snapshots for the panes no fresh answer has reached yet.
pub fn on_snapshots(
    state: &mut AppState,
    snapshots: Vec<Snapshot>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    adopt_snapshot_zone(state, &snapshots, now);
    let mut shown = 0;
    let mut newest = None;
    let mut alerts = false;
    for s in snapshots {
        if let Some((per, alert)) = super::feed_alerts::alert_of_snapshot(&s.part) {
            let kept = state.feed.evidence_snapshots.get(alert).map(|(n, _)| *n);
            if kept.is_none_or(|n| n < per)
                && let Ok(answer) = serde_json::from_str::<QueryResult>(&s.body)
            {
                (state.feed.evidence_snapshots).insert(alert.to_owned(), (per, answer));
            }
            continue;
        }
        let Some(part) = part_of(&s.part) else {
            continue;
        };
        let pane = pane_of(part).index();
        // The Alerts pane shows the store's rows meanwhile; the rollup is wanted until
        // the rules have run on one.
        let wanted = match part {
            Part::Alerts => !state.feed.alerts_raised,
            _ => matches!(state.load[pane], PaneLoad::Loading | PaneLoad::Failed(_)),
        };
        if !wanted {
            continue;
        }
        let Ok(answer) = serde_json::from_str::<QueryResult>(&s.body) else {
            continue;
        };
        if apply(state, part, Answer::Query(Box::new(answer))).is_err() {
            continue;
        }
        let fetching = state.feed.fetching.contains(&part);
        state.load[pane] = if fetching {
            PaneLoad::Refreshing {
                as_of: s.fetched_at,
            }
        } else {
            PaneLoad::Stale {
                as_of: s.fetched_at,
                error: "not refreshed".to_owned(),
            }
        };
        state.feed.from_snapshot.insert(part);
        alerts |= part == Part::Alerts;
        newest = newest.max(Some(s.fetched_at));
        shown += 1;
    }
    if let Some(at) = newest {
        rebuild(state, at);
        if let Some(d) = state.data.as_mut() {
            d.loaded_at = at;
        }
        if state.status.is_none() {
            let text = format!(
                "{shown} panes from the snapshot of {}; refreshing",
                state.params.zone.stamp(at)
            );
            say(state, text);
        }
    }
    if alerts {
        super::feed_alerts::raise(state)
    } else {
        Vec::new()
    }
}

/// The key snapshots are kept under: where, never how to get in.
pub fn source_key(origin: &Origin) -> String {
    match origin {
        Origin::PostHog { host, project } => format!("posthog {host} {project}"),
        other => other.label(),
    }
}
