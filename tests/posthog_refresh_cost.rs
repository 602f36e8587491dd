//! What a full refresh costs PostHog, read from the simulator's request log: at most
//! six queries whatever the number of tenants, and summary-pane answers whose size
//! does not grow with the number of events (10,000 against 200,000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/messy.rs"]
mod messy;
#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::Sim;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Bytes answered per query name for one `bearing report --source posthog`.
fn refresh(dir: &Path, sim: &Sim) -> BTreeMap<String, u64> {
    refresh_with(dir, sim, &[])
}

fn refresh_with(dir: &Path, sim: &Sim, flags: &[&str]) -> BTreeMap<String, u64> {
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    sim.request("DELETE", "/_sim/requests", &[], b"").unwrap();
    let out = Command::new(support::BIN)
        .args([
            "--config",
            config.to_str().unwrap(),
            "--today",
            "2026-11-28",
        ])
        .args(flags)
        .args(["--source", "posthog", "report"])
        .envs(sim.env())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut bytes = BTreeMap::new();
    for r in sim.requests() {
        assert_eq!(r["kind"], "query", "{r}");
        assert_eq!(r["status"], 200, "{r}");
        let name = r["name"].as_str().unwrap().to_owned();
        assert!(
            bytes
                .insert(name.clone(), r["bytes_out"].as_u64().unwrap())
                .is_none(),
            "{name} sent twice"
        );
    }
    bytes
}

const SUMMARY_PANES: [&str; 4] = [
    "bearing_overview",
    "bearing_revenue_trends",
    "bearing_cost_opportunities",
    "bearing_data_health",
];

#[test]
fn six_queries_at_most_and_flat_answers_from_10k_to_200k_events() {
    let dir = tempfile::tempdir().unwrap();
    let small = dense::write(dir.path(), 10_000);
    let large = dense::write(dir.path(), 200_000);
    let a = refresh(dir.path(), &Sim::start(&small));
    let b = refresh(dir.path(), &Sim::start(&large));
    println!("query bytes, 10k events → 200k events:");
    for name in a.keys() {
        println!("  {name:<28} {:>8} → {:>8}", a[name], b[name]);
    }
    assert!(a.len() <= 6 && b.len() <= 6, "{a:?} {b:?}");
    for name in SUMMARY_PANES {
        let (x, y) = (a[name] as f64, b[name] as f64);
        // Counts gain digits (≤ 2 more per number at 20× volume); rows do not grow.
        assert!(
            y <= x * 1.15,
            "{name}: {x} bytes for 10k events but {y} for 200k"
        );
    }
}

#[test]
fn the_number_of_queries_does_not_depend_on_tenants() {
    // The messy fixture has other tenants, odd values and its own subscriptions.
    let dir = tempfile::tempdir().unwrap();
    let events = messy::write(dir.path(), 800, 5);
    let sim = Sim::start(&events);
    // Five pane queries, and with no zone configured the question for the project's
    // zone that their bounds need.
    let q = refresh(dir.path(), &sim);
    assert_eq!(q.len(), 6, "{q:?}");
    assert!(q.contains_key("bearing_time_zone"), "{q:?}");
    // A zone the user chose needs no question.
    let q = refresh_with(dir.path(), &sim, &["--timezone", "Asia/Kolkata"]);
    assert_eq!(q.len(), 5, "{q:?}");
}
