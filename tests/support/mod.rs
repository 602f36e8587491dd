//! Helpers for end-to-end tests: the real binary, in a private tmux server with a
//! clean environment (its own HOME and XDG dirs, so no user config leaks in).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_bearing");

/// How long a screen may take to show what a test waits for. Generous: CI machines
/// are slow and debug builds slower; a passing run never waits this long.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub struct Tmux {
    socket: String,
    pub home: tempfile::TempDir,
}

impl Tmux {
    /// A shell in a `cols`×`rows` tmux window.
    pub fn start(cols: u16, rows: u16) -> Tmux {
        assert!(
            tmux_available(),
            "these tests need tmux (.ci/run installs it)"
        );
        let home = tempfile::tempdir().unwrap();
        let socket = format!(
            "bearing-test-{}-{}",
            std::process::id(),
            home.path().file_name().unwrap().to_string_lossy()
        );
        let path = std::env::var("PATH").unwrap_or_default();
        let h = home.path().display().to_string();
        let shell = format!(
            "env -i PATH='{path}' HOME='{h}' XDG_CONFIG_HOME='{h}/config' XDG_DATA_HOME='{h}/data' \
             XDG_STATE_HOME='{h}/state' TERM=xterm-256color LANG=C.UTF-8 PS1='$ ' sh"
        );
        let t = Tmux { socket, home };
        t.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
            &shell,
        ]);
        t.tmux(&["set-option", "-g", "status", "off"]);
        // capture-pane trims the prompt's trailing space.
        t.wait_until("the shell prompt", |s| {
            s.lines().any(|l| l.trim_end() == "$")
        });
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Types a command line into the shell and presses Enter.
    pub fn run(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", line]);
        self.tmux(&["send-keys", "-t", "t", "Enter"]);
    }

    /// Runs bearing with `args`, then reports its exit code and whether the terminal
    /// settings (raw mode, echo) came back exactly as they were.
    pub fn run_bearing(&self, args: &str) {
        // The markers are printed with octal escapes so that the typed command line,
        // which stays on screen, never contains "EXIT=" or "TTY=" itself.
        self.run(&format!(
            "s=$(stty -g); '{BIN}' {args}; printf '\\105XIT=%s\\n' $?; \
             if [ \"$s\" = \"$(stty -g)\" ]; then printf '\\124TY=restored\\n'; else printf '\\124TY=changed\\n'; fi"
        ));
    }

    /// [`Tmux::run_bearing`] with environment assignments (`A=1 B=2`) before it.
    pub fn run_bearing_with(&self, env: &str, args: &str) {
        self.run(&format!(
            "s=$(stty -g); {env} '{BIN}' {args}; printf '\\105XIT=%s\\n' $?; \
             if [ \"$s\" = \"$(stty -g)\" ]; then printf '\\124TY=restored\\n'; else printf '\\124TY=changed\\n'; fi"
        ));
    }

    /// Sends tmux key names: "q", "Enter", "Escape", "Tab", "C-r".
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    /// Sends literal text, one key per character.
    pub fn text(&self, s: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", s]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen with tmux's own escapes for colours and attributes (`capture-pane -e`).
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-t", "t"]).stdout)
            .into_owned()
    }

    /// A tmux format, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", "t", format])
                .stdout,
        )
        .trim()
        .to_owned()
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
        ]);
    }

    /// Waits until the screen satisfies `pred`; panics with the last screen if it never does.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_within(PATIENCE, what, pred)
    }

    /// [`Tmux::wait_until`] with its own patience, for what takes retries.
    pub fn wait_within(
        &self,
        patience: Duration,
        what: &str,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            // A capture can catch a frame half drawn (the rows above updated, the rows
            // below not yet): take the screen once it reads the same twice, so what
            // the test then asserts about other rows belongs to the same frame.
            if pred(&s) {
                std::thread::sleep(Duration::from_millis(30));
                let again = self.screen();
                if again == s {
                    return s;
                }
                continue;
            }
            if start.elapsed() > patience {
                panic!("waited {patience:?} for {what}; the screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |s| s.contains(needle))
    }

    /// Presses q and checks that bearing exited 0 and gave the terminal back as it was.
    #[allow(dead_code)] // not every test binary quits this way
    pub fn quit_cleanly(&self) {
        self.keys(&["q"]);
        let s = self.wait_for("TTY=");
        assert!(s.contains("EXIT=0") && s.contains("TTY=restored"), "{s}");
    }

    pub fn wait_gone(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} to go"), |s| !s.contains(needle))
    }

    /// The pid of the program the shell is running (the shell's only child).
    pub fn child_pid(&self) -> Option<u32> {
        let shell: u32 = self.display("#{pane_pid}").parse().ok()?;
        let children =
            std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
        children.split_whitespace().next()?.parse().ok()
    }

    /// The pid of the bearing process the shell started, however deep below it (e.g.
    /// under `setsid -w`).
    pub fn bearing_pid(&self) -> Option<u32> {
        let mut queue: Vec<u32> = vec![self.display("#{pane_pid}").parse().ok()?];
        while let Some(pid) = queue.pop() {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == "bearing" {
                return Some(pid);
            }
            let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
                .unwrap_or_default();
            queue.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
        None
    }

    /// Ends the tmux server, as closing an SSH session or a terminal window would.
    pub fn kill_server(&self) {
        let _ = self.tmux(&["kill-server"]);
    }

    /// Asserts the terminal is back to normal after bearing exited.
    pub fn assert_restored(&self) {
        let s = self.wait_for("TTY=");
        assert!(s.contains("TTY=restored"), "terminal modes changed:\n{s}");
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(self.display("#{cursor_flag}"), "1", "cursor still hidden");
        for flag in [
            "mouse_any_flag",
            "mouse_button_flag",
            "mouse_standard_flag",
            "mouse_sgr_flag",
        ] {
            assert_eq!(
                self.display(&format!("#{{{flag}}}")),
                "0",
                "{flag} still on"
            );
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Removes the SGR sequences (`ESC [ … m`) tmux uses to report colours, leaving any
/// other escape byte in place for the test to find.
pub fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'));
        match end {
            Some(e) if after[e..].starts_with('m') => rest = &after[e + 1..],
            _ => {
                out.push_str("\x1b[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// The cursor of a pane as its border shows it: `(row, rows)` from the "12/128" at the
/// end of the line that holds `title` (e.g. "5 Alerts"). None while the pane has no
/// rows or is not on screen.
pub fn position(screen: &str, title: &str) -> Option<(usize, usize)> {
    let line = screen.lines().find(|l| l.contains(title))?;
    // The pane's own border ends at its top-right corner; other panes may follow it.
    let line = &line[line.find(title)?..];
    let line = &line[..line.find(['┐', '┓']).unwrap_or(line.len())];
    let tail = line.trim_end_matches(|c: char| !c.is_ascii_digit());
    let start = tail
        .rfind(|c: char| !(c.is_ascii_digit() || c == '/'))
        .map_or(0, |i| {
            i + tail[i..].chars().next().map_or(1, char::len_utf8)
        });
    let (row, rows) = tail[start..].split_once('/')?;
    Some((row.parse().ok()?, rows.parse().ok()?))
}

impl Tmux {
    /// Waits until the pane titled `title` has its cursor on row `row` of at least one
    /// row: the rows a key will act on are there and selected.
    pub fn wait_row(&self, title: &str, row: usize) -> String {
        self.wait_until(&format!("row {row} selected in {title}"), |s| {
            position(s, title).is_some_and(|(r, n)| r == row && n >= row)
        })
    }
}

/// `bearing --today 2026-11-28 --db DB ARGS` with `home` as HOME and nothing from the
/// test's own environment (no config folder, no source): its output, whatever its
/// status.
pub fn bearing_in(home: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--today", "2026-11-28", "--db"])
        .arg(db)
        .args(args)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("BEARING_SOURCE")
        .env("HOME", home)
        .output()
        .unwrap()
}

/// A demo export of `events` events (`bearing demo-data`, today 2026-11-28) in `dir`.
pub fn demo_export(dir: &Path, events: usize, seed: u64) -> PathBuf {
    let path = dir.join(format!("demo-{events}-{seed}.jsonl"));
    let out = Command::new(BIN)
        .args(["--today", "2026-11-28", "demo-data", "--events"])
        .arg(events.to_string())
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// One `revenue_protection_trend` event of November 2026 (day 11 + `n % 3`) as an
/// export line, for fixtures that put a chosen string in a chosen property.
pub fn revenue_event(n: usize, tenant: &str, signal: &str, range: &str) -> String {
    let day = 11 + n % 3;
    serde_json::json!({
        "uuid": format!("00000000-0000-4000-8000-{n:012}"),
        "event": "revenue_protection_trend",
        "distinct_id": "d",
        "timestamp": format!("2026-11-{day:02}T10:00:00Z"),
        "properties": {
            "tenant_id": tenant,
            "tracking_date": format!("2026-11-{day:02}T10:00:00Z"),
            "trend_category": "deliverability_directional",
            "directional_signal": signal,
            "approximate_impact_range": range,
            "strategic_priority": "High",
        }
    })
    .to_string()
}

/// Triage on the demo's stored alerts of 2026-11 (`bearing alerts --save` run first),
/// as an analyst does it in the cockpit: the first gets `owner` and `note`, the second
/// is dismissed for `reason`.
pub fn triage_two(db: &Path, (owner, note, reason): (&str, &str, &str)) {
    use bearing::triage::Command as T;
    let mut store = bearing::store::Store::open(db).unwrap();
    let ids: Vec<String> = store
        .alerts()
        .unwrap()
        .into_iter()
        .filter(|a| a.period == "2026-11")
        .map(|a| a.id)
        .take(2)
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let owner = Some(owner.to_owned());
    store
        .triage(&ids[..1], &T::SetOwner { owner }, today)
        .unwrap();
    store.note(&format!("alert:{}", ids[0]), note).unwrap();
    let reason = reason.to_owned();
    store
        .triage(&ids[1..2], &T::Dismiss { reason }, today)
        .unwrap();
}
