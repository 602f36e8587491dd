//! `bearing alerts`, `bearing followups` and `bearing audit verify`.

use super::{Today, engine_params, fail, load_options, warn};
use crate::config::Config;
use crate::engine::alerts::Severity;
use crate::executor::Executor;
use crate::refresh;
use crate::store::open::{self, StoreStatus};
use crate::store::{Store, audit};
use crate::triage::Status;
use chrono::NaiveDate;
use std::io::{self, Write};
use std::process::ExitCode;

/// Exit code of `bearing alerts` when a new high or critical alert is waiting.
pub const NEW_URGENT_ALERTS: u8 = 3;

/// Loads and evaluates as a refresh in the cockpit would; with `save` syncs the store
/// as it does, else only reads it (a file that is not there is an empty store) and
/// shows what a sync would leave. Over PostHog the rules run on PostHog's rollup; a
/// PostHog that cannot be reached ends the command before the store is opened, so
/// nothing stored changes.
fn refreshed(
    config: &Config,
    (today, fixed): Today,
    save: bool,
) -> Result<(refresh::Triage, StoreStatus, NaiveDate), String> {
    let params = engine_params(config, today);
    let executor = Executor::open(config, fixed).map_err(|e| e.to_string())?;
    let raised = executor
        .raise_blocking(&params, &load_options(config, today), &config.alerts)
        .map_err(|e| e.to_string())?;
    let (alerts, followups, today) = (raised.alerts, raised.followups, raised.today);
    if !save {
        let (store, unreadable) = open::open_to_read(config.db.clone(), &config.triage_key());
        let (triage, warning) = refresh::preview(store.as_ref(), &alerts, &followups, today);
        for w in unreadable.into_iter().chain(warning) {
            warn(w);
        }
        let status = StoreStatus::ReadOnly("this command only reads (--save stores)".into());
        return Ok((triage, status, today));
    }
    let (mut store, status) = open::open_store(
        config.db.clone(),
        config.read_only.then(|| "read-only mode".to_owned()),
        &config.triage_key(),
    );
    let (triage, _, warning) =
        refresh::sync_and_read(store.as_mut(), &alerts, &followups, (today, true));
    if let Some(w) = warning {
        warn(w);
    }
    let status = open::status_of(store.as_ref(), &status);
    if let Some(why) = status.reason() {
        warn(format!(
            "read-only ({why}): alerts shown as the data has them, triage state may be missing"
        ));
    }
    Ok((triage, status, today))
}

fn print(lines: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match lines(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

pub fn alerts(
    config: &Config,
    today: Today,
    json: bool,
    state: Option<Status>,
    save: bool,
) -> ExitCode {
    let (triage, _, _) = match refreshed(config, today, save) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let waiting = triage
        .alerts
        .iter()
        .any(|a| a.triage.status == Status::New && a.severity >= Severity::High);
    let rows: Vec<_> = triage
        .alerts
        .iter()
        .filter(|a| state.is_none_or(|s| a.triage.status == s))
        .collect();
    let printed = print(|w| {
        if json {
            crate::report::json::write_pretty(&mut *w, &rows)?;
            return writeln!(w);
        }
        writeln!(
            w,
            "{:<9} {:<14} {:<8} {:<18} {:<10} ALERT  [ID]",
            "SEVERITY", "STATE", "PERIOD", "TENANT", "OWNER"
        )?;
        for a in &rows {
            writeln!(
                w,
                "{:<9} {} {} {} {} {}  [{}]",
                a.severity.name(),
                col(&crate::tui::panes::state_text(&a.triage), 14),
                col(&a.period, 8),
                col(&a.tenant, 18),
                col(a.triage.owner.as_deref().unwrap_or("-"), 10),
                a.title,
                a.id
            )?;
        }
        writeln!(
            w,
            "{} alerts shown, {} open",
            rows.len(),
            triage
                .alerts
                .iter()
                .filter(|a| a.triage.status.is_open())
                .count()
        )
    });
    // The process ends next: freeing 300,000 rows one string at a time would take a
    // tenth of the command's time, for memory the exit returns anyway.
    std::mem::forget(rows);
    std::mem::forget(triage);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if waiting {
        ExitCode::from(NEW_URGENT_ALERTS)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn followups(config: &Config, today: Today, json: bool, save: bool) -> ExitCode {
    let (triage, _, today) = match refreshed(config, today, save) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    print(|w| {
        if json {
            crate::report::json::write_pretty(&mut *w, &triage.followups)?;
            return writeln!(w);
        }
        writeln!(
            w,
            "{:<10} {:<9} {:<18} {:<10} FOLLOW-UP  [ID]",
            "DUE", "STATUS", "TENANT", "OWNER"
        )?;
        for f in &triage.followups {
            let status = if f.state.is_overdue(today) {
                "OVERDUE"
            } else {
                f.state.status.name()
            };
            writeln!(
                w,
                "{:<10} {:<9} {} {} {}  [{}]",
                f.state.due,
                status,
                col(&f.tenant, 18),
                col(f.state.owner.as_deref().unwrap_or("-"), 10),
                f.title,
                f.id
            )?;
        }
        let overdue = triage
            .followups
            .iter()
            .filter(|f| f.state.is_overdue(today))
            .count();
        writeln!(
            w,
            "{} follow-ups, {overdue} overdue",
            triage.followups.len()
        )
    })
}

pub fn audit_verify(config: &Config) -> ExitCode {
    let Some(path) = config.db.clone().or_else(crate::store::default_path) else {
        return fail("no data directory: pass --db FILE");
    };
    if !path.exists() {
        return fail(format!(
            "no audit log at {}: bearing has not saved anything there",
            path.display()
        ));
    }
    let store = match Store::open_read_only(&path, "verifying".into()) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match audit::verify(store.conn()) {
        Ok(v) => {
            println!(
                "audit log verified: {} records, hash chain intact, stored state equals a replay of the log (last hash {})",
                v.records,
                &v.last_hash[..16]
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("audit verification FAILED: {e}")),
    }
}

/// `text` padded to `width` terminal cells: `{:<18}` counts characters, and a wide
/// character or an escape shown as `\x1b` would shift every column after it.
fn col(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
