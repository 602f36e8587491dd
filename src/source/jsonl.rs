//! Streaming JSON Lines reader. The file is read in fixed-size chunks cut at line ends
//! and parsed by one worker per core; a merger appends each chunk's events in file
//! order as soon as it is parsed, so only the compact events are ever held, never the
//! file, and never two copies of the events. A broken line is counted with its line
//! number and never stops the read.

use super::ingest::{Ingested, Ingestor, remap, remap_custom};
use super::record::{RawEvent, RawSubscription, fast};
use crate::domain::{CustomEvent, Event, IngestStats, Interner, Subscription};
use rustc_hash::FxHashSet;
use split::split_chunks;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

/// Big enough that per-chunk overhead vanishes (about 2,000 events), small enough that
/// the few in flight stay well inside the memory budget.
const CHUNK: usize = 1 << 20;
/// No strategic event fits in fewer bytes: `{"event":"cost_optimization_trend"}` alone
/// is 36, and an event without a tenant or a time is not kept.
const MIN_EVENT_BYTES: u64 = 64;
/// A single line longer than this is reported broken instead of buffered whole.
const MAX_LINE: usize = 16 << 20;

pub struct Parsed {
    pub events: Vec<Event>,
    pub strings: Interner,
    pub stats: IngestStats,
    pub custom: Vec<CustomEvent>,
}

/// Lines are numbered within their chunk, and the merger, taking chunks in file order,
/// adds the lines before: the reader counting every chunk's newlines was a tenth of
/// its time. A line too long to read stands as a chunk of its own.
struct Chunk {
    index: usize,
    data: Vec<u8>,
    /// The bytes read of a line longer than `MAX_LINE`, which `data` does not hold.
    too_long: Option<u64>,
}

struct ChunkResult {
    index: usize,
    events: Vec<Event>,
    ingestor: Ingestor,
}

/// Reads PostHog-shaped events from `reader` with `workers` parsing threads.
pub fn read_events<R: Read>(reader: R, workers: usize) -> io::Result<Parsed> {
    read_events_watching(reader, workers, &[])
}

/// Like [`read_events`], also keeping the events named in `watch`.
pub fn read_events_watching<R: Read>(
    reader: R,
    workers: usize,
    watch: &[String],
) -> io::Result<Parsed> {
    read_in_chunks(reader, (workers, CHUNK), watch, Keeping::All { room: 0 }).map(|(p, _)| p)
}

/// Like [`read_events_watching`], for a file of `bytes` bytes: the events' room is
/// reserved once for the most events that many bytes can hold, so it is never moved
/// to a larger one while half the file is in it. Room never written is never touched,
/// and untouched pages take no memory.
pub fn read_file_events<R: Read>(
    reader: R,
    workers: usize,
    watch: &[String],
    bytes: u64,
) -> io::Result<Parsed> {
    let room = usize::try_from(bytes / MIN_EVENT_BYTES).unwrap_or(0);
    read_in_chunks(reader, (workers, CHUNK), watch, Keeping::All { room }).map(|(p, _)| p)
}

/// Reads the events of the file `open` opens as [`read_file_events`] does, handing
/// each to `fold` in file order, once, without holding any: memory grows with tenants
/// and distinct values, not with the file. The strings given with each event are those
/// its symbols name, and are returned in [`Parsed::strings`]; `events` is empty. When
/// the file holds retries the fold is restarted and the file read again (see
/// [`repeats::Repeats`]), so `open` may be called twice.
pub fn fold_events<R: Read>(
    open: impl FnMut() -> io::Result<R>,
    workers: usize,
    watch: &[String],
    bytes: u64,
    fold: &mut dyn Fold,
) -> io::Result<Parsed> {
    fold_in_chunks(open, (workers, CHUNK), watch, bytes, fold)
}

fn fold_in_chunks<R: Read>(
    mut open: impl FnMut() -> io::Result<R>,
    (workers, chunk): (usize, usize),
    watch: &[String],
    bytes: u64,
    fold: &mut dyn Fold,
) -> io::Result<Parsed> {
    let room = usize::try_from(bytes / MIN_EVENT_BYTES).unwrap_or(0);
    let first = Keeping::Fold(fold, repeats::Repeats::noting(room));
    let (parsed, twice) = read_in_chunks(open()?, (workers, chunk), watch, first)?;
    let Some(twice) = twice else {
        return Ok(parsed);
    };
    fold.restart();
    let again = Keeping::Fold(fold, repeats::Repeats::dropping(&twice));
    read_in_chunks(open()?, (workers, chunk), watch, again).map(|(parsed, _)| parsed)
}

/// What a read that holds no event hands each one to, in file order.
pub trait Fold: Send {
    /// One event, with the strings its symbols name.
    fn add(&mut self, e: &Event, strings: &Interner);
    /// Forgets every event added, before the file is read again.
    fn restart(&mut self);
}

/// What the merger does with each chunk's events, in file order.
enum Keeping<'s> {
    /// Hold every event, in room reserved for `room` of them.
    All { room: usize },
    /// Hand each to the fold, holding none.
    Fold(&'s mut dyn Fold, repeats::Repeats<'s>),
}

/// The reader with chunks of `chunk` bytes (tests cut a small file in many).
/// Also the hashes a first folding read met twice, if any.
fn read_in_chunks<R: Read>(
    reader: R,
    (workers, chunk): (usize, usize),
    watch: &[String],
    keeping: Keeping,
) -> io::Result<(Parsed, Option<FxHashSet<u64>>)> {
    let workers = workers.max(1);
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(workers);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    let (result_tx, result_rx) = sync_channel::<ChunkResult>(workers * 2);
    // Parsed chunks' buffers go back to the reader to be filled again: a fresh
    // megabyte per chunk was mapped, faulted in and zeroed page by page by the kernel.
    let (spare_tx, spare_rx) = sync_channel::<Vec<u8>>(workers * 2 + 2);
    let (reader_stats, merged) = thread::scope(|scope| {
        for _ in 0..workers {
            let rx = Arc::clone(&chunk_rx);
            let (tx, spare) = (result_tx.clone(), spare_tx.clone());
            scope.spawn(move || parse_worker(&rx, (&tx, &spare), watch));
        }
        drop((result_tx, spare_tx));
        let merger = scope.spawn(move || merge_in_order(result_rx, keeping));
        let reader_stats = split_chunks(reader, (chunk_tx, spare_rx), chunk);
        (reader_stats, merger.join())
    });
    let reader_stats = reader_stats?;
    let (mut parsed, twice) = merged.map_err(|_| io::Error::other("a parse worker failed"))?;
    parsed.stats.merge(reader_stats);
    Ok((parsed, twice))
}

fn parse_worker(
    rx: &Mutex<Receiver<Chunk>>,
    (tx, spare): (&SyncSender<ChunkResult>, &SyncSender<Vec<u8>>),
    watch: &[String],
) {
    loop {
        // The lock is held only to take the next chunk, never while parsing.
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else { return };
        let result = parse_chunk(&chunk, watch);
        // Full of spares, or the reader done: the buffer is simply freed.
        let _ = spare.try_send(chunk.data);
        if tx.send(result).is_err() {
            return;
        }
    }
}

/// Where the chunk's lines are, without their `\n`: memchr finds the ends many bytes
/// at a time (a byte-by-byte split was a tenth of the read). Like `split`, it yields
/// one empty piece after a final newline.
fn lines(data: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', data).chain(std::iter::once(data.len()));
    ends.map(move |end| {
        let line = start..end;
        start = end + 1;
        line
    })
}

fn parse_chunk(chunk: &Chunk, watch: &[String]) -> ChunkResult {
    let mut ingestor = Ingestor::default();
    ingestor.watch = watch.to_vec();
    let mut events = Vec::with_capacity(chunk.data.len() / 400);
    if let Some(bytes) = chunk.too_long {
        let stats = &mut ingestor.stats;
        (stats.lines, stats.bytes) = (1, bytes);
        stats.add_broken(1, format!("line longer than {} MiB", MAX_LINE >> 20));
        return ChunkResult {
            index: chunk.index,
            events,
            ingestor,
        };
    }
    let mut line_no = 0;
    // UTF-8 checked once for the chunk, many bytes at a time, rather than string by
    // string as serde_json does on bytes. A chunk with an invalid byte is read line by
    // line from bytes, so that byte costs its line only, with the reason it always had.
    // simdutf8 checks 32 bytes a step where std checks a word: std's check was a
    // twentieth of a read.
    let text = simdutf8::basic::from_utf8(&chunk.data).ok();
    let mut keys = fast::Keys::default();
    for at in lines(&chunk.data) {
        line_no += 1;
        // Cut at `\n`, an ASCII byte: always a character boundary.
        let line = match text.and_then(|t| t.get(at.clone())) {
            Some(t) => Line::Text(t),
            None => Line::Bytes(&chunk.data[at]),
        };
        parse_line(line, line_no, (&mut ingestor, &mut keys), &mut events);
    }
    // One empty piece follows the final newline; it is not a line.
    if chunk.data.last() == Some(&b'\n') {
        ingestor.stats.blank = ingestor.stats.blank.saturating_sub(1);
        line_no -= 1;
    }
    ingestor.stats.lines = line_no;
    ingestor.stats.bytes = chunk.data.len() as u64;
    ChunkResult {
        index: chunk.index,
        events,
        ingestor,
    }
}

/// A line, as checked UTF-8 when its chunk was, else as bytes.
enum Line<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

fn parse_line(
    line: Line,
    line_no: u64,
    (ing, keys): (&mut Ingestor, &mut fast::Keys),
    events: &mut Vec<Event>,
) {
    let bytes = match line {
        Line::Text(t) => t.as_bytes(),
        Line::Bytes(b) => b,
    };
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        ing.stats.blank += 1;
        return;
    }
    let raw = match line {
        Line::Text(t) => {
            let t = t.strip_suffix('\r').unwrap_or(t);
            // The fast path where it is sure, read into a record here rather than
            // returned (a record is some 600 bytes, and moving it was a tenth of the
            // read); else serde_json on the checked text, with no second look at the
            // UTF-8. Same answers either way.
            let mut raw = RawEvent::default();
            if fast::parse_into(t, &mut raw, keys) {
                return ingest(ing, &raw, line_no, events);
            }
            serde_json::from_str::<RawEvent>(t)
        }
        Line::Bytes(_) => serde_json::from_slice::<RawEvent>(bytes),
    };
    match raw {
        Ok(raw) => ingest(ing, &raw, line_no, events),
        Err(e) => ing.stats.add_broken(line_no, broken_reason(&e)),
    }
}

fn ingest(ing: &mut Ingestor, raw: &RawEvent, line_no: u64, events: &mut Vec<Event>) {
    match ing.ingest(raw) {
        Ingested::Event(e) => events.push(e),
        Ingested::Other => ing.stats.other_events += 1,
        Ingested::Custom(c) => ing.custom.push(c),
        Ingested::Broken(reason) => ing.stats.add_broken(line_no, reason),
    }
}

/// Why a line is not an event, in words: serde_json's message names a column within
/// the line; this keeps it short and free of any of the line's own text.
fn broken_reason(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Io => "unreadable".to_owned(),
        serde_json::error::Category::Syntax => format!("not JSON (column {})", e.column()),
        serde_json::error::Category::Data => "not an event object".to_owned(),
        serde_json::error::Category::Eof => "truncated JSON".to_owned(),
    }
}

/// Appends chunk results in file order as they arrive, holding back only those that
/// overtook an earlier chunk.
fn merge_in_order(
    rx: Receiver<ChunkResult>,
    mut keeping: Keeping,
) -> (Parsed, Option<FxHashSet<u64>>) {
    let mut strings = Interner::default();
    let mut events = Vec::new();
    if let Keeping::All { room } = keeping {
        // Asked, not demanded: where the system will not lend that much address
        // space, the room grows as the events come, as it always did.
        let _ = events.try_reserve_exact(room);
    }
    let mut stats = IngestStats::default();
    let mut custom = Vec::new();
    let mut waiting: BTreeMap<usize, ChunkResult> = BTreeMap::new();
    let mut next = 0;
    let mut absorb = |mut r: ChunkResult| {
        let map = strings.absorb(r.ingestor.strings);
        for b in &mut r.ingestor.stats.broken_samples {
            b.line += stats.lines;
        }
        stats.merge(r.ingestor.stats);
        custom.extend(r.ingestor.custom.into_iter().map(|mut c| {
            remap_custom(&mut c, &map);
            c
        }));
        let remapped = r.events.into_iter().map(|mut e| {
            remap(&mut e, &map);
            e
        });
        match &mut keeping {
            Keeping::All { .. } => events.extend(remapped),
            Keeping::Fold(fold, repeats) => {
                for e in remapped {
                    if repeats.keep(&e) {
                        fold.add(&e, &strings);
                    }
                }
            }
        }
    };
    for result in rx {
        waiting.insert(result.index, result);
        while let Some(r) = waiting.remove(&next) {
            absorb(r);
            next += 1;
        }
    }
    // Only reachable if a worker died mid-file; keep what was parsed.
    for r in waiting.into_values() {
        absorb(r);
    }
    let mut twice = None;
    stats.repeated = match keeping {
        Keeping::All { .. } => repeats::drop_repeats(&mut events),
        Keeping::Fold(_, repeats) => repeats.finish().unwrap_or_else(|t| {
            twice = Some(t);
            0
        }),
    };
    let parsed = Parsed {
        events,
        strings,
        stats,
        custom,
    };
    (parsed, twice)
}

/// Reads a subscriptions table from JSON Lines. A row that cannot be read — not UTF-8,
/// not JSON, no tenant_id — is skipped and counted, never the end of the table; only
/// the reader failing (the size limit, a disk error) fails the read.
pub fn read_subscriptions<R: io::BufRead>(
    mut reader: R,
    strings: &mut Interner,
) -> io::Result<(Vec<Subscription>, u64)> {
    let mut ing = Ingestor::with_strings(std::mem::take(strings));
    let mut rows = Vec::new();
    let mut bad = 0;
    // Bytes, not `lines()`: one invalid byte must cost its line, not the table.
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let mut row = line.as_slice();
        if first {
            row = crate::files::strip_bom(row);
            first = false;
        }
        if row.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // from_slice checks UTF-8 itself, so an invalid byte is one more unreadable row.
        match serde_json::from_slice::<RawSubscription>(row)
            .ok()
            .and_then(|r| ing.subscription(&r))
        {
            Some(s) => rows.push(s),
            None => bad += 1,
        }
    }
    *strings = ing.strings;
    Ok((rows, bad))
}

pub mod repeats;

#[cfg(test)]
mod props;
mod split;

#[cfg(test)]
mod tests;
