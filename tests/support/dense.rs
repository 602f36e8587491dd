//! A clean fixture of fixed cardinality (8 tenants, a few values per property, six
//! months), for measuring how answers grow with volume alone: at 10,000 events every
//! combination is already present, so a 200,000-event file differs only in counts.
#![allow(dead_code)]

use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write(dir: &Path, events: usize) -> PathBuf {
    let tenants = [
        "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell",
    ];
    let categories = ["payment_risk", "deliverability", "churn"];
    let signals = ["rising_failures", "bounce_rate", "downgrades"];
    let ranges = ["$1K-5K", "$5K-15K", "$15K-50K", "unknown"];
    let priorities = ["low", "medium", "high", "critical"];
    let follow = ["process_review_required", "none"];
    let opt = ["esp_consolidation", "volume_discount", "automation"];
    let vendors = ["contract renewal", "overage fees", "sendgrid"];
    let feas = ["high", "medium", "low"];
    let levels = ["executive", "director", "manager"];
    let frames = ["monthly", "quarterly", "90_days"];
    let end = 1_795_824_000i64; // 2026-11-28T00:00:00Z
    let span = 180 * 86_400i64;
    let path = dir.join(format!("dense-{events}.jsonl"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..events {
        let ts = end - span + (next() % span as u64) as i64;
        let at = chrono::DateTime::from_timestamp(ts, 0).unwrap();
        let t = tenants[next() as usize % tenants.len()];
        let mut p = serde_json::Map::new();
        p.insert("tenant_id".into(), json!(t));
        p.insert(
            "tracking_date".into(),
            json!(at.format("%Y-%m-%d").to_string()),
        );
        let mut pick = |list: &[&str]| json!(list[next() as usize % list.len()]);
        let event = match i % 3 {
            0 => {
                p.insert("trend_category".into(), pick(&categories));
                p.insert("directional_signal".into(), pick(&signals));
                p.insert("approximate_impact_range".into(), pick(&ranges));
                p.insert("strategic_context".into(), json!("context"));
                p.insert("follow_up_action".into(), pick(&follow));
                p.insert("strategic_priority".into(), pick(&priorities));
                "revenue_protection_trend"
            }
            1 => {
                p.insert("optimization_type".into(), pick(&opt));
                p.insert("approximate_savings_range".into(), pick(&ranges));
                p.insert("esp_vendor_context".into(), pick(&vendors));
                p.insert("implementation_feasibility".into(), pick(&feas));
                p.insert("strategic_review_required".into(), pick(&["true", "false"]));
                "cost_optimization_trend"
            }
            _ => {
                p.insert("decision_category".into(), pick(&categories));
                p.insert("decision_maker_level".into(), pick(&levels));
                p.insert("strategic_justification".into(), json!("why"));
                p.insert("expected_outcome_range".into(), pick(&ranges));
                p.insert("review_timeframe".into(), pick(&frames));
                p.insert("outcome_follow_up".into(), pick(&["yes", "none"]));
                "strategic_decision_summary"
            }
        };
        let line = json!({
            "uuid": format!("01900000-0000-7000-8000-{i:012x}"),
            "event": event,
            "distinct_id": t,
            "timestamp": at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "properties": p,
        });
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    path
}
