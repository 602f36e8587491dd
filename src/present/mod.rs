//! `bearing present`: the review meeting's walk-through. An agenda built from the
//! review of the period (the key figures, each tenant needing attention, the cost
//! review, the decisions due, the triage status), one slide at a time, `→`/space on,
//! `←` back, `g` to a tenant. The numbers are frozen at the "as of" shown: nothing
//! changes a slide until the presenter presses `R`. `--redact` keeps owners, notes
//! and dismissal reasons (and with `--redact-tenants` the tenants' names) off the
//! shared screen.

pub mod deck;
mod draw;
pub mod link;
mod meeting;

use crate::config::theme::Theme;
use crate::report::review::{PageAlert, Review};
use crate::tui::terminal::{Term, TerminalGuard};
use crossterm::event::{self, Event};
use deck::Redaction;
pub use draw::draw;
pub use meeting::{Ask, Presenter, Prompt};
use std::io;

/// Where a meeting's review comes from, and where the notes and follow-ups taken
/// during it go (the store, audited as every triage change is).
pub trait Source {
    /// The review as of now.
    fn load(&self) -> Result<Review, String>;
    /// Records a note on an alert; the alert as it now stands.
    fn note(&self, alert: &str, text: &str) -> Result<PageAlert, String>;
    /// Makes a follow-up of an alert; what was done, and the alert as it now stands.
    fn follow_up(&self, alert: &str) -> Result<(String, PageAlert), String>;
}

/// Which screen this is.
pub enum Role {
    /// The room's screen; presenters may drive it over the link.
    Shared,
    /// The presenter's own view, following and driving the shared one.
    Presenter,
}

/// Runs the meeting on a terminal of its own.
pub fn run(
    theme: &Theme,
    (role, redaction): (Role, Redaction),
    source: &dyn Source,
) -> io::Result<Result<(), String>> {
    // Loaded before the screen changes, so an error is read on the shell's screen.
    let review = match source.load() {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let mut guard = TerminalGuard::enter(false)?;
    run_in(
        &mut guard.terminal,
        theme,
        (role, redaction),
        source,
        review,
    )
}

/// Runs the meeting on a terminal already set up (the cockpit's, for `P`), from a
/// review already loaded; `R` loads it again from `source`.
pub fn run_in(
    terminal: &mut Term,
    theme: &Theme,
    (role, redaction): (Role, Redaction),
    source: &dyn Source,
    review: Review,
) -> io::Result<Result<(), String>> {
    use std::time::{Duration, Instant};
    // The presenter sees everything the room must not: nothing is redacted there.
    let redaction = match role {
        Role::Shared => redaction,
        Role::Presenter => Redaction::default(),
    };
    let (mut host, mut guest) = match role {
        Role::Shared => (
            link::Host::open()
                .map_err(|e| tracing::warn!(error = %e, "no presenter link"))
                .ok(),
            None,
        ),
        Role::Presenter => match link::Guest::connect() {
            Ok(g) => (None, Some(g)),
            Err(e) => return Ok(Err(e.to_string())),
        },
    };
    let mut p = Presenter::new(deck::build(&review, redaction));
    p.notes_here = !redaction.people && !redaction.tenants;
    if guest.is_some() {
        p.presenter = Some(Instant::now());
    }
    let mut drawn = Instant::now() - Duration::from_secs(1);
    let mut dirty = true;
    while !p.quit {
        // Redrawn on every change, and each second for the presenter's clock.
        if dirty || (p.presenter.is_some() && drawn.elapsed() >= Duration::from_secs(1)) {
            terminal.draw(|f| draw::draw(f, &p, theme))?;
            drawn = Instant::now();
            dirty = false;
        }
        let before = p.at;
        if event::poll(Duration::from_millis(15))? {
            dirty = true;
            if let Event::Key(k) = event::read()? {
                let ask = p.key(k);
                act(&mut p, ask, source, redaction, |p| {
                    terminal.draw(|f| draw::draw(f, p, theme)).map(|_| ())
                })?;
            }
        }
        if let Some(h) = host.as_mut() {
            for m in h.moves(p.at) {
                match m {
                    link::Move::Next => p.go(p.at + 1),
                    link::Move::Back => p.go(p.at.saturating_sub(1)),
                    link::Move::Goto(n) => p.go(n),
                }
                dirty = true;
            }
            if p.at != before || dirty {
                h.announce(p.at);
            }
        }
        if let Some(g) = guest.as_mut() {
            if p.at != before {
                let _ = g.send(link::Move::Goto(p.at));
            }
            match g.follow() {
                Ok(Some(n)) if n != p.at => {
                    p.go(n);
                    dirty = true;
                }
                Ok(_) => {}
                Err(_) => {
                    p.said = Some("the shared screen has ended".into());
                    guest = None;
                    dirty = true;
                }
            }
        }
    }
    Ok(Ok(()))
}

/// Does what a key asked beyond moving: a refresh (said on screen first, as it can
/// take a while over PostHog), a note, a follow-up. A failed note is typed again
/// from where it was, never lost.
fn act(
    p: &mut Presenter,
    ask: Ask,
    source: &dyn Source,
    redaction: Redaction,
    show: impl FnOnce(&Presenter) -> io::Result<()>,
) -> io::Result<()> {
    match ask {
        Ask::Nothing => {}
        Ask::Refresh => {
            p.said = Some("refreshing…".into());
            show(p)?;
            match source.load() {
                Ok(r) => p.replace(deck::build(&r, redaction)),
                Err(e) => {
                    p.said = Some(format!(
                        "refresh failed: {e}; the numbers stay as they were"
                    ));
                }
            }
        }
        Ask::Note { alert, title, text } => match source.note(&alert, &text) {
            Ok(a) => {
                p.said = Some(format!("note recorded on {} (audited)", a.title));
                p.update(a);
            }
            Err(e) => {
                p.said = Some(format!("note not recorded: {e}"));
                p.prompt = Some(Prompt::Note { alert, title, text });
            }
        },
        Ask::FollowUp { alert } => match source.follow_up(&alert) {
            Ok((done, a)) => {
                p.said = Some(format!("{done} for {}", a.title));
                p.update(a);
            }
            Err(e) => p.said = Some(format!("no follow-up made: {e}")),
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests;
