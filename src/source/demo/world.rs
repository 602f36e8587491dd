//! The demo world (`assets/demo-world.toml`): who the demo tenants are, and the
//! categories, signals, vendors and messy range texts their tracking uses.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Default, Deserialize)]
pub struct World {
    pub tenant: Vec<Tenant>,
    pub revenue: RevenueLists,
    pub cost: CostLists,
    pub decision: DecisionLists,
}

#[derive(Debug, Default, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub plan: String,
    pub status: String,
    pub weight: f64,
    pub trend: f64,
}

#[derive(Debug, Default, Deserialize)]
pub struct Category {
    pub name: String,
    pub signals: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RevenueLists {
    pub categories: Vec<Category>,
    pub contexts: Vec<String>,
    pub follow_ups: Vec<String>,
    pub priorities: Vec<String>,
    pub impact_ranges: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CostLists {
    pub optimization_types: Vec<String>,
    pub vendor_contexts: Vec<String>,
    pub feasibility: Vec<String>,
    pub savings_ranges: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionLists {
    pub categories: Vec<String>,
    pub maker_levels: Vec<String>,
    pub justifications: Vec<String>,
    pub outcome_ranges: Vec<String>,
    pub timeframes: Vec<String>,
    pub follow_ups: Vec<String>,
}

pub const WORLD_TOML: &str = include_str!("../../../assets/demo-world.toml");

/// The embedded world. It is part of the binary and covered by a test, so a parse
/// failure here is a build defect; it still degrades to an empty world, not a panic.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| toml::from_str(WORLD_TOML).unwrap_or_default())
}
