//! The footer: key hints generated from the keymap, and the last action echoed.

use crate::config::theme::Theme;
use crate::keys::action::Action;
use crate::triage::SnoozeFor;
use crate::tui::input::{CANCEL, CLEAR, SUBMIT};
use crate::tui::state::{AppState, Level, Mode};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn hint_spans(state: &AppState, theme: &Theme, width: usize) -> Vec<Span<'static>> {
    let pane = crate::tui::panes::pane(state.focus);
    let mut spans = Vec::new();
    let mut used = 0;
    for &action in pane.hints() {
        let (Some(key), Some(word)) = (state.keymap.first_key(action), pane.hint_word(action))
        else {
            continue;
        };
        let key = key.to_string();
        let w = key.width() + word.width() + 3;
        if used + w > width {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key}"), theme.accent()));
        spans.push(Span::styled(format!(" {word} "), theme.muted()));
    }
    spans
}

/// The end of `text` that fits in `width` cells, so the cursor stays in view.
fn tail(text: &str, width: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}

/// The footer while something is being typed or chosen, if it is.
fn input_line(state: &AppState, theme: &Theme, width: usize) -> Option<Line<'static>> {
    // A value filled in for the user is shown selected: typing replaces it.
    let field = |label: String, input: &str, help: &str, selected: bool| {
        let room = width.saturating_sub(label.width() + help.width() + 4);
        let text = tail(input, room.max(10));
        Line::from(vec![
            Span::styled(format!(" {label} "), theme.accent()),
            if selected {
                Span::styled(text, theme.selection())
            } else {
                Span::raw(text)
            },
            Span::styled("▏", theme.accent()),
            Span::styled(format!("  {help}"), theme.muted()),
        ])
    };
    match &state.mode {
        Mode::Filter { pane, .. } => Some(field(
            state.key_name(Action::Filter),
            &state.pane(*pane).filter,
            &format!("{SUBMIT} keep · {CANCEL} cancel · {CLEAR} clear"),
            false,
        )),
        Mode::Prompt {
            kind,
            input,
            targets,
            replace,
            ..
        } => {
            let label = if targets.len() > 1 {
                format!("{} ({} rows):", kind.label(), targets.len())
            } else {
                format!("{}:", kind.label())
            };
            let help = if *replace {
                format!("typing replaces it · {SUBMIT} save · {CANCEL} cancel")
            } else {
                format!("{SUBMIT} save · {CANCEL} cancel")
            };
            Some(field(label, input, &help, *replace))
        }
        Mode::Confirm { question, .. } => Some(Line::from(vec![
            Span::styled(
                format!(" {question}"),
                theme.warn().add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::styled("  y or enter: yes · n or esc: no", theme.muted()),
        ])),
        Mode::Snooze { targets } => {
            let what = if targets.len() > 1 {
                format!("{} alerts", targets.len())
            } else {
                "the alert".into()
            };
            // The widest wording that fits: every choice stays readable at 80 columns.
            let labels: [fn(SnoozeFor) -> &'static str; 3] =
                [SnoozeFor::label, SnoozeFor::short, SnoozeFor::word];
            let mut line = Line::default();
            for label in labels {
                let mut spans = vec![Span::styled(format!(" snooze {what} for:"), theme.accent())];
                for s in SnoozeFor::ALL {
                    spans.push(Span::styled(format!("  {}", s.key()), theme.accent()));
                    spans.push(Span::styled(format!(" {}", label(s)), theme.muted()));
                }
                spans.push(Span::styled(format!("  {CANCEL} cancel"), theme.muted()));
                line = Line::from(spans);
                if line.width() <= width {
                    break;
                }
            }
            Some(line)
        }
        _ => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if let Some(line) = input_line(state, theme, usize::from(area.width)) {
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let status = state.status.as_ref().map(|s| {
        let style = match s.level {
            Level::Info => theme.accent(),
            Level::Warn => theme.warn(),
            Level::Error => theme.bad(),
        };
        // The message wins over the hints: it says what just happened.
        let text = super::widgets::fit(&s.text, usize::from(area.width) * 3 / 4);
        Span::styled(format!("{text} "), style)
    });
    let status_width = status.as_ref().map_or(0, |s| s.content.width());
    let hints = hint_spans(
        state,
        theme,
        usize::from(area.width).saturating_sub(status_width + 1),
    );
    frame.render_widget(Paragraph::new(Line::from(hints)), area);
    if let Some(s) = status {
        frame.render_widget(
            Paragraph::new(Line::from(s)).alignment(Alignment::Right),
            area,
        );
    }
}
