//! The config file as written: serde types kept apart from the runtime [`Config`]
//! (trippy's split), every value that needs checking wrapped in `Spanned` so an error
//! can name its line and column.
//!
//! [`Config`]: super::Config

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The commented default, written by `bearing config init`.
pub const DEFAULT_TEXT: &str = include_str!("../../assets/config.default.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub general: General,
    #[serde(default)]
    pub engine: Engine,
    #[serde(default)]
    pub keys: BTreeMap<Spanned<String>, Spanned<KeyList>>,
    pub store: Option<StoreSection>,
    pub alerts: Option<Spanned<crate::engine::alerts::AlertConfig>>,
    pub posthog: Option<crate::posthog::settings::PostHogSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSection {
    pub path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    pub source: Option<Spanned<String>>,
    pub triage_of: Option<Spanned<String>>,
    pub subscriptions: Option<String>,
    pub theme: Option<Spanned<String>>,
    pub read_only: Option<bool>,
    pub mouse: Option<bool>,
    pub timezone: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    pub period: Option<Spanned<String>>,
    pub dead_band: Option<Spanned<f64>>,
    pub activity_high: Option<Spanned<u32>>,
    pub activity_moderate: Option<Spanned<u32>>,
}

/// `quit = "q"` or `quit = ["q", "ctrl-c"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn specs(&self) -> Vec<&str> {
        match self {
            KeyList::One(s) => vec![s.as_str()],
            KeyList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}
