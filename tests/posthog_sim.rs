//! The PostHog simulator (tests/posthog_sim/): the seed's own queries, written in HogQL,
//! run through PostHog's parser and ClickHouse and agree with bearing's local engine;
//! errors, limits, async queries, capture and every fault mode behave as documented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sim.rs"]
mod sim;
mod support;

use bearing::domain::PeriodSpec;
use bearing::domain::range::parse_range;
use bearing::engine::impact::Impact;
use bearing::engine::{EngineParams, compute};
use bearing::source::{FileSource, LoadOptions, Source};
use chrono::NaiveDate;
use serde_json::{Value, json};
use sim::{KEY, Sim, TOKEN};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A demo export (messy as real tracking) with its subscriptions table beside it.
fn fixture(dir: &std::path::Path, events: usize) -> std::path::PathBuf {
    let path = dir.join("events.jsonl");
    let out = std::process::Command::new(support::BIN)
        .args([
            "demo-data",
            "--events",
            &events.to_string(),
            "--out",
            path.to_str().unwrap(),
            "--today",
            "2026-11-28",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    path
}

fn ts(d: NaiveDate) -> String {
    format!("{d} 00:00:00")
}

/// The seed's "Strategic Performance Summary Query" in HogQL.
const OVERVIEW: &str = "
SELECT sm.tenant_id AS tenant_id,
       sm.revenue_trends_identified AS revenue_trends_identified,
       sm.cost_optimization_trends AS cost_optimization_trends,
       sm.strategic_decisions_tracked AS strategic_decisions_tracked,
       s.plan_name AS plan_name,
       s.current_period_start AS current_period_start,
       multiIf(sm.total > 10, 'High Strategic Activity',
               sm.total > 5, 'Moderate Strategic Activity',
               'Low Strategic Activity') AS strategic_activity_level
FROM (
    SELECT properties.tenant_id AS tenant_id,
           countIf(event = 'revenue_protection_trend') AS revenue_trends_identified,
           countIf(event = 'cost_optimization_trend') AS cost_optimization_trends,
           countIf(event = 'strategic_decision_summary') AS strategic_decisions_tracked,
           count() AS total
    FROM events
    WHERE timestamp >= {since} AND timestamp < {until}
      AND event IN ('revenue_protection_trend', 'cost_optimization_trend', 'strategic_decision_summary')
      AND properties.tenant_id IN (SELECT tenant_id FROM subscriptions WHERE status = 'active')
    GROUP BY tenant_id
) AS sm
JOIN subscriptions AS s ON s.tenant_id = sm.tenant_id
WHERE s.status = 'active'
ORDER BY sm.total DESC, tenant_id
LIMIT 1000";

/// The seed's "Cost Optimization Tracking Query" in HogQL, bringing the raw range texts
/// back for bearing's parser instead of the seed's LIKE '%500%'. The review flag is read as
/// its raw text: PostHog types it Boolean from its first value, and lower() of a Bool is
/// ClickHouse's ILLEGAL_TYPE_OF_ARGUMENT.
const QUARTERLY_COST: &str = "
SELECT properties.tenant_id AS tenant_id,
       properties.optimization_type AS optimization_type,
       properties.approximate_savings_range AS savings_range,
       count() AS optimization_opportunities_identified,
       countIf(lower(replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'strategic_review_required'), ''), 'null'), '^\"|\"$', ''))
               IN ('true', 'yes', 'y', '1', 't', 'on')) AS reviews_required
FROM events
WHERE event = 'cost_optimization_trend' AND timestamp >= {since} AND timestamp < {until}
GROUP BY tenant_id, optimization_type, savings_range
ORDER BY tenant_id, optimization_type, savings_range
LIMIT 50000";

fn text(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_default()
}

#[test]
fn the_seed_queries_in_hogql_agree_with_the_local_engine() {
    let dir = tempfile::tempdir().unwrap();
    let events = fixture(dir.path(), 3000);
    let sim = Sim::start(&events);
    let ds = FileSource::new(events.clone(), None)
        .load(&LoadOptions::new(today()))
        .unwrap();

    // The 90-day overview, joined to subscriptions.
    let window = PeriodSpec::Trailing(90).resolve(today(), bearing::domain::Zone::UTC);
    let r = sim.hogql(
        OVERVIEW,
        json!({"since": ts(window.start), "until": ts(window.end)}),
    );
    let views = compute(&ds, &EngineParams::new(today()));
    let mut remote: Vec<(String, u64, u64, u64, String, String)> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                text(&row[0]),
                row[1].as_u64().unwrap(),
                row[2].as_u64().unwrap(),
                row[3].as_u64().unwrap(),
                text(&row[4]),
                text(&row[6]),
            )
        })
        .collect();
    let mut local: Vec<_> = views
        .overview
        .rows
        .iter()
        .map(|o| {
            (
                ds.tenant(o.tenant).to_owned(),
                u64::from(o.revenue),
                u64::from(o.cost),
                u64::from(o.decisions),
                o.plan.map(|p| ds.resolve(p).to_owned()).unwrap_or_default(),
                o.level.label().to_owned(),
            )
        })
        .collect();
    remote.sort();
    local.sort();
    assert!(local.len() >= 15, "{local:?}");
    assert_eq!(remote, local, "the 90-day overview");
    assert_eq!(r["columns"][6], "strategic_activity_level");

    // The quarterly cost query.
    let quarter = PeriodSpec::ThisQuarter.resolve(today(), bearing::domain::Zone::UTC);
    let r = sim.hogql(
        QUARTERLY_COST,
        json!({"since": ts(quarter.start), "until": ts(quarter.end)}),
    );
    let mut remote: BTreeMap<(String, String), (u32, u32, Impact)> = BTreeMap::new();
    for row in r["results"].as_array().unwrap() {
        let key = (text(&row[0]), text(&row[1]));
        let n = row[3].as_u64().unwrap() as u32;
        let e = remote.entry(key).or_default();
        e.0 += n;
        e.1 += row[4].as_u64().unwrap() as u32;
        let range = row[2]
            .as_str()
            .map_or(bearing::domain::RangeParse::Unknown, parse_range);
        for _ in 0..n {
            e.2.add(range);
        }
    }
    let params = EngineParams {
        period: PeriodSpec::ThisQuarter,
        ..EngineParams::new(today())
    };
    let views = compute(&ds, &params);
    let local: BTreeMap<(String, String), (u32, u32, Impact)> = views
        .cost
        .iter()
        .filter(|c| c.series.current > 0)
        .map(|c| {
            let tenant = if c.tenant.is_empty() {
                String::new()
            } else {
                ds.resolve(c.tenant).to_owned()
            };
            (
                (tenant, ds.resolve(c.optimization).to_owned()),
                (c.series.current, c.reviews_required, c.savings),
            )
        })
        .collect();
    assert!(local.len() >= 20, "{}", local.len());
    assert_eq!(
        remote.keys().collect::<Vec<_>>(),
        local.keys().collect::<Vec<_>>()
    );
    for (k, (n, reviews, savings)) in &local {
        let (rn, rreviews, rsavings) = &remote[k];
        assert_eq!((rn, rreviews), (n, reviews), "{k:?}");
        assert_eq!(
            (
                rsavings.low,
                rsavings.high,
                rsavings.known,
                rsavings.unknown
            ),
            (savings.low, savings.high, savings.known, savings.unknown),
            "{k:?}"
        );
        assert!(
            (rsavings.midpoints - savings.midpoints).abs() < 1e-6,
            "{k:?}"
        );
    }
}

#[test]
fn errors_are_posthogs_and_every_fault_mode_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&fixture(dir.path(), 300));
    let query = |q: &str| json!({"query": {"kind": "HogQLQuery", "query": q}});

    // A syntax error: 400 validation_error with the parser's own message.
    let r = sim
        .query_with(KEY, &query("SELEC count( FROM events"))
        .unwrap();
    assert_eq!(r.status, 400);
    let body = r.json();
    assert_eq!(body["type"], "validation_error");
    assert_eq!(
        body["detail"],
        "mismatched input 'SELEC' expecting {SELECT, WITH, '{', '(', '<'}"
    );
    // A wrong key and no key: 401.
    let r = sim.query_with("phx_wrong", &query("SELECT 1")).unwrap();
    assert_eq!(
        (r.status, r.json()["type"].clone()),
        (401, json!("authentication_error"))
    );
    let r = sim
        .request(
            "POST",
            "/api/projects/1/query/",
            &[],
            query("SELECT 1").to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "not_authenticated");
    // The environments prefix and a missing trailing slash work too.
    let auth = format!("Bearer {KEY}");
    let r = sim
        .request(
            "POST",
            "/api/environments/1/query",
            &[("Authorization", &auth)],
            query("SELECT 1 AS one").to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(r.json()["results"], json!([[1]]));

    let ok = || sim.query_with(KEY, &query("SELECT count() FROM events"));
    // latency
    sim.fault(json!({"mode": "latency", "latency_ms": 600, "count": 1}));
    let t = Instant::now();
    assert_eq!(ok().unwrap().status, 200);
    assert!(t.elapsed() >= Duration::from_millis(600));
    // 500, 503, 401
    for (mode, status, kind) in [
        ("500", 500, "server_error"),
        ("503", 503, "server_error"),
        ("401", 401, "authentication_error"),
    ] {
        sim.fault(json!({"mode": mode, "count": 1}));
        let r = ok().unwrap();
        assert_eq!(
            (r.status, r.json()["type"].clone()),
            (status, json!(kind)),
            "{mode}"
        );
        assert_eq!(ok().unwrap().status, 200, "only one request is affected");
    }
    // 429 with Retry-After
    sim.fault(json!({"mode": "429", "retry_after": 3, "count": 1}));
    let r = ok().unwrap();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("Retry-After"), Some("3"));
    assert_eq!(r.json()["type"], "throttled_error");
    // a dropped connection: no answer at all
    sim.fault(json!({"mode": "drop", "count": 1}));
    assert!(ok().is_err());
    // a truncated body: less than the Content-Length said
    sim.fault(json!({"mode": "truncate", "count": 1}));
    let r = ok().unwrap();
    assert_eq!(r.status, 200);
    assert!(
        r.body.len() < r.declared.unwrap(),
        "{} of {:?}",
        r.body.len(),
        r.declared
    );
    // malformed JSON
    sim.fault(json!({"mode": "malformed", "count": 1}));
    let r = ok().unwrap();
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert_eq!(ok().unwrap().json()["results"], json!([[300]]));

    // The request log saw every one of them.
    let faults: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|e| e["fault"].as_str().map(str::to_owned))
        .collect();
    for mode in [
        "latency",
        "500",
        "503",
        "401",
        "429",
        "drop",
        "truncate",
        "malformed",
    ] {
        assert!(
            faults.iter().any(|f| f == mode),
            "{mode} missing from {faults:?}"
        );
    }
}

#[test]
fn limits_async_queries_metadata_and_capture() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&fixture(dir.path(), 3000));

    // 100 rows without a LIMIT, at most 50,000 with one.
    let r = sim.hogql("SELECT uuid FROM events", json!({}));
    assert_eq!(
        (
            r["results"].as_array().unwrap().len(),
            r["hasMore"].clone(),
            r["limit"].clone()
        ),
        (100, json!(true), json!(100))
    );
    let r = sim.hogql(
        "SELECT e.uuid FROM events AS e CROSS JOIN subscriptions AS s LIMIT 100000",
        json!({}),
    );
    assert_eq!(
        (r["results"].as_array().unwrap().len(), r["limit"].clone()),
        (50_000, json!(50_000))
    );
    assert_eq!(r["types"][0], json!(["uuid", "String"]));

    // Async: 202, then polls, then the result; a cancelled query says so.
    let body = json!({"query": {"kind": "HogQLQuery", "query": "SELECT count() FROM events"}, "refresh": "async"});
    let r = sim.query_with(KEY, &body).unwrap();
    assert_eq!(r.status, 202);
    let id = r.json()["query_status"]["id"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {KEY}");
    let path = format!("/api/projects/1/query/{id}/");
    let first = sim
        .request("GET", &path, &[("Authorization", &auth)], b"")
        .unwrap();
    assert_eq!(first.status, 202);
    assert_eq!(first.json()["query_status"]["complete"], false);
    let done = loop {
        let r = sim
            .request("GET", &path, &[("Authorization", &auth)], b"")
            .unwrap();
        if r.status != 202 {
            break r;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(done.status, 200);
    assert_eq!(
        done.json()["query_status"]["results"]["results"],
        json!([[3000]])
    );
    // PostHog runs it under the client's id (api/query.py: `client_query_id or
    // uuid7().hex`); a cancel (execute_async.py, cancel_query) answers 200 and deletes
    // the status, so the next GET is "not found"; an id it never saw is cancelled alike.
    // The same query again would be answered from the cache (200, is_cached), as PostHog
    // answers a fresh cached result; force_async starts it anew.
    let mut named = body.clone();
    named["client_query_id"] = json!("bearing0123456789abcdef");
    named["refresh"] = json!("force_async");
    let r = sim.query_with(KEY, &named).unwrap();
    assert_eq!(r.json()["query_status"]["id"], "bearing0123456789abcdef");
    let path = "/api/projects/1/query/bearing0123456789abcdef/";
    let delete = |path: &str| {
        sim.request("DELETE", path, &[("Authorization", &auth)], b"")
            .unwrap()
    };
    assert_eq!(delete(path).status, 200);
    let r = sim
        .request("GET", path, &[("Authorization", &auth)], b"")
        .unwrap();
    assert_eq!(
        (r.status, r.json()["detail"].clone()),
        (
            404,
            json!("Query bearing0123456789abcdef not found for team 1")
        )
    );
    assert_eq!(delete("/api/projects/1/query/neverstarted/").status, 200);

    // HogQLMetadata validates without running.
    let meta = |q: &str| {
        sim.query_with(
            KEY,
            &json!({"query": {"kind": "HogQLMetadata", "language": "hogQL", "query": q}}),
        )
        .unwrap()
        .json()
    };
    assert_eq!(meta("SELECT event FROM events")["isValid"], true);
    let bad = meta("SELECT event FROM");
    assert_eq!(bad["isValid"], false);
    assert_eq!(
        bad["errors"][0]["message"],
        "no viable alternative at input 'SELECT event FROM'"
    );

    // Capture: the token is checked, events land in the table, a uuid counts once.
    let event = json!({"uuid": "0191b6c1-0000-7000-8000-000000000001", "event": "strategic_decision_summary", "distinct_id": "t_x",
                       "timestamp": "2026-11-27T10:00:00Z", "properties": {"tenant_id": "captured-tenant"}});
    let batch = |token: &str, events: Value| json!({"api_key": token, "historical_migration": false, "batch": events});
    let post = |b: Value| {
        sim.request(
            "POST",
            "/batch/",
            &[("Content-Type", "application/json")],
            b.to_string().as_bytes(),
        )
        .unwrap()
    };
    let r = post(batch("phc_wrong", json!([event.clone()])));
    assert_eq!(
        (r.status, r.text()),
        (401, "API key is not valid".to_owned())
    );
    assert_eq!(post(batch(TOKEN, json!([]))).status, 400);
    let r = post(batch(TOKEN, json!([event.clone(), event.clone()])));
    assert_eq!((r.status, r.json()), (200, json!({"status": "Ok"})));
    post(batch(TOKEN, json!([event.clone()])));
    let single = json!({"api_key": TOKEN, "event": "strategic_decision_summary", "distinct_id": "t_y", "properties": {"tenant_id": "captured-tenant"}, "timestamp": "2026-11-27T11:00:00Z"});
    assert_eq!(
        sim.request("POST", "/i/v0/e/", &[], single.to_string().as_bytes())
            .unwrap()
            .status,
        200
    );
    // PostHog keeps a repeated event until ClickHouse merges the table (ReplacingMergeTree),
    // and a blocking query is answered from the cache until it is stale or forced.
    let count = |refresh: &str| {
        let body = json!({"query": {"kind": "HogQLQuery", "values": {"t": "captured-tenant"},
            "query": "SELECT count() FROM events WHERE properties.tenant_id = {t}"}, "refresh": refresh});
        let r = sim.query_with(KEY, &body).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["results"].clone()
    };
    assert_eq!(
        count("blocking"),
        json!([[4]]),
        "captured events are queried back, the repeated uuid three times before a merge"
    );
    sim.merge();
    assert_eq!(count("blocking"), json!([[4]]), "the cached answer");
    assert_eq!(
        count("force_blocking"),
        json!([[2]]),
        "once after the merge"
    );

    let kinds: Vec<String> = sim
        .requests()
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(kinds.iter().filter(|k| *k == "capture").count() >= 5);
    assert!(kinds.iter().any(|k| k == "metadata") && kinds.iter().any(|k| k == "query_status"));
}
