//! Offline snapshots of PostHog answers, one per (source, pane query, period). The
//! source is the host and project, never the key; the period is `PeriodSpec`'s
//! `Display` text (`90d`, `2026-11`), which its parser reads back, never its `Debug`.

use super::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub part: String,
    pub today: NaiveDate,
    pub fetched_at: DateTime<Utc>,
    /// The answer as JSON: `{"columns": [...], "rows": [[...]]}`.
    pub body: String,
}

impl Store {
    /// Keeps the latest answer; refused quietly on a read-only store (a cache is not
    /// worth failing for).
    pub fn save_snapshot(
        &self,
        source: &str,
        period: &str,
        s: &Snapshot,
    ) -> Result<(), StoreError> {
        if self.read_only().is_some() {
            return Ok(());
        }
        self.conn()
            .execute(
                "INSERT INTO snapshots (source, part, period, today, fetched_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (source, part, period) DO UPDATE SET
                   today = excluded.today, fetched_at = excluded.fetched_at, body = excluded.body",
                params![
                    source,
                    s.part,
                    period,
                    s.today.to_string(),
                    s.fetched_at.to_rfc3339(),
                    s.body
                ],
            )
            .map_err(StoreError::Db)?;
        Ok(())
    }

    /// Every pane's latest snapshot for a source and period.
    pub fn snapshots(&self, source: &str, period: &str) -> Result<Vec<Snapshot>, StoreError> {
        let db = StoreError::Db;
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT part, today, fetched_at, body FROM snapshots
                 WHERE source = ?1 AND period = ?2 ORDER BY part",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![source, period], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .filter_map(|(part, today, at, body)| {
                Some(Snapshot {
                    part,
                    today: today.parse().ok()?,
                    fetched_at: DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc),
                    body,
                })
            })
            .collect())
    }
}
