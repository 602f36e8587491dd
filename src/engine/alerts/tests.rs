//! Each rule on small hand-made data: when it fires, when it does not, its identity.

use super::*;
use crate::domain::Zone;
use crate::source::jsonl::read_events_watching;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A uuid no other test event has: events sent twice under one uuid count once.
fn uuid() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("0191b6c1-3f2a-7c4e-9a10-{n:012x}")
}

fn revenue(tenant: &str, date: &str, category: &str, impact: &str, priority: &str) -> String {
    format!(
        r#"{{"uuid":"{}","event":"revenue_protection_trend","timestamp":"{date}T12:00:00Z","properties":{{"tenant_id":"{tenant}","trend_category":"{category}","directional_signal":"increasing_bounce_rate","approximate_impact_range":"{impact}","strategic_context":"c","follow_up_action":"process_review_required","strategic_priority":"{priority}","tracking_date":"{date}"}}}}"#,
        uuid()
    )
}

fn cost(tenant: &str, date: &str, kind: &str, savings: &str, review: bool, vendor: &str) -> String {
    format!(
        r#"{{"event":"cost_optimization_trend","timestamp":"{date}T12:00:00Z","properties":{{"tenant_id":"{tenant}","optimization_type":"{kind}","approximate_savings_range":"{savings}","esp_vendor_context":"{vendor}","implementation_feasibility":"process_driven","strategic_review_required":{review},"tracking_date":"{date}"}}}}"#
    )
}

fn decision(tenant: &str, date: &str, timeframe: &str, level: &str) -> String {
    let uuid = uuid();
    format!(
        r#"{{"uuid":"{uuid}","event":"strategic_decision_summary","timestamp":"{date}T12:00:00Z","properties":{{"tenant_id":"{tenant}","decision_category":"vendor_selection","decision_maker_level":"{level}","strategic_justification":"j","expected_outcome_range":"10-20%","review_timeframe":"{timeframe}","outcome_follow_up":"process_driven","tracking_date":"{date}"}}}}"#
    )
}

fn dataset(lines: &[String], watch: &[String]) -> Dataset {
    let p = read_events_watching(lines.join("\n").as_bytes(), 1, watch).unwrap();
    Dataset {
        origin: crate::domain::Origin::Demo,
        events: p.events,
        strings: p.strings,
        subscriptions: None,
        ingest: p.stats,
        custom: p.custom,
    }
}

fn ids(lines: &[String]) -> Vec<String> {
    let ds = dataset(lines, &[]);
    evaluate(&ds, today(), Zone::UTC, 0.1, &AlertConfig::default())
        .into_iter()
        .map(|a| a.id)
        .collect()
}

fn only(lines: &[String], rule: Rule) -> Vec<AlertCandidate> {
    let ds = dataset(lines, &[]);
    evaluate(&ds, today(), Zone::UTC, 0.1, &AlertConfig::default())
        .into_iter()
        .filter(|a| a.rule == rule)
        .collect()
}

#[test]
fn deliverability_rising_month_over_month() {
    let lines = vec![
        revenue(
            "t",
            "2026-10-03",
            "deliverability_directional",
            "500-1000",
            "low",
        ),
        revenue(
            "t",
            "2026-11-02",
            "deliverability_directional",
            "500-1000",
            "low",
        ),
        revenue(
            "t",
            "2026-11-03",
            "deliverability_directional",
            "1000-5000",
            "medium",
        ),
    ];
    let a: Vec<_> = only(&lines, Rule::DeliverabilityTrend)
        .into_iter()
        .filter(|a| a.period == "2026-11")
        .collect();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].id, "deliverability_trend:t:2026-11");
    assert_eq!(a[0].title, "Deliverability signals rising 1 → 2");
    assert_eq!(a[0].severity, Severity::Medium, "medium priority");
    assert_eq!(a[0].evidence.total_events, 2);
    assert_eq!(
        a[0].evidence.events[0].date,
        NaiveDate::from_ymd_opt(2026, 11, 3)
    );
    // October against September: one signal after none is rising too.
    assert!(ids(&lines).contains(&"deliverability_trend:t:2026-10".to_owned()));
}

#[test]
fn deliverability_urgent_fires_even_when_falling_and_other_categories_do_not() {
    let lines = vec![
        revenue("t", "2026-10-03", "deliverability_directional", "1", "low"),
        revenue("t", "2026-10-04", "deliverability_directional", "1", "low"),
        revenue(
            "t",
            "2026-11-02",
            "deliverability_directional",
            "$40K-60K",
            "CRITICAL",
        ),
        revenue("u", "2026-11-02", "churn_risk_directional", "1", "critical"),
    ];
    let a = only(&lines, Rule::DeliverabilityTrend);
    let nov: Vec<_> = a.iter().filter(|a| a.period == "2026-11").collect();
    assert_eq!(nov.len(), 1);
    assert_eq!(nov[0].severity, Severity::Critical);
    assert_eq!(nov[0].title, "critical deliverability signal");
}

#[test]
fn cost_opportunities_needing_review_per_type() {
    let lines = vec![
        cost(
            "t",
            "2026-11-02",
            "vendor_consolidation",
            "$5K-20K",
            true,
            "v",
        ),
        cost(
            "t",
            "2026-11-03",
            "vendor_consolidation",
            "1000-2000",
            true,
            "v",
        ),
        cost("t", "2026-11-03", "list_hygiene", "1000-2000", false, "v"),
    ];
    let a = only(&lines, Rule::CostOpportunity);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].id, "cost_opportunity:t:vendor_consolidation:2026-11");
    assert_eq!(a[0].severity, Severity::High, "savings up to $22K");
    assert_eq!(a[0].title, "2 to review: vendor_consolidation");
}

#[test]
fn decision_reviews_due_in_the_month() {
    let lines = vec![
        decision("t", "2026-10-15", "monthly", "executive"),
        decision("u", "2026-11-20", "quarterly", "manager"),
    ];
    let a = only(&lines, Rule::DecisionReviewDue);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].id, "decision_review_due:t:2026-11");
    assert_eq!(a[0].severity, Severity::High, "an executive decision");
    assert_eq!(
        a[0].title,
        "Review 1 decision outcome due this month, first 2026-11-15"
    );
}

#[test]
fn custom_events_only_when_configured() {
    let line = r#"{"event":"competitive_intelligence_update","distinct_id":"tenant_9","timestamp":"2026-11-05T10:00:00Z","properties":{}}"#.to_owned();
    assert!(
        ids(std::slice::from_ref(&line)).is_empty(),
        "off by default"
    );
    let watch = vec!["competitive_intelligence_update".to_owned()];
    let ds = dataset(&[line], &watch);
    let cfg = AlertConfig {
        custom_events: watch,
        ..AlertConfig::default()
    };
    let a = evaluate(&ds, today(), Zone::UTC, 0.1, &cfg);
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].id,
        "custom_event:tenant_9:competitive_intelligence_update:2026-11"
    );
}

#[test]
fn revenue_pattern_two_months_or_big_impact() {
    let two_months = vec![
        revenue("t", "2026-10-03", "churn", "1", "low"),
        revenue("t", "2026-11-03", "churn", "1", "low"),
        revenue("u", "2026-11-03", "churn", "1", "low"),
    ];
    let a = only(&two_months, Rule::RevenuePattern);
    let q4: Vec<_> = a
        .iter()
        .filter(|a| a.period == "2026-Q4")
        .map(|a| a.tenant.as_str())
        .collect();
    assert_eq!(q4, vec!["t"]);
    let big = vec![revenue("v", "2026-11-03", "churn", "$20K-30K", "low")];
    assert_eq!(only(&big, Rule::RevenuePattern).len(), 1);
}

#[test]
fn cost_roi_above_the_threshold() {
    let lines = vec![
        cost("t", "2026-10-02", "a", "$5K-10K", false, "v"),
        cost("t", "2026-11-02", "b", "$2K-4K", false, "v"),
        cost("u", "2026-11-02", "b", "$2K-4K", false, "v"),
    ];
    let a = only(&lines, Rule::CostRoi);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].id, "cost_roi:t:2026-Q4");
    assert_eq!(a[0].title, "Estimated savings ≈ $10K this quarter");
}

#[test]
fn planning_insight_and_vendor_trend() {
    let lines = vec![
        decision("t", "2026-10-20", "annual", "vp"),
        cost(
            "t",
            "2026-07-02",
            "a",
            "1",
            false,
            "sendgrid_contract_renewal",
        ),
        cost(
            "t",
            "2026-10-02",
            "a",
            "1",
            false,
            "sendgrid_contract_renewal",
        ),
        cost(
            "u",
            "2026-10-03",
            "a",
            "1",
            false,
            "sendgrid_contract_renewal",
        ),
        cost(
            "v",
            "2026-11-03",
            "a",
            "1",
            false,
            "sendgrid_contract_renewal",
        ),
    ];
    let ds = dataset(&lines, &[]);
    let cfg = AlertConfig {
        planning_min_decisions: 1,
        ..AlertConfig::default()
    };
    let p: Vec<_> = evaluate(&ds, today(), Zone::UTC, 0.1, &cfg)
        .into_iter()
        .filter(|a| a.rule == Rule::PlanningInsight)
        .collect();
    assert_eq!(p.len(), 1);
    assert_eq!(
        (p[0].id.as_str(), p[0].severity),
        ("planning_insight:t:2026-Q4", Severity::Info)
    );
    let v = only(&lines, Rule::VendorTrend);
    let q4: Vec<_> = v.iter().filter(|a| a.period == "2026-Q4").collect();
    assert_eq!(q4.len(), 1, "{v:?}");
    assert_eq!(
        q4[0].id,
        "vendor_trend:all:sendgrid_contract_renewal:2026-Q4"
    );
    assert_eq!(
        q4[0].title,
        "sendgrid_contract_renewal rising 1 → 3 across 3 tenants"
    );
}

#[test]
fn a_recurrence_next_period_is_a_new_alert() {
    let mut lines = vec![
        revenue("t", "2026-11-02", "deliverability", "1", "high"),
        revenue("t", "2026-12-02", "deliverability", "1", "high"),
    ];
    let ds = dataset(&lines, &[]);
    let nov = evaluate(&ds, today(), Zone::UTC, 0.1, &AlertConfig::default());
    let december = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let dec = evaluate(&ds, december, Zone::UTC, 0.1, &AlertConfig::default());
    let id = |v: &[AlertCandidate]| {
        v.iter()
            .filter(|a| a.rule == Rule::DeliverabilityTrend)
            .map(|a| a.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(id(&nov), vec!["deliverability_trend:t:2026-11"]);
    assert_eq!(
        id(&dec),
        vec![
            "deliverability_trend:t:2026-11",
            "deliverability_trend:t:2026-12"
        ]
    );
    lines.clear();
}

#[test]
fn the_demo_raises_alerts_of_most_rules_deterministically() {
    let ds = crate::source::demo::dataset(crate::source::demo::DemoOptions::new(today()));
    let a = evaluate(&ds, today(), Zone::UTC, 0.1, &AlertConfig::default());
    let b = evaluate(&ds, today(), Zone::UTC, 0.1, &AlertConfig::default());
    assert_eq!(a, b);
    let rules: std::collections::BTreeSet<Rule> = a.iter().map(|x| x.rule).collect();
    assert!(rules.len() >= 6, "{rules:?}");
    assert!(a.iter().any(|x| x.severity >= Severity::High));
    assert!(
        a.len() < 400,
        "{} alerts is more than a team can triage",
        a.len()
    );
}
