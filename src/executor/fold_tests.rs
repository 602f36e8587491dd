//! A command's read-once fold gives what reading the file into memory gives: the same
//! panes, the same decision rows a report prints, the same alerts with the same
//! evidence, on a demo export made messy (retries, broken lines, a custom event).

use super::local::{Asked, fold};
use crate::domain::PeriodSpec;
use crate::engine::alerts::AlertConfig;
use crate::engine::decisions::ReviewStatus;
use crate::engine::local::Keep;
use crate::engine::{EngineParams, Views};
use crate::source::demo::DemoOptions;
use crate::source::{FileSource, LoadOptions, Source};
use chrono::{NaiveDate, TimeZone, Utc};
use std::io::Write;

fn messy_export(dir: &std::path::Path, today: NaiveDate) -> std::path::PathBuf {
    let path = dir.join("events.jsonl");
    let mut text = Vec::new();
    let opts = DemoOptions {
        today,
        events: 20_000,
        seed: 7,
    };
    crate::source::export::write_events(opts, &mut text).unwrap();
    crate::source::export::write_subscriptions(
        opts,
        std::fs::File::create(dir.join("events.subscriptions.jsonl")).unwrap(),
    )
    .unwrap();
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    let mut out = std::fs::File::create(&path).unwrap();
    for (i, line) in lines.iter().enumerate() {
        out.write_all(line).unwrap();
        out.write_all(b"\n").unwrap();
        // Retries, some far from their first copy and one sent later with another
        // time (the first copy counts), broken lines and a watched custom event.
        if i % 997 == 0 {
            out.write_all(lines[i / 2]).unwrap();
            out.write_all(b"\n{\"event\":\"revenue_protection_trend\",\"properties\":\n")
                .unwrap();
        }
        if i == 5000 {
            let retried = String::from_utf8_lossy(lines[10])
                .replace("\"timestamp\":\"20", "\"timestamp\":\"19");
            writeln!(out, "{retried}\nnot json at all").unwrap();
            writeln!(out, "{{\"event\":\"competitor_update\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{{\"tenant_id\":\"acme-outdoor\"}}}}").unwrap();
        }
    }
    path
}

/// The messy export as a source, in a folder that lasts as long as the first value.
fn messy_source() -> (tempfile::TempDir, NaiveDate, FileSource) {
    let dir = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let src = FileSource::new(messy_export(dir.path(), today), None);
    (dir, today, src)
}

fn due_rows(v: &Views) -> Vec<String> {
    v.decisions
        .rows
        .iter()
        .filter(|r| r.status == ReviewStatus::DueThisMonth)
        .map(|r| format!("{r:?}"))
        .collect()
}

#[test]
fn folding_a_file_gives_what_holding_it_gives() {
    let (_dir, today, src) = messy_source();
    let mut opts = LoadOptions::new(today);
    opts.watch = vec!["competitor_update".to_owned()];
    let cfg = AlertConfig {
        custom_events: opts.watch.clone(),
        ..AlertConfig::default()
    };
    let as_of = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    for period in [
        PeriodSpec::Trailing(90),
        PeriodSpec::ThisMonth,
        PeriodSpec::LastQuarter,
    ] {
        let params = EngineParams {
            period,
            ..EngineParams::new(today)
        };
        let held = src.load(&opts).unwrap();
        let held_views = crate::engine::compute(&held, &params);
        let (held_alerts, held_followups) = crate::refresh::rules(&held, &params, &cfg);
        let asked = Asked {
            panes: Some(Keep::Newest(50)),
            rules: Some(&cfg),
        };
        let (ds, views, raised) = fold(&src, &opts, &params, asked).unwrap();
        let (views, (alerts, followups)) = (views.unwrap(), raised.unwrap());
        assert!(ds.events.is_empty(), "no event held");
        assert!(held.ingest.repeated >= 20 && held.ingest.broken >= 20);
        let report = |ds, v| {
            let mut r = serde_json::to_value(crate::report::json::build(ds, v, as_of, 50)).unwrap();
            // The moment it was written, which is all two reports may differ in.
            r["generated_at"] = serde_json::Value::Null;
            r
        };
        assert_eq!(
            report(&ds, &views),
            report(&held, &held_views),
            "{period:?}"
        );
        let due = due_rows(&views);
        assert!(!due.is_empty());
        assert_eq!(due, due_rows(&held_views), "{period:?}");
        let longest = alerts.iter().map(|a| a.evidence.events.len()).max();
        eprintln!(
            "{period:?} {} alerts, longest evidence {longest:?}",
            alerts.len()
        );
        assert_eq!(
            longest,
            Some(crate::engine::alerts::EVIDENCE_EVENTS),
            "a full page of evidence"
        );
        assert!(alerts.iter().any(|a| a.title.contains("competitor_update")));
        assert_eq!(alerts, held_alerts, "{period:?}");
        assert_eq!(followups, held_followups, "{period:?}");
    }
}

/// The evidence a fold keeps as it goes (cut back to a page now and then) is the page
/// that sorting every event of the key would give.
#[test]
fn a_page_of_evidence_is_the_newest_of_all() {
    use crate::engine::alerts::{EVIDENCE_EVENTS, local, rollup::Windows, rules};
    let (_dir, today, src) = messy_source();
    let ds = src.load(&LoadOptions::new(today)).unwrap();
    let w = Windows::new(today, crate::domain::Zone::UTC);
    let r = local::rollup(&ds, &w);
    let fired = rules::evaluate(&r, &ds.strings, &w, 0.1, &AlertConfig::default());
    let keys: Vec<rules::Key> = fired.iter().map(|f| f.key).collect();
    let all = local::evidence_upto(&ds, &w, &keys, usize::MAX);
    let page = local::evidence_upto(&ds, &w, &keys, EVIDENCE_EVENTS);
    let mut long = 0;
    for k in &keys {
        let every = all.get(k).map_or(&[][..], Vec::as_slice);
        long += usize::from(every.len() > 4 * EVIDENCE_EVENTS);
        let newest = &every[..every.len().min(EVIDENCE_EVENTS)];
        assert_eq!(page.get(k).map_or(&[][..], Vec::as_slice), newest, "{k:?}");
    }
    assert!(long > 10, "keys with many more events than a page: {long}");
}
