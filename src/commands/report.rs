//! `bearing report`: what the panes show as JSON, or the monthly or quarterly review
//! as Markdown, CSV or HTML.

use super::{Today, engine_params, fail, load_options, shown, warn};
use crate::cli::Format;
use crate::config::Config;
use crate::domain::PeriodSpec;
use crate::executor::Executor;
use crate::report::review::{self, Template};
use crate::store::open;
use chrono::Utc;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

pub struct Args<'a> {
    pub format: Format,
    pub out: Option<&'a Path>,
    /// Decision-log rows in the JSON report.
    pub rows: usize,
    pub template: Option<Template>,
    pub tenant: Option<&'a str>,
    /// CSV: the one table to write.
    pub table: Option<&'a str>,
    /// `--period` was given on the command line.
    pub period_given: bool,
}

fn is_quarter(p: PeriodSpec) -> bool {
    matches!(
        p,
        PeriodSpec::Quarter { .. } | PeriodSpec::ThisQuarter | PeriodSpec::LastQuarter
    )
}

/// The review a report follows, and its period: a quarter's period gives the
/// quarterly review; without `--period` the review covers this month or quarter.
fn template_and_period(
    template: Option<Template>,
    period_given: bool,
    config: &Config,
) -> (Template, PeriodSpec) {
    let template = template.unwrap_or(if is_quarter(config.period) {
        Template::Quarterly
    } else {
        Template::Monthly
    });
    let period = if period_given {
        config.period
    } else {
        match template {
            Template::Monthly => PeriodSpec::ThisMonth,
            Template::Quarterly => PeriodSpec::ThisQuarter,
        }
    };
    (template, period)
}

pub fn run(config: &Config, today: Today, a: Args) -> ExitCode {
    // JSON without a template is what the panes show, for scripts; with one, the
    // review itself, as the other formats render it.
    if a.format == Format::Json && a.template.is_none() {
        return json(config, today, &a);
    }
    let review = match load_review(config, today, (a.template, a.period_given), a.tenant) {
        Ok((r, _)) => r,
        Err(e) => return fail(e),
    };
    let result = match a.format {
        Format::Markdown => write_out(a.out, |w| crate::report::markdown::write(w, &review)),
        Format::Csv => return csv(&review, a.table, a.out),
        Format::Html => write_out(a.out, |w| crate::report::html::write(w, &review)),
        Format::Json => write_out(a.out, |w| {
            serde_json::to_writer_pretty(&mut *w, &review)
                .map_err(io::Error::other)
                .and_then(|()| writeln!(w))
        }),
    };
    done(result)
}

fn json(config: &Config, (today, fixed): Today, a: &Args) -> ExitCode {
    let executor = match Executor::open(config, fixed) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let params = engine_params(config, today);
    let opts = load_options(config, today);
    let (ds, views) = match executor.views_blocking(&params, &opts, a.rows) {
        Ok((ds, views, _)) => (ds, views),
        Err(e) => return fail(e),
    };
    let report = crate::report::json::build(&ds, &views, Utc::now(), a.rows);
    done(write_out(a.out, |w| {
        crate::report::json::write_pretty(&mut *w, &report).and_then(|()| writeln!(w))
    }))
}

/// The review of the config's source, as of now: the panes' figures for the review's
/// period and the alerts and follow-ups as `bearing alerts` shows them (read, never
/// stored). `bearing present` shows the same, and keeps what the rules raised: a note
/// taken in the meeting stores its alert first, as a refresh would.
pub fn load_review(
    config: &Config,
    (today, fixed): Today,
    (template, period_given): (Option<Template>, bool),
    tenant: Option<&str>,
) -> Result<(review::Review, crate::executor::Raised), String> {
    let executor = Executor::open(config, fixed).map_err(|e| e.to_string())?;
    let mut params = engine_params(config, today);
    let (template, period) = template_and_period(template, period_given, config);
    params.period = period;
    let opts = load_options(config, today);
    let (ds, views, _, raised) = executor
        .views_and_raise_blocking(&params, &opts, &config.alerts)
        .map_err(|e| e.to_string())?;
    let (store, unreadable) = open::open_to_read(config.db.clone(), &config.triage_key());
    let (triage, warning) = crate::refresh::preview(
        store.as_ref(),
        &raised.alerts,
        &raised.followups,
        raised.today,
    );
    for w in unreadable.into_iter().chain(warning) {
        warn(w);
    }
    if let Some(t) = tenant
        && ds.strings.get(t).is_none()
        && !triage.alerts.iter().any(|x| x.tenant == t)
    {
        return Err(format!(
            "no tenant {:?} in the data",
            crate::domain::sanitize::sanitize(t)
        ));
    }
    let review = review::build(&ds, &views, &triage, template, tenant, Utc::now());
    Ok((review, raised))
}

fn done(result: io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// CSV is one file per table: `--out DIR` writes them all (`DIR/NAME.csv`), `--table
/// NAME` one, to `--out FILE` or standard output.
fn csv(review: &review::Review, table: Option<&str>, out: Option<&Path>) -> ExitCode {
    let tables = review.tables();
    let names = || tables.iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
    match (table, out) {
        (Some(name), out) => match tables.iter().find(|t| t.name == name) {
            Some(t) => done(write_out(out, |w| crate::report::csv::write(w, t))),
            None => fail(format!(
                "no table {:?}: use one of {}",
                crate::domain::sanitize::sanitize(name),
                names()
            )),
        },
        (None, Some(dir)) => {
            if dir.exists() && !dir.is_dir() {
                return fail(format!(
                    "{} is a file: for CSV --out names a folder, one file per table ({}), or pass --table NAME",
                    shown(dir),
                    names()
                ));
            }
            if let Err(e) = crate::files::create_private_dir(dir) {
                return fail(format!("{}: {e}", shown(dir)));
            }
            for t in &tables {
                let path = dir.join(format!("{}.csv", t.name));
                if let Err(e) = write_out(Some(&path), |w| crate::report::csv::write(w, t)) {
                    return fail(e);
                }
            }
            ExitCode::SUCCESS
        }
        (None, None) => fail(format!(
            "CSV is one file per table: pass --out DIR for all of them, or --table NAME ({})",
            names()
        )),
    }
}

pub fn write_out(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match out {
        Some(path) => {
            let mut f = io::BufWriter::new(
                crate::files::create_private(path)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", shown(path))))?,
            );
            write(&mut f)?;
            f.flush()
        }
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            match write(&mut lock).and_then(|()| lock.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    }
}
