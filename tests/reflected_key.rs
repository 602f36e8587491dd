//! A server that reflects the key must not make bearing show it. PostHog, or anything
//! at POSTHOG_HOST, can echo the `Authorization` header in what it sends back; bearing
//! redacts the key (and any `phx_…` token) from everything it reads before it parses,
//! shows or logs it. Here a stand-in PostHog echoes the header in every answer (whole,
//! cut short, \u-escaped in the JSON, or another key) as a 400, a 500, an async error
//! and a 200; `doctor`, `report` and the cockpit run against it with trace logging, and
//! every output, screen, log line and stored file is searched for every 8-byte piece of
//! the key. And a key written in the config where it does not belong (an array, a
//! number, an unclosed string) is not echoed by the config error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::Tmux;

/// Random-looking on purpose: no 8-byte piece of its secret part is text bearing or a
/// server could write for another reason, so any match is a leak.
const KEY: &str = "phx_rflc8Kq3Zt6wN1vB9xM4pR7sJ2hD5gYe";
/// Another personal API key, which the server "remembers" and sends back too: any
/// `phx_` token is a key, whoever's it is.
const OTHER: &str = "phx_othr2Wn8Lc5Vb1Qz7Jm4Tx9Hs6Fd3Gk";

/// Every 8-byte window of the secret parts (after `phx_`, which bearing shows by design
/// as the key's kind).
fn pieces() -> Vec<&'static str> {
    [KEY, OTHER]
        .into_iter()
        .flat_map(|k| {
            let secret = &k["phx_".len()..];
            (0..=secret.len() - 8).map(move |i| &secret[i..i + 8])
        })
        .collect()
}

fn assert_clean(what: &str, bytes: &[u8]) {
    for piece in pieces() {
        if bytes.windows(piece.len()).any(|w| w == piece.as_bytes()) {
            panic!(
                "{what} holds {piece:?}, a piece of a key:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// A screen, also with its lines joined: a long message wraps at the edge.
fn assert_screen_clean(what: &str, screen: &str) {
    assert_clean(what, screen.as_bytes());
    assert_clean(what, screen.replace('\n', "").as_bytes());
}

/// A JSON string literal of `text` with every character \u-escaped: still the key to
/// any JSON reader, but not its bytes.
fn escaped(text: &str) -> String {
    let inner: String = text
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    format!("\"{inner}\"")
}

/// The n-th way of reflecting the `Authorization` header, as a JSON string literal.
fn reflection(auth: &str, n: usize) -> String {
    let key = auth.strip_prefix("Bearer ").unwrap_or(auth);
    let text = match n % 4 {
        0 => format!("{auth} is not a valid Authorization header"),
        1 => format!("key {} is not valid", &key[..key.len().min(20)]),
        2 => return escaped(&format!("{auth} is not valid")),
        _ => format!("{auth}; you may have meant {OTHER}"),
    };
    serde_json::to_string(&text).unwrap()
}

/// A stand-in PostHog on the loopback: every request is answered, on a fresh
/// connection, with its `Authorization` header reflected. Returns its URL and the
/// number of requests answered so far.
fn reflector() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || answer(conn, n));
        }
    });
    (url, count)
}

fn answer(mut conn: TcpStream, n: usize) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let (mut auth, mut length) = (String::new(), 0);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("authorization") {
                auth = v.trim().to_owned();
            } else if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body = String::from_utf8_lossy(&body);
    let echo = reflection(&auth, n);
    let (status, answer) = if request_line.starts_with("DELETE") {
        ("200 OK", "{}".to_owned())
    } else if request_line.starts_with("GET") {
        // Polling an async query: it failed, and its error message is the echo.
        (
            "400 Bad Request",
            format!(
                r#"{{"query_status": {{"id": "q{n}", "complete": true, "error": true, "error_message": {echo}}}}}"#
            ),
        )
    } else if body.contains(r#""refresh":"async""#) {
        (
            "202 Accepted",
            format!(
                r#"{{"query_status": {{"id": "q{n}", "complete": false, "error": false, "query_progress": {{"rows_read": 1, "estimated_rows_total": 2, "time_elapsed": 5}}}}}}"#
            ),
        )
    } else {
        match n % 3 {
            0 => (
                "500 Internal Server Error",
                format!(r#"{{"type": "server_error", "code": "error", "detail": {echo}}}"#),
            ),
            1 => (
                "400 Bad Request",
                format!(
                    r#"{{"type": "validation_error", "code": "invalid", "detail": {echo}, "attr": null}}"#
                ),
            ),
            // An answer whose data is the echo: it reaches the panes' readers.
            _ => (
                "200 OK",
                format!(r#"{{"columns": [{echo}], "results": [[{echo}, {echo}]]}}"#),
            ),
        }
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = conn.write_all(reply.as_bytes());
}

fn env_for(url: &str, log: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("POSTHOG_HOST", url.to_owned()),
        ("POSTHOG_PROJECT_ID", "1".to_owned()),
        ("POSTHOG_PERSONAL_API_KEY", KEY.to_owned()),
        ("BEARING_POSTHOG_MAX_QUERIES_PER_HOUR", "2400".to_owned()),
        ("BEARING_LOG", "trace".to_owned()),
        ("BEARING_LOG_FILE", log.display().to_string()),
    ]
}

/// Runs bearing with a cleared environment plus `env`; returns (exit code, output).
fn run(home: &Path, env: &[(&str, String)], args: &[&str]) -> (i32, String) {
    let out = Command::new(support::BIN)
        .args(["--today", "2026-11-28"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// Searches every file under `dir` as bytes; returns the files searched.
fn search_under(dir: &Path) -> Vec<PathBuf> {
    let mut searched = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            searched.extend(search_under(&path));
        } else {
            assert_clean(&path.display().to_string(), &std::fs::read(&path).unwrap());
            searched.push(path);
        }
    }
    searched
}

#[test]
fn a_key_reflected_by_the_server_leaks_nowhere() {
    let home = tempfile::tempdir().unwrap();
    let (url, answered) = reflector();
    let log = home.path().join("logs/bearing.log");
    let env = env_for(&url, &log);

    // doctor, and a report in both query modes.
    let (code, out) = run(home.path(), &env, &["doctor"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("is not a valid Authorization header"),
        "the reflection must reach doctor's output, or this proves nothing:\n{out}"
    );
    assert_clean("doctor", out.as_bytes());
    let mut async_env = env.clone();
    async_env.push(("BEARING_POSTHOG_QUERY_MODE", "async".to_owned()));
    for env in [&env, &async_env] {
        let (code, out) = run(home.path(), env, &["report", "--source", "posthog"]);
        assert_ne!(code, 0, "{out}");
        assert_clean("report", out.as_bytes());
    }

    // The cockpit: the status line, the panes' failure messages, the help, a details
    // view, a second refresh; in blocking and async mode.
    let t = Tmux::start(200, 45);
    for mode in ["blocking", "async"] {
        let env_file = t.home.path().join("posthog.env");
        let exports: String = env
            .iter()
            .map(|(k, v)| format!("export {k}='{v}'\n"))
            .chain([format!("export BEARING_POSTHOG_QUERY_MODE={mode}\n")])
            .collect();
        std::fs::write(&env_file, exports).unwrap();
        t.run("clear");
        // From a file, so that the typed command line on screen holds no key.
        t.run_bearing_with(
            &format!(". '{}';", env_file.display()),
            "--today 2026-11-28 --save",
        );
        // Every screen seen while waiting is searched: a retry's reason is on the
        // status line only until the next attempt.
        let failed = |s: &str| {
            assert_screen_clean(&format!("the {mode} cockpit"), s);
            s.contains("refresh failed") || s.contains("not refreshed:")
        };
        let s = t.wait_within(Duration::from_secs(90), "the refresh to fail", failed);
        assert!(
            s.contains("[redacted"),
            "the reflection must reach the screen, or this proves nothing:\n{s}"
        );
        for keys in [&["?"][..], &["Escape", "4", "Enter"], &["Escape", "1"]] {
            t.keys(keys);
            std::thread::sleep(Duration::from_millis(400));
            assert_screen_clean(&format!("the {mode} screen after {keys:?}"), &t.screen());
        }
        t.keys(&["R"]);
        t.wait_within(
            Duration::from_secs(90),
            "the second refresh to fail",
            failed,
        );
        t.keys(&["q"]);
        t.wait_for("EXIT=");
        std::fs::remove_file(&env_file).unwrap();
    }

    // The trace log holds the failures, and no key; nor does anything stored.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("TRACE") && text.contains("query failed"),
        "{text}"
    );
    assert!(answered.load(Ordering::SeqCst) > 10, "the server was asked");
    let mut searched = search_under(home.path());
    searched.extend(search_under(t.home.path()));
    assert!(searched.contains(&log), "{searched:?}");
}

/// The config error names the file, line and column of a key written where it does not
/// belong, and never its value.
#[test]
fn a_key_written_as_a_toml_array_is_not_echoed() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    for (file, at) in [
        ("key_as_array.toml", ":4:20: "),
        ("key_as_multiline_array.toml", ":4:20: "),
        ("key_as_table.toml", ":4:20: "),
        ("key_unclosed.toml", ":4:"),
        ("key_in_host.toml", ":2:8: "),
    ] {
        let path = fixtures.join(file);
        let config = path.display().to_string();
        for args in [
            &["--config", &config, "config", "check"][..],
            &["--config", &config, "doctor"],
            &["--config", &config, "report"],
        ] {
            let (code, out) = run(home.path(), &[], args);
            assert_ne!(code, 0, "{file} {args:?}: {out}");
            assert!(
                out.contains(&format!("{file}{at}")),
                "{file} {args:?}: the error names where:\n{out}"
            );
            assert_clean(&format!("{file} {args:?}"), out.as_bytes());
        }
    }
}
