//! Attacks on the terminal through the command line: a shared or tampered database,
//! and paths or values the user typed that come back in an error. Nothing bearing
//! prints may carry a control character, a C1 code or an invisible formatting
//! character; the text must still be recognisable in its visible-escape form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::path::Path;
use std::process::{Command, Output};
use support::{BIN, Tmux};

/// Every character that must not reach a terminal as itself, with the reason.
fn hazards(text: &str) -> Vec<(char, &'static str)> {
    let ignorable = regex::Regex::new(r"\p{Default_Ignorable_Code_Point}").unwrap();
    let mut found = Vec::new();
    for c in text.chars() {
        let why = match c {
            '\n' => continue,
            '\u{0}'..='\u{1f}' => "C0 control",
            '\u{7f}' => "DEL",
            '\u{80}'..='\u{9f}' => "C1 control",
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "bidi override",
            '\u{2028}' | '\u{2029}' => "line separator",
            c if ignorable.is_match(c.encode_utf8(&mut [0; 4])) => "default-ignorable",
            _ => continue,
        };
        found.push((c, why));
    }
    found
}

fn assert_inert(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        // Bytes first: a C1 code or a lone ESC must not hide in invalid UTF-8 either.
        let raw: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| (*b < 0x20 && *b != b'\n') || *b == 0x7f)
            .collect();
        let text = String::from_utf8_lossy(bytes);
        assert!(
            raw.is_empty(),
            "{what}: {stream} has raw bytes {raw:x?}:\n{text}"
        );
        let found = hazards(&text);
        assert!(found.is_empty(), "{what}: {stream} has {found:?}:\n{text}");
    }
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--today", "2026-11-28", "--db", db.to_str().unwrap()])
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("BEARING_THEME")
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap()
}

const OWNER: &str = "'ana' || char(27) || ']0;PWNED' || char(7)";
const TENANT: &str = "'acme' || char(155) || '2J' || char(8238) || 'gpj.exe'";
const NOTE: &str = "'see' || char(27) || '[2J' || char(173) || 'below' || char(917569)";
const TITLE: &str = "'Follow' || char(7) || ' up' || char(8203) || char(12644)";

/// Writes hostile text into every text column bearing reads back, as someone with the
/// database file (a shared drive, a copied home) could.
fn tamper(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    let alert: String = c
        .query_row("SELECT id FROM alerts ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let followup: String = c
        .query_row("SELECT id FROM followups ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    c.execute_batch(&format!(
        "UPDATE alerts SET owner = {OWNER}, tenant = {TENANT}, subject = 'sub' || char(8238),
             dismiss_reason = 'why' || char(155) || '31m' WHERE id = '{alert}';
         INSERT INTO notes (target, at, who, text)
             VALUES ('alert:{alert}', 'at' || char(27) || '[H', 'who' || char(7), {NOTE});
         INSERT INTO alerts (id, rule, tenant, subject, period, severity, title, evidence,
                 first_seen, last_seen, status, dismiss_reason, owner, source)
             VALUES ('planted' || char(27) || '[2J', 'deliverability_trend', {TENANT},
                 'sub' || char(8294), '2026-11' || char(7), 'low',
                 'Planted' || char(27) || ']52;c;ZXZpbA==' || char(7),
                 '{{\"figures\":[[\"f\\u001b]0;x\\u0007\",\"v\\u009b1m\"]],\"events\":[{{\"date\":null,\"event\":\"e\\u001b[2J\",\"summary\":\"s\\u202e\"}}],\"total_events\":1}}',
                 'first' || char(27), 'last' || char(127), 'new', 'r' || char(7), {OWNER}, 'demo');
         UPDATE followups SET owner = {OWNER}, tenant = {TENANT}, title = {TITLE},
             origin = 'event' || char(27) || '[2J' WHERE id = '{followup}';
         INSERT INTO notes (target, at, who, text)
             VALUES ('followup:{followup}', 'at', 'who' || char(155), {NOTE});"
    ))
    .unwrap();
}

#[test]
fn raw_escapes_from_the_store_are_inert() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("bearing.db");
    let out = run(&db, &["alerts", "--save"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tamper(&db);

    let table = run(&db, &["alerts"]);
    assert_inert("bearing alerts", &table);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("ana\\x1b]0;PWNED\\x07"),
        "the owner, visibly:\n{text}"
    );
    assert!(
        text.contains("acme\\x9b2J\\u{202e}gpj.exe"),
        "the tenant:\n{text}"
    );
    assert!(text.contains("Planted\\x1b]52;c;ZXZpbA==\\x07"), "{text}");

    let json = run(&db, &["alerts", "--json"]);
    assert_inert("bearing alerts --json", &json);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let tampered = rows
        .iter()
        .find(|r| r["notes"].as_array().is_some_and(|n| !n.is_empty()))
        .expect("the alert with the planted note");
    assert_eq!(tampered["triage"]["owner"], "ana\\x1b]0;PWNED\\x07");
    assert_eq!(tampered["tenant"], "acme\\x9b2J\\u{202e}gpj.exe");
    assert_eq!(tampered["triage"]["dismiss_reason"], "why\\x9b31m");
    let note = &tampered["notes"][0];
    assert_eq!(note["text"], "see\\x1b[2J\\xadbelow\\u{e0041}");
    assert_eq!(note["who"], "who\\x07");
    let planted = rows
        .iter()
        .find(|r| r["id"] == "planted\\x1b[2J")
        .expect("the planted alert, its id made visible");
    assert_eq!(planted["period"], "2026-11\\x07");
    assert_eq!(planted["evidence"]["figures"][0][0], "f\\x1b]0;x\\x07");
    assert_eq!(planted["evidence"]["events"][0]["summary"], "s\\u{202e}");
    assert_eq!(planted["last_seen"], "last\\x7f");

    let table = run(&db, &["followups"]);
    assert_inert("bearing followups", &table);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("Follow\\x07 up\\u{200b}\\u{3164}"),
        "the title:\n{text}"
    );
    assert!(text.contains("ana\\x1b]0;PWNED\\x07"), "{text}");

    let json = run(&db, &["followups", "--json"]);
    assert_inert("bearing followups --json", &json);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let f = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["origin"] == "event\\x1b[2J")
        .expect("the tampered follow-up");
    assert_eq!(f["title"], "Follow\\x07 up\\u{200b}\\u{3164}");
    assert_eq!(f["state"]["owner"], "ana\\x1b]0;PWNED\\x07");
    assert_eq!(f["notes"][0]["who"], "who\\x9b");
}

/// bearing with a clean environment in `home`, with `env` set.
fn bearing(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Arguments, environment, and how the hostile part must read in the message.
type Case<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, &'a str);

#[test]
fn paths_and_theme_names_in_cli_errors_are_inert() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // Under a file, not a folder: no command can create its way past that.
    std::fs::write(h.join("file"), "").unwrap();
    let missing = |name: &str| h.join("file").join(name).display().to_string();
    let config = h.join("hostile.toml");
    std::fs::write(
        &config,
        "[general]\ntheme = \"dark\\u3164\\u001b]0;x\\u0007\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let title = "\x1b]0;x\x07";
    let cases: Vec<Case> = vec![
        (
            vec!["--theme".into(), title.into()],
            vec![],
            "\\x1b]0;x\\x07",
        ),
        (
            vec!["--source".into(), "file:/tmp/a\x1b[2J".into()],
            vec![],
            "not a terminal",
        ),
        (
            vec![
                "--source".into(),
                "file:/tmp/a\x1b[2J".into(),
                "alerts".into(),
            ],
            vec![],
            "/tmp/a\\x1b[2J",
        ),
        (
            vec![
                "--config".into(),
                missing("c\x1b]0;x\x07.toml"),
                "alerts".into(),
            ],
            vec![],
            "c\\x1b]0;x\\x07.toml",
        ),
        (
            vec![
                "report".into(),
                "--format".into(),
                "json".into(),
                "--out".into(),
                missing("r\x1b]0;x\x07\u{9b}.json"),
            ],
            vec![],
            "r\\x1b]0;x\\x07\\x9b.json",
        ),
        (
            vec![
                "--theme".into(),
                "dark\u{3164}\u{ad}".into(),
                "alerts".into(),
            ],
            vec![],
            "dark\\u{3164}\\xad",
        ),
        (
            vec!["alerts".into()],
            vec![("BEARING_THEME", "dark\u{3164}")],
            "dark\\u{3164}",
        ),
        (
            vec!["--config".into(), config, "alerts".into()],
            vec![],
            "dark\\u{3164}\\x1b]0;x\\x07",
        ),
        (
            vec!["x\x07\u{202e}\u{9b}".into()],
            vec![],
            "unrecognized subcommand 'x\\u{202e}\\x9b'",
        ),
    ];
    for (args, env, shown) in cases {
        let out = bearing(
            h,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            &env,
        );
        let what = format!("bearing {args:?} {env:?}");
        assert!(!out.status.success(), "{what} should fail");
        assert_inert(&what, &out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(shown), "{what}: {shown:?} not in:\n{err}");
    }
}

/// On a terminal, clap (through anstream) passes escape sequences through, where a
/// pipe would have them stripped: the one place an attack shows only on a tty.
#[test]
fn paths_and_theme_names_in_cli_errors_are_inert_on_a_terminal() {
    let t = Tmux::start(100, 20);
    let before = t.display("#{pane_title}");
    t.run_bearing("\"$(printf 'x\\033]0;PWNED\\007\\033[2J')\"");
    let s = t.wait_for("EXIT=");
    assert!(s.contains("EXIT=2"), "{s}");
    // clap drops escape sequences from what it quotes; what is left is shown.
    assert!(
        s.contains("unrecognized subcommand 'x'"),
        "the argument, without its escapes:\n{s}"
    );
    assert_eq!(t.display("#{pane_title}"), before, "the title was set");
    t.run_bearing("--theme \"$(printf '\\033]0;PWNED\\007')\" alerts");
    let s = t.wait_until("the second exit", |s| s.matches("EXIT=").count() == 2);
    assert!(s.contains("unknown theme"), "{s}");
    assert_eq!(t.display("#{pane_title}"), before, "the title was set");
    let screen = support::strip_sgr(&t.screen_with_escapes());
    let found = hazards(&screen);
    assert!(found.is_empty(), "{found:?}\n{screen}");
}
