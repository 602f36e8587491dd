//! The help overlay, generated from the keymap: what you see is what is bound.

use crate::config::theme::Theme;
use crate::keys::action::{Action, Group};
use crate::tui::state::AppState;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

pub fn lines(state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for group in Group::ALL {
        out.push(Line::from(Span::styled(
            group.title(),
            theme.accent().add_modifier(Modifier::BOLD),
        )));
        for action in Action::all().filter(|a| a.group() == group) {
            let keys: Vec<String> = state
                .keymap
                .keys(action)
                .iter()
                .map(ToString::to_string)
                .collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_owned()
            } else {
                keys.join(" ")
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<20}"), theme.accent()),
                Span::raw(action.description()),
            ]));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::from(Span::styled(
        "Mouse",
        theme.accent().add_modifier(Modifier::BOLD),
    )));
    out.push(Line::raw(
        "  wheel scrolls the pane under the pointer; a click focuses a pane or a tab",
    ));
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        "Directions compare the period with the one before it of the same length: ▲ rising, ▼ falling, ► flat.",
        theme.muted(),
    )));
    out.push(Line::from(Span::styled(
        "Impacts sum the lows and highs of the parsed ranges; unreadable ranges are counted, not guessed.",
        theme.muted(),
    )));
    for c in &state.keymap.conflicts {
        out.push(Line::from(Span::styled(
            format!("config: {c}"),
            theme.warn(),
        )));
    }
    out
}

/// The default keys as a Markdown table, for the README (a test keeps the two equal).
pub fn markdown_table(keymap: &crate::keys::keymap::Keymap) -> String {
    let mut out = String::from("| keys | action |\n|---|---|\n");
    for group in Group::ALL {
        for action in Action::all().filter(|a| a.group() == group) {
            let keys: Vec<String> = keymap
                .keys(action)
                .iter()
                .map(|k| format!("`{k}`"))
                .collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                action.description()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_readme_lists_the_default_keys() {
        let readme = include_str!("../../../README.md");
        let table = super::markdown_table(&crate::keys::keymap::Keymap::default());
        assert!(
            readme.contains(&table),
            "README.md's key table is out of date; it should read:\n{table}"
        );
    }
}
