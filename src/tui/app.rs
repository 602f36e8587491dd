//! The loop: terminal events, worker reports and signals go through `update`; effects
//! go to workers on tokio's blocking pool; the screen is redrawn once the queue of
//! ready events is empty, so a burst of keys costs one frame, not one per key, and
//! only after something happened (no timer redraws an idle screen).

use super::state::AppState;
use super::store_worker::{self, StoreJob, StoreWorker};
use super::terminal::TerminalGuard;
use super::ui;
use super::update::{Effect, Loaded, Msg, start, update};
use super::watchdog;
use crate::engine;
use crate::engine::alerts::AlertConfig;
use crate::refresh;
use crate::source::{LoadOptions, Source};
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
    source: Arc<dyn Source>,
    load: LoadOptions,
    alerts: AlertConfig,
    store: StoreWorker,
}

impl Workers {
    fn perform(&self, effect: Effect) {
        match effect {
            Effect::Load { generation, params } => {
                let (tx, source, opts) =
                    (self.tx.clone(), Arc::clone(&self.source), self.load.clone());
                let (alerts, store) = (self.alerts.clone(), self.store.clone());
                tokio::task::spawn_blocking(move || {
                    let dataset = match source.load(&opts) {
                        Ok(ds) => Arc::new(ds),
                        Err(e) => {
                            let _ = tx.send(Msg::Loaded {
                                generation,
                                result: Err(e.to_string()),
                                at: Utc::now(),
                            });
                            return;
                        }
                    };
                    // The panes first; the rules and the store's triage state after.
                    let views = Arc::new(engine::compute(&dataset, &params));
                    let loaded = Loaded {
                        dataset: Arc::clone(&dataset),
                        views,
                    };
                    let _ = tx.send(Msg::Loaded {
                        generation,
                        result: Ok(Box::new(loaded)),
                        at: Utc::now(),
                    });
                    let (alerts, followups) = refresh::rules(&dataset, &params, &alerts);
                    store.send(StoreJob::Sync {
                        generation,
                        alerts,
                        followups,
                    });
                });
            }
            Effect::Recompute {
                generation,
                dataset,
                params,
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let views = Arc::new(engine::compute(&dataset, &params));
                    let _ = tx.send(Msg::Computed { generation, views });
                });
            }
            Effect::Triage(request) => self.store.send(StoreJob::Triage(request)),
            Effect::Quit => {}
        }
    }
}

/// Runs the cockpit until the user quits or a signal ends it; returns the signal, if any.
/// What the loop needs besides its state: the source, the store and the settings that
/// workers use.
pub struct Setup {
    pub source: Arc<dyn Source>,
    pub load: LoadOptions,
    pub alerts: AlertConfig,
    /// The database (None: the default), opened by the store thread so that opening
    /// it never delays the first screen.
    pub db: Option<std::path::PathBuf>,
    pub read_only: bool,
    pub mouse: bool,
}

pub async fn run(mut state: AppState, setup: Setup) -> io::Result<Option<i32>> {
    let (tx, mut rx) = unbounded_channel();
    let _watchdog = watchdog::start(tx.clone())?;
    let mut guard = TerminalGuard::enter(setup.mouse)?;
    let store = store_worker::spawn(setup.db, setup.read_only, state.params.today, tx.clone());
    let workers = Workers {
        tx,
        source: setup.source,
        load: setup.load,
        alerts: setup.alerts,
        store,
    };
    let size = guard.terminal.size()?;
    state.size = (size.width, size.height);
    for e in start(&mut state) {
        workers.perform(e);
    }
    let mut events = EventStream::new();
    let mut dirty = true;
    loop {
        if dirty {
            guard.terminal.draw(|f| ui::draw(f, &state))?;
            dirty = false;
            // Debug builds only: lets the end-to-end tests prove that a panic with data
            // on screen still leaves the terminal as it was.
            #[cfg(debug_assertions)]
            if state.data.is_some() && std::env::var_os("BEARING_DEBUG_PANIC").is_some() {
                panic!("BEARING_DEBUG_PANIC asked for a panic");
            }
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                // The terminal is gone or unreadable: nothing more can be shown.
                Some(Err(_)) | None => break,
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
        for m in pending {
            dirty = true;
            for e in update(&mut state, m) {
                workers.perform(e);
            }
            if state.should_quit {
                return Ok(state.exit_signal);
            }
        }
    }
    drop(guard);
    Ok(state.exit_signal)
}
