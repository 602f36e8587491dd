//! The cockpit over PostHog. A refresh sends every pane's query at once (the client
//! keeps three in flight); each answer updates its own pane as it arrives, and input
//! stays live throughout. A failed pane keeps its last data and says why; when PostHog
//! cannot be reached at all the header says OFFLINE, with the age of what is shown.
//! Answers are read into rollups here, on the UI side, because the strings they bring
//! must join the dataset's interner; that is a few milliseconds of pure work.

use super::navigate::refilter_keeping;
use super::panes::PaneId;
use super::state::{AppState, Data, Level, PaneLoad};
use super::update::Effect;
use crate::domain::{Interner, Origin, Zone};
use crate::engine::rollup::Rollups;
use crate::posthog::client::{Freshness, QueryResult};
use crate::posthog::error::PostHogError;
use crate::posthog::fetch;
use crate::posthog::queries::{self, Part, Scope};
use crate::store::snapshots::Snapshot;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Remote {
    pub rollups: Rollups,
    pub scope: Scope,
    /// Queries of the current refresh still out.
    pub fetching: BTreeSet<Part>,
    /// This refresh's failures, for the summary when it ends.
    pub failures: Vec<(Part, PostHogError)>,
    /// Why PostHog could not be reached, while it cannot.
    pub offline: Option<String>,
    /// The newest word from a slow query (retrying, running).
    pub progress: Option<String>,
    /// A decision-log page is being fetched.
    pub paging: bool,
    /// Panes shown from a snapshot rather than a fresh answer.
    pub from_snapshot: BTreeSet<Part>,
    /// The user chose the zone (flag, environment, config); else it is the project's.
    pub zone_chosen: bool,
    /// The date `--today` fixed, if it did.
    pub today_fixed: Option<chrono::NaiveDate>,
    /// The rules' thresholds and watched events (`[alerts]`).
    pub alert_cfg: crate::engine::alerts::AlertConfig,
    /// The alerts the rules raised on the rollup held, by identity, with the key their
    /// evidence events are found by.
    pub fired: rustc_hash::FxHashMap<String, crate::engine::alerts::rules::Key>,
    /// Evidence events fetched (or read from a snapshot), by alert.
    pub evidence: rustc_hash::FxHashMap<String, Vec<crate::engine::alerts::EvidenceEvent>>,
    /// Alerts whose evidence was asked for and has not come back yet.
    pub evidence_pending: BTreeSet<String>,
    /// The rules have run on an alert rollup (fresh or from a snapshot).
    pub alerts_raised: bool,
    /// Stored evidence answers, by alert, for offline use.
    pub evidence_snapshots: rustc_hash::FxHashMap<String, QueryResult>,
}

impl Remote {
    pub fn new(scope: Scope) -> Remote {
        Remote {
            scope,
            ..Remote::default()
        }
    }
}

pub fn pane_of(part: Part) -> PaneId {
    match part {
        Part::Overview => PaneId::Overview,
        Part::Revenue => PaneId::Revenue,
        Part::Cost => PaneId::Cost,
        Part::Decisions => PaneId::Decisions,
        Part::Health => PaneId::Health,
        Part::Alerts => PaneId::Alerts,
    }
}

pub fn part_of(name: &str) -> Option<Part> {
    Part::ALL.into_iter().find(|p| p.query_name() == name)
}

/// Starts a full refresh, unless one is running.
pub fn refresh(state: &mut AppState) -> Vec<Effect> {
    let Some(r) = state.remote.as_mut() else {
        return Vec::new();
    };
    if !r.fetching.is_empty() {
        state.say(
            Level::Info,
            "a refresh is already running; its answers are on their way",
        );
        return Vec::new();
    }
    begin(state, false, Freshness::Fresh)
}

/// Sends every pane's query under a new generation (older answers are then dropped).
/// `first` also asks the store for the snapshots to show meanwhile.
pub fn begin(state: &mut AppState, first: bool, fresh: Freshness) -> Vec<Effect> {
    state.generation += 1;
    let generation = state.generation;
    let Some(r) = state.remote.as_mut() else {
        return Vec::new();
    };
    r.fetching = Part::ALL.into_iter().collect();
    r.failures.clear();
    r.progress = None;
    for part in Part::ALL {
        let slot = &mut state.load[pane_of(part).index()];
        *slot = match slot.as_of() {
            Some(as_of) => PaneLoad::Refreshing { as_of },
            None => PaneLoad::Loading,
        };
    }
    state.in_flight = Some(generation);
    let mut effects = Vec::new();
    if first {
        effects.push(Effect::LoadSnapshots {
            period: state.params.period,
        });
        // What the store holds, until the alert rollup's answer raises this refresh's.
        state.syncing = Some(generation);
        effects.push(Effect::SyncStore {
            generation,
            alerts: Vec::new(),
            followups: Vec::new(),
        });
    }
    effects.push(Effect::Fetch {
        generation,
        params: state.params,
        parts: Part::ALL.to_vec(),
        fresh,
    });
    effects
}

/// The dataset's strings, to intern an answer's into, creating the (event-less)
/// dataset on the first answer.
fn strings(state: &mut AppState) -> &mut Interner {
    let (origin, params) = (state.origin.clone(), state.params);
    let data = state.data.get_or_insert_with(|| {
        let rollups = Rollups::default();
        let ds = fetch::dataset(origin, Interner::default(), &rollups);
        let views = crate::engine::build(&rollups, &ds.strings, None, &params);
        Data {
            dataset: Arc::new(ds),
            views: Arc::new(views),
            loaded_at: DateTime::<Utc>::MIN_UTC,
        }
    });
    &mut Arc::make_mut(&mut data.dataset).strings
}

/// Reads an answer into its rollup; an unreadable one is an error like any other.
fn apply(state: &mut AppState, part: Part, answer: &QueryResult) -> Result<(), PostHogError> {
    let params = state.params;
    let scope = state
        .remote
        .as_ref()
        .map(|r| r.scope.clone())
        .unwrap_or_default();
    let rollup = queries::read(part, answer, strings(state), &params, &scope)
        .map_err(|detail| fetch::bad(part.query_name(), detail))?;
    if let Some(r) = state.remote.as_mut() {
        fetch::apply(&mut r.rollups, rollup);
    }
    Ok(())
}

/// Builds the views again from the rollups (milliseconds: they are small).
fn rebuild(state: &mut AppState, at: DateTime<Utc>) {
    let (Some(r), Some(data)) = (state.remote.as_ref(), state.data.as_mut()) else {
        return;
    };
    let ds = Arc::make_mut(&mut data.dataset);
    ds.subscriptions = r.rollups.overview.subscriptions.clone();
    let views = crate::engine::build(&r.rollups, &ds.strings, None, &state.params);
    data.views = Arc::new(views);
    data.loaded_at = data.loaded_at.max(at);
    for part in Part::ALL {
        refilter_keeping(state, pane_of(part));
    }
}

pub fn on_fetched(
    state: &mut AppState,
    generation: u64,
    part: Part,
    result: Result<Box<QueryResult>, PostHogError>,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    if generation != state.generation {
        return Vec::new();
    }
    let result = result.and_then(|answer| apply(state, part, &answer));
    let pane = pane_of(part).index();
    let mut effects = Vec::new();
    match result {
        Ok(()) => {
            state.load[pane] = PaneLoad::Loaded { as_of: at };
            if let Some(r) = state.remote.as_mut() {
                r.from_snapshot.remove(&part);
            }
            rebuild(state, at);
            if part == Part::Alerts {
                effects = super::remote_alerts::raise(state);
            }
        }
        Err(e) => {
            state.load[pane] = match state.load[pane].as_of() {
                Some(as_of) => PaneLoad::Stale {
                    as_of,
                    error: e.to_string(),
                },
                None => PaneLoad::Failed(e.clone().into()),
            };
            if let Some(r) = state.remote.as_mut() {
                r.failures.push((part, e));
            }
        }
    }
    let Some(r) = state.remote.as_mut() else {
        return effects;
    };
    r.fetching.remove(&part);
    if r.fetching.is_empty() {
        state.in_flight = None;
        finish(state);
    }
    effects
}

/// Says how the refresh went, once every answer is in.
fn finish(state: &mut AppState) {
    let Some(r) = state.remote.as_mut() else {
        return;
    };
    r.progress = None;
    let offline = r.failures.iter().find(|(_, e)| e.is_offline());
    r.offline = offline.map(|(_, e)| e.to_string());
    let failures = std::mem::take(&mut r.failures);
    let oldest = oldest_shown(state);
    let Some((_, first)) = failures.first() else {
        state.say(Level::Info, "refreshed from PostHog");
        return;
    };
    let zone = state.params.zone;
    let kept = oldest.map_or_else(
        || "nothing to show yet".to_owned(),
        |t| format!("showing data from {}", zone.stamp(t)),
    );
    let what = if failures.len() == Part::ALL.len() {
        "refresh failed".to_owned()
    } else {
        format!(
            "{} of {} panes not refreshed",
            failures.len(),
            Part::ALL.len()
        )
    };
    state.say(Level::Error, format!("{what}: {first}; {kept}. R retries"));
}

/// The oldest data on a PostHog pane, for the OFFLINE badge's age.
pub fn oldest_shown(state: &AppState) -> Option<DateTime<Utc>> {
    Part::ALL
        .into_iter()
        .filter_map(|p| state.load[pane_of(p).index()].as_of())
        .min()
}

pub fn on_progress(state: &mut AppState, generation: u64, text: String) {
    if generation == state.generation
        && let Some(r) = state.remote.as_mut()
    {
        r.progress = Some(text.clone());
        state.say(Level::Info, text);
    }
}

/// The zone stored answers were cut in, when the user chose none: an offline start
/// then shows them in the project's zone, as they were fetched, not in UTC.
fn adopt_snapshot_zone(state: &mut AppState, snapshots: &[Snapshot], now: DateTime<Utc>) {
    let Some(r) = state.remote.as_ref().filter(|r| !r.zone_chosen) else {
        return;
    };
    let today_fixed = r.today_fixed;
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
        if let Some(alert) = super::remote_alerts::alert_of_snapshot(&s.part) {
            if let (Some(r), Ok(answer)) = (
                state.remote.as_mut(),
                serde_json::from_str::<QueryResult>(&s.body),
            ) {
                r.evidence_snapshots.insert(alert.to_owned(), answer);
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
            Part::Alerts => state.remote.as_ref().is_some_and(|r| !r.alerts_raised),
            _ => matches!(state.load[pane], PaneLoad::Loading | PaneLoad::Failed(_)),
        };
        if !wanted {
            continue;
        }
        let Ok(answer) = serde_json::from_str::<QueryResult>(&s.body) else {
            continue;
        };
        if apply(state, part, &answer).is_err() {
            continue;
        }
        let fetching = state
            .remote
            .as_ref()
            .is_some_and(|r| r.fetching.contains(&part));
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
        if let Some(r) = state.remote.as_mut() {
            r.from_snapshot.insert(part);
        }
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
            state.say(
                Level::Info,
                format!(
                    "{shown} panes from the snapshot of {}; refreshing",
                    state.params.zone.stamp(at)
                ),
            );
        }
    }
    if alerts {
        super::remote_alerts::raise(state)
    } else {
        Vec::new()
    }
}

/// Asks for the next page of the decision log when the selection nears the end of
/// the rows held.
pub fn maybe_page(state: &mut AppState) -> Vec<Effect> {
    let generation = state.generation;
    let near_end = {
        let p = state.pane(PaneId::Decisions);
        p.visible.len().saturating_sub(p.selected) <= 50
    };
    let Some(r) = state.remote.as_mut() else {
        return Vec::new();
    };
    let Some(cursor) = r.rollups.decisions.cursor else {
        return Vec::new();
    };
    if r.paging || !near_end || !r.fetching.is_empty() {
        return Vec::new();
    }
    r.paging = true;
    let since = r.rollups.decisions.since;
    vec![Effect::FetchPage {
        generation,
        cursor,
        since,
    }]
}

pub fn on_page(
    state: &mut AppState,
    generation: u64,
    result: Result<Box<QueryResult>, PostHogError>,
    at: DateTime<Utc>,
) {
    if let Some(r) = state.remote.as_mut() {
        r.paging = false;
    }
    if generation != state.generation {
        return;
    }
    let page = state
        .remote
        .as_ref()
        .map_or(queries::DECISION_PAGE, |r| r.scope.page);
    // The rollup is taken out while the answer's strings join the dataset's.
    let mut d = state
        .remote
        .as_mut()
        .map(|r| std::mem::take(&mut r.rollups.decisions))
        .unwrap_or_default();
    let read = result.and_then(|answer| fetch::append_page(&mut d, &answer, strings(state), page));
    if let Some(r) = state.remote.as_mut() {
        r.rollups.decisions = d;
    }
    match read {
        Ok(()) => rebuild(state, at),
        Err(e) => state.say(
            Level::Error,
            format!("more decisions could not be fetched: {e}"),
        ),
    }
}

/// The key snapshots are kept under: where, never how to get in.
pub fn source_key(origin: &Origin) -> String {
    match origin {
        Origin::PostHog { host, project } => format!("posthog {host} {project}"),
        other => other.label(),
    }
}
