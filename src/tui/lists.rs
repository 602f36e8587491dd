//! The lists the cockpit derives from the data and the triage state together, made
//! once when either changes rather than on every draw: which alerts the Alerts pane
//! shows (the review period's, every open one, or the older ones folded away), and
//! the needs-attention view of pane 1.

use super::navigate::refilter_keeping;
use super::panes::PaneId;
use super::state::AppState;
use crate::domain::{Dataset, Sym};
use crate::engine::Views;
use crate::engine::alerts::Severity;
use crate::engine::direction::Direction;
use crate::engine::impact::Impact;
use crate::engine::overview::OverviewRow;
use crate::store::alerts::AlertRow;
use crate::triage::{Status, cycle};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Which alerts the Alerts pane lists (`A` moves between them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AlertView {
    /// Alerts of the review cycles the period (`p`) covers.
    #[default]
    Period,
    /// Every open alert, whatever its cycle.
    AllOpen,
    /// Alerts of cycles the rules no longer look at, never touched: folded here.
    Older,
}

impl AlertView {
    pub fn next(self) -> AlertView {
        match self {
            AlertView::Period => AlertView::AllOpen,
            AlertView::AllOpen => AlertView::Older,
            AlertView::Older => AlertView::Period,
        }
    }
}

/// What the Alerts pane lists, in words: "Nov 2026", "all open", "older, never touched".
pub fn view_label(state: &AppState) -> String {
    match state.alert_view {
        AlertView::Period => state.data.as_ref().map_or_else(
            || "this period".to_owned(),
            |d| d.views.period.label.clone(),
        ),
        AlertView::AllOpen => "all open".to_owned(),
        AlertView::Older => "older, never touched".to_owned(),
    }
}

/// Of a cycle the rules no longer evaluate, and never triaged: no state but new, no
/// owner, no note, no follow-up.
pub fn is_older_untouched(a: &AlertRow, today: NaiveDate) -> bool {
    a.triage.status == Status::New
        && a.triage.owner.is_none()
        && a.notes.is_empty()
        && a.followup.is_none()
        && !cycle::is_current(&a.period, today)
}

/// The positions in `alerts` the view lists, in their order.
pub fn alert_rows(
    alerts: &[AlertRow],
    view: AlertView,
    views: Option<&Views>,
    today: NaiveDate,
) -> Vec<u32> {
    let keep = |a: &AlertRow| {
        let older = is_older_untouched(a, today);
        match view {
            AlertView::Older => older,
            AlertView::AllOpen => !older && a.triage.status.is_open(),
            AlertView::Period => {
                !older
                    && views
                        .is_none_or(|v| cycle::overlaps(&a.period, v.period.start, v.period.end))
            }
        }
    };
    (0..alerts.len())
        .filter(|&i| keep(&alerts[i]))
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

/// One tenant in the needs-attention view.
#[derive(Clone, Debug, PartialEq)]
pub struct AttentionRow {
    pub tenant: String,
    pub sym: Option<Sym>,
    /// Open alerts of the period's cycles (those the Alerts pane lists for it).
    pub open: u32,
    pub worst: Option<Severity>,
    /// Revenue-protection categories rising in the period.
    pub rising: u32,
    /// Revenue at risk in the period: the signals' impact ranges summed.
    pub at_risk: Impact,
    pub savings: Impact,
    /// Its strategic activity, plan and subscription status (any status).
    pub activity: Option<OverviewRow>,
}

impl AttentionRow {
    /// Open alerts or rising risk in the review period.
    pub fn needs_attention(&self) -> bool {
        self.open > 0 || self.rising > 0
    }
}

/// Every tenant of the period's data and of the open alerts: the ones needing
/// attention first, by their worst open alert, then the money at risk, then how many
/// alerts; the quiet ones after, by activity. Every tenant is a row, so `/` finds any.
pub fn attention(
    ds: &Dataset,
    v: &Views,
    alerts: &[AlertRow],
    today: NaiveDate,
) -> Vec<AttentionRow> {
    let mut by: BTreeMap<String, AttentionRow> = BTreeMap::new();
    fn row<'a>(
        by: &'a mut BTreeMap<String, AttentionRow>,
        name: &str,
        sym: Option<Sym>,
    ) -> &'a mut AttentionRow {
        let r = by.entry(name.to_owned()).or_insert_with(|| AttentionRow {
            tenant: name.to_owned(),
            sym,
            open: 0,
            worst: None,
            rising: 0,
            at_risk: Impact::default(),
            savings: Impact::default(),
            activity: None,
        });
        r.sym = r.sym.or(sym);
        r
    }
    for o in v.overview.rows.iter().chain(&v.overview.inactive) {
        row(&mut by, ds.tenant(o.tenant), Some(o.tenant)).activity = Some(o.clone());
    }
    for t in &v.revenue {
        let r = row(&mut by, ds.tenant(t.tenant), Some(t.tenant));
        r.at_risk.merge(&t.impact);
        r.rising += u32::from(t.direction == Direction::Rising);
    }
    for c in &v.cost {
        row(&mut by, ds.tenant(c.tenant), Some(c.tenant))
            .savings
            .merge(&c.savings);
    }
    // The alerts the Alerts pane lists for the period, as the review counts them.
    for a in alerts {
        let listed = !is_older_untouched(a, today)
            && cycle::overlaps(&a.period, v.period.start, v.period.end);
        if a.triage.status.is_open() && listed {
            let sym = ds.strings.get(&a.tenant);
            let r = row(&mut by, &a.tenant, sym);
            r.open += 1;
            r.worst = r.worst.max(Some(a.severity));
        }
    }
    let mut rows: Vec<AttentionRow> = by.into_values().collect();
    let activity = |r: &AttentionRow| r.activity.as_ref().map_or(0, OverviewRow::total);
    rows.sort_by(|a, b| {
        b.needs_attention()
            .cmp(&a.needs_attention())
            .then(b.worst.cmp(&a.worst))
            .then(b.at_risk.high.total_cmp(&a.at_risk.high))
            .then(b.open.cmp(&a.open))
            .then(b.rising.cmp(&a.rising))
            .then(activity(b).cmp(&activity(a)))
            .then_with(|| a.tenant.cmp(&b.tenant))
    });
    rows
}

/// Makes both lists again from the data and triage state held, and applies the panes'
/// filters to them, keeping each pane's selected row.
pub fn rebuild(state: &mut AppState) {
    let today = state.params.today;
    let views = state.data.as_ref().map(|d| &*d.views);
    state.alert_rows = alert_rows(&state.triage.alerts, state.alert_view, views, today);
    state.attention = match &state.data {
        Some(d) => attention(&d.dataset, &d.views, &state.triage.alerts, today),
        None => Vec::new(),
    };
    refilter_keeping(state, PaneId::Alerts);
    refilter_keeping(state, PaneId::Overview);
}
