//! `bearing doctor`: checks the setup in the order a problem would show up and, for
//! each check, says ok or what to try. Never prints the key.

use crate::config::{self, Overrides};
use crate::domain::EventKind;
use crate::posthog::client::{Client, HogQl, QueryResult};
use crate::posthog::error::{PostHogError, shorten};
use crate::posthog::settings::{KeySource, PostHogSettings};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::path::Path;
use std::process::ExitCode;

mod on_disk;
mod property_types;

#[derive(Default)]
struct Report {
    lines: Vec<String>,
    problems: usize,
    /// Said, not counted as problems: bearing works, but something near it reads the
    /// data differently (PostHog's own insights).
    warnings: usize,
}

impl Report {
    fn ok(&mut self, what: &str, text: impl AsRef<str>) {
        self.lines
            .push(format!("  ok    {what:<10} {}", text.as_ref()));
    }

    fn fix(&mut self, what: &str, text: impl AsRef<str>, try_this: impl AsRef<str>) {
        self.problems += 1;
        self.lines
            .push(format!("  FIX   {what:<10} {}", text.as_ref()));
        self.lines
            .push(format!("        {:<10} try: {}", "", try_this.as_ref()));
    }

    fn warn(&mut self, what: &str, text: impl AsRef<str>, try_this: impl AsRef<str>) {
        self.warnings += 1;
        self.lines
            .push(format!("  WARN  {what:<10} {}", text.as_ref()));
        self.lines
            .push(format!("        {:<10} try: {}", "", try_this.as_ref()));
    }

    fn skip(&mut self, what: &str, why: &str) {
        self.lines
            .push(format!("  --    {what:<10} skipped: {why}"));
    }
}

pub fn run(
    cli_config: Option<&Path>,
    overrides: &Overrides,
    get: &dyn Fn(&str) -> Option<String>,
    today: NaiveDate,
) -> ExitCode {
    let mut r = Report::default();
    let (path, _) = config::resolve_path(cli_config, get);
    let shown = path.as_ref().map_or_else(
        || "(no config directory)".to_owned(),
        |p| p.display().to_string(),
    );
    let config = match config::load(cli_config, overrides, get) {
        Ok((c, _)) => {
            if path.as_ref().is_some_and(|p| p.exists()) {
                r.ok("config", format!("{shown}: found and valid"));
            } else {
                r.ok(
                    "config",
                    format!("no file at {shown}; defaults and the environment in use"),
                );
            }
            Some(c)
        }
        Err(e) => {
            r.fix(
                "config",
                e.to_string(),
                "correct that setting; `bearing config check` re-checks",
            );
            None
        }
    };
    if let Some(c) = &config {
        posthog(&mut r, &c.posthog, today);
        on_disk::store(&mut r, c.db.clone());
    }
    on_disk::cache(&mut r);
    println!("bearing doctor");
    for l in &r.lines {
        println!("{l}");
    }
    let warnings = match r.warnings {
        0 => String::new(),
        1 => "; 1 warning".to_owned(),
        n => format!("; {n} warnings"),
    };
    if r.problems == 0 {
        println!("all checks passed{warnings}");
        ExitCode::SUCCESS
    } else {
        println!(
            "{} {} to fix{warnings}",
            r.problems,
            if r.problems == 1 {
                "problem"
            } else {
                "problems"
            }
        );
        ExitCode::FAILURE
    }
}

fn posthog(r: &mut Report, s: &PostHogSettings, today: NaiveDate) {
    const NEEDS: &str = "needs a configured project";
    let (Some(host), Some(id)) = (&s.host, &s.project_id) else {
        r.fix(
            "project",
            format!("no PostHog project: missing {}", missing(s)),
            "set POSTHOG_HOST and POSTHOG_PROJECT_ID, or [posthog] host and project_id in the config (until then bearing shows demo data)",
        );
        key(r, s);
        for what in ["reachable", "key works", "events", "properties", "table"] {
            r.skip(what, NEEDS);
        }
        return;
    };
    r.ok(
        "project",
        format!("{host} · project {id} ({} API)", s.prefix.as_str()),
    );
    let Some(k) = key(r, s) else {
        for what in ["reachable", "key works", "events", "properties", "table"] {
            r.skip(what, "needs a usable key");
        }
        return;
    };
    let client = match Client::new(s, &k) {
        Ok(c) => c.with_attempts(1),
        Err(e) => {
            r.fix("reachable", e.to_string(), "check the host setting");
            return;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            r.fix("reachable", e.to_string(), "run bearing doctor again");
            return;
        }
    };
    rt.block_on(network(r, &client, s, today));
}

fn missing(s: &PostHogSettings) -> String {
    let parts: Vec<&str> = s
        .missing_parts()
        .into_iter()
        .map(|(what, _)| what)
        .collect();
    parts.join(", ")
}

/// Whether the key is there and kept private; returns it when usable.
fn key(r: &mut Report, s: &PostHogSettings) -> Option<crate::posthog::key::ApiKey> {
    let Some(source) = &s.key else {
        r.fix(
            "key",
            "no personal API key",
            "put it in a key file only you can read (chmod 600) named by [posthog] key_file or POSTHOG_KEY_FILE, or set POSTHOG_PERSONAL_API_KEY",
        );
        return None;
    };
    match source.load() {
        Ok(k) => {
            let advice = match source {
                KeySource::Inline { from, .. } if from.starts_with("personal_api_key") => {
                    "; a key file (chmod 600) is safer than the config file"
                }
                _ => "",
            };
            r.ok(
                "key",
                format!("{} from {}{advice}", k.hint(), source.describe()),
            );
            Some(k)
        }
        Err(e) => {
            r.fix(
                "key",
                e.to_string(),
                "a key file must be private to you, as ssh insists for private keys",
            );
            None
        }
    }
}

fn query(name: &str, text: &str, values: Map<String, Value>) -> HogQl {
    HogQl {
        name: name.to_owned(),
        text: text.to_owned(),
        values,
    }
}

async fn network(r: &mut Report, client: &Client, s: &PostHogSettings, today: NaiveDate) {
    let quiet = |_| {};
    match client
        .query(&query("bearing_doctor", "SELECT 1", Map::new()), &quiet)
        .await
    {
        Ok(_) => {
            r.ok(
                "reachable",
                format!("PostHog answered at {}", client.host()),
            );
            r.ok("key works", "accepted for HogQL queries (query:read)");
        }
        Err(e) => {
            let (what, fix) = match &e {
                PostHogError::Unreachable { .. } | PostHogError::Timeout(_) => (
                    "reachable",
                    "check the host and the network; meanwhile bearing shows its last snapshot, marked OFFLINE",
                ),
                PostHogError::Unauthorized { .. } => (
                    "key works",
                    "create a personal API key with the query:read scope (PostHog: Settings → Personal API keys)",
                ),
                PostHogError::Forbidden { .. } => (
                    "key works",
                    "give the key the query:read scope and access to this project",
                ),
                PostHogError::NotFound => (
                    "project",
                    "check project_id, and path_prefix (projects or environments)",
                ),
                _ => (
                    "reachable",
                    "run bearing doctor again; if it persists, check PostHog's status",
                ),
            };
            if what == "reachable" {
                r.fix(what, e.to_string(), fix);
                r.skip("key works", "needs PostHog to answer");
            } else {
                r.ok(
                    "reachable",
                    format!("PostHog answered at {}", client.host()),
                );
                r.fix(what, e.to_string(), fix);
            }
            for rest in ["events", "properties", "table"] {
                r.skip(rest, "needs PostHog to answer");
            }
            return;
        }
    }
    events(r, client, today).await;
    property_types::check(r, client).await;
    table(r, client, s).await;
}

/// The seed's three event names, as a value for `{events}`.
fn event_names() -> Value {
    Value::Array(
        EventKind::ALL
            .iter()
            .map(|k| Value::from(k.event_name()))
            .collect(),
    )
}

async fn events(r: &mut Report, client: &Client, today: NaiveDate) {
    let since = today - chrono::Days::new(400);
    let mut v = Map::new();
    v.insert("events".into(), event_names());
    v.insert(
        "since".into(),
        // A rough 400 days: which zone cuts them makes no difference to the check.
        crate::domain::values::utc_midnight(since).into(),
    );
    let q = query(
        "bearing_doctor_events",
        "SELECT event, count() AS n FROM events WHERE event IN {events} \
         AND timestamp >= toDateTime({since}) GROUP BY event",
        v,
    );
    match client.query(&q, &|_| {}).await {
        Ok(answer) => {
            let count = |name: &str| {
                answer
                    .rows
                    .iter()
                    .find(|row| row.first().and_then(Value::as_str) == Some(name))
                    .and_then(|row| row.get(1).and_then(Value::as_u64))
                    .unwrap_or(0)
            };
            let counts: Vec<(&str, u64)> = EventKind::ALL
                .iter()
                .map(|k| (k.event_name(), count(k.event_name())))
                .collect();
            let text = counts
                .iter()
                .map(|(n, c)| format!("{n} {c}"))
                .collect::<Vec<_>>()
                .join(" · ");
            let absent: Vec<&str> = counts
                .iter()
                .filter(|(_, c)| *c == 0)
                .map(|(n, _)| *n)
                .collect();
            if absent.is_empty() {
                r.ok("events", format!("{text} (since {since})"));
            } else {
                r.fix(
                    "events",
                    format!("none since {since}: {}", absent.join(", ")),
                    "check that the tracking sends these events to this project",
                );
            }
        }
        Err(e) => r.fix("events", e.to_string(), "run bearing doctor again"),
    }
}

async fn table(r: &mut Report, client: &Client, s: &PostHogSettings) {
    let Some(name) = &s.subscriptions_table else {
        r.ok(
            "table",
            "no subscriptions table configured; the overview shows no plans ([posthog] subscriptions_table)",
        );
        return;
    };
    // The name was checked to be a plain identifier when the config was read.
    let q = query(
        "bearing_doctor_table",
        &format!("SELECT count() FROM {name}"),
        Map::new(),
    );
    match client.query(&q, &|_| {}).await {
        Ok(answer) => match row_count(&answer) {
            Ok(n) => {
                r.ok("table", format!("{name}: {n} rows"));
                columns(r, client, name).await;
            }
            Err(why) => r.fix(
                "table",
                format!("{name}: PostHog's answer to the row count was unreadable ({why})"),
                "run bearing doctor again; if it persists, count the table in PostHog's SQL editor",
            ),
        },
        Err(e) => r.fix(
            "table",
            e.to_string(),
            "check subscriptions_table against PostHog's data warehouse tables",
        ),
    }
}

/// The four columns the overview reads, and whether bearing can read their values: a
/// missing column fails every overview refresh; a period start it cannot read leaves
/// the tenant's period blank.
async fn columns(r: &mut Report, client: &Client, name: &str) {
    const SAMPLE: usize = 500;
    let q = query(
        "bearing_doctor_columns",
        &format!(
            "SELECT toString(tenant_id), toString(plan_name), toString(status), \
             toString(current_period_start) FROM {name} LIMIT {SAMPLE}"
        ),
        Map::new(),
    );
    let rows = match client.query(&q, &|_| {}).await {
        Ok(answer) => answer.rows,
        Err(e) => {
            r.fix(
                "columns",
                e.to_string(),
                format!(
                    "{name} needs the columns tenant_id, plan_name, status and current_period_start"
                ),
            );
            return;
        }
    };
    let text = |row: &[Value], i: usize| {
        row.get(i)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let no_tenant = rows.iter().filter(|row| text(row, 0).is_empty()).count();
    let bad_start = rows
        .iter()
        .filter(|row| {
            let t = text(row, 3);
            !t.is_empty() && crate::domain::values::parse_timestamp(&t).is_none()
        })
        .count();
    let seen = rows.len();
    if no_tenant + bad_start == 0 {
        r.ok(
            "columns",
            "tenant_id, plan_name, status, current_period_start: present and readable",
        );
    } else {
        r.fix(
            "columns",
            format!(
                "of {seen} rows read, {no_tenant} without a tenant_id and {bad_start} with a current_period_start bearing cannot read"
            ),
            "current_period_start should be a DateTime or an ISO 8601 time; tenant_id the events' tenant_id",
        );
    }
}

/// The number in a `SELECT count()` answer: one row holding one whole number.
/// Anything else is an unreadable answer, never "0 rows": an empty table and a
/// garbled answer need different fixes, so they must not look alike.
fn row_count(answer: &QueryResult) -> Result<u64, String> {
    let [row] = answer.rows.as_slice() else {
        return Err(format!(
            "{} rows where one count was expected",
            answer.rows.len()
        ));
    };
    let [value] = row.as_slice() else {
        return Err(format!("{} values where one count was expected", row.len()));
    };
    value.as_u64().ok_or_else(|| {
        // PostHog's text reaches the terminal only sanitised and cut short.
        format!(
            "the count was {}, not a whole number",
            shorten(&value.to_string())
        )
    })
}
