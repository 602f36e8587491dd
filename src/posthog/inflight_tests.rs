//! The shutdown seen from PostHog's side: a tiny local server runs every async query
//! for ever and notes each request, so a test can see that an abandoned query's
//! DELETE arrived before `shutdown` returned, whichever way bearing was ending.

use super::*;
use crate::posthog::client::{Client, HogQl};
use crate::posthog::key::ApiKey;
use crate::posthog::settings::{KeySource, PostHogSettings, QueryMode};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// A PostHog whose async queries never finish: every POST and GET answers 202 with
/// query `q1` still running, every DELETE 204. Each request line is noted before the
/// answer goes out.
fn endless_posthog() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(&mut stream);
            let (mut line, mut length) = (String::new(), 0usize);
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let request = line.trim_end().to_owned();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim_end().is_empty() {
                    break;
                }
                if let Some((name, value)) = h.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (status, body) = if request.starts_with("DELETE ") {
                (204, "")
            } else {
                (202, r#"{"query_status":{"id":"q1","complete":false}}"#)
            };
            log.lock().unwrap().push(request);
            let head = format!(
                "HTTP/1.1 {status} Canned\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    (base, seen)
}

fn async_client(base: &str) -> Arc<Client> {
    let key = ApiKey::new("phx_local_test_key").unwrap();
    let settings = PostHogSettings {
        host: Some(base.to_owned()),
        project_id: Some("1".into()),
        key: Some(KeySource::Inline {
            key: key.clone(),
            from: "a test".into(),
        }),
        mode: QueryMode::Async,
        ..PostHogSettings::default()
    };
    Arc::new(Client::new(&settings, &key).unwrap())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Starts one query as the cockpit does and drives the runtime until PostHog runs it.
fn query_running_in_posthog(rt: &tokio::runtime::Runtime, client: &Arc<Client>) {
    let c = Arc::clone(client);
    rt.block_on(async {
        client.in_flight().spawn(async move {
            let q = HogQl {
                name: "endless".into(),
                text: "SELECT 1".into(),
                values: serde_json::Map::new(),
            };
            let _ = c.query(&q, &|_| {}).await;
        });
        while client.in_flight().running_count() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

fn deletes(seen: &Mutex<Vec<String>>) -> Vec<String> {
    let seen = seen.lock().unwrap();
    seen.iter()
        .filter(|r| r.starts_with("DELETE "))
        .cloned()
        .collect()
}

#[test]
fn a_query_abandoned_at_quit_is_cancelled_before_shutdown_returns() {
    let (base, seen) = endless_posthog();
    let client = async_client(&base);
    let rt = runtime();
    query_running_in_posthog(&rt, &client);
    assert!(deletes(&seen).is_empty());
    // As the loop ends: the shutdown runs beside the runtime, which keeps going.
    let in_flight = client.in_flight().clone();
    rt.block_on(async {
        tokio::task::spawn_blocking(move || in_flight.shutdown(Duration::from_secs(2)))
            .await
            .unwrap();
    });
    let sent = deletes(&seen);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("/query/q1/"), "{sent:?}");
    assert_eq!(client.in_flight().running_count(), 0);
}

#[test]
fn a_query_abandoned_when_the_terminal_vanished_is_cancelled_with_the_runtime_stuck() {
    let (base, seen) = endless_posthog();
    let client = async_client(&base);
    let rt = runtime();
    query_running_in_posthog(&rt, &client);
    // As the watchdog does: from its own thread, while nothing drives the runtime.
    client.in_flight().shutdown(Duration::from_secs(2));
    let sent = deletes(&seen);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("/query/q1/"), "{sent:?}");
    // The aborted task, dropped with the runtime, asks for nothing more.
    drop(rt);
    assert_eq!(deletes(&seen).len(), 1);
}

#[test]
fn nothing_starts_after_a_shutdown() {
    let in_flight = InFlight::default();
    in_flight.shutdown(Duration::from_millis(10));
    let rt = runtime();
    let ran = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&ran);
    rt.block_on(async {
        in_flight.spawn(async move { *flag.lock().unwrap() = true });
        tokio::task::yield_now().await;
    });
    assert!(!*ran.lock().unwrap());
}
