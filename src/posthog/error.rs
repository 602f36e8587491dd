//! What can go wrong talking to PostHog, as short messages an analyst can act on.
//! PostHog's own error bodies (`{"type","code","detail","attr"}`) supply the detail;
//! it is sanitised and shortened, and no message ever holds the key: the client
//! redacts what it reads, and every text shortened here loses its `phx_…` tokens.

use super::redact;
use crate::domain::sanitize::sanitize;
use serde::Deserialize;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PostHogError {
    #[error("PostHog is not configured: missing {0}")]
    NotConfigured(String),
    #[error("{0}")]
    Key(String),
    /// The host would carry the key where others can read it.
    #[error("{0}")]
    Insecure(String),
    #[error("cannot reach PostHog at {host}: {reason}")]
    Unreachable { host: String, reason: String },
    #[error("PostHog did not answer within {0} s")]
    Timeout(u64),
    #[error(
        "PostHog refused the personal API key (401{detail}); check it, or create one with the query:read scope"
    )]
    Unauthorized { detail: String },
    #[error("PostHog denied access (403{detail}); the key needs query:read on this project")]
    Forbidden { detail: String },
    #[error("no such project at PostHog (404); check project_id and path_prefix")]
    NotFound,
    /// PostHog's rate limit names its wait (`Retry-After`); its concurrency limiter
    /// does not.
    #[error("PostHog is rate-limiting bearing (429){}", retry_after.map_or_else(|| "; too many queries at once".to_owned(), |s| format!("; try again in {s} s")))]
    Throttled { retry_after: Option<u64> },
    /// PostHog stopped the query at its execution time limit: sending it again as it is
    /// would only hit the limit again.
    #[error("PostHog stopped the query {name} at its time limit: {detail}")]
    TooSlow { name: String, detail: String },
    #[error("PostHog rejected the query {name} (400): {detail}")]
    BadQuery { name: String, detail: String },
    #[error("PostHog failed ({status}{detail}); bearing retried and gave up")]
    Server { status: u16, detail: String },
    #[error("PostHog's answer was not readable ({0})")]
    BadResponse(String),
    #[error("PostHog's query {name} failed: {detail}")]
    QueryFailed { name: String, detail: String },
    #[error(
        "bearing's PostHog budget of {per_hour} queries an hour is spent; the next is free in {wait_min} min"
    )]
    Budget { per_hour: u32, wait_min: u64 },
    #[error("cancelled")]
    Cancelled,
}

impl PostHogError {
    /// Worth another attempt: the network, PostHog's load, a garbled answer. Not a
    /// timeout: the same query would take as long again.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PostHogError::Unreachable { .. }
                | PostHogError::Throttled { .. }
                | PostHogError::Server { .. }
                | PostHogError::BadResponse(_)
        )
    }

    /// The same error with `f` applied to every text in it. Matched in full, so that a
    /// new variant's text cannot miss the client's redaction.
    pub fn map_text(self, f: impl Fn(&str) -> String) -> PostHogError {
        use PostHogError as E;
        match self {
            E::NotConfigured(s) => E::NotConfigured(f(&s)),
            E::Key(s) => E::Key(f(&s)),
            E::Insecure(s) => E::Insecure(f(&s)),
            E::Unreachable { host, reason } => E::Unreachable {
                host: f(&host),
                reason: f(&reason),
            },
            E::Unauthorized { detail } => E::Unauthorized { detail: f(&detail) },
            E::Forbidden { detail } => E::Forbidden { detail: f(&detail) },
            E::BadQuery { name, detail } => E::BadQuery {
                name: f(&name),
                detail: f(&detail),
            },
            E::Server { status, detail } => E::Server {
                status,
                detail: f(&detail),
            },
            E::BadResponse(s) => E::BadResponse(f(&s)),
            E::QueryFailed { name, detail } => E::QueryFailed {
                name: f(&name),
                detail: f(&detail),
            },
            E::TooSlow { name, detail } => E::TooSlow {
                name: f(&name),
                detail: f(&detail),
            },
            E::Timeout(_) | E::NotFound | E::Throttled { .. } | E::Budget { .. } | E::Cancelled => {
                self
            }
        }
    }

    /// Whether PostHog could not be reached at all (the cockpit then says OFFLINE).
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            PostHogError::Unreachable { .. } | PostHogError::Timeout(_)
        )
    }
}

#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// At most this many characters of PostHog's detail reach the screen.
const DETAIL_CHARS: usize = 160;

/// PostHog's `detail`, sanitised and cut short; empty when the body has none.
pub fn detail_of(body: &[u8]) -> String {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let text = parsed
        .detail
        .or(parsed.code)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    shorten(&text)
}

pub fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = sanitize(&redact::tokens(&one_line)).into_owned();
    if clean.chars().count() > DETAIL_CHARS {
        let cut: String = clean.chars().take(DETAIL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        clean
    }
}

/// The error for an HTTP status, with PostHog's body.
pub fn from_status(
    status: u16,
    body: &[u8],
    name: &str,
    retry_after: Option<Duration>,
) -> PostHogError {
    let detail = detail_of(body);
    let with = |d: &str| {
        if d.is_empty() {
            String::new()
        } else {
            format!(": {d}")
        }
    };
    if (status == 400 || status >= 500) && is_time_limit(body, &detail) {
        return PostHogError::TooSlow {
            name: name.to_owned(),
            detail,
        };
    }
    match status {
        400 => PostHogError::BadQuery {
            name: name.to_owned(),
            detail: if detail.is_empty() {
                "no reason given".to_owned()
            } else {
                detail
            },
        },
        401 => PostHogError::Unauthorized {
            detail: with(&detail),
        },
        403 => PostHogError::Forbidden {
            detail: with(&detail),
        },
        404 => PostHogError::NotFound,
        429 => PostHogError::Throttled {
            retry_after: retry_after.map(|d| d.as_secs().max(1)),
        },
        _ => PostHogError::Server {
            status,
            detail: with(&detail),
        },
    }
}

/// Whether an error body says the query ran past PostHog's execution time limit:
/// ClickHouse's TIMEOUT_EXCEEDED (code 159), as PostHog passes it on.
fn is_time_limit(body: &[u8], detail: &str) -> bool {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let code = parsed.code.unwrap_or_default().to_ascii_lowercase();
    let d = detail.to_ascii_lowercase();
    code.contains("timeout")
        || code == "159"
        || d.contains("timeout_exceeded")
        || d.contains("max execution time")
        || d.contains("maximum execution time")
        || d.contains("timeout exceeded")
        || d.contains("query timed out")
}

/// reqwest's error as a reason without URLs or internals.
pub fn from_reqwest(e: &reqwest::Error, host: &str, timeout: Duration) -> PostHogError {
    if e.is_timeout() {
        return PostHogError::Timeout(timeout.as_secs());
    }
    let reason = if e.is_connect() {
        let chain = error_chain(e);
        if chain.contains("refused") {
            "connection refused".to_owned()
        } else if chain.contains("dns") || chain.contains("resolve") {
            "the host name does not resolve".to_owned()
        } else if chain.contains("certificate") || chain.contains("tls") {
            "TLS failed (certificate?)".to_owned()
        } else {
            "could not connect".to_owned()
        }
    } else if e.is_body() || e.is_decode() {
        return PostHogError::BadResponse("the connection dropped mid-answer".to_owned());
    } else {
        "the connection dropped".to_owned()
    };
    PostHogError::Unreachable {
        host: host.to_owned(),
        reason,
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string().to_ascii_lowercase();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(' ');
        out.push_str(&s.to_string().to_ascii_lowercase());
        cur = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posthog_bodies_become_short_messages() {
        let body = br#"{"type":"validation_error","code":"invalid","detail":"Unknown function 'foo'\u001b[2J","attr":"query"}"#;
        let e = from_status(400, body, "bearing_revenue", None);
        assert_eq!(
            e.to_string(),
            "PostHog rejected the query bearing_revenue (400): Unknown function 'foo'\\x1b[2J"
        );
        let e = from_status(429, b"{}", "q", Some(Duration::from_secs(7)));
        assert_eq!(
            e,
            PostHogError::Throttled {
                retry_after: Some(7)
            }
        );
        assert!(e.is_transient());
        let e = from_status(
            401,
            br#"{"detail":"Personal API key found in request Authorization header is invalid."}"#,
            "q",
            None,
        );
        assert!(
            e.to_string()
                .starts_with("PostHog refused the personal API key (401: Personal")
        );
        assert!(!e.is_transient());
        let long = "x".repeat(500);
        assert_eq!(shorten(&long).chars().count(), DETAIL_CHARS);
        // A decoded detail (the client redacted the bytes) still loses any key.
        let e = from_status(
            401,
            br#"{"detail":"\u0070hx_0therKey42 is invalid"}"#,
            "q",
            None,
        );
        assert!(
            e.to_string().contains("(401: [redacted key] is invalid)"),
            "{e}"
        );
        // A query that ran too long would run as long again: neither is retried.
        assert!(!PostHogError::Timeout(90).is_transient());
        let e = from_status(
            400,
            br#"{"code":"timeout_exceeded","detail":"Query exceeds max execution time"}"#,
            "q",
            None,
        );
        assert!(
            matches!(e, PostHogError::TooSlow { .. }) && !e.is_transient(),
            "{e:?}"
        );
        let e = from_status(502, b"<html>bad gateway</html>", "q", None);
        assert_eq!(
            e.to_string(),
            "PostHog failed (502: <html>bad gateway</html>); bearing retried and gave up"
        );
    }
}
