//! A plain thread that makes sure bearing ends when it should, whatever the main loop
//! is doing. Signals (SIGTERM, SIGHUP, SIGINT, SIGQUIT) are passed to the loop, which
//! quits cleanly; if it has not finished within a grace period, or if the terminal
//! disappears under it, the watchdog restores what it can and exits the process.
//!
//! Why not tokio's signal streams alone: when the terminal vanishes, crossterm 0.29's
//! reader spins forever on a read that returns 0 bytes (crossterm-rs/crossterm#793),
//! holding the runtime thread, so no async handler would ever run. A process that
//! outlives its terminal must not keep a core busy on a shared jump host.

use super::terminal;
use super::update::Msg;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// How long the main loop gets to finish after a signal before the watchdog ends it.
const GRACE: Duration = Duration::from_millis(1500);
const TICK: Duration = Duration::from_millis(100);

pub struct Watchdog {
    done: Arc<AtomicBool>,
    handle: signal_hook::iterator::Handle,
}

pub fn start(tx: UnboundedSender<Msg>) -> io::Result<Watchdog> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    let handle = signals.handle();
    let done = Arc::new(AtomicBool::new(false));
    let finished = Arc::clone(&done);
    thread::Builder::new()
        .name("bearing-watchdog".into())
        .spawn(move || {
            let mut deadline: Option<(Instant, i32)> = None;
            while !finished.load(Ordering::SeqCst) {
                for signal in signals.pending() {
                    let _ = tx.send(Msg::Signal(signal));
                    deadline.get_or_insert((Instant::now() + GRACE, signal));
                }
                if deadline.is_none() && !io::stdin().is_terminal() {
                    // The terminal hung up without a signal reaching us.
                    let _ = tx.send(Msg::Signal(SIGHUP));
                    deadline = Some((Instant::now() + GRACE, SIGHUP));
                }
                if let Some((at, signal)) = deadline
                    && Instant::now() >= at
                    && !finished.load(Ordering::SeqCst)
                {
                    terminal::restore();
                    std::process::exit(128 + signal);
                }
                thread::sleep(TICK);
            }
        })?;
    Ok(Watchdog { done, handle })
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        self.handle.close();
    }
}
