//! The review meeting on every theme, at every colour depth and from 80×24 to 300×80:
//! every slide of the demo's monthly review is drawn, for the room (redacted) and for
//! the presenter (owners, notes, the picked alert), and every drawn cell's contrast is
//! measured as WCAG 2 does (text 4.5:1, graphics 3:1), as `contrast.rs` does for the
//! cockpit. The key figures are whole at every size, in large type where there is room.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/contrast.rs"]
mod contrast;
use bearing::config::theme::{BUILTIN, ColorDepth, Theme, parse_theme};
use bearing::present::deck::{self, Redaction};
use bearing::present::{Presenter, draw};
use bearing::report::review::{Review, Template};
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::collections::BTreeMap;

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (200, 60), (300, 80)];

fn demo_review() -> Review {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "").unwrap();
    let (mut config, _) =
        bearing::config::load(Some(&file), &Default::default(), &|_| None).unwrap();
    config.db = Some(dir.path().join("bearing.db"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let (review, _) = bearing::commands::report::load_review(
        &config,
        (today, Some(today)),
        (Some(Template::Monthly), false),
        None,
    )
    .unwrap();
    review
}

fn themes(depth: ColorDepth) -> Vec<Theme> {
    BUILTIN
        .iter()
        .map(|(_, text)| parse_theme(text, depth).unwrap())
        .collect()
}

/// Every slide of the meeting as drawn at `size`.
fn slides(review: &Review, presenter: bool, theme: &Theme, size: (u16, u16)) -> Vec<Buffer> {
    let redaction = Redaction {
        people: !presenter,
        tenants: false,
    };
    let mut p = Presenter::new(deck::build(review, redaction));
    p.notes_here = presenter;
    if presenter {
        p.presenter = Some(std::time::Instant::now());
    }
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let mut out = Vec::new();
    for i in 0..p.deck.slides.len() {
        p.go(i);
        // The second alert picked, so the selection is drawn too.
        p.pick = usize::from(p.alerts().len() > 1);
        t.draw(|f| draw(f, &p, theme)).unwrap();
        out.push(t.backend().buffer().clone());
    }
    out
}

fn text(b: &Buffer) -> String {
    let w = b.area.width as usize;
    b.content()
        .chunks(w)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each unreadable pair of colours once (theme, depth, fg, bg), with where it was seen.
fn unreadable(b: &Buffer, (theme, at): (&str, &str), out: &mut BTreeMap<String, String>) {
    for (pair, symbol) in contrast::unreadable_cells(b) {
        out.entry(format!("{theme}: {pair}"))
            .or_insert_with(|| format!("{at}, {symbol}"));
    }
}

#[test]
fn every_slide_is_readable_on_every_theme_at_every_depth_and_size() {
    let review = demo_review();
    let mut bad = BTreeMap::new();
    let mut drawn = 0;
    for depth in [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
    ] {
        for theme in themes(depth) {
            for size in SIZES {
                for presenter in [false, true] {
                    for (i, b) in slides(&review, presenter, &theme, size).iter().enumerate() {
                        let at = format!(
                            "{}×{}, {} slide {}",
                            size.0,
                            size.1,
                            if presenter { "presenter" } else { "room" },
                            i + 1
                        );
                        let theme = format!("{} at {depth:?}", theme.name);
                        unreadable(b, (&theme, &at), &mut bad);
                        drawn += 1;
                    }
                }
            }
        }
    }
    assert!(drawn > 500, "{drawn} screens drawn");
    assert!(
        bad.is_empty(),
        "{} unreadable:\n{}",
        bad.len(),
        bad.into_iter()
            .map(|(pair, at)| format!("{pair}, e.g. {at}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_key_figures_are_whole_at_every_size_and_large_where_there_is_room() {
    let review = demo_review();
    let theme = &themes(ColorDepth::TrueColor)[0];
    for size in SIZES {
        let first = text(&slides(&review, false, theme, size)[0]);
        let large = first.contains('▀') || first.contains('▄') || first.contains('█');
        assert_eq!(
            large,
            size.1 >= 40,
            "{size:?}: large type only where every figure fits:\n{first}"
        );
        for (i, row) in review.figures.rows.iter().enumerate() {
            let (label, value) = (&row[0], &row[1]);
            assert!(
                first.contains(label.as_str()),
                "{size:?}: {label}:\n{first}"
            );
            // The first four in large type: their headline in blocks, their
            // qualification as text. Every other figure is text on one line.
            let (_, detail) = bearing::report::review::split_figure(value);
            let whole = if large && i < 4 {
                first.contains(detail)
            } else {
                first.contains(&format!("{label}: {value}"))
            };
            assert!(whole, "{size:?}: {label} = {value} is cut:\n{first}");
        }
    }
}
