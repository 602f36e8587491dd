//! What the details of a row say, read as text.

use super::fixture::loaded;
use super::panes::PaneId;
use super::state::{AppState, Mode};

fn details_text(s: &AppState) -> String {
    let theme = s.theme().cloned().unwrap_or_else(|| s.themes[0].clone());
    let (_, lines) = super::ui::details::content(s, &theme).unwrap();
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|x| x.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn an_alerts_follow_up_reads_as_its_title_state_and_due_date_not_its_id() {
    let mut s = loaded((120, 40));
    s.focus = PaneId::Alerts;
    let row = s.selected_row(PaneId::Alerts).unwrap();
    let f = s.triage.followups[0].clone();
    s.triage.alerts[row].followup = Some(f.id.clone());
    s.mode = Mode::Details { scroll: 0 };
    let text = details_text(&s);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("Follow-up"))
        .unwrap();
    assert!(line.contains(&f.title), "{line}");
    assert!(line.contains(&format!("due {}", f.state.due)), "{line}");
    assert!(
        !line.contains(&format!(" {}", f.id)) || f.title.contains(&f.id),
        "{line}"
    );
}
