//! Everything the cockpit shows, in one place. Rendering borrows it; only `update`
//! changes it.

use super::panes::{self, PANES, PaneId};
use super::triage::TriageRequest;
use crate::config::theme::Theme;
use crate::domain::{Dataset, Origin, PeriodSpec};
use crate::engine::{EngineParams, Views};
use crate::keys::Action;
use crate::keys::keymap::Keymap;
use crate::posthog::error::PostHogError;
use crate::refresh::Triage;
use crate::source::SourceError;
use crate::store::open::StoreStatus;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing a filter for a pane; the filter applies as you type.
    Filter {
        pane: PaneId,
        before: String,
    },
    Help {
        scroll: u16,
    },
    Details {
        scroll: u16,
    },
    /// Typing a note, an owner or a dismissal reason for `targets`.
    Prompt {
        kind: PromptKind,
        input: String,
        pane: PaneId,
        targets: Vec<String>,
        /// The input was filled in (the current owner, due date) and not yet
        /// edited: the first character typed replaces it, as in a selected field.
        replace: bool,
    },
    /// A bulk action waiting for y/n.
    Confirm {
        question: String,
        request: TriageRequest,
    },
    /// Choosing how long to snooze.
    Snooze {
        targets: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    Note,
    Owner,
    DismissReason,
    Due,
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Note => "note",
            PromptKind::Owner => "owner (empty clears it)",
            PromptKind::DismissReason => "reason for dismissing",
            PromptKind::Due => "due date (YYYY-MM-DD, or +N days)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

/// One pane's scroll position and filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaneView {
    /// Position in `visible`.
    pub selected: usize,
    /// First visible row, as a position in `visible`.
    pub offset: usize,
    pub filter: String,
    /// Indices of the rows that pass the filter.
    pub visible: Vec<u32>,
    /// Rows marked for a bulk action (alert or follow-up ids).
    pub marked: BTreeSet<String>,
}

/// A pane's data: what it shows and since when, or why not.
#[derive(Clone, Debug, PartialEq)]
pub enum PaneLoad {
    Loading,
    Loaded {
        as_of: DateTime<Utc>,
    },
    /// A refresh is under way; the data from `as_of` stays on screen.
    Refreshing {
        as_of: DateTime<Utc>,
    },
    /// The last refresh failed; the data from `as_of` stays on screen.
    Stale {
        as_of: DateTime<Utc>,
        error: String,
    },
    Failed(LoadError),
}

/// Why a pane has nothing to show, kept whole; the pane shows its `Display`.
#[derive(Clone, Debug, thiserror::Error)]
pub enum LoadError {
    /// The data could not be read. Shared, since every pane shows the same failure
    /// and an I/O error cannot be copied.
    #[error(transparent)]
    Source(Arc<SourceError>),
    /// PostHog did not answer this pane's query.
    #[error(transparent)]
    PostHog(#[from] PostHogError),
}

impl LoadError {
    /// PostHog could not be reached at all (the header then says OFFLINE).
    pub fn is_offline(&self) -> bool {
        matches!(self, LoadError::PostHog(e) if e.is_offline())
    }
}

impl From<SourceError> for LoadError {
    fn from(e: SourceError) -> Self {
        LoadError::Source(Arc::new(e))
    }
}

/// An I/O error has no equality, so two source failures are the same when they read
/// the same: that is all a pane shows of them.
impl PartialEq for LoadError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (LoadError::Source(a), LoadError::Source(b)) => {
                Arc::ptr_eq(a, b) || a.to_string() == b.to_string()
            }
            (LoadError::PostHog(a), LoadError::PostHog(b)) => a == b,
            _ => false,
        }
    }
}

impl PaneLoad {
    /// When the data on screen was fetched, if there is any.
    pub fn as_of(&self) -> Option<DateTime<Utc>> {
        match self {
            PaneLoad::Loaded { as_of }
            | PaneLoad::Refreshing { as_of }
            | PaneLoad::Stale { as_of, .. } => Some(*as_of),
            PaneLoad::Loading | PaneLoad::Failed(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Data {
    pub dataset: Arc<Dataset>,
    pub views: Arc<Views>,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub origin: Origin,
    pub keymap: Arc<Keymap>,
    pub themes: Vec<Theme>,
    pub theme: usize,
    /// Whether triage changes can be saved, and why not.
    pub store: StoreStatus,
    pub triage: Triage,
    /// Batches this session wrote, newest last: what `u` undoes.
    pub undo: Vec<i64>,
    pub params: EngineParams,
    pub size: (u16, u16),
    pub focus: PaneId,
    pub zoom: bool,
    pub mode: Mode,
    pub panes: [PaneView; PANES],
    pub load: [PaneLoad; PANES],
    pub data: Option<Data>,
    /// A load or recompute in flight, by generation; results of older ones are dropped.
    pub in_flight: Option<u64>,
    /// A load whose alerts the store has not answered for yet.
    pub syncing: Option<u64>,
    /// A reload the user asked for (`R`), by generation: announced once its alerts and
    /// follow-ups are back from the store, so the user (and a test) sees it end.
    pub reload: Option<u64>,
    pub generation: u64,
    pub status: Option<Status>,
    pub should_quit: bool,
    /// The signal that ended the cockpit, if one did (the exit code is 128 + it).
    pub exit_signal: Option<i32>,
    /// The parts' answers as they arrive, and what the current refresh is waiting for.
    pub feed: super::feed::Feed,
    /// Which alerts the Alerts pane lists, and their positions in `triage.alerts`.
    pub alert_view: super::lists::AlertView,
    pub alert_rows: Vec<u32>,
    /// The needs-attention view (pane 1), made from the data and the triage state.
    pub attention: Vec<super::lists::AttentionRow>,
}

impl AppState {
    pub fn new(
        origin: Origin,
        keymap: Keymap,
        themes: Vec<Theme>,
        theme: &str,
        params: EngineParams,
    ) -> AppState {
        let theme = themes.iter().position(|t| t.name == theme).unwrap_or(0);
        AppState {
            origin,
            keymap: Arc::new(keymap),
            themes,
            theme,
            store: StoreStatus::Writable,
            triage: Triage::default(),
            undo: Vec::new(),
            params,
            size: (80, 24),
            focus: PaneId::Overview,
            zoom: false,
            mode: Mode::Normal,
            panes: Default::default(),
            load: std::array::from_fn(|_| PaneLoad::Loading),
            data: None,
            in_flight: None,
            syncing: None,
            reload: None,
            generation: 0,
            status: None,
            should_quit: false,
            exit_signal: None,
            feed: super::feed::Feed::default(),
            alert_view: super::lists::AlertView::default(),
            alert_rows: Vec::new(),
            attention: Vec::new(),
        }
    }

    pub fn theme(&self) -> Option<&Theme> {
        self.themes.get(self.theme)
    }

    pub fn pane(&self, id: PaneId) -> &PaneView {
        &self.panes[id.index()]
    }

    pub fn pane_mut(&mut self, id: PaneId) -> &mut PaneView {
        &mut self.panes[id.index()]
    }

    pub fn pane_load(&self, id: PaneId) -> &PaneLoad {
        &self.load[id.index()]
    }

    pub fn period(&self) -> PeriodSpec {
        self.params.period
    }

    /// What the rows of a pane are read from.
    pub fn rows(&self, id: PaneId) -> panes::Rows<'_> {
        panes::Rows {
            data: self.data.as_ref(),
            triage: &self.triage,
            alerts: &self.alert_rows,
            attention: &self.attention,
            marked: &self.pane(id).marked,
            today: self.params.today,
        }
    }

    /// The key that does `action` now, as the help writes it, for messages and hints
    /// that name it (a rebinding never leaves one naming the old key).
    pub fn key_name(&self, action: Action) -> String {
        self.keymap
            .first_key(action)
            .map_or_else(|| "(unbound)".to_owned(), |k| k.to_string())
    }

    /// The index of the selected row of a pane, if any.
    pub fn selected_row(&self, id: PaneId) -> Option<usize> {
        let p = self.pane(id);
        p.visible.get(p.selected).map(|i| *i as usize)
    }

    pub fn say(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level,
        });
    }
}
