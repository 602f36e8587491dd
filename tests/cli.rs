//! The non-interactive commands, run as a user or a script would run them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::process::{Command, Output};
use support::BIN;

/// bearing with a clean environment: its own HOME and XDG dirs.
fn bearing(home: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm-256color")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn without_a_terminal_it_says_what_to_do_instead() {
    let home = tempfile::tempdir().unwrap();
    let out = bearing(home.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("not a terminal"), "{err}");
    assert!(err.contains("bearing report --format json"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn on a pipe");

    let out = Command::new(BIN).env("TERM", "dumb").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("TERM=dumb"));
}

#[test]
fn help_and_version() {
    let home = tempfile::tempdir().unwrap();
    let out = bearing(home.path(), &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in [
        "report",
        "demo-data",
        "config",
        "--source",
        "--theme",
        "--read-only",
    ] {
        assert!(help.contains(word), "--help misses {word}");
    }
    let out = bearing(home.path(), &["--version"]);
    assert_eq!(
        text(&out.stdout).trim(),
        format!("bearing {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn report_json_on_demo_data() {
    let home = tempfile::tempdir().unwrap();
    let out = bearing(
        home.path(),
        &["report", "--format", "json", "--today", "2026-11-28"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["label"], "DEMO DATA");
    assert_eq!(v["today"], "2026-11-28");
    assert_eq!(v["period"]["label"], "last 90 days");
    let tenants = v["overview"]["tenants"].as_array().unwrap();
    assert_eq!(tenants.len(), 20);
    assert_eq!(
        tenants[0]["strategic_activity_level"],
        "High Strategic Activity"
    );
    assert!(v["revenue_trends"].as_array().unwrap().len() > 40);
    assert_eq!(
        v["data_health"]["kinds"][2]["event"],
        "strategic_decision_summary"
    );
}

#[test]
fn demo_data_round_trips_through_a_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("events.jsonl");
    let f = file.to_str().unwrap();
    let out = bearing(
        home.path(),
        &[
            "demo-data",
            "--events",
            "2000",
            "--out",
            f,
            "--today",
            "2026-11-28",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("wrote 2000 events"));
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert_eq!(lines, 2000);
    assert!(home.path().join("events.subscriptions.jsonl").exists());

    let source = format!("file:{f}");
    let out = bearing(
        home.path(),
        &[
            "report",
            "--source",
            &source,
            "--format",
            "json",
            "--today",
            "2026-11-28",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["read"]["lines"], 2000);
    assert_eq!(v["source"]["read"]["broken"], 0);
    assert_eq!(
        v["data_health"]["subscriptions"], 25,
        "the sibling subscriptions table is found"
    );
    let total: u64 = v["data_health"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["total"].as_u64().unwrap())
        .sum();
    // Health counts the events the panes read: the sparkline's twelve months, from
    // 2025-12-01 on a 2026-11-28 in UTC.
    assert_eq!(v["data_health"]["since"], "2025-12-01");
    let exported = std::fs::read_to_string(&file).unwrap();
    let recent = exported
        .lines()
        .filter(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["timestamp"].as_str().unwrap() >= "2025-12-01"
        })
        .count() as u64;
    assert!(recent > 0 && recent < 2000, "{recent}");
    assert_eq!(total, recent);
}

/// A month or quarter that has not begun is refused, not shown empty "to date".
#[test]
fn a_period_not_begun_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    for (period, says) in [
        (
            "2027-05",
            "the period 2027-05 has not begun: it starts on 2027-05-01",
        ),
        (
            "9999-Q4",
            "the period 9999-Q4 has not begun: it starts on 9999-10-01",
        ),
    ] {
        let args = ["report", "--format", "markdown", "--today", "2026-12-03"];
        let out = bearing(home.path(), &[&args[..], &["--period", period]].concat());
        assert_eq!(out.status.code(), Some(1), "{period}");
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{period}: nothing printed");
    }
    let args = ["report", "--format", "markdown", "--today", "2026-12-03"];
    let out = bearing(home.path(), &[&args[..], &["--period", "2026-12"]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("2026-12 to date"));
}

/// CSV is a folder of tables: a file given as --out is named as the mistake it is,
/// and left as it was.
#[test]
fn csv_out_naming_a_file_says_it_wants_a_folder() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("ev.jsonl");
    std::fs::write(&file, "kept\n").unwrap();
    let args = ["report", "--format", "csv", "--out", file.to_str().unwrap()];
    let out = bearing(home.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("is a file: for CSV --out names a folder"),
        "{err}"
    );
    assert!(err.contains("key_figures"), "names the tables: {err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept\n");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let out = bearing(
        home.path(),
        &["report", "--source", "file:/nonexistent/x.jsonl"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim(),
        "bearing: cannot read /nonexistent/x.jsonl: No such file or directory (os error 2)"
    );
}

#[test]
fn config_init_path_check_and_a_bad_value() {
    let home = tempfile::tempdir().unwrap();
    let out = bearing(home.path(), &["config", "path"]);
    let path = std::path::PathBuf::from(text(&out.stdout).trim());
    assert_eq!(path, home.path().join("config/bearing/config.toml"));

    let out = bearing(home.path(), &["config", "init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(path.exists());
    let out = bearing(home.path(), &["config", "init"]);
    assert_eq!(out.status.code(), Some(1), "init does not overwrite");
    assert!(text(&out.stderr).contains("--force"));

    let out = bearing(home.path(), &["config", "check"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("ok: "));

    let text_in = std::fs::read_to_string(&path)
        .unwrap()
        .replace("theme = \"dark\"", "theme = \"neon\"");
    let line = text_in
        .lines()
        .position(|l| l == "theme = \"neon\"")
        .unwrap()
        + 1;
    std::fs::write(&path, text_in).unwrap();
    // A theme that does not exist is said where it is and never fails a command;
    // `config check` calls it an error.
    let out = bearing(home.path(), &["report", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("config.toml:{line}:9: unknown theme \"neon\"")),
        "{err}"
    );
    let out = bearing(home.path(), &["config", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("unknown theme \"neon\""));

    std::fs::write(&path, "[keys]\nquit = \"x\"\nzoom = \"x\"\n").unwrap();
    let out = bearing(home.path(), &["config", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("conflict: key \"x\" is bound to both quit and zoom"));
}
