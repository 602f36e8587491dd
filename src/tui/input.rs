//! The one line editor: the filter and every prompt (note, owner, dismissal reason) edit
//! their text through it, with the same keys, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to a line being edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Enter: the line is done.
    Submit,
    /// Esc or Ctrl-C: the edit is abandoned.
    Cancel,
    Changed,
    Unchanged,
}

/// The editor's keys as its hints name them.
pub const SUBMIT: &str = "enter";
pub const CANCEL: &str = "esc";
pub const CLEAR: &str = "ctrl-u";

/// Applies `key` to `text`, which holds at most `limit` characters (so a paste cannot
/// bloat a filter or a note).
pub fn edit(text: &mut String, limit: usize, key: KeyEvent) -> Edit {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => Edit::Cancel,
        KeyCode::Char('c') if ctrl => Edit::Cancel,
        KeyCode::Enter => Edit::Submit,
        KeyCode::Backspace => match text.pop() {
            Some(_) => Edit::Changed,
            None => Edit::Unchanged,
        },
        KeyCode::Char('u') if ctrl => {
            text.clear();
            Edit::Changed
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() && text.chars().count() < limit => {
            text.push(c);
            Edit::Changed
        }
        _ => Edit::Unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn types_erases_clears_and_stops_at_its_limit() {
        let mut t = String::new();
        for c in "abcd".chars() {
            edit(&mut t, 3, k(KeyCode::Char(c)));
        }
        assert_eq!(t, "abc", "the limit holds");
        assert_eq!(edit(&mut t, 3, k(KeyCode::Backspace)), Edit::Changed);
        assert_eq!(t, "ab");
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(edit(&mut t, 3, ctrl_u), Edit::Changed);
        assert_eq!(t, "");
        assert_eq!(edit(&mut t, 3, k(KeyCode::Backspace)), Edit::Unchanged);
        assert_eq!(edit(&mut t, 3, k(KeyCode::Enter)), Edit::Submit);
        assert_eq!(edit(&mut t, 3, k(KeyCode::Esc)), Edit::Cancel);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(edit(&mut t, 3, ctrl_c), Edit::Cancel);
    }
}
