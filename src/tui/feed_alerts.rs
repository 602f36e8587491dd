//! Alerts in the cockpit, for every source: when the alert rollup arrives (fresh or
//! from a snapshot) the rules run on it, here in `update` (they are pure and take
//! milliseconds), and the store meets what they raised. An alert's evidence events are
//! asked of the executor when its details open (the local one reads its dataset,
//! PostHog's runs one query, kept with the snapshots and read back from there when
//! PostHog cannot be reached).

use super::panes::PaneId;
use super::state::LoadError;
use super::state::{AppState, Level};
use super::update::Effect;
use crate::engine::alerts::rollup::Windows;
use crate::engine::alerts::rules::Key;
use crate::engine::alerts::{EVIDENCE_EVENTS, EvidenceEvent};
use crate::engine::followups;
use crate::executor::EvidenceAnswer;
use crate::posthog::client::QueryResult;
use crate::posthog::queries::{Bounds, Rows, evidence};
use chrono::{DateTime, Utc};

/// The name an alert's evidence is kept under among the snapshots, with how many
/// events a key it asked for (each page is kept; the longest is read back).
pub fn snapshot_part(alert: &str, per: usize) -> String {
    format!("{} {per} {alert}", evidence::NAME)
}

/// The alert an evidence snapshot belongs to, and how many events it asked for (a
/// snapshot from before pages: the first page).
pub fn alert_of_snapshot(part: &str) -> Option<(usize, &str)> {
    let rest = part.strip_prefix(evidence::NAME)?.strip_prefix(' ')?;
    Some(match rest.split_once(' ') {
        Some((n, alert)) if n.parse::<usize>().is_ok() => {
            (n.parse().unwrap_or(EVIDENCE_EVENTS), alert)
        }
        _ => (EVIDENCE_EVENTS, rest),
    })
}

/// The most evidence events shown for one alert: fifty pages.
pub const MAX_EVIDENCE: usize = 50 * EVIDENCE_EVENTS;

/// Runs the rules on the alert rollup held, and asks the store to meet the result.
pub fn raise(state: &mut AppState) -> Vec<Effect> {
    let (r, Some(data)) = (&mut state.feed, state.data.as_ref()) else {
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
    // Evidence read before stands on other data: asked again when the details open.
    r.evidence.clear();
    r.evidence_per.clear();
    let alerts = crate::engine::alerts::sorted(fired.into_iter().map(|f| f.alert).collect());
    let generation = state.generation;
    state.syncing = Some(generation);
    let complete = !r
        .from_snapshot
        .contains(&crate::posthog::queries::Part::Alerts);
    vec![Effect::SyncStore {
        generation,
        alerts,
        followups,
        complete,
    }]
}

/// The evidence events known for an alert, once fetched (or read from a snapshot).
pub fn evidence_of<'a>(state: &'a AppState, alert: &str) -> Option<&'a [EvidenceEvent]> {
    state.feed.evidence.get(alert).map(Vec::as_slice)
}

/// What the details say of evidence events that are not shown yet.
pub fn missing_note(state: &AppState, alert: &str, shown: u32, total: u32) -> Option<String> {
    if shown > 0 || total == 0 {
        return None;
    }
    let from = source_word(state);
    Some(if state.feed.evidence_pending.contains(alert) {
        format!("{total} events: asking {from} for them…")
    } else {
        format!("{total} events in {from}, not fetched (they come when the details open)")
    })
}

/// Where the events are, in a few words.
fn source_word(state: &AppState) -> &'static str {
    match state.origin {
        crate::domain::Origin::PostHog { .. } => "PostHog",
        crate::domain::Origin::File { .. } => "the file",
        crate::domain::Origin::Demo => "the demo data",
    }
}

/// The alert selected in the Alerts pane, if that is where the focus is.
fn selected_alert(state: &AppState) -> Option<String> {
    if state.focus != PaneId::Alerts {
        return None;
    }
    let row = state.selected_row(PaneId::Alerts)?;
    super::panes::row_id(state.rows(PaneId::Alerts), PaneId::Alerts, row)
}

/// On opening an alert's details: its evidence, from what is held, else from a
/// snapshot, else asked of the executor.
pub fn evidence_for_details(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected_alert(state) else {
        return Vec::new();
    };
    let r = &state.feed;
    if r.evidence.contains_key(&id) || r.evidence_pending.contains(&id) {
        return Vec::new();
    }
    let Some(key) = r.fired.get(&id).copied() else {
        // An alert of an earlier period the rules no longer raise: what the store
        // kept is all there is.
        return Vec::new();
    };
    if let Some((per, answer)) = r.evidence_snapshots.get(&id).cloned() {
        state.feed.evidence_per.insert(id.clone(), per);
        read_into(state, &id, &answer, per);
        return Vec::new();
    }
    ask(state, id, key, EVIDENCE_EVENTS)
}

/// The next page of the open alert's evidence events (`m` in its details).
pub fn more_evidence(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected_alert(state) else {
        return Vec::new();
    };
    let Some(a) = state.triage.alerts.iter().find(|a| a.id == id) else {
        return Vec::new();
    };
    let total = a.evidence.total_events as usize;
    let shown = evidence_of(state, &id).map_or(a.evidence.events.len(), <[_]>::len);
    let r = &state.feed;
    let asked = r.evidence_per.get(&id).copied().unwrap_or(EVIDENCE_EVENTS);
    let key = r.fired.get(&id).copied();
    let text = if r.evidence_pending.contains(&id) {
        "the evidence events are on their way".to_owned()
    } else if shown >= total {
        format!("all {total} evidence events are shown")
    } else if shown >= MAX_EVIDENCE {
        format!("the newest {shown} of {total} evidence events are shown; that is the most")
    } else if let Some(key) = key {
        let per = (asked.max(shown) + EVIDENCE_EVENTS).min(MAX_EVIDENCE);
        return ask(state, id, key, per);
    } else {
        "an alert of an earlier period: its evidence is what was kept".to_owned()
    };
    state.say(Level::Info, text);
    Vec::new()
}

/// Asks the executor for an alert's newest `per` evidence events.
fn ask(state: &mut AppState, id: String, key: Key, per: usize) -> Vec<Effect> {
    let Some(data) = state.data.as_ref() else {
        return Vec::new();
    };
    let r = &state.feed;
    let w = Windows::new(state.params.today, state.params.zone);
    let b = Bounds::new(&state.params);
    let q = evidence::query(
        &[key],
        &r.rollups.alerts,
        &data.dataset.strings,
        &b,
        &w,
        &r.scope,
        per,
    );
    state.feed.evidence_pending.insert(id.clone());
    state.feed.evidence_per.insert(id.clone(), per);
    let text = format!("fetching the evidence events from {}…", source_word(state));
    state.say(Level::Info, text);
    vec![Effect::FetchEvidence {
        alert: id,
        key,
        params: state.params,
        per,
        q,
    }]
}

/// Reads an evidence answer for `alert` into the events shown.
fn read_into(state: &mut AppState, alert: &str, answer: &QueryResult, per: usize) -> bool {
    let w = Windows::new(state.params.today, state.params.zone);
    let Some(key) = state.feed.fired.get(alert).copied() else {
        return false;
    };
    let Some(data) = state.data.as_mut() else {
        return false;
    };
    let strings = &mut std::sync::Arc::make_mut(&mut data.dataset).strings;
    let read = Rows::new(answer).and_then(|rows| evidence::read(&rows, strings, &w, per));
    match read {
        Ok(mut found) => {
            let events = found.remove(&key).unwrap_or_default();
            state.feed.evidence.insert(alert.to_owned(), events);
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
    result: Result<EvidenceAnswer, LoadError>,
    _at: DateTime<Utc>,
) {
    state.feed.evidence_pending.remove(&alert);
    match result {
        Ok(EvidenceAnswer::Events(events)) => {
            state.feed.evidence.insert(alert, events);
            state.status = None;
        }
        Ok(EvidenceAnswer::Query(answer)) => {
            let per = state.feed.evidence_per.get(&alert).copied();
            if read_into(state, &alert, &answer, per.unwrap_or(EVIDENCE_EVENTS)) {
                state.status = None;
            }
        }
        Err(e) => state.say(
            Level::Error,
            format!("the evidence events could not be fetched: {e}"),
        ),
    }
}
