//! Contrast as WCAG 2 measures it (relative luminance, ratios from 1:1 to 21:1), over
//! the colours a terminal shows: truecolor, the xterm 256-colour palette, and the 16
//! ANSI colours as xterm draws them. A theme is adapted to fewer colours with it, so
//! text stays readable on a 16-colour terminal, and the themes are tested with it.

use ratatui::style::Color;
use std::sync::OnceLock;

pub type Rgb = (u8, u8, u8);

/// WCAG AA for text.
pub const TEXT: f64 = 4.5;
/// WCAG AA for graphics (borders, sparklines).
pub const GRAPHICS: f64 = 3.0;

/// What a theme's `reset` stands for when contrast is judged: a dark terminal, as most
/// are (a theme for light terminals paints its own background).
pub const TERMINAL_BG: Rgb = (0, 0, 0);
pub const TERMINAL_FG: Rgb = (229, 229, 229);

/// The 16 ANSI colours as xterm draws them.
pub const ANSI16: [(Color, Rgb); 16] = [
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

/// The colour a terminal shows for `c`; `default` stands for the terminal's own
/// (`Reset`).
pub fn rgb(c: Color, default: Rgb) -> Rgb {
    match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => indexed(i),
        Color::Reset => default,
        named => ANSI16
            .iter()
            .find(|(n, _)| *n == named)
            .map_or(default, |(_, v)| *v),
    }
}

/// An xterm 256-colour index as RGB.
pub fn indexed(i: u8) -> Rgb {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => ANSI16[usize::from(i)].1,
        16..=231 => {
            let n = usize::from(i - 16);
            (LEVELS[n / 36], LEVELS[n / 6 % 6], LEVELS[n % 6])
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// A channel's linear value, from a table worked out once: adapting the themes to the
/// 256-colour palette judges every palette colour against every background, some
/// hundred thousand `powf` calls, and that ran before the cockpit opened its file.
fn channel(v: u8) -> f64 {
    static LINEAR: OnceLock<[f64; 256]> = OnceLock::new();
    LINEAR.get_or_init(|| std::array::from_fn(|i| linear(i as u8)))[usize::from(v)]
}

fn linear(v: u8) -> f64 {
    let c = f64::from(v) / 255.0;
    if c <= 0.039_28 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

pub fn luminance((r, g, b): Rgb) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours, from 1 (the same) to 21 (black on white).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn distance(a: Rgb, b: Rgb) -> i32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The hue of a colour in degrees, or None for a grey.
fn hue((r, g, b): Rgb) -> Option<f64> {
    let (r, g, b) = (f64::from(r), f64::from(g), f64::from(b));
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    if max - min < 48.0 {
        return None;
    }
    let h = if max == r {
        60.0 * ((g - b) / (max - min)).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / (max - min) + 2.0)
    } else {
        60.0 * ((r - g) / (max - min) + 4.0)
    };
    Some(h)
}

/// How far apart two colours look for choosing a stand-in: a colour keeps its hue
/// (a red stays a red, never a grey) before anything else.
fn unlike(a: Rgb, b: Rgb) -> (u32, i32) {
    let hues = match (hue(a), hue(b)) {
        (None, None) => 0,
        (Some(x), Some(y)) => {
            let d = (x - y).abs();
            d.min(360.0 - d).round() as u32
        }
        _ => 360,
    };
    (hues, distance(a, b))
}

/// The colour of `palette` that stands for `want`: the closest in hue, then in
/// value, among those readable on every colour of `on` (`min` contrast), else the
/// closest of all.
pub fn stand_in(palette: &[(Color, Rgb)], want: Rgb, on: &[Rgb], min: f64) -> Color {
    let readable = |v: &Rgb| on.iter().all(|bg| ratio(*v, *bg) >= min);
    let best = |only_readable: bool| {
        palette
            .iter()
            .filter(|(_, v)| !only_readable || readable(v))
            .min_by_key(|(_, v)| unlike(want, *v))
            .map(|(c, _)| *c)
    };
    best(true).or_else(|| best(false)).unwrap_or(Color::Reset)
}

/// The xterm 256-colour palette, for [`stand_in`].
pub fn palette_256() -> Vec<(Color, Rgb)> {
    (16..=255u8)
        .map(|i| (Color::Indexed(i), indexed(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_wcag() {
        assert!((ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((ratio((119, 119, 119), (255, 255, 255)) - 4.48).abs() < 0.01);
        assert_eq!(ratio((12, 34, 56), (12, 34, 56)), 1.0);
    }

    #[test]
    fn a_red_stays_a_red_on_sixteen_colours() {
        // The dark theme's red was nearest to dark grey by distance alone.
        let red = stand_in(&ANSI16, (0xbf, 0x61, 0x6a), &[(0, 0, 0)], TEXT);
        assert_eq!(red, Color::LightRed);
        let green = stand_in(&ANSI16, (0xa3, 0xbe, 0x8c), &[(0, 0, 0)], TEXT);
        assert!(
            matches!(green, Color::Green | Color::LightGreen),
            "{green:?}"
        );
        let grey = stand_in(&ANSI16, (0x7b, 0x84, 0x96), &[(0, 0, 0)], TEXT);
        assert_eq!(grey, Color::DarkGray);
    }

    #[test]
    fn the_table_holds_each_channels_own_value() {
        for v in 0..=255u8 {
            assert_eq!(channel(v).to_bits(), linear(v).to_bits(), "{v}");
        }
        assert!(channel(0) == 0.0 && channel(255) == 1.0);
    }

    #[test]
    fn the_256_palette_is_xterms() {
        assert_eq!(indexed(16), (0, 0, 0));
        assert_eq!(indexed(196), (255, 0, 0));
        assert_eq!(indexed(244), (128, 128, 128));
        assert_eq!(indexed(255), (238, 238, 238));
    }
}
