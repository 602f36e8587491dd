//! An export with broken lines, missing properties and strings that try to take over
//! the terminal: bearing opens it, data health counts the damage, and no control byte
//! reaches the terminal (checked on tmux's own record of the screen and pane title).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use support::{Tmux, strip_sgr, write};

const TITLE_ATTACK: &str = "\\u001b]0;PWNED\\u0007";
const CLEAR_ATTACK: &str = "\\u001b[2J";
const BIDI_ATTACK: &str = "\\u202e";

fn line(tenant: &str, category: &str, signal: &str, date: &str) -> String {
    format!(
        r#"{{"uuid":"0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70","event":"revenue_protection_trend","distinct_id":"x","timestamp":"{date}T10:00:00Z","properties":{{"tenant_id":"{tenant}","trend_category":"{category}","directional_signal":"{signal}","approximate_impact_range":"$5K-15K","strategic_context":"c","follow_up_action":"process_review_required","strategic_priority":"high","tracking_date":"{date}"}}}}"#
    )
}

fn hostile_file() -> Vec<u8> {
    let mut lines = vec![
        line(&format!("evil{TITLE_ATTACK}"), &format!("clear{CLEAR_ATTACK}"), &format!("bidi{BIDI_ATTACK}gnp.exe"), "2026-11-20"),
        line("acme", "deliverability_directional", "increasing_bounce_rate", "2026-11-21"),
        // Missing properties: no tenant_id, no impact, no priority.
        r#"{"event":"revenue_protection_trend","timestamp":"2026-11-22T10:00:00Z","properties":{"trend_category":"deliverability_directional"}}"#.to_owned(),
        r#"{"event":"cost_optimization_trend","timestamp":"2026-11-22T10:00:00Z","properties":{"tenant_id":"acme","approximate_savings_range":"lots"}}"#.to_owned(),
        // Broken lines.
        "{not json at all".to_owned(),
        r#"{"event":"strategic_decision_summary","properties":{"tenant_id":"acme""#.to_owned(),
    ];
    for i in 0..5 {
        lines.push(line(
            "acme",
            "churn_risk_directional",
            "declining_logins",
            &format!("2026-11-0{}", i + 1),
        ));
    }
    let mut bytes = lines.join("\n").into_bytes();
    // A broken line made of raw escape sequences: never shown, only counted.
    bytes.extend_from_slice(b"\n\x1b]0;PWNED\x07\x1b[2J\xe2\x80\xae raw\n");
    bytes
}

#[test]
fn hostile_export_opens_and_stays_inert() {
    let t = Tmux::start(120, 40);
    let file = write(t.home.path(), "hostile.jsonl", &hostile_file());
    let title_before = t.display("#{pane_title}");
    t.run_bearing(&format!(
        "--today 2026-11-28 --save --source file:{}",
        file.display()
    ));
    t.wait_for("reviews due this month");

    // Data health reports the damage.
    t.keys(&["7", "z"]);
    let s = t.wait_for("zoomed: Data health");
    assert!(s.contains("12 · 3 broken"), "lines read and broken:\n{s}");
    assert!(
        s.contains("revenue_protection_trend") && s.contains("✗ below 95%"),
        "{s}"
    );
    assert!(
        s.contains("✗ line 5") && s.contains("✗ line 6") && s.contains("✗ line 12"),
        "broken line numbers:\n{s}"
    );
    assert!(
        s.contains("└ tenant_id"),
        "missing properties are named:\n{s}"
    );

    // The hostile strings are on screen, as visible, inert text.
    t.keys(&["z", "1", "/"]);
    t.text("evil");
    t.keys(&["Enter", "z"]);
    let s = t.wait_for("zoomed: Needs attention");
    assert!(
        s.contains("evil\\x1b]0;PWNED\\x07"),
        "the tenant shows its escape as text:\n{s}"
    );
    t.keys(&["z", "2", "/"]);
    t.text("evil");
    t.keys(&["Enter", "Enter"]);
    let s = t.wait_for("Directional signals in the period");
    assert!(s.contains("clear\\x1b[2J"), "{s}");
    assert!(s.contains("bidi\\u{202e}gnp.exe"), "{s}");

    for screen in [t.screen_with_escapes(), {
        t.keys(&["Escape", "7", "z"]);
        t.wait_for("✗ line 12");
        t.screen_with_escapes()
    }] {
        let bare = strip_sgr(&screen);
        let bad: Vec<char> = bare
            .chars()
            .filter(|c| (c.is_control() && *c != '\n') || *c == '\u{202e}')
            .collect();
        assert!(
            bad.is_empty(),
            "control characters reached the terminal: {bad:?}\n{bare}"
        );
    }
    assert!(!t.display("#{pane_title}").contains("PWNED"));
    assert_eq!(t.display("#{pane_title}"), title_before);

    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.assert_restored();
}
