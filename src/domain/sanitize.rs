//! Untrusted text made inert for the terminal, once, at ingestion.
//!
//! Every string that comes from outside (a PostHog response, an exported file, the
//! database) passes through [`sanitize`] before it is shown. Control characters (C0,
//! DEL, C1, which include ESC and therefore every CSI/OSC/DCS sequence), the invisible
//! characters that reorder text (bidi overrides and isolates, line separators) and every
//! character Unicode calls default-ignorable (drawn as nothing: soft hyphens, zero-width
//! spaces, Hangul fillers, tag characters, variation selectors) are replaced by a visible
//! escape such as `\x1b` or `\u{202e}`. So no string can drive the terminal, hide text
//! that is there, or pass for another name. The remainder of an escape sequence
//! (`]0;PWNED`) is then plain printable text that no terminal acts on.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must never reach the terminal as themselves. The list
/// after the controls is Unicode's Default_Ignorable_Code_Point (checked against the
/// property in the tests) plus the bidi, separator and annotation characters.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                  // soft hyphen
            | '\u{034F}'                // combining grapheme joiner
            | '\u{061C}'                // Arabic letter mark
            | '\u{115F}' | '\u{1160}'   // Hangul choseong/jungseong fillers
            | '\u{17B4}' | '\u{17B5}'   // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}'   // Mongolian variation selectors, vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'   // line and paragraph separators
            | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, isolates
            | '\u{3164}' | '\u{FFA0}'   // Hangul fillers
            | '\u{FE00}'..='\u{FE0F}'   // variation selectors (see `kept_selector`)
            | '\u{FEFF}'                // byte-order mark
            | '\u{FFF0}'..='\u{FFFB}'   // reserved ignorables, interlinear annotation
            | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}' // musical format controls
            | '\u{E0000}'..='\u{E0FFF}' // tags, variation selectors 17-256
        )
}

/// One text (U+FE0E) or emoji (U+FE0F) presentation selector right after a symbol is
/// how emoji are written (`❤\u{fe0f}`, keycaps `1\u{fe0f}\u{20e3}`), and can carry no
/// hidden text: a run of selectors, or one after a letter, can, and is escaped.
fn kept_selector(c: char, prev: Option<char>) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}')
        && prev.is_some_and(|p| {
            matches!(
                p,
                '#' | '*' | '0'..='9' | '\u{A9}' | '\u{AE}'
                | '\u{203C}' | '\u{2049}'
                | '\u{2122}'..='\u{2BFF}'  // letterlike, arrows, technical, dingbats
                | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
                | '\u{1F000}'..='\u{1FAFF}' // emoji blocks
            )
        })
}

/// Whether `c`, after `prev`, is escaped.
fn escaped(c: char, prev: Option<char>) -> bool {
    is_hazard(c) && !kept_selector(c, prev)
}

/// Returns `s` unchanged when it is safe, otherwise a copy with every hazard escaped.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    // Fast path: printable ASCII is by far the most common case and needs no work.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let mut prev = None;
    let first = s.char_indices().find(|&(_, c)| {
        let hit = escaped(c, prev);
        prev = Some(c);
        hit
    });
    let Some((at, _)) = first else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..at]);
    let mut prev = s[..at].chars().next_back();
    for c in s[at..].chars() {
        if escaped(c, prev) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// [`sanitize`] for a message of several lines (an error with context): each line made
/// inert, the line breaks between them kept.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    if !s.contains('\n') {
        return sanitize(s);
    }
    Cow::Owned(s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n"))
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

    #[test]
    fn sanitiser_escapes_invisible_and_spoofing_characters() {
        assert_eq!(sanitize("soft\u{ad}hyphen"), "soft\\xadhyphen");
        assert_eq!(sanitize("mon\u{180e}gol"), "mon\\u{180e}gol");
        assert_eq!(sanitize("cgj\u{34f}x"), "cgj\\u{034f}x");
        assert_eq!(
            sanitize("\u{115f}\u{1160}\u{3164}\u{ffa0}"),
            "\\u{115f}\\u{1160}\\u{3164}\\u{ffa0}"
        );
        assert_eq!(sanitize("a\u{200b}b\u{2063}c"), "a\\u{200b}b\\u{2063}c");
        // Tag characters spell hidden ASCII ("evil") that no terminal shows.
        assert_eq!(
            sanitize("ok\u{e0065}\u{e0076}\u{e0069}\u{e006c}"),
            "ok\\u{e0065}\\u{e0076}\\u{e0069}\\u{e006c}"
        );
        // Variation selectors smuggle a byte each behind any visible character.
        assert_eq!(
            sanitize("😀\u{fe00}\u{e0100}\u{e01ef}"),
            "😀\\u{fe00}\\u{e0100}\\u{e01ef}"
        );
        assert_eq!(sanitize("a\u{fe0f}"), "a\\u{fe0f}");
        assert_eq!(sanitize("\u{fe0f}"), "\\u{fe0f}");
        assert_eq!(sanitize("❤\u{fe0f}\u{fe0f}"), "❤\u{fe0f}\\u{fe0f}");
        // One emoji or text presentation selector after a symbol is how emoji are
        // written, and carries nothing else.
        assert_eq!(sanitize("❤\u{fe0f} ☀\u{fe0e}"), "❤\u{fe0f} ☀\u{fe0e}");
        assert_eq!(sanitize("1\u{fe0f}\u{20e3}"), "1\u{fe0f}\u{20e3}");

        // Every code point Unicode lists as Default_Ignorable, wherever it stands.
        let ignorable = regex::Regex::new(r"^\p{Default_Ignorable_Code_Point}$")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut checked = 0;
        for c in (0..=0x10_ffff_u32).filter_map(char::from_u32) {
            if !ignorable.is_match(c.encode_utf8(&mut [0; 4])) {
                continue;
            }
            checked += 1;
            for s in [format!("{c}"), format!("a{c}b"), format!("a{c}{c}")] {
                let out = sanitize(&s);
                assert!(!out.contains(c), "U+{:04X} survives in {out:?}", c as u32);
            }
        }
        assert!(
            checked > 4000,
            "only {checked} default-ignorable code points"
        );
    }

    proptest! {
        #[test]
        fn no_hazard_survives(s in any::<String>()) {
            let out = sanitize(&s);
            let mut prev = None;
            for c in out.chars() {
                prop_assert!(!escaped(c, prev), "{:?}", out);
                prev = Some(c);
            }
        }

        /// Text sanitised at ingestion is sanitised again when read back from the
        /// database: the second pass must change nothing.
        #[test]
        fn sanitising_twice_changes_nothing(s in any::<String>()) {
            let once = sanitize(&s).into_owned();
            prop_assert!(matches!(sanitize(&once), Cow::Borrowed(_)), "{:?}", once);
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
