//! Running the pane queries: all of them at once for a full refresh (the client keeps
//! three in flight, PostHog's limit), then reading each answer into its rollup.

use super::client::{Client, Freshness, HogQl, Progress, QueryResult};
use super::error::PostHogError;
use super::queries::{self, Part, PartRollup, Scope};
use super::settings::PostHogSettings;
use crate::domain::{Dataset, IngestStats, Interner, Origin, Zone};
use crate::engine::EngineParams;
use crate::engine::rollup::{DecisionRollup, Rollups};
use chrono::NaiveDate;
use std::sync::Mutex;

/// Where the rollups of a project come from, and how its answers are read.
pub struct Project {
    pub client: Client,
    pub scope: Scope,
    pub origin: Origin,
    /// The zone the user chose (flag, environment or config); None: the project's.
    pub zone: Option<Zone>,
    /// Today as the user fixed it (`--today`); None: today in the zone.
    pub today: Option<NaiveDate>,
    /// The project's zone once PostHog has named it.
    learned: Mutex<Option<Zone>>,
}

/// Test hook: `BEARING_DEBUG_PART_ROWS` caps every growing part of an answer, so a
/// test reaches the caps with a small fixture. Release builds never read it.
fn test_cap() -> Option<usize> {
    #[cfg(feature = "test-hooks")]
    if let Some(n) = std::env::var("BEARING_DEBUG_PART_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Some(n);
    }
    None
}

/// The name of the query that asks PostHog for the project's zone.
pub const ZONE_QUERY: &str = "bearing_time_zone";

impl Project {
    pub fn open(settings: &PostHogSettings) -> Result<Project, PostHogError> {
        if !settings.is_configured() {
            return Err(PostHogError::NotConfigured(settings.missing().join(", ")));
        }
        let key = settings
            .key
            .as_ref()
            .ok_or_else(|| PostHogError::NotConfigured(settings.missing().join(", ")))?
            .load()
            .map_err(|e| PostHogError::Key(e.to_string()))?;
        let client = Client::new(settings, &key)?;
        Ok(Project {
            client,
            scope: Scope {
                subscriptions_table: settings.subscriptions_table.clone(),
                page: queries::DECISION_PAGE,
                cap: test_cap(),
                custom_events: Vec::new(),
            },
            origin: Origin::PostHog {
                host: settings.host.clone().unwrap_or_default(),
                project: settings.project_id.clone().unwrap_or_default(),
            },
            zone: None,
            today: None,
            learned: Mutex::new(None),
        })
    }

    /// The zone the user chose, if any, and the date they fixed as today, if any.
    pub fn with_clock(mut self, zone: Option<Zone>, today: Option<NaiveDate>) -> Project {
        self.zone = zone;
        self.today = today;
        self
    }

    /// A small runtime of its own, for a command that prints and ends.
    pub fn runtime(&self) -> Result<tokio::runtime::Runtime, PostHogError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| PostHogError::Unreachable {
                host: self.client.host().to_owned(),
                reason: e.to_string(),
            })
    }

    /// The custom events the `custom_event` rule watches.
    pub fn watching(mut self, custom_events: Vec<String>) -> Project {
        self.scope.custom_events = custom_events;
        self
    }

    /// The zone known without asking PostHog: the user's, or the project's once named.
    pub fn known_zone(&self) -> Option<Zone> {
        self.zone
            .or_else(|| *self.learned.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The zone periods are cut in. Unless the user chose one, the project's: PostHog
    /// cuts its insights' days there, and names it in every answer. The period bounds
    /// are needed before the pane queries go out, so the first refresh asks once with
    /// a query that reads nothing; later ones reuse the answer.
    pub async fn zone(&self) -> Result<Zone, PostHogError> {
        if let Some(z) = self.known_zone() {
            return Ok(z);
        }
        let q = HogQl {
            name: ZONE_QUERY.to_owned(),
            text: "SELECT 1".to_owned(),
            values: serde_json::Map::new(),
        };
        let answer = self.client.query(&q, &|_| {}).await?;
        // An answer without a zone (an old PostHog) is UTC, as is a zone bearing does
        // not know: it cannot cut days in it.
        let zone = self.learn(&answer).unwrap_or_default();
        *self.learned.lock().unwrap_or_else(|e| e.into_inner()) = Some(zone);
        Ok(zone)
    }

    /// Remembers the zone an answer names, so that a project whose zone changes is
    /// cut in the new one from the next refresh on.
    pub fn learn(&self, answer: &QueryResult) -> Option<Zone> {
        let zone = answer
            .timezone
            .as_deref()
            .map(|name| Zone::parse(name).unwrap_or_default())?;
        if self.zone.is_none() {
            *self.learned.lock().unwrap_or_else(|e| e.into_inner()) = Some(zone);
        }
        Some(zone)
    }

    /// `params` in the project's zone (asking PostHog for it if need be), with today
    /// as it is there unless the user fixed it.
    pub async fn localize(&self, params: EngineParams) -> Result<EngineParams, PostHogError> {
        let zone = self.zone().await?;
        Ok(self.in_zone(params, zone))
    }

    /// `params` in `zone`, today as it is there unless the user fixed it.
    pub fn in_zone(&self, params: EngineParams, zone: Zone) -> EngineParams {
        EngineParams {
            zone,
            today: self.today.unwrap_or_else(|| zone.today(chrono::Utc::now())),
            ..params
        }
    }

    pub async fn run(
        &self,
        q: &HogQl,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<QueryResult, PostHogError> {
        self.client.query(q, progress).await
    }

    /// Every pane's answer, computed now (the commands print what is true now), fetched
    /// concurrently; the first failure wins.
    pub async fn fetch_all(
        &self,
        params: &EngineParams,
    ) -> Result<Vec<(Part, QueryResult)>, PostHogError> {
        let quiet = |_: Progress| {};
        let jobs = queries::all(params, &self.scope)
            .into_iter()
            .filter(|(part, _)| Part::PANES.contains(part))
            .map(|(part, q)| async move {
                let answer = self.client.query_with(&q, Freshness::Fresh, &quiet).await;
                (part, answer)
            });
        let mut out = Vec::new();
        for (part, r) in futures_util::future::join_all(jobs).await {
            out.push((part, r?));
        }
        Ok(out)
    }

    /// Decision rows after the first page until at least `want` are held.
    pub async fn more_decisions(
        &self,
        rollups: &mut Rollups,
        strings: &mut Interner,
        want: usize,
    ) -> Result<(), PostHogError> {
        let quiet = |_: Progress| {};
        while rollups.decisions.rows.len() < want {
            let Some(cursor) = rollups.decisions.cursor else {
                break;
            };
            let q =
                queries::decisions::page_query(cursor, self.scope.page, rollups.decisions.since);
            let answer = self.client.query(&q, &quiet).await?;
            append_page(&mut rollups.decisions, &answer, strings, self.scope.page)?;
        }
        Ok(())
    }
}

/// Reads a further page of the decision log into its rollup, moving the cursor on.
pub fn append_page(
    d: &mut DecisionRollup,
    answer: &QueryResult,
    strings: &mut Interner,
    page: usize,
) -> Result<(), PostHogError> {
    let name = queries::decisions::PAGE_NAME;
    let rows = queries::Rows::new(answer).map_err(|e| bad(name, e))?;
    let (mut more, next) =
        queries::decisions::read_page(&rows, strings, page).map_err(|e| bad(name, e))?;
    d.rows.append(&mut more);
    d.cursor = next.filter(|_| d.rows.len() < d.total as usize);
    Ok(())
}

pub fn bad(name: &str, detail: String) -> PostHogError {
    PostHogError::QueryFailed {
        name: name.to_owned(),
        detail,
    }
}

/// Reads fetched answers into rollups (the strings go into `strings`).
pub fn read_all(
    answers: &[(Part, QueryResult)],
    strings: &mut Interner,
    params: &EngineParams,
    scope: &Scope,
) -> Result<Rollups, PostHogError> {
    let mut r = Rollups::default();
    for (part, answer) in answers {
        let rollup = queries::read(*part, answer, strings, params, scope)
            .map_err(|e| bad(part.query_name(), e))?;
        apply(&mut r, rollup);
    }
    Ok(r)
}

pub fn apply(r: &mut Rollups, rollup: PartRollup) {
    match rollup {
        PartRollup::Overview(o) => r.overview = o,
        PartRollup::Revenue(g) => r.revenue = g,
        PartRollup::Cost(g) => r.cost = g,
        PartRollup::Decisions(d) => r.decisions = *d,
        PartRollup::Health(h) => r.health = *h,
        PartRollup::Alerts(a) => r.alerts = *a,
    }
}

/// The dataset that stands for a PostHog project in the cockpit: no events (they stay
/// in PostHog), the strings of the answers, and the subscriptions table.
pub fn dataset(origin: Origin, strings: Interner, rollups: &Rollups) -> Dataset {
    Dataset {
        origin,
        events: Vec::new(),
        strings,
        subscriptions: rollups.overview.subscriptions.clone(),
        ingest: IngestStats::default(),
        custom: Vec::new(),
    }
}

/// A whole load for commands that print (report): a small runtime of its own.
/// Returns the parameters it used: in the project's zone unless the user chose one.
pub fn load_blocking(
    project: &Project,
    params: &EngineParams,
    decision_rows: usize,
) -> Result<(Dataset, Rollups, EngineParams), PostHogError> {
    project.runtime()?.block_on(async {
        let params = project.localize(*params).await?;
        let answers = project.fetch_all(&params).await?;
        let mut strings = Interner::default();
        let mut rollups = read_all(&answers, &mut strings, &params, &project.scope)?;
        project
            .more_decisions(&mut rollups, &mut strings, decision_rows)
            .await?;
        let ds = dataset(project.origin.clone(), strings, &rollups);
        Ok((ds, rollups, params))
    })
}
