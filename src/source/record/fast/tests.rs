//! The fast path reads a line as serde_json does, or leaves it to serde_json: never a
//! different event, never an event from a line serde_json refuses.

use super::*;
use proptest::prelude::*;

fn serde(line: &str) -> Option<RawEvent<'_>> {
    serde_json::from_str::<RawEvent>(line).ok()
}

const DEMO: &str = r#"{"uuid":"b60ab50c-7716-41c0-88b2-5ac01643be74","event":"revenue_protection_trend","distinct_id":"globex_retail","timestamp":"2026-09-28T21:00:59.592Z","properties":{"tenant_id":"globex-retail","tracking_date":"2026-09-28T21:00:59.592Z","trend_category":"payment_risk_directional","directional_signal":"failed_charge_increase","approximate_impact_range":"$2K-8K","strategic_context":"vendor_migration","follow_up_action":"strategic_review_required","strategic_priority":"Medium"}}"#;

#[test]
fn an_export_line_takes_the_fast_path_and_reads_as_serde_json_reads_it() {
    let fast = parse(DEMO);
    assert!(
        fast.is_some(),
        "the demo's lines are what the fast path is for"
    );
    assert_eq!(fast, serde(DEMO));
    let typed = r#" { "event" : "cost_optimization_trend", "x": [1, -2.5e3, {"y": null}, []], "properties": {"tenant_id": "a", "strategic_review_required": 1, "approximate_savings_range": 0, "tenant_id": "b", "esp_vendor_context": {"nested": true}, "optimization_type": false} } "#;
    let fast = parse(typed);
    assert!(fast.is_some());
    assert_eq!(fast, serde(typed));
}

#[test]
fn what_it_does_not_read_exactly_it_leaves_to_serde_json() {
    for line in [
        r#"{"event":"a\"b"}"#,
        r#"{"event":"x","properties":"{\"tenant_id\":\"a\"}"}"#,
        r#"{"event":"x","properties":{"tenant_id":-1}}"#,
        r#"{"event":"x","properties":{"tenant_id":1.5}}"#,
        r#"{"event":"x","properties":{"tenant_id":12345678901234567890}}"#,
        r#"{"event":"x","properties":{"tenant_id":"a"},}"#,
        r#"{"event":"x"} trailing"#,
        r#"{"event":"x","a":01}"#,
        r#"{"event":"x","a":1.}"#,
        r#"{"event":"x","a":"tab	in"}"#,
        r#"{"event":1}"#,
        r#"[1]"#,
        r#"{"event":"x""#,
    ] {
        assert_eq!(parse(line), None, "{line}");
    }
}

/// Pieces of JSON, right and wrong, that a random line is made of.
const PIECES: [&str; 40] = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\t",
    "\"",
    "\\",
    "\"event\"",
    "\"uuid\"",
    "\"properties\"",
    "\"timestamp\"",
    "\"distinct_id\"",
    "\"tenant_id\"",
    "\"strategic_review_required\"",
    "\"approximate_impact_range\"",
    "\"other\"",
    "\"revenue_protection_trend\"",
    "\"cost_optimization_trend\"",
    "\"a\\nb\"",
    "\"é\"",
    "\"\"",
    "\"  \"",
    "0",
    "1",
    "-",
    "-0",
    "12",
    "1.5",
    "2e3",
    "1E+2",
    "01",
    "true",
    "false",
    "null",
    "nul",
    "123456789012345678901",
    "\u{1}",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(0..PIECES.len(), 0..60)
        .prop_map(|ix| ix.into_iter().map(|i| PIECES[i]).collect())
}

/// A well-formed event with random values and whitespace, then a few pieces put in.
fn events() -> impl Strategy<Value = String> {
    let value = prop::sample::select(vec![
        "\"x\"",
        "\"\"",
        "1",
        "0",
        "-3",
        "2.5",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "{\"a\":[1,{\"b\":null}]}",
        "\"a\\\"b\"",
        "12345678901234567890",
        // Near misses, each refused or read differently by serde_json.
        "01",
        "-0",
        "1.",
        "1e",
        ".5",
        "+1",
        "1e+",
        "tru",
        "nulll",
        "\"\\u0041\"",
        "\"tab\there\"",
        "[1,]",
        "{\"a\"}",
        "{,}",
        "[",
        "\"open",
        "999999999999999999",
        "1234567890123456789",
        "0.0",
        "-1",
        "1E2",
    ]);
    let key = prop::sample::select(vec![
        "uuid",
        "event",
        "distinct_id",
        "timestamp",
        "tenant_id",
        "trend_category",
        "strategic_review_required",
        "tracking_date",
        "other",
        "properties",
        // Near misses of a key expected at its place, which must not be taken for it.
        "uuidx",
        "uui",
        "tenant_i",
        "tenant_idd",
        "Tenant_id",
    ]);
    let props = prop::collection::vec((key.clone(), value.clone()), 0..8);
    let top = prop::collection::vec((key, value), 0..4);
    (
        top,
        props,
        prop::sample::select(vec!["", " ", "\t"]),
        0..PIECES.len(),
        0usize..400,
    )
        .prop_map(|(top, props, ws, piece, at)| {
            let entries = |kv: Vec<(&str, &str)>| {
                kv.iter()
                    .map(|(k, v)| format!("\"{k}\"{ws}:{ws}{v}"))
                    .collect::<Vec<_>>()
            };
            let props = format!("{{{}}}", entries(props).join(","));
            let mut all = entries(top);
            all.push(format!(
                "\"event\":\"revenue_protection_trend\",\"properties\":{props}"
            ));
            let mut line = format!("{ws}{{{}}}{ws}", all.join(&format!(",{ws}")));
            if at < 300 {
                let at = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(at % line.len())
                    .unwrap_or(0);
                line.insert_str(at, PIECES[piece]);
            }
            line
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_pieces_read_as_serde_json_reads_them(line in pieces()) {
        if let Some(fast) = parse(&line) {
            prop_assert_eq!(Some(fast), serde(&line), "{}", line);
        }
    }

    #[test]
    fn random_events_read_as_serde_json_reads_them(line in events()) {
        if let Some(fast) = parse(&line) {
            prop_assert_eq!(Some(fast), serde(&line), "{}", line);
        }
    }

    /// Lines read one after another, as a reader reads them, each expecting the keys
    /// the lines before it had at each place: every line still reads as serde_json
    /// reads it alone, whether its keys are those expected, near misses of them or
    /// others.
    #[test]
    fn lines_read_in_turn_read_as_serde_json_reads_each(lines in prop::collection::vec(events(), 1..12)) {
        let mut keys = Keys::default();
        for line in &lines {
            let mut e = RawEvent::default();
            if parse_into(line, &mut e, &mut keys) {
                prop_assert_eq!(Some(e), serde(line), "{}", line);
            }
        }
    }
}
