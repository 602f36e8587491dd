//! Local sources of events: the built-in demo and an exported JSON Lines file (with an
//! optional subscriptions file). Each produces a [`Dataset`] the local executor turns
//! into rollups; PostHog's events stay in PostHog and its rollups come from HogQL
//! (`crate::posthog::queries`).

pub mod cache;
pub mod demo;
pub mod export;
pub mod ingest;
pub mod jsonl;
pub mod record;

use crate::domain::sanitize::sanitize;
use crate::domain::{Dataset, Origin};
use crate::files;
use chrono::NaiveDate;
use std::fmt;
use std::io::{BufReader, ErrorKind};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceSpec {
    Demo,
    File(PathBuf),
    /// The PostHog project of the config.
    PostHog,
}

impl FromStr for SourceSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "demo" => Ok(SourceSpec::Demo),
            "posthog" => Ok(SourceSpec::PostHog),
            _ => match s.strip_prefix("file:") {
                Some("") => Err("file: needs a path, e.g. file:events.jsonl".into()),
                Some(path) => Ok(SourceSpec::File(crate::files::user_path(path))),
                None => Err(format!(
                    "unknown source {s:?}: use demo, posthog or file:PATH"
                )),
            },
        }
    }
}

impl SourceSpec {
    /// The key triage state is kept under (`store::scope`): the demo, a PostHog
    /// project by host and id (as its snapshots are kept), a file by its absolute
    /// path, so the same file reached by another path shares its triage.
    pub fn triage_key(&self, posthog: &crate::posthog::settings::PostHogSettings) -> String {
        match self {
            SourceSpec::Demo => crate::store::scope::DEMO.to_owned(),
            SourceSpec::PostHog => format!(
                "posthog {} {}",
                posthog.host.as_deref().unwrap_or_default(),
                posthog.project_id.as_deref().unwrap_or_default()
            ),
            SourceSpec::File(path) => {
                let full = std::fs::canonicalize(path)
                    .or_else(|_| std::path::absolute(path))
                    .unwrap_or_else(|_| path.clone());
                format!("file {}", full.display())
            }
        }
    }
}

// Beside `SourceSpec::triage_key`, which it chooses between.
impl crate::config::Config {
    /// The key of the source whose triage state this session reads and writes: the
    /// source's own, or the one `triage_of` names.
    pub fn triage_key(&self) -> String {
        let spec = self.triage_of.as_ref().unwrap_or(&self.source);
        spec.triage_key(&self.posthog)
    }
}

impl fmt::Display for SourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceSpec::Demo => f.write_str("demo"),
            SourceSpec::File(p) => write!(f, "file:{}", p.display()),
            SourceSpec::PostHog => f.write_str("posthog"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Unavailable(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// What a load needs besides the source itself.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub today: NaiveDate,
    /// Parse workers for files; 0 means one per core.
    pub workers: usize,
    /// Custom event names to keep for the `custom_event` alert rule.
    pub watch: Vec<String>,
}

impl LoadOptions {
    pub fn new(today: NaiveDate) -> LoadOptions {
        LoadOptions {
            today,
            workers: 0,
            watch: Vec::new(),
        }
    }
}

/// A source of events. Implementations do IO and must be called off the UI thread.
pub trait Source: Send + Sync {
    fn origin(&self) -> Origin;
    fn load(&self, opts: &LoadOptions) -> Result<Dataset, SourceError>;

    /// Called with what the last `load` returned once it is shared: a source that
    /// keeps a copy for its next load makes it here, on a thread of its own, so that
    /// no screen waits for it. By default nothing is kept.
    fn loaded(&self, _ds: &Arc<Dataset>) {}

    /// Hands each event to `fold` (in order, once) and returns the dataset without
    /// them: for a command that reads a source once, so a large file is never held.
    /// By default the events are loaded, handed over and let go.
    fn fold(&self, opts: &LoadOptions, fold: &mut dyn jsonl::Fold) -> Result<Dataset, SourceError> {
        let mut ds = self.load(opts)?;
        for e in &ds.events {
            fold.add(e, &ds.strings);
        }
        ds.events = Vec::new();
        Ok(ds)
    }
}

pub struct DemoSource;

impl Source for DemoSource {
    fn origin(&self) -> Origin {
        Origin::Demo
    }

    fn load(&self, opts: &LoadOptions) -> Result<Dataset, SourceError> {
        Ok(demo::dataset(demo::DemoOptions::new(opts.today)))
    }
}

pub struct FileSource {
    pub path: PathBuf,
    /// The subscriptions table; by default `NAME.subscriptions.jsonl` beside the file.
    pub subscriptions: Option<PathBuf>,
    /// Where a parsed copy is kept for the next [`Source::load`], if anywhere.
    pub cache: Option<cache::Cache>,
    /// The copy the last load may keep, made by [`Source::loaded`].
    pending: Mutex<Option<cache::Keep>>,
}

/// `events.jsonl` → `events.subscriptions.jsonl`, the name `bearing demo-data` writes.
pub fn sibling_subscriptions(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.subscriptions.jsonl"))
}

fn shown(path: &Path) -> String {
    sanitize(&path.display().to_string()).into_owned()
}

impl Source for FileSource {
    fn origin(&self) -> Origin {
        Origin::File {
            path: shown(&self.path),
        }
    }

    /// From the parsed copy of an unchanged file when one is kept, else read (and a
    /// copy kept for next time, once [`Source::loaded`] is given the dataset).
    fn load(&self, opts: &LoadOptions) -> Result<Dataset, SourceError> {
        *self.pending() = None;
        let Some(cache) = &self.cache else {
            return self.read(opts, None);
        };
        let sub = self.subscriptions_path();
        let before = cache.stamp(&self.path, &sub, &opts.watch);
        if let Some(ds) = before.as_ref().and_then(|s| cache.load(s, self.origin())) {
            tracing::debug!(events = ds.events.len(), "read from the parsed copy");
            return Ok(ds);
        }
        let ds = self.read(opts, None)?;
        if let Some(before) = &before {
            let after = cache.stamp(&self.path, &sub, &opts.watch);
            *self.pending() = cache.may_keep(before, after.as_ref());
        }
        Ok(ds)
    }

    fn loaded(&self, ds: &Arc<Dataset>) {
        let keep = self.pending().take();
        if let Some(keep) = keep {
            keep.make(Arc::clone(ds));
        }
    }

    fn fold(&self, opts: &LoadOptions, fold: &mut dyn jsonl::Fold) -> Result<Dataset, SourceError> {
        self.read(opts, Some(fold))
    }
}

impl FileSource {
    /// The copy the last load may keep (a poisoned lock still holds a usable value).
    fn pending(&self) -> std::sync::MutexGuard<'_, Option<cache::Keep>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The file at `path`, read afresh every time.
    pub fn new(path: PathBuf, subscriptions: Option<PathBuf>) -> FileSource {
        FileSource {
            path,
            subscriptions,
            cache: None,
            pending: Mutex::default(),
        }
    }

    fn subscriptions_path(&self) -> PathBuf {
        self.subscriptions
            .clone()
            .unwrap_or_else(|| sibling_subscriptions(&self.path))
    }

    /// Reads the file, holding its events or, given a fold, handing them to it.
    fn read(
        &self,
        opts: &LoadOptions,
        fold: Option<&mut dyn jsonl::Fold>,
    ) -> Result<Dataset, SourceError> {
        let io_err = |path: &Path| {
            let path = shown(path);
            move |source| SourceError::Io { path, source }
        };
        // A regular file only: `/dev/zero` or a FIFO would never end or never open.
        let file = files::open(&self.path).map_err(io_err(&self.path))?;
        let workers = if opts.workers == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            opts.workers
        };
        let bytes = file.metadata().map_or(0, |m| m.len());
        let parsed = match fold {
            Some(fold) => {
                // A file with retries is read again (`jsonl::repeats`).
                let mut file = Some(file);
                let open = || file.take().map_or_else(|| files::open(&self.path), Ok);
                jsonl::fold_events(open, workers, &opts.watch, bytes, fold)
            }
            None => jsonl::read_file_events(file, workers, &opts.watch, bytes),
        }
        .map_err(io_err(&self.path))?;
        let mut strings = parsed.strings;
        let sub_path = self.subscriptions_path();
        let mut ingest = parsed.stats;
        let subscriptions = match files::open(&sub_path) {
            Ok(f) => {
                let reader = BufReader::new(files::limited(f, files::Kind::Subscriptions));
                let (rows, bad) =
                    jsonl::read_subscriptions(reader, &mut strings).map_err(io_err(&sub_path))?;
                ingest.subscriptions_broken = bad;
                Some(rows)
            }
            // An explicitly named table must exist; the default one is optional, but
            // something there that is not a file (a FIFO, a folder) is a mistake to tell.
            Err(e) if self.subscriptions.is_some() || e.kind() != ErrorKind::NotFound => {
                return Err(io_err(&sub_path)(e));
            }
            Err(_) => None,
        };
        Ok(Dataset {
            origin: self.origin(),
            events: parsed.events,
            strings,
            subscriptions,
            ingest,
            custom: parsed.custom,
        })
    }
}

/// The source whose events are read into memory, or None for PostHog, whose events
/// stay there (`crate::executor` asks PostHog for rollups instead).
pub fn local(spec: &SourceSpec, subscriptions: Option<PathBuf>) -> Option<Box<dyn Source>> {
    match spec {
        SourceSpec::PostHog => None,
        SourceSpec::Demo => Some(Box::new(DemoSource)),
        SourceSpec::File(path) => Some(Box::new(FileSource {
            cache: cache::Cache::default_dir().map(cache::Cache::new),
            ..FileSource::new(path.clone(), subscriptions)
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_specs() {
        assert_eq!("demo".parse(), Ok(SourceSpec::Demo));
        assert_eq!(
            "file:a/b.jsonl".parse(),
            Ok(SourceSpec::File("a/b.jsonl".into()))
        );
        assert!("file:".parse::<SourceSpec>().is_err());
        assert!("s3://x".parse::<SourceSpec>().is_err());
        assert_eq!(
            sibling_subscriptions(Path::new("x/ev.jsonl")),
            PathBuf::from("x/ev.subscriptions.jsonl")
        );
    }

    const EVENT: &str = r#"{"event":"cost_optimization_trend","timestamp":"2026-01-02T00:00:00Z","properties":{"tenant_id":"acme"}}"#;

    /// Loads an events file with `subs` as its subscriptions table.
    fn load_with_subscriptions(subs: &[u8]) -> Result<Dataset, SourceError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        std::fs::write(&path, format!("{EVENT}\n")).unwrap();
        std::fs::write(sibling_subscriptions(&path), subs).unwrap();
        let src = FileSource::new(path, None);
        src.load(&LoadOptions::new(NaiveDate::MIN))
    }

    fn plans(ds: &Dataset) -> Vec<(&str, &str)> {
        let rows = ds.subscriptions.as_deref().unwrap_or_default();
        rows.iter()
            .map(|s| (ds.resolve(s.tenant), ds.resolve(s.plan)))
            .collect()
    }

    #[test]
    fn a_utf8_bom_does_not_lose_the_first_subscription() {
        let ds = load_with_subscriptions(
            b"\xef\xbb\xbf{\"tenant_id\":\"acme\",\"plan_name\":\"Pro\"}\n{\"tenant_id\":\"beta\",\"plan_name\":\"Team\"}\n",
        )
        .unwrap();
        assert_eq!(plans(&ds), vec![("acme", "Pro"), ("beta", "Team")]);
        assert_eq!(ds.ingest.subscriptions_broken, 0);
    }

    #[test]
    fn one_invalid_byte_in_the_subscriptions_file_skips_only_its_line_and_is_counted() {
        let ds = load_with_subscriptions(
            b"{\"tenant_id\":\"acme\",\"plan_name\":\"Pro\"}\n{\"tenant_id\":\"x\xff\"}\n{broken\n{\"plan_name\":\"no tenant\"}\n\n{\"tenant_id\":\"beta\",\"plan_name\":\"Team\"}",
        )
        .unwrap();
        assert_eq!(plans(&ds), vec![("acme", "Pro"), ("beta", "Team")]);
        assert_eq!(
            ds.ingest.subscriptions_broken, 3,
            "bad byte, bad JSON, no tenant"
        );
        // Data health carries the count to the pane and the report.
        let views = crate::engine::compute(
            &ds,
            &crate::engine::EngineParams {
                today: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
                zone: crate::domain::Zone::UTC,
                period: crate::domain::PeriodSpec::Trailing(90),
                dead_band: 0.1,
                activity: Default::default(),
            },
        );
        assert_eq!(views.health.ingest.subscriptions_broken, 3);
    }

    #[test]
    fn unreadable_subscription_rows_show_in_the_data_health_pane() {
        use crate::config::theme::ColorDepth;
        use crate::tui::panes::HealthItem;
        let ds = load_with_subscriptions(
            b"{\"tenant_id\":\"acme\"}\n{broken\n{\"tenant_id\":\"b\xff\"}\n",
        )
        .unwrap();
        let views = crate::engine::compute(
            &ds,
            &crate::engine::EngineParams {
                today: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
                zone: crate::domain::Zone::UTC,
                period: crate::domain::PeriodSpec::Trailing(90),
                dead_band: 0.1,
                activity: Default::default(),
            },
        );
        let (themes, _) = crate::config::load_themes(None, ColorDepth::TrueColor);
        let theme = &themes[0];
        let cells = crate::tui::panes::item_cells(&views.health, &HealthItem::Subscriptions);
        let shown: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(shown, ["Subscriptions", "1 rows · 2 unreadable, skipped"]);
        assert_eq!((cells[1].style)(theme), theme.bad(), "shown as a problem");
    }

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let src = FileSource::new("/nonexistent/events.jsonl".into(), None);
        let opts = LoadOptions::new(NaiveDate::MIN);
        let err = src
            .load(&opts)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("cannot read /nonexistent/events.jsonl:"),
            "{err}"
        );
    }
}
