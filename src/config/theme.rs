//! Themes: TOML files (the built-in ones in `themes/`, embedded; users add their own in
//! the config dir) turned into ratatui styles for the colours the terminal can show:
//! truecolor, 256 colours, 16 colours, or none at all when `NO_COLOR` is set.

use super::contrast;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::path::Path;

pub const BUILTIN: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    (
        "colour-blind-safe",
        include_str!("../../themes/colour-blind-safe.toml"),
    ),
];

/// A theme file as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    pub name: String,
    pub colors: ThemeColors,
}

macro_rules! colors {
    ($($slot:ident),* $(,)?) => {
        #[derive(Clone, Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct ThemeColors { $(pub $slot: String,)* }

        /// A theme ready to draw with.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Theme {
            pub name: String,
            /// No colour at all: `NO_COLOR`. Emphasis then comes from bold and reverse.
            pub monochrome: bool,
            $(pub $slot: Color,)*
        }

        impl Theme {
            pub fn from_file(file: &ThemeFile, depth: ColorDepth) -> Result<Theme, String> {
                let c = &file.colors;
                let theme = Theme {
                    name: file.name.clone(),
                    monochrome: depth == ColorDepth::None,
                    $($slot: parse_color(&c.$slot)
                        .map_err(|e| format!("colors.{}: {e}", stringify!($slot)))?,)*
                };
                Ok(match depth {
                    ColorDepth::TrueColor => theme,
                    ColorDepth::None => Theme {
                        $($slot: Color::Reset,)*
                        ..theme
                    },
                    ColorDepth::Ansi256 => theme.adapted(&contrast::palette_256()),
                    ColorDepth::Ansi16 => theme.adapted(&contrast::ANSI16),
                })
            }
        }
    };
}

colors!(
    background,
    foreground,
    muted,
    accent,
    border,
    border_focused,
    title,
    header_bg,
    header_fg,
    badge_fg,
    badge_bg,
    badge_alert_bg,
    selection_bg,
    selection_fg,
    good,
    warn,
    bad,
    spark,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
    None,
}

impl ColorDepth {
    /// What the terminal can show, from the environment (`NO_COLOR`, `COLORTERM`, `TERM`).
    pub fn detect(get: impl Fn(&str) -> Option<String>) -> ColorDepth {
        if get("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        let colorterm = get("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorDepth::TrueColor;
        }
        let term = get("TERM").unwrap_or_default();
        if term.contains("256color") || term.contains("direct") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }
}

pub fn parse_color(s: &str) -> Result<Color, String> {
    let t = s.trim().to_ascii_lowercase();
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return Err(format!("{s:?} is not a colour: use #rrggbb"));
    }
    let named = match t.replace('_', "-").as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" | "bright-black" => Color::DarkGray,
        "bright-red" => Color::LightRed,
        "bright-green" => Color::LightGreen,
        "bright-yellow" => Color::LightYellow,
        "bright-blue" => Color::LightBlue,
        "bright-magenta" => Color::LightMagenta,
        "bright-cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            return Err(format!(
                "{s:?} is not a colour: use #rrggbb, an ANSI name such as \"bright-blue\", or \"reset\""
            ));
        }
    };
    Ok(named)
}

impl Theme {
    /// The theme in the colours of `palette`: each colour stands in by hue, and text
    /// stays readable on what it is drawn on (WCAG AA), so a 16-colour terminal keeps
    /// red for bad and green for good rather than greys that cannot be read. Named
    /// colours and `reset` are the terminal's own and stay.
    fn adapted(self, palette: &[(Color, contrast::Rgb)]) -> Theme {
        use contrast::{GRAPHICS, TERMINAL_BG, TEXT, rgb, stand_in};
        let pick_from =
            |palette: &[(Color, contrast::Rgb)], c: Color, on: &[Color], min: f64| match c {
                Color::Rgb(r, g, b) => {
                    let on: Vec<_> = on.iter().map(|x| rgb(*x, TERMINAL_BG)).collect();
                    stand_in(palette, (r, g, b), &on, min)
                }
                other => other,
            };
        let pick = |c: Color, on: &[Color], min: f64| pick_from(palette, c, on, min);
        let background = pick(self.background, &[], 0.0);
        let text = |c: Color| pick(c, &[background], TEXT);
        let graphics = |c: Color| pick(c, &[background], GRAPHICS);
        // Text on a coloured band: the band's own colour, then text readable on it;
        // where no colour is, the text's own colour and a band it can be read on.
        let band = |fg: Color, bg: Color| {
            let b = pick(bg, &[], 0.0);
            let f = pick(fg, &[b], TEXT);
            let ok = contrast::ratio(rgb(f, TERMINAL_BG), rgb(b, TERMINAL_BG)) >= TEXT;
            if ok {
                (f, b)
            } else {
                let f = pick(fg, &[], 0.0);
                (f, pick(bg, &[f], TEXT))
            }
        };
        let (header_fg, header_bg) = band(self.header_fg, self.header_bg);
        let (selection_fg, selection_bg) = band(self.selection_fg, self.selection_bg);
        // One badge colour on two bands: the bands are chosen for it.
        let badge_fg = pick(self.badge_fg, &[], 0.0);
        let (badge_bg, badge_alert_bg) = (
            pick(self.badge_bg, &[badge_fg], TEXT),
            pick(self.badge_alert_bg, &[badge_fg], TEXT),
        );
        // Bad, warn and good keep apart: where the palette has few readable colours
        // (16 on white) each takes one the others have not.
        let bad = text(self.bad);
        let without = |taken: &[Color]| -> Vec<(Color, contrast::Rgb)> {
            palette
                .iter()
                .filter(|(c, _)| !taken.contains(c))
                .copied()
                .collect()
        };
        let warn = pick_from(&without(&[bad]), self.warn, &[background], TEXT);
        let good = pick_from(&without(&[bad, warn]), self.good, &[background], TEXT);
        Theme {
            foreground: text(self.foreground),
            muted: text(self.muted),
            accent: text(self.accent),
            title: text(self.title),
            good,
            warn,
            bad,
            spark: graphics(self.spark),
            border: graphics(self.border),
            border_focused: graphics(self.border_focused),
            header_fg,
            badge_fg,
            selection_fg,
            background,
            header_bg,
            badge_bg,
            badge_alert_bg,
            selection_bg,
            ..self
        }
    }
}

/// Styles the panes use, derived from the colours so that a monochrome theme still
/// shows focus, selection and badges (through bold and reverse video).
impl Theme {
    pub fn base(&self) -> Style {
        Style::default().fg(self.foreground).bg(self.background)
    }

    pub fn muted(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default().fg(self.muted)
        }
    }

    pub fn accent(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(self.accent)
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.monochrome) {
            (true, true) => Style::default().add_modifier(Modifier::BOLD),
            (true, false) => Style::default().fg(self.border_focused),
            (false, _) => Style::default().fg(self.border),
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        let s = Style::default().fg(self.title);
        if focused {
            s.add_modifier(Modifier::BOLD)
        } else {
            s
        }
    }

    pub fn header(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().fg(self.header_fg).bg(self.header_bg)
        }
    }

    pub fn badge(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::default()
                .fg(self.badge_fg)
                .bg(self.badge_bg)
                .add_modifier(Modifier::BOLD)
        }
    }

    pub fn badge_alert(&self) -> Style {
        if self.monochrome {
            self.badge()
        } else {
            self.badge().bg(self.badge_alert_bg)
        }
    }

    pub fn selection(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
                .fg(self.selection_fg)
                .bg(self.selection_bg)
                .add_modifier(Modifier::BOLD)
        }
    }

    pub fn good(&self) -> Style {
        Style::default().fg(self.good)
    }

    pub fn warn(&self) -> Style {
        Style::default().fg(self.warn)
    }

    pub fn bad(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(self.bad)
        }
    }

    pub fn spark(&self) -> Style {
        Style::default().fg(self.spark)
    }
}

/// Parses a theme file's text.
pub fn parse_theme(text: &str, depth: ColorDepth) -> Result<Theme, String> {
    let file: ThemeFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    Theme::from_file(&file, depth)
}

/// The names of the themes a config may choose: the built-in ones and the user's.
pub fn theme_names(config_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
    // An unreadable theme is no choice; `load_themes` says why it cannot be read.
    for (name, text) in user_themes(config_dir) {
        if text.is_ok() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `themes/*.toml` in the config dir, as (name, text or why it cannot be read), sorted
/// by name. Any of them may be a link to `/dev/zero` or a FIFO: `files` refuses those.
fn user_themes(config_dir: Option<&Path>) -> Vec<(String, std::io::Result<String>)> {
    let Some(dir) = config_dir.map(|d| d.join("themes")) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, std::io::Result<String>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some((name, crate::files::read_text(&p, crate::files::Kind::Theme)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every theme ready to draw, in cycle order; a user theme that cannot be read or
/// parsed is reported and skipped, never fatal.
pub fn load_themes(config_dir: Option<&Path>, depth: ColorDepth) -> (Vec<Theme>, Vec<String>) {
    let mut themes = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in BUILTIN {
        match parse_theme(text, depth) {
            Ok(t) => themes.push(t),
            Err(e) => problems.push(format!("built-in theme {name}: {e}")),
        }
    }
    for (name, text) in user_themes(config_dir) {
        let text = text.map_err(|e| e.to_string());
        match text.and_then(|text| parse_theme(&text, depth)) {
            Ok(mut t) => {
                t.name = name;
                match themes.iter_mut().find(|x| x.name == t.name) {
                    Some(slot) => *slot = t,
                    None => themes.push(t),
                }
            }
            Err(e) => problems.push(format!(
                "theme file themes/{}.toml: {e}",
                crate::domain::sanitize::sanitize(&name)
            )),
        }
    }
    (themes, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_parse_at_every_depth() {
        for (name, text) in BUILTIN {
            for depth in [
                ColorDepth::TrueColor,
                ColorDepth::Ansi256,
                ColorDepth::Ansi16,
                ColorDepth::None,
            ] {
                let t = parse_theme(text, depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(t.name, name);
            }
        }
    }

    #[test]
    fn colour_fallbacks() {
        let dark = |depth| parse_theme(BUILTIN[0].1, depth).unwrap();
        // Bad is red on 256 and on 16 colours; nothing is left without colour.
        assert!(matches!(dark(ColorDepth::Ansi256).bad, Color::Indexed(_)));
        assert_eq!(dark(ColorDepth::Ansi16).bad, Color::LightRed);
        assert_eq!(dark(ColorDepth::None).bad, Color::Reset);
        assert_eq!(
            dark(ColorDepth::TrueColor).bad,
            Color::Rgb(0xbf, 0x61, 0x6a)
        );
    }

    #[test]
    fn depth_from_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            ColorDepth::detect(env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            ColorDepth::None
        );
        assert_eq!(
            ColorDepth::detect(env(&[("NO_COLOR", "")])),
            ColorDepth::Ansi16
        );
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "truecolor")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
    }

    #[test]
    fn bad_colours_are_named() {
        let text = BUILTIN[0].1.replace("\"#d8dee9\"", "\"#zzzzzz\"");
        let err = parse_theme(&text, ColorDepth::TrueColor).unwrap_err();
        assert_eq!(
            err,
            "colors.foreground: \"#zzzzzz\" is not a colour: use #rrggbb"
        );
    }
}
