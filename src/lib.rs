//! bearing: a terminal cockpit for strategic business signals tracked in PostHog.
//!
//! The crate is laid out by architecture: `domain` (vocabulary, no IO), `source`
//! (demo, files), `engine` (pure rollups), `config`, `report`, and `tui` (the cockpit).
//! IO lives at the edges; the engine and the cockpit's `update` are pure.

// Tests may unwrap: a panic there is a test failure with its location, as wanted.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod engine;
pub mod files;
pub mod keys;
pub mod logging;
pub mod posthog;
pub mod refresh;
pub mod report;
pub mod source;
pub mod store;
pub mod triage;
pub mod tui;
