//! The migration of snapshot keys: the old `Debug` spellings as the enum really printed
//! them, and a file left by the previous schema read through the normal snapshot API.

use super::*;
use crate::store::Store;

const SOURCE: &str = "posthog eu.posthog.com/1";

#[test]
fn every_old_debug_key_reads_back_as_its_period() {
    // Derived from the enum's own Debug output, not from a list of spellings.
    let mut all = crate::domain::period::every_kind();
    all.extend([
        PeriodSpec::Trailing(0),
        PeriodSpec::Trailing(u32::MAX),
        PeriodSpec::Month {
            year: -1,
            month: 13,
        },
    ]);
    for p in all {
        let old = format!("{p:?}");
        assert_eq!(from_debug(&old), Some(p), "{old}");
    }
    for unreadable in [
        "",
        "Trailing()",
        "Trailing(x)",
        "Trailing(90",
        "Fortnight",
        "Month { year: 2026 }",
        "Month { year: 2026, quarter: 4 }",
        "Quarter { quarter: 4, year: 2026 }",
        "90d",
        "this-month",
    ] {
        assert_eq!(from_debug(unreadable), None, "{unreadable:?}");
    }
}

/// A database as the previous schema (V3) left it, with snapshot rows under `keys`.
fn v3_file(dir: &std::path::Path, rows: &[(&str, &str)]) -> std::path::PathBuf {
    let path = dir.join("bearing.db");
    let mut conn = Connection::open(&path).unwrap();
    migrate_to(&mut conn, 3).unwrap();
    for (period, part) in rows {
        conn.execute(
            "INSERT INTO snapshots (source, part, period, today, fetched_at, body)
             VALUES (?1, ?2, ?3, '2026-11-28', '2026-11-28T09:00:00+00:00', ?4)",
            params![
                SOURCE,
                part,
                period,
                format!(r#"{{"saved under":"{period}"}}"#)
            ],
        )
        .unwrap();
    }
    path
}

#[test]
fn a_snapshot_saved_under_its_old_debug_key_is_read_after_the_migration() {
    let nov = PeriodSpec::Month {
        year: 2026,
        month: 11,
    };
    let q4 = PeriodSpec::Quarter {
        year: 2026,
        quarter: 4,
    };
    // The keys bearing wrote up to V3, spelled out, and checked to be what it printed.
    let old = [
        (PeriodSpec::Trailing(90), "Trailing(90)", "overview"),
        (PeriodSpec::ThisMonth, "ThisMonth", "overview"),
        (nov, "Month { year: 2026, month: 11 }", "revenue"),
        (q4, "Quarter { year: 2026, quarter: 4 }", "cost"),
    ];
    for (spec, key, _) in old {
        assert_eq!(format!("{spec:?}"), key);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(&str, &str)> = old.iter().map(|(_, k, part)| (*k, *part)).collect();
    rows.push(("Fortnight", "overview"));
    let path = v3_file(dir.path(), &rows);

    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, VERSION);
    for (spec, key, part) in old {
        let found = store.snapshots(SOURCE, &spec.to_string()).unwrap();
        assert_eq!(found.len(), 1, "{spec} (was {key})");
        assert_eq!(found[0].part, part);
        assert_eq!(found[0].body, format!(r#"{{"saved under":"{key}"}}"#));
        assert!(store.snapshots(SOURCE, key).unwrap().is_empty(), "{key}");
    }
    // A key that was never a period's Debug text is left as it was.
    assert_eq!(store.snapshots(SOURCE, "Fortnight").unwrap().len(), 1);
}

#[test]
fn a_row_already_under_the_new_key_keeps_its_place_and_the_migration_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = v3_file(
        dir.path(),
        &[("Trailing(90)", "overview"), ("90d", "overview")],
    );
    let store = Store::open(&path).unwrap();
    let found = store.snapshots(SOURCE, "90d").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].body, r#"{"saved under":"90d"}"#);
}
