//! The client's retries, tested against the real thing: the jitter's spread, and a
//! tiny local HTTP server that notes when each request arrives, so that waiting out
//! `Retry-After` and stopping after five attempts are seen from PostHog's side.

use super::*;
use crate::posthog::settings::KeySource;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;

#[test]
fn backoff_spreads_over_its_whole_range_and_is_capped() {
    // A fixed seed: the draws are the same on every run, so this cannot flake.
    let mut j = Jitter::from_seed(0x5EED_1234_ABCD_0001);
    let samples = 2_000;
    for attempt in 1..=8 {
        let ceiling = (BACKOFF_BASE * (1 << attempt)).min(BACKOFF_CAP);
        let waits: Vec<Duration> = (0..samples).map(|_| j.backoff(attempt)).collect();
        assert!(waits.iter().all(|w| *w <= ceiling), "attempt {attempt}");
        // Full jitter is uniform on [0, ceiling]: three quarters of the draws lie above
        // a quarter of it. A constant, or a wait of zero, lands far from that.
        let above = waits.iter().filter(|w| **w > ceiling / 4).count();
        assert!(
            above * 100 >= samples * 65,
            "attempt {attempt}: only {above} of {samples} waits above {:?}",
            ceiling / 4
        );
        let (min, max) = (waits.iter().min(), waits.iter().max());
        let (Some(&min), Some(&max)) = (min, max) else {
            panic!("no waits drawn")
        };
        assert!(min <= ceiling / 20, "attempt {attempt}: shortest {min:?}");
        assert!(
            max >= ceiling * 19 / 20,
            "attempt {attempt}: longest {max:?}"
        );
        let mut distinct = waits.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 100, "attempt {attempt}: {distinct:?}");
    }
}

#[test]
fn answers_are_read_leniently_and_damage_is_named() {
    let ok = br#"{"results":[[1,"a"]],"columns":["n","s"],"types":[],"unknown":{"x":1}}"#;
    let r = parse_answer(ok).unwrap();
    assert_eq!(r.columns, ["n", "s"]);
    assert_eq!(r.rows.len(), 1);
    let cut = &ok[..ok.len() / 2];
    assert_eq!(
        parse_answer(cut).unwrap_err(),
        PostHogError::BadResponse("the answer was cut short".into())
    );
    let e = parse_answer(b"{\"results\": [}\x00 not json").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("PostHog's answer was not readable (not JSON"),
        "{e}"
    );
}

/// One canned HTTP answer.
struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
}

/// A local HTTP/1.1 server on a free port, one connection at a time: the n-th request
/// gets the n-th canned answer (the last one once they run out), and the time each
/// request arrived is kept. Its thread ends with the test process.
struct Server {
    base: String,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    /// Each request's line and body, in order.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(answers: Vec<Canned>) -> Server {
        assert!(!answers.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (seen, log) = (Arc::clone(&arrivals), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                log.lock().unwrap().push(request);
                let n = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(Instant::now());
                    seen.len()
                };
                let canned = &answers[(n - 1).min(answers.len() - 1)];
                let mut head = format!(
                    "HTTP/1.1 {} Canned\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    canned.status,
                    canned.body.len()
                );
                for (name, value) in &canned.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(canned.body.as_bytes());
            }
        });
        Server {
            base,
            arrivals,
            requests,
        }
    }

    /// The `refresh` mode of each request that had one.
    fn refresh_modes(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter_map(|r| {
                let body = r.split_once("\n\n")?.1;
                let v: Value = serde_json::from_str(body).ok()?;
                v["refresh"].as_str().map(str::to_owned)
            })
            .collect()
    }

    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().unwrap().clone()
    }
}

/// Reads one request off the connection: its request line, a blank line and its body;
/// None if it broke off.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    let mut first = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        first.get_or_insert_with(|| line.to_owned());
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(format!(
        "{}\n\n{}",
        first.unwrap_or_default(),
        String::from_utf8_lossy(&body)
    ))
}

/// A client of the PostHog at `base` (a local test server), querying in `mode`.
pub(in crate::posthog) fn client(base: &str, mode: QueryMode) -> Client {
    let key = ApiKey::new("phx_local_test_key").unwrap();
    let settings = PostHogSettings {
        host: Some(base.to_owned()),
        project_id: Some("1".into()),
        key: Some(KeySource::Inline {
            key: key.clone(),
            from: "a test".into(),
        }),
        mode,
        ..PostHogSettings::default()
    };
    // The default budget (100 queries an hour) is far above the few requests here.
    Client::new(&settings, &key).unwrap()
}

/// Runs one query against `base`, with the progress it reported.
fn query(base: &str) -> (Result<QueryResult, PostHogError>, Vec<Progress>) {
    query_on(&client(base, QueryMode::Blocking), Freshness::Cached)
}

/// Runs one query with `client`, with the progress it reported.
fn query_on(
    client: &Client,
    fresh: Freshness,
) -> (Result<QueryResult, PostHogError>, Vec<Progress>) {
    let seen = Mutex::new(Vec::new());
    let q = HogQl {
        name: "retry_test".into(),
        text: "SELECT 7".into(),
        values: Map::new(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(client.query_with(&q, fresh, &|p| seen.lock().unwrap().push(p)));
    (result, seen.into_inner().unwrap())
}

#[test]
fn a_429_is_waited_out_for_its_retry_after_before_the_next_attempt() {
    // Two seconds, not one: a 429 whose Retry-After is not read counts as one second,
    // so only a longer wait shows that the header itself was honoured.
    let server = Server::start(vec![
        Canned {
            status: 429,
            headers: vec![("Retry-After", "2")],
            body: r#"{"detail":"slow down"}"#,
        },
        Canned {
            status: 200,
            headers: Vec::new(),
            body: r#"{"results":[[7]],"columns":["n"]}"#,
        },
    ]);
    let (result, progress) = query(&server.base);
    assert_eq!(result.unwrap().rows, vec![vec![Value::from(7)]]);
    let at = server.arrivals();
    assert_eq!(at.len(), 2, "one 429, then the answer");
    let waited = at[1] - at[0];
    assert!(
        waited >= Duration::from_secs(2),
        "the retry reached PostHog {waited:?} after the 429"
    );
    assert!(
        matches!(
            progress.as_slice(),
            [Progress::Retrying { attempt: 2, wait, .. }] if *wait == Duration::from_secs(2)
        ),
        "{progress:?}"
    );
}

#[test]
fn a_failure_on_every_request_stops_after_exactly_five_attempts() {
    let server = Server::start(vec![Canned {
        status: 500,
        headers: Vec::new(),
        body: r#"{"detail":"boom"}"#,
    }]);
    let (result, progress) = query(&server.base);
    let e = result.unwrap_err();
    assert!(
        matches!(&e, PostHogError::Server { status: 500, .. }),
        "{e}"
    );
    // The query has returned, so no later request can still be on its way.
    assert_eq!(server.arrivals().len(), 5, "requests PostHog received");
    let attempts: Vec<u32> = progress
        .iter()
        .filter_map(|p| match p {
            Progress::Retrying { attempt, .. } => Some(*attempt),
            Progress::Running { .. } => None,
        })
        .collect();
    assert_eq!(attempts, [2, 3, 4, 5]);
}

#[test]
fn every_attempt_is_sent_under_a_new_id() {
    let ids: std::collections::HashSet<String> = (0..1000).map(|_| client_query_id()).collect();
    assert_eq!(ids.len(), 1000);
    assert!(
        ids.iter()
            .all(|i| i.len() == 32 && i.bytes().all(|b| b.is_ascii_hexdigit()))
    );
}

const ANSWER: &str = r#"{"results":[[7]],"columns":["n"]}"#;

/// PostHog's answer when ClickHouse stops a query at max_execution_time.
const TIME_LIMIT: &str = r#"{"type":"validation_error","code":"timeout_exceeded","detail":"Query exceeds max execution time","attr":null}"#;

#[test]
fn a_blocking_query_stopped_at_the_time_limit_goes_async_at_once_and_stays_async() {
    let server = Server::start(vec![
        Canned {
            status: 400,
            headers: Vec::new(),
            body: TIME_LIMIT,
        },
        Canned {
            status: 200,
            headers: Vec::new(),
            body: ANSWER,
        },
    ]);
    let c = client(&server.base, QueryMode::Blocking);
    let (result, progress) = query_on(&c, Freshness::Cached);
    assert_eq!(result.unwrap().rows, vec![vec![Value::from(7)]]);
    assert!(
        progress.is_empty(),
        "no wait before the async attempt: {progress:?}"
    );
    // The next refresh of the same query starts async.
    let (result, _) = query_on(&c, Freshness::Fresh);
    assert!(result.is_ok());
    assert_eq!(server.refresh_modes(), ["blocking", "async", "force_async"]);
}

#[test]
fn a_time_limit_in_async_mode_is_not_sent_again() {
    let server = Server::start(vec![Canned {
        status: 400,
        headers: Vec::new(),
        body: TIME_LIMIT,
    }]);
    let (result, _) = query_on(&client(&server.base, QueryMode::Async), Freshness::Cached);
    assert!(
        matches!(result, Err(PostHogError::TooSlow { .. })),
        "{result:?}"
    );
    assert_eq!(server.refresh_modes(), ["async"]);
}

#[test]
fn fresh_answers_are_forced_and_a_cached_answer_keeps_posthogs_time() {
    let server = Server::start(vec![Canned {
        status: 200,
        headers: Vec::new(),
        body: r#"{"results":[[7]],"columns":["n"],"is_cached":true,"last_refresh":"2026-11-30T09:15:00.123456Z"}"#,
    }]);
    let c = client(&server.base, QueryMode::Blocking);
    let (fresh, _) = query_on(&c, Freshness::Fresh);
    let (cached, _) = query_on(&c, Freshness::Cached);
    assert_eq!(server.refresh_modes(), ["force_blocking", "blocking"]);
    for r in [fresh.unwrap(), cached.unwrap()] {
        assert!(r.cached);
        assert_eq!(
            r.computed_at.map(|t| t.to_rfc3339()),
            Some("2026-11-30T09:15:00.123456+00:00".to_owned())
        );
    }
}

#[test]
fn a_429_without_retry_after_backs_off_with_jitter() {
    let server = Server::start(vec![
        Canned {
            status: 429,
            headers: Vec::new(),
            body: r#"{"type":"throttled_error","code":"throttled","detail":"Request was throttled."}"#,
        },
        Canned {
            status: 200,
            headers: Vec::new(),
            body: ANSWER,
        },
    ]);
    let (result, progress) = query(&server.base);
    assert!(result.is_ok());
    match progress.as_slice() {
        [Progress::Retrying { wait, reason, .. }] => {
            assert!(*wait <= BACKOFF_BASE * 2, "{wait:?}");
            assert!(reason.contains("too many queries at once"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}
