//! PostHog: the settings that say where a project is, the key that opens it, and the
//! query client that talks to it over PostHog's query API (`POST /api/projects/{id}/query/`,
//! HogQL, personal API key), and the HogQL executor that asks it for each pane's rollups.

pub mod alerts;
mod answer;
mod backoff;
pub mod budget;
pub mod client;
pub mod error;
pub mod fetch;
pub mod inflight;
pub mod key;
pub mod queries;
pub mod redact;
pub mod settings;
