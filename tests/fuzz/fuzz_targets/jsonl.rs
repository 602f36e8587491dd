//! The JSON Lines reader on any bytes: every line is an event, another event, or a
//! counted blank or broken line, and every string it keeps is inert for a terminal.
#![no_main]

use bearing::domain::Sym;
use bearing::domain::sanitize::sanitize;
use bearing::source::jsonl::read_events;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Two workers when the first byte is odd, so the in-order merge is exercised too.
    let workers = 1 + usize::from(data.first().is_some_and(|b| b & 1 == 1));
    let Ok(p) = read_events(data, workers) else {
        panic!("reading from memory cannot fail");
    };
    let s = &p.stats;
    let lines = data.iter().filter(|b| **b == b'\n').count() as u64
        + u64::from(data.last().is_some_and(|b| *b != b'\n'));
    assert_eq!(s.lines, lines, "lines counted");
    assert_eq!(s.bytes, data.len() as u64, "bytes counted");
    let accounted = p.events.len() as u64 + s.other_events + s.blank + s.broken;
    assert_eq!(accounted, s.lines, "a line neither read nor counted: {s:?}");
    assert!(p.custom.is_empty(), "no custom events are watched");
    assert!(s.untimed <= s.lines);
    let lines_in_order = s.broken_samples.windows(2).all(|w| w[0].line < w[1].line);
    assert!(lines_in_order, "{:?}", s.broken_samples);
    assert!(
        s.broken_samples
            .iter()
            .all(|b| b.line >= 1 && b.line <= lines)
    );
    // Stored strings were sanitised once, at ingestion: sanitising again changes
    // nothing (the sanitise target checks what that leaves out).
    for i in 0..p.strings.len() {
        let text = p.strings.resolve(Sym(i as u32));
        assert_eq!(sanitize(text), text, "stored unsanitised");
    }
    for e in &p.events {
        assert!(e.missing & e.invalid == 0, "missing and unreadable at once");
        assert!((e.tenant.0 as usize) < p.strings.len());
    }
});
