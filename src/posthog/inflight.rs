//! What bearing has under way in PostHog: the tasks waiting for answers, the async
//! queries running there, and the cancellations on their way. The client owns it and
//! whoever holds the client can end it all with [`InFlight::shutdown`], the one way
//! out that quitting and a vanished terminal share.

use reqwest::header::{AUTHORIZATION, HeaderValue};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long one cancellation may take to reach PostHog.
const CANCEL_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone, Default)]
pub struct InFlight {
    inner: Arc<Mutex<Inner>>,
    /// Held for a whole shutdown, so a second caller (the watchdog while the loop is
    /// already ending) returns only once the first one's cancellations are done.
    ending: Arc<Mutex<()>>,
}

#[derive(Default)]
struct Inner {
    /// Tasks that wait for query answers (the cockpit's panes and pages).
    tasks: Vec<JoinHandle<()>>,
    /// Async queries running in PostHog, by ticket: what cancels each.
    running: HashMap<u64, Cancel>,
    next_ticket: u64,
    /// Cancellations of queries abandoned while bearing ran on.
    cancelling: Vec<JoinHandle<()>>,
    /// Shut down: no new task starts.
    closed: bool,
}

/// The request that stops one async query in PostHog.
#[derive(Clone)]
pub(super) struct Cancel {
    pub http: reqwest::Client,
    pub url: String,
    pub auth: HeaderValue,
}

impl Cancel {
    async fn send(self, http: reqwest::Client) {
        let req = http
            .delete(&self.url)
            .header(AUTHORIZATION, self.auth)
            .timeout(CANCEL_TIMEOUT);
        let _ = req.send().await;
    }
}

impl InFlight {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves lists that are still sound.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs a task that waits for PostHog on the current runtime, unless shutting down.
    pub fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let mut inner = self.lock();
        if inner.closed {
            return;
        }
        inner.tasks.retain(|t| !t.is_finished());
        inner.tasks.push(tokio::spawn(task));
    }

    /// Notes an async query now running in PostHog; the guard cancels it there if it
    /// is dropped before being disarmed (bearing stopped waiting for it).
    pub(super) fn running(&self, cancel: Cancel) -> CancelOnDrop {
        let mut inner = self.lock();
        let ticket = inner.next_ticket;
        inner.next_ticket += 1;
        inner.running.insert(ticket, cancel);
        CancelOnDrop {
            owner: self.clone(),
            ticket,
        }
    }

    /// Stops waiting for PostHog: aborts every task, asks PostHog to cancel every async
    /// query still running there, and waits (at most `patience`) for those requests and
    /// any cancellations already on their way. Blocks; callable from any thread.
    ///
    /// The requests go from a thread and runtime of their own, over fresh connections:
    /// the caller's runtime may be the one that cannot move (a vanished terminal leaves
    /// crossterm spinning on it) or may be blocked on this call, and a pooled connection
    /// is driven by the runtime that opened it.
    pub fn shutdown(&self, patience: Duration) {
        let _ending = self.ending.lock().unwrap_or_else(|p| p.into_inner());
        let (tasks, running, cancelling) = {
            let mut inner = self.lock();
            inner.closed = true;
            let running: Vec<Cancel> = inner.running.drain().map(|(_, c)| c).collect();
            (
                std::mem::take(&mut inner.tasks),
                running,
                std::mem::take(&mut inner.cancelling),
            )
        };
        // The tickets are gone, so the aborted tasks' guards send nothing more.
        for t in &tasks {
            t.abort();
        }
        if running.is_empty() && cancelling.is_empty() {
            return;
        }
        let sender = std::thread::Builder::new()
            .name("bearing-cancel".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    let mut all: Vec<JoinHandle<()>> = cancelling;
                    for c in running {
                        let http = fresh_http().unwrap_or_else(|| c.http.clone());
                        all.push(tokio::spawn(c.send(http)));
                    }
                    let _ =
                        tokio::time::timeout(patience, futures_util::future::join_all(all)).await;
                });
            });
        if let Ok(sender) = sender {
            let _ = sender.join();
        }
    }

    /// How many async queries are running in PostHog (for tests).
    #[cfg(test)]
    pub(super) fn running_count(&self) -> usize {
        self.lock().running.len()
    }
}

/// A client for the cancellations alone: no redirects (one could carry the key
/// elsewhere), the same timeouts and name as the query client.
fn fresh_http() -> Option<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(super::client::CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("bearing/", env!("CARGO_PKG_VERSION")))
        .build()
        .ok()
}

/// Asks PostHog to stop a query bearing no longer waits for (quit, an error while
/// polling), unless it finished or a shutdown already asked.
pub(super) struct CancelOnDrop {
    owner: InFlight,
    ticket: u64,
}

impl CancelOnDrop {
    /// The query finished in PostHog: nothing to cancel.
    pub fn disarm(&self) {
        self.owner.lock().running.remove(&self.ticket);
    }

    /// PostHog runs the query under another name than the one it was sent with.
    pub fn retarget(&self, cancel: Cancel) {
        if let Some(c) = self.owner.lock().running.get_mut(&self.ticket) {
            *c = cancel;
        }
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let mut inner = self.owner.lock();
        let Some(cancel) = inner.running.remove(&self.ticket) else {
            return;
        };
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let http = cancel.http.clone();
        inner.cancelling.retain(|h| !h.is_finished());
        inner.cancelling.push(rt.spawn(cancel.send(http)));
    }
}

#[cfg(test)]
#[path = "inflight_tests.rs"]
mod tests;
