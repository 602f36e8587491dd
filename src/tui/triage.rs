//! Triage from the keyboard, still inside the pure `update`: keys become requests,
//! bulk requests wait for a y/n, text is typed into a prompt, and the store worker's
//! reply updates the panes. Nothing here touches the store.

use super::input::Edit;
use super::panes::PaneId;
use super::state::{AppState, Level, Mode, PromptKind};
use super::update::Effect;
use crate::keys::Action;
use crate::refresh::Triage;
use crate::store::StoreError;
use crate::store::open::StoreStatus;
use crate::triage::followup::FollowCommand;
use crate::triage::{Command, SnoozeFor};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Debug, PartialEq)]
pub enum TriageRequest {
    Alerts {
        ids: Vec<String>,
        command: Command,
    },
    FollowUps {
        ids: Vec<String>,
        command: FollowCommand,
    },
    Note {
        target: String,
        text: String,
    },
    FollowUpFromAlert {
        id: String,
    },
    Undo {
        batch: i64,
    },
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl TriageRequest {
    /// "acknowledge 3 alerts", for the confirmation and the messages.
    pub fn describe(&self) -> String {
        match self {
            TriageRequest::Alerts { ids, command } => format!(
                "{} {}",
                command.verb(),
                plural(ids.len(), "alert", "alerts")
            ),
            TriageRequest::FollowUps { ids, command } => {
                format!(
                    "{} {}",
                    command.verb(),
                    plural(ids.len(), "follow-up", "follow-ups")
                )
            }
            TriageRequest::Note { .. } => "add a note".into(),
            TriageRequest::FollowUpFromAlert { .. } => "create a follow-up".into(),
            TriageRequest::Undo { .. } => "undo".into(),
        }
    }

    fn targets(&self) -> usize {
        match self {
            TriageRequest::Alerts { ids, .. } | TriageRequest::FollowUps { ids, .. } => ids.len(),
            _ => 1,
        }
    }
}

/// What the store worker reports after a request.
#[derive(Clone, Debug)]
pub struct TriageReply {
    pub triage: Triage,
    pub message: String,
    /// The batch written, for `u`; None for an undo (so `u` walks further back).
    pub batch: Option<i64>,
}

/// The rows an action applies to: the marked ones, else the one under the cursor.
fn targets(state: &AppState, pane: PaneId) -> Vec<String> {
    let marked = &state.pane(pane).marked;
    if !marked.is_empty() {
        return marked.iter().cloned().collect();
    }
    current(state, pane).into_iter().collect()
}

fn current(state: &AppState, pane: PaneId) -> Option<String> {
    state
        .selected_row(pane)
        .and_then(|row| super::panes::row_id(state.rows(pane), pane, row))
}

fn send(state: &mut AppState, request: TriageRequest) -> Vec<Effect> {
    if request.targets() > 1 {
        let question = format!("{}? y/n", capitalise(&request.describe()));
        state.mode = Mode::Confirm { question, request };
        return Vec::new();
    }
    vec![Effect::Triage(request)]
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn writable(state: &mut AppState) -> bool {
    match state.store.reason() {
        None => true,
        Some(why) => {
            let text = format!("nothing was changed: read-only, {why}");
            state.say(Level::Warn, text);
            false
        }
    }
}

pub fn on_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let pane = state.focus;
    if action == Action::Undo {
        if !writable(state) {
            return Vec::new();
        }
        return match state.undo.pop() {
            Some(batch) => vec![Effect::Triage(TriageRequest::Undo { batch })],
            None => {
                state.say(Level::Info, "nothing to undo in this session");
                Vec::new()
            }
        };
    }
    if !pane.is_triage() {
        let text = format!(
            "triage keys work in Alerts ({}) and Follow-ups ({})",
            state.key_name(Action::PaneAlerts),
            state.key_name(Action::PaneFollowUps)
        );
        state.say(Level::Info, text);
        return Vec::new();
    }
    if action == Action::Select {
        match current(state, pane) {
            Some(id) => {
                let marked = &mut state.pane_mut(pane).marked;
                if !marked.remove(&id) {
                    marked.insert(id);
                }
                let n = state.pane(pane).marked.len();
                state.say(Level::Info, format!("{n} selected"));
                super::navigate::move_selection(state, pane, 1);
            }
            None => say_no_row(state, pane),
        }
        return Vec::new();
    }
    let ids = targets(state, pane);
    if ids.is_empty() {
        say_no_row(state, pane);
        return Vec::new();
    }
    if !writable(state) {
        return Vec::new();
    }
    let prompt = |kind, input: String, ids: Vec<String>| Mode::Prompt {
        kind,
        replace: !input.is_empty(),
        input,
        pane,
        targets: ids,
    };
    match (pane, action) {
        (PaneId::Alerts, Action::Acknowledge) => send(
            state,
            TriageRequest::Alerts {
                ids,
                command: Command::Acknowledge,
            },
        ),
        (PaneId::Alerts, Action::Resolve) => send(
            state,
            TriageRequest::Alerts {
                ids,
                command: Command::Resolve,
            },
        ),
        (PaneId::Alerts, Action::Reopen) => send(
            state,
            TriageRequest::Alerts {
                ids,
                command: Command::Reopen,
            },
        ),
        (PaneId::Alerts, Action::Snooze) => {
            state.mode = Mode::Snooze { targets: ids };
            Vec::new()
        }
        (PaneId::Alerts, Action::Dismiss) => {
            state.mode = prompt(PromptKind::DismissReason, String::new(), ids);
            Vec::new()
        }
        (PaneId::Alerts, Action::FollowUp) => match current(state, pane) {
            Some(id) => vec![Effect::Triage(TriageRequest::FollowUpFromAlert { id })],
            None => {
                say_no_row(state, pane);
                Vec::new()
            }
        },
        (PaneId::FollowUps, Action::Resolve) => send(
            state,
            TriageRequest::FollowUps {
                ids,
                command: FollowCommand::Done,
            },
        ),
        (PaneId::FollowUps, Action::Dismiss) => send(
            state,
            TriageRequest::FollowUps {
                ids,
                command: FollowCommand::Cancel,
            },
        ),
        (PaneId::FollowUps, Action::Reopen) => send(
            state,
            TriageRequest::FollowUps {
                ids,
                command: FollowCommand::Reopen,
            },
        ),
        (PaneId::FollowUps, Action::Due) => {
            let due = current(state, pane)
                .and_then(|id| state.triage.followups.iter().find(|f| f.id == id))
                .map(|f| f.state.due.to_string())
                .unwrap_or_default();
            state.mode = prompt(PromptKind::Due, due, ids);
            Vec::new()
        }
        (_, Action::Owner) => {
            let owner = current_owner(state, pane, &ids);
            state.mode = prompt(PromptKind::Owner, owner, ids);
            Vec::new()
        }
        (_, Action::Note) => {
            // A note belongs to one row: the one under the cursor.
            let one = current(state, pane).into_iter().collect();
            state.mode = prompt(PromptKind::Note, String::new(), one);
            Vec::new()
        }
        (PaneId::FollowUps, _) => {
            let key = |a| state.key_name(a);
            let text = format!(
                "follow-ups take {} (done), {} (cancel), {} (reopen), {} (due), {} (owner), {} (note)",
                key(Action::Resolve),
                key(Action::Dismiss),
                key(Action::Reopen),
                key(Action::Due),
                key(Action::Owner),
                key(Action::Note)
            );
            state.say(Level::Info, text);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A triage key that found no row says why, so it never falls silently: the pane's
/// rows may still be on their way from the store, or there may be none.
fn say_no_row(state: &mut AppState, pane: PaneId) {
    let title = pane.title();
    let text = if state.load[pane.index()].as_of().is_none() {
        format!("{title} are still loading: nothing was changed")
    } else if state.pane(pane).visible.is_empty() {
        format!("no row in {title} to act on: nothing was changed")
    } else {
        "no row selected: nothing was changed".to_owned()
    };
    state.say(Level::Info, text);
}

fn current_owner(state: &AppState, pane: PaneId, ids: &[String]) -> String {
    let [id] = ids else { return String::new() };
    let owner = match pane {
        PaneId::Alerts => state
            .triage
            .alerts
            .iter()
            .find(|a| &a.id == id)
            .and_then(|a| a.triage.owner.clone()),
        _ => state
            .triage
            .followups
            .iter()
            .find(|f| &f.id == id)
            .and_then(|f| f.state.owner.clone()),
    };
    owner.unwrap_or_default()
}

/// Keys while a prompt, a confirmation or the snooze menu is open.
pub fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match state.mode.clone() {
        Mode::Confirm { request, .. } => match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                state.mode = Mode::Normal;
                vec![Effect::Triage(request)]
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => cancel(state),
            KeyCode::Char('c') if ctrl => cancel(state),
            _ => Vec::new(),
        },
        Mode::Snooze { targets } => {
            let choice = match key.code {
                KeyCode::Char(c) => SnoozeFor::ALL.into_iter().find(|s| s.key() == c),
                KeyCode::Esc => return cancel(state),
                _ => None,
            };
            let Some(choice) = choice else {
                return Vec::new();
            };
            state.mode = Mode::Normal;
            let until = choice.until(state.params.today);
            send(
                state,
                TriageRequest::Alerts {
                    ids: targets,
                    command: Command::Snooze { until },
                },
            )
        }
        Mode::Prompt {
            kind,
            mut input,
            pane,
            targets,
            mut replace,
        } => {
            // Typed over, a filled-in value goes: `+1w` over the due date is `+1w`,
            // not the date with `+1w` after it. Backspace edits it instead.
            let typed = matches!(key.code, KeyCode::Char(c) if !ctrl && !c.is_control());
            if replace && typed {
                input.clear();
            }
            match super::input::edit(&mut input, 500, key) {
                Edit::Cancel => return cancel(state),
                Edit::Submit => {
                    state.mode = Mode::Normal;
                    return submit(state, kind, input, pane, targets);
                }
                Edit::Changed => replace = false,
                Edit::Unchanged => {}
            }
            state.mode = Mode::Prompt {
                kind,
                input,
                pane,
                targets,
                replace,
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn cancel(state: &mut AppState) -> Vec<Effect> {
    state.mode = Mode::Normal;
    state.say(Level::Info, "cancelled");
    Vec::new()
}

/// A due date as typed: a day (`2026-12-15`) or days from today (`+7`, `+7d`, `+2w`).
fn due_date(text: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    if let Some(rel) = text.strip_prefix('+') {
        let (n, unit) = match rel.strip_suffix(['d', 'w']) {
            Some(n) => (n, rel.chars().last()),
            None => (rel, Some('d')),
        };
        let n: u64 = n.trim().parse().ok().filter(|n| *n <= 3650)?;
        let days = if unit == Some('w') { n * 7 } else { n };
        return today.checked_add_days(chrono::Days::new(days));
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn submit(
    state: &mut AppState,
    kind: PromptKind,
    input: String,
    pane: PaneId,
    ids: Vec<String>,
) -> Vec<Effect> {
    let text = input.trim().to_owned();
    match kind {
        PromptKind::Note => {
            let Some(id) = ids.into_iter().next() else {
                return Vec::new();
            };
            if text.is_empty() {
                state.say(Level::Info, "empty note: nothing added");
                return Vec::new();
            }
            let target = match pane {
                PaneId::Alerts => crate::store::alerts::target(&id),
                _ => crate::store::followups::target(&id),
            };
            vec![Effect::Triage(TriageRequest::Note { target, text })]
        }
        PromptKind::Owner => {
            let owner = (!text.is_empty()).then_some(text);
            match pane {
                PaneId::Alerts => send(
                    state,
                    TriageRequest::Alerts {
                        ids,
                        command: Command::SetOwner { owner },
                    },
                ),
                _ => send(
                    state,
                    TriageRequest::FollowUps {
                        ids,
                        command: FollowCommand::SetOwner { owner },
                    },
                ),
            }
        }
        PromptKind::Due => match due_date(&text, state.params.today) {
            Some(due) => send(
                state,
                TriageRequest::FollowUps {
                    ids,
                    command: FollowCommand::SetDue { due },
                },
            ),
            None => {
                let shown = crate::domain::sanitize::sanitize(&text).into_owned();
                state.say(
                    Level::Warn,
                    format!("not a date: {shown:?} (YYYY-MM-DD or +N days): nothing was changed"),
                );
                Vec::new()
            }
        },
        PromptKind::DismissReason => {
            if text.is_empty() {
                state.say(
                    Level::Warn,
                    "a dismissal needs a reason: nothing was changed",
                );
                return Vec::new();
            }
            send(
                state,
                TriageRequest::Alerts {
                    ids,
                    command: Command::Dismiss { reason: text },
                },
            )
        }
    }
}

/// The store worker's answer, with the store's status after it (a failed write may
/// have made it read-only).
pub fn on_reply(state: &mut AppState, result: Result<TriageReply, StoreError>, store: StoreStatus) {
    state.store = store;
    match result {
        Ok(reply) => {
            state.triage = reply.triage;
            if let Some(batch) = reply.batch {
                state.undo.push(batch);
            }
            for pane in [PaneId::Alerts, PaneId::FollowUps] {
                state.pane_mut(pane).marked.clear();
                super::navigate::refilter_keeping(state, pane);
            }
            state.say(Level::Info, reply.message);
        }
        Err(e) => state.say(Level::Error, e.to_string()),
    }
}
