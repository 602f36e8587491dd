//! The cockpit against a simulator that behaves as PostHog does (types, caching, time
//! limits), driven in tmux: an answer PostHog served from its cache carries PostHog's
//! time and a refresh asked for by the analyst is computed anew; a project where every
//! blocking query runs past PostHog's time limit still fills every pane, and no query is
//! sent again as it was after a timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use serde_json::{Value, json};
use sim::{Sim, TOKEN};
use std::time::Duration;
use support::Tmux;

/// A passing run waits far less; a loaded 2-core machine answers 200,000 events slowly.
const PATIENCE: Duration = Duration::from_secs(240);
const REFRESHED: &str = "refreshed from PostHog";

/// The overview's event count ("… · 12,345 events") and the header's
/// "as of" time, as the screen shows them.
fn figures(screen: &str) -> (u64, String) {
    let events = screen
        .lines()
        .find_map(|l| {
            let (before, _) = l.split_once(" events")?;
            let n: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            n.chars().rev().collect::<String>().parse().ok()
        })
        .unwrap_or_else(|| panic!("no event count on screen:\n{screen}"));
    let as_of = screen
        .split_once(" as of ")
        .map(|(_, rest)| rest.chars().take(16).collect())
        .unwrap_or_else(|| panic!("no 'as of' on screen:\n{screen}"));
    (events, as_of)
}

fn minute(shown: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(shown, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("{shown:?}: {e}"))
}

/// Sends `n` revenue events of today's tenant `newco` through PostHog's capture API.
fn capture(sim: &Sim, n: usize) {
    let batch: Vec<Value> = (0..n)
        .map(|i| {
            json!({"uuid": format!("0191b6c1-0000-7000-8000-{i:012x}"), "event": "revenue_protection_trend",
                   "distinct_id": "newco", "timestamp": "2026-11-27T10:00:00Z",
                   "properties": {"tenant_id": "newco", "trend_category": "deliverability",
                                  "tracking_date": "2026-11-27"}})
        })
        .collect();
    let body = json!({"api_key": TOKEN, "batch": batch}).to_string();
    let r = sim
        .request("POST", "/batch/", &[], body.as_bytes())
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_cached_answer_shows_posthogs_time_and_a_refresh_shows_what_arrived_since() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&dense::write(dir.path(), 3000));
    // PostHog's clock two hours ahead of this machine's: a time stamped here on arrival
    // cannot pass for PostHog's own.
    sim.advance_clock(2 * 3600);
    let t = Tmux::start(160, 45);
    t.run_bearing_with(&sim.shell_env(), "--today 2026-11-28 --save");
    let first = figures(&t.wait_within(PATIENCE, "the first refresh", |s| s.contains(REFRESHED)));
    let shown = minute(&first.1) - (chrono::Utc::now().naive_utc() + chrono::Duration::hours(2));
    assert!(
        shown.num_minutes().abs() <= 3,
        "the time shown is PostHog's ({}), not this machine's",
        first.1
    );
    t.quit_cleanly();

    // Events arrive; a minute passes in PostHog.
    capture(&sim, 7);
    sim.advance_clock(60);

    // A new start takes PostHog's cached answer: the old count, at PostHog's time.
    t.run_bearing_with(&sim.shell_env(), "--today 2026-11-28 --save");
    let cached = figures(&t.wait_within(PATIENCE, "the cached answer", |s| s.contains(REFRESHED)));
    assert_eq!(
        cached, first,
        "served from PostHog's cache, stamped with its time"
    );
    let log = sim.requests();
    assert!(
        log.iter()
            .any(|r| r["kind"] == "query" && r["is_cached"] == true),
        "PostHog answered from its cache: {log:?}"
    );

    // The analyst asks for fresh data: the new events, computed now.
    t.keys(&["R"]);
    let fresh = figures(&t.wait_within(PATIENCE, "the forced refresh", |s| {
        s.contains(REFRESHED) && figures(s).0 != first.0
    }));
    assert_eq!(fresh.0, first.0 + 7, "the captured events are counted");
    assert!(
        minute(&fresh.1) > minute(&first.1),
        "a minute later in PostHog: {} after {}",
        fresh.1,
        first.1
    );
    t.quit_cleanly();
}

#[test]
fn every_pane_fills_when_every_blocking_query_runs_past_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let events = dense::write(dir.path(), 200_000);
    // 200,000 events read in 10 ms of emulated ClickHouse time: past a 1 ms limit.
    let sim = Sim::start_args(&events, &["--max-execution-ms", "1"]);
    let t = Tmux::start(200, 50);
    t.run_bearing_with(&sim.shell_env(), "--today 2026-11-28 --save");
    let s = t.wait_within(PATIENCE, "every pane", |s| {
        s.contains(REFRESHED) && !s.to_lowercase().contains("loading")
    });
    assert!(
        !s.contains("not refreshed") && !s.contains("Could not load"),
        "{s}"
    );
    t.quit_cleanly();

    // The log is written as each answer leaves, from one thread per request, so a
    // request sent the moment an answer arrived can be logged first: count, not order.
    let log = sim.requests();
    let sent = |name: &str, modes: &[&str]| {
        log.iter()
            .filter(|r| r["kind"] == "query" && r["name"].as_str() == Some(name))
            .filter(|r| modes.iter().any(|m| r["refresh"] == *m))
            .count()
    };
    let timed_out: Vec<&str> = log
        .iter()
        .filter(|r| r["timed_out"] == true)
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(!timed_out.is_empty(), "the limit was hit: {log:?}");
    for name in &timed_out {
        assert_eq!(
            timed_out.iter().filter(|n| *n == name).count(),
            1,
            "{name} timed out once: {timed_out:?}"
        );
        // Never sent blocking again: the next attempt, and every later refresh, is async.
        assert_eq!(sent(name, &["blocking", "force_blocking"]), 1, "{name}");
        assert!(sent(name, &["async", "force_async"]) >= 1, "{name}");
    }
}
