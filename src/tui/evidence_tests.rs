//! An alert's evidence events on demand, driven through `update` with the fixture's
//! workers (the local executor over the demo): Enter reads the newest page, `m` one
//! page more each time, until every event is shown.

use super::fixture::{loaded, send};
use super::panes::PaneId;
use super::state::{AppState, Mode};
use super::update::Msg;
use crate::engine::alerts::EVIDENCE_EVENTS;
use crate::engine::alerts::rollup::Windows;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(s: &mut AppState, c: char) {
    let code = match c {
        '\n' => KeyCode::Enter,
        c => KeyCode::Char(c),
    };
    send(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Selects the first alert standing on more than a page of events; its id and how
/// many events it has.
fn select_a_long_alert(s: &mut AppState) -> (String, usize) {
    press(s, '5');
    let want = EVIDENCE_EVENTS + 1;
    for _ in 0..s.pane(PaneId::Alerts).visible.len() {
        let row = s.selected_row(PaneId::Alerts).unwrap();
        let id = super::panes::row_id(s.rows(PaneId::Alerts), PaneId::Alerts, row).unwrap();
        let a = s.triage.alerts.iter().find(|a| a.id == id).unwrap();
        if a.evidence.total_events as usize >= want {
            return (id, a.evidence.total_events as usize);
        }
        press(s, 'j');
    }
    panic!("no alert of the demo stands on {want} events or more");
}

fn held(s: &AppState, id: &str) -> Vec<crate::engine::alerts::EvidenceEvent> {
    super::feed_alerts::evidence_of(s, id)
        .unwrap_or_default()
        .to_vec()
}

#[test]
fn enter_shows_the_newest_page_and_m_one_page_more_until_all_are_shown() {
    let mut s = loaded((120, 40));
    let (id, total) = select_a_long_alert(&mut s);
    // The store keeps no events of the cockpit's alerts: they come when asked for.
    assert!(held(&s, &id).is_empty());
    press(&mut s, '\n');
    assert_eq!(s.mode, Mode::Details { scroll: 0 });
    let first = held(&s, &id);
    assert_eq!(first.len(), EVIDENCE_EVENTS);
    press(&mut s, 'm');
    let second = held(&s, &id);
    assert_eq!(second.len(), total.min(2 * EVIDENCE_EVENTS));
    assert_eq!(
        second[..EVIDENCE_EVENTS],
        first[..],
        "a page more keeps the first"
    );
    // What a page shows is the newest events of the alert, as the rules counted them.
    let ds = &s.data.as_ref().unwrap().dataset;
    let key = s.feed.fired[&id];
    let w = Windows::new(s.params.today, s.params.zone);
    let all = crate::engine::alerts::local::evidence_upto(ds, &w, &[key], usize::MAX);
    assert_eq!(
        all[&key].len(),
        total,
        "the alert counts every event of its key"
    );
    assert_eq!(second[..], all[&key][..second.len()]);
    while held(&s, &id).len() < total {
        let before = held(&s, &id).len();
        press(&mut s, 'm');
        assert!(held(&s, &id).len() > before, "m fetched nothing more");
    }
    assert_eq!(held(&s, &id), all[&key]);
    press(&mut s, 'm');
    assert_eq!(
        s.status.as_ref().unwrap().text,
        format!("all {total} evidence events are shown")
    );
}

#[test]
fn m_outside_an_alerts_details_says_where_it_works() {
    let mut s = loaded((120, 40));
    press(&mut s, 'm');
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "m shows more evidence events in an alert's details (enter opens them)"
    );
}

#[test]
fn an_evidence_snapshot_names_its_alert_and_how_many_events_it_holds() {
    use super::feed_alerts::{alert_of_snapshot, snapshot_part};
    let id = "revenue_pattern:acme corp:2026-Q4";
    assert_eq!(alert_of_snapshot(&snapshot_part(id, 40)), Some((40, id)));
    // Kept before pages: the first page.
    let old = format!("bearing_alert_evidence {id}");
    assert_eq!(alert_of_snapshot(&old), Some((EVIDENCE_EVENTS, id)));
    assert_eq!(alert_of_snapshot("bearing_overview"), None);
}

/// The details say "o sets one": a triage key acts on the alert they show, and they
/// stay open (a key that asks for text opens its prompt instead).
#[test]
fn triage_keys_act_from_an_alerts_details() {
    use super::triage::TriageRequest;
    use super::update::{Effect, update};
    let mut s = loaded((120, 40));
    let (id, _) = select_a_long_alert(&mut s);
    press(&mut s, '\n');
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
    );
    let acted = effects.iter().any(|e| {
        matches!(e, Effect::Triage(TriageRequest::Alerts { ids, .. }) if ids == &vec![id.clone()])
    });
    assert!(acted, "{effects:?}");
    assert!(matches!(s.mode, Mode::Details { .. }), "{:?}", s.mode);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE)),
    );
    assert!(matches!(s.mode, Mode::Prompt { .. }), "{:?}", s.mode);
}
