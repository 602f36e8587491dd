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
fn a_line_of_a_shape_seen_before_is_read_by_that_shape() {
    fn read<'a>(line: &'a str, keys: &mut Keys) -> Option<RawEvent<'a>> {
        let mut e = RawEvent::default();
        parse_into(line, &mut e, keys).then_some(e)
    }
    let mut keys = Keys::default();
    assert_eq!(read(DEMO, &mut keys), serde(DEMO));
    assert_eq!(
        keys.shapes.missed(),
        1,
        "the first line is scanned, and its shape kept"
    );
    // Other values, of other lengths, one of them blank.
    let next = DEMO
        .replace("globex-retail", "initech-crm-eu")
        .replace("\"Medium\"", "\"  \"")
        .replace("b60ab50c", "c60ab50c");
    assert_eq!(read(&next, &mut keys), serde(&next));
    assert_eq!(keys.shapes.missed(), 0, "read by the shape");
    // A number where the shape had a string, and an escape: each read as serde_json
    // reads it, or left to it.
    let number = DEMO.replace("\"Medium\"", "7");
    assert_eq!(read(&number, &mut keys), serde(&number));
    let escaped = DEMO.replace("globex-retail", "globex\\\"retail");
    assert_eq!(read(&escaped, &mut keys), None);
    // A string cut short by a control character or a backslash just before the
    // bytes that follow a value: serde_json refuses both, and so does the shape.
    for end in ["\u{1}", "\\"] {
        let cut = DEMO.replace("globex-retail\"", &format!("globex-retail{end}"));
        assert_eq!(read(&cut, &mut keys), None, "{cut}");
        assert_eq!(serde(&cut), None);
    }
    // Another event's line at the same place does not take this shape.
    let other = DEMO.replace("revenue_protection_trend", "cost_optimization_trend");
    assert_eq!(read(&other, &mut keys), serde(&other));
    assert_eq!(
        read(&other, &mut keys).map(|e| e.event),
        Some(Some("cost_optimization_trend".into()))
    );
}

/// A shape reads a line exactly as the scan reads it alone: the same event, or none.
fn as_scanned(lines: &[&str]) {
    let mut keys = Keys::default();
    for line in lines {
        let mut e = RawEvent::default();
        let by_shape = parse_into(line, &mut e, &mut keys).then_some(e);
        assert_eq!(by_shape, parse(line), "{line}");
    }
}

#[test]
fn a_shape_keeps_what_the_scan_does_with_a_second_properties_and_deep_values() {
    as_scanned(&[
        r#"{"event":"x","properties":{"tenant_id":"a"},"properties":{"trend_category":"b"}}"#,
        r#"{"event":"x","properties":{"tenant_id":"c"},"properties":{"trend_category":"d"}}"#,
    ]);
    // Nested as deep as the scan reads, and one deeper: the shape stops where it does.
    let deep = |n: usize| {
        format!(
            r#"{{"event":"x","other":{}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    let lines: Vec<String> = std::iter::once(deep(1)).chain((58..68).map(deep)).collect();
    assert!(parse(&lines[1]).is_some() && parse(&lines[10]).is_none());
    as_scanned(&lines.iter().map(String::as_str).collect::<Vec<_>>());
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

/// A value, right or nearly right.
fn value() -> impl Strategy<Value = &'static str> + Clone {
    prop::sample::select(vec![
        "\"x\"",
        "\"\"",
        "\"2026-09-28T21:00:59.592Z\"",
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
        "{\"tenant_id\":\"z\"}",
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
    ])
}

fn key() -> impl Strategy<Value = &'static str> + Clone {
    prop::sample::select(vec![
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
    ])
}

/// Keys with their values, as written.
type Entries<'e> = &'e [(&'e str, &'e str)];

/// An event line: `top` entries, then the event's name and its `props`, spaced by
/// `ws`, with `PIECES[piece]` put in at `at` when `at` is under 300.
fn line(
    (top, name, props): (Entries, &str, Entries),
    ws: &str,
    (piece, at): (usize, usize),
) -> String {
    let entries = |kv: Entries| {
        kv.iter()
            .map(|(k, v)| format!("\"{k}\"{ws}:{ws}{v}"))
            .collect::<Vec<_>>()
    };
    let props = format!("{{{}}}", entries(props).join(","));
    let mut all = entries(top);
    all.push(format!("\"event\":{name},\"properties\":{props}"));
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
}

/// A well-formed event with random values and whitespace, then a few pieces put in.
fn events() -> impl Strategy<Value = String> {
    let props = prop::collection::vec((key(), value()), 0..8);
    let top = prop::collection::vec((key(), value()), 0..4);
    (
        top,
        props,
        prop::sample::select(vec!["", " ", "\t"]),
        0..PIECES.len(),
        0usize..400,
    )
        .prop_map(|(top, props, ws, piece, at)| {
            let name = "\"revenue_protection_trend\"";
            line((&top, name, &props), ws, (piece, at))
        })
}

/// Lines of a few shapes, as one producer writes them: the same keys and spacing line
/// after line, each with values of its own (a string, another kind, a near miss), now
/// and then another event's name, and now and then a piece put in.
fn families() -> impl Strategy<Value = Vec<String>> {
    let shape = (
        prop::collection::vec(key(), 0..4),
        prop::collection::vec(key(), 0..8),
        prop::sample::select(vec!["", " ", "\t"]),
    );
    prop::collection::vec(shape, 1..4).prop_flat_map(|shapes| {
        let n = shapes.len();
        let one = (
            0..n,
            prop::collection::vec(value(), 12),
            prop::sample::select(vec![
                "\"revenue_protection_trend\"",
                "\"cost_optimization_trend\"",
                "\"$pageview\"",
                "null",
            ]),
            0..PIECES.len(),
            0usize..1500,
        );
        prop::collection::vec(one, 2..24).prop_map(move |lines| {
            lines
                .into_iter()
                .map(|(which, values, name, piece, at)| {
                    let (top, props, ws) = &shapes[which];
                    let mut v = values.into_iter().cycle();
                    let mut with = |keys: &[&'static str]| -> Vec<(&'static str, &'static str)> {
                        keys.iter().map(|k| (*k, v.next().unwrap_or("1"))).collect()
                    };
                    let (top, props) = (with(top), with(props));
                    line((&top, name, &props), ws, (piece, at))
                })
                .collect()
        })
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

    /// Lines of a few shapes read in turn, most by a shape learnt from the lines
    /// before: each reads as serde_json reads it alone, or is left to it.
    #[test]
    fn lines_of_a_shape_read_as_serde_json_reads_each(lines in families()) {
        let mut keys = Keys::default();
        for line in &lines {
            let mut e = RawEvent::default();
            let read = parse_into(line, &mut e, &mut keys).then_some(e);
            prop_assert_eq!(&read, &parse(line), "as the scan alone reads it: {}", line);
            if read.is_some() {
                prop_assert_eq!(read, serde(line), "{}", line);
            }
        }
    }
}
