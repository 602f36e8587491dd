//! The real binary in tmux at 120×40 and 80×24: start, switch panes, filter, zoom,
//! help, resize, quit; afterwards the terminal is exactly as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use support::Tmux;

/// Text that appears only once the panes are populated.
const POPULATED: &str = "reviews due this month";

#[test]
fn drive_the_cockpit_at_120x40() {
    let t = Tmux::start(120, 40);
    t.run_bearing("--today 2026-11-28 --save");
    let s = t.wait_for(POPULATED);
    assert!(s.contains("DEMO DATA"), "{s}");
    for title in [
        "1 Needs attention",
        "2 Revenue trends",
        "3 Cost opportunities",
        "4 Decision log",
        "7 Data health",
    ] {
        assert!(s.contains(title), "grid misses {title}:\n{s}");
    }
    assert_eq!(
        t.display("#{mouse_standard_flag}"),
        "1",
        "clicks are captured while running"
    );

    t.keys(&["3"]);
    t.wait_for("┏ 3 Cost opportunities");
    t.keys(&["/"]);
    t.text("vendor");
    t.keys(&["Enter"]);
    let s = t.wait_for("filter \"vendor\":");
    assert!(s.contains("/vendor"), "the pane shows its filter:\n{s}");

    t.keys(&["z"]);
    let s = t.wait_for("zoomed: Cost opportunities");
    assert!(!s.contains("Decision log"), "zoom shows one pane:\n{s}");
    t.keys(&["?"]);
    t.wait_for("show or hide this help");
    t.keys(&["Escape"]);
    t.wait_gone("show or hide this help");
    t.keys(&["Escape"]);
    t.wait_for("filter cleared");
    t.keys(&["Escape"]);
    t.wait_for("4 Decision log");

    t.resize(80, 24);
    t.wait_for("1 Attention  2 Revenue  3 Cost");
    t.resize(120, 40);
    t.wait_until("the grid again", |s| {
        s.contains("4 Decision log")
            && s.contains("7 Data health")
            && !s.contains(" 1 Attention  2 Revenue ")
    });

    t.keys(&["q"]);
    let s = t.wait_for("EXIT=");
    assert!(s.contains("EXIT=0"), "{s}");
    t.assert_restored();
}

#[test]
fn drive_the_cockpit_at_80x24() {
    let t = Tmux::start(80, 24);
    t.run_bearing("--today 2026-11-28 --save");
    let s = t.wait_for(POPULATED);
    assert!(
        s.contains("1 Attention  2 Revenue  3 Cost  4 Decisions  5 Alerts  6 Follow-ups  7 Health"),
        "tab row:\n{s}"
    );
    assert!(!s.contains("Data health ·"), "one pane at a time:\n{s}");

    t.keys(&["2"]);
    t.wait_for("┏ 2 Revenue trends");
    t.keys(&["Tab", "Tab"]);
    t.wait_for("┏ 4 Decision log");
    t.keys(&["j", "j", "Down"]);
    t.wait_for(" 4/");
    t.keys(&["/"]);
    t.text("northwind");
    let s = t.wait_for("/ northwind");
    assert!(
        s.lines().filter(|l| l.contains("northwind-mail")).count() >= 3,
        "filter as you type:\n{s}"
    );
    t.keys(&["Enter"]);
    t.wait_for("filter \"northwind\":");
    t.keys(&["Enter"]);
    t.wait_for("Decision maker level");
    t.keys(&["Escape"]);
    t.wait_gone("Decision maker level");

    t.keys(&["z"]);
    t.wait_for("zoomed: Decision log");
    t.keys(&["?"]);
    t.wait_for("show or hide this help");
    t.keys(&["q"]);
    t.wait_gone("show or hide this help");

    t.resize(120, 40);
    let s = t.wait_until("the zoomed pane at full width", |s| {
        s.contains("Decision maker") || s.contains("Outcome   ")
    });
    assert!(!s.contains("7 Data health"), "still zoomed:\n{s}");
    t.keys(&["z"]);
    t.wait_until("the grid", |s| {
        s.contains("7 Data health") && s.contains("1 Needs attention")
    });
    t.resize(80, 24);
    t.wait_for(" 1 Attention  2 Revenue ");

    t.keys(&["C-c"]);
    t.wait_for("EXIT=0");
    t.assert_restored();
}

#[test]
fn too_small_then_big_enough() {
    let t = Tmux::start(40, 10);
    t.run_bearing("--today 2026-11-28 --save");
    t.wait_for("Terminal too small: 40×10");
    t.resize(80, 24);
    t.wait_for(POPULATED);
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.assert_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["-TERM", "-HUP"] {
        let t = Tmux::start(100, 30);
        t.run_bearing("--today 2026-11-28 --save");
        t.wait_for(POPULATED);
        let pid = t.child_pid().expect("bearing's pid");
        let ok = std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        t.wait_for("EXIT=");
        t.assert_restored();
    }
}

/// Waits (at most 5 s) for process `pid` to end.
fn assert_ends(pid: u32, what: &str) {
    let start = std::time::Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat_field(&state, 2).as_deref() == Some("Z") {
            break; // exited, waiting to be reaped by its (also dying) parent
        }
        if start.elapsed() > std::time::Duration::from_secs(5) {
            // Never leave it spinning on a core after the test.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("bearing still running 5 s after {what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Field `n` (0-based) of /proc/PID/stat, counted after the command name, which may
/// hold spaces.
fn stat_field(stat: &str, n: usize) -> Option<String> {
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(n - 2).map(str::to_owned)
}

#[test]
fn a_hang_up_ends_the_process() {
    // SIGHUP (SSH dropped, window closed) means the terminal is gone: bearing exits.
    let t = Tmux::start(100, 30);
    t.run_bearing("--today 2026-11-28 --save");
    t.wait_for(POPULATED);
    t.wait_for("alerts: ");
    let pid = t.child_pid().expect("bearing's pid");
    t.kill_server();
    assert_ends(pid, "its terminal hung up");
}

#[test]
fn a_vanished_terminal_without_a_hang_up_signal_ends_the_process() {
    // A terminal can go away without a SIGHUP reaching bearing: here bearing runs in a
    // session of its own (setsid), so closing the terminal signals nobody, and crossterm
    // alone would spin on the dead tty for ever. Only the watchdog's poll of the
    // terminal can end it.
    let t = Tmux::start(100, 30);
    t.run_bearing_with("setsid -w", "--today 2026-11-28 --save");
    // Settled: the panes and the store's alerts are in, the loop idles on the terminal.
    t.wait_for(POPULATED);
    t.wait_for("alerts: ");
    let pid = t.bearing_pid().expect("bearing's pid");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    assert_eq!(
        stat_field(&stat, 5).as_deref(),
        Some(pid.to_string().as_str()),
        "bearing leads its own session, so no SIGHUP reaches it: {stat}"
    );
    t.kill_server();
    assert_ends(pid, "its terminal vanished without a SIGHUP");
}

#[test]
fn a_panic_restores_the_terminal_before_its_message() {
    // Debug builds panic on request once data is on screen (BEARING_DEBUG_PANIC).
    let t = Tmux::start(100, 30);
    t.run("export BEARING_DEBUG_PANIC=1");
    t.run_bearing("--today 2026-11-28 --save");
    let s = t.wait_for("EXIT=");
    assert!(s.contains("EXIT=101"), "a panic exits with 101:\n{s}");
    assert!(
        s.contains("BEARING_DEBUG_PANIC asked for a panic"),
        "the message is readable on the normal screen:\n{s}"
    );
    t.assert_restored();
}

#[test]
fn no_way_out_ctrl_c_and_ctrl_backslash_quit_whatever_the_keymap() {
    // quit moved off q: q no longer quits, but Ctrl-C and Ctrl-\ always do.
    for key in ["C-c", "C-\\"] {
        let t = Tmux::start(100, 30);
        let dir = t.home.path().join("config/bearing");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), "[keys]\nquit = \"x\"\n").unwrap();
        t.run_bearing("--today 2026-11-28 --save");
        t.wait_for(POPULATED);
        t.keys(&["q", "?"]);
        t.wait_for("show or hide this help");
        t.keys(&["Escape"]);
        t.wait_gone("show or hide this help");
        t.keys(&[key]);
        let s = t.wait_for("EXIT=");
        assert!(s.contains("EXIT=0"), "{key}: {s}");
        t.assert_restored();
    }
}
