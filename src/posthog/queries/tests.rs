use super::*;
use crate::posthog::client::HogQl;
use chrono::NaiveDate;

fn params() -> EngineParams {
    EngineParams::new(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
}

/// Every `{placeholder}` in a query has a value and every value is used: a missing
/// one is a 400 from PostHog, an unused one a sign of a mistake.
#[test]
fn placeholders_and_values_match() {
    let scope = Scope {
        subscriptions_table: Some("subscriptions".into()),
        page: DECISION_PAGE,
        cap: None,
        custom_events: vec!["competitive_intel_update".into()],
    };
    let mut queries: Vec<HogQl> = all(&params(), &scope).into_iter().map(|(_, q)| q).collect();
    queries.extend(alert_queries(&scope));
    queries.push(decisions::page_query(
        (1_700_000_000, [7; 16]),
        DECISION_PAGE,
        1_600_000_000,
    ));
    for q in queries {
        let mut used = std::collections::BTreeSet::new();
        let mut rest = q.text.as_str();
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            let j = after.find('}').unwrap();
            used.insert(after[..j].to_owned());
            rest = &after[j + 1..];
        }
        let given: std::collections::BTreeSet<String> = q.values.keys().cloned().collect();
        assert_eq!(used, given, "{}", q.name);
        assert!(q.text.len() < 20_000, "{}: {} bytes", q.name, q.text.len());
        // Optional debugging aid: BEARING_DUMP_QUERIES=dir writes each query as JSON.
        if let Ok(dir) = std::env::var("BEARING_DUMP_QUERIES") {
            let json = serde_json::json!({"text": q.text, "values": q.values});
            std::fs::write(format!("{dir}/{}.json", q.name), json.to_string()).unwrap();
        }
    }
}

/// The alert rollup, and the evidence of one alert of every rule in both its windows.
fn alert_queries(scope: &Scope) -> Vec<HogQl> {
    use crate::engine::alerts::Rule;
    use crate::engine::alerts::rollup::{Win, Windows};
    use crate::engine::alerts::rules::Key;
    let p = params();
    let (b, w) = (Bounds::new(&p), Windows::new(p.today, p.zone));
    let mut strings = Interner::default();
    let mut answer = crate::engine::alerts::rollup::AlertRollup::default();
    let (t, s) = (strings.intern("acme"), strings.intern("deliverability"));
    answer.raw.insert(t, vec!["acme".into()]);
    answer.raw.insert(s, vec!["deliverability".into()]);
    answer.review_true = vec!["true".into()];
    let mut keys = Vec::new();
    for rule in Rule::ALL {
        for win in Win::MONTHS.into_iter().chain(Win::QUARTERS) {
            keys.push(Key {
                rule,
                win,
                tenant: Some(t),
                subject: Some(s),
            });
        }
    }
    let evidence = evidence::query(&keys, &answer, &strings, &b, &w, scope, 20).unwrap();
    vec![alerts::query(&b, &w, scope), evidence]
}

/// The query's date pattern only accepts what bearing's timestamp reader reads as the
/// date of the first ten characters (RE2 and Rust's regex agree on this syntax).
#[test]
fn the_date_pattern_is_a_subset_of_bearings_reader() {
    use crate::domain::values::{parse_timestamp, utc_date as date_of};
    let re = regex::Regex::new(text::DATE_RE).unwrap();
    let mut accepted = 0;
    for y in [1969, 1970, 2000, 2024, 2026, 2100, 2139, 2140] {
        for m in 0..=13 {
            for d in 0..=32 {
                let day = format!("{y:04}-{m:02}-{d:02}");
                for suffix in [
                    "",
                    "T10:00:00Z",
                    " 23:59:59.123456",
                    "T00:00:00+00:00",
                    "T24:00:00Z",
                    "T10:00:00+05:00",
                ] {
                    let s = format!("{day}{suffix}");
                    if !re.is_match(&s) {
                        continue;
                    }
                    accepted += 1;
                    let parsed = parse_timestamp(&s).and_then(date_of);
                    assert_eq!(parsed.map(|d| d.to_string()), Some(day.clone()), "{s}");
                }
            }
        }
    }
    assert!(accepted > 5000, "{accepted}");
}

/// The blank pattern says "missing" exactly when the file reader would, for every mix
/// of whitespace, as characters or as JSON escapes (PostHog's answers keep escapes).
#[test]
fn the_blank_pattern_matches_the_readers_idea_of_missing() {
    let re = regex::Regex::new(text::BLANK_RE).unwrap();
    // No literal control characters: JSON text, which PostHog's answers are, escapes them.
    let pieces = [
        " ", "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}", "\\t", "\\n", "\\r", "\\u00a0", "\\u00A0",
        "\\u2003", "\\u0020", "x", "\\u001b", "\u{200b}", "\\\\", "0",
    ];
    for a in pieces {
        for b in pieces {
            let raw = format!("{a}{b}");
            let missing = property(Some(&raw)).is_none();
            assert_eq!(re.is_match(&raw), missing, "{raw:?}");
        }
    }
    assert!(re.is_match(""));
}
