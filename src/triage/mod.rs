//! Triage, pure: the alert lifecycle (PagerDuty/Alertmanager vocabulary) and the
//! follow-up lifecycle. `apply` takes a state and a command and returns the new state
//! or a refusal a user can read; the store persists the result with an audit record.
//!
//! ```text
//! new ──ack──▶ acknowledged ──resolve──▶ resolved ──reopen──▶ new
//!  │  └────────────resolve───────────────▲
//!  ├─snooze(until)─▶ snoozed ──(due)──▶ back to new or acknowledged
//!  └─dismiss(reason)─▶ dismissed ──reopen──▶ new
//! new, acknowledged, snoozed ──(the data no longer shows it)──▶ cleared
//! cleared ──(the data shows it again)──▶ new; cleared ──resolve, dismiss, reopen──▶ …
//! ```

pub mod cycle;
pub mod followup;
pub mod snooze;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use snooze::SnoozeFor;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    New,
    Acknowledged,
    Snoozed,
    Resolved,
    Dismissed,
    /// The data no longer shows the condition (a refresh of its cycle did not raise
    /// it): kept, with its record, rather than deleted, and new again if it recurs.
    Cleared,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Acknowledged,
        Status::Snoozed,
        Status::Resolved,
        Status::Dismissed,
        Status::Cleared,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Acknowledged => "acknowledged",
            Status::Snoozed => "snoozed",
            Status::Resolved => "resolved",
            Status::Dismissed => "dismissed",
            Status::Cleared => "cleared",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|st| st.name() == s || (s == "ack" && *st == Status::Acknowledged))
    }

    /// Still asks for attention: not resolved or dismissed.
    pub fn is_open(self) -> bool {
        matches!(self, Status::New | Status::Acknowledged | Status::Snoozed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An alert's triage state, as stored and as audited (before → after).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageState {
    pub status: Status,
    /// While snoozed: until when, and the state to return to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_from: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismiss_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// What a user (or bearing itself, for `Wake`) asks of an alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    Acknowledge,
    Resolve,
    Snooze {
        until: NaiveDate,
    },
    Dismiss {
        reason: String,
    },
    Reopen,
    SetOwner {
        owner: Option<String>,
    },
    /// A snooze came due: back to the state before it.
    Wake,
    /// The data no longer shows the alert's condition.
    Clear,
    /// The data shows a cleared alert's condition again.
    Recur,
}

impl Command {
    /// The verb in the audit log and the footer.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Acknowledge => "acknowledge",
            Command::Resolve => "resolve",
            Command::Snooze { .. } => "snooze",
            Command::Dismiss { .. } => "dismiss",
            Command::Reopen => "reopen",
            Command::SetOwner { .. } => "set owner",
            Command::Wake => "wake",
            Command::Clear => "clear",
            Command::Recur => "recur",
        }
    }
}

/// Why a command was refused, in words for the footer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refuse<T>(text: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(text.into()))
}

/// Cleans what a user typed for an owner, note or reason: trimmed, inert, bounded.
pub fn clean_text(s: &str, max_chars: usize) -> String {
    let s = crate::domain::sanitize::sanitize(s.trim()).into_owned();
    s.chars().take(max_chars).collect()
}

pub fn apply(
    state: &TriageState,
    command: &Command,
    today: NaiveDate,
) -> Result<TriageState, Refusal> {
    let mut next = state.clone();
    let from = state.status;
    match command {
        Command::Acknowledge => match from {
            Status::New | Status::Snoozed => next.status = Status::Acknowledged,
            Status::Acknowledged => return refuse("already acknowledged"),
            Status::Resolved | Status::Dismissed | Status::Cleared => {
                return refuse(format!(
                    "cannot acknowledge a {from} alert; reopen it first"
                ));
            }
        },
        Command::Resolve => match from {
            Status::New | Status::Acknowledged | Status::Snoozed | Status::Cleared => {
                next.status = Status::Resolved
            }
            Status::Resolved => return refuse("already resolved"),
            Status::Dismissed => {
                return refuse("cannot resolve a dismissed alert; reopen it first");
            }
        },
        Command::Snooze { until } => {
            if *until <= today {
                return refuse("a snooze must end after today");
            }
            match from {
                Status::New | Status::Acknowledged => next.snoozed_from = Some(from),
                // Snoozing again moves the date and keeps the state to return to.
                Status::Snoozed => {}
                Status::Resolved | Status::Dismissed | Status::Cleared => {
                    return refuse(format!("cannot snooze a {from} alert"));
                }
            }
            next.status = Status::Snoozed;
            next.snoozed_until = Some(*until);
        }
        Command::Dismiss { reason } => {
            if reason.trim().is_empty() {
                return refuse("a dismissal needs a reason");
            }
            match from {
                Status::New | Status::Acknowledged | Status::Snoozed | Status::Cleared => {
                    next.status = Status::Dismissed;
                    next.dismiss_reason = Some(clean_text(reason, 200));
                }
                Status::Dismissed => return refuse("already dismissed"),
                Status::Resolved => return refuse("cannot dismiss a resolved alert"),
            }
        }
        Command::Reopen => match from {
            Status::Resolved | Status::Dismissed | Status::Cleared => {
                next.status = Status::New;
                next.dismiss_reason = None;
            }
            _ => {
                return refuse(format!(
                    "only resolved, dismissed or cleared alerts can be reopened; this one is {from}"
                ));
            }
        },
        Command::SetOwner { owner } => {
            let owner = owner
                .as_deref()
                .map(|o| clean_text(o, 60))
                .filter(|o| !o.is_empty());
            if owner == state.owner {
                return refuse("that is already the owner");
            }
            next.owner = owner;
            return Ok(next);
        }
        Command::Wake => {
            if from != Status::Snoozed {
                return refuse("not snoozed");
            }
            if state.snoozed_until.is_some_and(|u| u > today) {
                return refuse("the snooze is not due yet");
            }
            next.status = state.snoozed_from.unwrap_or(Status::New);
        }
        Command::Clear => {
            if !from.is_open() {
                return refuse(format!("a {from} alert is not cleared"));
            }
            next.status = Status::Cleared;
        }
        Command::Recur => {
            if from != Status::Cleared {
                return refuse("not cleared");
            }
            next.status = Status::New;
        }
    }
    if next.status != Status::Snoozed {
        next.snoozed_until = None;
        next.snoozed_from = None;
    }
    Ok(next)
}

/// Whether a snoozed alert is due to wake today.
pub fn snooze_due(state: &TriageState, today: NaiveDate) -> bool {
    state.status == Status::Snoozed && state.snoozed_until.is_none_or(|u| u <= today)
}

#[cfg(test)]
mod tests;
