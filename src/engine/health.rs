//! Data health: how much of the tracking can be trusted. Per event kind, the share of
//! events that conform to the schema (every property present and readable) against the
//! seed's 95% capture target, the properties missing or unreadable most often, and
//! what could not be read at all.

use super::rollup::HealthRollup;
use crate::domain::{EventKind, IngestStats};
use serde::Serialize;

/// The seed's "95% successful strategic event capture rate".
pub const TARGET: f64 = 0.95;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PropertyCount {
    pub property: &'static str,
    pub missing: u64,
    pub invalid: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KindHealth {
    pub kind: EventKind,
    pub event: &'static str,
    pub total: u64,
    pub conforming: u64,
    /// Properties with any problem, worst first.
    pub properties: Vec<PropertyCount>,
    /// Events PostHog's capped answer left unchecked (`KindCounts::unchecked`).
    #[serde(skip_serializing_if = "is_zero")]
    pub unchecked: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl KindHealth {
    /// Conforming share; None when there are no events of this kind.
    pub fn rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.conforming as f64 / self.total as f64)
    }

    pub fn meets_target(&self) -> bool {
        self.rate().is_some_and(|r| r >= TARGET)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Health {
    pub kinds: Vec<KindHealth>,
    /// How the source was read (file lines, broken lines); empty for PostHog, which
    /// bearing does not read line by line. The report shows it apart.
    #[serde(skip)]
    pub ingest: IngestStats,
    /// Whether the source was read line by line (demo, file), so `ingest` means
    /// something; PostHog aggregates in place.
    #[serde(skip)]
    pub from_lines: bool,
    /// Rows in the subscriptions table, or None without one.
    pub subscriptions: Option<usize>,
    /// The first day counted (`engine::scan`).
    pub since: Option<chrono::NaiveDate>,
}

impl Health {
    pub fn total_events(&self) -> u64 {
        self.kinds.iter().map(|k| k.total).sum()
    }

    pub fn overall_rate(&self) -> Option<f64> {
        let total = self.total_events();
        (total > 0)
            .then(|| self.kinds.iter().map(|k| k.conforming).sum::<u64>() as f64 / total as f64)
    }
}

/// Builds the pane from its rollup and what the source could not read.
pub fn health(
    r: &HealthRollup,
    ingest: Option<&IngestStats>,
    subscriptions: Option<usize>,
) -> Health {
    let kinds = EventKind::ALL
        .iter()
        .map(|&kind| {
            let c = &r.kinds[kind as usize];
            let mut properties: Vec<PropertyCount> = kind
                .properties()
                .iter()
                .enumerate()
                .map(|(bit, p)| PropertyCount {
                    property: p,
                    missing: c.missing[bit],
                    invalid: c.invalid[bit],
                })
                .filter(|p| p.missing + p.invalid > 0)
                .collect();
            properties.sort_by(|a, b| {
                (b.missing + b.invalid)
                    .cmp(&(a.missing + a.invalid))
                    .then(a.property.cmp(b.property))
            });
            KindHealth {
                kind,
                event: kind.event_name(),
                total: c.total,
                conforming: c.conforming,
                properties,
                unchecked: c.unchecked,
            }
        })
        .collect();
    Health {
        kinds,
        ingest: ingest.cloned().unwrap_or_default(),
        from_lines: ingest.is_some(),
        subscriptions,
        since: None,
    }
}
