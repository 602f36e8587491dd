//! Running `bearing doctor` (and bearing) as an analyst would, with a clean
//! environment, and a relay in front of the simulator that garbles one of doctor's
//! answers. Shared by the doctor test files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::sim::Sim;
use crate::support;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;

/// Runs doctor with a clean environment plus `env`; returns (exit code, output).
pub fn doctor(home: &Path, env: &[(&str, String)]) -> (i32, String) {
    bearing(home, env, &["doctor"])
}

/// Runs bearing with `args`, a clean environment plus `env`; returns (exit code, output).
pub fn bearing(home: &Path, env: &[(&str, String)], args: &[&str]) -> (i32, String) {
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

pub fn redact_port(text: &str, sim: &Sim) -> String {
    text.replace(&sim.url(), "http://127.0.0.1:[PORT]")
}

pub fn project(url: &str, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("POSTHOG_HOST", url.to_owned()),
        ("POSTHOG_PROJECT_ID", "1".to_owned()),
        ("POSTHOG_PERSONAL_API_KEY", key.to_owned()),
    ]
}

/// The line of doctor's output about `what`, with the "try:" line under it if any.
pub fn check(out: &str, what: &str) -> String {
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

/// The simulator, behind a port that answers doctor's query `name` (e.g. its row count
/// of the subscriptions table, `bearing_doctor_table`) with `garbled` and passes every
/// other request through: an answer that is JSON as PostHog sends it, but whose
/// content cannot be read.
pub fn garbling(sim: &Sim, name: &'static str, garbled: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let upstream = sim.port;
    let garbled = garbled.to_owned();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            relay(conn, upstream, name, &garbled);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// One request: read it, answer it (from the simulator or with `garbled`), and close,
/// saying so, so that the client never reuses the connection.
fn relay(mut conn: TcpStream, upstream: u16, name: &str, garbled: &str) {
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
    let (status, answer) = if String::from_utf8_lossy(&body).contains(&format!("\"{name}\"")) {
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
