//! Themes: TOML files (the built-in ones in `themes/`, embedded; users add their own in
//! the config dir) turned into ratatui styles for the colours the terminal can show:
//! truecolor, 256 colours, 16 colours, or none at all when `NO_COLOR` is set.

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
                Ok(Theme {
                    name: file.name.clone(),
                    monochrome: depth == ColorDepth::None,
                    $($slot: parse_color(&c.$slot)
                        .map(|col| depth.adapt(col))
                        .map_err(|e| format!("colors.{}: {e}", stringify!($slot)))?,)*
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

    fn adapt(self, c: Color) -> Color {
        match (self, c) {
            (ColorDepth::None, _) => Color::Reset,
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
            (_, c) => c,
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

/// The xterm 256-colour index closest to an RGB colour (6×6×6 cube or grey ramp).
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let idx = |v: u8| {
        LEVELS
            .iter()
            .enumerate()
            .min_by_key(|(_, l)| (i32::from(**l) - i32::from(v)).abs())
            .map_or(0, |(i, _)| i as u8)
    };
    let (ri, gi, bi) = (idx(r), idx(g), idx(b));
    let cube = 16 + 36 * ri + 6 * gi + bi;
    let cube_rgb = (
        LEVELS[ri as usize],
        LEVELS[gi as usize],
        LEVELS[bi as usize],
    );
    let avg = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey_i = if avg < 8 {
        0
    } else {
        ((avg - 8) / 10).min(23) as u8
    };
    let grey_v = 8 + 10 * grey_i;
    let dist = |(a, b2, c): (u8, u8, u8)| {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
        d(a, r) + d(b2, g) + d(c, b)
    };
    if dist((grey_v, grey_v, grey_v)) < dist(cube_rgb) {
        232 + grey_i
    } else {
        cube
    }
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    const PALETTE: [(Color, (u8, u8, u8)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
    PALETTE
        .iter()
        .min_by_key(|(_, (pr, pg, pb))| d(*pr, r) + d(*pg, g) + d(*pb, b))
        .map_or(Color::Reset, |(c, _)| *c)
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
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(128, 128, 128), 244);
        assert_eq!(nearest_16(250, 10, 10), Color::LightRed);
        assert_eq!(ColorDepth::None.adapt(Color::Rgb(1, 2, 3)), Color::Reset);
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
