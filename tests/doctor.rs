//! `bearing doctor` on the setups analysts actually have: nothing configured, a key
//! file others can read, a wrong key, a host that cannot be reached, and a working
//! project (the simulator). Snapshots of the whole output, with the temporary paths
//! and the simulator's port replaced. And an empty subscriptions table beside an
//! unreadable answer about it, which must not look alike; and the seed properties
//! PostHog typed from their first values, which doctor warns about without failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dense.rs"]
mod dense;
#[path = "support/doctor.rs"]
mod run;
#[path = "support/sim.rs"]
mod sim;
mod support;

use run::{bearing, check, doctor, garbling, project, redact_port};
use sim::{KEY, Sim};
use std::path::Path;

#[test]
fn doctor_with_nothing_configured() {
    let home = tempfile::tempdir().unwrap();
    let (code, out) = doctor(home.path(), &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[cfg(unix)]
#[test]
fn doctor_with_a_key_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("posthog.key");
    std::fs::write(&key, "phx_never_printed\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = vec![
        ("POSTHOG_HOST", "https://us.posthog.com".to_owned()),
        ("POSTHOG_PROJECT_ID", "12345".to_owned()),
        ("POSTHOG_KEY_FILE", key.display().to_string()),
    ];
    let (code, out) = doctor(home.path(), &env);
    assert_eq!(code, 1);
    assert!(!out.contains("phx_never_printed"));
    insta::assert_snapshot!(out);
}

/// The folder of parsed copies: how many and how large; a folder other users can
/// open is a warning, never a problem (bearing works the same without copies).
#[cfg(unix)]
#[test]
fn doctor_reports_the_parsed_copies_and_a_folder_others_can_open() {
    use std::fs::Permissions;
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".cache/bearing/files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, Permissions::from_mode(0o700)).unwrap();
    let copy = dir.join("0123456789abcdef.parsed");
    std::fs::write(&copy, vec![0u8; 2_500_000]).unwrap();
    std::fs::set_permissions(&copy, Permissions::from_mode(0o600)).unwrap();
    let (code, out) = doctor(home.path(), &[]);
    assert_eq!(
        check(&out, "cache"),
        "  ok    cache      [HOME]/.cache/bearing/files: 1 parsed copy, 2.5 MB \
         (the last 8 files opened start from them)"
    );
    assert!(out.ends_with("2 problems to fix\n"), "{out}");

    std::fs::set_permissions(&dir, Permissions::from_mode(0o750)).unwrap();
    let (warned, out) = doctor(home.path(), &[]);
    assert_eq!(warned, code, "a warning changes no exit code");
    assert_eq!(
        check(&out, "cache"),
        "  WARN  cache      [HOME]/.cache/bearing/files: open to other users (mode 750); \
         the copies hold your files' events\n                   \
         try: chmod -R go-rwx [HOME]/.cache/bearing/files"
    );
    assert!(out.ends_with("2 problems to fix; 1 warning\n"), "{out}");
}

#[test]
fn doctor_with_a_wrong_key() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(&dense::write(dir.path(), 300));
    let (code, out) = doctor(home.path(), &project(&sim.url(), "phx_wrong_key"));
    assert_eq!(code, 1);
    assert!(!out.contains("phx_wrong_key"));
    insta::assert_snapshot!(redact_port(&out, &sim));
}

#[test]
fn doctor_with_an_unreachable_host() {
    let home = tempfile::tempdir().unwrap();
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    let (code, out) = doctor(home.path(), &project("http://127.0.0.1:1", KEY));
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

/// A subscriptions table beside the dense fixture `events` (where the simulator looks
/// for it): one row per tenant, a few canceled. Returns how many rows it holds.
fn write_subscriptions(events: &Path) -> usize {
    let tenants = [
        "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell",
    ];
    let path = events.with_extension("subscriptions.jsonl");
    let mut text = String::new();
    for (i, t) in tenants.iter().enumerate() {
        let status = if i % 3 == 2 { "canceled" } else { "active" };
        let row = serde_json::json!({"tenant_id": t, "plan_name": "growth", "status": status,
            "current_period_start": "2026-11-01T00:00:00Z"});
        text.push_str(&format!("{row}\n"));
    }
    std::fs::write(path, text).unwrap();
    tenants.len()
}

fn table_line(out: &str) -> &str {
    out.lines()
        .find(|l| l.contains(" table "))
        .unwrap_or_else(|| panic!("no table line in:\n{out}"))
}

#[test]
fn doctor_against_the_simulator() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = dense::write(dir.path(), 3000);
    let rows = write_subscriptions(&events);
    let sim = Sim::start(&events);
    let (code, out) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        table_line(&out),
        format!("  ok    table      subscriptions: {rows} rows"),
        "the count PostHog gave, not a default"
    );
    insta::assert_snapshot!(redact_port(&out, &sim));
}

/// An empty table is "0 rows"; an answer whose count cannot be read is a problem that
/// says what was unreadable. Were a parse failure read as 0, the two would look alike.
#[test]
fn an_unreadable_row_count_is_not_an_empty_table() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // No subscriptions file beside the events: the simulator's table is empty.
    let sim = Sim::start(&dense::write(dir.path(), 300));
    let (code, empty) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "{empty}");
    assert_eq!(
        table_line(&empty),
        "  ok    table      subscriptions: 0 rows"
    );
    for (garbled, why) in [
        (
            r#"{"results": [], "columns": ["count()"]}"#,
            "0 rows where one count was expected",
        ),
        (
            r#"{"results": [["many"]], "columns": ["count()"]}"#,
            "the count was \"many\", not a whole number",
        ),
    ] {
        let url = garbling(&sim, "bearing_doctor_table", garbled);
        let env: Vec<_> = sim
            .env()
            .into_iter()
            .map(|(k, v)| (k, if k == "POSTHOG_HOST" { url.clone() } else { v }))
            .collect();
        let (code, out) = doctor(home.path(), &env);
        assert_eq!(
            code, 1,
            "{garbled}: an unreadable answer is a problem:\n{out}"
        );
        assert_eq!(
            table_line(&out),
            format!(
                "  FIX   table      subscriptions: PostHog's answer to the row count was unreadable ({why})"
            ),
            "{garbled}:\n{out}"
        );
        assert_ne!(table_line(&out), table_line(&empty));
        assert!(
            out.contains("  ok    events "),
            "only the count was garbled:\n{out}"
        );
    }
}

/// The key travels in a header: over plain http to a host on the internet, anyone on
/// the way reads it. Only the loopback may be plain http, unless the analyst opts in
/// for a private PostHog; doctor, report and the cockpit all refuse without it.
#[test]
fn doctor_refuses_plain_http_to_a_host_on_the_internet() {
    let home = tempfile::tempdir().unwrap();
    let plain = project("http://posthog.example.com", KEY);
    let (code, out) = doctor(home.path(), &plain);
    assert_eq!(code, 1, "{out}");
    let fix = check(&out, "config");
    assert!(
        fix.contains("FIX")
            && fix.contains("http://posthog.example.com")
            && fix.contains("https://")
            && fix.contains("BEARING_POSTHOG_ALLOW_PLAIN_HTTP=1")
            && fix.contains("allow_plain_http = true"),
        "a FIX line naming https and the opt-out:\n{out}"
    );
    assert!(!out.contains("  ok    project"), "{out}");
    // The cockpit (no command) and a report refuse it before any request.
    for args in [&["report", "--source", "posthog"][..], &[]] {
        let (code, out) = bearing(home.path(), &plain, args);
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(
            out.contains("https://") && out.contains("BEARING_POSTHOG_ALLOW_PLAIN_HTTP"),
            "{args:?}: {out}"
        );
    }
    // A config file's host is held to the same rule, at its line and column.
    let config = home.path().join("plain.toml");
    std::fs::write(
        &config,
        "[posthog]\nhost = \"http://posthog.example.com\"\nproject_id = 1\n",
    )
    .unwrap();
    let with_file = |extra: &[(&'static str, String)]| {
        let mut env = vec![
            ("BEARING_CONFIG", config.display().to_string()),
            ("POSTHOG_PERSONAL_API_KEY", KEY.to_owned()),
        ];
        env.extend_from_slice(extra);
        doctor(home.path(), &env)
    };
    let (code, out) = with_file(&[]);
    assert_eq!(code, 1, "{out}");
    let fix = check(&out, "config");
    assert!(
        fix.contains("plain.toml:2:8: ") && fix.contains("allow_plain_http = true"),
        "{out}"
    );

    // Opted out, in the environment or the file: doctor goes on to connect (and the
    // name does not resolve here, which is fine).
    let mut opted = plain.clone();
    opted.push(("BEARING_POSTHOG_ALLOW_PLAIN_HTTP", "1".to_owned()));
    std::fs::write(
        &config,
        "[posthog]\nhost = \"http://posthog.example.com\"\nproject_id = 1\nallow_plain_http = true\n",
    )
    .unwrap();
    for (how, (code, out)) in [
        ("the environment", doctor(home.path(), &opted)),
        ("the file", with_file(&[])),
    ] {
        assert_eq!(code, 1, "{how}: {out}");
        assert!(
            check(&out, "project").starts_with("  ok    project    http://posthog.example.com"),
            "{how}: {out}"
        );
        assert!(check(&out, "reachable").contains("FIX"), "{how}: {out}");
    }
    // The loopback needs no opt-out.
    for host in ["http://localhost:1", "http://[::1]:1", "http://127.1.2.3:1"] {
        let (_, out) = doctor(home.path(), &project(host, KEY));
        assert!(
            check(&out, "project").starts_with(&format!("  ok    project    {host}")),
            "{host}: {out}"
        );
    }
}

/// A user name and password in the host URL would be sent with every request and
/// written wherever the host is shown or logged: refused, and never echoed.
#[test]
fn a_host_with_user_and_password_is_refused() {
    let home = tempfile::tempdir().unwrap();
    for host in [
        "https://analyst:s3cretPassw0rd@us.posthog.com",
        "http://s3cretPassw0rd@127.0.0.1:1",
    ] {
        let env = project(host, KEY);
        let (code, out) = doctor(home.path(), &env);
        assert_eq!(code, 1, "{host}: {out}");
        let fix = check(&out, "config");
        assert!(
            fix.contains("FIX") && fix.contains("user name or password"),
            "{host}: {out}"
        );
        let (code, report) = bearing(home.path(), &env, &["report", "--source", "posthog"]);
        assert_ne!(code, 0, "{host}: {report}");
        for text in [&out, &report] {
            assert!(!text.contains("s3cretPassw0rd"), "{host}: {text}");
        }
    }
    let config = home.path().join("userinfo.toml");
    std::fs::write(
        &config,
        "[posthog]\nproject_id = 1\nhost = \"https://analyst:s3cretPassw0rd@us.posthog.com\"\n",
    )
    .unwrap();
    let (code, out) = bearing(
        home.path(),
        &[],
        &["--config", &config.display().to_string(), "config", "check"],
    );
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("userinfo.toml:3:8: ") && out.contains("user name or password"),
        "{out}"
    );
    assert!(!out.contains("s3cretPassw0rd"), "{out}");
}

/// A table without the overview's columns (here the events table itself) counts its
/// rows, then fails the column check with PostHog's reason and what the table needs.
#[test]
fn a_table_without_the_subscription_columns_is_a_problem_doctor_names() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = dense::write(dir.path(), 300);
    write_subscriptions(&events);
    let sim = Sim::start(&events);
    let mut env = sim.env();
    for (k, v) in &mut env {
        if *k == "BEARING_POSTHOG_SUBSCRIPTIONS_TABLE" {
            *v = "events".to_owned();
        }
    }
    let (code, out) = doctor(home.path(), &env);
    assert_eq!(code, 1, "{out}");
    assert!(
        table_line(&out).contains("ok    table      events:"),
        "{out}"
    );
    let columns = out
        .lines()
        .skip_while(|l| !l.contains(" columns "))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(columns.contains("FIX   columns"), "{out}");
    assert!(
        columns.contains("needs the columns tenant_id, plan_name, status and current_period_start"),
        "{out}"
    );
}

/// The WARN lines of doctor's output, each with its "try:" line.
fn warnings(out: &str) -> Vec<&str> {
    let lines: Vec<&str> = out.lines().collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("  WARN  ") {
            found.push(*l);
            found.extend(
                lines
                    .get(i + 1)
                    .filter(|n| n.trim_start().starts_with("try:")),
            );
        }
    }
    found
}

/// A PostHog project types a property from the first value it ingests, and its insights
/// then read `properties.x` by that type. The first cost event here sends a JSON number
/// as tenant_id, an ISO date as tracking_date and a JSON true as
/// strategic_review_required (the dense events after it send text): doctor warns about
/// exactly those three, naming the type and what insights lose, and still passes,
/// since bearing reads the text itself.
#[test]
fn doctor_warns_about_each_seed_property_posthog_typed() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dense = std::fs::read_to_string(dense::write(dir.path(), 300)).unwrap();
    let first = serde_json::json!({
        "uuid": "01900000-0000-7000-8000-ffffffffffff",
        "event": "cost_optimization_trend",
        "distinct_id": "42",
        "timestamp": "2026-11-01T09:00:00Z",
        "properties": {"tenant_id": 42, "tracking_date": "2026-11-01",
            "strategic_review_required": true, "optimization_type": "automation",
            "approximate_savings_range": "$1K-5K", "esp_vendor_context": "sendgrid",
            "implementation_feasibility": "high"},
    });
    let events = dir.path().join("typed.jsonl");
    std::fs::write(&events, format!("{first}\n{dense}")).unwrap();
    let sim = Sim::start(&events);
    let (code, out) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "a warning is not a problem:\n{out}");
    let try_string = |p: &str| {
        format!(
            "                   try: set its type to String (PostHog: Data management → Properties → {p})"
        )
    };
    assert_eq!(
        warnings(&out),
        [
            "  WARN  properties tenant_id is typed Numeric in PostHog: bearing reads the text as sent, but PostHog insights on it will merge tenants like 0042 and 42 and drop those that are not numbers",
            &try_string("tenant_id"),
            "  WARN  properties tracking_date is typed DateTime in PostHog: insights drop dates PostHog cannot parse; bearing reads them itself",
            &try_string("tracking_date"),
            "  WARN  properties strategic_review_required is typed Boolean in PostHog: insights see only true and false and drop yes, TRUE, 1 and the like, which bearing reads",
            "                   try: nothing, if it is only ever sent as true or false; else set its type to String (PostHog: Data management → Properties → strategic_review_required)",
        ],
        "{out}"
    );
    assert!(!out.contains("  ok    properties"), "{out}");
    assert!(out.ends_with("all checks passed; 3 warnings\n"), "{out}");
}

/// A project that typed nothing (or typed every seed property String) reads the same
/// text in its insights as bearing does: one ok line, no warning.
#[test]
fn doctor_says_ok_when_posthog_typed_no_seed_property() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start_args(&dense::write(dir.path(), 300), &["--untyped-properties"]);
    let (code, out) = doctor(home.path(), &sim.env());
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        check(&out, "properties"),
        "  ok    properties seed properties untyped (String) in PostHog: insights and bearing read the same text"
    );
    assert!(warnings(&out).is_empty(), "{out}");
    assert!(out.ends_with("all checks passed\n"), "{out}");
}

/// The type check can only warn, so an answer it cannot use skips it and never fails
/// doctor; no seed events skip it too; a type PostHog names that bearing does not know
/// is shown as PostHog gave it, made inert.
#[test]
fn an_unusable_answer_about_types_skips_the_check() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start_args(&dense::write(dir.path(), 300), &["--untyped-properties"]);
    let mut strange = vec![serde_json::json!("Nullable(\u{1b}]0;pwned\u{7}UUID)")];
    // One type per seed property: 19 names across the three events.
    strange.resize(19, serde_json::json!("Nullable(String)"));
    let strange = serde_json::json!({"results": [strange], "columns": []}).to_string();
    for (garbled, code, want) in [
        (
            r#"{"results": "none"}"#.to_owned(),
            0,
            "  --    properties skipped: PostHog did not give the types (PostHog's answer was not readable (",
        ),
        (
            r#"{"results": [], "columns": []}"#.to_owned(),
            0,
            "  --    properties skipped: needs seed events in PostHog",
        ),
        (
            r#"{"results": [["Nullable(String)"]], "columns": []}"#.to_owned(),
            0,
            "  --    properties skipped: PostHog's answer held 1 type for 19 properties",
        ),
        (
            strange,
            0,
            "  WARN  properties tenant_id has the type Nullable(\\x1b]0;pwned\\x07UUID) in PostHog, not String",
        ),
    ] {
        let url = garbling(&sim, "bearing_doctor_property_types", &garbled);
        let env: Vec<_> = sim
            .env()
            .into_iter()
            .map(|(k, v)| (k, if k == "POSTHOG_HOST" { url.clone() } else { v }))
            .collect();
        let (got, out) = doctor(home.path(), &env);
        assert_eq!(got, code, "{garbled}:\n{out}");
        assert!(
            check(&out, "properties").starts_with(want),
            "{garbled}:\n{out}"
        );
        assert!(!out.contains('\u{1b}'), "{out}");
    }
}
