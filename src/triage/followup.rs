//! The follow-up lifecycle: a process task with an owner and a due date (by default the
//! next review of its cadence), open until done or cancelled.

use super::{Refusal, clean_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FollowStatus {
    #[default]
    Open,
    Done,
    Cancelled,
}

impl FollowStatus {
    pub fn name(self) -> &'static str {
        match self {
            FollowStatus::Open => "open",
            FollowStatus::Done => "done",
            FollowStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for FollowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowState {
    pub status: FollowStatus,
    pub due: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

impl FollowState {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == FollowStatus::Open && self.due < today
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum FollowCommand {
    Done,
    Cancel,
    Reopen,
    SetOwner { owner: Option<String> },
    SetDue { due: NaiveDate },
}

impl FollowCommand {
    pub fn verb(&self) -> &'static str {
        match self {
            FollowCommand::Done => "mark done",
            FollowCommand::Cancel => "cancel",
            FollowCommand::Reopen => "reopen",
            FollowCommand::SetOwner { .. } => "set owner",
            FollowCommand::SetDue { .. } => "set due date",
        }
    }
}

pub fn apply(state: &FollowState, command: &FollowCommand) -> Result<FollowState, Refusal> {
    let mut next = state.clone();
    match (command, state.status) {
        (FollowCommand::Done, FollowStatus::Open) => next.status = FollowStatus::Done,
        (FollowCommand::Cancel, FollowStatus::Open) => next.status = FollowStatus::Cancelled,
        (FollowCommand::Reopen, FollowStatus::Done | FollowStatus::Cancelled) => {
            next.status = FollowStatus::Open
        }
        (FollowCommand::Done | FollowCommand::Cancel, s) => {
            return Err(Refusal(format!("this follow-up is already {s}")));
        }
        (FollowCommand::Reopen, FollowStatus::Open) => {
            return Err(Refusal("this follow-up is open".into()));
        }
        (FollowCommand::SetOwner { owner }, _) => {
            let owner = owner
                .as_deref()
                .map(|o| clean_text(o, 60))
                .filter(|o| !o.is_empty());
            if owner == state.owner {
                return Err(Refusal("that is already the owner".into()));
            }
            next.owner = owner;
        }
        (FollowCommand::SetDue { due }, _) => next.due = *due,
    }
    Ok(next)
}
