//! Direction of a measure between two periods of the same length: ▲ rising, ▼ falling,
//! ► flat inside a dead band. Always shown as glyph and word, never colour alone.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Rising,
    Falling,
    Flat,
}

impl Direction {
    /// `dead_band` is a fraction: 0.1 means changes within ±10% are flat. A change from
    /// nothing to something is rising, whatever the band.
    pub fn between(current: f64, previous: f64, dead_band: f64) -> Direction {
        if current == previous {
            return Direction::Flat;
        }
        if previous <= 0.0 {
            return if current > 0.0 {
                Direction::Rising
            } else {
                Direction::Flat
            };
        }
        let change = (current - previous) / previous;
        if change > dead_band {
            Direction::Rising
        } else if change < -dead_band {
            Direction::Falling
        } else {
            Direction::Flat
        }
    }

    pub fn glyph(self) -> &'static str {
        match self {
            Direction::Rising => "▲",
            Direction::Falling => "▼",
            Direction::Flat => "►",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Falling => "falling",
            Direction::Flat => "flat",
        }
    }

    /// Glyph and word together, the only way a direction is ever shown.
    pub fn label(self) -> String {
        format!("{} {}", self.glyph(), self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_band_and_edges() {
        assert_eq!(Direction::between(11.0, 10.0, 0.1), Direction::Flat);
        assert_eq!(Direction::between(12.0, 10.0, 0.1), Direction::Rising);
        assert_eq!(Direction::between(8.0, 10.0, 0.1), Direction::Falling);
        assert_eq!(Direction::between(1.0, 0.0, 0.1), Direction::Rising);
        assert_eq!(Direction::between(0.0, 0.0, 0.1), Direction::Flat);
        assert_eq!(Direction::between(0.0, 3.0, 0.1), Direction::Falling);
        assert_eq!(Direction::Rising.label(), "▲ rising");
    }
}
