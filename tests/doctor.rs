//! `bearing doctor` on the setups analysts actually have: nothing configured, a key
//! file others can read, a wrong key, a host that cannot be reached, and a working
//! project (the simulator). Snapshots of the whole output, with the temporary paths
//! and the simulator's port replaced.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::{KEY, Sim};
use std::path::Path;
use std::process::Command;

/// Runs doctor with a clean environment plus `env`; returns (exit code, output).
fn doctor(home: &Path, env: &[(&str, String)]) -> (i32, String) {
    let mut cmd = Command::new(support::BIN);
    cmd.args(["--today", "2026-11-28", "doctor"])
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

#[test]
fn doctor_against_the_simulator() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&dense::write(dir.path(), 3000));
    let mut env = project(&sim.url(), KEY);
    env.push((
        "BEARING_POSTHOG_SUBSCRIPTIONS_TABLE",
        "subscriptions".to_owned(),
    ));
    let (code, out) = doctor(home.path(), &env);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(redact_port(&out, &sim));
}
