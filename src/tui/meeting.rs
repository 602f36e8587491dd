//! The review meeting started from the cockpit with `P`: it runs on the cockpit's
//! terminal and theme, over the cockpit's period, and hands the terminal back.

use super::state::{AppState, Level};
use super::terminal::TerminalGuard;
use super::ui;
use std::io;

/// Where the meeting of a period comes from.
pub type Meeting = dyn Fn(crate::domain::PeriodSpec) -> Box<dyn crate::present::Source>;

/// The review meeting of the cockpit's period, on the cockpit's terminal and theme,
/// with owners, notes and dismissal reasons kept off the screen (it is shared). Keys
/// go to the meeting until it ends; the cockpit then comes back as it was.
pub fn run(guard: &mut TerminalGuard, state: &mut AppState, make: &Meeting) -> io::Result<()> {
    use crate::present::{Role, deck::Redaction};
    let Some(theme) = state.theme().cloned() else {
        return Ok(());
    };
    state.say(Level::Info, "preparing the review meeting…");
    guard.terminal.draw(|f| ui::draw(f, state))?;
    let source = make(state.params.period);
    let redaction = Redaction {
        people: true,
        tenants: false,
    };
    let result = match source.load() {
        Ok(review) => crate::present::run_in(
            &mut guard.terminal,
            &theme,
            (Role::Shared, redaction),
            &*source,
            review,
        )?,
        Err(e) => Err(e),
    };
    guard.terminal.clear()?;
    // The terminal may have been resized during the meeting.
    let size = guard.terminal.size()?;
    state.size = (size.width, size.height);
    match result {
        Ok(()) => state.say(Level::Info, "the meeting has ended"),
        Err(e) => state.say(Level::Error, format!("the meeting could not start: {e}")),
    }
    Ok(())
}
