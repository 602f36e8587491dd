//! A messy fixture, as real tracking is: odd ranges, missing and blank properties,
//! numbers and booleans where strings belong, nested values, hostile strings with
//! terminal escapes and bidi overrides, tracking dates and review timeframes in every
//! spelling, tenants with several subscriptions. Deterministic.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick(&mut self, list: &[Value]) -> Value {
        list[(self.next() as usize) % list.len()].clone()
    }
}

fn v(list: &[&str]) -> Vec<Value> {
    list.iter().map(|s| json!(s)).collect()
}

/// Writes `events` messy events ending at 2026-11-28 (and the subscriptions table
/// beside them); returns the events file.
pub fn write(dir: &Path, events: usize, seed: u64) -> PathBuf {
    let mut r = Lcg(seed);
    let mut tenants = v(&[
        "acme",
        "globex",
        " spaced ",
        "evil\u{1b}]0;PWNED\u{7}",
        "rtl\u{202e}gnp.exe",
        "emoji🚀",
        "tab\tname",
        "quote\"d",
        "back\\slash",
    ]);
    tenants.extend([
        Value::Null,
        json!(""),
        json!("   "),
        json!(42),
        json!({"nested": 1}),
    ]);
    let mut categories = v(&["payment_risk", "deliverability", "churn", "cat\u{1b}[31m"]);
    categories.extend([Value::Null, json!(""), json!(["a"])]);
    let signals = v(&[
        "increasing_bounce_rate",
        "failed_charge_increase",
        "blocklist",
        "x\u{1b}[2J",
    ]);
    let mut ranges = v(&[
        "$5K-15K",
        "1000-5000",
        "unknown",
        "25-50%",
        "$1.5M+",
        "about 10k",
        "",
        "15K–50K",
        "5k to 15k",
        "n/a",
        "-5",
        "$10K-$5K",
        " $2K-4K ",
        "500-2000",
    ]);
    ranges.extend([Value::Null, json!(5000), json!(1.5), json!(true)]);
    let mut priorities = v(&[
        "high", "HIGH", "p1", "critical", "whenever", " Medium ", "", "low",
    ]);
    priorities.extend([Value::Null, json!(1), json!(true)]);
    let mut follow = v(&[
        "process_review_required",
        "strategic_review_required",
        "none",
        "process_review_required ",
    ]);
    follow.push(Value::Null);
    let opt = v(&[
        "esp_consolidation",
        "volume_discount",
        "automation",
        "weird\u{7}type",
    ]);
    let vendors = v(&[
        "contract renewal",
        "overage fees",
        "sendgrid",
        "bidi\u{202e}txt",
        "",
    ]);
    let feasibility = v(&["high", "medium", "low", "needs_review"]);
    let mut flags = v(&["yes", "no", "maybe", "TRUE", "", "false"]);
    flags.extend([json!(true), json!(false), json!(1), json!(0), Value::Null]);
    let dcat = v(&["pricing", "vendor", "hiring", "expansion\u{1b}[1m"]);
    let levels = v(&["executive", "director", "manager", ""]);
    let why = v(&[
        "because \"reasons\"",
        "line\nbreak",
        "\u{1b}[2J\u{1b}[Hwiped",
        "plain justification",
        "C:\\path\\to",
    ]);
    let mut timeframes = v(&[
        "monthly",
        "Quarterly",
        "90_days",
        "90 days",
        "3-months",
        " annual ",
        "6_months",
        "2_weeks",
        "fortnight",
        "whenever",
        "0_days",
        "121_days",
        "12_months",
        "monthly\t",
        "\tmonthly",
        "MONTHLY",
        "1_week",
        "",
        "quarterly\u{a0}",
        "007_days",
        "2_months",
    ]);
    timeframes.extend([Value::Null, json!(90)]);
    let outcome_fu = v(&["yes", "none", "n/a", "review outcome", ""]);
    let end = 1_795_824_000i64; // 2026-11-28T00:00:00Z
    let span = 480 * 86_400i64;
    let path = dir.join("messy.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..events {
        let ts = end - span + (r.next() as i64 % span) + (r.next() as i64 % 86_400) - 43_200;
        let date = chrono::DateTime::from_timestamp(ts, 0).unwrap();
        let day = date.format("%Y-%m-%d").to_string();
        let tracking = match r.next() % 16 {
            0 => json!(format!("{day}T10:00:00Z")),
            1 => json!(format!("{day}T02:00:00+05:00")),
            2 => json!(day.replace('-', "/")),
            3 => json!(format!(" {day} ")),
            4 => json!(ts.to_string()),
            5 => json!(ts),
            6 => json!("2024-02-29"),
            7 => json!("2026-02-30"),
            8 => json!("yesterday"),
            9 => Value::Null,
            10 => json!(""),
            11 => json!(format!("{day}T25:00:00Z")),
            12 => json!(format!("{day} 23:59:59.123456")),
            _ => json!(day),
        };
        let mut props = serde_json::Map::new();
        let mut put = |k: &str, val: Value, r: &mut Lcg| {
            // One property in twelve is left out altogether.
            if !r.next().is_multiple_of(12) {
                props.insert(k.to_owned(), val);
            }
        };
        put("tenant_id", r.pick(&tenants), &mut r);
        put("tracking_date", tracking, &mut r);
        let event = match r.next() % 3 {
            0 => {
                put("trend_category", r.pick(&categories), &mut r);
                put("directional_signal", r.pick(&signals), &mut r);
                put("approximate_impact_range", r.pick(&ranges), &mut r);
                put("strategic_context", json!("ctx"), &mut r);
                put("follow_up_action", r.pick(&follow), &mut r);
                put("strategic_priority", r.pick(&priorities), &mut r);
                "revenue_protection_trend"
            }
            1 => {
                put("optimization_type", r.pick(&opt), &mut r);
                put("approximate_savings_range", r.pick(&ranges), &mut r);
                put("esp_vendor_context", r.pick(&vendors), &mut r);
                put("implementation_feasibility", r.pick(&feasibility), &mut r);
                put("strategic_review_required", r.pick(&flags), &mut r);
                "cost_optimization_trend"
            }
            _ => {
                put("decision_category", r.pick(&dcat), &mut r);
                put("decision_maker_level", r.pick(&levels), &mut r);
                put("strategic_justification", r.pick(&why), &mut r);
                put("expected_outcome_range", r.pick(&ranges), &mut r);
                put("review_timeframe", r.pick(&timeframes), &mut r);
                put("outcome_follow_up", r.pick(&outcome_fu), &mut r);
                "strategic_decision_summary"
            }
        };
        let uuid = format!(
            "0190{:04x}-{:04x}-7{:03x}-8{:03x}-{:012x}",
            i % 0xffff,
            r.next() % 0xffff,
            r.next() % 0xfff,
            r.next() % 0xfff,
            (i as u64) * 7919 + r.next() % 1000
        );
        let line = json!({
            "uuid": uuid,
            "event": event,
            "distinct_id": format!("user-{}", r.next() % 50),
            "timestamp": date.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "properties": props,
        });
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    let subs = dir.join("messy.subscriptions.jsonl");
    let mut s = std::fs::File::create(subs).unwrap();
    for (tenant, plan, status, start) in [
        ("acme", "growth", "active", "2026-11-01T00:00:00Z"),
        ("globex", "starter", "canceled", "2026-06-01T00:00:00Z"),
        ("globex", "enterprise", "active", "2026-10-15T00:00:00Z"),
        (
            " spaced ",
            "plan\u{1b}[5m",
            "active",
            "2026-09-01T00:00:00Z",
        ),
        (
            "evil\u{1b}]0;PWNED\u{7}",
            "pro",
            "past_due",
            "2026-11-10T00:00:00Z",
        ),
        ("emoji🚀", "pro", "active", "2026-08-20T00:00:00Z"),
        ("42", "pro", "active", "2026-07-01T00:00:00Z"),
    ] {
        let row = json!({"tenant_id": tenant, "plan_name": plan, "status": status, "current_period_start": start});
        writeln!(s, "{row}").unwrap();
    }
    path
}

/// The messy fixture, some of it sent twice, after three events that make PostHog type
/// the seed's properties
/// the way a real project's first events often do: a numeric `tenant_id` and range, an
/// ISO `tracking_date`, a JSON `true` (PostHog records Numeric, DateTime and Boolean
/// and rewrites every later `properties.x` through `toFloat`, `toDateTime`, `toBool`).
pub fn typed_first(dir: &Path) -> PathBuf {
    let messy = write(dir, 1500, 99);
    let first = [
        serde_json::json!({"uuid": "0191b6c1-aaaa-7000-8000-000000000001", "event": "revenue_protection_trend",
            "distinct_id": "t", "timestamp": "2026-11-02T10:00:00Z",
            "properties": {"tenant_id": 4242, "trend_category": "deliverability", "directional_signal": "increasing_bounce_rate",
                           "approximate_impact_range": 5000, "strategic_context": "c", "follow_up_action": "monitor",
                           "strategic_priority": "high", "tracking_date": "2026-11-02T10:00:00Z"}}),
        serde_json::json!({"uuid": "0191b6c1-aaaa-7000-8000-000000000002", "event": "cost_optimization_trend",
            "distinct_id": "t", "timestamp": "2026-11-03T10:00:00Z",
            "properties": {"tenant_id": 4242, "optimization_type": "vendor", "approximate_savings_range": 1500,
                           "esp_vendor_context": "v", "implementation_feasibility": "process_driven",
                           "strategic_review_required": true, "tracking_date": "2026-11-03T10:00:00Z"}}),
        serde_json::json!({"uuid": "0191b6c1-aaaa-7000-8000-000000000003", "event": "strategic_decision_summary",
            "distinct_id": "t", "timestamp": "2026-11-04T10:00:00Z",
            "properties": {"tenant_id": 4242, "decision_category": "vendor_selection", "decision_maker_level": "director",
                           "strategic_justification": "j", "expected_outcome_range": 20, "review_timeframe": "quarterly",
                           "outcome_follow_up": "process_driven", "tracking_date": "2026-11-04T10:00:00Z"}}),
    ];
    let mut text: String = first.iter().map(|e| format!("{e}\n")).collect();
    let rest = std::fs::read_to_string(&messy).unwrap();
    text.push_str(&rest);
    // An SDK's retries: every 50th event sent again, which PostHog counts twice until
    // its table merges.
    for line in rest.lines().step_by(50) {
        text.push_str(line);
        text.push('\n');
    }
    let path = dir.join("typed-first.jsonl");
    std::fs::write(&path, text).unwrap();
    // The same subscriptions table beside it.
    std::fs::copy(
        dir.join("messy.subscriptions.jsonl"),
        dir.join("typed-first.subscriptions.jsonl"),
    )
    .unwrap();
    path
}
