//! A cockpit loaded with the demo at a fixed date and time, for tests (unit, snapshot,
//! benchmark) that need the same screen on every machine and every day.

use super::state::AppState;
use super::update::{Effect, Loaded, Msg, Synced, start, update};
use crate::config::theme::{BUILTIN, ColorDepth, parse_theme};
use crate::domain::Origin;
use crate::engine::{EngineParams, compute};
use crate::keys::keymap::Keymap;
use crate::source::demo::{DemoOptions, dataset};
use chrono::{NaiveDate, TimeZone, Utc};
use std::sync::Arc;

/// The date every fixture pretends is today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// The demo loaded into a cockpit of the given size, with the built-in themes.
pub fn loaded(size: (u16, u16)) -> AppState {
    let themes = BUILTIN
        .iter()
        .filter_map(|(_, t)| parse_theme(t, ColorDepth::TrueColor).ok())
        .collect();
    let params = EngineParams::new(today());
    let mut s = AppState::new(Origin::Demo, Keymap::default(), themes, "dark", params);
    s.size = size;
    for effect in start(&mut s) {
        if let Effect::Load { generation, params } = effect {
            let at = Utc
                .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
                .single()
                .unwrap_or_default();
            let (loaded, synced) = demo_loaded(&params, at);
            update(
                &mut s,
                Msg::Loaded {
                    generation,
                    result: Ok(Box::new(loaded)),
                    at,
                },
            );
            update(
                &mut s,
                Msg::Synced {
                    generation,
                    synced: Box::new(synced),
                },
            );
        }
    }
    s
}

/// The demo evaluated as a refresh would, its alerts and follow-ups as if just saved
/// (fired at the fixed time) in a writable store.
pub fn demo_loaded(params: &EngineParams, at: chrono::DateTime<Utc>) -> (Loaded, Synced) {
    let ds = dataset(DemoOptions::new(today()));
    let views = compute(&ds, params);
    let alerts = crate::engine::alerts::evaluate(
        &ds,
        today(),
        params.zone,
        params.dead_band,
        &Default::default(),
    );
    let followups = crate::engine::followups::from_events(&ds, today(), params.zone);
    let mut triage = crate::refresh::read(None, &alerts, &followups).unwrap_or_default();
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    for a in &mut triage.alerts {
        a.first_seen = stamp.clone();
        a.last_seen = stamp.clone();
    }
    for f in &mut triage.followups {
        f.created = stamp.clone();
    }
    let loaded = Loaded {
        dataset: Arc::new(ds),
        views: Arc::new(views),
    };
    let synced = Synced {
        triage,
        store: crate::store::open::StoreStatus::Writable,
        warning: None,
        fired: 0,
    };
    (loaded, synced)
}
