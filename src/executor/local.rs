//! The local executor's answers, part by part, in the shape PostHog's come in: the
//! cockpit asks both the same way and reads both in one place. The dataset is read
//! once and held; a period change computes again from it, a refresh the user asks
//! for reads the source again.

use super::Answer;
use crate::domain::Dataset;
use crate::engine::alerts::local::{AlertFold, EvidenceFold};
use crate::engine::alerts::rollup::Windows;
use crate::engine::alerts::{AlertCandidate, AlertConfig, EvidenceEvent, rules, rules::Key};
use crate::engine::followups::FollowUpCandidate;
use crate::engine::local::{Keep, PaneFold};
use crate::engine::{EngineParams, Views, local};
use crate::posthog::client::Freshness;
use crate::posthog::queries::{Part, PartRollup};
use crate::source::jsonl::Fold;
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
        let started = std::time::Instant::now();
        let mut ds = source.load(opts)?;
        tracing::debug!(events = ds.events.len(), took = ?started.elapsed(), "source read");
        if let Some(before) = held.as_ref() {
            ingest::rebase(&mut ds, &before.strings);
        }
        let ds = Arc::new(ds);
        source.loaded(&ds);
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

/// Every asked part's answer from a dataset in memory, handed to `send` as soon as it
/// is made: the panes together first, then the alert rollup (one more pass over the
/// events), so the first screen never waits for the rules.
pub fn answers(
    ds: &Arc<Dataset>,
    params: &EngineParams,
    parts: &[Part],
    mut send: impl FnMut(Vec<(Part, Answer)>),
) {
    let panes: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| *p != Part::Alerts)
        .collect();
    if !panes.is_empty() {
        let started = std::time::Instant::now();
        let mut r = local::rollups(ds, params);
        tracing::debug!(took = ?started.elapsed(), "panes computed");
        let answers = panes.into_iter().filter_map(|part| {
            let rollup = match part {
                Part::Overview => PartRollup::Overview(take(&mut r.overview)),
                Part::Revenue => PartRollup::Revenue(take(&mut r.revenue)),
                Part::Cost => PartRollup::Cost(take(&mut r.cost)),
                Part::Decisions => PartRollup::Decisions(Box::new(take(&mut r.decisions))),
                Part::Health => PartRollup::Health(Box::new(take(&mut r.health))),
                Part::Alerts => return None,
            };
            Some((part, answer(ds, rollup)))
        });
        send(answers.collect());
    }
    if parts.contains(&Part::Alerts) {
        let w = Windows::new(params.today, params.zone);
        // On a thread of its own at background priority: the panes just sent are
        // being drawn, and on a busy machine this pass took the cores they needed.
        let rollup = || crate::engine::alerts::local::rollup(ds, &w);
        let rollup = std::thread::scope(|s| {
            let lowered = std::thread::Builder::new().spawn_scoped(s, || {
                crate::background::lower_this_thread();
                rollup()
            });
            match lowered {
                Ok(t) => t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(_) => rollup(),
            }
        });
        let alerts = answer(ds, PartRollup::Alerts(Box::new(rollup)));
        send(vec![(Part::Alerts, alerts)]);
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

/// What a command asks of a source it reads once: the panes for one period (keeping
/// the decision rows `Keep` says) and the alert rules with their evidence.
pub struct Asked<'c> {
    pub panes: Option<Keep>,
    pub rules: Option<&'c AlertConfig>,
}

/// What the rules raised.
pub type RulesRaised = (Vec<AlertCandidate>, Vec<FollowUpCandidate>);

/// The folds a command's read feeds.
struct Folds<'p> {
    params: &'p EngineParams,
    w: Windows,
    keep: Option<Keep>,
    rules: bool,
    panes: Option<PaneFold>,
    counts: Option<(AlertFold, EvidenceFold)>,
}

impl<'p> Folds<'p> {
    fn new(params: &'p EngineParams, asked: &Asked) -> Folds<'p> {
        let mut f = Folds {
            params,
            w: Windows::new(params.today, params.zone),
            keep: asked.panes,
            rules: asked.rules.is_some(),
            panes: None,
            counts: None,
        };
        f.restart();
        f
    }
}

impl Fold for Folds<'_> {
    fn add(&mut self, e: &crate::domain::Event, strings: &crate::domain::Interner) {
        if let Some(p) = self.panes.as_mut() {
            p.add(e, strings);
        }
        if let Some((counts, evidence)) = self.counts.as_mut() {
            counts.add(e, strings);
            evidence.add(e, strings);
        }
    }

    fn restart(&mut self) {
        self.panes = self.keep.map(|keep| PaneFold::new(self.params, keep));
        self.counts = self.rules.then(|| {
            let per = crate::engine::alerts::EVIDENCE_EVENTS;
            (
                AlertFold::new(&self.w),
                EvidenceFold::new(&self.w, None, per),
            )
        });
    }
}

/// Reads `source` once and answers what was asked, folding each event into the
/// rollups (and the evidence of every alert the rules might raise) as it is read: a
/// file's events are never held, so ten million take what ten thousand do.
pub fn fold(
    source: &dyn Source,
    opts: &LoadOptions,
    params: &EngineParams,
    asked: Asked,
) -> Result<(Dataset, Option<Views>, Option<RulesRaised>), SourceError> {
    let mut folds = Folds::new(params, &asked);
    let ds = source.fold(opts, &mut folds)?;
    let w = folds.w;
    let views = (folds.panes).map(|p| crate::engine::build(&p.finish(&ds), &ds.strings, params));
    let raised = folds
        .counts
        .zip(asked.rules)
        .map(|((counts, evidence), cfg)| {
            let r = counts.finish(&ds.custom);
            let fired = rules::evaluate(&r, &ds.strings, &w, params.dead_band, cfg);
            let keys: Vec<Key> = fired.iter().map(|f| f.key).collect();
            let events = evidence.finish(&ds.strings, &ds.custom, &keys);
            let alerts = crate::engine::alerts::with_evidence(fired, events);
            let followups = crate::engine::followups::from_rollup(&r, &ds.strings, &w);
            (alerts, followups)
        });
    Ok((ds, views, raised))
}
