//! Configuration: the file in the XDG config dir, then `BEARING_*` environment
//! variables, then command-line flags, into one runtime [`Config`]. Every bad value is
//! reported with the file, line and column it came from, and the value itself.

pub mod contrast;
pub mod file;
mod posthog;
pub mod theme;

use crate::domain::{PeriodSpec, Zone};
use crate::engine::alerts::AlertConfig;
use crate::engine::overview::ActivityThresholds;
use crate::keys::action::Action;
use crate::keys::{Key, Keymap, keymap};
use crate::posthog::redact::tokens;
use crate::posthog::settings::PostHogSettings;
use crate::source::SourceSpec;
use file::ConfigFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub use theme::{load_themes, theme_names};

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub source: SourceSpec,
    pub subscriptions: Option<PathBuf>,
    pub theme: String,
    pub read_only: bool,
    pub mouse: bool,
    pub period: PeriodSpec,
    /// The zone days, months and quarters are cut in. None: nobody chose one, so a
    /// PostHog project's own zone, else UTC.
    pub timezone: Option<Zone>,
    pub dead_band: f64,
    pub activity: ActivityThresholds,
    pub keymap: Keymap,
    pub alerts: AlertConfig,
    /// The database file; None means the default in the XDG data dir.
    pub db: Option<PathBuf>,
    pub posthog: PostHogSettings,
    /// Whose triage state the session reads and writes, when not the source's own
    /// (an export of a PostHog project sharing the project's triage).
    pub triage_of: Option<SourceSpec>,
    /// Whether a layer named the source; if none did, a configured PostHog project
    /// is the source and demo data the fallback.
    pub source_named: bool,
    /// Settings of the file or the environment bearing went on without (a theme that
    /// does not exist): said on the screen or stderr, fatal only to `config check`,
    /// so a cron job never fails over how the cockpit would look.
    pub notes: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: SourceSpec::Demo,
            subscriptions: None,
            theme: "dark".to_owned(),
            read_only: false,
            mouse: true,
            period: PeriodSpec::Trailing(90),
            timezone: None,
            dead_band: 0.10,
            activity: ActivityThresholds::default(),
            keymap: Keymap::default(),
            alerts: AlertConfig::default(),
            db: None,
            posthog: PostHogSettings::default(),
            triage_of: None,
            source_named: false,
            notes: Vec::new(),
        }
    }
}

/// Whatever value an error quotes, a personal API key pasted into the wrong setting is
/// not shown: every message passes through `redact::tokens`.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// A bad value in the config file, at a line and column.
    #[error("{}", tokens(&format!("{path}:{line}:{column}: {message}")))]
    File {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A bad environment variable.
    #[error("{}", tokens(&format!("environment variable {var}: {message}")))]
    Env { var: String, message: String },
    /// A bad command-line value (one clap could not check itself).
    #[error("{}", tokens(&format!("{flag}: {message}")))]
    Cli { flag: String, message: String },
    #[error("{}", tokens(&format!("{path}: {message}")))]
    Io { path: String, message: String },
}

/// Where bearing keeps its config, unless `--config` or `BEARING_CONFIG` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "bearing").map(|d| d.config_dir().join("config.toml"))
}

/// What the command line asks for; `None` leaves the layer below in force.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub source: Option<SourceSpec>,
    pub triage_of: Option<SourceSpec>,
    pub subscriptions: Option<PathBuf>,
    pub theme: Option<String>,
    pub read_only: bool,
    pub period: Option<PeriodSpec>,
    pub timezone: Option<Zone>,
    pub db: Option<PathBuf>,
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct FileCtx<'a> {
    path: &'a str,
    text: &'a str,
}

impl FileCtx<'_> {
    fn err(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        let (line, column) = line_col(self.text, span.start);
        ConfigError::File {
            path: self.path.to_owned(),
            line,
            column,
            message,
        }
    }
}

/// Where the value of `key` is inside a section read whole (`[alerts]`), so an error
/// points at it rather than at the section's first line; the section when the key is
/// not written there (a default broke a rule).
fn value_span(text: &str, section: std::ops::Range<usize>, key: &str) -> std::ops::Range<usize> {
    // The span toml gives a table may cover its header alone: read on to the next.
    let body = text.get(section.start..).unwrap_or("");
    let mut at = section.start;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if i > 0 && line.trim_start().starts_with('[') {
            break;
        }
        let lead = line.len() - line.trim_start().len();
        if let Some(rest) = line.trim_start().strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value_at = line.len() - value.trim_start().len();
            let start = at + value_at.max(lead);
            return start..start + 1;
        }
        at += line.len();
    }
    section
}

/// Parses config text into `base`. Public for tests and `config check`.
pub fn apply_file(
    base: &mut Config,
    path: &str,
    text: &str,
    themes: &[String],
) -> Result<(), ConfigError> {
    let ctx = FileCtx { path, text };
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let snippet: String = text
            .get(span.clone())
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        let mut message = posthog::without_secrets(text, e.message().trim());
        // The excerpt of a key written as a list, a table or an unclosed string is the key.
        if !snippet.trim().is_empty()
            && !message.contains(snippet.trim())
            && !posthog::touches_secret(text, &span)
        {
            message = format!("{message} (found {:?})", snippet.trim());
        }
        ctx.err(span, message)
    })?;
    let g = &file.general;
    if let Some(s) = &g.source {
        base.source_named = true;
        base.source = s
            .get_ref()
            .parse()
            .map_err(|m| ctx.err(s.span(), format!("source = {:?}: {m}", s.get_ref())))?;
    }
    if let Some(s) = &g.triage_of {
        base.triage_of = Some(
            s.get_ref()
                .parse()
                .map_err(|m| ctx.err(s.span(), format!("triage_of = {:?}: {m}", s.get_ref())))?,
        );
    }
    if let Some(s) = &g.subscriptions {
        base.subscriptions = (!s.is_empty()).then(|| crate::files::user_path(s));
    }
    if let Some(t) = &g.theme {
        match check_theme(t.get_ref(), themes) {
            Ok(()) => base.theme = t.get_ref().clone(),
            Err(m) => {
                let e = ctx.err(t.span(), m);
                base.notes.push(format!("{e}; using {}", base.theme));
            }
        }
    }
    if let Some(r) = g.read_only {
        base.read_only = r;
    }
    if let Some(m) = g.mouse {
        base.mouse = m;
    }
    if let Some(z) = &g.timezone {
        let zone =
            Zone::parse(z.get_ref()).map_err(|m| ctx.err(z.span(), format!("timezone: {m}")))?;
        base.timezone = Some(zone);
    }
    let e = &file.engine;
    if let Some(p) = &e.period {
        base.period =
            PeriodSpec::parse(p.get_ref()).map_err(|m| ctx.err(p.span(), m.to_string()))?;
    }
    if let Some(d) = &e.dead_band {
        let v = *d.get_ref();
        if !(0.0..1.0).contains(&v) {
            return Err(ctx.err(
                d.span(),
                format!("dead_band = {v}: must be at least 0 and below 1 (0.10 = ±10%)"),
            ));
        }
        base.dead_band = v;
    }
    if let Some(h) = &e.activity_high {
        base.activity.high = *h.get_ref();
    }
    if let Some(m) = &e.activity_moderate {
        base.activity.moderate = *m.get_ref();
        if base.activity.moderate > base.activity.high {
            return Err(ctx.err(
                m.span(),
                format!(
                    "activity_moderate = {} is above activity_high = {}",
                    base.activity.moderate, base.activity.high
                ),
            ));
        }
    }
    if let Some(store) = &file.store
        && let Some(path) = store.path.as_ref().filter(|p| !p.is_empty())
    {
        base.db = Some(crate::files::user_path(path));
    }
    if let Some(alerts) = &file.alerts {
        let a = alerts.get_ref();
        let bad = [
            ("impact_high", a.impact_high),
            ("impact_critical", a.impact_critical),
            ("revenue_pattern_impact", a.revenue_pattern_impact),
            ("cost_roi_savings", a.cost_roi_savings),
        ]
        .into_iter()
        .find(|(_, v)| !v.is_finite() || *v < 0.0);
        if let Some((name, v)) = bad {
            return Err(ctx.err(
                value_span(text, alerts.span(), name),
                format!("[alerts] {name} = {v}: must be a positive amount in dollars"),
            ));
        }
        if a.impact_critical < a.impact_high {
            return Err(ctx.err(
                value_span(text, alerts.span(), "impact_critical"),
                format!(
                    "[alerts] impact_critical = {} is below impact_high = {}",
                    a.impact_critical, a.impact_high
                ),
            ));
        }
        base.alerts = a.clone();
    }
    if let Some(section) = &file.posthog {
        posthog::apply_section(&mut base.posthog, section, &ctx)?;
    }
    let mut user: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
    for (name, keys) in &file.keys {
        let action = Action::all()
            .find(|a| a.name() == *name.get_ref())
            .ok_or_else(|| {
                ctx.err(
                    name.span(),
                    format!(
                        "unknown action {:?} in [keys] (see `bearing config init` for the list)",
                        name.get_ref()
                    ),
                )
            })?;
        let mut parsed = Vec::new();
        for spec in keys.get_ref().specs() {
            let key = Key::parse(spec)
                .map_err(|m| ctx.err(keys.span(), format!("{}: {m}", name.get_ref())))?;
            if action != Action::Quit && keymap::reserved_quit_keys().contains(&key) {
                return Err(ctx.err(
                    keys.span(),
                    format!(
                        "{} = {spec:?}: {key} always quits bearing and cannot be bound to anything else",
                        name.get_ref()
                    ),
                ));
            }
            parsed.push(key);
        }
        if action == Action::Quit && parsed.is_empty() {
            return Err(ctx.err(
                keys.span(),
                "quit = []: bearing needs a key to quit (ctrl-c always quits as well; list it, or another key)".to_owned(),
            ));
        }
        user.insert(action, parsed);
    }
    if !user.is_empty() {
        base.keymap = Keymap::build(&user);
    }
    Ok(())
}

fn check_theme(name: &str, themes: &[String]) -> Result<(), String> {
    if themes.iter().any(|t| t == name) {
        Ok(())
    } else {
        // Both come from outside: the name typed or configured, the list from file names.
        let sanitize = crate::domain::sanitize::sanitize;
        Err(format!(
            "unknown theme \"{}\" (available: {})",
            sanitize(name),
            sanitize(&themes.join(", "))
        ))
    }
}

/// Applies `BEARING_*` variables.
pub fn apply_env(
    base: &mut Config,
    get: &dyn Fn(&str) -> Option<String>,
    themes: &[String],
) -> Result<(), ConfigError> {
    let env_err = |var: &str, value: &str, m: String| ConfigError::Env {
        var: var.to_owned(),
        message: format!("{value:?}: {m}"),
    };
    crate::posthog::settings::apply_env(&mut base.posthog, get)
        .map_err(|(var, message)| ConfigError::Env { var, message })?;
    if let Some(v) = get("BEARING_SOURCE").filter(|v| !v.is_empty()) {
        base.source_named = true;
        base.source = v.parse().map_err(|m| env_err("BEARING_SOURCE", &v, m))?;
    }
    if let Some(v) = get("BEARING_TRIAGE_OF").filter(|v| !v.is_empty()) {
        base.triage_of = Some(v.parse().map_err(|m| env_err("BEARING_TRIAGE_OF", &v, m))?);
    }
    if let Some(v) = get("BEARING_THEME").filter(|v| !v.is_empty()) {
        match check_theme(&v, themes) {
            Ok(()) => base.theme = v,
            Err(m) => {
                let e = env_err("BEARING_THEME", &v, m);
                base.notes.push(format!("{e}; using {}", base.theme));
            }
        }
    }
    if let Some(v) = get("BEARING_READ_ONLY").filter(|v| !v.is_empty()) {
        base.read_only = crate::domain::values::parse_bool(&v)
            .ok_or_else(|| env_err("BEARING_READ_ONLY", &v, "expected true or false".into()))?;
    }
    if let Some(v) = get("BEARING_DB").filter(|v| !v.is_empty()) {
        base.db = Some(PathBuf::from(v));
    }
    if let Some(v) = get("BEARING_TIMEZONE").filter(|v| !v.is_empty()) {
        base.timezone = Some(Zone::parse(&v).map_err(|m| ConfigError::Env {
            var: "BEARING_TIMEZONE".into(),
            message: m,
        })?);
    }
    if let Some(v) = get("BEARING_PERIOD").filter(|v| !v.is_empty()) {
        base.period =
            PeriodSpec::parse(&v).map_err(|m| env_err("BEARING_PERIOD", &v, m.to_string()))?;
    }
    Ok(())
}

pub fn apply_overrides(
    base: &mut Config,
    o: &Overrides,
    themes: &[String],
) -> Result<(), ConfigError> {
    if let Some(s) = &o.source {
        base.source_named = true;
        base.source = s.clone();
    }
    if let Some(s) = &o.subscriptions {
        base.subscriptions = Some(s.clone());
    }
    if let Some(s) = &o.triage_of {
        base.triage_of = Some(s.clone());
    }
    if let Some(t) = &o.theme {
        check_theme(t, themes).map_err(|message| ConfigError::Cli {
            flag: "--theme".into(),
            message,
        })?;
        base.theme = t.clone();
    }
    if o.read_only {
        base.read_only = true;
    }
    if let Some(p) = o.period {
        base.period = p;
    }
    if let Some(z) = o.timezone {
        base.timezone = Some(z);
    }
    if let Some(db) = &o.db {
        base.db = Some(db.clone());
    }
    Ok(())
}

/// Where the config is read from, and whether the user named it explicitly.
pub fn resolve_path(
    cli: Option<&Path>,
    get: &dyn Fn(&str) -> Option<String>,
) -> (Option<PathBuf>, bool) {
    if let Some(p) = cli {
        return (Some(p.to_path_buf()), true);
    }
    if let Some(p) = get("BEARING_CONFIG").filter(|p| !p.is_empty()) {
        return (Some(PathBuf::from(p)), true);
    }
    (default_path(), false)
}

/// The whole layering. A missing default config file is fine; a missing file the user
/// named is an error.
pub fn load(
    cli_path: Option<&Path>,
    overrides: &Overrides,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<(Config, Option<PathBuf>), ConfigError> {
    let (path, explicit) = resolve_path(cli_path, get);
    let config_dir = path.as_deref().and_then(Path::parent);
    let themes = theme_names(config_dir);
    let mut config = Config::default();
    if let Some(p) = &path {
        // A FIFO or `/dev/zero` named as the config is refused, not waited on or read
        // for ever; a leading BOM is dropped.
        let shown = crate::domain::sanitize::sanitize(&p.display().to_string()).into_owned();
        match crate::files::read_text(p, crate::files::Kind::Config) {
            Ok(text) => apply_file(&mut config, &shown, &text, &themes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
            Err(e) => {
                return Err(ConfigError::Io {
                    path: shown,
                    message: e.to_string(),
                });
            }
        }
    }
    apply_env(&mut config, get, &themes)?;
    apply_overrides(&mut config, overrides, &themes)?;
    if !config.source_named && config.posthog.is_configured() {
        config.source = SourceSpec::PostHog;
    }
    if config.triage_of == Some(SourceSpec::PostHog)
        && (config.posthog.host.is_none() || config.posthog.project_id.is_none())
    {
        return Err(ConfigError::Cli {
            flag: "triage of posthog".into(),
            message: "no PostHog project is configured (host and project id)".into(),
        });
    }
    Ok((config, path))
}

#[cfg(test)]
mod tests;
