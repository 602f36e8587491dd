//! Plain threads that make sure bearing ends when it should, whatever the main loop is
//! doing. SIGTERM, SIGINT and SIGQUIT are passed to the loop, which quits cleanly; if
//! it has not finished within a grace period, the watchdog ends the process. SIGHUP,
//! or a terminal that stops being one, means the terminal is gone: there is nothing
//! left to draw, so the process ends without waiting for the loop.
//!
//! Every way out runs the same [`Shutdown`]: the loop after it ends (a quit, a signal,
//! a terminal that stopped answering), and this watchdog before it ends the process.
//!
//! Why not tokio's signal streams: when the terminal vanishes, crossterm 0.29's reader
//! spins forever on a read that returns 0 bytes (crossterm-rs/crossterm#793), holding
//! the runtime thread, so no async handler would ever run, and a process that outlives
//! its terminal would keep a core busy on a shared jump host.

use super::store_worker::StoreWorker;
use super::terminal;
use super::update::Msg;
use crate::posthog::inflight::InFlight;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How long the main loop gets to finish after SIGTERM/SIGINT before it is ended.
const GRACE: Duration = Duration::from_millis(1500);
/// How often the terminal is checked for a hang-up that came without a SIGHUP.
const TTY_CHECK: Duration = Duration::from_secs(1);

/// How long each part of a shutdown may take: PostHog's cancellations, then the store.
const PATIENCE: Duration = Duration::from_secs(2);

pub struct Watchdog {
    finished: Arc<AtomicBool>,
    handle: signal_hook::iterator::Handle,
}

/// What has to end before the process does: the async queries running in PostHog (or
/// they run on, on PostHog's side, for nobody) and the store (its pending writes, and
/// its WAL checkpointed on close).
#[derive(Clone)]
pub struct Shutdown {
    pub in_flight: InFlight,
    pub store: StoreWorker,
}

impl Shutdown {
    /// Cancels what PostHog is still running for bearing and waits for those requests,
    /// then closes the store; each part waits at most [`PATIENCE`]. Blocks; callable
    /// from any thread, and more than once (a second run waits for the first).
    pub fn run(&self) {
        self.in_flight.shutdown(PATIENCE);
        self.store.close(PATIENCE);
    }
}

fn end_now(signal: i32, shutdown: &Shutdown) -> ! {
    shutdown.run();
    // Restored last, right before the exit: while the shutdown waits the loop may still
    // draw a frame, which hides the cursor again.
    terminal::restore();
    std::process::exit(128 + signal)
}

pub fn start(tx: UnboundedSender<Msg>, shutdown: Shutdown) -> io::Result<Watchdog> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    let handle = signals.handle();
    let finished = Arc::new(AtomicBool::new(false));

    let done = Arc::clone(&finished);
    let on_signal = shutdown.clone();
    thread::Builder::new()
        .name("bearing-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if signal == SIGHUP {
                    end_now(signal, &on_signal);
                }
                let _ = tx.send(Msg::Signal(signal));
                let (done, shutdown) = (Arc::clone(&done), on_signal.clone());
                let _ = thread::Builder::new()
                    .name("bearing-grace".into())
                    .spawn(move || {
                        thread::sleep(GRACE);
                        if !done.load(Ordering::SeqCst) {
                            end_now(signal, &shutdown);
                        }
                    });
            }
        })?;

    let done = Arc::clone(&finished);
    thread::Builder::new()
        .name("bearing-tty".into())
        .spawn(move || {
            while !done.load(Ordering::SeqCst) {
                thread::sleep(TTY_CHECK);
                if !done.load(Ordering::SeqCst) && !io::stdin().is_terminal() {
                    end_now(SIGHUP, &shutdown);
                }
            }
        })?;
    Ok(Watchdog { finished, handle })
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::SeqCst);
        self.handle.close();
    }
}
