//! The monthly and quarterly reviews, as a reader of each format meets them: golden
//! files of every format for both templates on the demo at a fixed date, every
//! Markdown table a table to a CommonMark parser, and hostile CSV cells read back by
//! a CSV reader as the values they were, neutralised where a spreadsheet would run
//! them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::path::Path;

fn bearing(home: &Path, args: &[&str]) -> String {
    let out = support::bearing_in(home, &home.join("bearing.db"), args);
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 3),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The one thing that differs between runs: when the data was read.
fn steady(text: &str) -> String {
    let when =
        regex::Regex::new(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( UTC|Z|\+00:00)")
            .unwrap();
    when.replace_all(text, "[as of]").into_owned()
}

/// Every table of a CSV review, one after the other, each under its file name.
fn csv_all(home: &Path, template: &str) -> String {
    let dir = home.join(format!("csv-{template}"));
    bearing(
        home,
        &[
            "report",
            "--format",
            "csv",
            "--template",
            template,
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            let body = std::fs::read_to_string(dir.join(n)).unwrap();
            format!("== {n}\n{body}")
        })
        .collect()
}

#[test]
fn golden_files_of_every_format_for_both_templates() {
    let home = tempfile::tempdir().unwrap();
    // The store holds the demo's alerts, two of them triaged, one with a note.
    bearing(home.path(), &["alerts", "--save"]);
    support::triage_two(
        &home.path().join("bearing.db"),
        (
            "ana",
            "vendor confirmed the blocklist",
            "known outage, fixed",
        ),
    );
    for template in ["monthly", "quarterly"] {
        let md = bearing(
            home.path(),
            &["report", "--format", "markdown", "--template", template],
        );
        insta::assert_snapshot!(format!("review_{template}_markdown"), steady(&md));
        insta::assert_snapshot!(
            format!("review_{template}_csv"),
            steady(&csv_all(home.path(), template))
        );
        let html = bearing(
            home.path(),
            &["report", "--format", "html", "--template", template],
        );
        insta::assert_snapshot!(format!("review_{template}_html"), steady(&html));
        let json = bearing(
            home.path(),
            &["report", "--format", "json", "--template", template],
        );
        let v: serde_json::Value = serde_json::from_str(&json).expect("the review is JSON");
        assert_eq!(v["template"], template);
        insta::assert_snapshot!(format!("review_{template}_json"), steady(&json));
    }
    let json = bearing(
        home.path(),
        &["report", "--format", "json", "--period", "month"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_snapshot!("review_month_json_figures", {
        let o = &v["overview"];
        format!(
            "events {}\nrevenue {}\nsavings {}\ndue {}",
            o["events"],
            o["revenue_impact"]["label"],
            o["savings"]["label"],
            v["decision_log"]["due_this_month"]
        )
    });
}

#[test]
fn every_markdown_table_parses_as_a_table_with_its_columns() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let home = tempfile::tempdir().unwrap();
    for template in ["monthly", "quarterly"] {
        let md = bearing(
            home.path(),
            &["report", "--format", "markdown", "--template", template],
        );
        // The tables the text holds: every line that starts a pipe row after a rule.
        let written = md
            .lines()
            .filter(|l| l.starts_with("| ---") || l.starts_with("| ---:"))
            .count();
        assert!(written >= 5, "{template}: {written} tables");
        let mut tables = 0;
        let mut row_cells: Vec<usize> = Vec::new();
        let mut cells = 0;
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Table(align)) => {
                    tables += 1;
                    row_cells.clear();
                    row_cells.push(align.len());
                }
                Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
                Event::End(TagEnd::TableCell) => cells += 1,
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => row_cells.push(cells),
                Event::End(TagEnd::Table) => {
                    let want = row_cells[0];
                    assert!(
                        row_cells.iter().all(|&n| n == want),
                        "{template}: a row of another width in table {tables}: {row_cells:?}"
                    );
                }
                _ => {}
            }
        }
        assert_eq!(tables, written, "{template}: every table is parsed as one");
    }
}

const HOSTILE: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "a,\"quoted\",b",
    "two\nlines",
    "+1+1",
    "@SUM(A1:A9)",
    "esc\u{1b}]0;PWNED\u{7}ape",
];

fn hostile_export(dir: &Path) -> std::path::PathBuf {
    let lines: Vec<String> = HOSTILE
        .iter()
        .enumerate()
        .flat_map(|(i, tenant)| {
            (0..3).map(move |d| {
                support::revenue_event(i * 3 + d, tenant, "blocklist_listing", "$5K-15K")
            })
        })
        .collect();
    let path = dir.join("hostile.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn hostile_cells_read_back_as_their_values_neutralised_where_needed() {
    let home = tempfile::tempdir().unwrap();
    let file = hostile_export(home.path());
    let source = format!("file:{}", file.display());
    let csv = bearing(
        home.path(),
        &[
            "--source",
            &source,
            "report",
            "--format",
            "csv",
            "--template",
            "monthly",
            "--table",
            "deliverability_trends",
        ],
    );
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().next(),
        Some("Tenant"),
        "a header row"
    );
    let tenants: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_owned())
        .collect();
    let mut want: Vec<String> = HOSTILE
        .iter()
        .map(|t| {
            // Terminal controls and line breaks are shown as escapes, as on every
            // screen of bearing; a formula is neutralised with a leading quote.
            let shown = bearing::domain::sanitize::sanitize(t).into_owned();
            if shown.starts_with(['=', '+', '-', '@']) {
                format!("'{shown}")
            } else {
                shown
            }
        })
        .collect();
    want.sort();
    let mut got = tenants.clone();
    got.sort();
    assert_eq!(got, want, "{csv}");
    assert!(
        csv.contains("\"a,\"\"quoted\"\",b\""),
        "RFC 4180 quoting:\n{csv}"
    );
    assert!(!csv.contains('\u{1b}'), "no raw escape reaches the file");
    assert!(csv.contains("\r\n"), "CRLF line ends");
}

/// The review's key figures for `period`, as CSV.
fn key_figures_csv(home: &Path, period: &str) -> String {
    let args = ["report", "--format", "csv", "--table", "key_figures"];
    bearing(home, &[&args[..], &["--period", period]].concat())
}

/// The value of `figure` in the review's key figures, as CSV gives it.
fn key_figure(csv: &str, figure: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(Result::unwrap)
        .find(|r| r.get(0) == Some(figure))
        .and_then(|r| r.get(1).map(str::to_owned))
        .unwrap_or_else(|| panic!("no {figure}:\n{csv}"))
}

#[test]
fn the_reviews_figures_are_the_json_reports_for_the_same_period() {
    use bearing::engine::impact::Impact;
    let home = tempfile::tempdir().unwrap();
    for period in ["month", "quarter", "2026-10"] {
        let json = bearing(
            home.path(),
            &["report", "--format", "json", "--period", period],
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let sum = |list: &str, field: &str, noun: &str| {
            let mut i = Impact::default();
            for row in v[list].as_array().unwrap() {
                let r = &row[field];
                i.merge(&Impact {
                    low: r["low"].as_f64().unwrap(),
                    high: r["high"].as_f64().unwrap(),
                    known: r["ranges_summed"].as_u64().unwrap() as u32,
                    unknown: r["ranges_unquantified"].as_u64().unwrap() as u32,
                    ..Impact::default()
                });
            }
            i.phrase(noun)
        };
        let csv = key_figures_csv(home.path(), period);
        let revenue = sum("revenue_trends", "approximate_impact", "potential impact");
        let savings = sum(
            "cost_opportunities",
            "approximate_savings",
            "estimated savings",
        );
        assert!(revenue.starts_with('$'), "{period}: not vacuous: {revenue}");
        assert_eq!(key_figure(&csv, "Revenue at risk"), revenue, "{period}");
        assert_eq!(key_figure(&csv, "Estimated savings"), savings, "{period}");
        let due = v["decision_log"]["due_this_month"].to_string();
        assert_eq!(key_figure(&csv, "Decision reviews due this month"), due);
        let rising = v["revenue_trends"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["direction"] == "rising")
            .count();
        assert_eq!(
            key_figure(&csv, "Rising revenue trends"),
            rising.to_string()
        );
        // The Markdown says the same.
        let md = bearing(
            home.path(),
            &["report", "--format", "markdown", "--period", period],
        );
        assert!(
            md.contains(&format!("| Revenue at risk | {revenue} |")),
            "{period}"
        );
    }
}

/// The cockpit's screen as text.
fn cockpit_screen(keys: &str) -> String {
    use bearing::tui::fixture::{loaded, send};
    use bearing::tui::update::Msg;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut s = loaded((120, 40));
    for c in keys.chars() {
        send(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    t.draw(|f| bearing::tui::ui::draw(f, &s)).unwrap();
    let b = t.backend().buffer().clone();
    b.content()
        .chunks(120)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words after `before` up to `until`, in the first line that has them.
fn between<'a>(screen: &'a str, before: &str, until: &str) -> &'a str {
    let line = screen
        .lines()
        .find(|l| l.contains(before))
        .unwrap_or_else(|| panic!("no {before:?}:\n{screen}"));
    let rest = &line[line.find(before).unwrap() + before.len()..];
    rest[..rest.find(until).unwrap_or(rest.len())].trim()
}

#[test]
fn the_cockpits_key_figures_are_the_reviews_for_the_same_period() {
    use bearing::report::review::split_figure;
    let home = tempfile::tempdir().unwrap();
    // The cockpit's `p` walks 90 days, this and last month, this and last quarter.
    for (keys, period) in [
        ("", "90d"),
        ("p", "month"),
        ("pp", "last-month"),
        ("ppp", "quarter"),
        ("pppp", "last-quarter"),
    ] {
        let screen = cockpit_screen(keys);
        let csv = key_figures_csv(home.path(), period);
        let figure = |name: &str| key_figure(&csv, name);
        let revenue = figure("Revenue at risk");
        assert_eq!(
            between(&screen, "At risk ", " · savings"),
            split_figure(&revenue).0,
            "{period}: money at risk\n{screen}"
        );
        let savings = figure("Estimated savings");
        assert_eq!(
            between(&screen, " · savings ", "┃"),
            split_figure(&savings).0,
            "{period}: savings\n{screen}"
        );
        let open = figure("Open alerts");
        assert_eq!(
            between(&screen, "need attention · ", " open alerts"),
            split_figure(&open).0,
            "{period}: open alerts\n{screen}"
        );
        let due = figure("Decision reviews due this month");
        assert!(
            screen.contains(&format!("{due} reviews due this month")),
            "{period}: reviews due\n{screen}"
        );
    }
}

/// A review narrowed to one tenant counts that tenant's decision reviews due, as its
/// own table lists them: it once gave every tenant's total beside the tenant's table.
#[test]
fn a_tenants_review_counts_its_own_reviews_due() {
    let home = tempfile::tempdir().unwrap();
    let json = bearing(
        home.path(),
        &["report", "--format", "json", "--decisions", "1000000"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut due = std::collections::BTreeMap::<String, usize>::new();
    for d in v["decision_log"]["rows"].as_array().unwrap() {
        if d["review_status"] == "due_this_month" {
            *due.entry(d["tenant_id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    let total: usize = due.values().sum();
    assert_eq!(
        v["decision_log"]["due_this_month"], total,
        "every row is here"
    );
    let (tenant, n) = due.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(*n > 0 && *n < total, "not vacuous: {n} of {total}");
    let args = ["report", "--format", "csv", "--table", "key_figures"];
    let csv = bearing(home.path(), &[&args[..], &["--tenant", tenant]].concat());
    assert_eq!(
        key_figure(&csv, "Decision reviews due this month"),
        n.to_string(),
        "{tenant}"
    );
    let args = [
        "report",
        "--format",
        "csv",
        "--table",
        "decision_reviews_due",
    ];
    let table = bearing(home.path(), &[&args[..], &["--tenant", tenant]].concat());
    let rows = csv::Reader::from_reader(table.as_bytes()).records().count();
    assert_eq!(rows, *n, "the tenant's table lists as many:\n{table}");
}

/// November (30 days) finished is compared with all of October (31), as the rows'
/// own monthly counts show them: it was once compared with October 1–30, which
/// turned flat trends into rising ones and misquoted alerts' counts.
#[test]
fn a_finished_month_compares_with_the_whole_month_before() {
    let home = tempfile::tempdir().unwrap();
    let args = ["report", "--format", "json", "--period", "2026-11"];
    let json = bearing(
        home.path(),
        &[&args[..], &["--today", "2026-12-03"]].concat(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["previous_period"]["end"], "2026-11-01");
    let month = |row: &serde_json::Value, m: &str| {
        row["monthly"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["month"] == m)
            .map(|x| x["count"].as_u64().unwrap())
            .unwrap()
    };
    let mut compared = 0;
    for (list, current) in [
        ("revenue_trends", "current"),
        (
            "cost_opportunities",
            "optimization_opportunities_identified",
        ),
    ] {
        for row in v[list].as_array().unwrap() {
            assert_eq!(
                row[current].as_u64().unwrap(),
                month(row, "2026-11"),
                "{row}"
            );
            assert_eq!(
                row["previous"].as_u64().unwrap(),
                month(row, "2026-10"),
                "{row}"
            );
            compared += usize::from(month(row, "2026-10") > 0);
        }
    }
    assert!(
        compared > 10,
        "not vacuous: {compared} rows with an October"
    );
}
