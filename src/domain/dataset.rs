//! What a source hands to the engine: the events, the strings they refer to, the
//! subscriptions table and an honest account of what could not be read.

use super::event::Event;
use super::intern::{Interner, Sym};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq)]
pub struct Subscription {
    pub tenant: Sym,
    pub plan: Sym,
    pub status: Sym,
    pub current_period_start: Option<NaiveDate>,
}

/// A line of an export that could not be read as an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrokenLine {
    pub line: u64,
    pub reason: String,
}

/// How many broken lines are kept with their line number and reason; the rest are
/// only counted, so a file of garbage cannot exhaust memory.
pub const BROKEN_SAMPLES: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IngestStats {
    /// Lines read (including blank and broken ones).
    pub lines: u64,
    pub bytes: u64,
    pub blank: u64,
    pub broken: u64,
    /// The first [`BROKEN_SAMPLES`] broken lines, in file order.
    pub broken_samples: Vec<BrokenLine>,
    /// Well-formed events that are not one of the three strategic events.
    pub other_events: u64,
    /// Strategic events with neither a readable `timestamp` nor `tracking_date`;
    /// kept for data health, left out of every period.
    pub untimed: u64,
    /// Events sent again under a uuid already read (an SDK's retry): counted once.
    pub repeated: u64,
    /// Rows of the subscriptions table that could not be read (not UTF-8, not JSON,
    /// no tenant_id): skipped, so a plan may be missing, and counted so that it shows.
    pub subscriptions_broken: u64,
}

impl IngestStats {
    pub fn add_broken(&mut self, line: u64, reason: impl Into<String>) {
        self.broken += 1;
        if self.broken_samples.len() < BROKEN_SAMPLES {
            self.broken_samples.push(BrokenLine {
                line,
                reason: reason.into(),
            });
        }
    }

    /// Folds the counts of a later part of the same file into these.
    pub fn merge(&mut self, other: IngestStats) {
        self.lines += other.lines;
        self.bytes += other.bytes;
        self.blank += other.blank;
        self.broken += other.broken;
        self.other_events += other.other_events;
        self.untimed += other.untimed;
        self.subscriptions_broken += other.subscriptions_broken;
        self.repeated += other.repeated;
        let room = BROKEN_SAMPLES.saturating_sub(self.broken_samples.len());
        self.broken_samples
            .extend(other.broken_samples.into_iter().take(room));
    }
}

/// Where the data came from, as shown in the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    Demo,
    File {
        path: String,
    },
    /// A PostHog project: its host and project id (never the key).
    #[serde(rename = "posthog")]
    PostHog {
        host: String,
        project: String,
    },
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Demo => "DEMO DATA".to_owned(),
            Origin::File { path } => format!("file: {path}"),
            Origin::PostHog { host, project } => {
                let host = host
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                format!("PostHog {host} · project {project}")
            }
        }
    }
}

/// An event other than the three strategic ones that the config asks bearing to watch
/// (the `custom_event` alert rule), e.g. a competitive-intelligence update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CustomEvent {
    pub name: Sym,
    /// `properties.tenant_id`, else the `distinct_id`.
    pub tenant: Sym,
    pub at: i64,
}

#[derive(Clone, Debug)]
pub struct Dataset {
    pub origin: Origin,
    pub events: Vec<Event>,
    pub strings: Interner,
    /// None when the source has no subscriptions table (a file without one).
    pub subscriptions: Option<Vec<Subscription>>,
    pub ingest: IngestStats,
    /// Watched custom events (empty unless the config names some).
    pub custom: Vec<CustomEvent>,
}

impl Dataset {
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    /// A property for display: a missing one shows as a dash, not as nothing.
    pub fn shown(&self, sym: Sym) -> &str {
        shown(&self.strings, sym)
    }

    /// A tenant for display; events without a tenant_id are grouped under this name.
    pub fn tenant(&self, sym: Sym) -> &str {
        tenant_name(&self.strings, sym)
    }
}

/// A property for display: a missing one shows as a dash, not as nothing.
pub fn shown(strings: &Interner, sym: Sym) -> &str {
    if sym.is_empty() {
        "—"
    } else {
        strings.resolve(sym)
    }
}

/// A tenant for display: a missing `tenant_id` says so.
pub fn tenant_name(strings: &Interner, sym: Sym) -> &str {
    if sym.is_empty() {
        "(no tenant_id)"
    } else {
        strings.resolve(sym)
    }
}
