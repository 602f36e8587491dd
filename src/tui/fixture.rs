//! A cockpit loaded with the demo at a fixed date and time, for tests (unit, snapshot,
//! benchmark) that need the same screen on every machine and every day.

use super::state::AppState;
use super::update::{Effect, Msg, start, update};
use crate::config::keymap::Keymap;
use crate::config::theme::{BUILTIN, ColorDepth, parse_theme};
use crate::domain::Origin;
use crate::engine::{EngineParams, compute};
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
            let ds = dataset(DemoOptions::new(today()));
            let views = compute(&ds, &params);
            let at = Utc
                .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
                .single()
                .unwrap_or_default();
            update(
                &mut s,
                Msg::Loaded {
                    generation,
                    result: Ok((Arc::new(ds), Arc::new(views))),
                    at,
                },
            );
        }
    }
    s
}
