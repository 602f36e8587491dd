//! Everything a user can ask the cockpit to do. Keys map to actions through the keymap
//! (never through chains of key comparisons); the names here are the ones the
//! `[keys]` table of the config uses, and the help and the hint bar are generated
//! from the descriptions below.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Filter,
    Details,
    Zoom,
    Close,
    NextPane,
    PrevPane,
    PaneOverview,
    PaneRevenue,
    PaneCost,
    PaneDecisions,
    PaneHealth,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Refresh,
    Period,
    Theme,
}

/// Where an action shows up in the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    General,
    Panes,
    Moving,
    View,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::General => "General",
            Group::Panes => "Panes",
            Group::Moving => "Moving",
            Group::View => "View",
        }
    }
}

impl Action {
    pub const ALL: [Action; 22] = [
        Action::Quit,
        Action::Help,
        Action::Filter,
        Action::Details,
        Action::Zoom,
        Action::Close,
        Action::NextPane,
        Action::PrevPane,
        Action::PaneOverview,
        Action::PaneRevenue,
        Action::PaneCost,
        Action::PaneDecisions,
        Action::PaneHealth,
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::Refresh,
        Action::Period,
        Action::Theme,
    ];

    /// The name used in the config file.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit bearing",
            Action::Help => "show or hide this help",
            Action::Filter => "filter the focused pane's rows",
            Action::Details => "details of the selected row",
            Action::Zoom => "zoom the focused pane to full screen",
            Action::Close => "close the overlay, clear the filter, unzoom",
            Action::NextPane => "focus the next pane",
            Action::PrevPane => "focus the previous pane",
            Action::PaneOverview => "focus Overview",
            Action::PaneRevenue => "focus Revenue trends",
            Action::PaneCost => "focus Cost opportunities",
            Action::PaneDecisions => "focus Decision log",
            Action::PaneHealth => "focus Data health",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Top => "go to the first row",
            Action::Bottom => "go to the last row",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Refresh => "reload the data from its source",
            Action::Period => "cycle the period: 90 days, month, quarter",
            Action::Theme => "cycle the colour theme",
        }
    }

    /// The short word in the hint bar, for actions worth a place there.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Action::Help => Some("help"),
            Action::Filter => Some("filter"),
            Action::Details => Some("details"),
            Action::Zoom => Some("zoom"),
            Action::NextPane => Some("pane"),
            Action::Period => Some("period"),
            Action::Refresh => Some("reload"),
            Action::Theme => Some("theme"),
            Action::Quit => Some("quit"),
            _ => None,
        }
    }

    pub fn group(self) -> Group {
        match self {
            Action::Quit | Action::Help | Action::Refresh | Action::Close => Group::General,
            Action::NextPane
            | Action::PrevPane
            | Action::PaneOverview
            | Action::PaneRevenue
            | Action::PaneCost
            | Action::PaneDecisions
            | Action::PaneHealth => Group::Panes,
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::PageUp
            | Action::PageDown => Group::Moving,
            Action::Filter | Action::Details | Action::Zoom | Action::Period | Action::Theme => {
                Group::View
            }
        }
    }

    /// The default keys, as written in the config file.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q", "ctrl-c"],
            Action::Help => &["?", "f1"],
            Action::Filter => &["/"],
            Action::Details => &["enter"],
            Action::Zoom => &["z"],
            Action::Close => &["esc"],
            Action::NextPane => &["tab", "l", "right"],
            Action::PrevPane => &["backtab", "h", "left"],
            Action::PaneOverview => &["1"],
            Action::PaneRevenue => &["2"],
            Action::PaneCost => &["3"],
            Action::PaneDecisions => &["4"],
            Action::PaneHealth => &["7"],
            Action::Up => &["k", "up"],
            Action::Down => &["j", "down"],
            Action::Top => &["g", "home"],
            Action::Bottom => &["G", "end"],
            Action::PageUp => &["pgup", "ctrl-u"],
            Action::PageDown => &["pgdn", "ctrl-d"],
            Action::Refresh => &["R", "ctrl-r"],
            Action::Period => &["p"],
            Action::Theme => &["t"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_action_once_with_a_name() {
        let mut names: Vec<String> = Action::ALL.iter().map(|a| a.name()).collect();
        assert!(names.iter().all(|n| !n.is_empty()));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        assert_eq!(Action::PaneDecisions.name(), "pane_decisions");
    }
}
