//! The cockpit.
pub mod action;
