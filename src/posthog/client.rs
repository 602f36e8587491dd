//! The query client: HogQL over PostHog's query API (`POST /api/projects/{id}/query/`, personal API key).
//! A 10 s connect and 90 s total timeout, redirects off (a redirect could carry the
//! key elsewhere), the key as a sensitive header, up to five attempts with full-jitter
//! backoff that honours `Retry-After`, a budget that keeps inside PostHog's limits, and
//! async queries polled with progress and cancelled when bearing stops waiting.

use super::answer::{Answer, Status, into_result, parse_answer};
use super::backoff::Jitter;
#[cfg(test)]
use super::backoff::{BACKOFF_BASE, BACKOFF_CAP};
use super::budget::Budget;
use super::error::{PostHogError, from_reqwest, from_status, shorten};
use super::inflight::{Cancel, CancelOnDrop, InFlight};
use super::key::ApiKey;
use super::redact::Redactor;
use super::settings::{MAX_CONCURRENT, PostHogSettings, QueryMode};
use chrono::{DateTime, Utc};
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(90);
/// How long bearing waits for an async query: past PostHog's own limit for async
/// queries (600 s), so PostHog, not bearing, says when one ran too long.
pub const ASYNC_DEADLINE: Duration = Duration::from_secs(660);
pub const ATTEMPTS: u32 = 5;
/// A `Retry-After` longer than this is not waited out inside one refresh.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(30);

/// One HogQL query: its name in PostHog's query log, its text, and the values of its
/// `{placeholders}` (user-controlled text never goes into the text itself).
#[derive(Clone, Debug, PartialEq)]
pub struct HogQl {
    pub name: String,
    pub text: String,
    pub values: Map<String, Value>,
}

/// Whether an answer from PostHog's cache will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// PostHog may answer from its cache while that is not stale (a start, a page).
    Cached,
    /// Computed now: the analyst asked for fresh data (`R`, `report`).
    Fresh,
}

/// A query's answer: rows of JSON values under their column names. Kept as it came
/// (serialised) in the store's offline snapshots.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, Deserialize)]
pub struct QueryResult {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// When PostHog computed the answer (`last_refresh`): earlier than its arrival
    /// when it came from PostHog's cache.
    #[serde(default)]
    pub computed_at: Option<DateTime<Utc>>,
    /// PostHog answered from its cache.
    #[serde(default)]
    pub cached: bool,
    /// The project's time zone, which every answer names.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Bytes of the answer as received.
    #[serde(skip)]
    pub bytes: usize,
}

/// What a query is doing, for the cockpit's status line.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// Waiting before attempt `attempt` after a transient failure.
    Retrying {
        attempt: u32,
        wait: Duration,
        reason: String,
    },
    /// An async query is running in PostHog.
    Running {
        rows_read: u64,
        rows_total: u64,
        elapsed: Duration,
    },
}

pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

pub struct Client {
    http: reqwest::Client,
    base: String,
    host: String,
    auth: HeaderValue,
    /// Cuts the key out of everything read back: a server may echo the header.
    redact: Redactor,
    mode: QueryMode,
    budget: Arc<Budget>,
    attempts: u32,
    /// The async queries it runs in PostHog, and the tasks that wait for them.
    in_flight: InFlight,
    /// Queries that hit PostHog's time limit for blocking queries: they run async from
    /// then on, where PostHog allows longer.
    slow: Mutex<HashSet<String>>,
}

/// reqwest is built without a TLS crypto provider of its own; ring is installed once.
fn tls_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means a provider is already installed, which is all that is needed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Client {
    pub fn new(settings: &PostHogSettings, key: &ApiKey) -> Result<Client, PostHogError> {
        let missing = settings.missing();
        let (Some(base), Some(host)) = (settings.api_base(), settings.host.clone()) else {
            return Err(PostHogError::NotConfigured(missing.join(", ")));
        };
        // The key travels in a header: in clear text only to this machine, or where
        // the analyst said the network is theirs.
        settings.check_transport().map_err(PostHogError::Insecure)?;
        let auth = key.bearer().map_err(|e| PostHogError::Key(e.to_string()))?;
        tls_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("bearing/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| PostHogError::Unreachable {
                host: host.clone(),
                reason: shorten(&e.to_string()),
            })?;
        Ok(Client {
            http,
            base,
            host,
            auth,
            redact: key.redactor(),
            mode: settings.mode,
            budget: Arc::new(Budget::new(settings.queries_per_hour, MAX_CONCURRENT)),
            attempts: ATTEMPTS,
            in_flight: InFlight::default(),
            slow: Mutex::default(),
        })
    }

    /// At most `n` attempts per query (`bearing doctor` wants the first answer).
    pub fn with_attempts(mut self, n: u32) -> Client {
        self.attempts = n.max(1);
        self
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// What this client has under way, to run tasks beside it and to end them all.
    pub fn in_flight(&self) -> &InFlight {
        &self.in_flight
    }

    /// Runs a query, retrying what is worth retrying; PostHog may answer from its cache.
    pub async fn query(
        &self,
        q: &HogQl,
        progress: OnProgress<'_>,
    ) -> Result<QueryResult, PostHogError> {
        self.query_with(q, Freshness::Cached, progress).await
    }

    /// Runs a query, retrying what is worth retrying. A blocking query that hits
    /// PostHog's time limit is sent again at once as an async query (PostHog gives
    /// those longer), and that query stays async.
    pub async fn query_with(
        &self,
        q: &HogQl,
        fresh: Freshness,
        progress: OnProgress<'_>,
    ) -> Result<QueryResult, PostHogError> {
        let _slot = self.budget.slot().await.ok_or(PostHogError::Cancelled)?;
        let mut attempt = 1;
        let mut rng = Jitter::seeded();
        // The question for the project's zone reads nothing: blocking, whatever the
        // mode, so that it never runs on in PostHog for a cancel to chase.
        let mut mode = if q.name == super::fetch::ZONE_QUERY {
            QueryMode::Blocking
        } else if self.is_slow(&q.name) {
            QueryMode::Async
        } else {
            self.mode
        };
        loop {
            let started = Instant::now();
            // Decoded text can hold the key where the bytes did not (a JSON escape),
            // so each error is redacted again before it is logged, shown or retried.
            let result = self
                .attempt(q, mode, fresh, progress)
                .await
                .map_err(|e| e.map_text(|t| self.redact.text(t).into_owned()));
            match &result {
                Ok(r) => tracing::debug!(
                    query = %q.name,
                    rows = r.rows.len(),
                    bytes = r.bytes,
                    cached = r.cached,
                    ms = started.elapsed().as_millis() as u64,
                    "query answered"
                ),
                Err(e) => tracing::warn!(query = %q.name, attempt, error = %e, "query failed"),
            }
            let err = match result {
                Ok(r) => return Ok(r),
                Err(PostHogError::TooSlow { .. })
                    if mode == QueryMode::Blocking && attempt < self.attempts =>
                {
                    self.slow
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(q.name.clone());
                    mode = QueryMode::Async;
                    attempt += 1;
                    continue;
                }
                Err(e) if !e.is_transient() || attempt >= self.attempts => return Err(e),
                Err(e) => e,
            };
            let wait = match &err {
                PostHogError::Throttled {
                    retry_after: Some(s),
                } => Duration::from_secs(*s).min(RETRY_AFTER_CAP),
                _ => rng.backoff(attempt),
            };
            attempt += 1;
            progress(Progress::Retrying {
                attempt,
                wait,
                reason: err.to_string(),
            });
            tokio::time::sleep(wait).await;
        }
    }

    fn is_slow(&self, name: &str) -> bool {
        self.slow
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(name)
    }

    async fn attempt(
        &self,
        q: &HogQl,
        mode: QueryMode,
        fresh: Freshness,
        progress: OnProgress<'_>,
    ) -> Result<QueryResult, PostHogError> {
        if let Err(wait) = self.budget.take(Instant::now()) {
            return Err(PostHogError::Budget {
                per_hour: self.budget.per_hour(),
                wait_min: wait.as_secs().div_ceil(60),
            });
        }
        let refresh = match (mode, fresh) {
            (QueryMode::Blocking, Freshness::Cached) => "blocking",
            (QueryMode::Blocking, Freshness::Fresh) => "force_blocking",
            (QueryMode::Async, Freshness::Cached) => "async",
            (QueryMode::Async, Freshness::Fresh) => "force_async",
        };
        let id = client_query_id();
        let body = serde_json::json!({
            // Warehouse DateTimes (the subscriptions' current_period_start) in UTC, as
            // bearing reads every time; PostHog would convert them to the project's zone.
            "query": {"kind": "HogQLQuery", "query": q.text, "values": q.values,
                      "modifiers": {"convertToProjectTimezone": false}},
            "name": q.name,
            "refresh": refresh,
            "client_query_id": id,
        });
        // PostHog runs an async query under our id from the moment the request lands,
        // which can be before its answer reaches us: it is noted as running now, so a
        // quit while the answer is on its way still cancels it.
        let guard = (mode == QueryMode::Async).then(|| self.in_flight.running(self.cancel(&id)));
        let values = Value::Object(q.values.clone());
        tracing::trace!(query = %q.name, hogql = %q.text, values = %values, "sending query");
        let url = format!("{}/query/", self.base);
        let resp = self
            .http
            .post(&url)
            .header(AUTHORIZATION, self.auth.clone())
            .json(&body)
            .send()
            .await
            .map_err(|e| from_reqwest(&e, &self.host, TOTAL_TIMEOUT))?;
        let (status, retry_after, bytes) = self.read(resp).await?;
        match (status, guard) {
            (202, guard) => {
                let answer: Answer = serde_json::from_slice(&bytes)
                    .map_err(|e| PostHogError::BadResponse(shorten(&e.to_string())))?;
                let status = answer.query_status.ok_or_else(|| {
                    PostHogError::BadResponse("202 without a query status".to_owned())
                })?;
                let guard = match guard {
                    // A PostHog that predates client ids names the query itself.
                    Some(g) if status.id != id => {
                        g.retarget(self.cancel(&status.id));
                        g
                    }
                    Some(g) => g,
                    // A blocking query PostHog chose to run async all the same.
                    None => self.in_flight.running(self.cancel(&status.id)),
                };
                self.poll(q, status, guard, progress).await
            }
            (s, guard) => {
                // Answered (or refused) at once: nothing runs on in PostHog.
                guard.inspect(|g| g.disarm());
                match s {
                    200 => parse_answer(&bytes).map(|r| self.redacted(r)),
                    s => Err(from_status(s, &bytes, &q.name, retry_after)),
                }
            }
        }
    }

    async fn read(
        &self,
        resp: reqwest::Response,
    ) -> Result<(u16, Option<Duration>, Vec<u8>), PostHogError> {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| from_reqwest(&e, &self.host, TOTAL_TIMEOUT))?;
        Ok((status, retry_after, self.redact.bytes(bytes.to_vec())))
    }

    /// An answer's decoded strings, redacted like its bytes were.
    fn redacted(&self, mut r: QueryResult) -> QueryResult {
        r.columns = r
            .columns
            .iter()
            .map(|c| self.redact.text(c).into_owned())
            .collect();
        r.rows
            .iter_mut()
            .flatten()
            .for_each(|v| self.redact.value(v));
        r
    }

    /// What stops the query PostHog runs under `id`.
    fn cancel(&self, id: &str) -> Cancel {
        Cancel {
            http: self.http.clone(),
            url: format!("{}/query/{id}/", self.base),
            auth: self.auth.clone(),
        }
    }

    /// Polls an async query until it completes; dropping the future (or the guard)
    /// cancels it.
    async fn poll(
        &self,
        q: &HogQl,
        mut status: Status,
        guard: CancelOnDrop,
        progress: OnProgress<'_>,
    ) -> Result<QueryResult, PostHogError> {
        // Progress is sent only when asked for.
        let url = format!("{}/query/{}/?show_progress=true", self.base, status.id);
        let mut interval = Duration::from_millis(200);
        let deadline = Instant::now() + ASYNC_DEADLINE;
        loop {
            if status.complete {
                guard.disarm();
                if status.error {
                    return Err(PostHogError::QueryFailed {
                        name: q.name.clone(),
                        detail: shorten(status.error_message.as_deref().unwrap_or("no reason")),
                    });
                }
                let answer = status.results.ok_or_else(|| {
                    PostHogError::BadResponse("a finished query without results".to_owned())
                })?;
                return into_result(*answer, 0).map(|r| self.redacted(r));
            }
            if let Some(p) = &status.query_progress {
                progress(Progress::Running {
                    rows_read: p.rows_read,
                    rows_total: p.estimated_rows_total,
                    elapsed: Duration::from_millis(p.time_elapsed),
                });
            }
            if Instant::now() >= deadline {
                return Err(PostHogError::Timeout(ASYNC_DEADLINE.as_secs()));
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(Duration::from_secs(2));
            let resp = self
                .http
                .get(&url)
                .header(AUTHORIZATION, self.auth.clone())
                .send()
                .await
                .map_err(|e| from_reqwest(&e, &self.host, TOTAL_TIMEOUT))?;
            let (code, retry_after, bytes) = self.read(resp).await?;
            // A status that is complete with an error is final, whatever the code
            // (400 when PostHog can say why, 500 when it cannot).
            let status_body = serde_json::from_slice::<Answer>(&bytes)
                .ok()
                .filter(|a| a.query_status.is_some());
            match code {
                500 if status_body.is_some() => {
                    status = status_body
                        .and_then(|a| a.query_status)
                        .ok_or_else(|| PostHogError::BadResponse("no query status".to_owned()))?;
                    status.complete = true;
                    status.error = true;
                }
                200 | 202 | 400 => {
                    let answer: Answer = serde_json::from_slice(&bytes)
                        .map_err(|e| PostHogError::BadResponse(shorten(&e.to_string())))?;
                    status = answer
                        .query_status
                        .ok_or_else(|| PostHogError::BadResponse("no query status".to_owned()))?;
                    if code == 400 && !status.complete {
                        status.complete = true;
                        status.error = true;
                    }
                }
                c => return Err(from_status(c, &bytes, &q.name, retry_after)),
            }
        }
    }
}

/// A name for one attempt at one query, never reused: PostHog runs an async query
/// under it (so bearing knows what to cancel before the answer arrives), and would
/// answer a reused one with the status it still keeps for the old query.
fn client_query_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    format!("{nanos:016x}{:08x}{n:08x}", std::process::id())
}

#[cfg(test)]
#[path = "client_tests.rs"]
pub(super) mod tests;
