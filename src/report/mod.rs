//! Reports for scripts and reviews. For now JSON: what the panes show.

pub mod json;
