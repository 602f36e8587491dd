//! PostHog's answers to a query, as read: the rows, and what PostHog says about them
//! (from its cache or not, when computed, in which zone), or the status of an async
//! query still running. Unknown fields are ignored.

use super::client::QueryResult;
use super::error::{PostHogError, shorten};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub(super) struct Answer {
    #[serde(default)]
    pub results: Option<Vec<Vec<Value>>>,
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    #[serde(default)]
    pub query_status: Option<Status>,
    #[serde(default)]
    pub is_cached: Option<bool>,
    #[serde(default)]
    pub last_refresh: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Status {
    pub id: String,
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub error: bool,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub results: Option<Box<Answer>>,
    #[serde(default)]
    pub query_progress: Option<QueryProgress>,
}

#[derive(Deserialize, Default)]
pub(super) struct QueryProgress {
    #[serde(default)]
    pub rows_read: u64,
    #[serde(default)]
    pub estimated_rows_total: u64,
    #[serde(default)]
    pub time_elapsed: u64,
}

pub(super) fn parse_answer(bytes: &[u8]) -> Result<QueryResult, PostHogError> {
    let answer: Answer = serde_json::from_slice(bytes).map_err(|e| {
        PostHogError::BadResponse(if e.is_eof() {
            "the answer was cut short".to_owned()
        } else {
            format!("not JSON: {}", shorten(&e.to_string()))
        })
    })?;
    into_result(answer, bytes.len())
}

pub(super) fn into_result(a: Answer, bytes: usize) -> Result<QueryResult, PostHogError> {
    let rows = a
        .results
        .ok_or_else(|| PostHogError::BadResponse("no results in the answer".to_owned()))?;
    Ok(QueryResult {
        columns: a.columns.unwrap_or_default(),
        rows,
        computed_at: a.last_refresh.as_deref().and_then(|t| {
            DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        }),
        cached: a.is_cached.unwrap_or(false),
        timezone: a.timezone,
        bytes,
    })
}
