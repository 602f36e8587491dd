//! Files bearing did not write, named where it reads a config, a theme, a key file, a
//! subscriptions table or an events export: `/dev/zero`, `/dev/urandom`, a FIFO, a
//! folder, a file far too big, a byte-order mark, a line of garbage. Each run of the real
//! binary must end within seconds, inside a memory cap, with an error that names the
//! file and what is wrong with it — or, for a BOM and a bad line, with the data intact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::BIN;

/// A read that never ends or blocks for ever shows up as a run past this.
const LIMIT: Duration = Duration::from_secs(15);
/// Resident memory no run here needs (they take about 12 MiB): more is a read without
/// a limit, even one that ended when the cap below made an allocation fail.
const PEAK_KIB: u64 = 200 << 10;
/// Address space for the child, in KiB: far more than bearing needs, far less than an
/// endless read wants, so such a read dies quickly instead of taking the machine.
const MEMORY_KIB: u64 = 2 << 20;

struct Run {
    /// None when the run was killed for taking longer than [`LIMIT`].
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The most resident memory seen while it ran (VmHWM), in KiB.
    peak_kib: u64,
}

impl Run {
    fn small(&self, what: &str) {
        assert!(
            self.peak_kib < PEAK_KIB,
            "{what}: held {} MiB, read without a limit",
            self.peak_kib >> 10
        );
    }

    /// Asserts a prompt failure whose message holds every one of `words`.
    fn refused(&self, what: &str, words: &[&str]) {
        self.small(what);
        assert!(
            self.code.is_some(),
            "{what}: still running after {LIMIT:?} (a read that never ends or blocks); stderr: {}",
            self.stderr
        );
        assert_eq!(
            self.code,
            Some(1),
            "{what}: exit code; stderr: {}",
            self.stderr
        );
        for w in words {
            assert!(
                self.stderr.contains(w),
                "{what}: stderr lacks {w:?}: {}",
                self.stderr
            );
        }
    }

    fn succeeded(&self, what: &str) {
        self.small(what);
        assert!(self.code.is_some(), "{what}: still running after {LIMIT:?}");
        assert_eq!(self.code, Some(0), "{what}: stderr: {}", self.stderr);
    }
}

/// bearing in a clean environment under `home`, capped in memory and time.
fn bearing(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    // Drained while the child runs: a report fills a pipe long before it ends.
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut r) = r {
                r.read_to_end(&mut s).ok();
            }
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|r| Box::new(r) as _));
    let stderr = drain(child.stderr.take().map(|r| Box::new(r) as _));
    let start = Instant::now();
    let mut peak_kib = 0;
    let code = loop {
        peak_kib = peak_kib.max(high_water_kib(child.id()));
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status.code().unwrap_or(-1));
        }
        if start.elapsed() > LIMIT {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    Run {
        code,
        stdout,
        stderr,
        peak_kib,
    }
}

/// A live process's peak resident memory; 0 once it is gone.
fn high_water_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A FIFO at `path`, private (0600) so that only its being a FIFO stands in the way.
fn fifo(path: &Path) -> PathBuf {
    let ok = Command::new("mkfifo")
        .args(["-m", "600"])
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
    path.to_path_buf()
}

const EVENT: &str = r#"{"uuid":"0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70","event":"cost_optimization_trend","distinct_id":"d","timestamp":"2026-11-20T00:00:00Z","properties":{"tenant_id":"acme","optimization_type":"x","approximate_savings_range":"500-2000","esp_vendor_context":"v","implementation_feasibility":"f","strategic_review_required":true,"tracking_date":"2026-11-20"}}"#;

fn events_file(dir: &Path) -> PathBuf {
    let path = dir.join("events.jsonl");
    std::fs::write(&path, format!("{EVENT}\n{EVENT}\n")).unwrap();
    path
}

fn report(home: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--today", "2026-11-28"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["report", "--format", "json"]);
    bearing(home, &[], &args)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn subscriptions_from_dev_zero_is_refused_not_read_for_ever() {
    let home = tempfile::tempdir().unwrap();
    let events = events_file(home.path());
    let source = format!("file:{}", events.display());
    let run = report(
        home.path(),
        &["--source", &source, "--subscriptions", "/dev/zero"],
    );
    run.refused(
        "--subscriptions /dev/zero",
        &["/dev/zero", "a device, not a file"],
    );
}

#[test]
fn config_from_dev_zero_is_refused_not_read_for_ever() {
    let home = tempfile::tempdir().unwrap();
    let run = report(home.path(), &["--config", "/dev/zero"]);
    run.refused("--config /dev/zero", &["/dev/zero", "a device, not a file"]);
}

#[test]
fn a_theme_symlinked_to_dev_zero_is_not_read_on_any_command() {
    let home = tempfile::tempdir().unwrap();
    let themes = home.path().join("config/bearing/themes");
    std::fs::create_dir_all(&themes).unwrap();
    symlink("/dev/zero", themes.join("zero.toml")).unwrap();
    std::fs::write(home.path().join("config/bearing/config.toml"), "").unwrap();
    // Every command lists the themes to check the config's choice against.
    let run = report(home.path(), &[]);
    run.succeeded("report beside a theme linked to /dev/zero");
    let run = bearing(home.path(), &[], &["config", "check"]);
    run.succeeded("config check beside a theme linked to /dev/zero");
    assert!(
        run.stdout.contains("themes/zero.toml") && run.stdout.contains("a device, not a file"),
        "config check names the unreadable theme: {}",
        run.stdout
    );
}

#[test]
fn a_fifo_as_config_never_blocks() {
    let home = tempfile::tempdir().unwrap();
    let path = fifo(&home.path().join("config.toml"));
    let run = report(home.path(), &["--config", path.to_str().unwrap()]);
    run.refused("--config FIFO", &["config.toml", "a FIFO, not a file"]);
}

#[test]
fn a_fifo_as_theme_never_blocks() {
    let home = tempfile::tempdir().unwrap();
    let themes = home.path().join("config/bearing/themes");
    std::fs::create_dir_all(&themes).unwrap();
    fifo(&themes.join("pipe.toml"));
    std::fs::write(home.path().join("config/bearing/config.toml"), "").unwrap();
    let run = bearing(home.path(), &[], &["config", "check"]);
    run.succeeded("config check beside a FIFO theme");
    assert!(
        run.stdout.contains("themes/pipe.toml") && run.stdout.contains("a FIFO, not a file"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_fifo_as_key_file_never_blocks() {
    let home = tempfile::tempdir().unwrap();
    let key = fifo(&home.path().join("posthog.key"));
    let env = [
        ("POSTHOG_HOST", "http://127.0.0.1:9"),
        ("POSTHOG_PROJECT_ID", "1"),
        ("POSTHOG_KEY_FILE", key.to_str().unwrap()),
    ];
    let run = bearing(
        home.path(),
        &env,
        &["--today", "2026-11-28", "report", "--format", "json"],
    );
    run.refused("key file FIFO", &["posthog.key", "a FIFO, not a file"]);
}

#[test]
fn a_fifo_as_subscriptions_never_blocks() {
    let home = tempfile::tempdir().unwrap();
    let events = events_file(home.path());
    let subs = fifo(&home.path().join("subs.jsonl"));
    let source = format!("file:{}", events.display());
    let run = report(
        home.path(),
        &[
            "--source",
            &source,
            "--subscriptions",
            subs.to_str().unwrap(),
        ],
    );
    run.refused(
        "--subscriptions FIFO",
        &["subs.jsonl", "a FIFO, not a file"],
    );
    // The default table beside the events file is optional, but a FIFO there is
    // still never opened for reading in a way that blocks.
    fifo(&home.path().join("events.subscriptions.jsonl"));
    let run = report(home.path(), &["--source", &source]);
    run.refused(
        "a FIFO beside the events file",
        &["events.subscriptions.jsonl", "a FIFO, not a file"],
    );
}

#[test]
fn dev_zero_or_urandom_as_the_events_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    for dev in ["/dev/zero", "/dev/urandom"] {
        let source = format!("file:{dev}");
        let run = report(home.path(), &["--source", &source]);
        run.refused(&source, &[dev, "a device, not a file"]);
    }
}

#[test]
fn a_fifo_or_folder_as_the_events_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let pipe = fifo(&home.path().join("pipe.jsonl"));
    let source = format!("file:{}", pipe.display());
    report(home.path(), &["--source", &source])
        .refused("events FIFO", &["pipe.jsonl", "a FIFO, not a file"]);
    let source = format!("file:{}", home.path().display());
    report(home.path(), &["--source", &source]).refused("events folder", &["a folder, not a file"]);
}

#[test]
fn a_config_over_the_size_limit_is_refused_naming_the_limit() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("big.toml");
    // Valid TOML: only its size is wrong.
    let comment = format!("# {}\n", "x".repeat(1000));
    std::fs::write(&path, comment.repeat(1100)).unwrap();
    let run = bearing(
        home.path(),
        &[],
        &["--config", path.to_str().unwrap(), "config", "check"],
    );
    run.refused("a 1.1 MB config", &["big.toml", "larger than 1 MiB"]);
}

#[test]
fn a_symlinked_config_is_still_read() {
    // Dotfile managers link configs into place: following the link is fine, as long as
    // it ends at a regular file.
    let home = tempfile::tempdir().unwrap();
    let real = home.path().join("dotfiles.toml");
    std::fs::write(&real, "[general]\ntheme = \"no-such-theme\"\n").unwrap();
    let link = home.path().join("config.toml");
    symlink(&real, &link).unwrap();
    let run = report(home.path(), &["--config", link.to_str().unwrap()]);
    // Read: the unknown theme it names is said (and the report goes on without it).
    run.succeeded("a linked config is read");
    assert!(run.stderr.contains("no-such-theme"), "{}", run.stderr);
}

#[test]
fn a_utf8_bom_in_the_config_file_is_ignored() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("bom.toml");
    std::fs::write(&path, "\u{feff}[general]\nread_only = true\n").unwrap();
    let run = bearing(
        home.path(),
        &[],
        &["--config", path.to_str().unwrap(), "config", "check"],
    );
    run.succeeded("config check of a config with a BOM");
}

#[test]
fn a_utf8_bom_in_a_theme_file_is_ignored() {
    let home = tempfile::tempdir().unwrap();
    let themes = home.path().join("config/bearing/themes");
    std::fs::create_dir_all(&themes).unwrap();
    let (_, dark) = bearing::config::theme::BUILTIN[0];
    let mine = dark.replacen("name = \"dark\"", "name = \"mine\"", 1);
    std::fs::write(themes.join("mine.toml"), format!("\u{feff}{mine}")).unwrap();
    let config = home.path().join("config/bearing/config.toml");
    std::fs::write(config, "[general]\ntheme = \"mine\"\n").unwrap();
    let run = bearing(home.path(), &[], &["config", "check"]);
    run.succeeded("config check beside a theme with a BOM");
    assert!(!run.stdout.contains("warning"), "{}", run.stdout);
}

#[test]
fn unreadable_subscription_rows_are_skipped_and_counted_in_the_report() {
    let home = tempfile::tempdir().unwrap();
    let events = events_file(home.path());
    let mut subs = b"\xef\xbb\xbf".to_vec();
    subs.extend_from_slice(br#"{"tenant_id":"acme","plan_name":"Pro","status":"active"}"#);
    subs.extend_from_slice(b"\n{\"tenant_id\":\"bad\xff\",\"plan_name\":\"Pro\"}\n");
    subs.extend_from_slice(b"{not json\n");
    subs.extend_from_slice(br#"{"tenant_id":"beta","plan_name":"Team","status":"active"}"#);
    subs.push(b'\n');
    std::fs::write(home.path().join("events.subscriptions.jsonl"), subs).unwrap();
    let source = format!("file:{}", events.display());
    let run = report(home.path(), &["--source", &source]);
    run.succeeded("report with two unreadable subscription rows");
    let v = json(&run);
    assert_eq!(
        v["source"]["read"]["subscriptions_broken"], 2,
        "the two unreadable rows are counted: {}",
        v["source"]
    );
    assert_eq!(v["overview"]["has_subscriptions"], true);
    let plan = v["overview"]["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tenant_id"] == "acme")
        .map(|t| t["plan_name"].clone());
    assert_eq!(
        plan,
        Some(serde_json::json!("Pro")),
        "the row after the BOM keeps its plan"
    );
}
