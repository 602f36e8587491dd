//! Key bindings: parsing `"ctrl-r"`-style key names, the default map, user overrides
//! and the conflicts they cause.

use crate::keys::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt;

/// A key with its Ctrl/Alt modifiers. Shift is folded into the character (`G`, `?`),
/// as terminals report it inconsistently for printable keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub fn from_event(ev: KeyEvent) -> Key {
        let code = match ev.code {
            // Some terminals send Shift+Tab as Tab with SHIFT.
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = spec;
        // Modifier prefixes; a lone "-" is the minus key, not a separator.
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("alt+")) {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "insert" => KeyCode::Insert,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        // Ctrl with a letter arrives lower-case from terminals.
                        KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                    }
                    _ => {
                        return Err(format!(
                            "unknown key {spec:?} (try \"q\", \"ctrl-r\", \"enter\", \"pgdn\", \"f1\")"
                        ));
                    }
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// Keys that always quit, whatever the config binds: Ctrl-C, and Ctrl-\ (which
/// terminals send as the byte 0x1C, read as Ctrl-4, or with the kitty protocol as
/// Ctrl-\). In raw mode they reach bearing as keys, not signals, so without them a
/// config that unbinds quit would leave no way out but a kill from elsewhere.
pub fn reserved_quit_keys() -> [Key; 3] {
    let ctrl = |c| Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    };
    [ctrl('c'), ctrl('\\'), ctrl('4')]
}

/// Two actions claiming one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: Key,
    pub kept: Action,
    pub dropped: Action,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key \"{}\" is bound to both {} and {}; it does {}",
            self.key,
            self.kept.name(),
            self.dropped.name(),
            self.kept.name()
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    by_key: FxHashMap<Key, Action>,
    /// Each action's keys in the order they were configured (the first is shown in hints).
    by_action: BTreeMap<Action, Vec<Key>>,
    pub conflicts: Vec<Conflict>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::build(&BTreeMap::new())
    }
}

impl Keymap {
    /// The defaults with the user's bindings laid over them: an action the user binds
    /// loses its default keys; a key the user gives to one action is taken from the
    /// action that had it by default; two user bindings of one key are a conflict, and
    /// the action listed first in the help keeps the key.
    pub fn build(user: &BTreeMap<Action, Vec<Key>>) -> Keymap {
        let mut by_key: FxHashMap<Key, Action> = FxHashMap::default();
        let mut by_action: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        let mut conflicts = Vec::new();
        for action in Action::all() {
            if let Some(keys) = user.get(&action) {
                for key in keys {
                    match by_key.get(key) {
                        Some(&other) if other != action => conflicts.push(Conflict {
                            key: *key,
                            kept: other,
                            dropped: action,
                        }),
                        _ => {
                            by_key.insert(*key, action);
                            by_action.entry(action).or_default().push(*key);
                        }
                    }
                }
            }
        }
        let user_keys: Vec<Key> = user.values().flatten().copied().collect();
        for action in Action::all() {
            if user.contains_key(&action) {
                continue;
            }
            for spec in action.default_keys() {
                let Ok(key) = Key::parse(spec) else { continue };
                if user_keys.contains(&key) {
                    continue;
                }
                if let Some(&other) = by_key.get(&key) {
                    conflicts.push(Conflict {
                        key,
                        kept: other,
                        dropped: action,
                    });
                    continue;
                }
                by_key.insert(key, action);
                by_action.entry(action).or_default().push(key);
            }
        }
        // There is always a way out: the reserved keys quit whatever the config says.
        for key in reserved_quit_keys() {
            match by_key.insert(key, Action::Quit) {
                Some(other) if other != Action::Quit => {
                    by_action.entry(other).or_default().retain(|k| *k != key);
                    conflicts.push(Conflict {
                        key,
                        kept: Action::Quit,
                        dropped: other,
                    });
                }
                Some(_) => continue,
                None => {}
            }
            // Ctrl-C is shown in the help and hints; Ctrl-\ stays a quiet extra.
            let keys = by_action.entry(Action::Quit).or_default();
            if key.code == KeyCode::Char('c') && !keys.contains(&key) {
                keys.push(key);
            }
        }
        Keymap {
            by_key,
            by_action,
            conflicts,
        }
    }

    pub fn action(&self, key: Key) -> Option<Action> {
        self.by_key.get(&key).copied()
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The first key of an action, for hints ("? help").
    pub fn first_key(&self, action: Action) -> Option<Key> {
        self.keys(action).first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_names() {
        assert_eq!(Key::parse("q"), Ok(Key::plain(KeyCode::Char('q'))));
        assert_eq!(Key::parse("G"), Ok(Key::plain(KeyCode::Char('G'))));
        assert_eq!(
            Key::parse("ctrl-r"),
            Ok(Key {
                code: KeyCode::Char('r'),
                ctrl: true,
                alt: false
            })
        );
        assert_eq!(
            Key::parse("CTRL+R"),
            Ok(Key {
                code: KeyCode::Char('r'),
                ctrl: true,
                alt: false
            })
        );
        assert_eq!(Key::parse("-"), Ok(Key::plain(KeyCode::Char('-'))));
        assert_eq!(Key::parse("pgdn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("f5"), Ok(Key::plain(KeyCode::F(5))));
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("").is_err());
        assert!(Key::parse("f13").is_err());
    }

    #[test]
    fn defaults_have_no_conflicts_and_cover_every_action() {
        let map = Keymap::default();
        assert!(map.conflicts.is_empty(), "{:?}", map.conflicts);
        for a in Action::all() {
            assert!(!map.keys(a).is_empty(), "{a:?} has no key");
        }
        assert_eq!(map.action(Key::parse("?").unwrap()), Some(Action::Help));
    }

    /// The keymap of a config that binds these actions to these keys.
    fn bound(binds: &[(Action, &[&str])]) -> Keymap {
        let user: BTreeMap<Action, Vec<Key>> = binds
            .iter()
            .map(|(a, keys)| (*a, keys.iter().map(|k| Key::parse(k).unwrap()).collect()))
            .collect();
        Keymap::build(&user)
    }

    #[test]
    fn user_binding_replaces_defaults_and_steals_keys() {
        let map = bound(&[(Action::Quit, &["x"]), (Action::Zoom, &["t"])]);
        assert_eq!(map.action(Key::parse("x").unwrap()), Some(Action::Quit));
        assert_eq!(
            map.action(Key::parse("q").unwrap()),
            None,
            "quit lost its default"
        );
        assert_eq!(map.action(Key::parse("t").unwrap()), Some(Action::Zoom));
        assert!(
            map.keys(Action::Theme).is_empty(),
            "theme's only key was taken"
        );
        assert!(map.conflicts.is_empty());
    }

    #[test]
    fn no_way_out_ctrl_c_and_ctrl_backslash_always_quit() {
        let map = bound(&[(Action::Quit, &[]), (Action::Zoom, &["ctrl-c"])]);
        for key in reserved_quit_keys() {
            assert_eq!(map.action(key), Some(Action::Quit), "{key}");
        }
        assert_eq!(map.first_key(Action::Quit), Key::parse("ctrl-c").ok());
        assert!(map.keys(Action::Zoom).is_empty());
        assert_eq!(
            map.conflicts[0].to_string(),
            "key \"ctrl-c\" is bound to both quit and zoom; it does quit"
        );
    }

    #[test]
    fn two_user_bindings_of_one_key_conflict() {
        let map = bound(&[(Action::Quit, &["x"]), (Action::Zoom, &["x"])]);
        assert_eq!(map.conflicts.len(), 1);
        assert_eq!(
            map.conflicts[0].to_string(),
            "key \"x\" is bound to both quit and zoom; it does quit"
        );
    }
}
