//! Where the events are, and who turns them into rollups: the local executor over a
//! dataset in memory (demo data, an exported file) or PostHog's, in HogQL. The choice
//! is made once, here, from the config; the commands and the cockpit's workers ask the
//! executor, and what comes back (rollups, views, alerts, follow-ups) is the same
//! types either way.

use crate::config::Config;
use crate::domain::{Dataset, Origin};
use crate::engine::alerts::AlertCandidate;
use crate::engine::followups::FollowUpCandidate;
use crate::engine::{self, EngineParams, Views};
use crate::posthog::error::PostHogError;
use crate::posthog::fetch::Project;
use crate::source::{self, LoadOptions, Source, SourceError};
use chrono::NaiveDate;
use std::sync::Arc;

pub mod local;

use crate::engine::local::Keep;

/// The decision rows a review keeps beyond those due this month (the only ones it
/// prints): the newest, as the JSON report's default shows.
const REVIEW_ROWS: usize = 500;

/// One part's answer as a worker reports it to the cockpit.
#[derive(Debug)]
pub enum Answer {
    /// The local executor's rollup, over the dataset whose strings it names.
    Local {
        dataset: Arc<Dataset>,
        rollup: crate::posthog::queries::PartRollup,
    },
    /// PostHog's rows, read into a rollup by the cockpit, whose strings they join.
    Query(Box<crate::posthog::client::QueryResult>),
}

/// An alert's evidence events as a worker reports them.
#[derive(Debug)]
pub enum EvidenceAnswer {
    /// Read from the dataset held.
    Events(Vec<crate::engine::alerts::EvidenceEvent>),
    /// PostHog's rows, read by the cockpit against the alert's key.
    Query(Box<crate::posthog::client::QueryResult>),
}

pub enum Executor {
    /// Events read into memory; the local executor makes the rollups.
    Local(Arc<dyn Source>),
    /// Events that stay in PostHog; each rollup is one HogQL query.
    PostHog(Arc<Project>),
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    PostHog(#[from] PostHogError),
}

/// What the rules raised, and the day they took as today.
pub struct Raised {
    pub alerts: Vec<AlertCandidate>,
    pub followups: Vec<FollowUpCandidate>,
    pub today: NaiveDate,
}

impl Executor {
    /// The executor the config names; `today` is the date `--today` fixed, if any.
    pub fn open(config: &Config, today: Option<NaiveDate>) -> Result<Executor, PostHogError> {
        if let Some(src) = source::local(&config.source, config.subscriptions.clone()) {
            return Ok(Executor::Local(Arc::from(src)));
        }
        let project = Project::open(&config.posthog)?
            .with_clock(config.timezone, today)
            .watching(config.alerts.custom_events.clone());
        Ok(Executor::PostHog(Arc::new(project)))
    }

    pub fn origin(&self) -> Origin {
        match self {
            Executor::Local(s) => s.origin(),
            Executor::PostHog(p) => p.origin.clone(),
        }
    }

    pub fn project(&self) -> Option<&Arc<Project>> {
        match self {
            Executor::PostHog(p) => Some(p),
            Executor::Local(_) => None,
        }
    }

    /// Every pane, for a command that prints: the dataset (its strings and
    /// subscriptions), the views, and the parameters used (over PostHog in the
    /// project's zone unless the user chose one). `decision_rows` of the decision log
    /// are fetched at least.
    pub fn views_blocking(
        &self,
        params: &EngineParams,
        opts: &LoadOptions,
        decision_rows: usize,
    ) -> Result<(Dataset, Views, EngineParams), ExecError> {
        match self {
            Executor::Local(src) => {
                let asked = local::Asked {
                    panes: Some(Keep::Newest(decision_rows)),
                    rules: None,
                };
                let (ds, views, _) = local::fold(src.as_ref(), opts, params, asked)?;
                let views = views.unwrap_or_else(|| engine::compute(&ds, params));
                Ok((ds, views, *params))
            }
            Executor::PostHog(project) => {
                let (ds, rollups, params) =
                    crate::posthog::fetch::load_blocking(project, params, decision_rows)?;
                let views = engine::build(&rollups, &ds.strings, &params);
                Ok((ds, views, params))
            }
        }
    }

    /// The panes and the alert rules together, as a review needs them: a file is read
    /// once for both (twice was twice the time and, while the first was held, twice
    /// the memory).
    pub fn views_and_raise_blocking(
        &self,
        params: &EngineParams,
        opts: &LoadOptions,
        cfg: &crate::engine::alerts::AlertConfig,
    ) -> Result<(Dataset, Views, EngineParams, Raised), ExecError> {
        match self {
            Executor::Local(src) => {
                let asked = local::Asked {
                    panes: Some(Keep::Newest(REVIEW_ROWS)),
                    rules: Some(cfg),
                };
                let (ds, views, raised) = local::fold(src.as_ref(), opts, params, asked)?;
                let views = views.unwrap_or_else(|| engine::compute(&ds, params));
                let (alerts, followups) = raised.unwrap_or_default();
                let raised = Raised {
                    alerts,
                    followups,
                    today: params.today,
                };
                Ok((ds, views, *params, raised))
            }
            Executor::PostHog(_) => {
                let (ds, views, params) = self.views_blocking(params, opts, usize::MAX)?;
                let raised = self.raise_blocking(&params, opts, cfg)?;
                Ok((ds, views, params, raised))
            }
        }
    }

    /// The alert rules' cycle for a command (`bearing alerts`, `bearing followups`).
    pub fn raise_blocking(
        &self,
        params: &EngineParams,
        opts: &LoadOptions,
        cfg: &crate::engine::alerts::AlertConfig,
    ) -> Result<Raised, ExecError> {
        match self {
            Executor::Local(src) => {
                let asked = local::Asked {
                    panes: None,
                    rules: Some(cfg),
                };
                let (_, _, raised) = local::fold(src.as_ref(), opts, params, asked)?;
                let (alerts, followups) = raised.unwrap_or_default();
                Ok(Raised {
                    alerts,
                    followups,
                    today: params.today,
                })
            }
            Executor::PostHog(project) => {
                let ((alerts, followups), params) =
                    crate::posthog::alerts::blocking(project, params, cfg)?;
                Ok(Raised {
                    alerts,
                    followups,
                    today: params.today,
                })
            }
        }
    }
}

#[cfg(test)]
mod fold_tests;
