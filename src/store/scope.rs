//! Triage state per data source. The demo, each PostHog project and each file keep
//! their own alerts, follow-ups and notes, so triage done on one can never touch
//! another: a demo dismissal must not dismiss the same-named alert of real data.
//!
//! Every alert and follow-up row carries its source's key (`alerts.source`). Rows are
//! found by id, and an id is unique across sources because the id a row is stored
//! under names its source (`<id> @<key>`): audit records, notes and undo all name
//! stored ids, so they stay apart without knowing about sources at all. One source per
//! database keeps bare ids: the one whose rows were there before sources were told
//! apart (schema 5), so their audit records still name them as they are, and the audit
//! chain and its replay hold without rewriting a record.

use rusqlite::{Connection, OptionalExtension};
use std::borrow::Cow;

/// The `meta` key naming the source whose rows keep bare ids.
pub const BARE_SOURCE: &str = "bare_source";

/// The source key of the built-in demo.
pub const DEMO: &str = "demo";

/// The source a store's reads and writes are confined to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub key: String,
    /// Rows of this source are stored under their bare ids.
    bare: bool,
    /// The database knows sources (schema 5 or later). An older one, read without
    /// being migrated, shows every row, as the bearing that wrote it did.
    known: bool,
}

impl Scope {
    /// The scope of source `key` in this database.
    pub fn read(conn: &Connection, key: &str) -> rusqlite::Result<Scope> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version < 5 {
            return Ok(Scope {
                key: key.to_owned(),
                bare: true,
                known: false,
            });
        }
        let bare: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [BARE_SOURCE],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Scope {
            key: key.to_owned(),
            bare: bare.as_deref() == Some(key),
            known: true,
        })
    }

    /// The id a row of this source is stored under.
    pub fn stored<'a>(&self, id: &'a str) -> Cow<'a, str> {
        if self.bare {
            Cow::Borrowed(id)
        } else {
            Cow::Owned(format!("{id} @{}", self.key))
        }
    }

    /// The id as the user knows it, from the id it is stored under.
    pub fn shown(&self, stored: String) -> String {
        if self.bare {
            return stored;
        }
        match stored.strip_suffix(self.key.as_str()) {
            Some(rest) if rest.ends_with(" @") => rest[..rest.len() - 2].to_owned(),
            _ => stored,
        }
    }

    /// `alert:<id>` or `followup:<id>` as stored.
    pub fn stored_target(&self, target: &str) -> String {
        match target.split_once(':') {
            Some((kind, id)) => format!("{kind}:{}", self.stored(id)),
            None => target.to_owned(),
        }
    }

    /// The condition confining a query to this source's rows, with `?N` as the key's
    /// parameter; always true (the parameter still used, so the query takes the same
    /// parameters) when the database does not know sources.
    pub fn filter(&self, column: &str, n: usize) -> String {
        if self.known {
            format!("{column} = ?{n}")
        } else {
            format!("?{n} IS NOT NULL")
        }
    }

    /// Whether the database keeps rows per source.
    pub fn known(&self) -> bool {
        self.known
    }
}

/// The source that keeps bare ids when a database learns about sources: the rows
/// there before were triaged on it. That is the one PostHog project the database holds
/// snapshots of, if there is exactly one (its triage is the one worth keeping); else
/// the demo, where a database that never saw PostHog was most likely used. A file
/// source can take those rows on with `--triage-of demo`.
pub fn legacy_source(conn: &Connection) -> rusqlite::Result<String> {
    let projects: Vec<String> = conn
        .prepare("SELECT DISTINCT source FROM snapshots WHERE source LIKE 'posthog %' LIMIT 2")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match projects.as_slice() {
        [one] => one.clone(),
        _ => DEMO.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(key: &str, bare: bool) -> Scope {
        Scope {
            key: key.into(),
            bare,
            known: true,
        }
    }

    #[test]
    fn stored_ids_name_their_source_and_read_back() {
        let s = scope("file /data/x.jsonl", false);
        let stored = s.stored("deliverability_trend:acme@corp:2026-11");
        assert_eq!(
            stored,
            "deliverability_trend:acme@corp:2026-11 @file /data/x.jsonl"
        );
        assert_eq!(
            s.shown(stored.into_owned()),
            "deliverability_trend:acme@corp:2026-11"
        );
        assert_eq!(
            s.stored_target("alert:a:b"),
            "alert:a:b @file /data/x.jsonl"
        );
        let bare = scope(DEMO, true);
        assert_eq!(bare.stored("a:b"), "a:b");
        assert_eq!(bare.shown("a:b".into()), "a:b");
        // Another source's id is never taken for this one's.
        assert_eq!(s.shown("a:b @demo".into()), "a:b @demo");
    }
}
