//! The store against a model: random sequences of triage, notes, follow-ups, commands
//! from a second connection and undos leave the store where a plain model says, with
//! the audit chain intact.

use super::tests::{seeded, today};
use super::*;
use crate::triage::Command;
use chrono::NaiveDate;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
    Alert(usize, Command),
    /// The same command from a second connection (another bearing process), which this
    /// process's undo history knows nothing about.
    Foreign(usize, Command),
    Note(usize),
    FollowUp(usize),
    FollowDone(usize),
    Undo,
}

fn command() -> impl Strategy<Value = Command> {
    let until = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    prop_oneof![
        Just(Command::Acknowledge),
        Just(Command::Resolve),
        Just(Command::Snooze { until }),
        Just(Command::Dismiss {
            reason: "noise".into()
        }),
        Just(Command::Reopen),
        Just(Command::SetOwner {
            owner: Some("ana".into())
        }),
        Just(Command::SetOwner { owner: None }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..3usize, command()).prop_map(|(i, c)| Step::Alert(i, c)),
        3 => (0..3usize, command()).prop_map(|(i, c)| Step::Foreign(i, c)),
        1 => (0..3usize).prop_map(Step::Note),
        1 => (0..3usize).prop_map(Step::FollowUp),
        1 => (0..3usize).prop_map(Step::FollowDone),
        3 => Just(Step::Undo),
    ]
}

/// What the store should hold, computed with the pure state machines alone.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    alerts: Vec<crate::triage::TriageState>,
    followups: Vec<Option<crate::triage::followup::FollowState>>,
    notes: Vec<usize>,
}

/// One part of the model a batch changed: which, and its value before and after.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    Alert(
        usize,
        crate::triage::TriageState,
        crate::triage::TriageState,
    ),
    FollowUp(
        usize,
        Option<crate::triage::followup::FollowState>,
        Option<crate::triage::followup::FollowState>,
    ),
    Note(usize),
}

impl Model {
    /// Whether the part still holds what the batch left; an undo is refused otherwise.
    fn unchanged_since(&self, part: &Part) -> bool {
        match part {
            Part::Alert(i, _, after) => &self.alerts[*i] == after,
            Part::FollowUp(i, _, after) => &self.followups[*i] == after,
            Part::Note(_) => true,
        }
    }

    fn undo(&mut self, part: &Part) {
        match part {
            Part::Alert(i, before, _) => self.alerts[*i] = before.clone(),
            Part::FollowUp(i, before, _) => self.followups[*i] = before.clone(),
            Part::Note(i) => self.notes[*i] -= 1,
        }
    }

    fn read(store: &Store, ids: &[String]) -> Model {
        let alerts = store.alerts().unwrap();
        let followups = store.followups().unwrap();
        let mut m = Model::default();
        for id in ids {
            let a = alerts.iter().find(|a| &a.id == id).unwrap();
            m.alerts.push(a.triage.clone());
            m.notes.push(a.notes.len());
            let fid = format!("alert:{id}");
            m.followups.push(
                followups
                    .iter()
                    .find(|f| f.id == fid)
                    .map(|f| f.state.clone()),
            );
        }
        m
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// After every step of any sequence of actions, from this process and from another
    /// one, the store holds exactly what the pure state machines say: every action the
    /// model allows succeeds and every one it refuses is refused; an undo succeeds
    /// unless something in its batch changed since, and then it is refused and changes
    /// nothing; the chain verifies, with no lost update, and the state tables equal
    /// the replay of the log.
    #[test]
    fn the_store_follows_the_model_and_its_audit_log(steps in proptest::collection::vec(step(), 1..40)) {
        use crate::triage::followup::{FollowCommand, FollowState, FollowStatus};
        let (_d, mut store, ids) = seeded(3);
        let mut other = Store::open(&store.path).unwrap();
        let mut model = Model {
            alerts: vec![Default::default(); 3],
            followups: vec![None; 3],
            notes: vec![0; 3],
        };
        let mut history: Vec<(i64, Vec<Part>)> = Vec::new();
        for s in steps {
            match s {
                Step::Alert(i, c) => {
                    let expected = crate::triage::apply(&model.alerts[i], &c, today());
                    let got = store.triage(std::slice::from_ref(&ids[i]), &c, today());
                    match (expected, got) {
                        (Ok(after), Ok(out)) => {
                            history.push((out.batch, vec![Part::Alert(i, model.alerts[i].clone(), after.clone())]));
                            model.alerts[i] = after;
                        }
                        (Err(_), Err(StoreError::Refused(_))) => {}
                        (e, g) => prop_assert!(false, "{c:?} on {:?}: model {e:?}, store {g:?}", model.alerts[i]),
                    }
                }
                Step::Foreign(i, c) => {
                    let expected = crate::triage::apply(&model.alerts[i], &c, today());
                    let got = other.triage(std::slice::from_ref(&ids[i]), &c, today());
                    match (expected, got) {
                        (Ok(after), Ok(_)) => model.alerts[i] = after,
                        (Err(_), Err(StoreError::Refused(_))) => {}
                        (e, g) => prop_assert!(false, "foreign {c:?}: model {e:?}, store {g:?}"),
                    }
                }
                Step::Note(i) => {
                    let b = store.note(&alerts::target(&ids[i]), "a note").unwrap();
                    history.push((b, vec![Part::Note(i)]));
                    model.notes[i] += 1;
                }
                Step::FollowUp(i) => {
                    let got = store.followup_from_alert(&ids[i], today());
                    match (&model.followups[i], got) {
                        (None, Ok((b, _))) => {
                            let due = crate::engine::followups::due_after(
                                crate::domain::values::Cadence::Monthly,
                                today(),
                            );
                            let after = FollowState {
                                status: FollowStatus::Open,
                                due,
                                owner: model.alerts[i].owner.clone(),
                            };
                            history.push((b, vec![Part::FollowUp(i, None, Some(after.clone()))]));
                            model.followups[i] = Some(after);
                        }
                        (Some(_), Err(StoreError::Refused(_))) => {}
                        (m, g) => prop_assert!(false, "follow-up: model {m:?}, store {g:?}"),
                    }
                }
                Step::FollowDone(i) => {
                    let fid = format!("alert:{}", ids[i]);
                    let expected = model.followups[i]
                        .as_ref()
                        .map(|f| crate::triage::followup::apply(f, &FollowCommand::Done));
                    let got = store.followup_command(&[fid], &FollowCommand::Done);
                    match (expected, got) {
                        (Some(Ok(after)), Ok(out)) => {
                            history.push((out.batch, vec![Part::FollowUp(i, model.followups[i].clone(), Some(after.clone()))]));
                            model.followups[i] = Some(after);
                        }
                        (None | Some(Err(_)), Err(StoreError::Refused(_))) => {}
                        (e, g) => prop_assert!(false, "done: model {e:?}, store {g:?}"),
                    }
                }
                Step::Undo => {
                    if let Some((batch, parts)) = history.pop() {
                        let allowed = parts.iter().all(|p| model.unchanged_since(p));
                        match store.undo(batch) {
                            Ok(_) => {
                                prop_assert!(allowed, "undid batch {batch} though {parts:?} changed since");
                                parts.iter().for_each(|p| model.undo(p));
                            }
                            Err(e) => {
                                prop_assert!(!allowed, "refused to undo batch {batch} ({parts:?}): {e}");
                                prop_assert!(e.to_string().starts_with("cannot undo"), "{}", e);
                            }
                        }
                    }
                }
            }
            prop_assert_eq!(&Model::read(&store, &ids), &model);
            prop_assert!(audit::verify(store.conn()).is_ok(), "{:?}", audit::verify(store.conn()));
        }
    }
}
