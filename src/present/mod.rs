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

use crate::config::theme::Theme;
use crate::tui::terminal::TerminalGuard;
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use deck::{Deck, Redaction};
use std::io;

/// Where the meeting stands.
pub struct Presenter {
    pub deck: Deck,
    pub at: usize,
    /// Typing the tenant `g` goes to.
    pub prompt: Option<String>,
    /// The last thing the presenter was told (refreshed, no such tenant).
    pub said: Option<String>,
    pub quit: bool,
    /// The presenter's own view: when the meeting started, for the elapsed time.
    pub presenter: Option<std::time::Instant>,
}

/// What a key asks of the loop beyond moving.
#[derive(Debug, PartialEq, Eq)]
pub enum Ask {
    Nothing,
    Refresh,
}

impl Presenter {
    pub fn new(deck: Deck) -> Presenter {
        Presenter {
            deck,
            at: 0,
            prompt: None,
            said: None,
            quit: false,
            presenter: None,
        }
    }

    fn last(&self) -> usize {
        self.deck.slides.len().saturating_sub(1)
    }

    /// The first tenant slide whose name holds `text` (any case).
    fn find(&self, text: &str) -> Option<usize> {
        let text = text.to_lowercase();
        self.deck.slides.iter().position(|s| {
            matches!(s, deck::Slide::Tenant(_)) && s.heading().to_lowercase().contains(&text)
        })
    }

    pub fn key(&mut self, k: KeyEvent) -> Ask {
        if k.kind == KeyEventKind::Release {
            return Ask::Nothing;
        }
        if k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c')) {
            self.quit = true;
            return Ask::Nothing;
        }
        if let Some(text) = &mut self.prompt {
            match k.code {
                KeyCode::Esc => self.prompt = None,
                KeyCode::Enter => {
                    let wanted = std::mem::take(text);
                    self.prompt = None;
                    match self.find(&wanted) {
                        Some(i) => self.at = i,
                        None => self.said = Some(format!("no tenant slide holds {wanted:?}")),
                    }
                }
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < 60 => text.push(c),
                _ => {}
            }
            return Ask::Nothing;
        }
        self.said = None;
        match k.code {
            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') | KeyCode::PageDown => {
                self.at = (self.at + 1).min(self.last());
            }
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Backspace | KeyCode::PageUp => {
                self.at = self.at.saturating_sub(1);
            }
            KeyCode::Home => self.at = 0,
            KeyCode::End => self.at = self.last(),
            KeyCode::Char('g') => self.prompt = Some(String::new()),
            KeyCode::Char('R') => return Ask::Refresh,
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            _ => {}
        }
        Ask::Nothing
    }

    /// A refreshed deck, on the slide of the same name where there still is one.
    pub fn replace(&mut self, deck: Deck) {
        let heading = self.deck.slides[self.at].heading();
        self.at = deck
            .slides
            .iter()
            .position(|s| s.heading() == heading)
            .unwrap_or(self.at.min(deck.slides.len().saturating_sub(1)));
        self.said = Some(format!("refreshed: as of {}", deck.as_of));
        self.deck = deck;
    }
}

/// Which screen this is.
pub enum Role {
    /// The room's screen; presenters may drive it over the link.
    Shared,
    /// The presenter's own view, following and driving the shared one.
    Presenter,
}

/// Runs the meeting; `load` builds the deck, at the start and on every `R`.
pub fn run(
    theme: &Theme,
    (role, redaction): (Role, Redaction),
    load: impl Fn() -> Result<crate::report::review::Review, String>,
) -> io::Result<Result<(), String>> {
    use std::time::{Duration, Instant};
    let review = match load() {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
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
    if guest.is_some() {
        p.presenter = Some(Instant::now());
        if let Some(g) = guest.as_mut() {
            let _ = g.send(link::Move::Goto(0));
        }
    }
    let mut guard = TerminalGuard::enter(false)?;
    let mut drawn = Instant::now() - Duration::from_secs(1);
    let mut dirty = true;
    while !p.quit {
        // Redrawn on every change, and each second for the presenter's clock.
        if dirty || (p.presenter.is_some() && drawn.elapsed() >= Duration::from_secs(1)) {
            guard.terminal.draw(|f| draw::draw(f, &p, theme))?;
            drawn = Instant::now();
            dirty = false;
        }
        let before = p.at;
        if event::poll(Duration::from_millis(15))? {
            dirty = true;
            if let Event::Key(k) = event::read()?
                && p.key(k) == Ask::Refresh
            {
                p.said = Some("refreshing…".into());
                guard.terminal.draw(|f| draw::draw(f, &p, theme))?;
                match load() {
                    Ok(r) => p.replace(deck::build(&r, redaction)),
                    Err(e) => {
                        p.said = Some(format!(
                            "refresh failed: {e}; the numbers stay as they were"
                        ));
                    }
                }
            }
        }
        if let Some(h) = host.as_mut() {
            for m in h.moves() {
                p.at = match m {
                    link::Move::Next => (p.at + 1).min(p.last()),
                    link::Move::Back => p.at.saturating_sub(1),
                    link::Move::Goto(n) => n.min(p.last()),
                };
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
                    p.at = n.min(p.last());
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

#[cfg(test)]
mod tests {
    use super::*;
    use deck::Slide;

    fn deck(n: usize) -> Deck {
        let mut slides = vec![Slide::Figures { rows: vec![] }];
        for i in 0..n {
            let mut t = crate::report::review::Table {
                name: "x",
                title: format!("table {i}"),
                note: None,
                columns: vec![],
                rows: vec![],
                numeric: vec![],
            };
            t.title = format!("t{i}");
            slides.push(Slide::Table(t));
        }
        Deck {
            title: "T".into(),
            source: "S".into(),
            as_of: "now".into(),
            slides,
        }
    }

    fn press(p: &mut Presenter, code: KeyCode) -> Ask {
        p.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn keys_walk_the_agenda_and_stop_at_its_ends() {
        let mut p = Presenter::new(deck(3));
        press(&mut p, KeyCode::Left);
        assert_eq!(p.at, 0);
        for _ in 0..10 {
            press(&mut p, KeyCode::Char(' '));
        }
        assert_eq!(p.at, 3);
        press(&mut p, KeyCode::Left);
        assert_eq!(p.at, 2);
        assert_eq!(press(&mut p, KeyCode::Char('R')), Ask::Refresh);
        // A refreshed deck keeps the slide it was on, by name.
        let mut fresh = deck(3);
        fresh.as_of = "later".into();
        fresh.slides.remove(1);
        p.replace(fresh);
        assert_eq!(p.deck.slides[p.at].heading(), "t1");
        press(&mut p, KeyCode::Char('q'));
        assert!(p.quit);
    }
}
