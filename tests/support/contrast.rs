//! The contrast of a drawn screen, as WCAG 2 measures it: every cell's foreground
//! against its background, text needing 4.5:1 (AA) and graphics (lines, blocks,
//! braille, arrows) 3:1. `reset` is judged as a dark terminal's own colours.
#![allow(dead_code)]

use bearing::config::contrast::{GRAPHICS, TERMINAL_BG, TERMINAL_FG, TEXT, ratio, rgb};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

/// Lines, blocks, braille and arrows: drawn, not read.
pub fn graphics(symbol: &str) -> bool {
    symbol.chars().all(|c| {
        matches!(c as u32, 0x2500..=0x259f | 0x2800..=0x28ff | 0x25a0..=0x25ff)
            || "·•…▲▼►◆●○→".contains(c)
    })
}

/// Each cell that cannot be read: "fg on bg is r:1 (needs n)", and its symbol.
pub fn unreadable_cells(b: &Buffer) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for cell in b.content() {
        let symbol = cell.symbol();
        if symbol.trim().is_empty() {
            continue;
        }
        let (mut fg, mut bg) = (rgb(cell.fg, TERMINAL_FG), rgb(cell.bg, TERMINAL_BG));
        if cell.modifier.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        let need = if graphics(symbol) { GRAPHICS } else { TEXT };
        let r = ratio(fg, bg);
        if r < need {
            let pair = format!("{:?} on {:?} is {r:.2}:1 (needs {need})", cell.fg, cell.bg);
            out.push((pair, format!("{symbol:?}")));
        }
    }
    out
}
