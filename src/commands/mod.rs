//! What each command does. The cockpit itself lives in `tui`.

mod doctor;
mod present;
pub mod report;
#[cfg(feature = "test-hooks")]
mod storm;
mod triage;

#[cfg(feature = "test-hooks")]
use crate::cli::DebugCommand;
use crate::cli::{AuditCommand, Cli, Command, ConfigCommand};
use crate::config::theme::ColorDepth;
use crate::config::{self, Config, Overrides, file::DEFAULT_TEXT};
use crate::domain::sanitize::sanitize_lines;
use crate::engine::EngineParams;
use crate::executor::Executor;
use crate::source::{self, LoadOptions, demo::DemoOptions, export};
use crate::tui::{app, state::AppState};
use chrono::{NaiveDate, Utc};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Every message bearing writes to stderr passes here. A message can quote a path, a
/// flag's value, a server's answer or a string from the database, and none of those
/// may drive the terminal; one layer, so that no call site has to remember.
pub(crate) fn warn(message: impl std::fmt::Display) {
    eprintln!("bearing: {}", sanitize_lines(&message.to_string()));
}

/// A path as bearing prints it: made inert, since a file name can hold any byte.
fn shown(path: &Path) -> String {
    crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned()
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    warn(message);
    ExitCode::FAILURE
}

/// clap's own errors quote what was typed (`unrecognized subcommand '…'`), and on a
/// terminal clap lets escape sequences through: they are printed inert like the rest.
/// Help and version are bearing's own text and print as clap prints them.
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let code = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Nothing useful to do if stdout is gone (`bearing --help | head`).
            let _ = e.print();
        }
        _ => eprint!("{}", sanitize_lines(&e.to_string())),
    }
    code
}

pub fn main(cli: Cli) -> ExitCode {
    if let Some(problem) = crate::logging::init(&env) {
        warn(problem);
    }
    // Before the config is read (doctor, demo-data): the flag's zone, else UTC.
    let today = cli
        .today
        .unwrap_or_else(|| cli.timezone.unwrap_or_default().today(Utc::now()));
    let overrides = Overrides {
        source: cli.source.clone(),
        triage_of: cli.triage_of.clone(),
        subscriptions: cli.subscriptions.clone(),
        theme: cli.theme.clone(),
        read_only: cli.read_only,
        period: cli.period,
        timezone: cli.timezone,
        db: cli.db.clone(),
    };
    if let Some(Command::Doctor) = &cli.command {
        return doctor::run(cli.config.as_deref(), &overrides, &env, today);
    }
    if let Some(Command::Config { action }) = &cli.command {
        return config_command(action, cli.config.as_deref(), &overrides);
    }
    if let Some(Command::DemoData { events, out, seed }) = &cli.command {
        return demo_data(today, *events, out, *seed);
    }
    let (config, config_path) = match config::load(cli.config.as_deref(), &overrides, &env) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    // The cockpit says them on its status line; a command on stderr, and goes on.
    if cli.command.is_some() {
        for note in &config.notes {
            warn(note);
        }
    }
    // Today where the user is told to look: in the chosen zone (over PostHog without
    // one, the project's, learned when it first answers).
    let today = cli
        .today
        .unwrap_or_else(|| config.timezone.unwrap_or_default().today(Utc::now()));
    let fixed_today = cli.today;
    if let Some((name, start)) = config.period.not_begun(today) {
        return fail(format!(
            "the period {name} has not begun: it starts on {start} and today is {today}"
        ));
    }
    match &cli.command {
        Some(Command::Report {
            format,
            out,
            decisions,
            template,
            tenant,
            table,
        }) => {
            let args = report::Args {
                format: *format,
                out: out.as_deref(),
                rows: *decisions,
                template: *template,
                tenant: tenant.as_deref(),
                table: table.as_deref(),
                period_given: cli.period.is_some(),
            };
            report::run(&config, (today, fixed_today), args)
        }
        Some(Command::Present {
            redact,
            redact_tenants,
            presenter,
            template,
        }) => present::present(
            &config,
            config_path.as_deref(),
            (today, fixed_today),
            (*presenter, *redact || *redact_tenants, *redact_tenants),
            (*template, cli.period.is_some()),
        ),
        Some(Command::Alerts { json, state, save }) => {
            triage::alerts(&config, (today, fixed_today), *json, *state, *save)
        }
        Some(Command::Followups { json, save }) => {
            triage::followups(&config, (today, fixed_today), *json, *save)
        }
        Some(Command::Audit {
            action: AuditCommand::Verify,
        }) => triage::audit_verify(&config),
        #[cfg(feature = "test-hooks")]
        Some(Command::Debug {
            action:
                DebugCommand::Storm {
                    actions,
                    seed,
                    pause_ms,
                },
        }) => storm::storm(&config, today, *actions, *seed, *pause_ms),
        _ => cockpit(config, config_path, (today, fixed_today), cli.save),
    }
}

fn engine_params(config: &Config, today: NaiveDate) -> EngineParams {
    EngineParams {
        today,
        zone: config.timezone.unwrap_or_default(),
        period: config.period,
        dead_band: config.dead_band,
        activity: config.activity,
    }
}

fn load_options(config: &Config, today: NaiveDate) -> LoadOptions {
    LoadOptions {
        watch: config.alerts.custom_events.clone(),
        ..LoadOptions::new(today)
    }
}

/// `today` with the date `--today` fixed, if it did.
pub(crate) type Today = (NaiveDate, Option<NaiveDate>);

fn demo_data(today: NaiveDate, events: usize, out: &Path, seed: Option<u64>) -> ExitCode {
    let mut opts = DemoOptions::new(today);
    opts.events = events;
    if let Some(s) = seed {
        opts.seed = s;
    }
    if out == Path::new("-") {
        return match export::write_events(opts, io::stdout().lock()) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    let subs = source::sibling_subscriptions(out);
    let written = crate::files::create_private(out)
        .and_then(|f| export::write_events(opts, f))
        .and_then(|n| {
            crate::files::create_private(&subs)
                .and_then(|f| export::write_subscriptions(opts, f))
                .map(|()| n)
        });
    match written {
        Ok(n) => {
            let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "wrote {n} events ({:.1} MB) to {} and the subscriptions table to {}",
                size as f64 / 1e6,
                shown(out),
                shown(&subs)
            );
            eprintln!("open them with: bearing --source file:{}", shown(out));
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("{}: {e}", out.display())),
    }
}

fn config_command(
    action: &ConfigCommand,
    cli_path: Option<&Path>,
    overrides: &Overrides,
) -> ExitCode {
    let (path, _) = config::resolve_path(cli_path, &env);
    let Some(path) = path else {
        return fail("no home directory: pass --config FILE");
    };
    match action {
        ConfigCommand::Path => {
            println!("{}", shown(&path));
            ExitCode::SUCCESS
        }
        ConfigCommand::Init { force } => config_init(&path, *force),
        ConfigCommand::Check => match config::load(Some(&path), overrides, &env) {
            Ok((c, _)) => {
                let depth = ColorDepth::detect(env);
                let (_, problems) = config::load_themes(path.parent(), depth);
                for p in &problems {
                    println!("warning: {p}");
                }
                for c in &c.keymap.conflicts {
                    println!("conflict: {c}");
                }
                for n in &c.notes {
                    println!("error: {n}");
                }
                if c.keymap.conflicts.is_empty() && c.notes.is_empty() {
                    println!("ok: {}", shown(&path));
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => fail(e),
        },
    }
}

fn config_init(path: &Path, force: bool) -> ExitCode {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = crate::files::create_private_dir(dir)
    {
        return fail(format!("{}: {e}", dir.display()));
    }
    let written = crate::files::create_own(path, force)
        .and_then(|mut f| f.write_all(DEFAULT_TEXT.as_bytes()));
    match written {
        Ok(()) => {
            println!("wrote {}", shown(path));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => fail(format!(
            "{} exists; use --force to overwrite it",
            path.display()
        )),
        Err(e) => fail(format!("{}: {e}", path.display())),
    }
}

/// Why the cockpit cannot start here, if it cannot.
fn no_tui_reason() -> Option<&'static str> {
    if env("TERM").is_some_and(|t| t == "dumb") {
        return Some("TERM=dumb cannot show the cockpit");
    }
    if !io::stdout().is_terminal() {
        return Some("standard output is not a terminal");
    }
    if !io::stdin().is_terminal() {
        return Some("standard input is not a terminal");
    }
    None
}

fn cockpit(
    config: Config,
    config_path: Option<PathBuf>,
    (today, fixed): Today,
    save: bool,
) -> ExitCode {
    if let Some(why) = no_tui_reason() {
        eprintln!("bearing: {why}, so the interactive cockpit cannot start.");
        eprintln!("For scripts and pipes use: bearing report --format json   (see bearing --help)");
        return ExitCode::from(2);
    }
    let depth = ColorDepth::detect(env);
    let config_dir = config_path.as_deref().and_then(Path::parent);
    let (themes, theme_problems) = config::load_themes(config_dir, depth);
    let executor = match Executor::open(&config, fixed) {
        Ok(e) => e,
        Err(e) => return fail(format!("{e} (bearing doctor checks the setup)")),
    };
    let origin = executor.origin();
    let mut state = AppState::new(
        origin,
        config.keymap.clone(),
        themes,
        &config.theme,
        engine_params(&config, today),
    );
    // A look at another day stores nothing unless asked, as the commands that read
    // do: the alerts it raises would otherwise stay in the store for ever.
    let read_only = if config.read_only {
        Some("read-only mode".to_owned())
    } else {
        fixed.filter(|_| !save).map(|day| {
            format!("--today {day} looks at another day, so nothing is stored (--save stores it)")
        })
    };
    // The store thread opens the database and reports what it found; until then a
    // read-only start says so already.
    if let Some(why) = &read_only {
        state.store = crate::store::open::StoreStatus::ReadOnly(why.clone());
    }
    if let Some(n) = config.notes.first() {
        state.say(crate::tui::state::Level::Warn, format!("config: {n}"));
    } else if let Some(c) = config.keymap.conflicts.first() {
        state.say(crate::tui::state::Level::Warn, format!("config: {c}"));
    } else if let Some(p) = theme_problems.first() {
        state.say(crate::tui::state::Level::Warn, p.clone());
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    let scope = executor
        .project()
        .map(|p| p.scope.clone())
        .unwrap_or_default();
    state.feed = crate::tui::feed::Feed {
        zone_chosen: config.timezone.is_some(),
        today_fixed: fixed,
        alert_cfg: config.alerts.clone(),
        ..crate::tui::feed::Feed::new(scope)
    };
    let setup = app::Setup {
        executor,
        load: load_options(&config, today),
        db: config.db.clone(),
        triage_key: config.triage_key(),
        read_only,
        mouse: config.mouse,
        meeting: {
            let config = config.clone();
            Box::new(move |period| {
                Box::new(present::ReviewSource::for_period(
                    &config,
                    (today, fixed),
                    period,
                ))
            })
        },
    };
    let result = runtime.block_on(app::run(state, setup));
    // A load still running on the blocking pool must not keep a quitting user waiting.
    runtime.shutdown_background();
    match result {
        Ok(None) => ExitCode::SUCCESS,
        // Ended by a signal: say so in the exit code, as a shell would.
        Ok(Some(signal)) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)),
        Err(e) => fail(e),
    }
}
