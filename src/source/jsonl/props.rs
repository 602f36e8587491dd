//! The fast reader against a plain one: on random messy files (typed and misspelt
//! properties, escapes, invalid UTF-8, CRLF, blank, truncated and non-event lines,
//! retried uuids, watched custom events, a BOM) cut into random small chunks, the
//! chunked, memchr-split, UTF-8-once reader gives the same dataset as reading the lines
//! one by one with `serde_json::from_slice` and dropping retries by their uuids, and
//! so does the fold that hands each event on without holding it.

use super::*;
use crate::source::ingest::for_each_sym;
use proptest::prelude::*;

/// The plain reader: every line in turn, from bytes, through one ingestor.
fn plain(data: &[u8], watch: &[String]) -> Parsed {
    let mut ing = Ingestor::default();
    ing.watch = watch.to_vec();
    let mut events = Vec::new();
    let body = crate::files::strip_bom(data);
    let mut pieces: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    // A final newline ends the last line; it does not start another.
    if body.last() == Some(&b'\n') || body.is_empty() {
        pieces.pop();
    }
    for (i, piece) in pieces.iter().enumerate() {
        let line_no = i as u64 + 1;
        let line = piece.strip_suffix(b"\r").unwrap_or(piece);
        if line.iter().all(u8::is_ascii_whitespace) {
            ing.stats.blank += 1;
            continue;
        }
        match serde_json::from_slice::<RawEvent>(line) {
            Ok(raw) => match ing.ingest(&raw) {
                Ingested::Event(e) => events.push(e),
                Ingested::Other => ing.stats.other_events += 1,
                Ingested::Custom(c) => ing.custom.push(c),
                Ingested::Broken(reason) => ing.stats.add_broken(line_no, reason),
            },
            Err(e) => ing.stats.add_broken(line_no, broken_reason(&e)),
        }
    }
    ing.stats.lines = pieces.len() as u64;
    ing.stats.bytes = data.len() as u64;
    // Repeats told apart by the uuid itself, with a set of all of them.
    let mut seen = std::collections::HashSet::new();
    let before = events.len();
    events.retain(|e| e.uuid == [0; 16] || seen.insert((e.uuid, e.kind() as u8)));
    ing.stats.repeated = (before - events.len()) as u64;
    Parsed {
        events,
        strings: ing.strings,
        stats: ing.stats,
        custom: ing.custom,
    }
}

/// The events with their symbols renumbered in order of use, and the custom events
/// as text: two readers' interners number strings differently.
fn canonical(p: &Parsed) -> (Vec<Event>, Vec<(String, String, i64)>) {
    let mut fresh = Interner::default();
    let mut events = p.events.clone();
    for e in &mut events {
        for_each_sym(e, |s| *s = fresh.intern(p.strings.resolve(*s)));
    }
    let custom = p
        .custom
        .iter()
        .map(|c| {
            let name = p.strings.resolve(c.name).to_owned();
            (name, p.strings.resolve(c.tenant).to_owned(), c.at)
        })
        .collect();
    (events, custom)
}

/// A fold that keeps what it is handed, and counts its restarts.
#[derive(Default)]
struct Handed {
    events: Vec<Event>,
    restarts: u32,
}

impl Fold for Handed {
    fn add(&mut self, e: &Event, _: &Interner) {
        self.events.push(*e);
    }

    fn restart(&mut self) {
        self.events.clear();
        self.restarts += 1;
    }
}

const TENANTS: [&str; 5] = [
    "acme",
    "acmé",
    "ac\\u006de",
    "t\\\"q",
    "esc\\u001b]0;x\\u0007",
];
const BOOLS: [&str; 6] = ["true", "\"true\"", "1", "\"yes\"", "null", "{\"a\":1}"];
const RANGES: [&str; 5] = ["\"$2K-8K\"", "\"500-2000\"", "\"\"", "42", "\"lots\""];
const DATES: [&str; 5] = [
    "\"2026-11-02T10:00:00Z\"",
    "\"2026-11-02 10:00:00\"",
    "\"2026-13-40\"",
    "1793000000",
    "null",
];

/// One line of a messy file, from a few random numbers.
fn line(kind: u8, a: usize, b: usize, uuid: u8) -> Vec<u8> {
    let tenant = TENANTS[a % TENANTS.len()];
    let uuid = format!("\"uuid\":\"00000000-0000-4000-8000-0000000000{uuid:02x}\",");
    let when = DATES[b % DATES.len()];
    match kind % 15 {
        0 => format!(
            "{{{uuid}\"event\":\"revenue_protection_trend\",\"timestamp\":{when},\"properties\":{{\"tenant_id\":\"{tenant}\",\"trend_category\":\"churn_risk_directional\",\"directional_signal\":\"s{b}\",\"approximate_impact_range\":{},\"strategic_priority\":\"High\",\"extra\":[1,{{\"x\":\"y\"}}]}}}}",
            RANGES[b % RANGES.len()]
        )
        .into_bytes(),
        1 => format!(
            "{{\"event\":\"cost_optimization_trend\",\"timestamp\":{when},\"properties\":{{\"tenant_id\":\"{tenant}\",\"optimization_type\":\"o{a}\",\"approximate_savings_range\":{},\"strategic_review_required\":{}}}}}",
            RANGES[a % RANGES.len()],
            BOOLS[b % BOOLS.len()]
        )
        .into_bytes(),
        2 => format!(
            "{{{uuid}\"event\":\"strategic_decision_summary\",\"distinct_id\":\"{tenant}\",\"timestamp\":{when},\"properties\":{{\"decision_category\":\"vendor_selection\",\"decision_maker_level\":\"executive\",\"outcome_review_date\":{}}}}}",
            DATES[a % DATES.len()]
        )
        .into_bytes(),
        3 => format!("{{\"event\":\"$pageview\",\"properties\":{{\"tenant_id\":\"{tenant}\"}}}}")
            .into_bytes(),
        4 => format!(
            "{{\"event\":\"competitor_update\",\"timestamp\":{when},\"properties\":{{\"tenant_id\":\"{tenant}\"}}}}"
        )
        .into_bytes(),
        5 => b"".to_vec(),
        6 => b"   \t ".to_vec(),
        // Invalid UTF-8 inside a string: the line is broken, the file is not.
        7 => b"{\"event\":\"revenue_protection_trend\",\"properties\":{\"tenant_id\":\"\xff\xfe\"}}"
            .to_vec(),
        // A line cut short, as by a killed writer.
        8 => {
            let mut l = line(0, a, b, 1);
            l.truncate(a * 7 % l.len().max(1));
            l
        }
        9 => ["[1,2]", "\"text\"", "3", "{", "}", "null"][a % 6].as_bytes().to_vec(),
        // Valid UTF-8 beyond ASCII, outside and inside strings.
        10 => format!(
            "{{\"event\":\"revenue_protection_trend\",\"timestamp\":{when},\"properties\":{{\"tenant_id\":\"日本-{a}\",\"directional_signal\":\"🚀\"}}}}"
        )
        .into_bytes(),
        11 => b"{\"event\":\"cost_optimization_trend\",\"properties\":\xe6\x97\xa5}".to_vec(),
        // Properties as a JSON string (a CSV conversion), or not an object at all.
        12 => format!(
            "{{\"event\":\"cost_optimization_trend\",\"timestamp\":{when},\"properties\":\"{{\\\"tenant_id\\\":\\\"{tenant}\\\",\\\"optimization_type\\\":\\\"o{b}\\\"}}\"}}"
        )
        .into_bytes(),
        13 => format!(
            "{{\"event\":\"revenue_protection_trend\",\"timestamp\":{when},\"properties\":{}}}",
            ["null", "3", "[1]", "\"not json\"", "true"][a % 5]
        )
        .into_bytes(),
        // `properties` twice: the later one counts, whole.
        _ => format!(
            "{{\"event\":\"revenue_protection_trend\",\"timestamp\":{when},\"properties\":{{\"tenant_id\":\"{tenant}\",\"trend_category\":\"c\"}},\"properties\":{{\"directional_signal\":\"s{b}\"}}}}"
        )
        .into_bytes(),
    }
}

fn file() -> impl Strategy<Value = (Vec<u8>, usize, usize)> {
    let lines = prop::collection::vec((any::<u8>(), 0usize..50, 0usize..50, 0u8..6), 0..120);
    (
        lines,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        64usize..2048,
        1usize..4,
    )
        .prop_map(|(lines, crlf, bom, last_newline, chunk, workers)| {
            let mut data = Vec::new();
            if bom {
                data.extend_from_slice(crate::files::BOM);
            }
            for (i, (kind, a, b, uuid)) in lines.iter().enumerate() {
                if i > 0 {
                    data.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                }
                data.extend(line(*kind, *a, *b, *uuid));
            }
            if last_newline && !lines.is_empty() {
                data.push(b'\n');
            }
            (data, chunk, workers)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_fast_reader_reads_what_a_plain_one_reads((data, chunk, workers) in file()) {
        let watch = vec!["competitor_update".to_owned()];
        let room = Keeping::All { room: data.len() };
        let (fast, _) = read_in_chunks(&data[..], (workers, chunk), &watch, room).unwrap();
        let slow = plain(&data, &watch);
        prop_assert_eq!(&fast.stats, &slow.stats);
        prop_assert_eq!(canonical(&fast), canonical(&slow));
        // Folding, holding none: each event handed over once, in file order (a file
        // with retries read again).
        let mut handed = Handed::default();
        let open = || Ok(&data[..]);
        let mut folded = fold_in_chunks(open, (workers, chunk), &watch, 0, &mut handed).unwrap();
        prop_assert!(folded.events.is_empty());
        prop_assert_eq!(handed.restarts, u32::from(slow.stats.repeated > 0));
        folded.events = handed.events;
        prop_assert_eq!(&folded.stats, &slow.stats);
        prop_assert_eq!(canonical(&folded), canonical(&slow));
    }
}
