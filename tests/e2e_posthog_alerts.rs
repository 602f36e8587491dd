//! Alerts in the cockpit over PostHog, driven in tmux against the simulator: the rules
//! run on PostHog's alert rollup and fill pane 5, an alert is triaged, the triage
//! survives a refresh and a restart, its evidence events open with Enter (and a page
//! more with m), and with
//! PostHog gone the alerts and that evidence come back from the snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sim.rs"]
mod sim;
mod support;

use sim::{KEY, Sim};
use std::time::Duration;
use support::Tmux;

const RETRIES: Duration = Duration::from_secs(180);
const REFRESHED: &str = "refreshed from PostHog";

fn env(sim_url: &str) -> String {
    format!(
        "POSTHOG_HOST={sim_url} POSTHOG_PROJECT_ID=1 POSTHOG_PERSONAL_API_KEY={KEY} \
         BEARING_POSTHOG_MAX_QUERIES_PER_HOUR=2400"
    )
}

/// N of the Alerts pane's title, "5 Alerts · last 90 days · N open".
fn open_alerts(s: &str) -> usize {
    s.lines()
        .find(|l| l.contains("5 Alerts · "))
        .and_then(|l| l.split(" · ").find_map(|part| part.split_once(" open")))
        .and_then(|(n, _)| n.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// The Alerts pane's rows on screen (it is the focused pane on the left), each
/// without its border.
fn alert_rows(s: &str) -> Vec<&str> {
    s.lines()
        .skip_while(|l| !l.contains("Severity State"))
        .skip(1)
        .map(|l| l.split('┃').nth(1).unwrap_or(""))
        .take_while(|l| !l.is_empty())
        .collect()
}

/// The Alerts pane's row of the alert `what` (its tenant, title and period as shown),
/// and where it is.
fn row_of<'a>(s: &'a str, what: &str) -> Option<(usize, &'a str)> {
    alert_rows(s)
        .into_iter()
        .enumerate()
        .find(|(_, l)| l.contains(what))
}

/// N of the details' "… and N more events".
fn more_events(s: &str) -> Option<usize> {
    s.split("… and ").nth(1)?.split(' ').next()?.parse().ok()
}

fn acked(s: &str, what: &str) -> bool {
    row_of(s, what).is_some_and(|(_, r)| r.contains(" ack "))
}

#[test]
fn alerts_over_posthog_are_triaged_kept_and_shown_offline_with_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&support::demo_export(dir.path(), 3000, 7));
    let url = sim.url();
    let t = Tmux::start(200, 50);
    t.run_bearing_with(&env(&url), "--today 2026-11-28 --save");
    t.keys(&["5"]);
    let s = t.wait_within(RETRIES, "alerts raised over PostHog", |s| {
        s.contains(REFRESHED) && open_alerts(s) > 10 && s.contains("Revenue signals in")
    });
    // The first row is selected: acknowledge it.
    t.wait_row("5 Alerts", 1);
    let first = alert_rows(&s)[0];
    assert!(first.contains(" new "), "{s}");
    // Tenant, title and period: the state column before them changes.
    let what = first.split(" new ").nth(1).unwrap().trim().to_owned();
    t.keys(&["a"]);
    t.wait_until("the alert acknowledged", |s| acked(s, &what));
    // Its evidence events open with Enter (fetched from PostHog on demand).
    t.keys(&["Enter"]);
    let s = t.wait_within(RETRIES, "the evidence events", |s| {
        s.contains("Evidence") && s.contains("• 2026-") && s.contains("revenue_protection_trend [")
    });
    assert!(!s.contains("asking PostHog"), "{s}");
    // A page more with m: the count of events not shown goes down by twenty (or to
    // none), read at the end of the details.
    t.keys(&["G"]);
    let s = t.wait_until("the end of the details", |s| s.contains("Notes"));
    let more = more_events(&s).unwrap_or_else(|| panic!("one page holds it all:\n{s}"));
    t.keys(&["m"]);
    t.keys(&["G"]);
    let s = t.wait_within(RETRIES, "a further page of evidence", |s| {
        !s.contains("fetching the evidence")
            && match more_events(s) {
                Some(left) => left + 20 == more,
                None => more <= 20 && s.contains("Notes"),
            }
    });
    assert!(s.contains("revenue_protection_trend ["), "{s}");
    t.keys(&["Escape"]);
    // A refresh keeps the triage.
    t.keys(&["R"]);
    t.wait_within(RETRIES, "a refresh under way", |s| s.contains("REFRESHING"));
    let s = t.wait_within(RETRIES, "the refresh done", |s| {
        s.contains(REFRESHED) && !s.contains("REFRESHING")
    });
    assert!(acked(&s, &what), "{s}");
    // A restart keeps it.
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.run("clear");
    t.run_bearing_with(&env(&url), "--today 2026-11-28 --save");
    t.keys(&["5"]);
    let s = t.wait_within(RETRIES, "the alerts after a restart", |s| {
        s.contains(REFRESHED) && row_of(s, &what).is_some()
    });
    assert!(acked(&s, &what), "{s}");
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    t.run("clear");
    // PostHog gone: alerts and the evidence fetched before come from the snapshot.
    drop(sim);
    t.run_bearing_with(&env(&url), "--today 2026-11-28 --save");
    t.keys(&["5"]);
    let s = t.wait_within(RETRIES, "OFFLINE with the alerts", |s| {
        s.contains("OFFLINE") && row_of(s, &what).is_some()
    });
    assert!(acked(&s, &what), "{s}");
    // Down to that alert, and its details.
    let (i, _) = row_of(&s, &what).unwrap();
    for _ in 0..i {
        t.keys(&["Down"]);
    }
    t.wait_row("5 Alerts", i + 1);
    t.keys(&["Enter"]);
    t.wait_until("the evidence from the snapshot", |s| {
        s.contains("• 2026-") && s.contains("revenue_protection_trend [")
    });
    t.keys(&["Escape", "q"]);
    let s = t.wait_for("TTY=");
    assert!(s.contains("EXIT=0") && s.contains("TTY=restored"), "{s}");
}
