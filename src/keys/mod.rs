//! What the keys do: the actions a user can ask for (with their default keys, help text
//! and hint words) and the keymap that binds keys to them, the defaults with the
//! user's `[keys]` laid over. The config reads the table into it; the cockpit, its help
//! and every hint read it back.

pub mod action;
pub mod keymap;

pub use action::Action;
pub use keymap::{Key, Keymap};
