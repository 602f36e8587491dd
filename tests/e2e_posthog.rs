//! The cockpit on PostHog, driven in tmux against the simulator: every fault the
//! simulator can serve leaves the last data on screen with a clear message and no
//! panic, and the next refresh recovers; a keystroke is handled during a slow refresh;
//! with PostHog unreachable the cockpit starts from its snapshot, marked OFFLINE.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use serde_json::json;
use sim::{KEY, Sim};
use std::time::{Duration, Instant};
use support::Tmux;

/// Retries with backoff take seconds; a passing run waits far less than this, even on
/// a loaded 2-core machine where the simulator's ClickHouse answers slowly.
const RETRIES: Duration = Duration::from_secs(180);
const REFRESHED: &str = "refreshed from PostHog";
/// A tenant of the dense fixture, on screen whenever the overview has data.
const DATA: &str = "umbrella";

fn env(sim_url: &str) -> String {
    format!(
        "POSTHOG_HOST={sim_url} POSTHOG_PROJECT_ID=1 POSTHOG_PERSONAL_API_KEY={KEY} \
         BEARING_POSTHOG_MAX_QUERIES_PER_HOUR=2400"
    )
}

fn fixture(dir: &std::path::Path) -> std::path::PathBuf {
    dense::write(dir, 3000)
}

#[test]
fn every_fault_keeps_the_data_says_why_and_the_next_refresh_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&fixture(dir.path()));
    let t = Tmux::start(200, 45);
    t.run_bearing_with(&env(&sim.url()), "--today 2026-11-28 --save");
    t.wait_within(RETRIES, "the first refresh", |s| {
        s.contains(REFRESHED) && s.contains(DATA)
    });
    let faults = [
        (json!({"mode": "500"}), "PostHog failed (500"),
        (json!({"mode": "503"}), "PostHog failed (503"),
        (
            json!({"mode": "429", "retry_after": 1}),
            "PostHog is rate-limiting bearing (429)",
        ),
        (json!({"mode": "drop"}), "cannot reach PostHog"),
        (
            json!({"mode": "truncate"}),
            "PostHog's answer was not readable",
        ),
        (
            json!({"mode": "malformed"}),
            "PostHog's answer was not readable",
        ),
        (
            json!({"mode": "401"}),
            "PostHog refused the personal API key (401",
        ),
        (json!({"mode": "400"}), "PostHog rejected the query"),
    ];
    for (mut spec, message) in faults {
        let mode = spec["mode"].as_str().unwrap().to_owned();
        spec["count"] = json!(1000);
        spec["paths"] = json!("query");
        sim.fault(spec);
        t.keys(&["R"]);
        let s = t.wait_within(RETRIES, &format!("the {mode} message"), |s| {
            s.contains(message) && !s.contains("REFRESHING")
        });
        assert!(s.contains("not refreshed"), "{mode}: panes say so\n{s}");
        assert!(s.contains(DATA), "{mode}: the last data stays\n{s}");
        assert!(!s.contains("panicked"), "{s}");
        if mode == "drop" {
            assert!(s.contains("OFFLINE"), "{s}");
        }
        sim.clear_faults();
        t.keys(&["R"]);
        let s = t.wait_within(RETRIES, &format!("recovery after {mode}"), |s| {
            s.contains(REFRESHED) && !s.contains("not refreshed") && !s.contains("REFRESHING")
        });
        assert!(s.contains(DATA) && !s.contains("OFFLINE"), "{s}");
    }
    t.keys(&["q"]);
    let s = t.wait_for("TTY=");
    assert!(s.contains("EXIT=0") && s.contains("TTY=restored"), "{s}");
}

#[test]
fn a_keystroke_is_handled_during_a_slow_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&fixture(dir.path()));
    let t = Tmux::start(160, 45);
    t.run_bearing_with(&env(&sim.url()), "--today 2026-11-28 --save");
    t.wait_within(RETRIES, "the first refresh", |s| s.contains(REFRESHED));
    // Every query now takes 3 s in PostHog.
    sim.fault(json!({"mode": "latency", "latency_ms": 3000, "count": 5, "paths": "query"}));
    t.keys(&["R"]);
    t.wait_for("REFRESHING");
    let sent = Instant::now();
    t.keys(&["3"]);
    let s = t.wait_for("┏ 3 Cost opportunities");
    let handled = sent.elapsed();
    assert!(
        s.contains("REFRESHING") && s.contains("↻ refreshing"),
        "the key was handled while the refresh was still running\n{s}"
    );
    assert!(s.contains(DATA), "the data stays while refreshing\n{s}");
    println!("keystroke during a 3 s refresh: handled in {handled:?}");
    t.wait_within(RETRIES, "the slow refresh to end", |s| {
        s.contains(REFRESHED) && !s.contains("REFRESHING")
    });
    t.keys(&["q"]);
    let s = t.wait_for("TTY=");
    assert!(s.contains("EXIT=0"), "{s}");
}

#[test]
fn with_posthog_unreachable_it_starts_from_the_snapshot_marked_offline() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&fixture(dir.path()));
    let url = sim.url();
    let t = Tmux::start(160, 45);
    t.run_bearing_with(&env(&url), "--today 2026-11-28 --save");
    t.wait_within(RETRIES, "the first refresh", |s| {
        s.contains(REFRESHED) && s.contains(DATA)
    });
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.run("clear");
    drop(sim); // PostHog is gone: its port now refuses connections.
    let started = Instant::now();
    t.run_bearing_with(&env(&url), "--today 2026-11-28 --save");
    // The stored alerts may name a tenant first; every pane is what is waited for.
    let s = t.wait_until("every PostHog pane populated from the snapshot", |s| {
        s.contains(DATA) && !s.contains("loading…")
    });
    let shown = started.elapsed();
    assert!(s.contains("Revenue trends"), "{s}");
    println!("populated from the snapshot {shown:?} after start");
    let s = t.wait_within(RETRIES, "the OFFLINE badge", |s| s.contains("OFFLINE"));
    assert!(
        s.contains(DATA) && s.contains("cannot reach PostHog"),
        "{s}"
    );
    assert!(
        s.contains(" old"),
        "the badge says how old the data is\n{s}"
    );
    t.keys(&["q"]);
    let s = t.wait_for("TTY=");
    assert!(s.contains("EXIT=0") && s.contains("TTY=restored"), "{s}");
}

#[test]
fn async_queries_show_progress_and_quitting_cancels_them_in_posthog() {
    let dir = tempfile::tempdir().unwrap();
    // Async queries that run for 8 s in PostHog.
    let sim = Sim::start_full(&fixture(dir.path()), KEY, 8000);
    let t = Tmux::start(160, 45);
    t.run_bearing_with(
        &format!("{} BEARING_POSTHOG_QUERY_MODE=async", env(&sim.url())),
        "--today 2026-11-28 --save",
    );
    t.wait_for("running in PostHog");
    t.keys(&["q"]);
    let s = t.wait_for("TTY=");
    assert!(s.contains("EXIT=0") && s.contains("TTY=restored"), "{s}");
    let log = sim.requests();
    let ids = |kind: &str| -> std::collections::BTreeSet<String> {
        log.iter()
            .filter(|r| r["kind"] == kind && r["status"].as_u64().is_some_and(|s| s < 300))
            .filter_map(|r| r["query_id"].as_str().map(str::to_owned))
            .collect()
    };
    let (started, cancelled) = (ids("query"), ids("query_cancel"));
    assert!(!started.is_empty(), "{log:?}");
    // Each one by the name it runs under, the ones whose answer was still on its way
    // when q was pressed included.
    assert!(
        started.is_subset(&cancelled),
        "every query running in PostHog is cancelled on quit: {log:?}"
    );
}

#[test]
fn the_decision_log_pages_in_as_the_analyst_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    // 1,000 decisions: two pages of 500.
    let sim = Sim::start(&fixture(dir.path()));
    let t = Tmux::start(160, 45);
    t.run_bearing_with(&env(&sim.url()), "--today 2026-11-28 --save");
    t.wait_within(RETRIES, "the first refresh", |s| s.contains(REFRESHED));
    t.keys(&["4", "z"]);
    t.wait_for("1/500");
    t.keys(&["End"]);
    t.wait_for("/1000");
    let pages = sim
        .requests()
        .iter()
        .filter(|r| r["name"] == "bearing_decision_log_page")
        .count();
    assert_eq!(pages, 1, "one more page, fetched once");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}
