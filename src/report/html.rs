//! A review as one self-contained HTML file: its styles inline, its charts inline SVG
//! (each tenant's revenue signals by month as a sparkline, the money at risk and to
//! save as bars), no script and no request to anywhere, and a print stylesheet so a
//! browser prints it to a clean PDF. Every string from the data is escaped: an event
//! that says `<script>` shows as that text.

use super::review::{Review, Table, TenantPage};
use std::io::{self, Write};

/// Text from the data as HTML text or an attribute value: terminal controls shown as
/// escapes (as everywhere in bearing), then `& < > " '` as entities.
pub fn escape(s: &str) -> String {
    let clean = crate::domain::sanitize::sanitize(s);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d5dae1; --risk: #b3261e;
  --save: #1e7b45; --spark: #1f5fa8; --band: #f3f5f8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 1100px; padding: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note, .muted { color: var(--muted); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
.figure { background: var(--band); border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 22px; font-weight: 650; line-height: 1.2; }
.figure .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.figure .detail { color: var(--muted); font-size: 12px; }
.top { width: 100%; }
.top td { border: 0; padding: 2px 8px 2px 0; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.tenant { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.tenant h3 { margin-top: 2px; }
.charts { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.charts figure { margin: 0; }
.charts figcaption { color: var(--muted); font-size: 12px; }
.parts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px 20px; }
.parts ul { margin: 4px 0; padding-left: 18px; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  table, .tenant, .figure { break-inside: avoid; }
  tr { break-inside: avoid; }
  .figure { border: 1px solid var(--rule); }
}
"#;

fn table(w: &mut dyn Write, t: &Table) -> io::Result<()> {
    writeln!(w, "<h3>{}</h3>", escape(&t.title))?;
    if let Some(note) = &t.note {
        writeln!(w, "<p class=\"note\">{}</p>", escape(note))?;
    }
    if t.rows.is_empty() {
        return writeln!(w, "<p class=\"muted\">None in this period.</p>");
    }
    let class = |i: usize| if t.numeric[i] { " class=\"num\"" } else { "" };
    write!(w, "<table><thead><tr>")?;
    for (i, c) in t.columns.iter().enumerate() {
        write!(w, "<th{}>{}</th>", class(i), escape(c))?;
    }
    writeln!(w, "</tr></thead><tbody>")?;
    for row in &t.rows {
        write!(w, "<tr>")?;
        for (i, c) in row.iter().enumerate() {
            write!(w, "<td{}>{}</td>", class(i), escape(c))?;
        }
        writeln!(w, "</tr>")?;
    }
    writeln!(w, "</tbody></table>")
}

/// Revenue signals by month as a line, the last month marked.
fn sparkline(monthly: &[u32]) -> String {
    let (width, height) = (180.0, 36.0);
    let max = monthly.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = width / (monthly.len().max(2) - 1) as f64;
    let point = |i: usize, n: u32| {
        (
            i as f64 * step,
            height - 3.0 - (n as f64 / max) * (height - 6.0),
        )
    };
    let points: Vec<String> = monthly
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let (x, y) = point(i, n);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let (lx, ly) = monthly
        .last()
        .map_or((0.0, height), |&n| point(monthly.len() - 1, n));
    format!(
        "<svg class=\"spark\" width=\"{width}\" height=\"{height}\" viewBox=\"-3 0 {} {height}\" role=\"img\" aria-label=\"revenue signals by month: {}\">\
<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{}\"/>\
<circle cx=\"{lx:.1}\" cy=\"{ly:.1}\" r=\"3\" fill=\"#1f5fa8\"/></svg>",
        width + 6.0,
        monthly
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        points.join(" ")
    )
}

/// The money at risk and to save as bars on one scale (`top`, the largest high
/// figure of any tenant): solid to the low figure, lighter to the high one.
fn bars(p: &TenantPage, top: f64) -> String {
    let width = 260.0;
    let scale = |x: f64| if top > 0.0 { x / top * width } else { 0.0 };
    let bar = |y: f64, (low, high): (f64, f64), colour: &str, label: &str| {
        format!(
            "<rect x=\"0\" y=\"{y}\" width=\"{:.1}\" height=\"12\" fill=\"{colour}\" opacity=\"0.35\"/>\
<rect x=\"0\" y=\"{y}\" width=\"{:.1}\" height=\"12\" fill=\"{colour}\"/>\
<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#1d2430\">{label}</text>",
            scale(high),
            scale(low),
            scale(high) + 6.0,
            y + 10.0
        )
    };
    let money = |(low, high): (f64, f64)| {
        crate::domain::range::format_range(low, high, crate::domain::range::Unit::Dollars)
    };
    format!(
        "<svg class=\"bars\" width=\"{}\" height=\"34\" role=\"img\" aria-label=\"at risk {}, savings {}\">{}{}</svg>",
        width + 110.0,
        money(p.at_risk),
        money(p.savings),
        bar(
            2.0,
            p.at_risk,
            "#b3261e",
            &format!("at risk {}", money(p.at_risk))
        ),
        bar(
            19.0,
            p.savings,
            "#1e7b45",
            &format!("savings {}", money(p.savings))
        ),
    )
}

fn list(w: &mut dyn Write, items: &[String], none: &str) -> io::Result<()> {
    write!(w, "<ul>")?;
    if items.is_empty() {
        write!(w, "<li class=\"muted\">{}</li>", escape(none))?;
    }
    for i in items {
        write!(w, "<li>{}</li>", escape(i))?;
    }
    writeln!(w, "</ul>")
}

fn page(w: &mut dyn Write, p: &TenantPage, top: f64) -> io::Result<()> {
    let s = &p.summary;
    writeln!(w, "<div class=\"tenant\"><h3>{}</h3>", escape(&s.tenant_id))?;
    writeln!(
        w,
        "<p class=\"meta\">{} open alerts · {} open follow-ups · {}</p>",
        p.open_alerts,
        p.open_followups,
        escape(&s.timeframe)
    )?;
    writeln!(
        w,
        "<div class=\"charts\"><figure>{}<figcaption>revenue signals, 12 months</figcaption></figure><figure>{}</figure></div>",
        sparkline(&p.monthly),
        bars(p, top)
    )?;
    let yes = |b: bool| {
        if b {
            "follow-up required"
        } else {
            "no follow-up required"
        }
    };
    let rp = &s.revenue_protection;
    let co = &s.cost_optimization;
    let sp = &s.strategic_planning;
    writeln!(w, "<div class=\"parts\"><div>")?;
    writeln!(
        w,
        "<strong>Revenue protection</strong> — {} · {}",
        escape(&rp.approximate_impact),
        yes(rp.process_follow_up_required)
    )?;
    list(
        w,
        &rp.directional_risk_indicators,
        "no risk indicators in this period",
    )?;
    list(w, &rp.strategic_recommendations, "no recommendation")?;
    writeln!(w, "</div><div>")?;
    writeln!(
        w,
        "<strong>Cost optimization</strong> — {} · {}",
        escape(&co.approximate_savings),
        yes(co.process_follow_up_required)
    )?;
    list(
        w,
        &co.optimization_opportunities,
        "no opportunities in this period",
    )?;
    list(w, &co.strategic_recommendations, "no recommendation")?;
    writeln!(w, "</div><div>")?;
    writeln!(
        w,
        "<strong>Strategic planning</strong> — {} decisions tracked · {}",
        sp.decisions_tracked,
        yes(sp.process_follow_up_required)
    )?;
    list(w, &sp.decision_patterns, "no decisions in this period")?;
    list(w, &sp.strategic_recommendations, "no recommendation")?;
    writeln!(w, "</div></div></div>")
}

pub fn write(w: &mut dyn Write, r: &Review) -> io::Result<()> {
    writeln!(
        w,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        w,
        "<title>{}</title>\n<style>{STYLE}</style></head><body>",
        escape(&r.title)
    )?;
    writeln!(w, "<header><h1>{}</h1>", escape(&r.title))?;
    writeln!(w, "<p class=\"meta\">{}</p>", escape(&r.byline()))?;
    writeln!(
        w,
        "<p class=\"note\">Directional insight for review, not accounting figures: impacts and savings are the ranges the events report, summed.</p></header>"
    )?;
    writeln!(w, "<h2>Key figures</h2><div class=\"figures\">")?;
    for row in &r.figures.rows {
        let (label, value) = (&row[0], &row[1]);
        let (big, detail) = super::review::split_figure(value);
        writeln!(
            w,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"detail\">{}</div><div class=\"label\">{}</div></div>",
            escape(big),
            escape(detail),
            escape(label)
        )?;
    }
    writeln!(w, "</div>")?;
    let top = r
        .tenants
        .iter()
        .map(|p| p.at_risk.1.max(p.savings.1))
        .fold(0.0, f64::max);
    if !r.tenants.is_empty() {
        writeln!(
            w,
            "<h3>Where attention goes</h3><table class=\"top\"><tbody>"
        )?;
        for p in r.tenants.iter().take(6) {
            writeln!(
                w,
                "<tr><td><strong>{}</strong><br><span class=\"muted\">{} open alerts</span></td><td>{}</td><td>{}</td></tr>",
                escape(&p.summary.tenant_id),
                p.open_alerts,
                sparkline(&p.monthly),
                bars(p, top)
            )?;
        }
        writeln!(w, "</tbody></table>")?;
    }
    writeln!(w, "<h2>{}</h2>", r.template.title())?;
    for t in &r.sections {
        table(w, t)?;
    }
    writeln!(w, "<h2>Tenants needing attention</h2>")?;
    if r.tenants.is_empty() {
        writeln!(w, "<p class=\"muted\">None in this period.</p>")?;
    }
    for p in &r.tenants {
        page(w, p, top)?;
    }
    writeln!(w, "<h2>Triage</h2>")?;
    table(w, &r.alerts)?;
    table(w, &r.followups)?;
    writeln!(w, "<h2>Data health</h2>")?;
    table(w, &r.health)?;
    writeln!(
        w,
        "<footer>bearing {} · {}</footer></body></html>",
        env!("CARGO_PKG_VERSION"),
        escape(&r.source)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_is_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("bell\u{7}"), "bell\\x07");
    }

    #[test]
    fn a_sparkline_is_drawn_to_scale_with_its_last_month_marked() {
        let svg = sparkline(&[0, 5, 10]);
        assert!(
            svg.contains("points=\"0.0,33.0 90.0,18.0 180.0,3.0\""),
            "{svg}"
        );
        assert!(svg.contains("cx=\"180.0\" cy=\"3.0\""), "{svg}");
        // Months without a signal draw a flat line, not a division by zero.
        assert!(sparkline(&[0, 0]).contains("0.0,33.0 180.0,33.0"));
    }
}
