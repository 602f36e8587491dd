//! `bearing present`, and the review meeting the cockpit's `P` starts: where its
//! review comes from and where the notes and follow-ups taken during it go.

use super::{Today, fail, no_tui_reason, report};
use crate::config::Config;
use crate::config::theme::ColorDepth;
use crate::domain::PeriodSpec;
use crate::executor::Raised;
use crate::present::deck::Redaction;
use crate::present::{Role, Source};
use crate::report::review::{PageAlert, Review, Template};
use crate::store::open;
use std::cell::RefCell;
use std::path::Path;
use std::process::ExitCode;

/// The config's source, reviewed as `bearing report` reviews it.
pub struct ReviewSource {
    config: Config,
    today: Today,
    template: (Option<Template>, bool),
    /// What the rules raised at the last load: the alerts a note is taken on are
    /// stored from it first, as a refresh in the cockpit would store them.
    raised: RefCell<Option<Raised>>,
}

impl ReviewSource {
    pub fn new(config: Config, today: Today, template: (Option<Template>, bool)) -> ReviewSource {
        ReviewSource {
            config,
            today,
            template,
            raised: RefCell::new(None),
        }
    }

    /// The meeting the cockpit starts for its period: the quarterly review for a
    /// quarter, else the monthly one, over the cockpit's own period.
    pub fn for_period(config: &Config, today: Today, period: PeriodSpec) -> ReviewSource {
        let mut config = config.clone();
        config.period = period;
        ReviewSource::new(config, today, (None, true))
    }

    /// Opens the store to write, with the meeting's alerts in it, runs `change` and
    /// gives the alert as it now stands.
    fn write<T>(
        &self,
        alert: &str,
        change: impl FnOnce(&mut crate::store::Store) -> Result<T, crate::store::StoreError>,
    ) -> Result<(T, PageAlert), String> {
        let c = &self.config;
        let (store, status) = open::open_store(
            c.db.clone(),
            c.read_only.then(|| "read-only mode".to_owned()),
            &c.triage_key(),
        );
        let Some(mut store) = store else {
            return Err(status.reason().unwrap_or("no database").to_owned());
        };
        if let Some(why) = store.read_only() {
            return Err(format!("read-only ({why})"));
        }
        if let Some(r) = self.raised.borrow().as_ref() {
            // Not complete: a note must never clear an alert the review still shows.
            store
                .sync(&r.alerts, &r.followups, r.today, false)
                .map_err(|e| e.to_string())?;
        }
        let out = change(&mut store).map_err(|e| e.to_string())?;
        let row = store
            .alerts()
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|a| a.id == alert)
            .ok_or_else(|| format!("no alert {alert}"))?;
        store.close();
        Ok((out, PageAlert::of(&row)))
    }
}

impl Source for ReviewSource {
    fn load(&self) -> Result<Review, String> {
        let (review, raised) = report::load_review(&self.config, self.today, self.template, None)?;
        *self.raised.borrow_mut() = Some(raised);
        Ok(review)
    }

    fn note(&self, alert: &str, text: &str) -> Result<PageAlert, String> {
        let target = crate::store::alerts::target(alert);
        self.write(alert, |s| s.note(&target, text)).map(|(_, a)| a)
    }

    fn follow_up(&self, alert: &str) -> Result<(String, PageAlert), String> {
        let today = self.today.0;
        let ((_, id), a) = self.write(alert, |s| s.followup_from_alert(alert, today))?;
        let due =
            crate::store::open::open_to_read(self.config.db.clone(), &self.config.triage_key())
                .0
                .and_then(|s| s.followups().ok())
                .and_then(|f| f.into_iter().find(|f| f.id == id))
                .map(|f| format!(", due {}", f.state.due))
                .unwrap_or_default();
        Ok((format!("follow-up created{due}"), a))
    }
}

/// `bearing present`: the review meeting, on the config's theme.
pub fn present(
    config: &Config,
    config_path: Option<&Path>,
    today: Today,
    (presenter, people, tenants): (bool, bool, bool),
    template: (Option<Template>, bool),
) -> ExitCode {
    if let Some(why) = no_tui_reason() {
        eprintln!("bearing: {why}, so the presentation cannot start.");
        eprintln!("For a file to share use: bearing report --format html --out review.html");
        return ExitCode::from(2);
    }
    let depth = ColorDepth::detect(super::env);
    let (themes, _) = crate::config::load_themes(config_path.and_then(Path::parent), depth);
    let Some(theme) = themes
        .iter()
        .find(|t| t.name == config.theme)
        .or(themes.first())
    else {
        return fail("no theme to draw with");
    };
    let redaction = Redaction { people, tenants };
    let source = ReviewSource::new(config.clone(), today, template);
    let role = if presenter {
        Role::Presenter
    } else {
        Role::Shared
    };
    match crate::present::run(theme, (role, redaction), &source) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => fail(e),
        Err(e) => fail(e),
    }
}
