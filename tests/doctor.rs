//! `bearing doctor` on the setups analysts actually have: nothing configured, a key
//! file others can read, a wrong key, a host that cannot be reached, and a working
//! project (the simulator). Snapshots of the whole output, with the temporary paths
//! and the simulator's port replaced. And an empty subscriptions table beside an
//! unreadable answer about it, which must not look alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::{KEY, Sim};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;

/// Runs doctor with a clean environment plus `env`; returns (exit code, output).
fn doctor(home: &Path, env: &[(&str, String)]) -> (i32, String) {
    bearing(home, env, &["doctor"])
}

/// Runs bearing with `args`, a clean environment plus `env`; returns (exit code, output).
fn bearing(home: &Path, env: &[(&str, String)], args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(support::BIN);
    cmd.args(["--today", "2026-11-28"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let text = text.replace(&home.display().to_string(), "[HOME]");
    (out.status.code().unwrap_or(-1), text)
}

fn redact_port(text: &str, sim: &Sim) -> String {
    text.replace(&sim.url(), "http://127.0.0.1:[PORT]")
}

fn project(url: &str, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("POSTHOG_HOST", url.to_owned()),
        ("POSTHOG_PROJECT_ID", "1".to_owned()),
        ("POSTHOG_PERSONAL_API_KEY", key.to_owned()),
    ]
}

#[test]
fn doctor_with_nothing_configured() {
    let home = tempfile::tempdir().unwrap();
    let (code, out) = doctor(home.path(), &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[cfg(unix)]
#[test]
fn doctor_with_a_key_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("posthog.key");
    std::fs::write(&key, "phx_never_printed\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = vec![
        ("POSTHOG_HOST", "https://us.posthog.com".to_owned()),
        ("POSTHOG_PROJECT_ID", "12345".to_owned()),
        ("POSTHOG_KEY_FILE", key.display().to_string()),
    ];
    let (code, out) = doctor(home.path(), &env);
    assert_eq!(code, 1);
    assert!(!out.contains("phx_never_printed"));
    insta::assert_snapshot!(out);
}

#[test]
fn doctor_with_a_wrong_key() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&dense::write(dir.path(), 300));
    let (code, out) = doctor(home.path(), &project(&sim.url(), "phx_wrong_key"));
    assert_eq!(code, 1);
    assert!(!out.contains("phx_wrong_key"));
    insta::assert_snapshot!(redact_port(&out, &sim));
}

#[test]
fn doctor_with_an_unreachable_host() {
    let home = tempfile::tempdir().unwrap();
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    let (code, out) = doctor(home.path(), &project("http://127.0.0.1:1", KEY));
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

/// A subscriptions table beside the dense fixture `events` (where the simulator looks
/// for it): one row per tenant, a few canceled. Returns how many rows it holds.
fn write_subscriptions(events: &Path) -> usize {
    let tenants = [
        "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell",
    ];
    let path = events.with_extension("subscriptions.jsonl");
    let mut text = String::new();
    for (i, t) in tenants.iter().enumerate() {
        let status = if i % 3 == 2 { "canceled" } else { "active" };
        let row = serde_json::json!({"tenant_id": t, "plan_name": "growth", "status": status,
            "current_period_start": "2026-11-01T00:00:00Z"});
        text.push_str(&format!("{row}\n"));
    }
    std::fs::write(path, text).unwrap();
    tenants.len()
}

fn table_line(out: &str) -> &str {
    out.lines()
        .find(|l| l.contains(" table "))
        .unwrap_or_else(|| panic!("no table line in:\n{out}"))
}

#[test]
fn doctor_against_the_simulator() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = dense::write(dir.path(), 3000);
    let rows = write_subscriptions(&events);
    let sim = Sim::start(&events);
    let (code, out) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        table_line(&out),
        format!("  ok    table      subscriptions: {rows} rows"),
        "the count PostHog gave, not a default"
    );
    insta::assert_snapshot!(redact_port(&out, &sim));
}

/// The simulator, behind a port that answers doctor's row count of the subscriptions
/// table with `garbled` and passes every other request through: an answer that is
/// JSON as PostHog sends it, but whose count cannot be read.
fn garbling(sim: &Sim, garbled: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let upstream = sim.port;
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            relay(conn, upstream, garbled);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// One request: read it, answer it (from the simulator or with `garbled`), and close,
/// saying so, so that the client never reuses the connection.
fn relay(mut conn: TcpStream, upstream: u16, garbled: &str) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap();
        }
        // Keep-alive is dropped: one request per connection, each way.
        if !line.to_ascii_lowercase().starts_with("connection:") {
            head.push_str(&line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let (status, answer) = if String::from_utf8_lossy(&body).contains("bearing_doctor_table") {
        ("200 OK".to_owned(), garbled.as_bytes().to_vec())
    } else {
        let mut up = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
        up.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes())
            .unwrap();
        up.write_all(&body).unwrap();
        let mut raw = Vec::new();
        up.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        // "HTTP/1.1 200 OK": the status and its reason, passed on as they came.
        let (_, status) = head.lines().next().unwrap().split_once(' ').unwrap();
        (status.to_owned(), raw[split + 4..].to_vec())
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    );
    conn.write_all(reply.as_bytes()).unwrap();
    conn.write_all(&answer).unwrap();
}

/// An empty table is "0 rows"; an answer whose count cannot be read is a problem that
/// says what was unreadable. Were a parse failure read as 0, the two would look alike.
#[test]
fn an_unreadable_row_count_is_not_an_empty_table() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // No subscriptions file beside the events: the simulator's table is empty.
    let sim = Sim::start(&dense::write(dir.path(), 300));
    let (code, empty) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "{empty}");
    assert_eq!(
        table_line(&empty),
        "  ok    table      subscriptions: 0 rows"
    );
    for (garbled, why) in [
        (
            r#"{"results": [], "columns": ["count()"]}"#,
            "0 rows where one count was expected",
        ),
        (
            r#"{"results": [["many"]], "columns": ["count()"]}"#,
            "the count was \"many\", not a whole number",
        ),
    ] {
        let url = garbling(&sim, garbled);
        let env: Vec<_> = sim
            .env()
            .into_iter()
            .map(|(k, v)| (k, if k == "POSTHOG_HOST" { url.clone() } else { v }))
            .collect();
        let (code, out) = doctor(home.path(), &env);
        assert_eq!(
            code, 1,
            "{garbled}: an unreadable answer is a problem:\n{out}"
        );
        assert_eq!(
            table_line(&out),
            format!(
                "  FIX   table      subscriptions: PostHog's answer to the row count was unreadable ({why})"
            ),
            "{garbled}:\n{out}"
        );
        assert_ne!(table_line(&out), table_line(&empty));
        assert!(
            out.contains("  ok    events "),
            "only the count was garbled:\n{out}"
        );
    }
}

/// The line of doctor's output about `what`, with the "try:" line under it if any.
fn check(out: &str, what: &str) -> String {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| {
            l.get(8..)
                .is_some_and(|l| l.starts_with(&format!("{what} ")))
        })
        .unwrap_or_else(|| panic!("no {what} line in:\n{out}"));
    let mut text = lines[i].to_owned();
    if let Some(next) = lines
        .get(i + 1)
        .filter(|l| l.trim_start().starts_with("try:"))
    {
        text.push('\n');
        text.push_str(next);
    }
    text
}

/// The key travels in a header: over plain http to a host on the internet, anyone on
/// the way reads it. Only the loopback may be plain http, unless the analyst opts in
/// for a private PostHog; doctor, report and the cockpit all refuse without it.
#[test]
fn doctor_refuses_plain_http_to_a_host_on_the_internet() {
    let home = tempfile::tempdir().unwrap();
    let plain = project("http://posthog.example.com", KEY);
    let (code, out) = doctor(home.path(), &plain);
    assert_eq!(code, 1, "{out}");
    let fix = check(&out, "config");
    assert!(
        fix.contains("FIX")
            && fix.contains("http://posthog.example.com")
            && fix.contains("https://")
            && fix.contains("BEARING_POSTHOG_ALLOW_PLAIN_HTTP=1")
            && fix.contains("allow_plain_http = true"),
        "a FIX line naming https and the opt-out:\n{out}"
    );
    assert!(!out.contains("  ok    project"), "{out}");
    // The cockpit (no command) and a report refuse it before any request.
    for args in [&["report", "--source", "posthog"][..], &[]] {
        let (code, out) = bearing(home.path(), &plain, args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(
            out.contains("https://") && out.contains("BEARING_POSTHOG_ALLOW_PLAIN_HTTP"),
            "{args:?}: {out}"
        );
    }
    // A config file's host is held to the same rule, at its line and column.
    let config = home.path().join("plain.toml");
    std::fs::write(
        &config,
        "[posthog]\nhost = \"http://posthog.example.com\"\nproject_id = 1\n",
    )
    .unwrap();
    let with_file = |extra: &[(&'static str, String)]| {
        let mut env = vec![
            ("BEARING_CONFIG", config.display().to_string()),
            ("POSTHOG_PERSONAL_API_KEY", KEY.to_owned()),
        ];
        env.extend_from_slice(extra);
        doctor(home.path(), &env)
    };
    let (code, out) = with_file(&[]);
    assert_eq!(code, 1, "{out}");
    let fix = check(&out, "config");
    assert!(
        fix.contains("plain.toml:2:8: ") && fix.contains("allow_plain_http = true"),
        "{out}"
    );

    // Opted out, in the environment or the file: doctor goes on to connect (and the
    // name does not resolve here, which is fine).
    let mut opted = plain.clone();
    opted.push(("BEARING_POSTHOG_ALLOW_PLAIN_HTTP", "1".to_owned()));
    std::fs::write(
        &config,
        "[posthog]\nhost = \"http://posthog.example.com\"\nproject_id = 1\nallow_plain_http = true\n",
    )
    .unwrap();
    for (how, (code, out)) in [
        ("the environment", doctor(home.path(), &opted)),
        ("the file", with_file(&[])),
    ] {
        assert_eq!(code, 1, "{how}: {out}");
        assert!(
            check(&out, "project").starts_with("  ok    project    http://posthog.example.com"),
            "{how}: {out}"
        );
        assert!(check(&out, "reachable").contains("FIX"), "{how}: {out}");
    }
    // The loopback needs no opt-out.
    for host in ["http://localhost:1", "http://[::1]:1", "http://127.1.2.3:1"] {
        let (_, out) = doctor(home.path(), &project(host, KEY));
        assert!(
            check(&out, "project").starts_with(&format!("  ok    project    {host}")),
            "{host}: {out}"
        );
    }
}

/// A user name and password in the host URL would be sent with every request and
/// written wherever the host is shown or logged: refused, and never echoed.
#[test]
fn a_host_with_user_and_password_is_refused() {
    let home = tempfile::tempdir().unwrap();
    for host in [
        "https://analyst:s3cretPassw0rd@us.posthog.com",
        "http://s3cretPassw0rd@127.0.0.1:1",
    ] {
        let env = project(host, KEY);
        let (code, out) = doctor(home.path(), &env);
        assert_eq!(code, 1, "{host}: {out}");
        let fix = check(&out, "config");
        assert!(
            fix.contains("FIX") && fix.contains("user name or password"),
            "{host}: {out}"
        );
        let (code, report) = bearing(home.path(), &env, &["report", "--source", "posthog"]);
        assert_ne!(code, 0, "{host}: {report}");
        for text in [&out, &report] {
            assert!(!text.contains("s3cretPassw0rd"), "{host}: {text}");
        }
    }
    let config = home.path().join("userinfo.toml");
    std::fs::write(
        &config,
        "[posthog]\nproject_id = 1\nhost = \"https://analyst:s3cretPassw0rd@us.posthog.com\"\n",
    )
    .unwrap();
    let (code, out) = bearing(
        home.path(),
        &[],
        &["--config", &config.display().to_string(), "config", "check"],
    );
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("userinfo.toml:3:8: ") && out.contains("user name or password"),
        "{out}"
    );
    assert!(!out.contains("s3cretPassw0rd"), "{out}");
}

/// A table without the overview's columns (here the events table itself) counts its
/// rows, then fails the column check with PostHog's reason and what the table needs.
#[test]
fn a_table_without_the_subscription_columns_is_a_problem_doctor_names() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = dense::write(dir.path(), 300);
    write_subscriptions(&events);
    let sim = Sim::start(&events);
    let mut env = sim.env();
    for (k, v) in &mut env {
        if *k == "BEARING_POSTHOG_SUBSCRIPTIONS_TABLE" {
            *v = "events".to_owned();
        }
    }
    let (code, out) = doctor(home.path(), &env);
    assert_eq!(code, 1, "{out}");
    assert!(
        table_line(&out).contains("ok    table      events:"),
        "{out}"
    );
    let columns = out
        .lines()
        .skip_while(|l| !l.contains(" columns "))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(columns.contains("FIX   columns"), "{out}");
    assert!(
        columns.contains("needs the columns tenant_id, plan_name, status and current_period_start"),
        "{out}"
    );
}
