//! Filters as the help describes them: `key:value` fields of alerts, several values
//! with commas.

use super::fixture::{loaded, send};
use super::panes::PaneId;
use super::state::AppState;
use super::update::Msg;
use crate::engine::alerts::Severity;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn filter_alerts(s: &mut AppState, text: &str) -> usize {
    let keys = std::iter::once(KeyCode::Char('5'))
        .chain(std::iter::once(KeyCode::Esc))
        .chain(std::iter::once(KeyCode::Char('/')))
        .chain(text.chars().map(KeyCode::Char))
        .chain(std::iter::once(KeyCode::Enter));
    for code in keys {
        send(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    s.pane(PaneId::Alerts).visible.len()
}

#[test]
fn severity_takes_several_values_and_tenant_and_period_are_fields() {
    let mut s = loaded((120, 40));
    let count = |s: &AppState, f: &dyn Fn(&crate::store::alerts::AlertRow) -> bool| {
        s.triage.alerts.iter().filter(|a| f(a)).count()
    };
    let critical = count(&s, &|a| a.severity == Severity::Critical);
    let urgent = count(&s, &|a| a.severity >= Severity::High);
    assert!(critical > 0 && urgent > critical, "not vacuous");
    assert_eq!(filter_alerts(&mut s, "severity:critical"), critical);
    assert_eq!(filter_alerts(&mut s, "severity:critical,high"), urgent);
    let tenant = s.triage.alerts[0].tenant.clone();
    let of_tenant = count(&s, &|a| a.tenant == tenant);
    assert_eq!(
        filter_alerts(&mut s, &format!("tenant:{tenant}")),
        of_tenant
    );
    let q4 = count(&s, &|a| a.period == "2026-Q4");
    assert!(q4 > 0);
    assert_eq!(filter_alerts(&mut s, "period:2026-q4"), q4);
    assert_eq!(
        filter_alerts(&mut s, "period:2026-q4,2026-11"),
        q4 + count(&s, &|a| a.period == "2026-11")
    );
}
