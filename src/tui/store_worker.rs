//! The one thread that owns the database connection. Jobs arrive in order over a
//! channel and are done one at a time, so two quick keys (acknowledge, then resolve)
//! reach the store in the order they were pressed.

use super::triage::{TriageReply, TriageRequest};
use super::update::{Msg, Synced};
use crate::engine::alerts::AlertCandidate;
use crate::engine::followups::FollowUpCandidate;
use crate::refresh;
use crate::store::alerts::Outcome;
use crate::store::open::{self, StoreStatus};
use crate::store::{Store, StoreError};
use crate::triage::Command;
use crate::triage::followup::FollowCommand;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use tokio::sync::mpsc::UnboundedSender;

pub enum StoreJob {
    /// Meet the store with a fresh evaluation's alerts and follow-ups.
    Sync {
        generation: u64,
        alerts: Vec<AlertCandidate>,
        followups: Vec<FollowUpCandidate>,
        /// What it does not raise is cleared (a fresh evaluation, not a snapshot's).
        complete: bool,
    },
    Triage(TriageRequest),
    /// Keep a PostHog answer for offline use.
    SaveSnapshot {
        source: String,
        period: String,
        snapshot: crate::store::snapshots::Snapshot,
    },
    /// Send the snapshots of a period back.
    LoadSnapshots {
        source: String,
        period: String,
    },
    /// Closes the database (checkpointing its WAL) and ends the worker, then answers.
    Close(Sender<()>),
}

#[derive(Clone)]
pub struct StoreWorker {
    tx: Sender<StoreJob>,
}

impl StoreWorker {
    pub fn send(&self, job: StoreJob) {
        let _ = self.tx.send(job);
    }

    /// Waits (at most `patience`) for the jobs already sent, so that snapshots and
    /// triage changes made just before quitting are written, then for the database to
    /// close cleanly, so no -wal or -shm file is left beside it.
    pub fn close(&self, patience: std::time::Duration) {
        let (tx, rx) = channel();
        if self.tx.send(StoreJob::Close(tx)).is_ok() {
            let _ = rx.recv_timeout(patience);
        }
    }
}

struct Worker {
    store: Option<Store>,
    status: StoreStatus,
    today: NaiveDate,
    /// The last evaluation's candidates, shown beside the stored rows when the store
    /// cannot hold them.
    alerts: Vec<AlertCandidate>,
    followups: Vec<FollowUpCandidate>,
    told_read_only: bool,
}

/// The store thread for the database `db` (None: the default), keeping the triage
/// state of source `key`.
pub fn spawn(
    (db, key): (Option<PathBuf>, &str),
    read_only: Option<String>,
    today: NaiveDate,
    msgs: UnboundedSender<Msg>,
) -> StoreWorker {
    let (tx, rx) = channel::<StoreJob>();
    let key = key.to_owned();
    // If the thread cannot start, the jobs are dropped with the channel and nothing is
    // saved; the cockpit keeps working on the data.
    let _ = std::thread::Builder::new()
        .name("bearing-store".into())
        .spawn(move || {
            let (store, status) = open::open_store(db, read_only, &key);
            // Earlier sessions' alerts go on screen while the data loads and its rules
            // run; the sync after them brings what is new. (Nothing to show is nothing
            // to send.)
            if let Ok(triage) = refresh::read(store.as_ref(), &[], &[])
                && !(triage.alerts.is_empty() && triage.followups.is_empty())
            {
                let stored = Synced {
                    triage,
                    store: status.clone(),
                    warning: None,
                    fired: 0,
                };
                if msgs.send(Msg::Stored(Box::new(stored))).is_err() {
                    return;
                }
            }
            let mut w = Worker {
                store,
                status,
                today,
                alerts: Vec::new(),
                followups: Vec::new(),
                told_read_only: false,
            };
            for job in rx {
                let msg = match job {
                    StoreJob::Sync {
                        generation,
                        alerts,
                        followups,
                        complete,
                    } => w.sync(generation, (alerts, followups), complete),
                    StoreJob::Triage(request) => {
                        let result = w.triage(request);
                        Msg::TriageDone {
                            result,
                            store: w.status.clone(),
                        }
                    }
                    StoreJob::SaveSnapshot {
                        source,
                        period,
                        snapshot,
                    } => {
                        if let Some(store) = w.store.as_ref()
                            && let Err(e) = store.save_snapshot(&source, &period, &snapshot)
                        {
                            tracing::warn!(error = %e, "snapshot not saved");
                        }
                        continue;
                    }
                    StoreJob::Close(done) => {
                        if let Some(store) = w.store.take() {
                            store.close();
                        }
                        let _ = done.send(());
                        return;
                    }
                    StoreJob::LoadSnapshots { source, period } => Msg::Snapshots {
                        snapshots: w
                            .store
                            .as_ref()
                            .and_then(|s| s.snapshots(&source, &period).ok())
                            .unwrap_or_default(),
                        at: chrono::Utc::now(),
                    },
                };
                if msgs.send(msg).is_err() {
                    return;
                }
            }
        });
    StoreWorker { tx }
}

fn past(command: &Command) -> String {
    match command {
        Command::Acknowledge => "acknowledged".into(),
        Command::Resolve => "resolved".into(),
        Command::Snooze { until } => format!("snoozed until {until}:"),
        Command::Dismiss { .. } => "dismissed".into(),
        Command::Reopen => "reopened".into(),
        Command::SetOwner { owner: Some(o) } => format!("owner {o} set on"),
        Command::SetOwner { owner: None } => "owner cleared on".into(),
        Command::Wake => "woke".into(),
        Command::Clear => "cleared".into(),
        Command::Recur => "raised again".into(),
    }
}

fn past_follow(command: &FollowCommand) -> String {
    match command {
        FollowCommand::Done => "marked done:".into(),
        FollowCommand::Cancel => "cancelled".into(),
        FollowCommand::Reopen => "reopened".into(),
        FollowCommand::SetOwner { owner: Some(o) } => format!("owner {o} set on"),
        FollowCommand::SetOwner { owner: None } => "owner cleared on".into(),
        FollowCommand::SetDue { due } => format!("due date {due} set on"),
    }
}

fn summary(done: String, noun: (&str, &str), out: &Outcome) -> String {
    let n = out.changed.len();
    let mut text = format!("{done} {n} {}", if n == 1 { noun.0 } else { noun.1 });
    if let Some((_, why)) = out.refused.first() {
        text.push_str(&format!(
            "; {} left as they were ({why})",
            out.refused.len()
        ));
    }
    text
}

impl Worker {
    fn sync(
        &mut self,
        generation: u64,
        (alerts, followups): (Vec<AlertCandidate>, Vec<FollowUpCandidate>),
        complete: bool,
    ) -> Msg {
        let (triage, report, mut warning) = refresh::sync_and_read(
            self.store.as_mut(),
            &alerts,
            &followups,
            (self.today, complete),
        );
        self.status = open::status_of(self.store.as_ref(), &self.status);
        if warning.is_none()
            && !self.told_read_only
            && let Some(why) = self.status.reason()
        {
            warning = Some(format!("read-only: {why}"));
            self.told_read_only = true;
        }
        self.alerts = alerts;
        self.followups = followups;
        let synced = Synced {
            triage,
            store: self.status.clone(),
            warning,
            fired: report.map_or(0, |r| r.fired),
        };
        Msg::Synced {
            generation,
            synced: Box::new(synced),
        }
    }

    fn triage(&mut self, request: TriageRequest) -> Result<TriageReply, StoreError> {
        let result = self.perform(request);
        self.status = open::status_of(self.store.as_ref(), &self.status);
        let (message, batch) = result?;
        let triage = refresh::read(self.store.as_ref(), &self.alerts, &self.followups)?;
        Ok(TriageReply {
            triage,
            message,
            batch,
        })
    }

    fn perform(&mut self, request: TriageRequest) -> Result<(String, Option<i64>), StoreError> {
        let Some(store) = self.store.as_mut() else {
            let why = self.status.reason().unwrap_or("no database").to_owned();
            return Err(StoreError::ReadOnly(why));
        };
        let today = self.today;
        Ok(match request {
            TriageRequest::Alerts { ids, command } => {
                let out = store.triage(&ids, &command, today)?;
                (
                    summary(past(&command), ("alert", "alerts"), &out),
                    Some(out.batch),
                )
            }
            TriageRequest::FollowUps { ids, command } => {
                let out = store.followup_command(&ids, &command)?;
                (
                    summary(past_follow(&command), ("follow-up", "follow-ups"), &out),
                    Some(out.batch),
                )
            }
            TriageRequest::Note { target, .. } if target.is_empty() => {
                return Err(StoreError::NotFound("nothing to note".into()));
            }
            TriageRequest::Note { target, text } => {
                ("note added".into(), Some(store.note(&target, &text)?))
            }
            TriageRequest::FollowUpFromAlert { id } => {
                let (batch, fid) = store.followup_from_alert(&id, today)?;
                let due = store
                    .followups()?
                    .into_iter()
                    .find(|f| f.id == fid)
                    .map(|f| f.state.due);
                let due = due.map(|d| format!(", due {d}")).unwrap_or_default();
                (
                    format!("follow-up created{due} (see 6 Follow-ups)"),
                    Some(batch),
                )
            }
            TriageRequest::Undo { batch } => {
                store.undo(batch)?;
                ("undone".into(), None)
            }
        })
    }
}
