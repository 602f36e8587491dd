//! What flows through the loop: messages into `update`, effects out of it to the
//! workers.

use super::state::LoadError;
use super::triage::{TriageReply, TriageRequest};
use crate::domain::PeriodSpec;
use crate::engine::EngineParams;
use crate::engine::rollup::Cursor;
use crate::executor::{Answer, EvidenceAnswer};
use crate::keys::Action;
use crate::posthog::client::{Freshness, QueryResult};
use crate::posthog::error::PostHogError;
use crate::posthog::queries::Part;
use crate::refresh::Triage;
use crate::store::StoreError;
use crate::store::open::StoreStatus;
use crate::store::snapshots::Snapshot;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Action(Action),
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
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end cleanly.
    Signal(i32),
    /// One part's answer, from whichever executor holds the events.
    Fetched {
        generation: u64,
        part: Part,
        result: Result<Answer, LoadError>,
        at: DateTime<Utc>,
    },
    /// Several parts' answers made together (the local executor's panes, from one
    /// pass over the events): applied at once, the views built once for all of them.
    FetchedTogether {
        generation: u64,
        answers: Vec<(Part, Answer)>,
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
    /// An alert's evidence events.
    Evidence {
        alert: String,
        result: Result<EvidenceAnswer, LoadError>,
        at: DateTime<Utc>,
    },
    /// The store's offline snapshots for the period, and when they were read (to tell
    /// today in the zone they were cut in).
    Snapshots {
        snapshots: Vec<Snapshot>,
        at: DateTime<Utc>,
    },
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
    /// Change triage state in the store.
    Triage(TriageRequest),
    /// Ask the executor for these parts; each answer comes back on its own.
    Fetch {
        generation: u64,
        params: EngineParams,
        parts: Vec<Part>,
        /// Fresh when the analyst pressed refresh (PostHog computes again, a file is
        /// read again); else a cached answer will do.
        fresh: Freshness,
    },
    /// Ask PostHog for the decision log's next page.
    FetchPage {
        generation: u64,
        cursor: Cursor,
        /// The log's first instant: pages go no further back.
        since: i64,
    },
    /// Meet the store with what the rules raised on the alert rollup.
    SyncStore {
        generation: u64,
        alerts: Vec<crate::engine::alerts::AlertCandidate>,
        followups: Vec<crate::engine::followups::FollowUpCandidate>,
        /// Raised on a fresh answer, not a snapshot: what it does not raise is cleared.
        complete: bool,
    },
    /// Ask the executor for an alert's evidence events.
    FetchEvidence {
        alert: String,
        /// What the rule counted: the local executor reads the events by it.
        key: crate::engine::alerts::rules::Key,
        /// The period the answer is kept under, and the day it is for.
        params: EngineParams,
        /// How many of the newest events (a page more than were shown).
        per: usize,
        /// The query PostHog's executor runs: built here, where the raw texts of the
        /// key's symbols are.
        q: Option<crate::posthog::client::HogQl>,
    },
    /// Read the offline snapshots of a period from the store.
    LoadSnapshots {
        period: PeriodSpec,
    },
    /// Walk the review meeting of the cockpit's period on this screen; the loop runs
    /// it and comes back to the cockpit as it was.
    Present,
    Quit,
}
