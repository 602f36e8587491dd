//! What flows through the loop: messages into `update`, effects out of it to the
//! workers.

use super::triage::{TriageReply, TriageRequest};
use crate::domain::{Dataset, PeriodSpec};
use crate::engine::rollup::Cursor;
use crate::engine::{EngineParams, Views};
use crate::keys::Action;
use crate::posthog::client::{Freshness, QueryResult};
use crate::posthog::error::PostHogError;
use crate::posthog::queries::Part;
use crate::refresh::Triage;
use crate::source::SourceError;
use crate::store::StoreError;
use crate::store::open::StoreStatus;
use crate::store::snapshots::Snapshot;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Action(Action),
    Loaded {
        generation: u64,
        result: Result<Box<Loaded>, SourceError>,
        at: DateTime<Utc>,
    },
    /// What the store held when it opened, read while the data loads: the alerts and
    /// follow-ups of earlier sessions are on screen before this load's rules have run.
    Stored(Box<Synced>),
    /// The store met the load's alerts and follow-ups.
    Synced {
        generation: u64,
        synced: Box<Synced>,
    },
    /// The store worker's answer to a triage request.
    TriageDone {
        result: Result<TriageReply, StoreError>,
        store: StoreStatus,
    },
    Computed {
        generation: u64,
        views: Arc<Views>,
    },
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end cleanly.
    Signal(i32),
    /// PostHog's answer for one pane.
    Fetched {
        generation: u64,
        part: Part,
        result: Result<Box<QueryResult>, PostHogError>,
        at: DateTime<Utc>,
    },
    /// The parameters a refresh's queries were cut with, when they differ from the
    /// state's: PostHog named the project's zone (and so today there).
    Zone {
        generation: u64,
        params: crate::engine::EngineParams,
    },
    /// What a slow PostHog query is doing.
    Progress {
        generation: u64,
        text: String,
    },
    /// A further page of the decision log.
    Page {
        generation: u64,
        result: Result<Box<QueryResult>, PostHogError>,
        at: DateTime<Utc>,
    },
    /// An alert's evidence events from PostHog.
    Evidence {
        alert: String,
        result: Result<Box<QueryResult>, PostHogError>,
        at: DateTime<Utc>,
    },
    /// The store's offline snapshots for the period, and when they were read (to tell
    /// today in the zone they were cut in).
    Snapshots {
        snapshots: Vec<Snapshot>,
        at: DateTime<Utc>,
    },
}

/// A finished load: the data and its views. The alerts follow in [`Synced`], so the
/// panes never wait for the database.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Arc<Dataset>,
    pub views: Arc<Views>,
}

/// The alerts and follow-ups as stored after a load.
#[derive(Debug)]
pub struct Synced {
    pub triage: Triage,
    pub store: StoreStatus,
    /// Something the user should know, e.g. that alerts could not be saved.
    pub warning: Option<String>,
    pub fired: usize,
}

#[derive(Debug)]
pub enum Effect {
    /// Read the source and compute every view.
    Load {
        generation: u64,
        params: EngineParams,
    },
    /// Compute the views again from data already loaded (a new period).
    Recompute {
        generation: u64,
        dataset: Arc<Dataset>,
        params: EngineParams,
    },
    /// Change triage state in the store.
    Triage(TriageRequest),
    /// Ask PostHog for these panes, concurrently.
    Fetch {
        generation: u64,
        params: EngineParams,
        parts: Vec<Part>,
        /// Fresh when the analyst pressed refresh; else PostHog's cache will do.
        fresh: Freshness,
    },
    /// Ask PostHog for the decision log's next page.
    FetchPage {
        generation: u64,
        cursor: Cursor,
        /// The log's first instant: pages go no further back.
        since: i64,
    },
    /// Meet the store with what the rules raised on PostHog's alert rollup (nothing,
    /// to read what it holds).
    SyncStore {
        generation: u64,
        alerts: Vec<crate::engine::alerts::AlertCandidate>,
        followups: Vec<crate::engine::followups::FollowUpCandidate>,
    },
    /// Ask PostHog for an alert's evidence events.
    FetchEvidence {
        generation: u64,
        alert: String,
        /// The period the answer is kept under, and the day it is for.
        params: EngineParams,
        q: crate::posthog::client::HogQl,
    },
    /// Read the offline snapshots of a period from the store.
    LoadSnapshots {
        period: PeriodSpec,
    },
    Quit,
}
