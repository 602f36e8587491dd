//! The local executor's answers, part by part, in the shape PostHog's come in: the
//! cockpit asks both the same way and reads both in one place. The dataset is read
//! once and held; a period change computes again from it, a refresh the user asks
//! for reads the source again.

use super::Answer;
use crate::domain::Dataset;
use crate::engine::alerts::rollup::Windows;
use crate::engine::alerts::{EvidenceEvent, rules::Key};
use crate::engine::{EngineParams, local};
use crate::posthog::client::Freshness;
use crate::posthog::queries::{Part, PartRollup};
use crate::source::{LoadOptions, Source, SourceError, ingest};
use std::mem::take;
use std::sync::{Arc, Mutex, PoisonError};

/// The dataset the cockpit's local executor has read, shared by its tasks.
#[derive(Default)]
pub struct Held(Mutex<Option<Arc<Dataset>>>);

impl Held {
    /// The dataset to answer from: the one held, unless `fresh` asks for a new read
    /// (or none is held yet). One read at a time: a period change pressed while the
    /// first read runs waits for it rather than reading the file twice. A failed read
    /// keeps the dataset held.
    pub fn dataset(
        &self,
        source: &dyn Source,
        opts: &LoadOptions,
        fresh: Freshness,
    ) -> Result<Arc<Dataset>, SourceError> {
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let (Freshness::Cached, Some(ds)) = (fresh, held.as_ref()) {
            return Ok(Arc::clone(ds));
        }
        let mut ds = source.load(opts)?;
        if let Some(before) = held.as_ref() {
            ingest::rebase(&mut ds, &before.strings);
        }
        let ds = Arc::new(ds);
        *held = Some(Arc::clone(&ds));
        Ok(ds)
    }

    /// The dataset held, if one was read.
    pub fn get(&self) -> Option<Arc<Dataset>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Every asked part's answer from a dataset in memory, each handed to `send` as soon
/// as it is made: the panes first, then the alert rollup (one more pass over the
/// events), so the first screen never waits for the rules.
pub fn answers(
    ds: &Arc<Dataset>,
    params: &EngineParams,
    parts: &[Part],
    mut send: impl FnMut(Part, Answer),
) {
    let panes: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| *p != Part::Alerts)
        .collect();
    if !panes.is_empty() {
        let mut r = local::rollups(ds, params);
        for part in panes {
            let rollup = match part {
                Part::Overview => PartRollup::Overview(take(&mut r.overview)),
                Part::Revenue => PartRollup::Revenue(take(&mut r.revenue)),
                Part::Cost => PartRollup::Cost(take(&mut r.cost)),
                Part::Decisions => PartRollup::Decisions(Box::new(take(&mut r.decisions))),
                Part::Health => PartRollup::Health(Box::new(take(&mut r.health))),
                Part::Alerts => continue,
            };
            send(part, answer(ds, rollup));
        }
    }
    if parts.contains(&Part::Alerts) {
        let w = Windows::new(params.today, params.zone);
        let rollup = crate::engine::alerts::local::rollup(ds, &w);
        send(
            Part::Alerts,
            answer(ds, PartRollup::Alerts(Box::new(rollup))),
        );
    }
}

fn answer(ds: &Arc<Dataset>, rollup: PartRollup) -> Answer {
    Answer::Local {
        dataset: Arc::clone(ds),
        rollup,
    }
}

/// An alert's newest `per` evidence events from the dataset held.
pub fn evidence(ds: &Dataset, params: &EngineParams, key: Key, per: usize) -> Vec<EvidenceEvent> {
    let w = Windows::new(params.today, params.zone);
    crate::engine::alerts::local::evidence_upto(ds, &w, &[key], per)
        .remove(&key)
        .unwrap_or_default()
}
