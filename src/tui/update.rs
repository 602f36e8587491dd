//! `update(state, msg) -> effects`: every change to the cockpit's state happens here,
//! with no IO. Workers perform the effects and report back with messages.

use super::feed;
use super::input::{self, Edit};
use super::navigate::{
    focus_pane, keep_selection_visible, move_selection, on_mouse, page, refilter, refilter_keeping,
};
use super::panes::PaneId;
use super::state::{AppState, Level, Mode, PaneLoad};
use super::triage::{self};
use crate::domain::PeriodSpec;
use crate::domain::period::CYCLE;
use crate::keys::Action;
use crate::keys::keymap::Key;
use crate::posthog::client::Freshness;
use chrono::Utc;
use crossterm::event::{KeyEvent, KeyEventKind};

pub use super::messages::{Effect, Msg, Synced};

/// The first refresh, issued once at start.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    feed::begin(state, true, Freshness::Cached)
}

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let input = matches!(msg, Msg::Key(_) | Msg::Mouse(_) | Msg::Action(_));
    let mut effects = handle(state, msg);
    // Data or triage state may have changed: the lists made from both follow.
    if !input {
        super::lists::rebuild(state);
    }
    // Scrolling near the end of the decision log's rows held fetches the next page
    // (PostHog's log comes in pages; the local one is whole).
    if input && state.focus == PaneId::Decisions {
        effects.extend(feed::maybe_page(state));
    }
    effects
}

fn handle(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(m) => {
            on_mouse(state, m);
            Vec::new()
        }
        Msg::Zone { generation, params } => {
            if generation == state.generation {
                state.params.zone = params.zone;
                state.params.today = params.today;
            }
            Vec::new()
        }
        Msg::Fetched {
            generation,
            part,
            result,
            at,
        } => feed::on_fetched(state, generation, vec![(part, result)], at),
        Msg::FetchedTogether {
            generation,
            answers,
            at,
        } => {
            let answers = answers.into_iter().map(|(p, a)| (p, Ok(a))).collect();
            feed::on_fetched(state, generation, answers, at)
        }
        Msg::Evidence { alert, result, at } => {
            super::feed_alerts::on_evidence(state, alert, result, at);
            Vec::new()
        }
        Msg::Progress { generation, text } => {
            feed::on_progress(state, generation, text);
            Vec::new()
        }
        Msg::Page {
            generation,
            result,
            at,
        } => {
            feed::on_page(state, generation, result, at);
            Vec::new()
        }
        Msg::Snapshots { snapshots, at } => {
            super::feed_snapshots::on_snapshots(state, snapshots, at)
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            for pane in PaneId::ALL {
                keep_selection_visible(state, pane);
            }
            Vec::new()
        }
        Msg::Action(a) => on_action(state, a),
        Msg::Signal(signal) => {
            state.should_quit = true;
            state.exit_signal = Some(signal);
            vec![Effect::Quit]
        }
        Msg::Stored(stored) => {
            // Only until the first sync answers: after it, its rows are newer.
            if state.load[PaneId::Alerts.index()] == PaneLoad::Loading {
                state.triage = stored.triage;
                state.store = stored.store;
                let as_of = Utc::now();
                for pane in [PaneId::Alerts, PaneId::FollowUps] {
                    state.load[pane.index()] = PaneLoad::Refreshing { as_of };
                    refilter_keeping(state, pane);
                }
            }
            Vec::new()
        }
        Msg::Synced { generation, synced } => {
            // The store meets syncs in order, so the last of this generation's is the
            // newest (over PostHog a snapshot's alerts, then the fresh answer's).
            if state.syncing != Some(generation) && generation != state.generation {
                return Vec::new();
            }
            state.syncing = None;
            let Synced {
                triage,
                store,
                warning,
                fired,
            } = *synced;
            state.triage = triage;
            state.store = store;
            let as_of = state.data.as_ref().map_or_else(Utc::now, |d| d.loaded_at);
            for pane in [PaneId::Alerts, PaneId::FollowUps] {
                state.load[pane.index()] = PaneLoad::Loaded { as_of };
                refilter_keeping(state, pane);
            }
            if let Some(w) = warning {
                state.say(Level::Warn, w);
            } else if state.feed.fetching.is_empty() && generation == state.generation {
                // The refresh's other answers are in: this was its last word.
                feed::announce(state, fired);
            }
            Vec::new()
        }
        Msg::TriageDone { result, store } => {
            triage::on_reply(state, result, store);
            Vec::new()
        }
    }
}

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Behind the too-small screen nothing can be seen, so nothing may happen but the
    // quit it offers: a key there once acknowledged or dismissed an alert unseen.
    if super::layout::too_small(state.size) {
        return match state.keymap.action(Key::from_event(key)) {
            Some(Action::Quit) => {
                state.should_quit = true;
                vec![Effect::Quit]
            }
            _ => Vec::new(),
        };
    }
    match &state.mode {
        Mode::Filter { pane, before } => {
            let (pane, before) = (*pane, before.clone());
            edit_filter(state, pane, before, key);
            return Vec::new();
        }
        Mode::Prompt { .. } | Mode::Confirm { .. } | Mode::Snooze { .. } => {
            return triage::on_key(state, key);
        }
        _ => {}
    }
    match state.keymap.action(Key::from_event(key)) {
        Some(a) => on_action(state, a),
        None => Vec::new(),
    }
}

fn edit_filter(state: &mut AppState, pane: PaneId, before: String, key: KeyEvent) {
    // A filter is a search, not a document: 80 characters.
    let mut text = std::mem::take(&mut state.pane_mut(pane).filter);
    let edit = input::edit(&mut text, 80, key);
    state.pane_mut(pane).filter = text;
    match edit {
        Edit::Cancel => {
            state.pane_mut(pane).filter = before;
            state.mode = Mode::Normal;
            state.status = None;
        }
        Edit::Submit => {
            state.mode = Mode::Normal;
            let p = state.pane(pane);
            let text = if p.filter.is_empty() {
                "filter cleared".to_owned()
            } else {
                let n = p.visible.len();
                format!(
                    "filter \"{}\": {n} {}",
                    p.filter,
                    if n == 1 { "row" } else { "rows" }
                )
            };
            state.say(Level::Info, text);
            return;
        }
        Edit::Changed => {}
        Edit::Unchanged => return,
    }
    refilter(state, pane);
}

pub fn on_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    match state.mode.clone() {
        Mode::Help { scroll } => {
            scroll_overlay(
                state,
                action,
                scroll,
                |s| Mode::Help { scroll: s },
                Action::Help,
            );
            return Vec::new();
        }
        Mode::Details { .. } if action == Action::More => {
            return super::feed_alerts::more_evidence(state);
        }
        // The details say "o sets one": triage keys act on the row they show, and the
        // details stay open on it unless the key asks for text (a note, an owner).
        Mode::Details { scroll } if is_triage(action) && action != Action::Select => {
            state.mode = Mode::Normal;
            let effects = triage::on_action(state, action);
            if state.mode == Mode::Normal {
                state.mode = Mode::Details { scroll };
            }
            return effects;
        }
        Mode::Details { scroll } => {
            scroll_overlay(
                state,
                action,
                scroll,
                |s| Mode::Details { scroll: s },
                Action::Details,
            );
            return Vec::new();
        }
        // Keys of these modes arrive through `on_key`; an action (from a test or the
        // mouse) while one is open closes it first.
        Mode::Prompt { .. } | Mode::Confirm { .. } | Mode::Snooze { .. } => {
            state.mode = Mode::Normal
        }
        Mode::Filter { .. } | Mode::Normal => {}
    }
    let focus = state.focus;
    match action {
        Action::Quit => {
            state.should_quit = true;
            return vec![Effect::Quit];
        }
        Action::Help => state.mode = Mode::Help { scroll: 0 },
        Action::Filter => {
            let before = state.pane(focus).filter.clone();
            state.mode = Mode::Filter {
                pane: focus,
                before,
            };
            state.status = None;
        }
        Action::Details => {
            if state.selected_row(focus).is_some() {
                state.mode = Mode::Details { scroll: 0 };
                return super::feed_alerts::evidence_for_details(state);
            } else {
                state.say(Level::Info, "nothing selected");
            }
        }
        Action::Zoom => {
            state.zoom = !state.zoom;
            let text = if state.zoom {
                format!("zoomed: {}", focus.title())
            } else {
                "zoom off".to_owned()
            };
            state.say(Level::Info, text);
            keep_selection_visible(state, focus);
        }
        Action::Close => {
            if !state.pane(focus).marked.is_empty() {
                state.pane_mut(focus).marked.clear();
                state.say(Level::Info, "selection cleared");
            } else if !state.pane(focus).filter.is_empty() {
                state.pane_mut(focus).filter.clear();
                refilter(state, focus);
                state.say(Level::Info, "filter cleared");
            } else if state.zoom {
                state.zoom = false;
                state.say(Level::Info, "zoom off");
            } else {
                state.status = None;
            }
        }
        Action::NextPane => focus_pane(state, focus.next()),
        Action::PrevPane => focus_pane(state, focus.prev()),
        Action::PaneOverview
        | Action::PaneRevenue
        | Action::PaneCost
        | Action::PaneDecisions
        | Action::PaneAlerts
        | Action::PaneFollowUps
        | Action::PaneHealth => {
            if let Some(p) = PaneId::from_action(action) {
                focus_pane(state, p);
            }
        }
        Action::Up => move_selection(state, focus, -1),
        Action::Down => move_selection(state, focus, 1),
        Action::Top => move_selection(state, focus, isize::MIN / 2),
        Action::Bottom => move_selection(state, focus, isize::MAX / 2),
        Action::PageUp => move_selection(state, focus, -page(state, focus)),
        Action::PageDown => move_selection(state, focus, page(state, focus)),
        Action::Refresh => return feed::refresh(state),
        Action::Present => return vec![Effect::Present],
        Action::Period => return cycle_period(state),
        Action::AlertView => {
            state.alert_view = state.alert_view.next();
            super::lists::rebuild(state);
            let text = format!("alerts: {}", super::lists::view_label(state));
            state.say(Level::Info, text);
        }
        Action::More => {
            let text = format!(
                "{} shows more evidence events in an alert's details ({} opens them)",
                state.key_name(Action::More),
                state.key_name(Action::Details)
            );
            state.say(Level::Info, text);
        }
        Action::Theme if !state.themes.is_empty() => {
            state.theme = (state.theme + 1) % state.themes.len();
            let name = state.theme().map(|t| t.name.clone()).unwrap_or_default();
            state.say(Level::Info, format!("theme: {name}"));
        }
        a if is_triage(a) => return triage::on_action(state, action),
        _ => {}
    }
    Vec::new()
}

fn is_triage(action: Action) -> bool {
    matches!(
        action,
        Action::Select
            | Action::Acknowledge
            | Action::Snooze
            | Action::Resolve
            | Action::Dismiss
            | Action::Reopen
            | Action::Owner
            | Action::Note
            | Action::FollowUp
            | Action::Due
            | Action::Undo
    )
}

fn scroll_overlay(
    state: &mut AppState,
    action: Action,
    scroll: u16,
    mode: impl Fn(u16) -> Mode,
    toggle: Action,
) {
    let next = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1),
        Action::PageUp => scroll.saturating_sub(10),
        Action::PageDown => scroll.saturating_add(10),
        Action::Top => 0,
        Action::Bottom => u16::MAX / 2,
        a if a == Action::Close || a == Action::Quit || a == toggle => {
            state.mode = Mode::Normal;
            return;
        }
        _ => return,
    };
    // The renderer clamps the scroll to the content; cap it here so it cannot run away.
    state.mode = mode(next.min(1000));
}

fn cycle_period(state: &mut AppState) -> Vec<Effect> {
    let next = match CYCLE.iter().position(|p| *p == state.params.period) {
        Some(i) => CYCLE[(i + 1) % CYCLE.len()],
        None => CYCLE[0],
    };
    set_period(state, next)
}

pub fn set_period(state: &mut AppState, period: PeriodSpec) -> Vec<Effect> {
    state.params.period = period;
    let label = period.resolve(state.params.today, state.params.zone).label;
    state.say(Level::Info, format!("period: {label}"));
    // Another period is another set of answers, from the executor's cache where it
    // has one (the dataset held; PostHog's query cache).
    feed::begin(state, false, Freshness::Cached)
}
