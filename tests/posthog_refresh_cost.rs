//! What a full refresh costs PostHog, read from the simulator's request log: at most
//! six queries whatever the number of tenants, summary-pane answers whose size does
//! not grow with the number of events (10,000 against 200,000), and an alert cycle of
//! three queries whose rollup does not grow either.
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
    run_command(dir, sim, flags, &["report"])
}

/// Bytes answered per query name for one run of `command` over the simulator.
fn run_command(dir: &Path, sim: &Sim, flags: &[&str], command: &[&str]) -> BTreeMap<String, u64> {
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
        .args(["--source", "posthog"])
        .args(command)
        .env("XDG_DATA_HOME", dir.join("data"))
        .envs(sim.env())
        .output()
        .unwrap();
    // `alerts` exits 3 while a new urgent alert waits.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
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

/// The panes' queries (`bearing report`) and the alert cycle (`bearing alerts`, as
/// cron runs it; the cockpit sends the same rollup with its pane queries and asks for
/// one alert's evidence when its details open), against one simulator per volume.
#[test]
fn few_queries_and_flat_answers_from_10k_to_200k_events() {
    let dir = tempfile::tempdir().unwrap();
    let small = dense::write(dir.path(), 10_000);
    let large = dense::write(dir.path(), 200_000);
    let run = |events: &Path, db: &str| {
        let sim = Sim::start(events);
        let panes = refresh(dir.path(), &sim);
        let db = dir.path().join(db);
        let flags = ["--db", db.to_str().unwrap()];
        let alerts = run_command(dir.path(), &sim, &flags, &["alerts", "--save"]);
        // Every alert stored (under the PostHog project's source).
        let raised: i64 = bearing::store::Store::open(&db)
            .unwrap()
            .conn()
            .query_row("SELECT count(*) FROM alerts", [], |r| r.get(0))
            .unwrap();
        (panes, alerts, raised)
    };
    let (a, alerts_a, na) = run(&small, "small.db");
    let (b, alerts_b, nb) = run(&large, "large.db");
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

    // The alert cycle: the zone question, the alert rollup, whose answer does not grow
    // with the number of events, and one evidence query for every alert raised, at
    // most 20 events each.
    println!("alert cycle bytes ({na} → {nb} alerts):");
    for name in alerts_a.keys() {
        println!("  {name:<28} {:>8} → {:>8}", alerts_a[name], alerts_b[name]);
    }
    let names = [
        "bearing_alert_evidence",
        "bearing_alert_rollup",
        "bearing_time_zone",
    ];
    assert_eq!(alerts_a.keys().collect::<Vec<_>>(), names, "{alerts_a:?}");
    assert_eq!(alerts_b.keys().collect::<Vec<_>>(), names, "{alerts_b:?}");
    let (x, y) = (alerts_a[names[1]] as f64, alerts_b[names[1]] as f64);
    assert!(
        y <= x * 1.15,
        "the rollup: {x} bytes for 10k events but {y} for 200k"
    );
    // At 10k events some alerts have fewer than 20 events behind them; at 200k each
    // brings 20 of at most ~300 bytes, whatever the volume.
    let evidence = alerts_b[names[0]];
    assert!(
        evidence <= nb as u64 * 20 * 300,
        "{evidence} bytes for {nb} alerts"
    );
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
