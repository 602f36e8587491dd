//! A follow-up's due date, set from the keyboard.

use super::fixture::loaded;
use super::state::{AppState, Mode, PromptKind};
use super::triage::TriageRequest;
use super::update::{Effect, Msg, update};
use crate::triage::followup::FollowCommand;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_due(s: &mut AppState, text: &str) -> Vec<Effect> {
    key(s, KeyCode::Char('6'));
    key(s, KeyCode::Char('D'));
    let Mode::Prompt { kind, input, .. } = &s.mode else {
        panic!("no prompt: {:?}", s.mode);
    };
    assert_eq!(*kind, PromptKind::Due);
    assert_eq!(input.len(), 10, "the current due date to edit: {input:?}");
    for _ in 0..10 {
        key(s, KeyCode::Backspace);
    }
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
    key(s, KeyCode::Enter)
}

#[test]
fn d_sets_a_follow_ups_due_date_as_a_day_or_days_from_today() {
    for (typed, want) in [
        ("2026-12-15", "2026-12-15"),
        ("+7", "2026-12-05"),
        ("+2w", "2026-12-12"),
    ] {
        let mut s = loaded((120, 40));
        let effects = type_due(&mut s, typed);
        let due = effects.iter().find_map(|e| match e {
            Effect::Triage(TriageRequest::FollowUps {
                command: FollowCommand::SetDue { due },
                ..
            }) => Some(due.to_string()),
            _ => None,
        });
        assert_eq!(due.as_deref(), Some(want), "{typed}: {effects:?}");
    }
    let mut s = loaded((120, 40));
    assert!(type_due(&mut s, "soon").is_empty());
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("not a date: \"soon\"")
    );
}

/// The current due date is filled in selected: typed over it goes (`+1w` is a week
/// from today, not the date with `+1w` after it); backspace edits it instead.
#[test]
fn typing_over_the_filled_in_due_date_replaces_it_and_backspace_edits_it() {
    let effects = |edits: &[KeyCode]| {
        let mut s = loaded((120, 40));
        key(&mut s, KeyCode::Char('6'));
        key(&mut s, KeyCode::Char('D'));
        let footer = super::hint_tests::screen(&s);
        assert!(footer.contains("typing replaces it"), "{footer}");
        for &k in edits {
            key(&mut s, k);
        }
        let due = key(&mut s, KeyCode::Enter).iter().find_map(|e| match e {
            Effect::Triage(TriageRequest::FollowUps {
                command: FollowCommand::SetDue { due },
                ..
            }) => Some(due.to_string()),
            _ => None,
        });
        due.unwrap_or_else(|| format!("nothing sent; {:?}", s.status))
    };
    let typed: Vec<KeyCode> = "+1w".chars().map(KeyCode::Char).collect();
    assert_eq!(effects(&typed), "2026-12-05");
    // The first due date of the list, its last digit edited to 9.
    let mut s = loaded((120, 40));
    key(&mut s, KeyCode::Char('6'));
    key(&mut s, KeyCode::Char('D'));
    let Mode::Prompt { input, .. } = &s.mode else {
        panic!("no prompt")
    };
    let want = format!("{}9", &input[..9]);
    assert_eq!(effects(&[KeyCode::Backspace, KeyCode::Char('9')]), want);
}
