//! Config fixtures: each bad value asserts the error a user would read.

use super::*;
use crate::config::theme::ColorDepth;

fn themes() -> Vec<String> {
    theme_names(None)
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    let mut c = Config::default();
    apply_file(&mut c, "config.toml", text, &themes()).map(|_| c)
}

fn err(text: &str) -> String {
    parse(text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "no error".into())
}

#[test]
fn the_embedded_default_equals_default() {
    assert_eq!(parse(file::DEFAULT_TEXT), Ok(Config::default()));
}

#[test]
fn an_empty_file_is_the_default() {
    assert_eq!(parse(""), Ok(Config::default()));
}

#[test]
fn values_are_applied() {
    let c = parse("[general]\nsource = \"file:ev.jsonl\"\ntheme = \"light\"\nread_only = true\n[engine]\nperiod = \"2026-Q3\"\ndead_band = 0.2\n").unwrap();
    assert_eq!(c.source, SourceSpec::File("ev.jsonl".into()));
    assert_eq!(c.theme, "light");
    assert!(c.read_only);
    assert_eq!(
        c.period,
        PeriodSpec::Quarter {
            year: 2026,
            quarter: 3
        }
    );
    assert_eq!(c.dead_band, 0.2);
}

/// `config init` writes this file, and the README says every setting is there: every
/// action is, with its default keys.
#[test]
fn the_default_file_binds_every_action_to_its_default_keys() {
    let doc: toml::Table = toml::from_str(file::DEFAULT_TEXT).unwrap();
    let keys = doc["keys"].as_table().unwrap();
    for a in crate::keys::Action::all() {
        let written: Vec<&str> = match keys.get(&a.name()) {
            Some(toml::Value::String(k)) => vec![k.as_str()],
            Some(toml::Value::Array(ks)) => ks.iter().filter_map(|k| k.as_str()).collect(),
            other => panic!("{} in the default config: {other:?}", a.name()),
        };
        assert_eq!(written, a.default_keys(), "{}", a.name());
    }
    assert_eq!(keys.len(), crate::keys::Action::all().count());
}

/// No shell reads the config file, so bearing expands `~` in the paths written there
/// as one would: the default config's own example key file starts with it.
#[test]
fn paths_in_the_file_may_start_with_a_tilde() {
    let home = directories::BaseDirs::new()
        .unwrap()
        .home_dir()
        .to_path_buf();
    let c = parse(
        "[general]\nsource = \"file:~/exports/ev.jsonl\"\ntriage_of = \"file:~/ev.jsonl\"\nsubscriptions = \"~/subs.jsonl\"\n[store]\npath = \"~/b.db\"\n[posthog]\nkey_file = \"~/.config/bearing/posthog.key\"\n",
    )
    .unwrap();
    assert_eq!(c.source, SourceSpec::File(home.join("exports/ev.jsonl")));
    assert_eq!(c.triage_of, Some(SourceSpec::File(home.join("ev.jsonl"))));
    assert_eq!(c.subscriptions, Some(home.join("subs.jsonl")));
    assert_eq!(c.db, Some(home.join("b.db")));
    assert_eq!(
        c.posthog.key,
        Some(crate::posthog::settings::KeySource::File(
            home.join(".config/bearing/posthog.key")
        ))
    );
}

/// A theme that does not exist is said with its line, column and value, and bearing
/// goes on with the default: how the cockpit would look never fails a cron job.
#[test]
fn unknown_theme_names_line_column_and_value_and_is_not_fatal() {
    let c = parse("[general]\ntheme = \"neon\"\n").unwrap();
    assert_eq!(c.theme, "dark");
    assert_eq!(
        c.notes,
        vec![
            "config.toml:2:9: unknown theme \"neon\" (available: dark, light, high-contrast, colour-blind-safe); using dark"
                .to_owned()
        ]
    );
}

#[test]
fn wrong_type_names_the_value() {
    let e = err("[general]\nread_only = \"sometimes\"\n");
    assert!(e.starts_with("config.toml:2:13: "), "{e}");
    assert!(e.contains("sometimes"), "{e}");
}

#[test]
fn syntax_error_has_a_position() {
    let e = err("[general]\ntheme = \"dark\n");
    assert!(e.starts_with("config.toml:2:"), "{e}");
}

#[test]
fn unknown_setting() {
    let e = err("[general]\ncolour = \"red\"\n");
    assert!(
        e.starts_with("config.toml:2:1: unknown field `colour`"),
        "{e}"
    );
}

#[test]
fn bad_source_period_and_dead_band() {
    assert_eq!(
        err("[general]\nsource = \"s3://bucket\"\n"),
        "config.toml:2:10: source = \"s3://bucket\": unknown source \"s3://bucket\": use demo, posthog or file:PATH"
    );
    assert_eq!(
        err("[engine]\nperiod = \"fortnight\"\n"),
        "config.toml:2:10: unknown period \"fortnight\": use YYYY-MM (2026-11), YYYY-Qn (2026-Q4) or Nd (90d)"
    );
    assert_eq!(
        err("[engine]\ndead_band = 1.5\n"),
        "config.toml:2:13: dead_band = 1.5: must be at least 0 and below 1 (0.10 = ±10%)"
    );
    assert_eq!(
        err("[engine]\nactivity_high = 3\nactivity_moderate = 8\n"),
        "config.toml:3:21: activity_moderate = 8 is above activity_high = 3"
    );
}

#[test]
fn keys_unknown_action_bad_key_and_conflicts() {
    assert_eq!(
        err("[keys]\nlaunch = \"x\"\n"),
        "config.toml:2:1: unknown action \"launch\" in [keys] (see `bearing config init` for the list)"
    );
    let e = err("[keys]\nquit = [\"q\", \"hyper-q\"]\n");
    assert!(
        e.starts_with("config.toml:2:8: quit: unknown key \"hyper-q\""),
        "{e}"
    );
    let c = parse("[keys]\nquit = \"x\"\nzoom = \"x\"\n").unwrap();
    assert_eq!(c.keymap.conflicts.len(), 1);
    let c = parse("[keys]\nquit = \"Q\"\n").unwrap();
    assert_eq!(
        c.keymap.action(Key::parse("Q").unwrap()),
        Some(Action::Quit)
    );
    assert_eq!(c.keymap.action(Key::parse("q").unwrap()), None);
}

#[test]
fn environment_then_cli_layering() {
    let mut c = parse("[general]\ntheme = \"light\"\n").unwrap();
    let env = |k: &str| match k {
        "BEARING_THEME" => Some("high-contrast".to_owned()),
        "BEARING_READ_ONLY" => Some("yes".to_owned()),
        _ => None,
    };
    apply_env(&mut c, &env, &themes()).unwrap();
    assert_eq!(c.theme, "high-contrast");
    assert!(c.read_only);
    let o = Overrides {
        theme: Some("dark".into()),
        ..Overrides::default()
    };
    apply_overrides(&mut c, &o, &themes()).unwrap();
    assert_eq!(c.theme, "dark");

    let bad = |k: &str| (k == "BEARING_PERIOD").then(|| "soon".to_owned());
    let e = apply_env(&mut c, &bad, &themes()).unwrap_err().to_string();
    assert_eq!(
        e,
        "environment variable BEARING_PERIOD: \"soon\": unknown period \"soon\": use YYYY-MM (2026-11), YYYY-Qn (2026-Q4) or Nd (90d)"
    );
}

#[test]
fn a_named_config_file_must_exist() {
    let none = |_: &str| None;
    let e = load(
        Some(Path::new("/nonexistent/bearing.toml")),
        &Overrides::default(),
        &none,
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("/nonexistent/bearing.toml: "),
        "{e}"
    );
}

#[test]
fn user_themes_join_the_builtins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    let text = theme::BUILTIN[0]
        .1
        .replace("name = \"dark\"", "name = \"mine\"");
    std::fs::write(dir.path().join("themes/mine.toml"), text).unwrap();
    std::fs::write(dir.path().join("themes/broken.toml"), "name = 3").unwrap();
    let names = theme_names(Some(dir.path()));
    assert!(names.contains(&"mine".to_owned()));
    let (loaded, problems) = load_themes(Some(dir.path()), ColorDepth::TrueColor);
    assert!(loaded.iter().any(|t| t.name == "mine"));
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("theme file themes/broken.toml"),
        "{problems:?}"
    );
}

#[test]
fn a_posthog_section_and_its_mistakes() {
    let c = parse(
        "[posthog]\nhost = \"https://eu.posthog.com/\"\nproject_id = 4242\npath_prefix = \"environments\"\nkey_file = \"k.key\"\nsubscriptions_table = \"stripe_subscription\"\nquery_mode = \"async\"\nmax_queries_per_hour = 60\n",
    )
    .unwrap();
    let p = &c.posthog;
    assert_eq!(p.host.as_deref(), Some("https://eu.posthog.com"));
    assert_eq!(
        p.api_base().as_deref(),
        Some("https://eu.posthog.com/api/environments/4242")
    );
    assert!(matches!(
        p.key,
        Some(crate::posthog::settings::KeySource::File(_))
    ));
    assert_eq!(p.queries_per_hour, 60);
    assert!(p.is_configured());
    assert_eq!(
        err("[posthog]\nhost = \"us.posthog.com\"\n"),
        "config.toml:2:8: host = \"us.posthog.com\": must start with https:// (or http:// for a local PostHog)"
    );
    assert_eq!(
        err("[posthog]\nproject_id = \"abc\"\n"),
        "config.toml:2:14: project_id = \"abc\": must be the numeric project id from PostHog's project settings"
    );
    assert!(err("[posthog]\nsubscriptions_table = \"x; DROP\"\n").contains("must be a table name"));
    // A bad inline key is reported without the key.
    let e = err("[posthog]\npersonal_api_key = \"phx_secret with space\"\n");
    assert!(
        e.contains("personal_api_key:") && !e.contains("phx_secret"),
        "{e}"
    );
}

#[test]
fn posthog_environment_the_specific_name_wins_and_configures_the_source() {
    let vars = [
        ("POSTHOG_HOST", "https://us.posthog.com"),
        ("BEARING_POSTHOG_HOST", "http://127.0.0.1:8000"),
        ("POSTHOG_PROJECT_ID", "7"),
        ("POSTHOG_PERSONAL_API_KEY", "phx_env_key"),
    ];
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "").unwrap();
    let (c, _) = load(Some(&path), &Overrides::default(), &get).unwrap();
    assert_eq!(c.posthog.host.as_deref(), Some("http://127.0.0.1:8000"));
    assert_eq!(
        c.source,
        SourceSpec::PostHog,
        "a configured project is the source"
    );
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("phx_env_key"),
        "Debug shows no key: {shown}"
    );
    // Naming a source wins over the configured project.
    let o = Overrides {
        source: Some(SourceSpec::Demo),
        ..Overrides::default()
    };
    let (c, _) = load(Some(&path), &o, &get).unwrap();
    assert_eq!(c.source, SourceSpec::Demo);
}

#[test]
fn no_way_out_quit_needs_a_key_and_ctrl_c_cannot_be_taken() {
    assert_eq!(
        err("[keys]\nquit = []\n"),
        "config.toml:2:8: quit = []: bearing needs a key to quit (ctrl-c always quits as well; list it, or another key)"
    );
    assert_eq!(
        err("[keys]\nzoom = \"ctrl-c\"\n"),
        "config.toml:2:8: zoom = \"ctrl-c\": ctrl-c always quits bearing and cannot be bound to anything else"
    );
    // Quit moved to another key: ctrl-c still quits.
    let c = parse("[keys]\nquit = \"x\"\n").unwrap();
    let ctrl_c = keymap::Key::parse("ctrl-c").unwrap();
    assert_eq!(c.keymap.action(ctrl_c), Some(Action::Quit));
}

#[test]
fn timezone_from_file_env_and_flag_in_that_order() {
    let zone = |n: &str| Zone::parse(n).ok();
    let file = "[general]\ntimezone = \"Asia/Kolkata\"\n";
    let mut c = parse(file).unwrap();
    assert_eq!(c.timezone, zone("Asia/Kolkata"));
    // Nothing set: no zone chosen (PostHog's own, else UTC).
    assert_eq!(parse("").unwrap().timezone, None);
    let env = |v: &str| {
        let v = v.to_owned();
        move |k: &str| (k == "BEARING_TIMEZONE").then(|| v.clone())
    };
    apply_env(&mut c, &env("America/New_York"), &themes()).unwrap();
    assert_eq!(c.timezone, zone("America/New_York"));
    let flag = Overrides {
        timezone: zone("Europe/Berlin"),
        ..Overrides::default()
    };
    apply_overrides(&mut c, &flag, &themes()).unwrap();
    assert_eq!(c.timezone, zone("Europe/Berlin"));
    // No flag leaves the environment's.
    let mut c = parse(file).unwrap();
    apply_env(&mut c, &env("America/New_York"), &themes()).unwrap();
    apply_overrides(&mut c, &Overrides::default(), &themes()).unwrap();
    assert_eq!(c.timezone, zone("America/New_York"));
}

#[test]
fn an_unknown_timezone_names_the_key_and_the_value() {
    let e = err("[general]\ntimezone = \"Mars/Olympus\"\n");
    assert!(e.starts_with("config.toml:2:12: timezone: "), "{e}");
    assert!(e.contains("Mars/Olympus"), "{e}");
    let mut c = Config::default();
    let env = |k: &str| (k == "BEARING_TIMEZONE").then(|| "Nowhere".to_owned());
    let e = apply_env(&mut c, &env, &themes()).unwrap_err().to_string();
    assert!(
        e.contains("BEARING_TIMEZONE") && e.contains("Nowhere"),
        "{e}"
    );
}

/// A bad value in `[alerts]` is pointed at where it is written, not at the section.
#[test]
fn a_bad_alerts_value_points_at_the_value() {
    assert_eq!(
        err(
            "[general]\ntheme = \"dark\"\n\n[alerts]\nimpact_high = 100\n  impact_critical =  -5\n"
        ),
        "config.toml:6:22: [alerts] impact_critical = -5: must be a positive amount in dollars"
    );
    assert_eq!(
        err("[alerts]\nimpact_high = 9000\nimpact_critical = 10\n"),
        "config.toml:3:19: [alerts] impact_critical = 10 is below impact_high = 9000"
    );
}
