//! A canary key must appear nowhere: not in a trace-level log, the database, the
//! screen, a panic message, `--help` or `doctor`, nor in any error PostHog's refusal
//! of it produces. Every place is searched for every 8-byte piece of the key's secret
//! part, so a key cut short (a log line with its first 12 characters) is caught too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::Sim;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Tmux;

/// Random-looking on purpose: no 8-byte piece of its secret part is text that bearing,
/// PostHog or SQLite could write for another reason, so any match is a leak.
const CANARY: &str = "phx_cnry7Qz2vK9mX4wR8tB3nL6jH1cF5yPd";

/// Every 8-byte window of the secret part (after `phx_`, which bearing shows by
/// design as the key's kind).
fn pieces() -> Vec<&'static str> {
    let secret = &CANARY["phx_".len()..];
    (0..=secret.len() - 8).map(|i| &secret[i..i + 8]).collect()
}

/// Panics, naming `what` and the piece, when `bytes` hold any piece of the key.
fn assert_clean(what: &str, bytes: &[u8]) {
    for piece in pieces() {
        if bytes.windows(piece.len()).any(|w| w == piece.as_bytes()) {
            panic!(
                "{what} holds {piece:?}, a piece of the key:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// A screen, also with its lines joined: a message longer than the terminal is wide
/// wraps, and the key could be cut at the edge.
fn assert_screen_clean(what: &str, screen: &str) {
    assert_clean(what, screen.as_bytes());
    assert_clean(what, screen.replace('\n', "").as_bytes());
}

fn env_for(url: &str, log: &Path) -> Vec<(String, String)> {
    [
        ("POSTHOG_HOST", url.to_owned()),
        ("POSTHOG_PROJECT_ID", "1".to_owned()),
        ("POSTHOG_PERSONAL_API_KEY", CANARY.to_owned()),
        ("BEARING_LOG", "trace".to_owned()),
        ("BEARING_LOG_FILE", log.display().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Runs bearing with only what it needs in its environment, as the tmux sessions do:
/// nothing of the caller's (a real key, a config) can leak in or mask a leak.
fn run(home: &Path, env: &[(String, String)], args: &[&str]) -> String {
    let out = Command::new(support::BIN)
        .args(["--today", "2026-11-28"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Searches every file under `dir`, read as bytes (the database, its WAL, logs,
/// snapshots); returns each file searched with its size.
fn search_under(dir: &Path) -> Vec<(PathBuf, usize)> {
    let mut searched = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            searched.extend(search_under(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            assert_clean(&path.display().to_string(), &bytes);
            searched.push((path, bytes.len()));
        }
    }
    searched
}

#[test]
fn the_key_is_nowhere() {
    let home = tempfile::tempdir().unwrap();
    let fixture = tempfile::tempdir().unwrap();
    let sim = Sim::start_with(&dense::write(fixture.path(), 2000), CANARY);
    let log = home.path().join("logs/bearing.log");
    let env = env_for(&sim.url(), &log);

    // --help, doctor and a report, with trace logging on.
    for args in [
        &["--help"][..],
        &["doctor"],
        &["report", "--source", "posthog"],
    ] {
        let out = run(home.path(), &env, args);
        assert_clean(&format!("{args:?}"), out.as_bytes());
    }

    // The cockpit: a refresh, the help, a details view; then a forced panic.
    let t = Tmux::start(160, 45);
    // The variables come from a file, so the typed command line (which stays on
    // screen) does not itself hold the key.
    let env_file = t.home.path().join("posthog.env");
    let exports: String = env
        .iter()
        .map(|(k, v)| format!("export {k}='{v}'\n"))
        .collect();
    std::fs::write(&env_file, exports).unwrap();
    let assignments = format!(". '{}';", env_file.display());
    t.run_bearing_with(&assignments, "--today 2026-11-28 --save");
    t.wait_within(std::time::Duration::from_secs(60), "the refresh", |s| {
        s.contains("refreshed from PostHog")
    });
    for keys in [&["R"][..], &["?"], &["Escape", "4", "Enter"], &["Escape"]] {
        t.keys(keys);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_screen_clean(&format!("the screen after {keys:?}"), &t.screen());
    }
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    // A panic with data on screen (the test-hooks build honours BEARING_DEBUG_PANIC);
    // its message carries the PostHog settings and the key in their Debug form.
    t.run("clear");
    // The first run's "EXIT=0" must be gone before the second is waited for, or the
    // wait below finds it and reads a screen the panic has not reached yet.
    t.wait_within(
        std::time::Duration::from_secs(10),
        "the cleared screen",
        |s| !s.contains("EXIT="),
    );
    t.run_bearing_with(
        &format!("{assignments} BEARING_DEBUG_PANIC=1"),
        "--today 2026-11-28 --save",
    );
    let s = t.wait_for("EXIT=");
    let joined = s.replace('\n', "");
    assert!(
        joined.contains("BEARING_DEBUG_PANIC asked for a panic; key Some(Ok(ApiKey("),
        "the panic message must carry the key's Debug form, or it proves nothing:\n{s}"
    );
    assert_screen_clean("the panic message", &s);

    // PostHog refusing the key: the errors name it, never show it.
    let wrong = Sim::start(&dense::write(fixture.path(), 100));
    let out = run(
        home.path(),
        &env_for(&wrong.url(), &log),
        &["report", "--source", "posthog"],
    );
    assert!(out.contains("refused the personal API key"), "{out}");
    assert_clean("the refusal", out.as_bytes());

    // The log was written, at trace level, and holds no key; nor does anything
    // bearing stored (database, WAL) in either home.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("TRACE") && text.contains("query answered"),
        "{text}"
    );
    std::fs::remove_file(&env_file).unwrap();
    let mut searched = search_under(home.path());
    searched.extend(search_under(t.home.path()));
    // By name: the places a key would most likely end up were searched, and had
    // something in them to search.
    for must in [log, t.home.path().join("data/bearing/bearing.db")] {
        let size = searched.iter().find(|(p, _)| *p == must).map(|(_, n)| *n);
        assert!(
            size.is_some_and(|n| n > 0),
            "{} was not searched or is empty; searched: {searched:?}",
            must.display()
        );
    }
}
