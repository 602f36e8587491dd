//! The cockpit over PostHog, driven headless: answers arrive pane by pane, a failure
//! keeps the data, a refresh is never started twice, stale answers are dropped.

use super::feed::Feed;
use super::panes::PaneId;
use super::state::{AppState, PaneLoad};
use super::update::{Effect, Msg, start, update};
use crate::domain::Origin;
use crate::engine::EngineParams;
use crate::keys::keymap::Keymap;
use crate::posthog::client::QueryResult;
use crate::posthog::error::PostHogError;
use crate::posthog::queries::{Part, Scope};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::json;

fn state() -> AppState {
    let origin = Origin::PostHog {
        host: "https://eu.posthog.com".into(),
        project: "1".into(),
    };
    let mut s = AppState::new(
        origin,
        Keymap::default(),
        Vec::new(),
        "dark",
        EngineParams::new(super::fixture::today()),
    );
    s.feed = Feed::new(Scope::default());
    s
}

fn fetch_generation(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::Fetch {
            generation, parts, ..
        } => {
            assert_eq!(parts.len(), Part::ALL.len());
            Some(*generation)
        }
        _ => None,
    })
}

fn overview_answer() -> Box<QueryResult> {
    overview_of("acme", 12)
}

/// An overview answer with one tenant and its revenue signals.
fn overview_of(tenant: &str, revenue: u32) -> Box<QueryResult> {
    Box::new(QueryResult {
        computed_at: None,
        timezone: None,
        cached: false,
        columns: ["part", "tenant", "v1", "v2", "v3", "a", "b", "c"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            vec![
                json!("t"),
                json!(tenant),
                json!(null),
                json!(null),
                json!(null),
                json!(revenue),
                json!(3),
                json!(1),
            ],
            vec![
                json!("ir"),
                json!(null),
                json!("$5K-15K"),
                json!(null),
                json!(null),
                json!(4),
                json!(0),
                json!(0),
            ],
        ],
        bytes: 0,
    })
}

/// An answer with the part's columns and no rows (nothing tracked yet).
fn empty(part: Part) -> Box<QueryResult> {
    let mut columns: Vec<String> = match part {
        Part::Overview => vec!["part", "tenant", "v1", "v2", "v3", "a", "b", "c"],
        Part::Revenue | Part::Cost => vec!["part", "tenant", "grp", "val", "cur", "prev", "last"],
        Part::Decisions => vec![
            "part", "ts", "id", "tenant", "cat", "lvl", "why", "outcome", "tf", "fu", "td", "n",
            "cur", "due",
        ],
        Part::Health => vec!["kind", "part", "mask", "r1", "r2", "r3", "n"],
        Part::Alerts => vec![
            "part", "w", "tenant", "g", "k", "val", "aux", "fu", "n", "m0", "m1", "m2",
        ],
    }
    .into_iter()
    .map(String::from)
    .collect();
    if matches!(part, Part::Revenue | Part::Cost) {
        columns.extend((0..12).map(|i| format!("n{i}")));
    }
    Box::new(QueryResult {
        computed_at: None,
        timezone: None,
        cached: false,
        columns,
        rows: Vec::new(),
        bytes: 0,
    })
}

/// Every part after the overview answers, with nothing tracked yet.
fn answer_the_rest(s: &mut AppState, generation: u64, minute: u32) {
    for part in Part::ALL.into_iter().filter(|p| *p != Part::Overview) {
        answer(s, generation, part, Ok(empty(part)), minute);
    }
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, minute, 0)
        .single()
        .unwrap_or_default()
}

fn answer(
    s: &mut AppState,
    generation: u64,
    part: Part,
    result: Result<Box<QueryResult>, PostHogError>,
    minute: u32,
) {
    update(
        s,
        Msg::Fetched {
            generation,
            part,
            result: result
                .map(crate::executor::Answer::Query)
                .map_err(Into::into),
            at: at(minute),
        },
    );
}

fn refresh_key(s: &mut AppState) -> Vec<Effect> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::NONE)),
    )
}

#[test]
fn answers_fill_their_own_panes_and_a_refresh_is_never_started_twice() {
    let mut s = state();
    let first = start(&mut s);
    assert!(
        first
            .iter()
            .any(|e| matches!(e, Effect::LoadSnapshots { .. }))
    );
    let g = fetch_generation(&first).unwrap();
    // Pressing R while the queries are out starts nothing.
    assert_eq!(fetch_generation(&refresh_key(&mut s)), None);
    assert!(s.status.as_ref().unwrap().text.contains("already running"));
    answer(&mut s, g, Part::Overview, Ok(overview_answer()), 1);
    assert_eq!(
        s.pane_load(PaneId::Overview),
        &PaneLoad::Loaded { as_of: at(1) }
    );
    assert_eq!(s.pane_load(PaneId::Revenue), &PaneLoad::Loading);
    let d = s.data.as_ref().unwrap();
    assert_eq!(d.views.overview.rows.len(), 1);
    assert_eq!(d.views.overview.rows[0].revenue, 12);
    assert!(s.in_flight.is_some(), "five answers still out");
    answer_the_rest(&mut s, g, 2);
    assert!(s.in_flight.is_none());
    // Every answer is in; the refresh ends when the store has met its alerts.
    assert!(!s.status.as_ref().unwrap().text.starts_with("refreshed"));
    update(
        &mut s,
        Msg::Synced {
            generation: g,
            synced: Box::new(super::fixture::saved(&[], &[])),
        },
    );
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "refreshed from PostHog eu.posthog.com · project 1: 0 alerts, 0 follow-ups"
    );
    // Now R starts a new refresh, and the panes show their data while it runs.
    let g2 = fetch_generation(&refresh_key(&mut s)).unwrap();
    assert!(g2 > g);
    assert_eq!(
        s.pane_load(PaneId::Overview),
        &PaneLoad::Refreshing { as_of: at(1) }
    );
}

#[test]
fn a_failed_refresh_keeps_the_data_and_offline_is_said_once_all_are_in() {
    let mut s = state();
    let g = fetch_generation(&start(&mut s)).unwrap();
    answer(&mut s, g, Part::Overview, Ok(overview_answer()), 1);
    answer_the_rest(&mut s, g, 1);
    let g2 = fetch_generation(&refresh_key(&mut s)).unwrap();
    let offline = PostHogError::Unreachable {
        host: "https://eu.posthog.com".into(),
        reason: "connection refused".into(),
    };
    // An answer of the previous refresh arriving late is dropped.
    answer(&mut s, g, Part::Overview, Err(offline.clone()), 2);
    assert!(matches!(
        s.pane_load(PaneId::Overview),
        PaneLoad::Refreshing { .. }
    ));
    for part in Part::ALL {
        answer(&mut s, g2, part, Err(offline.clone()), 3);
    }
    assert!(matches!(
        s.pane_load(PaneId::Overview),
        PaneLoad::Stale { as_of, .. } if *as_of == at(1)
    ));
    let d = s.data.as_ref().unwrap();
    assert_eq!(d.views.overview.rows.len(), 1, "the data stays");
    assert!(s.feed.offline.is_some());
    let status = &s.status.as_ref().unwrap().text;
    assert!(
        status.starts_with("refresh failed: cannot reach PostHog at https://eu.posthog.com: connection refused; showing data from 2026-11-28 09:01 UTC"),
        "{status}"
    );
    // A garbled answer is an error like any other, not a panic.
    let g3 = fetch_generation(&refresh_key(&mut s)).unwrap();
    let garbled = Box::new(QueryResult {
        computed_at: None,
        timezone: None,
        cached: false,
        columns: vec!["nonsense".into()],
        rows: vec![vec![json!(1)]],
        bytes: 0,
    });
    answer(&mut s, g3, Part::Overview, Ok(garbled), 4);
    assert!(matches!(
        s.pane_load(PaneId::Overview),
        PaneLoad::Stale { .. }
    ));
}

/// The whole screen as the user would see it, at the state's terminal size.
fn screen(s: &AppState) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    terminal.draw(|f| super::ui::draw(f, s)).unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn a_stale_answer_changes_nothing_the_user_sees() {
    let mut s = state();
    // Wide enough for the grid, so every pane is on screen.
    s.size = (120, 40);
    let g = fetch_generation(&start(&mut s)).unwrap();
    answer(&mut s, g, Part::Overview, Ok(overview_answer()), 1);
    answer_the_rest(&mut s, g, 1);
    let g2 = fetch_generation(&refresh_key(&mut s)).unwrap();
    let before = screen(&s);
    let views = s.data.as_ref().unwrap().views.clone();
    let panes = s.panes.clone();
    let load = s.load.clone();

    // A late answer of the first refresh, with data unlike what is shown, arrives
    // while the second refresh is out. It is readable, so only its age keeps it out.
    answer(&mut s, g, Part::Overview, Ok(overview_of("globex", 99)), 2);
    let d = s.data.as_ref().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&d.views, &views),
        "the views were rebuilt from a stale answer"
    );
    let rows: Vec<(&str, u32)> = d
        .views
        .overview
        .rows
        .iter()
        .map(|r| (d.dataset.strings.resolve(r.tenant), r.revenue))
        .collect();
    assert_eq!(rows, [("acme", 12)]);
    assert_eq!(s.panes, panes, "scroll, selection and filtered rows");
    assert_eq!(s.load, load);
    assert_eq!(
        s.pane_load(PaneId::Overview),
        &PaneLoad::Refreshing { as_of: at(1) }
    );
    assert_eq!(s.in_flight, Some(g2));
    assert_eq!(s.feed.fetching.len(), Part::ALL.len());
    assert_eq!(screen(&s), before, "the screen changed");

    // The same answer under the current generation does reach the screen, so the
    // comparison above could have seen a change.
    answer(&mut s, g2, Part::Overview, Ok(overview_of("globex", 99)), 3);
    assert_ne!(screen(&s), before);
    let d = s.data.as_ref().unwrap();
    assert_eq!(d.views.overview.rows[0].revenue, 99);
}

/// A stored overview answer as PostHog cut it in `tz`.
fn stored_in(tz: Option<&str>) -> crate::store::snapshots::Snapshot {
    let mut a = overview_answer();
    a.timezone = tz.map(String::from);
    crate::store::snapshots::Snapshot {
        part: Part::Overview.query_name().to_owned(),
        today: super::fixture::today(),
        fetched_at: at(0),
        body: serde_json::to_string(&*a).unwrap(),
    }
}

/// Offline, the panes come from stored answers: with no zone chosen they are shown in
/// the zone PostHog cut them in (the project's), today as it is there, not in UTC; a
/// zone the user chose, and a date `--today` fixed, stay as they are.
#[test]
fn stored_answers_are_shown_in_the_zone_they_were_cut_in_unless_one_was_chosen() {
    // 20:00 UTC on Nov 30 is already Dec 1 in Kolkata.
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 20, 0, 0).unwrap();
    let kolkata = crate::domain::Zone::parse("Asia/Kolkata").unwrap();
    let offline_start = |feed: Feed, tz: Option<&str>| {
        let mut s = state();
        s.feed = feed;
        let _ = start(&mut s);
        update(
            &mut s,
            Msg::Snapshots {
                snapshots: vec![stored_in(tz)],
                at: now,
            },
        );
        assert_eq!(s.data.as_ref().unwrap().views.overview.rows.len(), 1);
        s.params
    };
    let p = offline_start(Feed::new(Scope::default()), Some("Asia/Kolkata"));
    assert_eq!(
        (p.zone, p.today.to_string()),
        (kolkata, "2026-12-01".into())
    );
    let fixed = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let p = offline_start(
        Feed {
            today_fixed: Some(fixed),
            ..Feed::new(Scope::default())
        },
        Some("Asia/Kolkata"),
    );
    assert_eq!((p.zone, p.today), (kolkata, fixed));
    let chosen = Feed {
        zone_chosen: true,
        ..Feed::new(Scope::default())
    };
    let p = offline_start(chosen, Some("Asia/Kolkata"));
    assert_eq!(p.zone, crate::domain::Zone::UTC);
    // An answer from a PostHog that names no zone changes nothing.
    let p = offline_start(Feed::new(Scope::default()), None);
    assert_eq!(p.zone, crate::domain::Zone::UTC);
}

/// The local executor's panes are made in one pass and come together, applied at once
/// (the views built once, not once per pane): the cockpit is then exactly as it is
/// after the same answers applied one by one.
#[test]
fn answers_made_together_show_what_the_same_answers_one_by_one_show() {
    use super::fixture::{fresh, perform};
    let (mut together, mut apart) = (fresh((120, 40)), fresh((120, 40)));
    let fetch = |s: &mut AppState| {
        let effects = start(s);
        let fetch = effects
            .into_iter()
            .find(|e| matches!(e, Effect::Fetch { .. }));
        super::fixture::answer(s, fetch.unwrap())
    };
    let batches = fetch(&mut together);
    let parts = |m: &Msg| match m {
        Msg::FetchedTogether { answers, .. } => answers.iter().map(|(p, _)| *p).collect(),
        _ => Vec::new(),
    };
    assert_eq!(
        batches.iter().map(parts).collect::<Vec<_>>(),
        [
            vec![
                Part::Overview,
                Part::Revenue,
                Part::Cost,
                Part::Decisions,
                Part::Health
            ],
            vec![Part::Alerts],
        ],
        "the panes together, then the rules' rollup"
    );
    let split = fetch(&mut apart);
    // The panes, then the rules' rollup: after each, the two cockpits look the same.
    for (batch, m) in batches.into_iter().zip(split) {
        let effects = update(&mut together, batch);
        perform(&mut together, effects);
        let Msg::FetchedTogether {
            generation,
            answers,
            at,
        } = m
        else {
            panic!("a local answer comes as FetchedTogether");
        };
        for (part, answer) in answers {
            let one = Msg::Fetched {
                generation,
                part,
                result: Ok(answer),
                at,
            };
            let effects = update(&mut apart, one);
            perform(&mut apart, effects);
        }
        assert_eq!(screen(&together), screen(&apart));
        assert_eq!(together.load, apart.load);
    }
    for p in PaneId::ALL {
        assert!(
            matches!(together.pane_load(p), PaneLoad::Loaded { .. }),
            "{p:?}"
        );
    }
    assert!(together.in_flight.is_none());
    for p in [PaneId::Decisions, PaneId::Alerts, PaneId::FollowUps] {
        assert_eq!(together.pane(p).visible, apart.pane(p).visible, "{p:?}");
    }
}
