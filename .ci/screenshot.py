#!/usr/bin/env python3
"""Regenerates assets/screenshot.png, the README's screen capture: runs the release
binary on the demo in a private tmux server at 120x40, captures the screen with its
colours (capture-pane -e) and paints it with DejaVu Sans Mono. Needs tmux, Pillow and
the DejaVu fonts; not run by CI.

  python3 .ci/screenshot.py [--keys KEYS] [--out assets/screenshot.png]
"""
import argparse, os, re, subprocess, time
from PIL import Image, ImageDraw, ImageFont

ANSI16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
          (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
FG, BG = (216, 222, 233), (30, 34, 42)

def xterm256(n):
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        lv = [0, 95, 135, 175, 215, 255]
        return (lv[n // 36], lv[n // 6 % 6], lv[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)

def parse(line):
    """Yields (char, fg, bg, bold) for one captured line."""
    fg, bg, bold, rev = None, None, False, False
    i = 0
    for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b])", line):
        if m.group(2) is not None:
            f, b = (bg, fg) if rev else (fg, bg)
            yield m.group(2), f, b, bold
            continue
        codes = [int(c) if c else 0 for c in re.split("[;:]", m.group(1))]
        while codes:
            c = codes.pop(0)
            if c == 0: fg, bg, bold, rev = None, None, False, False
            elif c == 1: bold = True
            elif c == 22: bold = False
            elif c == 7: rev = True
            elif c == 27: rev = False
            elif c in (38, 48):
                kind = codes.pop(0)
                col = tuple(codes[:3]) if kind == 2 else xterm256(codes[0])
                codes = codes[3:] if kind == 2 else codes[1:]
                if c == 38: fg = col
                else: bg = col
            elif c == 39: fg = None
            elif c == 49: bg = None
            elif 30 <= c <= 37: fg = ANSI16[c - 30]
            elif 40 <= c <= 47: bg = ANSI16[c - 40]
            elif 90 <= c <= 97: fg = ANSI16[c - 90 + 8]
            elif 100 <= c <= 107: bg = ANSI16[c - 100 + 8]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", default="", help="tmux keys to send before the capture, space separated")
    ap.add_argument("--out", default="assets/screenshot.png")
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    a = ap.parse_args()
    sock = f"shot{os.getpid()}"
    t = lambda *args: subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True)
    cmd = "TERM=xterm-256color COLORTERM=truecolor exec target/release/bearing"
    t("-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", str(a.cols), "-y", str(a.rows), cmd)
    try:
        for _ in range(200):
            if "reviews due this month" in t("capture-pane", "-p", "-t", "s").stdout:
                break
            time.sleep(0.05)
        for k in a.keys.split():
            t("send-keys", "-t", "s", k)
            time.sleep(0.2)
        time.sleep(0.3)
        lines = t("capture-pane", "-p", "-e", "-t", "s").stdout.split("\n")[: a.rows]
    finally:
        t("kill-server")
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 15)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 15)
    cw, ch = 9, 19
    img = Image.new("RGB", (cw * a.cols + 24, ch * a.rows + 24), BG)
    d = ImageDraw.Draw(img)
    for y, line in enumerate(lines):
        for x, (c, fg, bg, b) in enumerate(parse(line)):
            px, py = 12 + x * cw, 12 + y * ch
            if bg: d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c != " ":
                d.text((px, py), c, font=bold if b else font, fill=fg or FG)
    img.save(a.out)
    print("wrote", a.out)

if __name__ == "__main__":
    main()
