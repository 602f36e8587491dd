//! The sanitiser on any text: no hazardous character survives but the one it keeps by
//! design, and sanitising is idempotent (a stored string shown again is not escaped
//! twice).
#![no_main]

use bearing::domain::sanitize::{is_hazard, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lossy decoding reaches every char a reader could pass on, including U+FFFD.
    let text = String::from_utf8_lossy(data);
    let once = sanitize(&text);
    let mut prev: Option<char> = None;
    for c in once.chars() {
        // The one hazard kept: a single presentation selector right after a visible
        // symbol, as emoji are written (`❤\u{fe0f}`). After nothing, after a hazard or
        // after another selector it could hide text, and must have been escaped.
        let kept_selector =
            matches!(c, '\u{FE0E}' | '\u{FE0F}') && prev.is_some_and(|p| !is_hazard(p));
        assert!(!is_hazard(c) || kept_selector, "{once:?} kept a hazard");
        prev = Some(c);
    }
    let twice = sanitize(&once);
    assert_eq!(twice, once, "sanitising twice differs from once");
    if !text.chars().any(is_hazard) {
        assert_eq!(once, text, "safe text was changed");
    }
});
