//! The panes of the cockpit, in the order of DESIGN §7. Alerts (5) and Follow-ups (6)
//! arrive with triage; the numbers stay fixed so muscle memory carries over.

use super::action::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    Overview,
    Revenue,
    Cost,
    Decisions,
    Health,
}

impl PaneId {
    pub const ALL: [PaneId; 5] = [
        PaneId::Overview,
        PaneId::Revenue,
        PaneId::Cost,
        PaneId::Decisions,
        PaneId::Health,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Overview => "Overview",
            PaneId::Revenue => "Revenue trends",
            PaneId::Cost => "Cost opportunities",
            PaneId::Decisions => "Decision log",
            PaneId::Health => "Data health",
        }
    }

    /// The number key that focuses the pane (DESIGN §7: 1 Overview … 7 Data health).
    pub fn number(self) -> u8 {
        match self {
            PaneId::Overview => 1,
            PaneId::Revenue => 2,
            PaneId::Cost => 3,
            PaneId::Decisions => 4,
            PaneId::Health => 7,
        }
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
            Action::PaneHealth => Some(PaneId::Health),
            _ => None,
        }
    }

    pub fn next(self) -> PaneId {
        PaneId::ALL[(self.index() + 1) % PaneId::ALL.len()]
    }

    pub fn prev(self) -> PaneId {
        PaneId::ALL[(self.index() + PaneId::ALL.len() - 1) % PaneId::ALL.len()]
    }
}
