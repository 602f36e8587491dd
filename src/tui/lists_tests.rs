//! The needs-attention view and the Alerts pane's cycles, on the demo.

use super::fixture::{loaded, send};
use super::lists::{AlertView, is_older_untouched};
use super::panes::{self, PaneId};
use super::update::Msg;
use crate::keys::Action;
use crate::triage::{Status, cycle};

/// The events under the list are its tenants' own, inactive subscriptions too: the
/// seed's overview figure, active tenants only, sat under a list with past_due ones.
#[test]
fn the_events_figure_counts_every_tenant_listed() {
    let s = loaded((120, 40));
    let o = &s.data.as_ref().unwrap().views.overview;
    let listed: u32 = o.rows.iter().chain(&o.inactive).map(|r| r.total()).sum();
    assert!(
        listed > o.events,
        "not vacuous: {listed} against {}",
        o.events
    );
    let screen = super::hint_tests::screen(&s);
    let shown = format!("reviews due this month · {listed} events");
    assert!(screen.contains(&shown), "{shown}:\n{screen}");
}

#[test]
fn the_past_due_tenant_with_rising_risk_and_alerts_is_listed_and_every_tenant_found() {
    let s = loaded((120, 40));
    let rows = &s.attention;
    let hooli = rows.iter().find(|r| r.tenant == "hooli-news").unwrap();
    let data = s.data.as_ref().unwrap();
    let status = hooli.activity.as_ref().and_then(|a| a.status).unwrap();
    assert_eq!(data.dataset.resolve(status), "past_due");
    assert!(hooli.open > 0 && hooli.rising > 0 && hooli.at_risk.is_known());
    // Those needing attention first, by worst alert, then money at risk.
    let needs: Vec<bool> = rows.iter().map(|r| r.needs_attention()).collect();
    assert!(needs.windows(2).all(|w| w[0] >= w[1]), "{needs:?}");
    for w in rows.windows(2).filter(|w| w[1].needs_attention()) {
        assert!(
            (w[0].worst, w[0].at_risk.high) >= (w[1].worst, w[1].at_risk.high),
            "{} before {}",
            w[0].tenant,
            w[1].tenant
        );
    }
    // Every tenant of the data is a row, inactive subscriptions too, and `/` finds it.
    let o = &data.views.overview;
    assert!(!o.inactive.is_empty(), "the demo has tenants not active");
    for t in o.rows.iter().chain(&o.inactive) {
        let name = data.dataset.tenant(t.tenant);
        assert!(rows.iter().any(|r| r.tenant == name), "{name} missing");
    }
    let src = s.rows(PaneId::Overview);
    assert_eq!(panes::filter(src, PaneId::Overview, "hooli").len(), 1);
    assert!(!panes::filter(src, PaneId::Overview, "status:past_due").is_empty());
}

#[test]
fn the_alerts_pane_follows_the_period_and_all_open_is_one_key_away() {
    let mut s = loaded((120, 40));
    let listed = |s: &super::state::AppState| -> Vec<String> {
        s.alert_rows
            .iter()
            .map(|&i| s.triage.alerts[i as usize].period.clone())
            .collect()
    };
    assert!(
        listed(&s).iter().any(|p| p == "2026-10"),
        "90 days hold October"
    );
    send(&mut s, Msg::Action(Action::Period));
    let month = s.data.as_ref().unwrap().views.period.clone();
    assert_eq!(month.label, "2026-11 to date");
    let periods = listed(&s);
    assert!(!periods.is_empty());
    assert!(
        periods
            .iter()
            .all(|p| cycle::overlaps(p, month.start, month.end)),
        "{periods:?}"
    );
    send(&mut s, Msg::Action(Action::AlertView));
    assert_eq!(s.alert_view, AlertView::AllOpen);
    let open = s
        .triage
        .alerts
        .iter()
        .filter(|a| a.triage.status.is_open())
        .count();
    assert_eq!(s.alert_rows.len(), open);
}

#[test]
fn old_alerts_never_touched_are_folded_under_older() {
    let mut s = loaded((120, 40));
    let mut old = s.triage.alerts[0].clone();
    old.id = "deliverability_trend:acme:2026-06".into();
    old.period = "2026-06".into();
    old.triage = Default::default();
    let mut touched = old.clone();
    touched.id = "deliverability_trend:acme:2026-05".into();
    touched.period = "2026-05".into();
    touched.triage.status = Status::Acknowledged;
    s.triage.alerts.extend([old.clone(), touched.clone()]);
    assert!(is_older_untouched(&old, s.params.today));
    assert!(!is_older_untouched(&touched, s.params.today));
    super::lists::rebuild(&mut s);
    let ids = |s: &super::state::AppState| -> Vec<String> {
        s.alert_rows
            .iter()
            .map(|&i| s.triage.alerts[i as usize].id.clone())
            .collect()
    };
    send(&mut s, Msg::Action(Action::AlertView));
    assert!(!ids(&s).contains(&old.id), "not among all open");
    assert!(ids(&s).contains(&touched.id), "a triaged one stays in view");
    send(&mut s, Msg::Action(Action::AlertView));
    assert_eq!(s.alert_view, AlertView::Older);
    assert_eq!(ids(&s), [old.id.clone()]);
}
