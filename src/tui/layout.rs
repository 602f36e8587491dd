//! Where everything goes on screen, as a pure function of the terminal size and the
//! focus. Rendering draws into these areas; `update` uses them for scrolling and the
//! mouse, so both always agree.

use super::panes::PaneId;
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the cockpit shows a "terminal too small" screen instead.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Clone, Debug, PartialEq)]
pub struct Screen {
    pub header: Rect,
    /// The tab row, shown when one pane is on screen at a time.
    pub tabs: Option<Rect>,
    pub panes: Vec<(PaneId, Rect)>,
    pub footer: Rect,
}

impl Screen {
    pub fn pane_at(&self, x: u16, y: u16) -> Option<(PaneId, Rect)> {
        self.panes
            .iter()
            .copied()
            .find(|(_, r)| r.contains((x, y).into()))
    }

    pub fn rect(&self, id: PaneId) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == id).map(|(_, r)| *r)
    }
}

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

/// Wide and tall enough to show every pane at once.
pub fn is_grid(size: (u16, u16)) -> bool {
    size.0 >= 100 && size.1 >= 30
}

pub fn screen(size: (u16, u16), focus: PaneId, zoom: bool) -> Option<Screen> {
    if too_small(size) {
        return None;
    }
    let area = Rect::new(0, 0, size.0, size.1);
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if zoom || !is_grid(size) {
        let (tabs, body) = if zoom && is_grid(size) {
            (None, body)
        } else {
            let [tabs, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
            (Some(tabs), rest)
        };
        return Some(Screen {
            header,
            tabs,
            panes: vec![(focus, body)],
            footer,
        });
    }
    // Left: the overview, the alerts to triage, data health. Right: the three signal
    // panes and the follow-ups.
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
    let [overview, alerts, health] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Percentage(36),
        Constraint::Percentage(24),
    ])
    .areas(left);
    let [revenue, cost, decisions, followups] =
        Layout::vertical([Constraint::Ratio(1, 4); 4]).areas(right);
    Some(Screen {
        header,
        tabs: None,
        panes: vec![
            (PaneId::Overview, overview),
            (PaneId::Revenue, revenue),
            (PaneId::Cost, cost),
            (PaneId::Decisions, decisions),
            (PaneId::Alerts, alerts),
            (PaneId::FollowUps, followups),
            (PaneId::Health, health),
        ],
        footer,
    })
}

/// Lines a pane draws above its rows, inside its border.
pub fn top_lines(pane: PaneId) -> u16 {
    super::panes::pane(pane).meta().top
}

/// The part of a pane's area that holds its rows.
pub fn rows_area(pane: PaneId, rect: Rect) -> Rect {
    let inner = Rect {
        x: rect.x.saturating_add(1),
        y: rect.y.saturating_add(1),
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    };
    let top = top_lines(pane).min(inner.height);
    Rect {
        y: inner.y + top,
        height: inner.height - top,
        ..inner
    }
}

/// How many rows of a pane fit on screen now.
pub fn visible_rows(size: (u16, u16), focus: PaneId, zoom: bool, pane: PaneId) -> usize {
    screen(size, focus, zoom)
        .and_then(|s| s.rect(pane))
        .map_or(0, |r| usize::from(rows_area(pane, r).height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_at_120x40_single_pane_at_80x24() {
        let s = screen((120, 40), PaneId::Cost, false).unwrap();
        assert_eq!(s.panes.len(), 7);
        assert!(s.tabs.is_none());
        let s = screen((80, 24), PaneId::Cost, false).unwrap();
        assert_eq!(s.panes, vec![(PaneId::Cost, Rect::new(0, 2, 80, 21))]);
        assert!(s.tabs.is_some());
        assert!(screen((49, 24), PaneId::Cost, false).is_none());
        assert!(screen((80, 11), PaneId::Cost, false).is_none());
    }

    #[test]
    fn zoom_in_grid_fills_the_body() {
        let s = screen((120, 40), PaneId::Revenue, true).unwrap();
        assert_eq!(s.panes, vec![(PaneId::Revenue, Rect::new(0, 1, 120, 38))]);
    }

    /// Every rectangle of the screen: header, tabs, panes and footer.
    fn parts(s: &Screen) -> Vec<(String, Rect)> {
        let mut out = vec![("header".to_owned(), s.header)];
        out.extend(s.tabs.map(|t| ("tabs".to_owned(), t)));
        out.extend(s.panes.iter().map(|(id, r)| (format!("{id:?}"), *r)));
        out.push(("footer".to_owned(), s.footer));
        out
    }

    /// The sizes people run terminals at, the grid's edges, and odd ones in between.
    fn sizes() -> Vec<(u16, u16)> {
        let mut sizes = vec![
            (80, 24),
            (120, 40),
            (200, 50),
            (150, 45),
            (MIN_WIDTH, MIN_HEIGHT),
            (99, 29),
            (100, 30),
            (101, 31),
            (81, 25),
            (133, 37),
            (211, 61),
            (397, 113),
        ];
        sizes.extend(
            (MIN_WIDTH..=260)
                .step_by(7)
                .flat_map(|w| (MIN_HEIGHT..=90).step_by(5).map(move |h| (w, h))),
        );
        sizes
    }

    #[test]
    fn panes_tile_without_overlap() {
        for size in sizes() {
            for zoom in [false, true] {
                for focus in PaneId::ALL {
                    let s = screen(size, focus, zoom).unwrap();
                    let parts = parts(&s);
                    let whole = Rect::new(0, 0, size.0, size.1);
                    for (name, r) in &parts {
                        assert!(
                            !r.is_empty() && whole.union(*r) == whole,
                            "{size:?} zoom {zoom}: {name} {r:?} is empty or off screen"
                        );
                    }
                    for (i, (a, ra)) in parts.iter().enumerate() {
                        for (b, rb) in &parts[i + 1..] {
                            assert!(
                                ra.intersection(*rb).is_empty(),
                                "{size:?} zoom {zoom}: {a} {ra:?} overlaps {b} {rb:?}"
                            );
                        }
                    }
                    // Nothing overlaps and everything is on screen, so equal areas
                    // mean the screen is covered with no gap.
                    let area: u32 = parts.iter().map(|(_, r)| r.area()).sum();
                    assert_eq!(area, u32::from(size.0) * u32::from(size.1), "{size:?}");
                }
            }
        }
    }
}
