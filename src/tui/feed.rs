//! Every source's data reaches the panes one way: a refresh asks the executor for
//! every part at once (the local one reads the file or the demo, PostHog's sends
//! HogQL, three queries in flight); each answer updates its own pane as it arrives,
//! and input stays live throughout. A failed part keeps its pane's last data and
//! says why; when PostHog cannot be reached at all the header says OFFLINE, with the
//! age of what is shown. PostHog's answers are read into rollups here, on the UI side,
//! because their strings must join the dataset's interner (a few milliseconds of pure
//! work); the local executor's come as rollups over its dataset.

use super::navigate::refilter_keeping;
use super::panes::PaneId;
use super::state::{AppState, Data, Level, LoadError, PaneLoad};
use super::update::Effect;
use crate::domain::{Dataset, Interner};
use crate::engine::rollup::Rollups;
use crate::executor::Answer;
use crate::posthog::client::{Freshness, QueryResult};
use crate::posthog::error::PostHogError;
use crate::posthog::fetch;
use crate::posthog::queries::{self, Part, Scope};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Feed {
    pub rollups: Rollups,
    pub scope: Scope,
    /// Queries of the current refresh still out.
    pub fetching: BTreeSet<Part>,
    /// This refresh's failures, for the summary when it ends.
    pub failures: Vec<(Part, LoadError)>,
    /// Why PostHog could not be reached, while it cannot.
    pub offline: Option<String>,
    /// The newest word from a slow query (retrying, running).
    pub progress: Option<String>,
    /// The last status line the refresh itself wrote: its end replaces that, never
    /// what the user did meanwhile.
    pub said: Option<String>,
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
    /// Stored evidence answers, by alert, for offline use: the longest page kept,
    /// with how many events a key it asked for.
    pub evidence_snapshots: rustc_hash::FxHashMap<String, (usize, QueryResult)>,
    /// How many evidence events were asked for, by alert (a page more each time).
    pub evidence_per: rustc_hash::FxHashMap<String, usize>,
}

impl Feed {
    pub fn new(scope: Scope) -> Feed {
        Feed {
            scope,
            ..Feed::default()
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

/// The panes a part's answer fills: the alert rollup raises the alerts and the
/// follow-ups.
pub fn panes_of(part: Part) -> &'static [PaneId] {
    match part {
        Part::Overview => &[PaneId::Overview],
        Part::Revenue => &[PaneId::Revenue],
        Part::Cost => &[PaneId::Cost],
        Part::Decisions => &[PaneId::Decisions],
        Part::Health => &[PaneId::Health],
        Part::Alerts => &[PaneId::Alerts, PaneId::FollowUps],
    }
}

/// Sets the load state of the panes a part fills.
fn set_load(state: &mut AppState, part: Part, load: impl Fn(&PaneLoad) -> PaneLoad) {
    for pane in panes_of(part) {
        let slot = &mut state.load[pane.index()];
        *slot = load(slot);
    }
}

pub fn part_of(name: &str) -> Option<Part> {
    Part::ALL.into_iter().find(|p| p.query_name() == name)
}

/// Starts a full refresh the user asked for, unless one is running; its end is
/// announced.
pub fn refresh(state: &mut AppState) -> Vec<Effect> {
    if !state.feed.fetching.is_empty() {
        let text = "a refresh is already running; its answers are on their way";
        say(state, text.to_owned());
        return Vec::new();
    }
    say(state, format!("refreshing {}", state.origin.label()));
    let effects = begin(state, false, Freshness::Fresh);
    state.reload = Some(state.generation);
    effects
}

/// Sends every pane's query under a new generation (older answers are then dropped).
/// `first` also asks the store for the snapshots to show meanwhile.
pub fn begin(state: &mut AppState, first: bool, fresh: Freshness) -> Vec<Effect> {
    state.generation += 1;
    let generation = state.generation;
    let r = &mut state.feed;
    r.fetching = Part::ALL.into_iter().collect();
    r.failures.clear();
    r.progress = None;
    for part in Part::ALL {
        set_load(state, part, |slot| match slot.as_of() {
            Some(as_of) => PaneLoad::Refreshing { as_of },
            None => PaneLoad::Loading,
        });
    }
    state.in_flight = Some(generation);
    let mut effects = Vec::new();
    // Until the answers come: the snapshots PostHog's were kept in (the store's
    // alerts come on their own when it opens).
    if first {
        effects.push(Effect::LoadSnapshots {
            period: state.params.period,
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
        let views = crate::engine::build(&rollups, &ds.strings, &params);
        Data {
            dataset: Arc::new(ds),
            views: Arc::new(views),
            loaded_at: DateTime::<Utc>::MIN_UTC,
        }
    });
    &mut Arc::make_mut(&mut data.dataset).strings
}

/// Reads an answer into its rollup; an unreadable one is an error like any other.
pub(super) fn apply(state: &mut AppState, part: Part, answer: Answer) -> Result<(), LoadError> {
    let rollup = match answer {
        Answer::Local { dataset, rollup } => {
            adopt(state, dataset);
            rollup
        }
        Answer::Query(answer) => {
            let rollup = read(state, part, &answer)?;
            // PostHog's subscriptions table comes with the overview.
            if let (queries::PartRollup::Overview(o), Some(d)) = (&rollup, state.data.as_mut()) {
                Arc::make_mut(&mut d.dataset).subscriptions = o.subscriptions.clone();
            }
            rollup
        }
    };
    fetch::apply(&mut state.feed.rollups, rollup);
    Ok(())
}

fn read(
    state: &mut AppState,
    part: Part,
    answer: &QueryResult,
) -> Result<queries::PartRollup, PostHogError> {
    let (params, scope) = (state.params, state.feed.scope.clone());
    queries::read(part, answer, strings(state), &params, &scope)
        .map_err(|detail| fetch::bad(part.query_name(), detail))
}

/// Holds the dataset a local answer was made from. A new one (a reload) names every
/// earlier symbol as the old one did (`source::ingest::rebase`), so the rollups of
/// parts not answered yet still read right.
fn adopt(state: &mut AppState, dataset: Arc<Dataset>) {
    match state.data.as_mut() {
        Some(d) if Arc::ptr_eq(&d.dataset, &dataset) => {}
        Some(d) => d.dataset = dataset,
        None => {
            let views = crate::engine::build(&Rollups::default(), &dataset.strings, &state.params);
            state.data = Some(Data {
                dataset,
                views: Arc::new(views),
                loaded_at: DateTime::<Utc>::MIN_UTC,
            });
        }
    }
}

/// Builds the views again from the rollups (milliseconds: they are small).
pub(super) fn rebuild(state: &mut AppState, at: DateTime<Utc>) {
    let (r, Some(data)) = (&state.feed, state.data.as_mut()) else {
        return;
    };
    let views = crate::engine::build(&r.rollups, &data.dataset.strings, &state.params);
    data.views = Arc::new(views);
    data.loaded_at = data.loaded_at.max(at);
    for part in Part::ALL {
        for pane in panes_of(part) {
            refilter_keeping(state, *pane);
        }
    }
}

/// Parts' answers: one as PostHog's come, or several made together. The views are
/// built once for all of them (each build is every pane's, so five answers built one
/// by one built the decision log five times before the first screen).
pub fn on_fetched(
    state: &mut AppState,
    generation: u64,
    answers: Vec<(Part, Result<Answer, LoadError>)>,
    at: DateTime<Utc>,
) -> Vec<Effect> {
    if generation != state.generation {
        return Vec::new();
    }
    let (mut applied, mut alerts) = (false, false);
    let mut parts = Vec::with_capacity(answers.len());
    for (part, result) in answers {
        parts.push(part);
        match result.and_then(|answer| apply(state, part, answer)) {
            Ok(()) => {
                // The alerts are done when the store has met what the rules raise (the
                // sync's answer); until then they stay as the refresh began them.
                if part != Part::Alerts {
                    set_load(state, part, |_| PaneLoad::Loaded { as_of: at });
                }
                state.feed.from_snapshot.remove(&part);
                applied = true;
                alerts |= part == Part::Alerts;
            }
            Err(e) => {
                set_load(state, part, |slot| match slot.as_of() {
                    Some(as_of) => PaneLoad::Stale {
                        as_of,
                        error: e.to_string(),
                    },
                    None => PaneLoad::Failed(e.clone()),
                });
                state.feed.failures.push((part, e));
            }
        }
    }
    if applied {
        rebuild(state, at);
    }
    let effects = if alerts {
        super::feed_alerts::raise(state)
    } else {
        Vec::new()
    };
    for part in parts {
        state.feed.fetching.remove(&part);
    }
    if state.feed.fetching.is_empty() {
        state.in_flight = None;
        finish(state);
    }
    effects
}

/// Says how the refresh went, once every answer is in: its failures now; its success
/// once the store has met its alerts too.
fn finish(state: &mut AppState) {
    let r = &mut state.feed;
    r.progress = None;
    let offline = r.failures.iter().find(|(_, e)| e.is_offline());
    r.offline = offline.map(|(_, e)| e.to_string());
    let failures = std::mem::take(&mut r.failures);
    let oldest = oldest_shown(state);
    let Some((_, first)) = failures.first() else {
        if state.syncing != Some(state.generation) {
            announce(state, 0);
        }
        return;
    };
    state.reload = None;
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

/// Says something about the refresh under way, as the refresh's own word.
pub(super) fn say(state: &mut AppState, text: String) {
    state.feed.said = Some(text.clone());
    state.say(Level::Info, text);
}

/// The end of a refresh that went well: where the data came from, what the triage
/// panes hold, and what could not be read. Said when the user asked for the refresh,
/// or when the status line holds nothing else (a key's echo, a warning and a period
/// change's new period stay).
pub fn announce(state: &mut AppState, fired: usize) {
    let asked = state.reload.is_some_and(|g| g == state.generation);
    if asked {
        state.reload = None;
    }
    let ours = match &state.status {
        None => true,
        Some(s) => state.feed.said.as_deref() == Some(s.text.as_str()),
    };
    state.feed.said = None;
    if !(asked || ours) {
        return;
    }
    let mut text = format!(
        "refreshed from {}: {} alerts, {} follow-ups",
        state.origin.label(),
        state.triage.alerts.len(),
        state.triage.followups.len()
    );
    if fired > 0 {
        text.push_str(&format!(", {fired} new"));
    }
    let broken = state.data.as_ref().map_or(0, |d| d.dataset.ingest.broken);
    if broken > 0 {
        text.push_str(&format!(
            "; {broken} broken lines skipped (see Data health)"
        ));
        state.say(Level::Warn, text);
    } else {
        state.say(Level::Info, text);
    }
}

/// The oldest data on a PostHog pane, for the OFFLINE badge's age.
pub fn oldest_shown(state: &AppState) -> Option<DateTime<Utc>> {
    Part::ALL
        .into_iter()
        .filter_map(|p| state.load[pane_of(p).index()].as_of())
        .min()
}

pub fn on_progress(state: &mut AppState, generation: u64, text: String) {
    if generation == state.generation {
        state.feed.progress = Some(text.clone());
        say(state, text);
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
    let r = &mut state.feed;
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
    state.feed.paging = false;
    if generation != state.generation {
        return;
    }
    let page = state.feed.scope.page;
    // The rollup is taken out while the answer's strings join the dataset's.
    let mut d = std::mem::take(&mut state.feed.rollups.decisions);
    let read = result.and_then(|answer| fetch::append_page(&mut d, &answer, strings(state), page));
    state.feed.rollups.decisions = d;
    match read {
        Ok(()) => rebuild(state, at),
        Err(e) => state.say(
            Level::Error,
            format!("more decisions could not be fetched: {e}"),
        ),
    }
}
