//! The alert rules give the same alerts whichever source holds the events: against the
//! PostHog simulator, `bearing alerts --json --source posthog` prints what `--source
//! file:F` prints for the same events (identities, severities, titles, figures and
//! evidence events), on three fixtures, with today on the first day of a month, the
//! last day of a quarter and a day in between. Only the times the store first and
//! last saw an alert differ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/compare.rs"]
mod compare;
#[path = "support/messy.rs"]
mod messy;
#[path = "support/sim.rs"]
mod sim;
mod support;

use compare::first_difference;
use serde_json::Value;
use sim::Sim;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TODAYS: [&str; 3] = ["2026-11-01", "2026-09-30", "2026-11-19"];
const CUSTOM: &str = "competitive_intel_update";

/// `bearing alerts --json` into a fresh store, without the store's times.
fn alerts(dir: &Path, sim: Option<&Sim>, source: &str, today: &str) -> Vec<Value> {
    listed(
        dir,
        sim,
        source,
        today,
        "alerts",
        &["first_seen", "last_seen"],
    )
}

/// `bearing followups --json` (after `alerts` filled the same store).
fn followups(dir: &Path, sim: Option<&Sim>, source: &str, today: &str) -> Vec<Value> {
    listed(dir, sim, source, today, "followups", &["created"])
}

/// A command's JSON list, without the fields that hold the store's own times.
fn listed(
    dir: &Path,
    sim: Option<&Sim>,
    source: &str,
    today: &str,
    command: &str,
    times: &[&str],
) -> Vec<Value> {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[alerts]\ncustom_events = [\"{CUSTOM}\"]\n"),
    )
    .unwrap();
    let db = dir.join(format!(
        "{}-{today}.db",
        if sim.is_some() { "ph" } else { "file" }
    ));
    let out = sim::bearing(dir, sim, &config, today)
        .args(["--source", source, "--db", db.to_str().unwrap()])
        .args([command, "--json"])
        .output()
        .unwrap();
    // 3: a new high or critical alert waits, as it should on these fixtures.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{source} {today}: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let mut a = a.clone();
            let o = a.as_object_mut().unwrap();
            for &k in times {
                assert!(o.remove(k).is_some(), "{k}");
            }
            a
        })
        .collect()
}

/// The alerts on every day of [`TODAYS`], the follow-ups on the `followups_on`th.
fn assert_same_alerts(events: &Path, followups_on: usize) {
    let sim = Sim::start(events);
    let file = format!("file:{}", events.display());
    for (day, today) in TODAYS.into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let local = alerts(dir.path(), None, &file, today);
        let remote = alerts(dir.path(), Some(&sim), "posthog", today);
        let (l, r) = (Value::Array(local.clone()), Value::Array(remote));
        if let Some(d) = first_difference(&l, &r, "") {
            panic!(
                "{} on {today}: file and posthog differ at {d}",
                events.display()
            );
        }
        assert_rules_fire(today, &local);
        if day != followups_on {
            continue;
        }
        let local_f = followups(dir.path(), None, &file, today);
        let remote_f = followups(dir.path(), Some(&sim), "posthog", today);
        let (lf, rf) = (Value::Array(local_f.clone()), Value::Array(remote_f));
        if let Some(d) = first_difference(&lf, &rf, "") {
            panic!("{} on {today}: follow-ups differ at {d}", events.display());
        }
        let kinds: BTreeSet<&str> = local_f
            .iter()
            .filter_map(|f| f["id"].as_str()?.split(':').next())
            .collect();
        assert!(kinds.len() >= 2, "{today}: follow-ups of {kinds:?}");
    }
}

/// Not vacuous: most rules fire, with evidence events behind them.
fn assert_rules_fire(today: &str, local: &[Value]) {
    let rules: BTreeSet<&str> = local.iter().filter_map(|a| a["rule"].as_str()).collect();
    assert!(rules.len() >= 5, "{today}: {rules:?}");
    let with_events = local
        .iter()
        .filter(|a| !a["evidence"]["events"].as_array().unwrap().is_empty())
        .count();
    assert!(
        with_events * 10 >= local.len() * 9,
        "{today}: {with_events} of {}",
        local.len()
    );
}

/// A demo export with watched custom events among it (some with a tenant_id, some
/// only a distinct_id).
fn demo_with_custom(dir: &Path) -> PathBuf {
    let path = support::demo_export(dir, 3000, 7);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (i, day) in [
        "2026-09-03",
        "2026-09-29",
        "2026-10-30",
        "2026-11-01",
        "2026-11-12",
    ]
    .iter()
    .enumerate()
    {
        let props = if i % 2 == 0 {
            serde_json::json!({"tenant_id": "acme", "source": "analyst"})
        } else {
            serde_json::json!({"source": "analyst"})
        };
        let e = serde_json::json!({"uuid": format!("0191b6c1-cccc-7000-8000-00000000000{i}"),
            "event": CUSTOM, "distinct_id": "globex", "timestamp": format!("{day}T09:00:00Z"),
            "properties": props});
        text.push_str(&format!("{e}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn alerts_equal_on_a_demo_export_with_custom_events() {
    let dir = tempfile::tempdir().unwrap();
    assert_same_alerts(&demo_with_custom(dir.path()), 0);
}

#[test]
fn alerts_equal_on_messy_and_hostile_events() {
    let dir = tempfile::tempdir().unwrap();
    assert_same_alerts(&messy::write(dir.path(), 1500, 99), 1);
}

#[test]
fn alerts_equal_on_typed_and_repeated_events() {
    let dir = tempfile::tempdir().unwrap();
    assert_same_alerts(&messy::typed_first(dir.path()), 2);
}
