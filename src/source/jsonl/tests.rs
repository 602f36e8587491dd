use super::*;

// No uuid: these lines are read many times over, and copies under one uuid count once.
const GOOD: &str = r#"{"event":"cost_optimization_trend","distinct_id":"d","timestamp":"2026-01-02T00:00:00Z","properties":{"tenant_id":"t-1","optimization_type":"x","approximate_savings_range":"500-2000","esp_vendor_context":"v","implementation_feasibility":"f","strategic_review_required":true,"tracking_date":"2026-01-02"}}"#;

#[test]
fn counts_broken_lines_with_their_numbers() {
    let text = format!("{GOOD}\n{{broken\n\n{GOOD}\n[1,2]\n{{\"event\":\"$pageview\"}}\n{GOOD}");
    let p = read_events(text.as_bytes(), 2).unwrap();
    assert_eq!(p.events.len(), 3);
    assert_eq!(p.stats.lines, 7);
    assert_eq!(p.stats.blank, 1);
    assert_eq!(p.stats.broken, 2);
    assert_eq!(p.stats.other_events, 1);
    let lines: Vec<u64> = p.stats.broken_samples.iter().map(|b| b.line).collect();
    assert_eq!(lines, vec![2, 5]);
    assert!(
        p.events
            .iter()
            .all(|e| p.strings.resolve(e.tenant) == "t-1")
    );
}

#[test]
fn many_chunks_keep_line_numbers_and_order() {
    // Enough lines to span several 1 MiB chunks, with a broken line far in. Each
    // line names its own tenant, so events out of file order would be seen.
    let n = 30_000;
    let mut text = String::new();
    for i in 1..=n {
        if i == 25_000 {
            text.push_str("{\"event\": oops}\n");
        } else {
            text.push_str(&GOOD.replace("\"t-1\"", &format!("\"t-{i}\"")));
            text.push('\n');
        }
    }
    assert!(text.len() > 8 * CHUNK, "the file must span several chunks");
    let p = read_events(text.as_bytes(), 3).unwrap();
    assert_eq!(p.events.len(), n - 1);
    assert_eq!(p.stats.lines, n as u64);
    assert_eq!(p.stats.broken_samples.first().map(|b| b.line), Some(25_000));
    let expected = (1..=n).filter(|i| *i != 25_000).map(|i| format!("t-{i}"));
    for (at, (event, want)) in p.events.iter().zip(expected).enumerate() {
        let got = p.strings.resolve(event.tenant);
        assert_eq!(got, want, "event {at} is out of file order");
    }
}

#[test]
fn an_over_long_line_is_broken_not_buffered() {
    let mut text = String::from(GOOD);
    text.push('\n');
    text.push_str(&"x".repeat(MAX_LINE + 10));
    text.push('\n');
    text.push_str(GOOD);
    text.push_str("\n{broken\n");
    text.push_str(GOOD);
    let p = read_events(text.as_bytes(), 2).unwrap();
    assert_eq!(p.events.len(), 3);
    assert_eq!(p.stats.broken, 2);
    let lines: Vec<u64> = p.stats.broken_samples.iter().map(|b| b.line).collect();
    assert_eq!(
        lines,
        [2, 4],
        "numbered on past the long line, in file order"
    );
    assert_eq!(p.stats.lines, 5);
}

#[test]
fn a_utf8_bom_does_not_lose_the_first_event() {
    // Windows tools write a byte-order mark before the first line.
    let text = format!("\u{feff}{GOOD}\n{GOOD}\n");
    let p = read_events(text.as_bytes(), 2).unwrap();
    assert_eq!(p.stats.broken, 0, "{:?}", p.stats.broken_samples);
    assert_eq!(p.events.len(), 2);
    assert_eq!(p.stats.lines, 2);
}

#[test]
fn invalid_utf8_and_crlf() {
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend_from_slice(b"\r\n{\"event\":\"\xff\xfe\"}\r\n");
    let p = read_events(&bytes[..], 1).unwrap();
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.stats.broken, 1);
}

#[test]
fn an_event_sent_twice_under_one_uuid_counts_once() {
    let with = |uuid: &str, event: &str| {
        GOOD.replacen("{", &format!(r#"{{"uuid":"{uuid}","#), 1)
            .replace("cost_optimization_trend", event)
    };
    let a = "0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70";
    let b = "0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f71";
    let lines = [
        with(a, "cost_optimization_trend"),
        with(b, "cost_optimization_trend"),
        // An SDK's retry, far from the first copy.
        with(a, "cost_optimization_trend"),
        // The same uuid on another event is another event.
        with(a, "revenue_protection_trend"),
        GOOD.to_owned(),
        GOOD.to_owned(),
    ];
    let p = read_events(lines.join("\n").as_bytes(), 2).unwrap();
    assert_eq!(
        p.events.len(),
        5,
        "one copy dropped, events without a uuid kept"
    );
    assert_eq!(p.stats.repeated, 1);
}
