//! The loop: terminal events, worker reports and signals go through `update`; effects
//! go to workers on tokio's blocking pool; the screen is redrawn once the queue of
//! ready events is empty, so a burst of keys costs one frame, not one per key, and
//! only after something happened (no timer redraws an idle screen).

use super::feed;
use super::state::{AppState, LoadError};
use super::store_worker::{self, StoreJob, StoreWorker};
use super::terminal::TerminalGuard;
use super::ui;
use super::update::{Effect, Msg, start, update};
use super::watchdog::{self, Shutdown};
use crate::engine::EngineParams;
use crate::engine::alerts::rules::Key;
use crate::engine::rollup::Cursor;
use crate::executor::{Answer, EvidenceAnswer, Executor, local};
use crate::posthog::client::{Freshness, Progress};
use crate::posthog::fetch::Project;
use crate::posthog::inflight::InFlight;
use crate::posthog::queries::{self, Part};
use crate::source::{LoadOptions, Source};
use crate::store::snapshots::Snapshot;
use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseEventKind};
use futures_util::StreamExt;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// Turns a terminal event into a message, dropping those that change nothing.
fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Mouse(m) if !matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {
            Some(Msg::Mouse(m))
        }
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

struct Workers {
    tx: UnboundedSender<Msg>,
    executor: Executor,
    load: LoadOptions,
    /// The dataset the local executor read (none over PostHog).
    held: Arc<local::Held>,
    store: StoreWorker,
    /// The PostHog client's queries under way: the tasks run there, so that the one
    /// shutdown finds and cancels them.
    in_flight: InFlight,
}

impl Workers {
    fn perform(&self, effect: Effect) {
        match effect {
            Effect::Triage(request) => self.store.send(StoreJob::Triage(request)),
            Effect::Fetch {
                generation,
                params,
                parts,
                fresh,
            } => self.fetch(generation, params, parts, fresh),
            Effect::FetchPage {
                generation,
                cursor,
                since,
            } => self.page(generation, cursor, since),
            Effect::SyncStore {
                generation,
                alerts,
                followups,
                complete,
            } => self.store.send(StoreJob::Sync {
                generation,
                alerts,
                followups,
                complete,
            }),
            Effect::FetchEvidence {
                alert,
                key,
                params,
                per,
                q,
            } => self.evidence(alert, key, (params, per), q),
            // A local source is always at hand: only PostHog's answers are kept.
            Effect::LoadSnapshots { period } => {
                if let Some(p) = self.executor.project() {
                    self.store.send(StoreJob::LoadSnapshots {
                        source: super::feed_snapshots::source_key(&p.origin),
                        period: period.to_string(),
                    });
                }
            }
            // The loop ends on `should_quit`, and what has to stop stops after it, in
            // the shutdown that every way out runs.
            Effect::Quit => {}
            // The loop runs the meeting: it needs the terminal.
            Effect::Present => {}
        }
    }
}

impl Workers {
    fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.in_flight.spawn(task);
    }

    /// The pane queries of a refresh, concurrently; each answer is reported (and
    /// snapshotted) on its own. Their bounds are cut in the project's zone unless the
    /// user chose one, so on the first refresh PostHog is asked for it before them.
    fn fetch(&self, generation: u64, params: EngineParams, parts: Vec<Part>, fresh: Freshness) {
        let project = match &self.executor {
            Executor::Local(source) => {
                return self.fetch_local(Arc::clone(source), generation, params, parts, fresh);
            }
            Executor::PostHog(project) => Arc::clone(project),
        };
        let (tx, store) = (self.tx.clone(), self.store.clone());
        self.spawn(async move {
            let params_in_zone = match project.localize(params).await {
                Ok(p) => p,
                Err(e) => return fail_every_part(&tx, generation, parts, e.into()),
            };
            if params_in_zone != params {
                let _ = tx.send(Msg::Zone {
                    generation,
                    params: params_in_zone,
                });
            }
            let bounds = queries::Bounds::new(&params_in_zone);
            let jobs = parts.into_iter().map(|part| {
                let q = queries::query(part, &bounds, &project.scope);
                fetch_part(FetchJob {
                    generation,
                    part,
                    q,
                    fresh,
                    params: params_in_zone,
                    tx: tx.clone(),
                    store: store.clone(),
                    project: Arc::clone(&project),
                })
            });
            futures_util::future::join_all(jobs).await;
        });
    }

    /// The local executor's answers, from the dataset it holds or reads now; a source
    /// that cannot be read fails every part with the same error.
    fn fetch_local(
        &self,
        source: Arc<dyn Source>,
        generation: u64,
        params: EngineParams,
        parts: Vec<Part>,
        fresh: Freshness,
    ) {
        let (tx, held, opts) = (self.tx.clone(), Arc::clone(&self.held), self.load.clone());
        tokio::task::spawn_blocking(move || match held.dataset(source.as_ref(), &opts, fresh) {
            Ok(ds) => local::answers(&ds, &params, &parts, |answers| {
                let _ = tx.send(Msg::FetchedTogether {
                    generation,
                    answers,
                    at: Utc::now(),
                });
            }),
            Err(e) => fail_every_part(&tx, generation, parts, e.into()),
        });
    }

    /// An alert's evidence: from the dataset held, or asked of PostHog and kept with
    /// the snapshots for offline use.
    fn evidence(
        &self,
        alert: String,
        key: Key,
        (params, per): (EngineParams, usize),
        q: Option<crate::posthog::client::HogQl>,
    ) {
        let tx = self.tx.clone();
        let project = match &self.executor {
            Executor::Local(_) => {
                let held = Arc::clone(&self.held);
                tokio::task::spawn_blocking(move || {
                    let events = held
                        .get()
                        .map(|ds| local::evidence(&ds, &params, key, per))
                        .unwrap_or_default();
                    let _ = tx.send(Msg::Evidence {
                        alert,
                        result: Ok(EvidenceAnswer::Events(events)),
                        at: Utc::now(),
                    });
                });
                return;
            }
            Executor::PostHog(project) => Arc::clone(project),
        };
        let Some(q) = q else {
            let _ = tx.send(Msg::Evidence {
                alert,
                result: Ok(EvidenceAnswer::Events(Vec::new())),
                at: Utc::now(),
            });
            return;
        };
        let store = self.store.clone();
        self.spawn(async move {
            let result = project.client.query(&q, &|_| {}).await;
            let at = Utc::now();
            if let Ok(Ok(body)) = result.as_ref().map(serde_json::to_string) {
                store.send(StoreJob::SaveSnapshot {
                    source: super::feed_snapshots::source_key(&project.origin),
                    period: params.period.to_string(),
                    snapshot: Snapshot {
                        part: super::feed_alerts::snapshot_part(&alert, per),
                        today: params.today,
                        fetched_at: at,
                        body,
                    },
                });
            }
            let _ = tx.send(Msg::Evidence {
                alert,
                result: result
                    .map(|a| EvidenceAnswer::Query(Box::new(a)))
                    .map_err(LoadError::from),
                at,
            });
        });
    }

    fn page(&self, generation: u64, cursor: Cursor, since: i64) {
        let Some(project) = self.executor.project() else {
            return;
        };
        let q = queries::decisions::page_query(cursor, project.scope.page, since);
        let (tx, project) = (self.tx.clone(), Arc::clone(project));
        self.spawn(async move {
            let result = project.client.query(&q, &|_| {}).await;
            let _ = tx.send(Msg::Page {
                generation,
                result: result.map(Box::new),
                at: Utc::now(),
            });
        });
    }
}

/// A refresh that could not start (the file unreadable, PostHog unreachable): every
/// part fails with the same error.
fn fail_every_part(tx: &UnboundedSender<Msg>, generation: u64, parts: Vec<Part>, e: LoadError) {
    for part in parts {
        let _ = tx.send(Msg::Fetched {
            generation,
            part,
            result: Err(e.clone()),
            at: Utc::now(),
        });
    }
}

/// One pane query of a refresh and where its answer goes.
struct FetchJob {
    generation: u64,
    part: Part,
    q: crate::posthog::client::HogQl,
    fresh: Freshness,
    params: EngineParams,
    tx: UnboundedSender<Msg>,
    store: StoreWorker,
    project: Arc<Project>,
}

async fn fetch_part(job: FetchJob) {
    let FetchJob {
        generation,
        part,
        q,
        fresh,
        params,
        tx,
        store,
        project,
    } = job;
    let progress_tx = tx.clone();
    let progress = move |p: Progress| {
        let text = describe(part, &p);
        let _ = progress_tx.send(Msg::Progress { generation, text });
    };
    let result = project.client.query_with(&q, fresh, &progress).await;
    // PostHog's time for an answer from its cache, not its arrival.
    let at = result
        .as_ref()
        .ok()
        .and_then(|a| a.computed_at)
        .unwrap_or_else(Utc::now);
    if let Ok(answer) = &result {
        project.learn(answer);
        if let Ok(body) = serde_json::to_string(answer) {
            store.send(StoreJob::SaveSnapshot {
                source: super::feed_snapshots::source_key(&project.origin),
                period: params.period.to_string(),
                snapshot: Snapshot {
                    part: part.query_name().to_owned(),
                    today: params.today,
                    fetched_at: at,
                    body,
                },
            });
        }
    }
    let _ = tx.send(Msg::Fetched {
        generation,
        part,
        result: result
            .map(|a| Answer::Query(Box::new(a)))
            .map_err(LoadError::from),
        at,
    });
}

/// A slow query's state, for the status line.
fn describe(part: Part, p: &Progress) -> String {
    let name = feed::pane_of(part).title();
    match p {
        Progress::Retrying {
            attempt,
            wait,
            reason,
        } => format!(
            "{name}: {reason}; attempt {attempt} of {} in {:.1} s",
            crate::posthog::client::ATTEMPTS,
            wait.as_secs_f64()
        ),
        Progress::Running {
            rows_read,
            rows_total,
            elapsed,
        } => format!(
            "{name}: running in PostHog, {rows_read} of ~{rows_total} rows read, {:.0} s",
            elapsed.as_secs_f64()
        ),
    }
}

/// Runs the cockpit until the user quits or a signal ends it; returns the signal, if any.
/// What the loop needs besides its state: the source, the store and the settings that
/// workers use.
pub struct Setup {
    /// Where the events are: in memory (demo, a file) or in PostHog.
    pub executor: Executor,
    pub load: LoadOptions,
    /// The database (None: the default), opened by the store thread so that opening
    /// it never delays the first screen.
    pub db: Option<std::path::PathBuf>,
    /// Whose triage state the session keeps (`Config::triage_key`).
    pub triage_key: String,
    /// Why the store is opened read-only, if it is.
    pub read_only: Option<String>,
    pub mouse: bool,
    /// The review meeting of a period, for `P`.
    pub meeting: Box<super::meeting::Meeting>,
}

pub async fn run(mut state: AppState, setup: Setup) -> io::Result<Option<i32>> {
    let (tx, mut rx) = unbounded_channel();
    let store = store_worker::spawn(
        (setup.db, &setup.triage_key),
        setup.read_only,
        state.params.today,
        tx.clone(),
    );
    let in_flight = (setup.executor.project())
        .map(|p| p.client.in_flight().clone())
        .unwrap_or_default();
    let shutdown = Shutdown {
        in_flight: in_flight.clone(),
        store: store.clone(),
    };
    let _watchdog = watchdog::start(tx.clone(), shutdown.clone())?;
    let meeting_of = setup.meeting;
    let workers = Workers {
        tx,
        executor: setup.executor,
        load: setup.load,
        held: Arc::default(),
        store,
        in_flight,
    };
    // The first read starts before the terminal is set up: it is what the first
    // populated screen waits for, and it needs no terminal.
    for e in start(&mut state) {
        workers.perform(e);
    }
    let mut guard = TerminalGuard::enter(setup.mouse)?;
    let size = guard.terminal.size()?;
    state.size = (size.width, size.height);
    let mut events = EventStream::new();
    let mut dirty = true;
    loop {
        if dirty {
            guard.terminal.draw(|f| ui::draw(f, &state))?;
            dirty = false;
            // Test hook: lets the end-to-end tests prove that a panic with data on
            // screen still leaves the terminal as it was, and that its message holds
            // no key. So the message carries what a real panic could: the PostHog
            // settings and the key, loaded as the cockpit loads them, in their Debug
            // form; a Debug that stopped redacting the key would show here.
            #[cfg(feature = "test-hooks")]
            if state.data.is_some() && std::env::var_os("BEARING_DEBUG_PANIC").is_some() {
                let get = |k: &str| std::env::var(k).ok();
                let settings =
                    crate::config::load(None, &Default::default(), &get).map(|(c, _)| c.posthog);
                let key = settings
                    .as_ref()
                    .ok()
                    .and_then(|s| s.key.as_ref())
                    .map(|k| k.load());
                panic!("BEARING_DEBUG_PANIC asked for a panic; key {key:?}; {settings:?}");
            }
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                // The terminal is gone or unreadable: nothing more can be shown.
                Some(Err(_)) | None => {
                    state.should_quit = true;
                    None
                }
            },
            Some(m) = rx.recv() => Some(m),
        };
        let mut pending: Vec<Msg> = msg.into_iter().collect();
        // Take every event that is already waiting before drawing again. (Reading them
        // directly rather than through the stream: polling `EventStream` with a no-op
        // waker would leave its wake-up thread holding that waker.)
        while crossterm::event::poll(Duration::ZERO).unwrap_or(false) {
            match crossterm::event::read() {
                Ok(ev) => pending.extend(to_msg(ev)),
                Err(_) => break,
            }
        }
        while let Ok(m) = rx.try_recv() {
            pending.push(m);
        }
        let mut present = false;
        for m in pending {
            dirty = true;
            for e in update(&mut state, m) {
                match e {
                    Effect::Present => present = true,
                    e => workers.perform(e),
                }
            }
            if state.should_quit {
                break;
            }
        }
        if state.should_quit {
            break;
        }
        if present {
            // The meeting reads the keys itself: the stream's reader would take them.
            drop(events);
            super::meeting::run(&mut guard, &mut state, &meeting_of)?;
            events = EventStream::new();
        }
    }
    // One way out, whether the user quit, a signal asked, or the terminal went away;
    // the watchdog runs the same shutdown when it ends the process itself.
    drop(guard);
    // Off the runtime, which keeps driving cancellations already on their way while
    // the shutdown waits for them.
    let _ = tokio::task::spawn_blocking(move || shutdown.run()).await;
    Ok(state.exit_signal)
}
