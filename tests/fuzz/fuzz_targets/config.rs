//! The config loader on any file: a bad file is an error naming where it is bad, never
//! a panic. Theme files are read from the same config directory, so they are loaded
//! from the same input too.
#![no_main]

use bearing::config::theme::{ColorDepth, parse_theme};
use bearing::config::{Config, apply_file, theme_names};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn themes() -> &'static [String] {
    static THEMES: OnceLock<Vec<String>> = OnceLock::new();
    THEMES.get_or_init(|| theme_names(None))
}

fuzz_target!(|data: &[u8]| {
    // `config::load` reads the file with `read_to_string`, so a file that is not UTF-8
    // is an IO error before parsing; only text reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut config = Config::default();
    if let Err(e) = apply_file(&mut config, "fuzz.toml", text, themes()) {
        let message = e.to_string();
        assert!(
            message.contains("fuzz.toml"),
            "{message:?} does not name the file"
        );
    }
    for depth in [ColorDepth::TrueColor, ColorDepth::Ansi16] {
        if let Err(e) = parse_theme(text, depth) {
            let _ = e.to_string();
        }
    }
});
