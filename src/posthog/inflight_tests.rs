//! The shutdown seen from PostHog's side: a tiny local server runs every async query
//! for ever and notes each request, so a test can see that an abandoned query's
//! DELETE arrived before `shutdown` returned, whichever way bearing was ending.

use super::*;
use crate::posthog::client::{Client, HogQl};
use crate::posthog::settings::QueryMode;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// How the local PostHog names and answers a new async query.
#[derive(Clone, Copy, PartialEq)]
enum Posts {
    /// As PostHog does: runs it under the request's `client_query_id` and says so.
    UnderTheClientsId,
    /// As a PostHog before client ids: runs it as `q1`.
    AsQ1,
    /// Runs it, but its answer never leaves (a slow link, a quit at the wrong moment).
    Unanswered,
}

/// A PostHog whose async queries never finish: every POST and GET answers 202 with
/// the query still running, every DELETE 204. Each request line is noted (a POST with
/// the id it asked for) before any answer goes out.
fn endless_posthog(posts: Posts) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        // Unanswered requests stay open: a closed one would read as a network error.
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(&mut stream);
            let (mut line, mut length) = (String::new(), 0usize);
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let mut request = line.trim_end().to_owned();
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
            let asked = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|b| b["client_query_id"].as_str().map(str::to_owned));
            if let Some(id) = &asked {
                request = format!("{request} client_query_id={id}");
            }
            let id = match posts {
                Posts::AsQ1 => "q1".to_owned(),
                _ => asked.unwrap_or_else(|| "q1".to_owned()),
            };
            let (status, body) = if request.starts_with("DELETE ") {
                (204, String::new())
            } else {
                (
                    202,
                    format!(r#"{{"query_status":{{"id":"{id}","complete":false}}}}"#),
                )
            };
            log.lock().unwrap().push(request.clone());
            if posts == Posts::Unanswered && request.starts_with("POST ") {
                held.push(stream);
                continue;
            }
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
    Arc::new(crate::posthog::client::tests::client(
        base,
        QueryMode::Async,
    ))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Starts one query as the cockpit does and drives the runtime until PostHog has it;
/// returns the id the query was sent with.
fn query_running_in_posthog(
    rt: &tokio::runtime::Runtime,
    client: &Arc<Client>,
    seen: &Mutex<Vec<String>>,
) -> String {
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
        while posted(seen).is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    posted(seen).unwrap()
}

/// The id the first POST asked PostHog to run its query under.
fn posted(seen: &Mutex<Vec<String>>) -> Option<String> {
    let seen = seen.lock().unwrap();
    seen.iter()
        .find(|r| r.starts_with("POST "))
        .and_then(|r| r.split_once("client_query_id="))
        .map(|(_, id)| id.to_owned())
}

fn deletes(seen: &Mutex<Vec<String>>) -> Vec<String> {
    let seen = seen.lock().unwrap();
    seen.iter()
        .filter(|r| r.starts_with("DELETE "))
        .cloned()
        .collect()
}

/// One query under way in a local PostHog, started as the cockpit starts it.
struct Started {
    seen: Arc<Mutex<Vec<String>>>,
    client: Arc<Client>,
    rt: tokio::runtime::Runtime,
    /// The id it was sent with.
    id: String,
}

fn started(posts: Posts) -> Started {
    let (base, seen) = endless_posthog(posts);
    let client = async_client(&base);
    let rt = runtime();
    let id = query_running_in_posthog(&rt, &client, &seen);
    Started {
        seen,
        client,
        rt,
        id,
    }
}

impl Started {
    /// The one cancellation PostHog received: its request line.
    fn the_cancel(&self) -> String {
        let sent = deletes(&self.seen);
        assert_eq!(sent.len(), 1, "one DELETE for one query: {sent:?}");
        sent[0].clone()
    }
}

#[test]
fn a_query_abandoned_at_quit_is_cancelled_before_shutdown_returns() {
    let q = started(Posts::UnderTheClientsId);
    assert!(deletes(&q.seen).is_empty());
    // As the loop ends: the shutdown runs beside the runtime, which keeps going.
    let in_flight = q.client.in_flight().clone();
    q.rt.block_on(async {
        tokio::task::spawn_blocking(move || in_flight.shutdown(Duration::from_secs(2)))
            .await
            .unwrap();
    });
    assert!(q.the_cancel().contains(&format!("/query/{}/", q.id)));
    assert_eq!(q.client.in_flight().running_count(), 0);
}

#[test]
fn a_query_abandoned_when_the_terminal_vanished_is_cancelled_with_the_runtime_stuck() {
    let q = started(Posts::UnderTheClientsId);
    // As the watchdog does: from its own thread, while nothing drives the runtime.
    q.client.in_flight().shutdown(Duration::from_secs(2));
    assert!(q.the_cancel().contains(&format!("/query/{}/", q.id)));
    // The aborted task, dropped with the runtime, asks for nothing more.
    let seen = Arc::clone(&q.seen);
    drop(q);
    assert_eq!(deletes(&seen).len(), 1);
}

#[test]
fn a_query_whose_answer_is_still_on_its_way_is_cancelled_under_the_id_it_was_sent_with() {
    // PostHog runs it though bearing never heard back.
    let q = started(Posts::Unanswered);
    q.client.in_flight().shutdown(Duration::from_secs(2));
    assert!(q.the_cancel().contains(&format!("/query/{}/", q.id)));
}

#[test]
fn a_posthog_that_names_the_query_itself_is_asked_to_cancel_that_name() {
    let q = started(Posts::AsQ1);
    // Until its answer is read the query is known only by the id it was sent with.
    q.rt.block_on(async {
        while !q.seen.lock().unwrap().iter().any(|r| r.starts_with("GET ")) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    q.client.in_flight().shutdown(Duration::from_secs(2));
    assert!(q.the_cancel().contains("/query/q1/"));
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
