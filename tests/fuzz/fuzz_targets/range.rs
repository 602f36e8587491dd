//! The range parser on any text: it never panics, a known range is ordered, finite and
//! within bearing's largest figure, and formatting it never panics either.
#![no_main]

use bearing::domain::range::{RangeParse, format_range, parse_range, short_number};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_range(&text) {
        RangeParse::Known(r) => {
            assert!(r.low <= r.high, "{text:?} gave {} > {}", r.low, r.high);
            assert!(r.low >= 0.0 && r.high <= 1e15, "{text:?} gave {r:?}");
            assert!(r.midpoint().is_finite());
            // A figure is never invented: a known range was written with digits.
            assert!(text.bytes().any(|b| b.is_ascii_digit()), "{text:?}");
            let _ = format_range(r.low, r.high, r.unit);
            let _ = short_number(r.high);
        }
        RangeParse::Unknown | RangeParse::Invalid => {}
    }
});
