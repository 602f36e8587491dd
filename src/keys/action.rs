//! Everything a user can ask the cockpit to do. Keys map to actions through the keymap
//! (never through chains of key comparisons); the names here are the ones the
//! `[keys]` table of the config uses, and the help and the hint bar are generated
//! from the table below.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Refresh,
    Present,
    Close,
    NextPane,
    PrevPane,
    PaneOverview,
    PaneRevenue,
    PaneCost,
    PaneDecisions,
    PaneAlerts,
    PaneFollowUps,
    PaneHealth,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Filter,
    Details,
    Zoom,
    More,
    Period,
    AlertView,
    Theme,
    Select,
    Acknowledge,
    Snooze,
    Resolve,
    Dismiss,
    Reopen,
    Owner,
    Note,
    FollowUp,
    Due,
    Undo,
}

/// Where an action shows up in the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    General,
    Panes,
    Moving,
    View,
    Triage,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::General,
        Group::Panes,
        Group::Moving,
        Group::View,
        Group::Triage,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::General => "General",
            Group::Panes => "Panes",
            Group::Moving => "Moving",
            Group::View => "View",
            Group::Triage => "Triage (alerts and follow-ups)",
        }
    }
}

struct Spec {
    action: Action,
    group: Group,
    keys: &'static [&'static str],
    description: &'static str,
    /// The short word in the hint bar, for actions worth a place there.
    hint: Option<&'static str>,
}

const fn spec(
    action: Action,
    group: Group,
    keys: &'static [&'static str],
    description: &'static str,
    hint: Option<&'static str>,
) -> Spec {
    Spec {
        action,
        group,
        keys,
        description,
        hint,
    }
}

use Action as A;
use Group as G;

/// Every action, in help order, with its default keys.
const SPECS: [Spec; 38] = [
    spec(
        A::Quit,
        G::General,
        &["q", "ctrl-c"],
        "quit bearing",
        Some("quit"),
    ),
    spec(
        A::Help,
        G::General,
        &["?", "f1"],
        "show or hide this help",
        Some("help"),
    ),
    spec(
        A::Refresh,
        G::General,
        &["R", "ctrl-r"],
        "reload the data from its source",
        Some("reload"),
    ),
    spec(
        A::Present,
        G::General,
        &["P"],
        "present the period's review meeting, owners and notes hidden (q comes back)",
        None,
    ),
    spec(
        A::Close,
        G::General,
        &["esc"],
        "close the overlay; clear the selection, the filter, the zoom",
        None,
    ),
    spec(
        A::NextPane,
        G::Panes,
        &["tab", "l", "right"],
        "focus the next pane",
        Some("pane"),
    ),
    spec(
        A::PrevPane,
        G::Panes,
        &["backtab", "h", "left"],
        "focus the previous pane",
        None,
    ),
    spec(
        A::PaneOverview,
        G::Panes,
        &["1"],
        "focus Needs attention",
        None,
    ),
    spec(
        A::PaneRevenue,
        G::Panes,
        &["2"],
        "focus Revenue trends",
        None,
    ),
    spec(
        A::PaneCost,
        G::Panes,
        &["3"],
        "focus Cost opportunities",
        None,
    ),
    spec(
        A::PaneDecisions,
        G::Panes,
        &["4"],
        "focus Decision log",
        None,
    ),
    spec(A::PaneAlerts, G::Panes, &["5"], "focus Alerts", None),
    spec(A::PaneFollowUps, G::Panes, &["6"], "focus Follow-ups", None),
    spec(A::PaneHealth, G::Panes, &["7"], "focus Data health", None),
    spec(A::Up, G::Moving, &["k", "up"], "move up", None),
    spec(A::Down, G::Moving, &["j", "down"], "move down", None),
    spec(
        A::Top,
        G::Moving,
        &["g", "home"],
        "go to the first row",
        None,
    ),
    spec(
        A::Bottom,
        G::Moving,
        &["G", "end"],
        "go to the last row",
        None,
    ),
    spec(A::PageUp, G::Moving, &["pgup", "ctrl-u"], "page up", None),
    spec(
        A::PageDown,
        G::Moving,
        &["pgdn", "ctrl-d"],
        "page down",
        None,
    ),
    spec(
        A::Filter,
        G::View,
        &["/"],
        "filter (alerts: state: severity: owner: rule: tenant: period:, a,b)",
        Some("filter"),
    ),
    spec(
        A::Details,
        G::View,
        &["enter"],
        "details of the selected row",
        Some("details"),
    ),
    spec(
        A::Zoom,
        G::View,
        &["z"],
        "zoom the focused pane to full screen",
        Some("zoom"),
    ),
    spec(
        A::More,
        G::View,
        &["m"],
        "more evidence events, in an alert's details",
        None,
    ),
    spec(
        A::Period,
        G::View,
        &["p"],
        "cycle the period: 90 days, this and last month, this and last quarter",
        Some("period"),
    ),
    spec(
        A::AlertView,
        G::View,
        &["A"],
        "alerts: of the period, all open, older never touched",
        None,
    ),
    spec(
        A::Theme,
        G::View,
        &["t"],
        "cycle the colour theme",
        Some("theme"),
    ),
    spec(
        A::Select,
        G::Triage,
        &["space"],
        "select or unselect the row, for a bulk action",
        Some("select"),
    ),
    spec(
        A::Acknowledge,
        G::Triage,
        &["a"],
        "acknowledge",
        Some("ack"),
    ),
    spec(
        A::Snooze,
        G::Triage,
        &["s"],
        "snooze: a day, a week, to the next monthly or quarterly review",
        Some("snooze"),
    ),
    spec(
        A::Resolve,
        G::Triage,
        &["x"],
        "resolve an alert; mark a follow-up done",
        Some("resolve"),
    ),
    spec(
        A::Dismiss,
        G::Triage,
        &["d"],
        "dismiss an alert (with a reason); cancel a follow-up",
        Some("dismiss"),
    ),
    spec(
        A::Reopen,
        G::Triage,
        &["r"],
        "reopen a resolved, dismissed or cleared alert, or a closed follow-up",
        None,
    ),
    spec(
        A::Owner,
        G::Triage,
        &["o"],
        "set or clear the owner",
        Some("owner"),
    ),
    spec(A::Note, G::Triage, &["n"], "add a note", Some("note")),
    spec(
        A::FollowUp,
        G::Triage,
        &["F"],
        "create a follow-up from the alert",
        Some("follow-up"),
    ),
    spec(
        A::Due,
        G::Triage,
        &["D"],
        "set a follow-up's due date",
        Some("due"),
    ),
    spec(
        A::Undo,
        G::Triage,
        &["u"],
        "undo your last change",
        Some("undo"),
    ),
];

impl Action {
    fn spec(self) -> &'static Spec {
        // Every action has exactly one entry; a test checks it.
        SPECS.iter().find(|s| s.action == self).unwrap_or(&SPECS[0])
    }

    /// Every action in help order.
    pub fn all() -> impl Iterator<Item = Action> {
        SPECS.iter().map(|s| s.action)
    }

    /// The name used in the config file.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn description(self) -> &'static str {
        self.spec().description
    }

    pub fn hint(self) -> Option<&'static str> {
        self.spec().hint
    }

    pub fn group(self) -> Group {
        self.spec().group
    }

    /// The default keys, as written in the config file.
    pub fn default_keys(self) -> &'static [&'static str] {
        self.spec().keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_spec_and_a_name() {
        let mut names: Vec<String> = Action::all().map(|a| a.name()).collect();
        assert!(names.iter().all(|n| !n.is_empty()));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), SPECS.len());
        for (i, s) in SPECS.iter().enumerate() {
            assert_eq!(
                SPECS.iter().position(|t| t.action == s.action),
                Some(i),
                "{:?} twice",
                s.action
            );
        }
        assert_eq!(Action::PaneFollowUps.name(), "pane_follow_ups");
    }
}
