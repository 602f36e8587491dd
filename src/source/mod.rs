//! Where events come from: the built-in demo, an exported JSON Lines file, and (later)
//! PostHog. Every source produces the same [`Dataset`] for the same engine.

pub mod demo;
pub mod export;
pub mod ingest;
pub mod jsonl;
pub mod record;

use crate::domain::sanitize::sanitize;
use crate::domain::{Dataset, Origin};
use chrono::NaiveDate;
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::str::FromStr;

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
                Some(path) => Ok(SourceSpec::File(PathBuf::from(path))),
                None => Err(format!(
                    "unknown source {s:?}: use demo, posthog or file:PATH"
                )),
            },
        }
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
}

/// PostHog as a `Source`: it has no events to hand over (its panes come from the
/// HogQL executor, `crate::posthog`), so a load says so rather than pretending.
struct Unwired;

impl Source for Unwired {
    fn origin(&self) -> Origin {
        Origin::Demo
    }

    fn load(&self, _opts: &LoadOptions) -> Result<Dataset, SourceError> {
        Err(SourceError::Unavailable(
            "PostHog's events stay in PostHog: its panes are queried, not loaded".into(),
        ))
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

    fn load(&self, opts: &LoadOptions) -> Result<Dataset, SourceError> {
        let io_err = |path: &Path| {
            let path = shown(path);
            move |source| SourceError::Io { path, source }
        };
        let file = File::open(&self.path).map_err(io_err(&self.path))?;
        let workers = if opts.workers == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            opts.workers
        };
        let parsed =
            jsonl::read_events_watching(file, workers, &opts.watch).map_err(io_err(&self.path))?;
        let mut strings = parsed.strings;
        let sub_path = self
            .subscriptions
            .clone()
            .unwrap_or_else(|| sibling_subscriptions(&self.path));
        let subscriptions = match File::open(&sub_path) {
            Ok(f) => {
                let (rows, _bad) = jsonl::read_subscriptions(BufReader::new(f), &mut strings)
                    .map_err(io_err(&sub_path))?;
                Some(rows)
            }
            // An explicitly named table must exist; the default one is optional.
            Err(e) if self.subscriptions.is_some() => return Err(io_err(&sub_path)(e)),
            Err(_) => None,
        };
        Ok(Dataset {
            origin: self.origin(),
            events: parsed.events,
            strings,
            subscriptions,
            ingest: parsed.stats,
            custom: parsed.custom,
        })
    }
}

pub fn open(spec: &SourceSpec, subscriptions: Option<PathBuf>) -> Box<dyn Source> {
    match spec {
        SourceSpec::PostHog => Box::new(Unwired),
        SourceSpec::Demo => Box::new(DemoSource),
        SourceSpec::File(path) => Box::new(FileSource {
            path: path.clone(),
            subscriptions,
        }),
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

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let src = FileSource {
            path: "/nonexistent/events.jsonl".into(),
            subscriptions: None,
        };
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
