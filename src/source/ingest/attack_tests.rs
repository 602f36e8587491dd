//! Regression tests for what an attack on the release binary found in the reader: each
//! is named after its finding and reads whole lines, as a file would be read.

use crate::domain::{Dataset, EventKind, Origin};
use crate::engine::{EngineParams, compute};
use crate::source::jsonl::read_events;
use chrono::NaiveDate;

/// A conforming cost event with `tenant` as the raw JSON of its `tenant_id`.
fn cost_line(tenant: &str, savings: &str) -> String {
    format!(
        r#"{{"event":"cost_optimization_trend","timestamp":"2026-11-02T12:00:00Z","properties":{{"tenant_id":{tenant},"optimization_type":"x","approximate_savings_range":"{savings}","esp_vendor_context":"v","implementation_feasibility":"f","strategic_review_required":true,"tracking_date":"2026-11-02"}}}}"#
    )
}

fn dataset(text: &str) -> Dataset {
    let p = read_events(text.as_bytes(), 1).unwrap();
    Dataset {
        origin: Origin::Demo,
        events: p.events,
        strings: p.strings,
        subscriptions: None,
        ingest: p.stats,
        custom: p.custom,
    }
}

fn params() -> EngineParams {
    EngineParams::new(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
}

#[test]
fn a_nested_tenant_id_does_not_become_a_shared_tenant() {
    let lines = [
        cost_line(r#"{"id":"acme"}"#, "500-2000"),
        cost_line(r#"["globex"]"#, "500-2000"),
        cost_line("{}", "500-2000"),
        cost_line(r#""t-1""#, "500-2000"),
    ];
    let ds = dataset(&lines.join("\n"));
    assert_eq!(ds.events.len(), 4, "each line is still an event");
    assert_eq!(ds.ingest.broken, 0);
    let bit = EventKind::Cost.bit("tenant_id");
    for e in &ds.events[..3] {
        assert!(e.tenant.is_empty(), "{:?}", ds.resolve(e.tenant));
        assert_eq!(e.invalid & bit, bit, "a nested tenant_id is unreadable");
        assert_eq!(e.missing & bit, 0, "it was there, so it is not missing");
    }
    assert_eq!(ds.resolve(ds.events[3].tenant), "t-1");
    let v = compute(&ds, &params());
    let tenants: Vec<&str> = v
        .overview
        .rows
        .iter()
        .map(|r| ds.resolve(r.tenant))
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(tenants, ["t-1"], "no fake tenant joins the real ones");
    let cost = v.health.kinds.iter().find(|k| k.kind == EventKind::Cost);
    let cost = cost.unwrap();
    assert_eq!((cost.total, cost.conforming), (4, 1));
    let tenant = cost.properties.iter().find(|p| p.property == "tenant_id");
    let tenant = tenant.unwrap();
    assert_eq!((tenant.missing, tenant.invalid), (0, 3));
}

#[test]
fn a_numeric_uuid_does_not_drop_the_event() {
    let line = cost_line(r#""t-1""#, "500-2000").replacen("{", r#"{"uuid":12345,"#, 1);
    assert!(line.contains(r#""uuid":12345"#));
    let ds = dataset(&line);
    assert_eq!(ds.ingest.broken, 0, "{:?}", ds.ingest.broken_samples);
    assert_eq!(ds.events.len(), 1);
    // "12345" is read, but it is not a uuid, so the event has none.
    assert_eq!(ds.events[0].uuid_string(), None);
    assert!(ds.events[0].conforms());
}

#[test]
fn a_duplicate_key_does_not_drop_the_event() {
    // JavaScript's JSON.parse and PostHog's ingestion keep the last value of a key.
    let top = r#"{"event":"$pageview","uuid":"x","event":"cost_optimization_trend","uuid":"0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70","timestamp":"2026-11-02T12:00:00Z","properties":{"tenant_id":"first","optimization_type":"x","approximate_savings_range":"500-2000","esp_vendor_context":"v","implementation_feasibility":"f","strategic_review_required":true,"tracking_date":"2026-11-02","tenant_id":"last"}}"#;
    let twice = r#"{"event":"cost_optimization_trend","properties":{"tenant_id":"gone"},"properties":{"tenant_id":"kept","tenant_id":null}}"#;
    let ds = dataset(&format!("{top}\n{twice}"));
    assert_eq!(ds.ingest.broken, 0, "{:?}", ds.ingest.broken_samples);
    assert_eq!(ds.events.len(), 2);
    let e = &ds.events[0];
    assert_eq!(ds.resolve(e.tenant), "last");
    assert_eq!(
        e.uuid_string().as_deref(),
        Some("0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70")
    );
    assert!(
        e.conforms(),
        "missing {:b} invalid {:b}",
        e.missing,
        e.invalid
    );
    // The last `properties` wins whole, and a last `null` makes a property missing.
    let e = &ds.events[1];
    assert!(e.tenant.is_empty());
    let bit = EventKind::Cost.bit("tenant_id");
    assert_eq!(e.missing & bit, bit);
}

#[test]
fn one_comma_comma_two_is_counted_unreadable_not_12_dollars() {
    let lines = [
        cost_line(r#""t-1""#, "$1,,,,,,2"),
        cost_line(r#""t-1""#, "1,2"),
        cost_line(r#""t-1""#, ",5"),
        cost_line(r#""t-1""#, "$1,000-12,345,678"),
    ];
    let ds = dataset(&lines.join("\n"));
    let bit = EventKind::Cost.bit("approximate_savings_range");
    let invalid: Vec<bool> = ds.events.iter().map(|e| e.invalid & bit != 0).collect();
    assert_eq!(invalid, [true, true, true, false]);
    let v = compute(&ds, &params());
    let cost = v.health.kinds.iter().find(|k| k.kind == EventKind::Cost);
    let savings = cost
        .unwrap()
        .properties
        .iter()
        .find(|p| p.property == "approximate_savings_range");
    assert_eq!(savings.map(|p| p.invalid), Some(3));
    // Only the readable range counts towards the savings.
    assert_eq!(v.overview.savings.low, 1000.0);
    assert_eq!(v.overview.savings.high, 12_345_678.0);
}
