//! The alert cycle over PostHog: the alert rollup in one query, the same rules as for
//! a file (`crate::engine::alerts::rules`), then the evidence of the alerts that fired
//! in one more query. Two queries per cycle, whatever the number of events.

use super::client::{Freshness, Progress, QueryResult};
use super::error::PostHogError;
use super::fetch::{Project, bad};
use super::queries::{self, Bounds, Rows};
use crate::domain::Interner;
use crate::engine::EngineParams;
use crate::engine::alerts::rollup::{AlertRollup, Windows};
use crate::engine::alerts::rules::{self, Fired, Key};
use crate::engine::alerts::{AlertCandidate, AlertConfig, EVIDENCE_EVENTS, EvidenceEvent};
use crate::engine::followups::FollowUpCandidate;
use rustc_hash::FxHashMap;

/// The rollup's answer read, with the strings it named.
pub struct Cycle {
    pub answer: AlertRollup,
    pub strings: Interner,
    pub windows: Windows,
}

impl Cycle {
    pub fn read(answer: &QueryResult, params: &EngineParams) -> Result<Cycle, PostHogError> {
        let windows = Windows::new(params.today, params.zone);
        let mut strings = Interner::default();
        let name = queries::alerts::NAME;
        let rows = Rows::new(answer).map_err(|e| bad(name, e))?;
        let answer =
            queries::alerts::read(&rows, &mut strings, &windows).map_err(|e| bad(name, e))?;
        Ok(Cycle {
            answer,
            strings,
            windows,
        })
    }

    /// The alerts the rules raise over this rollup, without their evidence events.
    pub fn fire(&self, params: &EngineParams, cfg: &AlertConfig) -> Vec<Fired> {
        rules::evaluate(
            &self.answer,
            &self.strings,
            &self.windows,
            params.dead_band,
            cfg,
        )
    }

    /// Reads an evidence answer into each key's events.
    pub fn evidence(
        &mut self,
        answer: &QueryResult,
    ) -> Result<FxHashMap<Key, Vec<EvidenceEvent>>, PostHogError> {
        let name = queries::evidence::NAME;
        let rows = Rows::new(answer).map_err(|e| bad(name, e))?;
        queries::evidence::read(&rows, &mut self.strings, &self.windows, EVIDENCE_EVENTS)
            .map_err(|e| bad(name, e))
    }
}

/// What a cycle raises: the alerts with their evidence, sorted by identity, and the
/// follow-ups the events ask for.
pub type Raised = (Vec<AlertCandidate>, Vec<FollowUpCandidate>);

/// The whole cycle, fresh.
pub async fn run(
    project: &Project,
    params: &EngineParams,
    cfg: &AlertConfig,
) -> Result<Raised, PostHogError> {
    let quiet = |_: Progress| {};
    let b = Bounds::new(params);
    let windows = Windows::new(params.today, params.zone);
    let q = queries::alerts::query(&b, &windows, &project.scope);
    let answer = project
        .client
        .query_with(&q, Freshness::Fresh, &quiet)
        .await?;
    let mut cycle = Cycle::read(&answer, params)?;
    let fired = cycle.fire(params, cfg);
    let keys: Vec<Key> = fired.iter().map(|f| f.key).collect();
    let mut events = FxHashMap::default();
    if let Some(q) = queries::evidence::query(
        &keys,
        &cycle.answer,
        &cycle.strings,
        &b,
        &cycle.windows,
        &project.scope,
        EVIDENCE_EVENTS,
    ) {
        let answer = project
            .client
            .query_with(&q, Freshness::Fresh, &quiet)
            .await?;
        events = cycle.evidence(&answer)?;
    }
    let followups =
        crate::engine::followups::from_rollup(&cycle.answer, &cycle.strings, &cycle.windows);
    Ok((
        crate::engine::alerts::with_evidence(fired, events),
        followups,
    ))
}

/// The cycle for a command that prints (`bearing alerts`): its own small runtime, the
/// project's zone unless the user chose one. Returns the parameters it used.
pub fn blocking(
    project: &Project,
    params: &EngineParams,
    cfg: &AlertConfig,
) -> Result<(Raised, EngineParams), PostHogError> {
    project.runtime()?.block_on(async {
        let params = project.localize(*params).await?;
        let raised = run(project, &params, cfg).await?;
        Ok((raised, params))
    })
}
