//! Every legal transition, and the refusal of every illegal one.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn at(status: Status) -> TriageState {
    match status {
        Status::Snoozed => TriageState {
            status,
            snoozed_until: NaiveDate::from_ymd_opt(2026, 12, 1),
            snoozed_from: Some(Status::Acknowledged),
            ..TriageState::default()
        },
        Status::Dismissed => TriageState {
            status,
            dismiss_reason: Some("noise".into()),
            ..TriageState::default()
        },
        _ => TriageState {
            status,
            ..TriageState::default()
        },
    }
}

fn snooze() -> Command {
    Command::Snooze {
        until: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
    }
}

fn dismiss() -> Command {
    Command::Dismiss {
        reason: "duplicate of another alert".into(),
    }
}

/// (from, command, expected status or None when refused)
fn table() -> Vec<(Status, Command, Option<Status>)> {
    use Status::*;
    vec![
        (New, Command::Acknowledge, Some(Acknowledged)),
        (Acknowledged, Command::Acknowledge, None),
        (Snoozed, Command::Acknowledge, Some(Acknowledged)),
        (Resolved, Command::Acknowledge, None),
        (Dismissed, Command::Acknowledge, None),
        (New, Command::Resolve, Some(Resolved)),
        (Acknowledged, Command::Resolve, Some(Resolved)),
        (Snoozed, Command::Resolve, Some(Resolved)),
        (Resolved, Command::Resolve, None),
        (Dismissed, Command::Resolve, None),
        (New, snooze(), Some(Snoozed)),
        (Acknowledged, snooze(), Some(Snoozed)),
        (Snoozed, snooze(), Some(Snoozed)),
        (Resolved, snooze(), None),
        (Dismissed, snooze(), None),
        (New, dismiss(), Some(Dismissed)),
        (Acknowledged, dismiss(), Some(Dismissed)),
        (Snoozed, dismiss(), Some(Dismissed)),
        (Resolved, dismiss(), None),
        (Dismissed, dismiss(), None),
        (New, Command::Reopen, None),
        (Acknowledged, Command::Reopen, None),
        (Snoozed, Command::Reopen, None),
        (Resolved, Command::Reopen, Some(New)),
        (Dismissed, Command::Reopen, Some(New)),
        (New, Command::Wake, None),
        (Acknowledged, Command::Wake, None),
        (Resolved, Command::Wake, None),
        (Dismissed, Command::Wake, None),
    ]
}

#[test]
fn every_transition_is_legal_or_refused_as_specified() {
    for (from, command, want) in table() {
        let got = apply(&at(from), &command, today());
        match (want, got) {
            (Some(w), Ok(s)) => assert_eq!(s.status, w, "{from} + {command:?}"),
            (None, Err(Refusal(msg))) => assert!(!msg.is_empty()),
            (w, g) => panic!("{from} + {command:?}: wanted {w:?}, got {g:?}"),
        }
    }
}

#[test]
fn refusals_say_why() {
    let e = apply(&at(Status::Resolved), &Command::Acknowledge, today()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot acknowledge a resolved alert; reopen it first"
    );
    let e = apply(
        &at(Status::New),
        &Command::Dismiss {
            reason: "  ".into(),
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "a dismissal needs a reason");
    let e = apply(
        &at(Status::New),
        &Command::Snooze { until: today() },
        today(),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "a snooze must end after today");
}

#[test]
fn a_snooze_returns_to_its_former_state_when_due() {
    let acked = apply(&at(Status::New), &Command::Acknowledge, today()).unwrap();
    let snoozed = apply(&acked, &snooze(), today()).unwrap();
    assert_eq!(snoozed.snoozed_from, Some(Status::Acknowledged));
    let later = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    assert!(
        apply(&snoozed, &Command::Wake, today()).is_err(),
        "not due yet"
    );
    assert!(!snooze_due(&snoozed, today()) && snooze_due(&snoozed, later));
    let woken = apply(&snoozed, &Command::Wake, later).unwrap();
    assert_eq!(woken, acked, "back to acknowledged, snooze fields cleared");
    // Snoozing again keeps the state to return to.
    let again = apply(
        &snoozed,
        &Command::Snooze {
            until: later.succ_opt().unwrap(),
        },
        today(),
    )
    .unwrap();
    assert_eq!(again.snoozed_from, Some(Status::Acknowledged));
}

#[test]
fn owner_works_in_any_state_and_is_cleaned() {
    for s in Status::ALL {
        let next = apply(
            &at(s),
            &Command::SetOwner {
                owner: Some(" ana\x1b[2J ".into()),
            },
            today(),
        )
        .unwrap();
        assert_eq!(next.owner.as_deref(), Some("ana\\x1b[2J"));
        assert_eq!(next.status, s);
    }
    let owned = TriageState {
        owner: Some("ana".into()),
        ..TriageState::default()
    };
    assert!(
        apply(
            &owned,
            &Command::SetOwner {
                owner: Some("ana".into())
            },
            today()
        )
        .is_err()
    );
    let cleared = apply(&owned, &Command::SetOwner { owner: None }, today()).unwrap();
    assert_eq!(cleared.owner, None);
}

#[test]
fn reopen_clears_the_dismissal_reason() {
    let dismissed = apply(&at(Status::New), &dismiss(), today()).unwrap();
    assert_eq!(
        dismissed.dismiss_reason.as_deref(),
        Some("duplicate of another alert")
    );
    let reopened = apply(&dismissed, &Command::Reopen, today()).unwrap();
    assert_eq!(reopened, TriageState::default());
}

#[test]
fn follow_up_lifecycle() {
    use followup::{FollowCommand, FollowState, FollowStatus, apply as fapply};
    let open = FollowState {
        status: FollowStatus::Open,
        due: today(),
        owner: None,
    };
    let done = fapply(&open, &FollowCommand::Done).unwrap();
    assert_eq!(done.status, FollowStatus::Done);
    assert!(fapply(&done, &FollowCommand::Done).is_err());
    assert!(fapply(&done, &FollowCommand::Cancel).is_err());
    assert_eq!(fapply(&done, &FollowCommand::Reopen).unwrap(), open);
    assert!(fapply(&open, &FollowCommand::Reopen).is_err());
    let cancelled = fapply(&open, &FollowCommand::Cancel).unwrap();
    assert_eq!(
        fapply(&cancelled, &FollowCommand::Reopen).unwrap().status,
        FollowStatus::Open
    );
    assert!(
        open.is_overdue(today().succ_opt().unwrap())
            && !done.is_overdue(today().succ_opt().unwrap())
    );
}
