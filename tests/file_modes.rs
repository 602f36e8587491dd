//! Everything bearing creates is private: files 0600, folders 0700, whatever the umask.
//! The commands that create something run in a fresh HOME whose XDG folders do not exist
//! yet, under the usual umask 022; then every file and folder in that HOME is checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::BIN;

/// bearing under umask 022 (so nothing is private by accident) in a clean environment.
fn bearing(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    // `alerts` exits 3 when new urgent alerts wait: an answer, not a failure.
    assert!(
        out.status.success() || (args[0] == "alerts" && out.status.code() == Some(3)),
        "bearing {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every path below `dir` (not `dir` itself), folders before what they hold.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        out.push(path.clone());
        if std::fs::symlink_metadata(&path).unwrap().is_dir() {
            walk(&path, out);
        }
    }
}

#[test]
fn every_file_bearing_creates_is_0600_and_every_folder_0700() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let events = h.join("events.jsonl");
    let report = h.join("report.json");
    bearing(h, &[], &["config", "init"]);
    bearing(
        h,
        &[],
        &[
            "demo-data",
            "--events",
            "100",
            "--out",
            events.to_str().unwrap(),
        ],
    );
    let source = format!("file:{}", events.display());
    bearing(
        h,
        &[],
        &[
            "--source",
            &source,
            "report",
            "--format",
            "json",
            "--out",
            report.to_str().unwrap(),
        ],
    );
    // Creates the database (its folder too) and, with BEARING_LOG set and no
    // BEARING_LOG_FILE, the trace log in the default state folder.
    bearing(h, &[("BEARING_LOG", "debug")], &["alerts", "--save"]);

    let mut paths = Vec::new();
    walk(h, &mut paths);
    let mut seen = Vec::new();
    let mut wrong = Vec::new();
    for path in &paths {
        let meta = std::fs::symlink_metadata(path).unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        let want = if meta.is_dir() { 0o700 } else { 0o600 };
        let line = format!("{mode:04o} {}", path.strip_prefix(h).unwrap().display());
        if mode != want || !(meta.is_dir() || meta.is_file()) {
            wrong.push(format!("{line} (want {want:04o})"));
        }
        seen.push(line);
    }
    let listing = seen.join("\n");
    for expected in [
        ".config/bearing/config.toml",
        "events.jsonl",
        "events.subscriptions.jsonl",
        "report.json",
        ".local/share/bearing/bearing.db",
        ".local/state/bearing/bearing.log",
    ] {
        assert!(
            listing.contains(expected),
            "bearing did not create {expected}; it created:\n{listing}"
        );
    }
    assert!(
        wrong.is_empty(),
        "not private:\n{}\n\neverything bearing created:\n{listing}",
        wrong.join("\n")
    );
}

#[test]
fn the_trace_log_does_not_follow_a_symlink() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let target = h.join("elsewhere.txt");
    std::fs::write(&target, "precious\n").unwrap();
    let link = h.join("bearing.log");
    symlink(&target, &link).unwrap();
    let out = Command::new(BIN)
        .args(["--today", "2026-11-28", "report", "--format", "json"])
        .env_clear()
        .env("HOME", h)
        .env("XDG_CONFIG_HOME", h.join(".config"))
        .env("XDG_DATA_HOME", h.join(".local/share"))
        .env("XDG_STATE_HOME", h.join(".local/state"))
        .env("BEARING_LOG", "debug")
        .env("BEARING_LOG_FILE", &link)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "precious\n",
        "the log was written through the link"
    );
    assert!(
        stderr.contains("bearing.log") && stderr.contains("symbolic link"),
        "the refusal is told: {stderr}"
    );
    // Logging is opt-in diagnostics: its refusal does not stop the command.
    assert!(out.status.success(), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link).unwrap().is_symlink(),
        "the link is left as it was"
    );
}
