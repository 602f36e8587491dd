//! A cockpit loaded with the demo at a fixed date and time, for tests (unit, snapshot,
//! benchmark) that need the same screen on every machine and every day. Its effects
//! are performed here, synchronously, as the workers would: the local executor over
//! the demo, and a store that saves every alert at the fixed time.

use super::state::AppState;
use super::update::{Effect, Msg, Synced, start, update};
use crate::config::theme::{BUILTIN, ColorDepth, parse_theme};
use crate::domain::{Dataset, Origin};
use crate::engine::EngineParams;
use crate::executor::{EvidenceAnswer, local};
use crate::keys::keymap::Keymap;
use crate::posthog::client::Freshness;
use crate::source::demo::{DemoOptions, dataset};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::VecDeque;
use std::sync::Arc;

/// The date every fixture pretends is today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// The time every answer of the fixture is from.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

/// A cockpit on the demo before its first refresh, with the built-in themes.
pub fn fresh(size: (u16, u16)) -> AppState {
    let themes = BUILTIN
        .iter()
        .filter_map(|(_, t)| parse_theme(t, ColorDepth::TrueColor).ok())
        .collect();
    let params = EngineParams::new(today());
    let mut s = AppState::new(Origin::Demo, Keymap::default(), themes, "dark", params);
    s.size = size;
    s
}

/// The demo loaded into a cockpit of the given size.
pub fn loaded(size: (u16, u16)) -> AppState {
    let mut s = fresh(size);
    let effects = start(&mut s);
    perform(&mut s, effects);
    s
}

/// A message through `update`, and every effect it leads to performed.
pub fn send(s: &mut AppState, msg: Msg) {
    let effects = update(s, msg);
    perform(s, effects);
}

/// Performs effects as the workers would, and feeds their answers back, until none is
/// left. Triage, snapshots and pages are not performed (the demo has no pages, and a
/// local source no snapshots).
pub fn perform(s: &mut AppState, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        for msg in answer(s, effect) {
            queue.extend(update(s, msg));
        }
    }
}

/// What the workers would answer to one effect.
pub fn answer(s: &AppState, effect: Effect) -> Vec<Msg> {
    let mut out = Vec::new();
    match effect {
        Effect::Fetch {
            generation,
            params,
            parts,
            fresh,
        } => {
            let ds = demo(s, fresh);
            local::answers(&ds, &params, &parts, |answers| {
                out.push(Msg::FetchedTogether {
                    generation,
                    answers,
                    at: now(),
                });
            });
        }
        Effect::SyncStore {
            generation,
            alerts,
            followups,
            ..
        } => out.push(Msg::Synced {
            generation,
            synced: Box::new(saved(&alerts, &followups)),
        }),
        Effect::FetchEvidence {
            alert,
            key,
            params,
            per,
            ..
        } => {
            let ds = demo(s, Freshness::Cached);
            let events = local::evidence(&ds, &params, key, per);
            out.push(Msg::Evidence {
                alert,
                result: Ok(EvidenceAnswer::Events(events)),
                at: now(),
            });
        }
        _ => {}
    }
    out
}

/// The demo dataset: the one the cockpit holds, unless a fresh read is asked for.
fn demo(s: &AppState, fresh: Freshness) -> Arc<Dataset> {
    match (&s.data, fresh) {
        (Some(d), Freshness::Cached) => Arc::clone(&d.dataset),
        (held, _) => {
            let mut ds = dataset(DemoOptions::new(today()));
            if let Some(d) = held {
                crate::source::ingest::rebase(&mut ds, &d.dataset.strings);
            }
            Arc::new(ds)
        }
    }
}

/// The store's answer to a sync: every alert and follow-up as if just saved (fired
/// at the fixed time) in a writable store.
pub fn saved(
    alerts: &[crate::engine::alerts::AlertCandidate],
    followups: &[crate::engine::followups::FollowUpCandidate],
) -> Synced {
    let mut triage = crate::refresh::read(None, alerts, followups).unwrap_or_default();
    let stamp = now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for a in &mut triage.alerts {
        a.first_seen = stamp.clone();
        a.last_seen = stamp.clone();
    }
    for f in &mut triage.followups {
        f.created = stamp.clone();
    }
    Synced {
        triage,
        store: crate::store::open::StoreStatus::Writable,
        warning: None,
        fired: 0,
    }
}
