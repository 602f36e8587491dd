//! What a refresh does, for the cockpit and the command line alike: load the source,
//! compute the views, evaluate the alert rules and the follow-ups events ask for, and
//! meet the store (fire new alerts, wake due snoozes, keep every triage state).

use crate::domain::Dataset;
use crate::engine::alerts::{self, AlertCandidate, AlertConfig};
use crate::engine::followups::{self as engine_followups, FollowUpCandidate};
use crate::engine::{self, EngineParams, Views};
use crate::source::{LoadOptions, Source, SourceError};
use crate::store::alerts::{AlertRow, sort_alerts};
use crate::store::followups::FollowUpRow;
use crate::store::{Store, StoreError};
use crate::triage::followup::{FollowState, FollowStatus};
use std::collections::HashSet;

/// Data and what the rules make of it, before the store is involved.
pub struct Evaluated {
    pub dataset: Dataset,
    pub views: Views,
    pub alerts: Vec<AlertCandidate>,
    pub followups: Vec<FollowUpCandidate>,
}

pub fn evaluate(
    source: &dyn Source,
    opts: &LoadOptions,
    params: &EngineParams,
    alert_cfg: &AlertConfig,
) -> Result<Evaluated, SourceError> {
    let dataset = source.load(opts)?;
    let views = engine::compute(&dataset, params);
    let (alerts, followups) = rules(&dataset, params, alert_cfg);
    Ok(Evaluated {
        dataset,
        views,
        alerts,
        followups,
    })
}

/// The alert rules and the follow-ups events ask for, over loaded data.
pub fn rules(
    dataset: &Dataset,
    params: &EngineParams,
    alert_cfg: &AlertConfig,
) -> (Vec<AlertCandidate>, Vec<FollowUpCandidate>) {
    let w = alerts::rollup::Windows::new(params.today, params.zone);
    let r = alerts::local::rollup(dataset, &w);
    let alerts = alerts::evaluate_on(dataset, &w, &r, params.dead_band, alert_cfg);
    let followups = engine_followups::from_rollup(&r, &dataset.strings, &w);
    (alerts, followups)
}

/// The alerts and follow-ups the cockpit shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Triage {
    pub alerts: Vec<AlertRow>,
    pub followups: Vec<FollowUpRow>,
}

fn unsaved_followup(c: &FollowUpCandidate) -> FollowUpRow {
    FollowUpRow {
        id: c.id.clone(),
        origin: c.origin.clone(),
        alert_id: c.alert_id.clone(),
        tenant: c.tenant.clone(),
        title: c.title.clone(),
        cadence: c.cadence,
        created: String::new(),
        state: FollowState {
            status: FollowStatus::Open,
            due: c.due,
            owner: None,
        },
        notes: Vec::new(),
    }
}

/// What the store holds, plus whatever the data supports that it does not hold (when
/// it cannot be written), so nothing the rules found goes unseen.
pub fn read(
    store: Option<&Store>,
    alerts: &[AlertCandidate],
    followups: &[FollowUpCandidate],
) -> Result<Triage, StoreError> {
    let mut t = match store {
        Some(s) => Triage {
            alerts: s.alerts()?,
            followups: s.followups()?,
        },
        None => Triage::default(),
    };
    // The candidates the store does not hold: usually none (the sync saved them), so
    // the stored rows are scanned against the few candidates, not the other way round.
    let mut missing: rustc_hash::FxHashSet<&str> = alerts.iter().map(|c| c.id.as_str()).collect();
    for a in &t.alerts {
        if missing.is_empty() {
            break;
        }
        missing.remove(a.id.as_str());
    }
    let unsaved: Vec<AlertRow> = alerts
        .iter()
        .filter(|c| missing.contains(c.id.as_str()))
        .map(AlertRow::unsaved)
        .collect();
    // The store's rows come sorted; only candidates it does not hold need placing.
    let resort = !unsaved.is_empty();
    t.alerts.extend(unsaved);
    let known: HashSet<String> = t.followups.iter().map(|f| f.id.clone()).collect();
    t.followups.extend(
        followups
            .iter()
            .filter(|c| !known.contains(&c.id))
            .map(unsaved_followup),
    );
    if resort {
        sort_alerts(&mut t.alerts);
    }
    crate::store::followups::sort_followups(&mut t.followups);
    Ok(t)
}

/// What [`sync_and_read`] would leave, without writing: the stored rows with the
/// fresh evaluation's severity, title and evidence, the snoozes that are due awake,
/// and the alerts and follow-ups the store does not hold as new. For the commands
/// that only read (`bearing alerts` without `--save`).
pub fn preview(
    store: Option<&Store>,
    alerts: &[AlertCandidate],
    followups: &[FollowUpCandidate],
    today: chrono::NaiveDate,
) -> (Triage, Option<String>) {
    let (mut t, warning) = match read(store, alerts, followups) {
        Ok(t) => (t, None),
        Err(e) => (
            read(None, alerts, followups).unwrap_or_default(),
            Some(format!("cannot read the database: {e}")),
        ),
    };
    let fresh: rustc_hash::FxHashMap<&str, &AlertCandidate> =
        alerts.iter().map(|c| (c.id.as_str(), c)).collect();
    for a in &mut t.alerts {
        if let Some(c) = fresh.get(a.id.as_str()) {
            a.severity = c.severity;
            a.title.clone_from(&c.title);
            a.evidence = c.evidence.clone();
        }
        let due = a.triage.status == crate::triage::Status::Snoozed
            && a.triage.snoozed_until.is_none_or(|u| u <= today);
        if due
            && let Ok(woken) = crate::triage::apply(&a.triage, &crate::triage::Command::Wake, today)
        {
            a.triage = woken;
        }
        let raised = fresh.contains_key(a.id.as_str());
        if let Some(step) =
            crate::triage::cycle::after_refresh(a.triage.status, &a.period, raised, today)
            && let Ok(next) = crate::triage::apply(&a.triage, &step, today)
        {
            a.triage = next;
        }
    }
    crate::store::alerts::sort_alerts(&mut t.alerts);
    (t, warning)
}

/// Meets the store with a fresh evaluation: syncs when it can be written, then reads.
/// A failed sync is reported, never fatal: the cockpit shows what it can.
pub fn sync_and_read(
    store: Option<&mut Store>,
    alerts: &[AlertCandidate],
    followups: &[FollowUpCandidate],
    (today, complete): (chrono::NaiveDate, bool),
) -> (
    Triage,
    Option<crate::store::alerts::SyncReport>,
    Option<String>,
) {
    let mut warning = None;
    let mut report = None;
    let store = match store {
        Some(s) => {
            if s.read_only().is_none() {
                match s.sync(alerts, followups, today, complete) {
                    Ok(r) => report = Some(r),
                    Err(e) => warning = Some(format!("alerts not saved: {e}")),
                }
            }
            Some(&*s)
        }
        None => None,
    };
    match read(store, alerts, followups) {
        Ok(t) => (t, report, warning),
        Err(e) => {
            let t = read(None, alerts, followups).unwrap_or_default();
            (t, report, Some(format!("cannot read the database: {e}")))
        }
    }
}
