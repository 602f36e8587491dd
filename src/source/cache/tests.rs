//! The parsed copy reads back as the file reads, is used only while the file is
//! unchanged, and trusts nothing in its bytes.

use super::codec::{EVENT_BYTES, decode, encode};
use super::*;
use crate::domain::{Interner, Sym};
use crate::source::demo::DemoOptions;
use crate::source::{FileSource, LoadOptions, Source};
use chrono::NaiveDate;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// A demo export of `events` events made messy: broken lines, a retry, blank lines, a
/// watched custom event and a string with a terminal escape in it.
fn messy_export(dir: &Path, events: usize) -> PathBuf {
    let path = dir.join("events.jsonl");
    let opts = DemoOptions {
        today: today(),
        events,
        seed: 11,
    };
    let mut text = Vec::new();
    crate::source::export::write_events(opts, &mut text).unwrap();
    let subs = std::fs::File::create(dir.join("events.subscriptions.jsonl")).unwrap();
    crate::source::export::write_subscriptions(opts, subs).unwrap();
    let first = text
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default()
        .to_vec();
    let mut out = std::fs::File::create(&path).unwrap();
    out.write_all(&text).unwrap();
    out.write_all(&first).unwrap();
    writeln!(
        out,
        "\n\nnot json\n{{\"event\":\"revenue_protection_trend\","
    )
    .unwrap();
    writeln!(out, "{{\"event\":\"competitor_update\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{{\"tenant_id\":\"acme\"}}}}").unwrap();
    writeln!(out, "{{\"event\":\"cost_optimization_trend\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{{\"tenant_id\":\"evil\\u001b[2J\",\"strategic_review_required\":true}}}}").unwrap();
    // Written an hour ago, as far as their times say: a change made now then shows
    // in them however coarse the file system's clock.
    let then = SystemTime::now() - Duration::from_secs(3600);
    for f in [&path, &dir.join("events.subscriptions.jsonl")] {
        let f = std::fs::File::options().write(true).open(f).unwrap();
        f.set_modified(then).unwrap();
    }
    path
}

fn opts() -> LoadOptions {
    LoadOptions {
        watch: vec!["competitor_update".to_owned()],
        ..LoadOptions::new(today())
    }
}

/// Two datasets hold the same events, strings, table and account of what was read.
fn assert_same(a: &Dataset, b: &Dataset) {
    assert_eq!(a.origin, b.origin);
    assert_eq!(a.events, b.events);
    assert_eq!(a.subscriptions, b.subscriptions);
    assert_eq!(a.ingest, b.ingest);
    assert_eq!(a.custom, b.custom);
    assert_eq!(a.strings.len(), b.strings.len());
    for i in 0..a.strings.len() {
        let s = Sym(i as u32);
        assert_eq!(a.strings.resolve(s), b.strings.resolve(s));
    }
}

/// Loads `src` as the cockpit does: the dataset shared, then handed back to the source
/// to keep its copy.
fn open(src: &FileSource) -> Arc<Dataset> {
    let ds = Arc::new(src.load(&opts()).unwrap());
    src.loaded(&ds);
    ds
}

fn caching(path: &Path, cache: &Path) -> FileSource {
    FileSource {
        cache: Some(Cache::keeping_new_files(cache.to_path_buf())),
        ..FileSource::new(path.to_path_buf(), None)
    }
}

/// Waits for the writer thread to put a whole copy of `src`'s file as it is now in
/// place.
fn kept(src: &FileSource) -> Stamp {
    let cache = src.cache.as_ref().unwrap();
    let sub = src.subscriptions_path();
    let stamp = cache.stamp(&src.path, &sub, &opts().watch).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while cache.load(&stamp, src.origin()).is_none() {
        assert!(Instant::now() < deadline, "no copy kept");
        std::thread::sleep(Duration::from_millis(5));
    }
    stamp
}

#[test]
fn a_file_opened_again_reads_from_its_copy_exactly_as_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = messy_export(dir.path(), 5000);
    let src = caching(&path, &dir.path().join("cache"));
    // The read alone makes no copy (the first screen would wait for its encoding):
    // it is made once the dataset is handed back.
    src.load(&opts()).unwrap();
    assert!(!dir.path().join("cache").exists());
    let fresh = FileSource::new(path.clone(), None).load(&opts()).unwrap();
    assert!(fresh.ingest.broken >= 2 && fresh.ingest.repeated >= 1 && fresh.custom.len() == 1);
    assert!(fresh.subscriptions.is_some());
    assert_same(&open(&src), &fresh);
    let stamp = kept(&src);
    let copy = src.cache.as_ref().unwrap().load(&stamp, src.origin());
    assert_same(&copy.expect("the copy reads"), &fresh);
    assert_same(&open(&src), &fresh);
}

#[test]
fn a_changed_file_table_or_watch_list_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = messy_export(dir.path(), 500);
    let src = caching(&path, &dir.path().join("cache"));
    open(&src);
    let before = kept(&src);
    let cache = src.cache.as_ref().unwrap();
    let sub = src.subscriptions_path();
    let stamp = || cache.stamp(&path, &sub, &opts().watch).unwrap();
    // Same size, one byte changed: a tenant renamed.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\"tenant_id\":\"", "\"tenant_id\":\"X", 1)
            .replacen("\n\n", "\n", 1),
    )
    .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, text.len());
    assert_ne!(stamp(), before);
    let ds = open(&src);
    let renamed = ds
        .events
        .iter()
        .filter(|e| ds.resolve(e.tenant).starts_with('X'))
        .count();
    assert_eq!(renamed, 1, "the new text is read, not the copy");
    // The subscriptions table changed.
    let now = kept(&src);
    std::fs::write(&sub, "{\"tenant_id\":\"only\",\"plan_name\":\"Pro\"}\n").unwrap();
    assert_ne!(stamp(), now);
    assert_eq!(open(&src).subscriptions.as_ref().map(Vec::len), Some(1));
    // Another custom event watched.
    let other = cache.stamp(&path, &sub, &["other".to_owned()]).unwrap();
    assert_ne!(other.identity, stamp().identity);
    assert_eq!(other.entry, stamp().entry, "one copy per file");
}

#[test]
fn a_file_still_being_written_is_read_but_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = messy_export(dir.path(), 100);
    let src = FileSource {
        cache: Some(Cache::new(dir.path().join("cache"))),
        ..FileSource::new(path.clone(), None)
    };
    let ds = open(&src);
    assert!(!ds.events.is_empty());
    // Nothing was even started: the decision is made before any thread is.
    assert!(!dir.path().join("cache").exists());
    // Nor for a file that changed while it was read.
    let cache = Cache::keeping_new_files(dir.path().join("cache"));
    let sub = src.subscriptions_path();
    let before = cache.stamp(&path, &sub, &[]).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"\n")
        .unwrap();
    let after = cache.stamp(&path, &sub, &[]).unwrap();
    assert!(cache.may_keep(&before, Some(&after)).is_none());
    assert!(cache.may_keep(&before, None).is_none());
    assert!(
        cache.may_keep(&after, Some(&after)).is_some(),
        "kept once still"
    );
}

#[test]
fn a_damaged_or_foreign_copy_is_ignored_and_the_file_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = messy_export(dir.path(), 500);
    let src = caching(&path, &dir.path().join("cache"));
    let fresh = open(&src);
    let stamp = kept(&src);
    let cache = src.cache.as_ref().unwrap();
    let mut bytes = std::fs::read(&stamp.entry).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&stamp.entry, &bytes).unwrap();
    assert!(
        cache.load(&stamp, src.origin()).is_none(),
        "the check sees the flip"
    );
    assert_same(&open(&src), &fresh);
    // Something that is not a file at the entry's place: refused, never waited on.
    let entry = kept(&src).entry;
    std::fs::remove_file(&entry).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &entry).unwrap();
    assert!(cache.load(&stamp, src.origin()).is_none());
    assert_same(&open(&src), &fresh);
}

#[test]
fn only_the_newest_copies_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cache");
    std::fs::create_dir(&cache_dir).unwrap();
    for i in 0..KEEP + 3 {
        let f = cache_dir.join(format!("{i:016x}.parsed"));
        std::fs::write(&f, b"x").unwrap();
        let at = SystemTime::now() - Duration::from_secs(100 - i as u64);
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(at)
            .unwrap();
    }
    prune(&cache_dir);
    let mut left: Vec<String> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let newest: Vec<String> = (3..KEEP + 3).map(|i| format!("{i:016x}.parsed")).collect();
    assert_eq!(left, newest);
}

fn small() -> Dataset {
    let dir = tempfile::tempdir().unwrap();
    let path = messy_export(dir.path(), 60);
    FileSource::new(path, None).load(&opts()).unwrap()
}

#[test]
fn every_cut_short_copy_reads_as_none() {
    let ds = small();
    let mut bytes = Vec::new();
    encode(&ds, &mut bytes);
    assert_same(&decode(&bytes, ds.origin.clone()).unwrap(), &ds);
    for n in 0..bytes.len() {
        assert!(
            decode(&bytes[..n], ds.origin.clone()).is_none(),
            "cut at {n}"
        );
    }
    bytes.push(0);
    assert!(
        decode(&bytes, ds.origin.clone()).is_none(),
        "a byte too many"
    );
}

/// Where the first event's record starts in `encode`'s bytes.
fn first_event(ds: &Dataset) -> usize {
    let strings: usize = (1..ds.strings.len())
        .map(|i| 8 + ds.strings.resolve(Sym(i as u32)).len())
        .sum();
    8 + strings + 8
}

#[test]
fn a_symbol_past_the_strings_or_an_unknown_kind_is_refused() {
    let ds = small();
    let mut bytes = Vec::new();
    encode(&ds, &mut bytes);
    let at = first_event(&ds);
    let mut forged = bytes.clone();
    forged[at + 28..at + 32].copy_from_slice(&(ds.strings.len() as u32).to_le_bytes());
    assert!(
        decode(&forged, ds.origin.clone()).is_none(),
        "tenant out of range"
    );
    for sym in 0..6 {
        let mut forged = bytes.clone();
        let place = at + 37 + 4 * sym;
        forged[place..place + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&forged, ds.origin.clone()).is_none(), "symbol {sym}");
    }
    let mut forged = bytes.clone();
    forged[at + 36] = 3;
    assert!(decode(&forged, ds.origin.clone()).is_none(), "no such kind");
    let mut forged = bytes;
    forged[at + EVENT_BYTES - 1] = 9;
    assert!(decode(&forged, ds.origin.clone()).is_none(), "no such flag");
}

#[test]
fn a_string_that_is_not_inert_or_comes_twice_is_refused() {
    let mut strings = Interner::default();
    let tenant = strings.intern("acme");
    let ds = Dataset {
        events: vec![crate::domain::Event {
            tenant,
            ..crate::domain::Event::bare(0)
        }],
        strings,
        subscriptions: None,
        custom: Vec::new(),
        ..small()
    };
    let mut bytes = Vec::new();
    encode(&ds, &mut bytes);
    assert!(decode(&bytes, ds.origin.clone()).is_some());
    let at = bytes.windows(4).position(|w| w == b"acme").unwrap();
    let mut forged = bytes.clone();
    forged[at] = 0x1b;
    assert!(decode(&forged, ds.origin.clone()).is_none(), "an escape");
    let mut forged = bytes;
    forged[at..at + 4].copy_from_slice(&[0xff, b'c', b'm', b'e']);
    assert!(decode(&forged, ds.origin.clone()).is_none(), "not UTF-8");
    let dup = Interner::from_strings(vec!["".into(), "a".into(), "a".into()]);
    assert!(dup.is_none());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Whatever the bytes, reading them ends (with a dataset or without), never panics.
    #[test]
    fn any_damage_reads_without_panic(flips in proptest::collection::vec((0usize..1 << 20, 0u8..=255), 1..8)) {
        let ds = small();
        let mut bytes = Vec::new();
        encode(&ds, &mut bytes);
        for (at, b) in flips {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        let _ = decode(&bytes, ds.origin.clone());
    }
}
