//! Alerts in the cockpit over PostHog: when the alert rollup arrives (fresh or from a
//! snapshot) the rules run on it, here in `update` (they are pure and take
//! milliseconds), and the store meets what they raised, as after a file's load. An
//! alert's evidence events are asked for when its details open, kept with the
//! snapshots, and read back from there when PostHog cannot be reached.

use super::panes::PaneId;
use super::state::{AppState, Level};
use super::update::Effect;
use crate::engine::alerts::EvidenceEvent;
use crate::engine::alerts::rollup::Windows;
use crate::engine::followups;
use crate::posthog::client::QueryResult;
use crate::posthog::error::PostHogError;
use crate::posthog::queries::{Bounds, Rows, evidence};
use chrono::{DateTime, Utc};

/// The name an alert's evidence is kept under among the snapshots.
pub fn snapshot_part(alert: &str) -> String {
    format!("{} {alert}", evidence::NAME)
}

/// The alert an evidence snapshot belongs to.
pub fn alert_of_snapshot(part: &str) -> Option<&str> {
    part.strip_prefix(evidence::NAME)?.strip_prefix(' ')
}

/// Runs the rules on the alert rollup held, and asks the store to meet the result.
pub fn raise(state: &mut AppState) -> Vec<Effect> {
    let (Some(r), Some(data)) = (state.remote.as_mut(), state.data.as_ref()) else {
        return Vec::new();
    };
    let w = Windows::new(state.params.today, state.params.zone);
    let strings = &data.dataset.strings;
    let fired = crate::engine::alerts::rules::evaluate(
        &r.rollups.alerts,
        strings,
        &w,
        state.params.dead_band,
        &r.alert_cfg,
    );
    let followups = followups::from_rollup(&r.rollups.alerts, strings, &w);
    r.fired = fired.iter().map(|f| (f.alert.id.clone(), f.key)).collect();
    r.alerts_raised = true;
    let alerts = crate::engine::alerts::sorted(fired.into_iter().map(|f| f.alert).collect());
    let generation = state.generation;
    state.syncing = Some(generation);
    vec![Effect::SyncStore {
        generation,
        alerts,
        followups,
    }]
}

/// The evidence events known for an alert, once fetched (or read from a snapshot).
pub fn evidence_of<'a>(state: &'a AppState, alert: &str) -> Option<&'a [EvidenceEvent]> {
    state
        .remote
        .as_ref()?
        .evidence
        .get(alert)
        .map(Vec::as_slice)
}

/// What the details say of events PostHog holds that are not shown yet.
pub fn missing_note(state: &AppState, alert: &str, shown: u32, total: u32) -> Option<String> {
    let r = state.remote.as_ref()?;
    if shown > 0 || total == 0 {
        return None;
    }
    Some(if r.evidence_pending.contains(alert) {
        format!("{total} events: asking PostHog for them…")
    } else {
        format!("{total} events in PostHog, not fetched (they come when the details open)")
    })
}

/// On opening an alert's details: its evidence, from what is held, else from a
/// snapshot, else asked of PostHog.
pub fn evidence_for_details(state: &mut AppState) -> Vec<Effect> {
    if state.focus != PaneId::Alerts {
        return Vec::new();
    }
    let Some(id) = state
        .selected_row(PaneId::Alerts)
        .and_then(|row| super::panes::row_id(state.rows(PaneId::Alerts), PaneId::Alerts, row))
    else {
        return Vec::new();
    };
    let Some(r) = state.remote.as_ref() else {
        return Vec::new();
    };
    if r.evidence.contains_key(&id) || r.evidence_pending.contains(&id) {
        return Vec::new();
    }
    let Some(key) = r.fired.get(&id).copied() else {
        // An alert of an earlier period the rules no longer raise: what the store
        // kept is all there is.
        return Vec::new();
    };
    if let Some(answer) = r.evidence_snapshots.get(&id).cloned() {
        read_into(state, &id, &answer);
        return Vec::new();
    }
    let Some(data) = state.data.as_ref() else {
        return Vec::new();
    };
    let w = Windows::new(state.params.today, state.params.zone);
    let b = Bounds::new(&state.params);
    let q = evidence::query(
        &[key],
        &r.rollups.alerts,
        &data.dataset.strings,
        &b,
        &w,
        &r.scope,
    );
    let Some(q) = q else {
        return Vec::new();
    };
    if let Some(r) = state.remote.as_mut() {
        r.evidence_pending.insert(id.clone());
    }
    state.say(Level::Info, "fetching the evidence events from PostHog…");
    vec![Effect::FetchEvidence {
        generation: state.generation,
        alert: id,
        params: state.params,
        q,
    }]
}

/// Reads an evidence answer for `alert` into the events shown.
fn read_into(state: &mut AppState, alert: &str, answer: &QueryResult) -> bool {
    let w = Windows::new(state.params.today, state.params.zone);
    let Some(key) = state
        .remote
        .as_ref()
        .and_then(|r| r.fired.get(alert).copied())
    else {
        return false;
    };
    let Some(data) = state.data.as_mut() else {
        return false;
    };
    let strings = &mut std::sync::Arc::make_mut(&mut data.dataset).strings;
    let read = Rows::new(answer).and_then(|rows| evidence::read(&rows, strings, &w));
    match read {
        Ok(mut found) => {
            let events = found.remove(&key).unwrap_or_default();
            if let Some(r) = state.remote.as_mut() {
                r.evidence.insert(alert.to_owned(), events);
            }
            true
        }
        Err(e) => {
            state.say(Level::Error, format!("the evidence could not be read: {e}"));
            false
        }
    }
}

pub fn on_evidence(
    state: &mut AppState,
    alert: String,
    result: Result<Box<QueryResult>, PostHogError>,
    _at: DateTime<Utc>,
) {
    if let Some(r) = state.remote.as_mut() {
        r.evidence_pending.remove(&alert);
    }
    match result {
        Ok(answer) => {
            if read_into(state, &alert, &answer) {
                state.status = None;
            }
        }
        Err(e) => state.say(
            Level::Error,
            format!("the evidence events could not be fetched: {e}"),
        ),
    }
}
