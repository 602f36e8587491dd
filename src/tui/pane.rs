//! The panes of the cockpit, in the order of DESIGN §7 and with its numbers:
//! 1 Overview … 5 Alerts, 6 Follow-ups, 7 Data health.

use super::action::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    Overview,
    Revenue,
    Cost,
    Decisions,
    Alerts,
    FollowUps,
    Health,
}

pub const PANES: usize = 7;

impl PaneId {
    pub const ALL: [PaneId; PANES] = [
        PaneId::Overview,
        PaneId::Revenue,
        PaneId::Cost,
        PaneId::Decisions,
        PaneId::Alerts,
        PaneId::FollowUps,
        PaneId::Health,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Overview => "Overview",
            PaneId::Revenue => "Revenue trends",
            PaneId::Cost => "Cost opportunities",
            PaneId::Decisions => "Decision log",
            PaneId::Alerts => "Alerts",
            PaneId::FollowUps => "Follow-ups",
            PaneId::Health => "Data health",
        }
    }

    /// The short name in the tab row.
    pub fn short(self) -> &'static str {
        match self {
            PaneId::Overview => "Overview",
            PaneId::Revenue => "Revenue",
            PaneId::Cost => "Cost",
            PaneId::Decisions => "Decisions",
            PaneId::Alerts => "Alerts",
            PaneId::FollowUps => "Follow-ups",
            PaneId::Health => "Health",
        }
    }

    /// The number key that focuses the pane.
    pub fn number(self) -> u8 {
        self.index() as u8 + 1
    }

    pub fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn from_action(a: Action) -> Option<PaneId> {
        match a {
            Action::PaneOverview => Some(PaneId::Overview),
            Action::PaneRevenue => Some(PaneId::Revenue),
            Action::PaneCost => Some(PaneId::Cost),
            Action::PaneDecisions => Some(PaneId::Decisions),
            Action::PaneAlerts => Some(PaneId::Alerts),
            Action::PaneFollowUps => Some(PaneId::FollowUps),
            Action::PaneHealth => Some(PaneId::Health),
            _ => None,
        }
    }

    pub fn next(self) -> PaneId {
        PaneId::ALL[(self.index() + 1) % PANES]
    }

    pub fn prev(self) -> PaneId {
        PaneId::ALL[(self.index() + PANES - 1) % PANES]
    }

    /// Panes whose rows can be triaged.
    pub fn is_triage(self) -> bool {
        matches!(self, PaneId::Alerts | PaneId::FollowUps)
    }
}
