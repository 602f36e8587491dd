//! The HTML review in a real browser: headless Chromium (Debian's package, which
//! `.ci/run` installs) draws its first page, which must not be blank and must hold
//! the charts; it prints to a PDF; the file asks nothing of the network; and an event
//! string holding `<script>` is text in the page the browser built, never a script.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name;
        }
    }
    panic!("these tests need Chromium (.ci/run installs Debian's chromium package)");
}

/// Headless Chromium on `page`, with a profile of its own in `home`.
fn browse(home: &Path, page: &Path, what: &[&str]) -> Vec<u8> {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            home.join("chromium").display()
        ))
        .args(what)
        .arg(format!("file://{}", page.display()))
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn report(home: &Path, extra: &[&str]) -> PathBuf {
    let path = home.join(format!("review-{}.html", extra.len()));
    let out_path = path.to_str().unwrap();
    let args = [extra, &["report", "--format", "html", "--out", out_path]].concat();
    let out = support::bearing_in(home, &home.join("bearing.db"), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// How many pixels of the PNG are within a small distance of `rgb`, and how many are
/// not white.
fn pixels(png: &[u8], rgb: [u8; 3]) -> (usize, usize, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (mut near, mut ink, mut all) = (0, 0, 0);
    for px in buf[..info.buffer_size()].chunks(channels) {
        all += 1;
        let d = (0..3).map(|i| px[i].abs_diff(rgb[i]) as u32).sum::<u32>();
        near += usize::from(d < 40);
        ink += usize::from(px[..3].iter().any(|&c| c < 235));
    }
    (near, ink, all)
}

#[test]
fn the_first_page_is_drawn_with_its_charts_and_prints_to_pdf() {
    let home = tempfile::tempdir().unwrap();
    let page = report(home.path(), &[]);
    let html = std::fs::read_to_string(&page).unwrap();
    // Nothing leaves the page: no URL, no script, no outside stylesheet or image.
    for asked in [
        "http://", "https://", "//", "<script", "<link", "src=", "@import", "url(",
    ] {
        assert!(!html.contains(asked), "the page holds {asked:?}");
    }
    let shot = home.path().join("first-page.png");
    browse(
        home.path(),
        &page,
        &[
            "--window-size=1200,1700",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    let (_, ink, all) = pixels(&png, [0, 0, 0]);
    assert!(ink * 20 > all, "a blank page: {ink} of {all} pixels drawn");
    // The charts: the risk bars' red and the sparklines' blue.
    let (red, _, _) = pixels(&png, [0xb3, 0x26, 0x1e]);
    let (blue, _, _) = pixels(&png, [0x1f, 0x5f, 0xa8]);
    assert!(
        red > 500,
        "no impact bars on the first page ({red} red pixels)"
    );
    assert!(
        blue > 200,
        "no sparklines on the first page ({blue} blue pixels)"
    );

    let pdf = home.path().join("review.pdf");
    browse(
        home.path(),
        &page,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );
}

#[test]
fn a_script_in_the_data_is_text_in_the_page() {
    let home = tempfile::tempdir().unwrap();
    let hostile = "<script>document.title='owned'</script>";
    let events: Vec<String> = (0..3)
        .map(|n| support::revenue_event(n, hostile, "<img src=x onerror=alert(1)>", "$5K-15K"))
        .collect();
    let file = home.path().join("hostile.jsonl");
    std::fs::write(&file, events.join("\n")).unwrap();
    let source = format!("file:{}", file.display());
    let page = report(home.path(), &["--source", &source]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("&lt;script&gt;"), "escaped in the file");
    let dom = String::from_utf8(browse(home.path(), &page, &["--dump-dom"])).unwrap();
    assert!(!dom.contains("<script") && !dom.contains("<img"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;document.title='owned'&lt;/script&gt;"),
        "the tenant shows as its text"
    );
    assert!(!dom.contains("<title>owned"), "no script ran");
}
