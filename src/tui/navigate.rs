//! Moving around: focus, selection and scrolling, filters re-applied, and the mouse.
//! Part of `update`: pure, no IO.

use super::layout;
use super::panes;
use super::panes::PaneId;
use super::state::{AppState, Mode};
use super::update::on_action;
use crate::keys::Action;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

pub fn focus_pane(state: &mut AppState, pane: PaneId) {
    state.focus = pane;
    keep_selection_visible(state, pane);
}

pub fn page(state: &AppState, pane: PaneId) -> isize {
    let rows = layout::visible_rows(state.size, state.focus, state.zoom, pane).max(2);
    isize::try_from(rows - 1).unwrap_or(1)
}

pub fn move_selection(state: &mut AppState, pane: PaneId, delta: isize) {
    let p = state.pane_mut(pane);
    let n = p.visible.len();
    if n == 0 {
        return;
    }
    let cur = isize::try_from(p.selected).unwrap_or(0);
    let max = isize::try_from(n - 1).unwrap_or(0);
    p.selected = usize::try_from(cur.saturating_add(delta).clamp(0, max)).unwrap_or(0);
    keep_selection_visible(state, pane);
}

/// Scrolls so the selected row is on screen, moving as little as possible.
pub fn keep_selection_visible(state: &mut AppState, pane: PaneId) {
    let height = layout::visible_rows(state.size, state.focus, state.zoom, pane).max(1);
    let p = state.pane_mut(pane);
    let n = p.visible.len();
    p.selected = p.selected.min(n.saturating_sub(1));
    if p.selected < p.offset {
        p.offset = p.selected;
    } else if p.selected >= p.offset + height {
        p.offset = p.selected + 1 - height;
    }
    // Never leave blank space below the last row when there are rows above to show.
    p.offset = p.offset.min(n.saturating_sub(height));
}

pub fn refilter(state: &mut AppState, pane: PaneId) {
    let visible = panes::filter(state.rows(pane), pane, &state.pane(pane).filter);
    let p = state.pane_mut(pane);
    p.visible = visible;
    p.selected = 0;
    p.offset = 0;
}

/// After the triage rows changed: filter again and keep the cursor on the same row
/// (by id) when it is still there.
pub fn refilter_keeping(state: &mut AppState, pane: PaneId) {
    let before = state
        .selected_row(pane)
        .and_then(|r| panes::row_id(state.rows(pane), pane, r));
    let (selected, offset) = (state.pane(pane).selected, state.pane(pane).offset);
    refilter(state, pane);
    let src = state.rows(pane);
    let found = before.and_then(|id| {
        state
            .pane(pane)
            .visible
            .iter()
            .position(|&r| panes::row_id(src, pane, r as usize).as_deref() == Some(id.as_str()))
    });
    let p = state.pane_mut(pane);
    p.selected = found.unwrap_or(selected);
    p.offset = offset;
    keep_selection_visible(state, pane);
}

/// After new data: apply every pane's filter again, keeping positions where possible.
pub fn refilter_all(state: &mut AppState) {
    for pane in PaneId::ALL {
        let (selected, offset) = (state.pane(pane).selected, state.pane(pane).offset);
        refilter(state, pane);
        let p = state.pane_mut(pane);
        p.selected = selected;
        p.offset = offset;
        keep_selection_visible(state, pane);
    }
}

pub fn on_mouse(state: &mut AppState, m: MouseEvent) {
    if !matches!(state.mode, Mode::Normal) {
        let action = match m.kind {
            MouseEventKind::ScrollDown => Action::Down,
            MouseEventKind::ScrollUp => Action::Up,
            _ => return,
        };
        on_action(state, action);
        return;
    }
    let Some(screen) = layout::screen(state.size, state.focus, state.zoom) else {
        return;
    };
    if let Some(tabs) = screen.tabs
        && tabs.contains((m.column, m.row).into())
        && m.kind == MouseEventKind::Down(MouseButton::Left)
    {
        if let Some(p) = super::ui::tabs::tab_at(tabs, m.column, state.focus) {
            focus_pane(state, p);
        }
        return;
    }
    let Some((pane, rect)) = screen.pane_at(m.column, m.row) else {
        return;
    };
    match m.kind {
        MouseEventKind::ScrollDown => {
            state.focus = pane;
            move_selection(state, pane, 1);
        }
        MouseEventKind::ScrollUp => {
            state.focus = pane;
            move_selection(state, pane, -1);
        }
        MouseEventKind::Down(MouseButton::Left) => {
            focus_pane(state, pane);
            let rows = layout::rows_area(pane, rect);
            if rows.contains((m.column, m.row).into()) {
                let p = state.pane(pane);
                let target = p.offset + usize::from(m.row - rows.y);
                if target < p.visible.len() {
                    state.pane_mut(pane).selected = target;
                }
            }
        }
        _ => {}
    }
}
