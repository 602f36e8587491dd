//! Untrusted text made inert for the terminal, once, at ingestion.
//!
//! Every string that comes from outside (a PostHog response, an exported file) passes
//! through [`sanitize`] before it is stored. Control characters (C0, DEL, C1, which
//! include ESC and therefore every CSI/OSC/DCS sequence) and the invisible characters that
//! reorder or hide text (bidi overrides and isolates, line separators, BOM) are replaced by
//! a visible escape such as `\x1b` or `\u{202e}`. The remainder of an escape sequence
//! (`]0;PWNED`) is then plain printable text that no terminal acts on.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must never reach the terminal as themselves.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'                 // Arabic letter mark
            | '\u{200B}'..='\u{200F}'  // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'  // line and paragraph separators
            | '\u{202A}'..='\u{202E}'  // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'  // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'  // bidi isolates
            | '\u{FEFF}'               // byte-order mark
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        )
}

/// Returns `s` unchanged when it is safe, otherwise a copy with every hazard escaped.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    // Fast path: printable ASCII is by far the most common case and needs no work.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hazard(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("tenant-123"), Cow::Borrowed(_)));
        assert!(matches!(sanitize("Café Zürich"), Cow::Borrowed(_)));
    }

    #[test]
    fn osc_title_sequence_becomes_visible_text() {
        let out = sanitize("\x1b]0;PWNED\x07");
        assert_eq!(out, "\\x1b]0;PWNED\\x07");
    }

    #[test]
    fn csi_clear_screen_and_c1_are_escaped() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(sanitize("\u{9b}2J"), "\\x9b2J");
        assert_eq!(sanitize("del\x7f"), "del\\x7f");
    }

    #[test]
    fn bidi_override_is_escaped() {
        assert_eq!(sanitize("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(sanitize("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn newlines_and_tabs_cannot_break_a_row() {
        assert_eq!(sanitize("a\nb\tc\r"), "a\\nb\\tc\\r");
    }

    proptest! {
        #[test]
        fn no_hazard_survives(s in any::<String>()) {
            let out = sanitize(&s);
            prop_assert!(!out.chars().any(is_hazard), "{:?}", out);
        }

        #[test]
        fn safe_text_is_unchanged(s in "[a-zA-Z0-9 _$~.,-]{0,40}") {
            prop_assert_eq!(sanitize(&s), s.as_str());
        }

        #[test]
        fn hostile_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let s = String::from_utf8_lossy(&bytes);
            let out = sanitize(&s);
            prop_assert!(!out.contains('\x1b'));
        }
    }
}
