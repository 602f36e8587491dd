//! The needs-attention view and the Alerts pane's review cycles, on the real binary in
//! tmux at 80×24 and 120×40: the demo's `past_due` tenant (hooli-news, rising revenue
//! risks and high alerts) is listed with its alerts, `/` finds it, Enter gives its
//! executive summary; the Alerts pane follows `p`, and `A` shows every open alert.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use support::Tmux;

const POPULATED: &str = "reviews due this month";

/// The row of `tenant` in the focused pane (drawn with a heavy border).
fn row_of(screen: &str, tenant: &str) -> Option<String> {
    screen
        .lines()
        .filter_map(|l| l.split('┃').nth(1))
        .find(|l| l.starts_with(tenant))
        .map(str::to_owned)
}

fn drive(cols: u16, rows: u16) {
    let t = Tmux::start(cols, rows);
    t.run_bearing("--today 2026-11-28 --save");
    // The alerts come from the store after the data: waited for on hooli's own row.
    let s = t.wait_until("hooli-news with its alerts", |s| {
        s.contains(POPULATED) && row_of(s, "hooli-news").is_some_and(|r| r.contains(" high"))
    });
    assert!(s.contains("1 Needs attention"), "{s}");
    let hooli = row_of(&s, "hooli-news").unwrap();
    assert!(hooli.contains("past_due"), "its status is shown:\n{s}");
    assert!(hooli.contains(" high"), "its worst open alert:\n{s}");
    assert!(hooli.contains("▲ 2"), "its rising risks:\n{s}");
    assert!(hooli.contains('$'), "the money at risk:\n{s}");

    // Findable with /, and Enter gives its executive summary.
    t.keys(&["1", "/"]);
    t.text("hooli");
    t.keys(&["Enter"]);
    t.wait_for("filter \"hooli\":");
    t.keys(&["Enter"]);
    let s = t.wait_for("hooli-news · executive summary");
    assert!(s.contains("Open alerts"), "{s}");
    t.keys(&["Escape"]);
    t.wait_gone("executive summary");
    t.keys(&["Escape"]);
    t.wait_for("filter cleared");

    // The Alerts pane follows the period: in the month, no October alert is listed.
    t.keys(&["5", "/"]);
    t.text("period:2026-10");
    t.keys(&["Enter"]);
    let s = t.wait_for("5 Alerts · last 90 days");
    assert!(
        !s.contains("No rows match"),
        "90 days list October's alerts:\n{s}"
    );
    t.keys(&["p"]);
    t.wait_until("the month's alerts, none of October's", |s| {
        s.contains("5 Alerts · 2026-11 to date") && s.contains("No rows match")
    });
    t.keys(&["Escape"]);
    t.wait_for("filter cleared");

    // All open, one key away.
    t.keys(&["A"]);
    t.wait_for("5 Alerts · all open");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn needs_attention_and_alert_cycles_at_80x24() {
    drive(80, 24);
}

#[test]
fn needs_attention_and_alert_cycles_at_120x40() {
    drive(120, 40);
}
