//! A parsed dataset as bytes and back. The bytes come from a file anyone with the
//! user's rights could have changed, so reading them trusts nothing: every length is
//! checked against what is left, every symbol against the strings, every string must
//! be what `sanitize` leaves alone, and any doubt is a miss (`None`), never a panic.

use super::stream::{BLOCK, Stream};
use crate::domain::event::{CostDetails, DecisionDetails, Details, RevenueDetails};
use crate::domain::{
    BrokenLine, CustomEvent, Dataset, Event, IngestStats, Interner, Origin, Priority, Subscription,
    Sym,
};
use chrono::{Datelike, NaiveDate};
use std::io::Read;
use std::sync::Arc;

/// The bytes of one event: time 8, tracking day 4, uuid 16, tenant 4, two bit sets
/// 2 + 2, kind 1, six symbols 24, one flag 1.
pub const EVENT_BYTES: usize = 62;

pub fn encode(ds: &Dataset, out: &mut Vec<u8>) {
    out.reserve(ds.events.len() * EVENT_BYTES + 64);
    strings(&ds.strings, out);
    put_len(out, ds.events.len());
    for e in &ds.events {
        event(e, out);
    }
    match &ds.subscriptions {
        None => out.push(0),
        Some(rows) => {
            out.push(1);
            put_len(out, rows.len());
            for s in rows {
                for sym in [s.tenant, s.plan, s.status] {
                    put_sym(out, sym);
                }
                put_date(out, s.current_period_start);
            }
        }
    }
    ingest(&ds.ingest, out);
    put_len(out, ds.custom.len());
    for c in &ds.custom {
        put_sym(out, c.name);
        put_sym(out, c.tenant);
        out.extend_from_slice(&c.at.to_le_bytes());
    }
}

/// The dataset `encode` wrote as the `len` bytes `src` holds, under `origin`, with
/// the sum of those bytes ([`stream::sum`]); None if they are not exactly one.
pub fn decode_from(src: impl Read, len: u64, origin: Origin) -> Option<(Dataset, u64)> {
    let mut r = Reader(Stream::new(src, len));
    let strings = read_strings(&mut r)?;
    let n = strings.len();
    let count = r.len(EVENT_BYTES)?;
    let mut events = Vec::with_capacity(count);
    let mut left = count;
    while left > 0 {
        let k = left.min(BLOCK / EVENT_BYTES);
        let (records, _) = r.0.bytes(k * EVENT_BYTES)?.as_chunks::<EVENT_BYTES>();
        for b in records {
            events.push(read_event(b, n)?);
        }
        left -= k;
    }
    let subscriptions = match r.u8()? {
        0 => None,
        1 => Some(r.list(16, |r| {
            Some(Subscription {
                tenant: r.sym(n)?,
                plan: r.sym(n)?,
                status: r.sym(n)?,
                current_period_start: r.date()?,
            })
        })?),
        _ => return None,
    };
    let ingest = read_ingest(&mut r)?;
    let custom = r.list(16, |r| {
        Some(CustomEvent {
            name: r.sym(n)?,
            tenant: r.sym(n)?,
            at: r.i64()?,
        })
    })?;
    let sum = r.0.finish()?;
    let ds = Dataset {
        origin,
        events,
        strings,
        subscriptions,
        ingest,
        custom,
    };
    Some((ds, sum))
}

/// [`decode_from`] on bytes in memory.
#[cfg(test)]
pub fn decode(bytes: &[u8], origin: Origin) -> Option<Dataset> {
    decode_from(bytes, bytes.len() as u64, origin).map(|(ds, _)| ds)
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

fn put_sym(out: &mut Vec<u8>, s: Sym) {
    out.extend_from_slice(&s.0.to_le_bytes());
}

fn put_date(out: &mut Vec<u8>, d: Option<NaiveDate>) {
    let days = d.map_or(i32::MIN, |d| d.num_days_from_ce());
    out.extend_from_slice(&days.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Bytes after their length: strings here, and the parts of a copy's identity.
pub(super) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_len(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Every string but the first (always the empty one), in symbol order.
fn strings(strings: &Interner, out: &mut Vec<u8>) {
    put_len(out, strings.len());
    for i in 1..strings.len() {
        let s = strings.resolve(Sym(u32::try_from(i).unwrap_or(u32::MAX)));
        put_str(out, s);
    }
}

fn event(e: &Event, out: &mut Vec<u8>) {
    out.extend_from_slice(&e.at.to_le_bytes());
    out.extend_from_slice(&e.tracked.to_le_bytes());
    out.extend_from_slice(&e.uuid);
    put_sym(out, e.tenant);
    out.extend_from_slice(&e.missing.to_le_bytes());
    out.extend_from_slice(&e.invalid.to_le_bytes());
    let (kind, syms, flag) = match e.details {
        Details::Revenue(d) => (
            0,
            [
                d.category,
                d.signal,
                d.impact,
                d.context,
                d.follow_up,
                Sym::EMPTY,
            ],
            d.priority.map_or(0, |p| 1 + p as u8),
        ),
        Details::Cost(d) => (
            1,
            [
                d.optimization,
                d.savings,
                d.vendor,
                d.feasibility,
                Sym::EMPTY,
                Sym::EMPTY,
            ],
            d.review_required.map_or(0, |b| 1 + u8::from(b)),
        ),
        Details::Decision(d) => (
            2,
            [
                d.category,
                d.maker_level,
                d.justification,
                d.outcome,
                d.timeframe,
                d.follow_up,
            ],
            0,
        ),
    };
    out.push(kind);
    for s in syms {
        put_sym(out, s);
    }
    out.push(flag);
}

fn ingest(s: &IngestStats, out: &mut Vec<u8>) {
    for n in [
        s.lines,
        s.bytes,
        s.blank,
        s.broken,
        s.other_events,
        s.untimed,
        s.repeated,
        s.subscriptions_broken,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    put_len(out, s.broken_samples.len());
    for b in &s.broken_samples {
        out.extend_from_slice(&b.line.to_le_bytes());
        put_str(out, &b.reason);
    }
}

/// The body, read item by item.
struct Reader<R>(Stream<R>);

impl<R: Read> Reader<R> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.0.take::<N>()
    }

    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Option<i64> {
        self.take().map(i64::from_le_bytes)
    }

    fn i32(&mut self) -> Option<i32> {
        self.take().map(i32::from_le_bytes)
    }

    /// A count of items of at least `each` bytes: never more than the bytes left
    /// could hold, so a forged count cannot make a huge allocation.
    fn len(&mut self, each: usize) -> Option<usize> {
        let n = self.u64()?;
        (n <= self.0.left() / each.max(1) as u64).then_some(usize::try_from(n).ok()?)
    }

    /// A counted list of items of at least `each` bytes, read by `item`.
    fn list<T>(&mut self, each: usize, item: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.len(each)?;
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            out.push(item(self)?);
        }
        Some(out)
    }

    /// A symbol of an interner of `n` strings.
    fn sym(&mut self, n: usize) -> Option<Sym> {
        let s = self.take().map(u32::from_le_bytes)?;
        ((s as usize) < n).then_some(Sym(s))
    }

    fn date(&mut self) -> Option<Option<NaiveDate>> {
        match self.i32()? {
            i32::MIN => Some(None),
            days => NaiveDate::from_num_days_from_ce_opt(days).map(Some),
        }
    }

    /// A string as bearing keeps them: UTF-8 and already made inert.
    fn str(&mut self) -> Option<&str> {
        let n = self.len(1)?;
        let s = std::str::from_utf8(self.0.bytes(n)?).ok()?;
        matches!(
            crate::domain::sanitize::sanitize(s),
            std::borrow::Cow::Borrowed(_)
        )
        .then_some(s)
    }
}

fn read_strings(r: &mut Reader<impl Read>) -> Option<Interner> {
    let count = r.len(8)?.max(1);
    let mut all = Vec::with_capacity(count);
    all.push(Arc::<str>::from(""));
    for _ in 1..count {
        all.push(Arc::from(r.str()?));
    }
    Interner::from_strings(all)
}

/// One event's fixed-size record (the offsets of [`event`]'s writes).
#[inline(always)]
fn read_event(b: &[u8; EVENT_BYTES], n: usize) -> Option<Event> {
    let tenant = word(b, 28);
    let syms = [
        word(b, 37),
        word(b, 41),
        word(b, 45),
        word(b, 49),
        word(b, 53),
        word(b, 57),
    ];
    // One test for all seven (this loop is most of opening a copy).
    if syms.iter().fold(tenant, |m, s| m.max(*s)) as usize >= n {
        return None;
    }
    let [a, c, d, e, f, g] = syms.map(Sym);
    let flag = b[61];
    let details = match (b[36], flag) {
        (0, _) => Details::Revenue(RevenueDetails {
            category: a,
            signal: c,
            impact: d,
            context: e,
            follow_up: f,
            priority: match flag {
                0 => None,
                p => Some(*Priority::ALL.get(usize::from(p) - 1)?),
            },
        }),
        (1, 0..=2) => Details::Cost(CostDetails {
            optimization: a,
            savings: c,
            vendor: d,
            feasibility: e,
            review_required: flag.checked_sub(1).map(|b| b == 1),
        }),
        (2, 0) => Details::Decision(DecisionDetails {
            category: a,
            maker_level: c,
            justification: d,
            outcome: e,
            timeframe: f,
            follow_up: g,
        }),
        _ => return None,
    };
    let mut uuid = [0; 16];
    uuid.copy_from_slice(&b[12..28]);
    Some(Event {
        at: i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        tracked: i32::from_le_bytes([b[8], b[9], b[10], b[11]]),
        uuid,
        tenant: Sym(tenant),
        missing: u16::from_le_bytes([b[32], b[33]]),
        invalid: u16::from_le_bytes([b[34], b[35]]),
        details,
    })
}

/// The four bytes at `at`, as a little-endian number.
#[inline(always)]
fn word(b: &[u8; EVENT_BYTES], at: usize) -> u32 {
    let mut w = [0; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

fn read_ingest(r: &mut Reader<impl Read>) -> Option<IngestStats> {
    let mut s = IngestStats {
        lines: r.u64()?,
        bytes: r.u64()?,
        blank: r.u64()?,
        broken: r.u64()?,
        other_events: r.u64()?,
        untimed: r.u64()?,
        repeated: r.u64()?,
        subscriptions_broken: r.u64()?,
        broken_samples: Vec::new(),
    };
    s.broken_samples = r.list(16, |r| {
        let line = r.u64()?;
        let reason = r.str()?.to_owned();
        Some(BrokenLine { line, reason })
    })?;
    Some(s)
}
