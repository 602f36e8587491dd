//! The meeting's keys, its notes and what a redacted deck keeps off the wall.

use super::deck::{self, Deck, Redaction, Slide};
use super::*;
use crate::report::review::{Table, Template, TenantPage};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cell::RefCell;

fn table(title: &str) -> Table {
    Table {
        name: "x",
        title: title.into(),
        note: None,
        columns: vec![],
        rows: vec![],
        numeric: vec![],
    }
}

fn deck(n: usize) -> Deck {
    let mut slides = vec![Slide::Figures { rows: vec![] }];
    for i in 0..n {
        slides.push(Slide::Table(table(&format!("t{i}"))));
    }
    Deck {
        title: "T".into(),
        source: "S".into(),
        as_of: "now".into(),
        slides,
    }
}

fn alert(id: &str, owner: Option<&str>, note: Option<&str>) -> PageAlert {
    PageAlert {
        id: id.into(),
        severity: "high".into(),
        state: "new".into(),
        title: format!("finding {id}"),
        period: "2026-11".into(),
        owner: owner.map(str::to_owned),
        notes: note.into_iter().map(str::to_owned).collect(),
        followup: None,
    }
}

fn page(tenant: &str, alerts: Vec<PageAlert>) -> TenantPage {
    TenantPage {
        summary: crate::engine::summaries::ExecutiveSummary {
            tenant_id: tenant.into(),
            ..Default::default()
        },
        open_alerts: alerts.len(),
        alerts,
        open_followups: 0,
        monthly: vec![],
        at_risk: (0.0, 0.0),
        savings: (0.0, 0.0),
    }
}

fn review(pages: Vec<TenantPage>) -> Review {
    Review {
        template: Template::Monthly,
        title: "Monthly strategic review · 2026-11".into(),
        source: "demo".into(),
        period: "2026-11".into(),
        previous: "2026-10".into(),
        today: "2026-11-28".into(),
        as_of: "2026-11-28 10:00 UTC".into(),
        timezone: "UTC".into(),
        tenant: None,
        figures: table("Key figures"),
        sections: vec![],
        tenants: pages,
        alerts: table("alerts"),
        followups: table("followups"),
        health: table("health"),
    }
}

fn two_alerts() -> Review {
    review(vec![page(
        "acme",
        vec![
            alert("a1", Some("dana"), Some("vendor called (dana)")),
            alert("a2", None, None),
        ],
    )])
}

fn press(p: &mut Presenter, code: KeyCode) -> Ask {
    p.key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(p: &mut Presenter, text: &str) {
    for c in text.chars() {
        press(p, KeyCode::Char(c));
    }
}

#[test]
fn keys_walk_the_agenda_and_stop_at_its_ends() {
    let mut p = Presenter::new(deck(3));
    press(&mut p, KeyCode::Left);
    assert_eq!(p.at, 0);
    for _ in 0..10 {
        press(&mut p, KeyCode::Char(' '));
    }
    assert_eq!(p.at, 3);
    press(&mut p, KeyCode::Left);
    assert_eq!(p.at, 2);
    assert_eq!(press(&mut p, KeyCode::Char('R')), Ask::Refresh);
    // A refreshed deck keeps the slide it was on, by name.
    let mut fresh = deck(3);
    fresh.as_of = "later".into();
    fresh.slides.remove(1);
    p.replace(fresh);
    assert_eq!(p.deck.slides[p.at].heading(), "t1");
    press(&mut p, KeyCode::Char('q'));
    assert!(p.quit);
}

#[test]
fn a_redacted_deck_holds_no_owner_or_note_and_its_screen_takes_none() {
    let d = deck::build(
        &two_alerts(),
        Redaction {
            people: true,
            tenants: false,
        },
    );
    let Slide::Tenant(page) = &d.slides[1] else {
        panic!("the tenant's slide follows the key figures")
    };
    assert_eq!(page.alerts[0].owner, Some(deck::alias("owner", "dana")));
    assert!(page.alerts.iter().all(|a| a.notes.is_empty()));
    let mut p = Presenter::new(d);
    p.go(1);
    // Typing a note on the wall would show it to the room.
    assert_eq!(press(&mut p, KeyCode::Char('n')), Ask::Nothing);
    assert_eq!(p.prompt, None);
    assert!(p.said.as_deref().unwrap().contains("presenter's view"));
    assert_eq!(press(&mut p, KeyCode::Char('f')), Ask::Nothing);
}

#[test]
fn a_note_goes_to_the_alert_picked_when_n_was_pressed() {
    let mut p = Presenter::new(deck::build(&two_alerts(), Redaction::default()));
    p.notes_here = true;
    p.go(1);
    press(&mut p, KeyCode::Char('j'));
    press(&mut p, KeyCode::Char('j'));
    assert_eq!(p.pick, 1, "the pick stops at the last alert");
    press(&mut p, KeyCode::Char('n'));
    typed(&mut p, "call them");
    // The shared screen moves on while the presenter types.
    p.go(0);
    let ask = press(&mut p, KeyCode::Enter);
    assert_eq!(
        ask,
        Ask::Note {
            alert: "a2".into(),
            title: "finding a2".into(),
            text: "call them".into()
        }
    );
    // An empty note is not sent to the store.
    p.go(1);
    press(&mut p, KeyCode::Char('n'));
    typed(&mut p, "  ");
    assert_eq!(press(&mut p, KeyCode::Enter), Ask::Nothing);
    assert!(p.said.as_deref().unwrap().contains("empty"));
}

/// A store that takes notes, or refuses them as a read-only one does.
struct Fake {
    refuse: bool,
    notes: RefCell<Vec<(String, String)>>,
}

impl Source for Fake {
    fn load(&self) -> Result<Review, String> {
        Ok(two_alerts())
    }
    fn note(&self, alert: &str, text: &str) -> Result<PageAlert, String> {
        if self.refuse {
            return Err("read-only (read-only mode)".into());
        }
        self.notes.borrow_mut().push((alert.into(), text.into()));
        Ok(alert_with_note(alert, text))
    }
    fn follow_up(&self, alert: &str) -> Result<(String, PageAlert), String> {
        let mut a = alert_with_note(alert, "x");
        a.followup = Some(format!("alert:{alert}"));
        Ok(("follow-up created, due 2026-12-31".into(), a))
    }
}

fn alert_with_note(id: &str, text: &str) -> PageAlert {
    alert(id, None, Some(&format!("{text} (ana)")))
}

fn noting(refuse: bool) -> (Presenter, Fake) {
    let fake = Fake {
        refuse,
        notes: RefCell::default(),
    };
    let mut p = Presenter::new(deck::build(&fake.load().unwrap(), Redaction::default()));
    p.notes_here = true;
    p.go(1);
    press(&mut p, KeyCode::Char('j'));
    press(&mut p, KeyCode::Char('n'));
    typed(&mut p, "vendor fixed it");
    (p, fake)
}

#[test]
fn a_recorded_note_shows_on_its_alert_and_a_refused_one_is_not_lost() {
    let (mut p, fake) = noting(false);
    let ask = press(&mut p, KeyCode::Enter);
    act(&mut p, ask, &fake, Redaction::default(), |_| Ok(())).unwrap();
    assert_eq!(
        *fake.notes.borrow(),
        vec![("a2".to_owned(), "vendor fixed it".to_owned())]
    );
    assert_eq!(
        p.alerts()[1].notes,
        vec!["vendor fixed it (ana)".to_owned()]
    );
    assert!(p.said.as_deref().unwrap().contains("note recorded"));
    let ask = press(&mut p, KeyCode::Char('f'));
    assert_eq!(ask, Ask::FollowUp { alert: "a2".into() });
    act(&mut p, ask, &fake, Redaction::default(), |_| Ok(())).unwrap();
    assert!(p.alerts()[1].followup.is_some());

    let (mut p, fake) = noting(true);
    let ask = press(&mut p, KeyCode::Enter);
    act(&mut p, ask, &fake, Redaction::default(), |_| Ok(())).unwrap();
    assert!(p.said.as_deref().unwrap().contains("not recorded"));
    // The note is back at the foot of the screen, as typed, to try again or copy.
    match &p.prompt {
        Some(Prompt::Note { alert, text, .. }) => {
            assert_eq!((alert.as_str(), text.as_str()), ("a2", "vendor fixed it"));
        }
        other => panic!("the note was lost: {other:?}"),
    }
}

#[test]
fn a_long_note_keeps_its_end_and_the_cursor_in_view() {
    let text = "the vendor confirmed the blocklist listing was removed on friday";
    let short = draw::note_prompt("Revenue signals", "call them", 80);
    assert!(short.contains("note on Revenue signals: call them▏ (enter records"));
    for width in [20u16, 40, 79] {
        let shown = draw::note_prompt("Revenue signals in 2 of 3 months", text, width);
        assert!(shown.chars().count() <= usize::from(width), "{shown:?}");
        assert!(shown.ends_with("friday▏"), "{shown:?}");
    }
}
