//! Entering and leaving the full-screen terminal, in layers: a guard whose `Drop`
//! restores the terminal, a panic hook that restores it before the panic message is
//! printed; signals and a vanished terminal are the watchdog's (`watchdog.rs`), which
//! ends through the same shutdown as a quit.

use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{Command, cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::fmt;
use std::io::{self, BufWriter, Stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Clicks and the wheel only (xterm mode 1000 with SGR encoding 1006). crossterm's
/// `EnableMouseCapture` also asks for every pointer motion, a stream of events that
/// is wasted work over SSH.
struct EnableClickCapture;

impl Command for EnableClickCapture {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }
}

/// Turns off every mouse mode, whichever a previous program or crash left on.
struct DisableMouse;

impl Command for DisableMouse {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l")
    }
}

/// The terminal, written through a buffer large enough for a whole frame: ratatui
/// flushes once per frame, so a frame leaves in one write instead of stdout's 1 KiB
/// pieces, which over SSH means fewer packets and never a half-drawn screen between
/// two of them.
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Bytes buffered per frame; a full 200×50 frame with colours fits.
const FRAME_BUFFER: usize = 256 * 1024;

pub struct TerminalGuard {
    pub terminal: Term,
}

/// Whether the terminal is in bearing's modes. Restoring acts only once: leaving the
/// alternate screen a second time would move the cursor back over whatever was printed
/// in between, such as a panic message.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Safe to call from several places (the guard, the
/// panic hook, the watchdog) and when the terminal is already gone: errors are
/// ignored, there is nobody left to tell.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouse,
        LeaveAlternateScreen,
        cursor::Show
    );
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let mut out = io::stdout();
        let entered = if mouse {
            execute!(out, EnterAlternateScreen, cursor::Hide, EnableClickCapture)
        } else {
            execute!(out, EnterAlternateScreen, cursor::Hide)
        };
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        let out = BufWriter::with_capacity(FRAME_BUFFER, io::stdout());
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
