//! The cockpit: state, pure `update`, drawing, and the loop that ties them to the
//! terminal and the workers.

pub mod app;
pub mod feed;
pub mod feed_alerts;
pub mod feed_snapshots;
#[cfg(any(test, feature = "test-hooks"))]
pub mod fixture;
pub mod input;
pub mod layout;
pub mod lists;
pub mod meeting;
pub mod messages;
pub mod navigate;
pub mod panes;
pub mod state;
pub mod store_worker;
pub mod terminal;
pub mod triage;
pub mod ui;
pub mod update;
pub mod watchdog;

#[cfg(test)]
mod details_tests;
#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod evidence_tests;
#[cfg(test)]
mod feed_tests;
#[cfg(test)]
mod filter_tests;
#[cfg(test)]
mod followup_tests;
#[cfg(test)]
mod hint_tests;
#[cfg(test)]
mod lists_tests;
#[cfg(test)]
mod resize_tests;
#[cfg(test)]
pub mod update_tests;
