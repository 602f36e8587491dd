//! bearing: a terminal cockpit for strategic business signals tracked in PostHog.
//!
//! The crate is laid out by architecture: `domain` (vocabulary, no IO), `source` (the
//! demo and exported files, read into a dataset), `engine` (pure: rollups, the panes,
//! the alert rules), `posthog` (the client and the HogQL executor), `triage` (pure
//! lifecycles), `store` (SQLite: triage state, audit, snapshots), `refresh` (load →
//! rules → store), `keys` (actions and the keymap), `config`, `report`, `files`
//! (bounded reads of untrusted files), `background` (work no screen waits for), `tui`
//! (the cockpit, a pane per module under `tui/panes`) and `commands` (the command
//! line). IO lives at the edges; the engine, triage and the cockpit's `update` are
//! pure.

// Tests may unwrap: a panic there is a test failure with its location, as wanted.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod background;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod engine;
pub mod executor;
pub mod files;
pub mod keys;
pub mod logging;
pub mod posthog;
pub mod present;
pub mod refresh;
pub mod report;
pub mod source;
pub mod store;
pub mod triage;
pub mod tui;
