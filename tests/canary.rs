//! A canary key must appear nowhere: not in a trace-level log, the database, the
//! screen, a panic message, `--help` or `doctor`, nor in any error PostHog's refusal
//! of it produces. Every place is searched for the key itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::Sim;
use std::path::Path;
use std::process::Command;
use support::Tmux;

const CANARY: &str = "phx_CANARY_d41d8cd98f00b204e980";

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

fn run(home: &Path, env: &[(String, String)], args: &[&str]) -> String {
    let out = Command::new(support::BIN)
        .args(["--today", "2026-11-28"])
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Every file under `dir`, read as bytes: the database, its WAL, logs, snapshots.
fn assert_absent_under(dir: &Path) -> usize {
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files += assert_absent_under(&path);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
            assert!(!found, "the key is in {}", path.display());
            files += 1;
        }
    }
    files
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
        assert!(!out.contains(CANARY), "{args:?} printed the key:\n{out}");
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
    t.run_bearing_with(&assignments, "--today 2026-11-28");
    t.wait_within(std::time::Duration::from_secs(60), "the refresh", |s| {
        s.contains("refreshed from PostHog")
    });
    for keys in [&["R"][..], &["?"], &["Escape", "4", "Enter"], &["Escape"]] {
        t.keys(keys);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let s = t.screen();
        assert!(!s.contains(CANARY), "the screen shows the key:\n{s}");
    }
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    // A panic with data on screen (debug builds honour BEARING_DEBUG_PANIC).
    t.run("clear");
    t.run_bearing_with(
        &format!("{assignments} BEARING_DEBUG_PANIC=1"),
        "--today 2026-11-28",
    );
    let s = t.wait_for("EXIT=");
    assert!(s.contains("panicked") || s.contains("panic"), "{s}");
    assert!(!s.contains(CANARY), "the panic message shows the key:\n{s}");

    // PostHog refusing the key: the errors name it, never show it.
    let wrong = Sim::start(&dense::write(fixture.path(), 100));
    let out = run(
        home.path(),
        &env_for(&wrong.url(), &log),
        &["report", "--source", "posthog"],
    );
    assert!(out.contains("refused the personal API key"), "{out}");
    assert!(!out.contains(CANARY), "{out}");

    // The log was written, at trace level, and holds no key; nor does anything
    // bearing stored (database, WAL) in either home.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("TRACE") && text.contains("query answered"),
        "{text}"
    );
    std::fs::remove_file(&env_file).unwrap();
    let files = assert_absent_under(home.path()) + assert_absent_under(t.home.path());
    assert!(files >= 3, "searched {files} files");
}
