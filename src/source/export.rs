//! `bearing demo-data`: the demo generator written out as a PostHog-shaped JSON Lines
//! export, with its subscriptions table beside it.

use super::demo::{DemoOptions, Generator, subscriptions};
use std::io::{self, Write};

/// Writes `opts.events` events, one JSON object per line.
pub fn write_events<W: Write>(opts: DemoOptions, out: W) -> io::Result<u64> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut n = 0;
    for record in Generator::new(opts) {
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

pub fn write_subscriptions<W: Write>(opts: DemoOptions, out: W) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    for row in subscriptions(opts.today) {
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::jsonl::read_events;
    use chrono::NaiveDate;

    #[test]
    fn written_events_read_back_the_same_as_generated() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let opts = DemoOptions {
            today,
            events: 500,
            seed: 7,
        };
        let mut buf = Vec::new();
        assert_eq!(write_events(opts, &mut buf).unwrap(), 500);
        let parsed = read_events(&buf[..], 2).unwrap();
        let demo = crate::source::demo::dataset(opts);
        assert_eq!(parsed.events.len(), demo.events.len());
        assert_eq!(parsed.stats.broken, 0);
        let conforming = |e: &[crate::domain::Event]| e.iter().filter(|e| e.conforms()).count();
        assert_eq!(conforming(&parsed.events), conforming(&demo.events));
        for (a, b) in parsed.events.iter().zip(&demo.events) {
            assert_eq!(a.at, b.at);
            assert_eq!(
                parsed.strings.resolve(a.tenant),
                demo.strings.resolve(b.tenant)
            );
        }
    }
}
