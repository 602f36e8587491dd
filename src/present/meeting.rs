//! Where the meeting stands and what each key does to it: moving through the agenda,
//! going to a tenant, and, on a screen that may show them, picking one of a tenant's
//! alerts to note on or to make a follow-up of.

use super::deck::{self, Deck, Slide};
use crate::report::review::PageAlert;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What is being typed at the foot of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// A tenant's name, for `g`.
    Goto(String),
    /// A note on an alert: the one picked when `n` was pressed, whichever slide the
    /// shared screen moves to while the note is typed.
    Note {
        alert: String,
        title: String,
        text: String,
    },
}

impl Prompt {
    fn text(&mut self) -> &mut String {
        match self {
            Prompt::Goto(text) | Prompt::Note { text, .. } => text,
        }
    }
}

pub struct Presenter {
    pub deck: Deck,
    pub at: usize,
    pub prompt: Option<Prompt>,
    /// The last thing the presenter was told (refreshed, no such tenant, note taken).
    pub said: Option<String>,
    pub quit: bool,
    /// The presenter's own view: when the meeting started, for the elapsed time.
    pub presenter: Option<std::time::Instant>,
    /// Notes and follow-ups can be taken here: the screen shows owners and notes.
    /// A redacted shared screen cannot, or what is typed would be on the wall.
    pub notes_here: bool,
    /// The picked alert of the tenant slide shown.
    pub pick: usize,
}

/// What a key asks of the loop beyond moving.
#[derive(Debug, PartialEq, Eq)]
pub enum Ask {
    Nothing,
    Refresh,
    Note {
        alert: String,
        title: String,
        text: String,
    },
    FollowUp {
        alert: String,
    },
}

/// Notes are typed here at most this long; the store keeps 2,000 characters.
const NOTE_MAX: usize = 500;

impl Presenter {
    pub fn new(deck: Deck) -> Presenter {
        Presenter {
            deck,
            at: 0,
            prompt: None,
            said: None,
            quit: false,
            presenter: None,
            notes_here: false,
            pick: 0,
        }
    }

    pub fn last(&self) -> usize {
        self.deck.slides.len().saturating_sub(1)
    }

    /// Moves to slide `n`; a new slide starts with its first alert picked.
    pub fn go(&mut self, n: usize) {
        let n = n.min(self.last());
        if n != self.at {
            self.pick = 0;
        }
        self.at = n;
    }

    /// The open alerts of the tenant slide shown.
    pub fn alerts(&self) -> &[PageAlert] {
        match self.deck.slides.get(self.at) {
            Some(Slide::Tenant(p)) => &p.alerts,
            _ => &[],
        }
    }

    pub fn picked(&self) -> Option<&PageAlert> {
        self.alerts().get(self.pick)
    }

    /// The first tenant slide whose name holds `text` (any case).
    fn find(&self, text: &str) -> Option<usize> {
        let text = text.to_lowercase();
        self.deck.slides.iter().position(|s| {
            matches!(s, deck::Slide::Tenant(_)) && s.heading().to_lowercase().contains(&text)
        })
    }

    /// Puts an alert as it now stands (after a note or a follow-up) on its tenant's
    /// slide; the numbers stay as they were.
    pub fn update(&mut self, alert: PageAlert) {
        for s in &mut self.deck.slides {
            if let Slide::Tenant(p) = s
                && let Some(a) = p.alerts.iter_mut().find(|a| a.id == alert.id)
            {
                *a = alert.clone();
            }
        }
    }

    fn prompt_key(&mut self, k: KeyEvent) -> Ask {
        let Some(prompt) = &mut self.prompt else {
            return Ask::Nothing;
        };
        match k.code {
            KeyCode::Esc => self.prompt = None,
            KeyCode::Enter => {
                let typed = std::mem::take(prompt.text());
                let was = self.prompt.take();
                match was {
                    Some(Prompt::Goto(_)) => match self.find(&typed) {
                        Some(i) => self.go(i),
                        None => self.said = Some(format!("no tenant slide holds {typed:?}")),
                    },
                    Some(Prompt::Note { alert, title, .. }) => {
                        if typed.trim().is_empty() {
                            self.said = Some("an empty note is not recorded".into());
                        } else {
                            return Ask::Note {
                                alert,
                                title,
                                text: typed,
                            };
                        }
                    }
                    None => {}
                }
            }
            KeyCode::Backspace => {
                prompt.text().pop();
            }
            KeyCode::Char(c) => {
                let max = match prompt {
                    Prompt::Goto(_) => 60,
                    Prompt::Note { .. } => NOTE_MAX,
                };
                let text = prompt.text();
                if !c.is_control() && text.chars().count() < max {
                    text.push(c);
                }
            }
            _ => {}
        }
        Ask::Nothing
    }

    /// The alert `n` and `f` act on: only where notes may be shown, and only on an
    /// alert; else why not, in the footer.
    fn alert_here(&mut self) -> Option<PageAlert> {
        if !self.notes_here {
            self.said = Some(
                "this screen hides notes: take them in the presenter's view (bearing present --presenter)"
                    .into(),
            );
            return None;
        }
        let picked = self.picked().cloned();
        if picked.is_none() {
            self.said = Some("no open alert on this slide to note on".into());
        }
        picked
    }

    pub fn key(&mut self, k: KeyEvent) -> Ask {
        if k.kind == KeyEventKind::Release {
            return Ask::Nothing;
        }
        if k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c')) {
            self.quit = true;
            return Ask::Nothing;
        }
        if self.prompt.is_some() {
            return self.prompt_key(k);
        }
        self.said = None;
        match k.code {
            KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') | KeyCode::PageDown => {
                self.go(self.at + 1);
            }
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Backspace | KeyCode::PageUp => {
                self.go(self.at.saturating_sub(1));
            }
            KeyCode::Home => self.go(0),
            KeyCode::End => self.go(self.last()),
            KeyCode::Down | KeyCode::Char('j') => {
                self.pick = (self.pick + 1).min(self.alerts().len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => self.pick = self.pick.saturating_sub(1),
            KeyCode::Char('g') => self.prompt = Some(Prompt::Goto(String::new())),
            KeyCode::Char('n') => {
                if let Some(a) = self.alert_here() {
                    self.prompt = Some(Prompt::Note {
                        alert: a.id,
                        title: a.title,
                        text: String::new(),
                    });
                }
            }
            KeyCode::Char('f') => {
                if let Some(a) = self.alert_here() {
                    return Ask::FollowUp { alert: a.id };
                }
            }
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
        self.pick = self.pick.min(self.alerts().len().saturating_sub(1));
    }
}
