//! Tenant names with flags, emoji sequences and East Asian wide characters keep every
//! table column in place: in ratatui's buffer, and on a real terminal (tmux), which
//! adds up the widths of code points where ratatui measures whole grapheme clusters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use bearing::tui::fixture::loaded;
use bearing::tui::state::AppState;
use bearing::tui::ui::draw;
use bearing::tui::update::{Msg, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use support::{Tmux, write};
use unicode_width::UnicodeWidthChar;

/// Names a terminal and a width table can disagree on, long enough to be cut.
fn names() -> Vec<String> {
    vec![
        "🇺🇸🇩🇪🇫🇷🇯🇵🇧🇷🇮🇳 flags of the world, one per country we send from".to_owned(),
        "❤\u{fe0f}".repeat(60),
        "👍🏽👍🏿👍🏻 thumbs-up team, every skin tone, with a long tail of text".to_owned(),
        "1\u{fe0f}\u{20e3}2\u{fe0f}\u{20e3}3\u{fe0f}\u{20e3} keycaps".repeat(4),
        "日本語テキスト株式会社".repeat(6),
        "☀\u{fe0f} sunny ✔\u{fe0f} ok ©\u{fe0f} mark ".repeat(4),
        "👨\u{200d}👩\u{200d}👧 family 🏳\u{fe0f}\u{200d}🌈 pride".repeat(3),
        "plain-tenant".to_owned(),
    ]
}

/// How wide a code-point-adding terminal (tmux 3.3, xterm, the Linux console) draws `s`.
fn terminal_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn press(state: &mut AppState, keys: &str) {
    for c in keys.chars() {
        update(
            state,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

#[test]
fn wide_flags_and_emoji_keep_columns_aligned() {
    let mut state = loaded((120, 40));
    let names = names();
    for (i, f) in state.triage.followups.iter_mut().enumerate() {
        let name = &names[i % names.len()];
        f.tenant = name.clone();
        f.title = format!("|{name}");
        f.state.owner = Some(format!("|{}", names[(i + 3) % names.len()]));
    }
    press(&mut state, "6z");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| draw(f, &state)).unwrap();
    let buf = terminal.backend().buffer().clone();

    let header = (0..buf.area.height)
        .find(|&y| row(&buf, y).contains("Due") && row(&buf, y).contains("Owner"))
        .expect("the table header");
    let starts = |title: &str| {
        let mut x = 0;
        while x < buf.area.width {
            let text: String = (x..buf.area.width.min(x + title.len() as u16))
                .map(|x| buf[(x, header)].symbol())
                .collect();
            if text == title {
                return x;
            }
            x += 1;
        }
        panic!("no {title} in the header:\n{}", row(&buf, header));
    };
    let columns = [starts("Follow-up"), starts("Owner")];
    let mut rows = 0;
    for y in header + 1..buf.area.height {
        let marks: Vec<u16> = (0..buf.area.width)
            .filter(|&x| buf[(x, y)].symbol() == "|")
            .collect();
        if marks.is_empty() {
            continue;
        }
        rows += 1;
        assert_eq!(
            marks,
            columns,
            "row {y} has its columns at {marks:?}, the header at {columns:?}:\n{}\n{}",
            row(&buf, header),
            row(&buf, y)
        );
    }
    assert!(rows >= 8, "only {rows} rows were drawn");

    // What ratatui thinks each symbol takes is what the terminal gives it, so the
    // cursor is where ratatui believes after every symbol, on every row; and each
    // buffer cell holds what the terminal puts in one cell (one code point that takes
    // room), so that redrawing a cell replaces all of it.
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            assert_eq!(
                usize::from(s.cell_width()),
                terminal_width(s),
                "{s:?} at {x},{y} is drawn at another width than ratatui counts:\n{}",
                row(&buf, y)
            );
            let visible = s.chars().filter(|c| c.width().unwrap_or(0) > 0).count();
            assert!(
                visible <= 1,
                "{s:?} at {x},{y} takes {visible} terminal cells, one buffer cell:\n{}",
                row(&buf, y)
            );
        }
    }
}

fn event(tenant: &str) -> String {
    let tenant = serde_json::to_string(tenant).unwrap();
    format!(
        r#"{{"event":"revenue_protection_trend","distinct_id":"x","timestamp":"2026-11-20T10:00:00Z","properties":{{"tenant_id":{tenant},"trend_category":"deliverability_directional","directional_signal":"increasing_bounce_rate","approximate_impact_range":"$5K-15K","strategic_priority":"high","tracking_date":"2026-11-20"}}}}"#
    )
}

/// The display column of each character of a captured line, as tmux laid it out.
fn columns_of(line: &str) -> Vec<(usize, char)> {
    let mut col = 0;
    line.chars()
        .map(|c| {
            let at = col;
            col += c.width().unwrap_or(0);
            (at, c)
        })
        .collect()
}

#[test]
fn wide_flags_and_emoji_keep_columns_aligned_in_tmux() {
    let t = Tmux::start(120, 40);
    let lines: Vec<String> = names().iter().map(|n| event(n)).collect();
    let file = write(t.home.path(), "wide.jsonl", lines.join("\n").as_bytes());
    t.run_bearing(&format!(
        "--today 2026-11-28 --save --source file:{}",
        file.display()
    ));
    t.wait_for("reviews due this month");
    t.keys(&["1", "z"]);
    let s = t.wait_for("zoomed: Needs attention");
    let header = s
        .lines()
        .find(|l| l.contains("Tenant") && l.contains("Activity"))
        .expect("the overview header");
    let at = |line: &str, pred: &dyn Fn(char) -> bool| {
        columns_of(line)
            .into_iter()
            .find(|(_, c)| pred(*c))
            .map(|(col, _)| col)
    };
    let activity = columns_of(header)
        .windows(8)
        .find(|w| w.iter().map(|(_, c)| c).collect::<String>() == "Activity")
        .map(|w| w[0].0)
        .expect("an Activity column");
    let border = columns_of(header).last().unwrap().0;
    // Parts of a flag left on screen when ratatui redrew only the first of its cells.
    let flag = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    for line in s.lines().filter(|l| l.chars().any(flag)) {
        assert!(
            line.contains("flags of the world"),
            "stray flag parts:\n{s}"
        );
    }
    let rows: Vec<&str> = s.lines().filter(|l| l.contains('●')).collect();
    assert_eq!(rows.len(), names().len(), "one row per tenant:\n{s}");
    for line in rows {
        assert_eq!(
            at(line, &|c| c == '●'),
            Some(activity),
            "the activity column moved:\n{header}\n{line}\n{s}"
        );
        assert_eq!(
            columns_of(line).last().unwrap().0,
            border,
            "the right border moved:\n{header}\n{line}"
        );
    }
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
}
