//! Triage state per data source, as an analyst meets it: triage done on the demo
//! never shows on an exported file, even where the two raise the same alert, and an
//! export can share another source's triage only when asked (`--triage-of`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use bearing::source::SourceSpec;
use bearing::triage::Command as Triage;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const TODAY: &str = "2026-11-28";

fn run(db: &Path, args: &[&str]) -> Output {
    let out = support::bearing_in(db.parent().unwrap(), db, args);
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 3),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn alerts(db: &Path, source: &[&str]) -> Vec<Value> {
    let mut args = source.to_vec();
    args.extend(["alerts", "--json"]);
    let v: Value = serde_json::from_slice(&run(db, &args).stdout).unwrap();
    v.as_array().unwrap().clone()
}

fn by_id<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter().find(|r| r["id"] == id).unwrap()
}

#[test]
fn triage_on_the_demo_never_reaches_a_file_source() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let file = home.path().join("export.jsonl");
    let f = file.to_str().unwrap();
    run(&db, &["demo-data", "--events", "20000", "--out", f]);
    let file_source = format!("file:{f}");
    let on_file = ["--source", file_source.as_str()];

    // The demo's alerts stored, then triaged as the cockpit does on the demo.
    run(&db, &["--source", "demo", "alerts", "--save"]);
    let demo = alerts(&db, &["--source", "demo"]);
    let file_before = alerts(&db, &on_file);
    let shared: Vec<String> = demo
        .iter()
        .filter_map(|a| a["id"].as_str())
        .filter(|id| file_before.iter().any(|b| b["id"] == *id))
        .map(str::to_owned)
        .collect();
    assert!(
        shared.len() >= 2,
        "the demo and the export raise alerts of the same identity (where triage leaked)"
    );
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let mut store = bearing::store::Store::open(&db).unwrap();
    let demo_key = SourceSpec::Demo.triage_key(&Default::default());
    store.set_source(&demo_key).unwrap();
    let reason = "Decision reversed in Nov".to_owned();
    let dismissed = shared[0].clone();
    store
        .triage(
            std::slice::from_ref(&dismissed),
            &Triage::Dismiss { reason },
            today,
        )
        .unwrap();
    let owner = Some("dana".to_owned());
    store
        .triage(&shared[1..2], &Triage::SetOwner { owner }, today)
        .unwrap();
    store
        .note(&format!("alert:{}", shared[1]), "demo-only note")
        .unwrap();
    store.followup_from_alert(&shared[1], today).unwrap();
    drop(store);
    assert_eq!(
        by_id(&alerts(&db, &["--source", "demo"]), &dismissed)["triage"]["status"],
        "dismissed"
    );

    // The file, stored and read: nothing of the demo's triage.
    run(&db, &["--source", &file_source, "alerts", "--save"]);
    let file = alerts(&db, &on_file);
    assert_eq!(file.len(), file_before.len(), "the file's own alerts only");
    for a in &file {
        assert_eq!(a["triage"]["status"], "new", "{a}");
        assert!(a["triage"].get("owner").is_none_or(Value::is_null), "{a}");
        assert_eq!(a["notes"].as_array().map_or(0, Vec::len), 0, "{a}");
        assert!(a["followup"].is_null(), "{a}");
    }
    let out = run(&db, &["--source", &file_source, "followups", "--json"]);
    let follow: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        follow
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["origin"] != "alert"),
        "the demo's follow-up is not the file's"
    );

    // Asked to, the export shares the demo's triage.
    let shared_view = alerts(&db, &["--source", &file_source, "--triage-of", "demo"]);
    assert_eq!(
        by_id(&shared_view, &dismissed)["triage"]["status"],
        "dismissed"
    );

    // Every change audited, the chain whole.
    let out = run(&db, &["audit", "verify"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("verified"), "{said}");
}
