//! Plain threads that make sure bearing ends when it should, whatever the main loop is
//! doing. SIGTERM, SIGINT and SIGQUIT are passed to the loop, which quits cleanly; if
//! it has not finished within a grace period, the watchdog ends the process. SIGHUP,
//! or a terminal that stops being one, means the terminal is gone: there is nothing
//! left to restore or draw, so the process ends at once.
//!
//! Why not tokio's signal streams: when the terminal vanishes, crossterm 0.29's reader
//! spins forever on a read that returns 0 bytes (crossterm-rs/crossterm#793), holding
//! the runtime thread, so no async handler would ever run, and a process that outlives
//! its terminal would keep a core busy on a shared jump host.

use super::terminal;
use super::update::Msg;
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

pub struct Watchdog {
    finished: Arc<AtomicBool>,
    handle: signal_hook::iterator::Handle,
}

fn end_now(signal: i32) -> ! {
    terminal::restore();
    std::process::exit(128 + signal)
}

pub fn start(tx: UnboundedSender<Msg>) -> io::Result<Watchdog> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    let handle = signals.handle();
    let finished = Arc::new(AtomicBool::new(false));

    let done = Arc::clone(&finished);
    thread::Builder::new()
        .name("bearing-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if signal == SIGHUP {
                    end_now(signal);
                }
                let _ = tx.send(Msg::Signal(signal));
                let done = Arc::clone(&done);
                let _ = thread::Builder::new()
                    .name("bearing-grace".into())
                    .spawn(move || {
                        thread::sleep(GRACE);
                        if !done.load(Ordering::SeqCst) {
                            end_now(signal);
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
                    end_now(SIGHUP);
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
