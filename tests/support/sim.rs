//! The PostHog simulator (tests/posthog_sim/server.py) for a test: started on a free
//! port with a fixture, stopped when dropped, and a small HTTP/1.1 client that shows
//! exactly what came back, broken answers included.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const KEY: &str = "phx_test_personal_key";
pub const TOKEN: &str = "phc_test_project_token";

/// The Python that has the simulator's requirements: `BEARING_SIM_PYTHON`, else the
/// virtualenv in tests/posthog_sim/.venv, which tests/posthog_sim/ensure_venv.py creates
/// the first time any test needs it (under a lock, so test binaries running at once
/// install it once) and finds ready every time after.
pub fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("BEARING_SIM_PYTHON") {
                return PathBuf::from(p);
            }
            let script =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/posthog_sim/ensure_venv.py");
            let out = Command::new("python3")
                .arg(&script)
                .stderr(Stdio::inherit())
                .output()
                .unwrap_or_else(|e| {
                    panic!("the PostHog simulator needs python3 (with venv and pip): {e}")
                });
            assert!(
                out.status.success(),
                "the PostHog simulator's virtualenv could not be made (see above); it needs \
                 python3 with venv and pip, and the package registry"
            );
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        })
        .clone()
}

pub struct Sim {
    pub port: u16,
    child: Child,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The Content-Length the server announced.
    pub declared: Option<usize>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Sim {
    pub fn start(events: &Path) -> Sim {
        Sim::start_with(events, KEY)
    }

    /// A simulator that accepts `key` as the personal API key.
    pub fn start_with(events: &Path, key: &str) -> Sim {
        Sim::start_full(events, key, 400)
    }

    /// ... whose async queries take `async_ms`.
    pub fn start_full(events: &Path, key: &str, async_ms: u32) -> Sim {
        Sim::launch(events, key, async_ms, &[])
    }

    /// A simulator started with extra command-line flags (server.py --help), e.g.
    /// `&["--timezone", "Asia/Kolkata"]` or `&["--untyped-properties"]`.
    pub fn start_args(events: &Path, args: &[&str]) -> Sim {
        Sim::launch(events, KEY, 400, args)
    }

    fn launch(events: &Path, key: &str, async_ms: u32, args: &[&str]) -> Sim {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/posthog_sim/server.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(["--events", events.to_str().unwrap(), "--port", "0"])
            .args([
                "--personal-api-key",
                key,
                "--project-token",
                TOKEN,
                "--async-ms",
                &async_ms.to_string(),
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the simulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the simulator said {line:?}"));
        Sim { port, child }
    }

    /// The environment that points bearing at this simulator's project, with its
    /// subscriptions table.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("POSTHOG_HOST", self.url()),
            ("POSTHOG_PROJECT_ID", "1".to_owned()),
            ("POSTHOG_PERSONAL_API_KEY", KEY.to_owned()),
            (
                "BEARING_POSTHOG_SUBSCRIPTIONS_TABLE",
                "subscriptions".to_owned(),
            ),
        ]
    }

    /// The environment that points bearing at this simulator, as a shell prefix.
    pub fn shell_env(&self) -> String {
        format!(
            "POSTHOG_HOST={} POSTHOG_PROJECT_ID=1 POSTHOG_PERSONAL_API_KEY={KEY} \
             BEARING_POSTHOG_MAX_QUERIES_PER_HOUR=2400",
            self.url()
        )
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// One request on a fresh connection. Err when the connection broke before any
    /// status line arrived.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the connection closed without an answer",
                )
            })?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| {
                l.split_once(':')
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            })
            .collect();
        let declared = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok());
        Ok(Response {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
            declared,
        })
    }

    pub fn query_with(&self, key: &str, body: &serde_json::Value) -> std::io::Result<Response> {
        let auth = format!("Bearer {key}");
        self.request(
            "POST",
            "/api/projects/1/query/",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        )
    }

    /// A HogQL query with placeholder values; panics unless the answer is a 200.
    pub fn hogql(&self, query: &str, values: serde_json::Value) -> serde_json::Value {
        let body = serde_json::json!({"query": {"kind": "HogQLQuery", "query": query, "values": values}, "name": "bearing_test"});
        let r = self.query_with(KEY, &body).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    pub fn fault(&self, spec: serde_json::Value) {
        let r = self
            .request("POST", "/_sim/faults", &[], spec.to_string().as_bytes())
            .unwrap();
        assert_eq!(r.status, 201);
    }

    /// Moves the simulator's clock forward: cached answers age, last_refresh moves.
    pub fn advance_clock(&self, secs: u64) {
        let body = serde_json::json!({ "advance_s": secs }).to_string();
        let r = self
            .request("POST", "/_sim/clock", &[], body.as_bytes())
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// A ClickHouse merge of the events table: repeated events collapse to one.
    pub fn merge(&self) {
        let r = self.request("POST", "/_sim/merge", &[], b"").unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
    }

    pub fn clear_faults(&self) {
        self.request("DELETE", "/_sim/faults", &[], b"").unwrap();
    }

    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.request("GET", "/_sim/requests", &[], b"")
            .unwrap()
            .json()
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// bearing with `config` and `today`, its data in `dir`, no PostHog or zone from the
/// environment, and the simulator's settings when there is one: a file and PostHog run
/// the same way.
pub fn bearing(dir: &Path, sim: Option<&Sim>, config: &Path, today: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bearing"));
    cmd.args(["--config", config.to_str().unwrap(), "--today", today])
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("POSTHOG_HOST")
        .env_remove("POSTHOG_PERSONAL_API_KEY")
        .env_remove("BEARING_TIMEZONE");
    if let Some(sim) = sim {
        cmd.envs(sim.env());
    }
    cmd
}
