//! The command line (clap).

use crate::domain::{PeriodSpec, Zone};
use crate::source::SourceSpec;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Without a command, bearing opens the cockpit: on built-in demo data until a source is
configured. Keys: ? for help in the cockpit, q to quit.

Examples:
  bearing                                   the cockpit on demo data
  bearing --source file:events.jsonl        the cockpit on an exported file
  bearing report --format json              what the panes show, as JSON
  bearing demo-data --events 100000 --out events.jsonl
  bearing config init                       write the commented default config";

#[derive(Debug, Parser)]
#[command(
    name = "bearing",
    version,
    about = "A terminal cockpit for strategic business signals tracked in PostHog"
)]
#[command(after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Where the data comes from: demo, posthog (the project configured), or file:PATH (JSON Lines of PostHog events)
    #[arg(long, global = true, value_name = "SOURCE", value_parser = parse_source)]
    pub source: Option<SourceSpec>,

    /// Keep triage with another source's: e.g. an export of a PostHog project with
    /// `--triage-of posthog` shares the project's alerts, follow-ups and notes
    #[arg(long, global = true, value_name = "SOURCE", value_parser = parse_source)]
    pub triage_of: Option<SourceSpec>,

    /// The subscriptions table for a file source (default: NAME.subscriptions.jsonl beside it)
    #[arg(long, global = true, value_name = "FILE")]
    pub subscriptions: Option<PathBuf>,

    /// Colour theme: dark, light, high-contrast, colour-blind-safe, or one of yours
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Refuse every change
    #[arg(long, global = true)]
    pub read_only: bool,

    /// With --today, let the cockpit store what it raises and the triage done in it
    /// (a look at another day otherwise stores nothing)
    #[arg(long)]
    pub save: bool,

    /// The period to show: 90d, month, last-month, quarter, last-quarter, 2026-11, 2026-Q4
    #[arg(long, global = true, value_name = "PERIOD", value_parser = parse_period)]
    pub period: Option<PeriodSpec>,

    /// The database of triage state (default: bearing.db in the XDG data dir)
    #[arg(long, global = true, value_name = "FILE", env = "BEARING_DB")]
    pub db: Option<PathBuf>,

    /// The config file to read instead of the default one
    #[arg(long, global = true, value_name = "FILE", env = "BEARING_CONFIG")]
    pub config: Option<PathBuf>,

    /// The time zone days, months and quarters are cut in (an IANA name such as
    /// America/New_York; default: the PostHog project's zone, else UTC)
    #[arg(long, global = true, value_name = "TZ", value_parser = parse_zone)]
    pub timezone: Option<Zone>,

    /// Take this date as today (in the time zone), for reproducible reports
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what the panes show (JSON), or the monthly or quarterly review (Markdown, CSV, HTML)
    Report {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// How many decision-log rows to include, newest first
        #[arg(long, value_name = "N", default_value_t = 500)]
        decisions: usize,
        /// The review to follow: monthly or quarterly; by default the period's (a
        /// quarter gives the quarterly review), and without --period this month's or
        /// quarter's. With json, the review as JSON instead of what the panes show
        #[arg(long, value_enum)]
        template: Option<crate::report::review::Template>,
        /// Narrow the review to one tenant
        #[arg(long, value_name = "TENANT")]
        tenant: Option<String>,
        /// CSV: write only this table (key_figures, alerts, followups, data_health, …)
        #[arg(long, value_name = "NAME")]
        table: Option<String>,
    },
    /// Walk a review meeting through the period's review, slide by slide; the numbers
    /// stay as of the start until R refreshes them
    Present {
        /// Keep owners, notes and dismissal reasons off the shared screen
        #[arg(long)]
        redact: bool,
        /// Also show tenants by stable aliases instead of their names
        #[arg(long)]
        redact_tenants: bool,
        /// The presenter's own view: follows and drives the shared screen from another
        /// terminal, showing owners, notes, the next slide and the time
        #[arg(long)]
        presenter: bool,
        /// The review to follow: monthly or quarterly (by default the period's)
        #[arg(long, value_enum)]
        template: Option<crate::report::review::Template>,
    },
    /// Write N demo events as a PostHog-shaped JSON Lines file (and its subscriptions table)
    DemoData {
        #[arg(long, value_name = "N")]
        events: usize,
        /// The events file; "-" writes the events to standard output
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Generator seed (the cockpit's demo uses the default)
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Show, create or check the config file
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// List alerts with their triage state; exit code 3 when a new high or critical
    /// alert is waiting, 0 when none is (for cron and scripts)
    Alerts {
        /// JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Only alerts in this state: new, acknowledged, snoozed, resolved, dismissed, cleared
        #[arg(long, value_name = "STATE", value_parser = parse_status)]
        state: Option<crate::triage::Status>,
        /// Store what the rules raise (new alerts fired, due snoozes woken, audited),
        /// as a refresh in the cockpit does; without it nothing is written
        #[arg(long)]
        save: bool,
    },
    /// List follow-ups, open ones first
    Followups {
        /// JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Store the follow-ups the data asks for (audited); without it nothing is
        /// written
        #[arg(long)]
        save: bool,
    },
    /// Check the setup: config, PostHog project, key, reachability, events, store
    Doctor,
    /// The audit log of every triage change
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Tools for bearing's own tests (the `test-hooks` feature; never in a release)
    #[cfg(feature = "test-hooks")]
    #[command(hide = true)]
    Debug {
        #[command(subcommand)]
        action: DebugCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain and that the stored state equals a replay of the log;
    /// names the first row that does not fit
    Verify,
}

#[cfg(feature = "test-hooks")]
#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Random triage actions on the stored alerts, printing each one once committed
    Storm {
        #[arg(long, default_value_t = 100)]
        actions: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Wait this long between actions, as a person would
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the commented default config (refuses to overwrite without --force)
    Init {
        #[arg(long)]
        force: bool,
    },
    /// Print where the config file is read from
    Path,
    /// Check the config: values, themes, key conflicts
    Check,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// What the panes show, for scripts (with --template: the review)
    Json,
    /// The review, with tables any Markdown viewer renders
    Markdown,
    /// The review's tables, one file each (--out DIR) or one (--table NAME)
    Csv,
    /// The review as one self-contained page, with charts, that prints to PDF
    Html,
}

fn parse_source(s: &str) -> Result<SourceSpec, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<crate::triage::Status, String> {
    crate::triage::Status::parse(s).ok_or_else(|| {
        format!(
            "unknown state {s:?}: use new, acknowledged, snoozed, resolved, dismissed or cleared"
        )
    })
}

fn parse_zone(s: &str) -> Result<Zone, String> {
    Zone::parse(s)
}

fn parse_period(s: &str) -> Result<PeriodSpec, String> {
    PeriodSpec::parse(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_reach_subcommands() {
        let cli = Cli::try_parse_from([
            "bearing",
            "report",
            "--source",
            "file:x.jsonl",
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(cli.source, Some(SourceSpec::File("x.jsonl".into())));
        assert!(matches!(
            cli.command,
            Some(Command::Report {
                format: Format::Json,
                ..
            })
        ));
        assert!(Cli::try_parse_from(["bearing", "--source", "ftp:x"]).is_err());
        assert!(Cli::try_parse_from(["bearing", "--period", "someday"]).is_err());
    }

    #[test]
    fn timezone_is_global_and_checked() {
        let cli = Cli::try_parse_from(["bearing", "report", "--timezone", "Asia/Kolkata"]).unwrap();
        assert_eq!(cli.timezone.map(Zone::name), Some("Asia/Kolkata"));
        let cli =
            Cli::try_parse_from(["bearing", "--timezone", "America/New_York", "alerts"]).unwrap();
        assert_eq!(cli.timezone.map(Zone::name), Some("America/New_York"));
        let e = Cli::try_parse_from(["bearing", "--timezone", "Mars/Olympus"]).unwrap_err();
        assert!(e.to_string().contains("unknown time zone"), "{e}");
    }
}
